"""What the ``project-status`` report reads about one project, gathered once for every format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pmo_core import (
    Entity,
    GateDecision,
    Milestone,
    RaidItem,
    ReportRequest,
    StatusReport,
    Watermelon,
)

from ._figures import Figures, Row, project_figures
from ._watermelons import flags

#: The figures the key-figures table shows, in order, with their labels.
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("bac", "Budget at completion (BAC)"),
    ("pv", "Planned value (PV)"),
    ("ev", "Earned value (EV)"),
    ("ac", "Actual cost (AC)"),
    ("sv", "Schedule variance (SV)"),
    ("cv", "Cost variance (CV)"),
    ("spi", "Schedule performance index (SPI)"),
    ("cpi", "Cost performance index (CPI)"),
    ("eac", "Estimate at completion (EAC)"),
    ("etc", "Estimate to complete (ETC)"),
    ("vac", "Variance at completion (VAC)"),
    ("tcpi_bac", "To-complete performance index (TCPI, BAC)"),
)
DIMENSIONS = ("schedule", "cost", "scope", "resources", "risk")
NEXT_MILESTONES = 5
RAID_TYPES = ("risk", "assumption", "issue", "dependency", "decision", "action", "change")


@dataclass(frozen=True)
class ProjectFacts:
    """One project on the status date: its figures (with the monthly series), latest status
    report and the watermelons it makes, next open milestones, open high risks, gate
    decisions taken by then and RAID counts per type."""

    status_date: date
    project: Entity
    figures: Figures
    latest: StatusReport | None
    watermelons: tuple[Watermelon, ...]
    milestones: tuple[Milestone, ...]
    plan: tuple[Milestone, ...]
    risks: tuple[RaidItem, ...]
    gates: tuple[GateDecision, ...]
    counts: dict[str, dict[str, int]]
    row: Row

    @property
    def watermelon(self) -> bool:
        return bool(self.watermelons)

    def overdue(self, milestone: Milestone) -> bool:
        return bool(milestone.due and milestone.due < self.status_date)


def gather(request: ReportRequest) -> ProjectFacts:
    """Read everything the report shows about ``request.scope``."""
    view = request.view
    project = request.scope
    if project is None:  # the report's only scope is "project", so the core always gives one
        raise ValueError("project-status needs a project")
    # The monthly series draws the HTML page's S-curve; one project's is cheap to compute.
    figures = project_figures(view, project, request.status_date, series="month")
    latest = view.latest_status(project.id)
    row = Row(
        project=project,
        figures=figures,
        reported=latest.overall.value if latest else None,
        reported_on=latest.as_of if latest else None,
    )
    plan = view.milestones(project.id)
    milestones = [m for m in plan if m.status != "closed" and m.completed_on is None][
        :NEXT_MILESTONES
    ]
    raid = view.raid(project.id)
    risks = sorted(
        (r for r in raid if r.type == "risk" and r.status == "open" and r.is_high),
        key=lambda r: (-(r.score or 0), r.id),
    )
    # A decision dated after the status date had not been taken then, even if recorded since.
    gates = [d for d in view.gate_decisions(project.id) if d.decided_on <= request.status_date]
    counts = {
        t: {
            "open": sum(1 for r in raid if r.type == t and r.status == "open"),
            "total": sum(1 for r in raid if r.type == t),
        }
        for t in RAID_TYPES
    }
    return ProjectFacts(
        status_date=request.status_date,
        project=project,
        figures=figures,
        latest=latest,
        watermelons=flags(latest, figures),
        milestones=tuple(milestones),
        plan=tuple(plan),
        risks=tuple(risks),
        gates=tuple(gates),
        counts=counts,
        row=row,
    )
