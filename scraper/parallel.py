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

from .clean import clean_lines, rulebook_for
from .config import Config
from .errors import InputError
from .models import Capture, Document, SkippedInput

__all__ = ["clean_in_pool", "clean_on_dask", "default_workers"]

_IN_FLIGHT_PER_WORKER = 4
_PER_DASK_TASK = 8  # captures per Dask task: its per-task overhead is ~1 ms
_config: Config | None = None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _init(config: Config) -> None:
    global _config
    _config = config
    rulebook_for(config)  # load and compile the rules once per worker


def _clean_one(cap: Capture, config: Config | None = None) -> Document | SkippedInput:
    config = config or _config
    assert config is not None
    try:
        return clean_lines(
            rulebook_for(config),
            cap.content,
            url=cap.url,
            captured=cap.capture_time,
            doc_id=cap.id,
            source=cap.source,
        )[0]
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


def clean_on_dask(
    captures: Iterable[Capture], config: Config, *, scheduler: str, workers: int | None = None
) -> Iterator[Document | SkippedInput]:
    """The same cleaning on a Dask cluster: `local` starts a LocalCluster, else an address.

    The config is scattered once; work goes out in rounds of a few tasks per worker thread,
    each task cleaning a few captures (`pure=False`: identical inputs stay separate tasks).
    A task still running after the time limit has its captures recorded as failed and is
    cancelled; a thread already running it finishes on its own.
    """
    try:
        from distributed import Client, LocalCluster, wait
    except ImportError:
        raise ImportError("the Dask scheduler needs: pip install 'scraper[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or config.clean.workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        scheduler = cluster.scheduler_address
    timeout = config.clean.timeout
    try:
        with Client(scheduler) as client:
            [config_ref] = client.scatter([config], broadcast=True)  # sent once, not per task
            slots = max(1, sum(client.nthreads().values())) * _IN_FLIGHT_PER_WORKER * _PER_DASK_TASK
            batch: list[Capture] = []
            for cap in captures:
                batch.append(cap)
                if len(batch) >= slots:
                    yield from _dask_batch(client, wait, batch, config_ref, timeout)
                    batch = []
            if batch:
                yield from _dask_batch(client, wait, batch, config_ref, timeout)
    finally:
        if cluster is not None:
            cluster.close()


def _clean_many(caps: list[Capture], config: Config) -> list[Document | SkippedInput]:
    return [_clean_one(cap, config) for cap in caps]


def _dask_batch(client, wait, batch: list[Capture], config, timeout: float):
    """One round of tasks; each task cleans a few captures, to keep scheduler overhead low."""
    groups = [batch[i : i + _PER_DASK_TASK] for i in range(0, len(batch), _PER_DASK_TASK)]
    futures = client.map(_clean_many, groups, config=config, pure=False)
    wait(futures, timeout=timeout * len(batch))
    for group, future in zip(groups, futures, strict=True):
        if future.status == "finished":
            yield from future.result()
            continue
        if future.status == "error":
            e = future.exception()
            reason = f"cleaning failed: {type(e).__name__}: {e}"
        else:
            future.cancel()
            reason = f"cleaning took over {timeout:g} s (clean.timeout)"
        yield from (SkippedInput(cap.id, reason) for cap in group)
