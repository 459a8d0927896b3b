"""Every rule's pass and fail paths, on real records in an in-memory workspace."""

from __future__ import annotations

from datetime import date

import pytest
from governance_support import TODAY, MakeWorkspace, finding, gate_finding

from pmo_core import (
    Approval,
    Artifact,
    Baseline,
    CostEntry,
    Forecast,
    GateDecision,
    RaidItem,
    WorkItem,
    Workspace,
)

# ------------------------------------------------------------------ sponsor-and-business-case


def test_leaving_initiation_without_sponsor_or_business_case_blocks(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="initiation")
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert not f.passed
    assert f.level == "block"
    assert "project P1 names no sponsor" in f.message
    assert "the business case of project P1 is not approved" in f.message
    assert "authorise (initiation -> planning)" in f.message
    assert ws.gate_check("P1").blocked


def test_sponsor_and_business_case_flag_passes(ws: Workspace) -> None:
    ws.create(
        "project", id="P1", name="One", phase="initiation", sponsor="Dana",
        business_case_approved=True,
    )  # fmt: skip
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert f.passed, f.message


def test_approved_business_case_artifact_counts_but_a_draft_does_not(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="initiation", sponsor="Dana")
    draft = ws.add(Artifact(entity="P1", name="business-case", status="draft"))
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert not f.passed
    assert "sponsor" not in f.message.split(";")[0]  # only the business case is missing
    assert f.message.startswith("the business case of project P1 is not approved")

    ws.replace(draft.replace(status="approved", approved_on=TODAY, approved_by="Dana"))
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert f.passed, f.message


def test_sponsor_rule_only_applies_when_leaving_initiation(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="planning")
    # planning -> build is not leaving initiation: the rule holds without a sponsor.
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert f.passed
    # Outside a gate the rule (gates_only) is not checked at all.
    assert finding(ws, "P1", "sponsor-and-business-case") is None


def test_first_phase_of_any_methodology_counts_as_initiation(make_ws: MakeWorkspace) -> None:
    from pmo_core import PmoArtifact, PmoGate, PmoGateCriterion, PmoMethodology, PmoPhase, hookimpl

    class IdeaToBuild:
        @hookimpl
        def pmo_methodologies(self):  # type: ignore[no-untyped-def]
            yield PmoMethodology(
                name="idea-to-build",
                phases=(PmoPhase(name="idea"), PmoPhase(name="make")),
                gates=(
                    PmoGate(
                        name="go",
                        leaving="idea",
                        entering="make",
                        criteria=(PmoGateCriterion(name="n", level="should", artifact="note"),),
                    ),
                ),
                artifacts=(PmoArtifact(name="note"),),
            )

    ws = make_ws(extra={"idea": IdeaToBuild()})
    ws.create("project", id="P1", name="One", methodology="idea-to-build", phase="idea")
    f = gate_finding(ws, "P1", "sponsor-and-business-case")
    assert f is not None
    assert not f.passed
    assert "go (idea -> make)" in f.message


# ------------------------------------------------------------------------------ status-cadence


def test_recent_status_report_passes(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", tier=1, planned_start=date(2025, 1, 6))
    ws.report_status("P1", overall="green", as_of=date(2025, 5, 26))  # 7 days, cadence 14
    f = finding(ws, "P1", "status-cadence")
    assert f is not None
    assert f.passed, f.message


def test_stale_status_report_names_age_and_cadence(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", tier=1, planned_start=date(2025, 1, 6))
    ws.report_status("P1", overall="green", as_of=date(2025, 5, 13))  # 20 days
    f = finding(ws, "P1", "status-cadence")
    assert f is not None
    assert not f.passed
    assert f.level == "warn"
    assert f.message == (
        "the latest status report of project P1 is 20 days old (2025-05-13); tier 1 under "
        "model controlling needs one at least every 14 days"
    )


def test_cadence_depends_on_tier(ws: Workspace) -> None:
    ws.create("project", id="P3", name="Three", tier=3, planned_start=date(2025, 1, 6))
    ws.report_status("P3", overall="green", as_of=date(2025, 5, 13))  # 20 days, cadence 60
    f = finding(ws, "P3", "status-cadence")
    assert f is not None
    assert f.passed


def test_no_report_long_after_start_fails(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", tier=2, planned_start=date(2025, 3, 3))
    f = finding(ws, "P1", "status-cadence")
    assert f is not None
    assert not f.passed
    assert "project P1 has no status report 91 days after its start (2025-03-03)" in f.message
    assert "every 30 days" in f.message


def test_no_report_shortly_after_start_or_before_it_passes(ws: Workspace) -> None:
    ws.create("project", id="NEW", name="New", tier=2, planned_start=date(2025, 5, 20))
    ws.create("project", id="LATER", name="Later", tier=2, planned_start=date(2025, 9, 1))
    ws.create("project", id="UNDATED", name="Undated", tier=1)
    for pid in ("NEW", "LATER", "UNDATED"):
        f = finding(ws, pid, "status-cadence")
        assert f is not None
        assert f.passed, f.message


def test_finished_and_discontinued_entities_need_no_reports(ws: Workspace) -> None:
    for pid, status in (("DONE", "finished"), ("KILLED", "discontinued")):
        ws.create(
            "project", id=pid, name=pid, tier=1, status=status, planned_start=date(2024, 1, 8)
        )
        # Closed and killed: no longer governed, so no rule is even checked.
        assert ws.check(pid) == []


def test_a_proposed_project_needs_no_report_yet(ws: Workspace) -> None:
    ws.create("project", id="IDEA", name="Idea", tier=1, lifecycle="proposed",
              planned_start=date(2024, 1, 8))  # fmt: skip
    f = finding(ws, "IDEA", "status-cadence")
    assert f is not None
    assert f.passed, f.message
    ws.create("project", id="LIVE", name="Live", tier=1, planned_start=date(2024, 1, 8))
    assert not finding(ws, "LIVE", "status-cadence").passed  # type: ignore[union-attr]


def test_programs_report_status_too(ws: Workspace) -> None:
    ws.create("program", id="PG", name="Program", tier=1, actual_start=date(2025, 1, 6))
    f = finding(ws, "PG", "status-cadence")
    assert f is not None
    assert not f.passed
    assert f.message.startswith("program PG has no status report")


# ----------------------------------------------------------------- baseline-before-execution


def test_project_in_execution_without_baseline_blocks(make_ws: MakeWorkspace) -> None:
    ws = make_ws(methodology=None)
    ws.create("project", id="P1", name="One", phase="execution")
    f = finding(ws, "P1", "baseline-before-execution")
    assert f is not None
    assert f.blocking
    assert f.message == (
        "project P1 is in execution phase 'execution' but has no baseline; take baseline 0 "
        "of scope, schedule and cost before execution"
    )


def test_project_with_a_baseline_passes(make_ws: MakeWorkspace) -> None:
    ws = make_ws(methodology=None)
    ws.create("project", id="P1", name="One", phase="development")
    ws.add(Baseline(project="P1", number=0, taken_on=date(2025, 2, 3), cost="100000 EUR"))
    f = finding(ws, "P1", "baseline-before-execution")
    assert f is not None
    assert f.passed


def test_project_before_execution_needs_no_baseline(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="planning")
    f = finding(ws, "P1", "baseline-before-execution")
    assert f is not None
    assert f.passed


def test_a_tailored_execution_phase_counts_outside_a_gate_too(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="build")
    f = finding(ws, "P1", "baseline-before-execution")
    assert f is not None
    assert f.blocking
    assert "is in execution phase 'build'" in f.message


def test_entering_a_tailored_execution_phase_at_a_gate_blocks(ws: Workspace) -> None:
    # "build" is execution only because the methodology's tailoring says so.
    ws.create("project", id="P1", name="One", phase="planning")
    result = ws.gate_check("P1")
    assert result.gate == "go-build"
    f = next(f for f in result.findings if f.rule == "baseline-before-execution")
    assert f.blocking
    assert "is entering execution phase 'build' at gate go-build (planning -> build)" in f.message
    assert result.blocked

    ws.add(Baseline(project="P1", number=0, taken_on=date(2025, 5, 30), cost="80000 EUR"))
    assert not ws.gate_check("P1").blocked


# ---------------------------------------------------------------------------- high-risks-owned


def test_unowned_high_risks_are_listed(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One")
    ws.add_raid("P1", "risk", "Vendor late", probability=4, impact=4)
    ws.add_raid("P1", "risk", "Key engineer leaves", impact=5)
    ws.add_raid("P1", "risk", "Owned", probability=5, impact=5, owned_by="Sam")
    ws.add_raid("P1", "risk", "Minor", probability=2, impact=3)
    ws.add_raid("P1", "risk", "Closed", probability=5, impact=5, status="closed")
    ws.add_raid("P1", "issue", "An issue, not a risk", impact=5)
    f = finding(ws, "P1", "high-risks-owned")
    assert f is not None
    assert not f.passed
    assert f.level == "warn"
    assert f.message == (
        "project P1 has 2 open high risks without an owner: 'Vendor late' (score 16), "
        "'Key engineer leaves' (impact 5)"
    )


def test_owned_high_risks_pass_at_every_level(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.add_raid("PF", "risk", "Market shift", probability=5, impact=4, owned_by="Kim")
    f = finding(ws, "PF", "high-risks-owned")
    assert f is not None
    assert f.passed


def test_what_counts_as_high_is_set_per_workspace_and_per_scope(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    import pmo_governance

    rules = {"high-risks-owned": {"score": 12, "scopes": {"STRICT": {"score": 6, "impact": 4}}}}
    ws = pmo_workspace_factory(
        plugins={"governance": pmo_governance},
        governance_model="controlling",
        today=TODAY,
        rules=rules,
        store="memory",
    )
    ws.create("portfolio", id="STRICT", name="Strict portfolio")
    for key, parent in (("LAX", None), ("TIGHT", "STRICT")):
        ws.create("project", id=key, name=key, parent=parent)
        ws.add_raid(key, "risk", "Score 12", probability=3, impact=4)
        ws.add_raid(key, "risk", "Score 6", probability=3, impact=2)
        ws.add_raid(key, "risk", "Impact 4", probability=1, impact=4)
        ws.add_raid(key, "risk", "Score 10", probability=5, impact=2)

    lax = finding(ws, "LAX", "high-risks-owned")
    tight = finding(ws, "TIGHT", "high-risks-owned")

    # The workspace lowers the score to 12 (10 stays below it); the STRICT portfolio lowers
    # it to 6 and counts impact 4 as high too.
    assert lax is not None
    assert lax.message.endswith("1 open high risk without an owner: 'Score 12' (score 12)")
    assert tight is not None
    assert tight.message.endswith(
        "4 open high risks without an owner: 'Score 12' (score 12), 'Score 10' (score 10), "
        "'Score 6' (score 6), 'Impact 4' (score 4)"
    )


def test_a_threshold_out_of_range_fails_closed(pmo_workspace_factory: MakeWorkspace) -> None:
    import pmo_governance

    ws = pmo_workspace_factory(
        plugins={"governance": pmo_governance},
        governance_model="supportive",
        rules={"high-risks-owned": {"score": 30}},
        store="memory",
    )
    ws.create("project", id="P1", name="One")

    f = finding(ws, "P1", "high-risks-owned")

    assert f is not None
    assert f.blocking  # even under the supportive model: it fails closed
    assert (
        "pmo.toml: governance.rules.high-risks-owned.score: Input should be less than or "
        "equal to 25" in f.message
    )


# -------------------------------------------------------------------------- tolerance-forecast


def _project_with_work(ws: Workspace, actual: str | None, *, budget: str = "100000 EUR") -> None:
    ws.create(
        "project", id="P1", name="One", budget=budget,
        planned_start=date(2025, 1, 1), planned_finish=date(2025, 12, 31),
    )  # fmt: skip
    ws.add(
        WorkItem(
            project="P1", subject="Everything", start=date(2025, 1, 1), due=date(2025, 12, 31),
            percent_complete=50, budget="100000 EUR", actual_cost=actual,
        )
    )  # fmt: skip


def test_cost_forecast_beyond_tolerance_escalates(ws: Workspace) -> None:
    _project_with_work(ws, "65000 EUR")  # EV 50000, CPI 0.7692, EAC 130000
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert not f.passed
    assert f.level == "warn"
    assert f.message == (
        "project P1 forecasts EAC 130000.00 EUR against BAC 100000 EUR (+30%, EAC = BAC / CPI, "
        "CPI 0.7692), beyond the cost tolerance of 10% under model controlling; escalate to "
        "sponsor"
    )


@pytest.mark.parametrize("actual", ["52000 EUR", "55000 EUR"])  # EAC 104000 and exactly 110000
def test_cost_forecast_within_tolerance_passes(ws: Workspace, actual: str) -> None:
    _project_with_work(ws, actual)
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert f.passed, f.message


def test_cost_entries_are_the_actuals_when_work_items_carry_none(ws: Workspace) -> None:
    _project_with_work(ws, None)
    ws.add(CostEntry(project="P1", incurred_on=date(2025, 4, 30), amount="40000 EUR"))
    ws.add(CostEntry(project="P1", incurred_on=date(2025, 5, 30), amount="30000 EUR"))
    # Booked after the status date: not an actual yet.
    ws.add(CostEntry(project="P1", incurred_on=date(2025, 7, 1), amount="90000 EUR"))
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert not f.passed
    assert "EAC 140000.00 EUR" in f.message  # 100000 / (50000 / 70000)


def test_recorded_forecast_wins_over_earned_value(ws: Workspace) -> None:
    _project_with_work(ws, "50000 EUR")  # earned value alone says EAC 100000
    ws.add(Forecast(project="P1", as_of=date(2025, 5, 31), eac="125000 EUR"))
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert not f.passed
    assert "EAC 125000.00 EUR against BAC 100000 EUR (+25%, forecast of 2025-05-31)" in f.message


def test_schedule_slip_beyond_tolerance_escalates(make_ws: MakeWorkspace) -> None:
    ws = make_ws("directive")
    ws.create(
        "project", id="P1", name="One", budget="100000 EUR",
        planned_start=date(2025, 1, 1), planned_finish=date(2025, 12, 31),
    )  # fmt: skip
    ws.add(
        Forecast(project="P1", as_of=date(2025, 6, 1), eac="100000 EUR", finish=date(2026, 2, 1))
    )
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert f.blocking
    assert f.message == (
        "project P1 forecasts finishing on 2026-02-01, 32 days after its planned finish "
        "2025-12-31, beyond the schedule tolerance of 5% of its 364-day plan (18.2 days) under "
        "model directive; escalate to pmo"
    )


@pytest.mark.parametrize(
    "setup",
    ["no-budget", "no-actuals", "no-tolerance"],
)
def test_tolerance_holds_when_data_is_missing(make_ws: MakeWorkspace, setup: str) -> None:
    ws = make_ws("supportive" if setup == "no-tolerance" else "controlling")
    if setup == "no-budget":
        ws.create("project", id="P1", name="One")
        ws.add(WorkItem(project="P1", subject="x", percent_complete=10, actual_cost="999999 EUR"))
    else:
        _project_with_work(ws, None if setup == "no-actuals" else "90000 EUR")
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert f.passed, f.message


def test_mixed_currencies_cannot_be_checked(ws: Workspace) -> None:
    _project_with_work(ws, None)
    ws.add(WorkItem(project="P1", subject="US part", budget="5000 USD", actual_cost="100 USD"))
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert not f.passed
    assert f.message == (
        "project P1: work items are in USD but the project is in EUR; the cost tolerance "
        "cannot be checked"
    )


# ------------------------------------------------------------------------ phase-reached-by-gate


def _go(entity: str, gate: str, next_phase: str, decided_on: date) -> GateDecision:
    # A gate decided outside pmo, recorded afterwards.
    return GateDecision(
        entity=entity,
        gate=gate,
        decision="go",
        decided_on=decided_on,
        decided_by="PMO Office",
        next_phase=next_phase,
        approvals=[Approval(approver="Dana", role="sponsor", approve=True)],
    )


def test_a_phase_reached_by_decide_gate_passes_and_one_set_directly_fails(
    ws: Workspace,
) -> None:
    ws.create(
        "project", id="P1", name="One", phase="initiation", sponsor="Dana",
        business_case_approved=True,
    )  # fmt: skip
    first = finding(ws, "P1", "phase-reached-by-gate")
    assert first is not None
    assert first.passed, first.message  # the first phase needs no gate

    ws.assign_role("P1", "pmo", "Lee")
    ws.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Lee (pmo)"])
    assert ws.get("P1").phase == "planning"
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert f.passed, f.message

    ws.update("P1", phase="build")  # past gate go-build without a decision
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert not f.passed
    assert f.level == "warn"
    assert f.message == (
        "project P1 is in phase 'build' but no gate decision moved it there (last: authorise "
        "go into 'planning' on 2025-06-02); record the gate decision or decide the gate"
    )


@pytest.mark.parametrize(
    ("model", "level", "blocking"),
    [("supportive", "advise", False), ("controlling", "warn", False), ("directive", "block", True)],
)
def test_a_phase_set_directly_is_flagged_at_the_models_level(
    make_ws: MakeWorkspace, model: str, level: str, blocking: bool
) -> None:
    ws = make_ws(model)
    ws.create("project", id="P1", name="One", phase="planning")
    ws.create("program", id="PG", name="Program", phase="planning")
    for entity in ("P1", "PG"):
        f = finding(ws, entity, "phase-reached-by-gate")
        assert f is not None
        assert (f.passed, f.level, f.blocking, f.model) == (False, level, blocking, model)
        assert "(no gate decision recorded)" in f.message

    ws.add(_go("P1", "authorise", "planning", date(2025, 5, 12)))
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert f.passed, f.message


def test_only_a_go_into_the_phase_on_or_before_the_status_date_counts(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="build")
    ws.add_many(
        [
            _go("P1", "authorise", "planning", date(2025, 3, 3)),
            _go("P1", "go-build", "build", date(2025, 6, 9)),  # after TODAY
            GateDecision(
                entity="P1", gate="go-build", decision="recycle", decided_on=date(2025, 5, 5),
                decided_by="PMO Office",
            ),
        ]
    )  # fmt: skip
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert not f.passed
    assert "(last: go-build recycle on 2025-05-05)" in f.message


def test_at_a_gate_the_phase_being_left_must_have_been_reached_by_gate(
    make_ws: MakeWorkspace,
) -> None:
    ws = make_ws("directive")
    ws.create("project", id="P1", name="One", phase="planning")
    ws.add(Baseline(project="P1", number=0, taken_on=date(2025, 5, 30), cost="80000 EUR"))
    result = ws.gate_check("P1")
    f = next(f for f in result.findings if f.rule == "phase-reached-by-gate")
    assert f.blocking
    assert f.message.startswith(
        "project P1 leaves phase 'planning' at gate go-build (planning -> build) but no gate "
        "decision moved it there (no gate decision recorded)"
    )
    assert result.blocked

    ws.add(_go("P1", "authorise", "planning", date(2025, 5, 12)))
    assert not ws.gate_check("P1").blocked
    # A named gate checks the phase that gate leaves, wherever the project is.
    named = gate_finding(ws, "P1", "phase-reached-by-gate", gate="close")
    assert named is not None
    assert not named.passed
    assert "leaves phase 'build' at gate close (build -> closing)" in named.message


def test_without_a_methodology_the_phase_is_not_checked() -> None:
    import pmo_governance

    with Workspace.in_memory(
        plugins={"governance": pmo_governance}, governance_model="directive", today=lambda: TODAY
    ) as ws:
        ws.create("project", id="P1", name="One", phase="development")
        f = finding(ws, "P1", "phase-reached-by-gate")
        assert f is not None
        assert f.passed, f.message


# ----------------------------------------------------------------------------- changes-approved


def _baselined(ws: Workspace) -> None:
    ws.create(
        "project", id="P1", name="One", sponsor="Dana", manager="Kim", budget="100000 EUR",
        planned_start=date(2025, 1, 6), planned_finish=date(2025, 12, 19),
    )  # fmt: skip
    ws.take_baseline("P1", on=date(2025, 3, 3))


def test_a_project_without_baseline_has_no_change_to_approve(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive")
    ws.create("project", id="P1", name="One", budget="100000 EUR")
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.passed


def test_under_supportive_a_direct_change_is_recorded_and_flagged(
    make_ws: MakeWorkspace,
) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]

    ws.update("P1", budget="110000 EUR", planned_finish=date(2026, 1, 30))  # allowed

    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert (f.passed, f.level, f.blocking) == (False, "advise", False)
    assert f.message.startswith(
        "the budget of project P1 is 110000 EUR but baseline 0 (2025-03-03) has 100000 EUR, "
        "and no approved change request proposed it; raise a change request "
        "('pmo change raise P1 ...')"
    )
    assert "the planned finish of project P1 is 2026-01-30 but baseline 0" in f.message

    ws.take_baseline("P1")  # re-baselining is free under supportive, and settles it
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]


def test_an_approved_change_request_keeps_the_rule_passing(make_ws: MakeWorkspace) -> None:
    ws = make_ws("controlling")
    _baselined(ws)
    change = ws.raise_change("P1", "More scope", budget="104000 EUR")
    ws.approve_change(change.id, approvers=["Dana"])  # 4 %: the sponsor may approve
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.passed, f.message


def test_a_change_an_approved_request_proposed_is_covered(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    ws.update("P1", budget="120000 EUR")
    # Approved elsewhere and imported with its decision, so no baseline was taken here.
    ws.add(
        RaidItem(
            type="change", entity="P1", title="Imported", approved=True,
            proposed_budget="120000 EUR", decided_on=TODAY,
        )
    )  # fmt: skip
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.passed, f.message


@pytest.mark.parametrize(("model", "level"), [("controlling", "warn"), ("directive", "block")])
def test_a_change_past_change_control_is_flagged_at_the_models_level(
    make_ws: MakeWorkspace, model: str, level: str
) -> None:
    ws = make_ws(model)
    _baselined(ws)
    with ws.transaction("edited outside change control") as tx:
        doc = tx.get("project", "P1")
        assert doc is not None
        data = {**doc.data, "budget": {"amount": "150000", "currency": "EUR"}}
        tx.update("project", "P1", data, expected_version=doc.version)
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert (f.passed, f.level) == (False, level)
    assert "the budget of project P1 is 150000 EUR" in f.message


def test_scope_moved_since_the_baseline_is_flagged_until_a_change_rebaselines(
    make_ws: MakeWorkspace,
) -> None:
    ws = make_ws("controlling")
    ws.create(
        "project", id="P1", name="One", sponsor="Dana", manager="Kim", budget="100000 EUR",
        planned_start=date(2025, 1, 6), planned_finish=date(2025, 12, 19),
    )  # fmt: skip
    build = ws.add(WorkItem(project="P1", subject="Build", budget="60000 EUR"))
    ws.add(WorkItem(project="P1", subject="Test", budget="40000 EUR"))
    ws.take_baseline("P1", on=date(2025, 3, 3))
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]

    ws.add(WorkItem(project="P1", subject="Data migration", budget="5000 EUR"))
    ws.replace(build.replace(budget="61000 EUR"))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert (f.passed, f.level) == (False, "warn")
    assert (
        "the scope of project P1 moved since baseline 0 (2025-03-03): 1 work item(s) added "
        "(Data migration); 1 work item(s) re-budgeted (Build); raise a change request"
    ) in f.message

    change = ws.raise_change("P1", "Migration", budget="106000 EUR", scope="Data migration")
    ws.approve_change(change.id, approvers=["Dana (sponsor)"])  # 6 %: the sponsor's band
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]


def test_a_baseline_of_totals_only_has_no_scope_to_compare(make_ws: MakeWorkspace) -> None:
    ws = make_ws("directive")
    _baselined(ws)  # no work items when it was taken
    ws.add(WorkItem(project="P1", subject="Build", budget="100000 EUR"))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.passed, f.message


# ---------------------------------------------------------------------- methodology-tailored


@pytest.mark.parametrize(
    ("model", "level", "blocks"),
    [("supportive", "advise", False), ("controlling", "warn", False), ("directive", "block", True)],
)
def test_tailoring_is_noted_warned_or_blocked_by_the_model(
    make_ws: MakeWorkspace, model: str, level: str, blocks: bool
) -> None:
    ws = make_ws(model)
    ws.create("project", id="P1", name="One", phase="initiation")
    ws.tailor("P1", "skip-criterion", "go-build/plan", comment="plan agreed verbally")

    f = finding(ws, "P1", "methodology-tailored")

    assert f is not None
    assert not f.passed
    assert f.level == level
    assert f.blocking is blocks
    assert f.message == (
        "project P1 tailors its methodology: skips criterion 'go-build/plan' "
        f"({ws.actor}, {ws.today().isoformat()}: plan agreed verbally)"
    )
    assert any("methodology-tailored" in r for r in ws.gate_check("P1").reasons()) is blocks


def test_an_untailored_entity_passes_the_tailoring_rule(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="initiation")

    f = finding(ws, "P1", "methodology-tailored")

    assert f is not None
    assert f.passed


def test_each_tailoring_is_its_own_finding_message(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", phase="initiation")
    ws.tailor("P1", "skip-criterion", "go-build/plan", comment="a")
    ws.tailor("P1", "skip-artifact", "charter", comment="b")

    f = finding(ws, "P1", "methodology-tailored")

    assert f is not None
    assert "skips criterion 'go-build/plan'" in f.message
    assert "skips artifact 'charter'" in f.message
