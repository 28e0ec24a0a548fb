"""Hostile documents for clean(), drawn from a random.Random: text and markdown, HTML made
of real tags, random unicode (lone surrogates, NULs, controls), huge lines, mutated seeds.

Plain functions of a Random, so the hypothesis test (st.randoms()) and bench/fuzz.py (one
Random per input number, so any input can be made again from its number) draw the same
shapes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

__all__ = ["KINDS", "hostile_input", "read_seeds"]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

WORDS = (
    "Russia Syria Moscow the a of said on Tuesday officials ministry Tartus base naval "
    "diplomats talks week report"
).split()
PHRASES = [
    "Read more", "Support The Moscow Times!", "Sign up for our newsletter", "By John Smith",
    "Published: 12.01.2021", "Aktualisiert am 17.01.2021", "Share", "Tweet", "Facebook",
    "Related stories:", "Photo: AP", "© 2024 Example", "Advertisement", "Home » World » Syria",
    "Original url: <https://example.org/2012/02/07/slug>", "Here are my related diaries:",
    "Remind me later", "A Message from The Moscow Times:", "Comments", "Lesezeit: 5 min",
]  # fmt: skip
# pieces that made regexes and parsers slow or crash: openers never closed, odd characters
FRAGMENTS = [
    "**", "__", "[", "](", "![", "(", ")", "<http:", "<mailto:", "# ", "\x00", "\ud800",
    "\udfff", "\ud83d\ude00", "\u2028", "\x0b", "\x0c", "\r", "\ufeff", "\u200b", "<!--",
    "-->", "©", "»", "|", ":", "...", "\\", "&amp;", "&#0;", "&#xD800;", "\u202e", "e\u0301",
    "\ue000", "\ue001", "\t", "AAAA", "1234",
]  # fmt: skip
TAGS = [
    "div", "p", "a", "span", "article", "section", "main", "header", "footer", "nav", "aside",
    "h1", "h2", "h3", "ul", "ol", "li", "table", "tr", "td", "th", "blockquote", "pre",
    "code", "em", "strong", "b", "i", "br", "img", "figure", "figcaption", "script", "style",
    "form", "input", "button", "iframe", "noscript", "svg", "time", "address", "template",
]  # fmt: skip
ATTRIBUTES = ["class", "id", "href", "src", "rel", "itemprop", "content", "property", "name",
              "lang", "datetime", "data-component", "style", "charset"]  # fmt: skip
CLASSES = ["article", "content", "byline", "author", "newsletter", "related-links", "donate",
           "comments", "sidebar", "title", "date", "share", "promo-inline", "x" * 300]  # fmt: skip
CHARSETS = ["utf-8", "windows-1251", "koi8-r", "latin-1", "utf-16", "shift_jis", "nonsense"]


def _line(rnd: random.Random) -> str:
    """A line of words, boilerplate phrases and hostile fragments."""
    pool = rnd.choice([WORDS, WORDS + PHRASES, WORDS + FRAGMENTS, FRAGMENTS])
    return " ".join(rnd.choice(pool) for _ in range(rnd.randint(0, 40)))


def _huge_line(rnd: random.Random) -> str:
    """One piece repeated over tens of thousands of characters, after an opening."""
    opening = rnd.choice(["", "By ", "# a", "erstellt", "author: ", "please ", "Read more"])
    piece = rnd.choice(FRAGMENTS + [w + " " for w in WORDS] + ["**a ", "[](", "a.", "A"])
    return opening + piece * rnd.choice([2_000, 20_000, 60_000]) + rnd.choice(["", "!", "a"])


def _text(rnd: random.Random) -> str:
    lines = [rnd.choice(PHRASES + [_line(rnd)]) for _ in range(rnd.randint(0, 30))]
    if rnd.random() < 0.3:
        lines.insert(rnd.randint(0, len(lines)), _huge_line(rnd))
    return rnd.choice(["\n", "\n\n", "\r\n", "\r"]).join(lines)


def _attributes(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.randint(0, 3)):
        value = rnd.choice(CLASSES + PHRASES + ["https://example.org/2013/01/22/x", _line(rnd)])
        quote = rnd.choice(['"', "'", ""])
        out.append(f" {rnd.choice(ATTRIBUTES)}={quote}{value}{quote}")
    return "".join(out)


def _element(rnd: random.Random, depth: int) -> str:
    """A random element of real tags, sometimes left unclosed."""
    tag = rnd.choice(TAGS)
    children = "".join(
        _element(rnd, depth - 1) if depth and rnd.random() < 0.5 else _line(rnd)
        for _ in range(rnd.randint(0, 4))
    )
    close = f"</{tag}>" if rnd.random() < 0.9 else ""
    return f"<{tag}{_attributes(rnd)}>{children}{close}"


def _head(rnd: random.Random) -> str:
    meta = [
        f'<meta charset="{rnd.choice(CHARSETS)}">',
        f'<meta property="og:title" content="{_line(rnd)}">',
        f'<meta name="description" content="{_line(rnd)}">',
        f'<meta name="author" content="{rnd.choice(PHRASES)}">',
        f'<meta property="article:published_time" content="{rnd.choice(["2013-01-22", "x"])}">',
        '<link rel="canonical" href="https://www.example-times.com/world/2013/01/22/x">',
        '<script type="application/ld+json">'
        + rnd.choice([json.dumps({"@type": "NewsArticle", "author": _line(rnd)}), "{[", ""])
        + "</script>",
    ]
    return f"<head><title>{_line(rnd)}</title>{''.join(rnd.sample(meta, rnd.randint(0, 7)))}</head>"


def _html(rnd: random.Random) -> str:
    body = "".join(_element(rnd, 4) for _ in range(rnd.randint(1, 8)))
    if rnd.random() < 0.2:
        body += f"<p>{_huge_line(rnd)}</p>"
    start = rnd.choice(["<!DOCTYPE html>", "<?xml version='1.0'?>", "<!-- x -->" * 50, ""])
    return f"{start}<html lang='{rnd.choice(['en', 'ru', 'x' * 50])}'>{_head(rnd)}<body>{body}</body></html>"


def _unicode(rnd: random.Random) -> str:
    """Code points from everywhere: controls, surrogates, private use, astral planes."""
    ranges = [(0, 0x7F), (0x80, 0x7FF), (0xD800, 0xDFFF), (0xE000, 0xF8FF), (0x10000, 0x10FFFF)]
    out = []
    for _ in range(rnd.randint(0, 400)):
        lo, hi = rnd.choice(ranges)
        out.append(chr(rnd.randint(lo, hi)))
    return "".join(out)


def _encoded(rnd: random.Random, text: str) -> str | bytes:
    """The document as str, or as bytes in one of several encodings (some of them wrong)."""
    how = rnd.choice(["str", "utf-8", "utf-8", "latin-1", "cp1251", "utf-16", "surrogatepass"])
    if how == "str":
        return text
    if how == "surrogatepass":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(how, "replace")


def _mutated(rnd: random.Random, seeds: list[bytes]) -> bytes:
    """A seed or a generated page, cut, repeated, spliced and sprinkled with bytes."""
    data = bytearray(
        rnd.choice(seeds)
        if seeds and rnd.random() < 0.6
        else _html(rnd).encode("utf-8", "surrogatepass")
    )
    for _ in range(rnd.randint(1, 8)):
        i = rnd.randint(0, len(data))
        j = rnd.randint(i, min(len(data), i + 2000))
        op = rnd.randrange(6)
        if op == 0:
            del data[i:j]
        elif op == 1:
            data[i:i] = data[i:j] * rnd.randint(1, 50)
        elif op == 2:
            data[i:i] = rnd.choice(FRAGMENTS).encode("utf-8", "surrogatepass")
        elif op == 3:
            data[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 4:
            del data[i:]
        else:
            data[i:i] = (rnd.choice(seeds) if seeds else b"")[: rnd.randint(0, 5000)]
    return bytes(data)


KINDS: dict[str, Callable[[random.Random, list[bytes]], str | bytes]] = {
    "text": lambda rnd, seeds: _encoded(rnd, _text(rnd)),
    "html": lambda rnd, seeds: _encoded(rnd, _html(rnd)),
    "unicode": lambda rnd, seeds: _encoded(rnd, _unicode(rnd)),
    "huge line": lambda rnd, seeds: _encoded(rnd, _huge_line(rnd)),
    "mutated": _mutated,
    "random bytes": lambda rnd, seeds: bytes(
        rnd.randrange(256) for _ in range(rnd.randint(0, 3000))
    ),
}


def hostile_input(rnd: random.Random, seeds: list[bytes]) -> tuple[str, str | bytes]:
    """(kind, document): one hostile document of a random kind."""
    kind = rnd.choice(list(KINDS))
    return kind, KINDS[kind](rnd, seeds)


def read_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
