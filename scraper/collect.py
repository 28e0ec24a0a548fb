"""`scrape collect`: list captures from the configured sources, fetch the new ones, keep them.

Order of work, so that `kill -9` (or a full disk) at any moment loses nothing and fetches
nothing twice: recover the store (mark what files a killed run left open hold as fetched,
then close them), list every source into the run state (sqlite), then fetch only captures
still `listed`, each written to the WARC store and fsynced before it is marked `fetched`.
A run that fails leaves its file open for the next run's recovery. One run at a time per
work_dir: `collect` holds its lock (`scraper.locks`).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .config import CommonCrawlSource, Config, UrlsSource, WaybackSource
from .discover.terms import url_has_terms
from .errors import FetchError
from .fetch import Fetcher, State, WarcStore
from .fetch.client import Response
from .locks import OnWait, folder_lock
from .models import Listing
from .sources.commoncrawl import fetch_record, list_commoncrawl
from .sources.live import list_urls
from .sources.wayback import Skip, fetch_capture, list_wayback

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


PREFILTERED = "url prefilter: no salient term in the url (url_terms)"


async def _list(config: Config, fetcher: Fetcher) -> tuple[list[Listing], list[str]]:
    """Every listed capture, and the keys of those the url prefilter rules out."""
    out: list[Listing] = []
    ruled_out: list[str] = []
    for i, entry in enumerate(config.sources):
        s = entry.settings
        if isinstance(s, WaybackSource):
            found = await list_wayback(s, fetcher)
            if s.url_terms:
                ruled_out += [x.key for x in found if not url_has_terms(x.url, s.url_terms)]
            out += found
        elif isinstance(s, CommonCrawlSource):
            out += await list_commoncrawl(s, fetcher)
        elif isinstance(s, UrlsSource):
            out += list_urls(s, base=config.base_dir, key=f"sources[{i}].urls")
    return out, ruled_out


async def _fetch(listing: Listing, fetcher: Fetcher) -> tuple[Response, str, datetime, dict]:
    """The response, the url it was finally found at, its capture time, and fetch notes."""
    if listing.source == "wayback":
        r, url, when, hops = await fetch_capture(listing, fetcher)
        return r, url, when, {"redirect_hops": hops}
    if listing.source == "commoncrawl":
        r, when = await fetch_record(listing, fetcher)
        return r, listing.url, when, {}
    r = await fetcher.get_live(listing.url)
    if r.status >= 400:
        raise Skip(f"live url answered HTTP {r.status}")
    return r, r.url, datetime.now(timezone.utc), {}


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
            listed, ruled_out = await _list(config, fetcher)
            state.add(listed)
            report.prefiltered = state.skip_listed(ruled_out, PREFILTERED)
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
                        r, url, when, meta = await _fetch(x, fetcher)
                        meta.update(fetched_url=r.url, attempts=r.attempts, status=r.status)
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
