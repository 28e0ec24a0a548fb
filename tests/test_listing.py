"""Listing captures from index servers that page badly: repeated resume keys or pages, a
row limit with no way on (pywb), and Common Crawl's numbered pages."""

import asyncio
import json

import pytest
from archives import Scripted

from scraper.config import CommonCrawlSource, FetchConfig, PerHost, WaybackSource
from scraper.fetch import Fetcher
from scraper.sources import wayback
from scraper.sources.commoncrawl import list_commoncrawl
from scraper.sources.wayback import list_wayback

FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
BOUND = 50  # a server in these tests stops misbehaving after this many requests


def ia_row(i: int) -> list[str]:
    return [
        f"com,example)/a{i}",
        "20120622100000",
        f"https://example.com/a{i}",
        "text/html",
        "200",
        f"D{i}",
        "100",
    ]


def ia_page(rows: list[list[str]], resume: str | None = None) -> tuple[int, dict, bytes]:
    """An Internet Archive CDX answer: a header row, the rows, then [] and the resume key."""
    data = [FIELDS, *rows] + ([[], [resume]] if resume else [])
    return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


def lines(rows: list[dict]) -> tuple[int, dict, bytes]:
    """A pywb or Common Crawl answer: one JSON object per line."""
    return 200, {"Content-Type": "text/plain"}, "".join(json.dumps(r) + "\n" for r in rows).encode()


def cc_row(i: int) -> dict[str, str]:
    return {
        "urlkey": f"com,example)/a{i}",
        "timestamp": "20241201000000",
        "url": f"https://example.com/a{i}",
        "mime": "text/html",
        "status": "200",
        "digest": f"CC{i}",
        "length": "100",
        "offset": str(100 * i),
        "filename": "crawl-data/CC-TEST/x.warc.gz",
    }


@pytest.fixture(scope="module")
def server():
    with Scripted(lambda request: (404, {}, b"")) as s:
        yield s


def listed(server: Scripted, answer, list_source, src):
    server.reset(answer)
    config = FetchConfig(retries=0, timeout=2, per_host=PerHost(concurrency=2, min_interval=0))

    async def go():
        async with Fetcher(config) as f:
            return await list_source(src, f)

    return asyncio.run(go())


def ia_source(server: Scripted) -> WaybackSource:
    return WaybackSource(
        cdx=f"{server.url}/cdx",
        replay=f"{server.url}/web",
        urls=["example.com/"],
        match="prefix",
        filter=[],
        collapse=None,
    )


def cc_source(server: Scripted) -> CommonCrawlSource:
    return CommonCrawlSource(
        index=server.url,
        data=f"{server.url}/data",
        crawls=["CC-TEST"],
        urls=["example.com/"],
        match="prefix",
    )


def test_a_resume_key_given_twice_ends_the_listing(server):
    def answer(request):
        return ia_page([ia_row(request.n)], None if request.n > BOUND else "same")

    found = listed(server, answer, list_wayback, ia_source(server))
    assert server.hits["/cdx"] == 2
    assert [x.url for x in found] == ["https://example.com/a1", "https://example.com/a2"]
    assert found.warnings == [
        f"{server.url}/cdx (example.com/): the index gave resume key 'same' a second time; "
        "listing stopped there"
    ]


def test_a_page_of_rows_listed_already_ends_the_listing(server):
    def answer(request):
        return ia_page([ia_row(0)], None if request.n > BOUND else f"key{request.n}")

    found = listed(server, answer, list_wayback, ia_source(server))
    assert server.hits["/cdx"] == 2 and len(found) == 1
    assert found.warnings == [
        f"{server.url}/cdx (example.com/): the index answered a page of rows listed already; "
        "listing stopped there"
    ]


@pytest.mark.parametrize("captures,cut", [(5, True), (2, False)])
def test_a_listing_cut_at_the_row_limit_without_a_resume_key_is_reported(
    server, monkeypatch, captures, cut
):
    monkeypatch.setattr(wayback, "PAGE_SIZE", 3)
    rows = [dict(zip(FIELDS, ia_row(i), strict=True)) for i in range(captures)]

    def answer(request):  # pywb: JSON lines, at most `limit` of them, no resume key
        return lines(rows[: int(request.query["limit"][0])])

    found = listed(server, answer, list_wayback, ia_source(server))
    assert len(found) == min(captures, 3) and server.hits["/cdx"] == 1
    assert found.warnings == (
        [
            f"{server.url}/cdx (example.com/): the index stopped at 3 rows, the most asked for, "
            "with no resume key to go on; captures past them, if any, are not listed (narrow "
            "the query: from/to, urls)"
        ]
        if cut
        else []
    )


def cc_pages(rows: list[dict], size: int):
    """The Common Crawl index server: `showNumPages` says how many pages, `page` picks one
    (the first when none is named)."""

    def answer(request):
        if request.query.get("showNumPages") == ["true"]:
            pages = -(-len(rows) // size)
            return 200, {}, json.dumps({"pages": pages, "pageSize": size, "blocks": pages}).encode()
        page = int(request.query.get("page", ["0"])[0])
        return (
            lines(rows[page * size : (page + 1) * size])
            if page * size < len(rows)
            else (404, {}, b"")
        )

    return answer


def test_every_common_crawl_index_page_is_read(server):
    rows = [cc_row(i) for i in range(7)]
    found = listed(server, cc_pages(rows, 3), list_commoncrawl, cc_source(server))
    assert sorted(x.url for x in found) == sorted(r["url"] for r in rows)
    asked = [(r.query.get("showNumPages"), r.query.get("page")) for r in server.requests]
    assert asked == [(["true"], None), (None, ["0"]), (None, ["1"]), (None, ["2"])]
    assert found.warnings == []


def test_a_common_crawl_page_repeating_rows_ends_the_listing(server):
    def answer(request):
        if request.query.get("showNumPages"):
            return 200, {}, json.dumps({"pages": 1000, "pageSize": 5, "blocks": 5000}).encode()
        return lines([cc_row(0), cc_row(1)])

    found = listed(server, answer, list_commoncrawl, cc_source(server))
    assert len(found) == 2 and server.hits["/CC-TEST-index"] == 3
    assert found.warnings == [
        f"{server.url}/CC-TEST-index (example.com/): the index answered a page of rows listed "
        "already; listing stopped there"
    ]


@pytest.mark.parametrize("status,rows", [(200, 4), (404, 0)])
def test_a_common_crawl_index_that_does_not_page_is_read_in_one_answer(server, status, rows):
    def answer(request):  # showNumPages ignored: the rows, or 404 when there are none
        return lines([cc_row(i) for i in range(rows)]) if status == 200 else (404, {}, b"{}")

    found = listed(server, answer, list_commoncrawl, cc_source(server))
    assert len(found) == rows and server.hits["/CC-TEST-index"] == 1 and found.warnings == []
