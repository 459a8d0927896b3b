"""Realisation against target and plan, and the at-risk flag, against figures computed by hand:
the plan's straight lines, thresholds hit exactly, just below and just above, reductions,
dis-benefits in both directions, other units, and the cases with nothing to compare."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pmo_benefits import BenefitRiskSettings, latest_measurement, planned_value, realisation
from pydantic import ValidationError

from pmo_core import Benefit, BenefitMeasurement, BenefitPoint

START = date(2026, 1, 1)


def day(n: int) -> date:
    """Day ``n`` of the plan (day 0 is the baseline's, day 100 the target's)."""
    return START + timedelta(days=n)


def benefit(
    baseline: str = "100",
    target: str = "200",
    *,
    dis_benefit: bool = False,
    unit: str = "orders/week",
    profile: tuple[BenefitPoint, ...] = (),
) -> Benefit:
    return Benefit(
        name="More orders",
        measure="Orders",
        unit=unit,
        baseline=Decimal(baseline),
        baseline_on=day(0),
        target=Decimal(target),
        target_on=day(100),
        profile=profile,
        dis_benefit=dis_benefit,
    )


def measured(b: Benefit, value: str, n: int = 50, *, settings: BenefitRiskSettings | None = None):  # type: ignore[no-untyped-def]
    m = BenefitMeasurement(benefit=b.id, on=day(n), value=Decimal(value))
    return realisation(b, [m], day(n), settings)


# --- the plan -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [(-1, "100"), (0, "100"), (1, "101"), (50, "150"), (99, "199"), (100, "200"), (101, "200")],
)
def test_the_plan_is_a_straight_line_from_baseline_to_target(n: int, expected: str) -> None:
    assert planned_value(benefit(), day(n)) == Decimal(expected)


@pytest.mark.parametrize(
    ("n", "expected"), [(10, "140"), (20, "180"), (21, "180.25"), (60, "190"), (100, "200")]
)
def test_the_plan_goes_through_the_profile(n: int, expected: str) -> None:
    b = benefit(profile=(BenefitPoint(on=day(20), value=Decimal(180)),))
    assert planned_value(b, day(n)) == Decimal(expected)


def test_a_reduction_plans_downwards() -> None:
    assert planned_value(benefit("12", "8"), day(50)) == Decimal(10)
    assert planned_value(benefit("12", "8"), day(25)) == Decimal(11)


# --- realisation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "of_target", "of_plan"),
    [("150", "50", "100"), ("140", "40", "80"), ("250", "150", "300"), ("90", "-10", "-20")],
)
def test_realisation_against_target_and_plan(actual: str, of_target: str, of_plan: str) -> None:
    r = measured(benefit(), actual)  # on day 50 the plan is 150: a change of 50 of 100
    assert r.actual == Decimal(actual)
    assert r.measured_on == day(50)
    assert r.planned == Decimal(150)
    assert r.of_target == Decimal(of_target)
    assert r.of_plan == Decimal(of_plan)


@pytest.mark.parametrize(
    ("actual", "at_risk"),
    [("140", False), ("139.99", True), ("140.01", False), ("0", True), ("150", False)],
)
def test_a_benefit_is_at_risk_below_80_percent_of_plan(actual: str, at_risk: bool) -> None:
    r = measured(benefit(), actual)
    assert r.at_risk is at_risk
    assert ("below 80 %" in r.reason) is at_risk


def test_the_at_risk_reason_names_the_figure() -> None:
    assert measured(benefit(), "139.99").reason == (
        "realised 80.0 % of the change planned by 2026-02-20, below 80 %"
    )
    assert measured(benefit(), "140").reason == (
        "realised 80.0 % of the change planned by 2026-02-20, at or above 80 %"
    )


@pytest.mark.parametrize(
    ("actual", "of_plan", "at_risk"),
    [("10.4", "80", False), ("10.41", "79.5", True), ("10.39", "80.5", False), ("12", "0", True)],
)
def test_a_reduction_in_another_unit(actual: str, of_plan: str, at_risk: bool) -> None:
    # Cost per invoice from 12 EUR to 8 EUR: by day 50 the plan is 10, a change of -2.
    r = measured(benefit("12", "8", unit="EUR"), actual)
    assert r.planned == Decimal(10)
    assert r.of_plan == Decimal(of_plan)
    assert r.at_risk is at_risk


@pytest.mark.parametrize(
    ("actual", "at_risk"), [("12000", False), ("12000.01", True), ("11999.99", False)]
)
def test_a_dis_benefit_is_at_risk_above_120_percent_of_plan(actual: str, at_risk: bool) -> None:
    # Licence fees from 0 to 20000 EUR a year: by day 50 the plan is 10000.
    r = measured(benefit("0", "20000", dis_benefit=True, unit="EUR"), actual)
    assert r.at_risk is at_risk
    # A small dis-benefit is never at risk: the direction is reversed.
    assert not measured(benefit("0", "20000", dis_benefit=True), "0").at_risk


@pytest.mark.parametrize(
    ("actual", "of_plan", "at_risk"),
    [("7.4", "120", False), ("7.39", "122", True), ("7.41", "118", False)],
)
def test_a_dis_benefit_that_falls(actual: str, of_plan: str, at_risk: bool) -> None:
    # Staff satisfaction expected to fall from 8 to 7 points: by day 50 to 7.5.
    r = measured(benefit("8", "7", dis_benefit=True, unit="points"), actual)
    assert r.of_plan == Decimal(of_plan)
    assert r.at_risk is at_risk
    assert ("above 120 %" in r.reason) is at_risk


def test_the_thresholds_come_from_settings() -> None:
    strict = BenefitRiskSettings(at_risk_below=Decimal(90), dis_benefit_above=Decimal(100))
    assert measured(benefit(), "145", settings=strict).at_risk is False  # 90 %: at the limit
    assert measured(benefit(), "144.99", settings=strict).at_risk is True
    assert measured(benefit(), "140", settings=strict).at_risk is True  # 80 %: fine by default
    fees = benefit("0", "20000", dis_benefit=True)
    assert measured(fees, "10000", settings=strict).at_risk is False
    assert measured(fees, "10000.01", settings=strict).at_risk is True


def test_nothing_measured_is_not_at_risk() -> None:
    r = realisation(benefit(), [], day(50))
    assert (r.actual, r.of_target, r.of_plan, r.at_risk) == (None, None, None, False)
    assert r.reason == "not measured yet"


def test_a_measurement_on_the_baseline_day_has_no_plan_to_compare() -> None:
    r = measured(benefit(), "90", n=0)
    assert r.of_plan is None
    assert not r.at_risk
    assert r.of_target == Decimal(-10)
    assert r.reason == "nothing planned yet on 2026-01-01"


def test_the_latest_measurement_on_or_before_the_day_counts() -> None:
    b = benefit()
    taken = [
        BenefitMeasurement(benefit=b.id, on=day(50), value=Decimal(150)),
        BenefitMeasurement(benefit=b.id, on=day(10), value=Decimal(105)),
        BenefitMeasurement(benefit=b.id, on=day(60), value=Decimal(100)),
    ]
    assert latest_measurement(taken, day(9)) is None
    assert latest_measurement(taken, day(10)) is taken[1]
    assert latest_measurement(taken, day(59)) is taken[0]
    on_day_55 = realisation(b, taken, day(55))
    assert on_day_55.measured_on == day(50)
    assert not on_day_55.at_risk
    on_day_60 = realisation(b, taken, day(60))
    assert on_day_60.measured_on == day(60)
    assert on_day_60.at_risk


def test_a_benefit_needs_something_to_realise_and_dates_in_order() -> None:
    with pytest.raises(ValidationError, match="target must differ from baseline"):
        benefit("100", "100")
    with pytest.raises(ValidationError, match="is not after baseline_on"):
        Benefit(name="x", measure="m", baseline=Decimal(1), baseline_on=day(5),
                target=Decimal(2), target_on=day(5))  # fmt: skip
    for points in ((day(100),), (day(0),), (day(30), day(20)), (day(20), day(20))):
        with pytest.raises(ValidationError, match="profile dates"):
            benefit(profile=tuple(BenefitPoint(on=p, value=Decimal(150)) for p in points))
    with pytest.raises(ValidationError):
        BenefitRiskSettings(at_risk_below=Decimal(-1))


@pytest.mark.parametrize(("n", "stale"), [(79, False), (80, False), (81, True)])
def test_a_measurement_older_than_measure_every_days_is_at_risk(n: int, stale: bool) -> None:
    every = BenefitRiskSettings(measure_every_days=30)
    b = benefit()
    taken = [BenefitMeasurement(benefit=b.id, on=day(50), value=Decimal(150))]  # on plan
    r = realisation(b, taken, day(n), every)
    assert r.at_risk is stale
    assert r.of_plan == Decimal(100)
    if stale:
        assert r.reason == (
            "realised 100.0 % of the change planned by 2026-02-20, at or above 80 %; "
            f"not measured for {n - 50} days since the last measurement on 2026-02-20, over 30"
        )
    assert not realisation(b, taken, day(n)).at_risk  # off by default


@pytest.mark.parametrize(("n", "stale"), [(30, False), (31, True)])
def test_never_measured_counts_from_the_baseline(n: int, stale: bool) -> None:
    r = realisation(benefit(), [], day(n), BenefitRiskSettings(measure_every_days=30))
    assert r.at_risk is stale
    assert r.reason == (
        f"not measured for {n} days since the baseline on 2026-01-01, over 30"
        if stale
        else "not measured yet"
    )
    with pytest.raises(ValidationError):
        BenefitRiskSettings(measure_every_days=0)
