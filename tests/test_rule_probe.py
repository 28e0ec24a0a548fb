"""Line rules ask yes or no of every line; `rules/probe.py` asks it faster, and must
answer exactly as the rule's own pattern does."""

import re

import pytest

from scraper.cleaning import rulebook_for
from scraper.config import default_config
from scraper.patterns import top_level_alternatives
from scraper.rules.probe import _gathered, probe

LINES = [
    "© 2019 The Example Times. All rights reserved.",
    "All rights reserved",
    "Sign up for our weekly newsletter",
    "SIGN UP HERE!",
    "He signed up for the army in 1942, his daughter said.",
    "Reporting by Jane Doe; editing by John Roe",
    "The report was contributed to by many hands.",
    "We need your support to keep reporting",
    "Dear readers,",
    "Das Bild zeigt (c) 2020 eine Szene",
    "Folgen Sie uns auf Twitter",
    "Comments are moderated before they appear",
    "",
]


def test_alternatives_are_split_outside_groups_escapes_and_classes():
    source = r"^a(?:b|c)|\bd\|e|[|)]f|\(g|h"
    assert top_level_alternatives(source) == ["^a(?:b|c)", r"\bd\|e", "[|)]f", r"\(g", "h"]
    assert top_level_alternatives(r"[]|]x|y") == ["[]|]x", "y"]


def test_word_and_line_starts_are_gathered_and_backreferences_left_alone():
    gathered = _gathered(re.compile(r"\bone\b|^two|\bthree|four|^five", re.I))
    assert gathered.pattern == r"four|(?:\bone\b|\bthree)|(?:^two|^five)"
    assert gathered.flags & re.I
    own = re.compile(r"\b(\w+) \1\b|\bagain\b")
    assert _gathered(own) is own
    verbose = re.compile(r"\bone  # or | two\n | \bthree", re.X)
    assert _gathered(verbose) is verbose


def test_every_packaged_line_pattern_answers_as_its_own_form():
    book = rulebook_for(default_config())
    patterns = {
        getattr(rule, field)
        for f in book.files
        for version in f.versions.values()
        for rules in version.text.values()
        for _, rule in rules
        for field in ("pattern", "start", "end", "header", "voices", "stamps")
        if isinstance(getattr(rule, field, None), re.Pattern)
    }
    assert sum(_gathered(p) is not p for p in patterns) >= 10  # the mechanism is in use
    for pattern in patterns:
        fast = probe(pattern)
        for line in LINES:
            assert (fast(line) is None) == (pattern.search(line) is None), pattern.pattern


@pytest.mark.parametrize("line", LINES)
def test_a_gathered_pattern_matches_where_the_original_does(line):
    own = re.compile(
        r"^(?:©|\(c\))\s*\d{4}|^all rights reserved\.?$|\bsign up (?:for|here)\b"
        r"|\b(?:reporting|editing) by\b|\bwe need your support\b|^dear readers,?$",
        re.I,
    )
    assert (probe(own)(line) is None) == (own.search(line) is None)
