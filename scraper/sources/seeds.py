"""The seed texts: exemplar articles as local files, already text (no fetch)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError
from ..models import Capture

__all__ = ["read_seeds"]


def read_seeds(
    folder: Path, pattern: str = "*.txt", *, key: str = "sources.seeds.dir"
) -> Iterator[Capture]:
    """One Capture per file, in name order; the file name (without suffix) is the id."""
    if not folder.is_dir():
        raise ConfigError(f"{key}: seeds folder {folder} does not exist")
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            yield Capture(id=path.stem, source="seed", content=path.read_bytes(), url=None)
