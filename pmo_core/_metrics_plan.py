"""The metrics beside earned value: the current plan against the basis (its BAC and PV and
their variances) and earned schedule on the basis's PV curve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ._earned_schedule import EarnedSchedule, earned_schedule
from ._evm import built_metric
from ._metrics_basis import Basis
from ._records import Metric

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def undefined_like(shapes: tuple[Metric, ...], reason: str) -> list[Metric]:
    """``shapes`` (metric names, formulas, units) with every value undefined, for ``reason``."""
    return [
        m.model_copy(
            update={"value": None, "inputs": {}, "rag": None, "source": f"undefined: {reason}"}
        )
        for m in shapes
    ]


def cents(value: Decimal | None) -> Decimal | None:
    """Money published to the cent."""
    return None if value is None else value.quantize(_CENT)


def plan_metrics(
    basis: str,
    bac: Decimal | None,
    pv: Decimal | None,
    bac_current: Decimal | None,
    pv_current: Decimal | None,
    currency: str,
    *,
    baselined: bool,
    finish: date | None = None,
    finish_current: date | None = None,
    unbaselined: Decimal | None = None,
    source: str = "",
) -> list[Metric]:
    """The current plan beside the basis: its BAC and PV, and (against a baseline) the
    variances ``BAC_current - BAC``, ``PV_current - PV`` and the finish's slip in days."""
    why = "" if baselined else f"undefined: no baseline ({basis})"

    def diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if not baselined or a is None or b is None else a - b

    days = (
        Decimal((finish_current - finish).days)
        if baselined and finish is not None and finish_current is not None
        else None
    )
    return [
        built_metric(
            name="bac_current",
            value=cents(bac_current),
            formula="sum of the live work items' budgets",
            inputs={"BAC_current": bac_current},
            unit=currency,
            source=source,
        ),
        built_metric(
            name="pv_current",
            value=cents(pv_current),
            formula="PV of the live work items (their budgets over their dates)",
            inputs={"PV_current": pv_current},
            unit=currency,
            source=source,
        ),
        built_metric(
            name="bac_variance",
            value=cents(diff(bac_current, bac)),
            formula="BAC_current - BAC",
            inputs={"BAC_current": bac_current, "BAC": bac} if baselined else {},
            unit=currency,
            source=why or f"basis: {basis}",
        ),
        built_metric(
            name="pv_variance",
            value=cents(diff(pv_current, pv)),
            formula="PV_current - PV",
            inputs={"PV_current": pv_current, "PV": pv} if baselined else {},
            unit=currency,
            source=why or f"basis: {basis}",
        ),
        built_metric(
            name="finish_variance",
            value=days,
            formula="finish_current - finish_baseline",
            inputs={
                "finish_current": finish_current.isoformat() if finish_current else None,
                "finish_baseline": finish.isoformat() if finish else None,
            }
            if baselined
            else {},
            unit="days",
            source=why or f"basis: {basis}",
        ),
        built_metric(
            name="unbaselined_budget",
            value=cents(unbaselined if baselined else None),
            formula="sum of the budgets of live work items outside the baseline",
            inputs={"unbaselined": unbaselined} if baselined else {},
            unit=currency,
            source=why or f"basis: {basis}",
        ),
    ]


def schedule_metrics(
    basis: Basis | None, ev: Decimal | None, on: date, why: str
) -> tuple[EarnedSchedule | None, list[Metric]]:
    """Earned schedule on the basis's PV curve (see :meth:`Basis.curve`)."""
    start, curve = basis.curve() if basis is not None else (None, [])
    if basis is None or ev is None or start is None:
        reason = why or "no dated plan to measure time against"
        shapes = earned_schedule([], _ZERO, on, on).metrics
        return None, undefined_like(shapes, reason)
    source = f"basis: {basis.basis}; PV curve of {len(curve)} points from {start}"
    result = earned_schedule(curve, ev, on, start, source=source)
    return result, list(result.metrics)
