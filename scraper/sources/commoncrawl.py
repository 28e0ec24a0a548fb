"""Common Crawl: the URL index (one JSON object per line, page by page), then one Range
request per record."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..config import CommonCrawlSource
from ..errors import PermanentFetchError
from ..fetch.client import Fetcher, Response
from ..fetch.limits import decoded_size_within
from ..models import Listing
from .base import Fetched, Source
from .cdx import Listings, Paging, ask_index, query_index, read_answer, refine

__all__ = ["CommonCrawl", "fetch_record", "list_commoncrawl"]


def _num_pages(text: str) -> int | None:
    """The page count of a `showNumPages` answer; None from a server that does not page
    (it answered with the rows themselves)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    pages = data.get("pages") if isinstance(data, dict) else None
    return pages if isinstance(pages, int) and not isinstance(pages, bool) else None


async def _rows(endpoint: str, url: str, match: str, fetcher: Fetcher) -> Paging:
    """Every page of the index answer for one url (the CC index server pages by number:
    ask how many with `showNumPages`, then each `page`)."""
    # no server-side limit: it would cut rows before duplicates are collapsed here
    params: dict[str, object] = {"url": url, "matchType": match, "output": "json"}
    paging = Paging(f"{endpoint} ({url})")
    answer = await query_index(fetcher, endpoint, {**params, "showNumPages": "true"})
    pages = _num_pages(answer)
    if pages is None:
        paging.take(read_answer(answer, endpoint)[0])
        return paging
    for page in range(pages):
        rows, _ = await ask_index(fetcher, endpoint, {**params, "page": page})
        if not paging.take(rows):
            break
    return paging


async def list_commoncrawl(src: CommonCrawlSource, fetcher: Fetcher) -> Listings:
    """Every capture the crawls' indexes list for the source's urls, deduplicated and
    limited; `.warnings` says where a listing was cut short."""
    out = Listings()
    base = src.data.rstrip("/")
    for crawl in src.crawls:
        endpoint = f"{src.index.rstrip('/')}/{crawl}-index"
        for url in src.urls:
            paging = await _rows(endpoint, url, src.match, fetcher)
            out.warnings += paging.warnings
            rows = refine(paging.rows, filters=src.filter, collapse="digest", limit=src.limit)
            out.read(rows, lambda row: _listing(base, row), paging.query)
    return out


def _listing(data: str, row: dict[str, Any]) -> Listing:
    """The listing of one index row; the record is at offset/length of `data`/filename."""
    offset, length = int(row["offset"]), int(row["length"])
    if offset < 0 or length < 1:
        raise ValueError(f"offset {offset}, length {length}: not a byte range")
    return Listing(
        source="commoncrawl",
        url=str(row["url"]),
        timestamp=str(row["timestamp"]),
        fetch=f"{data}/{row['filename']}",
        offset=offset,
        length=length,
        digest=row.get("digest"),
        mime=row.get("mime"),
        status=str(row.get("status") or "") or None,
    )


def _payload(record: ArcWarcRecord, limit: int, url: str, offset: int) -> bytes:
    """The record's HTTP body, refused past `limit` bytes as stored (a few kB of gzipped
    WARC in the range can inflate to gigabytes) or once its Content-Encoding is undone."""
    payload = record.raw_stream.read(limit + 1)
    encoding = record.http_headers.get_header("Content-Encoding")
    if len(payload) > limit or not decoded_size_within(payload, encoding, limit):
        raise PermanentFetchError(
            f"{url}@{offset}: record body over fetch.max_bytes ({limit} bytes), "
            "as stored or decoded",
            url=url,
        )
    return payload


async def fetch_record(listing: Listing, fetcher: Fetcher) -> tuple[Response, datetime]:
    """The HTTP response inside the WARC record at offset/length of the crawl's data file."""
    assert listing.offset is not None and listing.length is not None
    first, last = listing.offset, listing.offset + listing.length - 1
    r = await fetcher.get(listing.fetch, headers={"Range": f"bytes={first}-{last}"})
    if r.status == 200:  # a server that ignores Range: cut the record out ourselves
        body = r.body[first : last + 1]
    elif r.status == 206:
        body = r.body
    else:
        raise PermanentFetchError(
            f"{listing.fetch}: range request answered HTTP {r.status}", url=listing.fetch
        )
    where = f"{listing.fetch}@{first}"
    try:
        for record in ArchiveIterator(io.BytesIO(body)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = _status_code(record, where)
            when = _warc_date(record, where)
            reason = record.http_headers.statusline.partition(" ")[2]
            payload = _payload(record, fetcher.cfg.max_bytes, listing.fetch, first)
            headers = [
                (k, v) for k, v in record.http_headers.headers if k.lower() != "transfer-encoding"
            ]
            return Response(listing.url, status, reason, headers, payload, r.attempts), when
    except ArchiveLoadFailed as e:
        raise PermanentFetchError(f"{where}: not a WARC record ({e})", url=listing.fetch) from None
    raise PermanentFetchError(f"{where}: no response record in range", url=listing.fetch)


def _status_code(record: ArcWarcRecord, where: str) -> int:
    """The record's HTTP status; a status line without a number (`abc OK`) fails the capture."""
    code = (record.http_headers.get_statuscode() or "").strip()
    if not (code.isascii() and code.isdigit() and len(code) == 3):
        line = record.http_headers.statusline
        raise PermanentFetchError(f"{where}: HTTP status line {line!r} has no status code")
    return int(code)


def _warc_date(record: ArcWarcRecord, where: str) -> datetime:
    """The record's WARC-Date (UTC when it names no zone); now when it has none; a value that
    is not a date (`yesterday`) fails the capture: its capture time would be made up."""
    value = record.rec_headers.get_header("WARC-Date")
    if not value:
        return datetime.now(timezone.utc)
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PermanentFetchError(f"{where}: WARC-Date {value!r} is not a date") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class CommonCrawl(Source):
    """Common Crawl: the URL index, then one range request per WARC record."""

    kind = "commoncrawl"
    name = "commoncrawl"

    async def listings(self, fetcher: Fetcher) -> list[Listing]:
        return await list_commoncrawl(self.settings, fetcher)

    @classmethod
    async def fetch(cls, listing: Listing, fetcher: Fetcher) -> Fetched:
        r, when = await fetch_record(listing, fetcher)
        return Fetched(r, listing.url, when)
