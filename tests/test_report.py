"""`scrape report`, checked in a real headless Chromium with the network blocked."""

import re
import shutil
import subprocess

import pytest
from conftest import load, scrape
from PIL import Image

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    # offline: every host unresolvable, every request through a dead proxy
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt-get on a fresh machine (no browser download)."""
    exe = shutil.which("chromium")
    if exe is None and shutil.which("apt-get"):
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True
        )
        exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is needed for the report test: apt-get install chromium")
    return exe


def test_report_renders_offline_in_chromium(project, chromium, tmp_path):
    assert scrape("clean", cwd=project).returncode == 0
    result = scrape("report", "-o", "report.html", cwd=project)
    assert result.returncode == 0, result.stderr
    page = project / "report.html"
    source = page.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", source), (
        "the page must not load anything"
    )
    assert "<script" not in source

    profile = str(tmp_path / "profile")
    dom = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    rows = list(load(project / "dataset"))
    removed = sum(1 for r in rows for x in r["removed"])
    assert dom.count("<svg") == 6  # source, publisher, language, month, kind, rule
    assert (
        dom.count('<rect class="bar"') == 1 + 4 + 1 + 3
    )  # one bar per source/publisher/language/month
    assert dom.count('<details class="doc"') == 5
    assert dom.count("<del") >= removed  # every removal struck through in place (and examples)
    assert "dailykos-my-diaries" in dom and "Filters and failures" in dom

    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text and charts, not a blank page
    blue = sum(n for n, (r, g, b) in colours if b > 150 and r < 90)  # the chart bars
    assert blue > 1000


def test_report_of_an_unknown_version_is_one_line(project):
    assert scrape("clean", cwd=project).returncode == 0
    result = scrape("report", "9.9.9", cwd=project)
    assert result.returncode == 1 and "no version 9.9.9" in result.stderr


def test_an_old_versions_report_shows_that_versions_removals(project):
    """Built from the version's rows: a rule added later does not show in v1.0.0's report."""
    from scraper.config import load_config
    from scraper.report import build_report

    assert scrape("clean", cwd=project).returncode == 0
    (project / "extra.yaml").write_text(
        "publisher: Daily Kos\nversions:\n  - id: v1\n    text:\n      drop_lines:\n"
        "        - {name: extra-russia, kind: test-kind, pattern: 'Russia', max_words: 400}\n"
    )
    cfg = (project / "config.yaml").read_text().replace("rules: []", "rules: [extra.yaml]")
    (project / "config.yaml").write_text(cfg)
    result = scrape("clean", cwd=project)
    assert "new version" in result.stderr, result.stderr
    config = load_config(project / "config.yaml")
    assert "extra-russia" not in build_report(config, "1.0.0")
    assert "extra-russia" in build_report(config, "latest")
