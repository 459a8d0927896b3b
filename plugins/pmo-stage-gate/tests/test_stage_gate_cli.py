"""``pmo stage-gate``: the deliverables and their templates."""

from __future__ import annotations

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
    result = CliRunner().invoke(command, ["artifacts"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:3] for line in result.output.splitlines()[1:]}
    assert rows["business-case"] == ["business-case", "gate-3"]
    assert rows["test-plan"] == ["development", "gate-4"]
    assert rows["post-launch-review"] == ["post-launch-review", "-"]
