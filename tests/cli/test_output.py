"""The table, JSON and option-type helpers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import click
import pytest

from pmo_core import InvalidInputError
from pmo_core._cli._output import (
    ChoiceType,
    DateType,
    IntType,
    MoneyType,
    dumps,
    paint,
    table,
)


def test_table_aligns_columns_and_shows_missing_values() -> None:
    text = table(
        ["key", "rag", "owner"],
        [["ALPHA", "green", None], ["LONGER-KEY", "red", "Sam"]],
        colour=False,
    )

    assert text.splitlines() == [
        "KEY         RAG    OWNER",
        "ALPHA       green  -",
        "LONGER-KEY  red    Sam",
    ]


def test_colour_only_on_health_words_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    coloured = table(["rag"], [["red"], ["plain"]], colour=True)
    assert "\x1b[" in coloured.splitlines()[1]
    assert "\x1b[" not in coloured.splitlines()[2]
    assert click.unstyle(coloured).splitlines()[1] == "red"

    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("red") == "red"


def test_json_handles_decimal_dates_and_keeps_key_order() -> None:
    text = dumps({"z": Decimal("1.50"), "a": date(2025, 1, 2), "m": ("x",)})

    assert json.loads(text) == {"z": "1.50", "a": "2025-01-02", "m": ["x"]}
    assert text.index('"z"') < text.index('"a"')
    assert text.startswith('{\n  "z"')


def _option(name: str) -> click.Option:
    return click.Option([name])


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (DateType(), "2025-13-01", "--when: '2025-13-01' is not a date"),
        (MoneyType(), "12", "--when: '12' is not money"),
        (ChoiceType(["a", "b"]), "c", "--when: 'c' is not one of a, b"),
        (IntType(1, 3), "x", "--when: 'x' is not a whole number"),
    ],
)
def test_option_types_name_the_option(kind: click.ParamType, value: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        kind.convert(value, _option("--when"), None)

    assert str(info.value) == message or str(info.value).startswith(message)


def test_option_types_convert_good_values() -> None:
    assert DateType().convert("2025-06-30", None, None) == date(2025, 6, 30)
    assert str(MoneyType().convert("EUR 12.5", None, None)) == "12.5 EUR"
    assert ChoiceType(["green"]).convert("GREEN", None, None) == "green"
    assert IntType(1, 3).convert("2", None, None) == 2
