"""scope_members: who a roll-up's totals sum (live), what waits beside them (pipeline) and
what has left them (ended), whatever the depth of the hierarchy."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pmo_core import Workspace, scope_members
from pmo_core.testing import MemoryStore

TODAY = date(2025, 4, 25)


@pytest.fixture
def ws() -> Workspace:
    """PF > ERP > (LIVE, HELD, KILLED, CLOSED, SUB under LIVE); PF > CRM (killed) > ORPHAN;
    PF > NEW (proposed program) > IDEA; PF > LATER (proposed project)."""
    ws = Workspace.in_memory(today=lambda: TODAY, actor="kim")
    ws.create("portfolio", id="PF", name="Digital")
    ws.create("program", id="ERP", name="ERP", parent="PF")
    for key in ("LIVE", "HELD", "KILLED", "CLOSED"):
        ws.create("project", id=key, name=key.title(), parent="ERP")
    ws.create("project", id="SUB", name="Sub", parent="LIVE")
    ws.create("program", id="CRM", name="CRM", parent="PF")
    ws.create("project", id="ORPHAN", name="Orphan", parent="CRM")
    ws.create("program", id="NEW", name="New", parent="PF", lifecycle="proposed")
    ws.create("project", id="IDEA", name="Idea", parent="NEW")
    ws.create("project", id="LATER", name="Later", parent="PF", lifecycle="proposed")
    ws.report_status("CLOSED", overall="green")
    ws.change_lifecycle("HELD", "on_hold", approvers=[], comment="Vendor dispute", on=None)
    ws.change_lifecycle("KILLED", "killed", approvers=[], comment="No market", on=date(2025, 3, 2))
    ws.change_lifecycle(
        "CLOSED", "closed", approvers=[], comment="Delivered", on=date(2025, 4, 1), lessons=["x"]
    )
    ws.change_lifecycle("CRM", "killed", approvers=[], comment="Merged into ERP", on=None)
    return ws


def test_each_member_has_its_standing_and_its_cause(ws: Workspace) -> None:
    members = scope_members(ws.view(), "PF")

    assert [p.id for p in members.live] == ["HELD", "LIVE", "SUB"]
    assert [m.key for m in members.on_hold] == ["HELD"]
    assert [(m.key, m.state, m.inherited) for m in members.ended] == [
        ("CLOSED", "closed", False),
        ("CRM", "killed", False),
        ("KILLED", "killed", False),
        ("ORPHAN", "killed", True),  # a project of a killed program leaves with it
    ]
    assert [(m.key, m.cause.id) for m in members.pipeline] == [
        ("IDEA", "NEW"),  # active itself, but its program is not authorised yet
        ("LATER", "LATER"),
        ("NEW", "NEW"),
    ]
    killed = members.member("KILLED")
    assert (killed.on, killed.by, killed.reason) == (date(2025, 3, 2), "kim", "No market")
    orphan = members.member("ORPHAN")
    assert (orphan.entity.lifecycle, orphan.state, orphan.reason) == (
        "active",
        "killed",
        "Merged into ERP",
    )
    held = members.member("HELD")
    assert (held.standing, held.held, held.held_by and held.held_by.id) == ("live", True, "HELD")
    with pytest.raises(KeyError):
        members.member("PF")  # the scope is not one of its own members


def test_on_hold_above_a_project_holds_it_in_the_totals(ws: Workspace) -> None:
    ws.change_lifecycle("ERP", "on_hold", approvers=[], comment="Budget review", on=None)

    members = scope_members(ws.view(), "PF")

    assert [p.id for p in members.live] == ["HELD", "LIVE", "SUB"]
    assert {m.key: m.held_by.id for m in members.on_hold if m.held_by} == {
        "HELD": "HELD",  # its own hold is the nearest
        "LIVE": "ERP",
        "SUB": "ERP",
    }


def test_the_scope_itself_is_not_judged(ws: Workspace) -> None:
    # A report over the killed program CRM still shows what CRM held when it was killed.
    crm = scope_members(ws.view(), "CRM")
    assert [p.id for p in crm.live] == ["ORPHAN"]
    assert crm.ended == ()
    # Below a proposed program its projects are live for that program's own figures.
    assert [p.id for p in scope_members(ws.view(), ws.get("NEW")).live] == ["IDEA"]


def test_the_whole_pmo_judges_portfolios_too(ws: Workspace) -> None:
    ws.create("portfolio", id="OLD", name="Old")
    ws.create("project", id="LEGACY", name="Legacy", parent="OLD")
    ws.report_status("OLD", overall="amber")
    ws.change_lifecycle("OLD", "closed", approvers=[], comment="Retired", on=None, lessons=["y"])

    members = scope_members(ws.view())

    assert members.scope is None
    assert [p.id for p in members.live] == ["HELD", "LIVE", "SUB"]
    ended = {m.key: m.cause.id for m in members.ended}
    assert ended["OLD"] == "OLD"
    assert ended["LEGACY"] == "OLD"
    assert "PF" not in ended


def test_archived_entities_are_left_out(ws: Workspace) -> None:
    ws.archive("SUB")
    assert [p.id for p in scope_members(ws.view(), "PF").live] == ["HELD", "LIVE"]


def test_an_as_of_view_judges_by_the_state_then() -> None:
    moments = iter(datetime(2025, 4, 20, 9, n, tzinfo=timezone.utc) for n in range(60))
    fresh = Workspace.in_memory(today=lambda: TODAY, store=MemoryStore(clock=lambda: next(moments)))
    fresh.create("program", id="P", name="P")
    fresh.create("project", id="A", name="A", parent="P")
    fresh.change_lifecycle("A", "killed", approvers=[], comment="Stop", on=None)

    before = fresh.view(as_of=datetime(2025, 4, 20, 9, 1, 30, tzinfo=timezone.utc))
    assert [p.id for p in scope_members(before, "P").live] == ["A"]
    assert [p.id for p in scope_members(fresh.view(), "P").live] == []
