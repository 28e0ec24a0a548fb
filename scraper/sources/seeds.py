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
    _check_folder(folder, key)
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            yield Capture(id=path.stem, source="seed", content=path.read_bytes(), url=None)


def _check_folder(folder: Path, key: str) -> None:
    if not folder.is_dir():
        raise ConfigError(f"{key}: seeds folder {folder} does not exist")


class Seeds(Source):
    kind = "seeds"
    name = "seed"
    local = True

    @property
    def folder(self) -> Path:
        return self.config.path(self.settings.dir)

    def check(self) -> None:
        try:
            _check_folder(self.folder, f"{self.key}.dir")
        except ConfigError as e:
            if not self.config.from_defaults:
                raise
            # no config.yaml either: most likely run outside the project folder
            raise ConfigError(
                f"{e}; there is no config.yaml in {self.config.base_dir} either, so the "
                "packaged defaults apply, which clean ./seeds: run it in a project folder "
                "or give --config"
            ) from None

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
