"""HTML -> Lines: trafilatura finds the main content, we keep its structure.

Settings, each measured on ../shared/bench (bench/extraction.py): `fast=True` skips
trafilatura's readability/justext comparison, which costs a third of its time and on
full-text pages picks a worse candidate about as often as a better one; it runs only when
the fast text is short (main_lines). `favor_recall`
because the line rules afterwards take out what recall lets through (scrapinghub F1
0.9726 with it, 0.9694 without; trafilatura-eval 0.9199 and 0.9214).
`include_comments=False` measured better on every set. Links are marked in the text
(blocks.py) rather than kept as trafilatura links, which change what it extracts.
`deduplicate=False` because trafilatura's dedup cache is process-global, which would make
output depend on what the process cleaned before.
"""

from __future__ import annotations

import re

import trafilatura
from lxml.html import HtmlElement

from ..errors import InputError, NoTextError
from ._blocks import body_lines, mark_links
from ._chunks import join_chunks
from ._decode import decode_page
from ._lines import Line

__all__ = ["main_lines", "page_words", "parse_html", "reference_lines"]

# Below this many characters the fast extraction may have found the wrong block; see
# main_lines. Measured on ../shared/bench (1000 and 2000 scored the same).
SHORT_TEXT = 1000
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(html: str | bytes, *, content_type: str | None = None) -> HtmlElement:
    """The page as an lxml tree; InputError when unparseable.

    Bytes are decoded by cleaning/_decode.py (BOM, the HTTP charset, <meta charset>, then
    detection, with a mojibake check), not left to lxml's guess."""
    if isinstance(html, bytes):
        html = decode_page(html, content_type).text
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses one in a str
    try:
        tree = trafilatura.load_html(html)
    except Exception as e:  # lxml raises many kinds on broken pages
        raise InputError(f"HTML unparseable: {type(e).__name__}: {e}") from None
    if tree is None:
        raise InputError("HTML unparseable or empty")
    return tree


def main_lines(
    tree: HtmlElement,
    *,
    url: str | None,
    prune_xpath: list[str],
    full_out: list[Line] | None = None,
) -> list[Line]:
    """The main text as Lines; InputError when the page holds none.

    Marks the links of `tree` in place (read its metadata first), and joins an article cut
    into chunks (chunks.py); trafilatura works on a copy. `full_out` receives the full-mode
    lines when a short text made us extract them: the collapse guard's reference, free.
    """
    mark_links(tree)
    lines = _extract(tree, url, prune_xpath)
    if lines and join_chunks(tree, lines):
        lines = _extract(tree, url, prune_xpath)
    if _chars(lines) < SHORT_TEXT:
        # A short text may be the wrong block: trafilatura's full mode, which checks its
        # choice against readability and jusText, is taken when it finds more text
        # elsewhere. When it only adds to the same text, what it adds is mostly the
        # teasers around a short article, so the fast text stays.
        full = _extract(tree, url, prune_xpath, fast=False)
        if full_out is not None:
            full_out[:] = full
        if _chars(full) > _chars(lines) and not _covers(full, lines):
            lines = full
    if not lines:
        raise NoTextError("no article text found in the HTML")
    return lines


def reference_lines(
    tree: HtmlElement, *, url: str | None, prune_xpath: list[str], recall: bool = True
) -> list[Line]:
    """trafilatura's full mode (comments off), as main_lines runs it on short texts: what
    the collapse guard (cleaning/_guard.py) checks ours against. `recall=False`: with
    trafilatura's default balance, which on some pages takes another, larger block than
    favor_recall does. Empty when it finds none."""
    try:
        return _extract(tree, url, prune_xpath, fast=False, recall=recall)
    except InputError:
        return []


def page_words(tree: HtmlElement) -> int:
    """Words of text anywhere in the page's body, scripts and styles aside."""
    texts = tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    return sum(len(t.split()) for t in texts)


def _covers(full: list[Line], lines: list[Line]) -> bool:
    """Whether `full` holds (nearly) all of `lines`: more of the same text, not other text."""
    have = {line.plain for line in full}
    return sum(len(line.plain) for line in lines if line.plain in have) >= 0.8 * _chars(lines)


def _chars(lines: list[Line]) -> int:
    return sum(len(line.plain) for line in lines)


def _extract(
    tree: HtmlElement,
    url: str | None,
    prune_xpath: list[str],
    *,
    fast: bool = True,
    recall: bool = True,
) -> list[Line]:
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            fast=fast,
            favor_recall=recall,
            include_comments=False,
            deduplicate=False,
            prune_xpath=prune_xpath or None,
        )
    except Exception as e:  # lxml and trafilatura raise many kinds on broken pages
        raise InputError(f"HTML extraction failed: {type(e).__name__}: {e}") from None
    return body_lines(doc.body) if doc is not None and doc.body is not None else []
