"""Captures per second of `scrape collect` against a local pywb, and the ratio to a bare
httpx loop fetching the same replay urls in the same run.

    python bench/collect_speed.py [--captures 400] [--concurrency 16] [--rounds 3]

Politeness is off for both (no minimum interval, the same concurrency); ours also lists
through the CDX API, writes and fsyncs every capture to the WARC store and records its
state in sqlite, which the bare loop does not. Rounds alternate between the two.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from archives import Page, article  # noqa: E402  (test helpers: WARC pages, pywb server)
from pywb_server import Pywb  # noqa: E402

from scraper.collect import collect  # noqa: E402
from scraper.config import load_config  # noqa: E402


def pages(n: int) -> list[Page]:
    text = ["Russian officials said the navy would keep its supply point in Tartus open. " * 20] * 4
    return [
        Page(
            f"https://bench-news.com/2012/07/{i % 28 + 1:02d}/story-{i}",
            f"201207{i % 28 + 1:02d}1000{i % 60:02d}",
            article(f"Story {i}", text),
        )
        for i in range(n)
    ]


def ours(server: Pywb, concurrency: int, folder: Path) -> tuple[float, int]:
    (folder / "config.yaml").write_text(
        f"work_dir: work\nsources:\n  - wayback:\n      cdx: {server.url}/cdx/search/cdx\n"
        f"      replay: {server.url}/web\n      urls: [bench-news.com/]\n      match: prefix\n"
        f"      collapse: null\nfetch:\n  concurrency: {concurrency}\n"
        f"  per_host: {{concurrency: {concurrency}, min_interval: 0}}\n  allow_private: true\n"
    )
    start = time.perf_counter()
    report = collect(load_config(folder / "config.yaml"))
    return time.perf_counter() - start, sum(report.fetched.values())


def bare(server: Pywb, items: list[Page], concurrency: int) -> tuple[float, int]:
    async def go() -> int:
        slots = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(timeout=30) as client:

            async def one(p: Page) -> int:
                async with slots:
                    r = await client.get(f"{server.url}/web/{p.timestamp}id_/{p.url}")
                    return int(r.status_code == 200 and len(r.content) > 0)

            return sum(await asyncio.gather(*(one(p) for p in items)))

    start = time.perf_counter()
    n = asyncio.run(go())
    return time.perf_counter() - start, n


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--captures", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    items = pages(args.captures)
    with tempfile.TemporaryDirectory() as tmp:
        server = Pywb(Path(tmp) / "pywb", items)
        try:
            bare(server, items[:20], args.concurrency)  # warm-up, untimed
            t_ours, t_bare = [], []
            for r in range(args.rounds):
                t, n = bare(server, items, args.concurrency)
                assert n == len(items), f"bare loop fetched {n}"
                t_bare.append(t)
                Path(tmp, f"run{r}").mkdir()
                t, n = ours(server, args.concurrency, Path(tmp) / f"run{r}")
                assert n == len(items), f"collector fetched {n}"
                t_ours.append(t)
        finally:
            server.stop()
    ours_rate = args.captures / statistics.median(t_ours)
    bare_rate = args.captures / statistics.median(t_bare)
    print(f"{'what':44} {'captures':>9} {'captures/s':>11}")
    print(f"{'bare httpx loop (replay only)':44} {args.captures:>9} {bare_rate:>11.1f}")
    print(
        f"{'scrape collect (CDX + replay + WARC + state)':44} {args.captures:>9} {ours_rate:>11.1f}"
    )
    print(
        f"ratio collect/bare: {ours_rate / bare_rate:.2f} (median of {args.rounds} rounds, "
        f"concurrency {args.concurrency}, politeness off)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
