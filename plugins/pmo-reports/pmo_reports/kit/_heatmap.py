"""A grid of labelled cells: RAG per program and dimension, the 5 x 5 risk grid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._vega import Chart, Tone, label, vega_chart

# Light cell fills, so the black label stays readable in both themes.
CELL_FILLS: Mapping[str, str] = {
    "green": "#c8e6c9",
    "amber": "#ffe0b2",
    "red": "#ffcdd2",
    "none": "#e8eaed",
}


def heatmap(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[str, str], tuple[str, Tone | None]],
    *,
    alt: str = "",
    x_title: str = "",
    y_title: str = "",
) -> Chart:
    """A grid with a label in each cell, its fill by tone: RAG per program and dimension,
    or the 5 x 5 risk grid (probability up, impact across) with a count per cell.

    ``cells`` maps ``(row, column)`` to ``(label, tone)``; a missing cell is drawn empty.
    Every cell says its label, so the fill is never the only signal.

    Example::

        heatmap("RAG by program", ["ERP", "CRM"], ["schedule", "cost"],
                {("ERP", "schedule"): ("RED", "red"), ("ERP", "cost"): ("GREEN", "green"),
                 ("CRM", "schedule"): ("n/a", None)})
    """
    row_names = [label(r) for r in rows]
    column_names = [label(c, 24) for c in columns]
    values = []
    for r, row_name in zip(rows, row_names, strict=True):
        for c, column_name in zip(columns, column_names, strict=True):
            text, tone = cells.get((r, c), ("", None))
            values.append(
                {
                    "row": row_name,
                    "column": column_name,
                    "label": label(text, 12),
                    "tone": tone or "none",
                }
            )
    spec = {
        "width": {"step": 90},
        "height": {"step": 30},
        "data": {"values": values},
        "encoding": {
            "y": {"field": "row", "type": "nominal", "sort": row_names, "title": y_title or None},
            "x": {
                "field": "column",
                "type": "nominal",
                "sort": column_names,
                "title": x_title or None,
                "axis": {"orient": "top", "labelAngle": 0},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#9aa1ab", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "tone",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": list(CELL_FILLS), "range": list(CELL_FILLS.values())},
                    },
                },
            },
            {
                "name": "cells",
                "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold"},
                "encoding": {"text": {"field": "label"}, "color": {"value": "#111111"}},
            },
        ],
    }
    default = f"Heat map of {len(rows)} rows by {len(columns)} columns, each cell labelled."
    return vega_chart(spec, title=title, alt=alt or default)
