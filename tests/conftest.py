from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "exemplars" / "gold.jsonl").exists():
        pytest.fail(f"{SHARED} is missing: the exemplars and benchmarks live beside the project")
    return SHARED


@pytest.fixture
def hf_offline(tmp_path, monkeypatch) -> dict[str, str]:
    """`datasets` with no network and a cache of its own."""
    env = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


@pytest.fixture
def project(tmp_path) -> Path:
    """A user's project folder: the seeds and the shipped config.yaml."""
    work = tmp_path / "project"
    work.mkdir()
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copy(ROOT / "config.yaml", work / "config.yaml")
    return work


def scrape(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed `scrape` command as a user would."""
    exe = Path(sys.executable).parent / "scrape"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "scraper.cli"]
    return subprocess.run(
        [*cmd, *args],
        cwd=cwd,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def load(path: Path, config: str | None = None):
    from datasets import load_dataset

    return load_dataset(str(path), config, split="train")
