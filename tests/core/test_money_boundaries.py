"""Money at its boundaries: every comparison refuses another currency and is false where it
should be, a non-Money operand is a TypeError (never a silent result), only 0 starts a
sum, and a non-finite amount is refused as an amount (not read as a currency)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core._domain import Money
from pmo_core._errors import InvalidInputError

Compare = Callable[[Any, Any], Any]


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def usd(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="USD")


COMPARISONS: list[tuple[str, Compare]] = [
    ("<", operator.lt),
    ("<=", operator.le),
    (">", operator.gt),
    (">=", operator.ge),
]


@pytest.mark.parametrize(("symbol", "compare"), COMPARISONS)
def test_every_comparison_across_currencies_raises_naming_both(
    symbol: str, compare: Compare
) -> None:
    # Equal amounts: a comparison that skipped the currency check would return a bool.
    with pytest.raises(InvalidInputError, match=r"cannot compare USD and EUR money"):
        compare(eur("1"), usd("1"))


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # just below, equal, just above: each operator on all three sides
        ("0.99", "1.00", {"<": True, "<=": True, ">": False, ">=": False}),
        ("1.00", "1.00", {"<": False, "<=": True, ">": False, ">=": True}),
        ("1.01", "1.00", {"<": False, "<=": False, ">": True, ">=": True}),
    ],
)
def test_comparisons_are_true_and_false_at_the_boundary(
    left: str, right: str, expected: dict[str, bool]
) -> None:
    got = {symbol: compare(eur(left), eur(right)) for symbol, compare in COMPARISONS}
    assert got == expected


def test_equal_amounts_of_other_currencies_are_not_equal() -> None:
    assert eur("1") != usd("1")
    assert not eur("1") == usd("1")  # noqa: SIM201 - the == itself is under test


OPERATIONS: list[tuple[str, Compare]] = [
    ("+", operator.add),
    ("-", operator.sub),
    ("<", operator.lt),
    ("<=", operator.le),
    (">", operator.gt),
    (">=", operator.ge),
]


@pytest.mark.parametrize("other", [5, Decimal(5), "5 EUR", None])
@pytest.mark.parametrize(("symbol", "operation"), OPERATIONS)
def test_an_operation_with_a_non_money_operand_is_a_type_error(
    symbol: str, operation: Compare, other: object
) -> None:
    with pytest.raises(TypeError):
        operation(eur("1"), other)


@pytest.mark.parametrize("other", [5, 1, -1, True, Decimal(0), 0.0])
def test_only_the_integer_zero_starts_a_sum(other: object) -> None:
    with pytest.raises(TypeError):
        _ = other + eur("1")  # type: ignore[operator]


def test_zero_plus_money_is_that_money() -> None:
    assert 0 + eur("1.25") == eur("1.25")
    assert sum([eur("1"), eur("2")], start=0) == eur("3")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "-inf EUR",
        "inf EUR",
        "EUR -inf",
        "-Infinity EUR",
        "NaN EUR",
        {"amount": Decimal("NaN"), "currency": "EUR"},
        {"amount": Decimal("sNaN"), "currency": "EUR"},
        {"amount": Decimal("-Infinity"), "currency": "EUR"},
    ],
)
def test_a_non_finite_amount_is_refused_as_an_amount(value: str | dict[str, Any]) -> None:
    # The message names the amount: "NaN" or "inf" is not taken for a currency.
    with pytest.raises(InvalidInputError, match=r"\(amount: .*finite"):
        Money.parse(value)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_money_field_refuses_a_non_finite_decimal(amount: Decimal) -> None:
    with pytest.raises(ValidationError, match="finite"):
        Money(amount=amount, currency="EUR")


def test_a_finite_amount_next_to_the_non_finite_ones_is_accepted() -> None:
    assert Money.parse("-1 EUR") == eur("-1")
    assert Money.parse("EUR 0") == eur("0")


@pytest.mark.parametrize(
    ("amount", "zero"), [("0", True), ("0.00", True), ("-5", False), ("5", False)]
)
def test_is_zero_only_for_zero(amount: str, zero: bool) -> None:
    assert eur(amount).is_zero is zero


@pytest.mark.parametrize("text", ["1200.50", "1200.50 EUR extra", "EUR"])
def test_money_text_not_of_two_words_is_refused_with_the_shape(text: str) -> None:
    with pytest.raises(InvalidInputError, match=r"money must look like '1200\.50 EUR'"):
        Money.parse(text)


def test_parse_of_a_money_gives_that_money() -> None:
    fee = eur("12.50")
    assert Money.parse(fee) is fee


@pytest.mark.parametrize("operation", [operator.add, operator.sub, operator.lt, operator.ge])
def test_a_currency_sorting_before_the_other_is_still_refused(
    operation: Callable[[Money, Money], object],
) -> None:
    # "EUR" sorts before "USD": the check is inequality, not an ordering of codes.
    with pytest.raises(InvalidInputError, match=r"cannot .* EUR and USD money"):
        operation(Money.parse("1 USD"), eur("1"))
