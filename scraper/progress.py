"""The progress bars of `scrape clean` and `scrape collect`, and the counts behind them,
kept so that Ctrl-C can still print the summary so far."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .collect import CollectReport

__all__ = ["CollectProgress", "clean_progress"]

OUTCOMES = ("listed", "fetched", "failed", "skipped")


def _bar(console: Console, columns: tuple[Any, ...]) -> Progress:
    """A bar that disappears when done, and is not drawn at all where it could not be
    redrawn in place (stderr piped or in a file: it would leave a blank line there)."""
    return Progress(*columns, console=console, transient=True, disable=not console.is_terminal)


def _rate(done: float, started: float, unit: str) -> str:
    return f"{done / max(time.monotonic() - started, 1e-6):.1f}{unit}"


@contextmanager
def clean_progress(console: Console, total: int | None) -> Iterator[Callable[[int], None]]:
    """A bar of documents cleaned out of `total`; yields the `progress` callback."""
    columns = (
        TextColumn("cleaning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with _bar(console, columns) as bar:
        task = bar.add_task("clean", total=total, rate="")
        started = time.monotonic()

        def advance(n: int) -> None:
            bar.advance(task, n)
            bar.update(task, rate=_rate(bar.tasks[task].completed, started, " docs/s"))

        yield advance


class CollectProgress:
    """The `on` callback of `collect`: counts per source and outcome, one line per source.
    Use as a context manager around the run; `so_far()` is the summary's report."""

    def __init__(self, console: Console) -> None:
        columns = (
            TextColumn("{task.description}"),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[rate]}"),
        )
        self._bar = _bar(console, columns)
        self._tasks: dict[str, Any] = {}
        self.counts: dict[str, Counter[str]] = {}
        self._started = time.monotonic()

    def __enter__(self) -> CollectProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def __call__(self, source: str, outcome: str) -> None:
        if source not in self._tasks:
            self._tasks[source] = self._bar.add_task(source, counts="", rate="")
            self.counts[source] = Counter()
        c = self.counts[source]
        c[outcome] += 1
        done = c["fetched"] + c["failed"] + c["skipped"]
        rate = _rate(done, self._started, "/s") if done else ""
        text = "  ".join(f"{k} {c[k]}" for k in OUTCOMES)
        self._bar.update(self._tasks[source], counts=text, rate=rate)

    def so_far(self) -> CollectReport:
        """What the run has done until now, as a report (for a run cut short)."""
        report = CollectReport()
        for source, c in self.counts.items():
            for outcome in OUTCOMES:
                getattr(report, outcome)[source] = c[outcome]
        return report
