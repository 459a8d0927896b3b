"""Earned value: worked examples computed by hand, undefined ratios, RAG rules, roll-up."""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmo_core._earned_schedule as earned_schedule_module
import pmo_core._evm as evm_module
from pmo_core._earned_schedule import earned_schedule
from pmo_core._errors import InvalidInputError
from pmo_core._evm import (
    FEMA_SOURCE,
    FEMA_THRESHOLDS,
    EvInputs,
    accumulate,
    earned_value,
    overall_rag,
    rag_achievement,
    rag_index,
    roll_up,
    worst,
)

D = Decimal
STATUS = date(2024, 6, 30)


def inputs(bac: int, pv: int, ev: int, ac: int, etc_bottom_up: Decimal | None = None) -> EvInputs:
    return EvInputs(D(bac), D(pv), D(ev), D(ac), STATUS, "EUR", etc_bottom_up)


def test_docstring_examples_are_correct() -> None:
    result = doctest.testmod(evm_module)
    assert result.attempted > 10
    assert result.failed == 0
    schedule = doctest.testmod(earned_schedule_module)
    assert schedule.attempted >= 5
    assert schedule.failed == 0


# ------------------------------------------------------------------ worked example


def test_worked_example_behind_and_over_budget() -> None:
    # BAC 1000, PV 500, EV 400, AC 500, by hand:
    # SV = 400-500 = -100; CV = 400-500 = -100; SV% = -100/500 = -20%; CV% = -100/400 = -25%
    # SPI = 400/500 = 0.8; CPI = 400/500 = 0.8; EAC = 1000/0.8 = 1250
    # EAC atypical = 500 + (1000-400) = 1100; EAC cpi*spi = 500 + 600/0.64 = 1437.50
    # ETC = 1250-500 = 750; VAC = 1000-1250 = -250
    # TCPI(BAC) = 600/(1000-500) = 1.2; TCPI(EAC) = 600/(1250-500) = 0.8
    result = earned_value(inputs(1000, 500, 400, 500))
    assert (result.bac, result.pv, result.ev, result.ac) == (D(1000), D(500), D(400), D(500))
    assert (result.sv, result.cv) == (D(-100), D(-100))
    assert (result.sv_pct, result.cv_pct) == (D("-20.00"), D("-25.00"))
    assert (result.spi, result.cpi) == (D("0.8"), D("0.8"))
    assert result.eac == result.eac_cpi == D("1250")
    assert result.eac_atypical == D("1100")
    assert result.eac_cpi_spi == D("1437.50")
    assert result.eac_bottom_up is None
    assert (result.etc, result.vac) == (D("750"), D("-250"))
    assert (result.tcpi_bac, result.tcpi_eac) == (D("1.2"), D("0.8"))
    assert result.metric("spi").rag == "red"
    assert result.metric("cpi").rag == "red"
    assert overall_rag(result) == "red"


def test_published_values_are_quantized() -> None:
    result = earned_value(inputs(1000, 500, 400, 500))
    assert str(result.spi) == "0.8000"
    assert str(result.eac) == "1250.00"
    assert str(result.sv_pct) == "-20.00"
    # 1000 / 3 = 333.333...; CPI 100/300 = 0.3333...; EAC 1000 / (1/3) = 3000
    odd = earned_value(inputs(1000, 300, 100, 300))
    assert str(odd.spi) == "0.3333"
    assert str(odd.eac) == "3000.00"


def test_rounding_is_half_even() -> None:
    # SPI = 1.00005 exactly: half-even keeps the even digit (1.0000), half-up would say 1.0001.
    assert earned_value(inputs(200000, 200000, 200010, 200000)).spi == D("1.0000")
    # SPI = 1.00015: the 4th place is odd, so it rounds up to the even 1.0002.
    assert str(earned_value(inputs(200000, 200000, 200030, 200000)).spi) == "1.0002"


def test_bottom_up_eac_only_when_given() -> None:
    with_etc = earned_value(inputs(1000, 500, 400, 500, etc_bottom_up=D(700)))
    assert with_etc.eac_bottom_up == D("1200")  # AC 500 + ETC 700
    assert with_etc.metric("eac_bottom_up").formula == "AC + ETC_bottom_up"
    assert with_etc.eac == D("1250")  # the headline stays the CPI estimate
    without = earned_value(inputs(1000, 500, 400, 500))
    assert "eac_bottom_up" not in {m.name for m in without.metrics}
    with pytest.raises(KeyError):
        without.metric("eac_bottom_up")


def test_metrics_carry_lineage() -> None:
    result = earned_value(inputs(1000, 500, 400, 500))
    names = [m.name for m in result.metrics]
    assert names == [
        "bac", "pv", "ev", "ac", "sv", "cv", "sv_pct", "cv_pct", "spi", "cpi", "eac",
        "eac_atypical", "eac_cpi", "eac_cpi_spi", "etc", "vac", "tcpi_bac", "tcpi_eac",
    ]  # fmt: skip
    spi = result.metric("spi")
    assert spi.formula == "EV / PV"
    assert spi.inputs == {"EV": D(400), "PV": D(500)}
    assert spi.unit == "ratio"
    assert spi.thresholds == FEMA_THRESHOLDS
    assert spi.source == FEMA_SOURCE == "FEMA program dashboard"
    mixed = result.metric("eac_cpi_spi")
    assert mixed.formula == "AC + (BAC - EV) / (CPI * SPI)"
    assert set(mixed.inputs) == {"AC", "BAC", "EV", "CPI", "SPI"}
    assert result.metric("eac").unit == "EUR"
    assert result.metric("cv_pct").unit == "%"
    # Only SPI and CPI are coloured.
    assert {m.name for m in result.metrics if m.rag is not None} == {"spi", "cpi"}


def test_lineage_holds_unrounded_inputs_so_values_can_be_rederived() -> None:
    result = earned_value(inputs(1000, 300, 100, 300))
    eac = result.metric("eac")
    cpi = eac.inputs["CPI"]
    assert isinstance(cpi, Decimal)
    assert cpi != result.cpi  # 0.3333...(34 digits), not the published 0.3333
    assert (D(1000) / cpi).quantize(D("0.01")) == eac.value


def test_figures_do_not_depend_on_the_callers_decimal_context() -> None:
    expected = earned_value(inputs(1000, 300, 100, 300))
    with localcontext() as ctx:
        ctx.prec = 3
        assert earned_value(inputs(1000, 300, 100, 300)) == expected


# --------------------------------------------------------------- undefined ratios


def test_zero_pv_leaves_schedule_ratios_undefined() -> None:
    result = earned_value(inputs(1000, 0, 0, 100))
    assert result.sv == 0
    assert result.spi is None
    assert result.sv_pct is None
    assert result.eac_cpi_spi is None  # needs SPI
    assert result.metric("spi").rag is None
    assert result.metric("spi").value is None


def test_zero_ac_leaves_cpi_and_everything_from_it_undefined() -> None:
    result = earned_value(inputs(1000, 500, 400, 0))
    assert result.cpi is None
    assert result.eac is None
    assert result.eac_cpi is None
    assert result.eac_cpi_spi is None
    assert result.etc is None
    assert result.vac is None
    assert result.tcpi_eac is None
    # Still defined: nothing in them divides by AC.
    assert result.eac_atypical == D(600)  # 0 + (1000 - 400)
    assert result.tcpi_bac == D("0.6")  # (1000 - 400) / (1000 - 0)
    assert result.metric("etc").inputs["EAC"] is None  # lineage shows what was undefined


def test_zero_ev_makes_cpi_zero_and_cpi_based_eac_undefined() -> None:
    result = earned_value(inputs(1000, 500, 0, 200))
    assert result.cpi == 0  # 0 / 200 is defined: 0
    assert result.spi == 0
    assert result.cv_pct is None  # CV / EV with EV = 0
    assert result.eac_cpi is None  # BAC / CPI with CPI = 0
    assert result.eac_cpi_spi is None  # divisor CPI * SPI = 0
    assert result.etc is None
    assert result.vac is None
    assert result.metric("cpi").rag == "red"


def test_bac_equal_to_ac_leaves_tcpi_bac_undefined() -> None:
    result = earned_value(inputs(1000, 1000, 800, 1000))
    assert result.tcpi_bac is None
    assert result.tcpi_eac == D("0.8")  # 200 / (1250 - 1000)


def test_finished_project_leaves_tcpi_eac_undefined() -> None:
    # BAC 1000, EV 1000, AC 1200: CPI = 0.8333..., EAC = 1200, ETC 0, TCPI(EAC) = 0 / 0.
    result = earned_value(inputs(1000, 1000, 1000, 1200))
    assert result.eac == D("1200.00")
    assert result.etc == 0
    assert result.vac == D("-200")
    assert result.tcpi_eac is None
    assert result.tcpi_bac == 0  # 0 / -200 is defined


def test_all_zero_inputs() -> None:
    result = earned_value(inputs(0, 0, 0, 0))
    assert (result.sv, result.cv, result.eac_atypical) == (D(0), D(0), D(0))
    for name in ("sv_pct", "cv_pct", "spi", "cpi", "eac", "eac_cpi", "eac_cpi_spi"):
        assert getattr(result, name) is None, name
    for name in ("etc", "vac", "tcpi_bac", "tcpi_eac"):
        assert getattr(result, name) is None, name
    assert overall_rag(result) is None


# ----------------------------------------------------------------------------- RAG


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        ("1.00", "green"),
        ("0.95", "green"),
        ("1.05", "green"),
        ("0.9499", "amber"),
        ("1.0501", "amber"),
        ("0.90", "amber"),
        ("1.10", "amber"),
        ("0.8999", "red"),
        ("1.1001", "red"),
        ("0", "red"),
        ("5", "red"),
    ],
)
def test_fema_boundaries(value: str, rag: str) -> None:
    assert rag_index(D(value)) == rag


def test_fema_undefined_has_no_colour() -> None:
    assert rag_index(None) is None


def test_colour_is_judged_on_the_published_value() -> None:
    # SPI = 0.949996 is published as 0.9500, and 0.9500 is green: the colour matches the number.
    result = earned_value(inputs(1000000, 1000000, 949996, 1000000))
    assert result.spi == D("0.9500")
    assert result.metric("spi").rag == "green"


def test_overall_is_worst_of_spi_and_cpi() -> None:
    # SPI 460/500 = 0.92 amber; CPI 460/480 = 0.9583 green.
    assert overall_rag(earned_value(inputs(1000, 500, 460, 480))) == "amber"
    # SPI 1.0 green; CPI 500/600 = 0.8333 red.
    assert overall_rag(earned_value(inputs(1000, 500, 500, 600))) == "red"
    # SPI undefined (PV 0): the CPI alone decides.
    assert overall_rag(earned_value(inputs(1000, 0, 100, 100))) == "green"


@pytest.mark.parametrize(
    ("percent", "rag"),
    [
        ("100", "green"),
        ("90", "green"),
        ("89.99", "amber"),
        ("89", "amber"),
        ("75", "amber"),
        ("74.99", "red"),
        ("0", "red"),
    ],
)
def test_servicenow_achievement(percent: str, rag: str) -> None:
    assert rag_achievement(D(percent)) == rag


def test_servicenow_undefined() -> None:
    assert rag_achievement(None) is None


def test_worst_wins() -> None:
    assert worst("green", "amber", "red") == "red"
    assert worst("red", "green") == "red"
    assert worst("green", "amber", "green") == "amber"
    assert worst("green") == "green"
    assert worst(None, "green", None) == "green"
    assert worst() is None
    assert worst(None) is None


def test_worst_refuses_non_colours() -> None:
    with pytest.raises(InvalidInputError, match="'grey'"):
        worst("green", "grey")  # type: ignore[arg-type]


# ------------------------------------------------------------------------ roll-up


def test_roll_up_recomputes_from_sums_not_averages() -> None:
    small = inputs(100, 100, 50, 100)  # SPI 0.5, CPI 0.5
    big = inputs(900, 900, 900, 900)  # SPI 1.0, CPI 1.0
    portfolio = roll_up([small, big], STATUS, "EUR")
    # Correct: SPI = (50 + 900) / (100 + 900) = 0.95; CPI = 950 / (100 + 900) = 0.95.
    assert portfolio.spi == D("0.95")
    assert portfolio.cpi == D("0.95")
    assert portfolio.metric("spi").rag == "green"
    # Averaging the children's indices would say 0.75 (red): a different, wrong answer.
    children = [earned_value(small), earned_value(big)]
    averaged_spi = sum((c.spi for c in children if c.spi is not None), D(0)) / 2
    averaged_cpi = sum((c.cpi for c in children if c.cpi is not None), D(0)) / 2
    assert averaged_spi == averaged_cpi == D("0.75")
    assert averaged_spi != portfolio.spi
    assert rag_index(averaged_spi) == "red"
    # And the EAC of the sums is BAC / CPI = 1000 / 0.95 = 1052.63.
    assert portfolio.eac == D("1052.63")
    assert (portfolio.bac, portfolio.pv, portfolio.ev, portfolio.ac) == (
        D(1000),
        D(1000),
        D(950),
        D(1000),
    )


def test_roll_up_refuses_mixed_currencies_naming_both() -> None:
    dollars = EvInputs(D(1), D(1), D(1), D(1), STATUS, "USD")
    with pytest.raises(InvalidInputError, match=r"USD.*EUR") as caught:
        roll_up([inputs(1, 1, 1, 1), dollars], STATUS, "EUR")
    assert caught.value.where == "child 2"


def test_roll_up_sums_bottom_up_etc_only_when_every_child_has_one() -> None:
    a = inputs(100, 50, 50, 60, etc_bottom_up=D(40))
    b = inputs(200, 100, 100, 90, etc_bottom_up=D(110))
    both = roll_up([a, b], STATUS, "EUR")
    assert both.inputs.etc_bottom_up == D(150)
    assert both.eac_bottom_up == D(300)  # AC 150 + ETC 150
    partial = roll_up([a, inputs(200, 100, 100, 90)], STATUS, "EUR")
    assert partial.eac_bottom_up is None


def test_roll_up_of_nothing_is_all_zero_and_undefined() -> None:
    empty = roll_up([], STATUS, "EUR")
    assert (empty.bac, empty.pv, empty.ev, empty.ac) == (D(0), D(0), D(0), D(0))
    assert empty.spi is None
    assert empty.cpi is None
    assert empty.eac_bottom_up is None
    assert empty.inputs.currency == "EUR"


def test_roll_up_streams() -> None:
    # A generator is consumed once, without being turned into a list first.
    result = roll_up((inputs(10, 10, 10, 10) for _ in range(1000)), STATUS, "EUR")
    assert result.bac == D(10000)
    assert result.spi == 1


# ---------------------------------------------------------------------- accumulate


def test_accumulate_worked_example() -> None:
    status = date(2024, 1, 6)
    items = [
        # 10-day item, 5 days elapsed: PV = 1000 * 5/10 = 500; EV = 1000 * 50% = 500.
        (D(1000), D(50), date(2024, 1, 1), date(2024, 1, 11), D(600)),
        # Milestone on the status date: counts fully. EV = 200 * 100% = 200.
        (D(200), D(100), date(2024, 1, 6), date(2024, 1, 6), D(150)),
        # Milestone the day after: nothing planned yet.
        (D(70), None, date(2024, 1, 7), date(2024, 1, 7), None),
        # Not started yet: PV 0.
        (D(400), D(0), date(2024, 2, 1), date(2024, 3, 1), None),
        # Finished before the status date: PV = full budget; EV = 80 * 25% = 20.
        (D(80), D(25), date(2023, 12, 1), date(2023, 12, 31), D(90)),
        # No budget: only its actual cost counts.
        (None, D(30), date(2024, 1, 1), date(2024, 1, 2), D(50)),
        # No dates: budgeted but unscheduled, so no PV. EV = 300 * 10% = 30.
        (D(300), D(10), None, None, None),
        # Finish only: a milestone on that date, already passed.
        (D(5), None, None, date(2024, 1, 2), None),
    ]
    totals = accumulate(items, status, currency="EUR")
    assert totals.bac == 1000 + 200 + 70 + 400 + 80 + 300 + 5
    assert totals.pv == 500 + 200 + 0 + 0 + 80 + 0 + 5
    assert totals.ev == 500 + 200 + 0 + 20 + 30
    assert totals.ac == 600 + 150 + 90 + 50
    assert totals.status_date == status
    assert totals.currency == "EUR"
    assert totals.etc_bottom_up is None


def test_accumulate_clamps_and_spreads_linearly() -> None:
    start, finish = date(2024, 1, 1), date(2024, 1, 4)  # 3 days

    def pv_on(status: date) -> Decimal:
        return accumulate([(D(100), None, start, finish, None)], status).pv

    assert pv_on(date(2023, 12, 1)) == 0  # clamped below
    assert pv_on(start) == 0
    assert pv_on(date(2024, 1, 2)).quantize(D("0.01")) == D("33.33")  # 100 * 1/3
    assert pv_on(finish) == 100
    assert pv_on(date(2025, 1, 1)) == 100  # clamped above


def test_accumulate_empty_is_zero() -> None:
    totals = accumulate([], STATUS)
    assert (totals.bac, totals.pv, totals.ev, totals.ac) == (D(0), D(0), D(0), D(0))


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ((D(1), D(101), None, None, None), "0..100"),
        ((D(1), D(-1), None, None, None), "0..100"),
        ((D(1), None, date(2024, 2, 1), date(2024, 1, 1), None), "before start"),
        ((None, None, date(2024, 2, 1), date(2024, 1, 1), None), "before start"),
        ((1.5, None, None, None, None), "not float"),
        ((D("NaN"), None, None, None, None), "finite"),
    ],
)
def test_accumulate_names_the_bad_item(item: object, message: str) -> None:
    good = (D(1), D(1), None, None, None)
    with pytest.raises(InvalidInputError, match=message) as caught:
        accumulate([good, item], STATUS)  # type: ignore[list-item]
    assert caught.value.where == "item 2"


def test_inputs_refuse_floats_and_non_finite() -> None:
    with pytest.raises(InvalidInputError, match="float"):
        EvInputs(0.1, D(0), D(0), D(0), STATUS, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="finite"):
        EvInputs(D("Infinity"), D(0), D(0), D(0), STATUS, "EUR")
    assert EvInputs(1, 2, 3, 4, STATUS, "EUR").pv == D(2)  # type: ignore[arg-type]


# ---------------------------------------------------------------- earned schedule

START = date(2024, 1, 1)
# Ten equal 30-day periods, 100 of PV each: cumulative 100, 200, ... 1000.
CURVE = [(START + timedelta(days=30 * k), D(100 * k)) for k in range(1, 11)]


def test_earned_schedule_interpolates_in_days() -> None:
    # EV 550 at day 300: C = 5 (PV_5 = 500 <= 550 < 600 = PV_6).
    # ES = 5 periods * 30 days + (550 - 500) / (600 - 500) * 30 = 150 + 15 = 165 days.
    result = earned_schedule(CURVE, D(550), START + timedelta(days=300), START)
    assert result.es == D("165.00")
    assert result.at == 300
    assert result.sv_t == D("-135.00")  # 165 - 300
    assert result.spi_t == D("0.55")  # 165 / 300
    es = result.metrics[0]
    assert (es.name, es.unit) == ("es", "days")
    assert es.inputs["C"] == 5
    assert es.inputs["PV_C"] == 500
    assert es.inputs["PV_C+1"] == 600
    assert [m.name for m in result.metrics] == ["es", "at", "sv_t", "spi_t", "pd", "ieac_t"]
    assert result.metrics[3].formula == "ES / AT"
    # PD = 300 days (10 periods of 30); IEAC(t) = PD / SPI(t) = 300 / 0.55 = 545.4545... days,
    # so the forecast finish is day 546 after the start.
    assert result.pd == 300
    assert result.ieac_t == D("545.45")
    assert result.finish == START + timedelta(days=546)


def test_earned_schedule_on_a_late_project_spi_drifts_to_one_but_spi_t_does_not() -> None:
    # Planned: 1000 over 300 days. Actual: half the planned rate, 50 per 30 days.
    bac = D(1000)
    spis, spi_ts = [], []
    for day, ev in ((300, D(500)), (480, D(800)), (600, D(1000))):
        status = START + timedelta(days=day)
        pv = min(bac, D(100) * day / 30)
        spis.append(earned_value(EvInputs(bac, pv, ev, ev, status, "EUR")).spi)
        spi_ts.append(earned_schedule(CURVE, ev, status, START).spi_t)
    # SPI = EV / PV: 500/1000, 800/1000, 1000/1000 -> recovers to 1.0 (green) at the end.
    assert spis == [D("0.5"), D("0.8"), D("1.0")]
    assert rag_index(spis[-1]) == "green"
    # SPI(t) = ES / AT: 150/300, 240/480, 300/600 -> stays 0.5, the project is twice as slow.
    assert spi_ts == [D("0.5"), D("0.5"), D("0.5")]
    assert rag_index(spi_ts[-1]) == "red"


def test_earned_schedule_with_unequal_periods() -> None:
    # January has 31 days, February 2024 has 29. EV halfway through February:
    # ES = 31 + (150 - 100) / (200 - 100) * 29 = 45.5 days.
    curve = [(date(2024, 2, 1), D(100)), (date(2024, 3, 1), D(200))]
    assert earned_schedule(curve, D(150), date(2024, 3, 1), START).es == D("45.5")


def test_earned_schedule_skips_flat_stretches() -> None:
    # Nothing planned in the second period: EV 100 has earned up to its end (day 60).
    curve = [(START + timedelta(days=30), D(100)), (START + timedelta(days=60), D(100))]
    curve.append((START + timedelta(days=90), D(200)))
    assert earned_schedule(curve, D(100), START + timedelta(days=90), START).es == 60


def test_earned_schedule_is_capped_at_the_planned_duration() -> None:
    result = earned_schedule(CURVE, D(1200), START + timedelta(days=200), START)
    assert result.es == 300
    assert result.sv_t == 100


def test_earned_schedule_undefined_when_no_time_has_passed() -> None:
    at_start = earned_schedule(CURVE, D(0), START, START)
    assert at_start.at == 0
    assert at_start.es == 0
    assert at_start.spi_t is None
    assert at_start.sv_t == 0
    before = earned_schedule(CURVE, D(0), START - timedelta(days=5), START)
    assert before.at == 0  # no negative time before the start
    assert before.spi_t is None


def test_earned_schedule_without_a_plan_is_undefined() -> None:
    result = earned_schedule([], D(100), START + timedelta(days=10), START)
    assert (result.es, result.sv_t, result.spi_t) == (None, None, None)
    assert result.at == 10


@pytest.mark.parametrize(
    ("curve", "message"),
    [
        ([(START, D(100))], "not after"),
        ([(date(2024, 2, 1), D(100)), (date(2024, 2, 1), D(200))], "not after"),
        ([(date(2024, 2, 1), D(100)), (date(2024, 3, 1), D(50))], "falls"),
    ],
)
def test_earned_schedule_refuses_a_bad_curve(
    curve: list[tuple[date, Decimal]], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        earned_schedule(curve, D(10), date(2024, 6, 1), START)


# --------------------------------------------------------------------- properties

money = st.decimals(
    min_value=D("-1000000000"), max_value=D("1000000000"), places=2, allow_nan=False
)
ev_inputs = st.builds(
    EvInputs,
    bac=money,
    pv=money,
    ev=money,
    ac=money,
    status_date=st.dates(),
    currency=st.sampled_from(["EUR", "USD"]),
    etc_bottom_up=st.none() | money,
)


@given(ev_inputs)
def test_sv_is_ev_minus_pv(x: EvInputs) -> None:
    result = earned_value(x)
    assert result.sv == x.ev - x.pv
    assert result.cv == x.ev - x.ac
    assert result.metric("sv").value == x.ev - x.pv
    assert (result.spi is None) == (x.pv == 0)
    assert (result.cpi is None) == (x.ac == 0)


@given(ev_inputs)
def test_roll_up_of_one_child_is_the_child(x: EvInputs) -> None:
    assert roll_up([x], x.status_date, x.currency) == earned_value(x)


@given(st.lists(ev_inputs, max_size=5))
def test_roll_up_indices_come_from_sums(children: list[EvInputs]) -> None:
    children = [EvInputs(c.bac, c.pv, c.ev, c.ac, STATUS, "EUR", c.etc_bottom_up) for c in children]
    result = roll_up(children, STATUS, "EUR")
    pv = sum((c.pv for c in children), D(0))
    ev = sum((c.ev for c in children), D(0))
    with localcontext() as ctx:
        ctx.prec = 34  # the module's working precision
        expected = None if pv == 0 else (ev / pv).quantize(D("0.0001"))
    assert result.spi == expected
