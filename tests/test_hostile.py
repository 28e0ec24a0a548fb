"""Hostile input: what an attacker or a broken archive can hand us is refused or cleaned,
quickly, with the documented errors only."""

from __future__ import annotations

import pytest

from scraper import ConfigError, load_config
from scraper.rules.engine import load_rule_file


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


# --- YAML: aliases that expand to gigabytes ("billion laughs")


def alias_bomb(levels: int = 9, width: int = 4, indent: str = "  ") -> str:
    """Nested anchors, each level `width` aliases of the one before: width**levels values."""
    out = [f"{indent}- &l0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        out.append(f"{indent}- &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(out) + "\n"


def test_alias_bomb_in_config_is_refused_at_its_line(tmp_path):
    text = (
        "publishers:\n  - publisher: Bomb\n    versions: [{id: v1}]\n    recognise:\n"
        + alias_bomb(indent="      ")
    )
    with pytest.raises(ConfigError, match=r"my-config\.yaml:\d+: aliases expand") as e:
        load_config(write(tmp_path, "my-config.yaml", text))
    line = int(str(e.value).split(":")[1])
    assert "*l" in text.splitlines()[line - 1]
    assert "\n" not in str(e.value)


def test_alias_bomb_in_rule_file_is_refused(tmp_path):
    text = "publisher: Bomb\nversions: [{id: v1}]\nrecognise:\n" + alias_bomb()
    with pytest.raises(ConfigError, match=r"r\.yaml:\d+: aliases expand"):
        load_rule_file(write(tmp_path, "r.yaml", text))


def test_alias_that_refers_to_itself_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"c\.yaml:1: alias \*a refers to itself"):
        load_config(write(tmp_path, "c.yaml", "publishers: &a [*a]\n"))


def test_deeply_nested_yaml_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"c\.yaml"):
        load_config(write(tmp_path, "c.yaml", "rules: " + "[" * 5000 + "]" * 5000 + "\n"))


def test_a_few_aliases_still_work(tmp_path):
    text = (
        "discover: {exemplars: &terms [syria, russia]}\nsources:\n"
        "  - wayback: {urls: [a.com/2012/], url_terms: *terms}\n"
        "  - wayback: {urls: [b.com/2012/], url_terms: *terms}\n"
    )
    cfg = load_config(write(tmp_path, "c.yaml", text))
    assert [s.wayback.url_terms for s in cfg.sources] == [["syria", "russia"]] * 2
