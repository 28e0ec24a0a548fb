"""Reading the history of a dataset folder: its versions, and what changed between two."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as pads

from ..errors import DatasetError
from .diff import Diff, text_diff
from .versions import VersionRecord, load_versions, parse_semver
from .writer import diff_shards

__all__ = ["diff_versions", "find_version"]


def find_version(root: Path, name: str) -> VersionRecord:
    """A version by number (`1.2.0`, `v1.2.0`) or `latest`."""
    records = load_versions(root)
    if not records:
        raise DatasetError(f"{root}: no dataset versions yet (run `scrape clean`)")
    if name == "latest":
        return records[-1]
    wanted = parse_semver(name)
    for rec in records:
        if parse_semver(rec.version) == wanted:
            return rec
    known = ", ".join(r.version for r in records)
    raise DatasetError(f"{root}: no version {name} (versions: {known})")


def _texts(root: Path, record: VersionRecord, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    table = pads.dataset([str(root / p) for p in record.shard_paths], format="parquet").to_table(
        columns=["id", "text"], filter=pc.field("id").isin(ids)
    )
    return dict(zip(table["id"].to_pylist(), table["text"].to_pylist(), strict=True))


def diff_versions(root: Path, a: str, b: str) -> Diff:
    """Documents added, removed and changed from version a to version b, with text diffs."""
    old, new = find_version(root, a), find_version(root, b)
    diff = diff_shards(root, old.shard_paths, new.shard_paths)
    ids = [c.id for c in diff.changed]
    before, after = _texts(root, old, ids), _texts(root, new, ids)
    for c in diff.changed:
        c.text_diff = text_diff(before.get(c.id), after.get(c.id))
    return diff
