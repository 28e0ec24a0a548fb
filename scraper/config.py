"""config.yaml: typed, validated, layered over the packaged defaults.

Every error names the file, the line and the dotted key, on one line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .errors import ConfigError
from .syntax import cdx_filter, url_pattern_problem, url_problem
from .yamlfile import line_of, load_yaml, validate

__all__ = ["Config", "default_config", "load_config"]

_DEFAULTS = "<defaults>"  # Config.source_file when no config file was read

DEFAULT_CONFIG_NAME = "config.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


_SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")
_REPO_FILE = re.compile(r"^(?!/)(?!.*\.\.)[\w./-]+$")


def _checked(problem: Callable[[str], str | None]) -> AfterValidator:
    """A validator refusing a value for which `problem` gives a reason."""

    def check(value: str) -> str:
        if reason := problem(value):
            raise ValueError(f"{value!r}: {reason}")
        return value

    return AfterValidator(check)


def _filter(spec: str) -> str:
    cdx_filter(spec)  # raises ValueError saying what is wrong
    return spec


# Checked at load, so that a typo is one line naming file, line and key, not a traceback
# in the middle of `scrape collect` (syntax.py).
Url = Annotated[str, _checked(url_problem)]  # an endpoint or a live url: http(s), host, port
UrlPattern = Annotated[str, _checked(url_pattern_problem)]  # what a CDX index is asked for
CdxFilter = Annotated[str, AfterValidator(_filter)]  # [!]field:regex


class DatasetConfig(_Strict):
    name: str = "news-corpus"
    dir: Path = Path("dataset")
    license: str = "other"
    # With license `other`, the Hub wants the license named and linked (the card's YAML).
    license_name: str | None = None
    license_link: str | None = None
    rows_per_shard: int = Field(5000, ge=1)

    @field_validator("license_name")
    @classmethod
    def _slug(cls, v: str | None) -> str | None:
        if v is not None and not _SLUG.match(v):
            raise ValueError(f"{v!r}: lowercase letters, digits, - and ., e.g. my-license-1.0")
        return v

    @field_validator("license_link")
    @classmethod
    def _link(cls, v: str | None) -> str | None:
        if v is not None and not (_URL.match(v) or _REPO_FILE.match(v)):
            raise ValueError(f"{v!r}: an http(s) url, or a file in the dataset such as LICENSE.md")
        return v

    @model_validator(mode="after")
    def _named_only_when_other(self) -> DatasetConfig:
        given = [k for k in ("license_name", "license_link") if getattr(self, k) is not None]
        if given and self.license != "other":
            raise ValueError(f"{' and '.join(given)}: only with license: other")
        if len(given) == 1:
            raise ValueError("license_name and license_link: give both (the Hub needs both)")
        return self


class SeedsSource(_Strict):
    dir: Path = Path("seeds")
    glob: str = "*.txt"


class WaybackSource(_Strict):
    cdx: Url = "https://web.archive.org/cdx/search/cdx"
    replay: Url = "https://web.archive.org/web"
    urls: list[UrlPattern]
    match: Literal["exact", "prefix", "host", "domain"] = "exact"
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    filter: list[CdxFilter] = ["statuscode:200", "mimetype:text/html"]
    collapse: str | None = "digest"
    limit: int | None = Field(None, ge=1)
    url_terms: list[str] = []  # keep only urls whose path names one (see discover.terms)


class CommonCrawlSource(_Strict):
    index: Url = "https://index.commoncrawl.org"
    data: Url = "https://data.commoncrawl.org"
    crawls: list[str]
    urls: list[UrlPattern]
    match: Literal["exact", "prefix", "host", "domain"] = "exact"
    filter: list[CdxFilter] = ["status:200", "mime:text/html"]
    limit: int | None = Field(None, ge=1)


class WarcSource(_Strict):
    paths: list[str]


class UrlsSource(_Strict):
    items: list[Url] = Field([], alias="list")
    file: Path | None = None


class SourceEntry(_Strict):
    """One item of `sources:`: a mapping with exactly one source kind as its key."""

    seeds: SeedsSource | None = None
    wayback: WaybackSource | None = None
    commoncrawl: CommonCrawlSource | None = None
    warc: WarcSource | None = None
    urls: UrlsSource | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SourceEntry:
        kinds = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "each source names exactly one of seeds, wayback, commoncrawl, warc, urls"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in type(self).model_fields if getattr(self, k) is not None)

    @property
    def settings(self) -> BaseModel:
        return getattr(self, self.kind)


class PerHost(_Strict):
    concurrency: int = Field(2, ge=1)
    min_interval: float = Field(1.0, ge=0)


class FetchConfig(_Strict):
    concurrency: int = Field(8, ge=1)
    per_host: PerHost = PerHost()
    retries: int = Field(5, ge=0)
    timeout: float = Field(30, gt=0, description="seconds one read may wait")
    deadline: float = Field(300, gt=0, description="seconds one request may take in all")
    max_bytes: int = Field(10_000_000, gt=0, description="per body, as sent and decoded")
    user_agent: str = "scraper/0.1 (research corpus builder)"
    allow_private: bool = False


class RelevanceFilter(_Strict):
    min_score: float | None = Field(None, ge=0, le=1, description="drop documents scoring less")


class ArchiveEndpoints(_Strict):
    cdx: Url = "https://web.archive.org/cdx/search/cdx"
    replay: Url = "https://web.archive.org/web"


class DiscoverConfig(_Strict):
    """`scrape discover`: exemplars in, a collection plan out (see scraper/discover)."""

    exemplars: list[str] | None = None  # files or globs; None: the seeds sources' files
    window_days: int = Field(60, ge=0)
    terms: int = Field(40, ge=1, description="salient terms for the model and url prefilter")
    archive: ArchiveEndpoints = ArchiveEndpoints()


PageType = Literal["article", "listing", "home", "feed", "error", "other"]


class Filters(_Strict):
    """Each field turns on one step of the filter stage (scraper/filters/)."""

    languages: list[str] | None = None
    min_words: int = Field(0, ge=0)
    relevance: RelevanceFilter = RelevanceFilter()
    near_duplicates: float | None = Field(None, gt=0, le=1)
    page_types: list[PageType] = Field(["article"], min_length=1)
    truncated: Literal["drop", "keep"] = "drop"  # records cut short (torn file, lying length)


class RepeatedLinesConfig(_Strict):
    """Lines a publisher repeats across the run's documents (scraper/repetition.py)."""

    enabled: bool = True
    min_docs: int = Field(5, ge=2, description="documents a line must recur in, at least")
    min_share: float = Field(0.3, gt=0, le=1, description="share of the publisher's documents")
    max_words: int = Field(25, ge=1, description="longer lines are article text")
    edge_lines: int = Field(8, ge=1, description="only the first and last lines this many")
    window: int = Field(2000, ge=1, description="documents held and counted at the start")


class CleanConfig(_Strict):
    workers: int | None = Field(None, ge=1, description="processes; default: every core")
    timeout: float = Field(30, gt=0, description="seconds one document may take")
    line_model: bool = True  # plain text also goes through the line classifier
    repeated: RepeatedLinesConfig = RepeatedLinesConfig()


class Config(_Strict):
    dataset: DatasetConfig = DatasetConfig()
    work_dir: Path = Path(".scraper")
    sources: list[SourceEntry] = [SourceEntry(seeds=SeedsSource())]
    fetch: FetchConfig = FetchConfig()
    rules: list[Path] = []
    publishers: list[dict[str, Any]] = []
    filters: Filters = Filters()
    clean: CleanConfig = CleanConfig()
    discover: DiscoverConfig = DiscoverConfig()
    # Where the config file lives: relative paths resolve against it. Not a YAML key.
    base_dir: Path = Field(Path("."), exclude=True)
    source_file: str = Field(_DEFAULTS, exclude=True)  # named in inline-rule errors

    @property
    def from_defaults(self) -> bool:
        """No config file was read: the packaged defaults alone apply."""
        return self.source_file == _DEFAULTS

    def path(self, p: Path | str) -> Path:
        """Resolve a path from the config against the config file's folder."""
        p = Path(p)
        return p if p.is_absolute() else self.base_dir / p

    @property
    def store_dir(self) -> Path:
        """The raw store: WARC files of every fetched capture."""
        return self.path(self.work_dir) / "warc"

    @property
    def state_file(self) -> Path:
        """The collector's run state (sqlite)."""
        return self.path(self.work_dir) / "state.sqlite"

    def digest(self) -> str:
        """Hash of the effective settings, recorded with every dataset version."""
        blob = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


@lru_cache(maxsize=1)
def default_config() -> Config:
    """The packaged defaults (scraper/defaults.yaml) alone: what `clean()` uses without a
    config. The models' field defaults say the same (a test holds them to it)."""
    path = Path(str(resources.files("scraper").joinpath("defaults.yaml")))
    return validate(Config, {**_defaults(), "base_dir": Path.cwd()}, path=path, node=None)


def _defaults() -> dict[str, Any]:
    text = resources.files("scraper").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _merge(base: Any, top: Any) -> Any:
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for k, v in top.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return top


def load_config(path: str | Path | None = None) -> Config:
    """Read a config file layered over the defaults.

    With no path, ./config.yaml is used when it exists, else the packaged defaults alone
    (which clean ./seeds into ./dataset).
    """
    explicit = path is not None
    path = Path(path) if explicit else Path(DEFAULT_CONFIG_NAME)
    data, node, read = {}, None, False
    if path.exists() or explicit:
        data, node = load_yaml(path)
        read = True
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:1: the config must be a mapping of keys to values")
    merged = _merge(_defaults(), data)
    for forbidden in ("base_dir", "source_file"):
        if forbidden in data:
            raise ConfigError(f"{path}: {forbidden}: unknown key")
    merged.update(base_dir=path.resolve().parent, source_file=str(path) if read else _DEFAULTS)
    config = validate(Config, merged, path=path, node=node)
    _check_folders(config, path, node)
    return config


def _check_folders(config: Config, path: Path, node: yaml.Node | None) -> None:
    """A folder the runs write into must not be a file: said here, naming the key, rather
    than as a traceback from the first `mkdir`."""
    for key, folder in ((("dataset", "dir"), config.dataset.dir), (("work_dir",), config.work_dir)):
        where = config.path(folder)
        if where.exists() and not where.is_dir():
            line = line_of(node, key) if node is not None else None
            at = f"{path}:{line}: " if line else ""
            raise ConfigError(f"{at}{'.'.join(key)}: {where} is a file, not a folder")
