"""The ``portfolio-summary`` report: every project of a scope, and totals from summed figures."""

from __future__ import annotations

from pmo_core import Entity, ReportOutput, ReportRequest, WorkspaceView, worst

from ._figures import scope_figures
from ._output import NA, cell, envelope, index, money, output, project_json, rag, table, text

_TITLES = {"portfolio": "Portfolio", "program": "Program", None: "PMO"}


def render(request: ReportRequest) -> ReportOutput:
    """Render ``portfolio-summary`` for a portfolio, a program or the whole PMO.

    Example::

        out = ws.report("portfolio-summary", "PF", format="md")
        print(out.content)
    """
    view: WorkspaceView = request.view
    scope: Entity | None = request.scope
    figures = scope_figures(view, scope, request.as_of)
    totals = figures.totals
    document = envelope(
        "portfolio-summary",
        scope,
        request.as_of,
        totals,
        projects=[project_json(row) for row in figures.rows],
        excluded=[{"key": key, "reason": reason} for key, reason in figures.excluded],
    )
    if request.format == "json":
        return output("json", [], document, totals.metrics)
    title = _TITLES.get(scope.kind if scope else None, "Scope")
    heading = (
        f"# {title} summary: {text(scope.id)} — {text(scope.name)}" if scope else "# PMO summary"
    )
    currency = totals.currency
    lines = [
        heading,
        "",
        f"As of **{request.as_of.isoformat()}** · {len(figures.rows)} project(s) · "
        f"totals in {currency or NA}",
        "",
    ]
    header = ("Key", "Name", "Phase", "Reported", "Computed", "SPI", "CPI", "EAC", "BAC")
    rows = [
        (
            cell(row.project.id),
            cell(row.project.name),
            cell(row.project.phase),
            rag(row.reported, missing="not reported") + (" (watermelon)" if row.watermelon else ""),
            rag(row.figures.overall),
            index(row.figures.value("spi")),
            index(row.figures.value("cpi")),
            money(row.figures.value("eac"), row.figures.currency),
            money(row.figures.value("bac"), row.figures.currency),
        )
        for row in figures.rows
    ]
    rows.append(
        (
            "**Total**",
            f"{len(figures.included)} of {len(figures.rows)} measured",
            "",
            rag(worst(*(r.reported for r in figures.rows)), missing="—"),
            rag(totals.overall),
            index(totals.value("spi")),
            index(totals.value("cpi")),
            money(totals.value("eac"), currency),
            money(totals.value("bac"), currency),
        )
    )
    if not figures.rows:
        lines += ["No projects in scope.", ""]
    lines += table(header, rows)
    lines += [
        "",
        "Totals are recomputed from the summed BAC, PV, EV and AC of the measured projects, "
        "never averaged. Colours follow the FEMA rule: SPI and CPI green 0.95-1.05, amber "
        "0.90-0.95 or 1.05-1.10, red otherwise; overall is the worst of the two.",
    ]
    if figures.excluded:
        lines += ["", "Not in the totals:", ""]
        lines += [f"- {text(key)}: {text(reason)}" for key, reason in figures.excluded]
    lines += ["", "## Totals", ""]
    lines += table(
        ("Figure", "Value", "Formula"),
        (
            (name.upper(), money(totals.value(name), currency), totals.metric(name).formula)
            for name in ("bac", "pv", "ev", "ac", "eac", "vac")
        ),
    )
    return output("md", lines, document, totals.metrics)
