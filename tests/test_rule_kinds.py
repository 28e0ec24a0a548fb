"""Every kind of text rule is one class in `rules/kinds.py`; the rule file's schema, the
rule book and the order rules run in all come from its registry `KINDS`."""

from scraper import clean
from scraper.rules import kinds
from scraper.rules.engine import load_rulebook
from scraper.rules.schema import TextRules


def test_the_schema_has_one_field_per_registered_kind():
    assert list(TextRules.model_fields) == [k.section for k in kinds.KINDS]


def test_every_resolved_version_has_every_kind():
    for f in load_rulebook().files:
        for v in f.versions.values():
            assert list(v.text) == [k.section for k in kinds.KINDS]


def test_kinds_run_in_registry_order(monkeypatch):
    ran = []
    for k in kinds.KINDS:
        monkeypatch.setattr(k, "apply", staticmethod(lambda *_, s=k.section: ran.append(s)))
    clean("A title\n\nSome text of an article that says something.")
    assert ran == [k.section for k in kinds.KINDS]


def test_a_bare_string_is_a_pattern_for_line_rules():
    rules = TextRules.model_validate({"drop_lines": ["^Advertisement$"]})
    assert rules.drop_lines[0].pattern.pattern == "^Advertisement$"


def test_meta_rules_live_with_what_applies_them():
    from scraper.rules import meta
    from scraper.rules.schema import RuleVersion

    assert RuleVersion.model_fields["meta"].annotation in (meta.MetaRules, "MetaRules")
    assert meta.read_metadata.__module__ == "scraper.rules.meta"
