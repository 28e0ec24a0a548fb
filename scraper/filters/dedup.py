"""Exact and near-duplicate documents: archives hold the same article many times.

Exact duplicates share the hash of their normalised text; near-duplicates are found with
MinHash LSH (rensa) over word 3-shingles, at the Jaccard threshold `filters.near_duplicates`.
Which copy is kept is deterministic, decided over all documents at once, in this order:
a document already in the previous version, then the earliest capture (seed texts count as
earliest), then the longest text, then the smallest id. Each dropped document's reason
names the copy that was kept. Documents stream through a spill file: only the index (one
signature per document) grows with the corpus.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rensa import RMinHash, RMinHashLSH

from ..models import Document

__all__ = ["DEDUP_SETTINGS", "Deduplicator", "Duplicate"]

NUM_PERM, SEED, BANDS, SHINGLE = 128, 20240601, 16, 3
DEDUP_SETTINGS = {
    "method": "rensa RMinHash + LSH",
    "num_perm": NUM_PERM,
    "seed": SEED,
    "bands": BANDS,
    "shingle_words": SHINGLE,
}
_WORD = re.compile(r"\w+")
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Duplicate:
    id: str
    kept: str
    similarity: float  # 1.0 for exact duplicates


@dataclass
class Deduplicator:
    threshold: float | None  # None: exact duplicates only
    previous_ids: frozenset[str] = frozenset()
    dropped: list[Duplicate] = field(default_factory=list)

    def _signature(self, words: list[str]) -> RMinHash:
        m = RMinHash(num_perm=NUM_PERM, seed=SEED)
        shingles = [
            " ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))
        ]
        m.update(shingles)
        return m

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Yield the documents to keep, in input order; record the ones dropped."""
        entries = []
        with tempfile.TemporaryFile() as spill:
            for doc in docs:
                words = _WORD.findall(doc.text.casefold())
                exact = hashlib.sha256(" ".join(words).encode()).hexdigest()
                priority = (
                    doc.id not in self.previous_ids,
                    doc.capture_time or _EARLIEST,
                    -len(doc.text),
                    doc.id,
                )
                sig = self._signature(words) if self.threshold else None
                entries.append((priority, doc.id, exact, sig))
                pickle.dump(doc, spill, protocol=pickle.HIGHEST_PROTOCOL)
            drop = self._decide(entries)
            spill.seek(0)
            for _ in entries:
                doc = pickle.load(spill)
                if doc.id not in drop:
                    yield doc

    def _decide(self, entries: list) -> set[str]:
        lsh = (
            RMinHashLSH(threshold=self.threshold, num_perm=NUM_PERM, num_bands=BANDS)
            if self.threshold
            else None
        )
        kept_by_hash: dict[str, str] = {}
        kept: list[tuple[str, RMinHash]] = []
        drop: set[str] = set()
        for _, doc_id, exact, sig in sorted(entries, key=lambda e: e[0]):
            if exact in kept_by_hash:
                self.dropped.append(Duplicate(doc_id, kept_by_hash[exact], 1.0))
                drop.add(doc_id)
                continue
            if lsh is not None:
                best = max(
                    ((sig.jaccard(kept[k][1]), kept[k][0]) for k in lsh.query(sig)),
                    default=(0.0, ""),
                )
                if best[0] >= self.threshold:
                    self.dropped.append(Duplicate(doc_id, best[1], round(best[0], 3)))
                    drop.add(doc_id)
                    continue
                lsh.insert(len(kept), sig)
                kept.append((doc_id, sig))
            kept_by_hash[exact] = doc_id
        self.dropped.sort(key=lambda d: d.id)
        return drop
