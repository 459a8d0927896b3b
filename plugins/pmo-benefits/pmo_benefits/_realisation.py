"""Realisation of a benefit: the planned value on a day, realisation against the target and
against the plan, and whether the benefit is at risk. Pure functions over records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import Benefit, BenefitMeasurement

HUNDRED = Decimal(100)


class BenefitRiskSettings(BaseModel):
    """Thresholds of the rule ``benefit-at-risk``, in percent of the planned change.

    A benefit is at risk when its measured change is *below* ``at_risk_below`` % of the change
    planned by the day it was measured (exactly at the threshold is not at risk). A dis-benefit
    is at risk when its measured change is *above* ``dis_benefit_above`` % of the planned one
    (it grows bigger than the organisation expected to bear). With ``measure_every_days``, a
    benefit whose last measurement (or, never measured, its baseline) is more than that many
    days old is at risk too: nobody knows where it stands (off by default).

    Example::

        # pmo.toml
        # [governance.rules.benefit-at-risk]
        # at_risk_below = 90
        BenefitRiskSettings(at_risk_below=Decimal(90)).dis_benefit_above  # Decimal("120")
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    at_risk_below: Decimal = Field(
        default=Decimal(80),
        ge=0,
        allow_inf_nan=False,
        description="A benefit is at risk below this % of its planned change.",
    )
    dis_benefit_above: Decimal = Field(
        default=Decimal(120),
        ge=0,
        allow_inf_nan=False,
        description="A dis-benefit is at risk above this % of its planned change.",
    )
    measure_every_days: int | None = Field(
        default=None,
        ge=1,
        description="A benefit not measured for more days is at risk (None: off).",
    )


def planned_value(benefit: Benefit, on: date) -> Decimal:
    """The value the benefit's measure should have on ``on``: the baseline until
    ``baseline_on``, the target from ``target_on``, a straight line between two points of the
    profile in between.

    Example::

        planned_value(benefit, date(2026, 7, 2))  # Decimal("10") half-way from 12 to 8
    """
    points = [
        (benefit.baseline_on, benefit.baseline),
        *((p.on, p.value) for p in benefit.profile),
        (benefit.target_on, benefit.target),
    ]
    if on <= points[0][0]:
        return benefit.baseline
    for (start, low), (end, high) in pairwise(points):
        if on <= end:
            elapsed = Decimal((on - start).days)
            span = Decimal((end - start).days)
            return low + (high - low) * elapsed / span
    return benefit.target


def _percent(change: Decimal, planned: Decimal) -> Decimal | None:
    return None if planned == 0 else change * HUNDRED / planned


@dataclass(frozen=True)
class Realisation:
    """How far a benefit is realised on ``on`` by its latest measurement on or before it.

    ``actual`` is that measurement's value (``None``: not measured yet) and ``measured_on`` its
    date; ``planned`` the planned value on ``measured_on``. ``of_target`` is
    ``(actual - baseline) / (target - baseline)`` in percent; ``of_plan`` is
    ``(actual - baseline) / (planned - baseline)`` in percent, ``None`` while the plan has not
    moved from the baseline (nothing planned yet to compare with). ``at_risk`` applies the
    thresholds of :class:`BenefitRiskSettings` (a measurement older than its
    ``measure_every_days`` puts the benefit at risk too); ``reason`` says why, or why not.

    Example::

        r = realisation(benefit, measurements, date(2026, 7, 2))
        r.of_target, r.of_plan, r.at_risk  # Decimal("25"), Decimal("50"), True
    """

    benefit: Benefit
    on: date
    actual: Decimal | None
    measured_on: date | None
    planned: Decimal | None
    of_target: Decimal | None
    of_plan: Decimal | None
    at_risk: bool
    reason: str


def latest_measurement(
    measurements: Sequence[BenefitMeasurement], on: date
) -> BenefitMeasurement | None:
    """The latest measurement taken on or before ``on``.

    Example::

        latest_measurement(measurements, date(2026, 6, 30)).value  # Decimal("11")
    """
    found = [m for m in measurements if m.on <= on]
    return max(found, key=lambda m: m.on) if found else None


def realisation(
    benefit: Benefit,
    measurements: Sequence[BenefitMeasurement],
    on: date,
    settings: BenefitRiskSettings | None = None,
) -> Realisation:
    """Measure ``benefit`` on ``on`` from its ``measurements`` (of this benefit, in the order
    they were written) against ``settings`` (the defaults when ``None``).

    Example::

        realisation(benefit, view_measurements, date(2026, 7, 2)).of_plan  # Decimal("50")
    """
    limits = settings or BenefitRiskSettings()
    latest = latest_measurement(measurements, on)
    found = _measured(benefit, latest, on, limits)
    stale = _stale(benefit, latest, on, limits)
    if stale is None:
        return found
    reason = stale if latest is None else f"{found.reason}; {stale}"
    return replace(found, at_risk=True, reason=reason)


def _stale(
    benefit: Benefit, latest: BenefitMeasurement | None, on: date, limits: BenefitRiskSettings
) -> str | None:
    every = limits.measure_every_days
    last = benefit.baseline_on if latest is None else latest.on
    if every is None or (on - last).days <= every:
        return None
    since = "the baseline" if latest is None else "the last measurement"
    return f"not measured for {(on - last).days} days since {since} on {last}, over {every}"


def _measured(
    benefit: Benefit,
    latest: BenefitMeasurement | None,
    on: date,
    limits: BenefitRiskSettings,
) -> Realisation:
    if latest is None:
        return Realisation(benefit, on, None, None, None, None, None, False, "not measured yet")
    change = latest.value - benefit.baseline
    planned = planned_value(benefit, latest.on)
    of_target = _percent(change, benefit.target - benefit.baseline)
    of_plan = _percent(change, planned - benefit.baseline)
    if of_plan is None:
        return Realisation(
            benefit,
            on,
            latest.value,
            latest.on,
            planned,
            of_target,
            None,
            False,
            f"nothing planned yet on {latest.on}",
        )
    shown = f"{of_plan.quantize(Decimal('0.1'))} % of the change planned by {latest.on}"
    if benefit.dis_benefit:
        at_risk = of_plan > limits.dis_benefit_above
        reason = (
            f"dis-benefit at {shown}, above {limits.dis_benefit_above} %"
            if at_risk
            else f"dis-benefit at {shown}, within {limits.dis_benefit_above} %"
        )
    else:
        at_risk = of_plan < limits.at_risk_below
        reason = (
            f"realised {shown}, below {limits.at_risk_below} %"
            if at_risk
            else f"realised {shown}, at or above {limits.at_risk_below} %"
        )
    return Realisation(
        benefit, on, latest.value, latest.on, planned, of_target, of_plan, at_risk, reason
    )
