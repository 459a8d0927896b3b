"""Commands that need no workspace (``PmoCommand(workspace=False)``): offered by installed
plugins the environment allows, also outside a workspace, and listed by help once known."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import make_runner

from pmo_core._cli import cli
from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

PLUGIN = """
import click
from pmo_core import PmoCommand, hookimpl

@click.command()
@click.argument("target", default="here")
def scaffold(target):
    "Lay out a sample."
    click.echo(f"scaffolded {target}")

@click.command()
def report():
    "Needs a workspace."
    click.echo("report")

@hookimpl
def pmo_cli_commands():
    yield PmoCommand(name="scaffold", summary="Lay out a sample.", command=scaffold,
                     workspace=False)
    yield PmoCommand(name="kit-report", summary="Needs a workspace.", command=report)
"""


@pytest.fixture
def installed(fake_distribution: Install) -> FakeDistribution:
    return fake_distribution("pmo-kit-free", PLUGIN)


def test_a_workspace_free_command_runs_outside_a_workspace(
    installed: FakeDistribution, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = make_runner()

    ran = runner.invoke(cli, ["scaffold", "out"])
    helped = runner.invoke(cli, ["--help"])

    assert ran.exit_code == 0, ran.output + ran.stderr
    assert ran.output == "scaffolded out\n"
    # Once known, help lists it with its summary, without importing the plugin again.
    assert re.search(r"^  scaffold +Lay out a sample\.$", helped.output, re.M), helped.output
    assert "kit-report" not in helped.output


def test_a_workspace_command_of_a_plugin_not_enabled_is_unknown(
    installed: FakeDistribution, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = make_runner().invoke(cli, ["kit-report"])

    assert result.exit_code == 2
    assert (
        "'kit-report' is a command of the plugin kit-free, which is not enabled here: "
        "pmo plugins enable kit-free"
    ) in result.stderr


def test_the_environment_denies_a_workspace_free_command(
    installed: FakeDistribution, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PMO_PLUGINS_DENY", "kit-free")

    result = make_runner().invoke(cli, ["scaffold"])

    assert result.exit_code == 2
    assert "no such command 'scaffold'" in result.stderr
