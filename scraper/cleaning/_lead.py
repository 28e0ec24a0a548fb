"""The lead paragraph that trafilatura leaves out, found again through the page's summary.

Many publishers set the article's lead (standfirst, intro, "Vorspann") apart from the body,
in the header beside the headline, where trafilatura's content scoring does not look. The
same words are usually the page's `description`. When the description is visible in the
page, outside the extracted text, that element's text is put back as the first paragraph.

A short description (a one-line subtitle) is left out: measured on ../shared/bench, human
annotators count a lead paragraph as article text and a subtitle as not.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ._blocks import unmarked

__all__ = ["LEAD_MIN_WORDS", "find_lead"]

LEAD_MIN_WORDS = 20  # a description shorter than this is a subtitle, not a lead

_KEY_CHARS = 60  # a description's opening, enough to be unique on the page
_CANDIDATES = ("p", "div", "span", "h2", "h3", "strong", "b", "em", "header", "section", "td")
_CLIMB = 3  # how far up from the element where the description starts


def _trimmed(description: str) -> str:
    """Without a trailing ellipsis: many sites cut the description short."""
    return unmarked(description).rstrip(".…").rstrip()


def find_lead(
    tree: HtmlElement,
    description: str | None,
    body_text: str,
    *,
    min_words: int = LEAD_MIN_WORDS,
) -> str | None:
    """The page's lead paragraph when it is visible and not in `body_text`, else None."""
    if not description:
        return None
    wanted = _trimmed(description)
    if len(wanted.split()) < min_words:
        return None
    key = wanted[:_KEY_CHARS]
    if key in unmarked(body_text):
        return None
    first_words = " ".join(key.split()[:3])
    limit = len(wanted) * 3 // 2 + 40  # the element is the lead, not a whole article
    body = tree.find("body")
    best: str | None = None
    for el in (body if body is not None else tree).iter(*_CANDIDATES):
        if not unmarked(el.text or "").startswith(first_words):
            continue
        for node in (el, *list(el.iterancestors())[:_CLIMB]):
            text = unmarked(node.text_content())
            if len(text) > limit:
                break
            if key in text:
                if best is None or len(text) < len(best):
                    best = text
                break
    return best
