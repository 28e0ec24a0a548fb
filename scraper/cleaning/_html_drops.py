"""What the HTML stage took out of a page, for `scrape explain`.

The text rules record every line they drop, but most of an HTML page never reaches them:
trafilatura keeps only the main text, and a publisher's `prune_xpath`/`prune_css` removes
elements before it looks. To show those decisions too, the page is split into its visible
blocks (paragraphs, headings, list items, cells, ...) and every block whose text is not in
the extracted lines is reported: rule `html.prune` when a prune rule matched it, else
`html.trafilatura` (kind `boilerplate`). Only explain pays for this; cleaning does not.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from ._blocks import unmarked
from ._lines import Line

__all__ = ["PRUNE", "TRAFILATURA", "html_drops"]

PRUNE = "html.prune"
TRAFILATURA = "html.trafilatura"
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
_BLOCKS = frozenset(
    "p div li td th h1 h2 h3 h4 h5 h6 blockquote pre section article header footer nav aside"
    " ul ol dl dt dd table tr figure figcaption caption form main address br hr".split()
)


def _page_blocks(root: HtmlElement, pruned: set[HtmlElement]) -> list[tuple[str, str]]:
    """(rule, text) of each visible block, in page order; rule PRUNE inside pruned elements."""
    out: list[tuple[str, str]] = []
    parts: list[str] = []

    def flush(rule: str) -> None:
        text = unmarked("".join(parts))
        parts.clear()
        if text:
            out.append((rule, text))

    def walk(el: HtmlElement, rule: str) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag and tag not in _INVISIBLE:  # comments and processing instructions: tail only
            inner = PRUNE if el in pruned else rule
            block = tag in _BLOCKS or inner != rule
            if block:
                flush(rule)
            parts.append(el.text or "")
            for child in el:
                walk(child, inner)
            if block:
                flush(inner)
        parts.append(el.tail or "")

    walk(root, TRAFILATURA)
    flush(TRAFILATURA)
    return out


def _matches(tree: HtmlElement, xpaths: Iterable[str]) -> set[HtmlElement]:
    found: set[HtmlElement] = set()
    for xpath in xpaths:
        try:
            found.update(el for el in tree.xpath(xpath) if isinstance(el, HtmlElement))
        except Exception:  # an XPath lxml refuses here was refused by trafilatura too
            continue
    return found


def html_drops(
    tree: HtmlElement, lines: list[Line], prune_xpath: list[str]
) -> list[tuple[str, str, str]]:
    """(rule, kind, text) for each block of the page that is not in `lines`, in page order."""
    extracted = f" {unmarked(' '.join(line.plain for line in lines))} "
    body = tree.find("body")
    blocks = _page_blocks(body if body is not None else tree, _matches(tree, prune_xpath))
    return [
        (rule, "boilerplate", text)
        for rule, text in blocks
        if rule == PRUNE or f" {text} " not in extracted
    ]
