"""One bad item fails alone: a malformed url, timestamp, status line or date from an archive
is a failed capture with its reason, a source whose listing fails is named while the others
are collected, and a bad value in config.yaml is one line at load. Real local servers, the
real `scrape collect`, run twice: a rerun must not meet the same item as a traceback."""

import json
import socket
import sqlite3

import pytest
from archives import CommonCrawl, IAArchive, Page, Scripted, write_warc
from conftest import scrape
from test_collect import story, wayback_source, write_config

from scraper import ConfigError, load_config
from scraper.sources import iter_store

HTML = {"Content-Type": "text/html; charset=utf-8"}


def states(project) -> dict[str, tuple[str, str | None]]:
    """{capture url: (status, reason)} from the run state."""
    with sqlite3.connect(project / ".scraper" / "state.sqlite") as con:
        rows = con.execute("select url, status, reason from captures").fetchall()
    return {url: (status, reason) for url, status, reason in rows}


def collect_twice(project) -> str:
    """`scrape collect`, then again: both finish without a traceback, the first with its
    failures (status 1), the second with nothing left to try (0); the stderr of the first."""
    first = scrape("collect", cwd=project)
    assert first.returncode == 1 and "Traceback" not in first.stderr, first.stderr
    again = scrape("collect", cwd=project)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    return first.stderr


def cdx_lines(rows: list[dict]) -> bytes:
    """A pywb-style CDX answer: one JSON object per line."""
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def test_a_malformed_cdx_timestamp_or_row_fails_alone(project):
    good = {"url": "https://example-news.com/a", "timestamp": "20120622100000", "mime": "text/html"}
    rows = [
        good,
        {**good, "url": "https://example-news.com/b", "timestamp": "2020XX01"},
        {**good, "url": "https://example-news.com/c", "timestamp": "20121399000000"},
        {"url": "https://example-news.com/d", "mime": "text/html"},  # no timestamp at all
        {**good, "url": "http://[::1/"},  # the archive's record of a malformed url
    ]

    def answer(request):
        if request.path == "/cdx/search/cdx":
            return 200, {"Content-Type": "text/plain"}, cdx_lines(rows)
        return 200, HTML, story(1)

    with Scripted(answer) as archive:
        write_config(project, wayback_source(archive))
        stderr = collect_twice(project)
        replays = [r.path for r in archive.requests if r.path.startswith("/web/")]
    assert replays == ["/web/20120622100000id_/https://example-news.com/a"]  # once, no other
    seen = states(project)
    assert seen["https://example-news.com/a"] == ("fetched", None)
    for url, stamp in (("b", "'2020XX01'"), ("c", "'20121399000000'")):
        status, reason = seen[f"https://example-news.com/{url}"]
        assert status == "failed" and f"CDX timestamp {stamp} is not a capture time" in reason
    assert seen["http://[::1/"][0] == "failed" and "Invalid IPv6 URL" in seen["http://[::1/"][1]
    assert "1 index row(s) unusable" in stderr and "no 'timestamp' field" in stderr


def test_malformed_urls_from_a_urls_file_or_a_redirect_fail_alone(project):
    def answer(request):
        if request.path == "/moved":
            return 302, {"Location": "http://[::1/"}, b""
        return 200, HTML, story(2)

    with Scripted(answer) as site:
        bad = ["http://127.0.0.1:99999/", "http://[::1/", f"{site.url}/moved"]
        (project / "urls.txt").write_text("\n".join([*bad, f"{site.url}/fine"]) + "\n")
        write_config(project, "  - urls: {file: urls.txt}\n")
        collect_twice(project)
        assert site.hits["/moved"] == 1 and site.hits["/fine"] == 1
    seen = states(project)
    assert seen[f"{site.url}/fine"] == ("fetched", None)
    expected = ["Port out of range", "Invalid IPv6 URL", "redirect to a malformed url"]
    for url, why in zip(bad, expected, strict=True):
        status, reason = seen[url]
        assert status == "failed" and why in reason, (url, reason)


def test_malformed_common_crawl_records_fail_alone(project, tmp_path):
    pages = [
        Page(f"https://example-news.com/2024/12/0{i}/story", "20241201100000", story(i))
        for i in range(3)
    ]
    pages[1].status = "abc OK"
    pages[2].warc_date = "yesterday"
    warc = tmp_path / "CC-MAIN-20241201-00001.warc.gz"
    spans = write_warc(warc, pages)
    with CommonCrawl("CC-MAIN-2024-51", warc, pages, spans) as cc:
        write_config(
            project,
            f"  - commoncrawl:\n      index: {cc.url}\n      data: {cc.url}/data\n"
            "      crawls: [CC-MAIN-2024-51]\n      urls: [example-news.com/]\n"
            "      match: prefix\n      filter: ['mime:text/html']\n",
        )
        collect_twice(project)
        assert cc.hits[f"/data/crawl-data/CC-MAIN-2024-51/{warc.name}"] == 3  # each asked once
    seen = states(project)
    assert seen[pages[0].url] == ("fetched", None)
    assert seen[pages[1].url][0] == "failed"
    assert "HTTP status line 'abc OK' has no status code" in seen[pages[1].url][1]
    assert seen[pages[2].url][0] == "failed"
    assert "WARC-Date 'yesterday' is not a date" in seen[pages[2].url][1]
    assert [c.url for c in iter_store(project / ".scraper" / "warc")] == [pages[0].url]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_source_is_named_and_the_others_are_collected(project):
    good = Page("https://example-news.com/2012/06/23/talks", "20120623100000", story(2))
    html_page = (200, HTML, b"<html><body><h1>Please log in</h1></body></html>")
    nowhere = f"http://127.0.0.1:{closed_port()}"
    with Scripted(lambda request: html_page) as login, IAArchive([good]) as archive:
        write_config(
            project,
            wayback_source(login)
            + wayback_source(archive)
            + f"  - commoncrawl:\n      index: {nowhere}\n      data: {nowhere}\n"
            "      crawls: [CC-MAIN-2024-51]\n      urls: [example-news.com/]\n",
        )
        for _ in range(2):  # the rerun says the same and fetches nothing again
            result = scrape("collect", cwd=project)
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            errors = [x for x in result.stderr.splitlines() if x.startswith("error: ")]
            assert len(errors) == 2, result.stderr
            assert errors[0].startswith(f"error: sources[0].wayback: {login.url}/cdx/search/cdx:")
            assert "not CDX JSON" in errors[0] and "Please log in" in errors[0]
            assert errors[1].startswith("error: sources[2].commoncrawl: ")
            assert "ConnectError" in errors[1]
        assert archive.hits[f"/web/{good.timestamp}id_/{good.url}"] == 1
    assert [c.url for c in iter_store(project / ".scraper" / "warc")] == [good.url]


BAD_CONFIG = [
    (
        "      urls: [example.com/]\n      filter: ['statuscode:(200']\n",
        r"c\.yaml:4: sources\[0\]\.wayback\.filter\[0\]: 'statuscode:\(200': the regex does not",
    ),
    (
        "      urls: [example.com/]\n      filter: [statuscode]\n",
        r"sources\[0\]\.wayback\.filter\[0\]: 'statuscode' is not a filter: write \[!\]field:regex",
    ),
    (
        "      urls: [example.com/, 'example.com:99999/']\n",
        r"c\.yaml:3: sources\[0\]\.wayback\.urls\[1\]: 'example.com:99999/': not a url \(Port",
    ),
    (
        "      urls: [example.com/]\n      cdx: 'http://[::1/cdx'\n",
        r"c\.yaml:4: sources\[0\]\.wayback\.cdx: 'http://\[::1/cdx': not a url \(Invalid IPv6",
    ),
    (
        "      urls: [example.com/]\n      replay: web.archive.org/web\n",
        r"sources\[0\]\.wayback\.replay: 'web.archive.org/web': only http and https urls",
    ),
]
BAD_OTHER = [
    (
        "sources:\n  - commoncrawl:\n      crawls: [x]\n      urls: [example.com/]\n"
        "      index: 'https://index.commoncrawl.org:port'\n",
        r"c\.yaml:5: sources\[0\]\.commoncrawl\.index: .*not a url \(Port could not be cast",
    ),
    (
        "sources:\n  - urls: {list: ['http://127.0.0.1:99999/']}\n",
        r"c\.yaml:2: sources\[0\]\.urls\.list\[0\]: 'http://127.0.0.1:99999/': not a url",
    ),
    (
        "sources:\n  - urls:\n      list: ['https://example.org/', 'mailto:me@example.org']\n",
        r"c\.yaml:3: sources\[0\]\.urls\.list\[1\]: 'mailto:me@example.org': only http and",
    ),
    (
        "discover:\n  archive: {cdx: 'https://[web.archive.org/cdx'}\n",
        r"c\.yaml:2: discover\.archive\.cdx: .*not a url",
    ),
]


@pytest.mark.parametrize(
    "text,message",
    [(f"sources:\n  - wayback:\n{body}", message) for body, message in BAD_CONFIG] + BAD_OTHER,
)
def test_bad_urls_and_filters_are_config_errors_at_load(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as e:
        load_config(path)
    assert "\n" not in str(e.value)


def test_a_bad_filter_stops_collect_before_anything_is_asked(project):
    with IAArchive([]) as archive:
        write_config(project, wayback_source(archive).replace("mimetype:text/html", "mime:(x"))
        result = scrape("collect", cwd=project)
        assert result.returncode == 2 and not archive.hits  # a config error
    assert result.stderr.strip().splitlines() == [
        "Error: config.yaml:9: sources[0].wayback.filter[0]: 'mime:(x': the regex does not "
        "compile (missing ), unterminated subpattern at position 0)"
    ]
