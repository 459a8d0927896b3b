"""The ``portfolio-summary`` as typed tables and charts: what its HTML, CSV and XLSX show.

The same content as the Markdown (the projects with their totals, the totals' figures, the
roll-up, the ended projects and the pipeline), with typed cells for spreadsheets and, in
HTML, the charts: SPI against CPI sized by BAC, budget against actual and forecast, the RAG
of each program (or project) per dimension, and the watermelons.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pmo_core import ScopeMember, Watermelon, worst

from ._figures import Row, Scope
from ._watermelons import WATERMELON_RULE, flag_rows, flags_table
from .kit import (
    Bubble,
    Bullets,
    Column,
    Paragraph,
    Section,
    Table,
    bar_chart,
    bubble_chart,
    heatmap,
    metrics_table,
    rag_label,
)
from .kit._page import Block

PROJECT_COLUMNS = (
    Column("key", "Key"),
    Column("name", "Name"),
    Column("lifecycle", "Lifecycle"),
    Column("phase", "Phase", missing="—"),
    Column("reported", "Reported", "rag", missing="not reported"),
    Column("watermelon", "Watermelon", missing=""),
    Column("computed", "Computed", "rag"),
    Column("spi", "SPI", "index"),
    Column("cpi", "CPI", "index"),
    Column("eac", "EAC", "money", currency_key="currency"),
    Column("bac", "BAC", "money", currency_key="currency"),
    Column("ac", "AC", "money", currency_key="currency"),
    Column("currency", "Currency", missing="—"),
)
NODE_COLUMNS = (
    Column("key", "Key"),
    Column("kind", "Kind"),
    Column("name", "Name"),
    Column("parent", "Within", missing="—"),
    Column("measured", "Measured", "int"),
    Column("live", "Live", "int"),
    Column("reported", "Reported", "rag", missing="—"),
    Column("computed", "Computed", "rag"),
    Column("spi", "SPI", "index"),
    Column("cpi", "CPI", "index"),
    Column("eac", "EAC", "money", currency_key="currency"),
    Column("bac", "BAC", "money", currency_key="currency"),
    Column("ended", "Ended", "int"),
    Column("pipeline", "Pipeline", "int"),
)
MEMBER_COLUMNS = (
    Column("key", "Key"),
    Column("kind", "Kind"),
    Column("name", "Name"),
    Column("state", "State"),
    Column("via", "With", missing="—"),
    Column("on", "On", "date", missing="—"),
    Column("by", "By", missing="—"),
    Column("reason", "Reason", missing="—"),
)
ENDED_COLUMNS = (
    *MEMBER_COLUMNS,
    *(
        Column(key, key.upper(), "money", currency_key="currency")
        for key in ("bac", "ev", "ac", "eac")
    ),
    Column("measured_on", "Measured on", "date"),
)
PIPELINE_COLUMNS = (*MEMBER_COLUMNS, Column("budget", "Budget", "money", currency_key="currency"))
DIMENSIONS = ("schedule", "cost", "overall")
#: Each live project's watermelons, by key.
Melons = Mapping[str, Sequence[Watermelon]]


def _project_row(row: Row, melons: Melons) -> dict[str, Any]:
    figures = row.figures
    return {
        "key": row.project.id,
        "name": row.project.name,
        "lifecycle": "on hold" if row.held_by is not None else row.project.lifecycle,
        "phase": row.project.phase,
        "reported": row.reported,
        "watermelon": ", ".join(f.dimension for f in melons.get(row.project.id, ())),
        "computed": figures.overall,
        "spi": figures.value("spi"),
        "cpi": figures.value("cpi"),
        "eac": figures.value("eac"),
        "bac": figures.value("bac"),
        "ac": figures.value("ac"),
        "currency": figures.currency,
    }


def _totals_row(node: Scope) -> dict[str, Any]:
    totals = node.totals
    return {
        "key": "Total",
        "name": f"{len(node.included)} of {len(node.rows)} measured",
        "reported": worst(*(r.reported for r in node.rows)),
        "computed": totals.overall,
        "spi": totals.value("spi"),
        "cpi": totals.value("cpi"),
        "eac": totals.value("eac"),
        "bac": totals.value("bac"),
        "ac": totals.value("ac"),
        "currency": totals.currency,
    }


def _nodes(nodes: Sequence[Scope], parent: str = "") -> Iterator[dict[str, Any]]:
    for node in nodes:
        entity = node.entity
        assert entity is not None  # roll-up nodes are portfolios and programs
        totals = node.totals
        yield {
            "key": entity.id,
            "kind": entity.kind + (" (on hold)" if entity.lifecycle == "on_hold" else ""),
            "name": entity.name,
            "parent": parent,
            "measured": len(node.included),
            "live": len(node.rows),
            "reported": worst(*(r.reported for r in node.rows)),
            "computed": totals.overall,
            "spi": totals.value("spi"),
            "cpi": totals.value("cpi"),
            "eac": totals.value("eac"),
            "bac": totals.value("bac"),
            "currency": totals.currency,
            "ended": node.count("ended"),
            "pipeline": node.count("pipeline"),
        }
        yield from _nodes(node.nodes, entity.id)


def _member(member: ScopeMember) -> dict[str, Any]:
    return {
        "key": member.key,
        "kind": member.entity.kind,
        "name": member.entity.name,
        "state": member.state.replace("_", " "),
        "via": member.cause.id if member.inherited else None,
        "on": member.on,
        "by": member.by,
        "reason": member.reason,
    }


def tables(figures: Scope, melons: Melons) -> list[Table]:
    """Projects (the CSV), totals with their lineage, roll-up, ended and pipeline."""
    totals = figures.totals
    ended = [
        {
            **_member(e.member),
            **{k: e.figures.value(k) for k in ("bac", "ev", "ac", "eac")},
            "currency": e.figures.currency,
            "measured_on": e.as_of,
        }
        for e in figures.ended
    ]
    pipeline = [
        {
            **_member(m),
            "budget": m.entity.budget.amount if m.entity.budget else None,
            "currency": m.entity.budget.currency if m.entity.budget else "",
        }
        for m in figures.pipeline
    ]
    return [
        Table(
            "Projects",
            "Live projects",
            PROJECT_COLUMNS,
            [_project_row(r, melons) for r in figures.rows],
            footer=_totals_row(figures),
            empty="No live projects in scope.",
        ),
        metrics_table("Totals", "Totals, with their formulas and inputs", totals.metrics),
        Table("Roll-up", "Roll-up", NODE_COLUMNS, list(_nodes(figures.nodes))),
        Table("Ended", "Ended: killed and closed", ENDED_COLUMNS, ended, empty="None ended."),
        Table("Pipeline", "Pipeline: proposed", PIPELINE_COLUMNS, pipeline, empty="None proposed."),
    ]


def _heat_rows(figures: Scope) -> tuple[str, list[tuple[str, Scope | Row]]]:
    """The rows of the RAG heat map: the programs (and portfolios) below the scope, or its
    projects when there are none (a program's summary)."""
    flat: list[Scope] = []

    def walk(nodes: Sequence[Scope]) -> None:
        for node in nodes:
            flat.append(node)
            walk(node.nodes)

    walk(figures.nodes)
    if flat:
        return "program", [(n.entity.id if n.entity else "", n) for n in flat]
    return "project", [(r.project.id, r) for r in figures.rows]


def charts(figures: Scope, melons: Melons) -> list[Section]:
    """The chart sections of the HTML page."""
    bubbles = [
        Bubble(r.project.id, spi, cpi, r.figures.value("bac") or Decimal(0), r.figures.overall)
        for r in figures.rows
        if (spi := r.figures.value("spi")) is not None
        and (cpi := r.figures.value("cpi")) is not None
    ]
    performance: list[Block] = []
    if bubbles:
        performance.append(bubble_chart("SPI against CPI, sized by BAC", bubbles))
        performance.append(
            Paragraph(
                "Right of 1.0 is ahead of schedule, above 1.0 under budget; the colour and the "
                "shape give the computed RAG.",
                tone="note",
            )
        )
    else:
        performance.append(Paragraph("No measured project to plot.", tone="note"))
    money_rows = [r for r in figures.rows if r.figures.value("bac") is not None]
    currency = figures.totals.currency
    same = [r for r in money_rows if r.figures.currency == currency]
    budget: list[Block] = []
    if same:
        budget.append(
            bar_chart(
                "Budget, actual and forecast per project",
                [r.project.id for r in same],
                {
                    "Budget (BAC)": [r.figures.value("bac") for r in same],
                    "Actual (AC)": [r.figures.value("ac") for r in same],
                    "Forecast (EAC)": [r.figures.value("eac") for r in same],
                },
                y_title=currency,
            )
        )
    if len(same) < len(money_rows):
        budget.append(Paragraph(f"Projects in another currency than {currency} are left out."))
    if not budget:
        budget.append(Paragraph("No project with a budget to plot.", tone="note"))
    kind, rows = _heat_rows(figures)
    cells: dict[tuple[str, str], tuple[str, Any]] = {}
    for key, item in rows:
        source = item.totals if isinstance(item, Scope) else item.figures
        for dimension in DIMENSIONS:
            colour = getattr(source, dimension)
            cells[(key, dimension)] = (rag_label(colour), colour)
    heat: list[Block] = (
        [heatmap(f"RAG by {kind} and dimension", [k for k, _ in rows], DIMENSIONS, cells)]
        if rows
        else [Paragraph("Nothing to colour.", tone="note")]
    )
    found = [row for r in figures.rows for row in flag_rows(r.project.id, melons[r.project.id])]
    melon: list[Block] = [
        Paragraph(WATERMELON_RULE, tone="note"),
        flags_table(found, empty="No watermelon: no reported colour is better than its figures."),
    ]
    return [
        Section("Schedule and cost performance", performance),
        Section("Budget, actual and forecast", budget),
        Section(f"RAG by {kind}", heat),
        Section("Watermelons", melon),
    ]


def lists(figures: Scope, held: Sequence[str]) -> list[Block]:
    """What the Markdown says under the projects table: on hold, and not in the totals."""
    blocks: list[Block] = []
    if held:
        blocks += [Paragraph("On hold, still in the totals:"), Bullets(held)]
    if figures.excluded:
        blocks += [
            Paragraph("Not in the totals:"),
            Bullets([f"{key}: {reason}" for key, reason in figures.excluded]),
        ]
    return blocks
