"""Every command has help with an example and appears in the README."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from casualties.cli.app import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, path)
        yield path


@pytest.mark.parametrize("path", list(command_paths()), ids=" ".join)
def test_command_help_has_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"casualties {path[0]}" in result.output


@pytest.mark.parametrize("path", list(command_paths()), ids=" ".join)
def test_command_is_in_the_readme(path):
    assert f"casualties {' '.join(path)}" in README or f"casualties {path[0]}" in README


def test_readme_gives_the_two_set_up_commands():
    assert "make run" in README and "make test" in README
