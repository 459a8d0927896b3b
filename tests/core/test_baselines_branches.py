"""Comparing baselines whose costs cannot be set against each other: a baseline in another
currency than the plan now (no delta, no fraction, never a sum of two currencies) and a
baseline of zero cost (a delta, but no fraction of nothing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from plan_control_support import MakeWorkspace, make

from pmo_core import Money, Workspace


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    """Changes recorded, not requested: the plan may be edited and re-baselined freely."""
    return make(pmo_workspace_factory, model="light")


def test_a_cost_in_another_currency_than_the_baseline_has_no_delta(ws: Workspace) -> None:
    ws.take_baseline("ALPHA")
    ws.update("ALPHA", budget="270000 USD", currency="USD")

    comparison = ws.compare_baselines("ALPHA")

    assert (comparison.before.cost, comparison.after.cost) == (
        Money.parse("250000 EUR"),
        Money.parse("270000 USD"),
    )
    assert comparison.cost_delta is None
    assert comparison.cost_fraction is None


def test_a_baseline_of_zero_cost_has_a_delta_but_no_fraction(ws: Workspace) -> None:
    ws.update("ALPHA", budget="0 EUR")
    ws.take_baseline("ALPHA")
    ws.update("ALPHA", budget="1000 EUR")
    ws.take_baseline("ALPHA")

    comparison = ws.compare_baselines("ALPHA", 0, 1)

    assert comparison.cost_delta == Money.parse("1000 EUR")
    assert comparison.cost_fraction is None
    # Against a baseline with a cost, the fraction is there.
    ws.update("ALPHA", budget="1100 EUR")
    assert ws.compare_baselines("ALPHA", 1).cost_fraction == Decimal("0.1")
