"""Packaging cleaned documents as a versioned Hugging Face dataset folder."""

from .diff import Diff, diff_rows
from .schema import FEATURES, SCHEMA
from .versions import VersionRecord, load_versions
from .writer import Outcome, write_version

__all__ = [
    "FEATURES",
    "SCHEMA",
    "Diff",
    "Outcome",
    "VersionRecord",
    "diff_rows",
    "load_versions",
    "write_version",
]
