"""versions.json: the record of every dataset version, and the semver rule for the next.

A version is made only when the content changes: major when the schema changes, minor when
documents are added or removed, patch when only text or metadata of existing ones change.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..errors import DatasetError
from .files import atomic_write
from .shards import ShardInfo

__all__ = [
    "VersionRecord",
    "config_name",
    "load_versions",
    "missing_shards",
    "next_version",
    "parse_semver",
    "save_versions",
    "shard_records",
    "versions_json",
]

VERSIONS_FILE = "versions.json"
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class Shard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    sha256: str
    num_examples: int
    num_bytes: int
    file_bytes: int


class VersionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    created: str  # UTC, ISO 8601
    code_version: str
    config_sha256: str
    rules_sha256: dict[str, str]
    schema_sha256: str
    features: list[dict[str, Any]]
    num_examples: int
    num_bytes: int
    download_size: int
    counts: dict[str, dict[str, Any]]  # per source, publisher, language, removed kind; period
    changes: dict[str, Any]  # counts and (capped) lists of documents against the previous version
    shards: list[Shard]
    run: dict[str, Any] = {}  # what the run that made it saw: inputs, drops by reason, failures

    @property
    def config(self) -> str:
        return config_name(self.version)

    @property
    def shard_paths(self) -> list[str]:
        return [s.path for s in self.shards]

    def shards_on_disk(self, root: Path) -> list[str]:
        """The shard paths whose files exist: all of them, unless the folder was damaged."""
        return [p for p in self.shard_paths if (root / p).is_file()]


def config_name(version: str) -> str:
    return f"v{version}"


def parse_semver(text: str) -> tuple[int, int, int]:
    m = _SEMVER.match(text.removeprefix("v"))
    if not m:
        raise DatasetError(f"version {text!r}: expected MAJOR.MINOR.PATCH, e.g. 1.2.0")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def next_version(previous: str | None, *, schema: bool, membership: bool) -> str:
    if previous is None:
        return "1.0.0"
    major, minor, patch = parse_semver(previous)
    if schema:
        return f"{major + 1}.0.0"
    if membership:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def load_versions(root: Path) -> list[VersionRecord]:
    path = root / VERSIONS_FILE
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [VersionRecord.model_validate(v) for v in data["versions"]]
    except (ValueError, KeyError, TypeError) as e:
        raise DatasetError(f"{path}: cannot read the version record: {e}") from None


def missing_shards(root: Path, records: list[VersionRecord]) -> dict[str, list[str]]:
    """{version: shard paths it names that are not on disk}, for damaged versions only."""
    out = {}
    for r in records:
        on_disk = set(r.shards_on_disk(root))
        if gone := [p for p in r.shard_paths if p not in on_disk]:
            out[r.version] = gone
    return out


def versions_json(records: list[VersionRecord]) -> str:
    data: dict[str, Any] = {"versions": [r.model_dump() for r in records]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_versions(root: Path, records: list[VersionRecord]) -> None:
    atomic_write(root / VERSIONS_FILE, versions_json(records))


def shard_records(shards: list[ShardInfo]) -> list[Shard]:
    return [Shard(**dataclasses.asdict(s)) for s in shards]
