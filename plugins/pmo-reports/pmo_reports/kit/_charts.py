"""Charts of figures against axes: the S-curve (lines over dates), SPI against CPI (bubbles)
and budget against actual and forecast (grouped bars).

Large inputs stay small: labels are drawn only for a few points, many points are binned, and
long category lists are cut to the largest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ._vega import (
    SERIES_COLOURS,
    TONE_COLOURS,
    TONE_SHAPES,
    TONES,
    Chart,
    Tone,
    label,
    number,
    vega_chart,
)

LABELLED_POINTS = 30
BINNED_ABOVE = 400


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
        {"date": on.isoformat(), "series": name, "value": number(value, 2)}
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
                    "scale": {"range": SERIES_COLOURS},
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
        key = (number(b.x, 2), number(b.y, 2), b.rag or "none")
        cells[key][0] += b.size
        cells[key][1] += 1
    return [
        {"x": x, "y": y, "size": number(total, 2), "tone": tone, "label": f"{count} projects"}
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
                "x": number(b.x),
                "y": number(b.y),
                "size": number(b.size, 2),
                "tone": b.rag or "none",
                "label": label(b.label),
            }
            for b in bubbles
        ]
    tones = [t for t in TONES if any(v["tone"] == t for v in values)]
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
                    # Grey, not black: the size legend reads on a dark page too.
                    "legend": {"symbolFillColor": TONE_COLOURS["none"], "symbolStrokeWidth": 0},
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
        {"category": axis_names[pos], "series": name, "value": number(column[i], 2)}
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
                "scale": {"range": SERIES_COLOURS},
            },
        },
    }
    default = f"Bar chart of {', '.join(names)} for {len(order)} categories."
    return vega_chart(spec, title=title, alt=alt or default, note=note)
