from __future__ import annotations

from decimal import Decimal

import pmo_strategy
import pytest

from pmo_core import Alignment, InvalidInputError, Money, Objective, Workspace


def test_strategy_fields_are_typed_custom_fields() -> None:
    with Workspace.in_memory(plugins={"strategy": pmo_strategy}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        ws.create(
            "project",
            id="CRM",
            name="CRM",
            parent="PF",
            lifecycle="proposed",
            custom_fields={"strategy": {"mandatory": True, "costs": {"2026": "400000 EUR"}}},
        )
        fields = pmo_strategy.strategy_fields(ws.view().entity("CRM"))
        assert fields.mandatory is True
        assert fields.costs == {2026: Money.parse("400000 EUR")}
        with pytest.raises(InvalidInputError, match="job_size"):
            ws.update(
                "CRM",
                custom_fields={
                    "strategy": {
                        "wsjf": {
                            "business_value": 1,
                            "time_criticality": 1,
                            "risk_reduction": 1,
                            "job_size": 0,
                        }
                    }
                },
            )
        assert pmo_strategy.strategy_fields(ws.view().entity("CRM")).mandatory is True


def test_wsjf_score_is_cost_of_delay_over_job_size() -> None:
    assert (
        pmo_strategy.Wsjf(business_value=8, time_criticality=5, risk_reduction=3, job_size=4).score
        == 4.0
    )


def test_alignment_value_is_objective_weight_times_alignment_weight() -> None:
    with Workspace.in_memory(plugins={"strategy": pmo_strategy}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        for key in ("A", "B"):
            ws.create("project", id=key, name=key, parent="PF", lifecycle="proposed")
        grow = ws.add(Objective(portfolio="PF", name="Grow", weight=2.0))
        save = ws.add(Objective(portfolio="PF", name="Save", weight=0.5))
        ws.add(Alignment(project="A", objective=grow.id, weight=0.8))
        ws.add(Alignment(project="A", objective=save.id, weight=1.0))
        values = pmo_strategy.proposal_values(ws, ["A", "B"])
        assert values == {"A": Decimal("2.1"), "B": Decimal(0)}
        with pytest.raises(InvalidInputError, match="no scoring model 'npx'"):
            pmo_strategy.proposal_values(ws, ["A"], "npx")
