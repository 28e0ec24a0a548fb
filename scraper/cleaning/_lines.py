"""A document as lines: the unit every text rule and metadata step works on.

Each non-blank input line becomes a `Line` holding the text as written (`raw`, which may
be markdown) and as plain text (`plain`: links, emphasis, escapes and heading marks
removed). Rules match `plain`; the cleaned text is made of `plain`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Line", "split_lines", "to_plain", "word_count"]

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$>|~])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def to_plain(raw: str) -> str:
    """Markdown line -> plain text line. Harmless on text that is not markdown."""
    s = raw.translate(_INVISIBLE)
    m = _HEADING.match(s)
    if m:
        s = m.group(2)
    s = _IMAGE.sub(lambda m: m.group(1), s)
    s = _LINK.sub(lambda m: m.group(1), s)
    s = _AUTOLINK.sub(lambda m: m.group(1), s)
    s = _EMPHASIS.sub(lambda m: m.group(2), s)
    s = _ESCAPE.sub(lambda m: m.group(1), s)
    return _SPACES.sub(" ", s).strip()


def word_count(s: str) -> int:
    return len(s.split())


@dataclass(slots=True)
class Line:
    """One non-blank line; `removed` is (rule, kind) once a rule or metadata step takes it."""

    n: int  # 1-based line number in the input
    raw: str
    plain: str
    heading: bool = False
    removed: tuple[str, str] | None = None
    links: float = 0.0  # share of the characters inside links (known for HTML only)
    item: bool = False  # a list item (known for HTML only)
    link_first: bool = False  # it starts with a link (known for HTML only)
    lead: bool = False  # the page's lead, found outside trafilatura's text (cleaning/_lead.py)
    words: int = field(init=False)

    def __post_init__(self) -> None:
        self.words = word_count(self.plain)

    @property
    def kept(self) -> bool:
        return self.removed is None

    def set_raw(self, raw: str) -> None:
        self.raw = raw
        self.plain = to_plain(raw)
        self.words = word_count(self.plain)


def split_lines(text: str) -> list[Line]:
    """Split text into non-blank Lines (NFC, newlines unified, invisible characters gone)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    out: list[Line] = []
    for n, raw in enumerate(text.split("\n"), 1):
        raw = raw.rstrip()
        plain = to_plain(raw)
        if plain:
            out.append(Line(n, raw, plain, bool(_HEADING.match(raw))))
    return out
