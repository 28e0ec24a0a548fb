"""Packaging cleaned documents as a versioned Hugging Face dataset folder."""

from .card import CardSettings
from .diff import Diff
from .schema import FEATURES, SCHEMA
from .versions import VersionRecord, load_versions
from .writer import Outcome, write_version

__all__ = [
    "CardSettings",
    "FEATURES",
    "SCHEMA",
    "Diff",
    "Outcome",
    "VersionRecord",
    "load_versions",
    "write_version",
]
