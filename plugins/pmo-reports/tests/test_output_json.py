"""The JSON writer of the reports: the text json.dumps(indent=2) writes, lists given as
iterators written item by item."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pmo_reports._output import _json


def _expected(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


PROJECT = {
    "key": "ALPHA",
    "name": 'Ålpha \x00 \u2028 "quoted"',
    "metrics": [{"name": "cpi", "value": Decimal("0.95"), "inputs": {"EV": 1.5, "n": 2**70}}],
    "on": date(2026, 12, 3),
    "empty": {},
    "none": [],
}


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_streamed_list_is_written_as_the_whole_list_would_be(count: int) -> None:
    items = [dict(PROJECT, key=f"P{i}") for i in range(count)]
    head = {"report": "portfolio-summary", "scope": {"kind": "pmo", "key": None}}
    tail = {"nodes": [{"key": "PF", "metrics": []}], "ended": []}

    text = _json({**head, "projects": iter(items), **tail})

    assert text == _expected({**head, "projects": items, **tail})


def test_several_streamed_lists_and_data_that_looks_like_the_slot() -> None:
    lookalike = "\x00" + "0" * 32 + "\x00projects"
    document = {"name": lookalike, "projects": [PROJECT], "nodes": [PROJECT, PROJECT]}

    text = _json(
        {**document, "projects": iter(document["projects"]), "nodes": iter(document["nodes"])}
    )

    assert text == _expected(document)
