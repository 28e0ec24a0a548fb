"""The raw store: every fetched capture as WARC records, in rotating files under work_dir.

Each capture is a `response` record (WARC-Target-URI = original url, WARC-Date = capture
time, the HTTP status, headers and body as the archive sent them) followed by a `metadata`
record (source, the index row, fetch details). Both records of a capture are appended in
one write to a file named `*.warc.gz.open`, flushed and fsynced, and the file is renamed
to `*.warc.gz` when it is full (before the next write) or the run ends well. On start, an
`.open` file left by a killed or failed run is cut back to its last whole capture (a
response without its metadata record is a torn tail too), the keys it holds go to the run
state, and only then is it renamed: a crash between two of these steps leaves the `.open`
file to be recovered again, and recovering it twice changes nothing. So the run state
learns of every capture stored: nothing is lost, nothing is fetched twice.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..errors import storage_errors
from ..models import Listing
from .client import Response

__all__ = ["OPEN_SUFFIX", "WarcStore"]

KEY_HEADER = "WARC-Scraper-Key"
SOURCE_HEADER = "WARC-Scraper-Source"
_ID = "WARC-Record-ID"
OPEN_SUFFIX = _OPEN = ".open"


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

    def recover(self, record: Callable[[dict[str, str]], None]) -> None:
        """Close the files a killed run left open. Each is cut back to its last whole record,
        `record` gets {capture key: file name} of what it holds (to mark them fetched), and
        only then is it renamed; see the module docstring."""
        for path in sorted(self.folder.glob(f"*.warc.gz{_OPEN}")):
            final = path.with_name(path.name.removesuffix(_OPEN))
            with storage_errors(path):
                good, keys = _whole_records(path)
                with open(path, "r+b") as f:
                    f.truncate(good)
            record(dict.fromkeys(keys, final.name))
            with storage_errors(path):
                os.replace(path, final)

    def _open(self) -> None:
        """Start a new file, under a name no file has, open or closed: a run in the same
        second and process as the last (a rerun in-process) must not rename over its file."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self._seq += 1
            final = self.folder / f"captures-{stamp}-{os.getpid()}-{self._seq:04d}.warc.gz"
            self._path = final.with_name(final.name + _OPEN)
            if not final.exists() and not self._path.exists():
                break
        self._file = open(self._path, "xb")

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            os.replace(self._path, self._path.with_name(self._path.name.removesuffix(_OPEN)))
            self._file = None

    def close(self) -> None:
        """End the run's file: it is renamed, as every capture in it is in the run state."""
        with storage_errors(self._path or self.folder):
            self._close()

    def abandon(self) -> None:
        """End a failed run's file without renaming it: its last capture may be missing from
        the run state, so the next run's recovery reconciles it."""
        if self._file is not None:
            with suppress(OSError):  # a full disk fails the flush; the fd is closed anyway
                self._file.close()
            self._file = None

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
        A full file is closed here, before the next capture, so that the run state has
        learnt of every capture in it before it is renamed.
        """
        if self._file is not None and self._file.tell() >= self.max_file_bytes:
            self.close()
        if self._file is None:
            with storage_errors(self.folder):
                self._open()
        # one write: a kill leaves the whole capture or a torn tail, never a response alone
        records = _capture_records(listing, response, captured, meta, url or listing.url)
        with storage_errors(self._path):
            self._file.write(records)
            self._file.flush()
            os.fsync(self._file.fileno())
        return self._path.name.removesuffix(_OPEN)
