"""An undated exemplar's own capture in the archive, which dates it.

An exemplar without a date of its own or in its text (a pasted article) would make the
plan query its publisher's whole domain with no window. Its url usually names its title
(`/2024/12/09/russia-seeking-turkish-help-evacuating-soldiers-from-syria-reports-a87283`),
so the archive's index is asked for the captures on the publisher's domain whose url has
the title's first words in order, in one path segment. The first such capture gives the
date: the one its url bears, else the day it was captured.

The Internet Archive reads `filter=original:REGEX` as a regex the whole url must match;
pywb reads it as a substring and wants `~original:REGEX` for a regex. The IA form is
asked first, the pywb form when it finds nothing; rows are checked here either way.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from ..cleaning import date_from_url
from ..config import ArchiveEndpoints, FetchConfig
from ..errors import FetchError
from ..fetch.client import Fetcher
from ..sources.cdx import ask_index, refine

__all__ = ["OwnCapture", "find_own_captures", "title_filter"]

_SLUG_WORDS = 6  # enough to name one article; slugs may cut long titles short
_MIN_WORDS = 3  # fewer would match other articles' urls
_ROWS = 20
_DEADLINE = 60.0  # seconds a lookup may take: a domain-wide filtered query can be slow


@dataclass(frozen=True)
class OwnCapture:
    url: str
    captured: date
    published: date  # from the url's /YYYY/MM/DD/, else the capture date

    @property
    def dated_by_url(self) -> bool:
        return date_from_url(self.url) is not None


def title_filter(title: str) -> str | None:
    """A CDX filter (IA form) for urls that name the title: its first words, as a slug
    writes them (lower case, accents dropped), in order within one path segment. None for
    a title of fewer than three words."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_title.casefold()) if len(w) > 1]
    if len(words) < _MIN_WORDS:
        return None
    return "original:(?i).*" + "[^/]*".join(map(re.escape, words[:_SLUG_WORDS])) + ".*"


async def _rows(fetcher: Fetcher, cdx: str, site: str, spec: str) -> list[dict]:
    params: dict[str, object] = {
        "url": site,
        "matchType": "domain",
        "output": "json",
        "filter": spec,
        "limit": _ROWS,
    }
    return (await ask_index(fetcher, cdx, params))[0]


async def _own_capture(fetcher: Fetcher, cdx: str, site: str, spec: str) -> OwnCapture | None:
    rows = await _rows(fetcher, cdx, site, spec)
    if not rows:  # pywb: the same regex, in its own syntax
        try:
            rows = await _rows(fetcher, cdx, site, "~" + spec)
        except FetchError:  # a server that knows no `~` has nothing more to say
            rows = []
    found = []
    for row in refine(rows, filters=[spec], collapse=None, limit=None):
        try:
            captured = datetime.strptime(str(row["timestamp"])[:8], "%Y%m%d").date()
        except (KeyError, ValueError):
            continue
        found.append(OwnCapture(row["url"], captured, date_from_url(row["url"]) or captured))
    return min(found, key=lambda c: (c.published, c.captured), default=None)


async def _all(
    archive: ArchiveEndpoints, fetch: FetchConfig, wanted: dict[str, tuple[str, str]]
) -> dict[str, OwnCapture | str | None]:
    out: dict[str, OwnCapture | str | None] = {}
    async with Fetcher(fetch) as fetcher:

        async def one(key: str, site: str, spec: str) -> None:
            try:
                out[key] = await asyncio.wait_for(
                    _own_capture(fetcher, archive.cdx, site, spec), _DEADLINE
                )
            except FetchError as e:  # its message starts with the whole query url
                said = str(e)
                out[key] = f"{archive.cdx}: {said.split(': ', 1)[-1] if e.url else said}"
            except asyncio.TimeoutError:
                out[key] = f"{archive.cdx}: no answer within {_DEADLINE:g} s"

        await asyncio.gather(*(one(key, site, spec) for key, (site, spec) in wanted.items()))
    return out


def find_own_captures(
    archive: ArchiveEndpoints, fetch: FetchConfig, wanted: dict[str, tuple[str, str]]
) -> dict[str, OwnCapture | str | None]:
    """For each key's (site, title): its first capture in the archive, None where the
    archive holds none, or why the archive could not be asked. A title too short to name
    one article is not looked up (None)."""
    specs = {
        key: (site, spec) for key, (site, title) in wanted.items() if (spec := title_filter(title))
    }
    quick = fetch.model_copy(update={"retries": min(fetch.retries, 1)})  # a plan, not a crawl
    found = asyncio.run(_all(archive, quick, specs)) if specs else {}
    return {key: found.get(key) for key in wanted}
