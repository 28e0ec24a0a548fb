"""`scrape explain`, `scrape rules test` and `scrape rules suggest`."""

import json
import random
import shutil

from click.testing import CliRunner
from conftest import scrape

from scraper.cli import cli

SUBJECTS = [
    "The council",
    "Local police",
    "The mayor",
    "Hospital staff",
    "Farmers",
    "Teachers",
    "The court",
]
VERBS = ["approved", "questioned", "delayed", "announced", "rejected", "praised", "reviewed"]
OBJECTS = [
    "the new budget",
    "a bridge repair",
    "the water plan",
    "a school merger",
    "bus fares",
    "the harbour lease",
]
DAYS = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "late on Thursday",
    "on Friday",
    "over the weekend",
]
SECTIONS = ["World", "Europe", "Business", "Local", "Sport"]


def article_body(rng: random.Random, i: int) -> list[str]:
    """Four sentences of article text, different for each document."""
    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(DAYS)}, "
        f"according to document {i}-{j} seen by reporters."
        for j in range(4)
    ]


def gazette_pages(folder, n=30, seed=7):
    rng = random.Random(seed)
    article_lines = []
    for i in range(n):
        body = article_body(rng, i)
        article_lines += body
        text = "\n\n".join(
            [
                f"Harbour Town Story {i}",
                f"Listen to this story ({rng.randint(2, 9)} min)",
                *body,
                f"Section: {rng.choice(SECTIONS)}",
                "The Gazette digital desk produced this story.",
                "Original url:",
                f"<https://www.dailygazette.net/2013/05/{i:02d}/story-{i}>",
            ]
        )
        (folder / f"g{i:02d}.txt").write_text(text + "\n")
    return article_lines


def test_explain_prints_each_line_with_its_decision(project):
    result = scrape("explain", "seeds/002_35d9d13e12187506.txt", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_text = {r["text"]: r for r in rows}
    assert by_text["Support The Moscow Times!"]["decision"] == "dropped"
    assert by_text["Support The Moscow Times!"]["kind"] == "donation"
    assert (
        by_text["Russia Seeking Turkish Help Evacuating Soldiers From Syria – Reports"]["decision"]
        == "title"
    )
    assert by_text["AFP contributed reporting."]["kind"] == "credits"
    sunday = next(t for t in by_text if t.startswith("On Sunday, Russian news agencies"))
    assert by_text[sunday]["decision"] == "kept"
    assert [r["n"] for r in rows] == sorted(r["n"] for r in rows)
    plain = scrape("explain", "seeds/002_35d9d13e12187506.txt", cwd=project)
    assert "\x1b[" not in plain.stdout  # piped: no colour codes
    assert "dropped by mt-donation-letter (donation)" in plain.stdout


def test_explain_says_which_line_is_a_lead_put_back(project):
    lead = (
        "Residents of the northern suburbs will get a tram line by the end of the decade, after"
        " a vote that ended ten years of argument over its route and its cost."
    )
    body = "".join(
        f"<p>Paragraph {i} of the article, long enough to count as text.</p>" * 3 for i in range(3)
    )
    html = (
        f'<html><head><meta name="description" content="{lead}"></head><body>'
        f'<p class="lead">{lead}</p><div class="share"><a href="/s">Share</a></div>'
        f"<article><h1>Council backs tram extension</h1>{body}</article></body></html>"
    )
    (project / "page.html").write_text(html)
    result = scrape("explain", "page.html", "--json", cwd=project)
    rows = {r["text"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows[lead]["decision"] == "kept" and rows[lead]["kind"] == "lead"
    assert (
        "kept (lead, from the page's description)"
        in scrape("explain", "page.html", cwd=project).stdout
    )


def test_explain_a_missing_target_is_one_line(project):
    result = scrape("explain", "nope.txt", cwd=project)
    assert result.returncode == 2 and "nope.txt: no such file" in result.stderr


def test_rules_test_passes_then_shows_a_diff_and_updates_after_review(tmp_path, monkeypatch):
    runner = CliRunner()
    ok = runner.invoke(cli, ["rules", "test"])
    assert ok.exit_code == 0 and ok.output.count("ok ") == 10
    copy = tmp_path / "fixtures"
    from scraper.rules import fixtures as fx

    shutil.copytree(fx.fixture_dir(), copy)
    spec_path = copy / "dailykos" / "v1" / "expected.json"
    spec = json.loads(spec_path.read_text())
    spec["expected"]["title"] = "An outdated title"
    spec_path.write_text(json.dumps(spec))
    monkeypatch.setattr(fx, "fixture_dir", lambda: copy)
    differs = runner.invoke(cli, ["rules", "test", "Daily Kos"])
    assert differs.exit_code == 1
    assert (
        "DIFFERS dailykos/v1" in differs.output
        and '- "title": "An outdated title"' in differs.output
    )
    declined = runner.invoke(cli, ["rules", "test", "dailykos", "--update"], input="n\n")
    assert declined.exit_code == 1 and "An outdated title" in spec_path.read_text()
    updated = runner.invoke(cli, ["rules", "test", "dailykos", "--update"], input="y\n")
    assert updated.exit_code == 0, updated.output
    assert runner.invoke(cli, ["rules", "test", "dailykos"]).exit_code == 0


def test_rules_suggest_finds_the_three_kinds_and_no_article_sentence(project):
    gazette = project / "gazette"
    gazette.mkdir()
    article_lines = gazette_pages(gazette)
    (project / "config.yaml").write_text(
        "sources:\n  - seeds: {dir: gazette}\nfilters: {min_words: 5}\n"
    )
    result = scrape("rules", "suggest", "dailygazette.net", "-o", "gazette.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "gazette.yaml").read_text()
    import yaml

    from scraper.rules.engine import load_rule_file

    rules = load_rule_file(project / "gazette.yaml").rules.versions[0].text.drop_lines
    kinds = {r.kind for r in rules}
    assert {"site-promo", "navigation", "attribution"} <= kinds, text
    assert "in 30 of 30 documents" in text
    for probe in [
        "Listen to this story (4 min)",
        "Section: Sport",
        "The Gazette digital desk produced this story.",
    ]:
        assert any(r.pattern.search(probe) for r in rules), probe
    for line in article_lines:
        assert not any(r.pattern.search(line) for r in rules), line
    assert yaml.safe_load(text)["versions"][0]["id"] == "suggested"

    # nothing applies until config.yaml lists the file; then the lines go
    before = scrape("explain", "gazette/g03.txt", cwd=project).stdout
    assert "kept" in before and "Section: " in before
    (project / "config.yaml").write_text(
        "sources:\n  - seeds: {dir: gazette}\nfilters: {min_words: 5}\nrules: [gazette.yaml]\n"
    )
    after = scrape("explain", "gazette/g03.txt", "--json", cwd=project)
    decisions = {
        json.loads(x)["text"]: json.loads(x)["decision"] for x in after.stdout.splitlines()
    }
    assert decisions[next(t for t in decisions if t.startswith("Section: "))] == "dropped"
    assert decisions["The Gazette digital desk produced this story."] == "dropped"
    assert all(d == "kept" for t, d in decisions.items() if "according to document" in t)


DIARISTS = [
    "clayclai",
    "jpmassar",
    "Meteor Blades",
    "JekyllnHyde",
    "Lefty Coaster",
    "mettle fatigue",
    "Susan Grigsby",
    "xaxnar",
]
COMMENTERS = ["Brecht", "jpmassar", "Lefty Coaster", "Angela Harris", "mollyd", "The Grand Poobah"]


def diaries(folder, n=30, seed=11) -> list[str]:
    """Daily Kos diaries as a crawl has them (a local WARC): article lines, and lines that
    differ only in the diarist's or a commenter's name and a time."""
    from archives import Page, article, write_warc

    rng = random.Random(seed)
    pages, article_lines = [], []
    for i in range(n):
        body = article_body(rng, i)
        article_lines += body
        comments = [
            f"{name} replied at {rng.randint(1, 12)}:{rng.randint(10, 59)} PM"
            for name in rng.sample(COMMENTERS, 3)
        ]
        # the diarist's line last: above three short lines it heads a box of other stories,
        # which the generic rule more-from-list takes before suggest could see it
        lines = [*body, *comments, f"More from {DIARISTS[i % len(DIARISTS)]} on Daily Kos"]
        url = f"https://www.dailykos.com/stories/2012/6/{i + 1}/{100000 + i}/-Diary-{i}"
        pages.append(
            Page(url, f"201206{i % 28 + 1:02d}120000", article(f"Diary number {i}", lines))
        )
    write_warc(folder / "kos.warc.gz", pages)
    return article_lines


def test_rules_suggest_merges_names_accepts_stem_or_domain_and_wants_enough_documents(project):
    (project / "archives").mkdir()
    article_lines = diaries(project / "archives")
    (project / "config.yaml").write_text(
        "sources:\n  - warc: {paths: ['archives/*.warc.gz']}\nfilters: {min_words: 5}\n"
    )
    outputs = {}
    for name in ("Daily Kos", "dailykos", "www.dailykos.com"):
        result = scrape("rules", "suggest", name, cwd=project)
        assert result.returncode == 0, result.stderr
        outputs[name] = result.stdout
    assert len(set(outputs.values())) == 1  # name, rule file stem and domain: one publisher
    text = outputs["dailykos"]
    (project / "kos.yaml").write_text(text)
    from scraper.rules.engine import load_rule_file

    rules = load_rule_file(project / "kos.yaml").rules.versions[0].text.drop_lines
    assert [r.name for r in rules][:1] == ["dailykos-1"]
    replies = [r for r in rules if r.pattern.search("Brecht replied at 3:15 PM")]
    more = [r for r in rules if r.pattern.search("More from clayclai on Daily Kos")]
    assert len(replies) == 1 and len(more) == 1, text  # one pattern, not one per name
    for probe in ["Someone Else replied at 11:02 PM", "More from Susan Grigsby on Daily Kos"]:
        assert any(r.pattern.search(probe) for r in rules), probe
    assert not any(c in r.pattern.pattern for r in rules for c in COMMENTERS + DIARISTS), text
    for line in article_lines:
        assert not any(r.pattern.search(line) for r in rules), line

    # two documents: said, and no empty rule file written
    (project / "archives" / "kos.warc.gz").unlink()
    diaries(project / "archives", n=2)
    few = scrape("rules", "suggest", "dailykos.com", "-o", "few.yaml", cwd=project)
    assert few.returncode == 1
    assert "only 2 documents of Daily Kos" in few.stderr and "at least 3" in few.stderr
    assert not (project / "few.yaml").exists()


USER_RULES = """\
publisher: Example Post
domains: [examplepost.com]
recognise: ['^Listen to this story$']
versions:
  - id: v1
    text:
      drop_lines:
        - {name: ep-listen, kind: site-promo, pattern: '^Listen to this story$'}
"""


def test_rules_test_with_a_config_tests_the_users_files_and_writes_a_missing_expected(
    tmp_path,
):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "example-post.yaml").write_text(USER_RULES)
    (tmp_path / "config.yaml").write_text("rules: [rules/example-post.yaml]\n")
    folder = tmp_path / "rules" / "fixtures" / "example-post" / "v1"
    config = ["rules", "test", "--config", str(tmp_path / "config.yaml")]
    runner = CliRunner()
    missing = runner.invoke(cli, config)
    assert missing.exit_code == 1 and "MISSING example-post/v1" in missing.output
    folder.mkdir(parents=True)
    (folder / "input.txt").write_text(
        "A Title Here\n\nListen to this story\n\nThe council met on Monday and voted.\n"
    )
    new = runner.invoke(cli, config)
    assert new.exit_code == 1 and "NEW     example-post/v1" in new.output, new.output
    wrote = runner.invoke(cli, [*config, "--update"])
    assert wrote.exit_code == 0 and "WROTE" in wrote.output, wrote.output
    spec = json.loads((folder / "expected.json").read_text())
    assert spec["expected"]["removed"][-1] == "ep-listen (site-promo): Listen to this story"
    assert runner.invoke(cli, config).output.startswith("ok      example-post/v1")
