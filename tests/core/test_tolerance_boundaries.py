"""The tolerance rule at its boundaries: a schedule slip early, on time, at the allowance and
just past it; which forecast is the latest (two of them, one dated on the status date, one
after it); nothing earned yet; work items without dates; and records in another currency,
which make the cost tolerance impossible to check (a finding), never silently within.

The rule is registered here as pmo-governance registers it (``tolerance-forecast`` with
:func:`~pmo_core.check_tolerances`), so these tests need no plugin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from pmo_core import (
    CostEntry,
    Finding,
    Forecast,
    PmoGovernanceModel,
    PmoGovernanceRule,
    ToleranceSettings,
    WorkItem,
    Workspace,
    check_tolerances,
    hookimpl,
)

TODAY = date(2026, 6, 1)
START, FINISH = date(2026, 1, 1), date(2026, 4, 11)  # a 100-day plan: 10 % is 10 days
MakeWorkspace = Callable[..., Workspace]


class ToleranceRule:
    """The tolerance rule and a model with 10 % on time and cost, escalating to the pmo."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="tolerance-forecast",
            level="warn",
            scopes=("project", "program"),
            settings=ToleranceSettings,
            check=check_tolerances,
        )

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="tolerant",
            tolerances={
                "project": {"cost": "0.10", "time": "0.10"},
                "program": {"cost": "0.05", "time": "0.10"},
            },
            escalate_to="pmo",
        )


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = pmo_workspace_factory(
        plugins={"tolerance": ToleranceRule()}, governance_model="tolerant", today=TODAY
    )
    ws.create("program", id="ERP", name="ERP", planned_start=START, planned_finish=FINISH)
    ws.create("project", id="P1", name="One", parent="ERP", budget="100000 EUR",
              planned_start=START, planned_finish=FINISH)  # fmt: skip
    return ws


def _put(ws: Workspace, *records: Any) -> None:
    # Written in a transaction of its own, so the write raises no tolerance exception.
    with ws.transaction("setup") as tx:
        for record in records:
            tx.insert(record.store_kind, record.id, record.to_document(), owner=record.project)


def _forecast(as_of: date, *, slip: int = 0, eac: str = "100000 EUR", project: str = "P1") -> Any:
    return Forecast(project=project, as_of=as_of, eac=eac, finish=FINISH + timedelta(slip))


def _state(ws: Workspace, dimension: str, entity: str = "P1") -> tuple[str, Any]:
    check = next(c for c in ws.tolerance_checks(entity) if c.dimension == dimension)
    return check.state, check.actual


def _message(ws: Workspace, dimension: str, entity: str = "P1") -> str:
    return next(c.message for c in ws.tolerance_checks(entity) if c.dimension == dimension)


def _finding(ws: Workspace, entity: str = "P1") -> Finding:
    return next(f for f in ws.check(entity) if f.rule == "tolerance-forecast")


# ---------------------------------------------------------------------------- schedule


@pytest.mark.parametrize("slip", [-30, -1, 0, 9, 10])
def test_a_finish_early_on_time_or_within_the_allowance_is_no_finding(
    ws: Workspace, slip: int
) -> None:
    _put(ws, _forecast(TODAY, slip=slip))
    assert _state(ws, "time") == ("within", Decimal(slip) / 100)
    finding = _finding(ws)
    assert (finding.passed, finding.message) == (True, "")


def test_a_slip_equal_to_the_allowance_is_within_and_one_day_more_is_beyond(
    ws: Workspace,
) -> None:
    _put(ws, _forecast(TODAY, slip=10))
    assert "10 days after its planned finish 2026-04-11, within the schedule tolerance of 10% " \
        "of its 100-day plan (10.0 days)" in _message(ws, "time")  # fmt: skip
    _put(ws, _forecast(TODAY, slip=11))
    finding = _finding(ws)
    assert not finding.passed
    assert finding.message == (
        "project P1 forecasts finishing on 2026-04-22, 11 days after its planned finish "
        "2026-04-11, beyond the schedule tolerance of 10% of its 100-day plan (10.0 days) "
        "under model tolerant; escalate to pmo"
    )


@pytest.mark.parametrize(("slip", "state"), [(10, "within"), (11, "breached"), (-40, "within")])
def test_a_program_slips_by_its_latest_projects_forecast(
    ws: Workspace, slip: int, state: str
) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP", budget="100000 EUR")
    _put(ws, _forecast(TODAY, slip=-50), _forecast(TODAY, slip=slip, project="P2"))
    assert _state(ws, "time", "ERP") == (state, Decimal(max(slip, -50)) / 100)


@pytest.mark.parametrize(
    ("dates", "missing"),
    [
        ({"planned_finish": FINISH}, "project P2: no planned start"),
        ({"planned_start": START}, "project P2: no planned finish"),
        ({"planned_start": FINISH, "planned_finish": FINISH}, "project P2: its planned "
         "duration is not positive"),
    ],
)  # fmt: skip
def test_a_plan_with_one_date_or_no_duration_leaves_the_schedule_unmeasured(
    ws: Workspace, dates: dict[str, date], missing: str
) -> None:
    ws.create("project", id="P2", name="Two", budget="100000 EUR", **dates)
    _put(ws, _forecast(TODAY, slip=500, project="P2"))
    assert _state(ws, "time", "P2") == ("unmeasured", None)
    assert _message(ws, "time", "P2") == missing


def test_a_zero_budget_leaves_the_cost_unmeasured(ws: Workspace) -> None:
    ws.create("project", id="P2", name="Two", budget="0 EUR")
    _put(ws, _forecast(TODAY, eac="5000 EUR", project="P2"))
    assert _state(ws, "cost", "P2") == ("unmeasured", None)
    assert _message(ws, "cost", "P2") == "project P2: no budget"


# -------------------------------------------------------------------- the latest forecast


def test_the_newer_of_two_forecasts_counts_whichever_way_it_moved(ws: Workspace) -> None:
    _put(ws, _forecast(TODAY - timedelta(30), slip=40), _forecast(TODAY - timedelta(1), slip=0))
    assert _state(ws, "time") == ("within", Decimal(0))
    _put(ws, _forecast(TODAY - timedelta(0), slip=20))
    assert _state(ws, "time") == ("breached", Decimal("0.2"))


def test_a_forecast_dated_on_the_status_date_counts_and_one_after_it_does_not(
    ws: Workspace,
) -> None:
    _put(ws, _forecast(TODAY - timedelta(7), slip=5, eac="100000 EUR"))
    _put(ws, _forecast(TODAY + timedelta(1), slip=60, eac="200000 EUR"))  # not known yet
    assert _state(ws, "time") == ("within", Decimal("0.05"))
    assert _state(ws, "cost") == ("within", Decimal(0))
    _put(ws, _forecast(TODAY, slip=30, eac="120000 EUR"))  # dated on the status date
    assert _state(ws, "time") == ("breached", Decimal("0.3"))
    assert _state(ws, "cost") == ("breached", Decimal("0.2"))
    assert "(+20%, forecast of 2026-06-01)" in _message(ws, "cost")


# ------------------------------------------------------------------ earned value path


def _work(ws: Workspace, *, percent: int, actual: str | None, dated: bool = True) -> None:
    dates = {"start": START, "due": FINISH} if dated else {}
    ws.add(
        WorkItem(project="P1", subject="All of it", budget="100000 EUR",
                 percent_complete=percent, actual_cost=actual, **dates)
    )  # fmt: skip


def test_nothing_earned_yet_leaves_the_cost_unmeasured_and_says_why(ws: Workspace) -> None:
    _work(ws, percent=0, actual="30000 EUR")  # CPI 0: BAC / CPI is undefined
    assert _state(ws, "cost") == ("unmeasured", None)
    assert _message(ws, "cost") == (
        "project P1: no forecast, and nothing earned yet to forecast from"
    )
    assert _finding(ws).passed


def test_no_actual_cost_yet_leaves_the_cost_unmeasured_and_says_why(ws: Workspace) -> None:
    _work(ws, percent=10, actual=None)
    assert _state(ws, "cost") == ("unmeasured", None)
    assert _message(ws, "cost") == "project P1: no forecast, and no actual cost to forecast from"


def test_the_first_value_earned_makes_the_cost_measurable(ws: Workspace) -> None:
    _work(ws, percent=1, actual="1100 EUR")  # EV 1000, CPI 0.9090..., EAC 110000: the limit
    assert _state(ws, "cost") == ("within", Decimal("0.1"))


@pytest.mark.parametrize(("actual", "state"), [("55000 EUR", "within"), ("55001 EUR", "breached")])
def test_work_items_without_dates_still_earn_value_for_the_cost_tolerance(
    ws: Workspace, actual: str, state: str
) -> None:
    # Unscheduled work adds nothing to PV, but its earned value and cost make the CPI.
    _work(ws, percent=50, actual=actual, dated=False)
    assert _state(ws, "cost")[0] == state
    figures = ws.metrics("P1")
    assert (figures.value("pv"), figures.value("ev")) == (Decimal(0), Decimal(50000))


# ---------------------------------------------------------------------- other currencies


def test_a_forecast_in_another_currency_is_a_finding_even_with_actual_costs(
    ws: Workspace,
) -> None:
    # Earned value alone would give an EAC (BAC / CPI = 100000 EUR, within): the USD forecast
    # must not be passed over for it in silence.
    _work(ws, percent=50, actual="50000 EUR")
    _put(ws, _forecast(TODAY, eac="150000 USD"))
    assert _state(ws, "cost") == ("inconsistent", None)
    finding = _finding(ws)
    assert not finding.passed
    assert finding.message == (
        "project P1: the forecast of 2026-06-01 is in USD but the project is in EUR; the cost "
        "tolerance cannot be checked"
    )
    # Its finish is a date, not money: the schedule is still measured from it.
    assert _state(ws, "time") == ("within", Decimal(0))


def test_a_cost_entry_in_another_currency_is_a_finding_next_to_ones_in_the_projects(
    ws: Workspace,
) -> None:
    _work(ws, percent=50, actual=None)
    ws.add(CostEntry(project="P1", incurred_on=TODAY, amount="50000 EUR"))
    assert _state(ws, "cost") == ("within", Decimal(0))
    ws.add(CostEntry(project="P1", incurred_on=TODAY, amount="10 USD"))
    assert _state(ws, "cost") == ("inconsistent", None)
    assert not _finding(ws).passed
    assert "cost entries are in USD but the project is in EUR" in _finding(ws).message


def test_a_program_with_a_project_forecast_in_another_currency_cannot_be_checked(
    ws: Workspace,
) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP", budget="100000 EUR")
    _put(ws, _forecast(TODAY, eac="100000 EUR"), _forecast(TODAY, eac="150000 USD", project="P2"))
    assert _state(ws, "cost", "ERP") == ("inconsistent", None)
    assert _message(ws, "cost", "ERP") == (
        "program ERP's project P2: the forecast of 2026-06-01 is in USD but the project is in "
        "EUR; the program cost tolerance cannot be checked"
    )
    assert not _finding(ws, "ERP").passed


def test_a_program_with_a_project_without_cost_data_counts_it_at_budget(ws: Workspace) -> None:
    # The false side of the currency check: missing data is no conflict.
    ws.create("project", id="P2", name="Two", parent="ERP", budget="100000 EUR")
    _put(ws, _forecast(TODAY, eac="110000 EUR"))
    assert _state(ws, "cost", "ERP") == ("within", Decimal("0.05"))  # 210000 against 200000
    assert "1 without cost data counted at budget" in _message(ws, "cost", "ERP")


def test_the_figures_of_an_earlier_status_date_take_the_forecast_known_then(
    ws: Workspace,
) -> None:
    _put(ws, _forecast(TODAY - timedelta(10), eac="104000 EUR"), _forecast(TODAY, eac="130000 EUR"))
    assert ws.metrics("P1").value("eac") == Decimal("130000")
    for day in (TODAY - timedelta(10), TODAY - timedelta(1)):
        assert ws.metrics("P1", status_date=day).value("eac") == Decimal("104000")
    assert ws.metrics("P1", status_date=TODAY - timedelta(11)).value("eac") is None
