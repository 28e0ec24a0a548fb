"""`scrape publish` against a local stand-in for the Hub: calls, files and tags asserted."""

import json

from conftest import scrape
from hubserver import FakeHub


def _env(hub, **extra):
    return {
        "HF_ENDPOINT": hub.url,
        "HF_HUB_OFFLINE": "0",
        "HF_HUB_DISABLE_XET": "1",
        "HF_TOKEN": "hf_test_token",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        **extra,
    }


def _two_versions(project):
    assert scrape("clean", cwd=project).returncode == 0
    (project / "seeds" / "005_new.txt").write_text(
        "Russian Navy Leaves Tartus\n\n"
        + "The last ships left the port on Friday, officials said. " * 8
    )
    assert scrape("clean", cwd=project).returncode == 0


def test_publish_pushes_each_version_with_a_tag(project):
    _two_versions(project)
    with FakeHub() as hub:
        result = scrape("publish", "--repo-id", "me/news", cwd=project, env=_env(hub))
        assert result.returncode == 0, result.stderr
        assert "tagged v1.0.0, v1.1.0" in result.stderr
        repo = hub.repos["me/news"]
        assert list(repo.tags) == ["v1.0.0", "v1.1.0"]
        assert [c["message"] for c in repo.commits] == ["Dataset v1.0.0", "Dataset v1.1.0"]
        # at tag v1.0.0 the card's default config is v1.0.0, with that version's shards
        at_v1 = hub.tree_at("me/news", "v1.0.0")
        v1 = json.loads(at_v1["versions.json"])["versions"]
        assert [v["version"] for v in v1] == ["1.0.0"]
        assert all(s["path"] in at_v1 for s in v1[0]["shards"])
        card_v1 = at_v1["README.md"].decode()
        assert "config_name: v1.0.0" in card_v1 and "config_name: v1.1.0" not in card_v1
        assert hub.validated, "the card was checked by the Hub's YAML validator"
        # main holds every file of the local folder, byte for byte
        for path in ("README.md", "CHANGELOG.md", "versions.json"):
            assert repo.files[path] == (project / "dataset" / path).read_bytes()
        for shard in (project / "dataset" / "data" / "shards").iterdir():
            assert repo.files[f"data/shards/{shard.name}"] == shard.read_bytes()
        # the second commit sent only the shards v1.1.0 added
        second = repo.commits[1]["files"]
        assert not any(p in second for p in at_v1 if p.startswith("data/"))
        assert ("POST", "/api/repos/create") in hub.calls

        again = scrape("publish", "--repo-id", "me/news", cwd=project, env=_env(hub))
        assert again.returncode == 0 and "already on the Hub" in again.stderr
        assert len(repo.commits) == 2


def test_publish_without_token_offline_or_with_a_failure_says_so(project, tmp_path):
    assert scrape("clean", cwd=project).returncode == 0
    with FakeHub() as hub:
        env = _env(hub, HF_TOKEN="", HF_HOME=str(tmp_path / "empty-hf-home"))
        no_token = scrape("publish", cwd=project, env=env)
        assert no_token.returncode == 1 and "no Hugging Face token" in no_token.stderr
        offline = scrape("publish", cwd=project, env=_env(hub, HF_HUB_OFFLINE="1"))
        assert offline.returncode == 1 and "offline mode" in offline.stderr
        assert hub.calls == []
    with FakeHub(fail_on=r"/tag/") as hub:
        failed = scrape("publish", "--repo-id", "me/news", cwd=project, env=_env(hub))
        assert failed.returncode == 1
        assert (
            "publishing to me/news failed" in failed.stderr and "nothing published" in failed.stderr
        )
        assert "Traceback" not in failed.stderr
        assert hub.repos["me/news"].tags == {}
    unreachable = scrape("publish", cwd=project, env=_env(hub))  # server gone
    assert unreachable.returncode == 1 and "nothing published" in unreachable.stderr
