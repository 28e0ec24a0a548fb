"""Peak memory and speed of packaging N synthetic documents, and disk growth per change.

    python bench/package_scale.py [--sizes 10000 100000]

Each measurement runs in a fresh process (peak RSS is per process). The baseline writes
the same rows with a bare pyarrow ParquetWriter (row groups of 1000) in the same run.
Then a second version changes 1% of the documents, once as one publisher's rule change
(the usual case: the changes share publisher-year shards) and once spread at random,
and reports how much the dataset folder grew.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

WORDS = (
    "russia syria assad moscow damascus ministry talks ceasefire army navy tartus port "
    "officials said tuesday government rebels opposition aid convoy border refugees un "
    "security council resolution veto lavrov putin peskov kremlin report agency week"
).split()
PUBLISHERS = [f"Publisher {i}" for i in range(20)]


def row(i: int, *, variant: int = 0) -> dict:
    rng = random.Random(i)
    text = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90))) + "."
        for _ in range(rng.randint(4, 10))
    )
    if variant:
        text += f"\n\nCorrection {variant}."
    return {
        "id": f"doc-{i:07d}",
        "url": f"https://example{i % 20}.com/{2010 + i % 15}/story-{i}",
        "source": "wayback",
        "capture_time": datetime(2010 + i % 15, 1 + i % 12, 1 + i % 28, tzinfo=timezone.utc),
        "publisher": PUBLISHERS[i % 20],
        "title": f"Story {i}",
        "author": None,
        "published": date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
        "text": text,
        "language": "en",
        "removed": [{"rule": "newsletter-signup", "kind": "newsletter", "text": "Sign up"}],
        "raw_sha256": f"{i:064x}",
        "rule_version": None,
    }


def child(mode: str, n: int, folder: str, change: str) -> None:
    from scraper.package.card import CardSettings
    from scraper.package.schema import SCHEMA
    from scraper.package.writer import write_version

    start = time.perf_counter()
    if mode == "baseline":
        import pyarrow as pa
        import pyarrow.parquet as pq

        with pq.ParquetWriter(Path(folder) / "all.parquet", SCHEMA, compression="zstd") as w:
            batch = []
            for i in range(n):
                batch.append(row(i))
                if len(batch) == 1000:
                    w.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                    batch = []
            if batch:
                w.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
    else:
        changed = set()
        if change == "publisher":  # one publisher's documents of one year: 1/60 of the corpus
            changed = {i for i in range(n) if i % 20 == 3 and 2010 + i % 15 == 2013}
        elif change == "random":
            changed = set(random.Random(7).sample(range(n), n // 100))
        rows = (row(i, variant=1 if i in changed else 0) for i in range(n))
        write_version(
            rows,
            Path(folder),
            card=CardSettings("bench"),
            rows_per_shard=5000,
            config_sha256="x",
            rules_sha256={},
            code_version="bench",
        )
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak_mib:.1f}")


def changed_share(change: str) -> str:
    return {"publisher": "1.7%, one publisher-year", "random": "1%, at random"}[change]


def run(mode: str, n: int, folder: str, change: str = "none") -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(n), folder, change],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def folder_bytes(folder: str) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, n, folder, change = args.child
        child(mode, int(n), folder, change)
        return 0
    print(
        f"{'docs':>8} {'ours docs/s':>12} {'ours peak MiB':>14} {'baseline docs/s':>16} "
        f"{'baseline peak MiB':>18} {'peak ratio':>11}"
    )
    peaks = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as base:
            t, peak = run("ours", n, ours)
            bt, bpeak = run("baseline", n, base)
            peaks[n] = peak
            ratio = peak / bpeak
            print(
                f"{n:>8} {n / t:>12.0f} {peak:>14.0f} {n / bt:>16.0f} {bpeak:>18.0f} {ratio:>11.2f}"
            )
            if n == args.sizes[-1]:
                size1 = folder_bytes(ours)
                for change in ("publisher", "random"):
                    with tempfile.TemporaryDirectory() as again:
                        subprocess.run(["cp", "-r", f"{ours}/.", again], check=True)
                        run("ours", n, again, change)
                        grew = folder_bytes(again) - size1
                        share, mib = changed_share(change), size1 / 2**20
                        print(
                            f"documents changed: {share}: grew {grew / size1:.1%} of {mib:.0f} MiB"
                        )
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        print(f"peak RSS {large} vs {small} docs: {peaks[large] / peaks[small]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
