"""``pmo governance models``: tables and JSON, inside and outside a workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pmo_governance
import pytest
from click.testing import CliRunner

from pmo_core import Workspace


@pytest.fixture
def command() -> click.Command:
    (record,) = pmo_governance.pmo_cli_commands()
    assert record.name == "governance"
    return record.command


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PMO_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_models_table_shows_each_rules_level_per_model(
    command: click.Command, outside: Path
) -> None:
    # Piped (tab-separated), every description is whole.
    result = CliRunner().invoke(command, ["models"], env={"PMO_TABLES": "tsv"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Models"
    assert lines[1] == "MODEL\tPLUGIN\tDESCRIPTION"
    directive = next(line.split("\t") for line in lines if line.startswith("directive\t"))
    assert directive[1] == "governance"
    assert "default block" in directive[2]
    assert "tier 1 7d" in directive[2]
    assert "deviations need a waiver" in directive[2]
    assert "gate go: the sponsor and the pmo (2 distinct people)" in directive[2]
    supportive = next(line for line in lines if line.startswith("supportive\t"))
    assert "deviations advised" in supportive
    assert "baselined changes recorded" in supportive
    header = next(line for line in lines if line.startswith("RULE\t"))
    # pmo-core's neutral model (in force where nothing names one) keeps every rule's own level.
    assert header.split("\t") == [
        "RULE",
        "OWN",
        "CONTROLLING",
        "DIRECTIVE",
        "NEUTRAL",
        "SUPPORTIVE",
    ]
    baseline = next(line for line in lines if line.startswith("baseline-before-execution\t"))
    assert baseline.split("\t") == [
        "baseline-before-execution",
        "warn",
        "block",
        "block",
        "warn",
        "advise",
    ]


def test_models_table_fits_the_terminal(command: click.Command, outside: Path) -> None:
    result = CliRunner().invoke(
        command, ["models"], env={"PMO_TABLES": "aligned", "COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    directive = next(line for line in lines if line.startswith("directive "))
    assert directive.endswith("...")  # the long description is elided to fit
    header = next(line for line in lines if line.startswith("RULE "))
    assert header.split() == ["RULE", "OWN", "CONTROLLING", "DIRECTIVE", "NEUTRAL", "SUPPORTIVE"]


def test_models_json(command: click.Command, outside: Path) -> None:
    result = CliRunner().invoke(command, ["models", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    models = {m["name"]: m for m in data["models"]}
    assert set(models) == {"supportive", "controlling", "directive", "neutral"}
    assert models["neutral"]["plugin"] == "pmo-core"
    assert models["controlling"]["levels"]["sponsor-and-business-case"] == "block"
    assert models["controlling"]["levels"]["status-cadence"] == "warn"
    assert set(models["supportive"]["levels"].values()) == {"advise"}
    assert models["directive"]["rule_settings"] == {}  # thresholds are the rules' own
    assert models["controlling"]["tolerances"] == {
        "program": {"cost": "0.05", "time": "0.10"},
        "project": {"cost": "0.10", "risk": "20", "scope": "0.20", "time": "0.10"},
    }
    assert models["controlling"]["approvals"]["waiver"] == [
        {
            "roles": ["pmo"],
            "quorum": 1,
            "required": [],
            "not_requester": True,
            "at_least": "0",
        }
    ]
    assert (models["supportive"]["deviations"], models["directive"]["change_control"]) == (
        "advise",
        "request",
    )
    assert models["directive"]["cadence_days"] == {"1": 7, "2": 14, "3": 30}
    rules = {r["name"]: r for r in data["rules"]}
    assert rules["sponsor-and-business-case"]["gates_only"] is True
    assert rules["high-risks-owned"]["scopes"] == ["project", "program", "portfolio"]


def test_models_in_a_workspace(pmo_cli: Any, tmp_path: Path, outside: Path) -> None:
    # The installed plugin, enabled by the workspace's profile, provides the records; the
    # workspace is pmo's global -w, here after the command.
    Workspace.init(tmp_path / "acme", profile="controlling").close()
    result = pmo_cli("governance", "models", "--json", "-w", str(tmp_path / "acme"))
    assert result.exit_code == 0, result.stderr
    names = [m["name"] for m in result.json()["models"]]
    assert names == ["controlling", "directive", "neutral", "supportive"]


def test_a_missing_workspace_named_explicitly_is_an_error(
    pmo_cli: Any, tmp_path: Path, outside: Path
) -> None:
    result = pmo_cli("governance", "models", "-w", str(tmp_path / "nowhere"))
    # No fallback to the plugin's own records: an error, nothing printed. (pmo-core reports
    # the command as not enabled, as the missing workspace enables no plugin.)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.output == ""


def test_the_command_has_no_workspace_option_of_its_own(command: click.Command) -> None:
    # pmo's global -w reaches it (the option of the core, in every spelling).
    for name in ("models", "check"):
        sub = command.commands[name]  # type: ignore[attr-defined]
        assert not [p for p in sub.params if "-w" in getattr(p, "opts", ())]


def _portfolio(tmp_path: Path, model: str) -> Path:
    root = tmp_path / model
    with Workspace.init(root, profile="controlling") as ws:
        ws.create("portfolio", id="PF", name="Portfolio", governance_model=model)
        ws.create("project", id="ON-PLAN", name="On plan", parent="PF", phase="discovery")
        # Moved past its gates without a decision: the phase-reached-by-gate finding.
        ws.create("project", id="SKIPPED", name="Skipped", parent="PF", phase="scoping")
    return root


def test_check_lists_findings_by_level_through_pmo_w(
    pmo_cli: Any, tmp_path: Path, outside: Path
) -> None:
    root = _portfolio(tmp_path, "controlling")

    # `pmo -w` reaches the command although the current directory is no workspace.
    result = pmo_cli("governance", "check", workspace=root)

    assert result.exit_code == 0, result.stderr
    lines = result.output.splitlines()
    assert lines[0] == "warn (1)"
    assert lines[1].startswith(
        "  SKIPPED  phase-reached-by-gate: project SKIPPED is in phase 'scoping' but no gate "
        "decision moved it there (no gate decision recorded)"
    )
    assert "ON-PLAN" not in result.output
    assert lines[-1].startswith("1 finding(s), ")
    data = json.loads(pmo_cli("governance", "check", "ON-PLAN", "--json", workspace=root).output)
    assert {f["entity"] for f in data} == {"ON-PLAN"}
    assert all(f["passed"] for f in data)


def test_check_exits_5_when_a_finding_blocks(pmo_cli: Any, tmp_path: Path) -> None:
    root = _portfolio(tmp_path, "directive")

    result = pmo_cli("governance", "check", "SKIPPED", "--min-level", "block", workspace=root)

    assert result.exit_code == 5
    assert result.output.splitlines()[0] == "block (1)"
    assert "SKIPPED  phase-reached-by-gate" in result.output
    assert pmo_cli("governance", "check", "ON-PLAN", workspace=root).exit_code == 0


def test_a_finding_quoting_data_is_printed_inert() -> None:
    from pmo_governance._cli import _finding_line

    from pmo_core import Finding

    finding = Finding(
        rule="sponsor-named",
        entity="ALPHA",
        level="warn",
        passed=False,
        message="project Alpha\x1b]0;owned\x07 names no sponsor\r\u202e",
    )

    assert _finding_line(finding) == (
        "  ALPHA  sponsor-named: project Alpha\\u001b]0;owned\\u0007 names no sponsor\\u000d\\u202e"
    )
