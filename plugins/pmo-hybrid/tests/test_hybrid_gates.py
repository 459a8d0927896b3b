"""The hybrid lifecycle drives ``gate check``: funding the release, then releasing once
iterations delivered points."""

from __future__ import annotations

from datetime import date

import pytest
from hybrid_support import approve, criteria

from pmo_core import Workspace


def _funded(ws: Workspace) -> None:
    ws.create("project", id="APP", name="App", sponsor="Dana Reyes", budget="50000 EUR")
    approve(ws, "APP", "business-case", "release-plan", "product-vision")


def test_start_delivery_needs_an_estimated_backlog(ws: Workspace) -> None:
    _funded(ws)
    ws.add_work_item("APP", "Login", budget="20000 EUR")
    result = ws.gate_check("APP")
    assert result.gate == "start-delivery"
    assert result.reasons() == [
        "criterion backlog-estimated (must): project APP has no work item estimated in points"
    ]
    ws.add_work_item("APP", "Search", budget="30000 EUR", points=8)
    assert not ws.gate_check("APP").blocked
    ws.decide_gate("APP", "go")
    assert ws.get("APP").phase == "delivery"


@pytest.mark.parametrize(
    ("change", "criterion", "note"),
    [
        ({"sponsor": None}, "sponsor-named", "project APP names no sponsor"),
        ({"budget": None}, "budget-set", "project APP has no budget"),
        ({"budget": "0 EUR"}, "budget-set", "has a budget of 0 EUR; it must be positive"),
    ],
)
def test_start_delivery_needs_a_sponsor_and_funding(
    ws: Workspace, change: dict[str, object], criterion: str, note: str
) -> None:
    _funded(ws)
    ws.add_work_item("APP", "Search", points=8)
    ws.update("APP", **change)
    failed = [c for c in ws.gate_check("APP").criteria if not c.passed]
    assert [c.name for c in failed] == [criterion]
    assert note in failed[0].note


def test_the_release_gate_needs_iterations_and_points_done(ws: Workspace) -> None:
    ws.create("project", id="APP", name="App", phase="delivery")
    approve(ws, "APP", "release-report")
    assert ws.gate_check("APP").reasons() == [
        "criterion iterations-run (must): project APP has no work item in an iteration",
        "criterion points-delivered (must): project APP has no work item estimated in points",
    ]
    login = ws.add_work_item("APP", "Login", points=5, iteration="Sprint 1")
    search = ws.add_work_item("APP", "Search", points=8, iteration="Sprint 2")
    assert ws.gate_check("APP").reasons() == [
        "criterion iterations-run (must): project APP has iterations (Sprint 1, Sprint 2) but "
        "nothing done in them",
        "criterion points-delivered (must): project APP has done 0 of 13 points",
    ]
    ws.record_progress(login.id, 100, on=date(2025, 5, 16))
    result = ws.gate_check("APP")
    assert not result.blocked, result.reasons()
    # 5 of 13 points done: 38.5 %; the should criterion advises.
    assert "project APP has done 5 of 13 points (38.5%)" in "\n".join(result.advice())
    ws.record_progress(search.id, 100, on=date(2025, 5, 30))
    assert criteria(ws, "APP")["backlog-done"]
    ws.decide_gate("APP", "go")
    assert ws.get("APP").phase == "closing"
    assert ws.gate_check("APP").gate is None


def test_the_release_report_is_a_must(ws: Workspace) -> None:
    ws.create("project", id="APP", name="App", phase="delivery")
    item = ws.add_work_item("APP", "Login", points=5, iteration="Sprint 1")
    ws.record_progress(item.id, 100)
    assert ws.gate_check("APP").reasons() == [
        "criterion release-report (must): artifact 'release-report' is not approved"
    ]
