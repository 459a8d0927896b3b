"""``pmo stage-gate``: the deliverables and their templates."""

from __future__ import annotations

import json

import click
import pmo_stage_gate
import pytest
from click.testing import CliRunner


@pytest.fixture
def command() -> click.Command:
    (record,) = pmo_stage_gate.pmo_cli_commands()
    assert record.name == "stage-gate"
    return record.command


def test_template_prints_the_artifact_template(command: click.Command) -> None:
    result = CliRunner().invoke(command, ["template", "business-case"])
    assert result.exit_code == 0, result.output
    expected = next(a for a in pmo_stage_gate.STAGE_GATE.artifacts if a.name == "business-case")
    assert result.output == expected.template
    assert "## Investment appraisal" in result.output


def test_an_unknown_artifact_names_the_known_ones(command: click.Command) -> None:
    result = CliRunner().invoke(command, ["template", "charter"])
    assert result.exit_code == 2
    assert "'charter' is not one of" in result.output
    assert "business-case" in result.output


def test_artifacts_lists_stage_and_gate(command: click.Command) -> None:
    # Piped (tab-separated): a field per column, an empty one for no gate.
    result = CliRunner().invoke(command, ["artifacts"], env={"PMO_TABLES": "tsv"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split("\t") == ["ARTIFACT", "STAGE", "NEEDED AT", "SUMMARY"]
    rows = {line.split("\t")[0]: line.split("\t")[1:3] for line in lines[1:]}
    assert rows["business-case"] == ["business-case", "gate-3"]
    assert rows["test-plan"] == ["development", "gate-4"]
    assert rows["post-launch-review"] == ["post-launch-review", ""]
    # On a terminal: aligned, "-" for no gate.
    shown = CliRunner().invoke(
        command, ["artifacts"], env={"PMO_TABLES": "aligned", "COLUMNS": "160"}
    )
    lines = shown.output.splitlines()
    assert lines[0].split() == ["ARTIFACT", "STAGE", "NEEDED", "AT", "SUMMARY"]
    rows = {line.split()[0]: line.split()[1:3] for line in lines[1:]}
    assert rows["post-launch-review"] == ["post-launch-review", "-"]


def test_artifacts_json_and_limit(command: click.Command) -> None:
    result = CliRunner().invoke(command, ["artifacts", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    by_name = {a["artifact"]: a for a in listed}
    assert by_name["test-plan"] == {
        "artifact": "test-plan",
        "stage": "development",
        "needed_at": "gate-4",
        "summary": by_name["test-plan"]["summary"],
    }
    assert by_name["post-launch-review"]["needed_at"] is None
    assert len(listed) == sum(len(p.artifacts) for p in pmo_stage_gate.STAGE_GATE.phases)
    two = CliRunner().invoke(command, ["artifacts", "--limit", "2"])
    assert len(two.stdout.splitlines()) == 3  # the header and two rows
    assert f"showing 2 of {len(listed)}" in two.stderr
