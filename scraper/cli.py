"""The `scrape` command: thin wrappers over library functions.

What every command shares (global options, one-line errors and exit statuses, Ctrl-C) is
in `commandline`; the progress bars are in `progress`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .commandline import (
    command,
    console,
    global_options,
    interrupt_summary,
    usage_checked,
    writable_file,
)
from .config import Config
from .errors import PartlyFailed
from .package import Diff, load_versions
from .package.history import diff_versions, find_version
from .parallel import check_scheduler
from .pipeline import RunReport, count_captures, run_clean
from .progress import CollectProgress, clean_progress

log = logging.getLogger(__name__)


@click.group()
@click.version_option(package_name="scraper")
@global_options()
def cli() -> None:
    """Collect news articles from web archives, clean them, package a versioned dataset.

    Exit status: 0 all done; 1 finished with failures (listed) that a rerun may fix, or
    stopped by an error; 2 a usage or config error; 75 the folder is busy (--no-wait);
    130 interrupted."""


def no_wait_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--no-wait: refuse (exit status 75) rather than wait while another run holds the folder."""
    return click.option(
        "--no-wait",
        "no_wait",
        is_flag=True,
        help="If another run is using the folder, exit with status 75 instead of waiting.",
    )(fn)


def _say(message: str) -> None:
    """A message on stderr as one line, however narrow the terminal."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def _summary(report: RunReport, config: Config) -> Table:
    t = Table(title="scrape clean", show_header=False)
    t.add_row("inputs", str(report.seen))
    t.add_row("documents kept", str(report.documents))
    for kind, n in sorted(report.removed_by_kind.items(), key=lambda x: (-x[1], x[0])):
        t.add_row(f"removed spans: {kind}", str(n))
    for reason, n in sorted(report.dropped.items()):
        t.add_row(f"dropped: {reason}", str(n))
    for s in report.skipped:
        t.add_row(f"failed: {s.id}", s.reason)
    out = report.outcome
    where = _shown(config.path(config.dataset.dir))
    if out and out.version:
        t.add_row("dataset", f"new version v{out.version} in {where}")
    elif out:
        t.add_row("dataset", f"unchanged: latest is v{out.latest} in {where}")
    if out and out.rebuilt:
        t.add_row("rebuilt missing shards", ", ".join(out.rebuilt))
    return t


def _broken(report: RunReport, config: Config) -> list[str]:
    """One line per version whose shard files are missing and were not made again."""
    where = _shown(config.path(config.dataset.dir))
    return [
        f"broken: v{version} in {where} lacks {', '.join(paths)} and these inputs do not "
        f"rebuild it; loading v{version} fails until a run with the inputs that made it"
        for version, paths in (report.outcome.broken if report.outcome else {}).items()
    ]


@command(cli)
@click.option("--version", "force_version", help="Version number to give the new version (X.Y.Z).")
@click.option(
    "--workers", type=click.IntRange(min=1), help="Processes to clean with (default: all cores)."
)
@click.option(
    "--scheduler",
    callback=usage_checked(check_scheduler),
    help="Clean on Dask: 'local' starts a LocalCluster, or tcp://HOST:PORT.",
)
@no_wait_option
def clean(
    config: Config,
    force_version: str | None,
    workers: int | None,
    scheduler: str | None,
    no_wait: bool,
) -> None:
    """Clean the collected captures and seeds into a new dataset version."""
    report = RunReport()  # filled as the run goes: Ctrl-C still has the counts so far
    with (
        interrupt_summary(
            lambda: console.print(_summary(report, config)),
            "no version was written; run it again to clean from the start",
        ),
        clean_progress(console, count_captures(config)) as advance,
    ):
        run_clean(
            config,
            force_version=force_version,
            progress=advance,
            workers=workers,
            scheduler=scheduler,
            wait=not no_wait,
            on_wait=_say,
            report=report,
        )
    console.print(_summary(report, config))
    for line in _broken(report, config):
        _say(line)
    if report.skipped:
        raise PartlyFailed(
            f"{len(report.skipped)} input(s) could not be cleaned; the summary lists them and why"
        )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@command(cli)
def versions(config: Config) -> None:
    """List the dataset's versions with date, documents and size."""
    records = load_versions(config.path(config.dataset.dir))
    t = Table("version", "created (UTC)", "documents", "added", "removed", "changed", "size")
    for r in reversed(records):
        ch = r.changes
        t.add_row(
            f"v{r.version}",
            r.created.replace("T", " ").rstrip("Z"),
            str(r.num_examples),
            str(ch.get("added", 0)),
            str(ch.get("removed", 0)),
            str(ch.get("changed", 0)),
            _size(r.download_size),
        )
    Console().print(t if records else "no versions yet: run `scrape clean`")


def _diff_summary(result: Diff, title: str) -> Table:
    """Counts of documents added, removed and changed, and removed spans per rule."""
    t = Table(title=title, show_header=False)
    for label, n in result.counts().items():
        t.add_row(label, str(n))
    for rule, n in result.rule_totals().items():
        t.add_row(f"removed spans: {rule}", f"{n:+d}")
    return t


def _diff_documents(result: Diff) -> Table:
    """One row per document that differs: ids whole (to copy), titles wrapped."""
    t = Table("change", "id", "title", "what changed")
    for label, docs in (("added", result.added), ("removed", result.removed)):
        for doc_id, title in docs:
            t.add_row(label, doc_id, title or "", "")
    for c in result.changed:
        rules = ", ".join(f"{rule} {n:+d}" for rule, n in c.rules.items())
        what = ", ".join(c.fields) + (f" (removed spans: {rules})" if rules else "")
        t.add_row("changed", c.id, c.title or "", what)
    t.columns[1].no_wrap = True
    return t


@command(cli)
@click.argument("old")
@click.argument("new", default="latest")
@click.option(
    "--details", is_flag=True, help="List the documents, with a short text diff of each change."
)
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
def diff(config: Config, old: str, new: str, details: bool, as_json: bool) -> None:
    """Count the documents added, removed and changed from version OLD to NEW."""
    root = config.path(config.dataset.dir)
    result = diff_versions(root, old, new)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    out = Console(highlight=False)
    names = " → ".join(f"v{find_version(root, name).version}" for name in (old, new))
    summary = _diff_summary(result, names)
    if not details and not result.empty:
        summary.caption = "--details lists the documents"
    out.print(summary)
    if not details or result.empty:
        return
    out.print(_diff_documents(result))
    for c in result.changed:
        if c.text_diff:
            out.print(f"\n{c.id} {c.title or ''}", markup=False, style="bold")
            for line in c.text_diff:
                out.print(f"    {line}", markup=False)


@command(cli)
@click.option("--repo-id", help="Hub dataset repo (default: dataset.name in the config).")
@click.option("--private", is_flag=True, help="Create the repo as private.")
def publish(config: Config, repo_id: str | None, private: bool) -> None:
    """Push every version not yet on the Hugging Face Hub, each with a git tag."""
    from .publish import publish as push

    result = push(
        config,
        repo_id=repo_id,
        private=private,
        on_version=lambda v: console.print(f"published v{v}"),
    )
    if result.published:
        console.print(f"{result.repo_id}: tagged " + ", ".join(f"v{v}" for v in result.published))
    else:
        console.print(f"{result.repo_id}: every version is already on the Hub")


@command(cli)
@click.option("--dry-run", is_flag=True, help="List what would be fetched; fetch nothing.")
@click.option("--limit", type=click.IntRange(min=1), help="Fetch at most N captures this run.")
@click.option("--retry-failed", is_flag=True, help="Try captures that failed before once more.")
@no_wait_option
def collect(
    config: Config, dry_run: bool, limit: int | None, retry_failed: bool, no_wait: bool
) -> None:
    """Fetch captures from the configured archives into the raw store (resumable)."""
    from .collect import collect as run
    from .sources import nothing_to_collect

    tally = CollectProgress(console)
    with (
        interrupt_summary(
            lambda: console.print(_collect_summary(tally.so_far(), dry_run=False)),
            "nothing fetched is lost; run it again to resume",
        ),
        tally,
    ):
        report = run(
            config,
            dry_run=dry_run,
            limit=limit,
            retry_failed=retry_failed,
            on=tally,
            wait=not no_wait,
            on_wait=_say,
        )
    if dry_run:
        for x in report.pending:
            click.echo(f"{x.source}\t{x.timestamp or '-'}\t{x.url}\t{x.fetch}")
    nothing = nothing_to_collect(config)
    if nothing is None or report.recovered:
        console.print(_collect_summary(report, dry_run))
    if nothing:
        _say(nothing)
    for warning in report.warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)
    for error in report.errors:  # a source whose listing failed; the others were collected
        log.error("%s", error, extra={"prefix": "error: "})
    failed = sum(report.failed.values())
    if report.errors or failed:
        raise PartlyFailed(_collect_failures(len(report.errors), failed))


def _collect_failures(sources: int, captures: int) -> str:
    """The last line of a collect that finished with failures: how many, and what to do."""
    parts = [f"{sources} source(s) could not be listed"] if sources else []
    if captures:
        parts.append(f"{captures} capture(s) could not be fetched (by reason in the summary)")
    again = "`scrape collect --retry-failed` tries the captures again" if captures else ""
    return "; ".join(parts) + (f"; {again}" if again else "; run it again once they answer")


def _collect_summary(report: Any, dry_run: bool) -> Table:
    """Per source: listed, fetched, failed, skipped; then the failures by reason."""
    t = Table("source", "listed (new)", "fetched", "failed", "skipped", title="scrape collect")
    for source in sorted(
        set(report.listed) | set(report.fetched) | set(report.failed) | set(report.skipped)
    ):
        t.add_row(
            source,
            str(report.listed[source]),
            str(report.fetched[source]),
            str(report.failed[source]),
            str(report.skipped[source]),
        )
    if dry_run:
        t.add_row("would fetch", str(len(report.pending)), "", "", "")
    if report.recovered:
        t.add_row("recovered from an interrupted run", str(report.recovered), "", "", "")
    if report.prefiltered:
        t.add_row("ruled out by the url prefilter", "", "", "", str(report.prefiltered))
    for reason, n in report.reasons.most_common():
        t.add_row(f"  {reason}", "", "", str(n), "")
    return t


@command(cli)
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for machines.")
def explain(config: Config, target: str, as_json: bool) -> None:
    """Show each line of FILE_OR_URL with its decision: kept, or dropped by which rule."""
    from .explain import explain_target, page_type_of

    doc, decisions, url = explain_target(target, config)
    if as_json:
        for d in decisions:
            click.echo(json.dumps(d.as_dict(), ensure_ascii=False))
        return
    out = Console(highlight=False)
    out.print(
        f"[bold]{doc.title or '(no title)'}[/]  publisher={doc.publisher} rules={doc.rule_version}"
    )
    verdict = page_type_of(doc, url)
    kept = verdict.page_type in config.filters.page_types
    out.print(
        f"page type: [{'green' if kept else 'red'}]{verdict.page_type}[/]"
        f"{'' if kept else ' (not in filters.page_types: dropped)'} — "
        + "; ".join(verdict.reasons),
        markup=True,
    )
    styles = {"kept": "green", "dropped": "red", "title": "cyan", "meta": "cyan"}
    for d in decisions:
        why = f"{d.decision}" + (f" by {d.rule} ({d.kind})" if d.decision == "dropped" else "")
        why += " (lead, from the page's description)" if d.kind == "lead" else ""
        out.print(f"{d.n:>4} [{styles[d.decision]}]{why:<44}[/] ", end="")
        out.print(d.text, markup=False)


@command(cli)
@click.argument("exemplars", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Merge the plan's sources into config.yaml.")
@click.option("--explain", "target", metavar="FILE_OR_URL", help="Score one page and say why.")
def discover(config: Config, exemplars: tuple[Path, ...], write: bool, target: str | None) -> None:
    """Propose a collection plan from the exemplar articles (default: the seeds)."""
    import yaml

    from .discover.plan import merge_into_config
    from .discover.run import discover as run
    from .discover.run import publisher_counts, score_target
    from .explain import explain_source

    found = run(config, list(exemplars) or None)
    if target:
        doc, rel = score_target(config, found.model, *explain_source(target, config))
        nearest = next((e for e in found.exemplars if e.id == rel.nearest), None)
        click.echo(f"{target}\n  title: {doc.title or '(no title)'}\n  score: {rel.score:.3f}")
        click.echo(f"  nearest exemplar: {rel.nearest} ({nearest.title if nearest else '?'})")
        click.echo("  terms that drove it: " + ", ".join(f"{w} {s:.3f}" for w, s in rel.terms))
        return
    for note in found.notes:
        _say(f"note: {note}")
    console.print("salient terms: " + ", ".join(found.plan.terms), highlight=False)
    counts = publisher_counts(config, found.plan)
    t = Table("publisher", "queries", "listed", "kept by url", "fetched", "kept by relevance")
    for p in found.plan.publishers:
        c = counts[p.domain]
        queries = "\n".join(
            f"{', '.join(q.urls[:2])}{' …' if len(q.urls) > 2 else ''} ({q.match})"
            + (f" {q.start}..{q.end}" if q.start else "")
            for q in p.queries
        )
        t.add_row(
            p.publisher,
            queries,
            *map(str, (c.listed, c.kept_by_url, c.fetched, c.kept_by_relevance)),
        )
    console.print(t)
    sources = found.plan.sources()
    if write:
        path = config.base_dir / "config.yaml"
        added = merge_into_config(path, sources)
        console.print(
            f"{added} new sources merged into {_shown(path)} ({len(sources) - added} there already)"
        )
    else:
        click.echo(
            yaml.safe_dump(
                {"sources": sources},
                sort_keys=False,
                allow_unicode=True,
                default_flow_style=None,  # lists of words on one (wrapped) line
                width=100,
            ),
            nl=False,
        )


@cli.group()
def rules() -> None:
    """Check the rule fixtures, and suggest rules from repeated lines."""


@command(rules, "test")
@click.argument("publisher", required=False)
@click.option(
    "--update", is_flag=True, help="Rewrite expected outputs that differ, after a review."
)
def rules_test(publisher: str | None, update: bool, config_path: Path | None) -> None:
    """Run every rule version against its fixture; show a diff where the output differs.

    With --config, the rule files that config lists, with the fixtures beside them."""
    from .rules.fixtures import run_fixtures

    failed = run_fixtures(publisher, config_path, update=update, say=click.echo)
    if failed:
        raise PartlyFailed(f"{failed} fixture(s) differ or are missing (listed above)")


@command(rules, "suggest")
@click.argument("publisher")
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Share of the publisher's documents a line must appear in.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    help="Write the rule file here (default: print it).",
)
def rules_suggest(config: Config, publisher: str, min_share: float, output: Path | None) -> None:
    """Suggest rules for PUBLISHER (its name, rule file stem or domain) from lines that
    repeat across its documents."""
    from .suggest import render_rule_file, suggest

    found = suggest(config, publisher, min_share=min_share)
    if not found.rules:
        _say(found.nothing_found())
        return
    text = render_rule_file(found)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(
            f"{len(found.rules)} suggested rule(s) from {found.documents} documents in {output}"
        )
    else:
        click.echo(text, nl=False)


@command(cli)
@click.argument("version", default="latest")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    default=Path("report.html"),
    show_default=True,
    help="Where to write the page.",
)
def report(config: Config, version: str, output: Path) -> None:
    """Write a self-contained HTML report of a dataset version (default: the latest)."""
    from .report import write_report

    console.print(f"report written to {write_report(config, version, output)}")
