"""Live urls, from a list in config.yaml or a file with one url per line."""

from __future__ import annotations

from pathlib import Path

from ..config import UrlsSource
from ..errors import ConfigError
from ..models import Listing

__all__ = ["list_urls"]


def list_urls(src: UrlsSource, *, base: Path, key: str) -> list[Listing]:
    urls = list(src.items)
    if src.file is not None:
        path = src.file if src.file.is_absolute() else base / src.file
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise ConfigError(f"{key}.file: cannot read {path} ({e.strerror})") from None
        urls += [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
    return [Listing(source="live", url=u, timestamp=None, fetch=u) for u in dict.fromkeys(urls)]
