"""The typed records that flow between steps: one place for every data type."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

__all__ = [
    "PAGE_TYPES",
    "Capture",
    "Document",
    "Dropped",
    "Listing",
    "Packed",
    "PageEvidence",
    "Relevance",
    "Removed",
    "SkippedInput",
    "document_id",
]

PAGE_TYPES = ("article", "listing", "home", "feed", "error", "other")


def document_id(url: str | None, captured: datetime | None, raw_sha256: str) -> str:
    """Stable id: canonical url + capture time when known, else the content hash."""
    if url:
        stamp = captured.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S") if captured else ""
        key = f"{url.rstrip('/')}|{stamp}"
        return hashlib.sha256(key.encode()).hexdigest()[:24]
    return raw_sha256[:24]


@dataclass(frozen=True, slots=True)
class Removed:
    """One span a rule took out of a document: the provenance of every deletion."""

    rule: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Relevance:
    """How like the exemplars a document is: cosine to the nearest one, and why."""

    score: float
    nearest: str | None  # the exemplar's id
    terms: tuple[tuple[str, float], ...] = ()  # the words that contributed most, with shares


@dataclass(frozen=True, slots=True)
class Capture:
    """Raw bytes of one page as an archive (or a seed file) holds them."""

    id: str
    source: str
    content: bytes
    url: str | None = None
    capture_time: datetime | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    record_type: str = "response"  # the WARC record type (seeds: "response")
    cut: str | None = None  # why the payload is incomplete (torn file, over max_bytes)

    def header(self, name: str) -> str | None:
        """An HTTP header of the capture, by case-insensitive name."""
        name = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == name), None)


@dataclass(frozen=True, slots=True)
class Listing:
    """A capture an index says exists, before it is fetched: what to GET and how."""

    source: str  # wayback / commoncrawl / live
    url: str  # the original url
    timestamp: str | None  # 14 digits, as the archive gives it
    fetch: str  # the url to GET: replay url, data file url, or the live url
    offset: int | None = None  # byte range in `fetch` (Common Crawl WARC records)
    length: int | None = None
    digest: str | None = None
    mime: str | None = None
    status: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source}|{self.timestamp or '-'}|{self.url}"

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Listing:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """What a page says about itself, gathered while cleaning; read by the page-type step.

    Not a dataset column: it lets the decision (filters/page_type.py) stay out of cleaning.
    """

    html: bool = False
    og_type: str | None = None
    schema_types: tuple[str, ...] = ()  # JSON-LD / microdata @type values
    article_tags: int = 0  # <article> elements in the page
    headline_links: int = 0  # h2-h4 headings holding a link, anywhere in the page
    media: int = 0  # video, audio and player embeds
    canonical: str | None = None
    title: str | None = None  # the page's <title>
    html_language: str | None = None
    lines: int = 0  # lines of extracted text
    link_lines: int = 0  # lines that are mostly link text
    teaser_blocks: int = 0  # short heading/link line followed by a short paragraph, repeated
    longest_prose: int = 0  # words in the longest run of prose paragraphs
    words: int = 0


@dataclass(frozen=True, slots=True)
class Document:
    """One cleaned article: one row of the dataset."""

    id: str
    text: str
    url: str | None = None
    source: str = "text"
    capture_time: datetime | None = None
    publisher: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    language: str | None = None
    removed: tuple[Removed, ...] = ()
    raw_sha256: str = ""
    rule_version: str | None = None
    relevance: float | None = None  # see Relevance; None when there are no exemplars
    nearest_exemplar: str | None = None
    page_type: str | None = None  # one of PAGE_TYPES (filters/page_type.py)
    truncated: bool = False  # cleaned from a record that was cut short
    evidence: PageEvidence = field(default=PageEvidence(), compare=False, repr=False)
    fingerprint: bytes = field(default=b"", compare=False, repr=False)  # filters/dedup.py

    def replace(self, **changes: Any) -> Document:
        return dataclasses.replace(self, **changes)

    def row(self) -> dict[str, Any]:
        """The dataset row: the columns of the parquet schema, nothing else."""
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "capture_time": self.capture_time,
            "publisher": self.publisher,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "text": self.text,
            "language": self.language,
            "removed": [{"rule": r.rule, "kind": r.kind, "text": r.text} for r in self.removed],
            "raw_sha256": self.raw_sha256,
            "rule_version": self.rule_version,
            "relevance": self.relevance,
            "nearest_exemplar": self.nearest_exemplar,
            "page_type": self.page_type,
            "truncated": self.truncated,
        }


@dataclass(frozen=True, slots=True)
class Packed:
    """A cleaned document on its way from a worker: what the filters and deduplication
    read, and the Document pickled. It is unpickled once, when it is written: the main
    process, which all workers wait on, does not unpickle and pickle it again to spill it."""

    id: str
    words: int
    language: str | None
    relevance: float | None
    capture_time: datetime | None
    chars: int
    fingerprint: bytes  # see filters.dedup
    blob: bytes

    @classmethod
    def pack(cls, doc: Document) -> Packed:
        slim = doc.replace(fingerprint=b"")
        blob = pickle.dumps(slim, protocol=pickle.HIGHEST_PROTOCOL)
        words = len(doc.text.split())
        return cls(
            doc.id, words, doc.language, doc.relevance, doc.capture_time, len(doc.text),
            doc.fingerprint, blob,
        )  # fmt: skip

    def unpack(self) -> Document:
        return pickle.loads(self.blob)


@dataclass(frozen=True, slots=True)
class Dropped:
    """A capture or document a filter step left out of the dataset, and why."""

    id: str
    reason: str  # "<step>: <why>", counted in the run summary and versions.json


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """An input the run could not use, with the reason shown in the run summary."""

    id: str
    reason: str
