"""Local WARC and ARC files (.warc, .warc.gz, .arc.gz), given as paths or globs."""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

from ..fetch.store import read_warc
from ..models import Capture

__all__ = ["read_warc_files", "warc_paths"]


def warc_paths(patterns: list[str], base: Path) -> list[Path]:
    """The files the patterns name, each once: `**` follows links to folders, and a link
    that loops names one file under many paths, so files are told apart by real path."""
    out: dict[Path, Path] = {}
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(base / pattern)
        for path in sorted(Path(p) for p in glob.glob(full, recursive=True)):
            if path.is_file():
                out.setdefault(path.resolve(), path)
    return list(out.values())


def read_warc_files(patterns: list[str], base: Path) -> Iterator[Capture]:
    for path in warc_paths(patterns, base):
        yield from read_warc(path, source="warc")
