"""The shape of a rule file, validated at load: regexes compiled, dates ordered, extends known.

A rule file describes one publisher (or, with `publisher: generic`, all of them):

    publisher: The Moscow Times
    domains: [themoscowtimes.com]
    recognise: ['^Support The Moscow Times!$']
    versions:
      - id: v2012
        valid_until: 2016-12-31
        text: {...}
        meta: {...}
      - id: v2024
        extends: v2012
        html: {prune_xpath: [...], prune_css: [...]}
        text: {...}

Patterns are Python regexes matched case-insensitively against one line of plain text
(markdown removed), except `strip`, which sees the line as written.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from lxml import etree
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = ["RuleFile", "RuleVersion", "TextRules", "HtmlRules", "MetaRules"]

FLAGS = re.IGNORECASE


def _compile(value: Any) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        raise ValueError("a pattern must be a string")
    try:
        return re.compile(value, FLAGS)
    except re.error as e:
        raise ValueError(f"bad regex {value!r}: {e}") from None


def _xpath(value: Any) -> str:
    try:
        etree.XPath(value)
    except (etree.XPathSyntaxError, TypeError) as e:
        raise ValueError(f"bad XPath {value!r}: {e}") from None
    return value


def _css(value: Any) -> str:
    try:
        CSSSelector(value)
    except Exception as e:  # cssselect raises several unrelated types
        raise ValueError(f"bad CSS selector {value!r}: {e}") from None
    return value


Regex = Annotated[re.Pattern, BeforeValidator(_compile)]
XPath = Annotated[str, BeforeValidator(_xpath)]
Css = Annotated[str, BeforeValidator(_css)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _as_pattern(value: Any) -> Any:
    """Let a bare string stand for {pattern: string}."""
    return {"pattern": value} if isinstance(value, str) else value


class LineRule(_Strict):
    """Drop a line that matches; `max_words`, `near` and `min_run` guard article text."""

    pattern: Regex
    kind: str = "boilerplate"
    name: str | None = None
    max_words: int | None = Field(None, ge=1)
    near: int | None = Field(None, ge=1, description="only within N lines of a drop of this kind")
    min_run: int = Field(1, ge=1, description="only in a run of N consecutive matching lines")
    min_links: float | None = Field(
        None, gt=0, le=1, description="only lines this share of which is links (HTML input)"
    )


class LinkListRule(_Strict):
    """Drop a run of list items that each lead with a link: teasers for other pages.

    HTML input only (text input does not say what was a link). Items of a list of links
    inside the article text are rarer than boxes of other stories, and those are kept by
    `min_items` and `min_links`.
    """

    kind: str = "related-links"
    name: str | None = None
    min_items: int = Field(3, ge=1)
    min_links: float = Field(0.25, gt=0, le=1, description="share of each item that is links")
    median_max_words: int = Field(
        25, ge=1, description="teasers are headlines: longer items are a list in the article"
    )
    header_max_words: int = Field(8, ge=0, description="also drop a short line just above")
    max_words: int | None = Field(None, ge=1, description="a longer line ends the run")
    items_only: bool = Field(
        True, description="only list items; false also takes runs of paragraphs and headings"
    )


class BlockRule(_Strict):
    """Drop from a start line through an end line, if the end comes within max_lines.

    A page cut short loses the end line: then the block goes to the end of the text, but
    only for a rule that sets `unclosed_from` (a start marker specific enough, such as a
    letter's salutation), when the block starts past that share of the text's words and
    the rest is at most `unclosed_max_words` words, so an article is never eaten.
    """

    start: Regex
    end: Regex
    kind: str = "boilerplate"
    name: str | None = None
    max_lines: int = Field(40, ge=1)
    unclosed_from: float | None = Field(
        None,
        ge=0.5,
        le=1,
        description="an unclosed block starts past this share of words; null: never",
    )
    unclosed_max_words: int = Field(120, ge=1, description="an unclosed block is this short")


class ListRule(_Strict):
    """Drop a header line and the short, title-like lines that follow it."""

    header: Regex
    kind: str = "related-links"
    name: str | None = None
    item_max_words: int = Field(16, ge=1)
    min_items: int = Field(1, ge=0)


class TrailerRule(_Strict):
    """Drop a matching line and everything after it."""

    pattern: Regex
    kind: str = "trailer"
    name: str | None = None
    min_position: float = Field(0.5, ge=0, le=1, description="only in the last part of the text")


class StripRule(_Strict):
    """Cut a span out of a line as written (e.g. a bold photo credit after a caption)."""

    pattern: Regex
    kind: str = "boilerplate"
    name: str | None = None


class BreadcrumbRule(_Strict):
    """Drop a navigation trail near the top.

    Either a line matching `pattern` (e.g. starting with "Home") that ends with the next
    line (the title) or holds a separator, or any short line with `min_separators` of
    » › > / | between words.
    """

    pattern: Regex
    kind: str = "navigation"
    name: str | None = None
    max_words: int = Field(30, ge=1)
    min_separators: int = Field(2, ge=1)
    top_lines: int = Field(12, ge=1, description="only among the first N lines")


class RepeatRule(_Strict):
    """Drop a line that repeats the line just before it (duplicated captions)."""

    kind: str = "duplicate"
    name: str | None = None


def _stems(value: Any) -> Any:
    """Compile a set of word stems into one pattern: a word that starts with any of them."""
    if not isinstance(value, list) or not value or not all(isinstance(w, str) for w in value):
        raise ValueError("a keyword set is a non-empty list of words")
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in value) + ")", FLAGS)


Stems = Annotated[re.Pattern, BeforeValidator(_stems)]


class FamilyRule(_Strict):
    """Drop a short line that holds a word of each of (at least `min_sets` of) its keyword
    sets: one rule for a donation appeal or a paywall meter reworded over the years,
    where a regex per wording would always be one wording behind."""

    sets: list[Stems] = Field(
        min_length=1, description="lists of word stems, e.g. [donat, support]"
    )
    kind: str = "boilerplate"
    name: str | None = None
    max_words: int = Field(30, ge=1, description="article sentences are longer, or lack a set")
    min_sets: int | None = Field(None, ge=1, description="how many sets must match; all by default")

    def matches(self, text: str) -> bool:
        need = self.min_sets or len(self.sets)
        return sum(1 for s in self.sets if s.search(text)) >= need


LineRules = list[Annotated[LineRule, BeforeValidator(_as_pattern)]]
TrailerRules = list[Annotated[TrailerRule, BeforeValidator(_as_pattern)]]


class TextRules(_Strict):
    drop_lines: LineRules = []
    families: list[FamilyRule] = []
    drop_blocks: list[BlockRule] = []
    drop_lists: list[ListRule] = []
    link_lists: list[LinkListRule] = []
    truncate_after: TrailerRules = []
    strip: list[StripRule] = []
    breadcrumbs: list[BreadcrumbRule] = []
    drop_repeated: RepeatRule | None = None


class HtmlRules(_Strict):
    prune_xpath: list[XPath] = []
    prune_css: list[Css] = []


class MetaRules(_Strict):
    """Patterns for metadata lines; each names its value with a group of the field's name."""

    author: list[Regex] = []
    date: list[Regex] = []
    url: list[Regex] = []
    date_order: Literal["DMY", "MDY", "YMD"] | None = None
    header_lines: int | None = Field(None, ge=1, description="how far below the title to look")


class RuleVersion(_Strict):
    id: str
    valid_until: date | None = None
    recognise: list[Regex] = Field(
        [], description="signatures of this layout, which pick it when the capture time is unknown"
    )
    extends: str | None = None
    html: HtmlRules = HtmlRules()
    text: TextRules = TextRules()
    meta: MetaRules = MetaRules()


class RuleFile(_Strict):
    publisher: str
    domains: list[str] = []
    recognise: list[Regex] = []
    language: str | None = None
    versions: list[RuleVersion]

    @model_validator(mode="after")
    def _versions_in_order(self) -> RuleFile:
        if not self.versions:
            raise ValueError("versions: at least one version is needed")
        ids = [v.id for v in self.versions]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"versions: duplicate id {sorted(dupes)[0]!r}")
        bounds = [v.valid_until for v in self.versions]
        if any(b is None for b in bounds[:-1]):
            missing = next(v.id for v in self.versions[:-1] if v.valid_until is None)
            raise ValueError(f"versions: {missing}: valid_until is required on all but the last")
        dated = [b for b in bounds if b is not None]
        if dated != sorted(set(dated)) or len(dated) != len(set(dated)):
            raise ValueError("versions: valid_until dates must be unique and ascending")
        seen: set[str] = set()
        for v in self.versions:
            if v.extends is not None and v.extends not in seen:
                raise ValueError(
                    f"versions: {v.id}: extends {v.extends!r}, which is not an earlier version"
                )
            seen.add(v.id)
        return self

    @property
    def is_generic(self) -> bool:
        return self.publisher == "generic"
