"""The collector against a real pywb: CDX API, `id_` replay, redirects, errors, encodings."""

import pytest
from archives import Page, article, gz
from conftest import load, scrape
from pywb_server import Pywb
from test_collect import site_pages, story, write_config

from scraper.sources import iter_store


@pytest.fixture(scope="session")
def pywb(tmp_path_factory):
    pages = site_pages() + [
        Page(
            "https://example-news.com/2012/06/22/evacuation",
            "20120801100000",
            story(1, "Russia prepares evacuation"),
        ),
        Page(
            "https://other-site.org/2012/01/01/a", "20120101100000", article("Other", ["x " * 80])
        ),
    ]
    server = Pywb(tmp_path_factory.mktemp("pywb"), pages)
    yield server
    server.stop()


def source(pywb, **extra) -> str:
    lines = [
        f"cdx: {pywb.url}/cdx/search/cdx",
        f"replay: {pywb.url}/web",
        "urls: [example-news.com/]",
        "match: prefix",
        "filter: ['mimetype:text/html']",
        *[f"{k}: {v}" for k, v in extra.items()],
    ]
    return "  - wayback:\n" + "".join(f"      {line}\n" for line in lines)


def test_collect_from_pywb_then_clean(project, pywb):
    write_config(project, source(pywb, collapse="null"))
    result = scrape("collect", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "captured HTTP 404" in result.stderr
    captures = list(iter_store(project / ".scraper" / "warc"))
    urls = sorted(c.url for c in captures)
    assert urls.count("https://example-news.com/2012/06/22/evacuation") == 3  # three dates
    assert "https://example-news.com/2012/06/23/talks" in urls  # also the redirect's target
    assert not any(u.endswith(("/old-link", "/missing", "logo.png")) for u in urls)
    assert len({(c.url, c.capture_time) for c in captures}) == len(captures)
    gzipped = next(c for c in captures if c.url.endswith("/gzip"))
    assert b"Compressed story" in gzipped.content
    assert {c.capture_time.year for c in captures} == {2012}
    cleaned = scrape("clean", cwd=project)
    assert cleaned.returncode == 0, cleaned.stderr
    rows = list(load(project / "dataset"))
    assert len(rows) == len({c.content for c in captures})  # same text captured again: one row
    assert all(r["source"] == "wayback" and r["capture_time"] for r in rows)


def test_pywb_ignores_collapse_and_limit_we_apply_them(project, pywb):
    write_config(project, source(pywb, collapse="urlkey", limit=2))
    dry = scrape("collect", "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    listed = [
        line.split("\t")[2] for line in dry.stdout.splitlines() if line.startswith("wayback\t")
    ]
    assert len(listed) == 2 and len(set(listed)) == 2


def test_no_captures_from_pywb_is_an_empty_result(project, pywb):
    write_config(project, source(pywb).replace("example-news.com/", "never-archived.net/"))
    result = scrape("collect", cwd=project)
    assert result.returncode == 0, result.stderr
    assert list(iter_store(project / ".scraper" / "warc")) == []


def test_a_date_window_limits_the_captures(project, pywb):
    write_config(
        project, source(pywb, **{"from": "2012-06-01", "to": "2012-06-30", "collapse": "null"})
    )
    dry = scrape("collect", "--dry-run", cwd=project)
    stamps = [
        line.split("\t")[1] for line in dry.stdout.splitlines() if line.startswith("wayback\t")
    ]
    assert stamps and all(s.startswith("201206") for s in stamps)


def test_gz_helper_is_deterministic():
    assert gz(b"x") == gz(b"x")
