"""`current_workspace()`: how a plugin's command reaches the workspace of the invocation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core import PmoError, Workspace, current_workspace
from pmo_core.testing import CliResult, FakeDistribution

COUNTER = """
import click
from pmo_core import PmoCommand, current_workspace, hookimpl


@click.command()
def count():
    "Count the projects."
    ws = current_workspace()
    assert current_workspace() is ws  # opened once per invocation
    click.echo(f"{ws.config.name}: {len(ws.view().projects())} project(s)")


@hookimpl
def pmo_cli_commands():
    yield PmoCommand(name="count", summary="Count the projects.", command=count)
"""


def test_a_plugin_command_gets_the_workspace_named_by_w(
    tmp_path: Path,
    fake_distribution: Callable[..., FakeDistribution],
    pmo_cli: Callable[..., CliResult],
) -> None:
    fake_distribution("pmo-counter", COUNTER)
    for name, projects in (("one", 1), ("two", 2)):
        with Workspace.init(tmp_path / name, name=name) as ws:
            ws.enable("counter")
            ws.create("portfolio", id="PF", name="Portfolio")
            for i in range(projects):
                ws.create("project", id=f"P{i}", name=f"Project {i}", parent="PF")
    assert pmo_cli("count", workspace=tmp_path / "two").output == "two: 2 project(s)\n"
    assert pmo_cli("count", workspace=tmp_path / "one").output == "one: 1 project(s)\n"


def test_outside_a_pmo_command_it_says_so() -> None:
    with pytest.raises(PmoError, match="only inside a running pmo command"):
        current_workspace()
