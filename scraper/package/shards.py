"""Content-addressed parquet shards shared across versions, written with bounded memory.

Rows are grouped by publisher and publication year, then split by a stable hash of their
id into shards of at most `rows_per_shard` rows. Changes in practice are local — a rule
change touches one publisher, a new collection adds a date window — so they rewrite only
their own groups' shards and a new version shares every other file with the last one.
(A fixed number of hash buckets over all documents would spread even 1% of new documents
over every bucket, and every version would be a full copy.)

Each shard is named by the hash of its bytes and written deterministically: rows sorted
by id, fixed compression and row groups, no timestamps. Rows stream through spill files,
so memory holds one shard's rows at a time, whatever the size of the corpus.
"""

from __future__ import annotations

import hashlib
import io
import math
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
from datasets.table import table_cast

from ..errors import storage_errors
from .files import atomic_write
from .schema import SCHEMA

__all__ = [
    "SHARD_DIR",
    "ShardInfo",
    "ShardWriter",
    "group_of",
    "iter_rows",
    "shard_of",
    "split_nbytes",
]

SHARD_DIR = "data/shards"
ROW_GROUP = 1000
_HASH_CHARS = 16
_BUFFERED_ROWS = 512
_DATASETS_WRITER_BATCH = 1000  # datasets.config.DEFAULT_MAX_BATCH_SIZE


@dataclass(frozen=True, slots=True)
class ShardInfo:
    path: str  # relative to the dataset folder
    sha256: str
    num_examples: int
    num_bytes: int  # Arrow size as `datasets` measures it: one table per row group
    file_bytes: int


def group_of(row: dict[str, Any]) -> str:
    publisher = re.sub(r"[^a-z0-9]+", "-", (row.get("publisher") or "unknown").lower()).strip("-")
    year = row["published"].year if row.get("published") else "undated"
    return f"{publisher or 'unknown'}-{year}"


def shard_of(doc_id: str, parts: int) -> int:
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % parts


def _parquet(rows: list[dict[str, Any]]) -> tuple[bytes, int]:
    """Parquet bytes of the rows, built one row group at a time (an Arrow table of a whole
    shard costs several times the rows' size at once)."""
    buf = io.BytesIO()
    with pq.ParquetWriter(
        buf,
        SCHEMA,
        compression="zstd",
        compression_level=9,
        write_statistics=True,
        use_dictionary=["source", "publisher", "language", "rule_version"],
    ) as writer:
        for start in range(0, max(len(rows), 1), ROW_GROUP):
            batch = pa.Table.from_pylist(rows[start : start + ROW_GROUP], schema=SCHEMA)
            writer.write_table(batch, row_group_size=ROW_GROUP)
    data = buf.getvalue()
    return data, split_nbytes([pa.BufferReader(data)])


def _arrow_nbytes(table: pa.Table) -> int:
    return table_cast(table.combine_chunks(), SCHEMA).nbytes


def _row_group_batches(source: Any) -> Iterator[pa.RecordBatch]:
    """Batches the way datasets' parquet builder reads them: one first-row-group's worth."""
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source
    try:
        fragment = pads.ParquetFileFormat().make_fragment(handle)
        if fragment.row_groups:
            size = fragment.row_groups[0].num_rows
            yield from fragment.to_batches(batch_size=size, batch_readahead=0, fragment_readahead=0)
    finally:
        if handle is not source:
            handle.close()


def split_nbytes(files: Iterable[Any]) -> int:
    """A split's num_bytes exactly as `datasets` records it, so the card agrees with
    `datasets-cli test --save_info`: each file is read in batches of its first row group;
    single-row batches are pooled (up to the writer batch size) and measured together."""
    total, pool = 0, []
    for source in files:
        batches = _row_group_batches(source)
        for batch in batches:
            table = pa.Table.from_batches([batch])
            if table.num_rows == 1:  # datasets' write_row: pooled
                pool.append(table)
                if len(pool) < _DATASETS_WRITER_BATCH:
                    continue
                table, pool = pa.concat_tables(pool), []
            elif pool:  # write_table first writes the pooled rows
                total += _arrow_nbytes(pa.concat_tables(pool))
                pool = []
            total += _arrow_nbytes(table)
    if pool:
        total += _arrow_nbytes(pa.concat_tables(pool))
    return total


class _Spill:
    """Rows appended to files by key, read back one key at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: Counter[str] = Counter()
        self.buffered = 0

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha1(key.encode()).hexdigest()}.pkl"

    def add(self, key: str, row: dict[str, Any]) -> None:
        self.buffers.setdefault(key, []).append(row)
        self.counts[key] += 1
        self.buffered += 1
        if self.buffered >= _BUFFERED_ROWS:
            self.flush()

    def flush(self) -> None:
        with storage_errors(self.folder):  # the system's temporary folder can fill up too
            for key, rows in self.buffers.items():
                with open(self._path(key), "ab") as f:
                    for row in rows:
                        pickle.dump(row, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.buffers.clear()
        self.buffered = 0

    def read(self, key: str) -> Iterator[dict[str, Any]]:
        path = self._path(key)
        with open(path, "rb") as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    break
        path.unlink()


class ShardWriter:
    """Collect rows (any number), then write the shards: `with ShardWriter(...) as w`."""

    def __init__(self, root: Path, rows_per_shard: int) -> None:
        self.root = root
        self.rows_per_shard = rows_per_shard
        self._tmp = tempfile.TemporaryDirectory(prefix="scraper-shards-")
        self._groups = _Spill(Path(self._tmp.name))

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()

    def add(self, row: dict[str, Any]) -> None:
        self._groups.add(group_of(row), row)

    def _write(self, rows: list[dict[str, Any]]) -> ShardInfo:
        rows.sort(key=lambda r: r["id"])
        data, num_bytes = _parquet(rows)
        digest = hashlib.sha256(data).hexdigest()
        rel = f"{SHARD_DIR}/{digest[:_HASH_CHARS]}.parquet"
        if not (self.root / rel).exists():  # the same bytes are already there
            atomic_write(self.root / rel, data)
        return ShardInfo(rel, digest, len(rows), num_bytes, len(data))

    def finish(self) -> list[ShardInfo]:
        """Write every shard; return them sorted by path."""
        self._groups.flush()
        out = []
        for group in sorted(self._groups.counts):
            parts = math.ceil(self._groups.counts[group] / self.rows_per_shard)
            if parts == 1:
                out.append(self._write(list(self._groups.read(group))))
                continue
            split = _Spill(Path(self._tmp.name) / group)
            split.folder.mkdir()
            for row in self._groups.read(group):
                split.add(str(shard_of(row["id"], parts)), row)
            split.flush()
            for part in sorted(split.counts):
                out.append(self._write(list(split.read(part))))
        return sorted(out, key=lambda s: s.path)


def iter_rows(
    root: Path, paths: Iterable[str], columns: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Rows of the given shards, one row group in memory at a time."""
    for rel in paths:
        f = pq.ParquetFile(root / rel)
        for i in range(f.num_row_groups):
            yield from f.read_row_group(i, columns=columns).to_pylist()
