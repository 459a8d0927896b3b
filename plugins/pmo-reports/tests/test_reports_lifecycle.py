"""Killed and closed projects leave the live totals of every roll-up and are listed under
"ended"; on-hold projects stay in and are marked; proposed ones wait in the pipeline."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pmo_reports
import pytest
from report_samples import TODAY, Clock, item

from pmo_core import PmoReport, ReportRequest, Workspace
from pmo_core.testing import MemoryStore

JAN1, JAN31 = date(2025, 1, 1), date(2025, 1, 31)
# Every figure of a total, as published; projects_measured counts and is checked apart.
FIGURES = ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi_bac")


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    """PF > ERP > LIVE, KILLED (on 2025-03-02), CLOSED (on 2025-04-01), status 2025-04-25.

    LIVE    1000 budget, 50 %, January, AC 400  -> PV 1000, EV 500, AC 400
    KILLED  1000 budget, 20 %, January, AC 300  -> EV 200, AC 300
    CLOSED  1000 budget, 100 %, January, AC 900 -> EV 1000, AC 900
    """
    with Workspace.in_memory(
        plugins={"reports": pmo_reports},
        store=MemoryStore(clock=clock),
        today=lambda: TODAY,
        actor="kim",
    ) as workspace:
        workspace.create("portfolio", id="PF", name="Digital")
        workspace.create("program", id="ERP", name="ERP renewal", parent="PF")
        for key in ("LIVE", "KILLED", "CLOSED"):
            workspace.create("project", id=key, name=key.title(), parent="ERP", budget="1000 EUR")
        workspace.add_many(
            [
                item("LIVE", "L1", 1000, 50, JAN1, JAN31, 400),
                item("KILLED", "K1", 1000, 20, JAN1, JAN31, 300),
                item("CLOSED", "C1", 1000, 100, JAN1, JAN31, 900),
            ]
        )
        workspace.report_status("LIVE", overall="amber")
        workspace.report_status("CLOSED", overall="green")
        workspace.report_status("KILLED", overall="red")
        clock.now = datetime(2025, 4, 22, 9, tzinfo=timezone.utc)
        workspace.change_lifecycle(
            "KILLED", "killed", approvers=[], comment="No market", on=date(2025, 3, 2)
        )
        workspace.change_lifecycle(
            "CLOSED",
            "closed",
            approvers=[],
            comment="Delivered",
            on=date(2025, 4, 1),
            lessons=["Book vendors early"],
        )
        yield workspace


def _doc(ws: Workspace, scope: str | None, **kwargs: Any) -> dict[str, Any]:
    return dict(json.loads(ws.report("portfolio-summary", scope, format="json", **kwargs).content))


def _values(metrics: list[dict[str, Any]]) -> dict[str, Any]:
    return {m["name"]: m["value"] for m in metrics if m["name"] in FIGURES}


def _live(ws: Workspace) -> dict[str, Any]:
    project = json.loads(ws.report("project-status", "LIVE", format="json").content)
    return _values(project["metrics"])


@pytest.mark.parametrize("scope", ["ERP", "PF", None])
def test_the_totals_are_the_live_project_only(ws: Workspace, scope: str | None) -> None:
    doc = _doc(ws, scope)

    assert _values(doc["metrics"]) == _live(ws)
    assert _values(doc["metrics"])["bac"] == "1000.00"  # not 3000: two of three have ended
    assert _values(doc["metrics"])["ev"] == "500.00"
    measured = next(m for m in doc["metrics"] if m["name"] == "projects_measured")
    assert (measured["value"], measured["source"]) == ("1", "LIVE")
    assert [p["key"] for p in doc["projects"]] == ["LIVE"]
    assert doc["counts"] == {"live": 1, "on_hold": 0, "ended": 2, "pipeline": 0}


@pytest.mark.parametrize("scope", ["ERP", "PF", None])
def test_the_ended_section_lists_who_ended_what_when_and_why(
    ws: Workspace, scope: str | None
) -> None:
    ended = {e["key"]: e for e in _doc(ws, scope)["ended"]}

    assert sorted(ended) == ["CLOSED", "KILLED"]
    killed, closed = ended["KILLED"], ended["CLOSED"]
    assert {k: killed[k] for k in ("kind", "name", "state", "on", "by", "reason", "via")} == {
        "kind": "project",
        "name": "Killed",
        "state": "killed",
        "on": "2025-03-02",
        "by": "kim",
        "reason": "No market",
        "via": None,
    }
    assert (closed["state"], closed["on"], closed["by"], closed["reason"]) == (
        "closed",
        "2025-04-01",
        "kim",
        "Delivered",
    )
    # Final figures, measured on the day each ended.
    assert killed["final"]["as_of"] == "2025-03-02"
    final = _values(killed["final"]["metrics"])
    assert (final["bac"], final["ev"], final["ac"], final["cpi"]) == (
        "1000.00",
        "200.00",
        "300.00",
        "0.6667",
    )
    assert _values(closed["final"]["metrics"])["ac"] == "900.00"


def test_every_roll_up_node_has_its_own_ended(ws: Workspace) -> None:
    ws.create("program", id="CRM", name="CRM", parent="PF")
    ws.create("project", id="CRM1", name="Crm one", parent="CRM", budget="10 EUR")

    doc = _doc(ws, "PF")

    nodes = {n["key"]: n for n in doc["nodes"]}
    assert sorted(nodes) == ["CRM", "ERP"]
    erp = nodes["ERP"]
    assert erp["kind"] == "program"
    assert erp["projects"] == ["LIVE"]
    assert _values(erp["metrics"]) == _live(ws)
    assert [(e["key"], e["state"], e["by"]) for e in erp["ended"]] == [
        ("CLOSED", "closed", "kim"),
        ("KILLED", "killed", "kim"),
    ]
    assert erp["counts"] == {"live": 1, "on_hold": 0, "ended": 2, "pipeline": 0}
    assert nodes["CRM"]["ended"] == []
    assert nodes["CRM"]["projects"] == ["CRM1"]
    # The whole PMO nests the same nodes under its portfolio.
    pmo = _doc(ws, None)
    assert [n["key"] for n in pmo["nodes"]] == ["PF"]
    assert [n["key"] for n in pmo["nodes"][0]["nodes"]] == ["CRM", "ERP"]
    assert len(pmo["nodes"][0]["ended"]) == 2


def test_the_markdown_sums_the_live_project_and_lists_the_ended(ws: Workspace) -> None:
    md = ws.report("portfolio-summary", "ERP", format="md").content

    assert "As of **2025-04-25** · 1 live project(s) · 2 ended project(s) · totals in EUR" in md
    rows = md[: md.index("## Totals")]
    # Amber reported over red figures: a watermelon.
    assert (
        "| LIVE | Live | — | AMBER (watermelon) | RED | 0.5000 | 1.2500 | 800.00 EUR | "
        "1,000.00 EUR |" in rows
    )
    assert "KILLED" not in rows
    assert "CLOSED" not in rows
    # The reported colours roll up from live projects only: CLOSED's green and KILLED's red
    # are not in the worst-of.
    assert (
        "| **Total** | 1 of 1 measured |  | AMBER | RED | 0.5000 | 1.2500 | 800.00 EUR | "
        "1,000.00 EUR |" in md
    )
    assert "| BAC | 1,000.00 EUR | BAC |" in md
    ended = md[md.index("## Ended") :]
    assert "| Key | Kind | Name | State | On | By | Reason | BAC | EV | AC | EAC |" in ended
    assert (
        "| CLOSED | project | Closed | closed | 2025-04-01 | kim | Delivered | 1,000.00 EUR | "
        "1,000.00 EUR | 900.00 EUR | 900.00 EUR |" in ended
    )
    assert (
        "| KILLED | project | Killed | killed | 2025-03-02 | kim | No market | 1,000.00 EUR | "
        "200.00 EUR | 300.00 EUR | 1,500.00 EUR |" in ended
    )
    assert "## Pipeline" not in md  # nothing proposed


def test_the_portfolio_markdown_rolls_up_per_program(ws: Workspace) -> None:
    md = ws.report("portfolio-summary", "PF", format="md").content

    assert "## Roll-up" in md
    assert (
        "| ERP | program | ERP renewal | 1 of 1 measured | AMBER | RED | 0.5000 | 1.2500 | "
        "800.00 EUR | 1,000.00 EUR | 2 | 0 |" in md
    )


def test_on_hold_stays_in_the_totals_and_is_marked(ws: Workspace) -> None:
    ws.create("project", id="HELD", name="Held", parent="ERP", budget="500 EUR")
    ws.add(item("HELD", "H1", 500, 10, JAN1, JAN31, 100))
    ws.change_lifecycle("HELD", "on_hold", approvers=[], comment="Vendor dispute", on=None)

    doc = _doc(ws, "ERP")
    md = ws.report("portfolio-summary", "ERP", format="md").content

    assert _values(doc["metrics"])["bac"] == "1500.00"  # LIVE 1000 + HELD 500
    assert doc["on_hold"] == ["HELD"]
    held = next(p for p in doc["projects"] if p["key"] == "HELD")
    assert (held["lifecycle"], held["on_hold"], held["held_by"]) == ("on_hold", True, "HELD")
    assert doc["counts"]["on_hold"] == 1
    assert "| HELD | Held (on hold) |" in md
    assert "- HELD: on hold since 2025-04-25 by kim: Vendor dispute" in md
    assert "| **Total** | 2 of 2 measured |" in md


def test_proposed_projects_wait_in_the_pipeline(ws: Workspace) -> None:
    ws.create(
        "project", id="IDEA", name="Idea", parent="ERP", budget="5000 EUR", lifecycle="proposed"
    )
    ws.add(item("IDEA", "I1", 5000, 0, JAN1, JAN31, 0))

    doc = _doc(ws, "ERP")
    md = ws.report("portfolio-summary", "ERP", format="md").content

    assert _values(doc["metrics"]) == _live(ws)
    assert [(p["key"], p["state"], p["by"], p["budget"]) for p in doc["pipeline"]] == [
        ("IDEA", "proposed", "kim", "5000 EUR")
    ]
    assert doc["counts"]["pipeline"] == 1
    assert "## Pipeline" in md
    assert "· 2 ended project(s) · 1 proposed project(s) ·" in md
    assert "| IDEA | project | Idea | proposed | 2025-04-25 | kim | 5,000.00 EUR |" in md
    assert "Budget requested by proposed projects: 5,000.00 EUR." in md


def test_a_killed_program_takes_its_projects_out_of_the_portfolio(ws: Workspace) -> None:
    ws.report_status("ERP", overall="amber")
    ws.change_lifecycle("ERP", "killed", approvers=[], comment="Merged", on=date(2025, 4, 10))

    doc = _doc(ws, "PF")

    assert doc["projects"] == []
    assert all(v is None for k, v in _values(doc["metrics"]).items())
    ended = {e["key"]: e for e in doc["ended"]}
    assert sorted(ended) == ["CLOSED", "ERP", "KILLED", "LIVE"]
    assert (ended["LIVE"]["state"], ended["LIVE"]["via"], ended["LIVE"]["reason"]) == (
        "killed",
        "ERP",
        "Merged",
    )
    assert ended["KILLED"]["via"] is None  # killed on its own, before its program
    # The program's final figures are its live projects' on the day it was killed.
    assert ended["ERP"]["final"]["as_of"] == "2025-04-10"
    assert _values(ended["ERP"]["final"]["metrics"]) == _live(ws)
    md = ws.report("portfolio-summary", "PF", format="md").content
    assert "| LIVE | project | Live | killed (with ERP) | 2025-04-10 | kim | Merged |" in md
    # The killed program's own report still shows what it held, and says it is killed.
    own = ws.report("portfolio-summary", "ERP", format="md").content
    assert "> This program is **killed** since 2025-04-10 by kim: Merged." in own
    assert _doc(ws, "ERP")["lifecycle"]["state"] == "killed"


def test_as_known_before_the_kill_the_project_was_in_the_totals(ws: Workspace) -> None:
    # The kill and the closure were recorded on 2025-04-22: a view of the 21st predates them.
    past = ws.view(as_of=datetime(2025, 4, 21, 23, tzinfo=timezone.utc))
    request = ReportRequest(view=past, scope=past.entity("ERP"), format="json", status_date=TODAY)

    then = json.loads(ws.host.record(PmoReport, "portfolio-summary").render(request).content)

    assert then["counts"] == {"live": 3, "on_hold": 0, "ended": 0, "pipeline": 0}
    assert _values(then["metrics"])["bac"] == "3000.00"
    assert _doc(ws, "ERP")["counts"]["live"] == 1


def test_a_killed_project_status_says_it_is_out_of_the_totals(ws: Workspace) -> None:
    md = ws.report("project-status", "KILLED", format="md").content
    doc = json.loads(ws.report("project-status", "KILLED", format="json").content)

    assert "lifecycle killed" in md
    assert (
        "> **Killed** on 2025-03-02 by kim: No market. It is out of the live totals of its "
        "program and portfolio." in md
    )
    assert doc["lifecycle"] == {
        "state": "killed",
        "on": "2025-03-02",
        "by": "kim",
        "reason": "No market",
    }


def test_the_cli_report_json_leaves_the_killed_project_out(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace
) -> None:
    for args in (
        ("program", "create", "ERP", "--name", "ERP renewal"),
        ("project", "create", "LIVE", "--name", "Live", "--parent", "ERP"),
        ("project", "create", "DEAD", "--name", "Dead", "--parent", "ERP", "--sponsor", "dana"),
    ):
        assert pmo_cli(*args, workspace=pmo_workspace).exit_code == 0
    pmo_workspace.add_many(
        [
            item("LIVE", "L1", 1000, 50, JAN1, JAN31, 400),
            item("DEAD", "D1", 9000, 10, JAN1, JAN31, 8000),
        ]
    )
    killed = pmo_cli(
        "--as", "dana", "project", "update", "DEAD", "--lifecycle", "killed",
        "--comment", "No market", "--on", "2025-03-02",
        workspace=pmo_workspace,
    )  # fmt: skip
    assert killed.exit_code == 0, killed.stderr

    result = pmo_cli("report", "portfolio-summary", "ERP", "--json", workspace=pmo_workspace)

    assert result.exit_code == 0, result.stderr
    doc = result.json()
    totals = _values(doc["metrics"])
    assert (totals["bac"], totals["ev"], totals["ac"]) == ("1000.00", "500.00", "400.00")
    assert [p["key"] for p in doc["projects"]] == ["LIVE"]
    [dead] = doc["ended"]
    assert (dead["key"], dead["state"], dead["on"], dead["by"], dead["reason"]) == (
        "DEAD",
        "killed",
        "2025-03-02",
        "dana",
        "No market",
    )
    assert Decimal(_values(dead["final"]["metrics"])["ac"]) == Decimal(8000)
