"""The collector's raw store (work_dir/warc), read back by `scrape clean` like a local source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..fetch.store import OPEN_SUFFIX
from ..models import Capture, SkippedInput
from .warcfile import Originals, read_warc

__all__ = ["iter_store"]


def iter_store(folder: Path, *, max_bytes: int = 10_000_000) -> Iterator[Capture | SkippedInput]:
    """Every capture in the raw store, oldest file first (open files too, up to a torn tail)."""
    if not folder.is_dir():
        return
    originals = Originals()
    for path in sorted([*folder.glob("*.warc.gz"), *folder.glob(f"*.warc.gz{OPEN_SUFFIX}")]):
        yield from read_warc(path, max_bytes=max_bytes, store=True, originals=originals)
