"""A run: sources -> clean -> filters -> a new dataset version.

Each step is a generator over documents; whatever a step drops is counted by reason, and
inputs that cannot be cleaned are skipped with their reason, never stopping the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from .cleaning import rulebook_for
from .config import Config
from .discover.exemplars import exemplar_captures, exemplar_files
from .discover.relevance import RelevanceModel, build_model
from .filters import FilterStage, build_stage
from .filters.dedup import DEDUP_SETTINGS, Deduplicator, Duplicate
from .filters.language import detector_name
from .locks import OnWait, folder_lock
from .models import Capture, Document, Dropped, Packed, SkippedInput
from .package import CardSettings, Outcome, load_versions, write_version
from .package.shards import iter_rows
from .parallel import clean_in_pool, clean_on_dask, default_workers
from .repetition import RepeatedLines
from .sources import iter_store, sources_of

__all__ = [
    "RunReport",
    "clean_captures",
    "count_captures",
    "gate_captures",
    "read_captures",
    "run_clean",
    "unique_captures",
]

Progress = Callable[[int], None]
_LISTED_DUPLICATES = 10_000  # in versions.json; the count is always complete


def code_version() -> str:
    try:
        return version("scraper")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class RunReport:
    """What a `scrape clean` run did: shown as the summary table, kept for the report."""

    seen: int = 0
    documents: int = 0
    skipped: list[SkippedInput] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    outcome: Outcome | None = None
    duplicates: list[Duplicate] = field(default_factory=list)


def read_captures(config: Config) -> Iterator[Capture | SkippedInput]:
    """Every capture held locally: the local sources (seeds, WARC files), then the
    collector's raw store; and a line for each input file that could not be read."""
    for source in sources_of(config):
        if source.local:
            yield from source.captures()
    yield from iter_store(config.store_dir, max_bytes=config.fetch.max_bytes)


def count_captures(config: Config) -> int | None:
    """How many captures `read_captures` will give, without reading them (None: unknown)."""
    total = 0
    for source in sources_of(config):
        if not source.local:
            continue
        n = source.count()
        if n is None:
            return None
        total += n
    if config.state_file.exists():
        with sqlite3.connect(config.state_file) as db:
            total += db.execute(
                "select count(*) from captures where status = 'fetched'"
            ).fetchone()[0]
    elif config.store_dir.is_dir():
        return None
    return total


def unique_captures(
    captures: Iterable[Capture | SkippedInput], report: RunReport
) -> Iterator[Capture]:
    """Count inputs, and pass each capture id once (a store can hold a capture twice)."""
    seen: set[str] = set()
    for cap in captures:
        if isinstance(cap, SkippedInput):  # an input file that could not be (fully) read
            report.skipped.append(cap)
            continue
        report.seen += 1
        if cap.id in seen:
            report.skipped.append(SkippedInput(cap.id, "the same capture twice in the inputs"))
            continue
        seen.add(cap.id)
        yield cap


Cleaned = dict[tuple[str, str], Document]  # (capture id, raw sha256) -> its document


def relevance_model(
    config: Config, *, workers: int | None = None
) -> tuple[RelevanceModel | None, Cleaned]:
    """The exemplars' model, built once, and the exemplars as cleaned for it: a seed that is
    also a document is not cleaned again (`reuse_exemplars`). They are cleaned in the worker
    pool, so one that hangs or fails costs itself."""
    captures = exemplar_captures(exemplar_files(config))
    if not captures:
        return None, {}
    workers = min(len(captures), workers or config.clean.workers or default_workers())
    cleaned = clean_in_pool(captures, config, workers=workers, judge=False)
    docs = [p.unpack() for p in cleaned if isinstance(p, Packed)]
    with_text = [d for d in docs if d.text.strip()]
    model = build_model(with_text, config.discover.terms) if with_text else None
    return model, {(d.id, d.raw_sha256): d for d in docs}


def reuse_exemplars(
    captures: Iterable[Capture], cleaned: Cleaned, stage: FilterStage, done: list
) -> Iterator[Capture]:
    """Pass on the captures still to clean; an exemplar cleaned already is annotated and
    judged here (a few documents), its result put in `done`."""
    for cap in captures:
        doc = cleaned.get((cap.id, hashlib.sha256(cap.content).hexdigest())) if cleaned else None
        if doc is None:
            yield cap
            continue
        doc = stage.annotate(doc, cap)
        reason = stage.judge(doc, cap)
        done.append(Dropped(cap.id, reason) if reason else Packed.pack(doc))


def gate_captures(
    captures: Iterable[Capture],
    stage: FilterStage,
    report: RunReport,
    progress: Progress | None = None,
) -> Iterator[Capture]:
    """The filter stage's capture steps, here in the main process: a refused record (a dns
    lookup, an image, a 404) is counted and never sent to a worker."""
    for cap in captures:
        reason = stage.check_capture(cap)
        if reason is None:
            yield cap
            continue
        report.dropped[reason] += 1
        if progress:
            progress(1)


def clean_captures(
    captures: Iterable[Capture | SkippedInput],
    config: Config,
    report: RunReport,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Iterator[Packed]:
    """Gate, clean, annotate and judge in worker processes (or on Dask): what is dropped
    is counted by reason, documents that fail are recorded; neither is raised."""
    model, exemplars = relevance_model(config, workers=workers)
    stage = build_stage(config, model)
    reused: list[Packed | Dropped] = []  # filled while the captures stream to the workers
    todo = reuse_exemplars(
        gate_captures(unique_captures(captures, report), stage, report, progress),
        exemplars,
        stage,
        reused,
    )
    if scheduler:
        results = clean_on_dask(todo, config, scheduler=scheduler, workers=workers, model=model)
    else:
        results = clean_in_pool(todo, config, workers=workers, model=model)
    for result in itertools.chain(results, reused):
        if progress:
            progress(1)
        if isinstance(result, SkippedInput):
            report.skipped.append(result)
        elif isinstance(result, Dropped):
            report.dropped[result.reason] += 1
        else:
            yield result


def deduplicate(docs: Iterable[Packed], config: Config, report: RunReport) -> Iterator[Document]:
    """Drop exact and near-duplicates (filters.near_duplicates); record which copy was kept."""
    root = config.path(config.dataset.dir)
    records = load_versions(root)
    latest = records[-1].shards_on_disk(root) if records else []
    previous = frozenset(r["id"] for r in iter_rows(root, latest, ["id"]))
    dedup = Deduplicator(config.filters.near_duplicates, previous)
    kept = dedup.run(docs)
    yield from kept
    report.duplicates = dedup.dropped
    for d in dedup.dropped:
        report.dropped["exact duplicate" if d.similarity == 1.0 else "near-duplicate"] += 1


def tally(docs: Iterable[Document], report: RunReport) -> Iterator[Document]:
    """Count what goes into the dataset: documents, and removed spans per kind."""
    for doc in docs:
        report.documents += 1
        report.removed_by_kind.update(r.kind for r in doc.removed)
        yield doc


def run_clean(
    config: Config,
    *,
    force_version: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    wait: bool = True,
    on_wait: OnWait | None = None,
    report: RunReport | None = None,
) -> RunReport:
    """Clean every capture the sources hold and write a dataset version if content changed.

    The local sources are checked first (a missing seeds folder stops the run before any
    folder is made). Holds the dataset folder's lock throughout (from reading the latest
    version to the last write), so a second run on the folder waits, or with `wait=False`
    raises LockedError, instead of numbering the same version. `report` is filled as the
    run goes: a caller interrupted part-way still has the counts so far.
    """
    for source in sources_of(config):
        source.check()
    report = RunReport() if report is None else report
    with folder_lock(config.path(config.dataset.dir), "clean", wait=wait, on_wait=on_wait):
        _run_clean(
            config,
            report,
            force_version=force_version,
            progress=progress,
            workers=workers,
            scheduler=scheduler,
        )
    return report


def _run_clean(
    config: Config,
    report: RunReport,
    *,
    force_version: str | None,
    progress: Progress | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    book = rulebook_for(config)
    cleaned = clean_captures(
        read_captures(config),
        config,
        report,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    repeated = RepeatedLines(config.clean.repeated)  # after dedup: copies are not repeats
    docs = tally(repeated.run(deduplicate(cleaned, config, report)), report)
    report.outcome = write_version(
        (d.row() for d in docs),
        config.path(config.dataset.dir),
        card=CardSettings.of(config.dataset),
        rows_per_shard=config.dataset.rows_per_shard,
        config_sha256=config.digest(),
        rules_sha256=book.digests(config.base_dir),
        code_version=code_version(),
        force_version=force_version,
        run=lambda: {
            "inputs": report.seen,
            "documents": report.documents,
            "dropped": dict(sorted(report.dropped.items())),
            "language_id": detector_name(),
            "dedup": {**DEDUP_SETTINGS, "threshold": config.filters.near_duplicates},
            "duplicates": [dataclasses.asdict(d) for d in report.duplicates[:_LISTED_DUPLICATES]],
            "failed": sorted(
                ({"id": s.id, "reason": s.reason} for s in report.skipped), key=lambda f: f["id"]
            ),
        },
    )
