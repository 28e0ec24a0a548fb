"""`scrape collect`: list captures from the configured sources, fetch the new ones, keep them.

Order of work, so that `kill -9` (or a full disk) at any moment loses nothing and fetches
nothing twice: recover the store (mark what files a killed run left open hold as fetched,
then close them), list every source into the run state (sqlite), then fetch only captures
still `listed`, each written to the WARC store and fsynced before it is marked `fetched`.
A run that fails leaves its file open for the next run's recovery. One run at a time per
work_dir: `collect` holds its lock (`scraper.locks`).

What an archive hands over is data, and some of it is bad: one capture that cannot be
fetched or read (a malformed url, timestamp, status line or date) is marked `failed` with
its reason and the run goes on; a source whose listing fails (an unreachable index, an
answer that is not CDX) is named in `errors` and the other sources go on. Only what stops
every capture alike (a full disk, the run state) stops the run.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Config
from .errors import FetchError, PermanentFetchError, ScraperError, Skip
from .fetch import Fetcher, State, WarcStore
from .filters.url_terms import PREFILTERED, ruled_out
from .locks import OnWait, folder_lock
from .models import Listing
from .sources import Fetched, for_listing, sources_of
from .syntax import check_url

__all__ = ["CollectReport", "collect"]

Event = Callable[[str, str], None]  # (source, "listed" | "fetched" | "failed" | "skipped")


@dataclass
class CollectReport:
    listed: Counter[str] = field(default_factory=Counter)  # per source, listed this run
    fetched: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    recovered: int = 0
    prefiltered: int = 0  # listed, never to be fetched: no salient term in the url
    pending: list[Listing] = field(default_factory=list)  # with --dry-run: what would be fetched
    reasons: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)  # listings cut short (index paging)
    errors: list[str] = field(default_factory=list)  # sources whose listing failed, by key


def _why(e: Exception) -> str:
    """An error as one line: ours say what they are about; any other names its type."""
    return str(e) if isinstance(e, ScraperError) else f"{type(e).__name__}: {e}"


async def _list(
    config: Config, fetcher: Fetcher, report: CollectReport
) -> tuple[list[Listing], list[str]]:
    """Every listed capture and the keys the url prefilter rules out; warnings (a listing
    cut short) and errors (a source whose listing failed: the others are still listed)
    go to the report."""
    out: list[Listing] = []
    out_keys: list[str] = []
    for source in sources_of(config):
        try:
            found = await source.listings(fetcher)
        except Exception as e:  # any failure of this source's listing is its own
            report.errors.append(f"{source.key}: {_why(e)}")
            continue
        out_keys += ruled_out(found, source.url_terms)
        report.warnings += getattr(found, "warnings", [])
        out += found
    return out, out_keys


async def _fetch(listing: Listing, fetcher: Fetcher) -> Fetched:
    """The capture a listing names, through the class of the source that listed it. Any
    failure is this capture's alone, so it comes out as a FetchError (or Skip): the capture
    is marked failed with the reason, not left listed to stop every rerun the same way."""
    try:
        check_url(listing.url)
        return await for_listing(listing.source).fetch(listing, fetcher)
    except ScraperError:
        raise
    except Exception as e:
        raise PermanentFetchError(f"{listing.url}: {_why(e)}", url=listing.url) from e


async def _run(
    config: Config, *, dry_run: bool, limit: int | None, retry_failed: bool, on: Event | None
) -> CollectReport:
    report = CollectReport()
    state, store = State(config.state_file), WarcStore(config.store_dir)

    def adopt(found: dict[str, str]) -> None:
        report.recovered += state.adopt(found)

    try:
        store.recover(adopt)
        async with Fetcher(config.fetch) as fetcher:
            listed, prefiltered = await _list(config, fetcher, report)
            state.add(listed)
            report.prefiltered = state.skip_listed(prefiltered, PREFILTERED)
            for x in listed:
                report.listed[x.source] += 1
                if on:
                    on(x.source, "listed")
            if retry_failed:
                state.retry_failed()
            pending = list(state.pending(limit=limit))
            if dry_run:
                report.pending = pending
                return report
            writing = asyncio.Lock()
            queue: asyncio.Queue[Listing] = asyncio.Queue()
            for x in pending:
                queue.put_nowait(x)

            async def worker() -> None:
                while not queue.empty():
                    x = queue.get_nowait()
                    try:
                        got = await _fetch(x, fetcher)
                        r, url, when = got.response, got.url, got.captured
                        meta = {
                            **got.notes,
                            "fetched_url": r.url,
                            "attempts": r.attempts,
                            "status": r.status,
                        }
                        stored = f"{url}|{when.isoformat()}"
                        # one writer at a time; gzip and fsync run off the event loop, and the
                        # duplicate check, write and mark happen together
                        async with writing:
                            if (twin := state.stored_as(stored)) is not None:
                                raise Skip("same capture as another listing", twin)
                            name = await asyncio.to_thread(store.write, x, r, when, meta, url=url)
                            state.mark(
                                x.key, "fetched", attempts=r.attempts, warc=name, stored=stored
                            )
                        outcome = "fetched"
                    except Skip as e:
                        state.mark(x.key, "skipped", reason=str(e))
                        report.reasons[e.reason] += 1
                        outcome = "skipped"
                    except FetchError as e:
                        state.mark(x.key, "failed", reason=str(e), attempts=e.attempts)
                        report.reasons[_short(str(e))] += 1
                        outcome = "failed"
                    getattr(report, outcome)[x.source] += 1
                    if on:
                        on(x.source, outcome)

            await asyncio.gather(*(worker() for _ in range(config.fetch.concurrency)))
    except BaseException:
        store.abandon()  # its last capture may not be in the state: the next recovery adopts it
        raise
    finally:
        store.close()
        state.close()
    return report


def _short(message: str) -> str:
    return message.split(": ", 1)[1] if message.startswith("http") and ": " in message else message


def collect(
    config: Config,
    *,
    dry_run: bool = False,
    limit: int | None = None,
    retry_failed: bool = False,
    on: Event | None = None,
    wait: bool = True,
    on_wait: OnWait | None = None,
) -> CollectReport:
    """List and fetch every configured source; see the module docstring for the order.

    Holds work_dir's lock: a second run waits (or with `wait=False` raises LockedError)
    rather than recover files the first is still writing.
    """
    with folder_lock(config.path(config.work_dir), "collect", wait=wait, on_wait=on_wait):
        run = _run(config, dry_run=dry_run, limit=limit, retry_failed=retry_failed, on=on)
        return asyncio.run(run)
