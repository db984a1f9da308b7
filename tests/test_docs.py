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


@pytest.mark.parametrize(
    ("command", "loader"),
    [
        ("$ casualties summary\n", "example"),
        (
            "$ casualties --db data/gaza.db summary --metric killed --group people --group women"
            " --week 2023-W42\n",
            "gaza",
        ),
    ],
)
def test_readme_summary_examples_are_what_the_command_prints(command, loader, tmp_path):
    """The README's summary tables, as a terminal shows them, from the same data."""
    from unittest import mock

    from casualties.bundled.gaza_daily import DEFAULT_PATH

    shown = README.split(command, 1)[1].split("```", 1)[0]
    db = str(tmp_path / "readme.db")
    load = ["init", "--example"] if loader == "example" else ["load-gaza", str(DEFAULT_PATH)]
    assert CliRunner().invoke(cli, ["--db", db, *load]).exit_code == 0
    args = command.strip().removeprefix("$ casualties ").split()
    args = [a for a in args if a not in ("--db", "data/gaza.db")]
    with mock.patch("casualties.cli.reports.terminal", return_value=True):
        printed = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False).output
    assert printed == shown
