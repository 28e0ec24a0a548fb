"""Rule fixtures: for every rule version, an input page and the output it must give.

Layout: `fixtures/<rule file stem>/<version id>/input.txt` (or `input.html`) and
`expected.json` ({"url": input url or null, "captured": ISO time or null, "expected": {...}}).
A rule version without a fixture is an error in the test suite, as in fundus. A folder
`<version id>@<variant>` holds one more fixture of that version: its boilerplate as worded
in another year, or a page cut short.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..models import Document

__all__ = [
    "Fixture",
    "check_fixture",
    "find_fixtures",
    "fixture_diff",
    "fixture_dir",
    "fixtures_for",
    "observed",
    "update_fixture",
]


def fixture_dir() -> Path:
    return Path(str(resources.files("scraper.rules").joinpath("fixtures")))


@dataclass(frozen=True)
class Fixture:
    stem: str
    version: str
    folder: Path

    @property
    def input_path(self) -> Path:
        for name in ("input.txt", "input.html"):
            if (self.folder / name).exists():
                return self.folder / name
        raise FileNotFoundError(f"{self.folder}: no input.txt or input.html")

    @property
    def spec(self) -> dict[str, Any]:
        return json.loads((self.folder / "expected.json").read_text(encoding="utf-8"))

    @property
    def url(self) -> str | None:
        return self.spec.get("url")

    @property
    def captured(self) -> datetime | None:
        c = self.spec.get("captured")
        return datetime.fromisoformat(c) if c else None


def find_fixtures(root: Path | None = None) -> dict[tuple[str, str], Fixture]:
    root = root or fixture_dir()
    out = {}
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        version = folder.name.split("@")[0]  # `v2024@2014-article`: a variant of v2024
        out[(folder.parent.name, folder.name)] = Fixture(folder.parent.name, version, folder)
    return out


def observed(doc: Document) -> dict[str, Any]:
    """The part of a Document a fixture pins down."""
    return {
        "title": doc.title,
        "author": doc.author,
        "published": doc.published.isoformat() if doc.published else None,
        "url": doc.url,
        "publisher": doc.publisher,
        "rule_version": doc.rule_version,
        "paragraphs": doc.text.split("\n\n") if doc.text else [],
        "removed": [f"{r.rule} ({r.kind}): {r.text}" for r in doc.removed],
    }


def check_fixture(fx: Fixture) -> tuple[dict[str, Any], dict[str, Any]]:
    """(expected, actual) for one fixture, cleaned with the packaged rules."""
    from ..cleaning import clean

    doc = clean(fx.input_path.read_bytes(), url=fx.url, captured=fx.captured)
    return fx.spec.get("expected", {}), observed(doc)


def update_fixture(fx: Fixture, actual: dict[str, Any]) -> None:
    spec = {**fx.spec, "expected": actual}
    text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    (fx.folder / "expected.json").write_text(text, encoding="utf-8")


def fixtures_for(publisher: str | None) -> dict[tuple[str, str], Fixture]:
    """All fixtures, or those of one rule file, named by its stem or its publisher."""
    from .engine import load_rulebook

    fixtures = find_fixtures()
    if publisher is None:
        return fixtures
    names = {f.stem: f.rules.publisher.casefold() for f in load_rulebook().files}
    wanted = publisher.casefold()
    return {k: f for k, f in fixtures.items() if wanted in (k[0], names.get(k[0]))}


def fixture_diff(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    import difflib

    a, b = (json.dumps(x, indent=1, ensure_ascii=False).splitlines() for x in (expected, actual))
    return list(difflib.unified_diff(a, b, "expected", "now", lineterm="", n=1))
