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

from datetime import date
from typing import Any

from pydantic import Field, create_model, model_validator

from ._types import FLAGS, Css, Regex, Strict, XPath
from .kinds import KINDS, RuleKind
from .meta import MetaRules

__all__ = ["FLAGS", "RuleFile", "RuleVersion", "TextRules", "HtmlRules", "MetaRules"]


def _text_field(kind: type[RuleKind]) -> tuple[Any, Any]:
    return (kind | None, None) if kind.single else (list[kind], [])


# one field per rule kind, named by its section (`drop_lines: [...]`)
TextRules = create_model("TextRules", __base__=Strict, **{k.section: _text_field(k) for k in KINDS})


class HtmlRules(Strict):
    prune_xpath: list[XPath] = []
    prune_css: list[Css] = []


class RuleVersion(Strict):
    id: str
    valid_until: date | None = None
    recognise: list[Regex] = Field(
        [], description="signatures of this layout, which pick it when the capture time is unknown"
    )
    extends: str | None = None
    html: HtmlRules = HtmlRules()
    text: TextRules = TextRules()
    meta: MetaRules = MetaRules()


class RuleFile(Strict):
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
