"""A work item's dated status history (``WorkItem.transitions``): every write that changes the
status adds one :class:`~pmo_core.StatusChange`, dated the day the change happened (the
status date, or a progress report's or a move's ``on``); an import keeps the source's own
history as given; a document stored before the field existed reads as no history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core import (
    ConnectorRequest,
    InvalidInputError,
    PmoConnector,
    SourceItem,
    StatusChange,
    WorkItem,
    Workspace,
    hookimpl,
)

TODAY = date(2026, 6, 1)


def _moves(item: WorkItem) -> list[tuple[str, str, str | None]]:
    return [(c.on.isoformat(), c.status, c.actor) for c in item.transitions]


class Clock:
    """The workspace's status date, moved on by the test."""

    def __init__(self) -> None:
        self.day = TODAY

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    with Workspace.in_memory(today=clock, actor="kim") as workspace:
        workspace.create("project", id="ALPHA", name="Alpha", budget="1000 EUR")
        yield workspace


def _item(ws: Workspace, **fields: Any) -> WorkItem:
    return ws.add_work_item("ALPHA", "Build", **fields)


def _early(ws: Workspace, clock: Clock, **fields: Any) -> WorkItem:
    """An item added on 2026-05-01, the status date back at TODAY."""
    clock.day = date(2026, 5, 1)
    item = _item(ws, **fields)
    clock.day = TODAY
    return item


def test_a_new_item_starts_with_its_initial_status(ws: Workspace) -> None:
    assert _moves(_item(ws)) == [("2026-06-01", "open", "kim")]
    assert _moves(_item(ws, status="backlog")) == [("2026-06-01", "backlog", "kim")]


def test_an_update_of_the_status_is_dated_the_status_date(ws: Workspace) -> None:
    item = _item(ws)
    moved = ws.update_work_item(item.id, status="review")
    assert _moves(moved)[1:] == [("2026-06-01", "review", "kim")]
    # Another field alone adds none; the same status again changes nothing.
    assert ws.update_work_item(item.id, work=4).transitions == moved.transitions
    assert ws.update_work_item(item.id, status="review").version == moved.version + 1


def test_progress_dates_the_status_it_sets_on_its_day(ws: Workspace, clock: Clock) -> None:
    item = _early(ws, clock)
    started = ws.record_progress(item.id, 40, on=date(2026, 5, 20))
    assert _moves(started)[1:] == [("2026-05-20", "in_progress", "kim")]
    # A report that keeps the status adds no change.
    more = ws.record_progress(item.id, 60, on=date(2026, 5, 25))
    assert more.transitions == started.transitions
    done = ws.record_progress(item.id, 100, on=date(2026, 5, 28))
    assert _moves(done)[-1] == ("2026-05-28", "done", "kim")
    reopened = ws.record_progress(item.id, 90, comment="Bug found", on=date(2026, 5, 30))
    assert _moves(reopened)[-1] == ("2026-05-30", "in_progress", "kim")


def test_a_change_reported_for_a_day_before_the_last_comes_last(ws: Workspace) -> None:
    item = _item(ws)
    ws.update_work_item(item.id, status="review")  # on 2026-06-01
    # Progress of an earlier day that still is the latest point sets the status: it is the
    # current one, so it comes last, dated no earlier than the change before it.
    moved = ws.record_progress(item.id, 100, on=date(2026, 5, 30))
    assert _moves(moved)[-2:] == [("2026-06-01", "review", "kim"), ("2026-06-01", "done", "kim")]


def test_move_dates_the_change_and_done_is_full_progress(ws: Workspace, clock: Clock) -> None:
    item = _early(ws, clock, status="backlog")
    ws.move_work_item(item.id, "analysis", on=date(2026, 5, 4))
    ws.move_work_item(item.id, "dev", on=date(2026, 5, 4))  # same day: kept, in order
    done = ws.move_work_item(item.id, "done", on=date(2026, 5, 8))
    assert _moves(done) == [
        ("2026-05-01", "backlog", "kim"),
        ("2026-05-04", "analysis", "kim"),
        ("2026-05-04", "dev", "kim"),
        ("2026-05-08", "done", "kim"),
    ]
    assert done.percent_complete == 100
    assert done.progress[-1].on == date(2026, 5, 8)


def test_a_move_dated_before_the_last_change_comes_last(ws: Workspace, clock: Clock) -> None:
    item = _early(ws, clock, status="backlog")
    ws.move_work_item(item.id, "dev", on=date(2026, 5, 10))
    moved = ws.move_work_item(item.id, "review", on=date(2026, 5, 9))
    assert _moves(moved)[-1] == ("2026-05-10", "review", "kim")


def test_move_is_refused_where_progress_owns_the_status(ws: Workspace) -> None:
    item = _item(ws)
    with pytest.raises(InvalidInputError, match="after the status date"):
        ws.move_work_item(item.id, "dev", on=date(2026, 6, 2))
    with pytest.raises(InvalidInputError, match="is not a status"):
        ws.move_work_item(item.id, " ")
    done = ws.move_work_item(item.id, "done")
    assert ws.move_work_item(item.id, "done").version == done.version  # no change
    with pytest.raises(InvalidInputError, match="correct its progress below 100"):
        ws.move_work_item(item.id, "review")
    with pytest.raises(InvalidInputError, match="correct its progress below 100"):
        ws.update_work_item(item.id, status="review")
    assert ws.work_item(item.id).transitions == done.transitions  # nothing written
    # The day of the status date itself is accepted (the boundary).
    other = _item(ws)
    assert ws.move_work_item(other.id, "dev", on=TODAY).transitions[-1].on == TODAY


def test_transitions_are_kept_by_date() -> None:
    same_day = (StatusChange(on=TODAY, status="a"), StatusChange(on=TODAY, status="b"))
    assert len(WorkItem(project="P", subject="s", transitions=same_day).transitions) == 2
    backwards = (StatusChange(on=TODAY, status="a"), StatusChange(on=date(2026, 5, 31), status="b"))
    with pytest.raises(ValidationError, match="transitions: the change to 'b' on 2026-05-31"):
        WorkItem(project="P", subject="s", transitions=backwards)


def test_a_document_stored_without_transitions_reads_as_none() -> None:
    old = {"id": "w1", "project": "ALPHA", "subject": "Old", "status": "in_progress"}
    assert WorkItem.from_document(old, 3).transitions == ()


def test_an_old_stored_item_gets_its_first_change_when_its_status_changes(ws: Workspace) -> None:
    with ws.transaction("seed") as tx:  # as an older version stored it: no transitions
        tx.insert(
            "work_item",
            "0123456789ab",
            {"id": "0123456789ab", "project": "ALPHA", "subject": "Old"},
            owner="ALPHA",
        )
    assert ws.work_item("0123456789ab").transitions == ()
    moved = ws.move_work_item("0123456789ab", "dev", on=date(2026, 5, 30))
    assert _moves(moved) == [("2026-05-30", "dev", "kim")]


class _Source:
    def __init__(self, items: list[SourceItem]) -> None:
        self.items = items

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        yield from self.items

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(name="src", capabilities=frozenset({"read"}), read=self.read)


def _import(items: list[SourceItem]) -> Workspace:
    ws = Workspace.in_memory(plugins={"src": _Source(items)}, today=lambda: TODAY, actor="sync")
    ws.create("project", id="ALPHA", name="Alpha", budget="1000 EUR")
    ws.import_from("src", "jira")
    return ws


def _row(rid: str, **data: Any) -> SourceItem:
    return SourceItem(
        kind="work_item", remote_id=rid, data={"project": "ALPHA", **data}, where=f"jira:{rid}"
    )


def test_an_import_keeps_the_sources_history_or_starts_one() -> None:
    changelog = [
        {"on": "2026-05-01", "status": "To Do", "actor": "ana"},
        {"on": "2026-05-03", "status": "In Progress"},
    ]
    ws = _import(
        [
            _row("J-1", subject="With changelog", status="In Progress", transitions=changelog),
            _row("J-2", subject="Plain", status="To Do"),
        ]
    )
    with ws:
        by_subject = {i.subject: i for i in ws.work_items("ALPHA")}
        assert _moves(by_subject["With changelog"]) == [
            ("2026-05-01", "To Do", "ana"),
            ("2026-05-03", "In Progress", None),
        ]
        assert _moves(by_subject["Plain"]) == [("2026-06-01", "To Do", "sync")]


def test_an_import_with_a_history_out_of_order_is_refused() -> None:
    changelog = [{"on": "2026-05-03", "status": "To Do"}, {"on": "2026-05-01", "status": "Done"}]
    with pytest.raises(InvalidInputError, match=r"jira:J-1.*transitions"):
        _import([_row("J-1", subject="Bad", transitions=changelog)])


def test_done_is_not_moved_before_the_items_latest_progress(ws: Workspace, clock: Clock) -> None:
    item = _early(ws, clock)
    ws.record_progress(item.id, 50, on=date(2026, 5, 10))
    with pytest.raises(InvalidInputError, match="progress reported on 2026-05-10, after"):
        ws.move_work_item(item.id, "done", on=date(2026, 5, 9))
    done = ws.move_work_item(item.id, "done", on=date(2026, 5, 10))  # the same day: fine
    assert (done.status, done.percent_complete) == ("done", 100)


def test_status_on_a_day() -> None:
    item = WorkItem(
        project="P",
        subject="s",
        status="review",
        transitions=(
            StatusChange(on=date(2026, 5, 1), status="open"),
            StatusChange(on=date(2026, 5, 3), status="dev"),
            StatusChange(on=date(2026, 5, 3), status="review"),
        ),
    )
    assert item.status_on(date(2026, 4, 30)) is None
    assert item.status_on(date(2026, 5, 1)) == "open"
    assert item.status_on(date(2026, 5, 2)) == "open"
    assert item.status_on(date(2026, 5, 3)) == "review"  # the last change of the day
    assert WorkItem(project="P", subject="s", status="x").status_on(date(2000, 1, 1)) == "x"
