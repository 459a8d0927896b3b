"""Management by exception: a forecast beyond the cost tolerance the board delegated raises an
exception (an issue for the executive and an exception report), with hand-computed figures."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pmo_prince2
import pytest
from prince2_support import TODAY, name_board

from pmo_core import Workspace

TITLE = "Exception: project cost tolerance exceeded"


def _project(ws: Workspace, key: str = "ALPHA", budget: str = "100000 EUR") -> None:
    ws.create("project", id=key, name=key.title(), manager="Pat Diaz", budget=budget,
              phase="delivery-1")  # fmt: skip
    name_board(ws, key)
    ws.take_baseline(key)  # BAC = the budget: 100000


def _exceptions(ws: Workspace, key: str = "ALPHA") -> list[str]:
    return [r.title for r in ws.view().raid(key, type="issue", open_only=True)]


def test_the_board_model_sets_ten_percent_cost_tolerance(ws: Workspace) -> None:
    _project(ws)
    # EAC 110000 against BAC 100000: (110000 - 100000) / 100000 = 0.10, exactly the limit.
    ws.set_forecast("ALPHA", eac="110000 EUR", reason="Supplier price rise")
    (cost,) = [c for c in ws.tolerance_checks("ALPHA") if c.dimension == "cost"]
    assert (cost.limit, cost.actual, cost.state) == (Decimal("0.10"), Decimal("0.1"), "within")
    assert _exceptions(ws) == []


def test_a_cent_beyond_the_cost_tolerance_is_an_exception_for_the_executive(
    ws: Workspace,
) -> None:
    _project(ws)
    # EAC 110000.01: (110000.01 - 100000) / 100000 = 0.1000001 > 0.10.
    ws.set_forecast("ALPHA", eac="110000.01 EUR", reason="Supplier price rise")
    (cost,) = [c for c in ws.tolerance_checks("ALPHA") if c.dimension == "cost"]
    assert (cost.actual, cost.state) == (Decimal("0.1000001"), "breached")
    view = ws.view()
    (issue,) = view.raid("ALPHA", type="issue", open_only=True)
    assert issue.title == TITLE
    assert issue.owned_by == "Dana Reyes"  # the executive: the model escalates to the board
    assert issue.impact == 5
    assert issue.description == (
        "project ALPHA forecasts EAC 110000.01 EUR against BAC 100000 EUR (+10%, forecast of "
        "2025-06-02), beyond the cost tolerance of 10% (no level above; executive: Dana Reyes)"
    )
    (report,) = view.status_reports("ALPHA", kind="exception")
    assert report.overall == "red"
    assert report.metrics["limit"] == "0.10"
    assert report.metrics["actual"] == "0.1000001"
    assert report.metrics["issue"] == issue.id
    assert report.metrics["model"] == "prince2"
    # The same breach raises nothing new while its exception is open.
    ws.set_forecast("ALPHA", eac="120000 EUR", reason="Worse")
    assert _exceptions(ws) == [TITLE]


def test_a_forecast_under_budget_is_within(ws: Workspace) -> None:
    _project(ws)
    ws.set_forecast("ALPHA", eac="90000 EUR", reason="Cheaper supplier")
    (cost,) = [c for c in ws.tolerance_checks("ALPHA") if c.dimension == "cost"]
    assert (cost.actual, cost.state) == (Decimal("-0.1"), "within")
    assert _exceptions(ws) == []


def test_another_currency_is_measured_the_same(ws: Workspace) -> None:
    _project(ws, "BETA", budget="200000 USD")
    # (220000.01 - 200000) / 200000 = 0.10000005 > 0.10.
    ws.set_forecast("BETA", eac="220000.01 USD", reason="Exchange rate")
    (cost,) = [c for c in ws.tolerance_checks("BETA") if c.dimension == "cost"]
    assert (cost.actual, cost.state) == (Decimal("0.10000005"), "breached")
    assert "EAC 220000.01 USD against BAC 200000 USD" in cost.message
    assert _exceptions(ws, "BETA") == [TITLE]


@pytest.fixture
def delegated() -> Iterator[Workspace]:
    """The board delegated ALPHA a cost tolerance of 5 % (the rule's settings for its scope)."""
    pmo_governance = pytest.importorskip("pmo_governance")
    with Workspace.in_memory(
        plugins={"prince2": pmo_prince2, "governance": pmo_governance},
        governance_model="prince2",
        methodology="prince2",
        today=lambda: TODAY,
        actor="Pat Diaz",
        rules={"tolerance-forecast": {"scopes": {"ALPHA": {"project": {"cost": "0.05"}}}}},
    ) as workspace:
        yield workspace


@pytest.mark.parametrize(
    ("eac", "actual", "state"),
    [
        ("104999.99 EUR", "0.0499999", "within"),  # just below 5 %
        ("105000 EUR", "0.05", "within"),  # exactly 5 %: still within
        ("105000.01 EUR", "0.0500001", "breached"),  # just above
    ],
)
def test_the_tolerance_the_board_delegates_per_project(
    delegated: Workspace, eac: str, actual: str, state: str
) -> None:
    _project(delegated)
    _project(delegated, "BETA")
    delegated.set_forecast("ALPHA", eac=eac, reason="Supplier price rise")
    delegated.set_forecast("BETA", eac=eac, reason="Supplier price rise")
    (cost,) = [c for c in delegated.tolerance_checks("ALPHA") if c.dimension == "cost"]
    assert (cost.limit, cost.actual, cost.state) == (Decimal("0.05"), Decimal(actual), state)
    assert _exceptions(delegated) == ([TITLE] if state == "breached" else [])
    # BETA has no delegated tolerance: the board model's 10 % holds for it.
    (beta,) = [c for c in delegated.tolerance_checks("BETA") if c.dimension == "cost"]
    assert (beta.limit, beta.state) == (Decimal("0.10"), "within")
    assert _exceptions(delegated, "BETA") == []


def test_the_governance_rule_reports_the_breach_at_warn(delegated: Workspace) -> None:
    _project(delegated)
    delegated.set_forecast("ALPHA", eac="106000 EUR", reason="Supplier price rise")
    (finding,) = [f for f in delegated.check("ALPHA") if f.rule == "tolerance-forecast"]
    assert (finding.passed, finding.level) == (False, "warn")
    assert finding.message == (
        "project ALPHA forecasts EAC 106000.00 EUR against BAC 100000 EUR (+6%, forecast of "
        "2025-06-02), beyond the cost tolerance of 5% under model prince2; escalate to executive"
    )
