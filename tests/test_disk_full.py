"""A full or read-only disk under `scrape collect` and `scrape clean`: one line naming the
path, no temporary file left behind, and once the disk is grown nothing stored twice.

Filling a disk, two ways. The tests run as root, whom permission bits do not stop, so
chmod cannot make a folder read-only. Where user namespaces allow it (`unshare -rm`), the
folder is a tiny tmpfs mounted in a private mount namespace, and the kernel itself answers
ENOSPC and EROFS; elsewhere those tests skip. Always, in-process: the one file or database
the test is about is replaced by one that fails as the kernel or sqlite would (OSError
ENOSPC or EROFS after a partial write, sqlite3 "database or disk is full"), which can also
put a failure, or a kill, exactly between two steps of the collector's recovery.
"""

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from archives import IAArchive, Page
from click.testing import CliRunner
from conftest import load, tree_digest
from test_collect import story, wayback_source, write_config

import scraper.fetch.store
import scraper.package.files
from scraper.cli import cli
from scraper.collect import collect
from scraper.config import load_config
from scraper.fetch import State, WarcStore
from scraper.fetch.client import Response
from scraper.models import Listing
from scraper.sources import iter_store

FULL = errno.ENOSPC, os.strerror(errno.ENOSPC)
READ_ONLY = errno.EROFS, os.strerror(errno.EROFS)


class Killed(BaseException):
    """kill -9, as far as a test can have one where it wants it."""


def pages(n: int = 6) -> list[Page]:
    return [
        Page(
            f"https://example-news.com/2012/07/{i:02d}/story-{i}",
            f"201207{i + 1:02d}100000",
            story(i),
        )
        for i in range(n)
    ]


def stored_once(project: Path, expected: list[Page]) -> None:
    """Every page stored exactly once, the run state agreeing, no file left open."""
    work = project / ".scraper"
    assert sorted(c.url for c in iter_store(work / "warc")) == sorted(p.url for p in expected)
    assert not list((work / "warc").glob("*.open"))
    with sqlite3.connect(work / "state.sqlite") as con:
        rows = con.execute("select status, count(*) from captures group by status").fetchall()
    assert rows == [("fetched", len(expected))]


class FullFile:
    """An open file on a disk with `room` bytes left: a write past it lands in part, then
    fails as the kernel's does."""

    def __init__(self, f, room: int) -> None:
        self.f, self.room = f, room

    def write(self, data) -> int:
        if len(data) > self.room:
            self.f.write(bytes(data[: self.room]))
            self.f.flush()
            self.room = 0
            raise OSError(*FULL)
        self.room -= len(data)
        return self.f.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.f.close()

    def __getattr__(self, name):
        return getattr(self.f, name)


def fill(monkeypatch, module, room: int, matches) -> None:
    """Files that `module` opens for writing whose path `matches` get `room` bytes."""

    def full_open(path, mode="r", *args, **kwargs):
        f = open(path, mode, *args, **kwargs)
        return FullFile(f, room) if "r" not in mode and matches(str(path)) else f

    monkeypatch.setattr(module, "open", full_open, raising=False)


class FaultyDb:
    """The run state's sqlite connection; `fault(sql, params)` may raise before a statement."""

    def __init__(self, db, fault) -> None:
        self._db, self._fault = db, fault

    def execute(self, sql, params=()):
        self._fault(sql, params)
        return self._db.execute(sql, params)

    def executemany(self, sql, rows):
        self._fault(sql, ())
        return self._db.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self._db, name)


def nth_fetched_mark(n: int, error: BaseException):
    """Fail as the n-th fetched capture is marked `fetched` (its record is in the store)."""
    seen = []

    def fault(sql, params):
        if sql.startswith("update") and "fetched" in params:
            seen.append(sql)
            if len(seen) == n:
                raise error

    return fault


def every_write(sql, params):
    if sql.startswith(("update", "insert")):
        raise sqlite3.OperationalError("database or disk is full")


def killed_at_rename(monkeypatch):
    """Kill the run as recovery renames an `.open` file (after the state learnt of it)."""
    replace = os.replace

    def rename(src, dst, *args, **kwargs):
        if str(src).endswith(".open"):
            raise Killed
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(scraper.fetch.store.os, "replace", rename)


def run_collect(project: Path, monkeypatch, *, db_fault=None, at_rename=False) -> None:
    with monkeypatch.context() as m:
        if db_fault:
            init = State.__init__

            def faulty_init(self, path):
                init(self, path)
                self.db = FaultyDb(self.db, db_fault)

            m.setattr(State, "__init__", faulty_init)
        if at_rename:
            killed_at_rename(m)
        collect(load_config(project / "config.yaml"))


DISK_FULL = sqlite3.OperationalError("database or disk is full")


@pytest.mark.parametrize(
    "runs",
    [
        [{"db_fault": nth_fetched_mark(3, DISK_FULL)}, {}],
        [{"db_fault": nth_fetched_mark(3, Killed())}, {"db_fault": every_write}, {}],
        [{"db_fault": nth_fetched_mark(3, Killed())}, {"at_rename": True}, {}],
    ],
    ids=[
        "disk-full-as-a-stored-capture-is-marked",
        "killed-then-recovery-on-a-still-full-disk",
        "killed-then-killed-between-recovery-state-and-rename",
    ],
)
def test_a_full_disk_or_a_kill_at_any_step_never_stores_a_capture_twice(project, monkeypatch, runs):
    """Recovery used to rename a killed run's `.open` file before the run state learnt what
    it held; failing in between, those captures were fetched and stored again."""
    expected = pages()
    with IAArchive(expected) as archive:
        write_config(project, wayback_source(archive), concurrency=1)
        *failing, last = runs
        for faults in failing:
            with pytest.raises((Exception, Killed)):
                run_collect(project, monkeypatch, **faults)
        run_collect(project, monkeypatch, **last)
    stored_once(project, expected)


def test_a_rerun_in_the_same_second_and_process_never_renames_over_a_closed_file(tmp_path):
    """File names carry the second and the pid: an in-process rerun used to reuse the
    first run's name and, closing, rename its file over the first run's."""
    for i in range(2):
        x = Listing("wayback", f"https://example-news.com/{i}", "20120622000000", f"http://a/{i}")
        store = WarcStore(tmp_path)
        store.write(
            x, Response(x.fetch, 200, "OK", [], story(i), 1), datetime.now(timezone.utc), {}
        )
        store.close()
    assert sorted(c.url for c in iter_store(tmp_path)) == [
        "https://example-news.com/0",
        "https://example-news.com/1",
    ]


def test_no_space_for_the_warc_store_is_one_line_naming_the_file(project, monkeypatch):
    expected = pages()
    with IAArchive(expected) as archive:
        write_config(project, wayback_source(archive), concurrency=1)
        config = str(project / "config.yaml")
        with monkeypatch.context() as m:
            fill(m, scraper.fetch.store, 3000, lambda p: p.endswith(".open"))
            failed = CliRunner().invoke(cli, ["collect", "--config", config])
        assert failed.exit_code == 1, failed.output
        lines = [line for line in failed.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error: "), failed.output
        assert ".scraper/warc/captures-" in lines[0] and "No space left on device" in lines[0]
        grown = CliRunner().invoke(cli, ["collect", "--config", config])
        assert grown.exit_code == 0, grown.output
    stored_once(project, expected)


def test_a_read_only_dataset_folder_stops_clean_before_any_cleaning(project, monkeypatch):
    """It used to clean everything and then fail with a traceback ([Errno 30])."""
    root = project / "dataset"
    cleaned = []
    import scraper.pipeline

    pool = scraper.pipeline.clean_in_pool
    monkeypatch.setattr(
        scraper.pipeline, "clean_in_pool", lambda *a, **k: cleaned.append(1) or pool(*a, **k)
    )

    def read_only(path, mode="r", *args, **kwargs):
        if "r" not in mode and str(path).startswith(str(root)):
            raise OSError(*READ_ONLY, str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(scraper.package.files, "open", read_only, raising=False)
    result = CliRunner().invoke(cli, ["clean", "--config", str(project / "config.yaml")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"Error: {root}: Read-only file system"]
    assert not cleaned


def test_no_space_while_writing_a_version_keeps_the_last_and_leaves_no_temporary_file(
    project, monkeypatch
):
    root = project / "dataset"
    config = ["--config", str(project / "config.yaml"), "--workers", "1"]
    assert CliRunner().invoke(cli, ["clean", *config]).exit_code == 0
    before = tree_digest(root)
    (project / "seeds" / "001_c42443b3492918f2.txt").write_text(
        "A Changed Article\n\n" + "This text replaces the article for this test run only. " * 6
    )
    with monkeypatch.context() as m:
        fill(m, scraper.package.files, 1000, lambda p: ".parquet" in p)
        failed = CliRunner().invoke(cli, ["clean", *config])
    assert failed.exit_code == 1, failed.output
    lines = [line for line in failed.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {root}/data/shards/"), failed.output
    assert lines[0].endswith(".parquet: No space left on device")
    assert not [p for p in root.rglob("*") if ".tmp-" in p.name]
    assert {k: v for k, v in tree_digest(root).items() if k in before} == before
    assert load(root).num_rows == 5  # v1.0.0, whole
    grown = CliRunner().invoke(cli, ["clean", *config])
    assert grown.exit_code == 0 and "new version v1.0.1" in grown.output, grown.output


# The kernel's own ENOSPC and EROFS: a tmpfs in a private mount namespace.


def _unshare_works(tmp_path: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    mount = f"mount -t tmpfs -o size=4k tmpfs {probe}"
    return (
        subprocess.run(["unshare", "-rm", "sh", "-c", mount], capture_output=True).returncode == 0
    )


def in_namespace(project: Path, script: str) -> None:
    """Run `script` (sh) in project with `scrape` on PATH, in a private mount namespace."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "COLUMNS": "200"}
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"set -u\n{script}"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr


def one_line(path: Path) -> str:
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    assert len(lines) == 1, "\n".join(lines)
    assert "Traceback" not in lines[0]
    return lines[0]


@pytest.fixture
def namespaces(tmp_path):
    if not _unshare_works(tmp_path):
        pytest.skip("no user namespaces here (unshare -rm): no private tmpfs to fill")


def test_collect_on_a_real_full_disk_then_grown(project, namespaces):
    expected = pages(20)
    with IAArchive(expected) as archive:
        write_config(project, wayback_source(archive), concurrency=1)
        (project / ".scraper").mkdir()
        in_namespace(
            project,
            "mount -t tmpfs -o size=48k tmpfs .scraper\n"
            "scrape collect 2> full.err; echo $? > full.rc\n"
            "scrape collect 2> still.err; echo $? > still.rc\n"
            "mount -o remount,size=8m .scraper\n"
            "scrape collect 2> grown.err; echo $? > grown.rc\n"
            "cp -a .scraper after\n",
        )
    for run in ("full", "still"):
        assert (project / f"{run}.rc").read_text().strip() == "1"
        line = one_line(project / f"{run}.err")
        assert f"Error: {project}/.scraper/" in line, line
        assert "disk is full" in line or "No space left on device" in line, line
    assert (project / "grown.rc").read_text().strip() == "0", (project / "grown.err").read_text()
    shutil.rmtree(project / ".scraper")
    (project / "after").rename(project / ".scraper")
    stored_once(project, expected)


def test_clean_on_a_real_full_then_grown_dataset_folder(project, namespaces):
    (project / "dataset").mkdir()
    in_namespace(
        project,
        "mount -t tmpfs -o size=16k tmpfs dataset\n"
        "scrape clean --workers 1 2> full.err; echo $? > full.rc\n"
        "ls -A dataset dataset/data/shards > full.ls\n"
        "mount -o remount,size=8m dataset\n"
        "scrape clean --workers 1 2> grown.err; echo $? > grown.rc\n"
        "cp -a dataset after\n",
    )
    assert (project / "full.rc").read_text().strip() == "1"
    line = one_line(project / "full.err")
    assert line.startswith(f"Error: {project}/dataset/") and "No space left on device" in line
    assert ".tmp-" not in (project / "full.ls").read_text()
    assert (project / "grown.rc").read_text().strip() == "0", (project / "grown.err").read_text()
    assert load(project / "after", "v1.0.0").num_rows == 5


def test_clean_on_a_real_read_only_dataset_folder(project, namespaces):
    (project / "dataset").mkdir()
    in_namespace(
        project,
        "mount -t tmpfs -o ro tmpfs dataset\nscrape clean --workers 1 2> ro.err; echo $? > ro.rc\n",
    )
    assert (project / "ro.rc").read_text().strip() == "1"
    assert one_line(project / "ro.err") == f"Error: {project}/dataset: Read-only file system"
