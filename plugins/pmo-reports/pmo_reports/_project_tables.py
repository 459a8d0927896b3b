"""The ``project-status`` report as typed tables and an HTML page: the Markdown's content with
typed cells for spreadsheets. The sentences both say (the facts line, the ended and the
watermelon warnings) are written here once, for either markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pmo_core import Approval, Entity

from ._project_facts import DIMENSIONS, KEY_FIGURES, NEXT_MILESTONES, ProjectFacts
from ._scurve import s_curve
from .kit import (
    NA,
    Bullets,
    Column,
    GanttBar,
    GanttMilestone,
    Paragraph,
    Section,
    Table,
    gantt,
    index,
    metrics_table,
    money,
    page,
)
from .kit._page import Block

Escape = Callable[[str], str]

RAG_COLUMNS = (
    Column("dimension", "Dimension"),
    Column("reported", "Reported", "rag", missing="not reported"),
    Column("override", "Override", missing=""),
    Column("computed", "Computed", "rag", missing="—"),
    Column("basis", "Basis", missing=""),
)
MILESTONE_COLUMNS = (
    Column("due", "Due", "date", missing="no date"),
    Column("name", "Milestone"),
    Column("status", "Status"),
    Column("overdue", "Overdue", missing=""),
)
GATE_COLUMNS = (
    Column("decided_on", "Date", "date"),
    Column("gate", "Gate"),
    Column("decision", "Decision"),
    Column("next_phase", "Next phase", missing="—"),
    Column("approvers", "Approvers", missing="—"),
)
RISK_COLUMNS = (
    Column("title", "Risk"),
    Column("probability", "P", "int"),
    Column("impact", "I", "int"),
    Column("score", "Score", "int"),
    Column("owner", "Owner", missing="—"),
    Column("response", "Response", missing="—"),
)
RAID_COLUMNS = (
    Column("type", "Type"),
    Column("open", "Open", "int"),
    Column("total", "Total", "int"),
)


def approver(approval: Approval) -> str:
    """An approver as the gate history shows them: ``dana (sponsor)``."""
    return f"{approval.approver} ({approval.role})" if approval.role else approval.approver


def facts_line(facts: ProjectFacts, esc: Escape, strong: Escape) -> list[str]:
    """The facts under the title: status date, phase, status, lifecycle, manager, sponsor."""
    project = facts.project
    line = [
        f"As of {strong(facts.status_date.isoformat())}",
        f"phase {esc(project.phase or '') or NA}",
        f"status {project.status.value}",
        f"lifecycle {project.lifecycle.replace('_', ' ')}",
    ]
    if project.manager:
        line.append(f"manager {esc(project.manager)}")
    if project.sponsor:
        line.append(f"sponsor {esc(project.sponsor)}")
    return line


def ended_sentence(project: Entity, esc: Escape, strong: Escape) -> str:
    """Said first for a killed or closed project: its figures are final."""
    on = project.lifecycle_on.isoformat() if project.lifecycle_on else "a date not recorded"
    by = f" by {esc(project.lifecycle_by)}" if project.lifecycle_by else ""
    reason = f": {esc(project.lifecycle_reason)}" if project.lifecycle_reason.strip() else ""
    return (
        f"{strong(project.lifecycle.capitalize())} on {on}{by}{reason}. It is out of the live "
        "totals of its program and portfolio."
    )


def watermelon_sentence(facts: ProjectFacts) -> str:
    """Why a project is a watermelon: each colour reported better than its figures say."""
    return (
        "reported better than the earned-value figures say: "
        + "; ".join(f.message for f in facts.watermelons)
        + "."
    )


def rag_rows(facts: ProjectFacts) -> list[dict[str, Any]]:
    """Per dimension: the colour reported (and whether it is a manual override), the colour
    computed from earned value and what it rests on."""
    figures, latest = facts.figures, facts.latest
    computed = {
        "overall": (figures.overall, "worst of schedule and cost"),
        "schedule": (figures.schedule, f"SPI {index(figures.value('spi'))}"),
        "cost": (figures.cost, f"CPI {index(figures.value('cpi'))}"),
    }
    rows = []
    for dimension in ("overall", *DIMENSIONS):
        reported = None
        if latest is not None and dimension == "overall":
            reported = latest.overall.value
        elif latest is not None:
            colour = latest.dimensions.get(dimension)  # type: ignore[call-overload]
            reported = colour.value if colour else None
        colour, basis = computed.get(dimension, (None, ""))
        rows.append(
            {
                "dimension": dimension.capitalize(),
                "reported": reported,
                "override": "manual override"
                if latest is not None and dimension in latest.overridden
                else "",
                "computed": colour,
                "basis": basis,
                "has_computed": dimension in computed,
            }
        )
    return rows


def tables(facts: ProjectFacts) -> list[Table]:
    """Every figure with its lineage (the CSV), then RAG, milestones, gates, risks and RAID."""
    figures = facts.figures
    labels = dict(KEY_FIGURES)
    return [
        metrics_table(
            "Metrics", "Earned value, with formulas and inputs", figures.metrics, labels=labels
        ),
        Table("RAG", "RAG reported and computed", RAG_COLUMNS, rag_rows(facts)),
        Table(
            "Milestones",
            f"Milestones (next {NEXT_MILESTONES})",
            MILESTONE_COLUMNS,
            [
                {
                    "due": m.due,
                    "name": m.name,
                    "status": m.status,
                    "overdue": "overdue" if facts.overdue(m) else "",
                }
                for m in facts.milestones
            ],
            empty="No open milestones.",
        ),
        Table(
            "Gates",
            "Gates",
            GATE_COLUMNS,
            [
                {
                    "decided_on": d.decided_on,
                    "gate": d.gate,
                    "decision": d.decision,
                    "next_phase": d.next_phase,
                    "approvers": ", ".join(approver(a) for a in d.approvals if a.approve),
                }
                for d in facts.gates
            ],
            empty="No gate decisions.",
        ),
        Table(
            "Risks",
            "Open high risks",
            RISK_COLUMNS,
            [
                {
                    "title": r.title,
                    "probability": r.probability,
                    "impact": r.impact,
                    "score": r.score,
                    "owner": r.owned_by,
                    "response": r.response,
                }
                for r in facts.risks
            ],
            empty="No open high risks.",
        ),
        Table(
            "RAID",
            "RAID log",
            RAID_COLUMNS,
            [{"type": t, **c} for t, c in facts.counts.items()],
        ),
    ]


CURVE_NOTE = (
    "Month ends from the plan's start: PV on the baseline in force (and on the current plan "
    "when they differ), EV and AC up to the status date, the dashed line. The evm report has "
    "the figures behind each point."
)


def _timeline(facts: ProjectFacts) -> list[Block]:
    """The project's planned span with every dated milestone on it (a late stretch to the
    earned-schedule forecast finish), when it has planned dates or dated milestones."""
    project, figures = facts.project, facts.figures
    dated = [m for m in facts.plan if m.due is not None]
    start = project.planned_start or min((m.due for m in dated if m.due), default=None)
    finish = project.planned_finish or max((m.due for m in dated if m.due), default=None)
    if start is None or finish is None or finish < start:
        return []
    forecast = figures.earned_schedule.finish if figures.earned_schedule else None
    late = forecast if forecast is not None and forecast > finish else None
    return [
        gantt(
            "Plan and milestones",
            [GanttBar(project.id, start, finish, group=project.id, late_until=late)],
            [GanttMilestone(project.id, m.due, m.name) for m in dated if m.due is not None],
            marker=facts.status_date,
        ),
        Paragraph(
            "The bar runs from the planned start to the planned finish (or the first and last "
            "milestone); a red stretch runs on to the earned-schedule forecast finish. "
            "Diamonds are the milestones, done or not; the dashed line is the status date.",
            tone="note",
        ),
    ]


def html(facts: ProjectFacts) -> str:
    """The status report as an HTML page: the Markdown's content, typed and coloured."""
    project, figures, latest = facts.project, facts.figures, facts.latest
    _, rag, milestones, gates, risks, raid = tables(facts)
    lead: list[Block] = []
    if project.ended:
        lead.append(Paragraph(ended_sentence(project, str, str), tone="warning"))
    if facts.watermelon:
        lead.append(Paragraph("Watermelon: " + watermelon_sentence(facts), tone="warning"))
    if latest is not None:
        said = f"Reported in the status report of {latest.as_of.isoformat()} by {latest.author}."
    else:
        said = f"No status report on or before {facts.status_date.isoformat()}."
    key: list[Block] = []
    if figures.note:
        key.append(Paragraph(f"Earned value is undefined: {figures.note}.", tone="note"))
    key.append(
        metrics_table(
            "Key figures",
            "Key figures",
            figures.metrics,
            labels=dict(KEY_FIGURES),
            only=[name for name, _ in KEY_FIGURES],
        )
    )
    if project.budget is not None and figures.measured:
        approved = money(project.budget.amount, project.budget.currency)
        key.append(Paragraph(f"Approved project budget: {approved}."))
    curve = s_curve(figures, "Cumulative PV, EV and AC by month")
    progress: list[Block] = (
        [curve, Paragraph(CURVE_NOTE, tone="note")]
        if curve is not None
        else [Paragraph("No dated plan to draw an S-curve from.", tone="note")]
    )
    sections = [
        Section("RAG", [Paragraph(said), rag]),
        Section("Key figures", key),
        Section("S-curve", progress),
        Section(f"Milestones (next {NEXT_MILESTONES})", [*_timeline(facts), milestones]),
        Section("Gates", [gates]),
        Section("Open high risks", [risks]),
        Section("RAID log", [raid]),
    ]
    if latest is not None:
        sections.append(
            Section("Summary", [Paragraph(latest.summary.strip() or "No summary given.")])
        )
        for title, entries in (
            ("Achievements", latest.achievements),
            ("Next steps", latest.next_steps),
        ):
            sections.append(
                Section(title, [Bullets(list(entries)) if entries else Paragraph("None given.")])
            )
    return page(
        f"Project status: {project.id} — {project.name}",
        sections,
        subtitle=" · ".join(facts_line(facts, str, str)),
        lead=lead,
    )
