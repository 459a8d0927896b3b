"""Charts as static, inline SVG: a Vega-Lite spec rendered by vl-convert, offline.

No JavaScript reaches the page and nothing is fetched: vl-convert runs Vega in-process and
writes SVG, with every text it draws escaped. Data reaches a chart only as values of the
spec (labels cut to a readable length, control and bidi characters shown as escapes, which
also keeps vl-convert's SVG parser from failing on them). Large inputs stay small: labels
are drawn only for a few points, many points are binned, long category lists are cut to the
largest, and coordinates are rounded to two places.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup

from ._format import plain
from ._page import fragment

Tone = Literal["green", "amber", "red"]

#: Mark colours by RAG, readable on a light and a dark page; shapes say it again.
TONE_COLOURS: Mapping[str, str] = {
    "green": "#2e7d32",
    "amber": "#d98c00",
    "red": "#c62828",
    "none": "#7b8794",
}
TONE_SHAPES: Mapping[str, str] = {
    "green": "circle",
    "amber": "square",
    "red": "triangle-up",
    "none": "diamond",
}
# Light cell fills for heat maps, so the black label stays readable in both themes.
_CELL_FILLS = {"green": "#c8e6c9", "amber": "#ffe0b2", "red": "#ffcdd2", "none": "#e8eaed"}
_SERIES_COLOURS = ["#3b6ea8", "#2e7d32", "#c0571b", "#7b4fa0", "#8c6d1f"]
_TONES = ("green", "amber", "red", "none")
_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
LABEL_LIMIT = 40
LABELLED_POINTS = 30
BINNED_ABOVE = 400
# Geometry attributes only: text drawn from data is never touched.
_GEOMETRY = re.compile(r' (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"')
_LONG_NUMBER = re.compile(r"(\d+\.\d\d)\d+")
_NAMESPACES = re.compile(r' xmlns(:xlink)?="[^"]*"')


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its title (the figure caption and the SVG ``<title>``), its alt
    text (the SVG's ``aria-label``, with ``role="img"``), the SVG itself, and a note said
    under it (what was left out or binned).

    Example::

        chart = bar_chart("Budget", ["ALPHA"], {"BAC": [Decimal(3000)]})
        chart.svg.startswith("<svg")  # True
    """

    title: str
    alt: str
    svg: Markup
    note: str = ""
    kind: Literal["chart"] = field(default="chart", init=False)

    def html(self) -> Markup:
        """The chart as an HTML ``<figure>`` with its caption.

        Example::

            str(chart.html()).startswith('<figure class="chart">')  # True
        """
        return fragment("chart", self)


@dataclass(frozen=True)
class Bubble:
    """One point of :func:`bubble_chart`: a label, its x and y, its size and its colour.

    Example::

        Bubble("ALPHA", x=Decimal("0.75"), y=Decimal("1.0"), size=Decimal(3000), rag="red")
    """

    label: str
    x: Decimal
    y: Decimal
    size: Decimal = Decimal(1)
    rag: Tone | None = None


@dataclass(frozen=True)
class GanttBar:
    """One row of :func:`gantt`: a bar from ``start`` to ``finish`` in ``group``, and when
    the work runs past its finish, ``late_until`` (drawn on from the finish, marked late).

    Example::

        GanttBar("ALPHA", date(2025, 1, 1), date(2025, 6, 30), group="ERP",
                 late_until=date(2025, 8, 15))
    """

    row: str
    start: date
    finish: date
    group: str = ""
    late_until: date | None = None


@dataclass(frozen=True)
class GanttMilestone:
    """A milestone of :func:`gantt`: a point on ``row`` at ``on``.

    Example::

        GanttMilestone("ALPHA", date(2025, 3, 1), "Design signed off")
    """

    row: str
    on: date
    label: str = ""


def label(value: Any, limit: int = LABEL_LIMIT) -> str:
    """Data as a chart label: plain (control characters escaped), cut to ``limit``.

    Example::

        label("x" * 100)  # 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    text = plain(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Decimal | int | None, places: int = 4) -> float | None:
    # The spec is JSON for a picture: floats, rounded so the SVG and the spec stay small.
    # Figures themselves stay Decimals in every table.
    return None if value is None else round(float(value), places)


def _rounded(found: re.Match[str]) -> str:
    numbers = _LONG_NUMBER.sub(r"\1", found[2])
    return f' {found[1]}="{numbers}"'


def vega_chart(spec: Mapping[str, Any], *, title: str, alt: str, note: str = "") -> Chart:
    """Render a Vega-Lite spec to a :class:`Chart`, for charts of one's own.

    The spec gets the kit's defaults (no background, no per-mark ARIA labels, which would
    repeat every data point) unless it sets its own ``config``; nothing may be fetched.

    Example::

        chart = vega_chart(
            {"data": {"values": [{"a": "x", "b": 1}]}, "mark": "bar",
             "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}}},
            title="One bar", alt="A bar chart with one bar.",
        )
    """
    # vl-convert (and its bundled JavaScript engine) loads on the first chart only.
    import vl_convert

    full = {
        "$schema": _SCHEMA,
        "config": {
            "aria": False,
            "background": None,
            "view": {"stroke": None},
            "font": "DejaVu Sans, Verdana, sans-serif",
            "legend": {"labelLimit": 200},
            "axis": {"labelLimit": 220},
        },
        **spec,
    }
    svg = vl_convert.vegalite_to_svg(full, allowed_base_urls=[])
    svg = _GEOMETRY.sub(_rounded, svg)
    # Inline SVG in HTML needs no namespace declarations; without them the page names no
    # URL at all.
    svg = _NAMESPACES.sub("", svg)
    head, _, rest = svg.partition(">")
    described = (
        head.replace("<svg", f'<svg role="img" aria-label="{html.escape(plain(alt))}"', 1)
        + f"><title>{html.escape(plain(title))}</title>"
        + rest
    )
    return Chart(title=title, alt=alt, svg=Markup(described), note=note)


def line_chart(
    title: str,
    series: Mapping[str, Sequence[tuple[date, Decimal | None]]],
    *,
    alt: str = "",
    y_title: str = "",
    marker: date | None = None,
) -> Chart:
    """Lines over dates, one per series: the S-curve of cumulative PV, EV and AC.

    Each series has its own colour and dash pattern (colour is never the only signal);
    ``marker`` draws a dashed rule at a date (the status date). Undefined values are gaps.

    Example::

        line_chart(
            "S-curve",
            {"PV": [(date(2025, 1, 31), Decimal(100)), (date(2025, 2, 28), Decimal(250))],
             "EV": [(date(2025, 1, 31), Decimal(90)), (date(2025, 2, 28), Decimal(200))]},
            y_title="EUR",
            marker=date(2025, 2, 15),
        )
    """
    names = [label(name) for name in series]
    values = [
        {"date": on.isoformat(), "series": name, "value": _number(value, 2)}
        for name, points in zip(names, series.values(), strict=True)
        for on, value in points
    ]
    dates = sorted({on.isoformat() for points in series.values() for on, _ in points})
    temporal = {"type": "temporal", "scale": {"type": "utc"}}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": len(dates) <= 60, "strokeWidth": 2},
            "encoding": {
                "x": {
                    "field": "date",
                    **temporal,
                    "title": None,
                    "axis": {"format": "%Y-%m-%d", "labelAngle": -30},
                },
                "y": {"field": "value", "type": "quantitative", "title": y_title or None},
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "sort": names,
                    "scale": {"range": _SERIES_COLOURS},
                    "title": None,
                    "legend": {"orient": "top"},
                },
                # The dash says the series again (and prints in black and white); one
                # legend is enough, and each line is labelled at its end.
                "strokeDash": {"field": "series", "type": "nominal", "sort": names, "legend": None},
            },
        },
        {
            "name": "labels",
            "transform": [
                {"filter": "datum.value != null"},
                {
                    "joinaggregate": [{"op": "max", "field": "date", "as": "last"}],
                    "groupby": ["series"],
                },
                {"filter": "datum.date == datum.last"},
            ],
            "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
            "encoding": {
                "x": {"field": "date", **temporal},
                "y": {"field": "value", "type": "quantitative"},
                "text": {"field": "series"},
            },
        },
    ]
    if marker is not None:
        layers.append(
            {
                "data": {"values": [{"date": marker.isoformat()}]},
                "mark": {"type": "rule", "strokeDash": [3, 3], "color": "#7b8794"},
                "encoding": {"x": {"field": "date", **temporal}},
            }
        )
    spec = {"width": 560, "height": 260, "data": {"values": values}, "layer": layers}
    span = f" from {dates[0]} to {dates[-1]}" if dates else ""
    default = f"Line chart of {', '.join(names)}{span}" + (
        f"; a dashed rule marks {marker.isoformat()}." if marker else "."
    )
    return vega_chart(spec, title=title, alt=alt or default)


def _binned(bubbles: Sequence[Bubble]) -> list[dict[str, Any]]:
    # Many points: one bubble per 0.01 x 0.01 cell and colour, sized by the sum, unlabelled.
    cells: dict[tuple[float | None, float | None, str], list[Any]] = defaultdict(
        lambda: [Decimal(0), 0]
    )
    for b in bubbles:
        key = (_number(b.x, 2), _number(b.y, 2), b.rag or "none")
        cells[key][0] += b.size
        cells[key][1] += 1
    return [
        {"x": x, "y": y, "size": _number(total, 2), "tone": tone, "label": f"{count} projects"}
        for (x, y, tone), (total, count) in sorted(cells.items(), key=lambda kv: str(kv[0]))
    ]


def bubble_chart(
    title: str,
    bubbles: Sequence[Bubble],
    *,
    alt: str = "",
    x_title: str = "SPI",
    y_title: str = "CPI",
    size_title: str = "BAC",
) -> Chart:
    """Bubbles at (x, y), sized by ``size``, coloured and shaped by RAG: SPI against CPI,
    sized by BAC. Dashed rules mark 1.0 on both axes (on plan, on budget).

    Up to 30 bubbles carry their label; above 400 they are binned to a 0.01 grid per colour
    (the chart's note says so), so a chart of 10,000 projects stays a small file.

    Example::

        bubble_chart("SPI and CPI", [
            Bubble("ALPHA", Decimal("0.75"), Decimal("1.0"), Decimal(3000), "red"),
            Bubble("BETA", Decimal("1.0"), Decimal("2.0"), Decimal(100), "red"),
        ])
    """
    note = ""
    if len(bubbles) > BINNED_ABOVE:
        values = _binned(bubbles)
        note = f"{len(bubbles)} projects, binned to a 0.01 grid per colour."
    else:
        values = [
            {
                "x": _number(b.x),
                "y": _number(b.y),
                "size": _number(b.size, 2),
                "tone": b.rag or "none",
                "label": label(b.label),
            }
            for b in bubbles
        ]
    tones = [t for t in _TONES if any(v["tone"] == t for v in values)]
    position = {
        "x": {
            "field": "x",
            "type": "quantitative",
            "title": x_title,
            "scale": {"zero": False, "nice": True},
        },
        "y": {
            "field": "y",
            "type": "quantitative",
            "title": y_title,
            "scale": {"zero": False, "nice": True},
        },
    }
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": [{"one": 1}]},
            "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#7b8794"},
            "encoding": {"x": {"datum": 1, "type": "quantitative"}},
        },
        {
            "data": {"values": [{"one": 1}]},
            "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#7b8794"},
            "encoding": {"y": {"datum": 1, "type": "quantitative"}},
        },
        {
            "mark": {
                "type": "point",
                "filled": True,
                "opacity": 0.75,
                "stroke": "#333",
                "strokeWidth": 0.5,
            },
            "encoding": {
                **position,
                "size": {
                    "field": "size",
                    "type": "quantitative",
                    "title": size_title,
                    "scale": {"range": [30, 1200]},
                },
                "color": {
                    "field": "tone",
                    "type": "nominal",
                    "title": "RAG",
                    "scale": {"domain": tones, "range": [TONE_COLOURS[t] for t in tones]},
                },
                "shape": {
                    "field": "tone",
                    "type": "nominal",
                    "title": "RAG",
                    "scale": {"domain": tones, "range": [TONE_SHAPES[t] for t in tones]},
                },
            },
        },
    ]
    if len(values) <= LABELLED_POINTS and not note:
        layers.append(
            {
                "name": "labels",
                "mark": {"type": "text", "dy": -12, "fontSize": 11},
                "encoding": {**position, "text": {"field": "label"}},
            }
        )
    spec = {"width": 520, "height": 340, "data": {"values": values}, "layer": layers}
    default = (
        f"Bubble chart of {len(bubbles)} points: {x_title} across, {y_title} up, "
        f"size {size_title}, colour and shape by RAG."
    )
    return vega_chart(spec, title=title, alt=alt or default, note=note)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[Decimal | None]],
    *,
    alt: str = "",
    y_title: str = "",
    limit: int = 25,
) -> Chart:
    """Grouped bars: for each category (a project), one bar per series (budget, actual,
    forecast), in the series' order, with a legend.

    More than ``limit`` categories: the largest by the first series are drawn and the note
    says how many were left out (the report's table lists them all).

    Example::

        bar_chart("Budget, actual and forecast", ["ALPHA", "BETA"],
                  {"Budget": [Decimal(3000), Decimal(100)],
                   "Actual": [Decimal(1500), Decimal(50)],
                   "Forecast": [Decimal(3000), None]}, y_title="EUR")
    """
    names = [label(name) for name in series]
    columns = list(series.values())
    order = list(range(len(categories)))
    note = ""
    if len(order) > limit:
        first = columns[0] if columns else []
        order = sorted(order, key=lambda i: -(first[i] or 0))[:limit]
        order.sort()
        note = f"The {limit} largest of {len(categories)}, by {names[0]}."
    shown = [label(categories[i], 28) for i in order]
    # Two categories may read the same once cut: keep them apart on the axis.
    axis_names = [
        f"{name}\u2009#{n}" if shown.count(name) > 1 else name
        for n, name in enumerate(shown, start=1)
    ]
    values = [
        {"category": axis_names[pos], "series": name, "value": _number(column[i], 2)}
        for pos, i in enumerate(order)
        for name, column in zip(names, columns, strict=True)
        if column[i] is not None
    ]
    spec = {
        "width": {"step": max(12, 60 // max(1, len(names)))},
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "category",
                "type": "nominal",
                "sort": axis_names,
                "title": None,
                "axis": {"labelAngle": -35, "labelLimit": 160},
            },
            "xOffset": {"field": "series", "sort": names},
            "y": {"field": "value", "type": "quantitative", "title": y_title or None},
            "color": {
                "field": "series",
                "type": "nominal",
                "sort": names,
                "title": None,
                "scale": {"range": _SERIES_COLOURS},
            },
        },
    }
    default = f"Bar chart of {', '.join(names)} for {len(order)} categories."
    return vega_chart(spec, title=title, alt=alt or default, note=note)


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
                        "scale": {"domain": list(_CELL_FILLS), "range": list(_CELL_FILLS.values())},
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


def gantt(
    title: str,
    bars: Sequence[GanttBar],
    milestones: Sequence[GanttMilestone] = (),
    *,
    alt: str = "",
    marker: date | None = None,
    limit: int = 150,
) -> Chart:
    """Bars from start to finish per row, grouped (one band per group, in the order given),
    milestones as diamonds, and a late stretch in another colour and labelled with the days
    late; ``marker`` draws a dashed rule at a date (the status date).

    More than ``limit`` rows: the first ``limit`` are drawn and the note says so.

    Example::

        gantt("Roadmap",
              [GanttBar("ALPHA", date(2025, 1, 1), date(2025, 6, 30), "ERP",
                        late_until=date(2025, 8, 15)),
               GanttBar("BETA", date(2025, 2, 1), date(2025, 4, 30), "ERP")],
              [GanttMilestone("ALPHA", date(2025, 3, 1), "Design")],
              marker=date(2025, 4, 25))
    """
    note = ""
    if len(bars) > limit:
        note = f"The first {limit} of {len(bars)} rows."
        bars = bars[:limit]
    rows = [label(b.row) for b in bars]
    groups = list(dict.fromkeys(label(b.group) or "—" for b in bars))
    kept = {b.row for b in bars}
    values: list[dict[str, Any]] = []
    for b, row in zip(bars, rows, strict=True):
        group = label(b.group) or "—"
        values.append(
            {
                "group": group,
                "row": row,
                "start": b.start.isoformat(),
                "end": b.finish.isoformat(),
                "part": "planned",
            }
        )
        if b.late_until is not None and b.late_until > b.finish:
            late = (b.late_until - b.finish).days
            values.append(
                {
                    "group": group,
                    "row": row,
                    "start": b.finish.isoformat(),
                    "end": b.late_until.isoformat(),
                    "part": "late",
                    "label": f"+{late} d late",
                }
            )
    groups_of = {b.row: label(b.group) or "—" for b in bars}
    rows_of = {b.row: row for b, row in zip(bars, rows, strict=True)}
    values += [
        {
            "group": groups_of[m.row],
            "row": rows_of[m.row],
            "on": m.on.isoformat(),
            "milestone": label(m.label),
        }
        for m in milestones
        if m.row in kept
    ]
    temporal = {"type": "temporal", "scale": {"type": "utc"}}
    y = {"field": "row", "type": "nominal", "title": None, "sort": rows}
    layers: list[dict[str, Any]] = [
        {
            "transform": [{"filter": "datum.part"}],
            "mark": {"type": "bar", "height": {"band": 0.6}},
            "encoding": {
                "y": y,
                "x": {
                    "field": "start",
                    **temporal,
                    "title": None,
                    "axis": {"format": "%Y-%m", "orient": "top"},
                },
                "x2": {"field": "end"},
                "color": {
                    "field": "part",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": ["planned", "late"],
                        "range": [_SERIES_COLOURS[0], TONE_COLOURS["red"]],
                    },
                },
            },
        },
        {
            "transform": [{"filter": "datum.part == 'late'"}],
            "name": "labels",
            "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
            "encoding": {"y": y, "x": {"field": "end", **temporal}, "text": {"field": "label"}},
        },
        {
            "transform": [{"filter": "datum.on"}],
            "mark": {
                "type": "point",
                "shape": "diamond",
                "filled": True,
                "size": 80,
                "color": "#f2b705",
                "stroke": "#222",
                "strokeWidth": 1,
            },
            "encoding": {"y": y, "x": {"field": "on", **temporal}},
        },
    ]
    if marker is not None:
        # In every band: a layer with data of its own would not be faceted.
        values += [{"group": g, "marker": marker.isoformat()} for g in groups]
        layers.append(
            {
                "transform": [{"filter": "datum.marker"}],
                "mark": {"type": "rule", "strokeDash": [3, 3], "color": "#7b8794"},
                "encoding": {"x": {"field": "marker", **temporal}},
            }
        )
    spec = {
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "group",
                "type": "nominal",
                "sort": groups,
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelFontWeight": "bold",
                    "labelLimit": 160,
                },
            }
        },
        "resolve": {"scale": {"y": "independent"}},
        "spacing": 8,
        "spec": {"width": 620, "height": {"step": 20}, "layer": layers},
    }
    late = sum(1 for b in bars if b.late_until is not None and b.late_until > b.finish)
    default = (
        f"Gantt chart of {len(bars)} rows in {len(groups)} groups, {len(milestones)} "
        f"milestones; {late} rows run late."
    )
    return vega_chart(spec, title=title, alt=alt or default, note=note)
