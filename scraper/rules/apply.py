"""Apply the text rules chosen for a document to its lines.

Each kind of rule (`kinds.KINDS`, in the order they run) goes over all active rule files
(the publisher's first, then the generic ones). A line taken by one rule is not matched
again, and every removal is returned as a `Removed` with the rule's name and kind.
"""

from __future__ import annotations

from ..cleaning import Line
from .engine import ActiveRules
from .kinds import KINDS, Found

__all__ = ["Found", "apply_text_rules"]


def apply_text_rules(lines: list[Line], rules: ActiveRules) -> Found:
    """Mark the lines the rules remove; return what was removed with its line number."""
    out: Found = []
    for kind in KINDS:
        kind.apply(lines, rules.sections(kind.section), out)
    return out
