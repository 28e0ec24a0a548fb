"""`scrape collect` against local archives on 127.0.0.1, then `scrape clean` on what it kept."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from archives import CommonCrawl, Faults, IAArchive, Page, Scripted, article, gz, write_warc
from conftest import load, scrape

from scraper.sources import iter_store

WORDS = (
    "Russian officials said on Tuesday that the navy would keep its supply point in the "
    "Syrian port of Tartus open despite the fighting, according to the ministry statement. "
)


def story(n: int, title: str | None = None) -> bytes:
    title = title or f"Story number {n} about Tartus"
    return article(title, [WORDS * 2, f"Paragraph {n} adds detail. " + WORDS, WORDS])


def site_pages() -> list[Page]:
    html = (("Content-Type", "text/html"),)
    return [
        Page(
            "https://example-news.com/2012/06/22/evacuation",
            "20120622100000",
            story(1, "Russia prepares evacuation"),
        ),
        Page(
            "https://example-news.com/2012/06/22/evacuation",
            "20120701100000",
            story(1, "Russia prepares evacuation"),
        ),
        Page(
            "https://example-news.com/2012/06/23/talks",
            "20120623100000",
            story(2, "Talks in Geneva"),
        ),
        Page(
            "https://example-news.com/old-link",
            "20120624100000",
            b"moved",
            "301 Moved Permanently",
            html + (("Location", "https://example-news.com/2012/06/23/talks"),),
        ),
        Page(
            "https://example-news.com/2012/06/25/missing",
            "20120625100000",
            b"not here",
            "404 Not Found",
            html,
        ),
        Page(
            "https://example-news.com/logo.png",
            "20120625100000",
            b"\x89PNG\r\n\x1a\n",
            "200 OK",
            (("Content-Type", "image/png"),),
        ),
        Page(
            "https://example-news.com/2012/06/26/gzip",
            "20120626100000",
            gz(story(3, "Compressed story")),
            "200 OK",
            html + (("Content-Encoding", "gzip"),),
        ),
    ]


def write_config(project: Path, sources: str, **fetch) -> None:
    settings = {
        "concurrency": 4,
        "per_host": "{concurrency: 2, min_interval: 0}",
        "retries": 1,
        "timeout": 5,
        "allow_private": "true",
        **fetch,
    }
    lines = "\n".join(f"  {k}: {v}" for k, v in settings.items())
    (project / "config.yaml").write_text(
        f"dataset: {{name: test-news, dir: dataset}}\nwork_dir: .scraper\nsources:\n{sources}\n"
        f"fetch:\n{lines}\nfilters: {{min_words: 20}}\n"
    )


def wayback_source(archive) -> str:
    return (
        f"  - wayback:\n      cdx: {archive.url}/cdx/search/cdx\n      replay: {archive.url}/web\n"
        f"      urls: [example-news.com/]\n      match: prefix\n      filter: ['mimetype:text/html']\n"
        f"      collapse: null\n"
    )


def test_wayback_collect_then_clean(project):
    with IAArchive(site_pages(), page_size=2) as archive:  # paging: resume keys every 2 rows
        write_config(project, wayback_source(archive))
        dry = scrape("collect", "--dry-run", cwd=project)
        assert dry.returncode == 0, dry.stderr
        assert dry.stdout.count("wayback\t") == 6  # the png is filtered out
        assert not any(p.startswith("/web/") for p in archive.hits)
        result = scrape("collect", cwd=project)
        assert result.returncode == 0, result.stderr
        assert "captured HTTP 404" in result.stderr and "same capture" in result.stderr
        replays = {p: n for p, n in archive.hits.items() if p.startswith("/web/")}
        assert all(n == 1 for n in replays.values())
        # the captured redirect was resolved in the archive, never on the live web
        assert "/web/20120624100000id_/https://example-news.com/2012/06/23/talks" in replays
        again = scrape("collect", cwd=project)
        assert again.returncode == 0
        assert {p: n for p, n in archive.hits.items() if p.startswith("/web/")} == replays
    captures = list(iter_store(project / ".scraper" / "warc"))
    assert sorted(c.url for c in captures) == sorted(
        [
            "https://example-news.com/2012/06/22/evacuation",
            "https://example-news.com/2012/06/22/evacuation",
            "https://example-news.com/2012/06/23/talks",  # /old-link led here too: kept once
            "https://example-news.com/2012/06/26/gzip",
        ]
    )
    gzipped = next(c for c in captures if c.url.endswith("/gzip"))
    assert b"Compressed story" in gzipped.content  # decoded from the raw gzip body
    cleaned = scrape("clean", cwd=project)
    assert cleaned.returncode == 0, cleaned.stderr
    rows = list(load(project / "dataset"))
    assert len(rows) == 3  # no seeds source; the later capture of the same text is a duplicate
    archived = [r for r in rows if r["source"] == "wayback"]
    assert len({r["id"] for r in archived}) == 3
    evacuation = [c for c in captures if c.url.endswith("/evacuation")]
    kept = next(r for r in rows if r["url"] and r["url"].endswith("/evacuation"))
    assert kept["capture_time"] == min(c.capture_time for c in evacuation)  # the earliest stays
    assert {r["title"] for r in archived} == {
        "Russia prepares evacuation",
        "Talks in Geneva",
        "Compressed story",
    }
    assert all(r["capture_time"] is not None for r in archived)


def test_a_listing_cut_short_is_a_warning_in_the_summary_and_the_dry_run(project):
    page = Page("https://example-news.com/2012/06/23/talks", "20120623100000", story(2))
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"]
    row = [page.urlkey, page.timestamp, page.url, "text/html", "200", "D1"]

    def answer(request):  # the same page every time (a bounded number of times)
        rows = [header, row] + ([[], ["again"]] if request.n < 50 else [])
        return 200, {"Content-Type": "application/json"}, json.dumps(rows).encode()

    with Scripted(answer) as archive:
        write_config(project, wayback_source(archive))
        for args in (["--dry-run"], []):
            result = scrape("collect", *args, cwd=project)
            assert result.returncode == 0, result.stderr
            assert "warning: " in result.stderr and "a page of rows listed already" in result.stderr
        assert archive.hits["/cdx/search/cdx"] == 4


def test_zero_captures_is_not_an_error(project):
    with IAArchive([]) as archive:
        write_config(project, wayback_source(archive))
        result = scrape("collect", cwd=project)
        assert result.returncode == 0, result.stderr


def test_common_crawl_index_and_range_requests(project, tmp_path):
    pages = [p for p in site_pages() if p.status.startswith("200") and p.mime == "text/html"]
    warc = tmp_path / "CC-MAIN-20241201-00001.warc.gz"
    spans = write_warc(warc, pages)
    with CommonCrawl("CC-MAIN-2024-51", warc, pages, spans) as cc:
        write_config(
            project,
            (
                f"  - commoncrawl:\n      index: {cc.url}\n      data: {cc.url}/data\n"
                f"      crawls: [CC-MAIN-2024-51]\n      urls: [example-news.com/, nothing-here.org/]\n"
            ),
        )
        result = scrape("collect", cwd=project)
        assert result.returncode == 0, result.stderr
        assert cc.hits["/CC-MAIN-2024-51-index"] == 2  # one of them answered 404: no captures
    captures = list(iter_store(project / ".scraper" / "warc"))
    assert len(captures) == len(pages)
    assert {c.source for c in captures} == {"commoncrawl"}
    assert any(b"Compressed story" in c.content for c in captures)


def test_live_urls_and_private_address_refusal(project):
    with Faults() as faults:
        write_config(project, f"  - urls: {{list: ['{faults.url}/flaky/0']}}\n")
        assert scrape("collect", cwd=project).returncode == 0
        assert len(list(iter_store(project / ".scraper" / "warc"))) == 1
        (project / ".scraper").rename(project / ".scraper-old")
        write_config(
            project, f"  - urls: {{list: ['{faults.url}/flaky/1']}}\n", allow_private="false"
        )
        result = scrape("collect", cwd=project)
        assert result.returncode == 1  # finished, with a failure
        assert "non-public address" in result.stderr
        assert faults.hits["/flaky/1"] == 0


def test_local_warc_files_are_a_source(project, tmp_path):
    (project / "archives").mkdir()
    pages = [p for p in site_pages() if p.status.startswith("200") and p.mime == "text/html"]
    write_warc(project / "archives" / "a.warc.gz", pages[:2])
    write_warc(project / "archives" / "b.warc.gz", pages[2:])
    write_config(project, "  - warc: {paths: ['archives/*.warc.gz']}\n")
    assert scrape("clean", cwd=project).returncode == 0
    rows = list(load(project / "dataset"))
    assert {r["source"] for r in rows} == {"warc"} and len(rows) == 3  # one exact duplicate


def test_collect_with_only_local_sources_says_clean_reads_them(project, tmp_path):
    (project / "archives").mkdir()
    write_warc(project / "archives" / "a.warc.gz", site_pages()[:1])
    write_config(project, "  - seeds: {dir: seeds}\n  - warc: {paths: ['archives/*.warc.gz']}\n")
    result = scrape("collect", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0].startswith("nothing to collect: these sources are local files, read where")
    assert "`scrape clean`" in lines[0]
    assert lines[1:3] == ["  seeds: seeds/*.txt", "  warc: archives/*.warc.gz"]
    assert "wayback, commoncrawl, urls" in lines[3]
    assert "listed (new)" not in result.stderr  # no empty table


def test_kill_9_mid_run_then_rerun_loses_and_refetches_nothing(project):
    pages = [
        Page(
            f"https://example-news.com/2012/07/{i:02d}/story-{i}",
            f"201207{(i % 28) + 1:02d}100000",
            story(i),
        )
        for i in range(60)
    ]
    with IAArchive(pages) as archive:
        write_config(
            project,
            wayback_source(archive),
            concurrency=2,
            per_host="{concurrency: 2, min_interval: 0.04}",
        )
        exe = Path(sys.executable).parent / "scrape"
        proc = subprocess.Popen(
            [str(exe), "collect"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        db = project / ".scraper" / "state.sqlite"
        deadline = time.time() + 60
        fetched = 0
        while time.time() < deadline and fetched < 15:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db) as con:
                        fetched = con.execute(
                            "select count(*) from captures where status='fetched'"
                        ).fetchone()[0]
                except sqlite3.OperationalError:
                    pass
        assert fetched >= 15 and proc.poll() is None, "the run ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = dict(archive.hits)
        result = scrape("collect", cwd=project)
        assert result.returncode == 0, result.stderr
        replays = {p: n for p, n in archive.hits.items() if p.startswith("/web/")}
        assert len(replays) == 60
        # fetched twice only if it was in flight at the kill (at most `concurrency` of them)
        twice = [p for p, n in replays.items() if n > 1]
        assert len(twice) <= 2 and all(replays[p] == 2 for p in twice)
        assert all(before.get(p, 0) <= 1 for p in replays)
    captures = list(iter_store(project / ".scraper" / "warc"))
    assert (
        len(captures) == 60 and len({c.url for c in captures}) == 60
    )  # no duplicate, no torn record
    assert not list((project / ".scraper" / "warc").glob("*.open"))
    with sqlite3.connect(project / ".scraper" / "state.sqlite") as con:
        assert con.execute("select status, count(*) from captures group by status").fetchall() == [
            ("fetched", 60)
        ]


def test_a_torn_tail_is_cut_back_and_its_whole_records_recovered(tmp_path):
    from datetime import datetime, timezone

    from scraper.fetch import WarcStore
    from scraper.fetch.client import Response
    from scraper.models import Listing

    store = WarcStore(tmp_path / "warc")
    when = datetime(2012, 6, 22, tzinfo=timezone.utc)
    for i in range(3):
        x = Listing(
            "wayback", f"https://example-news.com/{i}", "20120622000000", f"http://archive/{i}"
        )
        store.write(
            x, Response(x.fetch, 200, "OK", [("Content-Type", "text/html")], story(i), 1), when, {}
        )
    open_file = next((tmp_path / "warc").glob("*.open"))
    whole = open_file.stat().st_size
    with open(open_file, "ab") as f:  # a record cut off by kill -9
        f.write(b"\x1f\x8b\x08\x00" + b"partial gzip member" * 10)
    store._file = None  # the killed process never closed it

    recovered: dict[str, str] = {}
    WarcStore(tmp_path / "warc").recover(recovered.update)
    assert sorted(recovered) == [
        f"wayback|20120622000000|https://example-news.com/{i}" for i in range(3)
    ]
    closed = next((tmp_path / "warc").glob("*.warc.gz"))
    assert closed.stat().st_size == whole and not list((tmp_path / "warc").glob("*.open"))
    assert len(list(iter_store(tmp_path / "warc"))) == 3


def test_limit_and_a_file_of_urls(project):
    with Faults() as faults:
        (project / "urls.txt").write_text(
            "# one url a line\n" + "".join(f"{faults.url}/flaky/0?n={i}\n" for i in range(5))
        )
        write_config(project, "  - urls: {file: urls.txt}\n")
        result = scrape("collect", "--limit", "2", cwd=project)
        assert result.returncode == 0, result.stderr
        assert len(list(iter_store(project / ".scraper" / "warc"))) == 2
        assert scrape("collect", cwd=project).returncode == 0
        assert len(list(iter_store(project / ".scraper" / "warc"))) == 5
        assert sorted(faults.hits.values()) == [1] * 5  # the first two were not fetched again
