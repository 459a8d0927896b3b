"""pmo --help, every command's help, and pmo init."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Pmo, assert_user_error, needs_governance
from click.testing import CliRunner

from pmo_core._builtins import BUILTIN_COMMANDS
from pmo_core._cli import cli

COMMANDS = [name for name, *_ in BUILTIN_COMMANDS]


def test_root_help_lists_every_builtin_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])

    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in result.output, name
    assert "pmo init acme" in result.output.split("Examples:", 1)[1]


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
        # A subcommand's summary in its group's listing is whole, not cut with '...'.
        listing = result.output.split("Commands:", 1)[1] if "Commands:" in result.output else ""
        assert "..." not in listing, (path, listing)


@needs_governance  # the profiles
def test_init_creates_a_workspace_with_the_profile(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", "acme", "--profile", "controlling", "--name", "Acme PMO"])

    assert result.exit_code == 0, result.output
    text = (tmp_path / "acme" / "pmo.toml").read_text()
    assert 'name = "Acme PMO"' in text
    assert 'governance_model = "controlling"' in text
    assert "stage-gate" in text
    assert (tmp_path / "acme" / ".pmo" / "pmo.db").exists()
    assert "profile:          controlling" in result.output


def test_init_and_commands_use_the_store_of_pmo_store_url(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PMO_STORE_URL overrides [workspace] store: init creates the store there, pmo.toml
    keeps its own line, and every later command opens the same store."""
    elsewhere = tmp_path / "shared" / "acme.db"
    monkeypatch.setenv("PMO_STORE_URL", f"sqlite:///{elsewhere.as_posix()}")

    result = runner.invoke(cli, ["init", "acme"])

    assert result.exit_code == 0, result.output
    assert f"store:            sqlite:///{elsewhere.as_posix()}" in result.output
    assert elsewhere.exists()
    assert not (tmp_path / "acme" / ".pmo" / "pmo.db").exists()
    assert 'store = "sqlite:///.pmo/pmo.db"' in (tmp_path / "acme" / "pmo.toml").read_text()
    created = runner.invoke(cli, ["-w", "acme", "portfolio", "create", "PF", "--name", "Main"])
    assert created.exit_code == 0, created.output
    monkeypatch.delenv("PMO_STORE_URL")
    missing = runner.invoke(cli, ["-w", "acme", "portfolio", "list"])
    assert missing.exit_code != 0
    assert "is missing" in missing.output


def test_init_uses_the_workspace_option_as_the_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["-w", "viaw", "init"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "viaw" / "pmo.toml").exists()


def test_init_refuses_an_existing_workspace(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(cli, ["init", "acme"])
    before = (tmp_path / "acme" / "pmo.toml").read_text()

    result = runner.invoke(cli, ["init", "acme", "--profile", "directive"])

    assert_user_error(result, 4, "acme is already a workspace", "pmo -w acme doctor")
    assert (tmp_path / "acme" / "pmo.toml").read_text() == before


@needs_governance  # the profiles
def test_init_rejects_an_unknown_profile_and_creates_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["init", "acme", "--profile", "anarchic"])

    assert_user_error(
        result,
        2,
        "--profile",
        # Every installed plugin's profiles, lightest first (methodology plugins add theirs).
        "unknown profile 'anarchic' (profiles: starter, scrum, controlling, prince2, hybrid, "
        "directive)",
    )
    assert not (tmp_path / "acme").exists()


def test_a_command_outside_a_workspace_says_how_to_start(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["project", "list"])

    assert_user_error(result, 3, "pmo init")


def test_debug_shows_the_traceback_instead(runner: CliRunner) -> None:
    from pmo_core import NotFoundError

    result = runner.invoke(cli, ["--debug", "project", "list"])

    assert isinstance(result.exception, NotFoundError)


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_pmo_debug_is_a_switch_like_the_others(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from pmo_core import NotFoundError

    monkeypatch.setenv("PMO_DEBUG", value)
    result = runner.invoke(cli, ["project", "list"])

    assert isinstance(result.exception, NotFoundError)


def test_init_refuses_a_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")

    assert_user_error(runner.invoke(cli, ["init", "afile"]), 2, "not a directory")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["-w", "afile", "project", "list"], "'afile' is a file"),
        (["--bogus"], "No such option '--bogus'"),
    ],
)
def test_a_bad_root_option_is_one_line(
    runner: CliRunner, tmp_path: Path, argv: list[str], needle: str
) -> None:
    (tmp_path / "afile").write_text("x")

    result = runner.invoke(cli, argv, prog_name="pmo")

    assert_user_error(result, 2, needle, "(see 'pmo --help')")


def test_a_group_run_bare_prints_its_help_not_an_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["raid"], prog_name="pmo")

    assert "error" not in result.stderr
    assert "Usage: pmo raid" in result.output
    assert "Commands:" in result.output


def test_a_closed_pipe_ends_quietly() -> None:
    import os
    import subprocess
    import sys

    # 'pmo schema | head -1' once head has gone: every write to stdout fails.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", "schema"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write_end)

    assert proc.stderr.decode() == ""
    assert proc.returncode == 1


@needs_governance
def test_help_with_a_workspace_option_lists_that_workspaces_plugin_commands(
    make_pmo: Callable[..., Pmo], runner: CliRunner
) -> None:
    pmo = make_pmo()  # starter: the governance plugin, with its `pmo governance` command

    named = runner.invoke(cli, ["-w", str(pmo.root), "--help"])
    here = runner.invoke(cli, ["--help"])  # the current directory is no workspace

    assert re.search(r"^  governance +", named.output, re.M), named.output
    assert not re.search(r"^  governance +", here.output, re.M)
