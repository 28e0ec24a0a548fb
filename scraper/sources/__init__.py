"""Where captures come from. Each source yields Capture records (or why one is unusable)."""

from .seeds import read_seeds

__all__ = ["read_seeds"]
