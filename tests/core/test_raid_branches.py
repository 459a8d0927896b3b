"""RAID items at their edges: a reopening whose reason the record cannot hold, and a change
request edited in the fields its decision does not own."""

from __future__ import annotations

import pytest
from plan_control_support import MakeWorkspace, make

from pmo_core import InvalidInputError, Workspace


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def test_a_reopening_reason_with_a_control_character_is_refused_and_the_item_stays_closed(
    ws: Workspace,
) -> None:
    risk = ws.add_raid("ALPHA", "risk", "Vendor late", probability=2, impact=2)
    ws.close_raid(risk.id, "Vendor delivered")
    before = len(ws.journal())

    with pytest.raises(InvalidInputError) as caught:
        ws.reopen_raid(risk.id, "Slipped \u202eagain")

    assert caught.value.message.startswith("comment: ")
    assert len(ws.journal()) == before
    assert ws.raid_item(risk.id).status == "closed"


def test_a_change_request_takes_edits_outside_its_decision(ws: Workspace) -> None:
    change = ws.raise_change("ALPHA", "More", budget="260000 EUR")

    edited = ws.update_raid(change.id, title="More budget", description="Audit finding")

    assert (edited.title, edited.description) == ("More budget", "Audit finding")
    assert (edited.approved, edited.status) == (None, "open")
