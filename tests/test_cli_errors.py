"""What a user got as a traceback (or as silence) is one line naming the file, key or
option, with exit status 2 when it is theirs to fix (1 when a rerun may fix it). Each
case is run with the real `scrape`, where the user met it."""

import shutil
from pathlib import Path

from conftest import scrape
from test_exit_codes import closed_port

import scraper


def one_error(result, status: int = 2) -> str:
    """The one line a failed command printed (no traceback), checked against `status`."""
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_a_date_that_does_not_exist_names_file_line_and_key(project):
    (project / "config.yaml").write_text(
        "sources:\n  - seeds: {dir: seeds}\n  - wayback:\n      urls: [example.com]\n"
        "      from: 2012-13-01\n"
    )
    line = one_error(scrape("collect", "--dry-run", cwd=project))
    assert line == (
        "Error: config.yaml:5: sources[1].wayback.from: '2012-13-01' is not a date "
        "(month must be in 1..12)"
    )


def test_a_dataset_dir_that_is_a_file(project):
    (project / "dataset").write_text("not a folder")
    line = one_error(scrape("clean", cwd=project))
    assert (
        line == f"Error: config.yaml:5: dataset.dir: {project / 'dataset'} is a file, not a folder"
    )


def test_output_into_a_missing_folder_names_the_option(project):
    (project / "config.yaml").write_text("filters: {min_words: 5}\n")
    for command in (["report"], ["rules", "suggest", "The Moscow Times"]):
        result = scrape(*command, "-o", "nowhere/out.txt", cwd=project)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "'--output' / '-o': nowhere/out.txt: there is no folder nowhere" in result.stderr
    assert not (project / "dataset").exists()  # said before any work


def test_a_bad_scheduler_address_names_the_option(project):
    result = scrape("clean", "--scheduler", "bogus", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "'--scheduler': 'bogus': give 'local' or a scheduler address" in result.stderr


def test_an_unreachable_scheduler_is_one_line(project):
    address = f"tcp://127.0.0.1:{closed_port()}"
    env = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    line = one_error(scrape("clean", "--scheduler", address, cwd=project, env=env), status=1)
    assert line.startswith(f"Error: Dask scheduler {address} (--scheduler): ")
    assert not (project / "dataset" / "versions.json").exists()


def test_rules_test_names_a_fixture_without_expected_json(tmp_path):
    package = tmp_path / "package"  # a copy of the package under test, one fixture short
    here = Path(scraper.__file__).parent
    shutil.copytree(here, package / "scraper", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "scraper" / "rules" / "fixtures" / "dailykos" / "v1" / "expected.json").unlink()
    result = scrape("rules", "test", cwd=tmp_path, env={"PYTHONPATH": str(package)})
    assert "NEW     dailykos/v1: no expected.json yet (--update writes it)" in result.stdout
    line = one_error(result, status=1)
    assert line == "Error: 1 fixture(s) differ or are missing (listed above)"


def test_a_warc_path_that_names_no_file_is_an_error(project):
    for path in ("archives/*.warc.gz", "crawl.warc.gz"):
        (project / "config.yaml").write_text(f"sources:\n  - warc: {{paths: ['{path}']}}\n")
        line = one_error(scrape("clean", cwd=project))
        assert f"sources[0].warc.paths[0]: '{path}' matches no file" in line
        assert not (project / "dataset").exists() and not (project / ".dataset.lock").exists()


def test_clean_in_an_empty_folder_says_so_and_makes_nothing(tmp_path):
    line = one_error(scrape("clean", cwd=tmp_path))
    assert f"seeds folder {tmp_path / 'seeds'} does not exist" in line
    assert f"there is no config.yaml in {tmp_path} either" in line
    assert list(tmp_path.iterdir()) == []  # no dataset/, no lock file


def test_explain_names_the_file_it_cannot_explain(project):
    (project / "empty.txt").write_bytes(b"")
    line = one_error(scrape("explain", "empty.txt", cwd=project))
    assert line == "Error: empty.txt: empty document"


def test_an_unreachable_index_names_the_source_and_exits_1(project):
    dead = f"http://127.0.0.1:{closed_port()}"
    (project / "config.yaml").write_text(
        f"sources:\n  - seeds: {{dir: seeds}}\n  - wayback: {{cdx: '{dead}/cdx', "
        f"replay: '{dead}/web', urls: [example.com]}}\nfetch: {{retries: 1, allow_private: true}}\n"
    )
    result = scrape("collect", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-2].startswith(f"error: sources[1].wayback: {dead}/cdx?url=example.com")
    assert lines[-1] == "Error: 1 source(s) could not be listed; run it again once they answer"
