"""Title, author, date, canonical url and language from a parsed page.

trafilatura's `extract_metadata` also works out site name, categories, tags and licence,
which we do not keep and which cost a third of its time, so this calls its parts: meta tags,
JSON-LD, then the title and canonical-link fallbacks, and htmldate for the date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_title,
    extract_url,
)

__all__ = ["PageMetadata", "page_metadata"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None
    description: str | None = None  # the page's summary, used to find its lead (lead.py)


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _language(tree: HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        found = tree.xpath('//meta[@http-equiv="content-language"]/@content')
        lang = found[0] if found else None
    lang = (lang or "").strip().split("-")[0].split("_")[0].split(",")[0].lower()
    return lang if 2 <= len(lang) <= 3 and lang.isalpha() else None


def page_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    """What the page's meta tags, JSON-LD and <title> say; a field they do not say is None.

    The author comes from meta tags and JSON-LD only: the one named in the markup
    (author.py) is looked for only when neither these nor the text name one.
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a user name or handle, as trafilatura also judges it
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as e:  # JSON-LD in the wild is often broken
        log.debug("JSON-LD unreadable: %s", e)
    title = meta.title or extract_title(tree)
    canonical = meta.url or extract_url(tree, url)
    published = find_date(
        tree,
        url=canonical or url,
        original_date=True,
        extensive_search=False,
        outputformat="%Y-%m-%d",
    )
    return PageMetadata(
        title=title or None,
        author=meta.author or None,
        published=_iso_date(published),
        url=canonical or None,
        language=_language(tree),
        description=meta.description or None,
    )
