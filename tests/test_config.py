"""Bad config and rule files fail with one line naming the file, line and key."""

import pytest

from scraper import ConfigError, RuleError, clean, load_config
from scraper.rules.engine import load_rule_file


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_defaults_apply_when_no_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config()
    assert cfg.sources[0].kind == "seeds"
    assert cfg.path(cfg.dataset.dir) == tmp_path / "dataset"


def test_user_file_is_layered_over_the_defaults(tmp_path):
    cfg = load_config(write(tmp_path, "c.yaml", "fetch:\n  retries: 2\n"))
    assert cfg.fetch.retries == 2
    assert cfg.fetch.timeout == 30  # from the defaults
    assert cfg.fetch.deadline == 300
    assert cfg.base_dir == tmp_path


def test_shipped_config_is_valid(root):
    cfg = load_config(root / "config.yaml")
    assert cfg.dataset.name == "russia-syria-news"


@pytest.mark.parametrize(
    "text,message",
    [
        ("dataset:\n  name: [unclosed\n", r"c\.yaml:\d+: invalid YAML"),
        ("dataset:\n  name: x\ncolour: blue\n", r"c\.yaml:3: colour: unknown key"),
        ("fetch:\n  retrys: 3\n", r"c\.yaml:2: fetch\.retrys: unknown key"),
        (
            "fetch:\n  retries: many\n",
            r"c\.yaml:2: fetch\.retries: Input should be a valid integer",
        ),
        (
            "sources:\n  - wayback:\n      urls: [x]\n      match: fuzzy\n",
            r"c\.yaml:4: sources\[0\]\.wayback\.match: Input should be",
        ),
        ("sources:\n  - ftp: {host: x}\n", r"c\.yaml:2: sources\[0\]\.ftp: unknown key"),
        ("fetch:\n  deadline: 0\n", r"c\.yaml:2: fetch\.deadline: Input should be greater than 0"),
        ("- just\n- a list\n", r"c\.yaml:1: the config must be a mapping"),
        (
            "dataset:\n  license_name: My License\n  license_link: LICENSE.md\n",
            r"c\.yaml:2: dataset\.license_name: 'My License': lowercase letters",
        ),
        (
            "dataset:\n  license_name: terms\n  license_link: 'see the site'\n",
            r"c\.yaml:3: dataset\.license_link: 'see the site': an http\(s\) url, or a file",
        ),
        (
            "dataset:\n  license: mit\n  license_name: terms\n  license_link: LICENSE.md\n",
            r"c\.yaml:2: dataset: license_name and license_link: only with license: other",
        ),
        ("dataset:\n  license_name: terms\n", r"dataset: license_name and license_link: give both"),
        (  # a date YAML reads as one, that does not exist: was a bare ValueError
            "sources:\n  - wayback:\n      urls: [x]\n      from: 2012-13-01\n",
            r"c\.yaml:4: sources\[0\]\.wayback\.from: '2012-13-01' is not a date \(month must",
        ),
        (
            "dataset:\n  dir: c.yaml\n",
            r"c\.yaml:2: dataset\.dir: .*c\.yaml is a file, not a folder",
        ),
    ],
)
def test_config_errors_name_file_line_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as e:
        load_config(write(tmp_path, "c.yaml", text))
    assert "\n" not in str(e.value)


def test_a_license_of_ones_own_is_named_and_linked(tmp_path):
    text = "dataset:\n  license_name: news-terms-1.0\n  license_link: https://example.org/t\n"
    d = load_config(write(tmp_path, "c.yaml", text)).dataset
    assert (d.license, d.license_name, d.license_link) == (
        "other",
        "news-terms-1.0",
        "https://example.org/t",
    )


def test_missing_config_file_named_explicitly(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml: file not found"):
        load_config(tmp_path / "nope.yaml")


RULE_HEAD = "publisher: Example\ndomains: [example.org]\nversions:\n"


@pytest.mark.parametrize(
    "versions,message",
    [
        (
            "  - id: v1\n    text:\n      drop_lines: ['^(unclosed']\n",
            r"r\.yaml:6: versions\[0\]\.text\.drop_lines\[0\].*bad regex",
        ),
        (
            "  - id: v1\n    text:\n      drop_blocks:\n        - {start: '^a', kind: x}\n",
            r"versions\[0\]\.text\.drop_blocks\[0\]\.end: Field required",
        ),
        ("  - id: v1\n    html:\n      prune_xpath: ['//div[']\n", r"bad XPath"),
        ("  - id: v1\n    html:\n      prune_css: ['div[[']\n", r"bad CSS selector"),
        (
            "  - id: v1\n    valid_until: 2020-01-01\n  - id: v2\n    valid_until: 2019-01-01\n  - id: v3\n",
            r"valid_until dates must be unique and ascending",
        ),
        ("  - id: v1\n  - id: v2\n", r"v1: valid_until is required"),
        (
            "  - id: v1\n    valid_until: 2020-01-01\n  - id: v2\n    extends: v9\n",
            r"v2: extends 'v9'",
        ),
        (
            "  - id: v1\n    text:\n      drop_linez: []\n",
            r"versions\[0\]\.text\.drop_linez: unknown key",
        ),
        ("  []\n", r"at least one version"),
    ],
)
def test_rule_file_errors_name_file_version_and_key(tmp_path, versions, message):
    with pytest.raises(RuleError, match=message) as e:
        load_rule_file(write(tmp_path, "r.yaml", RULE_HEAD + versions))
    assert "\n" not in str(e.value)


def test_user_rules_extend_the_packaged_ones_without_code(tmp_path):
    rules = write(
        tmp_path,
        "local.yaml",
        (
            "publisher: Example Post\ndomains: [example.org]\nversions:\n  - id: v1\n    text:\n"
            "      drop_lines:\n        - {name: ep-promo, kind: site-promo, pattern: '^Listen to this story$'}\n"
        ),
    )
    cfg = load_config(write(tmp_path, "config.yaml", f"rules: [{rules.name}]\n"))
    text = "Headline Here\n\nListen to this story\n\nThe article text is here and it is fine."
    doc = clean(text, url="https://www.example.org/a", config=cfg)
    assert doc.publisher == "Example Post"
    assert doc.text == "The article text is here and it is fine."
    assert [(r.rule, r.kind) for r in doc.removed][-1] == ("ep-promo", "site-promo")


def test_inline_publishers_in_config(tmp_path):
    cfg = load_config(
        write(
            tmp_path,
            "config.yaml",
            (
                "publishers:\n  - publisher: Inline News\n    recognise: ['^Inline News presents$']\n"
                "    versions:\n      - id: v1\n        text:\n          drop_lines: ['^Inline News presents$']\n"
            ),
        )
    )
    doc = clean("Inline News presents\n\nA Title\n\nBody text of the article.", config=cfg)
    assert doc.publisher == "Inline News"
    assert doc.title == "A Title"


def test_missing_rule_file_is_named(tmp_path):
    cfg = load_config(write(tmp_path, "config.yaml", "rules: [missing.yaml]\n"))
    with pytest.raises(RuleError, match="missing.yaml: rule file not found"):
        clean("A\n\nB", config=cfg)


def test_one_source_of_defaults():
    """The models' field defaults say what scraper/defaults.yaml says; clean() uses it."""
    from scraper.config import Config, default_config

    assert Config().model_dump(exclude={"base_dir"}) == default_config().model_dump(
        exclude={"base_dir"}
    )
