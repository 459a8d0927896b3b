"""The stage-gate record: registered, consistent, with real templates."""

from __future__ import annotations

import re

import pmo_stage_gate
import pytest
from pydantic import ValidationError

from pmo_core import PmoGate, PmoMethodology, Workspace

PHASES = [
    "discovery",
    "scoping",
    "business-case",
    "development",
    "testing",
    "launch",
    "post-launch-review",
]


def test_registered_through_the_hook(ws: Workspace) -> None:
    record = ws.host.record(PmoMethodology, "stage-gate")
    assert record.plugin == "stage-gate"
    assert [p.name for p in record.phases] == PHASES
    assert record.progress_measure == "percent_complete"
    assert not record.iterations
    assert "stage by stage" in record.tailoring["funding"]
    assert record.tailoring["execution-phases"] == "development, testing, launch"


def test_a_gate_between_each_pair_of_stages() -> None:
    sg = pmo_stage_gate.STAGE_GATE
    assert [(g.name, g.leaving, g.entering) for g in sg.gates] == [
        ("gate-1", "discovery", "scoping"),
        ("gate-2", "scoping", "business-case"),
        ("gate-3", "business-case", "development"),
        ("gate-4", "development", "testing"),
        ("gate-5", "testing", "launch"),
        ("post-launch-gate", "launch", "post-launch-review"),
    ]
    for gate in sg.gates:
        assert sg.next_phase(gate.leaving) == gate.entering
        assert any(c.level == "must" for c in gate.criteria), gate.name


def test_the_record_validates_again_and_rejects_unknown_phases() -> None:
    sg = pmo_stage_gate.STAGE_GATE
    fields = {name: getattr(sg, name) for name in PmoMethodology.model_fields}
    assert PmoMethodology(**fields) == sg
    bad_gate = PmoGate(name="gate-9", leaving="launch", entering="retirement")
    with pytest.raises(ValidationError, match="unknown phase 'retirement'"):
        PmoMethodology(**{**fields, "gates": (*sg.gates, bad_gate)})


def test_every_artifact_is_produced_in_a_stage_and_has_a_template() -> None:
    sg = pmo_stage_gate.STAGE_GATE
    produced = [name for phase in sg.phases for name in phase.artifacts]
    assert sorted(produced) == sorted(a.name for a in sg.artifacts)
    needed = {c.artifact for g in sg.gates for c in g.criteria if c.artifact}
    assert needed <= set(produced)
    assert {"project-brief", "business-case", "project-plan", "test-plan", "launch-plan"} <= needed
    # The post-launch review report is the last stage's product: no gate follows it.
    assert "post-launch-review" in sg.phases[-1].artifacts
    for artifact in sg.artifacts:
        assert artifact.summary, artifact.name
        assert artifact.template.startswith("# "), artifact.name
        assert len(re.findall(r"^## ", artifact.template, flags=re.M)) >= 4, artifact.name


def test_the_business_case_has_the_sections_a_pmo_expects() -> None:
    sg = pmo_stage_gate.STAGE_GATE
    template = next(a.template for a in sg.artifacts if a.name == "business-case")
    headings = re.findall(r"^## (.+)$", template, flags=re.M)
    for expected in (
        "Background",
        "Options",
        "Benefits",
        "Costs",
        "Risks",
        "Investment appraisal",
        "Funding and stage release",
    ):
        assert expected in headings


def test_roles_and_events() -> None:
    sg = pmo_stage_gate.STAGE_GATE
    assert {"gatekeeper", "project-leader", "project-team"} <= {r.name for r in sg.roles}
    review = next(e for e in sg.events if e.name == "gate-review")
    assert review.timebox_hours == 2
    assert review.cadence_days is None  # held when a gate is due, not on a calendar
