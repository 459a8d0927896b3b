"""The ``capacity`` report: capacity against demand for every role and month, as a table and a
role x month heat map, in every format of the report kit."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from pmo_reports.kit import (
    MEDIA_TYPES,
    Column,
    Paragraph,
    Section,
    Table,
    heatmap,
    md_text,
    page,
    workbook,
)
from pydantic import ValidationError

from pmo_core import InvalidInputError, Metric, ReportOutput, ReportRequest

from ._capacity import (
    CapacityCell,
    ResourceSettings,
    capacity_demand,
    counted_allocations,
    month_end,
    parse_month,
    span,
)

#: The formats of the ``capacity`` report: every format of the report kit, Markdown first.
OPTIONS = ("from", "to", "over_allocated_above", "under_used_below")
Tone = Literal["green", "amber", "red"]
#: A cell's fill by its state: over red, under amber, ok green, idle none.
TONES: Mapping[str, Tone | None] = {"over": "red", "under": "amber", "ok": "green", "idle": None}

COLUMNS = [
    Column("role", "Role"),
    Column("month", "Month"),
    Column("capacity", "Capacity", "money"),
    Column("demand", "Demand", "money"),
    Column("utilisation", "Utilisation", "percent"),
    Column("state", "State"),
]


def report_window(request: ReportRequest) -> tuple[date, date]:
    """The months the report covers: ``from`` and ``to`` options (``YYYY-MM``), else the span
    of the counted allocations, else the status date's month.

    Example::

        report_window(request)  # (date(2025, 1, 1), date(2025, 6, 30))
    """
    options = request.options
    found = span(counted_allocations(request.view))
    if "from" in options:
        start = parse_month(str(options["from"]), "--option from")
    else:
        start = found[0] if found else request.status_date
    if "to" in options:
        end = month_end(parse_month(str(options["to"]), "--option to"))
    else:
        end = found[1] if found else request.status_date
    if end < start:
        raise InvalidInputError(f"{options.get('to', end)} is before {start}", where="--option to")
    return start, end


def report_settings(options: Mapping[str, Any]) -> ResourceSettings:
    """The thresholds from the report's options (defaults otherwise)."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise InvalidInputError(
            f"report 'capacity' takes {', '.join(OPTIONS)}, not {', '.join(unknown)}",
            where="--option",
        )
    given = {k: str(v) for k, v in options.items() if k not in ("from", "to")}
    try:
        return ResourceSettings(**given)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "thresholds"
        raise InvalidInputError(f"{first['msg']}", where=f"--option {where}") from None


def cell_row(cell: CapacityCell) -> dict[str, Any]:
    """One cell as a report row (utilisation in percent, ``None`` when undefined).

    Example::

        cell_row(cell)["utilisation"]  # Decimal('125.00')
    """
    util = cell.utilisation
    return {
        "role": cell.role,
        "month": cell.month,
        "capacity": cell.capacity,
        "demand": cell.demand,
        "utilisation": None if util is None else util * 100,
        "state": cell.state,
    }


def _metrics(cells: Sequence[CapacityCell]) -> tuple[Metric, ...]:
    return tuple(
        Metric(
            name=f"utilisation:{c.role}:{c.month}",
            value=c.utilisation,
            formula="demand / capacity",
            inputs={"demand": c.demand, "capacity": c.capacity},
            unit="ratio",
            source="pmo-resources",
        )
        for c in cells
    )


def render_capacity(request: ReportRequest) -> ReportOutput:
    """Render the ``capacity`` report (PMO-wide: resources belong to no entity).

    Example::

        ws.report("capacity", None, format="md", options={"from": "2025-01", "to": "2025-06"})
    """
    settings = report_settings(request.options)
    start, end = report_window(request)
    cells = capacity_demand(request.view, start, end, settings=settings)
    rows = [cell_row(c) for c in cells]
    title = "Capacity against demand"
    subtitle = (
        f"{start:%Y-%m} to {end:%Y-%m}, hours; over-allocated above "
        f"{settings.over_allocated_above * 100:.0f} %, under-used below "
        f"{settings.under_used_below * 100:.0f} % of capacity"
    )
    table = Table("capacity", "Capacity by role and month", COLUMNS, rows, currency="h")
    fmt = request.format
    media = MEDIA_TYPES[fmt]
    metrics = _metrics(cells)
    if fmt == "json":
        data = {
            "report": "capacity",
            "from": f"{start:%Y-%m}",
            "to": f"{end:%Y-%m}",
            "settings": {k: str(v) for k, v in settings.model_dump().items()},
            "cells": [
                {
                    **r,
                    **{
                        k: None if r[k] is None else str(r[k])
                        for k in ("capacity", "demand", "utilisation")
                    },
                }
                for r in rows
            ],
        }
        return ReportOutput(json.dumps(data, indent=2, ensure_ascii=False), media, metrics)
    if fmt == "csv":
        return ReportOutput(table.csv(), media, metrics)
    if fmt == "xlsx":
        return ReportOutput(workbook([table], created=request.status_date), media, metrics)
    if fmt == "html":
        roles = sorted({c.role for c in cells})
        month_names = sorted({c.month for c in cells})
        grid = {
            (c.role, c.month): (
                "n/a" if c.utilisation is None else f"{c.utilisation * 100:.0f} %",
                TONES[c.state],
            )
            for c in cells
        }
        chart = heatmap(
            "Utilisation by role and month",
            roles,
            month_names,
            grid,
            alt="Demand as a share of capacity for each role and month; red over, amber under.",
        )
        note = Paragraph(subtitle)
        content = page(title, [Section("Utilisation", [note, chart, table])], subtitle=subtitle)
        return ReportOutput(content, media, metrics)
    lines = [f"# {title}", "", md_text(subtitle), "", *table.markdown(), ""]
    return ReportOutput("\n".join(lines), media, metrics)


__all__ = ["render_capacity"]
