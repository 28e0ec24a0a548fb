"""Two runs on one folder: the second waits for the first (or refuses with --no-wait), and a
dataset folder damaged anyway (a shard file gone) is repaired or named, never a dead end.

The runs are real processes; the lock is held in other tests by a bare `filelock` process
on the documented lock file (`.dataset.lock` beside `dataset/`, `.scraper.lock` beside the
work_dir), so these tests do not lean on the code they check.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from archives import IAArchive, Page
from conftest import load, scrape, tree_digest
from filelock import FileLock
from test_collect import story, wayback_source, write_config

from scraper import load_config
from scraper.package import load_versions
from scraper.pipeline import run_clean
from scraper.sources import iter_store

EXE = Path(sys.executable).parent / "scrape"
HOLD = (
    "import sys, time\nfrom filelock import FileLock\n"
    "lock = FileLock(sys.argv[1])\nlock.acquire()\nprint('held', flush=True)\ntime.sleep(600)\n"
)


def start(project: Path, *args: str, log: str) -> tuple[subprocess.Popen, Path]:
    """`scrape ARGS` in the background, its stderr in project/LOG."""
    path = project / log
    with open(path, "w") as err:
        proc = subprocess.Popen(
            [str(EXE), *args],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "COLUMNS": "200"},
        )
    return proc, path


def wait_until(done, timeout: float = 60) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if done():
            return True
        time.sleep(0.05)
    return False


def test_two_cleans_on_one_folder_make_two_versions_and_lose_no_shard(project):
    """Different seeds, one dataset folder, started together: before the lock both said
    "new version v1.0.0", one version was lost and at times versions.json named a shard
    the other run had removed."""
    seeds = sorted((project / "seeds").glob("*.txt"))
    for name, mine in (("a", seeds[:3]), ("b", seeds[3:])):
        (project / name).mkdir()
        for f in mine:
            shutil.copy(f, project / name / f.name)
        text = (project / "config.yaml").read_text().replace("{dir: seeds}", f"{{dir: {name}}}")
        (project / f"{name}.yaml").write_text(text)
    (project / "dataset").mkdir()
    gate = FileLock(project / ".dataset.lock")
    gate.acquire()  # both start while the folder is busy, so they surely overlap
    runs = [
        start(project, "clean", "--config", f"{n}.yaml", "--workers", "1", log=f"{n}.log")
        for n in "ab"
    ]
    wait_until(lambda: all("waiting" in log.read_text() or p.poll() is not None for p, log in runs))
    gate.release()
    for proc, log in runs:
        assert proc.wait(timeout=300) == 0, log.read_text()
    versions = load_versions(project / "dataset")
    assert [v.version for v in versions] == ["1.0.0", "1.1.0"]
    for v in versions:
        assert all((project / "dataset" / p).is_file() for p in v.shard_paths)
    ids = {v.config: sorted(load(project / "dataset", v.config)["id"]) for v in versions}
    assert sorted(ids.values()) == [[f.stem for f in seeds[:3]], [f.stem for f in seeds[3:]]]
    logs = [log.read_text() for _, log in runs]
    assert all("another `scrape clean` is running on it; waiting" in text for text in logs)


@pytest.mark.parametrize("command,folder", [("clean", "dataset"), ("collect", ".scraper")])
def test_no_wait_refuses_in_one_line_and_a_killed_holder_frees_the_folder(project, command, folder):
    lock = project / f".{folder.lstrip('.')}.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = scrape(command, "--no-wait", cwd=project)
        assert refused.returncode == 75, refused.stderr
        lines = [line for line in refused.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, refused.stderr
        assert f"{folder}: another `scrape {command}` is running on it" in lines[0]
        assert "--no-wait" in lines[0]
        assert not (project / "dataset" / "versions.json").exists()
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # the kernel drops a dead holder's lock
        holder.wait()
    after = scrape(command, "--no-wait", cwd=project)
    assert after.returncode == 0, after.stderr


def test_a_second_collect_on_one_work_dir_waits_for_the_first(project, monkeypatch):
    """Before the lock the second run's recovery renamed the first's live `.open` file:
    the first died with FileNotFoundError and captures were stored twice."""
    pages = [
        Page(
            f"https://example-news.com/2012/07/{i:02d}/story-{i}",
            f"201207{i + 1:02d}100000",
            story(i),
        )
        for i in range(8)
    ]
    with IAArchive(pages) as archive:
        write_config(project, wayback_source(archive), concurrency=1, timeout=60)
        opened = threading.Event()  # the 4th capture is served only once the second run waits
        handler = archive.server.RequestHandlerClass
        serve = handler.do_GET

        def replays() -> int:
            return sum(n for p, n in archive.hits.items() if p.startswith("/web/"))

        def gated(self):
            if self.path.startswith("/web/") and replays() >= 3:
                opened.wait(120)
            serve(self)

        monkeypatch.setattr(handler, "do_GET", gated)
        first, first_log = start(project, "collect", log="first.log")
        assert wait_until(lambda: replays() >= 3 or first.poll() is not None)
        second, second_log = start(project, "collect", log="second.log")
        wait_until(lambda: "waiting" in second_log.read_text() or second.poll() is not None)
        opened.set()
        assert first.wait(timeout=120) == 0, first_log.read_text()
        assert second.wait(timeout=120) == 0, second_log.read_text()
        assert "another `scrape collect` is running on it; waiting" in second_log.read_text()
        fetched = {p: n for p, n in archive.hits.items() if p.startswith("/web/")}
        assert len(fetched) == 8 and set(fetched.values()) == {1}
    captures = list(iter_store(project / ".scraper" / "warc"))
    assert sorted(c.url for c in captures) == sorted(p.url for p in pages)
    assert not list((project / ".scraper" / "warc").glob("*.open"))
    with sqlite3.connect(project / ".scraper" / "state.sqlite") as con:
        rows = con.execute("select status, count(*) from captures group by status").fetchall()
    assert rows == [("fetched", 8)]  # and none "skipped: same capture as another listing"


def test_clean_puts_back_a_missing_shard_that_the_same_inputs_make(project):
    """versions.json naming a missing shard made every later `scrape clean` fail with
    FileNotFoundError; shards are named by their content, so the same inputs make it again."""
    assert scrape("clean", "--workers", "1", cwd=project).returncode == 0
    before = tree_digest(project / "dataset")
    victim = sorted((project / "dataset" / "data" / "shards").glob("*.parquet"))[0]
    victim.unlink()
    result = scrape("clean", "--workers", "1", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "unchanged: latest is v1.0.0" in result.stderr
    assert any(
        "rebuilt missing shards" in line and f"data/shards/{victim.name}" in line
        for line in result.stderr.splitlines()
    ), result.stderr
    assert tree_digest(project / "dataset") == before
    assert load(project / "dataset", "v1.0.0").num_rows == 5


def test_a_version_these_inputs_cannot_rebuild_is_named_in_one_line(project):
    assert scrape("clean", "--workers", "1", cwd=project).returncode == 0
    victim = sorted((project / "dataset" / "data" / "shards").glob("*.parquet"))[0]
    gone = pq.read_table(victim).column("id").to_pylist()
    victim.unlink()
    for doc_id in gone:  # its documents are no longer among the inputs
        (project / "seeds" / f"{doc_id}.txt").unlink()
    for _ in range(2):  # the run after that is not stuck either
        result = scrape("clean", "--workers", "1", cwd=project)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        broken = [line for line in result.stderr.splitlines() if line.startswith("broken:")]
        assert (
            len(broken) == 1 and f"v1.0.0 in dataset lacks data/shards/{victim.name}" in broken[0]
        )
    versions = load_versions(project / "dataset")
    assert [v.version for v in versions] == ["1.0.0", "1.1.0"]  # blind to the lost documents
    assert versions[1].changes["compared_without"] == [f"data/shards/{victim.name}"]
    assert sorted(load(project / "dataset")["id"]) == sorted(
        p.stem for p in (project / "seeds").glob("*.txt")
    )


def test_garbage_collection_keeps_every_shard_a_recorded_version_names(project, monkeypatch):
    """A shard named only by a version another writer recorded meanwhile (versions.json on
    disk, not this run's records) is kept: the collector reads the names again from disk."""
    cfg = load_config(project / "config.yaml")
    run_clean(cfg, workers=1)
    root = project / "dataset"
    first = load_versions(root)[0]
    theirs = "data/shards/0000000000000000.parquet"
    shutil.copy(root / first.shard_paths[0], root / theirs)
    other = first.model_copy(
        update={"version": "9.0.0", "shards": [first.shards[0].model_copy(update={"path": theirs})]}
    )
    import scraper.package.writer as writer

    save = writer.save_versions
    monkeypatch.setattr(writer, "save_versions", lambda r, records: save(r, [*records, other]))
    (project / "seeds" / "001_c42443b3492918f2.txt").write_text(
        "A Changed Article\n\n" + "This text replaces the article for this test run only. " * 6
    )
    assert run_clean(cfg, workers=1).outcome.version == "1.0.1"
    recorded = json.loads((root / "versions.json").read_text())["versions"]
    assert [v["version"] for v in recorded] == ["1.0.0", "1.0.1", "9.0.0"]
    assert (root / theirs).is_file()
