"""``pmo prince2``: products and templates, the stage plan, delegated tolerances, highlight
reports due; and bad input refused with one clear line, nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pmo_prince2
import pytest

Cli = Callable[..., Any]


@pytest.fixture
def acme(pmo_cli: Cli, tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    result = pmo_cli("init", root, "--profile", "prince2")
    assert result.exit_code == 0, result.stderr
    for args in (
        ("project", "create", "ALPHA", "--name", "Alpha", "--manager", "Pat Diaz",
         "--budget", "100000 EUR", "--phase", "delivery-1",
         "--field", "prince2.delivery_stages=3"),
        ("role", "assign", "ALPHA", "executive", "Dana Reyes"),
        ("portfolio", "create", "PF", "--name", "Portfolio"),
    ):  # fmt: skip
        done = pmo_cli(*args, workspace=root)
        assert done.exit_code == 0, done.stderr
    return root


def test_template_prints_the_product_template(pmo_cli: Cli) -> None:
    (record,) = pmo_prince2.pmo_cli_commands()
    from click.testing import CliRunner

    result = CliRunner().invoke(record.command, ["template", "end-stage-report"])
    assert result.exit_code == 0, result.output
    expected = next(a for a in pmo_prince2.PRINCE2.artifacts if a.name == "end-stage-report")
    assert result.output == expected.template
    bad = CliRunner().invoke(record.command, ["template", "charter"])
    assert bad.exit_code == 2
    assert "'charter' is not one of" in bad.output


def test_artifacts_lists_stage_and_gate(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("prince2", "artifacts", "--json", workspace=acme)
    assert result.exit_code == 0, result.stderr
    rows = {r["artifact"]: (r["stage"], r["needed_at"]) for r in result.json()}
    assert rows["project-brief"] == ("pre-project", "authorise-initiation")
    assert rows["project-initiation-documentation"] == ("initiation", "authorise-project")
    assert rows["end-stage-report"] == ("delivery", "end-stage-1")
    assert rows["daily-log"] == ("pre-project", "-")
    assert len(rows) == 17
    text = pmo_cli("prince2", "artifacts", workspace=acme)
    assert text.output.splitlines()[0].split() == ["ARTIFACT", "STAGE", "NEEDED", "AT", "SUMMARY"]


def test_stages_shows_the_plan(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("prince2", "stages", "ALPHA", "--json", workspace=acme)
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["phase"], data["delivery_stages"]) == ("delivery-1", 3)
    assert [(s["stage"], s["current"], s["gate"]) for s in data["stages"]] == [
        ("pre-project", False, "authorise-initiation"),
        ("initiation", False, "authorise-project"),
        ("delivery-1", True, "end-stage-1"),
        ("delivery-2", False, "end-stage-2"),
        ("delivery-3", False, "close the project"),
    ]
    text = pmo_cli("prince2", "stages", "ALPHA", workspace=acme).output
    assert text.splitlines()[0] == "ALPHA: 3 delivery stages; now in delivery-1"


def test_stages_of_a_portfolio(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("prince2", "stages", "PF", workspace=acme)
    assert result.exit_code == 2
    assert result.stderr == "error: PROJECT: PF is a portfolio; only a project has stages\n"


def test_tolerances_set_and_show(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("prince2", "tolerances", "set", "ALPHA", "--cost", "0.05", "--risk", "16",
                     workspace=acme)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.output == "Tolerances of project ALPHA: cost 0.05, risk 16\n"
    text = (acme / "pmo.toml").read_text()
    assert "[governance.rules.tolerance-forecast.scopes.ALPHA]" in text
    shown = pmo_cli("prince2", "tolerances", "show", "ALPHA", "--json", workspace=acme)
    assert shown.exit_code == 0, shown.stderr
    rows = {r["dimension"]: (r["limit"], r["set_in"]) for r in shown.json()}
    assert rows == {
        "time": ("0.10", "governance model"),
        "cost": ("0.05", "pmo.toml"),
        "scope": ("0.10", "governance model"),
        "risk": ("16", "pmo.toml"),
    }
    # A second call keeps what it does not set.
    pmo_cli("prince2", "tolerances", "set", "ALPHA", "--time", "0.2", workspace=acme)
    again = pmo_cli("prince2", "tolerances", "show", "ALPHA", "--json", workspace=acme)
    rows = {r["dimension"]: r["limit"] for r in again.json()}
    assert (rows["time"], rows["cost"]) == ("0.2", "0.05")
    # The forecast beyond the delegated 5 % raises the exception: 105000.01 / 100000 - 1.
    assert pmo_cli("baseline", "take", "ALPHA", workspace=acme).exit_code == 0
    pmo_cli("forecast", "set", "ALPHA", "--eac", "105000.01 EUR", "--reason", "Price rise",
            workspace=acme)  # fmt: skip
    listed = pmo_cli("exception", "list", "--json", workspace=acme)
    assert listed.exit_code == 0, listed.stderr
    (report,) = listed.json()
    assert (report["metrics"]["limit"], report["metrics"]["actual"]) == ("0.05", "0.0500001")
    assert report["summary"].endswith("(no level above; executive: Dana Reyes)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--cost", "ten"), "error: --cost: 'ten' is not a number"),
        (("--cost", "-0.1"), "error: --cost: '-0.1' must be a number >= 0"),
        (
            ("--cost", "1.5"),
            "error: --cost: 1.5 is a fraction of the plan (0.10 is 10 %), at most 1",
        ),
        (("--risk", "30"), "error: --risk: 30 is a risk score (probability x impact), at most 25"),
        ((), "error: give at least one of --time, --cost, --scope, --risk"),
    ],
)
def test_tolerances_set_refuses_bad_values(
    pmo_cli: Cli, acme: Path, args: tuple[str, ...], message: str
) -> None:
    before = (acme / "pmo.toml").read_text()
    result = pmo_cli("prince2", "tolerances", "set", "ALPHA", *args, workspace=acme)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert (acme / "pmo.toml").read_text() == before


def test_tolerances_of_a_portfolio_or_a_missing_key(pmo_cli: Cli, acme: Path) -> None:
    before = (acme / "pmo.toml").read_text()
    portfolio = pmo_cli("prince2", "tolerances", "set", "PF", "--cost", "0.1", workspace=acme)
    assert portfolio.exit_code == 2
    assert "PF is a portfolio; tolerances are set for a project or a program" in portfolio.stderr
    missing = pmo_cli("prince2", "tolerances", "set", "NOPE", "--cost", "0.1", workspace=acme)
    assert missing.exit_code == 3
    assert (acme / "pmo.toml").read_text() == before


def test_highlight_due(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("prince2", "highlight-due", "--json", workspace=acme)
    # Never reported and no gate decided: due now.
    assert result.exit_code == 5
    assert result.json() == [
        {
            "project": "ALPHA",
            "phase": "delivery-1",
            "last": None,
            "due_on": None,
            "cadence_days": 14,
            "overdue": True,
        }
    ]
    assert pmo_cli("status", "report", "ALPHA", "--overall", "green",
                   workspace=acme).exit_code == 0  # fmt: skip
    ok = pmo_cli("prince2", "highlight-due", "ALPHA", workspace=acme)
    assert ok.exit_code == 0, ok.stderr
    assert ok.output.splitlines()[0].split() == ["PROJECT", "STAGE", "LAST", "DUE", "STATE"]
    assert ok.output.splitlines()[1].split()[-1] == "ok"


def test_the_highlight_report_from_the_cli(pmo_cli: Cli, acme: Path) -> None:
    result = pmo_cli("report", "prince2-highlight", "ALPHA", "--format", "json", workspace=acme)
    assert result.exit_code == 0, result.stderr
    assert result.json()["stage"]["planned_stages"] == 3
    bad = pmo_cli("report", "prince2-highlight", "ALPHA", "--option", "days=x", workspace=acme)
    assert bad.exit_code == 2
    assert "option days: 'x' is not a whole number of days" in bad.stderr


def test_tolerances_of_a_program(pmo_cli: Cli, acme: Path) -> None:
    assert pmo_cli("program", "create", "ERP", "--name", "ERP", workspace=acme).exit_code == 0
    done = pmo_cli("prince2", "tolerances", "set", "ERP", "--cost", "0.03", workspace=acme)
    assert done.exit_code == 0, done.stderr
    assert done.output == "Tolerances of program ERP: cost 0.03\n"
    rows = pmo_cli("prince2", "tolerances", "show", "ERP", "--json", workspace=acme).json()
    assert {r["dimension"]: (r["level"], r["limit"]) for r in rows} == {
        "time": ("program", "0.10"),
        "cost": ("program", "0.03"),
    }
    scope = pmo_cli("prince2", "tolerances", "set", "ERP", "--scope", "0.1", workspace=acme)
    assert scope.exit_code == 2
    assert scope.stderr == "error: --scope: a program has no scope tolerance\n"


def test_tolerances_need_the_governance_rule(pmo_cli: Cli, acme: Path) -> None:
    off = pmo_cli("plugins", "disable", "governance", "--comment", "trial", workspace=acme)
    assert off.exit_code == 0, off.stderr
    before = (acme / "pmo.toml").read_text()
    result = pmo_cli("prince2", "tolerances", "set", "ALPHA", "--cost", "0.05", workspace=acme)
    assert result.exit_code == 3
    assert "enable the governance plugin ('pmo plugins enable governance')" in result.stderr
    assert (acme / "pmo.toml").read_text() == before


def _leaves(command: Any, path: list[str]) -> list[list[str]]:
    import click

    out = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            out += _leaves(sub, [*path, name])
    return out


def test_every_command_has_help_with_an_example() -> None:
    from click.testing import CliRunner

    (record,) = pmo_prince2.pmo_cli_commands()
    for path in _leaves(record.command, []):
        result = CliRunner().invoke(record.command, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "pmo prince2 " in result.output.split("Example", 1)[1], path
        listing = result.output.split("Commands:", 1)[1] if "Commands:" in result.output else ""
        assert "..." not in listing, (path, listing)


def test_stages_past_a_cut_plan(pmo_cli: Cli, acme: Path) -> None:
    # ALPHA is in delivery-1; a plan cut to 1 stage makes delivery-1 the final one.
    cut = pmo_cli("project", "update", "ALPHA", "--field", "prince2.delivery_stages=1",
                  workspace=acme)  # fmt: skip
    assert cut.exit_code == 0, cut.stderr
    data = pmo_cli("prince2", "stages", "ALPHA", "--json", workspace=acme).json()
    assert [(s["stage"], s["gate"]) for s in data["stages"]][-2:] == [
        ("initiation", "authorise-project"),
        ("delivery-1", "close the project"),
    ]


def test_stages_of_a_project_beyond_its_plan(pmo_cli: Cli, acme: Path) -> None:
    made = pmo_cli("project", "create", "BETA", "--name", "Beta", "--phase", "delivery-3",
                   "--field", "prince2.delivery_stages=2", workspace=acme)  # fmt: skip
    assert made.exit_code == 0, made.stderr
    data = pmo_cli("prince2", "stages", "BETA", "--json", workspace=acme).json()
    assert [(s["stage"], s["current"], s["gate"]) for s in data["stages"]][2:] == [
        ("delivery-1", False, "end-stage-1"),
        ("delivery-2", False, "close the project"),
        ("delivery-3", True, "end-stage-3"),
    ]


def test_stages_of_an_unplanned_project_close_nowhere_early(pmo_cli: Cli, acme: Path) -> None:
    done = pmo_cli("project", "create", "BETA", "--name", "Beta", "--methodology", "prince2",
                   workspace=acme)  # fmt: skip
    assert done.exit_code == 0, done.stderr

    result = pmo_cli("prince2", "stages", "BETA", "--json", workspace=acme)

    data = json.loads(result.output)
    assert data["delivery_stages"] is None
    gates = {row["stage"]: row["gate"] for row in data["stages"]}
    # With no plan, no stage is the final one: each boundary is its gate.
    assert "close the project" not in gates.values()
    assert gates["pre-project"] == "authorise-initiation"
    assert gates["initiation"] == "authorise-project"
    assert gates["delivery-1"] == "end-stage-1"
