"""Write a new dataset version, or nothing when the content did not change.

Order of writes, so that a crash at any point leaves the previous version loadable:
a check that the folder is writable (before any row is cleaned: rows are pulled lazily)
-> shards (new files, content-addressed, never overwritten) -> versions.json (the commit
point, atomic rename) -> README.md and CHANGELOG.md (rendered from versions.json, and
re-rendered on every run, so a crash between the two is repaired next time) -> removal
of shard files no version references, and of temporary files killed runs left.

One writer at a time: `run_clean` holds the folder's lock (`scraper.locks`) around this.
A folder damaged anyway (a shard file gone) does not stop a run; see `write_version`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any

from ..errors import DatasetError, storage_errors
from .card import CardSettings, render_card
from .changelog import render_changelog
from .diff import Diff, DiffBuilder, Summary, summarize
from .files import TMP_MARK, atomic_write, check_writable, is_leftover
from .schema import FEATURES, schema_digest
from .shards import SHARD_DIR, ShardWriter, iter_rows, split_nbytes
from .versions import (
    VersionRecord,
    load_versions,
    missing_shards,
    next_version,
    parse_semver,
    save_versions,
    shard_records,
)

__all__ = ["Outcome", "diff_shards", "summaries", "write_version"]

_LISTED = 100  # documents listed per category in the changelog


@dataclass
class Outcome:
    version: str | None  # None: nothing changed, no version made
    latest: str | None
    diff: Diff
    rebuilt: list[str] = field(default_factory=list)  # missing shard files this run put back
    broken: dict[str, list[str]] = field(default_factory=dict)  # version: shards still missing


class _Counts:
    """Counts per source, publisher, language, page type and removed kind, nulls per
    column and truncated rows, gathered as rows stream by (the card states them)."""

    def __init__(self) -> None:
        self.by: dict[str, Counter[str]] = {
            k: Counter() for k in ("source", "publisher", "language", "page_type", "removed_kind")
        }
        self.null: Counter[str] = Counter({name: 0 for name in FEATURES})
        self.truncated = 0
        self.first: str | None = None
        self.last: str | None = None
        self.captured: tuple[str, str] | None = None

    def add(self, row: dict[str, Any]) -> None:
        self.by["source"][row["source"]] += 1
        self.by["publisher"][row["publisher"] or "unknown"] += 1
        self.by["language"][row["language"] or "unknown"] += 1
        self.by["page_type"][row["page_type"] or "unknown"] += 1
        self.null.update(k for k, v in row.items() if v is None)
        self.truncated += bool(row["truncated"])
        self.by["removed_kind"].update(x["kind"] for x in row["removed"])
        if row.get("published"):
            day = str(row["published"])
            self.first = min(self.first or day, day)
            self.last = max(self.last or day, day)
        if row.get("capture_time"):
            day = row["capture_time"].date().isoformat()
            self.captured = (
                (min(self.captured[0], day), max(self.captured[1], day))
                if self.captured
                else (day, day)
            )

    def as_dict(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {k: dict(sorted(v.items())) for k, v in self.by.items()}
        out["period"] = {"from": self.first, "to": self.last} if self.first else {}
        out["captured"] = (
            dict(zip(("from", "to"), self.captured, strict=True)) if self.captured else {}
        )
        out["null"] = dict(self.null)  # in column order
        out["flags"] = {"truncated": self.truncated}
        return out


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


def render_docs(root: Path, records: list[VersionRecord], card: CardSettings) -> None:
    """(Re)write README.md and CHANGELOG.md from the version records."""
    if records:
        _write_if_changed(root / "README.md", render_card(records, card, location=root.name))
        _write_if_changed(root / "CHANGELOG.md", render_changelog(records))


def _collect_garbage(root: Path, records: list[VersionRecord]) -> None:
    """Remove shard files no version names, and temporary files of killed runs.

    The names come from versions.json as it is on disk as well as from `records`: a shard
    that any recorded version names is never removed, whoever recorded it.
    """
    used = {p for r in chain(records, load_versions(root)) for p in r.shard_paths}
    with storage_errors(root):
        for f in (root / SHARD_DIR).glob("*"):
            if f"{SHARD_DIR}/{f.name}" not in used and (f.suffix == ".parquet" or is_leftover(f)):
                f.unlink(missing_ok=True)
        for f in root.glob(f".*{TMP_MARK}*"):
            f.unlink(missing_ok=True)


def summaries(root: Path, paths: Iterable[str]) -> dict[str, Summary]:
    return {row["id"]: summarize(row) for row in iter_rows(root, paths)}


def diff_shards(root: Path, old: Iterable[str], new: Iterable[str]) -> Diff:
    """Documents added, removed and changed from one set of shards to another."""
    builder = DiffBuilder(summaries(root, old))
    for row in iter_rows(root, new):
        builder.observe(row)
    return builder.finish()


def _build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so a rebuild from scratch can be bit for bit."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except ValueError:
            raise DatasetError(
                f"SOURCE_DATE_EPOCH={epoch!r}: expected seconds since 1970"
            ) from None
    return datetime.now(timezone.utc)


def _forced_version(prev: VersionRecord | None, forced: str | None) -> str | None:
    """The number asked for with --version, checked before any document is cleaned."""
    if forced is None:
        return None
    wanted = parse_semver(forced)
    if prev and wanted <= parse_semver(prev.version):
        raise DatasetError(f"--version {forced}: must be above the latest, {prev.version}")
    return "{}.{}.{}".format(*wanted)


def _choose_version(
    prev: VersionRecord | None, schema: str, diff: Diff, forced: str | None, *, blind: bool
) -> str:
    """The next number; `blind`: part of `prev` was missing, so documents may have been
    added or removed unseen, and a minor version is the safe guess."""
    if forced:
        return forced
    return next_version(
        prev.version if prev else None,
        schema=prev is not None and prev.schema_sha256 != schema,
        membership=bool(diff.added or diff.removed) or blind,
    )


def write_version(
    rows: Iterable[dict[str, Any]],
    root: Path,
    *,
    card: CardSettings,
    rows_per_shard: int,
    config_sha256: str,
    rules_sha256: dict[str, str],
    code_version: str,
    force_version: str | None = None,
    now: datetime | None = None,
    run: Callable[[], dict[str, Any]] | None = None,
) -> Outcome:
    """Stream rows into shards and record a new version if the content changed.

    `force_version` numbers that version; it makes none when nothing changed.

    A version whose shard files went missing does not stop the run: rows are compared with
    what is left of the latest version, a missing shard these rows make again (same
    content, same name) is put back, and versions still missing shards are reported in
    `Outcome.broken`.
    """
    check_writable(root)
    records = load_versions(root)
    prev = records[-1] if records else None
    forced = _forced_version(prev, force_version)
    damaged = missing_shards(root, records)
    builder = DiffBuilder(summaries(root, prev.shards_on_disk(root)) if prev else {})
    counts = _Counts()
    with ShardWriter(root, rows_per_shard) as shards_out:
        for row in rows:
            if row["id"] in builder.seen:
                raise DatasetError(f"two documents have the same id {row['id']!r}")
            builder.observe(row)
            counts.add(row)
            shards_out.add(row)
        shards = shards_out.finish()
    diff = builder.finish()
    broken = missing_shards(root, records)
    rebuilt = sorted(set(chain(*damaged.values())) - set(chain(*broken.values())))
    new_paths = [s.path for s in shards]
    schema = schema_digest()
    blind = prev is not None and prev.version in broken
    if prev is not None and prev.version in damaged and not blind:
        diff = diff_shards(root, prev.shard_paths, new_paths)  # its missing part is back
    if prev is not None and not blind and prev.schema_sha256 == schema and diff.empty:
        # Nothing to version, whatever number was asked for; shards that differ only in
        # their bytes (another pyarrow, another rows_per_shard) are not kept either.
        render_docs(root, records, card)
        _collect_garbage(root, records)
        return Outcome(None, prev.version, Diff(), rebuilt, broken)
    version = _choose_version(prev, schema, diff, forced, blind=blind)
    changes = _changes(diff, prev.rules_sha256 if prev else {}, rules_sha256)
    if blind:  # the documents of these shards could not be compared
        changes["compared_without"] = broken[prev.version]
    record = VersionRecord(
        version=version,
        created=(now or _build_time()).strftime("%Y-%m-%dT%H:%M:%SZ"),
        code_version=code_version,
        config_sha256=config_sha256,
        rules_sha256=rules_sha256,
        schema_sha256=schema,
        features=FEATURES._to_yaml_list(),
        num_examples=sum(s.num_examples for s in shards),
        num_bytes=split_nbytes(root / s.path for s in shards),
        download_size=sum(s.file_bytes for s in shards),
        counts=counts.as_dict(),
        changes=changes,
        shards=shard_records(shards),
        run=run() if run else {},  # called after the rows ran out: the run's counts are final
    )
    records.append(record)
    save_versions(root, records)  # the commit point
    render_docs(root, records, card)
    _collect_garbage(root, records)
    return Outcome(version, version, diff, rebuilt, broken)
