"""Rules carry over to wording the seeds never use, and never take article sentences.

Each case puts a boilerplate block, written here in other words than the seeds, between
paragraphs of an ordinary article with no publisher named, so only the generic rules apply.
"""

import pytest

from scraper import clean

TITLE = "Ceasefire Talks Resume in Geneva"
BODY = [
    "Negotiators from both sides returned to Geneva on Monday for a new round of talks, the United Nations said.",
    "The previous round collapsed in February after government forces shelled a rebel-held suburb of the capital.",
    "Diplomats said they expected little progress before the end of the month.",
]

DROP = {
    "donation, other letter": (
        "donation",
        [
            "Dear reader,",
            "We have a small favour to ask. More people are reading our reporting than ever.",
            "Every contribution, however big or small, powers our journalism.",
            "Support us from as little as $1",
            "Remind me in May",
        ],
    ),
    "donation, one line": (
        "donation",
        [
            "If you like what we do, please consider supporting us with a monthly contribution.",
        ],
    ),
    "donation, call and button": ("donation", ["Support independent journalism", "Donate now"]),
    "donation, membership": ("donation", ["Become a member today and get unlimited access."]),
    "donation, thanks": ("donation", ["Thank you for supporting our journalism."]),
    "donation, your donation": (
        "donation",
        ["Your donation helps us keep reporting from the front lines."],
    ),
    "donation, widget row": ("donation", ["One-time", "Monthly", "Annually", "$5", "$10"]),
    "newsletter, other publisher": ("newsletter", ["Sign up for The Morning Briefing newsletter"]),
    "newsletter, inbox": ("newsletter", ["Get our best stories sent straight to your inbox"]),
    "newsletter, form": (
        "newsletter",
        [
            "Subscribe to our daily newsletter",
            "Enter your email address",
            "Sign me up",
            "You can unsubscribe at any time.",
        ],
    ),
    "newsletter, thanks": ("newsletter", ["Thanks for subscribing!"]),
    "newsletter, delivered": (
        "newsletter",
        ["The Daily Brief: the news you need, delivered every morning."],
    ),
    "newsletter, consent": (
        "newsletter",
        [
            "By signing up, you agree to our Terms of Use and Privacy Policy.",
        ],
    ),
    "social, follow": ("social", ["Follow us on Facebook"]),
    "social, follow name": ("social", ["Follow The Daily Star on Instagram"]),
    "social, like": ("social", ["Like us on Facebook for more updates"]),
    "social, share prompt": ("social", ["Share this article"]),
    "social, share buttons": ("social", ["Facebook", "Twitter", "WhatsApp"]),
    "related, short list": (
        "related-links",
        [
            "Related articles",
            "Russia expands its naval base in Tartus",
            "Assad visits Moscow",
        ],
    ),
    "related, long diary list": (
        "related-links",
        [
            "Here are my related diaries:",
            *[f"BREAKING: Story number {i} about Syria" for i in range(1, 26)],
        ],
    ),
    "related, one-item diary list": (
        "related-links",
        [
            "My previous diaries:",
            "Syria is bleeding",
        ],
    ),
    "related, more from": (
        "related-links",
        [
            "More from World News:",
            "Turkey closes its border crossing",
            "Refugee numbers pass one million",
        ],
    ),
    "related, might like": (
        "related-links",
        ["You might also like", "Lebanon braces for spillover"],
    ),
    "related, inline": ("related-links", ["See also: Russia's naval base in Syria"]),
    "related, read more": ("related-links", ["Continue reading"]),
    "advert": ("advert", ["Advertisement"]),
    "site promo, app": ("site-promo", ["Download our free app for breaking news alerts"]),
    "cookies": (
        "cookie-consent",
        [
            "We use cookies to improve your experience on our site.",
            "Accept all",
        ],
    ),
    "photo credit line": ("photo-credit", ["Photo: AP/Hussein Malla"]),
    "copyright": ("copyright", ["Copyright 2013 Example Media Group"]),
    "comments": ("comments", ["Leave a comment"]),
}

KEEP = [
    "The newsletter, published weekly by the opposition, reported that three villages had been shelled.",
    "Russia's support for Assad has not wavered, diplomats said.",
    "Please donate blood, the director of the city hospital told residents on Sunday.",
    "Bread is delivered every morning to the shelters, aid workers said.",
    "Subscribers to the state channel saw the footage before it was taken down.",
    "Follow-up talks on Syria are expected next week in Geneva.",
    "Share prices in Moscow fell sharply on the news.",
    "Read more about the conflict in our special report, which includes maps of the fighting.",
    "Your support for this plan is essential, Lavrov told his Syrian counterpart.",
    "Lavrov said Russia would continue to support the Syrian government.",
    "Photo by photo, the investigators reconstructed the attack.",
    "Once a close ally of Damascus, Turkey now backs the rebels.",
    "Comments by Lavrov angered officials in Washington.",
    "Home to the Russian naval base, Tartus is Syria's second port.",
    "We need your help, the mayor told residents as the water ran out.",
    "Dear readers of this column will remember the promises of 2011.",
    "Advertising revenue at state media fell by a third last year.",
    "Independent journalism is all but impossible in Syria, reporters said.",
    # tables, as trafilatura writes them: rows of figures between pipes
    "| 1 | Kyle Busch | 5040 | 5 | 1 | 17 | 27 |",
    "| Pos | Player | Plays | % | Stats |",
    "| HD | THE HOME DEPOT INC. | 225.86 | -12.99 | -5.44% |",
]


def _doc(block: list[str]) -> str:
    return "\n\n".join([TITLE, BODY[0], BODY[1], "\n".join(block), BODY[2]]) + "\n"


@pytest.mark.parametrize("case", sorted(DROP))
def test_boilerplate_in_other_words_is_removed(case):
    kind, block = DROP[case]
    doc = clean(_doc(block))
    paragraphs = doc.text.split("\n\n")
    for line in block:
        assert line not in paragraphs, f"{line!r} leaked"
    assert paragraphs == BODY, "article text must survive intact"
    assert {r.kind for r in doc.removed} >= {kind}


@pytest.mark.parametrize("sentence", KEEP)
def test_article_sentences_with_boilerplate_words_survive(sentence):
    text = "\n\n".join([TITLE, BODY[0], sentence, BODY[1], BODY[2]])
    doc = clean(text)
    assert sentence in doc.text.split("\n\n"), [r for r in doc.removed if r.text == sentence]


def test_related_list_stops_at_the_article_text():
    text = (
        _doc(["Recent stories:", "Syria talks stall"])
        + "\nAnother paragraph of the article follows here.\n"
    )
    doc = clean(text)
    assert doc.text.endswith("Another paragraph of the article follows here.")


def test_duplicated_caption_is_kept_once():
    cap = "Refugees wait at the Turkish border on Tuesday."
    doc = clean(_doc([cap, cap]))
    assert doc.text.count(cap) == 1
    assert any(r.kind == "duplicate" for r in doc.removed)


def test_bold_photo_credit_after_a_caption_is_cut():
    doc = clean(_doc(["Refugees wait at the border on Tuesday. **Jane Smith / Reuters**"]))
    assert "Refugees wait at the border on Tuesday." in doc.text.split("\n\n")
    assert "Jane Smith" not in doc.text
    assert any(r.kind == "photo-credit" for r in doc.removed)


@pytest.mark.parametrize(
    "trail",
    [
        "Home > World > Middle East",
        "Home / News / Ceasefire Talks Resume in Geneva",
        "Home News Ceasefire Talks Resume in Geneva",
        "News » World » Syria",
    ],
)
def test_breadcrumbs_go_and_the_title_follows(trail):
    doc = clean("\n\n".join([trail, TITLE, *BODY]))
    assert doc.title == TITLE
    assert doc.text.split("\n\n") == BODY
    assert any(r.kind == "navigation" for r in doc.removed)
