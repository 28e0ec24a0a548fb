"""Common Crawl: the URL index (one JSON object per line, page by page), then one Range
request per record."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

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
            for row in refine(paging.rows, filters=src.filter, collapse="digest", limit=src.limit):
                out.append(
                    Listing(
                        source="commoncrawl",
                        url=row["url"],
                        timestamp=row["timestamp"],
                        fetch=f"{base}/{row['filename']}",
                        offset=int(row["offset"]),
                        length=int(row["length"]),
                        digest=row.get("digest"),
                        mime=row.get("mime"),
                        status=str(row.get("status") or "") or None,
                    )
                )
    return out


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
    try:
        for record in ArchiveIterator(io.BytesIO(body)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = int(record.http_headers.get_statuscode() or 0)
            reason = record.http_headers.statusline.partition(" ")[2]
            payload = _payload(record, fetcher.cfg.max_bytes, listing.fetch, first)
            date = record.rec_headers.get_header("WARC-Date") or ""
            when = (
                datetime.fromisoformat(date.replace("Z", "+00:00"))
                if date
                else datetime.now(timezone.utc)
            )
            headers = [
                (k, v) for k, v in record.http_headers.headers if k.lower() != "transfer-encoding"
            ]
            return Response(listing.url, status, reason, headers, payload, r.attempts), when
    except ArchiveLoadFailed as e:
        raise PermanentFetchError(
            f"{listing.fetch}@{first}: not a WARC record ({e})", url=listing.fetch
        ) from None
    raise PermanentFetchError(
        f"{listing.fetch}@{first}: no response record in range", url=listing.fetch
    )


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
