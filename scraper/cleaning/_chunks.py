"""Articles cut into chunks: put the chunks back together so trafilatura sees them all.

Some publishers split an article body into several containers of the same kind (the same
tag and class), with adverts or embeds between them. trafilatura scores each container on
its own and keeps the best one, which loses the other chunks. Like readability's sibling
merge, this finds the container that holds the extracted paragraphs, looks for other
elements of the same tag and class that hold paragraphs not yet extracted, and moves their
children into the first of them, in page order.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from ._blocks import UNMARK
from ._lines import Line

__all__ = ["join_chunks"]

_KEY = 40  # characters of a paragraph's opening that identify it
_START = 8  # of those, the first few, which a paragraph's own text (before any tag) has
_MIN_KEY_WORDS = 12  # paragraphs long enough to be article text, for finding the container
_MIN_NEW_WORDS = 100  # a chunk of an article, not a caption or a footer note
_MAX_CHUNKS = 6  # more elements of one kind are a list of posts, not one article
_MAX_LEVELS_UP = 4  # chunks of one article sit close together, not in the page footer


def _key(text: str) -> str:
    return " ".join(text[: _KEY * 4].translate(UNMARK).split())[:_KEY]


def _new_words(el: HtmlElement, seen: set[str]) -> int:
    """Words in the element's paragraphs that trafilatura did not extract."""
    texts = (p.text_content() for p in el.iter("p"))
    return sum(len(text.split()) for text in texts if _key(text) not in seen)


def join_chunks(tree: HtmlElement, lines: list[Line]) -> bool:
    """Move the article's other chunks into its first one, in place; True when any moved."""
    keys = [(_key(line.plain), line.words) for line in lines]
    seen = {key for key, _ in keys}
    wanted = {key for key, words in keys if words >= _MIN_KEY_WORDS}
    starts = {key[:_START] for key in wanted}
    parents: Counter[HtmlElement] = Counter()
    for p in tree.iter("p"):
        start = _key(p.text or "")[:_START]
        if len(start) == _START and start not in starts:
            continue  # cheap test first: text_content() on every <p> is slow on big pages
        if _key(p.text_content()) in wanted:
            parents[p.getparent()] += 1
    if not parents:
        return False
    container = parents.most_common(1)[0][0]
    cls = container.get("class")
    if not cls:
        return False  # an element without a class is too common to mean "the same kind"
    twins = [el for el in tree.iter(container.tag) if el.get("class") == cls]
    if len(twins) > _MAX_CHUNKS:
        return False
    outer = [el for el in twins if not any(a in twins for a in el.iterancestors())]
    after = outer[outer.index(container) :] if container in outer else []
    near = set(list(container.iterancestors())[:_MAX_LEVELS_UP])
    chunks = [
        el
        for el in after
        if el is container
        or (near & set(el.iterancestors()) and _new_words(el, seen) >= _MIN_NEW_WORDS)
    ]
    if len(chunks) < 2:
        return False
    first = chunks[0]
    for chunk in chunks[1:]:
        for child in list(chunk):
            first.append(child)
    return True
