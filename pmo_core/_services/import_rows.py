"""A new work item's document made straight from an import's row, for the plain rows.

Nearly every row of a large import is a new work item whose values are plain: a key, short
one-line texts, dates the connector parsed, decimal numbers, amounts with a currency. For
such a row :func:`work_item_document` gives the document :class:`~pmo_core.WorkItem` gives
(validated, given its first progress point as every write of a work item is, dumped), by
exact checks much cheaper than the model's. A row it does not take for sure (a value with
spaces around it, a number in another notation, a field it does not know, anything the
model would refuse) gets ``None`` and goes through the model, which gives the message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, get_args

from .._domain._base import ID_MAX_LENGTH, KEY_PATTERN, NAME_MAX_LENGTH, _none_by_default
from .._domain.planning import EvMethod, WorkItem
from .._text import UNSAFE_IN_LINE

_KEY = re.compile(KEY_PATTERN)
# A decimal as an export or a spreadsheet writes it: no sign, no leading zero, no exponent,
# few enough digits that float() and the model's parser give the same double, and that
# Decimal gives the text back unchanged.
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,6})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_EV_METHODS = frozenset(get_args(EvMethod))

_template: dict[str, Any] | None = None


def _defaults() -> dict[str, Any]:
    # The document of a work item with nothing set: every default as the model dumps it,
    # in the model's field order.
    global _template
    if _template is None:
        _template = WorkItem(project="X", subject="x").to_document(every_field=True)
    return _template


# What a converter gives for a value it does not take for sure.
_NO: Any = object()


def _name(value: Any) -> Any:
    return value if value != "" and _line(value) else _NO


def _one_line(value: Any) -> Any:
    return value if _line(value) else _NO


def _line(value: Any) -> bool:
    return (
        type(value) is str
        and len(value) <= NAME_MAX_LENGTH
        and value.strip() == value
        and UNSAFE_IN_LINE.search(value) is None
    )


def _id(value: Any) -> Any:
    if value != "" and _line(value) and len(value) <= ID_MAX_LENGTH and value.isprintable():
        return value
    return _NO


def _key(value: Any) -> Any:
    return value if type(value) is str and _KEY.fullmatch(value) else _NO


def _number(value: Any) -> Any:
    if type(value) is str:
        return float(value) if _DECIMAL.fullmatch(value) else _NO
    if type(value) is float and math.isfinite(value) and value >= 0:
        return value
    if type(value) is int and 0 <= value < 2**53:
        return float(value)
    return _NO


def _percent(value: Any) -> Any:
    number = _number(value)
    return number if number is not _NO and number <= 100 else _NO


def _date(value: Any) -> Any:
    return value.isoformat() if type(value) is date else _NO


def _money(value: Any) -> Any:
    if type(value) is not dict or len(value) != 2:
        return _NO
    amount, currency = value.get("amount"), value.get("currency")
    if (
        type(amount) is str
        and type(currency) is str
        and _DECIMAL.fullmatch(amount)
        and _CURRENCY.fullmatch(currency)
    ):
        return {"amount": amount, "currency": currency}
    return _NO


def _ev_method(value: Any) -> Any:
    return value if type(value) is str and value in _EV_METHODS else _NO


# Each field taken, and how its value becomes the document's (or _NO).
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "id": _id,
    "project": _key,
    "subject": _name,
    "type": _name,
    "status": _name,
    "assignee": _one_line,
    "iteration": _one_line,
    "start": _date,
    "due": _date,
    "work": _number,
    "remaining": _number,
    "points": _number,
    "percent_complete": _percent,
    "ev_method": _ev_method,
    "budget": _money,
    "actual_cost": _money,
}
_FIELDS = frozenset(_CONVERT)


def work_item_document(
    data: Mapping[str, Any], today: date, actor: str | None = None
) -> dict[str, Any] | None:
    """The document of the new work item ``data`` describes, stamped on ``today`` by
    ``actor``, or ``None`` when a value is not one these checks take for sure.

    Equal to ``stamp_history(WorkItem.model_validate(data), None, today, actor).to_document()``
    whenever it is not ``None`` (tested against it, row by row).

    Example::

        work_item_document({"id": "w1", "project": "ALPHA", "subject": "Build",
                            "percent_complete": "40"}, date(2025, 3, 31))["progress"]
        # [{'on': '2025-03-31', 'percent': 40.0, 'actual_cost': None}]
    """
    if not _FIELDS.issuperset(data) or "project" not in data or "subject" not in data:
        return None
    doc = dict(_defaults())
    convert = _CONVERT
    for name, value in data.items():
        value = convert[name](value)
        if value is _NO:
            return None
        doc[name] = value
    start, due = doc["start"], doc["due"]
    if start is not None and due is not None and due < start:  # ISO dates sort as text
        return None
    budget, cost = doc["budget"], doc["actual_cost"]
    if budget is not None and cost is not None and budget["currency"] != cost["currency"]:
        return None
    doc["links"], doc["corrections"] = [], []
    percent = doc["percent_complete"]
    # The first point of its progress history, as stamp_progress gives a new item.
    progress = (
        [{"on": today.isoformat(), "percent": float(percent), "actual_cost": cost and dict(cost)}]
        if percent > 0 or cost is not None
        else []
    )
    doc["progress"] = progress
    # The first change of its status history, as stamp_transition gives a new item.
    doc["transitions"] = [{"on": today.isoformat(), "status": doc["status"], "actor": actor}]
    # Stored as to_document() stores it: a field None by default is left out when None.
    for name in _none_by_default(WorkItem):
        if doc[name] is None:
            del doc[name]
    return doc
