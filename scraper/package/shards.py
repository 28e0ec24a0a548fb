"""Content-addressed parquet shards shared across versions.

Documents go to a fixed number of buckets by a stable hash of their id; each bucket is
one parquet file named by the hash of its bytes. A version lists its shards, so a version
that changes one document writes one new bucket file and shares the rest. Files are written
deterministically (rows sorted by id, fixed compression, one row group, no timestamps), so
the same rows give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .files import atomic_write
from .schema import SCHEMA

__all__ = ["ShardInfo", "bucket_of", "read_rows", "write_shards", "SHARD_DIR"]

SHARD_DIR = "data/shards"
_HASH_CHARS = 16


@dataclass(frozen=True, slots=True)
class ShardInfo:
    path: str  # relative to the dataset folder
    sha256: str
    num_examples: int
    num_bytes: int  # in-memory Arrow size, as `datasets` reports num_bytes


def bucket_of(doc_id: str, buckets: int) -> int:
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % buckets


def _parquet_bytes(rows: list[dict[str, Any]]) -> tuple[bytes, pa.Table]:
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    buf = io.BytesIO()
    pq.write_table(
        table,
        buf,
        compression="zstd",
        compression_level=9,
        row_group_size=max(1, len(rows)),
        write_statistics=True,
        use_dictionary=["source", "publisher", "language", "rule_version"],
    )
    return buf.getvalue(), table


def write_shards(rows: Iterable[dict[str, Any]], root: Path, buckets: int) -> list[ShardInfo]:
    """Write the rows as bucket files under root/data/shards; return them sorted by path."""
    by_bucket: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_bucket.setdefault(bucket_of(row["id"], buckets), []).append(row)
    out = []
    for bucket_rows in by_bucket.values():
        bucket_rows.sort(key=lambda r: r["id"])
        data, table = _parquet_bytes(bucket_rows)
        digest = hashlib.sha256(data).hexdigest()
        rel = f"{SHARD_DIR}/{digest[:_HASH_CHARS]}.parquet"
        if not (root / rel).exists():
            atomic_write(root / rel, data)
        out.append(ShardInfo(rel, digest, table.num_rows, table.nbytes))
    return sorted(out, key=lambda s: s.path)


def read_rows(root: Path, paths: Iterable[str]) -> Iterator[dict[str, Any]]:
    for rel in paths:
        yield from pq.read_table(root / rel).to_pylist()
