"""A document as lines: the unit every text rule and metadata step works on.

Each non-blank input line becomes a `Line` holding the text as written (`raw`, which may
be markdown) and as plain text (`plain`: links, emphasis, escapes and heading marks
removed). Rules match `plain`; the cleaned text is made of `plain`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

__all__ = ["Line", "split_lines", "to_plain", "word_count"]

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")  # the heading text is found by _heading
_AUTOLINK = re.compile(r"<(?:https?|mailto):")
_AUTOLINK_END = re.compile(r"[>\s]")
_PARENS = re.compile(r"[()]")
_DELIMITERS = re.compile(r"(?=(\*\*|__))")  # every start of one, overlapping ones too
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$>|~])")
# every kind of space, so that no rule pattern meets a run of them (a run can make one slow)
_SPACES = re.compile(r"\s+")
# a character each markdown construct below needs (headings, links, images, autolinks,
# emphasis, escapes): a line with none of them is plain already
_MARKUP = ("#", "[", "<", "*", "_", "\\")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Markdown is taken apart by the scanners below, not by regexes: they give exactly what
#   heading   ^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$
#   image     !\[([^\]]*)\]\([^)]*\)
#   link      \[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)
#   autolink  <((?:https?|mailto):[^>\s]+)>
#   emphasis  (\*\*|__)(?=\S)(.+?)(?<=\S)\1
# gave (each replaced by its group), in time linear in the line, where those regexes took
# quadratic time on a line of unclosed openers ("**a " * 20000 took 13 s).


def _heading(s: str) -> str | None:
    """The text of a `# Heading ##` line, or None when the line is not a heading."""
    m = _HEADING.match(s)
    if m is None:
        return None
    text = s[m.end() :].rstrip()
    bare = text.rstrip("#")
    if len(bare) < len(text) and bare[-1:].isspace():  # closing hashes
        text = bare.rstrip()
    return None if "\n" in text else text


def _strip_images(s: str) -> str:
    """![alt](target) -> alt."""
    out, pos, start = [], 0, s.find("![")
    while start != -1:
        close = s.find("]", start + 2)
        if close == -1:
            break
        end = s.find(")", close + 2) if s.startswith("(", close + 1) else -1
        if end == -1:
            start = s.find("![", close + 1)  # every opener before `close` fails the same way
            continue
        out += [s[pos:start], s[start + 2 : close]]
        pos = end + 1
        start = s.find("![", pos)
    return "".join(out) + s[pos:]


class _Targets:
    """Where a link's `(target)` ends, for every start in one string: a target holds
    characters and whole `( ... )` groups, then `)`. Each walk step jumps to the next
    parenthesis, and walks that meet share the rest of their way (memo)."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.parens = [m.start() for m in _PARENS.finditer(s)]
        self.closing = [i for i in self.parens if s[i] == ")"]
        self.memo: dict[int, int | None] = {}

    def end(self, p: int) -> int | None:
        """End of the target that starts at p (just past its `)`), or None."""
        path: list[int] = []
        end: int | None = None
        while p not in self.memo:
            path.append(p)
            k = bisect_left(self.parens, p)
            if k == len(self.parens):
                break
            q = self.parens[k]
            if self.s[q] == ")":
                end = q + 1
                break
            k = bisect_right(self.closing, q)  # a group runs to the first `)` after its `(`
            if k == len(self.closing):
                break
            p = self.closing[k] + 1
        else:
            end = self.memo[p]
        self.memo.update(dict.fromkeys(path, end))
        return end


def _strip_links(s: str) -> str:
    """[text](target) -> text (a target may hold one level of parentheses)."""
    if "](" not in s:
        return s
    targets = _Targets(s)
    out, pos, start = [], 0, s.find("[")
    while start != -1:
        close = s.find("]", start + 1)
        if close == -1:
            break
        end = targets.end(close + 2) if s.startswith("(", close + 1) else None
        if end is None:
            start = s.find("[", close + 1)  # every opener before `close` fails the same way
            continue
        out += [s[pos:start], s[start + 1 : close]]
        pos = end
        start = s.find("[", pos)
    return "".join(out) + s[pos:]


def _strip_autolinks(s: str) -> str:
    """<https://example.org> -> https://example.org."""
    out, pos = [], 0
    m = _AUTOLINK.search(s)
    while m is not None:
        stop = _AUTOLINK_END.search(s, m.end())
        if stop is None:
            break
        end = stop.start()
        if end > m.end() and s[end] == ">":
            out += [s[pos : m.start()], s[m.start() + 1 : end]]
            pos = end + 1
        m = _AUTOLINK.search(s, end)  # an opener inside the failed run fails the same way
    return "".join(out) + s[pos:]


def _strip_emphasis(s: str) -> str:
    """**bold** and __bold__ -> bold: each opener closes at the first delimiter of its kind
    that follows a non-space (found by bisection, not by scanning the rest of the line)."""
    if "\n" in s:  # no emphasis spans a newline
        return "\n".join(map(_strip_emphasis, s.split("\n")))
    found = [(m.start(), m.group(1)) for m in _DELIMITERS.finditer(s)]
    if len(found) < 2:
        return s
    closers = {
        d: [i for i, kind in found if kind == d and i and not s[i - 1].isspace()]
        for d in ("**", "__")
    }
    out, pos = [], 0
    for start, d in found:
        if start < pos or start + 2 >= len(s) or s[start + 2].isspace():
            continue
        after = closers[d]
        k = bisect_left(after, start + 3)  # the text between is one character or more
        if k < len(after):
            out += [s[pos:start], s[start + 2 : after[k]]]
            pos = after[k] + 2
    return "".join(out) + s[pos:]


def to_plain(raw: str) -> str:
    """Markdown line -> plain text line. Harmless on text that is not markdown."""
    s = raw.translate(_INVISIBLE)
    if not any(mark in s for mark in _MARKUP):  # most lines: nothing to take apart
        return " ".join(s.split())  # what _SPACES.sub(" ", s).strip() gives
    heading = _heading(s)
    s = s if heading is None else heading
    s = _strip_links(_strip_images(s))
    s = _strip_emphasis(_strip_autolinks(s))
    s = _ESCAPE.sub(lambda m: m.group(1), s)
    return _SPACES.sub(" ", s).strip()


def word_count(s: str) -> int:
    return len(s.split())


_BULLETS = ("* ", "+ ", "- ", "• ", "o ")


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

    @property
    def bulleted(self) -> bool:
        """A list item: of HTML, or of a dump ("* Menu", "+ Sport", "• Home")."""
        return self.item or self.raw.lstrip().startswith(_BULLETS)

    @property
    def list_level(self) -> tuple[int, str] | None:
        """Where a written list item sits in its list: its indent and its marker (a
        browser's copy marks nested levels `*`, `+`, `o`; markdown indents them)."""
        bare = self.raw.lstrip()
        if not bare.startswith(_BULLETS):
            return None
        return len(self.raw) - len(bare), bare[0]

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
            out.append(Line(n, raw, plain, _heading(raw) is not None))
    return out
