"""The raw store: every fetched capture as WARC records, in rotating files under work_dir.

Each capture is a `response` record (WARC-Target-URI = original url, WARC-Date = capture
time, the HTTP status, headers and body as the archive sent them) followed by a `metadata`
record (source, the index row, fetch details). Both records of a capture are appended in
one write to a file named `*.warc.gz.open`, flushed and fsynced, and the file is renamed
to `*.warc.gz` when it is full or the run ends. On start, an `.open` file left by a killed
run is cut back to its last whole capture (a response without its metadata record is a
torn tail too) and closed, and the keys it holds are reported, so the run state can be
brought up to date: nothing fetched is lost, nothing is fetched twice.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..models import Capture, Listing
from .client import Response

__all__ = ["WarcStore", "iter_store", "read_warc"]

KEY_HEADER = "WARC-Scraper-Key"
SOURCE_HEADER = "WARC-Scraper-Source"
_ID = "WARC-Record-ID"
_OPEN = ".open"


def _whole_records(path: Path) -> tuple[int, list[str]]:
    """Byte offset just past the last whole capture (a response and its metadata record),
    and the capture keys before it."""
    good, keys = 0, []
    waiting: tuple[str, str] | None = None  # (key, record id) of a response without metadata
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        try:
            for record in it:
                record.content_stream().read()
                it.read_to_end(record)
                headers = record.rec_headers
                if record.rec_type == "response" and headers.get_header(KEY_HEADER):
                    waiting = (headers.get_header(KEY_HEADER), headers.get_header(_ID))
                    continue
                if waiting is not None:
                    if headers.get_header("WARC-Concurrent-To") != waiting[1]:
                        break  # the response's metadata never came
                    keys.append(waiting[0])
                    waiting = None
                good = it.get_record_offset() + it.get_record_length()
        except Exception:  # a torn tail shows up as any of several decoding errors
            pass
    return good, keys


def _capture_records(
    listing: Listing, response: Response, captured: datetime, meta: dict[str, Any], url: str
) -> bytes:
    """A capture's response and metadata records, gzipped, as the bytes to append."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders(
        f"{response.status} {response.reason}", response.headers, protocol="HTTP/1.1"
    )
    date = captured.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rec = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(response.body),
        http_headers=http,
        warc_headers_dict={
            "WARC-Date": date,
            KEY_HEADER: listing.key,
            SOURCE_HEADER: listing.source,
        },
    )
    writer.write_record(rec)
    blob = json.dumps({"listing": listing.as_dict(), **meta}, sort_keys=True).encode()
    info = writer.create_warc_record(
        url,
        "metadata",
        payload=io.BytesIO(blob),
        warc_content_type="application/json",
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Concurrent-To": rec.rec_headers.get_header(_ID),
        },
    )
    writer.write_record(info)
    return out.getvalue()


class WarcStore:
    def __init__(self, folder: Path, *, max_file_bytes: int = 256 * 2**20) -> None:
        self.folder = folder
        self.max_file_bytes = max_file_bytes
        folder.mkdir(parents=True, exist_ok=True)
        self._file: Any = None
        self._path: Path | None = None
        self._seq = 0

    def recover(self) -> dict[str, str]:
        """Close files a killed run left open; return {capture key: file name} found in them."""
        found: dict[str, str] = {}
        for path in sorted(self.folder.glob(f"*.warc.gz{_OPEN}")):
            good, keys = _whole_records(path)
            with open(path, "r+b") as f:
                f.truncate(good)
            final = path.with_name(path.name.removesuffix(_OPEN))
            os.replace(path, final)
            found.update(dict.fromkeys(keys, final.name))
        return found

    def _open(self) -> None:
        self._seq += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self._path = self.folder / f"captures-{stamp}-{os.getpid()}-{self._seq:04d}.warc.gz{_OPEN}"
        self._file = open(self._path, "ab")

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            os.replace(self._path, self._path.with_name(self._path.name.removesuffix(_OPEN)))
            self._file = None

    def close(self) -> None:
        self._close()

    def write(
        self,
        listing: Listing,
        response: Response,
        captured: datetime,
        meta: dict[str, Any],
        *,
        url: str | None = None,
    ) -> str:
        """Append one capture durably; return the name its file will have once closed.

        `url` is where the capture was finally found (after redirects in the archive); the
        record keeps the listing's key, so the run state knows which capture it answers.
        """
        if self._file is None:
            self._open()
        # one write: a kill leaves the whole capture or a torn tail, never a response alone
        self._file.write(_capture_records(listing, response, captured, meta, url or listing.url))
        self._file.flush()
        os.fsync(self._file.fileno())
        name = self._path.name.removesuffix(_OPEN)
        if self._file.tell() >= self.max_file_bytes:
            self._close()
        return name


def _capture_time(record) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def read_warc(path: Path, *, source: str = "warc") -> Iterator[Capture]:
    """Response and resource records of a WARC/ARC file as Captures (a torn tail ends it)."""
    from ..clean import document_id

    with open(path, "rb") as f:
        try:
            for record in ArchiveIterator(f, arc2warc=True):
                if record.rec_type not in {"response", "resource"}:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                status = None
                if record.http_headers is not None and record.rec_type == "response":
                    code = record.http_headers.get_statuscode()
                    status = int(code) if code and code.isdigit() else None
                body = record.content_stream().read()
                when = _capture_time(record)
                headers = dict(record.http_headers.headers) if record.http_headers else {}
                yield Capture(
                    id=document_id(url, when, ""),
                    source=record.rec_headers.get_header(SOURCE_HEADER) or source,
                    content=body,
                    url=url,
                    capture_time=when,
                    status=status,
                    headers=headers,
                )
        except (ArchiveLoadFailed, EOFError, OSError):
            return


def iter_store(folder: Path) -> Iterator[Capture]:
    """Every capture in the raw store, oldest file first (open files too, up to a torn tail)."""
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.warc.gz"), *folder.glob(f"*.warc.gz{_OPEN}")]):
        yield from read_warc(path)
