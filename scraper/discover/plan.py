"""The collection plan `scrape discover` proposes: one Wayback query per publisher and
date window, prefiltered by the exemplars' salient terms.

Where an exemplar's publisher dates its urls (`/2012/02/07/slug`), the query is the
url prefix of each month in the window; otherwise it is the whole domain, restricted to
the window by capture date. An exemplar with no date of its own or in its text is looked
for in the archive by its title (dating.py): its capture's url, or the capture's date,
dates it. One still undated gets a domain-wide query with no window; one with no known
site gets none. Each such gap is a note, never an error.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..cleaning import parse_date, rulebook_for
from ..config import Config
from ..errors import ConfigError
from ..models import Document
from .dating import OwnCapture, find_own_captures
from .relevance import RelevanceModel
from .terms import background_language

__all__ = ["Query", "PublisherPlan", "Plan", "make_plan", "merge_into_config"]

_DATED_PATH = re.compile(r"^/(\d{4})/(\d{2})/")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")
_DATE_IN_TEXT = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}\b"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_FILTER = ["statuscode:200", "mimetype:text/html"]
_UNDATED = "no date: a domain-wide query without a date window"


@dataclass(frozen=True)
class Query:
    urls: tuple[str, ...]
    match: str  # prefix | domain
    start: date | None
    end: date | None


@dataclass
class PublisherPlan:
    publisher: str
    domain: str
    exemplars: list[str] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)


@dataclass
class Plan:
    publishers: list[PublisherPlan]
    terms: list[str]
    notes: list[str]
    archive: dict[str, str]

    def sources(self) -> list[dict[str, Any]]:
        """The plan as `sources:` entries of config.yaml."""
        out = []
        for p in self.publishers:
            for q in p.queries:
                entry: dict[str, Any] = {
                    "cdx": self.archive["cdx"],
                    "replay": self.archive["replay"],
                }
                entry.update(urls=list(q.urls), match=q.match)
                if q.start:
                    entry["from"] = q.start.isoformat()
                if q.end:
                    entry["to"] = q.end.isoformat()
                entry.update(filter=list(_FILTER), collapse="urlkey", url_terms=list(self.terms))
                out.append({"wayback": entry})
        return out


def _host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _date_of(doc: Document) -> tuple[date | None, str]:
    if doc.published:
        return doc.published, ""
    found = [d for m in _DATE_IN_TEXT.finditer(doc.text) if (d := parse_date(m.group()))]
    if found:
        return max(found), "its date is the latest one mentioned in its text"
    return None, _UNDATED


def _site_of(doc: Document, domains: dict[str, list[str]]) -> tuple[str | None, str]:
    """The exemplar's site: its url, else its publisher's rule file, else a url in its text
    on a domain that bears the publisher's name."""
    if doc.url:
        return _host(doc.url), ""
    if doc.publisher and domains.get(doc.publisher):
        return domains[doc.publisher][0], ""
    hosts = Counter(h for u in _URL_IN_TEXT.findall(doc.text) if (h := _host(u)))
    for host, _ in hosts.most_common():
        if doc.publisher and re.sub(r"\W", "", doc.publisher.lower()) in host.replace(".", ""):
            return host, "site from a url in its text"
    return None, "no url and no known publisher: no query for it (its text still scores)"


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _query(url: str | None, site: str, when: date | None, days: int) -> Query:
    if when is None:
        return Query((site,), "domain", None, None)
    start, end = when - timedelta(days=days), when + timedelta(days=days)
    path = urlsplit(url).path if url else ""
    if url and _DATED_PATH.match(path):
        host = urlsplit(url).hostname or site
        prefixes = tuple(f"{host}/{y:04}/{m:02}/" for y, m in _months(start, end))
        return Query(prefixes, "prefix", None, None)
    return Query((site,), "domain", start, end)


def make_plan(config: Config, exemplars: list[Document], model: RelevanceModel | None) -> Plan:
    """A query per exemplar, merged per publisher where windows overlap. An exemplar with
    no date is looked for in `discover.archive` (dating.py), which may date it."""
    book = rulebook_for(config)
    domains = {
        name: [d for f in files for d in f.rules.domains] for name, files in book.publishers.items()
    }
    notes: dict[str, list[str]] = {doc.id: [] for doc in exemplars}
    sites: dict[str, str] = {}
    for doc in exemplars:
        if background_language(doc.language) is None:
            notes[doc.id].append(
                f"language {doc.language or 'unknown'} has no background word list;"
                " its words are weighted as English"
            )
        site, why = _site_of(doc, domains)
        notes[doc.id] += [why] if why else []
        if site is not None:
            sites[doc.id] = site
    undated = {
        doc.id: (sites[doc.id], doc.title)
        for doc in exemplars
        if doc.id in sites and doc.title and _date_of(doc)[0] is None
    }
    own = find_own_captures(config.discover.archive, config.fetch, undated) if undated else {}
    plans: dict[str, PublisherPlan] = {}
    for doc in exemplars:
        if (site := sites.get(doc.id)) is None:
            continue
        when, why = _date_of(doc)
        url = doc.url
        if doc.id in own:
            when, url, why = _dated_by_archive(own[doc.id])
        notes[doc.id] += [why] if why else []
        plan = plans.setdefault(site, PublisherPlan(doc.publisher or site, site))
        plan.exemplars.append(doc.id)
        plan.queries.append(_query(url, site, when, config.discover.window_days))
    for plan in plans.values():
        plan.queries = _merge_queries(plan.queries)
    terms = [t for t, _ in model.salient] if model else []
    archive = config.discover.archive.model_dump()
    lines = [f"{doc_id}: {note}" for doc_id, said in notes.items() for note in said]
    return Plan(sorted(plans.values(), key=lambda p: p.domain), terms, lines, archive)


def _dated_by_archive(found: OwnCapture | str | None) -> tuple[date | None, str | None, str]:
    """(date, url, note) from the exemplar's own capture, or why it stays undated."""
    if isinstance(found, OwnCapture):
        dated = f"dated {found.published}"
        how = (
            f"{dated} by the url of" if found.dated_by_url else f"{dated}, the day of the first of"
        )
        note = f"no date in it: {how} its captures in the archive, {found.url}"
        return found.published, found.url, note
    if isinstance(found, str):
        return None, None, f"{_UNDATED} (the archive could not be asked to date it: {found})"
    return None, None, f"{_UNDATED} (no url naming its title in the archive)"


def _merge_queries(queries: list[Query]) -> list[Query]:
    """One query per kind: prefixes united, windows joined where they overlap."""
    out: list[Query] = []
    prefixes = sorted({u for q in queries if q.match == "prefix" for u in q.urls})
    if prefixes:
        out.append(Query(tuple(prefixes), "prefix", None, None))
    domain = [q for q in queries if q.match == "domain"]
    if any(q.start is None for q in domain):  # a domain-wide query covers every window
        return out + [Query(domain[0].urls, "domain", None, None)]
    for q in sorted(domain, key=lambda q: q.start):
        last = out[-1] if out and out[-1].match == "domain" else None
        if last and q.start <= last.end:
            out[-1] = Query(last.urls, "domain", last.start, max(last.end, q.end))
        else:
            out.append(q)
    return out


def merge_into_config(path: Path, entries: list[dict[str, Any]]) -> int:
    """Append the entries not already in the config's `sources:`, keeping its comments.

    With no `sources:` key the defaults' seeds source is written first, so adding the plan
    does not silently drop the seeds."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)  # `sources:` then `  - seeds:`, as shipped
    data = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping of keys to values")
    if "sources" not in data:
        data["sources"] = [{"seeds": {"dir": "seeds"}}]
    existing = [_plain(e) for e in data["sources"] or []]
    added = [e for e in entries if e not in existing]
    if data["sources"] is None:
        data["sources"] = []
    data["sources"].extend(_flow(e) for e in added)
    out = io.StringIO()
    yaml.dump(data, out)
    # ruamel leaves a space at the end of each wrapped line of a flow list
    path.write_text(out.getvalue().replace(", \n", ",\n"), encoding="utf-8")
    return len(added)


def _flow(node: Any) -> Any:
    """The entry with its lists in flow style, `[a, b, c]` on wrapped lines: forty salient
    terms one a line would bury the rest of config.yaml."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(node, dict):
        return {k: _flow(v) for k, v in node.items()}
    if isinstance(node, list):
        seq = CommentedSeq(node)
        seq.fa.set_flow_style()
        return seq
    return node


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
