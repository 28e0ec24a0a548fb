"""Steps that keep or drop whole documents, each saying why."""

from .language import detect_language

__all__ = ["detect_language"]
