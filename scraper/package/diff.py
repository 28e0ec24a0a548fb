"""What changed between two sets of rows: added, removed and changed documents."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Diff", "diff_rows", "row_digest"]

_TEXT_DIFF_LINES = 12


def row_digest(row: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Changed:
    id: str
    title: str | None
    fields: list[str]
    text_diff: list[str]
    rules: dict[str, int]  # removed spans per rule, new minus old


@dataclass
class Diff:
    added: list[tuple[str, str | None]] = field(default_factory=list)  # (id, title)
    removed: list[tuple[str, str | None]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [{"id": i, "title": t} for i, t in self.added],
            "removed": [{"id": i, "title": t} for i, t in self.removed],
            "changed": [c.__dict__ for c in self.changed],
        }


def _rule_counts(row: dict[str, Any]) -> Counter[str]:
    return Counter(r["rule"] for r in row.get("removed") or [])


def _changed(old: dict[str, Any], new: dict[str, Any]) -> Changed:
    fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    text_diff = list(
        difflib.unified_diff(
            (old.get("text") or "").split("\n\n"),
            (new.get("text") or "").split("\n\n"),
            lineterm="",
            n=0,
        )
    )[2 : 2 + _TEXT_DIFF_LINES]
    delta = _rule_counts(new)
    delta.subtract(_rule_counts(old))
    return Changed(
        new["id"],
        new.get("title"),
        fields,
        text_diff,
        {k: v for k, v in sorted(delta.items()) if v},
    )


def diff_rows(old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]]) -> Diff:
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    d = Diff()
    for i in sorted(after.keys() - before.keys()):
        d.added.append((i, after[i].get("title")))
    for i in sorted(before.keys() - after.keys()):
        d.removed.append((i, before[i].get("title")))
    for i in sorted(after.keys() & before.keys()):
        if row_digest(after[i]) != row_digest(before[i]):
            d.changed.append(_changed(before[i], after[i]))
    return d
