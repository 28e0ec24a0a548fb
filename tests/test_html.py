"""HTML input: structure-aware rules, metadata from the page, and pages in odd shapes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scraper import InputError, clean
from scraper.config import Config
from scraper.explain import explain

PARAS = [
    "The city council voted on Tuesday to expand the tram network to the northern suburbs,"
    " a plan that has been debated for more than a decade.",
    "Supporters said the line would cut commuting times in half, while opponents warned"
    " that the cost estimates had already doubled since the first proposal.",
    "Construction is expected to begin next spring and to last about four years, the"
    " mayor's office said in a statement released after the vote.",
]


def page(body: str, head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<!DOCTYPE html><html><head>{meta}{head}</head><body>{body}</body></html>"


def article(extra: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"<article><h1>Council backs tram extension</h1>{paras}{extra}</article>"


@pytest.mark.parametrize(
    ("box", "item", "count"),
    [
        ("<h3>More news</h3><ul>{}</ul>", "<li>{}</li>", 4),
        # the same box written as paragraphs, not a list
        ("<div class='more'>{}</div>", "<p>{}.</p>", 3),
    ],
    ids=["list-items", "paragraphs"],
)
def test_a_box_of_teaser_links_is_removed_and_recorded(box, item, count):
    teasers = "".join(
        item.format(
            f'<a href="/news/{i}">Other story number {i} about the region</a>'
            f" A short summary of story {i}"
        )
        for i in range(count)
    )
    doc = clean(page(article(box.format(teasers))))
    assert "Other story number" not in doc.text
    assert all(p in doc.text for p in PARAS)
    kinds = {r.kind for r in doc.removed if "Other story" in r.text}
    assert kinds == {"related-links"}


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        (
            "<li>Step {i}: the council publishes the route and asks residents to comment</li>",
            "Step 3: the council publishes the route",
        ),
        # long items that lead with a link are article text, not teasers
        ('<li><a href="/t/{i}">Item {i}</a> {p1} {p2}</li>', "Item 3"),
    ],
    ids=["plain-items", "long-link-led-items"],
)
def test_a_list_in_the_article_is_kept(item, kept):
    items = "".join(item.format(i=i, p1=PARAS[i % 3], p2=PARAS[(i + 1) % 3]) for i in range(4))
    doc = clean(page(article(f"<ul>{items}</ul>")))
    assert kept in doc.text


HEAD = (
    "<title>Council backs tram extension | The Northern Herald</title>"
    '<meta name="author" content="Maria Lindqvist">'
    '<meta property="article:published_time" content="2021-03-09T10:00:00+01:00">'
    '<link rel="canonical" href="https://herald.example/2021/03/09/tram-extension">'
)


def test_metadata_comes_from_the_page_head():
    doc = clean(page(article(), HEAD))
    assert doc.title == "Council backs tram extension"  # the site name trimmed off
    assert doc.author == "Maria Lindqvist"
    assert doc.published == date(2021, 3, 9)
    assert doc.url == "https://herald.example/2021/03/09/tram-extension"
    # the heading, same as the title, is taken out of the text
    assert "Council backs tram extension" not in doc.text
    assert [r.kind for r in doc.removed] == ["title"]


def test_metadata_from_json_ld():
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "NewsArticle", "headline": "Council backs tram extension",'
        ' "author": {"@type": "Person", "name": "Omar Haddad"},'
        ' "datePublished": "2020-11-02"}</script>'
    )
    doc = clean(page(article(), ld), url="https://herald.example/a/1")
    assert (doc.title, doc.author, doc.published) == (
        "Council backs tram extension",
        "Omar Haddad",
        date(2020, 11, 2),
    )


def test_a_date_only_in_the_text_is_found():
    body = article().replace("<h1>", '<p class="date">Published 4 May 2019</p><h1>')
    doc = clean(page(body))
    assert doc.published == date(2019, 5, 4)


CYRILLIC = "Москва объявила о строительстве новой линии метро до северных районов города"


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("declared", [True, False])
def test_cyrillic_pages_decode(encoding, declared):
    body = "".join(f"<p>{CYRILLIC}, сообщил мэр в четверг, часть {i}.</p>" for i in range(6))
    html = page(f"<article>{body}</article>", charset=encoding if declared else None)
    doc = clean(html.encode(encoding))
    assert CYRILLIC in doc.text


@pytest.mark.parametrize("declared", [True, False])
def test_latin_1_pages_decode(declared):
    para = "Le conseil a approuvé l'extension du tramway vers les quartiers nord de la ville"
    body = "".join(f"<p>{para}, a déclaré le maire jeudi, partie {i}.</p>" for i in range(6))
    html = page(f"<article>{body}</article>", charset="iso-8859-1" if declared else None)
    doc = clean(html.encode("latin-1"))
    assert para in doc.text


def test_a_page_with_a_bom():
    doc = clean(b"\xef\xbb\xbf" + page(article()).encode())
    assert PARAS[0] in doc.text


def test_truncated_html_still_gives_its_text():
    html = page(article())
    doc = clean(html[: html.index(PARAS[2][:40]) + 40].encode())
    assert PARAS[1] in doc.text


def test_a_20_mb_page_is_cleaned_or_refused_clearly():
    filler = "".join(f"<p>{PARAS[i % 3]} ({i})</p>" for i in range(130_000))
    html = page(f"<article>{filler}</article>").encode()
    assert len(html) > 20_000_000
    try:
        doc = clean(html)
    except InputError as e:
        assert str(e)
    else:
        assert PARAS[0] in doc.text


@pytest.mark.parametrize(
    "html",
    [
        '<html><head><title>Frames</title></head><frameset cols="50%,50%">'
        '<frame src="a.html"><frame src="b.html"></frameset></html>',
        '<html><head><script>window.location.href="https://herald.example/new";</script>'
        "</head><body></body></html>",
    ],
    ids=["frameset", "js-redirect"],
)
def test_pages_without_text_give_a_reason(html):
    with pytest.raises(InputError) as e:
        clean(html)
    assert "no article text" in str(e.value) or "empty" in str(e.value)


def test_a_meta_refresh_page_gives_its_few_words():
    html = (
        '<html><head><meta http-equiv="refresh" content="0; url=https://herald.example/n">'
        "</head><body><p>Redirecting to the new address</p></body></html>"
    )
    doc = clean(html)  # a Document, though a useless one: the word filters drop it later
    assert "Redirecting to the new address" in (doc.title or "") + doc.text


LEAD = (
    "Residents of the northern suburbs will get a tram line by the end of the decade, after a"
    " vote that ended ten years of argument over its route and its cost."
)


def _with_lead(lead_html: str, description: str = LEAD) -> str:
    head = f'<title>Tram extension</title><meta name="description" content="{description}">'
    share = '<div class="share"><a href="/s">Share</a></div>'
    return page(lead_html + share + article(), head)


@pytest.mark.parametrize(
    "lead_html",
    [
        '<p class="lead">{}</p>',
        '<div class="teaser">{}</div>',
        '<div class="intro"><b>{}</b></div>',
    ],
)
def test_the_lead_set_apart_from_the_body_is_put_back_first(lead_html):
    doc, decisions = explain(_with_lead(lead_html.format(LEAD)), Config())
    assert doc.text.startswith(LEAD)
    assert all(p in doc.text for p in PARAS)
    assert [d.kind for d in decisions if d.text == LEAD] == ["lead"]


def test_a_one_line_subtitle_is_not_taken_for_a_lead():
    subtitle = "Ten years of argument end in a vote"
    doc = clean(_with_lead(f'<h2 class="subtitle">{subtitle}</h2>', subtitle))
    assert subtitle not in doc.text


def test_a_description_that_is_not_on_the_page_adds_nothing():
    doc = clean(_with_lead(""))
    assert LEAD[:30] not in doc.text


CHUNK_2 = [
    "The transport authority expects forty thousand passengers a day on the new line once it"
    " opens, a figure that opponents of the plan describe as far too optimistic for the area.",
    "Shops along the planned route have asked for compensation for the years of building"
    " work, and the council has promised to set up a fund before construction starts.",
    "A final decision on the depot site, which has divided two of the northern districts,"
    " is expected at the next council meeting in the spring of next year.",
    "Work on the first section, between the central station and the university, could begin"
    " as early as next autumn if the national grant is confirmed before the summer break.",
]


def test_an_article_cut_into_chunks_is_joined_in_order():
    def chunk(paras: list[str]) -> str:
        return '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in paras) + "</div>"

    related = "".join(f'<li><a href="/n/{i}">Story {i}</a></li>' for i in range(5))
    body = (
        '<article><h1>Council backs tram extension</h1><div class="chunks">'
        + chunk(PARAS)
        + '<div class="ad"><p>Advertisement</p></div>'
        + f'<aside class="related"><ul>{related}</ul></aside>'
        + chunk(CHUNK_2)
        + "</div></article>"
    )
    text = clean(page(body)).text
    positions = [text.find(p) for p in PARAS + CHUNK_2]
    assert -1 not in positions and positions == sorted(positions)
    assert "Story 1" not in text


def test_paragraphs_that_open_with_a_link_are_kept():
    paras = "".join(
        f'<p><a href="/people/{i}">Anna Berg</a> said: {p}</p>' for i, p in enumerate(PARAS)
    )
    doc = clean(page(f"<article><h1>Council backs tram extension</h1>{paras}</article>"))
    assert all(p in doc.text for p in PARAS)


def test_a_line_that_is_the_page_url_goes_to_metadata():
    url = "https://herald.example/2021/03/09/tram-extension"
    doc = clean(page(article(f"<p>{url}</p>"), HEAD))
    assert url not in doc.text
    assert doc.url == url
    assert ("url", "meta") in {(r.rule.removeprefix("meta."), r.kind) for r in doc.removed}


def test_an_author_named_only_in_the_markup_is_found():
    byline = '<div class="byline"><a rel="author" href="/staff/anna-berg">Anna Berg</a></div>'
    doc = clean(page(byline + article()))
    assert doc.author == "Anna Berg"  # the link marks blocks.py puts in the tree are gone


@pytest.mark.parametrize(
    ("line", "removed"),
    [
        ('Lea: <a href="/n/1">El cantante Juan Luis Guerra da positivo a COVID-19</a>', True),
        ('À lire aussi » <a href="/n/2">Quel est votre profil digestif ?</a>', True),
        ('Update: the council <a href="/vote">published the results</a> late on Friday.', False),
    ],
)
def test_a_label_and_a_link_to_another_story_is_removed(line, removed):
    doc = clean(page(article(f"<p>{line}</p>")))
    text = line.split(">")[1].split("<")[0]  # the link's text
    assert (text not in doc.text) is removed


@pytest.mark.parametrize(
    ("line", "removed"),
    [
        # a short line, half of it or more a link, that leads to the comments or offers a
        # subscription (trafilatura has already dropped the lines that are all link)
        ('Talk about it: <a href="#comments">reader discussion</a>', True),
        ('Get the Herald delivered: <a href="/subscribe">subscribe to the print edition</a>', True),
        ('Hier geht es <a href="/abo">zum Abonnement</a>', True),
        # a sentence that names comments or subscribers and links elsewhere stays
        ('Residents can <a href="/consult">comment on the plan</a> until Friday.', False),
        ('<a href="/report">Subscribers to the transit study</a> were not surprised.', False),
        ('<a href="/lavrov">Comments by the mayor</a> angered the opposition.', False),
    ],
)
def test_a_short_link_line_to_comments_or_subscriptions_is_removed(line, removed):
    doc = clean(page(article(f"<p>{line}</p>")))
    text = re.sub(r"<[^>]+>", "", line)
    assert all(p in doc.text for p in PARAS)
    assert (text not in doc.text) is removed


def test_explain_shows_what_trafilatura_and_prune_rules_took_out(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "publisher: Northern Herald\ndomains: [herald.example]\nversions:\n"
        "  - id: v1\n    html:\n      prune_xpath: ['//div[@class=\"promo\"]']\n"
    )
    (tmp_path / "config.yaml").write_text(f"rules: [{rules}]\n")
    html = page(
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        + article("<div class='promo'><p>Get the Herald delivered to your door</p></div>")
        + "<footer><p>Copyright 2021 The Northern Herald. All rights reserved.</p></footer>"
    )
    from scraper.config import load_config

    cfg = load_config(tmp_path / "config.yaml")
    _, decisions = explain(html, cfg, url="https://herald.example/2021/03/09/tram")
    by_text = {d.text: d for d in decisions}
    footer = by_text["Copyright 2021 The Northern Herald. All rights reserved."]
    assert (footer.decision, footer.rule, footer.kind) == (
        "dropped",
        "html.trafilatura",
        "boilerplate",
    )
    assert by_text["Home News"].rule == "html.trafilatura"
    promo = by_text["Get the Herald delivered to your door"]
    assert (promo.decision, promo.rule) == ("dropped", "html.prune")
    assert all(by_text[p].decision == "kept" for p in PARAS)  # article text is not reported
    assert [d.n for d in decisions] == sorted(d.n for d in decisions)


def _link_post() -> str:
    """A link-blog post: the article is a list of links, which looks like a teaser box."""
    items = "".join(
        f'<li><a href="https://news.example/{i}">Story {i} on the city budget and its'
        f" critics</a> via News Example https://news.example/{i}</li>"
        for i in range(12)
    )
    return page(
        f"<article><h1>Links for March 3rd</h1><ul>{items}</ul>"
        "<p>Posted from Diigo. The rest of my favourite links are here.</p></article>"
    )


def test_a_page_that_is_a_list_of_links_does_not_collapse():
    # the link rules take each item for a teaser; trafilatura's own text has them all, so
    # the collapse guard (cleaning/_guard.py) puts them back
    doc = clean(_link_post())
    assert all(f"Story {i} on the city budget" in doc.text for i in range(12))
    assert not any("Story" in r.text for r in doc.removed)


def _lines(*texts: str, links: float = 0.0) -> list:
    from scraper.cleaning import Line, to_plain

    out = [Line(n, t, to_plain(t)) for n, t in enumerate(texts, 1)]
    for line in out:
        line.links = links
    return out


def test_the_collapse_guard_replaces_another_text_and_keeps_a_focused_one():
    from scraper.cleaning._guard import suspect, verdict

    menu = _lines("Home News Sport Weather Business Culture Travel Jobs Shop E-Paper " * 40)
    assert suspect(menu)  # no full stop in 400 words: a flattened menu
    reference = _lines(*PARAS * 3)
    assert verdict(menu, reference) == "replace"
    # our text is part of trafilatura's, which adds what surrounds it: ours stays
    assert verdict(_lines(*PARAS * 2), reference) == "keep"
    assert not suspect(_lines(*PARAS * 8))
    assert suspect(_lines(*PARAS * 8, links=0.9))  # mostly link text


def test_a_page_that_opens_with_server_warnings_is_still_html():
    warning = (
        "<br />\n<b>Deprecated</b>:  Assigning the return value of new by reference is"
        " deprecated in <b>/www/htdocs/wp-settings.php</b> on line <b>520</b><br />\n"
    )
    body = "".join(
        f"<p>Paragraph {i} of the article says that the council met on Monday to vote on"
        f" the new budget for the harbour and the library.</p>"
        for i in range(6)
    )
    page = warning * 40 + (
        "<!DOCTYPE html><html><head><title>Council votes</title></head><body><article>"
        f"<h1>Council votes on the budget</h1>{body}</article></body></html>"
    )
    doc = clean(page.encode())
    assert "<b>" not in doc.text and "Paragraph 3 of the article" in doc.text


def test_when_both_extractions_come_out_short_the_default_balance_is_asked(monkeypatch):
    # favor_recall and trafilatura's default part ways on some layouts: on a one-page site
    # both of ours took one short news box, the default the page's text
    from scraper.cleaning import _document, rulebook_for
    from scraper.config import Config

    ours = _lines("Our new video is out", "Here is the link to the clip on YouTube")
    asked = []

    def extraction(other: list):
        def reference_lines(tree, *, url, prune_xpath, recall=True):
            asked.append(recall)
            return ours if recall else other

        return reference_lines

    rules = rulebook_for(Config()).select(None, "", None)
    site = _document.parse_html(page("".join(f"<p>{p}</p>" for p in PARAS * 10)))
    monkeypatch.setattr(_document, "reference_lines", extraction(_lines(*PARAS * 3)))
    lines, _ = _document._guarded(site, ours, [], rules, None, [], [])
    assert asked == [True, False]
    assert [line.plain for line in lines if line.kept] == PARAS * 3
    # the default finding scraps too is no reason to leave ours
    monkeypatch.setattr(_document, "reference_lines", extraction(_lines("Contact", "Imprint")))
    lines, _ = _document._guarded(site, ours, [], rules, None, [], [])
    assert [line.plain for line in lines] == [line.plain for line in ours]
    # nor is a page that holds little more text than ours: a short article, not a fragment
    asked.clear()
    brief = _document.parse_html(page(f"<p>{PARAS[0]}</p>"))
    _document._guarded(brief, ours, [], rules, None, [], [])
    assert asked == [True]
