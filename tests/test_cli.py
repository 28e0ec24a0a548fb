"""The CLI stays thin and documented: every command has help and appears in the README; the
global options work on every command, before or after its name; Ctrl-C ends a run with the
summary so far."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from archives import IAArchive, Page
from click.testing import CliRunner
from conftest import ROOT, scrape
from test_collect import story, wayback_source, write_config
from test_exit_codes import closed_port

from scraper.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_the_readme(name, root):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert cli.commands[name].help
    assert f"`scrape {name}" in (root / "README.md").read_text()


def test_readme_starts_with_the_two_fresh_machine_commands(root):
    readme = (root / "README.md").read_text()
    blocks = [b.split("```")[0].strip() for b in readme.split("```bash")[1:3]]
    assert blocks[0].endswith("scrape clean")
    assert blocks[1].endswith("pytest tests")
    assert blocks[1] in (root / ".ci" / "run").read_text()


def test_version_option():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "version" in result.output


# -- global options: --config, -v/-q, --log, before or after the command ---------------


def _leaves(group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _leaves(cmd, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize("path", list(_leaves(cli)), ids=" ".join)
def test_every_command_takes_verbose_quiet_and_log(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert all(f"--{o}" in result.output for o in ("verbose", "quiet", "log")), result.output


def test_config_before_or_after_the_command(project):
    (project / "bad.yaml").write_text("dataset:\n  nmae: x\n")
    for args in (["--config", "bad.yaml", "versions"], ["versions", "--config", "bad.yaml"]):
        result = scrape(*args, cwd=project)
        assert result.returncode == 2
        assert result.stderr.strip() == "Error: bad.yaml:2: dataset.nmae: unknown key"
    # given twice, the one after the command wins
    later = scrape("--config", "bad.yaml", "versions", "--config", "config.yaml", cwd=project)
    assert later.returncode == 0 and "no versions yet" in later.stdout


def unreachable_index(project) -> str:
    """A config whose Wayback index refuses connections; returns the index url."""
    dead = f"http://127.0.0.1:{closed_port()}/cdx"
    (project / "config.yaml").write_text(
        f"sources:\n  - wayback: {{cdx: '{dead}', urls: [example.com]}}\n"
        "fetch: {retries: 2, allow_private: true}\n"
    )
    return dead


def test_verbose_shows_each_retry_quiet_only_the_error(project):
    dead = unreachable_index(project)
    plain = scrape("collect", cwd=project)
    assert plain.returncode == 1 and "retry" not in plain.stderr, plain.stderr
    verbose = scrape("-v", "collect", cwd=project)
    retries = [line for line in verbose.stderr.splitlines() if "; retry " in line]
    assert len(retries) == 2 and all(line.startswith(dead) for line in retries), verbose.stderr
    assert "retry 1 of 2 in " in retries[0] and "retry 2 of 2 in " in retries[1]
    quiet = scrape("collect", "-q", cwd=project)
    assert quiet.returncode == 1
    errors = plain.stderr.strip().splitlines()[-2:]  # the source's, and how many failed
    assert errors[0].startswith("error: sources[0].wayback: ") and errors[1].startswith("Error: ")
    assert quiet.stderr.splitlines() == errors


def test_quiet_clean_prints_nothing(project):
    result = scrape("clean", "-q", cwd=project)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_log_file_gets_every_request_retry_and_the_error(project):
    dead = unreachable_index(project)
    result = scrape("--log", "run.log", "-q", "collect", cwd=project)
    assert result.returncode == 1
    log = (project / "run.log").read_text()
    assert log.count(f"DEBUG   scraper.fetch.client: GET {dead}") == 3
    assert log.count("INFO    scraper.fetch.client: ") == 2
    assert "ERROR   scraper.cli: sources[0].wayback: " in log
    assert "retry" not in result.stderr  # -q: the terminal still gets the error only


# -- Ctrl-C: the summary so far, what a rerun does, status 130 --------------------------


def interrupt(args, cwd: Path, ready) -> subprocess.CompletedProcess:
    """Run `scrape ARGS`, and press Ctrl-C (SIGINT to its whole process group, workers
    included, as a terminal does) once `ready()` is true."""
    exe = Path(sys.executable).parent / "scrape"
    proc = subprocess.Popen(
        [str(exe), *args],
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # a terminal's Ctrl-C reaches a program that has not ignored it; a test runner
        # started in the background (`pytest &`) ignores SIGINT, and its children with it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 120
    while not ready() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def fetched(project: Path) -> int:
    try:
        with sqlite3.connect(project / ".scraper" / "state.sqlite") as db:
            return db.execute("select count(*) from captures where status='fetched'").fetchone()[0]
    except sqlite3.OperationalError:  # not made yet
        return 0


def test_ctrl_c_in_collect_prints_the_summary_so_far_and_a_rerun_resumes(project):
    pages = [
        Page(f"https://example-news.com/2012/07/{i:02d}/story", "20120701100000", story(i))
        for i in range(30)
    ]
    with IAArchive(pages) as archive:
        write_config(
            project,
            wayback_source(archive),
            concurrency=1,
            per_host="{concurrency: 1, min_interval: 0.1}",
        )
        result = interrupt(["collect"], project, lambda: fetched(project) >= 3)
        assert result.returncode == 130, result.stderr
        assert "Traceback" not in result.stderr and "Aborted!" not in result.stderr
        assert "scrape collect" in result.stderr and "wayback" in result.stderr  # the table
        assert result.stderr.strip().splitlines()[-1] == (
            "interrupted: nothing fetched is lost; run it again to resume"
        )
        again = scrape("collect", cwd=project)
        assert again.returncode == 0, again.stderr
        assert fetched(project) == 30
        replays = [n for p, n in archive.hits.items() if p.startswith("/web/")]
        assert len(replays) == 30 and sum(replays) <= 30 + 1  # at most the one in flight again


def test_ctrl_c_in_clean_prints_the_summary_so_far_and_writes_nothing(project):
    for i in range(40):  # enough inputs to be still cleaning when Ctrl-C comes
        for seed in ROOT.joinpath("seeds").glob("*.txt"):
            shutil.copy(seed, project / "seeds" / f"{seed.stem}_{i}.txt")
    lock = project / ".dataset.lock"  # taken once the run has started its work
    result = interrupt(["clean", "--workers", "1"], project, lock.exists)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "Aborted!" not in result.stderr
    assert "inputs" in result.stderr  # the summary table so far
    assert result.stderr.strip().splitlines()[-1] == (
        "interrupted: no version was written; run it again to clean from the start"
    )
    assert not (project / "dataset" / "versions.json").exists()
