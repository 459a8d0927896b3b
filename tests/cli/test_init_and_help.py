"""pmo --help, every command's help, and pmo init."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import assert_user_error
from click.testing import CliRunner

from pmo_core._builtins import BUILTIN_COMMANDS
from pmo_core._cli import cli

COMMANDS = [name for name, *_ in BUILTIN_COMMANDS]


def test_root_help_lists_every_builtin_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])

    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in result.output, name


def _leaves(group: object, path: list[str]) -> list[list[str]]:
    import click

    if isinstance(group, click.Group):
        out = [path]
        for name, sub in group.commands.items():
            out += _leaves(sub, [*path, name])
        return out
    return [path]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, name: str) -> None:
    import importlib

    _, module, attr, _ = next(c for c in BUILTIN_COMMANDS if c[0] == name)
    command = getattr(importlib.import_module(f"pmo_core._cli.{module}"), attr)
    for path in _leaves(command, [name]):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Example" in result.output, path
        assert "pmo " in result.output.split("Example", 1)[1], path


def test_init_creates_a_workspace_with_the_profile(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", "acme", "--profile", "controlling", "--name", "Acme PMO"])

    assert result.exit_code == 0, result.output
    text = (tmp_path / "acme" / "pmo.toml").read_text()
    assert 'name = "Acme PMO"' in text
    assert 'governance_model = "controlling"' in text
    assert "stage-gate" in text
    assert (tmp_path / "acme" / ".pmo" / "pmo.db").exists()
    assert "profile:          controlling" in result.output


def test_init_uses_the_workspace_option_as_the_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["-w", "viaw", "init"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "viaw" / "pmo.toml").exists()


def test_init_refuses_an_existing_workspace(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["init", "acme"])
    before = (tmp_path / "acme" / "pmo.toml").read_text()

    result = runner.invoke(cli, ["init", "acme", "--profile", "directive"])

    assert_user_error(result, 4, "already exists")
    assert (tmp_path / "acme" / "pmo.toml").read_text() == before


def test_init_rejects_an_unknown_profile_and_creates_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["init", "acme", "--profile", "anarchic"])

    assert_user_error(result, 2, "--profile", "'anarchic' is not one of starter")
    assert not (tmp_path / "acme").exists()


def test_a_command_outside_a_workspace_says_how_to_start(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["project", "list"])

    assert_user_error(result, 3, "pmo init")


def test_debug_shows_the_traceback_instead(runner: CliRunner) -> None:
    from pmo_core import NotFoundError

    result = runner.invoke(cli, ["--debug", "project", "list"])

    assert isinstance(result.exception, NotFoundError)


def test_init_refuses_a_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")

    assert_user_error(runner.invoke(cli, ["init", "afile"]), 2, "not a directory")
