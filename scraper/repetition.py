"""Lines that recur across many documents of one publisher: one implementation for
`scrape rules suggest` (which turns them into rule files for a person to review) and for
the corpus step of `scrape clean` (which removes them as kind `repeated`).

A line is counted once per document under its keys: the line itself, and the line with
its numbers normalised ("Listen (4 min)" and "Listen (7 min)" are one line); `suggest`
adds keys of its own (a `Label:` prefix, names set apart). A key found in at least
`min_share` of a publisher's documents, and in no fewer than `min_docs`, is frequent.

The corpus step guards article text three ways: only short lines (`max_words`), only at
the edges of a document (its first and last `edge_lines` lines, where furniture sits; a
quote repeated in follow-up stories sits in the middle), and only in shares of documents
that article text does not reach (near-duplicate copies of an article are dropped before
this step, so they cannot make its lines look frequent).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .config import RepeatedLinesConfig
from .models import Document, Removed

__all__ = ["KeyCounts", "RepeatedLines", "line_keys", "literal", "numbered"]

RULE = "corpus-repeated"
KIND = "repeated"
_NUMBER = re.compile(r"\d+")
_LABEL = re.compile(r"^([^:]{2,40}):\s+\S")


def literal(text: str) -> str:
    """A regex for text as written, readable in YAML: spaces stay spaces."""
    return re.escape(text).replace("\\ ", " ")


def numbered(text: str) -> str:
    """A regex for text with any number where it has one."""
    return r"\d+".join(map(literal, _NUMBER.split(text)))


def line_keys(text: str, *, labels: bool = True) -> list[tuple[str, str]]:
    """(key, regex) pairs a line is counted under, most specific first."""
    norm = " ".join(text.split())
    out = [("line:" + norm.casefold(), "^" + literal(norm) + "$")]
    if _NUMBER.search(norm):
        out.append(("num:" + _NUMBER.sub("0", norm).casefold(), "^" + numbered(norm) + "$"))
    if labels and (m := _LABEL.match(norm)):
        out.append(("label:" + m.group(1).casefold(), "^" + literal(m.group(1)) + r":\s"))
    return out


@dataclass
class KeyCounts:
    """In how many documents each key occurs (document frequency), over `documents`."""

    df: Counter[str] = field(default_factory=Counter)
    documents: int = 0

    def add(self, keys: Iterable[str]) -> None:
        """Count one document's keys, each once."""
        self.documents += 1
        self.df.update(set(keys))

    def threshold(self, min_share: float, min_docs: int) -> float:
        return max(min_docs, min_share * self.documents)

    def frequent(self, min_share: float, min_docs: int) -> set[str]:
        least = self.threshold(min_share, min_docs)
        return {key for key, n in self.df.items() if n >= least}


def _edges(lines: list[str], edge: int) -> list[int]:
    """The indexes of the first and last `edge` lines."""
    n = len(lines)
    return sorted({*range(min(edge, n)), *range(max(n - edge, 0), n)})


def _candidates(lines: list[str], settings: RepeatedLinesConfig) -> dict[int, list[str]]:
    """Line index -> its keys, for the lines the step may count and take."""
    return {
        i: [key for key, _ in line_keys(lines[i], labels=False)]
        for i in _edges(lines, settings.edge_lines)
        if len(lines[i].split()) <= settings.max_words
    }


@dataclass
class RepeatedLines:
    """The corpus step. The first `window` documents of a run are held, counted per
    publisher, and given out with their repeated lines removed; the rest of the run is
    judged by what that window learnt (memory stays bounded whatever the run's size)."""

    settings: RepeatedLinesConfig
    counts: dict[str, KeyCounts] = field(default_factory=lambda: defaultdict(KeyCounts))
    frequent: dict[str, set[str]] = field(default_factory=dict)

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        if not self.settings.enabled:
            yield from docs
            return
        held: list[Document] = []
        docs = iter(docs)
        for doc in docs:
            held.append(doc)
            if doc.publisher:
                lines = doc.text.split("\n\n")
                keys = [k for ks in _candidates(lines, self.settings).values() for k in ks]
                self.counts[doc.publisher].add(keys)
            if len(held) >= self.settings.window:
                break
        s = self.settings
        self.frequent = {
            publisher: counts.frequent(s.min_share, s.min_docs)
            for publisher, counts in self.counts.items()
        }
        for doc in (*held, *docs):
            yield self.clean(doc)

    def clean(self, doc: Document) -> Document:
        """The document without the lines its publisher repeats, each recorded."""
        frequent = self.frequent.get(doc.publisher or "")
        if not frequent:
            return doc
        lines = doc.text.split("\n\n")
        candidates = _candidates(lines, self.settings)
        taken = {i for i, keys in candidates.items() if frequent.intersection(keys)}
        if not taken or len(taken) == len(lines):  # all of it: not furniture but a template
            return doc
        removed = tuple(Removed(RULE, KIND, lines[i]) for i in sorted(taken))
        text = "\n\n".join(line for i, line in enumerate(lines) if i not in taken)
        return doc.replace(text=text, removed=doc.removed + removed)
