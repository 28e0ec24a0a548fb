"""Where captures come from: one class per kind under `sources:`, found by its config key.

Each implements the contract in `base.Source`. To add a kind: a module with its class,
its settings model in config.py, and a line in `SOURCES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Fetched, Source
from .commoncrawl import CommonCrawl
from .live import LiveUrls
from .seeds import Seeds, read_seeds
from .store import iter_store
from .warcfile import WarcFiles
from .wayback import Wayback

if TYPE_CHECKING:
    from ..config import Config

__all__ = [
    "SOURCES",
    "Fetched",
    "Source",
    "for_listing",
    "iter_store",
    "nothing_to_collect",
    "read_seeds",
    "sources_of",
]

SOURCES: dict[str, type[Source]] = {
    cls.kind: cls for cls in (Seeds, Wayback, CommonCrawl, WarcFiles, LiveUrls)
}
_BY_NAME = {cls.name: cls for cls in SOURCES.values()}


def sources_of(config: Config) -> list[Source]:
    """The configured sources, in config order."""
    return [
        SOURCES[entry.kind](entry.settings, config, i) for i, entry in enumerate(config.sources)
    ]


def for_listing(name: str) -> type[Source]:
    """The source class that fetches a listing (by its `source`, e.g. "wayback")."""
    return _BY_NAME[name]


def nothing_to_collect(config: Config) -> str | None:
    """What `scrape collect` says when no configured source is collected (all are local
    files, or there are none), instead of an empty table; None when one is collected."""
    sources = sources_of(config)
    if any(not s.local for s in sources):
        return None
    if not sources:
        return "nothing to collect: config.yaml lists no sources"
    archived = ", ".join(kind for kind, cls in SOURCES.items() if not cls.local)
    return "\n".join(
        [
            "nothing to collect: these sources are local files, read where they are by"
            " `scrape clean`:",
            *(f"  {s.describe()}" for s in sources),
            f"to collect from an archive, add a source ({archived}) to config.yaml,"
            " or run `scrape discover --write`",
        ]
    )
