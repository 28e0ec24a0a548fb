"""Fuzz scraper.clean with hostile documents: any crash other than InputError, any slow input.

    python bench/fuzz.py [--inputs 10000] [--workers 1] [--timeout 30] [--out fuzz-out]

Input number i is `hostile_input(random.Random(i), seeds)` from tests/hostile_inputs.py
(the shapes the hypothesis test draws: text and markdown, HTML of real tags, random
unicode with lone surrogates and NULs, huge lines, mutations of seeds/ and of generated
HTML, random bytes), so any input is made again from its number alone. Each is cleaned in
a worker process (pebble) with a time limit: a worker past it is killed and replaced, and
the input counts as over 5 s. Each worker's memory is capped (--max-memory), so a memory
bomb shows up as a crash instead of taking the machine down.

Prints the inputs run, the crashes other than InputError (the first few saved to --out
with their traceback), the slowest input and how many took over 5 s. Exits 1 when any
crashed or took over 5 s. Run it with `nice` on a shared machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import traceback
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_inputs import hostile_input, read_seeds  # noqa: E402

from scraper import InputError, clean  # noqa: E402

SLOW = 5.0  # seconds: an input slower than this is a finding
_seeds: list[bytes] = []


@dataclass
class Result:
    number: int
    kind: str
    outcome: str  # document | input-error | crash | timeout
    seconds: float  # wall-clock
    cpu: float = 0.0  # the worker's CPU seconds: what a busy machine does not inflate
    detail: str = ""


def _start_worker(max_memory: int) -> None:
    """Cap the worker's memory, read the seeds, and load the rules once (not timed)."""
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    _seeds.extend(read_seeds())
    clean("A title\n\nA first paragraph.")


def clean_one(number: int) -> Result:
    """Clean input `number` and say how it went; runs in a worker."""
    kind, data = hostile_input(random.Random(number), _seeds)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        clean(data)
        outcome, detail = "document", ""
    except InputError:
        outcome, detail = "input-error", ""
    except BaseException:  # the finding: anything else, MemoryError included
        outcome, detail = "crash", traceback.format_exc()
    wall = time.perf_counter() - start
    return Result(number, kind, outcome, wall, time.process_time() - cpu, detail)


def save(out: Path, result: Result, seeds: list[bytes]) -> None:
    """The input of a crash or a timeout, and what happened, to make it again."""
    out.mkdir(parents=True, exist_ok=True)
    kind, data = hostile_input(random.Random(result.number), seeds)
    name = f"{result.number:06d}-{kind.replace(' ', '-')}"
    if isinstance(data, str):
        (out / f"{name}.str.txt").write_bytes(data.encode("utf-8", "surrogatepass"))
    else:
        (out / f"{name}.bin").write_bytes(data)
    (out / f"{name}.log").write_text(
        f"input {result.number} ({kind}, {type(data).__name__}): {result.outcome} after "
        f"{result.seconds:.2f} s ({result.cpu:.2f} s CPU)\nmake it again: hostile_input("
        f"random.Random({result.number}), read_seeds()) from tests/hostile_inputs.py\n\n"
        f"{result.detail}"
    )


def run(args: argparse.Namespace) -> list[Result]:
    results: list[Result] = []
    numbers = range(args.start, args.start + args.inputs)
    with ProcessPool(
        max_workers=args.workers, initializer=_start_worker, initargs=(args.max_memory,)
    ) as pool:
        futures = {pool.schedule(clean_one, args=(n,), timeout=args.timeout): n for n in numbers}
        for done, future in enumerate(as_completed(futures), 1):
            n = futures[future]
            try:
                results.append(future.result())
            except FutureTimeout:
                results.append(Result(n, "?", "timeout", args.timeout))
            except Exception as e:  # the worker died (a segfault, the memory cap)
                results.append(Result(n, "?", "crash", 0.0, detail=f"worker died: {e!r}"))
            if done % 1000 == 0:
                print(f"  {done} inputs", file=sys.stderr, flush=True)
    return sorted(results, key=lambda r: r.number)


def report(results: list[Result], args: argparse.Namespace) -> int:
    seeds = read_seeds()
    crashes = [r for r in results if r.outcome == "crash"]
    slow = [r for r in results if r.outcome == "timeout" or r.seconds > SLOW]
    for r in (crashes + slow)[: args.save]:
        save(args.out, r, seeds)
    slowest = max(results, key=lambda r: r.seconds)
    by_cpu = max(results, key=lambda r: r.cpu)
    documents = sum(r.outcome == "document" for r in results)
    refused = sum(r.outcome == "input-error" for r in results)
    print(f"inputs: {len(results)} ({documents} documents, {refused} InputError)")
    print(f"crashes other than InputError: {len(crashes)}")
    for r in crashes[:5]:
        print(f"  input {r.number} ({r.kind}): {r.detail.strip().splitlines()[-1]}")
    print(f"slowest input: {slowest.seconds:.2f} s (input {slowest.number}, {slowest.kind})")
    print(f"most CPU: {by_cpu.cpu:.2f} s (input {by_cpu.number}, {by_cpu.kind})")
    timeouts = sum(r.outcome == "timeout" for r in results)
    over_cpu = sum(r.cpu > SLOW for r in results)
    print(
        f"inputs over {SLOW:.0f} s: {len(slow)} ({timeouts} stopped at {args.timeout:g} s;"
        f" {over_cpu} over {SLOW:.0f} s of CPU)"
    )
    if crashes or slow:
        print(f"reproducers: {args.out}/")
    return 1 if crashes or slow else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0, help="number of the first input")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds an input may take")
    parser.add_argument("--max-memory", type=int, default=2 * 2**30, help="bytes per worker")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--save", type=int, default=10, help="reproducers to save at most")
    args = parser.parse_args()
    start = time.time()
    results = run(args)
    code = report(results, args)
    print(f"({time.time() - start:.0f} s with {args.workers} worker(s))")
    return code


if __name__ == "__main__":
    sys.exit(main())
