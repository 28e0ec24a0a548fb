"""Every rule version has a fixture, and every fixture gives its expected output."""

import pytest

from scraper import clean
from scraper.rules.engine import load_rulebook
from scraper.rules.fixtures import find_fixtures, observed

FIXTURES = find_fixtures()


def _versions():
    book = load_rulebook()
    for f in book.files:
        for v in f.rules.versions:
            yield f.stem, v.id


@pytest.mark.parametrize("stem,version", list(_versions()))
def test_rule_version_has_a_fixture(stem, version):
    assert (stem, version) in FIXTURES, f"rules/{stem}.yaml version {version} has no fixture"


@pytest.mark.parametrize("key", sorted(FIXTURES), ids=lambda k: "/".join(k))
def test_fixture_output(key):
    fx = FIXTURES[key]
    doc = clean(fx.input_path.read_bytes(), url=fx.url, captured=fx.captured)
    assert observed(doc) == fx.spec["expected"]
    if fx.stem != "generic":
        assert doc.rule_version.endswith("@" + fx.version)
