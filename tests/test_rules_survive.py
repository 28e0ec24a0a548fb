"""Rules survive a page cut short: a block whose end marker is missing still goes, and
never takes article text with it."""

from scraper import clean
from scraper.rules import kinds
from scraper.rules.kinds import FamilyRule

URL = "https://www.themoscowtimes.com/2024/05/14/police-detain-protesters-a12345"
ARTICLE = [
    "Police detained dozens of protesters in central Moscow on Tuesday, witnesses said, "
    "as the rally had not been authorised by the city authorities.",
    "Officials said the detained would be charged with breaking the rules on public events, "
    "which carry fines and short jail terms for repeat offenders.",
    "Rights groups said the number of detentions was the highest since the spring.",
]
LETTER = [
    "A Message from The Moscow Times:",
    "Dear readers,",
    "Authorities have blocked our website and labelled our reporters foreign agents.",
    "Your support, however small, keeps our newsroom going.",
]


def _text(lines: list[str]) -> str:
    return "\n\n".join(lines)


def test_a_letter_cut_short_is_removed_to_the_end():
    doc = clean(_text(ARTICLE + LETTER), url=URL)
    assert not any(line in doc.text for line in LETTER)
    assert doc.text.startswith("Police detained") and ARTICLE[-1] in doc.text


def test_without_the_unclosed_guard_the_cut_letter_stays(monkeypatch):
    monkeypatch.setattr(kinds, "_cut_short_inside", lambda *_: False)
    assert LETTER[2] in clean(_text(ARTICLE + LETTER), url=URL).text


def test_an_unclosed_start_early_in_the_text_takes_nothing():
    doc = clean(_text(LETTER[:2] + ARTICLE), url=URL)
    assert all(p in doc.text for p in ARTICLE)


def test_an_unclosed_start_followed_by_long_text_takes_nothing():
    long_tail = [p + " " + p for p in ARTICLE]
    doc = clean(_text(ARTICLE + LETTER[:1] + long_tail), url=URL)
    assert all(p in doc.text for p in long_tail)


def test_an_unclosed_block_is_never_longer_than_the_text_before_it():
    doc = clean(_text(ARTICLE[:1] + LETTER + ARTICLE[1:2]), url=URL)
    assert ARTICLE[1] in doc.text


DK_URL = "https://www.dailykos.com/stories/2024/1/20/2218888/-County-count"
DK_APPEALS = [  # the fundraising line as worded in different years
    "Donate here to support Daily Kos. We can't do what we do without you!",
    "Bad news: Daily Kos revenue is down. Small donors have never let us down. Donate $5 today.",
    "Can you chip in $3 so Daily Kos can keep going?",
]


def test_a_keyword_family_takes_each_wording_of_an_appeal():
    doc = clean(_text(ARTICLE + DK_APPEALS), url=DK_URL)
    assert doc.text.split("\n\n") == ARTICLE
    assert {r.rule for r in doc.removed} == {"dailykos-donation-appeal"}


def test_without_families_the_appeals_stay(monkeypatch):
    monkeypatch.setattr(FamilyRule, "matches", lambda *_: False)
    # the line classifier would take some of them too: the rules alone are measured here
    monkeypatch.setattr("scraper.cleaning._document.load_judge", lambda: None)
    assert all(a in clean(_text(ARTICLE + DK_APPEALS), url=DK_URL).text for a in DK_APPEALS)


def test_a_family_keeps_article_sentences():
    rule = FamilyRule(sets=[["donat"], ["daily kos"]], max_words=12)
    long = (
        "Daily Kos readers said they would donate to the campaign, the organisers said on Friday."
    )
    assert rule.matches("Donate to Daily Kos")
    assert not rule.matches("Readers said they would donate to the campaign.")  # a set missing
    assert clean(_text(ARTICLE + [long]), url=DK_URL).text.endswith(long)  # too long
