"""Local WARC and ARC files (.warc, .warc.gz, .arc.gz), given as paths or globs.

Every record becomes a Capture with its record type, so the record gate
(filters/records.py) can count each one it refuses by reason: a crawl is mostly requests,
metadata, dns lookups and redirects, and the summary should say so. What only the reader
can know is settled here:

- a `revisit` record is resolved to the response it repeats (same payload digest, or the
  record it refers to) when the input holds it: the capture gets that payload;
- a record the file ends inside, whose Content-Length lies, or whose decoded payload is
  over `fetch.max_bytes` is marked `cut` (kept or dropped by `filters.truncated`), and
  only `max_bytes` of it are ever read into memory;
- a file that is empty, not a WARC, or damaged part-way is named in the run summary with
  what was wrong; the records before the damage are kept.
"""

from __future__ import annotations

import glob
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import ConfigError
from ..models import Capture, SkippedInput, document_id
from .base import Source

__all__ = ["Originals", "WarcFiles", "read_warc", "warc_paths"]

KEY_HEADER = "WARC-Scraper-Key"  # written by the raw store (fetch/store.py)
SOURCE_HEADER = "WARC-Scraper-Source"
_CHUNK = 1 << 16
_DAMAGE = (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError, IndexError)


def warc_paths(patterns: list[str], base: Path, *, key: str = "sources.warc.paths") -> list[Path]:
    """The files the patterns name, each once: `**` follows links to folders, and a link
    that loops names one file under many paths, so files are told apart by real path. A
    pattern that matches no file is an error."""
    out: dict[Path, Path] = {}
    for i, pattern in enumerate(patterns):
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        found = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        if not found:
            raise ConfigError(f"{key}[{i}]: {pattern!r} matches no file (looked in {base})")
        for path in found:
            out.setdefault(path.resolve(), path)
    return list(out.values())


@dataclass
class Originals:
    """Where each response record was seen, by payload digest and record id: the targets
    of later `revisit` records, across all the files one source reads."""

    by_digest: dict[str, tuple[Path, int]] = field(default_factory=dict)
    by_id: dict[str, tuple[Path, int]] = field(default_factory=dict)

    def add(self, record, path: Path, offset: int) -> None:
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        if digest:
            self.by_digest.setdefault(digest, (path, offset))
        rid = record.rec_headers.get_header("WARC-Record-ID")
        if rid:
            self.by_id[rid] = (path, offset)

    def find(self, record) -> tuple[Path, int] | None:
        rid = record.rec_headers.get_header("WARC-Refers-To")
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        return (rid and self.by_id.get(rid)) or (digest and self.by_digest.get(digest)) or None


def _capture_time(record) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def _status(record) -> int | None:
    if record.http_headers is None or record.rec_type == "resource":
        return None
    code = (record.http_headers.get_statuscode() or "").strip()
    return int(code) if code.isdigit() else 0  # 0: a status line that is not a number


def _payload(record, max_bytes: int) -> tuple[bytes, str | None]:
    """The decoded payload, at most `max_bytes` of it, and why it is incomplete (if it is)."""
    stream = record.content_stream()
    buf = bytearray()
    while chunk := stream.read(min(_CHUNK, max_bytes + 1 - len(buf))):
        buf += chunk
        if len(buf) > max_bytes:
            return bytes(buf[:max_bytes]), f"over fetch.max_bytes ({max_bytes} bytes decoded)"
    if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended before Content-Length
        return bytes(buf), "cut short: the file ends inside the record"
    return bytes(buf), None


def _not_an_archive(record) -> bool:
    """warcio reads any text's first line as an ARC header: a real record names a url."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    return record.rec_type in {"response", "resource"} and url is not None and ":" not in url


def _original(where: tuple[Path, int], max_bytes: int) -> tuple[bytes, object] | None:
    path, offset = where
    with open(path, "rb") as f:
        f.seek(offset)
        for record in ArchiveIterator(f, arc2warc=True):
            return _payload(record, max_bytes)[0], record
    return None


def read_warc(
    path: Path,
    *,
    source: str = "warc",
    max_bytes: int = 10_000_000,
    store: bool = False,
    originals: Originals | None = None,
) -> Iterator[Capture | SkippedInput]:
    """Every record of a WARC/ARC file as a Capture, or a line naming what was wrong with
    the file. `store`: the raw store, where a capture is a response and then its metadata
    record; a response without one (the tail of a killed run's open file) is not read."""
    originals = originals if originals is not None else Originals()
    try:
        size = path.stat().st_size
        f = open(path, "rb")
    except OSError as e:
        yield SkippedInput(str(path), f"cannot read the file ({e.strerror})")
        return
    if size == 0:
        f.close()
        yield SkippedInput(str(path), "empty file")
        return
    records, offset = 0, 0
    held: list[Capture | SkippedInput] = []  # the store's response, until its metadata record
    with f:
        it = ArchiveIterator(f, arc2warc=True)
        try:
            for record in it:
                if store and record.rec_type == "metadata":
                    yield from held  # the capture is whole: written as one unit with this
                    held = []
                    continue
                if records == 0 and _not_an_archive(record):
                    yield SkippedInput(str(path), "not a WARC or ARC file")
                    return
                records += 1
                has_body = record.rec_type in {"response", "resource"}
                body = _payload(record, max_bytes) if has_body else (b"", None)
                offset = it.get_record_offset()  # (reads the record to its end)
                cap = _capture(record, body, path, offset, source, max_bytes, originals)
                out = [SkippedInput(str(path), f"record at byte {offset} {cap.cut}")] * bool(
                    cap.cut
                )
                if store:  # a response whose metadata record never came is a torn tail
                    held = [*out, cap]  # (a killed collect's; its next run cuts it off)
                    continue
                yield from out
                yield cap
        except _DAMAGE as e:
            where = "not a WARC or ARC file" if records == 0 else f"damaged after {records} records"
            detail = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
            yield SkippedInput(str(path), f"{where} (at byte {offset}: {detail})")


def _capture(
    record,
    payload: tuple[bytes, str | None],
    path: Path,
    offset: int,
    source: str,
    max_bytes: int,
    originals: Originals,
) -> Capture:
    rec_type = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    when = _capture_time(record)
    ident = document_id(url, when, "") if url else f"{path.name}@{offset}"
    origin = record.rec_headers.get_header(SOURCE_HEADER) or source
    if rec_type not in {"response", "resource", "revisit"}:  # its own id: not the response's
        ident = f"{path.name}@{offset}"
        return Capture(id=ident, source=origin, content=b"", url=url, record_type=rec_type)
    headers = dict(record.http_headers.headers) if record.http_headers else {}
    status = _status(record)
    if rec_type == "revisit":
        where = originals.find(record)
        found = _original(where, max_bytes) if where else None
        if found is None:
            return Capture(
                id=ident, source=origin, content=b"", url=url, capture_time=when,
                status=status, headers=headers, record_type="revisit",
            )  # fmt: skip
        body, first = found
        status = status if status and status != 304 else _status(first)
        headers = headers or (dict(first.http_headers.headers) if first.http_headers else {})
        cut = None
    else:
        body, cut = payload
        if rec_type == "response":
            originals.add(record, path, offset)
    return Capture(
        id=ident, source=origin, content=body, url=url, capture_time=when, status=status,
        headers=headers, record_type="response" if rec_type == "revisit" else rec_type, cut=cut,
    )  # fmt: skip


class WarcFiles(Source):
    """WARC/ARC files on disk: read by `scrape clean` where they are."""

    kind = "warc"
    name = "warc"
    local = True

    def paths(self) -> list[Path]:
        return warc_paths(self.settings.paths, self.config.base_dir, key=f"{self.key}.paths")

    def check(self) -> None:
        self.paths()

    def captures(self) -> Iterator[Capture | SkippedInput]:
        originals = Originals()
        for path in self.paths():
            yield from read_warc(path, max_bytes=self.config.fetch.max_bytes, originals=originals)

    def count(self) -> int | None:
        return None

    def describe(self) -> str:
        return "warc: " + ", ".join(self.settings.paths)
