"""The prince2 record: registered, consistent, with a template for every management product."""

from __future__ import annotations

import re

import pmo_prince2
import pytest

from pmo_core import PmoCustomFields, PmoGovernanceModel, PmoMethodology, PmoProfile, Workspace

PRODUCTS = {
    "business-case",
    "project-brief",
    "project-initiation-documentation",
    "project-plan",
    "stage-plan",
    "exception-plan",
    "risk-register",
    "issue-register",
    "quality-register",
    "lessons-log",
    "daily-log",
    "highlight-report",
    "checkpoint-report",
    "end-stage-report",
    "exception-report",
    "end-project-report",
    "lessons-report",
}


def test_registered_through_the_hooks(ws: Workspace) -> None:
    record = ws.host.record(PmoMethodology, "prince2")
    assert record.plugin == "prince2"
    assert [p.name for p in record.phases] == [p.name for p in pmo_prince2.PRINCE2.phases]
    assert record.progress_measure == "percent_complete"
    assert not record.iterations
    model = ws.host.record(PmoGovernanceModel, "prince2")
    assert model.escalate_to == "executive"
    assert str(model.tolerances_for("project")["cost"]) == "0.10"
    fields = ws.host.record(PmoCustomFields, "prince2")
    assert fields.model is pmo_prince2.Prince2Fields


def test_the_lifecycle_and_its_gates() -> None:
    p2 = pmo_prince2.PRINCE2
    names = [p.name for p in p2.phases]
    assert names == ["pre-project", "initiation"] + [f"delivery-{n}" for n in range(1, 10)]
    assert [(g.name, g.leaving, g.entering) for g in p2.gates] == [
        ("authorise-initiation", "pre-project", "initiation"),
        ("authorise-project", "initiation", "delivery-1"),
    ] + [(f"end-stage-{n}", f"delivery-{n}", f"delivery-{n + 1}") for n in range(1, 9)]
    for gate in p2.gates:
        assert any(c.level == "must" for c in gate.criteria), gate.name
        assert "kill" in gate.options


def test_a_lifecycle_of_any_length() -> None:
    two = pmo_prince2.prince2_methodology(2)
    assert [p.name for p in two.phases] == ["pre-project", "initiation", "delivery-1", "delivery-2"]
    assert [g.name for g in two.gates] == [
        "authorise-initiation",
        "authorise-project",
        "end-stage-1",
    ]
    one = pmo_prince2.prince2_methodology(1)
    assert one.gate_leaving("delivery-1") is None
    for bad in (0, 100):
        with pytest.raises(ValueError, match="delivery_stages must be 1 to 99"):
            pmo_prince2.prince2_methodology(bad)


def test_every_management_product_has_a_template() -> None:
    artifacts = {a.name: a for a in pmo_prince2.PRINCE2.artifacts}
    assert set(artifacts) == PRODUCTS
    produced = {name for phase in pmo_prince2.PRINCE2.phases for name in phase.artifacts}
    assert produced == PRODUCTS
    for artifact in artifacts.values():
        assert artifact.summary, artifact.name
        text = artifact.template
        assert text.startswith("# "), artifact.name
        assert "| Executive | <name> |" in text
        assert len(re.findall(r"^## ", text, flags=re.M)) >= 1, artifact.name
        assert text.endswith("\n")
    assert "## Investment appraisal" in artifacts["business-case"].template
    assert "## Project controls" in artifacts["project-initiation-documentation"].template
    assert "## Stage tolerances" in artifacts["stage-plan"].template
    assert "## Options" in artifacts["exception-report"].template


def test_every_artifact_criterion_names_a_product() -> None:
    names = {a.name for a in pmo_prince2.PRINCE2.artifacts}
    for gate in pmo_prince2.PRINCE2.gates:
        for criterion in gate.criteria:
            assert criterion.artifact is None or criterion.artifact in names


def test_the_project_board_approves_gates_and_products() -> None:
    board = pmo_prince2.PROJECT_BOARD
    go = board.approval_rule("go")
    assert (go.roles, go.quorum, go.required) == (
        ("executive", "senior-user", "senior-supplier"),
        2,
        ("executive",),
    )
    assert board.approval_rule("artifact").not_requester
    assert board.approval_rule("change").roles == ("manager", "executive")


def test_the_profile() -> None:
    (profile,) = pmo_prince2.pmo_profiles()
    assert isinstance(profile, PmoProfile)
    assert (profile.name, profile.methodology, profile.governance_model) == (
        "prince2",
        "prince2",
        "prince2",
    )
    assert "governance" in profile.plugins  # its tolerance rule reads the delegated tolerances


def test_the_stage_plan_field(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha",
              custom_fields={"prince2": {"delivery_stages": 4}})  # fmt: skip
    assert pmo_prince2.planned_stages(ws.get("ALPHA")) == 4
    ws.create("project", id="BETA", name="Beta")
    assert pmo_prince2.planned_stages(ws.get("BETA")) is None
    assert pmo_prince2.stage_number("delivery-12") == 12
    assert pmo_prince2.stage_number("initiation") is None
    assert pmo_prince2.stage_number(None) is None
    assert pmo_prince2.stage_number("delivery-x") is None
