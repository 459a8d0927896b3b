"""The PRINCE2 lifecycle drives ``gate check``: every stage boundary, the stage plan, the
project board's authority, exceptions and closing, on real records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from prince2_support import BOARD, TODAY, approve, criteria, name_board

from pmo_core import GovernanceBlockedError, Workspace

INITIATION = (
    "business-case",
    "project-initiation-documentation",
    "project-plan",
    "stage-plan",
)


def _initiated(ws: Workspace, *, stages: int | None = 2) -> None:
    """ALPHA through starting up and initiation, into delivery-1."""
    fields = {"prince2": {"delivery_stages": stages}} if stages else {}
    ws.create(
        "project", id="ALPHA", name="Alpha", manager="Pat Diaz", budget="100000 EUR",
        custom_fields=fields,
    )  # fmt: skip
    name_board(ws, "ALPHA")
    approve(ws, "ALPHA", "project-brief", "lessons-log")
    ws.decide_gate("ALPHA", "go", approvers=BOARD)
    approve(ws, "ALPHA", *INITIATION)
    ws.take_baseline("ALPHA")
    ws.decide_gate("ALPHA", "go", approvers=BOARD)


def test_a_new_project_starts_up_before_initiation(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    result = ws.gate_check("ALPHA")
    assert result.methodology == "prince2"
    assert (result.gate, result.leaving, result.entering) == (
        "authorise-initiation",
        "pre-project",
        "initiation",
    )
    assert result.reasons() == [
        "criterion project-brief (must): artifact 'project-brief' is not approved",
        "criterion executive-appointed (must): project ALPHA has no executive; appoint one "
        "with 'pmo role assign ALPHA executive NAME'",
        "criterion project-manager-appointed (must): project ALPHA names no project manager",
    ]


def test_authorise_initiation_needs_the_brief_the_executive_and_the_manager(
    ws: Workspace,
) -> None:
    ws.create("project", id="ALPHA", name="Alpha", manager="Pat Diaz")
    ws.assign_role("ALPHA", "executive", "Dana Reyes")
    approve(ws, "ALPHA", "project-brief")
    result = ws.gate_check("ALPHA")
    assert not result.blocked, result.reasons()
    # The should criteria advise: no lessons looked up, the board not complete yet.
    assert criteria(ws, "ALPHA") == {
        "project-brief": True,
        "executive-appointed": True,
        "project-manager-appointed": True,
        "lessons-captured": False,
        "project-board": False,
    }
    assert (
        "project ALPHA has no senior-user and no senior-supplier on its project board"
        in "\n".join(result.advice())
    )


def test_only_the_board_authorises_a_stage(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", manager="Pat Diaz")
    name_board(ws, "ALPHA")
    approve(ws, "ALPHA", "project-brief")
    # The project manager alone cannot authorise initiation.
    with pytest.raises(GovernanceBlockedError, match="executive"):
        ws.decide_gate("ALPHA", "go", approvers=["Pat Diaz (manager)"])
    # The executive alone neither: the board decides, the executive among them.
    with pytest.raises(GovernanceBlockedError, match="2 distinct approvers"):
        ws.decide_gate("ALPHA", "go", approvers=["Dana Reyes (executive)"])
    # Two board members without the executive neither.
    with pytest.raises(GovernanceBlockedError, match="executive"):
        ws.decide_gate(
            "ALPHA", "go", approvers=["Uma Lee (senior-user)", "Sol Vega (senior-supplier)"]
        )
    assert ws.get("ALPHA").phase is None
    decision = ws.decide_gate("ALPHA", "go", approvers=BOARD)
    assert (decision.gate, decision.next_phase) == ("authorise-initiation", "initiation")
    assert sorted((a.approver, a.role) for a in decision.approvals) == [
        ("Dana Reyes", "executive"),
        ("Uma Lee", "senior-user"),
    ]


@pytest.mark.parametrize(
    ("missing", "reason"),
    [
        ("business-case", "criterion business-case (must): artifact 'business-case'"),
        ("project-initiation-documentation", "criterion pid (must): artifact"),
        ("project-plan", "criterion project-plan (must): artifact 'project-plan'"),
        ("stage-plan", "criterion first-stage-plan (must): artifact 'stage-plan'"),
    ],
)
def test_authorise_project_needs_each_initiation_product(
    ws: Workspace, missing: str, reason: str
) -> None:
    ws.create("project", id="ALPHA", name="Alpha", manager="Pat Diaz", budget="100000 EUR",
              phase="initiation")  # fmt: skip
    name_board(ws, "ALPHA")
    approve(ws, "ALPHA", *(n for n in INITIATION if n != missing))
    ws.take_baseline("ALPHA")
    result = ws.gate_check("ALPHA")
    assert result.gate == "authorise-project"
    assert len(result.reasons()) == 1
    assert result.reasons()[0].startswith(reason)


def test_authorise_project_needs_the_board_a_budget_and_a_baseline(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", manager="Pat Diaz", phase="initiation")
    ws.assign_role("ALPHA", "executive", "Dana Reyes")
    approve(ws, "ALPHA", *INITIATION)
    assert ws.gate_check("ALPHA").reasons() == [
        "criterion project-board (must): project ALPHA has no senior-user and no "
        "senior-supplier on its project board",
        "criterion budget-set (must): project ALPHA has no budget",
        "criterion baseline-exists (must): project ALPHA has no baseline; take baseline 0",
    ]
    ws.update("ALPHA", budget="0 EUR")
    notes = {c.name: c.note for c in ws.gate_check("ALPHA").criteria if not c.passed}
    assert notes["budget-set"] == "project ALPHA has a budget of 0 EUR; it must be positive"


def test_a_board_assigned_above_the_project_counts(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP programme")
    name_board(ws, "ERP")
    ws.create("project", id="ALPHA", name="Alpha", parent="ERP", manager="Pat Diaz")
    assert criteria(ws, "ALPHA")["project-board"]


def test_every_stage_boundary_needs_this_stages_reports(ws: Workspace) -> None:
    _initiated(ws, stages=3)
    assert ws.get("ALPHA").phase == "delivery-1"
    result = ws.gate_check("ALPHA")
    assert (result.gate, result.entering) == ("end-stage-1", "delivery-2")
    # All on one day: the stage plan approved at initiation counts as approved this stage
    # (approved on the day the stage began); the test below dates them apart.
    assert result.reasons() == [
        "criterion end-stage-report (must): artifact 'end-stage-report' is not approved"
    ]


def test_a_product_approved_before_the_stage_began_does_not_count(ws: Workspace) -> None:
    day = date(2025, 5, 1)
    ws.create(
        "project", id="ALPHA", name="Alpha", manager="Pat Diaz", budget="100000 EUR",
        phase="initiation", custom_fields={"prince2": {"delivery_stages": 3}},
    )  # fmt: skip
    name_board(ws, "ALPHA")
    approve(ws, "ALPHA", *INITIATION, on=day)
    ws.take_baseline("ALPHA", on=day)
    ws.decide_gate("ALPHA", "go", approvers=BOARD, decided_on=day + timedelta(days=1))
    approve(ws, "ALPHA", "end-stage-report", on=date(2025, 5, 30))
    reasons = ws.gate_check("ALPHA").reasons()
    assert reasons == [
        "criterion next-stage-plan (must): artifact 'stage-plan' was approved on 2025-05-01, "
        "before this stage began on 2025-05-02; approve this stage's"
    ]
    # A new revision of the stage plan, approved in this stage, is the next stage's plan.
    approve(ws, "ALPHA", "stage-plan", on=date(2025, 5, 30))
    assert not ws.gate_check("ALPHA").blocked
    ws.decide_gate("ALPHA", "go", approvers=BOARD)
    assert ws.get("ALPHA").phase == "delivery-2"
    # The next boundary needs the next stage's products again.
    assert criteria(ws, "ALPHA")["end-stage-report"] is False


def test_approved_on_the_day_the_stage_began_counts(ws: Workspace) -> None:
    # Boundary: approved_on == stage start passes (a board meeting approves and authorises).
    _initiated(ws, stages=3)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    assert not ws.gate_check("ALPHA").blocked


def test_the_final_stage_ends_with_closing_not_another_stage(ws: Workspace) -> None:
    _initiated(ws, stages=2)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    ws.decide_gate("ALPHA", "go", approvers=BOARD)
    assert ws.get("ALPHA").phase == "delivery-2"
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    result = ws.gate_check("ALPHA")
    assert result.reasons() == [
        "criterion stage-in-plan (must): delivery-2 is the final stage of project ALPHA's "
        "plan (2 delivery stages): approve the end-project-report and lessons-report and "
        "close the project, or plan another stage (--field prince2.delivery_stages=3)"
    ]
    with pytest.raises(GovernanceBlockedError, match="final stage"):
        ws.decide_gate("ALPHA", "go", approvers=BOARD)
    # Planning a third stage lets the boundary pass.
    ws.update("ALPHA", custom_fields={"prince2": {"delivery_stages": 3}})
    assert not ws.gate_check("ALPHA").blocked
    # Closing instead: the board authorises it (the executive and one more).
    ws.update("ALPHA", custom_fields={"prince2": {"delivery_stages": 2}})
    approve(ws, "ALPHA", "end-project-report", "lessons-report")
    ws.report_status("ALPHA", overall="green", summary="All products handed over")
    with pytest.raises(GovernanceBlockedError, match="executive"):
        ws.change_lifecycle(
            "ALPHA", "closed", approvers=["Uma Lee (senior-user)"], comment="Done",
            lessons=["Plan two stages, not one"],
        )  # fmt: skip
    closed = ws.change_lifecycle(
        "ALPHA", "closed", approvers=BOARD, comment="Done", lessons=["Plan two stages"]
    )
    assert closed.lifecycle == "closed"


def test_one_stage_plan_leaves_initiation_for_the_final_stage(ws: Workspace) -> None:
    _initiated(ws, stages=1)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    notes = {c.name: c.note for c in ws.gate_check("ALPHA").criteria if not c.passed}
    assert notes == {
        "stage-in-plan": (
            "delivery-1 is the final stage of project ALPHA's plan (1 delivery stage): approve "
            "the end-project-report and lessons-report and close the project, or plan another "
            "stage (--field prince2.delivery_stages=2)"
        )
    }


def test_without_a_stage_plan_the_project_plans_stage_by_stage(ws: Workspace) -> None:
    _initiated(ws, stages=None)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    assert not ws.gate_check("ALPHA").blocked


def test_the_last_stage_the_lifecycle_offers_has_no_gate(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", phase="delivery-9")
    result = ws.gate_check("ALPHA")
    assert result.gate is None
    assert result.notes == ("phase 'delivery-9' is the last; there is no gate after it",)


def test_a_stage_plan_beyond_the_lifecycle_is_refused(ws: Workspace) -> None:
    from pmo_core import InvalidInputError

    with pytest.raises(InvalidInputError, match="delivery_stages"):
        ws.create("project", id="ALPHA", name="Alpha",
                  custom_fields={"prince2": {"delivery_stages": 10}})  # fmt: skip
    with pytest.raises(InvalidInputError, match="delivery_stages"):
        ws.create("project", id="ALPHA", name="Alpha",
                  custom_fields={"prince2": {"delivery_stages": 0}})  # fmt: skip


def test_an_open_exception_holds_the_boundary_until_an_exception_plan(ws: Workspace) -> None:
    _initiated(ws, stages=3)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    ws.set_forecast("ALPHA", eac="130000 EUR", reason="Supplier price rise")
    result = ws.gate_check("ALPHA")
    assert result.reasons() == [
        "criterion no-open-exception (must): project ALPHA has an open exception "
        "('Exception: project cost tolerance exceeded', raised 2025-06-02) and no exception "
        "plan approved since"
    ]
    approve(ws, "ALPHA", "exception-plan")
    assert not ws.gate_check("ALPHA").blocked


def test_an_exception_plan_older_than_the_exception_does_not_answer_it(ws: Workspace) -> None:
    _initiated(ws, stages=3)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    approve(ws, "ALPHA", "exception-plan", on=date(2025, 6, 1))
    ws.set_forecast("ALPHA", eac="130000 EUR", reason="Supplier price rise")
    assert not criteria(ws, "ALPHA")["no-open-exception"]


def test_unowned_high_risks_advise(ws: Workspace) -> None:
    _initiated(ws, stages=3)
    approve(ws, "ALPHA", "end-stage-report", "stage-plan")
    ws.add_raid("ALPHA", "risk", "Key supplier insolvent", probability=4, impact=5)
    result = ws.gate_check("ALPHA")
    assert not result.blocked
    assert result.advice() == [
        "for Pat Diaz (manager): criterion high-risks-owned (should): project ALPHA has "
        "high risks without an owner: 'Key supplier insolvent'"
    ]


def test_today_is_the_fixture_date(ws: Workspace) -> None:
    assert ws.today() == TODAY


def test_a_board_member_counts_from_the_day_assigned(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", manager="Pat Diaz")
    name_board(ws, "ALPHA")  # assigned on 2025-06-02
    assert criteria(ws, "ALPHA")["project-board"]
    before = ws.gate_check("ALPHA", view=ws.view(status_date=date(2025, 6, 1)))
    failed = {c.name: c.note for c in before.criteria if not c.passed}
    assert failed["executive-appointed"].startswith("project ALPHA has no executive")
    assert failed["project-board"] == (
        "project ALPHA has no executive and no senior-user and no senior-supplier on its "
        "project board"
    )
