"""Wayback Machine (and pywb): list captures with the CDX API, fetch them raw with `id_`."""

from __future__ import annotations

from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from ..config import WaybackSource
from ..errors import PermanentFetchError, Skip
from ..fetch.client import Fetcher, Response
from ..models import Listing
from ..syntax import joined_url
from .base import Fetched, Source
from .cdx import Listings, Paging, ask_index, refine

__all__ = ["Wayback", "fetch_capture", "list_wayback", "replay_url"]

PAGE_SIZE = 5000
MAX_HOPS = 5
_STAMP_REST = "00000101000000"  # what a short timestamp leaves out: Jan 1st, midnight


def _stamp(d: date | None, end: bool = False) -> str | None:
    if d is None:
        return None
    return d.strftime("%Y%m%d") + ("235959" if end else "000000")


def replay_url(replay: str, timestamp: str, url: str) -> str:
    return f"{replay.rstrip('/')}/{timestamp}id_/{url}"


def _query(src: WaybackSource, url: str) -> dict[str, object]:
    params: dict[str, object] = {"url": url, "matchType": src.match, "output": "json"}
    params.update(
        {k: v for k, v in (("from", _stamp(src.from_)), ("to", _stamp(src.to, True))) if v}
    )
    if src.filter:
        params["filter"] = src.filter
    if src.collapse:
        params["collapse"] = src.collapse
    # The user's limit is applied here, after collapsing: a server that limits but does
    # not collapse (pywb) would otherwise cut the rows before duplicates are merged.
    params.update(limit=PAGE_SIZE, showResumeKey="true")
    return params


async def _rows(src: WaybackSource, url: str, fetcher: Fetcher) -> Paging:
    """Every page of the CDX answer for one url, and warnings where it was cut short."""
    params = _query(src, url)
    paging = Paging(f"{src.cdx} ({url})")
    while True:
        page, resume = await ask_index(fetcher, src.cdx, params)
        if not page or not paging.take(page):
            return paging
        if not paging.follow(resume):
            break
        params["resumeKey"] = resume
    if len(page) == PAGE_SIZE and not resume:  # pywb: at most `limit` rows, no resume key
        paging.warnings.append(
            f"{paging.query}: the index stopped at {PAGE_SIZE} rows, the most asked for, "
            "with no resume key to go on; captures past them, if any, are not listed (narrow "
            "the query: from/to, urls)"
        )
    return paging


async def list_wayback(src: WaybackSource, fetcher: Fetcher) -> Listings:
    """Every capture the CDX server lists for the source's urls, deduplicated and limited;
    `.warnings` says where a listing was cut short."""
    out = Listings()
    for url in src.urls:
        paging = await _rows(src, url, fetcher)
        out.warnings += paging.warnings
        rows = refine(paging.rows, filters=src.filter, collapse=src.collapse, limit=src.limit)
        out.read(rows, lambda row: _listing(src, row), paging.query)
    return out


def _listing(src: WaybackSource, row: dict[str, Any]) -> Listing:
    url, timestamp = str(row["url"]), str(row["timestamp"])
    return Listing(
        source="wayback",
        url=url,
        timestamp=timestamp,
        fetch=replay_url(src.replay, timestamp, url),
        digest=row.get("digest"),
        mime=row.get("mime"),
        status=str(row.get("status") or "") or None,
    )


def capture_time(listing: Listing) -> datetime:
    """The capture time a CDX timestamp names (4 to 14 digits, the rest read as the start of
    that year, month...); a malformed one (`2020XX01`, month 13) fails this capture alone,
    before anything is asked for."""
    stamp = listing.timestamp or ""
    try:
        if not (stamp.isascii() and stamp.isdigit() and 4 <= len(stamp) <= 14):
            raise ValueError("not 4 to 14 digits")
        full = stamp + _STAMP_REST[len(stamp) :]
        return datetime.strptime(full, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError as e:
        raise PermanentFetchError(
            f"{listing.url}: CDX timestamp {stamp!r} is not a capture time ({e})", url=listing.url
        ) from None


def _memento_time(r: Response, listed: datetime) -> datetime:
    value = r.header("memento-datetime")
    if value:
        try:
            return parsedate_to_datetime(value).astimezone(timezone.utc)
        except (TypeError, ValueError):
            pass
    return listed


async def fetch_capture(listing: Listing, fetcher: Fetcher) -> tuple[Response, str, datetime, int]:
    """The capture's raw response, its final url and capture time, and the redirect hops.

    A captured redirect points at the live web: it is never followed there, but resolved
    through the archive (its capture closest in time), at most MAX_HOPS times.
    """
    listed = capture_time(listing)
    replay = listing.fetch.rsplit(f"/{listing.timestamp}id_/", 1)[0]
    url, target = listing.fetch, listing.url
    for hops in range(MAX_HOPS + 1):
        r = await fetcher.get(url)
        location = r.header("location")
        if 300 <= r.status < 400 and location:
            nxt = joined_url(url, location)
            if nxt.startswith(replay + "/"):  # the archive sends us to its closest capture
                url = nxt
            else:  # the page itself was a redirect: find its target in the archive
                target = nxt
                url = replay_url(replay, listing.timestamp, nxt)
            continue
        if r.status >= 400:
            if r.header("memento-datetime"):
                raise Skip(f"captured HTTP {r.status}")
            raise Skip("not archived" if r.status == 404 else f"archive answered HTTP {r.status}")
        return r, target, _memento_time(r, listed), hops
    raise PermanentFetchError(
        f"{listing.url}: more than {MAX_HOPS} redirects in the archive", url=listing.url
    )


class Wayback(Source):
    """The Wayback Machine or any pywb: CDX listing, raw `id_` replay."""

    kind = "wayback"
    name = "wayback"

    async def listings(self, fetcher: Fetcher) -> list[Listing]:
        return await list_wayback(self.settings, fetcher)

    @property
    def url_terms(self) -> list[str]:
        return self.settings.url_terms

    @classmethod
    async def fetch(cls, listing: Listing, fetcher: Fetcher) -> Fetched:
        r, url, when, hops = await fetch_capture(listing, fetcher)
        return Fetched(r, url, when, {"redirect_hops": hops})
