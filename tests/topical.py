"""A labelled test collection for discover + relevance: articles on the seeds' topic
(Russia's role in Syria) and off-topic articles from the same sites and dates, some of
them hard (Russian economy and sport, other Middle East news), as archived HTML pages.

Written here from sentence banks, seeded: the same collection every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archives import Page, article

ON = [
    "Russia has sent warships to its naval supply point in Tartus, the only Russian base on the Mediterranean.",
    "Foreign Minister Sergei Lavrov said Moscow would not support any resolution that opened the way to military intervention in Syria.",
    "The Kremlin has shielded President Bashar Assad from sanctions at the United Nations Security Council.",
    "Russian citizens living in Syria were told to prepare for evacuation as fighting spread to Damascus.",
    "Officials in Moscow insisted that arms deliveries to the Syrian government complied with international law.",
    "A Russian cargo ship carrying attack helicopters for the Assad regime turned back after its insurer withdrew cover.",
    "Syrian opposition leaders accused Russia of prolonging the war by arming the regime.",
    "Dmitry Peskov, the Kremlin spokesman, said Russia's position on Syria had not changed.",
    "The evacuation of Russian nationals from Syria would be carried out through Lebanon, Interfax reported.",
    "Vladimir Putin told reporters that the fate of Assad must be decided by Syrians alone.",
    "Russian military advisers remain in Syria to service weapons sold to Damascus, a defense official said.",
    "Moscow and Beijing vetoed a draft resolution that threatened Syria with sanctions.",
    "Rebels in Homs and Aleppo said Russian-made tanks were used against civilian neighbourhoods.",
    "The Russian Defense Ministry denied that marines were on board the ships bound for Tartus.",
    "Lavrov met Assad in Damascus and urged the Syrian leader to speed up reforms.",
    "Russia's envoy to the UN said Western powers were seeking regime change in Syria.",
    "Analysts in Moscow said the Kremlin feared losing its last ally in the Arab world.",
    "Families of Russian servicemen posted in Syria asked when the troops would come home.",
    "Turkey was asked to help evacuate Russian soldiers from bases in Syria, reports said.",
    "The Syrian army, backed by Russian air strikes, pushed rebels out of several towns near Idlib.",
]
HARD = [  # Russian or Middle East subjects that are not Russia's role in Syria
    "The ruble fell against the dollar as oil prices dropped and the central bank held rates.",
    "Gazprom said gas exports to Europe rose in the first quarter despite a mild winter.",
    "Moscow city authorities announced new parking fees for the centre of the capital.",
    "Russia's national hockey team beat Finland to reach the final of the world championship.",
    "Vladimir Putin opened a new bridge and promised more money for roads in the regions.",
    "Iran's foreign minister said talks on the nuclear programme would resume in Geneva.",
    "Protesters in Cairo demanded the release of activists detained after the election.",
    "Lebanon's parliament failed again to agree on a new electoral law.",
    "The Bolshoi Theatre opened its season with a new production of Swan Lake.",
    "Inflation in Russia slowed to its lowest level in a decade, the statistics service said.",
]
OFF = [
    "The city council approved a budget that adds money for schools and road repairs.",
    "The Red Sox lost in extra innings after a wild throw allowed the winning run to score.",
    "Stocks closed higher on Wall Street as investors cheered strong retail sales figures.",
    "A new exhibition of impressionist paintings opens at the museum next week.",
    "Forecasters expect heavy snow across the region through the weekend.",
    "The company said it would cut 400 jobs as demand for its products weakened.",
    "Voters will decide in November whether to raise the state sales tax.",
    "The film festival announced a line-up dominated by first-time directors.",
    "Doctors urged parents to vaccinate their children before the flu season.",
    "China reported faster growth in exports than economists had expected.",
    "The transit authority said new trains would enter service next spring.",
    "Police are searching for a driver who fled after hitting a cyclist downtown.",
]
FILLER = [
    "The report could not be independently verified.",
    "Officials declined to comment on the details.",
    "The announcement came after weeks of speculation.",
    "More details are expected later this week.",
    "The statement was published on the ministry's website.",
]
SLUG_WORDS = {
    "on": ["russia", "syria", "assad", "tartus", "lavrov", "kremlin", "evacuation", "damascus"],
    "hard": ["ruble", "gazprom", "moscow", "hockey", "putin", "iran", "cairo", "bolshoi"],
    "off": ["council", "budget", "sox", "stocks", "museum", "snow", "jobs", "festival"],
}
SITES = [  # (host, url pattern, dates) within the windows of the seeds' plan
    ("www.themoscowtimes.com", "/{y}/{m:02}/{d:02}/{slug}-a{n}", (2012, 1, 2012, 3)),
    ("www.dailykos.com", "/story/{y}/{m:02}/{d:02}/{n}/-{slug}", (2012, 5, 2012, 7)),
    ("www.embassypages.com", "/news/{slug}-{n}", (2012, 5, 2012, 6)),
    ("www.bostonglobe.com", "/news/world/{y}/{m:02}/{d:02}/{slug}/story.html", (2013, 1, 2013, 3)),
]


@dataclass(frozen=True)
class Labelled:
    page: Page
    on_topic: bool
    kind: str  # on | hard | off


def _text(rng: random.Random, kind: str) -> list[str]:
    """On topic: three of the topic's sentences among others. Hard: Russian or Middle East
    news that mentions the topic once, in passing. Off: anything else."""
    if kind == "on":
        main = rng.sample(ON, 3) + rng.sample(OFF + HARD, 3)
    elif kind == "hard":
        main = rng.sample(HARD, 4) + rng.sample(ON, 1) + rng.sample(OFF, 1)
    else:
        main = rng.sample(OFF, 5) + rng.sample(HARD, 1)
    body = main + rng.sample(FILLER, 2)
    rng.shuffle(body)
    return [" ".join(body[i : i + 2]) for i in range(0, len(body), 2)]


def collection(per_site: int = 30, seed: int = 1) -> list[Labelled]:
    """`per_site` pages per site: a third on topic, a third hard negatives, a third off.
    One on-topic page in five has a slug with no words to judge by (an id)."""
    rng = random.Random(seed)
    out = []
    for host, pattern, (y0, m0, y1, m1) in SITES:
        for i in range(per_site):
            kind = ("on", "hard", "off")[i % 3]
            y = rng.choice(range(y0, y1 + 1))
            m = rng.randint(m0, m1) if y0 == y1 else rng.randint(1, 12)
            d = rng.randint(1, 28)
            words = rng.sample(SLUG_WORDS[kind], 2) + [rng.choice(["talks", "report", "news"])]
            slug = "-".join(words) if not (kind == "on" and i % 5 == 0) else f"{100000 + i}"
            n = 10000 + i
            url = f"https://{host}" + pattern.format(y=y, m=m, d=d, slug=slug, n=n)
            paragraphs = _text(rng, kind)
            title = paragraphs[0].split(".")[0][:70]
            stamp = f"{y}{m:02}{min(d + 2, 28):02}120000"
            out.append(Labelled(Page(url, stamp, article(title, paragraphs)), kind == "on", kind))
    return out
