"""Discover + relevance against a labelled archive: precision, recall and ranking quality.

    python bench/relevance.py [--per-site 60] [--min-score 0.33]

A real pywb archive on 127.0.0.1 (tests/pywb_server.py) holds, for each of the seeds'
four sites and within the plan's date windows, articles on the seeds' topic and
off-topic ones (a third hard: Russian economy and sport, other Middle East news), written
by tests/topical.py. The run is what a user does: `scrape discover --write` on the seeds
(plan pointed at the local archive), `scrape collect`, `scrape clean`; then every
candidate's relevance score is read back from the dataset with `datasets`.

Printed: what the url prefilter kept, precision and recall at --min-score, average
precision of the ranking by score, and the best threshold in hindsight.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def scrape(folder: Path, *args: str) -> str:
    exe = Path(sys.executable).parent / "scrape"
    r = subprocess.run([str(exe), *args], cwd=folder, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"scrape {' '.join(args)} failed:\n{r.stderr[-3000:]}")
    return r.stderr


def rows_of(dataset: Path, cache: Path) -> list[dict]:
    from datasets import load_dataset

    return load_dataset(str(dataset), split="train", cache_dir=str(cache)).to_list()


def average_precision(ranked: list[bool], positives: int) -> float:
    hits, total = 0, 0.0
    for i, relevant in enumerate(ranked, 1):
        if relevant:
            hits += 1
            total += hits / i
    return total / positives if positives else 0.0


def prf(scored: list[tuple[float, bool]], threshold: float, positives: int) -> tuple[float, float]:
    kept = [on for s, on in scored if s >= threshold]
    tp = sum(kept)
    return (tp / len(kept) if kept else 1.0), tp / positives


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--per-site", type=int, default=60)
    ap.add_argument("--min-score", type=float, default=0.33)
    args = ap.parse_args()

    from pywb_server import Pywb
    from topical import collection

    labelled = collection(args.per_site)
    label = {x.page.url: x for x in labelled}
    positives = sum(x.on_topic for x in labelled)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server = Pywb(tmp / "pywb", [x.page for x in labelled])
        try:
            project = tmp / "project"
            project.mkdir()
            shutil.copytree(ROOT / "seeds", project / "seeds")
            (project / "config.yaml").write_text(
                "discover:\n"
                f"  archive: {{cdx: '{server.url}/cdx/search/cdx', replay: '{server.url}/web'}}\n"
                "fetch: {allow_private: true, per_host: {min_interval: 0, concurrency: 4}}\n"
            )
            scrape(project, "discover", "--write")
            scrape(project, "collect")
            scrape(project, "clean")  # every candidate scored, none dropped: the ranking
            every = rows_of(project / "dataset", tmp / "cache1")
            with open(project / "config.yaml", "a") as f:
                f.write(f"filters: {{relevance: {{min_score: {args.min_score}}}}}\n")
            scrape(project, "clean")  # what a user keeps
            kept = rows_of(project / "dataset", tmp / "cache2")
            table = scrape(project, "discover")
        finally:
            server.stop()
    rows = every
    fetched = [r for r in rows if r["url"] in label]
    scored = sorted(((r["relevance"], label[r["url"]].on_topic) for r in fetched), reverse=True)
    reached = sum(on for _, on in scored)
    print(table)
    print(f"archive: {len(labelled)} pages, {positives} on topic")
    print(
        f"after the url prefilter and fetch: {len(fetched)} pages,"
        f" {reached} on topic (prefilter recall {reached / positives:.3f})"
    )
    tp = sum(label[r["url"]].on_topic for r in kept if r["url"] in label)
    candidates = sum(r["url"] in label for r in kept)
    p, r = (tp / candidates if candidates else 1.0), tp / positives
    print(f"at min_score {args.min_score:g}: precision {p:.3f}  recall {r:.3f}  (end to end)")
    ap_ = average_precision([on for _, on in scored], positives)
    print(f"average precision of the ranking by score: {ap_:.3f}")
    best = max(
        ((t, *prf(scored, t, positives)) for t in sorted({s for s, _ in scored})),
        key=lambda x: (min(x[1], x[2]), x[0]),
    )
    print(
        f"best threshold in hindsight: {best[0]:.3f}"
        f" (precision {best[1]:.3f}, recall {best[2]:.3f})"
    )
    for kind in ("on", "hard", "off"):
        scores = [r["relevance"] for r in fetched if label[r["url"]].kind == kind]
        if scores:
            print(
                f"  {kind:5} scores: min {min(scores):.3f}"
                f"  median {sorted(scores)[len(scores) // 2]:.3f}  max {max(scores):.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
