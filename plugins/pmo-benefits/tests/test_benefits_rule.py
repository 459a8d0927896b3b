"""The rule ``benefit-at-risk`` on portfolios: its finding names each benefit at risk and why,
at the level each first-party governance model gives it, with thresholds from settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pmo_benefits
import pmo_governance
import pytest
from benefits_support import Clock
from pmo_benefits import add_benefit, record_measurement

from pmo_core import Benefit, Finding, Workspace

LEVEL = {"supportive": "advise", "controlling": "warn", "directive": "block"}


def _finding(ws: Workspace, key: str = "PF") -> Finding:
    return next(f for f in ws.check(key) if f.rule == "benefit-at-risk")


def _setup(ws: Workspace) -> tuple[Benefit, Benefit]:
    ws.create("portfolio", id="PF", name="Acme")
    ws.create("project", id="LEDGER", name="New ledger", parent="PF")
    orders = add_benefit(ws, "More orders", measure="Orders", unit="orders/week",
                         baseline=100, target=200, baseline_on=date(2026, 1, 1),
                         target_on=date(2026, 4, 11), projects=["LEDGER"])  # fmt: skip
    fees = add_benefit(ws, "Licence fees", measure="Fees", unit="EUR", baseline=0,
                       target=20000, baseline_on=date(2026, 1, 1), target_on=date(2026, 4, 11),
                       dis_benefit=True, portfolio="PF")  # fmt: skip
    return orders, fees


def _workspace(clock: Clock, **kwargs: Any) -> Workspace:
    return Workspace.in_memory(
        plugins={"benefits": pmo_benefits, "governance": pmo_governance},
        today=clock,
        actor="tester",
        **kwargs,
    )


@pytest.fixture(params=["supportive", "controlling", "directive"])
def governed(request: pytest.FixtureRequest, clock: Clock) -> Iterator[tuple[Workspace, str]]:
    with _workspace(clock, governance_model=request.param) as ws:
        yield ws, request.param


def test_on_plan_passes_and_short_of_plan_is_a_finding_at_the_models_level(
    governed: tuple[Workspace, str], clock: Clock
) -> None:
    ws, model = governed
    orders, fees = _setup(ws)
    clock.day = date(2026, 2, 20)  # day 50: 150 orders and 10000 EUR planned
    assert _finding(ws).passed  # nothing measured yet
    record_measurement(ws, orders.id, 140)  # 80 %: at the threshold
    record_measurement(ws, fees.id, 12000)  # 120 %: at the threshold
    assert _finding(ws).passed
    record_measurement(ws, orders.id, "139.99")
    record_measurement(ws, fees.id, "12000.01")
    finding = _finding(ws)
    assert not finding.passed
    assert finding.level == LEVEL[model]
    assert finding.message == (
        f"Licence fees ({fees.id}): dis-benefit at 120.0 % of the change planned by "
        f"2026-02-20, above 120 %; More orders ({orders.id}): realised 80.0 % of the change "
        "planned by 2026-02-20, below 80 %"
    )


def test_the_rule_is_checked_on_portfolios_only(
    governed: tuple[Workspace, str], clock: Clock
) -> None:
    ws, _ = governed
    orders, _fees = _setup(ws)
    clock.day = date(2026, 2, 20)
    record_measurement(ws, orders.id, 100)
    assert not _finding(ws).passed
    assert not any(f.rule == "benefit-at-risk" for f in ws.check("LEDGER"))


def test_thresholds_from_the_rules_settings(clock: Clock) -> None:
    rules = {"benefit-at-risk": {"at_risk_below": 90, "dis_benefit_above": "100"}}
    with _workspace(clock, rules=rules) as ws:
        orders, fees = _setup(ws)
        assert pmo_benefits.risk_settings(ws, fees).at_risk_below == Decimal(90)
        # A benefit named by no portfolio is judged by its project's.
        assert pmo_benefits.tracking_portfolio(ws.view(), orders) == "PF"
        assert pmo_benefits.risk_settings(ws, orders).at_risk_below == Decimal(90)
        loose = add_benefit(ws, "Loose", measure="m", baseline=0, target=1,
                            baseline_on=date(2026, 1, 1), target_on=date(2026, 2, 1))  # fmt: skip
        assert pmo_benefits.tracking_portfolio(ws.view(), loose) is None
        assert pmo_benefits.risk_settings(ws, loose).at_risk_below == Decimal(80)
        clock.day = date(2026, 2, 20)
        record_measurement(ws, orders.id, 145)  # 90 %: at the threshold
        record_measurement(ws, fees.id, 10000)  # 100 %: at the threshold
        assert _finding(ws).passed
        record_measurement(ws, orders.id, "144.99")
        finding = _finding(ws)
        assert not finding.passed
        assert "below 90 %" in finding.message
        assert "Licence fees" not in finding.message
        record_measurement(ws, fees.id, "10000.01")
        assert "above 100 %" in _finding(ws).message


def test_a_threshold_per_portfolio(clock: Clock) -> None:
    rules = {"benefit-at-risk": {"scopes": {"PF": {"at_risk_below": 50}}}}
    with _workspace(clock, rules=rules) as ws:
        orders, _ = _setup(ws)
        clock.day = date(2026, 2, 20)
        record_measurement(ws, orders.id, 125)  # 50 %
        assert _finding(ws).passed
        record_measurement(ws, orders.id, "124.99")
        assert not _finding(ws).passed


def test_a_benefit_not_measured_for_too_long_is_flagged(clock: Clock) -> None:
    rules = {"benefit-at-risk": {"measure_every_days": 30}}
    with _workspace(clock, rules=rules) as ws:
        orders, fees = _setup(ws)
        record_measurement(ws, orders.id, 150, on=date(2026, 2, 20))  # on plan
        record_measurement(ws, fees.id, 10000, on=date(2026, 2, 20))
        clock.day = date(2026, 3, 22)  # 30 days later
        assert _finding(ws).passed
        clock.day = date(2026, 3, 23)
        finding = _finding(ws)
        assert not finding.passed
        assert finding.message.count("not measured for 31 days") == 2
