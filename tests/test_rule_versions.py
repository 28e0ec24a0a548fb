"""A publisher's layout version is chosen by what the page is: its capture time when
known, then the layout's signatures in its text, and only then the article's date."""

import re
from datetime import datetime, timezone

from scraper import clean
from scraper.rules.signatures import Signature, required_literal

OLD_URL = "https://www.themoscowtimes.com/2013/05/14/police-detain-protesters-a12345"
ARTICLE = [
    "Police Detain Protesters in Central Moscow",
    "",
    "Police detained dozens of protesters in central Moscow on Tuesday, witnesses said.",
    "",
    "The rally had not been authorised by the city authorities, officials said.",
]
LETTER = ["", "A Message from The Moscow Times:", "", "Dear readers,"]


def _version(lines: list[str], captured: datetime | None = None) -> str | None:
    return clean("\n".join(lines), url=OLD_URL, captured=captured).rule_version


def test_an_old_article_without_capture_or_signature_goes_by_its_date():
    assert _version(ARTICLE) == "The Moscow Times@v2012"


def test_an_old_article_captured_recently_gets_the_recent_layout():
    captured = datetime(2024, 3, 1, tzinfo=timezone.utc)
    assert _version(ARTICLE, captured) == "The Moscow Times@v2024"


def test_a_layout_signature_decides_when_the_capture_time_is_unknown():
    assert _version(ARTICLE + LETTER) == "The Moscow Times@v2024"


def test_the_capture_time_outranks_a_signature():
    captured = datetime(2014, 3, 1, tzinfo=timezone.utc)
    assert _version(ARTICLE + LETTER, captured) == "The Moscow Times@v2012"


def test_a_signature_is_found_in_any_case_and_only_where_its_literal_is():
    # the literal each match must hold is tested first: it must never hide a real match
    letter = Signature.of(re.compile(r"^An? Message from The Moscow Times:?$", re.I))
    assert letter.needle == " message from the moscow times"
    text = "Intro\nA MESSAGE FROM THE MOSCOW TIMES:\nDear readers,"
    assert letter.found(text, text.casefold())
    near_miss = "A Message from The Moscow Times, reprinted"  # literal there, regex not
    assert not letter.found(near_miss, near_miss.casefold())
    # only what every match holds: not an alternative, not an optional letter
    assert required_literal(re.compile(r"^(?:Support us|Donate)$", re.I)) is None
    assert required_literal(re.compile(r"^(?:Support|Donate) today$", re.I)) == " today"
    assert required_literal(re.compile(r"colou?r of money", re.I)) == "r of money"
    assert required_literal(re.compile(r"Globe Staff")) == "Globe Staff"  # case kept


def test_a_publisher_is_recognised_from_its_text_in_another_case():
    text = "\n".join(ARTICLE + ["", "SUPPORT THE MOSCOW TIMES!"])
    assert clean(text).publisher == "The Moscow Times"
