"""Too little text to be an article: `filters.min_words`."""

from __future__ import annotations

from typing import ClassVar

from ..models import Capture, Document
from .base import Context, DocumentFilter

__all__ = ["MinWords"]


class MinWords(DocumentFilter):
    """Drops empty documents always, and those under `filters.min_words` words."""

    name: ClassVar[str] = "length"

    def __init__(self, min_words: int) -> None:
        self.min_words = min_words

    @classmethod
    def from_config(cls, ctx: Context) -> MinWords:
        return cls(ctx.config.filters.min_words)

    def __call__(self, doc: Document, capture: Capture) -> str | None:
        words = len(doc.text.split())
        if words == 0:
            return "empty after cleaning"
        if words < self.min_words:
            return f"fewer than {self.min_words} words"
        return None
