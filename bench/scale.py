"""Cleaning at corpus scale: docs/s for 1 and 2 workers and a 2-worker LocalCluster, and
peak memory at 1k, 10k and 100k documents, in one run.

    python bench/scale.py [--sizes 1000 10000 100000] [--speed-size 1000]

The corpus is made from the pages of ../shared/bench/scrapinghub-aeb: each page's text
(extracted once), perturbed per document (30% of the words replaced, so documents are
not near-duplicates of each other), written as text records into one WARC file that a
`warc:` source reads. Each `scrape clean` runs in its own process; the peak RSS is that
of the largest process of the run (the main one: workers stay flat).
"""

from __future__ import annotations

import argparse
import gzip
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def base_texts(shared: Path) -> list[str]:
    import trafilatura

    out = []
    for p in sorted((shared / "bench" / "scrapinghub-aeb" / "html").glob("*.html.gz")):
        text = trafilatura.extract(gzip.decompress(p.read_bytes()), include_comments=False)
        if text and len(text.split()) > 80:
            out.append(text)
    return out


def write_corpus(path: Path, texts: list[str], n: int) -> None:
    from warcio.warcwriter import WARCWriter

    vocab = sorted({w for t in texts for w in t.split()})
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(n):
            rng = random.Random(i)
            words = texts[i % len(texts)].split(" ")
            for j in rng.sample(range(len(words)), k=len(words) * 3 // 10):
                words[j] = rng.choice(vocab)
            body = f"Synthetic story {i}\n\n" + " ".join(words)
            rec = writer.create_warc_record(
                f"https://synthetic{i % 50}.example.com/{2010 + i % 15}/story-{i}",
                "resource",
                payload=io.BytesIO(body.encode()),
                warc_content_type="text/plain",
                warc_headers_dict={"WARC-Date": f"{2010 + i % 15}-01-01T00:00:00Z"},
            )
            writer.write_record(rec)


def run(folder: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `scrape clean` in a fresh process."""
    exe = Path(sys.executable).parent / "scrape"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([str(exe), "clean", *args], cwd=folder, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def project(tmp: Path, name: str, corpus: Path) -> Path:
    folder = tmp / name
    folder.mkdir()
    (folder / "config.yaml").write_text(
        f"sources:\n  - warc: {{paths: ['{corpus}']}}\n"
        "filters: {min_words: 20, near_duplicates: 0.85}\n"
    )
    return folder


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--speed-size", type=int, default=1000)
    args = ap.parse_args()
    texts = base_texts(args.shared)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "speed.warc.gz"
        write_corpus(corpus, texts, args.speed_size)
        n = args.speed_size
        t1, _ = run(project(tmp, "w1", corpus), "--workers", "1")
        t2, _ = run(project(tmp, "w2", corpus), "--workers", "2")
        td, _ = run(project(tmp, "dask", corpus), "--scheduler", "local", "--workers", "2")
        print(f"{'speed, ' + str(n) + ' docs':30} {'docs/s':>8} {'ratio':>8}")
        print(f"{'1 worker':30} {n / t1:>8.1f} {'1.00':>8}")
        print(
            f"{'2 workers (process pool)':30} {n / t2:>8.1f} {t1 / t2:>8.2f}  (target >= 1.8x one)"
        )
        label = "2-worker LocalCluster"
        print(f"{label:30} {n / td:>8.1f} {t2 / td:>8.2f}  (target >= 0.8x the pool)")
        peaks = {}
        for size in args.sizes:
            corpus = tmp / f"c{size}.warc.gz"
            write_corpus(corpus, texts, size)
            t, peak = run(project(tmp, f"s{size}", corpus), "--workers", "2")
            peaks[size] = peak
            print(f"{size:>8} docs, 2 workers: {size / t:7.1f} docs/s, peak RSS {peak:7.0f} MiB")
            corpus.unlink()
    sizes = sorted(peaks)
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        ratio = peaks[b] / peaks[a]
        print(f"peak RSS at {b} vs {a}: {ratio:.2f}x (target <= 1.3x, and under 2048 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
