"""Global options before or after the subcommand, for core and plugin commands, and the
suggestions for unknown commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from cli_helpers import needs_governance

from pmo_core._cli import _globals
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def ws(pmo_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A starter workspace (the governance plugin enabled) with a project ALPHA, and the
    current directory elsewhere: every command must be told where the workspace is."""
    root = tmp_path / "ws"
    assert pmo_cli("init", str(root)).exit_code == 0
    created = pmo_cli("project", "create", "ALPHA", "--name", "Alpha", workspace=root)
    assert created.exit_code == 0, created.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return str(root)


@pytest.mark.parametrize(
    "argv",
    [
        ["-w", "{ws}", "--json", "project", "list"],
        ["--json", "-w", "{ws}", "project", "list"],
        ["project", "list", "-w", "{ws}", "--json"],
        ["project", "-w", "{ws}", "list", "--json"],
        ["project", "list", "--json", "--workspace={ws}"],
        ["project", "list", "--json", "-w{ws}"],
        ["project", "--json", "list", "--workspace", "{ws}"],
    ],
)
def test_workspace_and_json_in_every_position(pmo_cli: Run, ws: str, argv: list[str]) -> None:
    result = pmo_cli(*(a.replace("{ws}", ws) for a in argv))

    assert result.exit_code == 0, result.stderr
    assert [p["id"] for p in result.json()] == ["ALPHA"]


@pytest.mark.parametrize("where", ["before", "after"])
def test_as_names_who_acts_before_or_after(pmo_cli: Run, ws: str, where: str) -> None:
    tail = ["project", "create", "BETA", "--name", "Beta"]
    argv = (
        ["--as", "dana", "-w", ws, *tail] if where == "before" else [*tail, "-w", ws, "--as=dana"]
    )

    assert pmo_cli(*argv).exit_code == 0
    journal = pmo_cli("journal", "--json", "-w", ws).json()

    assert journal[-1]["actor"] == "dana"


@pytest.mark.parametrize(
    "argv",
    [
        ["--debug", "project", "show", "NOPE", "-w", "{ws}"],
        ["project", "--debug", "show", "NOPE", "-w", "{ws}"],
        ["project", "show", "NOPE", "-w", "{ws}", "--debug"],
    ],
)
def test_debug_in_every_position_shows_the_traceback(
    pmo_cli: Run, ws: str, argv: list[str]
) -> None:
    quiet = pmo_cli("project", "show", "NOPE", "-w", ws)
    loud = pmo_cli(*(a.replace("{ws}", ws) for a in argv), catch_exceptions=True)

    assert quiet.exit_code == 3
    assert quiet.stderr.startswith("error: ")
    assert loud.exception is not None  # --debug lets the exception through


def test_an_option_value_that_looks_like_a_global_option_is_left_alone(
    pmo_cli: Run, ws: str
) -> None:
    created = pmo_cli("project", "create", "B", "--name", "-w", "-w", ws, "--json")

    assert created.exit_code == 0, created.stderr
    assert created.json()["name"] == "-w"


def test_nothing_after_a_double_dash_is_lifted() -> None:
    root = click.Group(
        "pmo", params=[click.Option(["-w", "--workspace"]), click.Option(["--debug"], is_flag=True)]
    )
    leaf = click.Command("echo", params=[click.Argument(["words"], nargs=-1)])

    lifted = _globals.lift(root, ["echo", "a", "--", "-w", "x", "--debug"], lambda *a: leaf)

    assert lifted.args == ["echo", "a", "--", "-w", "x", "--debug"]


def test_a_command_s_own_option_of_the_same_name_stays_its_own() -> None:
    root = click.Group(
        "pmo", params=[click.Option(["-w", "--workspace"]), click.Option(["--debug"], is_flag=True)]
    )
    leaf = click.Command("run", params=[click.Option(["--debug"], is_flag=True)])

    lifted = _globals.lift(root, ["run", "--debug", "-w", "D"], lambda *a: leaf)

    assert lifted.args == ["-w", "D", "run", "--debug"]


def test_a_commands_own_workspace_option_is_also_given_to_the_root() -> None:
    root = click.Group("pmo", params=[click.Option(["-w", "--workspace"])])
    leaf = click.Command("run", params=[click.Option(["-w", "--workspace"])])

    lifted = _globals.lift(root, ["run", "-wD"], lambda *a: leaf)

    assert lifted.args == ["-wD", "run", "-wD"]


def test_json_on_a_command_without_it_names_the_command(pmo_cli: Run, ws: str) -> None:
    result = pmo_cli("--json", "schema", "-w", ws)

    assert result.exit_code == 2
    assert result.stderr == "error: 'pmo schema' has no --json output (see 'pmo schema --help')\n"


@needs_governance
def test_a_plugin_command_runs_with_the_workspace_after_it(pmo_cli: Run, ws: str) -> None:
    helped = pmo_cli("governance", "--help", "-w", ws)
    checked = pmo_cli("governance", "check", "ALPHA", "-w", ws, "--json")
    listed = pmo_cli("--help", "-w", ws)

    assert helped.exit_code == 0
    assert "Usage: pmo governance" in helped.output
    assert checked.exit_code == 0, checked.stderr
    assert isinstance(checked.json(), list)
    assert "governance" in listed.output


@needs_governance
def test_the_console_script_runs_a_plugin_command_from_another_directory(
    ws: str, tmp_path: Path
) -> None:
    script = Path(sys.executable).parent / ("pmo.exe" if os.name == "nt" else "pmo")
    if not script.exists():
        pytest.skip("the pmo console script is not installed next to this Python")
    env = {**os.environ, "PMO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PMO_WORKSPACE", None)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *argv], capture_output=True, text=True, env=env, timeout=120
        )

    helped = run("-w", ws, "--help")
    checked = run("governance", "check", "ALPHA", "-w", ws, "--json")

    traced = run("project", "list", "--strict", "-w", ws, "--trace")

    assert "governance" in helped.stdout
    assert checked.returncode == 0, checked.stderr
    assert isinstance(json.loads(checked.stdout), list)
    assert traced.returncode == 0, traced.stderr
    assert any(line.startswith("pmo_core.trace:") for line in traced.stderr.splitlines())


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["projet", "list"], "error: no such command 'projet'; did you mean 'project'?"),
        (["plugin", "lst"], "error: no such command 'lst'; did you mean 'list'?"),
        (["raid", "lisst"], "error: no such command 'lisst'; did you mean 'list'?"),
        (["zzzz"], "error: no such command 'zzzz' (see 'pmo --help')"),
        (["--workspac", "x"], "Did you mean '--workspace'?"),
        (["project", "list", "--unde", "x"], "Did you mean '--under'?"),
    ],
)
def test_unknown_commands_and_options_suggest_the_nearest(
    pmo_cli: Run, argv: list[str], said: str
) -> None:
    result = pmo_cli(*argv)

    assert result.exit_code == 2
    assert said in result.stderr


@needs_governance
def test_a_plugin_command_suggests_its_nearest_name(pmo_cli: Run, ws: str) -> None:
    result = pmo_cli("goverance", "check", "-w", ws)

    assert result.exit_code == 2
    assert "no such command 'goverance'; did you mean 'governance'?" in result.stderr


@pytest.mark.plugins("pmo-stage-gate")
def test_a_command_of_an_installed_plugin_not_enabled_says_how_to_enable_it(
    pmo_cli: Run, ws: str
) -> None:
    disabled = pmo_cli("plugins", "disable", "stage-gate", "-w", ws)
    assert disabled.exit_code == 0, disabled.stderr  # enabled in the starter or not

    result = pmo_cli("stage-gate", "-w", ws)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: 'stage-gate' is a command of the plugin stage-gate, which is not enabled "
        "here: pmo plugins enable stage-gate\n"
    )


@needs_governance
def test_a_plugin_commands_unknown_option_suggests_the_nearest(pmo_cli: Run, ws: str) -> None:
    result = pmo_cli("governance", "check", "ALPHA", "-w", ws, "--min-levl", "warn")

    assert result.exit_code == 2
    assert "Did you mean '--min-level'?" in result.stderr
    assert "(see 'pmo governance check --help')" in result.stderr


def test_a_missing_workspace_value_is_a_usage_error(pmo_cli: Run, ws: str) -> None:
    result = pmo_cli("project", "list", "-w")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Option '-w' requires an argument")
