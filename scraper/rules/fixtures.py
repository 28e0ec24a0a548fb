"""Rule fixtures: for every rule version, an input page and the output it must give.

Layout: `fixtures/<rule file stem>/<version id>/input.txt` (or `input.html`) and
`expected.json` ({"url": input url or null, "captured": ISO time or null, "expected": {...}}).
A rule version without a fixture is an error in the test suite, as in fundus. A folder
`<version id>@<variant>` holds one more fixture of that version: its boilerplate as worded
in another year, or a page cut short.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RuleError
from ..models import Document

if TYPE_CHECKING:
    from .engine import RuleBook

__all__ = [
    "Fixture",
    "check_fixture",
    "find_fixtures",
    "fixture_diff",
    "fixture_dir",
    "fixtures_for",
    "run_fixtures",
    "observed",
    "update_fixture",
    "user_fixtures",
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
    def spec_path(self) -> Path:
        return self.folder / "expected.json"

    @property
    def spec(self) -> dict[str, Any]:
        """expected.json; a new fixture has none yet (`--update` writes it)."""
        if not self.spec_path.exists():
            return {"url": None, "captured": None}
        return json.loads(self.spec_path.read_text(encoding="utf-8"))

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


def check_fixture(fx: Fixture, book: RuleBook | None = None) -> tuple[dict | None, dict[str, Any]]:
    """(expected, actual) for one fixture, cleaned with `book` (default: the packaged
    rules); expected is None while the fixture has no expected.json."""
    from ..cleaning import clean
    from ..cleaning._document import clean_lines

    data = fx.input_path.read_bytes()
    if book is None:
        doc = clean(data, url=fx.url, captured=fx.captured)
    else:
        doc = clean_lines(book, data, url=fx.url, captured=fx.captured)[0]
    expected = fx.spec.get("expected") if fx.spec_path.exists() else None
    return expected, observed(doc)


def update_fixture(fx: Fixture, actual: dict[str, Any]) -> None:
    spec = {**fx.spec, "expected": actual}
    text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    (fx.folder / "expected.json").write_text(text, encoding="utf-8")


def user_fixtures(book: RuleBook, rule_files: list[Path]) -> dict[tuple[str, str], Fixture]:
    """Fixtures of the user's rule files, in `fixtures/<stem>/<version>/` beside each file;
    a version without one gets an empty Fixture, which its test reports."""
    wanted = {str(p) for p in rule_files}
    out = {}
    for f in book.files:
        if f.path not in wanted:
            continue
        found = find_fixtures(Path(f.path).parent / "fixtures")
        out |= {k: fx for k, fx in found.items() if k[0] == f.stem}
        for v in f.rules.versions:
            folder = Path(f.path).parent / "fixtures" / f.stem / v.id
            out.setdefault((f.stem, v.id), Fixture(f.stem, v.id, folder))
    return out


def fixtures_for(publisher: str | None) -> dict[tuple[str, str], Fixture]:
    """All fixtures, or those of one rule file, named by its stem or its publisher."""
    from .engine import load_rulebook

    return _of_publisher(find_fixtures(), load_rulebook(), publisher)


def _of_publisher(
    fixtures: dict[tuple[str, str], Fixture], book: RuleBook, publisher: str | None
) -> dict[tuple[str, str], Fixture]:
    if publisher is None:
        return fixtures
    names = {f.stem: f.rules.publisher.casefold() for f in book.files}
    wanted = publisher.casefold()
    return {k: f for k, f in fixtures.items() if wanted in (k[0], names.get(k[0]))}


def fixture_diff(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    import difflib

    a, b = (json.dumps(x, indent=1, ensure_ascii=False).splitlines() for x in (expected, actual))
    return list(difflib.unified_diff(a, b, "expected", "now", lineterm="", n=1))


def _selected(
    publisher: str | None, config_path: Path | None
) -> tuple[dict[tuple[str, str], Fixture], RuleBook | None]:
    """The fixtures to run and the rule book to run them with: the packaged ones, or with
    a config those of its rule files."""
    if config_path is None:
        fixtures, book = fixtures_for(publisher), None
    else:
        from ..cleaning._document import rulebook_for
        from ..config import load_config

        config = load_config(config_path)
        book = rulebook_for(config)
        found = user_fixtures(book, [config.path(p) for p in config.rules])
        fixtures = _of_publisher(found, book, publisher)
    if not fixtures:
        raise RuleError(f"no fixtures for {publisher or config_path}")
    return fixtures, book


def run_fixtures(
    publisher: str | None,
    config_path: Path | None,
    *,
    update: bool,
    say: Callable[[str], None],
) -> int:
    """`scrape rules test`: check each fixture, say how it went, and with `update` write a
    missing expected.json, or a differing one once confirmed; return how many fail."""
    import click

    fixtures, book = _selected(publisher, config_path)
    failed = 0
    for (stem, version), fx in sorted(fixtures.items()):
        label = f"{stem}/{version}"
        try:
            expected, actual = check_fixture(fx, book)
        except FileNotFoundError:
            say(f"MISSING {label}: no input.txt or input.html in {fx.folder}")
            failed += 1
            continue
        if expected == actual:
            say(f"ok      {label}")
        elif expected is None and update:
            update_fixture(fx, actual)
            say(f"WROTE   {label}: {fx.spec_path}")
        elif expected is None:
            say(f"NEW     {label}: no expected.json yet (--update writes it)")
            failed += 1
        else:
            say(f"DIFFERS {label}")
            for line in fixture_diff(expected, actual):
                say("    " + line)
            if update and click.confirm(f"Write the new output as {label}'s expected output?"):
                update_fixture(fx, actual)
            else:
                failed += 1
    return failed
