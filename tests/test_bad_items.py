"""One bad item fails alone: a malformed url, timestamp, status line or date from an archive
is a failed capture with its reason, a source whose listing fails is named while the others
are collected, and a bad value in config.yaml is one line at load. Real local servers, the
real `scrape collect`, run twice: a rerun must not meet the same item as a traceback."""

import socket

import pytest
from archives import IAArchive, Page, Scripted
from conftest import scrape
from test_collect import story, wayback_source, write_config

from scraper import ConfigError, load_config
from scraper.sources import iter_store

HTML = {"Content-Type": "text/html; charset=utf-8"}


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
        assert result.returncode == 1 and not archive.hits
    assert result.stderr.strip().splitlines() == [
        "Error: config.yaml:9: sources[0].wayback.filter[0]: 'mime:(x': the regex does not "
        "compile (missing ), unterminated subpattern at position 0)"
    ]
