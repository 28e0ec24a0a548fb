"""Words, their background rarity, and the terms that set the exemplars apart.

The background is wordfreq's word lists (shipped in its wheel, read offline): a word's
weight is how rare it is in general text, so "Tartus" and "Assad" outweigh "said" and
"government" whatever the exemplars are. Salient terms are rare words the exemplars share.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "background_language",
    "rarity",
    "salient_terms",
    "tokens",
    "url_has_terms",
]

_WORD = re.compile(r"[^\W\d_]{2,}")
_JOINED = re.compile(r"[A-Za-z][-_][A-Za-z]")  # words joined into a slug
_MAX_ZIPF = 8.0  # a word's rarity is 8 minus its Zipf frequency (log10 per billion words)
_SALIENT_RATIO = math.log(20)  # salient: 20 times more frequent than in general text


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


def background_language(language: str | None) -> str | None:
    """The wordfreq list for a language code, or None where wordfreq has none."""
    if not language:
        return None
    code = language.split("-")[0].lower()
    return code if code in _languages() else None


def tokens(text: str) -> list[str]:
    """Lower-cased words of two letters or more (possessive 's and digits dropped)."""
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=200_000)
def rarity(word: str, language: str = "en") -> float:
    """0 for the commonest words, 8 for words the background never saw."""
    from wordfreq import zipf_frequency

    return max(0.0, _MAX_ZIPF - zipf_frequency(word, language))


def salient_terms(
    texts: Iterable[list[str]], language: str = "en", n: int = 20
) -> list[tuple[str, float]]:
    """The `n` words most characteristic of the exemplars, with their weights.

    weight = (exemplars that use the word) × log(its share of the exemplars' words / its
    share of general text): "Russia", used by every exemplar and far more often than in
    general text, beats "Tuesday" (used by several, but common anyway) and a rare word only
    one exemplar uses once.
    """
    uses: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    for words in texts:
        counts = Counter(words)
        uses.update(counts)
        spread.update(counts.keys())
    total = sum(uses.values()) or 1
    scored = []
    for word, count in uses.items():
        if len(word) < 3:
            continue
        background = 10 ** (max(_MAX_ZIPF - rarity(word, language), 1.0) - 9)
        ratio = math.log((count / total) / background)
        if ratio > _SALIENT_RATIO:
            scored.append((word, round(spread[word] * ratio, 3)))
    scored.sort(key=lambda t: (-t[1], t[0]))
    return scored[:n]


def url_has_terms(url: str, terms: Iterable[str]) -> bool:
    """Whether a url's slug names one of the terms (as a word or a word's start: "syria"
    matches "syrian"). The slug is the path segments of several words joined by - or _;
    a url without one (ids, dates, sections) has nothing to judge by and counts as a match.
    """
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
    words = []
    for segment in path.split("/"):
        found = tokens(segment)
        if len(found) >= 2 and _JOINED.search(segment):
            words += found
    if not words:
        return True
    return any(w.startswith(t) for w in words for t in terms)
