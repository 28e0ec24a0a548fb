"""The filter stage: every keep/drop decision about a capture or a document, in one place.

Modelled on datatrove's pipeline: a step looks at one document (with the capture it came
from) and either keeps it or names a reason, and the reasons are counted — in the run
summary, `versions.json` (`run.dropped`) and `scrape report`. Three kinds of step:

- `CaptureFilter`: judged from the record alone, before cleaning (is this an HTML
  response at all?), so a crawl's dns lookups and images never reach a worker;
- `Annotator`: adds what later steps and the dataset read (language, page type,
  relevance, fingerprint) and never drops;
- `DocumentFilter`: judged on the cleaned, annotated document (page types, length,
  language, relevance).

Deduplication needs every document at once, so it runs after the stage (filters/dedup.py).
A step is configured by one field under `filters:`; `from_config` returns None when that
field leaves it off. Adding a filter: one module with its class, one config field, one
entry in `filters/__init__.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..models import Capture, Document

if TYPE_CHECKING:
    from ..config import Config
    from ..discover.relevance import RelevanceModel

__all__ = ["Annotator", "CaptureFilter", "Context", "DocumentFilter", "FilterStage", "Step"]


@dataclass(frozen=True)
class Context:
    """What steps are built from: the run's config and the exemplars' model, if any."""

    config: Config
    model: RelevanceModel | None = None


class Step:
    name: ClassVar[str]  # shown in `scrape explain` and used in messages

    @classmethod
    def from_config(cls, ctx: Context) -> Step | None:
        """The step as the config sets it up, or None when the config leaves it off."""
        return cls()


class CaptureFilter(Step):
    def __call__(self, capture: Capture) -> str | None:
        """None to keep the capture, else the reason it is not cleaned."""
        raise NotImplementedError


class Annotator(Step):
    def __call__(self, doc: Document, capture: Capture) -> Document:
        raise NotImplementedError


class DocumentFilter(Step):
    def __call__(self, doc: Document, capture: Capture) -> str | None:
        """None to keep the document, else the reason it is left out."""
        raise NotImplementedError


@dataclass
class FilterStage:
    """The configured steps, in order; built once per process (see `build_stage`)."""

    gate: list[CaptureFilter] = field(default_factory=list)
    annotators: list[Annotator] = field(default_factory=list)
    decide: list[DocumentFilter] = field(default_factory=list)

    def check_capture(self, capture: Capture) -> str | None:
        for step in self.gate:
            if reason := step(capture):
                return reason
        return None

    def annotate(self, doc: Document, capture: Capture) -> Document:
        for step in self.annotators:
            doc = step(doc, capture)
        return doc

    def judge(self, doc: Document, capture: Capture) -> str | None:
        for step in self.decide:
            if reason := step(doc, capture):
                return reason
        return None
