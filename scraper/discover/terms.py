"""Words, their background rarity, and the terms that set the exemplars apart.

The background is wordfreq's word lists (shipped in its wheel, read offline): a word's
weight is how rare it is in general text, so "Tartus" and "Assad" outweigh "said" and
"government" whatever the exemplars are. Stopwords weigh nothing: per language, jusText's
stoplist (installed with trafilatura; function words and the words any text uses) and the
names of the days and months (CLDR, through babel). Salient terms are names and rare words
the exemplars share; news vocabulary ("officials", "reported", "talks") is not one of them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "background_language",
    "rarity",
    "salient_terms",
    "stoplist",
    "stopwords",
    "tokens",
    "url_has_terms",
]

_WORD = re.compile(r"[^\W\d_]{2,}")
_NOUNS_CAPITALISED = frozenset({"de", "lb"})  # a capital says nothing of a name there
_JOINED = re.compile(r"[A-Za-z][-_][A-Za-z]")  # words joined into a slug
_MAX_ZIPF = 8.0  # a word's rarity is 8 minus its Zipf frequency (log10 per billion words)
_SALIENT_RATIO = math.log(20)  # salient: 20 times more frequent than in general text
# A word more common than this in general text (one in 30,000 words) is everyday or news
# vocabulary ("officials", "reported", "talks": frequent in any news, whatever its topic)
# unless it names something ("Russia", "Moscow"): such a word is never salient.
_EVERYDAY_ZIPF = 4.5
# Endings that make a word of another ("reporters", "reportedly": "report", "reported"):
# a word whose stem is everyday is everyday too. Languages not listed are judged as written.
_INFLECTIONS = {"en": ("edly", "ers", "est", "ing", "ly", "er", "ed", "es", "s")}
_SENTENCES = re.compile(r"(?<=[.!?…:;])\s+|\n")


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


@lru_cache(maxsize=32)
def stoplist(language: str = "en") -> frozenset[str]:
    """jusText's stoplist for `language` (function words and the words any text uses),
    empty for a language it lacks. Its share of a line's words tells prose from furniture."""
    import justext
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return frozenset()
    english = unicodedata.normalize("NFKD", locale.english_name or "")
    english = english.encode("ascii", "ignore").decode()  # "Norwegian Bokmål" -> "...Bokmal"
    lists = justext.get_stoplists()
    for name in (english.replace(" ", "_"), english.split(" ")[0]):  # "Haitian Creole"
        if name in lists:
            return frozenset(w for entry in justext.get_stoplist(name) for w in tokens(entry))
    return frozenset()


@lru_cache(maxsize=32)
def stopwords(language: str = "en") -> frozenset[str]:
    """Words that say nothing of a topic in `language`: its stoplist and the names of the
    days and months in every form CLDR has (empty for a language neither has)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return frozenset()
    words: set[str] = set(stoplist(language))
    for names in (get_day_names, get_month_names):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                found = names(width, context=context, locale=locale).values()
                words.update(w for name in found for w in tokens(name))
    return frozenset(words)


def _name_shares(texts: Iterable[str]) -> dict[str, float]:
    """For each word, the share of its uses inside a sentence that are capitalised: 1.0
    for "Assad" and "Moscow", 0 for "regime" (a sentence's first word says nothing)."""
    capitalised: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for text in texts:
        for sentence in _SENTENCES.split(text):
            for word in _WORD.findall(sentence)[1:]:
                inside[word.casefold()] += 1
                capitalised[word.casefold()] += word[0].isupper()
    return {w: capitalised[w] / n for w, n in inside.items()}


def _everyday(word: str, language: str) -> bool:
    """Whether the word, or its stem ("reporters" -> "report"), is everyday or news
    vocabulary: more common than _EVERYDAY_ZIPF in general text."""
    stems = (word[: -len(end)] for end in _INFLECTIONS.get(language, ()) if word.endswith(end))
    forms = [word, *(stem for stem in stems if len(stem) >= 4)]
    return any(_MAX_ZIPF - rarity(form, language) > _EVERYDAY_ZIPF for form in forms)


def salient_terms(
    texts: Iterable[str], language: str = "en", n: int = 20
) -> list[tuple[str, float]]:
    """The `n` words most characteristic of the exemplars (their texts), with weights.

    A candidate is 20 times more frequent in the exemplars than in general text, used by
    two of them or more (a word one exemplar uses is not what they share), not a stopword,
    and a name or a word rarer than everyday and news vocabulary. Its weight =
    (exemplars that use it) × log(its share of the exemplars' words / its share of general
    text) × (1 + the share of its uses that are capitalised): "Russia", used by every
    exemplar, beats "Tuesday" (a stopword), "officials" (common in any news) and a name
    only one exemplar mentions.
    """
    texts = list(texts)
    stop = stopwords(language)
    names = {} if language in _NOUNS_CAPITALISED else _name_shares(texts)
    uses: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    for text in texts:
        counts = Counter(tokens(text))
        uses.update(counts)
        spread.update(counts.keys())
    total = sum(uses.values()) or 1
    shared = min(2, len(texts))
    scored = []
    for word, count in uses.items():
        if len(word) < 3 or word in stop or spread[word] < shared:
            continue
        name = names.get(word, 0.0)
        if name < 0.5 and _everyday(word, language):
            continue
        ratio = math.log((count / total) / 10 ** (max(_MAX_ZIPF - rarity(word, language), 1) - 9))
        if ratio > _SALIENT_RATIO:
            scored.append((word, round(spread[word] * ratio * (1 + name), 3)))
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
