"""The plain-text line classifier (cleaning/_line_model.py) on a dump of a publisher no
rule file knows: it takes the menu and footer furniture the rules leave, keeps the article,
records each removal, and is switched off by `line_judge=False`."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from scraper.cleaning import clean_lines, rulebook_for
from scraper.cleaning._line_features import FEATURE_NAMES, line_features
from scraper.cleaning._line_model import MODEL_FILE, load_judge
from scraper.cleaning._lines import split_lines
from scraper.config import Config
from scraper.discover.terms import stoplist

HEADLINE = "River towns count the cost as spring floods recede"
BODY = [
    "Residents of the valley returned to their homes on Tuesday to find mud-filled kitchens,"
    " ruined furniture and roads washed away by the worst flooding in forty years.",
    "The river rose more than three metres in two days after a week of heavy rain, and"
    " emergency crews evacuated nearly two thousand people from low-lying streets.",
    '"We have never seen water come up this fast," said the mayor, who spent the weekend'
    ' coordinating volunteers at the town hall. "People lost everything they had."',
    "Engineers will inspect the bridges this week before traffic is allowed back, and the"
    " regional government has promised an emergency fund for families.",
    "Farmers further down the valley say the water destroyed most of the early crops, and"
    " many fear that the insurance payments will not arrive before the autumn.",
    "Meteorologists warned that more rain is expected later in the month, although they do"
    " not think the river will reach the same level again this season.",
]
MENU = ["World", "Business", "Opinion", "Sport"]
PAGE = "\n".join(
    ["Home", *MENU, "ENVIRONMENT", HEADLINE, *BODY, "Share this article", "Privacy policy"]
)


@pytest.fixture(scope="module")
def book():
    return rulebook_for(Config())


def test_the_model_ships_with_the_package_and_matches_the_features():
    assert MODEL_FILE.exists()
    assert load_judge() is not None


def test_furniture_the_rules_leave_goes_and_the_article_stays(book):
    doc, lines = clean_lines(book, PAGE.encode())
    body = doc.text.splitlines()
    for paragraph in BODY:
        assert paragraph in body
    taken = {r.text for r in doc.removed if r.rule == "line-model"}
    assert set(MENU) | {"Privacy policy"} <= taken
    assert all(r.kind == "boilerplate" for r in doc.removed if r.rule == "line-model")
    assert not set(MENU) & set(body)
    assert doc.title == HEADLINE  # not "Home", not the kicker


def test_without_the_model_the_same_furniture_stays(book):
    doc, _ = clean_lines(book, PAGE.encode(), line_judge=False)
    body = doc.text.splitlines()
    assert set(MENU) <= set(body)
    assert not any(r.rule == "line-model" for r in doc.removed)


def test_html_is_not_judged_by_the_text_model(book):
    html = "<html><body><article><h1>{}</h1>{}<p>World</p></article></body></html>".format(
        HEADLINE, "".join(f"<p>{p}</p>" for p in BODY)
    )
    doc, _ = clean_lines(book, html.encode(), content_type="text/html")
    assert not any(r.rule == "line-model" for r in doc.removed)


def test_features_are_one_row_per_line_and_read_the_document_language():
    lines = split_lines(
        "Die Stadt hat mit dem Bau der neuen Brücke begonnen und die Arbeiter sind da."
    )
    german = line_features(lines, stoplist("de"))
    english = line_features(lines, stoplist("en"))
    assert german.shape == (1, len(FEATURE_NAMES))
    share = FEATURE_NAMES.index("stop_share")
    assert german[0, share] > 0.3 > english[0, share]


def test_a_model_built_for_other_features_is_refused_by_name(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "line_model.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="line_model.json"):
        load_judge(stale)
    assert load_judge(tmp_path / "absent.json") is None


class _Never:
    """A model that thinks no line is article text (nor a headline)."""

    def predict(self, x, **_):
        return [0.0] * len(x)


def test_sentences_and_a_whole_document_are_never_the_models_to_take(book):
    from scraper.cleaning._line_model import LineJudge

    never = LineJudge(_Never(), 0.5, _Never(), 0.5)
    doc, _ = clean_lines(book, PAGE.encode(), line_judge=never)
    assert all(paragraph in doc.text.split("\n\n") for paragraph in BODY)  # sentences
    assert {r.text for r in doc.removed if r.rule == "line-model"} >= set(MENU)
    menu = "Valley Herald\n\nRiver towns count the cost\n\nWorld news today\n\nSport and weather"
    doc, _ = clean_lines(book, menu.encode(), line_judge=never)
    assert not any(r.rule == "line-model" for r in doc.removed)  # it would take every line
    assert doc.text


def test_config_can_switch_the_model_off(tmp_path):
    (tmp_path / "config.yaml").write_text("clean:\n  line_model: false\n", encoding="utf-8")
    from scraper.config import load_config

    off = rulebook_for(load_config(tmp_path / "config.yaml"))
    doc, _ = clean_lines(off, PAGE.encode())
    assert set(MENU) <= set(doc.text.splitlines())
    assert rulebook_for(Config()).line_model  # the shared, cached book is untouched


class _Always:
    """A model that thinks every line is article text."""

    def predict(self, x, **_):
        return [1.0] * len(x)


def test_the_second_pass_decides_and_reads_the_first_ones_verdicts_around(book):
    from scraper.cleaning._line_features import STACK_NAMES, stacked_features
    from scraper.cleaning._line_model import LineJudge

    # the first pass keeps everything; the second pass's word is the one that counts
    doc, _ = clean_lines(book, PAGE.encode(), line_judge=LineJudge(_Always(), 0.5, _Never(), 0.5))
    assert not any(r.rule == "line-model" for r in doc.removed)
    judge = LineJudge(_Always(), 0.5, _Never(), 0.5, stack_model=_Never())
    doc, _ = clean_lines(book, PAGE.encode(), line_judge=judge)
    assert {r.text for r in doc.removed if r.rule == "line-model"} >= set(MENU)
    assert load_judge().stack_model is not None  # the shipped file has one

    p = [0.1, 0.9, 0.8, 0.2]
    x = line_features(split_lines("a\nb\nc\nd"), frozenset())
    rows = stacked_features(x, np.asarray(p), np.asarray([0.0, 0.9, 0.1, 0.0]))
    at = {name: rows[:, len(FEATURE_NAMES) + i] for i, name in enumerate(STACK_NAMES)}
    assert list(at["p@-1"]) == pytest.approx([-1.0, 0.1, 0.9, 0.8])
    assert list(at["before_first_sure"]) == [1.0, 0.0, 0.0, 0.0]
    assert list(at["after_last_sure"]) == [0.0, 0.0, 0.0, 1.0]
    assert list(at["p_max_above"]) == pytest.approx([0.0, 0.1, 0.9, 0.9])
    assert list(at["before_title"]) == [1.0, 0.0, 0.0, 0.0]  # above the likeliest headline


def test_cues_bucketed_by_first_letter_count_as_one_plain_alternation_does():
    # the cue pattern is built for speed; each group must still count what its words find
    from scraper.cleaning import _line_features as features

    plain = re.compile(
        r"(?:\b|(?=©))(?:"
        + "|".join(f"(?P<{name}>{rx})" for name, rx in features._CUES.items())
        + ")"
    )
    lines = [
        "Share this on Facebook, Twitter or by e-mail",
        "By Jane Doe, staff writer | Updated 2 hours ago",
        "© 2024 Example Media. All rights reserved. Privacy | Cookie policy",
        "Photo: Reuters / Getty Images — watch the video in our gallery",
        "Read more: related stories you may also like, most popular next",
        "Subscribe to our newsletter and sign up for the app; log in to comment",
        "Anzeige: Werbung unseres Partners, ein Deal mit Provision",
        *BODY,
    ]
    for text in lines:
        low = text.lower()
        want = [0] * len(features._CUES)
        for m in plain.finditer(low):
            want[list(features._CUES).index(m.lastgroup)] += 1
        got = [0] * len(features._CUES)
        for m in features._CUE_RE.finditer(low):
            got[features._CUE_OF[m.lastindex]] += 1
        assert got == want, text
        assert sum(got) or text in BODY


def test_a_line_without_markup_is_plain_text_with_its_spaces_collapsed():
    from scraper.cleaning import to_plain

    assert to_plain("  a\tb\u00a0c   d \u2028") == "a b c d"
    assert to_plain("zero\u200bwidth soft\u00adhyphen") == "zerowidth softhyphen"
    assert to_plain("**bold**  [link](https://x.org)  #tag") == "bold link #tag"


@pytest.mark.parametrize(
    "line",
    [
        "Von Anna Schmidt publiziert am 30. Juli 2018",
        "— Jane Doe on Sunday, October 13th, 2019 in a letter to the editor",
        "Image: The river rose more than three metres in two days",
        '"We have never seen water come up this fast," the mayor said.”',
        "The water is still rising here pic.twitter.com/AbC123xyz",
    ],
)
def test_a_byline_an_attribution_or_a_caption_is_never_the_headline(book, line):
    # kickers and captions above the story look like headlines to the model
    page = "\n".join(["Home", *MENU, line, HEADLINE, *BODY, "Share this article"])
    doc, _ = clean_lines(book, page)
    assert doc.title != line
