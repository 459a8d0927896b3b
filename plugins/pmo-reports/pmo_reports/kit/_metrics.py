"""Metrics with their lineage as a table: the value in its unit, the formula, the inputs it
was computed from, the colour and the rule's source, one row per metric."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pmo_core import Metric

from ._table import Column, ColumnKind, Table, number_text

# A metric's unit says how its value reads; any other unit is a currency code.
_KINDS: Mapping[str, ColumnKind] = {
    "ratio": "index",
    "%": "percent",
    "rag": "rag",
    "days": "days",
    "projects": "int",
    "score": "index",
}
METRIC_COLUMNS = (
    Column("label", "Figure"),
    Column("value", "Value", "money", kind_key="kind", currency_key="currency"),
    Column("rag", "RAG", "rag", missing=""),
    Column("formula", "Formula"),
    Column("inputs", "Inputs"),
    Column("source", "Source", missing=""),
    Column("name", "Name"),
)


# Inputs are kept unrounded (34 digits) so a reader can re-derive the published value; a page
# shows six decimal places of them and marks the cut with an ellipsis (the JSON keeps all).
_SHOWN = Decimal("0.000001")
_SHOWN_PLACES = 6


def _input_text(value: Decimal | str | None) -> str:
    if value is None:
        return "n/a"
    if not isinstance(value, Decimal):
        return value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _SHOWN_PLACES:
        return number_text(value.quantize(_SHOWN)) + "\u2026"
    return number_text(value)


def _inputs(inputs: Mapping[str, Decimal | str | None]) -> str:
    return "; ".join(f"{k} = {_input_text(v)}" for k, v in inputs.items())


def metric_row(metric: Metric, label: str = "") -> dict[str, Any]:
    """One metric as a row of :func:`metrics_table`.

    Example::

        spi = measure_project(view, "ALPHA").metric("spi")
        metric_row(spi, "Schedule performance index (SPI)")["kind"]  # 'index'
    """
    kind = _KINDS.get(metric.unit, "money")
    value: Any = metric.value
    if kind == "rag":
        value = metric.rag
    elif kind == "int" and value is not None:
        value = int(value)
    return {
        "name": metric.name,
        "label": label or metric.name.upper(),
        "value": value,
        "kind": kind,
        "currency": metric.unit if kind == "money" else "",
        "rag": metric.rag,
        "formula": metric.formula,
        "inputs": _inputs(metric.inputs),
        "source": metric.source,
    }


def metrics_table(
    name: str,
    title: str,
    metrics: Sequence[Metric],
    *,
    labels: Mapping[str, str] | None = None,
    only: Sequence[str] = (),
) -> Table:
    """A table of metrics with their lineage: figure, value in its unit (money with its
    currency, indices to four places, percentages, colours), RAG, formula, inputs, source.
    An input with more than six decimal places shows six and an ellipsis (``PV =
    449648.648649…``); the metric itself, and so the JSON, keeps every digit.

    ``labels`` names the figures (``{"spi": "Schedule performance index (SPI)"}``); ``only``
    keeps those metrics, in that order.

    Example::

        figures = measure_project(view, "ALPHA")
        table = metrics_table("metrics", "Key figures", figures.metrics,
                              labels={"bac": "Budget at completion (BAC)"},
                              only=("bac", "pv", "ev", "ac", "spi", "cpi"))
    """
    names = labels or {}
    chosen = list(metrics)
    if only:
        by_name = {m.name: m for m in metrics}
        chosen = [by_name[n] for n in only if n in by_name]
    rows = [metric_row(m, names.get(m.name, "")) for m in chosen]
    return Table(name, title, METRIC_COLUMNS, rows)
