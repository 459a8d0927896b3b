"""The ``portfolio-selection`` report: the best selection of a portfolio's or program's
proposals, its limits and the efficient frontier, in every format of the report kit."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pmo_reports.kit import (
    MEDIA_TYPES,
    Column,
    Paragraph,
    Section,
    Table,
    md_text,
    page,
    vega_chart,
    workbook,
)

from pmo_core import (
    InvalidInputError,
    Metric,
    PmoError,
    ReportOutput,
    ReportRequest,
    current_workspace,
)

from ._candidates import SelectionInput, build_input, parse_budget, settings_of
from ._selection import FrontierPoint, Selection, frontier, select
from ._selection_settings import SelectionSettings

#: The formats of the report: every format of the report kit, Markdown first.
FORMATS = ("md", "json", "html", "csv", "xlsx")
OPTIONS = ("budget", "model", "capacity", "points")

_PROPOSALS = [
    Column("key", "Proposal"),
    Column("value", "Value", "index"),
    Column("chosen", "Chosen"),
    Column("reason", "Why left out"),
]
_LIMITS = [
    Column("name", "Limit"),
    Column("limit", "Limit amount", "money", currency_key="unit"),
    Column("used", "Used", "money", currency_key="unit"),
    Column("binding", "Binding"),
    Column("gain", "Value of a step more", "index"),
]
_FRONTIER = [
    Column("budget", "Total budget", "money"),
    Column("value", "Value", "index"),
    Column("chosen", "Proposals", "int"),
]


def _options(request: ReportRequest) -> dict[str, Any]:
    options = dict(request.options)
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise InvalidInputError(
            f"report 'portfolio-selection' takes {', '.join(OPTIONS)}, not {', '.join(unknown)}",
            where="--option",
        )
    return options


def _input(request: ReportRequest, options: Mapping[str, Any]) -> SelectionInput:
    assert request.scope is not None  # the report's scopes are portfolio and program
    # The values come from the workspace's scoring models, through the request.
    if request.score is None:
        raise InvalidInputError(
            "the report scores proposals with the workspace's scoring models: render it "
            "through a workspace (pmo report, Workspace.report)",
            where="scope",
        )
    score = request.score

    def values(keys: Sequence[str], model: str) -> dict[str, Decimal]:
        return {key: found.value for key, found in score(model, keys).items()}

    # The defaults of [settings.strategy.selection] are the workspace's; the request carries
    # no plugin settings, so they are read from the pmo command's workspace when there is one.
    try:
        settings = settings_of(current_workspace())
    except PmoError:
        settings = SelectionSettings()
    budgets = None
    if "budget" in options:
        budgets = dict(
            parse_budget(part.strip(), request.scope.currency)
            for part in str(options["budget"]).split(",")
            if part.strip()
        )
    capacity = None
    if "capacity" in options:
        text = str(options["capacity"]).lower()
        if text not in ("on", "off"):
            raise InvalidInputError("capacity is on or off", where="--option capacity")
        capacity = text == "on"
    return build_input(
        request.view,
        request.scope.id,
        values=values,
        settings=settings,
        model=str(options["model"]) if "model" in options else None,
        budgets=budgets,
        capacity=capacity,
    )


def _points(options: Mapping[str, Any]) -> int:
    try:
        points = int(str(options.get("points", 11)))
    except ValueError:
        points = 0
    if not 2 <= points <= 200:
        raise InvalidInputError("points is a whole number from 2 to 200", where="--option points")
    return points


def frontier_chart(curve: Sequence[FrontierPoint], currency: str, current: Decimal | None) -> Any:
    """The efficient frontier as a chart: value against total budget, a point per solve, and
    a dashed rule at the current total budget.

    Example::

        frontier_chart(frontier(candidates, limits, 5), "EUR", Decimal(2000))
    """
    values = [{"budget": float(p.budget), "value": float(p.value)} for p in curve]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True, "interpolate": "step-after"},
            "encoding": {
                "x": {
                    "field": "budget",
                    "type": "quantitative",
                    "title": f"Total budget ({currency})",
                },
                "y": {"field": "value", "type": "quantitative", "title": "Value"},
            },
        }
    ]
    if current is not None:
        layers.append(
            {
                "data": {"values": [{"budget": float(current)}]},
                "mark": {"type": "rule", "strokeDash": [3, 3], "color": "#7b8794"},
                "encoding": {"x": {"field": "budget", "type": "quantitative"}},
            }
        )
    spec = {"width": 560, "height": 260, "data": {"values": values}, "layer": layers}
    return vega_chart(
        spec,
        title="Efficient frontier",
        alt=(
            f"The best value for each total budget, {len(curve)} exact solves"
            + (
                f"; a dashed rule marks the current budget {current} {currency}."
                if current
                else "."
            )
        ),
    )


def _tables(
    found: SelectionInput, result: Selection, curve: Sequence[FrontierPoint]
) -> tuple[Table, Table, Table]:
    cur = found.currency
    values = {c.key: c.value for c in found.candidates}
    proposals = Table(
        "proposals",
        "Proposals",
        _PROPOSALS,
        [
            {
                "key": c.key,
                "value": values[c.key],
                "chosen": "yes" if c.key in result.chosen else "no",
                "reason": result.left_out.get(c.key, ""),
            }
            for c in found.candidates
        ],
    )
    gains = {m.constraint: m.gain for m in result.marginals}
    limits = Table(
        "limits",
        "Limits",
        _LIMITS,
        [
            {
                "name": c.name,
                "limit": c.limit,
                "used": c.used,
                "binding": "yes" if c.binding else "no",
                "gain": gains.get(c.name),
                "unit": cur if c.kind == "budget" else "h",
            }
            for c in result.constraints
        ],
        currency=cur,
    )
    points = Table(
        "frontier",
        "Efficient frontier",
        _FRONTIER,
        [{"budget": p.budget, "value": p.value, "chosen": len(p.chosen)} for p in curve],
        currency=cur,
    )
    return proposals, limits, points


def render_selection(request: ReportRequest) -> ReportOutput:
    """Render the ``portfolio-selection`` report for a portfolio or program. Options:
    ``budget`` (``2027=1200000,2028=900000``; default ``[settings.strategy.selection]``), ``model``,
    ``capacity`` (``on``/``off``) and ``points`` (of the frontier, default 11).

    Example::

        ws.report("portfolio-selection", "PF", format="html",
                  options={"budget": "2027=1200000", "points": "5"})
    """
    options = _options(request)
    points = _points(options)
    found = _input(request, options)
    result = select(found.candidates, found.limits)
    curve = frontier(found.candidates, found.limits, points) if found.candidates else []
    cur = found.currency
    scope = found.scope
    title = f"Portfolio selection: {scope.name}"
    current = sum(found.limits.budgets.values(), Decimal(0)) if found.limits.budgets else None
    subtitle = (
        f"{scope.id}, model {found.model}: value {result.value} with "
        f"{len(result.chosen)} of {len(found.candidates)} proposals; binding: "
        f"{', '.join(c.name for c in result.binding) or 'none'}"
    )
    metrics = (
        Metric(
            name=f"selection-value:{scope.id}",
            value=result.value,
            formula="sum of the chosen proposals' values",
            inputs={
                k: str(c.value) for c in found.candidates for k in [c.key] if k in result.chosen
            },
            unit="value",
            source="pmo-strategy",
        ),
    )
    proposals, limits, points_table = _tables(found, result, curve)
    fmt = request.format
    media = MEDIA_TYPES[fmt]
    if fmt == "json":
        from ._cli_selection import selection_json

        data = {
            "report": "portfolio-selection",
            **selection_json(found, result),
            "frontier": [
                {"budget": f"{p.budget} {cur}", "value": str(p.value), "chosen": list(p.chosen)}
                for p in curve
            ],
        }
        return ReportOutput(json.dumps(data, indent=2, ensure_ascii=False), media, metrics)
    if fmt == "csv":
        return ReportOutput(proposals.csv(), media, metrics)
    if fmt == "xlsx":
        book = workbook([proposals, limits, points_table], created=request.status_date)
        return ReportOutput(book, media, metrics)
    if fmt == "html":
        blocks: list[Any] = [Paragraph(subtitle), proposals, limits]
        frontier_blocks: list[Any] = [points_table]
        if curve:
            frontier_blocks.insert(0, frontier_chart(curve, cur, current))
        content = page(
            title,
            [Section("Selection", blocks), Section("Efficient frontier", frontier_blocks)],
            subtitle=subtitle,
        )
        return ReportOutput(content, media, metrics)
    lines = [
        f"# {md_text(title)}",
        "",
        md_text(subtitle),
        "",
        *proposals.markdown(),
        "",
        *limits.markdown(),
        "",
        *points_table.markdown(),
        "",
    ]
    return ReportOutput("\n".join(lines), media, metrics)


__all__ = ["FORMATS", "frontier_chart", "render_selection"]
