"""The demo's week: decisions taken live through the Workspace API, each one the governance
model authorises, and what they leave in the store, the reports and the journal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pmo_stage_gate
import pytest
from demo_support import Pmo, assert_user_error
from pmo_demo import BLOCKED_PROJECT, build_demo

from pmo_core import Approval, DecisionRight, GateDecision, Workspace
from pmo_core.testing import CliResult

TODAY = date(2025, 6, 30)
ACTOR = "Pat Doe"
PLUGINS = ["governance", "stage-gate", "reports"]
RunPmo = Callable[..., CliResult]
# The projects without a sponsor: their early gates were approved by their parent's sponsor,
# who is not the project's sponsor in the approval matrix.
NO_SPONSOR = {BLOCKED_PROJECT, "RFID"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, Any]]]:
    """One sample, built once for the module (a build takes about half a second)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PMO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY, actor=ACTOR) as ws:
            yield ws, build_demo(ws)


def _row(ws: Workspace, entity: str, decision: str) -> DecisionRight:
    (row,) = [r for r in ws.approval_matrix(entity) if r.decision == decision]
    return row


def _authorised(row: DecisionRight, approvals: tuple[Approval, ...]) -> bool:
    """Whether ``approvals`` satisfy ``row``: each approver holds the role counted, the
    required roles are there, and the quorum of distinct people is met."""
    rule = row.rule
    assert rule is not None
    held = {(h.person, h.role) for h in row.holders}
    return (
        all((a.approver, a.role) in held and a.role in rule.roles for a in approvals)
        and set(rule.required) <= {a.role for a in approvals}
        and len({a.approver for a in approvals}) >= rule.quorum
    )


def test_the_week_is_recorded_in_what_build_demo_returns(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]

    assert {k: v for k, v in week.items() if k not in ("waiver", "change", "exception")} == {
        "from": (TODAY - timedelta(days=4)).isoformat(),
        "to": TODAY.isoformat(),
        "idea": "EV-FLEET",
        "gates": ["gate-1", "gate-2", "gate-3"],
        "waived": "project-plan",
        "waived_gate": "gate-3",
        "changed": "ENERGY",
        "baseline": 1,
        "exception_project": "BADGES",
        "escalated_to": "WORKPLACE",
        "killed": "TMS",
    }
    assert [w.id for w in ws.waivers("EV-FLEET")] == [week["waiver"]]
    assert ws.change_request(week["change"]).entity == "ENERGY"
    assert ws.raid_item(week["exception"]).entity == "BADGES"
    # The history's counts are unchanged by the week.
    assert built["counts"]["project"] == 25
    assert len(ws.view().projects()) == 26


def test_the_pmo_and_the_board_hold_their_roles_on_both_portfolios(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo

    for portfolio in ("DIGITAL", "OPS"):
        assigned = {(h.role, h.person) for h in ws.roles(portfolio) if h.source == "assignment"}
        assert assigned == {("pmo", "Lee Chen"), ("portfolio-board", "Ruth Adeyemi")}


def test_the_gate_history_is_approved_by_people_holding_the_roles(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    view = ws.view()
    sponsors = {e.id: e.sponsor for e in view.entities()}
    parents = {e.id: e.parent for e in view.entities()}

    checked = 0
    for project in built["projects"]:
        row = _row(ws, project, "go")
        for decision in view.gate_decisions(project):
            if decision.decided_by != "PMO Office":
                continue  # decided this week
            checked += 1
            if project in NO_SPONSOR:
                # The parent's sponsor stood in, and the pmo held the role.
                stand_in = sponsors[parents[project] or ""]
                assert {(a.approver, a.role) for a in decision.approvals if a.role != "pmo"} <= {
                    (stand_in, "sponsor")
                }
                continue
            assert _authorised(row, decision.approvals), (project, decision.gate)
    assert checked == built["counts"]["gate_decision"]


def _decisions(ws: Workspace, key: str) -> list[GateDecision]:
    return [d for d in ws.view().gate_decisions(key) if d.decided_by == ACTOR]


def test_the_idea_went_from_proposal_to_execution_through_its_gates(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]
    idea = ws.get(week["idea"])

    assert (idea.kind, idea.parent, idea.lifecycle, idea.phase) == (
        "project",
        "SUPPLY",
        "active",
        "development",
    )
    assert idea.lifecycle_by == ACTOR
    created = ws.journal(kind="project", id=idea.id)[0]
    assert created.op == "insert"
    assert created.after is not None
    assert created.after["lifecycle"] == "proposed"
    decisions = _decisions(ws, idea.id)
    assert [(d.gate, d.decision, d.next_phase) for d in decisions] == [
        ("gate-1", "go", "scoping"),
        ("gate-2", "go", "business-case"),
        ("gate-3", "go", "development"),
    ]
    row = _row(ws, idea.id, "go")
    for d in decisions:
        assert _authorised(row, d.approvals), d.gate
        assert {a.role for a in d.approvals} == {"sponsor", "pmo"}
    # Every artifact the gates name is approved by the matrix, but the waived one.
    (methodology,) = pmo_stage_gate.pmo_methodologies()
    named = [c.artifact for g in methodology.gates[:3] for c in g.criteria if c.artifact]
    artifacts = {a.name: a for a in ws.artifacts(idea.id)}
    assert set(named) <= set(artifacts)
    artifact_row = _row(ws, idea.id, "artifact")
    for name in named:
        art = artifacts[name]
        if name == "project-plan":
            assert art.status == "submitted"
            continue
        assert art.status == "approved", name
        (review,) = art.reviews
        assert review.outcome == "approved"
        assert _authorised(artifact_row, review.approvals), name
        assert ACTOR not in {a.approver for a in review.approvals}  # never its author
    # At gate-3: milestones and work items, baseline 0 holding them, and the waiver.
    assert len(ws.milestones(idea.id)) == 3
    items = ws.work_items(idea.id)
    assert len(items) == 4
    baseline = ws.baseline(idea.id)
    assert baseline.number == 0
    assert {i.work_item for i in baseline.items} == {w.id for w in items}
    assert idea.budget is not None
    assert baseline.cost == idea.budget


def test_the_pmo_waived_one_must_criterion_and_the_gate_check_shows_it(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]

    (waiver,) = ws.waivers(week["idea"])
    assert (waiver.id, waiver.kind, waiver.target) == (week["waiver"], "criterion", "project-plan")
    assert waiver.reason
    assert waiver.active_on(TODAY)
    assert waiver.expires_on > TODAY
    assert waiver.requested_by == "Grace Okafor"
    assert waiver.granted_by == ACTOR
    assert [(a.approver, a.role) for a in waiver.approvals] == [("Lee Chen", "pmo")]
    assert _authorised(_row(ws, week["idea"], "waiver"), waiver.approvals)
    check = ws.gate_check(week["idea"], week["waived_gate"])
    assert not check.blocked
    waived = [(c.name, c.level, c.passed, c.waiver) for c in check.criteria if c.waiver]
    assert waived == [("project-plan", "must", False, waiver.id)]
    # The go at gate-3 recorded the criterion as waived, not as met.
    go = _decisions(ws, week["idea"])[-1]
    assert [(c.name, c.waiver) for c in go.criteria if not c.passed] == [
        ("project-plan", waiver.id)
    ]


def test_the_change_request_took_baseline_1_with_its_proposed_values(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]
    change = ws.change_request(week["change"])
    project = ws.get("ENERGY")

    assert project.parent == "WORKPLACE"
    assert (change.approved, change.status, change.baseline_number) == (True, "closed", 1)
    assert change.requested_by == ACTOR
    assert change.assessment is not None
    assert change.assessment.by == ACTOR
    assert ACTOR not in {a.approver for a in change.approvals}  # not its requester
    # 12 % of the baselined budget: the band from 10 % needs the sponsor and the pmo.
    before = ws.baseline("ENERGY", 0)
    assert change.cost_impact is not None
    assert change.cost_impact.amount / before.cost.amount >= 0.10
    bands = [r for r in ws.approval_matrix("ENERGY") if r.decision == "change"]
    top = max(bands, key=lambda r: r.at_least)
    assert _authorised(top, change.approvals)
    after = ws.baseline("ENERGY")
    assert after.number == 1
    assert after.cost == change.proposed_budget == project.budget
    assert after.planned_finish == change.proposed_finish == project.planned_finish
    assert after.planned_start == before.planned_start == project.planned_start
    assert {i.work_item for i in after.items} == {w.id for w in ws.work_items("ENERGY")}
    assert ws.compare_baselines("ENERGY", 0, 1).finish_days == 42


def test_the_exception_was_escalated_to_the_program(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]
    issue = ws.raid_item(week["exception"])

    assert (issue.type, issue.entity, issue.status) == ("issue", "BADGES", "open")
    assert issue.title == "Exception: project time tolerance exceeded"
    assert [(s.from_entity, s.to_entity, s.actor) for s in issue.escalations] == [
        ("BADGES", "WORKPLACE", ACTOR)
    ]
    assert week["escalated_to"] == ws.get("BADGES").parent == "WORKPLACE"
    assert issue.id in {r.id for r in ws.raid_log("WORKPLACE", type="issue")}
    (forecast,) = ws.forecasts("BADGES")
    assert forecast.author == ACTOR
    (breach,) = [c for c in ws.tolerance_checks("BADGES") if c.breached]
    assert breach.dimension == "time"
    reports = ws.view().status_reports("BADGES", kind="exception")
    assert [r.metrics["issue"] for r in reports] == [issue.id]
    # The week's other projects raised no exception.
    for key in ("EV-FLEET", "ENERGY", "TMS"):
        assert not [
            r
            for r in ws.raid_log(key, type="issue")
            if r.entity == key and r.title.startswith("Exception:")
        ], key


def test_the_killed_project_left_the_live_totals(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    killed = ws.get(built["week"]["killed"])

    assert (killed.lifecycle, killed.lifecycle_by) == ("killed", ACTOR)
    assert killed.lifecycle_reason
    (kill,) = [d for d in _decisions(ws, killed.id) if d.decision == "kill"]
    assert [(a.approver, a.role) for a in kill.approvals] == [(killed.sponsor, "sponsor")]
    assert _authorised(_row(ws, killed.id, "kill"), kill.approvals)
    summary = json.loads(ws.report("portfolio-summary", "OPS", format="json").content)
    live = [p["key"] for p in summary["projects"]]
    assert killed.id not in live
    assert "EV-FLEET" in live  # the idea is live now, no longer in the pipeline
    assert [e["key"] for e in summary["ended"]] == [killed.id]
    assert summary["counts"] == {"live": 13, "on_hold": 0, "ended": 1, "pipeline": 0}
    (bac,) = [m for m in summary["metrics"] if m["name"] == "bac"]
    assert killed.id not in bac["source"]


def test_every_write_of_the_week_is_journaled_with_the_actor(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    week = built["week"]
    journal = ws.journal()

    assert {e.actor for e in journal} == {ACTOR}
    start = next(i for i, e in enumerate(journal) if e.id == week["idea"])
    commands = {e.command for e in journal[start:]}
    assert commands == {
        "project create",
        "artifact submit",
        "artifact approve",
        "gate decide",
        "milestone add",
        "work add",
        "baseline take",
        "waiver grant",
        "change raise",
        "change assess",
        "change approve",
        "forecast set",
        "tolerance exception",
    }
    written = {e.id for e in journal[start:]}
    assert {week["idea"], week["waiver"], week["change"], week["exception"], week["killed"]} <= (
        written
    )


def test_the_tour_tells_the_week(pmo_cli: RunPmo, tmp_path: Path) -> None:
    result = pmo_cli("--as", ACTOR, "demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("This week ("))
    section = lines[start : lines.index("  See for yourself:", start) + 6]
    text = "\n".join(section)
    assert "EV-FLEET (Electric delivery fleet), proposed under SUPPLY" in text
    for gate in ("gate-1", "gate-2", "gate-3"):
        assert f"    {gate} go on " in text
    assert "approved by Marcus Webb (sponsor), Lee Chen (pmo)" in text
    assert "now active in development with baseline 0" in text
    assert "    [~] project-plan (must): waived (" in text
    assert "by Lee Chen (pmo), until" in text
    assert "on ENERGY (Heat pumps for the warehouse): +54,000.00 EUR, +42 days" in text
    assert f"raised by {ACTOR}, approved by Helena Brandt (sponsor), Lee Chen (pmo)" in text
    assert "baseline 1 taken" in text
    assert "Exception on BADGES" in text
    assert "escalated to WORKPLACE" in text
    assert "Killed: TMS (Transport management system) at gate-2" in text
    assert "it left the live totals of OPS with its budget of 1,865,000.00 EUR" in text
    assert "lists it as ended: TMS" in text
    assert section[-5:] == [
        "    pmo -w sample role show EV-FLEET",
        "    pmo -w sample gate check EV-FLEET --gate gate-3",
        "    pmo -w sample baseline compare ENERGY 0 1",
        "    pmo -w sample exception list",
        "    pmo -w sample report portfolio-summary OPS",
    ]
    # Each suggested command shows what the tour says.
    pmo = Pmo(tmp_path / "sample", pmo_cli)
    assert "go        -       the sponsor and the pmo" in pmo.ok("role", "show", "EV-FLEET").output
    check = pmo.ok("gate", "check", "EV-FLEET", "--gate", "gate-3").output
    assert "  [~] project-plan (must): waived (" in check
    compare = pmo.ok("baseline", "compare", "ENERGY", "0", "1").output
    assert "finish: " in compare
    assert "(+42 days)" in compare
    exceptions = json.loads(pmo.ok("exception", "list", "--json").output)
    assert {(e["entity"], e["metrics"]["escalated_to"]) for e in exceptions} >= {
        ("BADGES", "WORKPLACE")
    }
    summary = json.loads(pmo.ok("report", "portfolio-summary", "OPS", "--format", "json").output)
    assert [e["key"] for e in summary["ended"]] == ["TMS"]
    assert "TMS" not in {p["key"] for p in summary["projects"]}
    # The journal of the week names the acting user.
    with Workspace.open(tmp_path / "sample") as ws:
        assert {e.actor for e in ws.journal(kind="project", id="EV-FLEET")} == {ACTOR}


def test_the_demo_refuses_to_act_as_one_of_its_approvers(pmo_cli: RunPmo, tmp_path: Path) -> None:
    result = pmo_cli("--as", "Lee Chen", "demo", "sample")

    assert_user_error(result, 2, "--as / PMO_USER", "Lee Chen cannot be the one acting")
    assert not (tmp_path / "sample").exists()
