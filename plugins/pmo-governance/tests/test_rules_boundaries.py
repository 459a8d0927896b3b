"""pmo-governance's rules at their boundaries: a status report exactly one cadence old (and
the first report due exactly one cadence after the start), phases that are not execution or
initiation without a methodology, and the tolerance rule as this plugin registers it (an
early finish is no finding; a forecast in another currency is one)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from governance_support import LIFECYCLE, TODAY, MakeWorkspace, finding
from pmo_governance import HighRiskSettings
from pmo_governance._rules import is_execution, is_initiation
from pydantic import ValidationError

from pmo_core import Forecast, GateDecision, RaidItem, WorkItem, Workspace

# Under the controlling model: tier 1 every 14 days, tier 2 every 30, tier 3 every 60.
CADENCE = {1: 14, 2: 30, 3: 60}


def _passed(ws: Workspace, entity: str, rule: str) -> bool:
    found = finding(ws, entity, rule)
    assert found is not None, f"{rule} was not checked on {entity}"
    return found.passed


# ------------------------------------------------------------------------------ status-cadence


@pytest.mark.parametrize("tier", [1, 2, 3])
@pytest.mark.parametrize(("extra", "passes"), [(-1, True), (0, True), (1, False)])
def test_a_report_exactly_one_cadence_old_is_on_time_and_a_day_older_is_late(
    ws: Workspace, tier: int, extra: int, passes: bool
) -> None:
    age = CADENCE[tier] + extra
    ws.create("project", id="P1", name="One", tier=tier, planned_start=date(2024, 1, 8))
    ws.report_status("P1", overall="green", as_of=TODAY - timedelta(age))
    assert _passed(ws, "P1", "status-cadence") is passes
    if not passes:
        message = finding(ws, "P1", "status-cadence").message  # type: ignore[union-attr]
        assert f"is {age} days old" in message
        assert f"every {CADENCE[tier]} days" in message


@pytest.mark.parametrize(("extra", "passes"), [(-1, True), (0, True), (1, False)])
def test_the_first_report_is_due_exactly_one_cadence_after_the_start(
    ws: Workspace, extra: int, passes: bool
) -> None:
    started = TODAY - timedelta(CADENCE[2] + extra)
    ws.create("project", id="P1", name="One", tier=2, actual_start=started)
    assert _passed(ws, "P1", "status-cadence") is passes
    if not passes:
        assert finding(ws, "P1", "status-cadence").message.startswith(  # type: ignore[union-attr]
            f"project P1 has no status report 31 days after its start ({started.isoformat()})"
        )


def test_the_latest_report_counts_not_an_older_one(ws: Workspace) -> None:
    ws.create("project", id="P1", name="One", tier=1, planned_start=date(2024, 1, 8))
    ws.report_status("P1", overall="green", as_of=TODAY - timedelta(100))
    ws.report_status("P1", overall="green", as_of=TODAY - timedelta(14))
    assert _passed(ws, "P1", "status-cadence")


def test_the_actual_start_wins_over_the_planned_one_for_the_first_report(
    ws: Workspace,
) -> None:
    ws.create("project", id="P1", name="One", tier=2, planned_start=TODAY - timedelta(200),
              actual_start=TODAY - timedelta(30))  # fmt: skip
    assert _passed(ws, "P1", "status-cadence")


# ---------------------------------------------------------------- phases without methodology


@pytest.mark.parametrize("phase", ["planning", "build", "closing", "initiation"])
def test_a_phase_that_is_not_execution_needs_no_baseline_without_a_methodology(
    make_ws: MakeWorkspace, phase: str
) -> None:
    ws = make_ws(methodology=None)
    ws.create("project", id="P1", name="One", phase=phase)
    assert _passed(ws, "P1", "baseline-before-execution")


@pytest.mark.parametrize("phase", ["execution", "development", "delivery", "testing", "launch"])
def test_an_execution_phase_needs_a_baseline_without_a_methodology(
    make_ws: MakeWorkspace, phase: str
) -> None:
    ws = make_ws(methodology=None)
    ws.create("project", id="P1", name="One", phase=phase)
    assert not _passed(ws, "P1", "baseline-before-execution")


def test_execution_and_initiation_by_name_by_tailoring_and_by_first_phase() -> None:
    # Without a methodology only the names count: "build" is execution, and "planning"
    # initiation, only through a methodology that says so.
    assert (is_execution("build", None), is_execution("build", LIFECYCLE)) == (False, True)
    assert (is_execution("planning", None), is_execution("planning", LIFECYCLE)) == (False, False)
    assert (is_execution(None, LIFECYCLE), is_execution("development", None)) == (False, True)
    assert (is_initiation("initiation", None), is_initiation("scoping", None)) == (True, True)
    assert (is_initiation("planning", None), is_initiation("build", LIFECYCLE)) == (False, False)
    assert (is_initiation(None, LIFECYCLE), is_initiation("initiation", LIFECYCLE)) == (
        False,
        True,
    )


# --------------------------------------------------------------------- tolerance-forecast


def _planned(ws: Workspace) -> None:
    ws.create(
        "project", id="P1", name="One", budget="100000 EUR",
        planned_start=date(2025, 1, 1), planned_finish=date(2025, 12, 31),  # 364 days: 36.4
    )  # fmt: skip


@pytest.mark.parametrize(("slip", "passes"), [(-60, True), (0, True), (36, True), (37, False)])
def test_the_schedule_tolerance_passes_early_finishes_and_flags_only_past_it(
    ws: Workspace, slip: int, passes: bool
) -> None:
    _planned(ws)
    finish = date(2025, 12, 31) + timedelta(slip)
    with ws.transaction("setup") as tx:  # a write that raises no exception of its own
        f = Forecast(project="P1", as_of=TODAY, eac="100000 EUR", finish=finish)
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    assert _passed(ws, "P1", "tolerance-forecast") is passes


def test_a_forecast_in_another_currency_fails_the_tolerance_rule(ws: Workspace) -> None:
    _planned(ws)
    ws.add(WorkItem(project="P1", subject="All", start=date(2025, 1, 1), due=date(2025, 12, 31),
                    percent_complete=50, budget="100000 EUR", actual_cost="50000 EUR"))  # fmt: skip
    with ws.transaction("setup") as tx:
        f = Forecast(project="P1", as_of=TODAY, eac="150000 USD")
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    f = finding(ws, "P1", "tolerance-forecast")
    assert f is not None
    assert not f.passed
    assert "is in USD but the project is in EUR; the cost tolerance cannot be checked" in f.message


# ------------------------------------------------------------------------------ high-risks-owned


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("score", 0, False), ("score", 1, True), ("score", 25, True), ("score", 26, False),
        ("impact", 0, False), ("impact", 1, True), ("impact", 5, True), ("impact", 6, False),
    ],
)  # fmt: skip
def test_high_risk_thresholds_take_every_score_and_impact_a_risk_can_have(
    field: str, value: int, valid: bool
) -> None:
    if valid:
        assert getattr(HighRiskSettings(**{field: value}), field) == value
    else:
        with pytest.raises(ValidationError, match=field):
            HighRiskSettings(**{field: value})


def test_a_high_risk_is_by_default_one_of_score_15_or_impact_5() -> None:
    default = HighRiskSettings()
    assert (default.score, default.impact) == (15, 5)

    def risk(probability: int, impact: int) -> RaidItem:
        return RaidItem(type="risk", entity="P1", title="r", probability=probability, impact=impact)

    assert default.is_high(risk(5, 3))  # score 15, impact 3: high by its score alone
    assert default.is_high(risk(4, 4))  # score 16, impact 4
    assert not default.is_high(risk(3, 4))  # score 12, impact 4
    assert default.is_high(risk(1, 5))  # impact 5, score 5


def test_high_risk_settings_cannot_be_changed_once_read() -> None:
    settings = HighRiskSettings(score=12)
    with pytest.raises(ValidationError, match="frozen"):
        settings.score = 20


def test_a_risk_without_impact_is_not_high_by_impact_even_at_the_lowest_threshold() -> None:
    lowest = HighRiskSettings(score=25, impact=1)
    unrated = RaidItem(type="risk", entity="P1", title="Unrated")
    assert not lowest.is_high(unrated)
    assert lowest.is_high(RaidItem(type="risk", entity="P1", title="Rated", impact=1))


def test_a_risk_without_score_is_not_high_by_score_even_at_the_lowest_threshold() -> None:
    lowest = HighRiskSettings(score=1, impact=5)
    assert not lowest.is_high(RaidItem(type="risk", entity="P1", title="Unrated"))
    assert not lowest.is_high(RaidItem(type="risk", entity="P1", title="Impact", impact=4))
    scored = RaidItem(type="risk", entity="P1", title="Scored", probability=1, impact=1)
    assert lowest.is_high(scored)


def test_unowned_high_risks_of_equal_score_list_the_greater_impact_first(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    import pmo_governance

    ws = pmo_workspace_factory(
        plugins={"governance": pmo_governance}, governance_model="controlling", today=TODAY,
        store="memory",
    )  # fmt: skip
    ws.create("project", id="P1", name="One")
    ws.add_raid("P1", "risk", "A supplier", probability=5, impact=4)  # score 20
    ws.add_raid("P1", "risk", "B outage", probability=4, impact=5)  # score 20, impact 5
    f = finding(ws, "P1", "high-risks-owned")
    assert f is not None
    assert f.message.endswith("'B outage' (score 20), 'A supplier' (score 20)")


def test_scored_high_risks_come_before_those_rated_by_impact_alone(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    import pmo_governance

    ws = pmo_workspace_factory(
        plugins={"governance": pmo_governance}, governance_model="controlling", today=TODAY,
        rules={"high-risks-owned": {"score": 1, "impact": 5}}, store="memory",
    )  # fmt: skip
    ws.create("project", id="P1", name="One")
    ws.add_raid("P1", "risk", "A unrated", impact=5)  # no probability: no score
    ws.add_raid("P1", "risk", "B small", probability=1, impact=1)  # score 1
    f = finding(ws, "P1", "high-risks-owned")
    assert f is not None
    assert f.message.endswith("'B small' (score 1), 'A unrated' (impact 5)")


def test_unowned_high_risks_rated_by_impact_alone_list_the_greater_impact_first(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    import pmo_governance

    ws = pmo_workspace_factory(
        plugins={"governance": pmo_governance}, governance_model="controlling", today=TODAY,
        rules={"high-risks-owned": {"impact": 4}}, store="memory",
    )  # fmt: skip
    ws.create("project", id="P1", name="One")
    ws.add_raid("P1", "risk", "A four", impact=4)
    ws.add_raid("P1", "risk", "B five", impact=5)
    f = finding(ws, "P1", "high-risks-owned")
    assert f is not None
    assert f.message.endswith("'B five' (impact 5), 'A four' (impact 4)")


# ------------------------------------------------------------------------------ changes-approved


def _baselined(ws: Workspace, finish: date | None = date(2025, 12, 19)) -> None:
    ws.create(
        "project", id="P1", name="One", sponsor="Dana", manager="Kim", budget="100000 EUR",
        planned_start=date(2025, 1, 6), planned_finish=finish,
    )  # fmt: skip
    ws.take_baseline("P1", on=date(2025, 3, 3))


def _approved_elsewhere(ws: Workspace, **proposed: object) -> None:
    # Approved elsewhere and imported with its decision, so no baseline was taken here.
    ws.add(
        RaidItem(
            type="change", entity="P1", title="Imported", approved=True, decided_on=TODAY,
            **proposed,  # type: ignore[arg-type]
        )
    )  # fmt: skip


@pytest.mark.parametrize("proposed", ["130000 EUR", "110000 EUR"])
def test_an_approved_change_covers_only_the_budget_it_proposed(
    make_ws: MakeWorkspace, proposed: str
) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    ws.update("P1", budget="120000 EUR")
    _approved_elsewhere(ws, proposed_budget=proposed)
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert not f.passed
    assert f.message.startswith("the budget of project P1 is 120000 EUR but baseline 0")


@pytest.mark.parametrize("proposed", [date(2026, 1, 30), date(2026, 3, 31)])
def test_an_approved_change_covers_only_the_finish_it_proposed(
    make_ws: MakeWorkspace, proposed: date
) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    ws.update("P1", planned_finish=date(2026, 2, 27))
    _approved_elsewhere(ws, proposed_finish=proposed)
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert not f.passed
    assert f.message.startswith(
        "the planned finish of project P1 is 2026-02-27 but baseline 0 (2025-03-03) has "
        "2025-12-19, and no approved change request proposed it"
    )
    _approved_elsewhere(ws, proposed_finish=date(2026, 2, 27))
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]


def test_a_finish_set_after_a_baseline_without_one_says_the_baseline_had_none(
    make_ws: MakeWorkspace,
) -> None:
    ws = make_ws("supportive")
    _baselined(ws, finish=None)
    ws.update("P1", planned_finish=date(2026, 2, 27))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.message.startswith(
        "the planned finish of project P1 is 2026-02-27 but baseline 0 (2025-03-03) has none,"
    )


def _scoped(ws: Workspace, *subjects: str) -> list[WorkItem]:
    ws.create(
        "project", id="P1", name="One", sponsor="Dana", manager="Kim", budget="100000 EUR",
        planned_start=date(2025, 1, 6), planned_finish=date(2025, 12, 19),
    )  # fmt: skip
    items = [ws.add(WorkItem(project="P1", subject=s, budget="10000 EUR")) for s in subjects]
    ws.take_baseline("P1", on=date(2025, 3, 3))
    assert finding(ws, "P1", "changes-approved").passed  # type: ignore[union-attr]
    return items


def test_scope_drift_of_added_work_alone_is_flagged(make_ws: MakeWorkspace) -> None:
    ws = make_ws("controlling")
    _scoped(ws, "Build")
    for subject in ("Add 1", "Add 2", "Add 3"):
        ws.add(WorkItem(project="P1", subject=subject, budget="1000 EUR"))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert "moved since baseline 0 (2025-03-03): 3 work item(s) added (Add 1, Add 2, Add 3); " in (
        f.message
    )


def test_scope_drift_of_removed_work_alone_is_flagged(make_ws: MakeWorkspace) -> None:
    ws = make_ws("controlling")
    build, _ = _scoped(ws, "Build", "Test")
    with ws.transaction("work dropped outside change control") as tx:
        tx.delete(build.store_kind, build.id, expected_version=1)
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert "moved since baseline 0 (2025-03-03): 1 work item(s) removed (Build); " in f.message


def test_scope_drift_names_three_work_items_and_marks_the_rest(make_ws: MakeWorkspace) -> None:
    ws = make_ws("controlling")
    _scoped(ws, "Build")
    for subject in ("Add 1", "Add 2", "Add 3", "Add 4"):
        ws.add(WorkItem(project="P1", subject=subject, budget="1000 EUR"))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert "4 work item(s) added (Add 1, Add 2, Add 3, ...); " in f.message


def test_work_re_budgeted_down_since_the_baseline_is_scope_drift(make_ws: MakeWorkspace) -> None:
    ws = make_ws("controlling")
    build, _ = _scoped(ws, "Build", "Test")
    ws.replace(build.replace(budget="9000 EUR"))
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert "1 work item(s) re-budgeted (Build); " in f.message


def test_a_budget_cut_without_an_approved_change_is_flagged(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    ws.update("P1", budget="90000 EUR")
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.message.startswith(
        "the budget of project P1 is 90000 EUR but baseline 0 (2025-03-03) has 100000 EUR"
    )


def test_a_finish_pulled_in_without_an_approved_change_is_flagged(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive")
    _baselined(ws)
    ws.update("P1", planned_finish=date(2025, 11, 28))  # earlier than the baseline's
    f = finding(ws, "P1", "changes-approved")
    assert f is not None
    assert f.message.startswith(
        "the planned finish of project P1 is 2025-11-28 but baseline 0 (2025-03-03) has "
        "2025-12-19, and no approved change request proposed it"
    )


# ------------------------------------------------------------------------- phase-reached-by-gate


@pytest.mark.parametrize("decision", ["hold", "recycle", "kill"])
def test_only_a_go_decision_moves_a_project_into_a_phase(ws: Workspace, decision: str) -> None:
    ws.create("project", id="P1", name="One", phase="build")
    ws.add(
        GateDecision(
            entity="P1", gate="go-build", decision=decision, decided_on=date(2025, 5, 5),
            decided_by="PMO Office", next_phase="build",
        )
    )  # fmt: skip
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert not f.passed
    assert f"(last: go-build {decision} into 'build' on 2025-05-05)" in f.message


def test_a_go_into_another_phase_does_not_move_a_project_into_this_one(ws: Workspace) -> None:
    # "build" sorts before "planning": only the phase named counts, not one before it.
    ws.create("project", id="P1", name="One", phase="planning")
    ws.add(
        GateDecision(
            entity="P1", gate="go-build", decision="go", decided_on=date(2025, 5, 5),
            decided_by="PMO Office", next_phase="build",
        )
    )  # fmt: skip
    f = finding(ws, "P1", "phase-reached-by-gate")
    assert f is not None
    assert not f.passed
    assert "is in phase 'planning' but no gate decision moved it there" in f.message
