"""The store's JSON text: written by orjson, the same text ``json`` writes, which the
journal's hash chain depends on (``JournalEntry.chain_hash`` recomputes it with ``json``)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import InvalidInputError
from pmo_core._json import compact_or_none
from pmo_core._store._common import dumps, loads


def _json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


_FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [1e-05, 9.9e-05, 0.0001, 1e-7, 1e16, 1e15 + 0.5, 1.5e300, 5e-324, -0.0, 12345678901234567.0]
)
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | _FLOATS
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@given(st.dictionaries(st.text(max_size=8), _VALUES, max_size=6))
def test_the_text_is_what_json_writes_and_reads_back_the_same(data: dict[str, Any]) -> None:
    text = dumps(data)

    assert text == _json(data)
    assert loads(text) == json.loads(text) == data


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_even_where_orjson_would_write_null(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="not JSON-able"):
        dumps({"x": [1, {"y": bad}]})


class Colour(Enum):
    RED = "red"


def test_values_json_has_no_type_for_are_written_as_before() -> None:
    data = {
        "d": date(2026, 12, 3),
        "at": datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc),
        "amount": Decimal("12.50"),
        "tags": {"b", "a"},
        "colour": Colour.RED,
        "n": 2**80,
        1: "key made text",
    }

    assert loads(dumps(data)) == {
        "d": "2026-12-03",
        "at": "2026-12-03T09:30:00+00:00",
        "amount": "12.50",
        "tags": ["a", "b"],
        "colour": "red",
        "n": 2**80,
        "1": "key made text",
    }


def test_what_json_cannot_write_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidInputError, match="object is not JSON serializable"):
        dumps({"x": object()})
    with pytest.raises(InvalidInputError, match="must be a dict"):
        dumps([1, 2])  # type: ignore[arg-type]


def test_a_lone_surrogate_is_kept_as_json_keeps_it() -> None:
    text = dumps({"s": "a\ud800b"})

    assert text == _json({"s": "a\ud800b"})
    assert loads(text) == {"s": "a\ud800b"}


@given(st.dictionaries(st.text(max_size=8), _VALUES, max_size=6))
def test_sorted_text_is_what_json_writes_with_sorted_keys(data: dict[str, Any]) -> None:
    text = compact_or_none(data, str, sort_keys=True)

    expected = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    assert text is None or text == expected
    assert compact_or_none({"b": [1, 2.5], "a": "x"}, str, sort_keys=True) == (
        '{"a":"x","b":[1,2.5]}'
    )
