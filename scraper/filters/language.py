"""Language of a cleaned text, offline (py3langid ships its model in the wheel)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["detect_language"]

_SAMPLE_CHARS = 1200  # enough for a stable answer; the cost grows with length


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or too mixed to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < 3:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
