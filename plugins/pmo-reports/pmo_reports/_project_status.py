"""The ``project-status`` report: one project's status, RAG, earned value, gates and RAID."""

from __future__ import annotations

from typing import Any

from pmo_core import (
    Approval,
    GateDecision,
    ReportOutput,
    ReportRequest,
    StatusReport,
)

from . import _project_tables
from ._output import (
    envelope,
    figure,
    lifecycle_json,
    output,
    project_json,
    rendered,
    series_json,
)
from ._project_facts import KEY_FIGURES, NEXT_MILESTONES, ProjectFacts, gather
from .kit import md_block as block
from .kit import md_cell as cell
from .kit import md_table as table
from .kit import md_text as text
from .kit import money
from .kit import rag_label as rag


def render(request: ReportRequest) -> ReportOutput:
    """Render ``project-status`` for ``request.scope`` (a project) as Markdown or JSON.

    Example::

        out = ws.report("project-status", "ALPHA", format="json")
        json.loads(out.content)["metrics"][0]["name"]  # 'bac'
    """
    facts = gather(request)
    project, figures, latest = facts.project, facts.figures, facts.latest
    watermelon, milestones, risks = facts.watermelon, facts.milestones, facts.risks
    gates, counts, row = facts.gates, facts.counts, facts.row
    document = envelope(
        "project-status",
        project,
        request.status_date,
        figures,
        projects=[project_json(row, facts.watermelons)],
        lifecycle=lifecycle_json(project),
        status_report=_report_json(latest),
        watermelon=watermelon,
        watermelons=[f.as_dict() for f in facts.watermelons],
        series=series_json(figures),
        milestones=[
            {
                "name": m.name,
                "due": m.due.isoformat() if m.due else None,
                "status": m.status,
                "overdue": facts.overdue(m),
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
    if request.format != "md":
        return rendered(
            request.format,
            tables=lambda: _project_tables.tables(facts),
            html=lambda: _project_tables.html(facts),
            status_date=request.status_date,
            metrics=figures.metrics,
        )
    lines = _markdown(facts)
    lines += ["", f"## Milestones (next {NEXT_MILESTONES})", ""]
    if milestones:
        lines += table(
            ("Due", "Milestone", "Status"),
            (
                (
                    m.due.isoformat() if m.due else "no date",
                    cell(m.name),
                    m.status + (" (overdue)" if facts.overdue(m) else ""),
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
    return _project_tables.approver(approval)


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


def _bold(value: str) -> str:
    return f"**{value}**"


def _markdown(facts: ProjectFacts) -> list[str]:
    project, figures, latest = facts.project, facts.figures, facts.latest
    heading = f"# Project status: {text(project.id)} — {text(project.name)}"
    lines = [heading, "", " · ".join(_project_tables.facts_line(facts, text, _bold)), ""]
    if project.ended:
        # Said first: a reader of a killed project's figures must know they are final.
        lines += [f"> {_project_tables.ended_sentence(project, text, _bold)}", ""]
    if facts.watermelon:
        lines += [
            f"> **Watermelon warning:** {text(_project_tables.watermelon_sentence(facts))}",
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
        lines += [f"No status report on or before {facts.status_date.isoformat()}.", ""]
    rows = []
    for row in _project_tables.rag_rows(facts):
        reported = rag(row["reported"], missing="not reported")
        if row["override"]:
            reported += " (manual override)"
        shown = f"{rag(row['computed'])} ({row['basis']})" if row["has_computed"] else "—"
        rows.append((row["dimension"], reported, shown))
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
