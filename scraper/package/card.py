"""dataset/README.md: the Hugging Face dataset card, generated from versions.json.

The YAML header is what `datasets.load_dataset` reads: one config per version plus
`default` (the latest), each with its shard files, features and split sizes.
"""

from __future__ import annotations

import copy

from huggingface_hub import DatasetCard, DatasetCardData

from .versions import VersionRecord

__all__ = ["render_card"]


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


def render_card(records: list[VersionRecord], *, name: str, license: str) -> str:
    latest = records[-1]
    ordered = list(reversed(records))
    data = DatasetCardData(
        pretty_name=name,
        license=license,
        language=sorted(latest.counts.get("language", {})) or None,
        task_categories=["text-generation"],
        size_categories=[_size_category(latest.num_examples)],
        configs=[_config("default", latest, True)] + [_config(r.config, r) for r in ordered],
        dataset_info=[_info("default", latest)] + [_info(r.config, r) for r in ordered],
    )
    versions = "\n".join(
        f"| `{r.config}` | {r.created[:10]} | {r.num_examples} | {_changes(r.changes)} | "
        f"{len(r.shards)} |"
        for r in ordered
    )
    body = f"""
# {name}

News articles collected from web archives and cleaned of publisher boilerplate by
[scraper](https://github.com/scraper). Each row is one article: its clean text, title,
author, publication date and url, and — in `removed` — every span the cleaner took out,
with the rule and kind that took it, so what was done to each document can be checked.

## Load it

```python
from datasets import load_dataset

ds = load_dataset("path/to/dataset")  # latest: v{latest.version}
ds = load_dataset("path/to/dataset", "{latest.config}")  # a pinned version
```

Versions are configs (locally `revision=` is ignored by `datasets`); on the Hub each
version is also a git tag.

## Sources

| source | documents |
|---|---|
{_table(latest.counts.get("source", {}))}

| publisher | documents |
|---|---|
{_table(latest.counts.get("publisher", {}))}

{_dates(latest)}

## Cleaning

HTML goes through trafilatura (comments off, per-publisher prune rules), then text rules:
generic rules for every publisher and date-versioned rules per publisher, all plain YAML.
Spans removed in this version, by kind:

| kind | spans |
|---|---|
{_table(latest.counts.get("removed_kind", {}))}

## Known limits

- Rules are tuned on a few exemplar articles per publisher; other layouts of the same
  publisher may leak boilerplate or lose a caption. Check `removed` and report misses.
- Captions and standfirsts are kept as text when they cannot be told from the article.
- `language` is detected from the text (py3langid) and is empty for very short texts.

## Versions

| config | created | documents | changes (+added −removed ~changed) | shards |
|---|---|---|---|---|
{versions}

See `CHANGELOG.md` for the documents each version changed and `versions.json` for the
hashes of the config, rules and shard files behind every version.
"""
    return str(DatasetCard(f"---\n{data.to_yaml()}\n---\n{body}"))
