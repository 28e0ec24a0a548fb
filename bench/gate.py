"""The gate, measured: page-type precision and recall for `article`, and what it costs.

    python bench/gate.py --warc captures.warc.gz --labels labels.jsonl [--split dev]
                         [--shared ../shared] [--errors 20]

`--warc`/`--labels`: real public captures labelled by hand (one `response` record per
page; labels.jsonl lines `{"uri", "page_type", "split", "origin"}`), assembled from public
repositories' test pages; they are not shipped with the project (third-party pages).
Every record goes through what `scrape clean` does to it: the record gate, cleaning, the
page-type annotation; a record refused by the gate or with no text counts as "not an
article". Also, if `--shared` has them, the public extraction sets' pages (all articles)
give article recall on many more publishers — split into the two thirds tuned on and the
third held back (by id hash), reported apart.

Cost: the gate's own work (record gate, page signals from the markup, the text's shape,
the decision) against cleaning the same pages, timed in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from scraper.cleaning import clean_lines, html_signals, parse_html, rulebook_for, text_shape
from scraper.config import Config
from scraper.errors import InputError, NoTextError
from scraper.filters import build_stage
from scraper.filters.page_type import classify
from scraper.models import Capture
from scraper.sources.warcfile import read_warc

ROOT = Path(__file__).resolve().parent.parent


class Run:
    def __init__(self) -> None:
        self.config = Config()
        self.book = rulebook_for(self.config)
        self.stage = build_stage(self.config)
        self.clean_s = 0.0
        self.gate_s = 0.0
        self.pages = 0

    def page_type(self, cap: Capture) -> str:
        """What the pipeline makes of one capture: a page type, or why it is not a row."""
        t0 = time.perf_counter()
        refused = self.stage.check_capture(cap)
        self.gate_s += time.perf_counter() - t0
        if refused:
            return "refused: " + refused
        t0 = time.perf_counter()
        try:
            doc, lines = clean_lines(
                self.book, cap.content, url=cap.url, content_type=cap.header("content-type")
            )
        except NoTextError:
            self.clean_s += time.perf_counter() - t0
            return "no text"
        except InputError as e:
            self.clean_s += time.perf_counter() - t0
            return f"failed: {e}"
        self.clean_s += time.perf_counter() - t0
        self.pages += 1
        t0 = time.perf_counter()
        tree = parse_html(cap.content, content_type=cap.header("content-type"))
        t1 = time.perf_counter()
        html_signals(tree)
        text_shape(lines)
        verdict = classify(doc.evidence, cap.url or doc.url, dated=doc.published is not None)
        self.gate_s += time.perf_counter() - t1
        del t0
        return verdict.page_type


def scores(pairs: list[tuple[str, str]]) -> str:
    tp = sum(g == "article" and p == "article" for g, p in pairs)
    fp = sum(g != "article" and p == "article" for g, p in pairs)
    fn = sum(g == "article" and p != "article" for g, p in pairs)
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    arts = sum(g == "article" for g, _ in pairs)
    return f"n={len(pairs):4d} articles={arts:4d}  precision {prec:.3f}  recall {rec:.3f}"


def labelled(args, run: Run) -> None:
    labels = {}
    for line in Path(args.labels).read_text().splitlines():
        row = json.loads(line)
        labels[row["uri"]] = row
    rows: list[tuple[dict, str]] = []
    for cap in read_warc(Path(args.warc), max_bytes=run.config.fetch.max_bytes):
        if not isinstance(cap, Capture) or cap.url not in labels:
            continue
        label = labels[cap.url]
        if args.split != "all" and label["split"] != args.split:
            continue
        rows.append((label, run.page_type(cap)))
    print(f"labelled captures ({args.labels}, split {args.split})")
    for split in sorted({r["split"] for r, _ in rows}) + ["all"]:
        pairs = [(r["page_type"], p) for r, p in rows if split in ("all", r["split"])]
        print(f"  {split:8s} {scores(pairs)}")
    by_origin: dict[str, list] = defaultdict(list)
    for r, p in rows:
        by_origin[r["origin"].split(":")[0].split("@")[0]].append((r["page_type"], p))
    for origin, pairs in sorted(by_origin.items()):
        print(f"  {origin:32s} {scores(pairs)}")
    confusion = Counter((r["page_type"], p.split(":")[0]) for r, p in rows)
    print("  confusion (label -> predicted):")
    for (g, p), n in sorted(confusion.items()):
        print(f"    {g:8s} -> {p:10s} {n}")
    wrong = [(r, p) for r, p in rows if (r["page_type"] == "article") != (p == "article")]
    for r, p in wrong[: args.errors]:
        print(f"    {r['page_type']:8s} as {p[:40]:40s} {r['uri'][:90]}")


def public_sets(args, run: Run) -> None:
    bench = Path(args.shared) / "bench"
    for name in ("scrapinghub-aeb", "trafilatura-eval"):
        truth = bench / name / "truth.jsonl"
        if not truth.exists():
            continue
        parts: dict[str, list[tuple[str, str]]] = {"tuned": [], "held-back": []}
        misses = []
        for line in truth.read_text().splitlines():
            row = json.loads(line)
            page = gzip.decompress((bench / name / "html" / f"{row['id']}.html.gz").read_bytes())
            url = row.get("url") if str(row.get("url", "")).startswith("http") else None
            cap = Capture(id=row["id"], source="warc", content=page, url=url)
            got = run.page_type(cap)
            third = int(hashlib.sha1(row["id"].encode()).hexdigest(), 16) % 3 == 0
            parts["held-back" if third else "tuned"].append(("article", got))
            if got != "article" and not third:
                misses.append((got, row.get("url")))
        print(f"{name} (every page an article: recall only)")
        for part, pairs in parts.items():
            print(f"  {part:9s} {scores(pairs)}")
        for got, url in misses[: args.errors]:
            print(f"    missed as {got[:40]:40s} {url}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--warc", help="WARC of labelled captures")
    ap.add_argument("--labels", help="labels.jsonl beside it")
    ap.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--errors", type=int, default=15, help="mistakes to list")
    ap.add_argument("--no-public", action="store_true", help="skip the public extraction sets")
    args = ap.parse_args()
    run = Run()
    if args.warc and args.labels:
        labelled(args, run)
    if not args.no_public:
        public_sets(args, run)
    if run.pages:
        print(
            f"cost: gate {run.gate_s / run.pages * 1000:.2f} ms/page, cleaning "
            f"{run.clean_s / run.pages * 1000:.2f} ms/page: gate/cleaning "
            f"{run.gate_s / run.clean_s:.3f}; gate alone {run.pages / run.gate_s:.0f} docs/s"
        )


if __name__ == "__main__":
    main()
