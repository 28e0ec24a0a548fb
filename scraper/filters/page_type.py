"""Page type: is this capture an article, or a listing, home, error or other page?

Decided from three kinds of evidence, strongest first, each recorded as a reason that
`scrape explain` prints:

1. what the page says about itself: `og:type`, schema.org types (JSON-LD, microdata);
2. its url: the site's root, `/tag/`, `/category/`, `/page/2`, `?s=`, about/contact pages,
   date slugs;
3. the shape of its text (cleaning/_page_signals.py): an article has a long run of prose;
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
NEWS_TYPES = frozenset(t for t in ARTICLE_TYPES if "news" in t or t == "report")
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "itemlist", "blog", "profilepage", "mediagallery"}
)
# the page is one of these things, not a news story, even when it is also a BlogPosting
OTHER_TYPES = frozenset(
    {"product", "recipe", "qapage", "question", "discussionforumposting", "jobposting"}
)
# often said of the site (its owner, a sidebar's event), not the page: only without article markup
SITE_TYPES = frozenset(
    {
        "event", "restaurant", "localbusiness", "hotel", "course", "softwareapplication",
        "movie", "book", "place", "realestatelisting", "offer", "aggregateoffer",
    }
)  # fmt: skip
OTHER_OG = re.compile(r"^(?:product|video\.|music\.|book|profile|place|restaurant|business)")
# a segment that names a list of stories: strong (never a story's own path) and weak
_LISTING_WORDS = frozenset(
    "tag tags category categories categorie categoria categorias kategorie author authors "
    "autor autoren auteur label labels etiqueta etiquetas search suche recherche buscar "
    "busqueda cerca date".split()
)
_WEAK_LISTING_WORDS = frozenset(
    "topic topics section sections subject subjects archive archives archiv themen thema "
    "rubrique rubrik ressort tema temas".split()
)
# a host whose first label says what the whole site is: not news
_OTHER_HOSTS = frozenset(
    "wiki forum forums board boards community shop store support help docs developer "
    "developers jobs lexikon".split()
)
# a section's front page: the last segment is one of these and nothing follows
_SECTION_ROOTS = frozenset(
    "blog blogs news articles posts stories latest headlines nachrichten aktuelles aktuell "
    "actualites actualite noticias notizie novosti press pressemitteilungen updates index "
    "home magazine journal".split()
)
_OTHER_WORDS = frozenset(
    "about about-us aboutus contact contact-us contacts impressum imprint privacy "
    "privacy-policy terms terms-of-use terms-of-service tos legal disclaimer cookies "
    "cookie-policy datenschutz kontakt mentions-legales aviso-legal login signin sign-in "
    "register signup sign-up subscribe subscription account cart checkout shop store product "
    "products collections jobs careers faq help support advertise advertising sitemap "
    "newsletter donate feedback staff team masthead corrections forum forums board boards "
    "thread threads showthread.php viewtopic.php viewforum.php wiki recipes recipe rezepte "
    "rezept recettes recetas ricette qa questions question answers player photo photos "
    "gallery galleries video videos calendar events event comments doi user users member "
    "members profile podcast podcasts episode episodes pictures slideshow slideshows "
    "bildergalerie fotostrecke license licenses licence".split()
)
# a section of photo galleries: captions, however many, are not a story
_GALLERY_WORDS = frozenset(
    "gallery galleries pictures photos slideshow slideshows bildergalerie fotostrecke "
    "fotogalerie photogallery".split()
)
# a section of players: a video or an episode, a story only with a story's prose around it
_PLAYER_WORDS = frozenset("video videos av audio podcast podcasts episode episodes".split())
# a legal page's name, however long the rest of it is
_LEGAL_NAME = re.compile(
    r"^(?:datenschutzerkl|impressum|nutzungsbedingungen|privacy-(?:policy|notice|statement)"
    r"|terms-(?:of|and)-|cookie-(?:policy|notice)|mentions-legales|aviso-legal"
    r"|datenschutz(?:-[a-z]+)?$)"
)
_PAGE_NUMBER = re.compile(r"^(?:page|seite|pagina|p)?[-_]?\d{1,4}$", re.IGNORECASE)
_LISTING_QUERY = re.compile(
    r"(?:^|&)(?:(?:s|q|query|search|searchterm|keyword|keywords|updated-max|max-results)=|"
    r"(?:page|paged|pagen_\d+|start|offset)=\d)",
    re.IGNORECASE,
)
_HOME_PATH = re.compile(
    r"^/?(?:(?:index|default|home|start|main)(?:\.\w{2,5})?|[a-z]{2}(?:[-_][a-z]{2})?/?)?$",
    re.IGNORECASE,
)
_DATED_PATH = re.compile(
    r"(?:^|/|-|_)(?:19|20)\d{2}(?:[/-]\d{1,2}[/-]|\d{4}(?:\D|$))|/(?:19|20)\d{2}/[^/]+/."
)
_YEAR_SEGMENT = re.compile(r"/(?:19|20)\d{2}/")
_DATE_ONLY = re.compile(r"^/(?:[\w-]+/)?(?:19|20)\d{2}/(?:\d{1,2}/){0,2}$")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)
_LONG_ID = re.compile(r"\d{5,}")
_SOFT_404 = re.compile(
    r"^\W*(?:error\W*)?404\b|\b404\W+(?:error|not found|page)|not found|page introuvable|"
    r"nicht gefunden|no encontrad|non trovat|не найден|niet gevonden|nie znaleziono|bulunamad|"
    r"找不到|見つかりません",
    re.IGNORECASE,
)
MIN_WORDS = 20  # less text than this, and no markup saying article: not a story
MEDIA_PROSE = 50  # a player with less text than this around it is a media post
LONG_PROSE = 150  # words in a run of prose that make a page an article, whatever else
SHORT_PROSE = 60  # a listing's teasers are shorter than this
TEASERS = 4  # headline links each followed by a teaser: a listing from this many
HEADLINE_LINKS = 10  # headings holding a link in the whole page: a listing's front
FRONT_BOXES = 20  # <article> elements or linked headings: a section's front, not the
# related stories around one article (those come to a dozen or so)


@dataclass(frozen=True, slots=True)
class Verdict:
    page_type: str
    reasons: tuple[str, ...]


def _words_in(segment: str) -> int:
    return len([w for w in re.split(r"[-_+.]", _EXTENSION.sub("", segment)) if w])


def _slug_like(segment: str) -> bool:
    """A segment that names one story: a headline slug or a long numeric id."""
    return _words_in(segment) >= 4 or bool(_LONG_ID.search(segment))


def _url_kind(url: str | None) -> tuple[str | None, str]:
    """What the url alone says: home, listing, section, other, article, or nothing."""
    if not url:
        return None, ""
    parts = urlsplit(url)
    path, query = parts.path or "/", parts.query
    segments = [s for s in path.lower().split("/") if s]
    last = segments[-1] if segments else ""
    if _LISTING_QUERY.search(query):
        return "listing", f"url query {query[:40]!r} pages, searches or filters"
    if _HOME_PATH.match(path) and not query:
        return "home", f"url path {path!r} is the site's root"
    if _DATE_ONLY.match(path) or (
        len(segments) > 1
        and _PAGE_NUMBER.match(last)
        and segments[-2] in {"page", "seite", "pagina"} | _SECTION_ROOTS
    ):
        return "listing", f"url path {path!r} is a date archive or a numbered page"
    dated = bool(_DATED_PATH.search(path))
    if (parts.hostname or "").split(".")[0] in _OTHER_HOSTS:
        return "other", f"host {parts.hostname!r} is a wiki, forum, shop or help site"
    for i, seg in enumerate(segments):
        if seg in _LISTING_WORDS or seg in _WEAK_LISTING_WORDS:
            rest = segments[i + 1 :]
            if not rest or all(_PAGE_NUMBER.match(r) for r in rest):
                return "listing", f"url path {path!r} is a tag, section, archive or search page"
            if not dated and not any(_slug_like(r) for r in rest):
                if seg in _LISTING_WORDS:
                    return "listing", f"url path {path!r} is a tag, category or author page"
                return "listing?", f"url path {path!r} may be a topic, section or archive page"
            break
    story = dated or any(_slug_like(seg) for seg in segments[:-1])
    if _EXTENSION.sub("", last) in _SECTION_ROOTS and not story:
        return "listing", f"url path {path!r} is a section's front page"
    if _LEGAL_NAME.match(_EXTENSION.sub("", last)):
        return "other", f"url path {path!r} names a legal page"
    if any(seg in _OTHER_WORDS or _EXTENSION.sub("", seg) in _OTHER_WORDS for seg in segments):
        if not _slug_like(last) or _EXTENSION.sub("", last) in _OTHER_WORDS:
            return "other", f"url path {path!r} is a site, shop, forum or reference page"
        return "other?", f"url path {path!r} is under a site, shop, forum or reference section"
    if dated or _slug_like(last):
        return "article", f"url path {path[:60]!r} has a date or a headline slug"
    short = all(_words_in(seg) <= 2 for seg in segments) and not any(c.isdigit() for c in path)
    if short and not query and (len(segments) == 1 or path.endswith("/")):
        return "section", f"url path {path!r} looks like a section"
    return None, ""


def _media_section(url: str | None) -> str:
    """The media section a segment of the url's path names: gallery, player, or none."""
    segments = {s for s in urlsplit(url or "").path.lower().split("/") if s}
    if segments & _GALLERY_WORDS:
        return "gallery"
    return "player" if segments & _PLAYER_WORDS else ""


def _front_signs(ev: PageEvidence) -> list[str]:
    """What makes a page at a section's url that section's front page."""
    signs = []
    if ev.og_type == "website":
        signs.append("og:type website")
    if ev.article_tags >= FRONT_BOXES:
        signs.append(f"{ev.article_tags} <article> boxes")
    if ev.headline_links >= FRONT_BOXES or ev.teaser_blocks >= TEASERS:
        signs.append("linked headlines or teasers")
    if ev.html and ev.lines <= 2:
        signs.append(f"text in {ev.lines} line(s): teasers run together")
    return signs


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
    markup_listing = bool(types & LISTING_TYPES) or ev.og_type in {"blog"}
    markup_other = bool(types & OTHER_TYPES) or bool(OTHER_OG.match(ev.og_type or ""))
    markup_other = markup_other or (not markup_article and bool(types & SITE_TYPES))
    if markup_other:
        found = sorted(t for t in ev.schema_types if t.lower() in OTHER_TYPES | SITE_TYPES)
        why.append("markup says not news (" + ", ".join(found or [f"og:type {ev.og_type}"]) + ")")
    if markup_listing:
        found = sorted(t for t in ev.schema_types if t.lower() in LISTING_TYPES)
        why.append("markup says listing (" + ", ".join(found or [f"og:type {ev.og_type}"]) + ")")
    kind, said = _url_kind(url)
    if said:
        why.append(said)
    prose, teasers = ev.longest_prose, ev.teaser_blocks
    why.append(f"longest prose run {prose} words, {teasers} teaser blocks")
    listing_shape = (
        ev.html
        and prose < LONG_PROSE
        and (teasers >= TEASERS or ev.headline_links >= HEADLINE_LINKS)
    )
    if ev.headline_links >= HEADLINE_LINKS:
        why.append(f"{ev.headline_links} headlines with links")
    if kind in {"home", "listing", "other"}:
        return Verdict(kind, tuple(why))
    if ev.html and ev.words < MIN_WORDS and not markup_article:
        why.append(f"{ev.words} words of text: a redirect, an embed or a script-only page")
        return Verdict("other", tuple(why))
    # a CMS marks its galleries and video pages og:type article like its stories
    media = "" if types & NEWS_TYPES else _media_section(url)
    if media == "gallery" or (media == "player" and prose < LONG_PROSE):
        why.append(f"url path is under a {media} section and the page is not a story")
        return Verdict("other", tuple(why))
    if ev.html and ev.media and prose < MEDIA_PROSE and not listing_shape:
        why.append(f"{ev.media} video/audio players and little text around them")
        return Verdict("other", tuple(why))
    ld_article = bool(types & ARTICLE_TYPES)
    if kind in {"section", "listing?"} and not ld_article:
        # a section's url: an article only with long prose and nothing of a front page
        # (og:type website, many <article> boxes or linked headlines, a text that came
        # out as one or two lines: teasers run together)
        fronts = _front_signs(ev)
        why += fronts
        if fronts or prose < LONG_PROSE:
            return Verdict("listing", tuple(why))
        return Verdict("article", tuple(why))
    if markup_other and not (types & NEWS_TYPES):
        return Verdict("other", tuple(why))
    if kind == "other?" and not markup_article:
        return Verdict("other", tuple(why))
    if markup_article:
        if listing_shape and prose < SHORT_PROSE and (teasers >= 2 * TEASERS or kind is None):
            return Verdict("listing", tuple(why))
        return Verdict("article", tuple(why))
    if prose >= LONG_PROSE:
        return Verdict("article", tuple(why))
    if markup_listing or listing_shape:
        return Verdict("listing", tuple(why))
    year_in_url = bool(url and _YEAR_SEGMENT.search(urlsplit(url).path))
    if ev.html and kind in {None, "section"} and not (dated or year_in_url) and prose < SHORT_PROSE:
        why.append("no date anywhere, no article markup, little prose")
        return Verdict("other", tuple(why))
    return Verdict("article", tuple(why))


def _dated(doc: Document) -> bool:
    return doc.published is not None


class PageTypeTag(Annotator):
    """Sets `page_type` on every document."""

    name: ClassVar[str] = "page type"

    def __call__(self, doc: Document, capture: Capture) -> Document:
        verdict = classify(  # the url it was captured at: a canonical link can point home
            doc.evidence, capture.url or doc.url, dated=_dated(doc), status=capture.status
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
