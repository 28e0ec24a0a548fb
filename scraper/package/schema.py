"""The dataset's columns: one explicit schema, never inferred from the first document."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pyarrow as pa
from datasets import Features, List, Value

__all__ = ["FEATURES", "SCHEMA", "as_stored", "schema_digest"]

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
