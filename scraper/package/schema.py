"""The dataset's columns: one explicit schema, never inferred from the first document."""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa
from datasets import Features, List, Value

__all__ = ["FEATURES", "SCHEMA", "schema_digest"]

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


def schema_digest() -> str:
    """Changes exactly when the features change: a major version."""
    blob = json.dumps(FEATURES._to_yaml_list(), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()
