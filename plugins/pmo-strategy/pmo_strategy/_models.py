"""The built-in scoring models: alignment, weighted criteria, WSJF, NPV, IRR, risk-adjusted NPV.

Each is a :class:`~pmo_core.PmoScoringModel` whose ``score`` turns a
:class:`~pmo_core.ScoringRequest` into a :class:`~pmo_core.Score` (a Decimal value and a
one-line explanation) per proposal; the core checks what they return.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import (
    Alignment,
    Entity,
    InvalidInputError,
    Objective,
    PmoScoringModel,
    Score,
    ScoringRequest,
)

from ._fields import strategy_fields
from ._finance import flow_currency, irr, npv
from ._selection_settings import SelectionSettings


class StrategySettings(BaseModel):
    """``[settings.strategy]``: what the scoring models read.

    ``criteria`` are the weights of the weighted-criteria model by criterion name
    (``[settings.strategy.criteria]``); ``discount_rate`` the yearly rate NPV and
    risk-adjusted value discount with (0.08 for 8 %); ``currency`` the currency cash flows
    must be in (empty: the currency of the first proposal's flows); ``selection`` the
    defaults of portfolio selection (``[settings.strategy.selection]``,
    :class:`~pmo_strategy.SelectionSettings`).

    Example::

        StrategySettings(criteria={"customer": 3, "compliance": 1}, discount_rate="0.08")
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    criteria: dict[str, Decimal] = Field(
        default_factory=dict, description="The weighted-criteria model's weight of each criterion."
    )
    discount_rate: Decimal = Field(
        default=Decimal("0.08"),
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="The yearly rate NPV and risk-adjusted value discount with (0.08: 8 %).",
    )
    currency: str = Field(
        default="", description="The currency of cash flows (empty: the first proposal's)."
    )
    selection: SelectionSettings = Field(
        default_factory=SelectionSettings, description="The defaults of portfolio selection."
    )


def _settings(request: ScoringRequest) -> StrategySettings:
    if isinstance(request.settings, StrategySettings):
        return request.settings
    return StrategySettings()


def _d(value: float) -> Decimal:
    # Scores are typed in as decimals; str() keeps 0.1 as 0.1, not its binary neighbour.
    return Decimal(str(value))


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _trim(value: Decimal) -> Decimal:
    # 1.0 x 0.8 is 0.80: shown as 0.8, as it was typed.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _pct(rate: Decimal) -> str:
    return f"{_fmt(rate * 100)} %"


def score_alignment(request: ScoringRequest) -> dict[str, Score]:
    """Sum over the objectives a project serves of the objective's weight times the
    alignment's weight.

    Example::

        score_alignment(request)["CRM"].explanation  # 'Grow 2 x 0.8 + Save 0.5 x 1 = 2.1'
    """
    view = request.view
    objectives = {o.id: o for o in view.records(Objective)}
    wanted = {p.id for p in request.proposals}
    terms: dict[str, list[tuple[Objective, Decimal]]] = {key: [] for key in wanted}
    for a in sorted(view.records(Alignment), key=lambda a: a.id):
        if a.project in wanted and a.objective in objectives:
            terms[a.project].append((objectives[a.objective], _d(a.weight)))
    out = {}
    for p in request.proposals:
        parts = sorted(terms[p.id], key=lambda t: (t[0].name.casefold(), t[0].id))
        value = _trim(sum((_d(o.weight) * w for o, w in parts), Decimal(0)))
        if not parts:
            out[p.id] = Score(value, "aligned to no objective")
            continue
        sums = " + ".join(f"{o.name} {_fmt(_d(o.weight))} x {_fmt(w)}" for o, w in parts)
        out[p.id] = Score(value, f"{sums} = {_fmt(value)}")
    return out


def score_weighted(request: ScoringRequest) -> dict[str, Score]:
    """The weighted mean of the criteria scores: ``sum(w * s) / sum(w)`` over the criteria
    of ``[settings.strategy.criteria]``; a criterion a proposal has no score for counts 0.

    Example::

        score_weighted(request)["CRM"].explanation  # 'customer 3 x 8 + compliance 1 x 3 ...'
    """
    weights = _settings(request).criteria
    total = sum(weights.values(), Decimal(0))
    if not weights or total <= 0:
        raise InvalidInputError(
            "no criteria weights: set them in [settings.strategy.criteria] "
            "(e.g. customer = 3), with a positive total",
            where="[settings.strategy.criteria]",
        )
    out = {}
    for p in request.proposals:
        scores = strategy_fields(p).criteria
        parts = [
            (name, w, _d(scores[name]) if name in scores else None)
            for name, w in sorted(weights.items())
        ]
        value = sum((w * (s or 0) for _, w, s in parts), Decimal(0)) / total
        terms = " + ".join(
            f"{name} {_fmt(w)} x {'0 (no score)' if s is None else _fmt(s)}" for name, w, s in parts
        )
        out[p.id] = Score(value, f"({terms}) / {_fmt(total)} = {_fmt(value)}")
    return out


def score_wsjf(request: ScoringRequest) -> dict[str, Score]:
    """SAFe's weighted shortest job first: (business value + time criticality + risk
    reduction) / job size; 0 for a proposal without WSJF inputs, saying so.

    Example::

        score_wsjf(request)["CRM"].explanation  # 'WSJF (8 + 5 + 3) / 4 = 4'
    """
    out = {}
    for p in request.proposals:
        w = strategy_fields(p).wsjf
        if w is None:
            out[p.id] = Score(Decimal(0), "no WSJF inputs (set them with --wsjf)")
            continue
        bv, tc, rr, size = (
            _d(x) for x in (w.business_value, w.time_criticality, w.risk_reduction, w.job_size)
        )
        value = (bv + tc + rr) / size
        out[p.id] = Score(
            value, f"WSJF ({_fmt(bv)} + {_fmt(tc)} + {_fmt(rr)}) / {_fmt(size)} = {_fmt(value)}"
        )
    return out


def _currency(request: ScoringRequest) -> str | None:
    # One currency across every proposal: values in two currencies cannot be ranked.
    currency = _settings(request).currency or None
    for p in request.proposals:
        flows = strategy_fields(p).cash_flows
        if flows:
            currency = flow_currency(flows, f"{p.id} cash_flows", currency)
    return currency


def _npv_of(p: Entity, rate: Decimal) -> tuple[Decimal, str]:
    flows = strategy_fields(p).cash_flows
    if not flows:
        return Decimal(0), "no cash flows (set them with --cash-flow)"
    value = npv(flows, rate)
    currency = next(iter(flows.values())).currency
    years = sorted(flows)
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return value, f"NPV at {_pct(rate)} of the {span} cash flows = {value} {currency}"


def score_npv(request: ScoringRequest) -> dict[str, Score]:
    """Net present value of the yearly cash flows at ``discount_rate``, the first year
    undiscounted; 0 for a proposal without cash flows, saying so.

    Example::

        score_npv(request)["CRM"].explanation  # 'NPV at 8 % of the 2026-2028 cash flows = ...'
    """
    rate = _settings(request).discount_rate
    _currency(request)
    return {p.id: Score(*_npv_of(p, rate)) for p in request.proposals}


def score_irr(request: ScoringRequest) -> dict[str, Score]:
    """Internal rate of return of the yearly cash flows, in percent; 0 with the reason when
    there is none (flows that never change sign, no cash flows).

    Example::

        score_irr(request)["CRM"].explanation  # 'IRR of the 2026-2028 cash flows = 13.07 %'
    """
    _currency(request)
    out = {}
    for p in request.proposals:
        flows = strategy_fields(p).cash_flows
        if not flows:
            out[p.id] = Score(Decimal(0), "no cash flows (set them with --cash-flow)")
            continue
        found = irr(flows)
        if found.rate is None:
            out[p.id] = Score(Decimal(0), found.reason)
            continue
        percent = (found.rate * 100).quantize(Decimal("0.01"))
        years = sorted(flows)
        out[p.id] = Score(percent, f"IRR of the {years[0]}-{years[-1]} cash flows = {percent} %")
    return out


def score_risk_adjusted(request: ScoringRequest) -> dict[str, Score]:
    """NPV (as ``npv``) times the probability of success, rounded to the cent; a proposal
    with no ``success_probability`` counts as certain (1), and the explanation says so.

    Example::

        score_risk_adjusted(request)["CRM"].explanation  # 'NPV 63.10 EUR x 0.5 = 31.55 EUR'
    """
    rate = _settings(request).discount_rate
    _currency(request)
    out = {}
    for p in request.proposals:
        fields = strategy_fields(p)
        base, why = _npv_of(p, rate)
        if not fields.cash_flows:
            out[p.id] = Score(Decimal(0), why)
            continue
        currency = next(iter(fields.cash_flows.values())).currency
        if fields.success_probability is None:
            out[p.id] = Score(
                base, f"NPV {base} {currency} x 1 (no success probability) = {base} {currency}"
            )
            continue
        chance = _d(fields.success_probability)
        value = (base * chance).quantize(Decimal("0.01"))
        out[p.id] = Score(value, f"NPV {base} {currency} x {_fmt(chance)} = {value} {currency}")
    return out


def scoring_models() -> Iterator[PmoScoringModel]:
    """The built-in models, as ``pmo_scoring_models`` yields them.

    Example::

        [m.name for m in scoring_models()]  # ['alignment', 'weighted', 'wsjf', ...]
    """
    yield PmoScoringModel(
        name="alignment",
        summary="Objective weight x alignment weight, summed over the objectives served.",
        score=score_alignment,
        unit="points",
    )
    yield PmoScoringModel(
        name="weighted",
        summary="Weighted mean of criteria scores, weights from [settings.strategy.criteria].",
        score=score_weighted,
        settings="strategy",
        unit="points",
    )
    yield PmoScoringModel(
        name="wsjf",
        summary="WSJF: (business value + time criticality + risk reduction) / job size.",
        score=score_wsjf,
        unit="points",
    )
    yield PmoScoringModel(
        name="npv",
        summary="Net present value of the yearly cash flows at the discount rate.",
        score=score_npv,
        settings="strategy",
        unit="money",
    )
    yield PmoScoringModel(
        name="irr",
        summary="Internal rate of return of the yearly cash flows, in percent.",
        score=score_irr,
        settings="strategy",
        unit="%",
    )
    yield PmoScoringModel(
        name="risk-adjusted",
        summary="NPV x probability of success.",
        score=score_risk_adjusted,
        settings="strategy",
        unit="money",
    )
