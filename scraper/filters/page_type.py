"""Page type: is this capture an article, or a listing, home, error or other page?

Decided from three kinds of evidence, strongest first, each recorded as a reason that
`scrape explain` prints:

1. what the page says about itself: `og:type`, schema.org types (JSON-LD, microdata);
2. its url: the site's root, `/tag/`, `/category/`, `/page/2`, `?s=`, about/contact pages,
   date slugs;
3. the shape of its text (extract/page_signals.py): an article has a long run of prose;
   a listing is short link lines each followed by a short teaser.

Layouts before ~2012 carry no og:type and no JSON-LD, so the markup is never required:
without it, the url and the text shape decide, and a page with a long run of prose is
an article. The cost of a mistake is not symmetric — a lost article is lost, a kept
listing is one bad row — so where the evidence is weak the answer is `article`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from ..models import PAGE_TYPES, Capture, Document, PageEvidence
from .base import Annotator, Context, DocumentFilter

__all__ = ["PageTypeTag", "PageTypes", "Verdict", "classify"]

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
        "satiricalarticle", "scholarlyarticle", "techarticle", "report", "liveblogposting",
        "socialmediaposting", "review", "medicalscholarlyarticle",
    }
)  # fmt: skip
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "itemlist", "blog", "profilepage", "mediagallery"}
)
_LISTING_SEGMENTS = (
    "tag|tags|category|categories|categorie|categoria|categorias|kategorie|topic|topics|"
    "section|sections|subject|subjects|author|authors|autor|autoren|auteur|archive|archives|"
    "archiv|label|labels|themen|thema|rubrique|rubrik|ressort|tema|temas|etiqueta|etiquetas|"
    "search|suche|recherche|buscar|busqueda|cerca|index|latest|page|seite|pagina"
)
_LISTING_PATH = re.compile(
    rf"/(?:{_LISTING_SEGMENTS})(?:/|$)|/(?:page|seite|pagina)/?\d+/?$|"
    r"^/(?:\d{4}/)(?:\d{1,2}/){0,2}$",
    re.IGNORECASE,
)
_LISTING_QUERY = re.compile(
    r"(?:^|&)(?:s|q|query|search|searchterm|keyword|keywords|page|paged|tag|cat|category)=",
    re.IGNORECASE,
)
_OTHER_PAGE = re.compile(
    r"^/(?:[\w-]+/)*(?:about|about-us|aboutus|contact|contact-us|contacts|impressum|imprint|"
    r"privacy|privacy-policy|terms|terms-of-use|terms-of-service|tos|legal|disclaimer|cookies|"
    r"cookie-policy|datenschutz|kontakt|mentions-legales|aviso-legal|login|signin|sign-in|"
    r"register|signup|sign-up|subscribe|subscription|account|cart|checkout|shop|store|"
    r"products?|jobs|careers|faq|help|support|advertise|advertising|sitemap|newsletter|"
    r"donate|feedback|staff|team|masthead|corrections)(?:\.\w{2,5})?/?$",
    re.IGNORECASE,
)
_HOME_PATH = re.compile(
    r"^/?(?:(?:index|default|home|start|main)(?:\.\w{2,5})?|[a-z]{2}(?:[-_][a-z]{2})?/?)?$",
    re.IGNORECASE,
)
_DATED_PATH = re.compile(r"(?:^|/|-|_)(?:19|20)\d{2}(?:[/-]\d{1,2}[/-]|\d{4}(?:\D|$))")
_SLUG = re.compile(r"[^\W\d_]+(?:[-_][^\W_]+){3,}")
_SOFT_404 = re.compile(
    r"\b404\b|not found|page introuvable|nicht gefunden|no encontrad|non trovat|"
    r"не найден|niet gevonden|nie znaleziono|bulunamad|找不到|見つかりません",
    re.IGNORECASE,
)
LONG_PROSE = 150  # words in a run of prose that make a page an article, whatever else
SHORT_PROSE = 60  # a listing's teasers are shorter than this
TEASERS = 4  # headline links each followed by a teaser: a listing from this many


@dataclass(frozen=True, slots=True)
class Verdict:
    page_type: str
    reasons: tuple[str, ...]


def _url_kind(url: str | None) -> tuple[str | None, str]:
    if not url:
        return None, ""
    parts = urlsplit(url)
    path, query = parts.path or "/", parts.query
    if _LISTING_QUERY.search(query):
        return "listing", f"url query {query[:40]!r}"
    if _HOME_PATH.match(path) and not query:
        return "home", f"url path {path!r} is the site's root"
    if _LISTING_PATH.search(path):
        return "listing", f"url path {path!r} is a tag, section, archive or search page"
    if _OTHER_PAGE.match(path):
        return "other", f"url path {path!r} is a site page (about, contact, legal, ...)"
    if _DATED_PATH.search(path) or _SLUG.search(path.rsplit("/", 2)[-1] + path):
        return "article", f"url path {path[:60]!r} has a date or a headline slug"
    return None, ""


def classify(
    ev: PageEvidence, url: str | None, *, dated: bool = False, status: int | None = None
) -> Verdict:
    """The page type and the evidence that decided it (see the module docstring)."""
    why: list[str] = []
    title = ev.title or ""
    if status is not None and status >= 400:
        return Verdict("error", (f"HTTP {status}",))
    if _SOFT_404.search(title) and ev.longest_prose < LONG_PROSE:
        return Verdict("error", (f"title {title[:60]!r} says the page is not there",))
    types = {t.lower() for t in ev.schema_types}
    markup_article = ev.og_type == "article" or bool(types & ARTICLE_TYPES)
    if markup_article:
        why.append(
            "markup says article ("
            + ", ".join(x for x in [f"og:type {ev.og_type}" if ev.og_type == "article" else "",
                                    *sorted(t for t in ev.schema_types
                                            if t.lower() in ARTICLE_TYPES)] if x)
            + ")"
        )  # fmt: skip
    markup_listing = bool(types & LISTING_TYPES) or ev.og_type in {"blog", "profile"}
    if markup_listing:
        found = sorted(t for t in ev.schema_types if t.lower() in LISTING_TYPES)
        why.append("markup says listing (" + ", ".join(found or [f"og:type {ev.og_type}"]) + ")")
    kind, said = _url_kind(url)
    if said:
        why.append(said)
    prose, teasers = ev.longest_prose, ev.teaser_blocks
    why.append(f"longest prose run {prose} words, {teasers} teaser blocks")
    listing_shape = ev.html and teasers >= TEASERS and prose < LONG_PROSE
    if kind == "home":
        return Verdict("home", tuple(why))
    if kind == "listing":
        if markup_article and prose >= LONG_PROSE and not listing_shape:
            return Verdict("article", tuple(why))
        return Verdict("listing", tuple(why))
    if markup_article:
        if listing_shape and teasers >= 2 * TEASERS and prose < SHORT_PROSE:
            return Verdict("listing", tuple(why))
        return Verdict("article", tuple(why))
    if prose >= LONG_PROSE:
        return Verdict("article", tuple(why))
    if markup_listing or listing_shape:
        return Verdict("listing", tuple(why))
    if kind == "other":
        return Verdict("other", tuple(why))
    if ev.html and kind is None and not dated and prose < SHORT_PROSE:
        why.append("no date, no article markup, little prose")
        return Verdict("other", tuple(why))
    return Verdict("article", tuple(why))


def _dated(doc: Document) -> bool:
    return doc.published is not None


class PageTypeTag(Annotator):
    """Sets `page_type` on every document."""

    name: ClassVar[str] = "page type"

    def __call__(self, doc: Document, capture: Capture) -> Document:
        verdict = classify(
            doc.evidence, doc.url or capture.url, dated=_dated(doc), status=capture.status
        )
        return doc.replace(page_type=verdict.page_type)


class PageTypes(DocumentFilter):
    """Keeps the page types listed in `filters.page_types` (default: articles only)."""

    name: ClassVar[str] = "page type"

    def __init__(self, keep: frozenset[str]) -> None:
        self.keep = keep

    @classmethod
    def from_config(cls, ctx: Context) -> PageTypes | None:
        keep = frozenset(ctx.config.filters.page_types)
        return None if keep >= frozenset(PAGE_TYPES) else cls(keep)

    def __call__(self, doc: Document, capture: Capture) -> str | None:
        if doc.page_type in self.keep or doc.page_type is None:
            return None
        return f"{self.name}: {doc.page_type} (filters.page_types)"
