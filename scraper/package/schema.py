"""The dataset's columns: one explicit schema, never inferred from the first document."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pyarrow as pa
from datasets import Features, List, Value

__all__ = ["DESCRIPTIONS", "FEATURES", "SCHEMA", "as_stored", "schema_digest"]

FEATURES = Features(
    {
        "id": Value("string"),
        "url": Value("string"),
        "source": Value("string"),
        "capture_time": Value("timestamp[us, tz=UTC]"),
        "publisher": Value("string"),
        "title": Value("string"),
        "author": Value("string"),
        "published": Value("date32"),
        "text": Value("string"),
        "language": Value("string"),
        "removed": List(
            {"rule": Value("string"), "kind": Value("string"), "text": Value("string")}
        ),
        "raw_sha256": Value("string"),
        "rule_version": Value("string"),
        "relevance": Value("float32"),
        "nearest_exemplar": Value("string"),
        "page_type": Value("string"),
        "truncated": Value("bool"),
    }
)

SCHEMA: pa.Schema = FEATURES.arrow_schema

# What each column holds, for the dataset card: a column is described where it is declared.
DESCRIPTIONS = {
    "id": "Stable id: a hash of the url and capture time when known, else of the raw "
    "bytes; a seed file's name.",
    "url": "The page's url: the archived url, else one the text states.",
    "source": "Where the capture came from: `seed`, `wayback`, `commoncrawl`, `live`, or "
    "the source a WARC file records.",
    "capture_time": "When the archive captured the page (UTC); null for seed texts.",
    "publisher": "The publisher, known by the url's domain or by signatures in the text; "
    "null when no rule file knows it.",
    "title": "The title, from the page's markup or the text's first lines (and taken out "
    "of `text`).",
    "author": "The byline, where the page or the text states one.",
    "published": "The publication date, from the page's metadata, a dateline or the url.",
    "text": "The cleaned article; paragraphs separated by a blank line.",
    "language": "ISO 639-1 code detected from the text (see Language), else the page's "
    "`<html lang>`; null when the text is too short or too mixed to tell.",
    "removed": "Every span the cleaner took out, in order: the `rule` that took it, its "
    "`kind` (donation, related-links, newsletter, title, meta…) and the `text` taken; "
    "an empty list when nothing was.",
    "raw_sha256": "sha256 of the raw capture the row was cleaned from.",
    "rule_version": "The publisher rule versions that applied, as `Publisher@v2012` (a "
    "user's file first, joined by `+`); null when only the generic rules did.",
    "relevance": "How like the exemplar articles the text is, 0 to 1: the cosine to their "
    "centroid, rare words weighing more (on-topic articles score ~0.3–0.7, other news from "
    "the same sites ~0.1); null when the run had no exemplars.",
    "nearest_exemplar": "The id of the most similar exemplar; null with `relevance`.",
    "page_type": "What the page is (`article`, `listing`, `home`, `feed`, `error`, "
    "`other`), judged from its markup, url and the shape of its text; only the types in "
    "`filters.page_types` (default: article) become rows.",
    "truncated": "True when the row was cleaned from a record cut short (a torn file, a body "
    "over the size limit); such records become rows only with `filters.truncated: keep`.",
}
if DESCRIPTIONS.keys() != FEATURES.keys():  # fails at import, so no column goes undescribed
    raise RuntimeError("scraper/package/schema.py: DESCRIPTIONS must describe every column")

# Columns whose Python value does not survive a parquet round trip unchanged: a float32
# keeps ~7 digits of a float, a timestamp comes back in UTC.
_LOSSY = {
    f.name: f.type for f in SCHEMA if pa.types.is_floating(f.type) or pa.types.is_timestamp(f.type)
}


def as_stored(row: dict[str, Any]) -> dict[str, Any]:
    """The row as its parquet file will give it back, so that a row cleaned now and the
    same row read from the last version compare equal (0.7398 is 0.73979997… in float32)."""
    return {
        k: pa.scalar(v, type=_LOSSY[k]).as_py() if k in _LOSSY and v is not None else v
        for k, v in row.items()
    }


def schema_digest() -> str:
    """Changes exactly when the features change: a major version."""
    blob = json.dumps(FEATURES._to_yaml_list(), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()
