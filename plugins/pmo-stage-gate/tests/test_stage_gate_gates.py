"""Gate checks and decisions with the stage-gate methodology, on real records."""

from __future__ import annotations

from datetime import date

import pytest
from stage_gate_support import APPROVERS, TODAY, approve, criteria

from pmo_core import Baseline, GovernanceBlockedError, Milestone, Workspace


def _ready_for_gate_3(ws: Workspace) -> None:
    ws.create(
        "portfolio", id="PF", name="Products",
    )  # fmt: skip
    ws.assign_role("PF", "pmo", "Lee Park")  # holds for every project of the portfolio
    ws.create(
        "project", id="ALPHA", name="Alpha", parent="PF", phase="business-case",
        sponsor="Dana Reyes", manager="Pat Diaz", budget="250000 EUR",
    )  # fmt: skip
    ws.add(Baseline(project="ALPHA", number=0, taken_on=date(2025, 5, 30), cost="250000 EUR"))
    ws.add(Milestone(project="ALPHA", name="Prototype", due=date(2025, 9, 1)))
    approve(ws, "ALPHA", "project-plan")


def test_new_projects_follow_the_workspace_methodology(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    result = ws.gate_check("ALPHA")
    assert result.methodology == "stage-gate"
    # With no phase yet, a project is in the first stage and faces the idea screen.
    assert (result.gate, result.leaving, result.entering) == ("gate-1", "discovery", "scoping")


def test_gate_3_is_blocked_by_a_missing_business_case_then_passes(ws: Workspace) -> None:
    _ready_for_gate_3(ws)
    result = ws.gate_check("ALPHA")
    assert result.gate == "gate-3"
    assert result.blocked
    assert result.reasons() == [
        "criterion business-case (must): artifact 'business-case' is not approved"
    ]
    with pytest.raises(GovernanceBlockedError, match="business-case"):
        ws.decide_gate("ALPHA", "go", approvers=APPROVERS)
    assert ws.get("ALPHA").phase == "business-case"

    approve(ws, "ALPHA", "business-case")
    result = ws.gate_check("ALPHA")
    assert not result.blocked, result.reasons()
    assert all(c.passed for c in result.criteria)
    decision = ws.decide_gate("ALPHA", "go", approvers=APPROVERS, conditions=["re-plan by Q4"])
    assert decision.gate == "gate-3"
    assert decision.next_phase == "development"
    assert {c.name for c in decision.criteria} >= {"business-case", "baseline-exists"}
    assert ws.get("ALPHA").phase == "development"
    assert ws.gate_check("ALPHA").gate == "gate-4"


@pytest.mark.parametrize(
    ("change", "criterion", "note"),
    [
        ({"sponsor": None}, "sponsor-named", "project ALPHA names no sponsor"),
        ({"manager": None}, "project-leader-named", "project ALPHA names no project leader"),
        ({"budget": None}, "budget-set", "project ALPHA has no budget"),
        ({"budget": "0 EUR"}, "budget-set", "has a budget of 0 EUR; it must be positive"),
    ],
)
def test_gate_3_check_criteria(
    ws: Workspace, change: dict[str, object], criterion: str, note: str
) -> None:
    _ready_for_gate_3(ws)
    approve(ws, "ALPHA", "business-case")
    ws.update("ALPHA", **change)
    result = ws.gate_check("ALPHA")
    failed = [c for c in result.criteria if not c.passed]
    assert [c.name for c in failed] == [criterion]
    assert note in failed[0].note
    assert result.blocked


def test_gate_3_needs_a_baseline(ws: Workspace) -> None:
    ws.create(
        "project", id="BETA", name="Beta", phase="business-case", sponsor="Dana",
        manager="Pat", budget="10000 EUR",
    )  # fmt: skip
    approve(ws, "BETA", "business-case", "project-plan")
    result = ws.gate_check("BETA")
    assert result.reasons() == [
        "criterion baseline-exists (must): project BETA has no baseline; take baseline 0"
    ]


def test_should_criteria_warn_but_do_not_block(ws: Workspace) -> None:
    ws.create(
        "project", id="BETA", name="Beta", phase="business-case", sponsor="Dana",
        manager="Pat", budget="10000 EUR",
    )  # fmt: skip
    approve(ws, "BETA", "business-case", "project-plan")
    ws.add(Baseline(project="BETA", number=0, taken_on=TODAY, cost="10000 EUR"))
    ws.add_raid("BETA", "risk", "Supplier insolvent", probability=3, impact=5)
    result = ws.gate_check("BETA")
    assert not result.blocked
    failed = {c.name: c.note for c in result.criteria if not c.passed}
    assert failed == {
        "milestones-defined": "project BETA has no dated milestone",
        "high-risks-owned": "project BETA has high risks without an owner: 'Supplier insolvent'",
    }


def test_walk_from_discovery_to_business_case(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", phase="discovery")
    assert criteria(ws, "ALPHA") == {
        "idea-submitted": False,
        "strategic-fit": False,
        "project-leader-named": False,
    }
    approve(ws, "ALPHA", "idea-submission")
    assert not ws.gate_check("ALPHA").blocked  # the should criteria do not hold it back
    # No sponsor yet: two people of the PMO screen the idea.
    ws.assign_role("ALPHA", "pmo", "Lee Park")
    ws.assign_role("ALPHA", "pmo", "Kim Lo")
    ws.decide_gate("ALPHA", "go", approvers=["Lee Park", "Kim Lo"])

    # Gate 2 needs the brief and a sponsor.
    assert ws.gate_check("ALPHA").gate == "gate-2"
    approve(ws, "ALPHA", "project-brief")
    result = ws.gate_check("ALPHA")
    assert result.reasons() == ["criterion sponsor-named (must): project ALPHA names no sponsor"]
    ws.update("ALPHA", sponsor="Dana Reyes")
    ws.decide_gate("ALPHA", "go", approvers=APPROVERS)
    assert ws.get("ALPHA").phase == "business-case"
    # Same-day decisions: the view orders them by date, then by random id, so compare sets.
    assert {d.gate for d in ws.view().gate_decisions("ALPHA")} == {"gate-1", "gate-2"}


def test_late_milestones_and_a_red_status_are_flagged_at_gate_4(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", phase="development")
    approve(ws, "ALPHA", "test-plan")
    ws.add(Milestone(project="ALPHA", name="Prototype", due=date(2025, 5, 1)))
    ws.add(Milestone(project="ALPHA", name="Done", due=date(2025, 4, 1), status="closed"))
    ws.add(Milestone(project="ALPHA", name="Pilot", due=date(2025, 7, 1)))
    ws.report_status("ALPHA", overall="red", as_of=date(2025, 5, 30))
    result = ws.gate_check("ALPHA")
    assert result.gate == "gate-4"
    assert not result.blocked
    notes = {c.name: c.note for c in result.criteria if not c.passed}
    assert notes == {
        "milestones-met": "project ALPHA has 1 overdue milestone: 'Prototype' (due 2025-05-01)",
        "status-not-red": (
            "the latest status report of project ALPHA (2025-05-30) is red; agree a recovery "
            "plan before passing the gate"
        ),
    }
    ws.report_status("ALPHA", overall="amber", as_of=TODAY)
    assert criteria(ws, "ALPHA")["status-not-red"]


def test_the_last_stage_has_no_gate(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", phase="post-launch-review")
    result = ws.gate_check("ALPHA")
    assert result.gate is None
    assert result.notes == ("phase 'post-launch-review' is the last; there is no gate after it",)


def test_with_the_governance_plugin_under_controlling() -> None:
    pmo_governance = pytest.importorskip("pmo_governance")
    import pmo_stage_gate

    with Workspace.in_memory(
        plugins={"stage-gate": pmo_stage_gate, "governance": pmo_governance},
        governance_model="controlling",
        methodology="stage-gate",
        today=lambda: TODAY,
    ) as ws:
        _ready_for_gate_3(ws)
        result = ws.gate_check("ALPHA")
        # Leaving the business-case stage is leaving initiation: the rule joins the criterion.
        assert "rule sponsor-and-business-case (block)" in "\n".join(result.reasons())
        baseline = next(f for f in result.findings if f.rule == "baseline-before-execution")
        assert baseline.passed
        approve(ws, "ALPHA", "business-case")
        assert not ws.gate_check("ALPHA").blocked
        ws.decide_gate("ALPHA", "go", approvers=APPROVERS)
        assert ws.get("ALPHA").phase == "development"
