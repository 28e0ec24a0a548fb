"""The CLI stays thin and documented: every command has help and appears in the README."""

import pytest
from click.testing import CliRunner

from scraper.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_the_readme(name, root):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert cli.commands[name].help
    assert f"`scrape {name}" in (root / "README.md").read_text()


def test_readme_starts_with_the_two_fresh_machine_commands(root):
    readme = (root / "README.md").read_text()
    blocks = [b.split("```")[0].strip() for b in readme.split("```bash")[1:3]]
    assert blocks[0].endswith("scrape clean")
    assert blocks[1].endswith("pytest tests")
    assert blocks[1] in (root / ".ci" / "run").read_text()


def test_version_option():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "version" in result.output
