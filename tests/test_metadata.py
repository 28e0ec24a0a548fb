"""Title, author, date and url are read from the text and taken out of the body."""

from datetime import date

import pytest

from scraper import clean
from scraper.cleaning import date_from_url, parse_date

BODY = "Russian diplomats met the Syrian delegation in Moscow on Tuesday, the ministry said."


@pytest.mark.parametrize(
    "line,expected",
    [
        ("February 07, 2012", date(2012, 2, 7)),
        ("Feb. 7, 2012", date(2012, 2, 7)),
        ("7 February 2012", date(2012, 2, 7)),
        ("Tuesday, February 7, 2012 at 6:29 PM PST", date(2012, 2, 7)),
        ("31/05/2012", date(2012, 5, 31)),
        ("2012-05-31", date(2012, 5, 31)),
        ("2012-05-31T08:00:00Z", date(2012, 5, 31)),
        ("12.03.2024 um 09:15", date(2024, 3, 12)),  # dots: day first, whatever `order`
        ("7. Juni 2023, 08:30", date(2023, 6, 7)),
        ("Montag, 7. Juni 2023", date(2023, 6, 7)),
        ("7 de junio de 2023, 08:30", date(2023, 6, 7)),
        ("7 juin 2023 à 08h30", date(2023, 6, 7)),
        ("7 giugno 2023", date(2023, 6, 7)),
        ("7 июня 2023", date(2023, 6, 7)),
        ("4:15 PM EDT, Tue March 5, 2013", date(2013, 3, 5)),
        ("Nov. 19, 2019 8:03 am ET", date(2019, 11, 19)),
        ("November 19, 2019 / 8:16 AM", date(2019, 11, 19)),
        ("Sat 8:31 PM, Feb 17, 2018", date(2018, 2, 17)),
        ("30 Maret 2015", date(2015, 3, 30)),  # Indonesian
        ("12 Ekim 2019 14:30", date(2019, 10, 12)),  # Turkish
        ("7 juin", None),
        ("June 22, 2012, from the horse's mouth", None),
        ("Monthly", None),
        ("32/13/2012", None),
    ],
)
def test_parse_date_accepts_only_whole_date_lines(line, expected):
    assert parse_date(line) == expected


def test_ambiguous_numeric_dates_follow_the_publisher_order():
    assert parse_date("05/06/2012") == date(2012, 5, 6)
    assert parse_date("05/06/2012", "DMY") == date(2012, 6, 5)


def test_dated_url_paths():
    assert date_from_url("https://www.themoscowtimes.com/2012/02/07/lavrov-a12462") == date(
        2012, 2, 7
    )
    assert date_from_url("https://example.org/about") is None


@pytest.mark.parametrize(
    "header,title,author,published",
    [
        (
            ["# Lavrov Flies to Damascus", "By [Alexander Bratersky](#)", "February 07, 2012"],
            "Lavrov Flies to Damascus",
            "Alexander Bratersky",
            date(2012, 2, 7),
        ),
        (
            ["Lavrov Flies to Damascus", "Published on 31/05/2012"],
            "Lavrov Flies to Damascus",
            None,
            date(2012, 5, 31),
        ),
        (
            ["Lavrov Flies to Damascus", "Posted: March 3, 2013", "By Jane Okafor and Omar Haddad"],
            "Lavrov Flies to Damascus",
            "Jane Okafor and Omar Haddad",
            date(2013, 3, 3),
        ),
        (
            ["Lavrov Flies to Damascus", "Written by: Omar Haddad", "Updated 2013-03-04"],
            "Lavrov Flies to Damascus",
            "Omar Haddad",
            date(2013, 3, 4),
        ),
        (["## Lavrov Flies to Damascus"], "Lavrov Flies to Damascus", None, None),
    ],
)
def test_header_metadata_is_read_and_removed(header, title, author, published):
    doc = clean("\n\n".join([*header, BODY]))
    assert (doc.title, doc.author, doc.published) == (title, author, published)
    assert doc.text == BODY


def test_title_after_a_breadcrumb():
    doc = clean("Home News Lavrov Flies to Damascus\n\nLavrov Flies to Damascus\n\n" + BODY)
    assert doc.title == "Lavrov Flies to Damascus"
    assert doc.text == BODY


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    doc = clean(BODY + "\n\nA second paragraph follows the first one here.")
    assert doc.title is None
    assert doc.text.startswith(BODY)


@pytest.mark.parametrize(
    "trailer",
    [
        ["Original url:", "", "<https://www.example.com/2012/02/07/story-a1>"],
        ["Original url: https://www.example.com/2012/02/07/story-a1"],
        ["Source URL: <https://www.example.com/2012/02/07/story-a1>"],
    ],
)
def test_url_trailer_is_read_and_removed(trailer):
    doc = clean("\n".join(["A Headline", "", BODY, "", *trailer]))
    assert doc.url == "https://www.example.com/2012/02/07/story-a1"
    assert doc.text == BODY
    assert doc.publisher == "example.com"


def test_by_in_a_sentence_is_not_an_author():
    text = (
        "A Headline\n\nBy supporting the plan, Russia signalled a change of course in Syria.\n\n"
        + BODY
    )
    doc = clean(text)
    assert doc.author is None
    assert "By supporting the plan" in doc.text


def test_date_in_a_sentence_is_not_the_published_date():
    doc = clean("A Headline\n\nNow, June 22, 2012, from the Moscow Times we have news.\n\n" + BODY)
    assert doc.published is None
    assert "June 22, 2012" in doc.text


def test_url_argument_sets_publisher_and_rule_version():
    mt = "https://www.themoscowtimes.com/2024/12/09/russia-seeks-turkish-help-a87270"
    doc = clean("A Headline\n\n" + BODY, url=mt)
    assert doc.publisher == "The Moscow Times"
    assert doc.rule_version == "The Moscow Times@v2024"
    old = clean("A Headline\n\n" + BODY, url=mt.replace("2024/12/09", "2012/02/07"))
    assert old.rule_version == "The Moscow Times@v2012"


GERMAN = (
    "Die Stadt hat am Montag mit dem Bau der neuen Brücke über den Fluss begonnen, wie die"
    " Verwaltung mitteilte.\n\nDie Arbeiten sollen nach Angaben der Behörden rund zwei Jahre"
    " dauern und etwa vierzig Millionen Euro kosten."
)


@pytest.mark.parametrize(
    "byline,dateline,author,published",
    [
        ("Von Anna Schmidt", "12.03.2024 um 09:15", "Anna Schmidt", date(2024, 3, 12)),
        ("von Anna Schmidt", "7. Juni 2023, 08:30", "Anna Schmidt", date(2023, 6, 7)),
        ("Por María García", "7 de junio de 2023, 08:30", "María García", date(2023, 6, 7)),
        ("Par Jean Dupont", "Publié le 7 juin 2023 à 08h30", "Jean Dupont", date(2023, 6, 7)),
        ("Di Marco Rossi", "Pubblicato il 7 giugno 2023", "Marco Rossi", date(2023, 6, 7)),
        ("Door Jan de Vries", "Gepubliceerd op 7 juni 2023", "Jan de Vries", date(2023, 6, 7)),
        ("By John Smith", "Updated 4:15 PM EDT, Tue March 5, 2013", "John Smith", date(2013, 3, 5)),
    ],
)
def test_bylines_and_datelines_in_many_languages_become_metadata(
    byline, dateline, author, published
):
    doc = clean(f"Neue Brücke für die Altstadt\n\n{byline}\n\n{dateline}\n\n{GERMAN}")
    assert (doc.author, doc.published) == (author, published)
    assert byline not in doc.text and dateline not in doc.text
    assert doc.text == GERMAN


@pytest.mark.parametrize(
    "line", ["Di solito il ponte resta aperto", "Por favor", "Par avion", "Von Montag an"]
)
def test_a_preposition_before_words_that_are_not_a_name_is_no_byline(line):
    doc = clean(f"Neue Brücke für die Altstadt\n\n{line}\n\n{GERMAN}")
    assert doc.author is None


def test_the_generic_title_looks_past_menu_items_and_kickers():
    from scraper.cleaning import clean_lines, rulebook_for
    from scraper.config import Config

    text = f"Home\n\n* World news\n\nENVIRONMENT\n\nRiver towns count the cost of floods\n\n{BODY}"
    doc, _ = clean_lines(rulebook_for(Config()), text, line_judge=False)  # the rules alone
    assert doc.title == "River towns count the cost of floods"
