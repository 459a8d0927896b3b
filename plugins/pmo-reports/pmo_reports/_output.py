"""Shared output helpers: number formatting, Markdown tables and the JSON envelope."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pmo_core import Entity, Metric, ReportOutput

from ._figures import Figures, Row

NA = "n/a"
VERSION = "0.1.0"
GENERATED_BY = f"pmo-reports {VERSION}"


def money(value: Decimal | None, currency: str = "") -> str:
    """``1,250.00 EUR``, or ``n/a`` when undefined (never 0)."""
    if value is None:
        return NA
    text = f"{value:,.2f}"
    return f"{text} {currency}".strip()


def index(value: Decimal | None) -> str:
    """An index as published (4 places), or ``n/a``."""
    return NA if value is None else f"{value:.4f}"


def figure(metric: Metric, currency: str) -> str:
    """A metric's value in its unit, or ``n/a``."""
    if metric.unit == "ratio":
        return index(metric.value)
    if metric.unit == "%":
        return NA if metric.value is None else f"{metric.value:.2f} %"
    return money(metric.value, currency)


def rag(colour: str | None, *, missing: str = NA) -> str:
    """A colour as a word a reader cannot misread in plain text."""
    return missing if colour is None else colour.upper()


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ").strip() or "—"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table as lines."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def metric_json(metric: Metric) -> dict[str, Any]:
    """A metric with its lineage, Decimals as strings so no precision is lost."""
    return metric.model_dump(mode="json")


def scope_json(scope: Entity | None) -> dict[str, Any]:
    """Which entity a report is about."""
    if scope is None:
        return {"kind": "pmo", "key": None, "name": None}
    return {"kind": scope.kind, "key": scope.id, "name": scope.name}


def project_json(row: Row) -> dict[str, Any]:
    """One project's entry of the ``projects`` list."""
    project, figures = row.project, row.figures
    return {
        "key": project.id,
        "name": project.name,
        "phase": project.phase,
        "status": project.status.value,
        "currency": figures.currency,
        "work_items": figures.work_items,
        "measured": figures.measured,
        "note": figures.note or None,
        "reported": {
            "overall": row.reported,
            "as_of": row.reported_on.isoformat() if row.reported_on else None,
        },
        "computed": {
            "schedule": figures.schedule,
            "cost": figures.cost,
            "overall": figures.overall,
        },
        "watermelon": row.watermelon,
        "metrics": [metric_json(m) for m in figures.metrics],
    }


def envelope(
    report: str, scope: Entity | None, as_of: date, figures: Figures, **more: Any
) -> dict[str, Any]:
    """The JSON document every report of this plugin starts from."""
    return {
        "report": report,
        "scope": scope_json(scope),
        "as_of": as_of.isoformat(),
        "generated_by": GENERATED_BY,
        "currency": figures.currency,
        "metrics": [metric_json(m) for m in figures.metrics],
        **more,
    }


def output(
    fmt: str, markdown: Sequence[str], document: Mapping[str, Any], metrics: Sequence[Metric]
) -> ReportOutput:
    """The ReportOutput for ``fmt`` (``md`` or ``json``)."""
    if fmt == "json":
        content = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
        return ReportOutput(content=content, media_type="application/json", metrics=tuple(metrics))
    return ReportOutput(
        content="\n".join(markdown).rstrip() + "\n",
        media_type="text/markdown",
        metrics=tuple(metrics),
    )
