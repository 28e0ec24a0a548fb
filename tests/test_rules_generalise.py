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
    # comment sections: counts, calls to comment, the comment form, a recent-comments box
    "comments, count and call": ("comments", ["7 Comments | Leave a comment"]),
    "comments, count in brackets": ("comments", ["Comments (23)"]),
    "comments, bulleted count": ("comments", ["* 41 responses so far"]),
    "comments, headline with count": ("comments", ["Mayor defends budget cuts 18 comments"]),
    "comments, filing line": ("comments", ["June 4, 2012 / 2 Comments / in Local News"]),
    "comments, thread heading": ("comments", ["2 thoughts on “Ceasefire Talks Resume in Geneva”"]),
    "comments, be the first": ("comments", ["Be the first to comment on this story"]),
    "comments, have your say": ("comments", ["Have your say"]),
    "comments, read all": ("comments", ["[ Read All Comments ]"]),
    "comments, powered by": ("comments", ["comments powered by Disqus"]),
    "comments, form": (
        "comments",
        [
            "Leave a Reply Cancel reply",
            "You must be logged in to post a comment.",
            "Notify me of follow-up comments by email.",
            "Notify me of new posts by email.",
        ],
    ),
    "comments, form buttons": (
        "comments",
        ["Your email address will not be published.", "Name", "Website"],
    ),
    "comments, recent box": (
        "comments",
        ["Latest comments", "Peter on Ceasefire talks resume", "Amira S. on Aid reaches Homs"],
    ),
    "comments, German": ("comments", ["Kommentare (12)", "Schreibe einen Kommentar"]),
    "comments, French": (
        "comments",
        ["Laisser un commentaire", "Commentaires récents", "Luc sur Genève"],
    ),
    "comments, Spanish": (
        "comments",
        ["Deja un comentario", "Tu dirección de correo electrónico no será publicada."],
    ),
    "comments, Italian": ("comments", ["Lascia un commento", "I commenti sono chiusi."]),
    "comments, Portuguese": ("comments", ["Deixe um comentário", "5 comentários"]),
    "comments, Russian": ("comments", ["Оставить комментарий", "Комментарии (3)"]),
    # newsletter labels and the signup widget's messages
    "newsletter, label": ("newsletter", ["Newsletter sign-up"]),
    "newsletter, email field": ("newsletter", ["Your email address:"]),
    "newsletter, get it": ("newsletter", ["Get the newsletter"]),
    "newsletter, blog signup": (
        "newsletter",
        [
            "Enter your email address to follow this blog and receive notifications of new posts.",
            "Join 1,204 other followers",
        ],
    ),
    "newsletter, widget message": ("newsletter", ["You have successfully subscribed!"]),
    "newsletter, German": ("newsletter", ["Jetzt Newsletter abonnieren"]),
    "newsletter, French": ("newsletter", ["Inscrivez-vous à notre newsletter"]),
    "newsletter, Spanish": ("newsletter", ["Suscríbete a nuestro boletín"]),
    # subscription offers
    "subscription, links": (
        "site-promo",
        ["Subscribe", "Subscriber Services", "Gift subscriptions"],
    ),
    "subscription, overseas": ("site-promo", ["International subscribers: click here"]),
    "subscription, offer": ("site-promo", ["Subscribe to the print edition for just $1 a week"]),
    "subscription, German": ("site-promo", ["Jetzt abonnieren"]),
    "subscription, Portuguese": ("site-promo", ["Assine já"]),
    # the nonprofit-status line beside a donation button
    "donation, nonprofit beside the button": (
        "donation",
        ["Donate", "The Syria Desk is a nonprofit, reader-supported newsroom."],
    ),
    "donation, tax": (
        "donation",
        ["All donations are tax-deductible to the full extent allowed by law."],
    ),
    "donation, charity number": ("donation", ["Registered charity no. 1098765"]),
    "donation, EIN": ("donation", ["Donate now", "EIN: 12-3456789"]),
    "donation, French": (
        "donation",
        ["Faire un don", "66 % du montant de votre don est déductible de vos impôts."],
    ),
    # photo credits and the separators around them
    "photo credit, agency": ("photo-credit", ["Omar Sanadiki/Reuters"]),
    "photo credit, via": ("photo-credit", ["Louai Beshara/AFP via Getty Images"]),
    "photo credit, bars agency": ("photo-credit", ["Delil Souleiman | AFP | Getty Images"]),
    "photo credit, photograph": ("photo-credit", ["Photograph: Hassan Ammar/AP"]),
    "photo credit, staff": ("photo-credit", ["Staff photo by Carla Ruiz"]),
    "photo credit, courtesy": ("photo-credit", ["Photo courtesy of the UN refugee agency"]),
    "photo credit, ellipsis": ("photo-credit", ["Credit... Bryan Denton for The Daily Star"]),
    "photo credit, bars on one line": ("photo-credit", ["| Carla Ruiz |"]),
    "photo credit, bars on three lines": ("credit-bar", ["|", "Carla Ruiz", "|"]),
    "photo credit, Spanish": ("photo-credit", ["Fotografía: Youssef Badawi/EFE"]),
    "separator": ("markup", ["* * *"]),
    # a box of other stories under a bare heading, teasers cut short, buttons, footnotes
    "related, more from, no colon": (
        "related-links",
        [
            "More from Europe",
            "* Dutch farmers block motorways for a third day over nitrogen rules",
            "* Polish court upholds ban on logging in ancient forest",
            "* Lisbon tram strike ends after pay deal is reached",
        ],
    ),
    "related, trending": (
        "related-links",
        [
            "Trending Now",
            "Storm knocks out power to thousands",
            "City votes on new stadium",
            "Teachers strike enters second week",
        ],
    ),
    "related, cut short": (
        "related-links",
        [
            "Dutch farmers block motorways for a third day over ni...",
            "Polish court upholds ban on logging in ancient fo…",
        ],
    ),
    "social, click to share": (
        "social",
        [
            "* Click to share on Mastodon (Opens in new window)",
            "* Click to print (Opens in new window)",
        ],
    ),
    "market data footnote": (
        "boilerplate",
        ["Prices are delayed by at least 20 minutes. Market data provided by a third party."],
    ),
    "caption label": ("photo-credit", ["Image caption Negotiators arrive at the UN building"]),
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
    # comments, subscriptions, donations and credits named in article sentences
    "The senator declined to comment on the donation.",
    "No comment.",
    "No comments were made by the ministry, which has been silent since March.",
    "The ministry received more than 4,000 comments.",
    "One thought on his mind was escape, he told the court.",
    "Have your say on the plan, the mayor told residents.",
    "Recent comments by Lavrov angered officials in Washington.",
    "Subscribers to the theory argue that the ceasefire was never meant to hold.",
    "International subscribers rose by a fifth last year, the broadcaster said.",
    "Readers who subscribe to the magazine will receive the report free.",
    '"We are a 501(c)(3) nonprofit and cannot take sides," the director said.',
    "The foundation is a registered charity, its lawyers said.",
    "All donations to the campaign are tax-deductible, the group claimed.",
    "ProPublica is a nonprofit newsroom based in New York.",
    "Photo by photo, investigators rebuilt the attack, the report says.",
    "Courtesy of his uncle, he found a job in the capital.",
    "Reuters reported that the convoy had been attacked.",
    "Kommentare des Ministers sorgten in Berlin für Ärger.",
    "Le ministre a refusé de commenter la donation.",
    "Министр отказался от комментариев.",
    "More from the interview will be published on Sunday, the editors said.",
    "Trending topics on the site included the talks and the sieges.",
    "The envoy paused... and then walked out.",
    "Image captions on state television described the rebels as terrorists.",
    "Share prices were delayed by 15 minutes during the outage, traders said.",
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


def test_a_name_beside_a_photo_credit_is_kept():
    """Names are taken beside a bar only: a short title beside a credit is the title."""
    title = "Assad Visits Moscow"
    doc = clean("\n\n".join([title, "© AFP / Jane Roe", *BODY]))
    assert doc.title == title
    assert doc.text.split("\n\n") == BODY


def test_a_nonprofit_sentence_away_from_a_donation_prompt_is_kept():
    line = "The Example Review is a 501(c)(3) nonprofit organization."
    doc = clean("\n\n".join([TITLE, BODY[0], line, BODY[1], BODY[2]]))
    assert line in doc.text.split("\n\n")


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


THREAD = [
    "1. riverwatcher says:",
    "November 19, 2019 at 6:34 am",
    "This is the best summary of the talks I have read anywhere this week, thank you.",
    "2. Maria K. says:",
    "November 19, 2019 at 6:44 am",
    "Nobody in the capital believes a word of what the negotiators said on Monday.",
    "3. old_hand says:",
    "November 19, 2019 at 7:02 am",
    "Give it a month and they will be back in Geneva saying exactly the same things.",
]
THREAD_DE = [
    "Peter Müller schreibt:",
    "19. November 2019 um 06:34 Uhr",
    "Ein sehr guter Überblick über die Gespräche, vielen Dank an die Redaktion dafür.",
    "Antworten",
    "Anna schreibt:",
    "19. November 2019 um 07:10 Uhr",
    "Daran glaubt in der Hauptstadt doch niemand mehr, das ist alles nur Theater.",
    "Antworten",
]


MORE = [
    "Aid agencies warned that food stocks in the besieged districts would run out within weeks.",
    "A spokesman for the opposition delegation said it would not sign any deal that left the sieges in place.",
]


@pytest.mark.parametrize("thread", [THREAD, THREAD_DE], ids=["en", "de"])
def test_a_comment_thread_under_the_article_goes_whole(thread):
    text = "\n\n".join([TITLE, *BODY, *MORE, *thread])
    doc = clean(text)
    assert doc.text.split("\n\n") == BODY + MORE  # readers' sentences go with their marks
    assert {r.rule for r in doc.removed if r.text in thread} == {"comment-thread"}
    assert {r.kind for r in doc.removed if r.rule == "comment-thread"} == {"comments"}


def test_a_dateline_or_two_quotes_are_not_a_thread():
    said = [
        "November 19, 2019 at 6:34 am",
        BODY[0],
        "The envoy said:",
        "“We will stay as long as it takes.”",
        "A rebel spokesman said:",
        BODY[1],
        BODY[2],
    ]
    doc = clean("\n\n".join([TITLE, *said]))
    assert not any(r.rule == "comment-thread" for r in doc.removed)
    # a thread with no article above it is not under one
    doc = clean("\n\n".join([TITLE, *THREAD, *BODY]))
    assert not any(r.rule == "comment-thread" for r in doc.removed)
    # a live blog's entries carry stamps too, but no reader's voice
    live = [*BODY, *MORE]
    for n, entry in enumerate(MORE + BODY, start=1):
        live += [f"{n} hours ago", entry]
    doc = clean("\n\n".join([TITLE, *live]))
    assert not any(r.rule == "comment-thread" for r in doc.removed)
    assert all(entry in doc.text for entry in MORE + BODY)


# a site's navigation tree as a browser copies it: levels marked *, + and o
MENU = [
    "* WORLD",
    "+ Europe",
    "+ Middle East",
    "+ Africa",
    "* POLITICS",
    "+ Elections",
    "o Results",
    "o Polls",
    "+ Congress",
    "* CLIMATE",
    "+ Energy",
]


def _rules_only(text: str):
    from scraper.cleaning import clean_lines, rulebook_for
    from scraper.config import Config

    return clean_lines(rulebook_for(Config()), text, line_judge=False)[0]


def test_a_nested_menu_goes_and_is_recorded_as_navigation():
    doc = _rules_only("\n".join([*MENU, TITLE, *BODY, *MORE]))
    assert doc.text.split("\n\n") == BODY + MORE
    assert {r.rule for r in doc.removed if r.text in MENU} == {"nested-menu"}
    assert {r.kind for r in doc.removed if r.rule == "nested-menu"} == {"navigation"}
    # markdown writes the levels as indents
    indented = ["- World", "  - Europe", "  - Africa", "- Politics", "  - Elections"] * 2
    doc = _rules_only("\n".join([*indented, TITLE, *BODY]))
    assert doc.text.split("\n\n") == BODY


def test_an_articles_own_lists_are_not_a_menu():
    steps = [f"* Step {n}: check the {part}" for n, part in enumerate("abcdefghij", 1)]
    short = ["* Fresh water", "* Blankets", "* Torches", "* Batteries"] * 3
    nested_prose = ["* " + BODY[0], "+ " + BODY[1], "* " + MORE[0], "+ " + MORE[1]] * 2
    for items in (steps, short, nested_prose, MENU[:6]):  # one level, sentences, too few
        doc = _rules_only("\n".join([TITLE, BODY[0], *items, BODY[1]]))
        assert not any(r.rule == "nested-menu" for r in doc.removed), items
