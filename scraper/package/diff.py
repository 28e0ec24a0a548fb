"""What changed between two sets of rows: added, removed and changed documents.

The comparison streams: the older side is reduced to a small summary per document (a hash
per field, the title, removed-span counts per rule), and new rows are compared as they
arrive, so diffing two large versions needs memory for summaries only.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .schema import as_stored

__all__ = ["Changed", "Diff", "DiffBuilder", "Summary", "summarize", "text_diff"]

_TEXT_DIFF_LINES = 12


def _h(value: Any) -> int:
    blob = json.dumps(value, sort_keys=True, default=str).encode()
    return int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class Summary:
    title: str | None
    fields: tuple[tuple[str, int], ...]  # (column, hash of its value)
    rules: tuple[tuple[str, int], ...]  # removed spans per rule


def summarize(row: dict[str, Any]) -> Summary:
    """A row's summary, with its values as stored: a new row and its stored copy agree."""
    rules = Counter(r["rule"] for r in row.get("removed") or [])
    return Summary(
        row.get("title"),
        tuple(sorted((k, _h(v)) for k, v in as_stored(row).items() if k != "id")),
        tuple(sorted(rules.items())),
    )


@dataclass
class Changed:
    id: str
    title: str | None
    fields: list[str]
    rules: dict[str, int]  # removed spans per rule, new minus old
    text_diff: list[str] = field(default_factory=list)


@dataclass
class Diff:
    added: list[tuple[str, str | None]] = field(default_factory=list)  # (id, title)
    removed: list[tuple[str, str | None]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No document added, removed or changed."""
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    def rule_totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for c in self.changed:
            total.update(c.rules)
        return {k: v for k, v in sorted(total.items()) if v}

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [{"id": i, "title": t} for i, t in self.added],
            "removed": [{"id": i, "title": t} for i, t in self.removed],
            "changed": [c.__dict__ for c in self.changed],
            "rules": self.rule_totals(),
        }


class DiffBuilder:
    """Compare new rows, one at a time, against the summaries of the old ones."""

    def __init__(self, old: dict[str, Summary]) -> None:
        self.old = old
        self.seen: set[str] = set()
        self.diff = Diff()

    def observe(self, row: dict[str, Any]) -> None:
        doc_id = row["id"]
        self.seen.add(doc_id)
        before = self.old.get(doc_id)
        if before is None:
            self.diff.added.append((doc_id, row.get("title")))
            return
        after = summarize(row)
        if after.fields == before.fields:
            return
        old_fields, new_fields = dict(before.fields), dict(after.fields)
        changed = sorted(
            k
            for k in old_fields.keys() | new_fields.keys()
            if old_fields.get(k) != new_fields.get(k)
        )
        delta = Counter(dict(after.rules))
        delta.subtract(dict(before.rules))
        rules = {k: v for k, v in sorted(delta.items()) if v}
        self.diff.changed.append(Changed(doc_id, row.get("title"), changed, rules))

    def finish(self) -> Diff:
        for doc_id in sorted(self.old.keys() - self.seen):
            self.diff.removed.append((doc_id, self.old[doc_id].title))
        self.diff.added.sort()
        self.diff.changed.sort(key=lambda c: c.id)
        return self.diff


def text_diff(old: str | None, new: str | None) -> list[str]:
    """A short paragraph-level diff of two texts."""
    lines = difflib.unified_diff(
        (old or "").split("\n\n"), (new or "").split("\n\n"), lineterm="", n=0
    )
    return [line for line in lines if not line.startswith(("---", "+++"))][:_TEXT_DIFF_LINES]
