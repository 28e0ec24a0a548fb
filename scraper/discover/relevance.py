"""How like the exemplars a cleaned document is: a score and the nearest exemplar.

Each text becomes a bag of words weighted by log(1 + uses) × rarity in general text (the
wordfreq background, see terms.py), with the exemplars' salient terms counted double.
The score is the cosine to the nearest exemplar: 1.0 for an exemplar itself, ~0.1 for
ordinary news from the same sites. No model is downloaded, and every score can be
explained by the words that contributed most to it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ..models import Document, Relevance
from .terms import background_language, rarity, salient_terms, tokens

__all__ = ["Exemplar", "RelevanceModel", "build_model"]

_SALIENT_BOOST = 2.0
_EXPLAINED_TERMS = 8


@dataclass(frozen=True)
class Exemplar:
    id: str
    title: str | None
    vector: dict[str, float]
    norm: float


@dataclass(frozen=True)
class RelevanceModel:
    exemplars: tuple[Exemplar, ...]
    salient: tuple[tuple[str, float], ...]
    language: str  # the background word list used

    def vector(self, text: str) -> dict[str, float]:
        boost = {t for t, _ in self.salient}
        counts = Counter(tokens(text))
        return {
            w: math.log1p(c) * rarity(w, self.language) * (_SALIENT_BOOST if w in boost else 1.0)
            for w, c in counts.items()
        }

    def score(self, text: str, *, explain: bool = False) -> Relevance:
        """Cosine to the nearest exemplar; with `explain`, the words that drove it."""
        vec = self.vector(text)
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm or not self.exemplars:
            return Relevance(0.0, None, ())
        best, nearest = -1.0, self.exemplars[0]
        for ex in self.exemplars:
            dot = sum(v * ex.vector.get(w, 0.0) for w, v in vec.items())
            cos = dot / (norm * ex.norm)
            if cos > best + 1e-12:
                best, nearest = cos, ex
        terms: tuple[tuple[str, float], ...] = ()
        if explain:
            share = {
                w: v * nearest.vector[w] / (norm * nearest.norm)
                for w, v in vec.items()
                if w in nearest.vector
            }
            top = sorted(share.items(), key=lambda t: (-t[1], t[0]))[:_EXPLAINED_TERMS]
            terms = tuple((w, round(s, 4)) for w, s in top)
        return Relevance(round(min(best, 1.0), 4), nearest.id, terms)


def build_model(exemplars: list[Document], n_terms: int = 20) -> RelevanceModel:
    """The model of a set of cleaned exemplars (language: that of most of them)."""
    langs = Counter(background_language(d.language) or "en" for d in exemplars)
    language = langs.most_common(1)[0][0] if langs else "en"
    salient = tuple(salient_terms((tokens(d.text) for d in exemplars), language, n_terms))
    model = RelevanceModel((), salient, language)
    built = []
    for d in exemplars:
        vec = model.vector(d.text)
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm:
            built.append(Exemplar(d.id, d.title, vec, norm))
    return RelevanceModel(tuple(built), salient, language)
