"""The PRINCE2 highlight report, generated from the project's own data, and when one is due.

The report covers one reporting period (the ``highlight-report`` event's cadence, 14 days,
ending on the status date): the stage, the management products approved and in progress,
the tolerance status (each tolerance measured on the report's view, and the exception raised
for a breach), the earned value figures of the metrics service, the RAID log's changes and
the plan of the next period.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import InvalidInputError, ReportOutput

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pmo_core import Entity, ReportRequest, StatusReport, ToleranceCheck, WorkspaceView

from ._methodology import (
    EXCEPTION_PREFIX,
    PRINCE2,
    planned_stages,
    stage_number,
    stage_started,
)

#: The days between highlight reports when no option says otherwise (the methodology's event).
HIGHLIGHT_DAYS: int = next(
    e.cadence_days for e in PRINCE2.events if e.name == "highlight-report" and e.cadence_days
)

#: The EVM figures a highlight report shows, in order.
EVM_FIGURES = ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "vac")

#: The tolerance dimensions a highlight report gives a status for.
DIMENSIONS = ("time", "cost", "scope", "risk")


@dataclass(frozen=True)
class HighlightDue:
    """When a project's next highlight report is due: ``last`` is its latest status report
    (``None``: none yet), ``due_on`` the day the next is due (``last`` + ``cadence_days``, or
    the start of its stage when it has never reported), ``overdue`` true when the status
    date is past ``due_on``.

    Example::

        HighlightDue(project="ALPHA", phase="delivery-1", last=date(2025, 5, 1),
                     due_on=date(2025, 5, 15), cadence_days=14, overdue=True)
    """

    project: str
    phase: str
    last: date | None
    due_on: date | None
    cadence_days: int
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo prince2 highlight-due --json`` prints it.

        Example::

            json.dumps(due.as_dict())
        """
        return {
            "project": self.project,
            "phase": self.phase,
            "last": self.last.isoformat() if self.last else None,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "cadence_days": self.cadence_days,
            "overdue": self.overdue,
        }


def highlight_due(
    view: WorkspaceView, project: Entity, cadence_days: int = HIGHLIGHT_DAYS
) -> HighlightDue | None:
    """When ``project``'s next highlight report is due on the view's status date; ``None``
    for a project that reports no highlights (ended, or still starting up: highlights begin
    with initiation).

    Example::

        due = highlight_due(ws.view(), ws.get("ALPHA"))
        due.overdue, due.due_on
    """
    if project.ended or not project.phase or project.phase == "pre-project":
        return None
    reports = [r for r in view.status_reports(project.id) if not view.after(r.as_of)]
    last = max((r.as_of for r in reports), default=None)
    due_on: date | None
    if last is not None:
        due_on = last + timedelta(days=cadence_days)
    else:  # never reported: the first highlight is due when the stage starts
        due_on = stage_started(view, project.id)
    overdue = due_on is None or view.status_date > due_on
    return HighlightDue(project.id, project.phase, last, due_on, cadence_days, overdue)


def _days(options: Any) -> int:
    raw = options.get("days", HIGHLIGHT_DAYS)
    try:
        days = int(str(raw))
    except ValueError:
        raise InvalidInputError(
            f"option days: {raw!r} is not a whole number of days", where="--option days"
        ) from None
    if not 1 <= days <= 366:
        raise InvalidInputError(
            f"option days: {days} is not between 1 and 366", where="--option days"
        )
    unknown = sorted(set(options) - {"days"})
    if unknown:
        raise InvalidInputError(
            f"report prince2-highlight takes the option days, not {', '.join(unknown)}",
            where="--option",
        )
    return days


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _tolerances(
    view: WorkspaceView,
    project: Entity,
    end: date,
    checks: Sequence[ToleranceCheck] | None,
) -> list[dict[str, Any]]:
    # An open exception is a breach the board has not answered yet; the core raised it with
    # its figures frozen in an exception report when the forecast moved.
    open_ids = {
        r.id: r
        for r in view.raid(project.id, type="issue", open_only=True)
        if r.title.startswith(EXCEPTION_PREFIX)
    }
    reports: dict[str, StatusReport] = {}
    for report in view.status_reports(project.id, kind="exception"):
        if report.as_of <= end:
            reports[str(report.metrics.get("dimension", ""))] = report
    measured = {c.dimension: c for c in checks or ()}
    rows = []
    for dimension in DIMENSIONS:
        found = reports.get(dimension)
        issue = open_ids.get(str(found.metrics.get("issue", ""))) if found else None
        exception = (
            {"issue": issue.id, "raised_on": found.as_of.isoformat(), "message": found.summary}
            if issue is not None and found is not None
            else None
        )
        check = measured.get(dimension)
        if check is not None:
            row = {
                "state": check.state,
                "limit": str(check.limit),
                "actual": None if check.actual is None else str(check.actual),
                "message": check.message,
            }
        elif checks is None and exception is not None and found is not None:
            # Measured by hand (no tolerance checks given): the exception's frozen figures.
            row = {
                "state": "breached",
                "limit": str(found.metrics.get("limit")),
                "actual": str(found.metrics.get("actual")),
                "message": found.summary,
            }
        else:
            row = {
                "state": "not measured" if checks is None else "no limit",
                "limit": None,
                "actual": None,
                "message": "",
            }
        rows.append({"dimension": dimension, **row, "exception": exception})
    return rows


def highlight_data(
    view: WorkspaceView,
    project: Entity,
    days: int = HIGHLIGHT_DAYS,
    checks: Sequence[ToleranceCheck] | None = None,
) -> dict[str, Any]:
    """The content of a highlight report of ``project`` for the ``days`` ending on the view's
    status date, as the JSON format gives it. ``checks`` are the project's tolerance checks
    on that view (``ws.tolerance_checks(key, view=view)``; the report passes them); without
    them a tolerance shows only the exception raised for it.

    Example::

        view = ws.view()
        checks = ws.tolerance_checks("ALPHA", view=view)
        data = highlight_data(view, ws.get("ALPHA"), checks=checks)
        data["stage"]["phase"], data["evm"]["cpi"], data["tolerances"][1]["state"]
    """
    # The metrics service is loaded when a report is made, not when the plugin is imported.
    from pmo_core import measure_project

    end = view.status_date
    start = end - timedelta(days=days - 1)
    artifacts = view.artifacts(project.id)
    done = sorted(
        a.name for a in artifacts if a.status == "approved" and _within(a.approved_on, start, end)
    )
    in_progress = sorted(a.name for a in artifacts if a.status in ("draft", "submitted"))
    rejected = sorted(
        a.name for a in artifacts if a.status == "rejected" and _within(a.rejected_on, start, end)
    )
    approved = sorted(a.name for a in artifacts if a.status == "approved")
    metrics = measure_project(view, project, status_date=end)
    raid = view.raid(project.id)
    raised = [r for r in raid if _within(r.raised_on, start, end)]
    closed = [r for r in raid if _within(r.closed_on, start, end)]
    next_end = end + timedelta(days=days)
    next_items = [
        w
        for w in view.work_items(project.id)
        if w.percent_complete < 100 and _within(w.due, end + timedelta(days=1), next_end)
    ]
    next_milestones = [
        m
        for m in view.milestones(project.id)
        if m.status != "closed" and _within(m.due, end + timedelta(days=1), next_end)
    ]
    number = stage_number(project.phase)
    due = highlight_due(view, project, days)
    return {
        "project": project.id,
        "name": project.name,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "days": days},
        "stage": {
            "phase": project.phase or PRINCE2.phases[0].name,
            "number": number,
            "planned_stages": planned_stages(project),
            "started_on": (s.isoformat() if (s := stage_started(view, project.id)) else None),
        },
        "products": {
            "done": done,
            "in_progress": in_progress,
            "rejected": rejected,
            "approved_to_date": approved,
        },
        "tolerances": _tolerances(view, project, end, checks),
        "evm": {
            "currency": metrics.currency,
            "basis": metrics.basis,
            **{name: _figure(metrics.value(name), name) for name in EVM_FIGURES},
        },
        "raid": {
            "raised": [
                {"id": r.id, "type": r.type, "title": r.title, "on": r.raised_on.isoformat()}
                for r in sorted(raised, key=lambda r: (r.raised_on or date.min, r.id))
                if r.raised_on
            ],
            "closed": [
                {"id": r.id, "type": r.type, "title": r.title, "on": r.closed_on.isoformat()}
                for r in sorted(closed, key=lambda r: (r.closed_on or date.min, r.id))
                if r.closed_on
            ],
            "open": sum(1 for r in raid if r.status == "open"),
        },
        "next_period": {
            "start": (end + timedelta(days=1)).isoformat(),
            "end": next_end.isoformat(),
            "work_items": [
                {
                    "subject": w.subject,
                    "due": w.due.isoformat(),
                    "percent_complete": w.percent_complete,
                }
                for w in next_items
                if w.due
            ],
            "milestones": [
                {"name": m.name, "due": m.due.isoformat()} for m in next_milestones if m.due
            ],
        },
        "next_highlight_due": due.due_on.isoformat() if due and due.due_on else None,
    }


def _figure(value: Decimal | None, name: str) -> str | None:
    if value is None:
        return None
    if name in ("spi", "cpi"):
        return str(value)
    return _money(value)


def _markdown(data: dict[str, Any]) -> str:
    period, stage, products = data["period"], data["stage"], data["products"]
    plan = f" of {stage['planned_stages']}" if stage["planned_stages"] else ""
    where = f"delivery stage {stage['number']}{plan}" if stage["number"] else str(stage["phase"])
    lines = [
        f"# Highlight report: {data['project']} {data['name']}",
        "",
        f"Period {period['start']} to {period['end']} ({period['days']} days); {where}.",
        "",
        "## Products",
        "",
        f"- Completed this period: {', '.join(products['done']) or 'none'}",
        f"- In progress: {', '.join(products['in_progress']) or 'none'}",
        f"- Rejected this period: {', '.join(products['rejected']) or 'none'}",
        "",
        "## Tolerances",
        "",
        "| dimension | state | limit | actual | exception |",
        "|---|---|---|---|---|",
    ]
    for row in data["tolerances"]:
        raised = row["exception"]
        lines.append(
            f"| {row['dimension']} | {row['state']} | {row['limit'] or '-'} | "
            f"{row['actual'] or '-'} | {'raised ' + raised['raised_on'] if raised else '-'} |"
        )
    exceptions = [row["exception"]["message"] for row in data["tolerances"] if row["exception"]]
    lines += [""] + [f"- {message}" for message in exceptions] if exceptions else []
    evm = data["evm"]
    lines += [
        "",
        f"## Earned value ({evm['currency']}, {evm['basis']})",
        "",
        "| " + " | ".join(EVM_FIGURES) + " |",
        "|" + "---|" * len(EVM_FIGURES),
        "| " + " | ".join(evm[name] or "-" for name in EVM_FIGURES) + " |",
        "",
        "## RAID changes",
        "",
    ]
    raid = data["raid"]
    lines += [f"- raised {r['on']}: {r['type']} {r['title']}" for r in raid["raised"]]
    lines += [f"- closed {r['on']}: {r['type']} {r['title']}" for r in raid["closed"]]
    if not raid["raised"] and not raid["closed"]:
        lines.append("- no change")
    nxt = data["next_period"]
    lines += ["", f"## Next period ({nxt['start']} to {nxt['end']})", ""]
    lines += [
        f"- {w['subject']} due {w['due']} ({w['percent_complete']:g}% done)"
        for w in nxt["work_items"]
    ]
    lines += [f"- milestone {m['name']} due {m['due']}" for m in nxt["milestones"]]
    if not nxt["work_items"] and not nxt["milestones"]:
        lines.append("- nothing due")
    return "\n".join(lines) + "\n"


def render_highlight(request: ReportRequest) -> ReportOutput:
    """Render ``prince2-highlight`` for one project (``--option days=N`` sets the period).

    Example::

        ws.report("prince2-highlight", "ALPHA", format="json")
    """
    days = _days(request.options)
    project = request.scope
    if project is None:  # the report's scopes say project; kept for type checkers
        raise InvalidInputError("report prince2-highlight needs a project", where="scope")
    checks = request.tolerance_checks(project.id) if request.tolerance_checks else None
    data = highlight_data(request.view, project, days, checks)
    from pmo_core import measure_project

    metrics = measure_project(request.view, project, status_date=request.status_date)
    shown = tuple(m for m in metrics.metrics if m.name in EVM_FIGURES)
    if request.format == "json":
        return ReportOutput(
            content=json.dumps(data, indent=2) + "\n",
            media_type="application/json",
            metrics=shown,
        )
    return ReportOutput(content=_markdown(data), media_type="text/markdown", metrics=shown)
