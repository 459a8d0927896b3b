"""pmo-governance's rules at their boundaries: a status report exactly one cadence old (and
the first report due exactly one cadence after the start), phases that are not execution or
initiation without a methodology, and the tolerance rule as this plugin registers it (an
early finish is no finding; a forecast in another currency is one)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from governance_support import LIFECYCLE, TODAY, MakeWorkspace, finding
from pmo_governance._rules import is_execution, is_initiation

from pmo_core import Forecast, WorkItem, Workspace

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
