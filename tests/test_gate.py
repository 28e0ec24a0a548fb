"""Only articles reach the dataset: the record gate, decoding, page type, damaged input,
the richer copy of a duplicate — on real WARC records written by warcio."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import load, scrape
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import clean
from scraper.config import load_config
from scraper.filters import build_stage
from scraper.filters.page_type import classify
from scraper.filters.records import sniff
from scraper.models import Capture, PageEvidence
from scraper.sources import SOURCES, for_listing, sources_of
from scraper.sources.warcfile import read_warc

PARAS = [
    "The Russian navy began moving its ships out of the Syrian port of Tartus on Tuesday, "
    "officials in Moscow said, as the government in Damascus lost control of the coast.",
    "The ministry said the vessels would sail to the Black Sea fleet base in Sevastopol and "
    "that no personnel would remain at the facility, used for repairs since 1971.",
    "Analysts said the withdrawal marked the end of a naval presence that had lasted half a "
    "century and had been a cornerstone of Moscow's policy in the Middle East.",
    "Diplomats in Beirut said the evacuation had been planned for weeks, and that the last "
    "ship was expected to leave before the end of the month, weather permitting.",
]
ARTICLE_URL = "https://news.example.com/2013/04/11/russia-navy-leaves-tartus"


def article_page(title: str = "Russian navy leaves Tartus", charset: str = "utf-8") -> str:
    ps = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1><p>By Anna Smith</p>{ps}</article></body></html>"
    )


def listing_page() -> bytes:
    items = "".join(
        f'<div class="teaser"><h2><a href="/2013/04/{i:02}/story-number-{i}">Story number {i} '
        f"about the war</a></h2><p>A short teaser of the story {i}, in one sentence.</p></div>"
        for i in range(1, 13)
    )
    return f"<html><head><title>Tag: Syria</title></head><body>{items}</body></html>".encode()


class Warc:
    """A WARC file of records of every kind, written by warcio."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.f = open(path, "wb")
        self.w = WARCWriter(self.f, gzip=True)

    def response(self, url, body: bytes, status="200 OK", ctype="text/html", date=None, **kw):
        headers = [("Content-Type", ctype)] if ctype else []
        headers += list(kw.get("extra", []))
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        rec = self.w.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date or "2013-04-11T20:54:45Z"},
        )
        self.w.write_record(rec)
        return rec

    def record(self, url, rec_type, body=b"", ctype="text/plain", date="2013-04-11T20:54:45Z"):
        rec = self.w.create_warc_record(
            url,
            rec_type,
            payload=io.BytesIO(body),
            warc_content_type=ctype,
            warc_headers_dict={"WARC-Date": date},
        )
        self.w.write_record(rec)
        return rec

    def revisit_of(self, original, url, date):
        rec = self.w.create_revisit_record(
            url,
            original.rec_headers.get_header("WARC-Payload-Digest"),
            original.rec_headers.get_header("WARC-Target-URI"),
            original.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date},
        )
        self.w.write_record(rec)

    def close(self) -> None:
        self.f.close()


def mixed_crawl(path: Path) -> Path:
    w = Warc(path)
    w.record(None, "warcinfo", b"software: heritrix", "application/warc-fields")
    w.record("dns:news.example.com", "response", b"20130411205445\nnews.example.com 1 IN A 1")
    w.record(ARTICLE_URL, "request", b"GET / HTTP/1.1\r\n\r\n", "application/http")
    original = w.response(ARTICLE_URL, article_page().encode())
    w.record(ARTICLE_URL, "metadata", b"via: x", "application/warc-fields")
    w.revisit_of(original, ARTICLE_URL, "2013-05-01T10:00:00Z")
    w.response(
        "https://news.example.com/old-link",
        b'The document has moved <A HREF="https://news.example.com/2013/04/11/russia">here</A>',
        status="302 Found",
        extra=[("Location", ARTICLE_URL)],
    )
    w.response(
        "https://news.example.com/gone", b"<html><body>Not found</body></html>", "404 Not Found"
    )
    w.response(
        "https://news.example.com/feed",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        ctype="text/html",  # a feed served as HTML is still a feed
    )
    w.response("https://news.example.com/api", b'{"items": []}', ctype="application/json")
    w.response("https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, ctype="")
    w.response("https://news.example.com/a.pdf", b"%PDF-1.4 ...", ctype="application/pdf")
    w.response(
        "https://news.example.com/robots.txt", b"User-agent: *\nDisallow:", ctype="text/plain"
    )
    w.response("https://news.example.com/tag/syria/", listing_page())
    w.response("https://news.example.com/", listing_page())
    gbk = (
        "上海特舟实业有限公司是一家专业从事工业设备制造的企业，产品远销海内外，质量可靠，服务周到。"
    )
    w.response(
        "https://cn.example.com/2013/04/12/company-news-report-today",
        article_page(title="公司新闻", charset="gbk").replace(PARAS[0], gbk * 8).encode("gbk"),
        ctype="text/html",
    )
    w.close()
    return path


def warc_project(project: Path, *patterns: str, **filters) -> Path:
    cfg = yaml.safe_load((project / "config.yaml").read_text())
    cfg["sources"] = [{"warc": {"paths": list(patterns)}}]
    cfg["filters"] = {**cfg.get("filters", {}), **filters}
    (project / "config.yaml").write_text(yaml.safe_dump(cfg))
    return project


def run_record(project: Path) -> dict:
    return json.loads((project / "dataset" / "versions.json").read_text())["versions"][-1]


def test_a_mixed_crawl_gives_only_articles_and_counts_every_other_record(project):
    mixed_crawl(project / "crawl.warc.gz")
    warc_project(project, "*.warc.gz")
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    ds = load(project / "dataset")
    rows = {r["url"]: r for r in ds}
    # the article once (its revisit is the same text, a duplicate), and the GBK article
    assert set(rows) == {ARTICLE_URL, "https://cn.example.com/2013/04/12/company-news-report-today"}
    assert all(r["page_type"] == "article" for r in ds)
    chinese = rows["https://cn.example.com/2013/04/12/company-news-report-today"]["text"]
    assert "上海特舟实业有限公司" in chinese  # decoded as GBK, not mojibake
    dropped = run_record(project)["run"]["dropped"]
    for reason in [
        "record: WARC warcinfo record",
        "record: dns lookup",
        "record: WARC request record",
        "record: WARC metadata record",
        "record: redirect (HTTP 302)",
        "record: HTTP 404",
        "record: feed payload, not HTML",
        "record: JSON payload, not HTML",
        "record: image payload, not HTML",
        "record: PDF payload, not HTML",
        "record: robots.txt",
        "page type: listing (filters.page_types)",
        "page type: home (filters.page_types)",
        "exact duplicate",
    ]:
        assert dropped.get(reason) == 1, (reason, dropped)
    assert "record: dns lookup" in result.stderr  # and in the run summary


def test_a_revisit_is_resolved_to_the_payload_it_repeats(tmp_path):
    w = Warc(tmp_path / "r.warc.gz")
    original = w.response(ARTICLE_URL, article_page().encode())
    w.revisit_of(original, ARTICLE_URL, "2014-01-01T00:00:00Z")
    w.close()
    caps = [c for c in read_warc(tmp_path / "r.warc.gz") if isinstance(c, Capture)]
    assert [c.record_type for c in caps] == ["response", "response"]
    assert caps[1].content == caps[0].content and caps[1].capture_time.year == 2014


def test_listed_page_types_are_kept(project):
    mixed_crawl(project / "crawl.warc.gz")
    warc_project(project, "*.warc.gz", page_types=["article", "listing"])
    assert scrape("clean", cwd=project).returncode == 0
    types = sorted(r["page_type"] for r in load(project / "dataset"))
    assert types == ["article", "article", "listing"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"  <!DOCTYPE html><html>", "html"),
        (b"Warning: x in /var/www on line 3\n<html><body>", "html"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b'<?xml version="1.0"?><urlset>', "XML"),
        (b"\xff\xd8\xff\xe0JFIF", "image"),
        (b"GIF89a..", "image"),
        (b"%PDF-1.7", "PDF"),
        (b'  {"a": 1}', "JSON"),
        (b"", "empty"),
        (b"User-agent: *", "text"),
    ],
)
def test_payloads_are_sniffed_from_their_bytes(body, kind):
    assert sniff(body) == kind


def test_the_gate_refuses_by_status_and_record(tmp_path):
    stage = build_stage(_defaults())
    html = article_page().encode()
    ok = Capture(
        "a", "warc", html, url=ARTICLE_URL, status=200, headers={"Content-Type": "text/html"}
    )
    assert stage.check_capture(ok) is None
    assert stage.check_capture(ok.__class__("b", "warc", html, url=ARTICLE_URL, status=503))
    cut = Capture("c", "warc", html, url=ARTICLE_URL, status=200, cut="cut short: x")
    assert stage.check_capture(cut) == "record: record cut short: x"
    keep = build_stage(_defaults(filters={"truncated": "keep"}))
    assert keep.check_capture(cut) is None


def _defaults(**over):
    from scraper.config import Config

    return Config(**over)


# -- damaged input --------------------------------------------------------------------


def test_damaged_files_are_named_and_what_was_readable_is_kept(project):
    good = project / "a-good.warc.gz"
    w = Warc(good)
    w.response(ARTICLE_URL, article_page().encode())
    w.close()
    # a second copy cut in the middle of its last gzip member
    data = good.read_bytes()
    w = Warc(project / "b-torn.warc.gz")
    w.response(
        "https://news.example.com/2013/04/12/second-story-about-the-navy",
        article_page("Second story").encode(),
    )
    w.response(
        "https://news.example.com/2013/04/13/third-story-about-the-navy",
        article_page("Third story").encode(),
    )
    w.close()
    torn = project / "b-torn.warc.gz"
    torn.write_bytes(torn.read_bytes()[:-200])
    (project / "c-not.warc.gz").write_bytes(gzip.compress(b"just some text, not a WARC\n" * 20))
    (project / "d-empty.warc.gz").write_bytes(b"")
    # a record whose Content-Length says more than the file holds (uncompressed WARC)
    lying = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: "
        + b"https://news.example.com/2013/04/14/fourth-story-about-the-navy\r\n"
        + b"WARC-Date: 2013-04-14T00:00:00Z\r\nContent-Length: 99999\r\n\r\n"
        + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        + article_page("Fourth story").encode()
    )
    (project / "e-lying.warc").write_bytes(lying)
    assert data
    warc_project(project, "*.warc.gz", "*.warc")
    result = scrape("clean", cwd=project)
    assert result.returncode == 1, result.stderr  # finished, with the damaged files failed
    assert "Traceback" not in result.stderr
    failed = {f["id"]: f["reason"] for f in run_record(project)["run"]["failed"]}
    assert any("b-torn" in k and "cut short" in v for k, v in failed.items()), failed
    assert any("c-not" in k and "not a WARC" in v for k, v in failed.items()), failed
    assert any("d-empty" in k and "empty file" in v for k, v in failed.items()), failed
    urls = {r["url"] for r in load(project / "dataset")}
    # the record before the tear is kept; the good file's article is its duplicate (same text)
    assert "https://news.example.com/2013/04/12/second-story-about-the-navy" in urls
    dropped = run_record(project)["run"]["dropped"]
    assert dropped.get("exact duplicate") == 1, dropped
    # the torn record and the lying one
    assert dropped.get("record: record cut short: the file ends inside the record") == 2, dropped


def test_a_record_cut_short_is_kept_and_marked_when_asked(project):
    lying = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + ARTICLE_URL.encode() + b"\r\n"
        b"WARC-Date: 2013-04-14T00:00:00Z\r\nContent-Length: 99999\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + article_page().encode()
    )
    (project / "lying.warc").write_bytes(lying)
    warc_project(project, "lying.warc", truncated="keep")
    assert scrape("clean", cwd=project).returncode == 1  # kept, and the torn file named
    (row,) = list(load(project / "dataset"))
    assert row["truncated"] is True and "Tartus" in row["text"]


def test_a_glob_that_matches_nothing_is_an_error(project):
    warc_project(project, "archives/*.warc.gz")
    result = scrape("clean", cwd=project)
    assert result.returncode == 2
    assert "sources[0].warc.paths[0]" in result.stderr and "matches no file" in result.stderr
    assert not (project / "dataset" / "versions.json").exists()


# -- the richer copy wins ---------------------------------------------------------------


def test_a_seed_and_its_capture_make_one_row_with_the_captures_url_and_dates(project):
    text = "\n\n".join(["Russian navy leaves Tartus", *PARAS])
    for seed in (project / "seeds").glob("*.txt"):
        seed.unlink()
    (project / "seeds" / "navy.txt").write_text(text)
    w = Warc(project / "crawl.warc.gz")
    w.response(ARTICLE_URL, article_page().encode())
    w.close()
    cfg = yaml.safe_load((project / "config.yaml").read_text())
    cfg["sources"] = [{"seeds": {"dir": "seeds"}}, {"warc": {"paths": ["crawl.warc.gz"]}}]
    cfg["filters"]["min_words"] = 10
    (project / "config.yaml").write_text(yaml.safe_dump(cfg))
    result = scrape("clean", cwd=project)
    assert result.returncode == 0, result.stderr
    (row,) = list(load(project / "dataset"))
    assert row["url"] == ARTICLE_URL
    assert row["capture_time"] is not None and row["published"] is not None


# -- page type --------------------------------------------------------------------------


def ev(**kw) -> PageEvidence:
    kw.setdefault("words", max(kw.get("longest_prose", 0), 100))  # a page's text, unless said
    return PageEvidence(html=True, **kw)


@pytest.mark.parametrize(
    ("evidence", "url", "expected"),
    [
        # pre-2012: no og:type, no JSON-LD; url and text shape decide
        (
            ev(longest_prose=420, lines=12),
            "http://www.example.com/news/2009/03/fire.html",
            "article",
        ),
        (ev(longest_prose=420), "http://example.org/story.php?id=123456", "article"),
        (ev(og_type="article", longest_prose=90), "https://x.com/a/b/short-item", "article"),
        (ev(schema_types=("NewsArticle",), longest_prose=300), "https://x.com/a", "article"),
        (
            ev(longest_prose=40, teaser_blocks=10, link_lines=12, lines=24),
            "https://x.com/world",
            "listing",
        ),
        (ev(longest_prose=500), "https://x.com/tag/syria/", "listing"),
        (ev(longest_prose=500), "https://x.com/category/world/page/3", "listing"),
        (ev(longest_prose=30), "https://x.com/?s=syria", "listing"),
        (ev(longest_prose=30), "https://x.com/2013/04/", "listing"),
        (ev(longest_prose=300, og_type="website"), "https://x.com/", "home"),
        (ev(longest_prose=80), "https://x.com/about-us", "other"),
        (ev(longest_prose=300, schema_types=("Product",)), "https://x.com/p/blue-lamp", "other"),
        (ev(title="404 Not Found", longest_prose=10), "https://x.com/2013/04/11/x-y-z-w", "error"),
        (
            ev(title="Report 404 from the port", longest_prose=90),
            "https://x.com/2013/04/11/r",
            "article",
        ),
        # an article filed under a topic: the slug says it is one story
        (
            ev(longest_prose=600),
            "https://x.com/topics/politics/senate-passes-the-budget-bill",
            "article",
        ),
        # a section's front: its teasers run together into long "prose", and it says
        # og:type article of itself, yet it is a directory of short names, website or boxes
        (ev(longest_prose=800, og_type="website", lines=20), "https://x.de/news/welt/", "listing"),
        (ev(longest_prose=700, lines=1, headline_links=30), "https://x.com/cars", "listing"),
        (
            ev(longest_prose=500, og_type="article", article_tags=40, lines=20),
            "https://x.com/tech.html",
            "listing",
        ),
        (ev(longest_prose=900, lines=1), "https://x.com/section/money", "listing"),
        # ... unless the page's JSON-LD calls it a story, or it is one long text alone
        (
            ev(longest_prose=800, schema_types=("NewsArticle",), article_tags=12, lines=20),
            "https://x.com/short-name",
            "article",
        ),
        (ev(longest_prose=800, og_type="article", lines=14), "https://blog.x.com/hello", "article"),
        # og:type article over a page of 150 boxes and 30 words: not a story
        (
            ev(og_type="article", article_tags=150, headline_links=150, longest_prose=30),
            "https://x.com/person/personalities.html",
            "listing",
        ),
        (ev(longest_prose=3000, lines=80), "https://x.de/datenschutzerklaerung-4860.html", "other"),
        (ev(longest_prose=300, lines=20), "https://x.com/privacy-policy/", "other"),
        # next to no text: a redirect's stub, an embedded player, a page built by script
        (ev(words=0), "https://x.com/2019/05/after-two-weeks-the-chef-says", "other"),
        (ev(words=12, longest_prose=12), "https://x.fm/e/70c487ed", "other"),
        (ev(og_type="article", words=12, longest_prose=12), "https://x.com/a/b/brief", "article"),
        # galleries and players say og:type article like the stories beside them
        (
            ev(og_type="article", longest_prose=1100, lines=70),
            "https://x.com/pictures/2018-tony-awards-highlights-winners/",
            "other",
        ),
        (
            ev(og_type="website", longest_prose=58, lines=6),
            "https://x.com/news/av/world-48342229/what-life-is-like-for-the-people",
            "other",
        ),
        (ev(og_type="article", longest_prose=58), "https://x.org/podcast/the-threat/", "other"),
        # ... a player with a story's prose around it is a story, as is a NewsArticle
        (
            ev(og_type="article", longest_prose=600),
            "https://x.com/video/2019/05/the-flood-reaches-the-city",
            "article",
        ),
        (
            ev(schema_types=("NewsArticle",), longest_prose=300),
            "https://x.com/photos/2019/05/the-flood-reaches-the-city",
            "article",
        ),
    ],
)
def test_page_type_from_markup_url_and_shape(evidence, url, expected):
    assert classify(evidence, url, dated=True).page_type == expected


def test_page_type_in_the_python_api_and_explain(project, tmp_path):
    assert clean(article_page(), url=ARTICLE_URL).page_type == "article"
    assert clean(listing_page(), url="https://news.example.com/tag/syria/").page_type == "listing"
    page = tmp_path / "tag.html"
    page.write_bytes(listing_page())
    out = scrape("explain", str(page), cwd=project)
    assert "page type: listing" in out.stdout and "teaser blocks" in out.stdout


# -- the source contract ----------------------------------------------------------------


def test_every_source_kind_is_one_class_in_the_registry(project):
    assert set(SOURCES) == {"seeds", "wayback", "commoncrawl", "warc", "urls"}
    assert for_listing("wayback") is SOURCES["wayback"] and for_listing("live") is SOURCES["urls"]
    cfg = load_config(project / "config.yaml")
    (seeds,) = sources_of(cfg)
    assert seeds.local and seeds.count() == 5 and len(list(seeds.captures())) == 5


def test_a_seed_is_cleaned_once_per_run(project):
    """The exemplars cleaned for the relevance model are the seed documents: not again."""
    from scraper.pipeline import relevance_model, reuse_exemplars

    cfg = load_config(project / "config.yaml")
    model, cleaned = relevance_model(cfg, workers=1)
    assert model is not None and len(cleaned) == 5
    stage = build_stage(cfg, model)
    done: list = []
    left = list(reuse_exemplars(sources_of(cfg)[0].captures(), cleaned, stage, done))
    assert left == [] and len(done) == 5
    assert all(p.unpack().relevance is not None for p in done)
