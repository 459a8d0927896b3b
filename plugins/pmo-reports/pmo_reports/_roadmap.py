"""The ``roadmap`` report: the live projects of a scope on a time line, grouped by program,
with their milestones, planned finish against forecast finish; the pipeline apart, the ended
left out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pmo_core import Entity, Milestone, ReportOutput, ReportRequest, ScopeMember, scope_members

from ._options import flags
from ._output import output, rendered, scope_json
from ._version import GENERATED_BY
from .kit import (
    Bullets,
    Column,
    GanttBar,
    GanttMilestone,
    Paragraph,
    Section,
    Table,
    gantt,
    md_text,
    page,
)
from .kit._page import Block

NO_GROUP = "—"
PROJECT_COLUMNS = (
    Column("group", "Program"),
    Column("key", "Key"),
    Column("name", "Name"),
    Column("lifecycle", "Lifecycle"),
    Column("start", "Start", "date"),
    Column("planned_finish", "Planned finish", "date"),
    Column("forecast_finish", "Forecast finish", "date", missing="—"),
    Column("days_late", "Late by", "days", missing="—"),
    Column("next_milestone", "Next milestone", missing="—"),
    Column("next_due", "Due", "date", missing="—"),
)
MILESTONE_COLUMNS = (
    Column("project", "Project"),
    Column("name", "Milestone"),
    Column("due", "Due", "date", missing="no date"),
    Column("status", "Status"),
)
PIPELINE_COLUMNS = (
    Column("key", "Key"),
    Column("kind", "Kind"),
    Column("name", "Name"),
    Column("via", "With", missing="—"),
    Column("start", "Planned start", "date", missing="—"),
    Column("planned_finish", "Planned finish", "date", missing="—"),
    Column("budget", "Budget", "money", currency_key="currency"),
)


@dataclass(frozen=True)
class _Line:
    """One live project on the roadmap."""

    project: Entity
    group: str
    group_name: str
    held: bool
    forecast_finish: date | None
    milestones: tuple[Milestone, ...]

    @property
    def start(self) -> date | None:
        return self.project.planned_start or self.project.actual_start

    @property
    def days_late(self) -> int | None:
        planned, forecast = self.project.planned_finish, self.forecast_finish
        if planned is None or forecast is None or forecast <= planned:
            return None
        return (forecast - planned).days

    def row(self, on: date) -> dict[str, Any]:
        upcoming = [m for m in self.milestones if m.status != "closed" and m.completed_on is None]
        following = next(iter(upcoming), None)
        return {
            "group": self.group or NO_GROUP,
            "group_name": self.group_name,
            "key": self.project.id,
            "name": self.project.name,
            "lifecycle": "on hold" if self.held else self.project.lifecycle,
            "start": self.start,
            "planned_finish": self.project.planned_finish,
            "forecast_finish": self.forecast_finish,
            "late": self.days_late is not None,
            "days_late": self.days_late,
            "next_milestone": following.name if following else None,
            "next_due": following.due if following else None,
        }


def _group(view: Any, project: Entity) -> tuple[str, str]:
    # The nearest program above the project, else its portfolio: the band it is drawn in.
    above = view.ancestors(project.id)
    chosen = next((a for a in above if a.kind == "program"), None) or next(
        (a for a in above if a.kind == "portfolio"), None
    )
    return (chosen.id, chosen.name) if chosen is not None else ("", "")


def _forecast_finish(view: Any, project: Entity) -> date | None:
    # The latest project forecast (not a work item's) made by the status date.
    latest = [f for f in view.forecasts(project.id) if f.work_item is None]
    return latest[-1].finish if latest else None


def _lines(request: ReportRequest) -> tuple[list[_Line], tuple[ScopeMember, ...]]:
    view = request.view
    members = scope_members(view, request.scope)
    lines = []
    for member in members.live_members:
        project = member.entity
        group, group_name = _group(view, project)
        lines.append(
            _Line(
                project=project,
                group=group,
                group_name=group_name,
                held=member.held,
                forecast_finish=_forecast_finish(view, project),
                milestones=tuple(view.milestones(project.id)),
            )
        )
    lines.sort(key=lambda ln: (ln.group or "\uffff", ln.start or date.max, ln.project.id))
    return lines, members.pipeline


def _tables(lines: Sequence[_Line], pipeline: Sequence[ScopeMember], on: date) -> list[Table]:
    return [
        Table(
            "Projects",
            "Live projects",
            PROJECT_COLUMNS,
            [ln.row(on) for ln in lines],
            empty="No live projects in scope.",
        ),
        Table(
            "Milestones",
            "Milestones",
            MILESTONE_COLUMNS,
            [
                {"project": ln.project.id, "name": m.name, "due": m.due, "status": m.status}
                for ln in lines
                for m in ln.milestones
            ],
            empty="No milestones.",
        ),
        Table(
            "Pipeline",
            "Pipeline: proposed, not on the roadmap yet",
            PIPELINE_COLUMNS,
            _pipeline_rows(pipeline),
            empty="None proposed.",
        ),
    ]


def _pipeline_rows(pipeline: Sequence[ScopeMember]) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "kind": m.entity.kind,
            "name": m.entity.name,
            "via": m.cause.id if m.inherited else None,
            "start": m.entity.planned_start,
            "planned_finish": m.entity.planned_finish,
            "budget": m.entity.budget.amount if m.entity.budget else None,
            "currency": m.entity.budget.currency if m.entity.budget else "",
        }
        for m in pipeline
    ]


def _undated(lines: Sequence[_Line]) -> list[str]:
    return [ln.project.id for ln in lines if ln.start is None or ln.project.planned_finish is None]


def _title(scope: Entity | None, esc: Callable[[str], str] = str) -> str:
    return "Roadmap: PMO" if scope is None else f"Roadmap: {esc(scope.id)} — {esc(scope.name)}"


def _facts(lines: Sequence[_Line], pipeline: Sequence[ScopeMember], on: date) -> list[str]:
    late = sum(1 for ln in lines if ln.days_late is not None)
    return [
        f"As of {on.isoformat()}",
        f"{len(lines)} live project(s)",
        f"{late} forecast to finish late",
        f"{len(pipeline)} in the pipeline",
    ]


def render(request: ReportRequest) -> ReportOutput:
    """Render ``roadmap`` for a portfolio, a program or the whole PMO.

    Example::

        out = ws.report("roadmap", "PF", format="html")
        open("roadmap.html", "w").write(out.content)
    """
    flags("roadmap", request.options, {})
    on = request.status_date
    lines, pipeline = _lines(request)
    if request.format == "json":
        document = {
            "report": "roadmap",
            "scope": scope_json(request.scope),
            "as_of": on.isoformat(),
            "generated_by": GENERATED_BY,
            "projects": [
                {
                    **_json(ln.row(on)),
                    "milestones": [
                        {"name": m.name, "due": _day(m.due), "status": m.status}
                        for m in ln.milestones
                    ],
                }
                for ln in lines
            ],
            "pipeline": [_json(r) for r in _pipeline_rows(pipeline)],
        }
        return output("json", [], document, ())
    if request.format != "md":
        return rendered(
            request.format,
            tables=lambda: _tables(lines, pipeline, on),
            html=lambda: _html(request, lines, pipeline),
            status_date=on,
            metrics=(),
        )
    projects, milestones, proposed = _tables(lines, pipeline, on)
    facts = _facts(lines, pipeline, on)
    facts[0] = f"As of **{on.isoformat()}**"
    out = ["# " + _title(request.scope, md_text), "", " · ".join(facts), ""]
    out += ["## Projects", "", *projects.markdown(), ""]
    undated = _undated(lines)
    if undated:
        out += [
            f"Not on the time line (no planned start or finish): {md_text(', '.join(undated))}.",
            "",
        ]
    out += ["## Milestones", "", *milestones.markdown(), ""]
    out += ["## Pipeline", "", *proposed.markdown()]
    return output("md", out, {}, ())


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _day(v) if isinstance(v, date) else str(v) if k == "budget" and v is not None else v
        for k, v in row.items()
    }


def _html(request: ReportRequest, lines: Sequence[_Line], pipeline: Sequence[ScopeMember]) -> str:
    on = request.status_date
    projects, milestones, proposed = _tables(lines, pipeline, on)
    charted = [ln for ln in lines if ln.start is not None and ln.project.planned_finish is not None]
    timeline: list[Block] = []
    if charted:
        timeline.append(
            gantt(
                "Planned start to finish, by program",
                [
                    GanttBar(
                        f"{ln.project.id} {ln.project.name}",
                        ln.start,  # type: ignore[arg-type]
                        ln.project.planned_finish,  # type: ignore[arg-type]
                        group=ln.group or NO_GROUP,
                        late_until=ln.forecast_finish if ln.days_late else None,
                    )
                    for ln in charted
                ],
                [
                    GanttMilestone(f"{ln.project.id} {ln.project.name}", m.due, m.name)
                    for ln in charted
                    for m in ln.milestones
                    if m.due is not None
                ],
                marker=on,
            )
        )
        timeline.append(
            Paragraph(
                "Bars run from the planned start to the planned finish; a red stretch runs on "
                "to a later forecast finish, labelled with the days late. Diamonds are "
                "milestones; the dashed line is the status date.",
                tone="note",
            )
        )
    else:
        timeline.append(Paragraph("No live project has a planned start and finish.", tone="note"))
    undated = _undated(lines)
    if undated:
        timeline += [
            Paragraph("Not on the time line (no planned start or finish):"),
            Bullets(undated),
        ]
    return page(
        _title(request.scope),
        [
            Section("Time line", timeline),
            Section("Projects", [projects]),
            Section("Milestones", [milestones]),
            Section("Pipeline", [proposed]),
        ],
        subtitle=" · ".join(_facts(lines, pipeline, on)),
    )
