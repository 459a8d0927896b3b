"""The ``evm`` report: every earned-value figure of the metrics service with its formula,
inputs and basis; for a project the time-phased series and its S-curve, for a scope one row
per live project and the totals."""

from __future__ import annotations

from typing import Any

from pmo_core import Entity, ReportOutput, ReportRequest

from ._evm_tables import headline, project_tables, scope_tables
from ._figures import Figures, Period, Scope, project_figures, scope_figures
from ._options import choices
from ._output import counts_json, envelope, metrics_json, output, rendered, series_json
from ._scurve import s_curve
from .kit import Paragraph, Section, Table, md_text, page
from .kit._page import Block

PERIODS = ("week", "month")
_TITLES = {"project": "Project", "program": "Program", "portfolio": "Portfolio"}
RULES = (
    "BAC, PV and EV are measured against the basis: the baseline in force on the status date "
    "(the latest taken on or before it), else the current plan. The current plan's figures "
    "sit beside it with their variances; work items outside the baseline are unbaselined: "
    "in the current plan and in AC, not in BAC, PV or EV. The headline EAC is the first "
    "defined variant of the workspace's [metrics] eac list; ETC, VAC, TCPI (EAC) and the "
    "colours use it. A figure whose formula is undefined (a zero divisor) is n/a, never 0."
)


def _title(scope: Entity | None) -> str:
    if scope is None:
        return "Earned value: PMO"
    return f"Earned value: {_TITLES.get(scope.kind, 'Scope')} {scope.id} — {scope.name}"


def render(request: ReportRequest) -> ReportOutput:
    """Render ``evm`` for a project (option ``series``: ``week`` or ``month``, the default)
    or for a program, a portfolio or the PMO (``series`` adds the totals' series).

    Example::

        out = ws.report("evm", "ALPHA", format="json", options={"series": "week"})
        json.loads(out.content)["headline_eac"]  # 'bottom_up'
    """
    scope = request.scope
    is_project = scope is not None and scope.kind == "project"
    chosen = choices("evm", request.options, {"series": ("month" if is_project else None, PERIODS)})
    period: Period | None = chosen["series"]  # type: ignore[assignment]
    if is_project:
        assert scope is not None
        figures = project_figures(request.view, scope, request.status_date, series=period)
        return _project(request, figures, period or "month")
    node = scope_figures(request.view, scope, request.status_date, series=period)
    return _scope(request, node, period)


def _document(request: ReportRequest, figures: Figures, **more: Any) -> dict[str, Any]:
    return envelope(
        "evm",
        request.scope,
        request.status_date,
        figures,
        headline_eac=headline(figures),
        **more,
    )


def _markdown(title: str, lead: list[str], tables: list[Table]) -> list[str]:
    lines = [f"# {md_text(title)}", "", *lead]
    for table in tables:
        lines += ["", f"## {md_text(table.title)}", "", *table.markdown()]
    return lines


def _project(request: ReportRequest, figures: Figures, period: str) -> ReportOutput:
    scope = request.scope
    document = _document(request, figures, period=period, series=series_json(figures))
    if request.format == "json":
        return output("json", [], document, figures.metrics)
    assert scope is not None
    tables = project_tables(figures, scope.name, period)
    title = _title(scope)
    said = f"As of {request.status_date.isoformat()} · basis: {figures.basis}"
    if request.format == "md":
        lead = [md_text(said), "", md_text(RULES)]
        if figures.note:
            lead += ["", md_text(f"Earned value is undefined: {figures.note}.")]
        # The first table lists every figure again for the CSV; Markdown shows the groups.
        return output("md", _markdown(title, lead, tables[1:]), document, figures.metrics)

    def html() -> str:
        _, measured, *groups, unbaselined, series = tables
        curve = s_curve(figures, f"S-curve by {period}")
        charted: list[Block] = (
            [curve] if curve is not None else [Paragraph("No dated plan to draw.", tone="note")]
        )
        sections = [
            Section("Measured from", [measured, Paragraph(RULES, tone="note")]),
            *(Section(g.title, [g]) for g in groups),
            Section("Unbaselined work items", [unbaselined]),
            Section("S-curve", [*charted, series]),
        ]
        lead: list[Block] = []
        if figures.note:
            lead.append(Paragraph(f"Earned value is undefined: {figures.note}.", tone="warning"))
        return page(title, sections, subtitle=said, lead=lead)

    return rendered(
        request.format,
        tables=lambda: tables,
        html=html,
        status_date=request.status_date,
        metrics=figures.metrics,
    )


def _scope(request: ReportRequest, node: Scope, period: str | None) -> ReportOutput:
    totals = node.totals
    document = _document(
        request,
        totals,
        counts=counts_json(node),
        projects=[
            {
                "key": r.project.id,
                "name": r.project.name,
                "currency": r.figures.currency,
                "headline_eac": headline(r.figures),
                "measurement": r.figures.lineage(),
                "metrics": metrics_json(r.figures.metrics),
            }
            for r in node.rows
        ],
        included=list(node.included),
        excluded=[{"key": k, "reason": r} for k, r in node.excluded],
        period=period,
        series=series_json(totals),
    )
    if request.format == "json":
        return output("json", [], document, totals.metrics)
    tables = scope_tables(node, period)
    title = _title(request.scope)
    said = (
        f"As of {request.status_date.isoformat()} · {node.count('live')} live project(s) · "
        f"totals in {totals.currency or 'n/a'}"
    )
    rule = (
        "Totals are the live projects' summed BAC, PV, EV and AC, every index recomputed "
        "from the sums, never averaged; killed, closed and proposed projects are not in them. "
        + RULES
    )
    if request.format == "md":
        lead = [md_text(said), "", md_text(rule)]
        return output("md", _markdown(title, lead, tables), document, totals.metrics)

    def html() -> str:
        projects, *rest = tables
        sections = [Section("Projects", [projects, Paragraph(rule, tone="note")])]
        sections += [Section(t.title, [t]) for t in rest if t.name != "Series"]
        if period is not None:
            curve = s_curve(totals, f"S-curve of the totals by {period}")
            sections.append(Section("S-curve", [*([curve] if curve else []), tables[-1]]))
        return page(title, sections, subtitle=said)

    return rendered(
        request.format,
        tables=lambda: tables,
        html=html,
        status_date=request.status_date,
        metrics=totals.metrics,
    )
