"""Cleaning in worker processes: the same bytes for any number of workers, and a document
that hangs costs only itself."""

import json
import shutil

from conftest import scrape, tree_digest
from test_explain_and_rules import gazette_pages

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def corpus(project):
    gazette_pages(project / "seeds", n=24)
    (project / "seeds" / "zz_binary.txt").write_bytes(b"\x00\x01binary\x00")


def test_output_is_byte_identical_for_one_and_two_workers(project, tmp_path):
    corpus(project)
    other = tmp_path / "other"
    shutil.copytree(project, other)
    one = scrape("clean", "--workers", "1", cwd=project, env=EPOCH)
    two = scrape("clean", "--workers", "2", cwd=other, env=EPOCH)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert "binary content" in one.stderr and "binary content" in two.stderr
    assert tree_digest(project / "dataset") == tree_digest(other / "dataset")
    record = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]
    assert record["num_examples"] == 5 + 24


def test_a_document_that_hangs_fails_alone(project):
    corpus(project)
    (project / "seeds" / "zz_hang.txt").write_text(
        "A Headline\n\nThe article text goes here and it is long enough to keep as a document.\n\n"
        + "a" * 40
        + "!\n"
    )
    (project / "evil.yaml").write_text(
        "publisher: generic\nversions:\n  - id: v1\n    text:\n      drop_lines: ['^(a+)+$']\n"
    )
    cfg = project / "config.yaml"
    cfg.write_text(
        cfg.read_text().replace("rules: []", "rules: [evil.yaml]") + "clean: {timeout: 2}\n"
    )
    result = scrape("clean", "--workers", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "zz_hang" in result.stderr and "clean.timeout" in result.stderr
    record = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]
    assert record["num_examples"] == 5 + 24  # everything else was cleaned
    failed = {f["id"]: f["reason"] for f in record["run"]["failed"]}
    assert "took over 2 s" in failed["zz_hang"] and "binary" in failed["zz_binary"]
