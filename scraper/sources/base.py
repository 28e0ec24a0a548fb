"""The source contract: what every kind under `sources:` in config.yaml can be asked.

A source is either *archived* (wayback, commoncrawl, live urls: `scrape collect` lists
captures and fetches them into the raw store) or *local* (seeds, warc files: `scrape clean`
reads their captures where they are). One class per kind implements the methods that fit
it; the defaults say "nothing of that here". The registry in `sources/__init__.py` maps the
config key (`wayback:`) to the class, so callers never dispatch on the kind themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from ..models import Capture, Listing, SkippedInput

if TYPE_CHECKING:
    from ..config import Config
    from ..fetch.client import Fetcher, Response

__all__ = ["Fetched", "Source"]


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched capture: the response, where it was finally found, when, and notes."""

    response: Response
    url: str
    captured: datetime
    notes: dict[str, Any] = field(default_factory=dict)


class Source:
    """One entry of `sources:`. Subclasses set `kind` (the config key) and `name` (the
    `source` column of the rows it gives) and override what applies to them."""

    kind: ClassVar[str]
    name: ClassVar[str]
    local: ClassVar[bool] = False  # read by `scrape clean`, never collected

    def __init__(self, settings: BaseModel, config: Config, index: int) -> None:
        self.settings = settings
        self.config = config
        self.key = f"sources[{index}].{self.kind}"  # for error messages

    # -- archived sources: `scrape collect` --------------------------------------------
    async def listings(self, fetcher: Fetcher) -> list[Listing]:
        """Every capture the source's index lists (nothing fetched yet)."""
        return []

    @property
    def url_terms(self) -> list[str]:
        """Salient terms for the url prefilter (filters/url_terms.py); none: keep all."""
        return []

    @classmethod
    async def fetch(cls, listing: Listing, fetcher: Fetcher) -> Fetched:
        """The capture a listing names, as the archive holds it."""
        raise NotImplementedError(f"{cls.kind} sources are read locally, not fetched")

    # -- local sources: `scrape clean` -------------------------------------------------
    def check(self) -> None:
        """Raise ConfigError if the settings name nothing there: checked before a run
        starts, so that it stops before it makes or locks any folder."""

    def captures(self) -> Iterator[Capture | SkippedInput]:
        """The captures held locally, or a line for each input that could not be read."""
        return iter(())

    def count(self) -> int | None:
        """How many captures `captures` gives, cheaply (None: unknown without reading)."""
        return 0

    def exemplar_files(self) -> list[Path]:
        """Files that are exemplars of what to collect (the seeds)."""
        return []

    def describe(self) -> str:
        """One line for summaries: what this source reads."""
        return self.kind
