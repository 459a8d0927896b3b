"""The ``portfolio-summary`` report: the live projects of a scope with totals from summed
figures, and beside the totals the roll-up per program, the ended projects and the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from pmo_core import Entity, ReportOutput, ReportRequest, ScopeMember, WorkspaceView, worst

from . import _dashboard, _portfolio_tables
from ._figures import Ended, Scope, scope_figures
from ._output import (
    counts_json,
    ended_json,
    envelope,
    lifecycle_json,
    node_json,
    output,
    pipeline_json,
    project_json,
    rendered,
)
from ._portfolio_tables import Melons
from ._watermelons import flags
from .kit import NA, Paragraph, Section, index, money, page, plain
from .kit import md_cell as cell
from .kit import md_table as table
from .kit import md_text as text
from .kit import rag_label as rag

_TITLES = {"portfolio": "Portfolio", "program": "Program", None: "PMO"}
_STATES = {"on_hold": "on hold"}

#: What the totals count, said under the table of every summary.
TOTALS_RULE = (
    "Totals are recomputed from the summed BAC, PV, EV and AC of the measured live projects "
    "(active and on hold), never averaged. Killed and closed projects, and the projects of a "
    "killed or closed program, are not in the totals: they are listed under Ended with their "
    "final figures. Proposed projects are not authorised yet: they wait under Pipeline. "
    "Colours follow the FEMA rule: SPI and CPI green 0.95-1.05, amber 0.90-0.95 or 1.05-1.10, "
    "red otherwise; overall is the worst of the two."
)


def render(request: ReportRequest) -> ReportOutput:
    """Render ``portfolio-summary`` for a portfolio, a program or the whole PMO.

    Example::

        out = ws.report("portfolio-summary", "PF", format="md")
        print(out.content)
    """
    view: WorkspaceView = request.view
    scope: Entity | None = request.scope
    figures = scope_figures(view, scope, request.status_date)
    totals = figures.totals
    melons = {
        row.project.id: flags(view.latest_status(row.project.id), row.figures)
        for row in figures.rows
    }
    if request.format == "json":
        document = envelope(
            "portfolio-summary",
            scope,
            request.status_date,
            totals,
            lifecycle=lifecycle_json(scope),
            counts=counts_json(figures),
            projects=(project_json(row, melons[row.project.id]) for row in figures.rows),
            on_hold=[row.project.id for row in figures.on_hold],
            excluded=[{"key": key, "reason": reason} for key, reason in figures.excluded],
            ended=[ended_json(e) for e in figures.ended],
            pipeline=[pipeline_json(m) for m in figures.pipeline],
            nodes=[node_json(n) for n in figures.nodes],
        )
        return output("json", [], document, totals.metrics)
    if request.format != "md":
        return rendered(
            request.format,
            tables=lambda: _portfolio_tables.tables(figures, melons),
            html=lambda: _html(request, figures, melons),
            status_date=request.status_date,
            metrics=totals.metrics,
        )
    currency = totals.currency
    facts = _facts(request.status_date.isoformat(), figures)
    facts[0] = f"As of **{request.status_date.isoformat()}**"
    lines = ["# " + _title(scope, text), "", " · ".join(facts), ""]
    if scope is not None and scope.lifecycle != "active":
        lines += [f"> {_scope_state(scope, text, _bold)}", ""]
    header = ("Key", "Name", "Phase", "Reported", "Computed", "SPI", "CPI", "EAC", "BAC")
    rows = [
        (
            cell(row.project.id),
            cell(row.project.name) + (" (on hold)" if row.held_by is not None else ""),
            cell(row.project.phase),
            rag(row.reported, missing="not reported")
            + (" (watermelon)" if melons[row.project.id] else ""),
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
        lines += ["No live projects in scope." if _beside(figures) else "No projects in scope.", ""]
    lines += table(header, rows)
    lines += ["", TOTALS_RULE]
    if figures.on_hold:
        lines += ["", "On hold, still in the totals:", ""]
        lines += [
            f"- {text(r.project.id)}: {_held(r.held_by, r.project, text)}"
            for r in figures.on_hold
            if r.held_by is not None
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
    if figures.nodes:
        lines += [
            "",
            "## Roll-up",
            "",
            "The live portfolios and programs, each with its own totals.",
            "",
        ]
        lines += table(
            (
                "Key",
                "Kind",
                "Name",
                "Live",
                "Reported",
                "Computed",
                "SPI",
                "CPI",
                "EAC",
                "BAC",
                "Ended",
                "Pipeline",
            ),
            _node_rows(figures.nodes, depth=0),
        )
    lines += _ended_section(figures.ended)
    lines += _pipeline_section(figures.pipeline)
    return output("md", lines, {}, totals.metrics)


def _bold(value: str) -> str:
    return f"**{value}**"


def _title(scope: Entity | None, esc: Callable[[str], str]) -> str:
    if scope is None:
        return "PMO summary"
    title = _TITLES.get(scope.kind, "Scope")
    return f"{title} summary: {esc(scope.id)} — {esc(scope.name)}"


def _html(request: ReportRequest, figures: Scope, melons: Melons) -> str:
    """The summary as an HTML page: the Markdown's content as typed tables, and charts."""
    scope = request.scope
    projects, totals, nodes, ended, pipeline = _portfolio_tables.tables(figures, melons)
    lead = []
    if scope is not None and scope.lifecycle != "active":
        lead.append(Paragraph(_scope_state(scope, plain, str), tone="warning"))
    held = [
        f"{r.project.id}: {_held(r.held_by, r.project, plain)}"
        for r in figures.on_hold
        if r.held_by is not None
    ]
    sections = [
        Section(
            "Projects",
            [
                projects,
                Paragraph(TOTALS_RULE, tone="note"),
                *_portfolio_tables.lists(figures, held),
            ],
        ),
        *_portfolio_tables.charts(figures, melons),
        *_dashboard.sections(request, figures),
        Section("Totals", [totals]),
    ]
    if figures.nodes:
        sections.append(
            Section(
                "Roll-up",
                [Paragraph("The live portfolios and programs, each with its own totals."), nodes],
            )
        )
    if figures.ended:
        sections.append(
            Section(
                "Ended",
                [
                    Paragraph(
                        "Killed and closed: out of the live totals. Final figures as of the "
                        "day each ended."
                    ),
                    ended,
                ],
            )
        )
    if figures.pipeline:
        sections.append(
            Section(
                "Pipeline",
                [
                    Paragraph(
                        "Proposed, not yet authorised: not in the totals until a go makes "
                        "them active."
                    ),
                    pipeline,
                    *(
                        [Paragraph(f"Budget requested by proposed projects: {asked}.")]
                        if (asked := _requested(figures.pipeline))
                        else []
                    ),
                ],
            )
        )
    return page(
        _title(scope, str),
        sections,
        subtitle=" · ".join(_facts(request.status_date.isoformat(), figures)),
        lead=lead,
    )


def _beside(node: Scope) -> bool:
    return bool(node.ended or node.pipeline)


def _facts(as_of: str, node: Scope) -> list[str]:
    live = f"{node.count('live')} live project(s)"
    held = node.count("on_hold")
    facts = [f"As of {as_of}", live + (f", {held} on hold" if held else "")]
    if node.count("ended"):
        facts.append(f"{node.count('ended')} ended project(s)")
    if node.count("pipeline"):
        facts.append(f"{node.count('pipeline')} proposed project(s)")
    facts.append(f"totals in {node.totals.currency or NA}")
    return facts


def _when(entity: Entity, esc: Callable[[str], str]) -> str:
    on = entity.lifecycle_on.isoformat() if entity.lifecycle_on else "on a date not recorded"
    by = f" by {esc(entity.lifecycle_by)}" if entity.lifecycle_by else ""
    reason = f": {esc(entity.lifecycle_reason)}" if entity.lifecycle_reason.strip() else ""
    return f"{on}{by}{reason}"


def _scope_state(scope: Entity, esc: Callable[[str], str], strong: Callable[[str], str]) -> str:
    state = _STATES.get(scope.lifecycle, scope.lifecycle)
    return f"This {scope.kind} is {strong(state)} since {_when(scope, esc)}."


def _held(held_by: Entity, project: Entity, esc: Callable[[str], str]) -> str:
    whose = "" if held_by.id == project.id else f"with {held_by.kind} {esc(held_by.id)}, "
    return f"on hold {whose}since {_when(held_by, esc)}"


def _state(member: ScopeMember) -> str:
    state = _STATES.get(member.state, member.state)
    return f"{state} (with {cell(member.cause.id)})" if member.inherited else state


def _node_rows(nodes: tuple[Scope, ...], depth: int) -> Iterator[tuple[str, ...]]:
    for node in nodes:
        entity = node.entity
        assert entity is not None
        totals = node.totals
        held = " (on hold)" if entity.lifecycle == "on_hold" else ""
        yield (
            "↳ " * depth + cell(entity.id),
            entity.kind,
            cell(entity.name) + held,
            f"{len(node.included)} of {len(node.rows)} measured",
            rag(worst(*(r.reported for r in node.rows)), missing="—"),
            rag(totals.overall),
            index(totals.value("spi")),
            index(totals.value("cpi")),
            money(totals.value("eac"), totals.currency),
            money(totals.value("bac"), totals.currency),
            str(node.count("ended")),
            str(node.count("pipeline")),
        )
        yield from _node_rows(node.nodes, depth + 1)


def _ended_section(ended: tuple[Ended, ...]) -> list[str]:
    if not ended:
        return []
    lines = [
        "",
        "## Ended",
        "",
        "Killed and closed: out of the live totals. Final figures as of the day each ended.",
        "",
    ]
    lines += table(
        ("Key", "Kind", "Name", "State", "On", "By", "Reason", "BAC", "EV", "AC", "EAC"),
        (
            (
                cell(e.member.key),
                e.member.entity.kind,
                cell(e.member.entity.name),
                _state(e.member),
                e.member.on.isoformat() if e.member.on else "—",
                cell(e.member.by),
                cell(e.member.reason),
                money(e.figures.value("bac"), e.figures.currency),
                money(e.figures.value("ev"), e.figures.currency),
                money(e.figures.value("ac"), e.figures.currency),
                money(e.figures.value("eac"), e.figures.currency),
            )
            for e in ended
        ),
    )
    return lines


def _pipeline_section(pipeline: tuple[ScopeMember, ...]) -> list[str]:
    if not pipeline:
        return []
    lines = [
        "",
        "## Pipeline",
        "",
        "Proposed, not yet authorised: not in the totals until a go makes them active.",
        "",
    ]
    lines += table(
        ("Key", "Kind", "Name", "State", "Since", "By", "Budget"),
        (
            (
                cell(m.key),
                m.entity.kind,
                cell(m.entity.name),
                _state(m),
                m.on.isoformat() if m.on else "—",
                cell(m.by),
                money(m.entity.budget.amount, m.entity.budget.currency)
                if m.entity.budget is not None
                else NA,
            )
            for m in pipeline
        ),
    )
    asked = _requested(pipeline)
    if asked:
        lines += ["", f"Budget requested by proposed projects: {asked}."]
    return lines


def _requested(pipeline: tuple[ScopeMember, ...]) -> str:
    """The budget the proposed projects ask for, summed per currency ("" when none)."""
    requested: dict[str, Decimal] = {}
    for m in pipeline:
        budget = m.entity.budget
        if budget is not None and m.entity.kind == "project":
            requested[budget.currency] = requested.get(budget.currency, Decimal(0)) + budget.amount
    return ", ".join(money(amount, cur) for cur, amount in sorted(requested.items()))
