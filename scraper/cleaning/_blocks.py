"""trafilatura's XML body -> Lines, keeping what the HTML said about each line.

trafilatura's own text output flattens the page into lines and forgets which words were
links and which lines were list items; the structural rules need both (a list of headline
links is a related-articles box, a paragraph with one link is article text).
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from ._lines import Line, to_plain

__all__ = ["LINK_CLOSE", "LINK_OPEN", "UNMARK", "body_lines", "mark_links", "unmarked"]

# Private-use characters put around each link's text before extraction: they pass through
# trafilatura as text (its own link output changes what it extracts, measured worse), and
# body_lines counts and removes them.
LINK_OPEN, LINK_CLOSE = "\ue000", "\ue001"
UNMARK = dict.fromkeys(map(ord, LINK_OPEN + LINK_CLOSE))  # str.translate table: marks out


def unmarked(text: str) -> str:
    """Page text without link marks, whitespace collapsed: for comparing with Lines."""
    return " ".join(text.translate(UNMARK).split())


_MARKS = re.compile(f"([{LINK_OPEN}{LINK_CLOSE}])")

# elements that start and end a line; inside a list item, head and p only add a space
_BLOCK = frozenset({"p", "head", "quote", "code", "list", "table", "row", "item", "div"})
_SKIP = frozenset({"graphic"})


class _Builder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.depth = 0  # inside how many links, across pieces
        self.heading = False
        self.item = False

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def _unmark(self) -> tuple[str, int, bool]:
        """The text without link marks, how many of its characters were inside links, and
        whether it starts inside one."""
        out, link_chars, link_first = [], 0, None
        for piece in _MARKS.split("".join(self.parts)):
            if piece == LINK_OPEN:
                self.depth += 1
            elif piece == LINK_CLOSE:
                self.depth = max(0, self.depth - 1)
            else:
                out.append(piece)
                if link_first is None and piece.strip():
                    link_first = self.depth > 0
                if self.depth:
                    link_chars += len("".join(piece.split()))
        return "".join(out), link_chars, bool(link_first)

    def space(self) -> None:
        self.parts.append(" ")

    def flush(self, *, block_end: bool) -> None:
        text, link_chars, link_first = self._unmark()
        text = " ".join(text.split())
        plain = to_plain(text)
        if plain:
            chars = len("".join(plain.split()))
            line = Line(len(self.lines) + 1, text, plain, self.heading)
            line.links = min(1.0, link_chars / chars) if chars else 0.0
            line.item = self.item
            line.link_first = link_first
            self.lines.append(line)
        self.parts = []
        if block_end:
            self.heading = self.item = False


def _walk(el: _Element, b: _Builder, in_item: bool) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP:
        b.add(el.tail)
        return
    inline_in_item = in_item and tag in ("p", "head")
    if tag in _BLOCK and not inline_in_item:
        b.flush(block_end=True)
        b.heading = tag == "head"
        b.item = tag == "item" or (in_item and tag != "list")
    elif inline_in_item:
        b.space()
    elif tag == "lb":
        b.flush(block_end=False)
    elif tag == "cell" and el.getprevious() is not None:
        b.add(" | ")
    if tag == "row":  # as trafilatura writes rows, which the breadcrumb rule knows
        b.add("| ")
    b.add(el.text)
    for child in el:
        _walk(child, b, in_item or tag == "item")
    if tag == "row":
        b.add(" |")
    if tag in _BLOCK and not inline_in_item:
        b.flush(block_end=True)
    elif inline_in_item:
        b.space()
    b.add(el.tail)


def body_lines(body: _Element) -> list[Line]:
    """One Line per paragraph, heading, list item, table row or <br>-separated piece."""
    b = _Builder()
    b.add(body.text)
    for child in body:
        _walk(child, b, False)
    b.flush(block_end=True)
    return b.lines


def mark_links(tree: _Element) -> None:
    """Put LINK_OPEN/LINK_CLOSE around the text of every link that has text, in place
    (once: a tree already marked is left as it is)."""
    for a in tree.iter("a"):
        if (a.text or "").startswith(LINK_OPEN) or not "".join(a.itertext()).strip():
            continue
        a.text = LINK_OPEN + (a.text or "")
        if len(a):
            a[-1].tail = (a[-1].tail or "") + LINK_CLOSE
        else:
            a.text += LINK_CLOSE
