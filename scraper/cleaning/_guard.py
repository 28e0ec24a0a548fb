"""A per-page guard against collapse: our text checked against trafilatura's own.

Our HTML path (fast mode, favor_recall, chunks joined, then line rules) beats trafilatura
on average, but on a few pages it collapses: the fast extraction takes the wrong block (a
menu, a teaser), or a structural rule takes a page that is a list of links for a box of
other stories. trafilatura's full mode (which checks its choice against readability and
jusText) is the reference: when our text is a
different text, we fall back to it; when rules cut it to under half of it, the lines they
dropped that the reference holds come back.

When ours and the reference both come out short on a page with far more text,
trafilatura's default balance (not favor_recall) is asked as well: on some layouts it
takes another, larger block, the page's text, where both took a fragment; it becomes the
reference when it finds a page's worth.

The reference costs a second extraction (free where main_lines made it already for a
short text), so it runs only when a cheap signal says our text
is suspect: few words kept, most of the extracted words dropped by rules, text that is
mostly link text, or text with hardly a full stop (a menu flattened into one run).
"""

from __future__ import annotations

import re
from collections import Counter

from ._lines import Line

__all__ = ["SUSPECT_WORDS", "fragment", "restore_dropped", "suspect", "verdict"]

SUSPECT_WORDS = 150  # fewer kept words than this: check against the reference
_LINK_SHARE = 0.5  # kept text that is mostly links is likely a menu
_SHORT = 0.5  # kept words under this share of the reference's: collapsed
_SAME = 0.5  # share of our words found in the reference, under which it is another text
_MIN_REF_WORDS = 30  # a reference shorter than this is no evidence
_FRAGMENT = 0.1  # ours, though the reference's text, is under this share of it: a fragment
_WORDS_PER_STOP = 60  # prose ends a sentence every 15-30 words; a menu hardly ever
_PAGE_TIMES = 20  # the page's words over what both found, from which they found a fragment
_STOP = re.compile(r"[.!?。！？]")


def suspect(lines: list[Line]) -> bool:
    """The cheap signal: whether our text may have collapsed (no second extraction)."""
    kept = [line for line in lines if line.kept]
    words = sum(line.words for line in kept)
    if words < SUSPECT_WORDS or words < _SHORT * sum(line.words for line in lines):
        return True
    chars = sum(len(line.plain) for line in kept)
    if sum(line.links * len(line.plain) for line in kept) > _LINK_SHARE * chars:
        return True
    stops = sum(len(_STOP.findall(line.plain)) for line in kept)
    return words > _WORDS_PER_STOP * (stops + 1)


def fragment(lines: list[Line], reference: list[Line], page_words: int) -> bool:
    """Whether ours and the reference both came out short on a page that holds twenty
    times more text: then both may have taken the same fragment, and another extraction
    is worth its cost (it is a slow one: ~8% of article pages are short, ~0.4% are this)."""
    kept = sum(line.words for line in lines if line.kept)
    found = max(kept, sum(line.words for line in reference))
    return found < SUSPECT_WORDS and page_words >= _PAGE_TIMES * found


def _bag(lines: list[Line], *, kept_only: bool) -> Counter[str]:
    return Counter(
        w for line in lines if line.kept or not kept_only for w in line.plain.lower().split()
    )


def verdict(lines: list[Line], reference: list[Line]) -> str:
    """'restore' the lines rules dropped (ours is the reference's text, cut to under half),
    'replace' ours with the reference (another text), or 'keep' ours."""
    ref = _bag(reference, kept_only=False)
    total = sum(ref.values())
    if total < _MIN_REF_WORDS:
        return "keep"
    ours = _bag(lines, kept_only=True)
    mine = sum(ours.values())
    if mine < _SHORT * total and sum(line.words for line in lines) >= _SHORT * total:
        return "restore"
    if mine < _FRAGMENT * total or sum((ours & ref).values()) < _SAME * mine:
        return "replace"
    return "keep"


def restore_dropped(lines: list[Line], reference: list[Line]) -> set[int]:
    """Keep again the lines rules dropped whose text the reference holds; their numbers.

    Title and metadata lines stay out: they are read into their own fields."""
    have = {line.plain for line in reference}
    back = set()
    for line in lines:
        if line.removed and line.plain in have and line.removed[1] != "title":
            if not line.removed[0].startswith("meta."):
                line.removed = None
                back.add(line.n)
    return back
