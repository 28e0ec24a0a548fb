"""A publisher's layout version is chosen by what the page is: its capture time when
known, then the layout's signatures in its text, and only then the article's date."""

from datetime import datetime, timezone

from scraper import clean

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
