"""Live urls, from a list in config.yaml or a file with one url per line."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ..config import UrlsSource
from ..errors import ConfigError, Skip
from ..fetch.client import Fetcher
from ..models import Listing
from .base import Fetched, Source

__all__ = ["LiveUrls", "list_urls"]


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


class LiveUrls(Source):
    """Live pages, fetched now (with the public-address check, redirects checked too)."""

    kind = "urls"
    name = "live"

    async def listings(self, fetcher: Fetcher) -> list[Listing]:
        return list_urls(self.settings, base=self.config.base_dir, key=self.key)

    @classmethod
    async def fetch(cls, listing: Listing, fetcher: Fetcher) -> Fetched:
        r = await fetcher.get_live(listing.url)
        if r.status >= 400:
            raise Skip(f"live url answered HTTP {r.status}")
        return Fetched(r, r.url, datetime.now(timezone.utc))
