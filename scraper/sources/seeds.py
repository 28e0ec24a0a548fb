"""The seed texts: exemplar articles as local files, already text (no fetch)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError
from ..models import Capture
from .base import Source

__all__ = ["Seeds", "read_seeds"]


def read_seeds(
    folder: Path, pattern: str = "*.txt", *, key: str = "sources.seeds.dir"
) -> Iterator[Capture]:
    """One Capture per file, in name order; the file name (without suffix) is the id."""
    if not folder.is_dir():
        raise ConfigError(f"{key}: seeds folder {folder} does not exist")
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            yield Capture(id=path.stem, source="seed", content=path.read_bytes(), url=None)


class Seeds(Source):
    kind = "seeds"
    name = "seed"
    local = True

    @property
    def folder(self) -> Path:
        return self.config.path(self.settings.dir)

    def captures(self) -> Iterator[Capture]:
        return read_seeds(self.folder, self.settings.glob, key=f"{self.key}.dir")

    def count(self) -> int:
        return len(self.exemplar_files())

    def exemplar_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(self.settings.glob) if p.is_file())

    def describe(self) -> str:
        return f"seeds: {self.settings.dir}/{self.settings.glob}"
