"""What the Markdown says, the watermelon flag, empty scopes and "as known on" reports."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pmo_reports
import pytest
from report_samples import Clock

from pmo_core import (
    Approval,
    CriterionResult,
    GateDecision,
    InvalidInputError,
    PmoReport,
    ReportRequest,
    Workspace,
)


def test_project_status_markdown(ws: Workspace) -> None:
    ws.report_status(
        "ALPHA",
        overall="amber",
        dimensions={"schedule": "amber", "cost": "green", "scope": "green"},
        summary="Ledger build slipped a week.",
        achievements=["Requirements signed off"],
        next_steps=["Finish the ledger", "Start UAT"],
    )
    ws.add_raid(
        "ALPHA",
        "risk",
        "Vendor may slip",
        probability=4,
        impact=4,
        owned_by="Sam",
        response="Second vendor",
    )
    ws.add_raid("ALPHA", "risk", "Minor", probability=1, impact=2)
    ws.add_raid("ALPHA", "risk", "Closed big", probability=5, impact=5, status="closed")
    ws.add_raid("ALPHA", "issue", "Server down", impact=3)

    md = ws.report("project-status", "ALPHA", format="md").content

    assert md.startswith("# Project status: ALPHA — Alpha | core\n")
    assert "As of **2025-04-25** · phase development" in md
    assert "| Overall | AMBER | RED (worst of schedule and cost) |" in md
    assert "| Schedule | AMBER | RED (SPI 0.7500) |" in md
    assert "| Cost | GREEN | GREEN (CPI 1.0000) |" in md
    assert "| Scope | GREEN | — |" in md
    assert "| Risk | not reported | — |" in md
    # Amber reported over red figures is a watermelon too, per dimension, with the figures.
    assert (
        "> **Watermelon warning:** reported better than the earned-value figures say: "
        "schedule reported amber, computed red (SPI 0.7500); overall reported amber, computed "
        "red (SPI 0.7500, CPI 1.0000).\n" in md
    )
    assert "| Planned value (PV) | 2,000.00 EUR | PV |" in md
    assert "| Schedule variance (SV) | -500.00 EUR | EV - PV |" in md
    assert "| Estimate at completion (EAC) | 3,000.00 EUR | BAC / CPI |" in md
    # Next five open milestones (the closed kick-off is not one), overdue ones marked.
    assert "| 2025-04-20 | M0 | open (overdue) |" in md
    assert "| 2025-05-30 | M4 | open |" in md
    assert "M5" not in md
    assert "Kick-off" not in md
    assert "| Vendor may slip | 4 | 4 | 16 | Sam | Second vendor |" in md
    assert "Minor" not in md
    assert "Closed big" not in md
    assert "| risk | 2 | 3 |" in md
    assert "| issue | 1 | 1 |" in md
    assert "Ledger build slipped a week." in md
    assert "- Requirements signed off" in md
    assert "- Start UAT" in md


def _decision(gate: str, decided_on: date, decision: str, next_phase: str | None) -> GateDecision:
    return GateDecision(
        entity="ALPHA",
        gate=gate,
        decision=decision,
        decided_on=decided_on,
        decided_by="PMO Office",
        next_phase=next_phase,
        criteria=[CriterionResult(name="plan", passed=decision != "hold")],
        approvals=[
            Approval(approver="Dana", role="sponsor", approve=True),
            Approval(approver="Lee | PMO", role="pmo", approve=decision != "hold"),
            Approval(approver="Kim", approve=True),
        ],
    )


def test_project_status_shows_the_gate_history_up_to_the_status_date(ws: Workspace) -> None:
    ws.add_many(
        [
            _decision("gate-3", date(2025, 3, 3), "go", "development"),
            _decision("gate-2", date(2025, 2, 3), "go", "business-case"),
            _decision("gate-4", date(2025, 4, 22), "hold", None),
            # Recorded already but dated after the status date (2025-04-25): not taken yet.
            _decision("gate-5", date(2025, 5, 2), "go", "launch"),
        ]
    )

    md = ws.report("project-status", "ALPHA").content
    doc = json.loads(ws.report("project-status", "ALPHA", format="json").content)

    gates = md[md.index("## Gates") : md.index("## Open high risks")].splitlines()
    assert gates[2:7] == [
        "| Date | Gate | Decision | Next phase | Approvers |",
        "|---|---|---|---|---|",
        "| 2025-02-03 | gate-2 | go | business-case | Dana (sponsor), Lee \\| PMO (pmo), Kim |",
        "| 2025-03-03 | gate-3 | go | development | Dana (sponsor), Lee \\| PMO (pmo), Kim |",
        "| 2025-04-22 | gate-4 | hold | — | Dana (sponsor), Kim |",
    ]
    assert "gate-5" not in md
    assert [(g["gate"], g["decision"], g["next_phase"]) for g in doc["gates"]] == [
        ("gate-2", "go", "business-case"),
        ("gate-3", "go", "development"),
        ("gate-4", "hold", None),
    ]
    assert doc["gates"][2] == {
        "decided_on": "2025-04-22",
        "gate": "gate-4",
        "decision": "hold",
        "next_phase": None,
        "decided_by": "PMO Office",
        "approvals": [
            {"approver": "Dana", "role": "sponsor", "approve": True},
            {"approver": "Lee | PMO", "role": "pmo", "approve": False},
            {"approver": "Kim", "role": None, "approve": True},
        ],
        "conditions": [],
        "failed_musts": ["plan"],
    }
    # As of 2025-04-21 the hold of 2025-04-22 had not been decided yet.
    earlier = json.loads(
        ws.report("project-status", "ALPHA", format="json", as_of=date(2025, 4, 21)).content
    )
    assert [g["gate"] for g in earlier["gates"]] == ["gate-2", "gate-3"]


def test_a_project_without_gate_decisions_says_so(ws: Workspace) -> None:
    md = ws.report("project-status", "BETA").content
    doc = json.loads(ws.report("project-status", "BETA", format="json").content)

    assert "## Gates\n\nNo gate decisions.\n" in md
    assert doc["gates"] == []


def test_watermelon_is_flagged(ws: Workspace) -> None:
    ws.report_status("ALPHA", overall="green", dimensions={"schedule": "green", "cost": "green"})

    md = ws.report("project-status", "ALPHA").content
    doc = json.loads(ws.report("project-status", "ALPHA", format="json").content)

    assert (
        "**Watermelon warning:** reported better than the earned-value figures say: schedule "
        "reported green, computed red (SPI 0.7500); overall reported green, computed red "
        "(SPI 0.7500, CPI 1.0000)." in md
    )
    assert doc["watermelon"] is True
    assert doc["status_report"]["overall"] == "green"
    # BETA reports green and computes red too (CPI 2.0 is "too good to be true").
    ws.report_status("BETA", overall="green")
    assert json.loads(ws.report("project-status", "BETA", format="json").content)["watermelon"]
    # GAMMA reports green with no numbers: nothing to contradict it.
    ws.report_status("GAMMA", overall="green")
    gamma = json.loads(ws.report("project-status", "GAMMA", format="json").content)
    assert gamma["watermelon"] is False


def test_portfolio_markdown_rows_and_totals(ws: Workspace) -> None:
    ws.report_status("ALPHA", overall="green")

    md = ws.report("portfolio-summary", "PF").content

    assert md.startswith("# Portfolio summary: PF — Digital\n")
    assert "As of **2025-04-25** · 4 live project(s) · totals in EUR" in md
    assert "| Key | Name | Phase | Reported | Computed | SPI | CPI | EAC | BAC |" in md
    # Reported green, computed red: the summary marks the watermelon, as the status report does.
    assert (
        "| ALPHA | Alpha \\| core | development | GREEN (watermelon) | RED | 0.7500 | 1.0000 | "
        "3,000.00 EUR | 3,000.00 EUR |" in md
    )
    doc = json.loads(ws.report("portfolio-summary", "PF", format="json").content)
    assert {p["key"]: p["watermelon"] for p in doc["projects"]} == {
        "ALPHA": True,
        "BETA": False,  # not reported: nothing to contradict
        "DELTA": False,
        "GAMMA": False,
    }
    assert (
        "| BETA | Beta | — | not reported | RED | 1.0000 | 2.0000 | 50.00 EUR | 100.00 EUR |" in md
    )
    assert "| GAMMA | Gamma | — | not reported | n/a | n/a | n/a | n/a | 5,000.00 EUR |" in md
    # DELTA: PV 400, EV 200, no actual cost yet (CPI undefined).
    assert "| DELTA | Delta | — | not reported | RED | 0.5000 | n/a | n/a | 400.00 USD |" in md
    assert (
        "| **Total** | 2 of 4 measured |  | GREEN | RED | 0.7619 | 1.0323 | "
        "3,003.13 EUR | 3,100.00 EUR |" in md
    )
    assert "- GAMMA: no work items" in md
    assert "- DELTA: in USD; totals are in EUR" in md


def test_an_empty_portfolio_renders(ws: Workspace) -> None:
    ws.create("portfolio", id="EMPTY", name="Nothing yet")

    md = ws.report("portfolio-summary", "EMPTY").content
    doc = json.loads(ws.report("portfolio-summary", "EMPTY", format="json").content)

    assert "No projects in scope." in md
    assert "| **Total** | 0 of 0 measured |  | — | n/a | n/a | n/a | n/a | n/a |" in md
    assert doc["projects"] == []
    assert all(m["value"] is None for m in doc["metrics"] if m["name"] != "projects_measured")


def test_an_empty_pmo_renders() -> None:
    with Workspace.in_memory(plugins={"reports": pmo_reports}) as empty:
        md = empty.report("portfolio-summary").content
    assert md.startswith("# PMO summary\n")
    assert "totals in n/a" in md


def test_as_of_uses_the_view_as_known_then(ws: Workspace, clock: Clock) -> None:
    before = clock.now
    a2 = next(w for w in ws.view().work_items("ALPHA") if w.subject == "A2")
    ws.replace(a2.replace(percent_complete=75))  # EV 1000 + 1500
    ws.report_status("ALPHA", overall="red", summary="Caught up")
    report = ws.host.record(PmoReport, "project-status")

    past = ws.view(as_of=before)
    then = json.loads(
        report.render(
            ReportRequest(
                view=past,
                scope=past.entity("ALPHA"),
                format="json",
                status_date=date(2025, 4, 25),
            )
        ).content
    )
    now = json.loads(ws.report("project-status", "ALPHA", format="json").content)

    ev = lambda doc: next(Decimal(m["value"]) for m in doc["metrics"] if m["name"] == "ev")  # noqa: E731
    assert ev(then) == Decimal("1500")
    assert ev(now) == Decimal("2500")
    assert then["status_report"] is None
    assert now["status_report"]["summary"] == "Caught up"


def test_report_as_of_a_date_sets_the_status_date(ws: Workspace, clock: Clock) -> None:
    clock.now = datetime(2025, 5, 5, 9, tzinfo=timezone.utc)
    a2 = next(w for w in ws.view().work_items("ALPHA") if w.subject == "A2")
    ws.replace(a2.replace(percent_complete=75))

    # As known at the end of 2025-04-30: A2 still 25 %, and 20 of its 30 days planned.
    doc = json.loads(
        ws.report("project-status", "ALPHA", format="json", as_of=date(2025, 4, 30)).content
    )

    metrics = {m["name"]: m for m in doc["metrics"]}
    assert doc["as_of"] == "2025-04-30"
    assert Decimal(metrics["ev"]["value"]) == Decimal("1500")
    # PV = 1000 + 2000 * 20 / 30
    assert Decimal(metrics["pv"]["value"]) == Decimal("2333.33")


def test_scopes_and_formats_are_enforced(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="covers project"):
        ws.report("project-status", "PF")
    with pytest.raises(InvalidInputError, match="not a project"):
        ws.report("portfolio-summary", "ALPHA")
    with pytest.raises(InvalidInputError, match="formats md, json, html, csv, xlsx, not 'pdf'"):
        ws.report("project-status", "ALPHA", format="pdf")


def test_registered_reports(ws: Workspace) -> None:
    reports = {r.name: r for r in ws.host.records(PmoReport)}
    assert reports["project-status"].scopes == ("project",)
    assert reports["portfolio-summary"].scopes == ("portfolio", "program", "pmo")
    assert reports["portfolio-summary"].plugin == "reports"
    assert ws.report("project-status", "ALPHA", format="md").media_type == "text/markdown"
    assert ws.report("project-status", "ALPHA", format="json").media_type == "application/json"
