"""The built-in scoring models, through ``Workspace.score`` and ``proposal_values``, against
figures computed by hand; a third-party model that fails is named, never ranked."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pmo_strategy
import pytest

from pmo_core import (
    Alignment,
    InvalidInputError,
    Objective,
    PluginError,
    PmoScoringModel,
    Score,
    ScoringRequest,
    Workspace,
    hookimpl,
)

SETTINGS = {"strategy": {"criteria": {"customer": 3, "compliance": 1}, "discount_rate": "0.1"}}


def make(settings: dict[str, Any] | None = None, **plugins: object) -> Workspace:
    ws = Workspace.in_memory(
        plugins={"strategy": pmo_strategy, **plugins},
        settings=SETTINGS if settings is None else settings,
    )
    ws.create("portfolio", id="PF", name="Acme")
    return ws


def proposal(ws: Workspace, key: str, **strategy: Any) -> None:
    ws.create(
        "project",
        id=key,
        name=key,
        parent="PF",
        lifecycle="proposed",
        custom_fields={"strategy": strategy},
    )


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with make() as ws:
        yield ws


def test_the_built_in_models_are_registered(ws: Workspace) -> None:
    models = {m.name: m for m in ws.host.records(PmoScoringModel)}
    assert sorted(models) == ["alignment", "irr", "npv", "risk-adjusted", "weighted", "wsjf"]
    assert {m.plugin for m in models.values()} == {"strategy"}
    assert models["weighted"].settings == "strategy"


def test_alignment_explains_each_term(ws: Workspace) -> None:
    proposal(ws, "A")
    proposal(ws, "B")
    grow = ws.add(Objective(portfolio="PF", name="Grow", weight=2.0))
    save = ws.add(Objective(portfolio="PF", name="Save", weight=0.5))
    ws.add(Alignment(project="A", objective=grow.id, weight=0.8))
    ws.add(Alignment(project="A", objective=save.id, weight=1.0))
    scores = ws.score("alignment", ["A", "B"])
    assert scores["A"] == Score(Decimal("2.1"), "Grow 2 x 0.8 + Save 0.5 x 1 = 2.1")
    assert scores["B"] == Score(Decimal(0), "aligned to no objective")


def test_weighted_is_the_weighted_mean_of_criteria_scores(ws: Workspace) -> None:
    proposal(ws, "A", criteria={"customer": 8, "compliance": 3})
    proposal(ws, "B", criteria={"customer": 2})
    proposal(ws, "C", criteria={"customer": 2, "other": 10})
    scores = ws.score("weighted", ["A", "B", "C"])
    # (3 x 8 + 1 x 3) / 4 = 6.75; a missing score counts 0: 3 x 2 / 4 = 1.5; criteria
    # without a weight are ignored.
    assert scores["A"].value == Decimal("6.75")
    assert scores["A"].explanation == "(compliance 1 x 3 + customer 3 x 8) / 4 = 6.75"
    assert scores["B"].value == Decimal("1.5")
    assert "compliance 1 x 0 (no score)" in scores["B"].explanation
    assert scores["C"].value == Decimal("1.5")


@pytest.mark.parametrize("criteria", [{}, {"customer": 0}])
def test_weighted_without_positive_weights_names_the_settings(criteria: dict[str, int]) -> None:
    with make({"strategy": {"criteria": criteria}}) as ws:
        proposal(ws, "A", criteria={"customer": 8})
        with pytest.raises(InvalidInputError, match="no criteria weights") as caught:
            ws.score("weighted", ["A"])
        assert caught.value.where == "[settings.strategy.criteria]"


def test_wsjf_is_cost_of_delay_over_job_size(ws: Workspace) -> None:
    proposal(ws, "A", wsjf={"business_value": 8, "time_criticality": 5, "risk_reduction": 3,
                            "job_size": 4})  # fmt: skip
    proposal(ws, "B", wsjf={"business_value": 1, "time_criticality": 0, "risk_reduction": 0,
                            "job_size": 3})  # fmt: skip
    proposal(ws, "C")
    scores = ws.score("wsjf", ["A", "B", "C"])
    assert scores["A"] == Score(Decimal(4), "WSJF (8 + 5 + 3) / 4 = 4")
    assert scores["B"].value == Decimal(1) / Decimal(3)
    assert scores["C"] == Score(Decimal(0), "no WSJF inputs (set them with --wsjf)")


def test_npv_uses_the_discount_rate_of_the_settings(ws: Workspace) -> None:
    proposal(ws, "A", cash_flows={"2026": "-100 EUR", "2027": "110 EUR", "2028": "121 EUR"})
    proposal(ws, "B")
    scores = ws.score("npv", ["A", "B"])
    # -100 + 110 / 1.1 + 121 / 1.21 = 100
    assert scores["A"] == Score(
        Decimal("100.00"), "NPV at 10 % of the 2026-2028 cash flows = 100.00 EUR"
    )
    assert scores["B"] == Score(Decimal(0), "no cash flows (set them with --cash-flow)")
    with make({"strategy": {"discount_rate": "0"}}) as zero:
        proposal(zero, "A", cash_flows={"2026": "-100 EUR", "2027": "110 EUR"})
        assert zero.score("npv", ["A"])["A"].value == Decimal("10.00")
    with make({}) as default:
        proposal(default, "A", cash_flows={"2026": "-100 EUR", "2027": "108 EUR"})
        assert default.score("npv", ["A"])["A"].value == Decimal("0.00")  # 8 % by default


def test_proposals_in_different_currencies_are_not_ranked(ws: Workspace) -> None:
    proposal(ws, "A", cash_flows={"2026": "-100 EUR", "2027": "110 EUR"})
    proposal(ws, "B", cash_flows={"2026": "-100 USD", "2027": "110 USD"})
    for model in ("npv", "irr", "risk-adjusted"):
        with pytest.raises(InvalidInputError, match="cash flow 2026 is in USD, not EUR") as caught:
            ws.score(model, ["A", "B"])
        assert caught.value.where == "B cash_flows"
        assert f"scoring model {model!r}" in caught.value.message
    assert ws.score("npv", ["B"])["B"].value == Decimal("0.00")
    with make({"strategy": {"currency": "CHF"}}) as chf:
        proposal(chf, "A", cash_flows={"2026": "-100 EUR"})
        with pytest.raises(InvalidInputError, match="is in EUR, not CHF"):
            chf.score("npv", ["A"])


def test_irr_in_percent_or_zero_with_the_reason(ws: Workspace) -> None:
    proposal(ws, "A", cash_flows={"2026": "-100 EUR", "2027": "60 EUR", "2028": "60 EUR"})
    proposal(ws, "B", cash_flows={"2026": "100 EUR", "2027": "100 EUR"})
    proposal(ws, "C")
    scores = ws.score("irr", ["A", "B", "C"])
    assert scores["A"] == Score(Decimal("13.07"), "IRR of the 2026-2028 cash flows = 13.07 %")
    assert scores["B"] == Score(Decimal(0), "no IRR: the cash flows never change sign")
    assert scores["C"].value == Decimal(0)


def test_risk_adjusted_is_npv_times_the_probability_of_success(ws: Workspace) -> None:
    flows = {"2026": "-100 EUR", "2027": "110 EUR", "2028": "121 EUR"}  # NPV 100 at 10 %
    proposal(ws, "A", cash_flows=flows, success_probability=0.35)
    proposal(ws, "B", cash_flows=flows)
    proposal(ws, "C", cash_flows=flows, success_probability=0)
    proposal(ws, "D", cash_flows=flows, success_probability=1)
    scores = ws.score("risk-adjusted", ["A", "B", "C", "D"])
    assert scores["A"] == Score(Decimal("35.00"), "NPV 100.00 EUR x 0.35 = 35.00 EUR")
    assert scores["B"] == Score(
        Decimal("100.00"), "NPV 100.00 EUR x 1 (no success probability) = 100.00 EUR"
    )
    assert scores["C"].value == Decimal(0)
    assert scores["D"].value == Decimal("100.00")


def test_proposal_values_is_the_single_entry_point(ws: Workspace) -> None:
    proposal(ws, "A", cash_flows={"2026": "-100 EUR", "2027": "121 EUR"})
    assert pmo_strategy.proposal_values(ws, ["A"], "npv") == {"A": Decimal("10.00")}
    with pytest.raises(InvalidInputError, match="no scoring model 'npx'") as caught:
        pmo_strategy.proposal_values(ws, ["A"], "npx")
    assert caught.value.where == "--model"
    assert pmo_strategy.proposal_values(ws, ["A"], "npv", view=ws.view()) == {"A": Decimal("10.00")}


class Broken:
    @hookimpl
    def pmo_scoring_models(self) -> Iterator[PmoScoringModel]:
        def score(request: ScoringRequest) -> dict[str, Score]:
            raise ZeroDivisionError("division by zero")

        yield PmoScoringModel(name="broken", summary="Always fails.", score=score)


def test_a_raising_model_names_its_plugin_never_ranks() -> None:
    with make(broken=Broken()) as ws:
        proposal(ws, "A")
        with pytest.raises(PluginError) as caught:
            pmo_strategy.proposal_values(ws, ["A"], "broken")
        assert str(caught.value) == (
            "plugin 'broken': scoring model 'broken' failed: ZeroDivisionError: division by zero"
        )
        with pytest.raises(PluginError, match="plugin 'broken'"):
            ws.report("strategy-pipeline", "PF", options={"model": "broken"})


@pytest.mark.parametrize(("rate", "good"), [("0", True), ("1", True), ("1.01", False),
                                             ("-0.01", False), ("NaN", False)])  # fmt: skip
def test_the_discount_rate_is_between_0_and_1(rate: str, good: bool) -> None:
    with make({"strategy": {"discount_rate": rate}}) as ws:
        proposal(ws, "A", cash_flows={"2026": "-100 EUR", "2027": "200 EUR"})
        if good:
            # -100 + 200 / (1 + rate): 100 at 0 %, 0 at 100 %.
            expected = Decimal("100.00") if rate == "0" else Decimal("0.00")
            assert ws.score("npv", ["A"])["A"].value == expected
        else:
            with pytest.raises(InvalidInputError, match="discount_rate"):
                ws.score("npv", ["A"])


def test_a_proposal_at_exactly_zero_npv_ranks_by_key_with_its_equal() -> None:
    with make() as ws:
        proposal(ws, "B", cash_flows={"2026": "-100 EUR", "2027": "110 EUR"})  # 0 at 10 %
        proposal(ws, "A")  # no flows: 0
        proposal(ws, "C", cash_flows={"2026": "-100 EUR", "2027": "110.01 EUR"})  # just above
        proposal(ws, "D", cash_flows={"2026": "-100 EUR", "2027": "109.98 EUR"})  # just below
        from pmo_strategy._pipeline import ranked_pipeline

        rows = ranked_pipeline(ws.view(), "PF", "npv", lambda m, keys: ws.score(m, keys))
        assert [(r.entity.id, str(r.score.value)) for r in rows] == [
            ("C", "0.01"), ("A", "0"), ("B", "0.00"), ("D", "-0.02"),
        ]  # fmt: skip
