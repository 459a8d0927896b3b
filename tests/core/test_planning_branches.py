"""Work progress and milestones at their edges: a report or an update that changes nothing
writes nothing, and a correction whose reason the record cannot hold is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from pmo_core import InvalidInputError, Workspace

TODAY = date(2025, 3, 1)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(today=lambda: TODAY) as workspace:
        workspace.create("project", id="P", name="P", budget="1000 EUR")
        yield workspace


def test_reporting_the_same_progress_again_writes_nothing(ws: Workspace) -> None:
    item = ws.add_work_item("P", "Build", budget="600 EUR")
    reported = ws.record_progress(item.id, 40, actual_cost="200 EUR")
    before = len(ws.journal())

    again = ws.record_progress(item.id, 40, actual_cost="200 EUR")

    assert again == reported
    assert len(ws.journal()) == before


def test_a_milestone_update_that_changes_nothing_writes_nothing(ws: Workspace) -> None:
    milestone = ws.add_milestone("P", "Go-live", due=date(2025, 6, 30))
    before = len(ws.journal())

    same = ws.update_milestone(milestone.id, name="Go-live", due=date(2025, 6, 30))

    assert same == milestone
    assert len(ws.journal()) == before


def test_a_correction_reason_with_a_control_character_is_refused(ws: Workspace) -> None:
    item = ws.add_work_item("P", "Build", budget="600 EUR")
    ws.record_progress(item.id, 60)
    before = len(ws.journal())

    with pytest.raises(InvalidInputError) as caught:
        ws.record_progress(item.id, 40, comment="Over\u202ecounted")

    assert caught.value.message.startswith("comment: ")
    assert len(ws.journal()) == before
    assert ws.work_item(item.id).percent_complete == 60
