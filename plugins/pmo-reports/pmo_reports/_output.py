"""What the reports of this plugin share: the JSON envelope and its parts, and the output of
each format.

Formatting and Markdown escaping are the kit's (:mod:`pmo_reports.kit`): every text from data
reaches Markdown through its ``md_text``, ``md_cell`` or ``md_block``. JSON holds data as it
is: its consumers escape for their own output.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import uuid4

import orjson
from pydantic import TypeAdapter

from pmo_core import Entity, Metric, ReportOutput, ScopeMember, Watermelon

from ._figures import Ended, Figures, Row, Scope, measurement_json
from ._version import GENERATED_BY
from .kit import MEDIA_TYPES, Table, index, money, percent, workbook

#: The formats of every report of this plugin, Markdown first (the default).
FORMATS = ("md", "json", "html", "csv", "xlsx")

_METRICS = TypeAdapter(list[Metric])


def figure(metric: Metric, currency: str) -> str:
    """A metric's value in its unit, or ``n/a``."""
    if metric.unit == "ratio":
        return index(metric.value)
    if metric.unit == "%":
        return percent(metric.value)
    return money(metric.value, currency)


def metrics_json(metrics: Sequence[Metric]) -> list[dict[str, Any]]:
    """Metrics with their lineage, Decimals as strings so no precision is lost."""
    # One serialiser call for a project's thirty-odd metrics, not one each: a whole PMO's
    # summary serialises some 300,000.
    return _METRICS.dump_python(list(metrics), mode="json")  # type: ignore[no-any-return]


def scope_json(scope: Entity | None) -> dict[str, Any]:
    """Which entity a report is about."""
    if scope is None:
        return {"kind": "pmo", "key": None, "name": None}
    return {"kind": scope.kind, "key": scope.id, "name": scope.name}


def series_json(figures: Figures) -> list[dict[str, Any]] | None:
    """The time-phased series as ``pmo metrics --json`` prints it (``None``: not asked for)."""
    if figures.series is None:
        return None
    return [
        {
            "period_end": p.period_end.isoformat(),
            **{
                k: None if v is None else str(v)
                for k, v in p._asdict().items()
                if k != "period_end"
            },
        }
        for p in figures.series
    ]


def project_json(row: Row, found: Sequence[Watermelon] = ()) -> dict[str, Any]:
    """One project's entry of the ``projects`` list, with its watermelons (``found``)."""
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
        "watermelon": bool(found),
        "watermelons": [f.as_dict() for f in found],
        "lifecycle": project.lifecycle,
        "on_hold": row.held_by is not None,
        "held_by": row.held_by.id if row.held_by is not None else None,
        "measurement": measurement_json(figures),
        "metrics": metrics_json(figures.metrics),
    }


def lifecycle_json(entity: Entity | None) -> dict[str, Any] | None:
    """An entity's lifecycle state with who moved it there, when and why."""
    if entity is None:
        return None
    return {
        "state": entity.lifecycle,
        "on": entity.lifecycle_on.isoformat() if entity.lifecycle_on else None,
        "by": entity.lifecycle_by,
        "reason": entity.lifecycle_reason or None,
    }


def _member_json(member: ScopeMember) -> dict[str, Any]:
    entity = member.entity
    return {
        "key": entity.id,
        "kind": entity.kind,
        "name": entity.name,
        "state": member.state,
        "on": member.on.isoformat() if member.on else None,
        "by": member.by,
        "reason": member.reason or None,
        # Set when the state is an entity's above it (a project of a killed program).
        "via": member.cause.id if member.inherited else None,
    }


def ended_json(ended: Ended) -> dict[str, Any]:
    """One entry of ``ended``: who ended it, when and why, and its final figures."""
    figures = ended.figures
    return {
        **_member_json(ended.member),
        "final": {
            "as_of": ended.as_of.isoformat(),
            "currency": figures.currency,
            "measured": figures.measured,
            "note": figures.note or None,
            "metrics": metrics_json(figures.metrics),
        },
    }


def pipeline_json(member: ScopeMember) -> dict[str, Any]:
    """One entry of ``pipeline``: a proposed entity and the budget it asks for."""
    budget = member.entity.budget
    return {**_member_json(member), "budget": str(budget) if budget is not None else None}


def counts_json(node: Scope) -> dict[str, int]:
    """How many projects of a node are live (in the totals), on hold, ended, in the pipeline."""
    return {s: node.count(s) for s in ("live", "on_hold", "ended", "pipeline")}


def node_json(node: Scope) -> dict[str, Any]:
    """A roll-up node below the report's scope: its totals and what is beside them."""
    entity = node.entity
    assert entity is not None  # nodes are portfolios and programs, never the whole PMO
    return {
        "key": entity.id,
        "kind": entity.kind,
        "name": entity.name,
        "lifecycle": lifecycle_json(entity),
        "currency": node.totals.currency,
        "counts": counts_json(node),
        "projects": [r.project.id for r in node.rows],
        "on_hold": [r.project.id for r in node.on_hold],
        "excluded": [{"key": key, "reason": reason} for key, reason in node.excluded],
        "metrics": metrics_json(node.totals.metrics),
        "ended": [ended_json(e) for e in node.ended],
        "pipeline": [pipeline_json(m) for m in node.pipeline],
        "nodes": [node_json(n) for n in node.nodes],
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
        "measurement": measurement_json(figures),
        "metrics": metrics_json(figures.metrics),
        **more,
    }


def _json(document: Mapping[str, Any]) -> str:
    # Written as json.dumps(indent=2, ensure_ascii=False, default=str) writes it. A list
    # given as an iterator (a whole PMO's projects) is written item by item, each item let
    # go once it is text, so the items' dicts are never all held at once.
    streamed: dict[str, list[str]] = {}
    shell: dict[str, Any] = {}
    slot = f"\x00{uuid4().hex}\x00"  # no data can hold it: stands for a streamed list
    for key, value in document.items():
        if isinstance(value, Iterator):
            streamed[key] = [_dumps(item).replace("\n", "\n    ") for item in value]
            value = slot + key
        shell[key] = value
    text = _dumps(shell)
    if not streamed:
        return text
    pieces: list[str] = []
    for key, items in streamed.items():
        head, text = text.split(_dumps(slot + key), 1)
        pieces.append(head)
        if items:
            pieces += ("[\n    ", ",\n    ".join(items), "\n  ]")
        else:
            pieces.append("[]")
    pieces.append(text)
    return "".join(pieces)


def _dumps(data: Any) -> str:
    # orjson writes what json.dumps(indent=2, ensure_ascii=False, default=str) writes, in a
    # tenth of the time: a whole PMO's summary is over 100 MB of JSON, and the standard
    # library's indenting encoder is pure Python. Dates go through str() as before; what
    # orjson refuses (an integer beyond 64 bits) is written by json.
    options = (
        orjson.OPT_INDENT_2
        | orjson.OPT_NON_STR_KEYS
        | orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )
    try:
        return orjson.dumps(data, default=str, option=options).decode()
    except orjson.JSONEncodeError:
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def output(
    fmt: str, markdown: Sequence[str], document: Mapping[str, Any], metrics: Sequence[Metric]
) -> ReportOutput:
    """The ReportOutput for ``fmt`` (``md`` or ``json``)."""
    if fmt == "json":
        content = _json(document) + "\n"
        return ReportOutput(content=content, media_type="application/json", metrics=tuple(metrics))
    return ReportOutput(
        content="\n".join(markdown).rstrip() + "\n",
        media_type="text/markdown",
        metrics=tuple(metrics),
    )


def rendered(
    fmt: str,
    *,
    tables: Callable[[], Sequence[Table]],
    html: Callable[[], str],
    status_date: date,
    metrics: Sequence[Metric],
) -> ReportOutput:
    """The ReportOutput for ``html``, ``csv`` (the first table) or ``xlsx`` (every table, one
    sheet each, created on the status date so the same report gives the same bytes). Only
    the format asked for is built: charts are drawn for HTML alone."""
    content: str | bytes
    if fmt == "html":
        content = html()
    elif fmt == "csv":
        content = tables()[0].csv()
    elif fmt == "xlsx":
        content = workbook(tables(), created=status_date)
    else:
        raise ValueError(f"no such format: {fmt!r}")
    return ReportOutput(content=content, media_type=MEDIA_TYPES[fmt], metrics=tuple(metrics))
