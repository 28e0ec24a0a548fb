"""Reading a regular expression's source: what its top-level alternatives are.

Used where a pattern is rebuilt for speed with the same alternatives in another form
(`rules/probe.py`, the cue pattern of `cleaning/_line_features.py`).
"""

from __future__ import annotations

__all__ = ["top_level_alternatives"]


def top_level_alternatives(source: str) -> list[str]:
    """The pattern's alternatives outside any group (escapes and [classes] respected)."""
    out, depth, start, i, n = [], 0, 0, 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: `]` right after `[` or `[^` is a member, not the end
            i += 2 if source.startswith("[^", i) else 1
            i += source[i : i + 1] == "]"
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    return [*out, source[start:]]
