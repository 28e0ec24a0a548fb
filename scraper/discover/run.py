"""`scrape discover`: exemplars -> model + plan, and how far the plan has got per publisher."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from ..cleaning import clean_lines, rulebook_for
from ..collect import PREFILTERED
from ..config import Config
from ..errors import InputError
from ..models import Document, Relevance
from ..package import load_versions
from ..package.shards import iter_rows
from .exemplars import exemplar_files, load_exemplars
from .plan import Plan, make_plan
from .relevance import RelevanceModel, build_model

__all__ = ["Discovery", "PublisherCounts", "discover", "publisher_counts", "score_target"]


@dataclass
class Discovery:
    """The exemplars and their model; the plan is made when first asked for, since
    making it may ask the archive (to date an exemplar) and `--explain` needs none."""

    config: Config
    exemplars: list[Document]
    model: RelevanceModel
    problems: list[str] = field(default_factory=list)

    @cached_property
    def plan(self) -> Plan:
        return make_plan(self.config, self.exemplars, self.model)

    @property
    def notes(self) -> list[str]:
        return self.problems + self.plan.notes


@dataclass
class PublisherCounts:
    listed: int = 0
    kept_by_url: int = 0
    fetched: int = 0
    kept_by_relevance: int = 0


def discover(config: Config, files: list[Path] | None = None) -> Discovery:
    """The model and plan of the exemplars (the config's, or `files`)."""
    files = files or exemplar_files(config)
    if not files:
        raise InputError(
            "no exemplars: put article files in the seeds folder, name them"
            " (scrape discover FILE...), or set discover.exemplars in config.yaml"
        )
    docs, problems = load_exemplars(config, files)
    if not docs:
        raise InputError(f"no usable exemplars among {len(files)} files: " + "; ".join(problems))
    return Discovery(config, docs, build_model(docs, config.discover.terms), problems)


def score_target(
    config: Config, model: RelevanceModel, data: bytes, url: str | None
) -> tuple[Document, Relevance]:
    """A page cleaned like any capture, and its relevance, explained."""
    doc, _ = clean_lines(rulebook_for(config), data, url=url)
    return doc, model.score(doc.text, explain=True)


def _on(url: str, domain: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def publisher_counts(config: Config, plan: Plan) -> dict[str, PublisherCounts]:
    """Per publisher domain: captures listed, kept by the url prefilter, fetched (from the
    collector's state), and kept by relevance (rows of the latest dataset version)."""
    counts = {p.domain: PublisherCounts() for p in plan.publishers}
    if config.state_file.exists():
        with sqlite3.connect(config.state_file) as db:
            rows = db.execute("select url, status, reason from captures where source = 'wayback'")
            for url, status, reason in rows:
                for domain, c in counts.items():
                    if _on(url, domain):
                        c.listed += 1
                        c.kept_by_url += reason != PREFILTERED
                        c.fetched += status == "fetched"
    root = config.path(config.dataset.dir)
    records = load_versions(root)
    if records:
        for row in iter_rows(root, records[-1].shard_paths, ["url", "source"]):
            if row["url"] and row["source"] != "seed":
                for domain, c in counts.items():
                    c.kept_by_relevance += _on(row["url"], domain)
    return counts
