"""Push dataset versions to the Hugging Face Hub: one commit and one git tag per version.

Versions not yet on the Hub are replayed in order. Each commit holds that version's new
shard files and the card, changelog and versions.json as they were when it was made, so
`load_dataset(repo_id, revision="v1.2.0")` gives v1.2.0 (its default config), as does
`load_dataset(repo_id, "v1.2.0")` on main. A failure stops the run and says which
versions did get published; nothing half-done is reported as done.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Config
from .errors import PublishError
from .package.card import CardSettings, render_card
from .package.changelog import render_changelog
from .package.versions import load_versions, versions_json

__all__ = ["PublishResult", "publish"]


@dataclass
class PublishResult:
    repo_id: str
    published: list[str] = field(default_factory=list)  # versions newly tagged
    already: list[str] = field(default_factory=list)  # versions the Hub had


def _token(explicit: str | None) -> str:
    from huggingface_hub import get_token

    token = explicit or get_token()
    if not token:
        raise PublishError(
            "no Hugging Face token: set HF_TOKEN or run `hf auth login`; nothing published"
        )
    return token


def publish(
    config: Config,
    *,
    repo_id: str | None = None,
    token: str | None = None,
    private: bool = False,
    on_version: Callable[[str], None] | None = None,
) -> PublishResult:
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}:
        raise PublishError("offline mode (HF_HUB_OFFLINE is set): nothing published")
    root = config.path(config.dataset.dir)
    records = load_versions(root)
    if not records:
        raise PublishError(f"{root}: no dataset versions to publish (run `scrape clean`)")
    repo_id = repo_id or config.dataset.name
    api = HfApi(token=_token(token))
    result = PublishResult(repo_id)
    done: list[str] = []
    try:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
        tags = {t.name for t in api.list_repo_refs(repo_id, repo_type="dataset").tags}
        sent: set[str] = set()
        for k, rec in enumerate(records):
            if f"v{rec.version}" in tags:
                result.already.append(rec.version)
                sent.update(rec.shard_paths)
                continue
            history = records[: k + 1]
            card = render_card(history, CardSettings.of(config.dataset), location=root.name)
            ops = [
                CommitOperationAdd("README.md", card.encode()),
                CommitOperationAdd("CHANGELOG.md", render_changelog(history).encode()),
                CommitOperationAdd("versions.json", versions_json(history).encode()),
            ]
            ops += [CommitOperationAdd(p, str(root / p)) for p in rec.shard_paths if p not in sent]
            commit = api.create_commit(
                repo_id, ops, repo_type="dataset", commit_message=f"Dataset v{rec.version}"
            )
            api.create_tag(repo_id, tag=f"v{rec.version}", revision=commit.oid, repo_type="dataset")
            sent.update(rec.shard_paths)
            done.append(rec.version)
            result.published.append(rec.version)
            if on_version:
                on_version(rec.version)
    except Exception as e:  # any failure: say exactly what did and did not get published
        what = (
            f"published {', '.join('v' + v for v in done)} first" if done else "nothing published"
        )
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        kind = "" if isinstance(e, HfHubHTTPError) else f"{type(e).__name__}: "
        raise PublishError(f"publishing to {repo_id} failed: {kind}{first} ({what})") from None
    return result
