"""The value types of rule files: patterns compiled at load, XPath and CSS checked."""

from __future__ import annotations

import re
from typing import Annotated, Any

from lxml import etree
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, BeforeValidator, ConfigDict

__all__ = ["FLAGS", "Css", "Regex", "Stems", "Strict", "XPath"]

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _stems(value: Any) -> Any:
    """Compile a set of word stems into one pattern: a word that starts with any of them."""
    if not isinstance(value, list) or not value or not all(isinstance(w, str) for w in value):
        raise ValueError("a keyword set is a non-empty list of words")
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in value) + ")", FLAGS)


Stems = Annotated[re.Pattern, BeforeValidator(_stems)]
