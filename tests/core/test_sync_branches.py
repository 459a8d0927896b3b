"""Resolving sync conflicts at their edges: a side that is neither, a start of an id two
conflicts share, a record gone since, a source value the record no longer takes, and one of
two conflicts of a record resolved while the other stays. Refusals write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from pmo_core import (
    ConnectorRequest,
    ExternalRef,
    InvalidInputError,
    NotFoundError,
    PmoConnector,
    SourceItem,
    Workspace,
    hookimpl,
)
from pmo_core._services.diff import ITEM_LIMIT


class FakeSource:
    """A connector over a list the test changes between runs."""

    def __init__(self) -> None:
        self.items: list[SourceItem] = []

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        yield from self.items

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(name="fake", capabilities=frozenset({"read"}), read=self.read)


def _project(**data: Any) -> list[SourceItem]:
    fields = {"name": "One", "parent": "PF", "manager": "Ann", **data}
    return [
        SourceItem(kind="portfolio", remote_id="PF", data={"name": "Portfolio"}, where="f:2"),
        SourceItem(kind="project", remote_id="P1", data=fields, where="f:3"),
    ]


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def ws(source: FakeSource) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"fake": source}) as workspace:
        source.items = _project(planned_start=date(2025, 1, 6), planned_finish=date(2025, 6, 30))
        workspace.import_from("fake", "plan")
        yield workspace


def _edit_here(ws: Workspace, **changes: Any) -> None:
    doc = ws.store.get("project", "P1")
    assert doc is not None
    with ws.transaction("edit here") as tx:
        tx.update("project", "P1", {**doc.data, **changes}, expected_version=doc.version)


def _two_conflicts(ws: Workspace, source: FakeSource) -> None:
    """The manager and the name changed both here and in the source."""
    _edit_here(ws, manager="New PM", name="One here")
    source.items = _project(
        manager="Cy",
        name="One there",
        planned_start=date(2025, 1, 6),
        planned_finish=date(2025, 6, 30),
    )
    ws.import_from("fake", "plan", on_conflict="manual")


def test_keeping_neither_side_is_refused_at_keep(ws: Workspace, source: FakeSource) -> None:
    _two_conflicts(ws, source)
    conflict = ws.sync_conflicts()[0]
    before = len(ws.journal())

    with pytest.raises(InvalidInputError) as caught:
        ws.resolve_conflict(conflict.id, keep="both")  # type: ignore[arg-type]

    assert caught.value.where == "--keep"
    assert caught.value.message == "keep must be 'local' or 'remote', got 'both'"
    assert len(ws.journal()) == before
    assert len(ws.sync_conflicts()) == 2


def test_a_start_two_conflicts_share_names_neither(ws: Workspace, source: FakeSource) -> None:
    """The conflicts of one import are numbered in one lane: they share their first
    characters, and those alone are refused as ambiguous; an unknown start is not found."""
    _two_conflicts(ws, source)
    first, second = ws.sync_conflicts()
    shared = next(n for n in range(12, 0, -1) if first.id[:n] == second.id[:n])
    assert shared >= 4

    with pytest.raises(InvalidInputError) as caught:
        ws.resolve_conflict(first.id[:shared], keep="local")
    assert caught.value.where == "ID"
    assert caught.value.message == (
        f"{first.id[:shared]!r} matches 2 conflicts; give more of the id"
    )
    with pytest.raises(NotFoundError, match="no sync conflict 'zzzzzz'"):
        ws.resolve_conflict("zzzzzz", keep="local")
    assert len(ws.sync_conflicts()) == 2


def test_resolving_one_of_two_keeps_the_other_fields_source_value_remembered(
    ws: Workspace, source: FakeSource
) -> None:
    _two_conflicts(ws, source)
    manager = next(c for c in ws.sync_conflicts() if c.field == "manager")

    ws.resolve_conflict(manager.id, keep="remote")

    project = ws.store.get("project", "P1")
    assert project is not None
    assert (project.data["manager"], project.data["name"]) == ("Cy", "One here")
    ref = ws.store.get(ExternalRef.store_kind, "fake:project:P1")
    assert ref is not None
    assert ref.data["remote_values"] == {"name": "One there"}
    assert [c.field for c in ws.sync_conflicts()] == ["name"]


def test_a_conflict_whose_record_is_gone_cannot_be_resolved(
    ws: Workspace, source: FakeSource
) -> None:
    _two_conflicts(ws, source)
    conflict = ws.sync_conflicts()[0]
    with ws.transaction("removed here") as tx:
        doc = tx.get("project", "P1")
        assert doc is not None
        tx.delete("project", "P1", expected_version=doc.version)
    before = len(ws.journal())

    with pytest.raises(NotFoundError) as caught:
        ws.resolve_conflict(conflict.id, keep="remote")

    assert str(caught.value) == (
        f"the project 'P1' of sync conflict {conflict.id} no longer exists"
    )
    assert len(ws.journal()) == before
    assert ws.sync_conflicts()[0].status == "open"


def test_a_source_value_the_record_no_longer_takes_is_refused_naming_the_record(
    ws: Workspace, source: FakeSource
) -> None:
    """The source's finish conflicted with a local one; the start moved past it since: taking
    the source's value would finish the project before it starts."""
    _edit_here(ws, planned_finish="2025-07-31")
    source.items = _project(planned_start=date(2025, 1, 6), planned_finish=date(2025, 3, 31))
    ws.import_from("fake", "plan", on_conflict="manual")
    (conflict,) = ws.sync_conflicts()
    assert conflict.field == "planned_finish"
    _edit_here(ws, planned_start="2025-05-01")
    before = len(ws.journal())

    with pytest.raises(InvalidInputError) as caught:
        ws.resolve_conflict(conflict.id, keep="remote")

    assert caught.value.where == "project P1"
    assert "planned_finish" in caught.value.message
    assert len(ws.journal()) == before
    project = ws.store.get("project", "P1")
    assert project is not None
    assert project.data["planned_finish"] == "2025-07-31"


def test_a_record_archived_here_stays_as_it_is_when_the_source_drops_it(
    ws: Workspace, source: FakeSource
) -> None:
    two = SourceItem(kind="project", remote_id="P2", data={"name": "Two", "parent": "PF"})
    source.items = [*_project(), two]
    ws.import_from("fake", "plan")
    p2 = next(p for p in ws.view().projects(under="PF") if p.name == "Two")
    ws.update(p2.id, archived=True)
    version = ws.get(p2.id).version
    source.items = _project()

    result = ws.import_from("fake", "plan")

    # Archived already, by someone here: nothing to archive, and nothing written to it.
    assert result.counts()["archive"] == 0
    assert (ws.get(p2.id).archived, ws.get(p2.id).version) == (True, version)


def test_a_local_edit_is_weighed_against_what_the_latest_sync_left(
    ws: Workspace, source: FakeSource
) -> None:
    """The second sync changed the manager; the edit here came after it; the third read
    renames the project and still says what the second sync took for the manager. The
    local manager stands, no conflict (against the first sync's manager it would look
    changed on both sides), and the new name is taken."""
    dates = {"planned_start": date(2025, 1, 6), "planned_finish": date(2025, 6, 30)}
    source.items = _project(manager="Bo", **dates)
    ws.import_from("fake", "plan")
    _edit_here(ws, manager="Cy")
    source.items = _project(manager="Bo", name="One renamed", **dates)

    result = ws.import_from("fake", "plan", on_conflict="manual")

    assert result.conflict_count == 0
    assert ws.sync_conflicts() == []
    project = ws.store.get("project", "P1")
    assert project is not None
    assert (project.data["manager"], project.data["name"]) == ("Cy", "One renamed")


def test_conflicts_past_the_limit_are_counted_and_recorded_but_not_listed(
    source: FakeSource,
) -> None:
    rows = ITEM_LIMIT + 5

    def tasks(subject: str) -> list[SourceItem]:
        return [
            SourceItem(kind="work_item", remote_id=f"T{n}",
                       data={"project": "P1", "subject": f"{subject} {n}"}, where=f"f:{n + 4}")
            for n in range(rows)
        ]  # fmt: skip

    with Workspace.in_memory(plugins={"fake": source}) as ws:
        source.items = [*_project(), *tasks("Task")]
        ws.import_from("fake", "plan")
        with ws.transaction("edit here") as tx:
            for doc in list(tx.query("work_item")):
                data = {**doc.data, "subject": f"Mine {doc.data['subject']}"}
                tx.update("work_item", doc.id, data, expected_version=doc.version, owner="P1")
        source.items = [*_project(), *tasks("Theirs")]

        result = ws.import_from("fake", "plan", on_conflict="manual")

        assert result.conflict_count == rows
        assert len(result.conflicts) == ITEM_LIMIT
        assert len(ws.sync_conflicts()) == rows
