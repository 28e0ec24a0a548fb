"""The seeds, cleaned through the public API, reach the exemplar score 1.000 / 1.000 / 1.000
(scored against ../shared, skipped without it); the rest reads the project's own seeds."""

import json
import subprocess
import sys

from scraper import clean


def test_exemplar_score_is_perfect(shared, tmp_path):
    pred = tmp_path / "pred.jsonl"
    with pred.open("w") as out:
        for f in sorted((shared / "seeds").glob("*.txt")):
            d = clean(f.read_text(encoding="utf-8"))
            row = {
                "file": f.name,
                "text": d.text,
                "title": d.title,
                "author": d.author,
                "date": d.published.isoformat() if d.published else None,
                "url": d.url,
            }
            out.write(json.dumps(row) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            str(shared / "exemplars" / "score.py"),
            "--gold",
            str(shared / "exemplars" / "gold.jsonl"),
            "--pred",
            str(pred),
            "-v",
            "--min-keep",
            "1",
            "--min-drop",
            "1",
            "--min-meta",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("keep 1.000  drop 1.000  meta 1.000")


def test_every_removal_names_a_rule_and_kind(root):
    for f in sorted((root / "seeds").glob("*.txt")):  # the project's copy of the seeds
        d = clean(f.read_bytes())
        assert d.removed, f.name
        for r in d.removed:
            assert r.rule and r.kind and r.text


def test_publishers_and_layout_versions_are_recognised_from_text(root):
    got = {
        f.name[:3]: clean(f.read_bytes()).rule_version
        for f in sorted((root / "seeds").glob("*.txt"))
    }
    assert got == {
        "000": "Daily Kos@v1",
        "001": "The Boston Globe@v1",
        "002": "The Moscow Times@v2024",
        "003": "EmbassyPages@v1",
        "004": "The Moscow Times@v2012",
    }
