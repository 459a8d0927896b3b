"""``pmo hybrid``: artifacts, templates and story points per iteration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pmo_hybrid
import pytest
from click.testing import CliRunner

from pmo_core import Workspace

Cli = Callable[..., Any]


@pytest.fixture
def acme(pmo_cli: Cli, tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    assert pmo_cli("init", root, "--profile", "hybrid").exit_code == 0
    for args in (
        ("project", "create", "APP", "--name", "App", "--phase", "delivery"),
        ("portfolio", "create", "PF", "--name", "Portfolio"),
    ):
        done = pmo_cli(*args, workspace=root)
        assert done.exit_code == 0, done.stderr
    # `pmo work add` takes no points or iteration: the stories come from the API.
    with Workspace.open(root) as ws:
        ws.add_work_item("APP", "Login", points=5, iteration="Sprint 1")
        ws.add_work_item("APP", "Search", points=8, iteration="Sprint 2")
        ws.add_work_item("APP", "Export", points=3)
    return root


def test_template_and_artifacts() -> None:
    (record,) = pmo_hybrid.pmo_cli_commands()
    result = CliRunner().invoke(record.command, ["template", "release-plan"])
    assert result.exit_code == 0, result.output
    assert "## Scope in story points" in result.output
    # Piped, the table is tab-separated: an empty field where no gate needs the artifact.
    listed = CliRunner().invoke(record.command, ["artifacts"], env={"PMO_TABLES": "tsv"})
    lines = listed.output.splitlines()
    assert lines[0].split("\t") == ["ARTIFACT", "STAGE", "NEEDED AT", "SUMMARY"]
    rows = {line.split("\t")[0]: line.split("\t")[1:3] for line in lines[1:]}
    assert rows["release-plan"] == ["initiation", "start-delivery"]
    assert rows["release-report"] == ["delivery", "release"]
    assert rows["closure-report"] == ["closing", ""]
    bad = CliRunner().invoke(record.command, ["template", "charter"])
    assert bad.exit_code == 2


def test_points_per_iteration(pmo_cli: Cli, acme: Path) -> None:
    listed = pmo_cli("work", "list", "APP", "--json", workspace=acme).json()
    login = next(w["id"] for w in listed if w["subject"] == "Login")
    assert pmo_cli("work", "progress", login, "--percent", "100", workspace=acme).exit_code == 0
    result = pmo_cli("hybrid", "points", "APP", "--json", workspace=acme)
    assert result.exit_code == 0, result.stderr
    # 5 of 5 + 8 + 3 = 16 points done: 31.25 %, shown to one decimal.
    assert result.json() == {
        "project": "APP",
        "planned": "16",
        "done": "5",
        "percent_done": "31.3",
        "iterations": [
            {"iteration": "(backlog)", "planned": "3", "done": "0"},
            {"iteration": "Sprint 1", "planned": "5", "done": "5"},
            {"iteration": "Sprint 2", "planned": "8", "done": "0"},
        ],
    }
    text = pmo_cli("hybrid", "points", "APP", workspace=acme).output
    assert text.splitlines()[0] == "APP: 5 of 16 points done (31.3%)"


def test_points_of_a_portfolio_is_refused(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("hybrid", "points", "PF", workspace=acme)
    assert result.exit_code == 2
    assert result.stderr == "error: PROJECT: PF is a portfolio; points are a project's\n"
    missing = pmo_cli("hybrid", "points", "NOPE", workspace=acme)
    assert missing.exit_code == 3


def test_every_command_has_help_with_an_example() -> None:
    (record,) = pmo_hybrid.pmo_cli_commands()
    for name in ["", *record.command.commands]:  # type: ignore[attr-defined]
        path = [name] if name else []
        result = CliRunner().invoke(record.command, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "pmo hybrid " in result.output.split("Example", 1)[1], path
        listing = result.output.split("Commands:", 1)[1] if "Commands:" in result.output else ""
        assert "..." not in listing, (path, listing)
