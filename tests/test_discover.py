"""`scrape discover`: a plan from the exemplars, relevance scores, explain, bad input,
and the whole path against a real pywb archive of on- and off-topic pages."""

import json

import pytest
import yaml
from archives import Page, article
from conftest import load, scrape
from pywb_server import Pywb
from topical import collection

from scraper import load_config
from scraper.discover.relevance import STOPWORDS, build_model
from scraper.discover.terms import salient_terms, stopwords, url_has_terms
from scraper.models import Document
from scraper.sources import iter_store


def no_archive(project) -> None:
    """Point the plan's archive at a closed port: tests never reach the network, and an
    undated exemplar then stays undated, with a note saying why."""
    closed = "http://127.0.0.1:9"
    with open(project / "config.yaml", "a") as f:
        f.write(f"discover: {{archive: {{cdx: '{closed}/cdx', replay: '{closed}/web'}}}}\n")


def plan_of(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [s["wayback"] for s in yaml.safe_load(result.stdout)["sources"]]


def test_the_seeds_give_a_plan_for_their_four_publishers(project):
    no_archive(project)
    result = scrape("discover", cwd=project)
    plan = plan_of(result)
    by_site = {}
    for q in plan:
        by_site.setdefault(q["urls"][0].split("/")[0].removeprefix("www."), []).append(q)
    assert set(by_site) == {
        "bostonglobe.com",
        "dailykos.com",
        "embassypages.com",
        "themoscowtimes.com",
    }
    # dated urls: the month prefixes around 2012-02-07 (±60 days)
    tmt = next(q for q in by_site["themoscowtimes.com"] if q["match"] == "prefix")
    assert tmt["urls"] == [
        f"www.themoscowtimes.com/{m}/"
        for m in ("2011/12", "2012/01", "2012/02", "2012/03", "2012/04")
    ]
    # EmbassyPages (2012-05-31): the domain, in a window of capture dates
    ep = by_site["embassypages.com"][0]
    assert (ep["match"], ep["from"], ep["to"]) == ("domain", "2012-04-01", "2012-07-30")
    for q in plan:
        assert q["filter"] == ["statuscode:200", "mimetype:text/html"] and q["collapse"] == "urlkey"
        assert {"syria", "russia", "assad"} <= set(q["url_terms"])
        assert not {"said", "the", "government"} & set(q["url_terms"])
    # what is not known is said, and the plan works around it
    assert "001_c42443b3492918f2: no date: a domain-wide query" in result.stderr
    assert "(the archive could not be asked to date it: http://127.0.0.1:9/cdx: " in result.stderr
    assert "latest one mentioned in its text" in result.stderr  # the Daily Kos diary
    assert "kept by relevance" in result.stderr


def test_write_merges_the_plan_into_config_yaml_keeping_comments(project):
    cfg = project / "config.yaml"
    cfg.write_text("# my project\nfilters:\n  min_words: 20  # short pages are noise\n")
    no_archive(project)
    result = scrape("discover", "--write", cwd=project)
    assert result.returncode == 0, result.stderr
    text = cfg.read_text()
    assert "# my project" in text and "# short pages are noise" in text
    # lists in flow style: the terms take a few lines per source, not one line each
    assert "      url_terms: [" in text and "      filter: [" in text and ", \n" not in text
    assert len(text.splitlines()) < 20 * text.count("- wayback:")
    config = load_config(cfg)
    kinds = [s.kind for s in config.sources]
    assert kinds[0] == "seeds" and kinds.count("wayback") >= 4
    again = scrape("discover", "--write", cwd=project)
    assert "0 new sources merged" in again.stderr
    assert cfg.read_text() == text


def test_no_exemplars_is_one_clear_line(project):
    for f in (project / "seeds").iterdir():
        f.unlink()
    result = scrape("discover", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: no exemplars")
    assert "Traceback" not in result.stderr


def test_exemplars_without_date_site_or_known_language_still_plan(project, tmp_path):
    lost = tmp_path / "lost.txt"
    lost.write_text(
        "Russian ships in the Syrian port of Tartus\n\n"
        + "Russia keeps its navy at Tartus and supports the Syrian government of Assad. " * 8
    )
    esperanto = tmp_path / "esperanto.txt"
    esperanto.write_text(
        "Rusio kaj Sirio\n\n"
        + "La rusa registaro subtenas la sirian prezidanton kaj sendas ŝipojn al la haveno. " * 8
    )
    seed = project / "seeds" / "004_fec17247f6cb0053.txt"
    result = scrape("discover", str(seed), str(lost), str(esperanto), cwd=project)
    plan = plan_of(result)
    assert [q["urls"][0] for q in plan] == ["www.themoscowtimes.com/2011/12/"]
    assert "lost: no url and no known publisher: no query for it" in result.stderr
    assert "esperanto: language" in result.stderr and "weighted as English" in result.stderr


def test_salient_terms_are_what_sets_the_exemplars_apart_from_general_text(project):
    from scraper.discover.exemplars import load_exemplars

    docs, problems = load_exemplars(load_config(project / "config.yaml"))
    assert len(docs) == 5 and not problems
    terms = [t for t, _ in salient_terms([d.text for d in docs], n=12)]
    assert {"syria", "russia", "assad", "tartus", "lavrov"} <= set(terms)
    every = {t for t, _ in salient_terms([d.text for d in docs], n=100)}
    # stopwords, days and months, news vocabulary: never salient however many are asked for
    news = {"said", "the", "government", "would", "tuesday", "sunday", "june", "reported"}
    assert not (news | {"officials", "talks", "reporters", "reportedly", "troops"}) & every
    assert {"kremlin", "peskov", "damascus", "evacuation", "sanctions"} <= every


def test_stopwords_per_language_from_justext_and_cldr():
    assert {"the", "with", "said", "tuesday", "tue", "june"} <= stopwords("en")
    assert {"und", "mit", "dienstag", "juni"} <= stopwords("de")
    assert {"как", "что", "вторник", "июня", "июнь"} <= stopwords("ru")
    assert stopwords("xx") == frozenset()  # no list: every word counts


def test_url_prefilter_judges_the_slug_only():
    terms = ["syria", "russia"]
    assert url_has_terms("https://x.com/2012/02/07/lavrov-in-syria-a12462", terms)
    assert url_has_terms("https://x.com/news/russians-leave-damascus", terms)  # word starts
    assert not url_has_terms("https://x.com/sports/hockey-team-wins-final", terms)
    assert url_has_terms("https://x.com/news/world/2013/01/05/100000/story.html", terms)


def test_score_explains_itself():
    ex = Document("ex", "Russia keeps its naval base at Tartus in Syria to support Assad. " * 5)
    model = build_model([ex], n_terms=10)
    on = model.score("Assad relies on Russia: the Tartus base in Syria is Moscow's.", explain=True)
    off = model.score("The hockey team won the final in overtime on Sunday night.", explain=True)
    assert on.nearest == "ex" and on.score > 0.3 > off.score
    assert {w for w, _ in on.terms} >= {"tartus", "assad"}
    assert not {w for w, _ in on.terms + off.terms} & {"in", "on", "the", "to", "at", "sunday"}
    assert off.terms[-1][0] == STOPWORDS and off.score == pytest.approx(
        sum(s for _, s in off.terms), abs=0.01
    )


def test_seeds_are_their_own_nearest_exemplar_and_score_high(project):
    assert scrape("clean", cwd=project).returncode == 0
    rows = list(load(project / "dataset"))
    assert all(r["nearest_exemplar"] == r["id"] and r["relevance"] > 0.5 for r in rows)


@pytest.fixture(scope="module")
def topical_archive(tmp_path_factory):
    labelled = collection(per_site=6)
    server = Pywb(tmp_path_factory.mktemp("topical"), [x.page for x in labelled])
    yield server, {x.page.url: x for x in labelled}
    server.stop()


def test_discover_collect_clean_keeps_the_relevant_articles(project, topical_archive):
    server, labels = topical_archive
    (project / "config.yaml").write_text(
        "discover:\n"
        f"  archive: {{cdx: '{server.url}/cdx/search/cdx', replay: '{server.url}/web'}}\n"
        "fetch: {allow_private: true, per_host: {min_interval: 0, concurrency: 4}}\n"
        "filters: {relevance: {min_score: 0.33}}\n"
    )
    assert scrape("discover", "--write", cwd=project).returncode == 0
    collected = scrape("collect", cwd=project)
    assert collected.returncode == 0, collected.stderr
    assert "ruled out by the url prefilter" in collected.stderr
    cleaned = scrape("clean", cwd=project)
    assert cleaned.returncode == 0, cleaned.stderr
    rows = [r for r in load(project / "dataset") if r["source"] == "wayback"]
    on_topic = sum(x.on_topic for x in labels.values())
    relevant = sum(labels[r["url"]].on_topic for r in rows)
    assert relevant >= 0.8 * len(rows) and relevant >= 0.75 * on_topic  # precision, recall
    assert all(r["relevance"] >= 0.33 and r["nearest_exemplar"] for r in rows)
    record = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]
    assert record["run"]["dropped"]["relevance below filters.relevance.min_score (0.33)"] > 0
    # the per-publisher table now has the counts
    table = scrape("discover", cwd=project)
    line = next(x for x in table.stderr.splitlines() if "Moscow" in x)
    assert [c.strip() for c in line.split("│")][3:7] != ["0", "0", "0", "0"]
    # explain one kept and one dropped page, by url (looked up in the raw store)
    kept_url = rows[0]["url"]
    explained = scrape("discover", "--explain", kept_url, cwd=project)
    assert explained.returncode == 0, explained.stderr
    assert "score: " in explained.stdout and "nearest exemplar: 0" in explained.stdout
    assert "terms that drove it:" in explained.stdout
    # a page off the topic: what drove its low score are words, not "in, on, from, with, by"
    fetched = {c.url for c in iter_store(project / ".scraper" / "warc")}
    off_url = next(u for u in sorted(fetched) if u in labels and not labels[u].on_topic)
    off = scrape("discover", "--explain", off_url, cwd=project)
    assert off.returncode == 0, off.stderr
    line = off.stdout.split("terms that drove it: ")[1].splitlines()[0]
    drove = [item.rsplit(" ", 1)[0] for item in line.split(", ")]
    assert drove[-1] == "(stopwords together)"  # their part, as one figure
    assert drove[:-1] and not set(drove) & {"in", "on", "from", "with", "by", "the", "to", "of"}


MT_URL = (
    "https://www.themoscowtimes.com/2024/12/09/"
    "russia-seeking-turkish-help-evacuating-soldiers-from-syria-reports-a87283"
)
BG_URL = "https://www.bostonglobe.com/news/world/russia-starts-helping-citizens-leave-syria/AbC123/story.html"


@pytest.fixture(scope="module")
def own_captures(tmp_path_factory):
    """The undated seeds' own captures (002: a dated url; 001: an undated one, captured
    twice) and a decoy whose url has the title's words out of order."""
    page = article("A capture", ["Text of the captured article. " * 20])
    server = Pywb(
        tmp_path_factory.mktemp("own"),
        [
            Page(MT_URL, "20241209161500", page),
            Page(MT_URL, "20250310080000", page),
            Page(
                "https://www.themoscowtimes.com/2024/11/02/turkish-help-for-russia-seeking-a1",
                "20241102100000",
                page,
            ),
            Page(BG_URL, "20130301090000", page),
            Page(BG_URL, "20130123090000", page),
        ],
    )
    yield server
    server.stop()


def test_undated_exemplars_are_dated_by_their_own_capture_in_the_archive(project, own_captures):
    archive = f"{{cdx: '{own_captures.url}/cdx/search/cdx', replay: '{own_captures.url}/web'}}"
    with open(project / "config.yaml", "a") as f:
        f.write(f"discover: {{archive: {archive}}}\n")
    result = scrape("discover", cwd=project)
    plan = plan_of(result)
    assert (
        "002_35d9d13e12187506: no date in it: dated 2024-12-09 by the url of its captures in"
        f" the archive, {MT_URL}\n" in result.stderr
    )
    assert (
        "001_c42443b3492918f2: no date in it: dated 2013-01-23, the day of the first of its"
        f" captures in the archive, {BG_URL}\n" in result.stderr
    )
    assert "no date: a domain-wide query" not in result.stderr
    # The Moscow Times: the months around December 2024 join those around February 2012,
    # and no domain-wide query is left
    tmt = [q for q in plan if "themoscowtimes.com" in q["urls"][0]]
    assert len(tmt) == 1 and tmt[0]["match"] == "prefix"
    months = [u.split("/", 1)[1] for u in tmt[0]["urls"]]
    assert months == [
        *("2011/12/", "2012/01/", "2012/02/", "2012/03/", "2012/04/"),
        *("2024/10/", "2024/11/", "2024/12/", "2025/01/", "2025/02/"),
    ]
    bg = next(q for q in plan if q["urls"] == ["bostonglobe.com"])
    assert (bg["match"], bg["from"], bg["to"]) == ("domain", "2012-11-24", "2013-03-24")
