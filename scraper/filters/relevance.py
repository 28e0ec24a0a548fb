"""How like the exemplars a document is (the model lives in discover/relevance.py)."""

from __future__ import annotations

from typing import ClassVar

from ..discover.relevance import RelevanceModel
from ..models import Capture, Document
from .base import Annotator, Context, DocumentFilter

__all__ = ["MinRelevance", "RelevanceScore"]


class RelevanceScore(Annotator):
    """Sets `relevance` and `nearest_exemplar`; absent (left null) without exemplars."""

    name: ClassVar[str] = "relevance"

    def __init__(self, model: RelevanceModel) -> None:
        self.model = model

    @classmethod
    def from_config(cls, ctx: Context) -> RelevanceScore | None:
        return cls(ctx.model) if ctx.model is not None else None

    def __call__(self, doc: Document, capture: Capture) -> Document:
        found = self.model.score(doc.text)
        return doc.replace(relevance=found.score, nearest_exemplar=found.nearest)


class MinRelevance(DocumentFilter):
    """Drops documents scoring under `filters.relevance.min_score`."""

    name: ClassVar[str] = "relevance"

    def __init__(self, min_score: float) -> None:
        self.min_score = min_score

    @classmethod
    def from_config(cls, ctx: Context) -> MinRelevance | None:
        score = ctx.config.filters.relevance.min_score
        return cls(score) if score is not None else None

    def __call__(self, doc: Document, capture: Capture) -> str | None:
        if doc.relevance is None or doc.relevance >= self.min_score:
            return None
        return f"relevance below filters.relevance.min_score ({self.min_score:g})"
