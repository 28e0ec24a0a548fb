"""The raw store: every fetched capture as WARC records, in rotating files under work_dir.

Each capture is a `response` record (WARC-Target-URI = original url, WARC-Date = capture
time, the HTTP status, headers and body as the archive sent them) followed by a `metadata`
record (source, the index row, fetch details). Records are appended to a file named
`*.warc.gz.open`, flushed and fsynced per capture, and the file is renamed to `*.warc.gz`
when it is full or the run ends. On start, an `.open` file left by a killed run is cut
back to its last whole record and closed, and the keys it holds are reported, so the run
state can be brought up to date: nothing fetched is lost, nothing is fetched twice.
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..models import Listing
from .client import Response

__all__ = ["OPEN_SUFFIX", "WarcStore"]

KEY_HEADER = "WARC-Scraper-Key"
SOURCE_HEADER = "WARC-Scraper-Source"
OPEN_SUFFIX = _OPEN = ".open"


def _whole_records(path: Path) -> tuple[int, list[str]]:
    """Byte offset just past the last whole record, and the capture keys before it."""
    good, keys = 0, []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        try:
            for record in it:
                record.content_stream().read()
                it.read_to_end(record)
                good = it.get_record_offset() + it.get_record_length()
                key = record.rec_headers.get_header(KEY_HEADER)
                if record.rec_type == "response" and key:
                    keys.append(key)
        except Exception:  # a torn tail shows up as any of several decoding errors
            pass
    return good, keys


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
        writer = WARCWriter(self._file, gzip=True)
        http = StatusAndHeaders(
            f"{response.status} {response.reason}", response.headers, protocol="HTTP/1.1"
        )
        date = captured.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rec = writer.create_warc_record(
            url or listing.url,
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
            url or listing.url,
            "metadata",
            payload=io.BytesIO(blob),
            warc_content_type="application/json",
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": rec.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(info)
        self._file.flush()
        os.fsync(self._file.fileno())
        name = self._path.name.removesuffix(_OPEN)
        if self._file.tell() >= self.max_file_bytes:
            self._close()
        return name
