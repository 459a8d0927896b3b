"""Money: exact arithmetic, currency safety, parsing and JSON form."""

from __future__ import annotations

import json
from decimal import Decimal, localcontext

import pytest
from pydantic import ValidationError

from pmo_core._domain import Money, Project
from pmo_core._errors import InvalidInputError


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def test_addition_and_subtraction_are_exact() -> None:
    assert eur("0.10") + eur("0.20") == eur("0.30")
    assert (eur("0.10") + eur("0.20")).amount == Decimal("0.30")
    assert eur("100") - eur("0.01") == eur("99.99")
    assert -eur("5") == eur("-5")


def test_currency_mismatch_raises_invalid_input() -> None:
    usd = Money(amount=Decimal(1), currency="USD")
    with pytest.raises(InvalidInputError, match=r"cannot add USD and EUR money"):
        _ = eur("1") + usd
    with pytest.raises(InvalidInputError, match=r"cannot subtract USD and EUR money"):
        _ = eur("1") - usd
    with pytest.raises(InvalidInputError, match=r"cannot compare USD and EUR money"):
        _ = eur("1") < usd
    assert eur("1") != Money(amount=Decimal(1), currency="USD")


def test_zero_total_and_builtin_sum() -> None:
    assert Money.zero("USD") == Money(amount=Decimal(0), currency="USD")
    assert Money.zero("EUR").is_zero
    assert Money.total([eur("1.5"), eur("2.25")], currency="EUR") == eur("3.75")
    assert Money.total([], currency="CHF") == Money.zero("CHF")
    assert sum([eur("1"), eur("2")]) == eur("3")
    with pytest.raises(InvalidInputError):
        Money.total([Money.parse("1 USD")], currency="EUR")


def test_multiplication_by_numbers_avoids_float_noise() -> None:
    assert eur("48000") * 0.6 == eur("28800")
    assert (eur("10") * 0.1).amount == Decimal("1.0")
    assert 2 * eur("1.25") == eur("2.50")
    assert eur("3") * Decimal("0.5") == eur("1.5")
    with pytest.raises(TypeError):
        _ = eur("1") * True


def test_comparisons() -> None:
    assert eur("1") < eur("2") <= eur("2") < eur("3")
    assert eur("3") > eur("2") >= eur("2")
    assert eur("1.0") == eur("1.00")
    assert hash(eur("1.0")) == hash(eur("1.00"))


@pytest.mark.parametrize(
    "value",
    ["1200.50 EUR", "EUR 1200.50", "  1200.50   eur ", {"amount": "1200.50", "currency": "EUR"}],
)
def test_parse_forms(value: str | dict[str, str]) -> None:
    money = Money.parse(value)
    assert money.amount == Decimal("1200.50")
    assert money.currency == "EUR"
    assert str(money) == "1200.50 EUR"


@pytest.mark.parametrize("value", ["1200.50", "12 EURO", "abc EUR", "1 2 EUR", "NaN EUR", "1 E1"])
def test_parse_rejects_non_money(value: str) -> None:
    with pytest.raises(InvalidInputError, match="not money"):
        Money.parse(value)


def test_model_field_accepts_strings_and_rejects_bad_currency() -> None:
    project = Project(id="A", name="A", budget="250000 EUR")
    assert project.budget == eur("250000")
    with pytest.raises(ValidationError, match="currency"):
        Money(amount=Decimal(1), currency="EURO")


def test_json_keeps_amount_as_exact_string() -> None:
    money = Money.parse("0.1000000000000000000000001 EUR")
    dumped = money.model_dump(mode="json")
    assert dumped == {"amount": "0.1000000000000000000000001", "currency": "EUR"}
    assert Money.model_validate(json.loads(json.dumps(dumped))) == money
    assert Money.model_validate_json(money.model_dump_json()).amount == money.amount


def test_money_is_frozen() -> None:
    money = eur("1")
    with pytest.raises(ValidationError):
        money.amount = Decimal(2)  # type: ignore[misc]
    assert money.with_amount("7.25") == eur("7.25")


def test_arithmetic_is_exact_whatever_the_decimal_context() -> None:
    big = eur("123456789012345678901234567.89")  # 29 digits: more than the default context
    assert (big + eur("0.01")).amount == Decimal("123456789012345678901234567.90")
    assert (big - eur("0.01")).amount == Decimal("123456789012345678901234567.88")
    assert (big * 2).amount == Decimal("246913578024691357802469135.78")
    with localcontext() as ctx:
        ctx.prec = 3  # as a plugin might set for its own figures
        assert (eur("1234.56") + eur("0.01")).amount == Decimal("1234.57")
        assert (eur("1234.56") - eur("1000")).amount == Decimal("234.56")
        assert (-eur("1234.56")).amount == Decimal("-1234.56")
        assert (eur("1234.56") * Decimal("1.5")).amount == Decimal("1851.840")
        assert Money.total([eur("999.99")] * 3, currency="EUR").amount == Decimal("2999.97")


def test_comparing_with_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'<' not supported"):
        _ = eur("1") < 5  # type: ignore[operator]
    with pytest.raises(TypeError, match="'>=' not supported"):
        _ = eur("1") >= Decimal(5)  # type: ignore[operator]


def test_parse_error_names_the_part_that_is_wrong() -> None:
    with pytest.raises(InvalidInputError) as info:
        Money.parse("12 EURO")
    assert str(info.value).startswith("not money: '12 EURO' (currency: ")
    with pytest.raises(InvalidInputError) as info:
        Money.parse({"amount": "twelve", "currency": "EUR"})
    assert "(amount: " in str(info.value)
    assert "twelve" in str(info.value)
