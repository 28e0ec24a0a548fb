"""A real pywb Wayback server on 127.0.0.1, over WARC files the tests write.

pywb runs as a subprocess from its own virtual environment (it pins old libraries and
patches the process with gevent, so it is never imported here). The environment is made
once, at `.venv-pywb` beside the project's `.venv`, or taken from SCRAPER_PYWB_PYTHON.
Collections `web` and `cdx` with `cdx_api_endpoint: /search/cdx` give the same paths as
web.archive.org: /cdx/search/cdx and /web/<timestamp>id_/<url>.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from archives import Page, write_warc

ROOT = Path(__file__).resolve().parent.parent


def pywb_python() -> str:
    if os.environ.get("SCRAPER_PYWB_PYTHON"):
        return os.environ["SCRAPER_PYWB_PYTHON"]
    venv = ROOT / ".venv-pywb"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pywb"], check=True)
    return str(python)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pywb:
    def __init__(self, folder: Path, pages: list[Page]) -> None:
        self.folder = folder
        python = pywb_python()
        web = folder / "collections" / "web"
        (web / "archive").mkdir(parents=True)
        (web / "indexes").mkdir()
        write_warc(web / "archive" / "captures.warc.gz", pages)
        subprocess.run(
            [
                python,
                "-m",
                "pywb.indexer.cdxindexer",
                "-j",
                "-s",
                "-o",
                str(web / "indexes" / "index.cdxj"),
                str(web / "archive"),
            ],
            check=True,
            capture_output=True,
        )
        shutil.copytree(web, folder / "collections" / "cdx")
        (folder / "config.yaml").write_text(
            "collections_root: collections\ncdx_api_endpoint: /search/cdx\n"
        )
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(folder / "pywb.log", "wb")
        self.proc = subprocess.Popen(
            [python, "-m", "pywb.apps.cli", "-p", str(self.port), "-b", "127.0.0.1"],
            cwd=folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if (
                    httpx.get(
                        f"{self.url}/cdx/search/cdx?url=example.invalid/", timeout=1
                    ).status_code
                    < 500
                ):
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"pywb did not start: {(folder / 'pywb.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()
