"""A Gantt chart: bars from start to finish per row, grouped, with milestones and late work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ._vega import SERIES_COLOURS, TONE_COLOURS, Chart, label, vega_chart


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
                        "range": [SERIES_COLOURS[0], TONE_COLOURS["red"]],
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
