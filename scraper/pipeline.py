"""A run: sources -> clean -> filters -> a new dataset version.

Each step is a generator over documents; whatever a step drops is counted by reason, and
inputs that cannot be cleaned are skipped with their reason, never stopping the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from .clean import clean_with, rulebook_for
from .config import Config, SeedsSource, WarcSource
from .errors import InputError
from .fetch.store import iter_store
from .models import Capture, Document, SkippedInput
from .package import Outcome, write_version
from .rules.engine import RuleBook
from .sources import read_seeds
from .sources.warcfile import read_warc_files

__all__ = ["RunReport", "clean_captures", "filter_documents", "read_captures", "run_clean"]

Progress = Callable[[int], None]


def code_version() -> str:
    try:
        return version("scraper")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class RunReport:
    """What a `scrape clean` run did: shown as the summary table, kept for the report."""

    seen: int = 0
    documents: int = 0
    skipped: list[SkippedInput] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    outcome: Outcome | None = None


def read_captures(config: Config) -> Iterator[Capture]:
    """Every capture held locally: seeds, local WARC files, and the collector's raw store."""
    for i, entry in enumerate(config.sources):
        if isinstance(entry.settings, SeedsSource):
            yield from read_seeds(
                config.path(entry.settings.dir), entry.settings.glob, key=f"sources[{i}].seeds.dir"
            )
        elif isinstance(entry.settings, WarcSource):
            yield from read_warc_files(entry.settings.paths, config.base_dir)
    yield from iter_store(config.path(config.work_dir) / "warc")


def clean_captures(
    captures: Iterable[Capture], book: RuleBook, report: RunReport
) -> Iterator[Document]:
    seen: set[str] = set()
    for cap in captures:
        report.seen += 1
        if cap.id in seen:
            report.skipped.append(SkippedInput(cap.id, "the same capture twice in the inputs"))
            continue
        seen.add(cap.id)
        try:
            doc = clean_with(
                book,
                cap.content,
                url=cap.url,
                captured=cap.capture_time,
                doc_id=cap.id,
                source=cap.source,
            )
        except InputError as e:
            report.skipped.append(SkippedInput(cap.id, str(e)))
            continue
        yield doc


def filter_documents(
    docs: Iterable[Document], config: Config, report: RunReport
) -> Iterator[Document]:
    f = config.filters
    for doc in docs:
        reason = None
        words = len(doc.text.split())
        if words == 0:
            reason = "empty after cleaning"
        elif words < f.min_words:
            reason = f"fewer than {f.min_words} words"
        elif f.languages and doc.language not in f.languages:
            reason = f"language {doc.language or 'unknown'} not in filters.languages"
        if reason:
            report.dropped[reason] += 1
            continue
        report.removed_by_kind.update(r.kind for r in doc.removed)
        report.documents += 1
        yield doc


def run_clean(
    config: Config, *, force_version: str | None = None, progress: Progress | None = None
) -> RunReport:
    """Clean every capture the sources hold and write a dataset version if content changed."""
    report = RunReport()
    book = rulebook_for(config)

    def counted(caps: Iterable[Capture]) -> Iterator[Capture]:
        for cap in caps:
            yield cap
            if progress:
                progress(1)

    docs = filter_documents(
        clean_captures(counted(read_captures(config)), book, report), config, report
    )
    report.outcome = write_version(
        (d.row() for d in docs),
        config.path(config.dataset.dir),
        name=config.dataset.name,
        license=config.dataset.license,
        rows_per_shard=config.dataset.rows_per_shard,
        config_sha256=config.digest(),
        rules_sha256=book.digests(),
        code_version=code_version(),
        force_version=force_version,
        run=lambda: {
            "inputs": report.seen,
            "documents": report.documents,
            "dropped": dict(sorted(report.dropped.items())),
            "failed": [{"id": s.id, "reason": s.reason} for s in report.skipped],
        },
    )
    return report
