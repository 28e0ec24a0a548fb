"""clean() takes text, markdown dumps and HTML (str or bytes), and refuses the rest clearly."""

from datetime import date, datetime, timezone

import pytest

from scraper import InputError, clean

BODY = "Russian diplomats met the Syrian delegation in Moscow on Tuesday, the ministry said."


def test_markdown_dump_becomes_plain_text():
    md = (
        "\n\n# Lavrov in Damascus\n\nBy [Jane Okafor](#)\n\n"
        "Contracts are worth \\$3.5 billion, [officials said](https://example.org/x).\n\n"
        "The **Defense Ministry** declined to comment.\n"
    )
    doc = clean(md)
    assert doc.title == "Lavrov in Damascus"
    assert doc.author == "Jane Okafor"
    assert doc.text == (
        "Contracts are worth $3.5 billion, officials said.\n\nThe Defense Ministry declined to comment."
    )


def test_paragraphs_are_separated_by_blank_lines():
    doc = clean("Title\n\nFirst paragraph here.\nSecond paragraph here.\n\n\n\nThird one.")
    assert doc.text == "First paragraph here.\n\nSecond paragraph here.\n\nThird one."


def test_bytes_and_str_give_the_same_document():
    text = "A Headline\n\n" + BODY
    assert clean(text) == clean(text.encode("utf-8"))
    assert clean(b"\xef\xbb\xbf" + text.encode()).text == BODY  # a BOM is fine


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        ("   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 society in Damascus".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unusable_input_raises_input_error_with_a_reason(data, reason):
    with pytest.raises(InputError, match=reason):
        clean(data)


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<title>Russia Evacuates Citizens From Syria | Example Times</title>
<meta property="og:title" content="Russia Evacuates Citizens From Syria">
<meta name="author" content="Omar Haddad">
<meta property="article:published_time" content="2013-01-22T10:00:00Z">
<link rel="canonical" href="https://www.example-times.com/world/2013/01/22/russia-evacuates">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Russia Evacuates Citizens From Syria</h1>
<p class="byline">By Omar Haddad</p>
<p>Russia began evacuating its citizens from Syria on Tuesday as fighting spread around the capital, officials said.</p>
<p>Two planes landed in Beirut to carry about 100 people home, the emergency ministry said in a statement.</p>
<div class="promo-inline"><p>Sign up for our daily newsletter</p><p>The best stories, delivered to your inbox.</p></div>
<p>Officials said thousands more could follow if the security situation deteriorates further in the coming weeks.</p>
<p>Follow us on Twitter</p>
</article>
<footer><p>Copyright 2013 Example Times</p></footer>
</body></html>
"""


@pytest.mark.parametrize("as_bytes", [False, True])
def test_html_goes_through_trafilatura_then_the_text_rules(as_bytes):
    page = ARTICLE_HTML.encode() if as_bytes else ARTICLE_HTML
    doc = clean(page, captured=datetime(2013, 1, 23, 12, 0, tzinfo=timezone.utc))
    assert doc.title == "Russia Evacuates Citizens From Syria"
    assert doc.author == "Omar Haddad"
    assert doc.published == date(2013, 1, 22)
    assert doc.url == "https://www.example-times.com/world/2013/01/22/russia-evacuates"
    assert doc.publisher == "example-times.com"
    assert doc.capture_time == datetime(2013, 1, 23, 12, 0, tzinfo=timezone.utc)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0].startswith("Russia began evacuating")
    assert paragraphs[-1].startswith("Officials said thousands more")
    assert "newsletter" not in doc.text and "Follow us" not in doc.text
    assert {"newsletter", "social"} <= {r.kind for r in doc.removed}


def test_publisher_prune_xpath_reaches_trafilatura(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "publisher: Example Times\ndomains: [example-times.com]\nversions:\n"
        "  - id: v1\n    html:\n      prune_css: ['.promo-inline']\n"
    )
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"rules: [{rules}]\n")
    doc = clean(ARTICLE_HTML, url="https://www.example-times.com/world/x", config=cfg)
    assert doc.publisher == "Example Times"
    assert "daily newsletter" not in doc.text
    # pruned before extraction, so no text rule had to remove it
    assert "newsletter" not in {r.kind for r in doc.removed}


def test_html_without_article_text_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        clean("<html><head><title>x</title></head><body></body></html>")


def test_html_with_only_navigation_gives_an_empty_body():
    assert clean("<html><body><nav><a href='/'>Home</a></nav></body></html>").text == ""


def test_ids_are_stable_and_depend_on_url_and_capture_time():
    t = datetime(2013, 1, 23, tzinfo=timezone.utc)
    a = clean(ARTICLE_HTML, url="https://www.example-times.com/a", captured=t)
    b = clean(ARTICLE_HTML, url="https://www.example-times.com/a", captured=t)
    c = clean(
        ARTICLE_HTML,
        url="https://www.example-times.com/a",
        captured=datetime(2014, 1, 1, tzinfo=timezone.utc),
    )
    assert a.id == b.id != c.id
