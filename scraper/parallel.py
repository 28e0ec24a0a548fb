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

import asyncio
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from itertools import islice

from pebble import ProcessExpired, ProcessPool

from .cleaning import clean_lines, rulebook_for
from .config import Config
from .discover.relevance import RelevanceModel
from .errors import ClusterError, InputError, NoTextError, UsageError
from .filters import FilterStage, build_stage
from .models import Capture, Dropped, Packed, SkippedInput

__all__ = ["check_scheduler", "clean_in_pool", "clean_on_dask", "default_workers"]

_IN_FLIGHT_PER_WORKER = 4
_PER_DASK_TASK = 24  # captures per Dask task: the scheduler shares the cores
_DASK_TASKS_PER_THREAD = 2
_DASK_GRACE = 5.0  # seconds
_PER_POOL_TASK = 4  # captures per pool task
_SINGLE_TRIES = 2  # a capture alone in its task is given up after this many time-outs
_config: Config | None = None
_model: RelevanceModel | None = None
_stages: dict[tuple[int, int], FilterStage] = {}
Result = Packed | Dropped | SkippedInput


_SCHEMES = ("tcp", "tls", "ws", "wss")


def check_scheduler(scheduler: str) -> str:
    """`local`, or a scheduler address a user would type: [scheme://]HOST:PORT, the host a
    name, an IPv4 or a bracketed IPv6 address; else a UsageError. For the command line:
    the library takes any address Dask knows (an in-process cluster's inproc://)."""
    scheme, sep, rest = scheduler.partition("://")
    host, colon, port = (rest if sep else scheduler).rpartition(":")
    if scheduler == "local" or (
        (not sep or scheme in _SCHEMES)
        and colon
        and host
        and port.isdigit()
        and int(port) < 65536
        and not any(c.isspace() or c == "/" for c in host)
        and (host.startswith("[") == host.endswith("]"))
    ):
        return scheduler
    raise UsageError(f"{scheduler!r}: give 'local' or a scheduler address, tcp://HOST:PORT")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _init(config: Config, model: RelevanceModel | None) -> None:
    global _config, _model
    _config, _model = config, model
    rulebook_for(config)  # load and compile the rules once per worker


def _stage(config: Config, model: RelevanceModel | None) -> FilterStage:
    """The filter stage for this config and model, built once per process."""
    key = (id(config), id(model))
    if key not in _stages:
        _stages.clear()
        _stages[key] = build_stage(config, model)
    return _stages[key]


def _clean_one(
    cap: Capture,
    config: Config | None = None,
    model: RelevanceModel | None = None,
    judge: bool = True,
) -> Result:
    """Clean one capture, annotate it and (if `judge`) run the filter stage's decisions."""
    config, model = (config, model) if config else (_config, _model)
    assert config is not None
    try:
        doc = clean_lines(
            rulebook_for(config),
            cap.content,
            url=cap.url,
            captured=cap.capture_time,
            doc_id=cap.id,
            source=cap.source,
            content_type=cap.header("content-type"),
        )[0]
    except NoTextError as e:
        return Dropped(cap.id, f"no text: {e}")
    except InputError as e:
        return SkippedInput(cap.id, str(e))
    stage = _stage(config, model)
    doc = stage.annotate(doc.replace(truncated=cap.cut is not None), cap)
    if judge and (reason := stage.judge(doc, cap)):
        return Dropped(cap.id, reason)
    return Packed.pack(doc)


def _outcome(cap: Capture, future, timeout: float) -> Result:
    """The result of a pool task that cleaned `cap` alone, or why it failed."""
    try:
        return future.result()[0]
    except FutureTimeout:
        return SkippedInput(
            cap.id, f"cleaning took over {timeout:g} s (clean.timeout); worker replaced"
        )
    except ProcessExpired as e:
        return SkippedInput(cap.id, f"the worker died while cleaning it (exit code {e.exitcode})")
    except Exception as e:  # anything else the document triggered: the run goes on
        return SkippedInput(cap.id, f"cleaning failed: {type(e).__name__}: {e}")


def clean_in_pool(
    captures: Iterable[Capture],
    config: Config,
    *,
    workers: int | None = None,
    model: RelevanceModel | None = None,
    judge: bool = True,
) -> Iterator[Result]:
    """Clean every capture in worker processes; yield each document (packed), or why it
    was dropped (a filter) or skipped (it could not be cleaned). `judge=False`: annotate
    only, drop nothing (the exemplars).

    Captures go out a few per task (the pool's per-task cost is paid by the main process,
    which every worker waits on). A task that times out or loses its worker is run again
    one capture per task, so only the capture that caused it fails.
    """
    workers = workers or config.clean.workers or default_workers()
    timeout = config.clean.timeout
    with ProcessPool(max_workers=workers, initializer=_init, initargs=(config, model)) as pool:

        def schedule(group: list[Capture]):
            task = pool.schedule(
                _clean_many, args=(group,), kwargs={"judge": judge}, timeout=timeout * len(group)
            )
            return group, task

        def settle(group: list[Capture], future) -> Iterator[Result]:
            if len(group) == 1:
                yield _outcome(group[0], future, timeout)
                return
            try:
                yield from future.result()
            except Exception:  # one of them hung, killed its worker or raised: one by one
                for single in [schedule([cap]) for cap in group]:
                    yield from settle(*single)

        pending: deque[tuple[list[Capture], object]] = deque()
        captures = iter(captures)
        try:
            while group := list(islice(captures, _PER_POOL_TASK)):
                pending.append(schedule(group))
                if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                    yield from settle(*pending.popleft())
            while pending:
                yield from settle(*pending.popleft())
        except BaseException:  # Ctrl-C or a failure downstream: stop the workers now
            pool.stop()
            raise


def clean_on_dask(
    captures: Iterable[Capture],
    config: Config,
    *,
    scheduler: str,
    workers: int | None = None,
    model: RelevanceModel | None = None,
) -> Iterator[Result]:
    """The same cleaning on a Dask cluster: `local` starts a LocalCluster, else an address.

    Each task cleans a few captures (`pure=False`: identical
    inputs stay separate tasks); a few tasks per worker thread are in flight, and a new one
    is submitted as each finishes, so workers never wait for the slowest of a round. A task
    still unfinished `clean.timeout` × (captures in flight per thread) + a few seconds
    after it was submitted has its worker restarted (a thread cannot be stopped) and its captures
    retried one by one; a capture alone that times out twice is recorded as failed.
    """
    try:
        from distributed import Client, LocalCluster
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
    try:
        try:
            client = Client(scheduler)
        except ValueError as e:  # not an address (the CLI checks with check_scheduler first)
            raise UsageError(f"Dask scheduler {scheduler!r} (--scheduler): {e}") from None
        except OSError as e:  # no scheduler there: distributed times out after 30 s
            raise ClusterError(f"Dask scheduler {scheduler} (--scheduler): {e}") from None
        with client:
            yield from _stream_tasks(client, captures, config, model)
    finally:
        if cluster is not None:
            cluster.close()


def _clean_many(
    caps: list[Capture],
    config: Config | None = None,
    model: RelevanceModel | None = None,
    judge: bool = True,
) -> list[Result]:
    """One task's captures; without a config, the pool worker's (set by `_init`)."""
    return [_clean_one(cap, config, model, judge) for cap in caps]


def _stream_tasks(client, captures: Iterable[Capture], config: Config, model):
    from distributed import wait
    from distributed.client import FuturesCancelledError

    in_flight = max(1, sum(client.nthreads().values())) * _DASK_TASKS_PER_THREAD
    pending: dict[object, tuple[list[Capture], float, int]] = {}

    def submit(group: list[Capture], tries: int = 0) -> None:
        future = client.submit(_clean_many, group, config=config, model=model, pure=False)
        # the tasks queued before it on the same thread, and a restarted worker's start-up
        deadline = config.clean.timeout * len(group) * _DASK_TASKS_PER_THREAD + _DASK_GRACE
        pending[future] = (group, time.monotonic() + deadline, tries)

    def settle() -> Iterator[Result]:
        wait_s = max(0.0, min(t for _, t, _ in pending.values()) - time.monotonic())
        try:
            wait(list(pending), timeout=wait_s, return_when="FIRST_COMPLETED")
        except (TimeoutError, asyncio.TimeoutError, FuturesCancelledError):
            pass  # (the timeouts are distinct classes before Python 3.11)
        for future, (group, _, tries) in list(pending.items()):
            if future.status == "finished":
                try:  # its worker may be gone, and the result being recomputed
                    results = future.result(timeout=1)
                except (TimeoutError, asyncio.TimeoutError):
                    continue
                yield from results
            elif future.status == "error":
                e = future.exception()
                yield from (
                    SkippedInput(c.id, f"cleaning failed: {type(e).__name__}: {e}") for c in group
                )
            elif future.status == "cancelled":  # lost with a replaced worker: again
                submit(group, tries)
            else:
                continue
            del pending[future]
        now = time.monotonic()
        for future, (group, deadline, tries) in list(pending.items()):
            if future.status != "pending" or now < deadline:
                continue
            del pending[future]
            _replace_worker_running(client, future)
            if len(group) > 1:  # retry one by one: only the capture that hangs fails
                for cap in group:
                    submit([cap])
            elif tries < _SINGLE_TRIES - 1:  # it may have waited behind one that hangs
                submit(group, tries + 1)
            else:
                reason = f"cleaning took over {config.clean.timeout:g} s (clean.timeout)"
                yield SkippedInput(group[0].id, reason + "; worker replaced")

    captures = iter(captures)
    while group := list(islice(captures, _PER_DASK_TASK)):
        submit(group)
        while len(pending) >= in_flight:
            yield from settle()
    while pending:
        yield from settle()


def _replace_worker_running(client, future) -> None:
    """A thread cannot be stopped: restart (through its nanny) the worker running the task."""
    holders = [w for w, keys in client.processing().items() if future.key in keys]
    future.cancel()
    if holders:
        try:
            client.restart_workers(holders)
        except Exception:  # no nanny (e.g. a threads-only cluster): the thread stays busy
            pass
