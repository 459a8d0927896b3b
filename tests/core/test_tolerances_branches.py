"""Tolerances at their edges: the basis an EAC variant is named with, a program whose live
projects have no cost data or budgets in two currencies, a portfolio (no tolerance level),
and rule settings that are not a table.

The rule is registered as pmo-governance registers it, so these tests need no plugin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core import (
    Forecast,
    MetricsTable,
    PmoGovernanceModel,
    PmoGovernanceRule,
    ToleranceSettings,
    WorkItem,
    Workspace,
    WorkspaceView,
    check_tolerances,
    hookimpl,
)

TODAY = date(2026, 6, 1)
START, FINISH = date(2026, 1, 1), date(2026, 12, 31)
MakeWorkspace = Callable[..., Workspace]


class ToleranceRule:
    """The tolerance rule on every level, under a model with 10 % on cost."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="tolerance-forecast",
            level="warn",
            scopes=("portfolio", "program", "project"),
            settings=ToleranceSettings,
            check=check_tolerances,
        )

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="tolerant",
            tolerances={"project": {"cost": "0.10"}, "program": {"cost": "0.10"}},
            escalate_to="pmo",
        )


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = pmo_workspace_factory(
        plugins={"tolerance": ToleranceRule()}, governance_model="tolerant", today=TODAY
    )
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="ERP", name="ERP", parent="PF")
    ws.create("project", id="P1", name="One", parent="ERP", budget="100000 EUR",
              planned_start=START, planned_finish=FINISH)  # fmt: skip
    return ws


def _put(ws: Workspace, *records: Any) -> None:
    # A transaction of its own: the write raises no tolerance exception.
    with ws.transaction("setup") as tx:
        for record in records:
            tx.insert(record.store_kind, record.id, record.to_document(), owner=record.project)


def _cost(ws: Workspace, entity: str, view: WorkspaceView | None = None) -> Any:
    return next(c for c in ws.tolerance_checks(entity, view=view) if c.dimension == "cost")


def _half_done_over_budget(ws: Workspace) -> None:
    """Half the work done by June, ahead of plan, for 60,000 EUR: CPI 0.8333."""
    ws.add(
        WorkItem(project="P1", subject="All of it", budget="100000 EUR", start=START,
                 due=FINISH, percent_complete=50, actual_cost="60000 EUR")
    )  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "said"),
    [
        (
            "cpi_spi",
            "EAC 109780.22 EUR against BAC 100000 EUR (+9.8%, EAC = AC + (BAC - EV) / "
            "(CPI x SPI), CPI 0.8333, SPI 1.2053), within the cost tolerance of 10%",
        ),
        (
            "atypical",
            "EAC 110000.00 EUR against BAC 100000 EUR (+10%, EAC = AC + (BAC - EV)), within "
            "the cost tolerance of 10%",
        ),
        (
            "cpi",
            "EAC 120000.00 EUR against BAC 100000 EUR (+20%, EAC = BAC / CPI, CPI 0.8333), "
            "beyond the cost tolerance of 10%",
        ),
    ],
)
def test_the_cost_message_names_the_eac_variant_the_metrics_table_chose(
    ws: Workspace, variant: str, said: str
) -> None:
    _half_done_over_budget(ws)
    view = WorkspaceView(ws.store, status_date=TODAY, metrics_config=MetricsTable(eac=(variant,)))

    check = _cost(ws, "P1", view)

    assert check.message == f"project P1 forecasts {said}"
    eac = ws.metrics("P1").value(f"eac_{variant}")
    assert eac is not None
    assert check.actual == (eac - 100000) / 100000


def test_a_program_leaves_out_a_live_project_with_no_budget_or_cost(ws: Workspace) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP")
    _put(ws, Forecast(project="P1", as_of=TODAY, eac="120000 EUR"))

    check = _cost(ws, "ERP")

    # P2 neither adds to the BAC nor counts at budget: the figures are P1's alone.
    assert (check.state, check.actual) == ("breached", Decimal("0.2"))
    assert check.message == (
        "program ERP's live projects forecast EAC 120000.00 EUR against BAC 100000 EUR "
        "(+20%), beyond the program cost tolerance of 10%"
    )


def test_a_program_whose_projects_are_budgeted_in_two_currencies_cannot_be_checked(
    ws: Workspace,
) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP", budget="50000 USD",
              planned_start=START, planned_finish=FINISH)  # fmt: skip
    _put(
        ws,
        Forecast(project="P1", as_of=TODAY, eac="100000 EUR"),
        Forecast(project="P2", as_of=TODAY, eac="50000 USD"),
    )

    check = _cost(ws, "ERP")

    assert (check.state, check.actual) == ("inconsistent", None)
    assert check.message == (
        "program ERP's projects have budgets in EUR and USD; the cost tolerance cannot be checked"
    )
    finding = next(f for f in ws.check("ERP") if f.rule == "tolerance-forecast")
    assert not finding.passed
    assert finding.message == check.message


def test_a_portfolio_has_no_tolerance_level_and_the_rule_passes_it(ws: Workspace) -> None:
    _put(ws, Forecast(project="P1", as_of=TODAY, eac="900000 EUR"))

    assert ws.tolerance_checks("PF") == []
    finding = next(f for f in ws.check("PF") if f.rule == "tolerance-forecast")
    assert (finding.passed, finding.message) == (True, "")
    # The breach is the project's and the program's, never the portfolio's.
    assert not next(f for f in ws.check("P1") if f.rule == "tolerance-forecast").passed


@pytest.mark.parametrize("value", [["project"], "project", 5])
def test_tolerance_settings_that_are_not_a_table_are_refused_by_type(value: object) -> None:
    with pytest.raises(ValidationError, match="valid dictionary or instance of ToleranceSettings"):
        ToleranceSettings.model_validate(value)


def test_tolerance_settings_already_made_are_taken_as_they_are() -> None:
    made = ToleranceSettings(project={"cost": Decimal("0.05")})
    assert ToleranceSettings.model_validate(made) == made
