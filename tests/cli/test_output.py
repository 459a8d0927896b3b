"""The table, JSON and option-type helpers."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import InvalidInputError
from pmo_core._cli._output import dumps, json_default, paint, pretty_json
from pmo_core._cli._params import ChoiceType, DateType, IntType, MoneyType
from pmo_core._cli._tables import table


class Colour(Enum):
    RED = "red"


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


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False).filter(
        lambda f: "e" not in repr(f)  # exponent spelling differs (1e-07 / 1e-7), same number
    )
    | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_pretty_json_writes_what_the_standard_library_writes(data: object) -> None:
    expected = json.dumps(data, indent=2, ensure_ascii=False, default=json_default)

    assert pretty_json(data, json_default) == expected


def test_pretty_json_falls_back_for_what_orjson_refuses() -> None:
    huge = {"n": 2**70, "s": "lone \ud800 surrogate"}

    assert pretty_json(huge, json_default) == json.dumps(huge, indent=2, ensure_ascii=False)


def test_dumps_keeps_datetimes_sets_and_non_string_keys_as_before() -> None:
    when = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
    data = {1: when, "tags": {"a"}, "kind": Colour.RED, None: (1, 2)}

    assert json.loads(dumps(data)) == {
        "1": "2026-12-03T09:00:00+00:00",
        "tags": ["a"],
        "kind": "red",
        "null": [1, 2],
    }
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False, default=json_default)


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({}, False),
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"CLICOLOR_FORCE": "0"}, False),
        ({"CLICOLOR_FORCE": ""}, False),
        ({"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_clicolor_force_colours_output_that_is_not_a_terminal(
    pmo_cli: Any, pmo_workspace: Any, env: dict[str, str], coloured: bool
) -> None:
    pmo_workspace.create("project", id="ALPHA", name="Alpha")
    pmo_workspace.report_status("ALPHA", overall="red", summary="Late")

    result = pmo_cli("project", "list", workspace=pmo_workspace, env={"NO_COLOR": "", **env})

    assert result.exit_code == 0, result.stderr
    assert ("\x1b[31m" in result.output) is coloured
    assert click.unstyle(result.output).splitlines()[1].split()[:2] == ["ALPHA", "Alpha"]
