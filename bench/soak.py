"""Soak: `scrape collect` and `scrape clean` killed with SIGKILL at random moments, rerun
until each finishes, against a local archive that misbehaves; then count what was kept.

    python bench/soak.py [--captures 3000] [--seed 1] [--kill-after 1 8] [--clean-kills 3]

The archive (tests/archives.py's IAArchive on 127.0.0.1, paging its CDX answer) answers
some replays first with 503 + Retry-After, a connection reset or a body cut short, holds
some captures as 404 pages (skipped) and lists a few under a timestamp that is not one
(`2012XX01`: failed, alone). Every kill hits the `scrape` process itself, as the OOM
killer would; workers it leaves behind are counted, then ended.

Prints, with the target in brackets: response records stored against unique captures and
against what the archive holds as 200 pages (all equal), duplicates (0), captures lost
(0), metadata records (one per response), run state statuses and `PRAGMA
integrity_check` (ok), WARC files left open (0), and for the dataset: every version in
versions.json loaded with `datasets.load_dataset` (rows as recorded), rows against captures
stored (rows + dropped = stored), temporary files left (0). Exit status 1 if a target is
missed. The default run takes about 4 minutes on 2 cores (`--captures` scales it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from archives import IAArchive, Page, article  # noqa: E402  (test helpers: local archives)

FAULTS = {"503": 0.06, "reset": 0.03, "short": 0.03}  # first answer of a replay, by share
MISSING = 0.02  # captures the archive holds as 404 pages
BAD_STAMP = 0.005  # listed under a timestamp that is not one
# what each round collects: first July 1st-9th (a version), then all (the next version)
ROUNDS = ("soak-news.com/2012/07/0", "soak-news.com/")
PROSE = (
    "Officials in the port city said on Tuesday that the supply point would stay open despite "
    "the fighting nearby, according to a statement read out by the regional ministry. "
)


@dataclass
class Plan:
    """The archive's pages and what each should become: fetched, skipped or failed."""

    pages: list[Page]
    faults: dict[str, str]  # replay path -> the fault of its first answer
    expected: Counter[str] = field(default_factory=Counter)


def plan(n: int, rng: random.Random) -> Plan:
    pages, faults, expected = [], {}, Counter()
    for i in range(n):
        day = i % 28 + 1
        url = f"https://soak-news.com/2012/07/{day:02d}/report-{i}-from-the-port"
        stamp = f"201207{day:02d}{i % 24:02d}{i % 60:02d}{(i // 60) % 60:02d}"
        body = article(f"Report {i} from the port", [PROSE * 3, f"Report {i}. " + PROSE, PROSE])
        draw = rng.random()
        if draw < BAD_STAMP:
            pages.append(Page(url, "2012XX01", body))
            expected["failed"] += 1
            continue
        if draw < BAD_STAMP + MISSING:
            pages.append(Page(url, stamp, b"gone", "404 Not Found"))
            expected["skipped"] += 1
            continue
        pages.append(Page(url, stamp, body))
        expected["fetched"] += 1
        draw = rng.random()
        for name, share in FAULTS.items():
            if draw < share:
                faults[f"/web/{stamp}id_/{url}"] = name
                break
            draw -= share
    return Plan(pages, faults, expected)


class FaultyArchive(IAArchive):
    """IAArchive whose replays answer with a fault the first time, as `faults` says."""

    def __init__(self, pages: list[Page], faults: dict[str, str], page_size: int) -> None:
        super().__init__(pages, page_size=page_size)
        archive, base = self, self.server.RequestHandlerClass

        class Handler(base):
            def replay(self, rest: str) -> None:
                path = f"/web/{rest}"
                fault = faults.get(path) if archive.hits[path] == 1 else None
                if fault == "503":
                    return self.send(503, b"busy", {"Retry-After": "0"})
                if fault == "reset":
                    return self.hang_up()
                if fault == "short":
                    return self.send_short()
                return super().replay(rest)

        self.server.RequestHandlerClass = Handler
        self.server.handle_error = lambda *a: None  # a killed client's reset is expected


def write_config(folder: Path, archive: IAArchive, prefix: str, workers: int) -> None:
    (folder / "config.yaml").write_text(
        "dataset: {name: soak-news, dir: dataset}\nwork_dir: work\nsources:\n  - wayback:\n"
        f"      cdx: {archive.url}/cdx/search/cdx\n      replay: {archive.url}/web\n"
        f"      urls: [{prefix}]\n      match: prefix\n"
        "      filter: ['mimetype:text/html']\n      collapse: null\n"
        "fetch:\n  concurrency: 8\n  per_host: {concurrency: 8, min_interval: 0}\n"
        "  retries: 4\n  timeout: 10\n  deadline: 30\n  allow_private: true\n"
        f"clean: {{workers: {workers}}}\n"
    )


def scrape_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "scrape"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "scraper.cli"]


def children_of(pid: int) -> list[int]:
    """Processes still in the killed run's session (its workers), by pid."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == pid and int(stat.parent.name) != pid:  # field 6: session id
            out.append(int(stat.parent.name))
    return out


@dataclass
class Killer:
    """Runs `scrape COMMAND` again and again in `folder`, each killed (SIGKILL) at a random
    moment (`after`, seconds) while kills are left, until one run finishes with status 0."""

    folder: Path
    env: dict[str, str]
    rng: random.Random
    after: tuple[float, float]
    max_kills: int
    limit: float  # seconds one call of `run` may take in all
    kills: int = 0
    runs: int = 0
    orphans: int = 0  # worker processes still alive a second after their parent's kill
    seconds: float = 0.0

    def run(self, command: str) -> None:
        start, log = time.monotonic(), self.folder / f"{command}.log"
        while time.monotonic() - start < self.limit:
            self.runs += 1
            with open(log, "ab") as out:
                proc = subprocess.Popen(
                    [*scrape_cmd(), command],
                    cwd=self.folder,
                    env=self.env,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            killing = self.kills < self.max_kills
            try:
                code = proc.wait(timeout=self.rng.uniform(*self.after) if killing else self.limit)
            except subprocess.TimeoutExpired:
                self._kill(proc)
                continue
            if code != 0:
                sys.exit(f"scrape {command} exited {code}; see {log}")
            self.seconds += time.monotonic() - start
            return
        sys.exit(f"scrape {command} did not finish within {self.limit:.0f} s; see {log}")

    def _kill(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.kills += 1
        time.sleep(1.0)
        left = children_of(proc.pid)
        self.orphans += len(left)
        for pid in left:
            os.kill(pid, signal.SIGKILL)

    def summary(self, command: str) -> str:
        return f"scrape {command}: {self.runs} runs, {self.kills} killed, {self.seconds:.0f} s"


def store_counts(folder: Path) -> dict[str, object]:
    """Response and metadata records in the raw store, per capture key."""
    from warcio.archiveiterator import ArchiveIterator

    keys: Counter[str] = Counter()
    metadata = 0
    for path in sorted((folder / "work" / "warc").glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type == "response":
                    keys[record.rec_headers.get_header("WARC-Scraper-Key")] += 1
                elif record.rec_type == "metadata":
                    metadata += 1
    return {"keys": keys, "metadata": metadata}


def state_counts(folder: Path) -> tuple[dict[str, int], str]:
    with sqlite3.connect(folder / "work" / "state.sqlite") as con:
        statuses = dict(con.execute("select status, count(*) from captures group by status"))
        check = con.execute("pragma integrity_check").fetchone()[0]
    return statuses, check


def versions_loaded(folder: Path) -> list[tuple[str, int, int]]:
    """(version, rows recorded, rows `load_dataset` gives) for every version."""
    from datasets import disable_progress_bars, load_dataset

    from scraper.package import load_versions

    disable_progress_bars()
    out = []
    for record in load_versions(folder / "dataset"):
        cache = tempfile.mkdtemp(prefix="soak-cache-", dir=folder)
        ds = load_dataset(str(folder / "dataset"), record.config, split="train", cache_dir=cache)
        out.append((record.version, record.num_examples, len(ds)))
    return out


def last_run(folder: Path) -> dict:
    """What the run that made the latest version saw: inputs, documents, what it left out."""
    return json.loads((folder / "dataset" / "versions.json").read_text())["versions"][-1]["run"]


class Report:
    def __init__(self) -> None:
        self.missed: list[str] = []

    def line(self, label: str, value: object, ok: bool | None = None) -> None:
        mark = "" if ok is None else ("  ok" if ok else "  MISSED")
        print(f"  {label:<48} {value}{mark}")
        if ok is False:
            self.missed.append(label)


def check_collect(out: Report, folder: Path, p: Plan, runs: Killer) -> int:
    stored = store_counts(folder)
    keys: Counter[str] = stored["keys"]  # type: ignore[assignment]
    responses, unique = sum(keys.values()), len(keys)
    holds = {f"wayback|{x.timestamp}|{x.url}" for x in p.pages if x.status.startswith("200")}
    holds = {k for k in holds if "XX" not in k}
    statuses, integrity = state_counts(folder)
    print(runs.summary("collect"))
    out.line("response records stored / unique captures", f"{responses} / {unique}")
    out.line(
        "  ... / 200 pages the archive holds", f"{unique} / {len(holds)}", unique == len(holds)
    )
    out.line("duplicates", responses - unique, responses == unique)
    out.line("lost (held, not stored)", len(holds - set(keys)), not holds - set(keys))
    out.line("stored, not held", len(set(keys) - holds), not set(keys) - holds)
    out.line(
        "metadata records / responses",
        f"{stored['metadata']} / {responses}",
        stored["metadata"] == responses,
    )
    out.line("run state", dict(sorted(statuses.items())), statuses == dict(p.expected))
    out.line("PRAGMA integrity_check", integrity, integrity == "ok")
    left_open = list((folder / "work" / "warc").glob("*.open"))
    out.line("WARC files left open", len(left_open), not left_open)
    out.line("workers left running after a kill", runs.orphans)
    return unique


def check_clean(
    out: Report, folder: Path, runs: Killer, stored: int, tmp: Path, rounds: int
) -> None:
    print(runs.summary("clean"))
    loaded = versions_loaded(folder)
    for version, recorded, rows in loaded:
        out.line(
            f"version {version}: rows recorded / loaded", f"{recorded} / {rows}", recorded == rows
        )
    out.line("versions (one per round)", len(loaded), len(loaded) == rounds)
    if loaded:
        run = last_run(folder)
        left_out = sum(run["dropped"].values()) + len(run["duplicates"]) + len(run["failed"])
        out.line(
            "inputs read / captures stored", f"{run['inputs']} / {stored}", run["inputs"] == stored
        )
        out.line(
            "rows + left out / inputs",
            f"{loaded[-1][2]} + {left_out} / {run['inputs']}",
            loaded[-1][2] + left_out == run["inputs"],
        )
        out.line(
            "left out, by reason",
            {**run["dropped"], "duplicates": len(run["duplicates"]), "failed": len(run["failed"])},
        )
    leftovers = [p for p in (folder / "dataset").rglob("*") if ".tmp-" in p.name]
    out.line("temporary files left in the dataset", len(leftovers), not leftovers)
    out.line("temporary folders left by killed runs", len(list(tmp.iterdir())))


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--captures", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, choices=(1, 2), default=2, help="collect + clean rounds")
    ap.add_argument("--kill-after", type=float, nargs=2, default=(1.0, 8.0), metavar=("MIN", "MAX"))
    ap.add_argument("--max-kills", type=int, default=100, help="then a collect runs to the end")
    ap.add_argument("--clean-kill-after", type=float, nargs=2, default=(1.0, 5.0))
    ap.add_argument("--clean-kills", type=int, default=4, help="per round")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=float, default=900, help="seconds per command, at most")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="scraper-soak-"))
    tmp = folder / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.update(HF_HOME=str(folder / "hf"), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
    p = plan(args.captures, rng)
    print(
        f"{args.captures} captures in {folder}; expected {dict(p.expected)}, "
        f"{len(p.faults)} replays fault first"
    )
    collects = Killer(folder, env, rng, args.kill_after, args.max_kills, args.limit)
    cleans = Killer(folder, env, rng, args.clean_kill_after, 0, args.limit)
    with FaultyArchive(p.pages, p.faults, page_size=500) as archive:
        for prefix in ROUNDS[-args.rounds :]:
            write_config(folder, archive, prefix, args.workers)
            collects.run("collect")
            cleans.max_kills += args.clean_kills
            cleans.run("clean")
    out = Report()
    stored = check_collect(out, folder, p, collects)
    check_clean(out, folder, cleans, stored, tmp, args.rounds)
    print("all targets met" if not out.missed else f"MISSED: {', '.join(out.missed)}")
    return 1 if out.missed else 0


if __name__ == "__main__":
    sys.exit(main())
