"""Lines a publisher repeats across a run (scraper/repetition.py): removed as kind
`repeated` and recorded; article text that recurs (a quote in the middle, a long
sentence, a publisher with few documents) stays; `scrape clean` runs the step."""

from __future__ import annotations

import json

import pytest
from conftest import scrape

from scraper.config import RepeatedLinesConfig
from scraper.models import Document
from scraper.repetition import KIND, RULE, KeyCounts, RepeatedLines, line_keys

QUOTE = '"We will rebuild every bridge," the governor said on Monday.'
LONG = (
    "The Valley Herald is an independent newspaper founded in 1921 and owned by its readers,"
    " who elect its board every year at a meeting in the town hall of the old county seat."
)


TOPICS = ["harbour", "library", "bus depot", "market hall", "fire station", "old mill", "park"]
TOPICS += ["swimming pool", "cemetery", "museum"]


def article(n: int, publisher: str = "valleyherald.com") -> Document:
    body = [
        f"Listen to this story ({n + 3} min)",  # numbers vary: one line all the same
        f"The {TOPICS[n % len(TOPICS)]} came up when the council met to discuss the budget.",
        f"Residents asked about road {n} and the school on street {n * 7}, officials said.",
        QUOTE,  # a quote many follow-up stories repeat, in the middle
        f"The vote on item {n} was postponed until the next session of the council in May.",
        f"Councillors will meet again on day {n} of the month, the clerk said afterwards.",
        LONG,
        "Readers can reach the newsroom at the office on Main Street.",
    ]
    text = "\n\n".join(body)
    return Document(id=f"d{n}", text=text, publisher=publisher)


def settings(**changes) -> RepeatedLinesConfig:
    return RepeatedLinesConfig(edge_lines=2, **changes)


def test_lines_a_publisher_repeats_at_the_edges_are_removed_and_recorded():
    docs = list(RepeatedLines(settings()).run(article(n) for n in range(8)))
    for doc in docs:
        assert "Readers can reach the newsroom at the office on Main Street." not in doc.text
        assert "Listen to this story" not in doc.text
        assert QUOTE in doc.text  # in the middle: article text
        assert LONG in doc.text  # too long to be furniture
        taken = [r for r in doc.removed if r.rule == RULE]
        assert {r.kind for r in taken} == {KIND} and len(taken) == 2


def test_the_step_switched_off_removes_nothing():
    docs = list(RepeatedLines(settings(enabled=False)).run(article(n) for n in range(8)))
    assert all("Readers can reach the newsroom" in d.text for d in docs)


def test_too_few_documents_or_too_small_a_share_removes_nothing():
    few = list(RepeatedLines(settings()).run(article(n) for n in range(4)))  # min_docs 5
    assert all("Readers can reach the newsroom" in d.text for d in few)
    mixed = [article(n) for n in range(6)] + [
        article(n, publisher=f"other{n}.com") for n in range(30)
    ]
    out = list(RepeatedLines(settings(min_share=0.5)).run(mixed))
    # 6 documents of one publisher repeat it, and the 30 others are one each
    assert all(
        "Readers can reach the newsroom" in d.text for d in out if d.publisher != "valleyherald.com"
    )
    assert not any("Readers can reach the newsroom" in d.text for d in out[:6])


def test_what_the_window_learnt_applies_to_the_rest_of_the_run():
    out = list(RepeatedLines(settings(window=6)).run(article(n) for n in range(10)))
    assert not any("Readers can reach the newsroom" in d.text for d in out)
    assert [d.id for d in out] == [f"d{n}" for n in range(10)]  # order kept


def test_keys_and_counts_are_shared_with_rule_suggestions():
    keys = [k for k, _ in line_keys("Listen (4 min)")]
    assert keys == ["line:listen (4 min)", "num:listen (0 min)"]
    counts = KeyCounts()
    for n in range(10):
        counts.add([f"line:{n}", "line:footer", "line:footer"])
    assert counts.df["line:footer"] == 10
    assert counts.frequent(0.3, 5) == {"line:footer"}


@pytest.mark.parametrize("enabled", [True, False])
def test_scrape_clean_removes_a_publishers_repeated_lines(project, enabled):
    seeds = project / "seeds"
    for f in seeds.glob("*.txt"):
        f.unlink()
    for n in range(6):
        doc = article(n)
        url = f"https://www.valleyherald.com/2024/05/0{n + 1}/story-{n}"
        title = f"Council meeting number {n} ends without a budget vote"
        text = f"{title}\n\n{doc.text}\n\nOriginal url: {url}\n"
        (seeds / f"{n:03d}.txt").write_text(text, encoding="utf-8")
    config = project / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"\nclean:\n  repeated: {{enabled: {str(enabled).lower()}, edge_lines: 3}}\n",
        encoding="utf-8",
    )
    result = scrape("clean", "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    from datasets import load_dataset

    rows = load_dataset(str(project / "dataset"), split="train")
    assert rows.num_rows == 6
    for row in rows:
        assert ("Readers can reach the newsroom" in row["text"]) is not enabled
        kinds = [r["kind"] for r in row["removed"]]
        assert (KIND in kinds) is enabled
    versions = json.loads((project / "dataset" / "versions.json").read_text(encoding="utf-8"))
    assert versions
