"""Meta rules: title, author, date and url read from the lines of a cleaned document.

The patterns (`MetaRules`, a rule version's `meta:`) and what applies them live together
here, like the text rule kinds in `kinds.py`. Metadata lines are taken out of the body as
they are read, and recorded in `Document.removed` with kind `title` or `meta`, so the body
holds article text only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import Field

from ..models import Removed
from ._types import Regex, Strict
from .kinds import Found

if TYPE_CHECKING:
    from ..cleaning import Line
    from .engine import ActiveRules

__all__ = ["MetaRules", "Metadata", "find_url", "read_metadata", "scan_date", "take_line"]

_BARE_URL = re.compile(r"^<?(?P<url>https?://[^\s<>]+)>?$")
_NOT_WORD = re.compile(r"[^\w\s]")
_TITLE_MAX_WORDS = 30
_TITLE_SKIP = 12  # one-word lines looked past for a headline
_META_MAX_WORDS = 12  # a byline or dateline, not a sentence
T = TypeVar("T")


class MetaRules(Strict):
    """Patterns for metadata lines; each names its value with a group of the field's name."""

    author: list[Regex] = []
    date: list[Regex] = []
    url: list[Regex] = []
    date_order: Literal["DMY", "MDY", "YMD"] | None = None
    header_lines: int | None = Field(None, ge=1, description="how far below the title to look")


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None


def take_line(line: Line, field: str, kind: str, out: Found) -> None:
    """Take a metadata line out of the body, recorded as rule `meta.<field>`."""
    line.removed = (f"meta.{field}", kind)
    out.append((line.n, Removed(f"meta.{field}", kind, line.plain)))


def _words(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _title(kept: list[Line], given: str | None, out: Found) -> tuple[str | None, int]:
    """The title, and the index in `kept` of the first line after it."""
    if given:
        wanted = _words(given)
        for i, line in enumerate(kept[:3]):
            words = _words(line.plain)
            # "Title | Site" in <title> with "Title" as the page's heading counts too
            if words == wanted or (line.heading and len(words.split()) >= 3 and words in wanted):
                take_line(line, "title", "title", out)
                return given, i + 1
        return given, 0
    for i, line in enumerate(kept[:3]):
        if line.heading:
            take_line(line, "title", "title", out)
            return line.plain, i + 1
    # one-word lines and list items above a headline are menus, a site name or a kicker ("Home",
    # "ENVIRONMENT"); with no headline after them, the first line is the title as before
    i = next((i for i, x in enumerate(kept[:_TITLE_SKIP]) if x.words >= 2 and not x.bulleted), None)
    for j in (i, 0):
        if j is not None and j < len(kept) and _headline(kept[j]):
            take_line(kept[j], "title", "title", out)
            return kept[j].plain, j + 1
    return None, 0


def _headline(line: Line) -> bool:
    return (
        line.words <= _TITLE_MAX_WORDS
        and not line.plain.endswith((".", ","))
        and not line.bulleted  # a menu or list item
    )


def _meta_value(
    line: Line, rules: ActiveRules, field: str, convert: Callable[[str], T | None]
) -> T | None:
    """The first value a `meta.<field>` pattern captures in a short line, once converted."""
    if line.words > _META_MAX_WORDS:
        return None
    for rx in rules.meta(field):
        m = rx.search(line.plain)
        if m and m.groupdict().get(field):
            value = convert(m.group(field))
            if value:
                return value
    return None


def _person(text: str) -> str | None:
    name = text.strip(" ,;|-")
    return name if name and name[0].isupper() else None


def _author(line: Line, rules: ActiveRules) -> str | None:
    return _meta_value(line, rules, "author", _person)


def _date(line: Line, rules: ActiveRules) -> date | None:
    from ..cleaning._dates import parse_date  # cleaning imports this module

    return _meta_value(line, rules, "date", lambda s: parse_date(s, rules.date_order))


def scan_date(lines: list[Line], rules: ActiveRules, limit: int = 15) -> date | None:
    """The first date line near the top, before any rule runs (to pick a rule version)."""
    return next((d for d in (_date(x, rules) for x in lines[:limit]) if d), None)


def find_url(lines: list[Line], rules: ActiveRules) -> tuple[str | None, list[Line]]:
    """The url a trailer such as `Original url: <...>` gives, and the lines that hold it."""
    kept = [line for line in lines if line.kept]
    for i, line in enumerate(kept):
        for rx in rules.meta("url"):
            m = rx.search(line.plain)
            if not m:
                continue
            url = m.groupdict().get("url")
            if url:
                return url.strip("<>"), [line]
            nxt = kept[i + 1] if i + 1 < len(kept) else None
            if nxt is not None and (bare := _BARE_URL.match(nxt.plain)):
                return bare.group("url"), [line, nxt]
    return None, []


def read_metadata(
    lines: list[Line], rules: ActiveRules, given: Metadata | None = None
) -> tuple[Metadata, Found]:
    """Find metadata among the kept lines, mark those lines removed, return what was found.

    `given` holds what the HTML already said (its <title>, meta tags): it wins, and the
    matching lines are still taken out of the body.
    """
    given = given or Metadata()
    out: Found = []
    kept = [line for line in lines if line.kept]
    title, start = _title(kept, given.title, out)
    author, published = None, None
    for line in kept[: start + rules.header_lines]:
        if not line.kept:
            continue
        if author is None and (author := _author(line, rules)):
            take_line(line, "author", "meta", out)
        elif published is None and (published := _date(line, rules)):
            take_line(line, "date", "meta", out)
    url, url_lines = find_url(lines, rules)
    own = {u.rstrip("/") for u in (given.url, url) if u}
    url_lines += [
        line
        for line in kept
        if line.kept and line not in url_lines and line.plain.rstrip("/") in own
    ]
    for line in url_lines:  # a trailer's url, and any line that is only the page's own url
        take_line(line, "url", "meta", out)
    meta = Metadata(
        title=title,
        author=given.author or author,
        published=given.published or published,
        url=given.url or url,
    )
    return meta, out
