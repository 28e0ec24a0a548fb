from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# `datasets` and `huggingface_hub` read these when first imported: set them before any
# test module imports scraper (which imports datasets). Tests never reach the network.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="scraper-tests-hf-")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "exemplars" / "gold.jsonl").exists():
        pytest.skip(
            f"{SHARED} is missing: the exemplar score is checked where it is beside the project"
        )
    return SHARED


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


def load(path: Path, config: str | None = None, **kwargs):
    """The real `datasets.load_dataset` on a dataset folder, with a fresh cache."""
    from datasets import load_dataset

    cache = tempfile.mkdtemp(prefix="scraper-tests-cache-")
    return load_dataset(str(path), config, split="train", cache_dir=cache, **kwargs)


def tree_digest(folder: Path) -> dict[str, str]:
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
