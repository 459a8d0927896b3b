"""Earned value at its edges: earned schedule over a plan of a single period, and the
validation of the optional bottom-up estimates and of the status date of :class:`EvInputs`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from pmo_core._earned_schedule import earned_schedule
from pmo_core._errors import InvalidInputError
from pmo_core._evm import EvInputs, accumulate, earned_value, planned_value, roll_up

D = Decimal
START = date(2024, 1, 1)
END = START + timedelta(days=10)
ONE_PERIOD = [(END, D(100))]  # the whole plan, 100 of PV, in one 10-day period
STATUS = date(2024, 6, 30)


# ------------------------------------------------------ earned schedule, one period


def test_earned_schedule_of_a_single_period_interpolates_within_it() -> None:
    # Half the plan earned at its end: ES = 0 + (50 - 0) / (100 - 0) * 10 = 5 days.
    result = earned_schedule(ONE_PERIOD, D(50), END, START)
    assert (result.es, result.at, result.sv_t, result.spi_t) == (D(5), D(10), D(-5), D("0.5"))
    # PD = 10 days; IEAC(t) = 10 / 0.5 = 20 days: the forecast finish is 20 days after start.
    assert (result.pd, result.ieac_t, result.finish) == (D(10), D(20), START + timedelta(20))
    assert result.metrics[0].inputs["C"] == 0
    assert result.metrics[4].inputs["end"] == END.isoformat()


@pytest.mark.parametrize(("ev", "es"), [(D(99), D("9.90")), (D(100), D(10)), (D(101), D(10))])
def test_earned_schedule_of_a_single_period_reaches_the_planned_duration_at_its_pv(
    ev: Decimal, es: Decimal
) -> None:
    # Just below the PV of the plan, at it, and beyond it (capped at the planned duration).
    assert earned_schedule(ONE_PERIOD, ev, END, START).es == es


def test_earned_schedule_of_a_single_period_with_nothing_earned_has_no_forecast() -> None:
    result = earned_schedule(ONE_PERIOD, D(0), START + timedelta(days=4), START)
    assert (result.es, result.sv_t, result.spi_t) == (D(0), D(-4), D(0))
    assert result.pd == D(10)
    assert (result.ieac_t, result.finish) == (None, None)  # SPI(t) 0: no finish in sight


def test_earned_schedule_of_a_single_period_rounds_a_part_day_of_the_finish_up() -> None:
    # ES 3 at day 4: SPI(t) 0.75, IEAC(t) 13.33 days: the finish is the 14th day.
    result = earned_schedule(ONE_PERIOD, D(30), START + timedelta(days=4), START)
    assert result.ieac_t == D("13.33")
    assert result.finish == START + timedelta(days=14)


# ---------------------------------------------------------- work items without dates


@pytest.mark.parametrize("status", [START - timedelta(1), START, END, END + timedelta(365)])
def test_an_item_without_dates_is_budgeted_and_earns_but_is_never_planned(status: date) -> None:
    totals = accumulate([(D(1000), D(40), None, None, D(500))], status)
    assert (totals.bac, totals.pv, totals.ev, totals.ac) == (D(1000), D(0), D(400), D(500))
    assert earned_value(totals).cpi == D("0.8")  # the CPI, hence the EAC, still comes from it


@pytest.mark.parametrize(("start", "finish"), [(END, None), (None, END)])
@pytest.mark.parametrize(
    ("status", "pv"), [(END - timedelta(1), D(0)), (END, D(1000)), (END + timedelta(1), D(1000))]
)
def test_an_item_with_one_date_is_a_milestone_on_it(
    start: date | None, finish: date | None, status: date, pv: Decimal
) -> None:
    assert planned_value(D(1000), start, finish, status) == pv
    assert accumulate([(D(1000), None, start, finish, None)], status).pv == pv


def test_an_unbudgeted_item_without_dates_still_adds_its_actual_cost() -> None:
    totals = accumulate([(None, D(50), None, None, D(70)), (D(100), D(50), START, END, None)], END)
    assert (totals.bac, totals.pv, totals.ev, totals.ac) == (D(100), D(100), D(50), D(70))


# ------------------------------------------------------------------ EvInputs validation


@pytest.mark.parametrize("field", ["etc_bottom_up", "eac_bottom_up"])
def test_a_bottom_up_estimate_refuses_a_float_naming_the_field(field: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field} must be a Decimal, not float"):
        EvInputs(D(1), D(1), D(1), D(1), STATUS, "EUR", **{field: 0.1})  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["etc_bottom_up", "eac_bottom_up"])
@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_a_bottom_up_estimate_refuses_a_non_finite_decimal(field: str, value: Decimal) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field} must be finite"):
        EvInputs(D(1), D(1), D(1), D(1), STATUS, "EUR", **{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["etc_bottom_up", "eac_bottom_up"])
def test_a_bottom_up_estimate_given_as_an_int_becomes_a_decimal(field: str) -> None:
    inputs = EvInputs(D(1), D(1), D(1), D(1), STATUS, "EUR", **{field: 7})  # type: ignore[arg-type]
    value = getattr(inputs, field)
    assert (type(value), value) == (Decimal, D(7))


def test_no_bottom_up_estimate_stays_none() -> None:
    inputs = EvInputs(D(1), D(1), D(1), D(1), STATUS, "EUR")
    assert (inputs.etc_bottom_up, inputs.eac_bottom_up) == (None, None)
    assert earned_value(inputs).eac_bottom_up is None


@pytest.mark.parametrize(
    ("status_date", "name"), [("2024-06-30", "str"), (None, "NoneType"), (20240630, "int")]
)
def test_status_date_must_be_a_date(status_date: object, name: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"^status_date must be a date, not {name}$"):
        EvInputs(D(1), D(1), D(1), D(1), status_date, "EUR")  # type: ignore[arg-type]


def test_status_date_accepts_a_date() -> None:
    assert EvInputs(D(1), D(1), D(1), D(1), STATUS, "EUR").status_date == STATUS
    moment = datetime(2024, 6, 30, 12)  # a datetime is a date too
    assert EvInputs(D(1), D(1), D(1), D(1), moment, "EUR").status_date == moment


# ------------------------------------------------------ estimate at completion


def _inputs(ev: str = "50", ac: str = "60") -> EvInputs:
    return EvInputs(D(100), D(60), D(ev), D(ac), STATUS, "EUR")


def test_an_unknown_eac_variant_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError, match=r"unknown EAC variant 'nope' \(one of ") as caught:
        earned_value(_inputs(), eac_rule=("cpi", "nope"))
    assert caught.value.where == "eac_rule"


def test_the_eac_lineage_names_the_variant_used_or_every_one_tried() -> None:
    used = earned_value(_inputs(), eac_rule=("cpi", "atypical")).metric("eac")
    assert used.inputs["variant"] == "cpi"
    # Nothing earned: CPI (and so BAC / CPI) is undefined; bottom-up has no estimate.
    none = earned_value(_inputs(ev="0"), eac_rule=("cpi", "bottom_up")).metric("eac")
    assert none.inputs["variant"] == "none defined of cpi, bottom_up"
    assert none.value is None


def test_a_metric_is_found_by_a_name_made_at_run_time() -> None:
    result = earned_value(_inputs())
    name = "".join(["c", "pi"])
    assert result.metric(name).name == "cpi"
    with pytest.raises(KeyError):
        result.metric("nope")


def test_earned_value_figures_cannot_be_changed_once_computed() -> None:
    import dataclasses

    result = earned_value(_inputs())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.cpi = D(1)  # type: ignore[misc]


# ------------------------------------------------------ earned schedule, the curve


def test_a_bad_period_of_the_curve_is_refused_naming_its_index() -> None:
    curve = [(START + timedelta(10), D(100)), (START + timedelta(5), D(150))]
    with pytest.raises(InvalidInputError, match="is not after") as caught:
        earned_schedule(curve, D(50), END, START)
    assert caught.value.where == "pv_curve[1]"
    falling = [(START + timedelta(10), D(100)), (START + timedelta(20), D(90))]
    with pytest.raises(InvalidInputError, match="cumulative PV falls") as caught:
        earned_schedule(falling, D(50), END, START)
    assert caught.value.where == "pv_curve[1]"


@pytest.mark.parametrize("days", [0, -3])  # on the start, or before it
def test_a_period_ending_on_or_before_the_start_is_refused(days: int) -> None:
    with pytest.raises(InvalidInputError, match="is not after") as caught:
        earned_schedule([(START + timedelta(days), D(100))], D(50), END, START)
    assert caught.value.where == "pv_curve[0]"


def test_an_empty_curve_has_no_planned_duration_nor_end() -> None:
    result = earned_schedule([], D(50), END, START)
    assert (result.es, result.pd) == (None, None)
    pd = next(m for m in result.metrics if m.name == "pd")
    assert pd.inputs["end"] is None


def test_the_planned_duration_runs_to_the_last_period_end() -> None:
    curve = [(START + timedelta(10), D(100)), (START + timedelta(30), D(200))]
    result = earned_schedule(curve, D(50), END, START)
    assert result.pd == D(30)
    pd = next(m for m in result.metrics if m.name == "pd")
    assert pd.inputs["end"] == (START + timedelta(30)).isoformat()


def test_an_ev_below_zero_interpolates_before_the_first_period_end() -> None:
    # A reversal can make EV negative: C stays 0 (the start), and ES falls before it.
    result = earned_schedule(ONE_PERIOD, D(-10), END, START)
    assert result.es == D(-1)
    two = [(START + timedelta(10), D(100)), (START + timedelta(30), D(200))]
    assert earned_schedule(two, D(-10), END, START).es == D(-1)


def test_a_long_daily_curve_reached_in_full_gives_its_planned_duration() -> None:
    # Three hundred periods: C is an index past 256, compared by value.
    curve = [(START + timedelta(n), D(n)) for n in range(1, 301)]
    result = earned_schedule(curve, D(300), START + timedelta(300), START)
    assert (result.es, result.pd, result.spi_t) == (D(300), D(300), D(1))


def test_earned_schedule_figures_cannot_be_changed_once_computed() -> None:
    import dataclasses

    result = earned_schedule(ONE_PERIOD, D(50), END, START)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.es = D(1)  # type: ignore[misc]


# ------------------------------------------------------ roll-up currencies, frozen inputs


@pytest.mark.parametrize(("child", "total"), [("EUR", "USD"), ("USD", "EUR")])
def test_a_child_in_another_currency_is_refused_whichever_sorts_first(
    child: str, total: str
) -> None:
    kid = EvInputs(D(100), D(50), D(50), D(50), STATUS, child)
    with pytest.raises(InvalidInputError, match=f"cannot roll up a '{child}' child"):
        roll_up([kid], STATUS, total)


def test_a_currency_given_as_a_string_made_at_run_time_is_compared_by_value() -> None:
    kid = EvInputs(D(100), D(50), D(50), D(50), STATUS, "".join(["E", "UR"]))
    assert roll_up([kid], STATUS, "EUR").bac == D(100)


def test_earned_value_inputs_cannot_be_changed_once_made() -> None:
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        _inputs().ev = D(1)  # type: ignore[misc]
