"""HTML extraction quality and speed: scraper.clean against bare trafilatura, same run.

    python bench/extraction.py [--shared ../shared] [--sets scrapinghub-aeb trafilatura-eval]
                               [--part all|tuned] [--limit N] [--worst 10]

For each benchmark set in ../shared/bench (pages read from there, never copied here), every
page goes through ours (`clean`: trafilatura + rules), trafilatura's defaults and the best
trafilatura setting found for that set, interleaved page by page so a noisy machine slows
all three alike. Scored with ../shared/bench/evaluate.py: token F1/P/R (macro) and the
scrapinghub shingle F1 for full-text sets, snippet F1/P/R for trafilatura's own set.
Pin to one core for single-core figures: `taskset -c 0 python bench/extraction.py`.

Each set is scored whole, on the two thirds we tune on, and on the held-back third (by id
hash, as bench/gate.py) that no setting was chosen on: the honest figure. The pages where
we lose most are listed from the tuned part only, so tuning never looks at held-back pages;
`--part tuned` runs only the tuned pages while iterating.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from scraper import InputError
from scraper.cleaning import clean_lines, rulebook_for
from scraper.config import Config

ROOT = Path(__file__).resolve().parent.parent
BEST = {  # the best bare-trafilatura settings measured on each set (issue #5's table)
    "scrapinghub-aeb": {"favor_precision": True, "include_comments": False},
    "trafilatura-eval": {"include_comments": False},
}


def held_back(doc_id: str) -> bool:
    """Whether a page is in the held-back third, which nothing is tuned on."""
    return int(hashlib.sha1(str(doc_id).encode()).hexdigest(), 16) % 3 == 0


def load_evaluate(shared: Path):
    spec = importlib.util.spec_from_file_location("evaluate", shared / "bench" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extractors(set_name: str) -> dict[str, Callable[[bytes], str]]:
    book = rulebook_for(Config())

    def ours(page: bytes) -> str:
        try:
            return clean_lines(book, page)[0].text
        except InputError:
            return ""

    best = BEST[set_name]
    return {
        "ours": ours,
        "trafilatura default": lambda page: trafilatura.extract(page) or "",
        "trafilatura best": lambda page: trafilatura.extract(page, **best) or "",
    }


def run_set(shared: Path, set_name: str, limit: int, part: str) -> tuple[dict, dict, list[dict]]:
    """Predictions and seconds per extractor, and the truth rows run."""
    folder = shared / "bench" / set_name
    truth = load_evaluate(shared).read_jsonl(folder / "truth.jsonl")
    if part == "tuned":
        truth = [row for row in truth if not held_back(row["id"])]
    if limit:
        truth = truth[:limit]
    fns = extractors(set_name)
    preds: dict[str, dict[str, str]] = {name: {} for name in fns}
    seconds = dict.fromkeys(fns, 0.0)
    first = gzip.decompress((folder / "html" / f"{truth[0]['id']}.html.gz").read_bytes())
    for fn in fns.values():  # warm-up, untimed
        fn(first)
    for row in truth:
        page = gzip.decompress((folder / "html" / f"{row['id']}.html.gz").read_bytes())
        for name, fn in fns.items():
            start = time.perf_counter()
            preds[name][str(row["id"])] = fn(page)
            seconds[name] += time.perf_counter() - start
    return preds, seconds, truth


def parts(truth: list[dict], part: str) -> dict[str, list[dict]]:
    """The truth rows of each part scored: whole set, tuned two thirds, held-back third."""
    tuned = [row for row in truth if not held_back(row["id"])]
    if part == "tuned":
        return {"tuned": tuned}
    return {"full": truth, "tuned": tuned, "held-back": [r for r in truth if held_back(r["id"])]}


def main() -> int:
    fmt = argparse.RawDescriptionHelpFormatter
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sets", nargs="+", default=list(BEST))
    ap.add_argument("--limit", type=int, default=0, help="pages per set (0 = all)")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--part", choices=["all", "tuned"], default="all")
    args = ap.parse_args()
    evaluate = load_evaluate(args.shared).evaluate
    header = f"{'set':18} {'part':9} {'extractor':20} {'F1':>6} {'P':>6} {'R':>6} {'sh_f1':>6}"
    print(header + f" {'docs/s':>7} {'coll':>4}   ours/it: F1, speed")
    for set_name in args.sets:
        preds, seconds, truth = run_set(args.shared, set_name, args.limit, args.part)
        for part, rows in parts(truth, args.part).items():
            results = {name: evaluate(rows, p) for name, p in preds.items()}
            for name in results:
                print_row(set_name, part, name, results, seconds, len(truth))
            if part == "tuned":
                print_losses(results, set_name, args.worst)
    return 0


def print_row(
    set_name: str, part: str, name: str, results: dict, seconds: dict, n_run: int
) -> None:
    """One extractor's scores on one part; speed over every page run, beside each part."""
    m = primary(results, name)
    sh = results[name][0].get("shingle", {}).get("f1")
    sh_text = f"{sh:6.3f}" if sh is not None else f"{'-':>6}"
    ratio = ""
    if name != "ours":
        ours = primary(results, "ours")["f1"]
        f1_ratio = ours / m["f1"] if m["f1"] else float("nan")
        ratio = f"   {f1_ratio:.3f}, {seconds[name] / seconds['ours']:.2f}"
    coll_text = f"{collapsed(results, name):4d}" if name == "ours" else f"{'-':>4}"
    line = f"{set_name:18} {part:9} {name:20} {m['f1']:6.3f} {m['p']:6.3f} {m['r']:6.3f}"
    print(f"{line} {sh_text} {n_run / seconds[name]:7.1f} {coll_text}{ratio}")


def page_f1(d: dict) -> float | None:
    """One page's F1: tokens on full-text sets, its own snippets on snippet sets."""
    if "f1" in d:
        return d["f1"]
    errors = d.get("fp", 0) + d.get("fn", 0)
    return 2 * d["tp"] / (2 * d["tp"] + errors) if d.get("tp", 0) + errors else None


def collapsed(results: dict, name: str) -> int:
    """Pages below 0.5 F1 where trafilatura's defaults are above 0.8."""
    ours = {d["id"]: page_f1(d) for d in results[name][1]}
    base = {d["id"]: page_f1(d) for d in results["trafilatura default"][1]}
    return sum(1 for i, f in ours.items() if f is not None and (base[i] or 0) > 0.8 and f < 0.5)


def primary(results: dict, name: str) -> dict:
    summary = results[name][0]
    return summary[summary["primary"]]


def print_losses(results: dict, set_name: str, worst: int) -> None:
    """The pages where we lose most to trafilatura's defaults (call with the tuned part)."""
    ours = {d["id"]: d for d in results["ours"][1]}
    base = {d["id"]: d for d in results["trafilatura default"][1]}
    if any("f1" in d for d in ours.values()):
        loss = {i: base[i]["f1"] - ours[i]["f1"] for i in ours if "f1" in ours[i]}
    else:
        errors = {i: d["fp"] + d["fn"] for i, d in ours.items() if "tp" in d}
        loss = {i: errors[i] - (base[i]["fp"] + base[i]["fn"]) for i in errors}
    lost = sorted((v, i) for i, v in loss.items() if v > 0)[::-1][:worst]
    if lost:
        print(f"  {set_name}: where we lose most to trafilatura default:")
        for v, i in lost:
            print(f"    {i}: {v:+.3f}" if isinstance(v, float) else f"    {i}: {v:+d} errors")


if __name__ == "__main__":
    sys.exit(main())
