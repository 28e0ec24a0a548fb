"""Write a new dataset version, or nothing when the content did not change.

Order of writes, so that a crash at any point leaves the previous version loadable:
shards (new files, content-addressed, never overwritten) -> versions.json (the commit
point, atomic rename) -> README.md and CHANGELOG.md (rendered from versions.json, and
re-rendered on every run, so a crash between the two is repaired next time) -> removal
of shard files no version references.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from .card import render_card
from .changelog import render_changelog
from .diff import Diff, diff_rows
from .files import atomic_write
from .schema import FEATURES, schema_digest
from .shards import SHARD_DIR, read_rows, write_shards
from .versions import (
    VersionRecord,
    load_versions,
    next_version,
    parse_semver,
    save_versions,
    shard_records,
)

__all__ = ["Outcome", "write_version"]

_LISTED = 100  # documents listed per category in the changelog


@dataclass
class Outcome:
    version: str | None  # None: nothing changed, no version made
    latest: str | None
    diff: Diff


def _counts(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    dates = sorted(str(r["published"]) for r in rows if r.get("published"))
    return {
        "source": dict(sorted(Counter(r["source"] for r in rows).items())),
        "publisher": dict(sorted(Counter(r["publisher"] or "unknown" for r in rows).items())),
        "language": dict(sorted(Counter(r["language"] or "unknown" for r in rows).items())),
        "removed_kind": dict(
            sorted(Counter(x["kind"] for r in rows for x in r["removed"]).items())
        ),
        "period": {"from": dates[0], "to": dates[-1]} if dates else {},
    }


def _changes(diff: Diff, old_rules: dict[str, str], new_rules: dict[str, str]) -> dict[str, Any]:
    return {
        **diff.counts(),
        "rules_changed": sorted(
            k for k in old_rules.keys() | new_rules.keys() if old_rules.get(k) != new_rules.get(k)
        ),
        "documents": {
            "added": [{"id": i, "title": t} for i, t in diff.added[:_LISTED]],
            "removed": [{"id": i, "title": t} for i, t in diff.removed[:_LISTED]],
            "changed": [
                {"id": c.id, "title": c.title, "fields": c.fields, "rules": c.rules}
                for c in diff.changed[:_LISTED]
            ],
        },
    }


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)


def render_docs(root: Path, records: list[VersionRecord], *, name: str, license: str) -> None:
    """(Re)write README.md and CHANGELOG.md from the version records."""
    if records:
        _write_if_changed(root / "README.md", render_card(records, name=name, license=license))
        _write_if_changed(root / "CHANGELOG.md", render_changelog(records))


def _collect_garbage(root: Path, records: list[VersionRecord]) -> None:
    used = {p for r in records for p in r.shard_paths}
    for f in (root / SHARD_DIR).glob("*"):
        rel = f"{SHARD_DIR}/{f.name}"
        if rel not in used and (f.suffix == ".parquet" or ".tmp-" in f.name):
            f.unlink(missing_ok=True)


def write_version(
    rows: Iterable[dict[str, Any]],
    root: Path,
    *,
    name: str,
    license: str,
    buckets: int,
    config_sha256: str,
    rules_sha256: dict[str, str],
    code_version: str,
    force_version: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    records = load_versions(root)
    prev = records[-1] if records else None
    rows = list(rows)
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        dupe = next(i for i in ids if ids.count(i) > 1)
        raise DatasetError(f"two documents have the same id {dupe!r}")
    shards = write_shards(rows, root, buckets)
    schema = schema_digest()
    unchanged = (
        prev is not None
        and [s.path for s in shards] == prev.shard_paths
        and prev.schema_sha256 == schema
    )
    if unchanged and force_version is None:
        render_docs(root, records, name=name, license=license)
        _collect_garbage(root, records)
        return Outcome(None, prev.version, Diff())
    diff = diff_rows(read_rows(root, prev.shard_paths) if prev else [], rows)
    if force_version:
        wanted = parse_semver(force_version)
        if prev and wanted <= parse_semver(prev.version):
            raise DatasetError(
                f"--version {force_version}: must be above the latest, {prev.version}"
            )
        version = "{}.{}.{}".format(*wanted)
    else:
        version = next_version(
            prev.version if prev else None,
            schema=prev is not None and prev.schema_sha256 != schema,
            membership=bool(diff.added or diff.removed),
        )
    record = VersionRecord(
        version=version,
        created=(now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        code_version=code_version,
        config_sha256=config_sha256,
        rules_sha256=rules_sha256,
        schema_sha256=schema,
        features=FEATURES._to_yaml_list(),
        num_examples=len(rows),
        num_bytes=sum(s.num_bytes for s in shards),
        counts=_counts(rows),
        changes=_changes(diff, prev.rules_sha256 if prev else {}, rules_sha256),
        shards=shard_records(shards),
    )
    records.append(record)
    save_versions(root, records)
    render_docs(root, records, name=name, license=license)
    _collect_garbage(root, records)
    return Outcome(version, version, diff)
