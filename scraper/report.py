"""`scrape report`: one self-contained HTML page about a dataset version.

No network and no CDN: inline CSS and inline SVG bar charts. It shows documents per
source, publisher, language and month; removed spans per kind and rule, with examples in
context; what the filters dropped and which inputs failed; what changed against the
previous version; and every document with the spans removed from it struck through.
Everything comes from the version's own rows (`removed` holds every span with its rule),
never from cleaning again: an old version's report shows that version's removals.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .config import Config
from .package.history import find_version
from .package.shards import iter_rows
from .package.versions import load_versions

__all__ = ["build_report"]

_MAX_DOCS = 500
_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1.2rem}
figure{margin:0} figcaption{font-weight:600;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0} td,th{border-bottom:1px solid #eee;
padding:.25rem .5rem;text-align:left;vertical-align:top} th{background:#f6f6f6}
.bar{fill:#3b6ea8} .bar.drop{fill:#b8433b} svg text{font-size:12px;fill:#222}
del{color:#b8433b;background:#fbecea;text-decoration:line-through}
.meta{color:#666;font-size:13px} details{border:1px solid #eee;padding:.4rem .8rem;margin:.4rem 0}
summary{cursor:pointer;font-weight:600} .kind{font-size:11px;color:#fff;background:#b8433b;
border-radius:3px;padding:0 4px;margin-left:.4rem} .keep{margin:.2rem 0} .none{color:#888}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def bars(title: str, counts: dict[str, int], *, css: str = "bar", limit: int = 20) -> str:
    """A horizontal bar chart as inline SVG."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not items:
        return f'<figure><figcaption>{_e(title)}</figcaption><p class="none">nothing</p></figure>'
    top, label_w, bar_w, row = max(v for _, v in items), 210, 260, 22
    rows = []
    for i, (label, value) in enumerate(items):
        y, w = i * row, max(2, round(bar_w * value / top))
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(str(label)[:32])}</text>'
            f'<rect class="{css}" x="{label_w}" y="{y + 3}" width="{w}" height="{row - 6}">'
            f"<title>{_e(label)}: {value}</title></rect>"
            f'<text x="{label_w + w + 5}" y="{y + 15}">{value}</text>'
        )
    width, height = label_w + bar_w + 60, row * len(items)
    svg = f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    return f"<figure><figcaption>{_e(title)}</figcaption>{svg}{''.join(rows)}</svg></figure>"


def _table(head: list[str], rows: list[list[Any]], *, raw: bool = False) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    body = body or "<tr><td>none</td></tr>"
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _document(row: dict[str, Any]) -> str:
    """A row as the version holds it: its text, then each span removed, with rule and kind."""
    meta = " · ".join(
        _e(x) for x in (row["publisher"], row["published"], row["source"], row["url"]) if x
    )
    summary = f"<summary>{_e(row['title'] or row['id'])}</summary>"
    parts = [f'<details class="doc">{summary}<p class="meta">{meta}</p>']
    parts += [f'<p class="keep">{_e(p)}</p>' for p in (row["text"] or "").split("\n\n")]
    parts += [
        f'<p><del title="{_e(r["rule"])} ({_e(r["kind"])})">{_e(r["text"])}</del>'
        f'<span class="kind">{_e(r["kind"])}</span></p>'
        for r in row["removed"]
    ]
    return "".join(parts) + "</details>"


def build_report(config: Config, version: str = "latest") -> str:
    root = config.path(config.dataset.dir)
    rec = find_version(root, version)
    records = load_versions(root)
    rows = list(iter_rows(root, rec.shard_paths))
    rows.sort(key=lambda r: (r["publisher"] or "", str(r["published"] or ""), r["id"]))
    months = Counter(str(r["published"])[:7] if r["published"] else "undated" for r in rows)
    per_rule: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rule_kind: dict[str, str] = {}
    for r in rows:
        for x in r["removed"]:
            if x["kind"] in ("title", "meta"):
                continue
            per_rule[x["rule"]] += 1
            rule_kind[x["rule"]] = x["kind"]
            if len(examples[x["rule"]]) < 2:
                examples[x["rule"]].append((r["title"] or r["id"], x["text"]))
    kinds = Counter(
        x["kind"] for r in rows for x in r["removed"] if x["kind"] not in ("title", "meta")
    )

    idx = next(i for i, r in enumerate(records) if r.version == rec.version)
    prev = records[idx - 1] if idx > 0 else None
    ch = rec.changes
    docs = ch.get("documents", {})
    change_rows = [
        [label, d["id"], d.get("title") or ""]
        for label in ("added", "removed", "changed")
        for d in docs.get(label, [])
    ]
    run = rec.run or {}
    top_rules = [
        [
            rule,
            rule_kind[rule],
            n,
            "<br>".join(f"<b>{_e(t)}</b>: <del>{_e(x[:160])}</del>" for t, x in examples[rule]),
        ]
        for rule, n in per_rule.most_common(20)
    ]
    sections = [
        f"<h1>{_e(config.dataset.name)} — v{_e(rec.version)}</h1>",
        f'<p class="meta">made {_e(rec.created)} · {rec.num_examples} documents · '
        f"{len(rec.shards)} shards · code {_e(rec.code_version)}</p>",
        "<h2>Documents</h2><div class='grid'>",
        bars("per source", rec.counts.get("source", {})),
        bars("per publisher", rec.counts.get("publisher", {})),
        bars("per language", rec.counts.get("language", {})),
        bars("per month of publication", dict(sorted(months.items())), limit=60),
        "</div><h2>What cleaning removed</h2><div class='grid'>",
        bars("removed spans per kind", dict(kinds), css="bar drop"),
        bars("removed spans per rule (top 20)", dict(per_rule.most_common(20)), css="bar drop"),
        "</div><h3>The 20 rules that removed the most</h3>",
        _table(
            ["rule", "kind", "spans", "examples in context"],
            [[_e(a), _e(b), c, d] for a, b, c, d in top_rules],
            raw=True,
        ),
        "<h2>Filters and failures</h2>",
        f"<p>{run.get('inputs', '?')} inputs, "
        f"{run.get('documents', rec.num_examples)} documents kept.</p>",
        _table(
            ["dropped because", "documents"], [[k, v] for k, v in run.get("dropped", {}).items()]
        ),
        _table(
            ["input that failed", "reason"], [[f["id"], f["reason"]] for f in run.get("failed", [])]
        ),
        f"<h2>Changes since {'v' + _e(prev.version) if prev else 'the start'}</h2>",
        f"<p>{ch.get('added', 0)} added, {ch.get('removed', 0)} removed, "
        f"{ch.get('changed', 0)} changed; "
        f"rule files changed: {_e(', '.join(ch.get('rules_changed', [])) or 'none')}.</p>",
        _table(["change", "id", "title"], change_rows),
        f"<h2>Every document ({min(len(rows), _MAX_DOCS)} of {len(rows)})</h2>",
        "<p class='meta'>The text, then the spans removed from it; hover for the rule.</p>",
        *(_document(r) for r in rows[:_MAX_DOCS]),
    ]
    title = f"{_e(config.dataset.name)} v{_e(rec.version)} report"
    head = f'<head><meta charset="utf-8"><title>{title}</title><style>{_CSS}</style></head>'
    return f'<!DOCTYPE html><html lang="en">{head}<body>{"".join(sections)}</body></html>\n'


def write_report(config: Config, version: str, path: Path) -> Path:
    path.write_text(build_report(config, version), encoding="utf-8")
    return path
