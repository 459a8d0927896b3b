"""What the ``portfolio-summary`` page adds to make it a dashboard: a roadmap of the nearest
milestones and the top risks (a 5 x 5 grid of counts and the ten highest open risks).

Both are capped so a page over 10,000 projects stays small; each section says what it left
out.
"""

from __future__ import annotations

from pmo_core import Entity, Milestone, ReportRequest

from ._figures import Scope
from ._raid_register import COLUMNS, GRID_NOTE, register_rows, risk_grid, risk_matrix
from .kit import GanttBar, GanttMilestone, Paragraph, Section, Table, gantt
from .kit._page import Block

#: How many milestones the roadmap draws: the open ones nearest the status date.
NEAREST_MILESTONES = 50
#: How many open risks the top-risks table lists, highest score first.
TOP_RISKS = 10
_RISK_COLUMNS = ("id", "entity", "title", "owner", "probability", "impact", "score", "due")


def _roadmap(request: ReportRequest, figures: Scope) -> Section:
    on = request.status_date
    view = request.view
    projects = {r.project.id: r.project for r in figures.rows}
    open_ones: list[tuple[Entity, Milestone]] = [
        (projects[key], m)
        for key in projects
        for m in view.milestones(key)
        if m.due is not None and m.status != "closed" and m.completed_on is None
    ]
    # Nearest the status date first, overdue ones as near as those due as soon.
    open_ones.sort(key=lambda pm: (abs(((pm[1].due or on) - on).days), pm[0].id, pm[1].name))
    shown = open_ones[:NEAREST_MILESTONES]
    blocks: list[Block] = []
    if not shown:
        blocks.append(Paragraph("No open dated milestone in the live projects.", tone="note"))
        return Section("Roadmap", blocks)
    bars = []
    for project in dict.fromkeys(p for p, _ in shown):
        dues = [m.due for p, m in shown if p.id == project.id and m.due is not None]
        start = min(project.planned_start or min(dues), min(dues))
        finish = max(project.planned_finish or max(dues), max(dues))
        bars.append(GanttBar(project.id, start, finish, group=project.parent or ""))
    blocks.append(
        gantt(
            f"The {len(shown)} open milestones nearest {on.isoformat()}",
            bars,
            [GanttMilestone(p.id, m.due, m.name) for p, m in shown if m.due is not None],
            marker=on,
        )
    )
    left = len(open_ones) - len(shown)
    blocks.append(
        Paragraph(
            f"The open milestones nearest the status date (the dashed line), at most "
            f"{NEAREST_MILESTONES}, on their projects' planned span"
            + (f"; {left} more left out (the roadmap report lists them all)." if left else "."),
            tone="note",
        )
    )
    return Section("Roadmap", blocks)


def _risks(request: ReportRequest) -> Section:
    rows = [r for r in register_rows(request, True) if r["type"] == "risk"]
    matrix = risk_matrix(rows)
    blocks: list[Block] = []
    if any(matrix.values()):
        blocks += [risk_grid(matrix), Paragraph(GRID_NOTE, tone="note")]
    top = rows[:TOP_RISKS]  # open first, highest score first: the register's order
    blocks.append(
        Table(
            "Top risks",
            f"The {TOP_RISKS} highest open risks" if len(rows) > TOP_RISKS else "Open risks",
            [COLUMNS[c] for c in _RISK_COLUMNS],
            top,
            empty="No open risk.",
        )
    )
    if len(rows) > TOP_RISKS:
        blocks.append(
            Paragraph(
                f"{len(rows) - TOP_RISKS} more open risks are counted in the grid; the "
                "raid-register report lists them.",
                tone="note",
            )
        )
    return Section("Top risks", blocks)


def sections(request: ReportRequest, figures: Scope) -> list[Section]:
    """The roadmap and the top risks of the scope on the status date."""
    return [_roadmap(request, figures), _risks(request)]
