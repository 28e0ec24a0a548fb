"""What a page says about what kind of page it is: read from the markup and the text shape.

The decision (article, listing, home, ...) is made in filters/page_type.py from these
signals; they are gathered here because only cleaning has the parsed page and its lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from lxml.html import HtmlElement

from ..models import PageEvidence
from ._lines import Line

__all__ = ["evidence", "html_signals", "text_shape"]

_LD_LIMIT = 200_000  # characters of JSON-LD read per page
_TYPE_TAIL = re.compile(r"[^/#:]+$")
_PLAYERS = ("youtube", "vimeo", "dailymotion", "soundcloud", "spotify", "podcast", "player")
_MEDIA = "count(//video | //audio | //iframe[{}])".format(
    " or ".join(f'contains(@src, "{p}")' for p in _PLAYERS)
)
# Han, kana, Hangul, Thai: written without spaces between words
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _words(line: Line) -> int:
    """Words in a line, also in scripts without spaces (about two characters a word)."""
    return max(line.words, len(_UNSPACED.findall(line.plain)) // 2)


def _ld_types(node: object, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node[:50]:
            yield from _ld_types(item, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        for value in kind if isinstance(kind, list) else [kind]:
            if isinstance(value, str):
                yield value
        if "@graph" in node:
            yield from _ld_types(node["@graph"], depth + 1)
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _ld_types(main, depth + 1)


def _schema_types(tree: HtmlElement) -> tuple[str, ...]:
    found: list[str] = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]/text()')[:10]:
        try:
            found += _ld_types(json.loads(script[:_LD_LIMIT]))
        except (ValueError, RecursionError):
            continue
    for itemtype in tree.xpath("//*[@itemtype]/@itemtype")[:20]:
        for value in itemtype.split():
            m = _TYPE_TAIL.search(value)
            if m:
                found.append(m.group(0))
    return tuple(dict.fromkeys(found))


def _first(values: Iterable[str]) -> str | None:
    for v in values:
        v = v.strip()
        if v:
            return v
    return None


def html_signals(tree: HtmlElement) -> dict[str, object]:
    """og:type, schema.org types, <article> count, canonical link and <title>."""
    og = _first(tree.xpath('//meta[@property="og:type" or @name="og:type"]/@content'))
    title = _first(t.text_content() for t in tree.xpath("//head/title | //title")[:1])
    return {
        "html": True,
        "og_type": og.lower() if og else None,
        "schema_types": _schema_types(tree),
        "article_tags": int(tree.xpath("count(//article)")),
        "headline_links": int(tree.xpath("count(//h2[.//a] | //h3[.//a] | //h4[.//a])")),
        "media": int(tree.xpath(_MEDIA)),
        "canonical": _first(tree.xpath('//link[@rel="canonical"]/@href')),
        "title": " ".join(title.split())[:300] if title else None,
    }


def _headline(line: Line, words: int) -> bool:
    return (line.links >= 0.5 or line.heading) and words <= 20


def text_shape(lines: list[Line]) -> dict[str, int]:
    """How the text is built: prose in runs (an article), or short headlines (links or
    headings) each followed by one short teaser and then the next headline (a listing).
    Lines the rules removed count for the teasers (a box of teasers is what they remove)
    but not for the prose."""
    n = [_words(line) for line in lines]
    link_lines = teasers = longest = run = 0
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            _headline(line, n[i])
            and nxt is not None
            and nxt.links < 0.5
            and not nxt.heading
            and n[i + 1] <= 50
            and (i + 2 == len(lines) or _headline(lines[i + 2], n[i + 2]))
        ):
            teasers += 1
            run = 0
        if line.links >= 0.5:
            link_lines += 1
            run = 0
            continue
        if line.heading or not line.kept:
            continue
        run += n[i]
        longest = max(longest, run)
    kept = [i for i, line in enumerate(lines) if line.kept]
    return {
        "lines": len(kept),
        "link_lines": link_lines,
        "teaser_blocks": teasers,
        "longest_prose": longest,
        "words": sum(n[i] for i in kept),
    }


def evidence(
    signals: dict[str, object] | None, lines: list[Line], *, language: str | None = None
) -> PageEvidence:
    """The page's evidence, ready for filters/page_type.py."""
    return PageEvidence(**(signals or {}), **text_shape(lines), html_language=language)
