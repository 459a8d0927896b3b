"""The RAID log through the Workspace API: update and re-score with history, show, close
with a resolution, reopen, escalate (and the pmo_escalated event), dependencies seen from
both sides, the decisions log; bad input names the field and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from pmo_core import (
    ConflictError,
    Escalation,
    InvalidInputError,
    NotFoundError,
    RaidItem,
    Workspace,
    hookimpl,
)

MakeWorkspace = Callable[..., Workspace]

MARCH = date(2025, 3, 3)


class Clock:
    """A status date a test moves on."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


class Listener:
    """A notification plugin: records every pmo_escalated batch it hears."""

    def __init__(self) -> None:
        self.batches: list[list[Escalation]] = []

    @hookimpl
    def pmo_escalated(self, workspace: Workspace, escalations: Any) -> None:
        self.batches.append(list(escalations))


def _hierarchy(ws: Workspace) -> None:
    """PF > ERP > (ALPHA, BETA); PF > GAMMA."""
    ws.create("portfolio", id="PF", name="Digital")
    ws.create("program", id="ERP", name="ERP renewal", parent="PF")
    ws.create("project", id="ALPHA", name="Alpha", parent="ERP")
    ws.create("project", id="BETA", name="Beta", parent="ERP")
    ws.create("project", id="GAMMA", name="Gamma", parent="PF")


@pytest.fixture
def clock() -> Clock:
    return Clock(MARCH)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace, clock: Clock) -> Workspace:
    made = pmo_workspace_factory(today=clock, actor="kim")
    _hierarchy(made)
    return made


def _risk(ws: Workspace, **fields: Any) -> RaidItem:
    data: dict[str, Any] = {"probability": 4, "impact": 4, "owned_by": "Sam", **fields}
    return ws.add_raid("ALPHA", "risk", "Vendor late", **data)


# ------------------------------------------------------------------ show and update


def test_raid_item_finds_by_id_or_unique_start(ws: Workspace) -> None:
    risk = _risk(ws)

    assert ws.raid_item(risk.id) == risk
    assert ws.raid_item(risk.id[:4]) == risk
    with pytest.raises(NotFoundError, match="give at least 4 characters"):
        ws.raid_item(risk.id[:3])


def test_update_changes_only_the_fields_given(ws: Workspace) -> None:
    risk = _risk(ws, response="Second vendor", due=date(2025, 4, 1))

    updated = ws.update_raid(risk.id[:6], owned_by="Lee", title="Vendor very late")

    assert (updated.owned_by, updated.title) == ("Lee", "Vendor very late")
    assert (updated.response, updated.due, updated.probability) == (
        "Second vendor",
        date(2025, 4, 1),
        4,
    )
    assert updated.version == risk.version + 1
    assert updated.score_history == ()  # not a re-score
    [entry] = ws.journal(kind="raid", id=risk.id, since=None)[-1:]
    assert (entry.actor, entry.op) == ("kim", "update")


def test_rescoring_keeps_the_history_on_the_item(ws: Workspace, clock: Clock) -> None:
    risk = _risk(ws)
    clock.day = date(2025, 3, 10)
    ws.update_raid(risk.id, probability=2, comment="Second vendor qualified")
    clock.day = date(2025, 3, 17)
    ws.update_raid(risk.id, impact=5)

    item = ws.raid_item(risk.id)

    assert [(c.on, c.actor, c.old_score, c.new_score, c.comment) for c in item.score_history] == [
        (date(2025, 3, 10), "kim", 16, 8, "Second vendor qualified"),
        (date(2025, 3, 17), "kim", 8, 10, ""),
    ]
    assert (item.probability, item.impact, item.score) == (2, 5, 10)
    # Readable without the journal: the stored document itself holds it.
    doc = ws.store.get("raid", risk.id)
    assert doc is not None
    assert [c["new_probability"] for c in doc.data["score_history"]] == [2, 2]


def test_an_issue_keeps_its_impact_history(ws: Workspace) -> None:
    issue = ws.add_raid("ALPHA", "issue", "Test env down", impact=3)

    item = ws.update_raid(issue.id, impact=5, comment="Go-live blocked")

    [change] = item.score_history
    assert (change.old_impact, change.new_impact, change.old_score, change.new_score) == (
        3,
        5,
        None,
        None,
    )


def test_an_update_that_changes_nothing_writes_nothing(ws: Workspace) -> None:
    risk = _risk(ws)
    journal = ws.journal()

    same = ws.update_raid(risk.id, probability=4, owned_by="Sam")

    assert same == risk
    assert ws.journal() == journal


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"probability": 9}, "probability", "less than or equal to 5"),
        ({"decided_by": "board"}, "decided_by", "decided_by applies only to a decision"),
        ({"depends_on": "BETA"}, "depends_on", "applies only to a dependency, not to a risk"),
        ({"owned_by": "Sam\x1b[31m"}, "owned_by", "control character U+001B"),
        ({"title": " "}, "title", "at least 1 character"),
        ({"status": "closed"}, "status", "use close_raid()"),
        ({"escalations": ()}, "escalations", "use escalate_raid()"),
        ({"approved": True}, "approved", "decision of its own"),
        ({"bogus": 1}, "bogus", "unknown field"),
    ],
)
def test_bad_updates_name_the_field_and_write_nothing(
    ws: Workspace, changes: dict[str, Any], where: str, message: str
) -> None:
    risk = _risk(ws)
    journal = ws.journal()

    with pytest.raises(InvalidInputError, match=re.escape(message)) as refused:
        ws.update_raid(risk.id, **changes)

    assert refused.value.where == where or str(refused.value).startswith(f"{where}: ")
    assert ws.journal() == journal


def test_a_comment_goes_with_a_rescore(ws: Workspace) -> None:
    risk = _risk(ws)

    with pytest.raises(InvalidInputError, match="comment is recorded with a re-score") as refused:
        ws.update_raid(risk.id, owned_by="Lee", comment="why?")

    assert refused.value.where == "comment"


def test_a_stale_update_is_a_conflict(ws: Workspace) -> None:
    risk = _risk(ws)
    ws.update_raid(risk.id, owned_by="Lee")

    with pytest.raises(ConflictError, match="changed since it was read"):
        ws.update_raid(risk.id, expected_version=risk.version, owned_by="Ann")


# ------------------------------------------------------------------ close and reopen


def test_close_with_a_resolution_then_reopen(ws: Workspace, clock: Clock) -> None:
    risk = _risk(ws)
    clock.day = date(2025, 3, 20)

    closed = ws.close_raid(risk.id, "Second vendor qualified", on=date(2025, 3, 18))
    assert (closed.status, closed.closed_on, closed.resolution) == (
        "closed",
        date(2025, 3, 18),
        "Second vendor qualified",
    )
    with pytest.raises(ConflictError, match="already closed"):
        ws.close_raid(risk.id, "again")

    clock.day = date(2025, 4, 2)
    reopened = ws.reopen_raid(risk.id, "The vendor failed its audit")

    assert (reopened.status, reopened.closed_on, reopened.resolution) == ("open", None, None)
    [record] = reopened.reopenings
    assert (record.on, record.actor, record.comment) == (
        date(2025, 4, 2),
        "kim",
        "The vendor failed its audit",
    )
    assert (record.closed_on, record.resolution) == (date(2025, 3, 18), "Second vendor qualified")
    commands = [t.command for t in ws.store.transactions()][-2:]
    assert commands == ["raid close", "raid reopen"]
    with pytest.raises(ConflictError, match="only a closed item is reopened"):
        ws.reopen_raid(risk.id, "twice")


@pytest.mark.parametrize(
    ("call", "where", "message"),
    [
        (lambda ws, id: ws.close_raid(id, "  "), "resolution", "say how"),
        (lambda ws, id: ws.close_raid(id, "x", on=date(2025, 3, 4)), "on", "after the status"),
        (lambda ws, id: ws.close_raid(id, "x", on=date(2025, 3, 2)), "on", "before the item"),
        (lambda ws, id: ws.close_raid(id, "a\x07b"), "resolution", "control character"),
    ],
)
def test_bad_closes_write_nothing(
    ws: Workspace, call: Callable[[Workspace, str], Any], where: str, message: str
) -> None:
    risk = _risk(ws)
    journal = ws.journal()

    with pytest.raises(InvalidInputError, match=re.escape(message)) as refused:
        call(ws, risk.id)

    assert refused.value.where == where or str(refused.value).startswith(f"{where}: ")
    assert ws.journal() == journal


def test_reopen_needs_a_comment(ws: Workspace) -> None:
    risk = _risk(ws)
    ws.close_raid(risk.id, "Done")
    journal = ws.journal()

    with pytest.raises(InvalidInputError, match="say why") as refused:
        ws.reopen_raid(risk.id, " ")

    assert refused.value.where == "comment"
    assert ws.journal() == journal


# ------------------------------------------------------------------------ escalation


def test_escalate_moves_up_keeps_the_origin_and_fires_the_event(
    pmo_workspace_factory: MakeWorkspace, clock: Clock
) -> None:
    listener = Listener()
    ws = pmo_workspace_factory(plugins={"notify": listener}, today=clock, actor="kim")
    _hierarchy(ws)
    risk = _risk(ws)
    listener.batches.clear()

    first = ws.escalate_raid(risk.id, comment="Needs the program's reserve")
    second = ws.escalate_raid(risk.id[:5], to="PF", comment="Only the board can decide")

    assert (first.entity, first.escalated_to) == ("ALPHA", "ERP")
    assert (second.entity, second.escalated_to) == ("ALPHA", "PF")
    assert [(s.from_entity, s.to_entity, s.actor, s.on) for s in second.escalations] == [
        ("ALPHA", "ERP", "kim", MARCH),
        ("ERP", "PF", "kim", MARCH),
    ]
    # One batch per committed transaction, with the item as committed.
    assert [len(batch) for batch in listener.batches] == [1, 1]
    event = listener.batches[1][0]
    assert (event.from_entity, event.to_entity, event.comment, event.actor) == (
        "ERP",
        "PF",
        "Only the board can decide",
        "kim",
    )
    assert event.item == second
    assert event.txn_id == list(ws.store.transactions())[-1].txn_id
    # The store's owner is still the origin, so the origin's log keeps it.
    assert [i.id for i in ws.view().raid("ALPHA")] == [risk.id]


def test_escalated_items_show_in_the_log_of_the_scope_above(ws: Workspace) -> None:
    risk = _risk(ws)
    ws.create("portfolio", id="OPS", name="Operations")
    ws.create("project", id="DELTA", name="Delta", parent="OPS")
    delta = ws.add_raid("DELTA", "issue", "Datacentre move", impact=4)
    ws.escalate_raid(delta.id, comment="Portfolio call")

    assert [i.id for i in ws.raid_log("OPS")] == [delta.id]
    assert [i.id for i in ws.raid_log("ERP")] == [risk.id]
    # Re-parented later, the item still shows where it was escalated to.
    ws.update("DELTA", parent="PF")
    assert delta.id in [i.id for i in ws.raid_log("OPS")]


def test_nothing_is_heard_when_nothing_escalates(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    listener = Listener()
    ws = pmo_workspace_factory(plugins={"notify": listener}, today=MARCH)
    _hierarchy(ws)
    risk = _risk(ws)

    ws.update_raid(risk.id, probability=2)
    ws.close_raid(risk.id, "Done")

    assert listener.batches == []


@pytest.mark.parametrize(
    ("entity", "to", "error", "message"),
    [
        ("PF", None, InvalidInputError, "portfolio PF has no parent"),
        ("ALPHA", "GAMMA", InvalidInputError, "GAMMA is not above ALPHA (above it: ERP, PF)"),
        ("ALPHA", "ALPHA", InvalidInputError, "ALPHA is not above ALPHA"),
        ("ALPHA", "NOPE", InvalidInputError, "no portfolio, program or project 'NOPE'"),
    ],
)
def test_bad_escalations_write_nothing(
    pmo_workspace_factory: MakeWorkspace,
    entity: str,
    to: str | None,
    error: type[Exception],
    message: str,
) -> None:
    listener = Listener()
    ws = pmo_workspace_factory(plugins={"notify": listener}, today=MARCH)
    _hierarchy(ws)
    item = ws.add_raid(entity, "issue", "Something", impact=3)
    journal = ws.journal()

    with pytest.raises(error, match=re.escape(message)):
        ws.escalate_raid(item.id, to=to, comment="up")

    assert ws.journal() == journal
    assert listener.batches == []


def test_escalating_needs_an_open_item_and_a_comment(ws: Workspace) -> None:
    risk = _risk(ws)
    with pytest.raises(InvalidInputError, match="say why"):
        ws.escalate_raid(risk.id, comment="")
    ws.close_raid(risk.id, "Done")
    with pytest.raises(ConflictError, match="reopen it before escalating"):
        ws.escalate_raid(risk.id, comment="up")


def test_the_escalation_trail_is_one_path_up() -> None:
    with pytest.raises(ValueError, match="step 1 starts at ERP, but the item was then held by A"):
        RaidItem.model_validate(
            {
                "type": "risk",
                "entity": "A",
                "title": "t",
                "escalations": [
                    {
                        "on": "2025-03-03",
                        "actor": "kim",
                        "from_entity": "ERP",
                        "to_entity": "PF",
                        "comment": "x",
                    }
                ],
            }
        )


# ------------------------------------------------------------- dependencies, decisions


def test_a_dependency_shows_on_both_sides(ws: Workspace) -> None:
    dependency = ws.add_raid(
        "GAMMA",
        "dependency",
        "Finance API",
        depends_on="BETA",
        needed_by=date(2025, 9, 1),
        committed_on=date(2025, 8, 15),
    )

    assert [i.id for i in ws.raid_log("BETA")] == [dependency.id]
    assert [i.id for i in ws.raid_log("GAMMA")] == [dependency.id]
    assert ws.raid_log("ALPHA") == []
    delivered = ws.update_raid(dependency.id, delivered_on=date(2025, 3, 1))
    assert delivered.delivered_on == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"depends_on": "NOPE"}, "depends_on", "no portfolio, program or project 'NOPE'"),
        ({"depends_on": "GAMMA"}, "depends_on", "GAMMA cannot depend on itself"),
        ({"delivered_on": date(2025, 3, 4)}, "delivered_on", "after the status date"),
        ({"probability": 2}, "probability", "probability applies only to a risk"),
    ],
)
def test_bad_dependencies_write_nothing(
    ws: Workspace, fields: dict[str, Any], where: str, message: str
) -> None:
    journal = ws.journal()

    with pytest.raises(InvalidInputError, match=re.escape(message)) as refused:
        ws.add_raid("GAMMA", "dependency", "Finance API", **fields)

    assert refused.value.where == where
    assert ws.journal() == journal


def test_the_decisions_log_is_sorted_by_date(ws: Workspace) -> None:
    later = ws.add_raid("PF", "decision", "Freeze intake", decided_by="Board")
    earlier = ws.add_raid(
        "ERP", "decision", "Pick vendor X", decided_by="Sponsor", decided_on=date(2025, 1, 14)
    )
    ws.add_raid("PF", "risk", "Not a decision", probability=1, impact=1)

    log = ws.raid_log("PF", type="decision")

    assert [d.id for d in log] == [earlier.id, later.id]
    assert later.decided_on == MARCH  # recorded without a date: decided that day
    with pytest.raises(InvalidInputError, match="after the status date") as refused:
        ws.add_raid("PF", "decision", "Future", decided_on=date(2025, 12, 1))
    assert refused.value.where == "decided_on"


# ------------------------------------------------------------------- compatibility


def test_items_stored_before_the_history_fields_load_and_change(ws: Workspace) -> None:
    old = {
        "id": "0ld0ld0ld0ld",
        "type": "risk",
        "entity": "ALPHA",
        "title": "Written by an earlier pmo-core",
        "description": "",
        "owned_by": "",
        "status": "closed",
        "raised_on": "2024-11-02",
        "closed_on": "2024-12-01",
        "probability": 3,
        "impact": 3,
    }
    with ws.transaction("older version") as tx:
        tx.insert("raid", old["id"], old, owner="ALPHA")

    item = ws.raid_item("0ld0")
    assert (item.resolution, item.score_history, item.escalations) == (None, (), ())

    reopened = ws.reopen_raid(item.id, "Back again")
    rescored = ws.update_raid(item.id, probability=5, comment="Worse")
    escalated = ws.escalate_raid(item.id, comment="Up")

    assert reopened.reopenings[0].closed_on == date(2024, 12, 1)
    assert rescored.score_history[0].old_score == 9
    assert escalated.escalated_to == "ERP"
