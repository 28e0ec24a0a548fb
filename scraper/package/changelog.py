"""dataset/CHANGELOG.md, rendered from versions.json so it can always be rebuilt."""

from __future__ import annotations

from .versions import VersionRecord

__all__ = ["render_changelog"]


def _entry(rec: VersionRecord) -> str:
    ch = rec.changes
    docs = ch.get("documents", {})
    out = [
        f"## v{rec.version} — {rec.created[:10]}",
        "",
        f"{rec.num_examples} documents: {ch.get('added', 0)} added, "
        f"{ch.get('removed', 0)} removed, {ch.get('changed', 0)} changed.",
    ]
    if ch.get("rules_changed"):
        out += ["", "Rule files changed: " + ", ".join(f"`{r}`" for r in ch["rules_changed"]) + "."]
    for label in ("added", "removed"):
        if docs.get(label):
            out += ["", f"{label.capitalize()}:", ""]
            out += [f"- `{d['id']}` {d.get('title') or '(untitled)'}" for d in docs[label]]
    if docs.get("changed"):
        out += ["", "Changed:", ""]
        for d in docs["changed"]:
            rules = ", ".join(f"{k} {v:+d}" for k, v in d.get("rules", {}).items())
            what = ", ".join(d.get("fields", []))
            out.append(
                f"- `{d['id']}` {d.get('title') or '(untitled)'}: {what}"
                + (f" (removed spans: {rules})" if rules else "")
            )
    shown = sum(len(v) for v in docs.values())
    total = ch.get("added", 0) + ch.get("removed", 0) + ch.get("changed", 0)
    if shown < total:
        out += ["", f"… and {total - shown} more; `scrape diff` lists them all."]
    return "\n".join(out)


def render_changelog(records: list[VersionRecord]) -> str:
    entries = "\n\n".join(_entry(r) for r in reversed(records))
    return f"# Changelog\n\nNewest first. Generated from `versions.json`.\n\n{entries}\n"
