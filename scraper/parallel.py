"""Cleaning in a pool of worker processes, each document under a time limit.

lxml and trafilatura can hang or blow up on hostile pages, and a user's regex can
backtrack for ever: a document that runs past `clean.timeout` costs itself, not the run.
pebble kills the worker that holds it and starts a fresh one; the document is recorded
as failed with the reason. At most a few documents per worker are in flight, so memory
stays flat however many captures there are. Results come back in input order, and nothing
downstream depends on order anyway (shards are sorted by id): output is identical for
any number of workers.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from .clean import clean_with, rulebook_for
from .config import Config
from .errors import InputError
from .models import Capture, Document, SkippedInput

__all__ = ["clean_in_pool", "default_workers"]

_IN_FLIGHT_PER_WORKER = 4
_config: Config | None = None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _init(config: Config) -> None:
    global _config
    _config = config
    rulebook_for(config)  # load and compile the rules once per worker


def _clean_one(cap: Capture) -> Document | SkippedInput:
    assert _config is not None
    try:
        return clean_with(
            rulebook_for(_config),
            cap.content,
            url=cap.url,
            captured=cap.capture_time,
            doc_id=cap.id,
            source=cap.source,
        )
    except InputError as e:
        return SkippedInput(cap.id, str(e))


def _outcome(cap: Capture, future, timeout: float) -> Document | SkippedInput:
    try:
        return future.result()
    except FutureTimeout:
        return SkippedInput(
            cap.id, f"cleaning took over {timeout:g} s (clean.timeout); worker replaced"
        )
    except ProcessExpired as e:
        return SkippedInput(cap.id, f"the worker died while cleaning it (exit code {e.exitcode})")
    except Exception as e:  # anything else the document triggered: the run goes on
        return SkippedInput(cap.id, f"cleaning failed: {type(e).__name__}: {e}")


def clean_in_pool(
    captures: Iterable[Capture], config: Config, *, workers: int | None = None
) -> Iterator[Document | SkippedInput]:
    """Clean every capture in worker processes; yield each Document or why it was skipped."""
    workers = workers or config.clean.workers or default_workers()
    timeout = config.clean.timeout
    with ProcessPool(max_workers=workers, initializer=_init, initargs=(config,)) as pool:
        pending: deque[tuple[Capture, object]] = deque()
        try:
            for cap in captures:
                pending.append((cap, pool.schedule(_clean_one, args=(cap,), timeout=timeout)))
                if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                    yield _outcome(*pending.popleft(), timeout)
            while pending:
                yield _outcome(*pending.popleft(), timeout)
        except BaseException:  # Ctrl-C or a failure downstream: stop the workers now
            pool.stop()
            raise
