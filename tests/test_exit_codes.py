"""Exit statuses, the same for every command: 0 all done, 1 finished with failures a rerun
may fix (or stopped by one), 2 a usage or config error, 75 busy with --no-wait (test_locks),
130 interrupted (test_cli). Each checked with the real `scrape`, as a script would see it."""

import socket

from conftest import scrape


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_collect_where_every_fetch_failed_exits_1_and_says_how_to_retry(project):
    dead = f"http://127.0.0.1:{closed_port()}"
    (project / "config.yaml").write_text(
        f"sources:\n  - urls: {{list: ['{dead}/a', '{dead}/b']}}\n"
        "fetch: {retries: 0, allow_private: true}\n"
    )
    result = scrape("collect", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: 2 capture(s) could not be fetched"), result.stderr
    assert "--retry-failed" in last
    nothing_new = scrape("collect", cwd=project)  # nothing left to try unless asked
    assert nothing_new.returncode == 0, nothing_new.stderr
    again = scrape("collect", "--retry-failed", cwd=project)
    assert again.returncode == 1, again.stderr


def test_clean_with_a_failed_input_exits_1_and_still_writes_the_version(project):
    (project / "seeds" / "zz_empty.txt").write_bytes(b"")
    result = scrape("clean", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "failed: zz_empty" in result.stderr and "new version v1.0.0" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: 1 input(s) could not be cleaned; the summary lists them and why"
    )
    assert (project / "dataset" / "versions.json").exists()


def test_clean_with_nothing_failed_exits_0(project):
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr


def test_a_config_error_exits_2(project):
    (project / "config.yaml").write_text("dataset:\n  nmae: x\n")
    for command in (["clean"], ["collect"], ["versions"], ["report"], ["rules", "suggest", "X"]):
        result = scrape(*command, cwd=project)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.strip() == "Error: config.yaml:2: dataset.nmae: unknown key"


def test_a_bad_option_exits_2_like_a_config_error(project):
    result = scrape("clean", "--workers", "0", cwd=project)
    assert result.returncode == 2 and "--workers" in result.stderr
