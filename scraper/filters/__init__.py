"""Every keep/drop decision about a capture or a document (see filters/base.py).

The steps run in the order listed here. Adding a filter: a module with its class, one
field under `filters:` in config.py, and its class in `STEPS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Annotator, CaptureFilter, Context, DocumentFilter, FilterStage, Step
from .dedup import Fingerprint
from .language import Languages, LanguageTag, detect_language
from .length import MinWords
from .page_type import PageTypes, PageTypeTag, classify
from .records import RecordGate
from .relevance import MinRelevance, RelevanceScore

if TYPE_CHECKING:
    from ..config import Config
    from ..discover.relevance import RelevanceModel

__all__ = ["STEPS", "FilterStage", "annotate", "build_stage", "classify", "detect_language"]

STEPS: tuple[type[Step], ...] = (
    RecordGate,  # capture: HTTP 2xx responses with an HTML (or, for seeds, text) payload
    LanguageTag,  # annotate
    PageTypeTag,
    RelevanceScore,
    Fingerprint,
    MinWords,  # decide
    PageTypes,
    Languages,
    MinRelevance,
)
_DEFAULT_ANNOTATORS = (LanguageTag, PageTypeTag)  # what `scraper.clean()` fills in


def build_stage(config: Config, model: RelevanceModel | None = None) -> FilterStage:
    """The steps the config turns on, each built once."""
    ctx = Context(config, model)
    stage = FilterStage()
    for cls in STEPS:
        step = cls.from_config(ctx)
        if isinstance(step, CaptureFilter):
            stage.gate.append(step)
        elif isinstance(step, Annotator):
            stage.annotators.append(step)
        elif isinstance(step, DocumentFilter):
            stage.decide.append(step)
    return stage


def annotate(doc, capture) -> object:
    """Language and page type, as `scraper.clean()` gives them (no config needed)."""
    for cls in _DEFAULT_ANNOTATORS:
        doc = cls()(doc, capture)
    return doc
