"""Documents per second of scraper.clean on text and HTML, against bare trafilatura.

    python bench/clean_speed.py [--shared ../shared] [--rounds 3] [--limit N]

Text: the seed files, cleaned repeatedly, and the browser-copy dumps of
../shared/bench/scrapinghub-textdump with the line classifier and without it (rules only,
the baseline of the classifier's cost; its target is >= 100 docs/s on one core).
HTML: the pages of ../shared/bench/scrapinghub-aeb, read into memory first (the pages are
never copied into the project). For HTML the baseline, bare `trafilatura.extract(page)`
with library defaults, is measured in the same run and process, interleaved round by round
with ours, so the ratio is fair on a noisy machine.
Pin to one core for single-core figures: `taskset -c 0 python bench/clean_speed.py`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

import trafilatura

from scraper import InputError
from scraper.cleaning import clean_lines, rulebook_for
from scraper.config import Config

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        try:
            fn(item)
        except InputError:
            pass
    return time.perf_counter() - start


def main() -> int:
    fmt = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="HTML pages to use (0 = all)")
    args = ap.parse_args()

    book = rulebook_for(Config())
    texts = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))] * 40
    html_dir = args.shared / "bench" / "scrapinghub-aeb" / "html"
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(html_dir.glob("*.html.gz"))]
    dump_dir = args.shared / "bench" / "scrapinghub-textdump" / "docs"
    dumps = [p.read_bytes() for p in sorted(dump_dir.glob("*.txt"))]
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        sys.exit(f"no pages in {html_dir}")

    ours_text = lambda b: clean_lines(book, b)[0]  # noqa: E731
    ours_html = lambda b: clean_lines(book, b)[0]  # noqa: E731
    dump_model = lambda b: clean_lines(book, b)[0]  # noqa: E731
    dump_rules = lambda b: clean_lines(book, b, line_judge=False)[0]  # noqa: E731
    bare = lambda b: trafilatura.extract(b)  # noqa: E731
    ours_text(texts[0]), ours_html(pages[0]), bare(pages[0])  # warm-up, untimed

    dump_model(dumps[0])
    t_text, t_ours, t_bare, t_model, t_rules = [], [], [], [], []
    for _ in range(args.rounds):
        t_text.append(timed(ours_text, texts))
        t_rules.append(timed(dump_rules, dumps))
        t_model.append(timed(dump_model, dumps))
        t_bare.append(timed(bare, pages))
        t_ours.append(timed(ours_html, pages))
    text_rate = len(texts) / statistics.median(t_text)
    ours_rate = len(pages) / statistics.median(t_ours)
    bare_rate = len(pages) / statistics.median(t_bare)
    print(f"{'what':46} {'docs':>6} {'docs/s':>9}")
    print(f"{'scraper.clean, text (seeds)':46} {len(texts):>6} {text_rate:>9.1f}")
    for label, times in (("rules only", t_rules), ("rules + line model", t_model)):
        rate = len(dumps) / statistics.median(times)
        print(f"{'scraper.clean, text dumps, ' + label:46} {len(dumps):>6} {rate:>9.1f}")
    cost = statistics.median(t_model) / statistics.median(t_rules)
    print(f"line model: text dumps take {cost:.2f}x the time of the rules alone")
    print(f"{'trafilatura.extract, HTML (default)':46} {len(pages):>6} {bare_rate:>9.1f}")
    print(f"{'scraper.clean, HTML':46} {len(pages):>6} {ours_rate:>9.1f}")
    ratio = ours_rate / bare_rate
    print(f"HTML ratio scraper/trafilatura: {ratio:.2f} (median of {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
