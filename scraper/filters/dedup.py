"""Exact and near-duplicate documents: archives hold the same article many times.

Each document gets a fingerprint where it was cleaned (in the worker): a hash of its
normalised text, and a MinHash signature (rensa, word 3-shingles). Exact duplicates share
the hash; near-duplicates share an LSH band of the signature and reach the Jaccard
threshold `filters.near_duplicates`.

Which copy is kept is deterministic, decided over all documents at once, in this order:
a document already in the previous version, then the earliest capture (seed texts count as
earliest), then the longest text, then the smallest id. Each dropped document's reason
names the copy that was kept.

Memory: documents stream through a spill file (as the workers pickled them); what stays
in memory is ~0.7 KB a document in flat arrays (id, sort key, hash, signature). The LSH
buckets are built at the end by sorting each band, not kept in a hash table as documents
arrive, which would cost ~1.7 KB a document in rensa's index and more in a Python dict.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from rensa import RMinHash

from ..models import Capture, Document, Packed
from .base import Annotator, Context

__all__ = ["DEDUP_SETTINGS", "Deduplicator", "Duplicate", "Fingerprint", "fingerprint"]

NUM_PERM, SEED, BANDS, SHINGLE = 128, 20240601, 16, 3
DEDUP_SETTINGS = {
    "method": "rensa RMinHash, LSH bands grouped by sorting",
    "num_perm": NUM_PERM,
    "seed": SEED,
    "bands": BANDS,
    "shingle_words": SHINGLE,
}
_WORD = re.compile(r"\w+")
_EXACT_BYTES = 16
_MERGED = ("url", "capture_time", "published", "author")  # filled in from dropped copies
_SIG_BYTES = NUM_PERM * 4


def fingerprint(text: str, near: bool = True) -> bytes:
    """The text's exact hash (16 bytes), then its MinHash signature (uint32s) if `near`."""
    words = _WORD.findall(text.casefold())
    exact = hashlib.blake2b(" ".join(words).encode(), digest_size=_EXACT_BYTES).digest()
    if not near:
        return exact
    if len(words) >= SHINGLE:
        shingles = list(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False)))
    else:
        shingles = [" ".join(words)]
    m = RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update(shingles)
    return exact + np.asarray(m.digest(), dtype=np.uint32).tobytes()


class Fingerprint(Annotator):
    """The text's exact hash and (with `filters.near_duplicates`) its MinHash signature,
    made in the worker; the Deduplicator compares them across the run."""

    name: ClassVar[str] = "fingerprint"

    def __init__(self, near: bool) -> None:
        self.near = near

    @classmethod
    def from_config(cls, ctx: Context) -> Fingerprint:
        return cls(ctx.config.filters.near_duplicates is not None)

    def __call__(self, doc: Document, capture: Capture) -> Document:
        return doc.replace(fingerprint=fingerprint(doc.text, self.near))


@dataclass(frozen=True, slots=True)
class Duplicate:
    id: str
    kept: str
    similarity: float  # 1.0 for exact duplicates


def _groups(rows: np.ndarray) -> np.ndarray:
    """A group number per row: rows with identical bytes share it."""
    flat = np.ascontiguousarray(rows).view(np.dtype((np.void, rows.shape[1] * rows.itemsize)))
    return np.unique(flat.ravel(), return_inverse=True)[1].ravel()


@dataclass
class Deduplicator:
    threshold: float | None  # None: exact duplicates only
    previous_ids: frozenset[str] = frozenset()
    dropped: list[Duplicate] = field(default_factory=list)

    def run(self, docs: Iterable[Packed]) -> Iterator[Document]:
        """Yield the documents to keep, in input order; record the ones dropped.

        The copy kept takes the url, capture time, published date and author that it lacks
        from the copies dropped in its favour: a seed text and its capture from an archive
        make one row with the capture's url and dates.
        """
        near = self.threshold is not None
        ids: list[str] = []
        fresh, times, lengths, sizes = bytearray(), array("q"), array("q"), array("q")
        exact, sigs = bytearray(), bytearray()
        with tempfile.TemporaryFile() as spill:
            for doc in docs:
                ids.append(doc.id)
                fresh.append(doc.id not in self.previous_ids)
                times.append(int(doc.capture_time.timestamp() * 1e6) if doc.capture_time else -1)
                lengths.append(-doc.chars)
                exact += doc.fingerprint[:_EXACT_BYTES]
                if near:
                    sigs += doc.fingerprint[_EXACT_BYTES:]
                spill.write(doc.blob)  # already pickled by the worker
                sizes.append(len(doc.blob))
            drop = self._decide(ids, fresh, times, lengths, exact, sigs)
            fill = self._fill_from_dropped(spill, sizes, drop)
            spill.seek(0)
            for i, size in enumerate(sizes):
                blob = spill.read(size)
                if i not in drop:
                    doc = pickle.loads(blob)
                    yield doc.replace(**fill[i]) if i in fill else doc

    @staticmethod
    def _fill_from_dropped(spill, sizes, drop: dict[int, int]) -> dict[int, dict[str, object]]:
        """For each kept copy, the metadata it lacks that a dropped copy of it has."""
        fill: dict[int, dict[str, object]] = {}
        spill.seek(0)
        for i, size in enumerate(sizes):
            blob = spill.read(size)
            if i not in drop:
                continue
            twin = pickle.loads(blob)
            extra = fill.setdefault(drop[i], {})
            for name in _MERGED:
                value = getattr(twin, name)
                if value is not None:
                    extra.setdefault(name, value)
        if not fill:
            return {}
        spill.seek(0)
        out: dict[int, dict[str, object]] = {}
        for i, size in enumerate(sizes):
            blob = spill.read(size)
            if i in fill:
                kept = pickle.loads(blob)
                missing = {k: v for k, v in fill[i].items() if getattr(kept, k) is None}
                if missing:
                    out[i] = missing
        return out

    def _decide(self, ids, fresh, times, lengths, exact, sigs) -> dict[int, int]:
        """{dropped row: the row kept in its place}."""
        n = len(ids)
        if n == 0:
            return {}
        id_rank = np.empty(n, dtype=np.int64)
        id_rank[sorted(range(n), key=ids.__getitem__)] = np.arange(n)
        order = np.lexsort(
            (id_rank, np.asarray(lengths), np.asarray(times), np.frombuffer(fresh, np.uint8))
        )
        exact_group = _groups(np.frombuffer(bytes(exact), np.uint8).reshape(n, _EXACT_BYTES))
        keeper = np.full(exact_group.max() + 1, -1, dtype=np.int64)
        near = self.threshold is not None
        if near:
            sig = np.frombuffer(bytes(sigs), np.uint32).reshape(n, NUM_PERM)
            rows = NUM_PERM // BANDS
            bands = np.stack(
                [_groups(sig[:, b * rows : (b + 1) * rows]) for b in range(BANDS)], axis=1
            )
            shared = np.zeros_like(bands, dtype=bool)  # a band bucket with other documents in it
            for b in range(BANDS):
                shared[:, b] = np.bincount(bands[:, b])[bands[:, b]] > 1
            buckets: list[dict[int, list[int]]] = [{} for _ in range(BANDS)]
        drop: dict[int, int] = {}
        for d in order.tolist():
            g = exact_group[d]
            if keeper[g] >= 0:
                self.dropped.append(Duplicate(ids[d], ids[keeper[g]], 1.0))
                drop[d] = int(keeper[g])
                continue
            if near and shared[d].any():
                in_bands = [(b, int(bands[d, b])) for b in np.flatnonzero(shared[d]).tolist()]
                candidates = {k for b, key in in_bands for k in buckets[b].get(key, ())}
                best = max(
                    ((float(np.mean(sig[d] == sig[k])), ids[k], k) for k in candidates),
                    default=(0.0, "", -1),
                )
                if best[0] >= self.threshold:
                    self.dropped.append(Duplicate(ids[d], best[1], round(best[0], 3)))
                    drop[d] = best[2]
                    continue
                for b, key in in_bands:
                    buckets[b].setdefault(key, []).append(d)
            keeper[g] = d
        self.dropped.sort(key=lambda x: x.id)
        return drop
