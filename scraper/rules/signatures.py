"""Signatures: the patterns (`recognise:`) that name a publisher or a layout from a whole
text when the url does not.

Every document's full text goes past every publisher's signatures, which made them the
costliest part of choosing rules. A literal that every match must contain is read from
the parsed pattern at load, and the regex runs only on texts that hold it (a substring
test on the case-folded text, many times faster than the regex's own scan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

__all__ = ["Signature", "required_literal"]

MIN_NEEDLE = 4  # shorter literals are in most texts: no saving


def required_literal(pattern: re.Pattern[str]) -> str | None:
    """The longest run of plain characters at the pattern's top level (so in every match),
    case-folded when the pattern ignores case; None when there is none worth testing."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):  # pragma: no cover - compiled already
        return None
    best, run = "", []
    for op, av in [*parsed, (None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(av))
            continue
        best = max(best, "".join(run), key=len)
        run = []
    if len(best) < MIN_NEEDLE:
        return None
    return best.casefold() if pattern.flags & re.IGNORECASE else best


@dataclass(frozen=True, slots=True)
class Signature:
    pattern: re.Pattern[str]  # compiled with re.M: `^` and `$` are a line's ends
    needle: str | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Signature:
        compiled = re.compile(pattern.pattern, pattern.flags | re.MULTILINE)
        return cls(compiled, required_literal(compiled))

    def found(self, text: str, folded: str) -> bool:
        """`folded` is `text.casefold()`, made once per document for all signatures."""
        if self.needle is not None:
            haystack = folded if self.pattern.flags & re.IGNORECASE else text
            if self.needle not in haystack:
                return False
        return self.pattern.search(text) is not None


def hits(signatures: tuple[Signature, ...] | list[Signature], text: str, folded: str) -> int:
    """How many of the signatures the text shows."""
    return sum(1 for s in signatures if s.found(text, folded))
