"""Cleaning in worker processes: the same bytes for any number of workers, and a document
that hangs costs only itself."""

import json
import shutil

import pytest
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
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr  # zz_binary failed
    assert "binary content" in one.stderr and "binary content" in two.stderr
    assert tree_digest(project / "dataset") == tree_digest(other / "dataset")
    record = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]
    assert record["num_examples"] == 5 + 24


def hanging_corpus(project, timeout: float) -> None:
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
        cfg.read_text().replace("rules: []", "rules: [evil.yaml]")
        + f"clean: {{timeout: {timeout}}}\n"
    )


@pytest.mark.parametrize(
    "how", [["--workers", "2"], ["--scheduler", "local", "--workers", "2"]], ids=["pool", "dask"]
)
def test_a_document_that_hangs_fails_alone(project, how):
    hanging_corpus(project, timeout=2 if how[0] == "--workers" else 0.5)
    result = scrape("clean", *how, cwd=project)
    assert result.returncode == 1, result.stderr  # finished, with two failed
    assert "zz_hang" in result.stderr and "clean.timeout" in result.stderr
    record = json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]
    assert record["num_examples"] == 5 + 24  # everything else was cleaned
    failed = {f["id"]: f["reason"] for f in record["run"]["failed"]}
    assert set(failed) == {"zz_hang", "zz_binary"}
    assert "took over" in failed["zz_hang"] and "binary" in failed["zz_binary"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_gives_the_same_bytes_as_the_process_pool(project, tmp_path, monkeypatch):
    import subprocess
    import sys
    import time
    from pathlib import Path

    from distributed import LocalCluster

    from scraper import load_config
    from scraper.pipeline import run_clean

    corpus(project)
    copies = {}
    for name in ("threads", "local", "external"):
        copies[name] = tmp_path / name
        shutil.copytree(project, copies[name])
    assert scrape("clean", "--workers", "2", cwd=project, env=EPOCH).returncode == 1  # zz_binary
    expected = tree_digest(project / "dataset")

    # an in-process cluster (starts in a blink), through the library
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        run_clean(
            load_config(copies["threads"] / "config.yaml"), scheduler=cluster.scheduler_address
        )
    assert tree_digest(copies["threads"] / "dataset") == expected

    # --scheduler local: a LocalCluster of processes
    local = scrape(
        "clean", "--scheduler", "local", "--workers", "2", cwd=copies["local"], env=EPOCH
    )
    assert local.returncode == 1, local.stderr  # zz_binary failed
    assert tree_digest(copies["local"] / "dataset") == expected

    # an existing cluster: dask scheduler + dask worker, connected to by address
    bin_dir = Path(sys.executable).parent
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [
                str(bin_dir / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        time.sleep(1.5)
        procs.append(
            subprocess.Popen(
                [
                    str(bin_dir / "dask"),
                    "worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        external = scrape("clean", "--scheduler", address, cwd=copies["external"], env=EPOCH)
        assert external.returncode == 1, external.stderr  # zz_binary failed
        assert tree_digest(copies["external"] / "dataset") == expected
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=20)
