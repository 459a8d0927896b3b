"""NPV and IRR in Decimal, against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pmo_strategy import irr, npv
from pmo_strategy._finance import flow_currency

from pmo_core import InvalidInputError, Money


def flows(*pairs: tuple[int, str], currency: str = "EUR") -> dict[int, Money]:
    return {year: Money.parse(f"{amount} {currency}") for year, amount in pairs}


def test_npv_discounts_from_the_first_year() -> None:
    # -1000 + 500 / 1.08 + 700 / 1.08^2 = -1000 + 462.96296 + 600.13717 = 63.10
    assert npv(flows((2026, "-1000"), (2027, "500"), (2028, "700")), Decimal("0.08")) == Decimal(
        "63.10"
    )
    # The first year is t0 whatever it is: the same flows two years later, the same NPV.
    assert npv(flows((2028, "-1000"), (2029, "500"), (2030, "700")), Decimal("0.08")) == Decimal(
        "63.10"
    )


def test_npv_at_zero_rate_is_the_plain_sum() -> None:
    assert npv(flows((2026, "-1000"), (2027, "500"), (2028, "700")), Decimal(0)) == Decimal(
        "200.00"
    )


def test_npv_counts_missing_years_as_gaps() -> None:
    # 121 two years after t0 at 10 %: 121 / 1.21 = 100.
    assert npv(flows((2026, "-100"), (2028, "121")), Decimal("0.1")) == Decimal("0.00")
    assert npv(flows((2026, "-100"), (2027, "121")), Decimal("0.1")) == Decimal("10.00")


def test_npv_of_a_single_year_and_of_nothing() -> None:
    assert npv(flows((2027, "-250.5")), Decimal("0.5")) == Decimal("-250.50")
    assert npv({}, Decimal("0.08")) == Decimal(0)


def test_npv_of_only_negative_flows_is_negative() -> None:
    # -100 - 100 / 1.25 = -180
    assert npv(flows((2026, "-100"), (2027, "-100")), Decimal("0.25")) == Decimal("-180.00")


@pytest.mark.parametrize(
    ("pairs", "rate"),
    [
        (((2026, "-100"), (2027, "110")), "0.1000"),
        (((2026, "-100"), (2028, "121")), "0.1000"),
        (((2026, "-100"), (2027, "60"), (2028, "60")), "0.1307"),
        (((2026, "-400000"), (2027, "250000"), (2028, "250000")), "0.1626"),
        (((2026, "-100"), (2027, "100")), "0.0000"),
        (((2026, "-100"), (2027, "50")), "-0.5000"),
        (((2026, "100"), (2027, "-110")), "0.1000"),  # a loan: money first, repaid later
    ],
)
def test_irr_by_bisection(pairs: tuple[tuple[int, str], ...], rate: str) -> None:
    found = irr(flows(*pairs))
    assert found.rate == Decimal(rate)
    assert found.reason == ""


@pytest.mark.parametrize(
    "pairs",
    [
        ((2026, "100"), (2027, "110")),
        ((2026, "-100"), (2027, "-110")),
        ((2026, "-100"), (2027, "0")),
        ((2026, "0"),),
    ],
)
def test_irr_is_none_when_the_flows_never_change_sign(pairs: tuple[tuple[int, str], ...]) -> None:
    found = irr(flows(*pairs))
    assert found.rate is None
    assert found.reason == "no IRR: the cash flows never change sign"


def test_irr_outside_the_searched_range_is_none_with_the_reason() -> None:
    # Returning 1 for 100 is a rate of -99 %: at the edge it is found exactly...
    assert irr(flows((2026, "-100"), (2027, "1"))).rate == Decimal("-0.9900")
    # ...below it, not at all; 10000 % above the top.
    below = irr(flows((2026, "-100"), (2027, "0.5")))
    assert below.rate is None
    assert "between -99 % and 1000 %" in below.reason
    above = irr(flows((2026, "-1"), (2027, "12")))
    assert above.rate is None
    assert irr(flows((2026, "-1"), (2027, "11"))).rate == Decimal("10.0000")


def test_flows_in_other_currencies_are_refused_naming_the_year() -> None:
    mixed = {2026: Money.parse("-100 EUR"), 2027: Money.parse("110 USD")}
    with pytest.raises(InvalidInputError, match="cash flow 2027 is in USD, not EUR") as caught:
        flow_currency(mixed, "CRM cash_flows")
    assert caught.value.where == "CRM cash_flows"
    with pytest.raises(InvalidInputError, match="cash flow 2026 is in EUR, not CHF"):
        flow_currency(flows((2026, "-1")), "X", "CHF")
    assert flow_currency(flows((2026, "-1")), "X", "EUR") == "EUR"
