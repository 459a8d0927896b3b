"""The ``project-status`` report: one project's status, RAG, earned value, gates and RAID."""

from __future__ import annotations

from typing import Any

from pmo_core import (
    Approval,
    Entity,
    GateDecision,
    ReportOutput,
    ReportRequest,
    StatusReport,
    WorkspaceView,
)

from ._figures import Figures, Row, project_figures
from ._output import envelope, figure, lifecycle_json, output, project_json
from .kit import NA, index, money
from .kit import md_block as block
from .kit import md_cell as cell
from .kit import md_table as table
from .kit import md_text as text
from .kit import rag_label as rag

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


def render(request: ReportRequest) -> ReportOutput:
    """Render ``project-status`` for ``request.scope`` (a project) as Markdown or JSON.

    Example::

        out = ws.report("project-status", "ALPHA", format="json")
        json.loads(out.content)["metrics"][0]["name"]  # 'bac'
    """
    view: WorkspaceView = request.view
    project = request.scope
    if project is None:  # the report's only scope is "project", so the core always gives one
        raise ValueError("project-status needs a project")
    figures = project_figures(view, project, request.status_date)
    latest = view.latest_status(project.id)
    row = Row(
        project=project,
        figures=figures,
        reported=latest.overall.value if latest else None,
        reported_on=latest.as_of if latest else None,
    )
    watermelon = row.watermelon
    milestones = [
        m for m in view.milestones(project.id) if m.status != "closed" and m.completed_on is None
    ][:NEXT_MILESTONES]
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
    document = envelope(
        "project-status",
        project,
        request.status_date,
        figures,
        projects=[project_json(row)],
        lifecycle=lifecycle_json(project),
        status_report=_report_json(latest),
        watermelon=watermelon,
        milestones=[
            {
                "name": m.name,
                "due": m.due.isoformat() if m.due else None,
                "status": m.status,
                "overdue": bool(m.due and m.due < request.status_date),
            }
            for m in milestones
        ],
        risks=[
            {
                "title": r.title,
                "probability": r.probability,
                "impact": r.impact,
                "score": r.score,
                "owner": r.owned_by or None,
                "response": r.response,
            }
            for r in risks
        ],
        gates=[_gate_json(d) for d in gates],
        raid=counts,
    )
    if request.format == "json":
        return output("json", [], document, figures.metrics)
    lines = _markdown(request, project, figures, latest, watermelon)
    lines += ["", f"## Milestones (next {NEXT_MILESTONES})", ""]
    if milestones:
        lines += table(
            ("Due", "Milestone", "Status"),
            (
                (
                    m.due.isoformat() if m.due else "no date",
                    cell(m.name),
                    m.status + (" (overdue)" if m.due and m.due < request.status_date else ""),
                )
                for m in milestones
            ),
        )
    else:
        lines.append("No open milestones.")
    lines += ["", "## Gates", ""]
    if gates:
        lines += table(
            ("Date", "Gate", "Decision", "Next phase", "Approvers"),
            (
                (
                    d.decided_on.isoformat(),
                    cell(d.gate),
                    d.decision,
                    cell(d.next_phase),
                    cell(", ".join(_approver(a) for a in d.approvals if a.approve)),
                )
                for d in gates
            ),
        )
    else:
        lines.append("No gate decisions.")
    lines += ["", "## Open high risks", ""]
    if risks:
        lines += table(
            ("Risk", "P", "I", "Score", "Owner", "Response"),
            (
                (
                    cell(r.title),
                    str(r.probability),
                    str(r.impact),
                    str(r.score),
                    cell(r.owned_by),
                    cell(r.response),
                )
                for r in risks
            ),
        )
    else:
        lines.append("No open high risks.")
    lines += ["", "## RAID log", ""]
    lines += table(
        ("Type", "Open", "Total"),
        ((t, str(c["open"]), str(c["total"])) for t, c in counts.items()),
    )
    lines += _narrative(latest)
    return output("md", lines, document, figures.metrics)


def _approver(approval: Approval) -> str:
    return f"{approval.approver} ({approval.role})" if approval.role else approval.approver


def _gate_json(decision: GateDecision) -> dict[str, Any]:
    return {
        "decided_on": decision.decided_on.isoformat(),
        "gate": decision.gate,
        "decision": decision.decision,
        "next_phase": decision.next_phase,
        "decided_by": decision.decided_by,
        "approvals": [
            {"approver": a.approver, "role": a.role, "approve": a.approve}
            for a in decision.approvals
        ],
        "conditions": list(decision.conditions),
        "failed_musts": [c.name for c in decision.failed_musts],
    }


def _report_json(report: StatusReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "as_of": report.as_of.isoformat(),
        "author": report.author,
        "overall": report.overall.value,
        "dimensions": {k: v.value for k, v in report.dimensions.items()},
        "summary": report.summary,
        "achievements": list(report.achievements),
        "next_steps": list(report.next_steps),
        "overridden": sorted(report.overridden),
    }


def _markdown(
    request: ReportRequest,
    project: Entity,
    figures: Figures,
    latest: StatusReport | None,
    watermelon: bool,
) -> list[str]:
    facts = [
        f"As of **{request.status_date.isoformat()}**",
        f"phase {text(project.phase) or NA}",
        f"status {project.status.value}",
        f"lifecycle {project.lifecycle.replace('_', ' ')}",
    ]
    if project.manager:
        facts.append(f"manager {text(project.manager)}")
    if project.sponsor:
        facts.append(f"sponsor {text(project.sponsor)}")
    heading = f"# Project status: {text(project.id)} — {text(project.name)}"
    lines = [heading, "", " · ".join(facts), ""]
    if project.ended:
        # Said first: a reader of a killed project's figures must know they are final.
        on = project.lifecycle_on.isoformat() if project.lifecycle_on else "a date not recorded"
        by = f" by {text(project.lifecycle_by)}" if project.lifecycle_by else ""
        reason = f": {text(project.lifecycle_reason)}" if project.lifecycle_reason.strip() else ""
        lines += [
            f"> **{project.lifecycle.capitalize()}** on {on}{by}{reason}. It is out of the live "
            "totals of its program and portfolio.",
            "",
        ]
    if watermelon:
        lines += [
            f"> **Watermelon warning:** reported GREEN but the earned-value figures say RED "
            f"(SPI {index(figures.value('spi'))}, CPI {index(figures.value('cpi'))}).",
            "",
        ]
    lines += ["## RAG", ""]
    if latest is not None:
        lines += [
            f"Reported in the status report of {latest.as_of.isoformat()} by "
            f"{text(latest.author)}.",
            "",
        ]
    else:
        lines += [f"No status report on or before {request.status_date.isoformat()}.", ""]
    computed = {
        "overall": (figures.overall, "worst of schedule and cost"),
        "schedule": (figures.schedule, f"SPI {index(figures.value('spi'))}"),
        "cost": (figures.cost, f"CPI {index(figures.value('cpi'))}"),
    }
    rows = []
    for dimension in ("overall", *DIMENSIONS):
        if latest is None:
            reported = "not reported"
        elif dimension == "overall":
            reported = rag(latest.overall.value)
        else:
            colour = latest.dimensions.get(dimension)  # type: ignore[call-overload]
            reported = rag(colour.value if colour else None, missing="not reported")
        if latest is not None and dimension in latest.overridden:
            reported += " (manual override)"
        if dimension in computed:
            colour_name, basis = computed[dimension]
            shown = f"{rag(colour_name)} ({basis})"
        else:
            shown = "—"
        rows.append((dimension.capitalize(), reported, shown))
    lines += table(("Dimension", "Reported", "Computed"), rows)
    lines += ["", "## Key figures", ""]
    if figures.note:
        lines += [f"Earned value is undefined: {text(figures.note)}.", ""]
    lines += table(
        ("Figure", "Value", "Formula"),
        (
            (label, figure(figures.metric(name), figures.currency), figures.metric(name).formula)
            for name, label in KEY_FIGURES
        ),
    )
    if project.budget is not None and figures.measured:
        lines += [
            "",
            f"Approved project budget: {money(project.budget.amount, project.budget.currency)}.",
        ]
    return lines


def _narrative(latest: StatusReport | None) -> list[str]:
    if latest is None:
        return []
    summary = block(latest.summary) if latest.summary.strip() else ["No summary given."]
    lines = ["", "## Summary", "", *summary]
    for title, entries in (
        ("Achievements", latest.achievements),
        ("Next steps", latest.next_steps),
    ):
        lines += ["", f"## {title}", ""]
        # One line per entry: a line break in an entry must not end the list item.
        lines += [f"- {text(e, pipes=True)}" for e in entries] if entries else ["None given."]
    return lines
