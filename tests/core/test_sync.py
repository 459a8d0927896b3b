"""The sync contract: references by source id, external references that say where and
which version, conflicts, deletions, sync runs and watermarks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pmo_core import (
    ConflictError,
    ConnectorRequest,
    InvalidInputError,
    NotFoundError,
    PmoConnector,
    SourceItem,
    Workspace,
    hookimpl,
)
from pmo_core._services import importing


class FakeSource:
    """A connector over a list the test changes between runs; remembers each request."""

    def __init__(self, items: list[SourceItem], *, sync: bool = False) -> None:
        self.items = items
        self.sync = sync
        self.requests: list[ConnectorRequest] = []
        self.watermark: str | None = None

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        self.requests.append(request)
        yield from self.items
        if self.watermark is not None:
            request.watermark(self.watermark)

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        caps = {"read", "sync"} if self.sync else {"read"}
        yield PmoConnector(name="fake", capabilities=frozenset(caps), read=self.read)


def _item(kind: str, rid: str, **data: Any) -> SourceItem:
    return SourceItem(kind=kind, remote_id=rid, data=data, where=f"fake:{rid}")


def _plan() -> list[SourceItem]:
    return [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("milestone", "M1", project="P1", name="Go-live"),
        # The child comes before its parent and the successor before its predecessor:
        # a source's order is not its hierarchy's.
        _item(
            "work_item",
            "T3",
            project="P1",
            subject="Build",
            parent="T1",
            links=[{"predecessor": "T2", "type": "SS", "lag_days": 2}],
            milestone="M1",
        ),
        _item("work_item", "T1", project="P1", subject="Phase"),
        _item("work_item", "T2", project="P1", subject="Design", parent="T1"),
    ]


@pytest.fixture
def source() -> FakeSource:
    return FakeSource(_plan())


@pytest.fixture
def ws(source: FakeSource) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"fake": source}) as workspace:
        yield workspace


def _key(ws: Workspace, kind: str, remote_id: str) -> str:
    ref = ws.store.get("external_ref", f"fake:{kind}:{remote_id}")
    assert ref is not None, f"no reference for {kind} {remote_id}"
    return str(ref.data["target"])


def _doc(ws: Workspace, kind: str, remote_id: str) -> dict[str, Any]:
    doc = ws.store.get(kind, _key(ws, kind, remote_id))
    assert doc is not None
    return dict(doc.data)


def test_work_items_refer_to_each_other_by_source_id(ws: Workspace) -> None:
    ws.import_from("fake", "plan")
    t1, t2 = _key(ws, "work_item", "T1"), _key(ws, "work_item", "T2")
    t3 = _doc(ws, "work_item", "T3")
    # Forward references resolve within a batch.
    assert t3["parent"] == t1
    assert t3["links"] == [{"predecessor": t2, "type": "SS", "lag_days": 2}]
    assert t3["milestone"] == _key(ws, "milestone", "M1")
    assert _doc(ws, "work_item", "T2")["parent"] == t1


def test_references_across_batches_resolve_backwards(
    ws: Workspace, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    source.items = [source.items[i] for i in (0, 1, 2, 4, 5, 3)]  # T1, T2, then T3
    ws.import_from("fake", "plan")
    t3 = _doc(ws, "work_item", "T3")
    assert t3["parent"] == _key(ws, "work_item", "T1")
    assert t3["links"][0]["predecessor"] == _key(ws, "work_item", "T2")


def test_a_dangling_reference_is_refused_with_its_place(
    ws: Workspace, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)  # T3 comes before T1 and T2
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("fake", "plan")
    assert caught.value.where == "fake:T3"
    assert "parent: work item 'T1' is neither earlier in this source" in caught.value.message
    assert ws.store.count("work_item") == 0


def test_a_dry_run_resolves_references_across_batches_as_the_import_does(
    ws: Workspace, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("work_item", "T1", project="P1", subject="Phase"),
        _item("work_item", "T2", project="P1", subject="Design", parent="T1"),
    ]
    plan = ws.import_from("fake", "plan", dry_run=True)
    t1 = next(i for i in plan.items if i.remote_id == "T1")
    t2 = next(i for i in plan.items if i.remote_id == "T2")
    assert (t1.op, t2.op) == ("create", "create")
    # T2's parent, given as T1 in an earlier batch, was resolved (to the key T1 would get).
    assert t2.changes["parent"][0] is None
    assert isinstance(t2.changes["parent"][1], str)
    assert t2.changes["parent"][1]
    assert ws.store.count("work_item") == 0
    ws.import_from("fake", "plan")
    assert _doc(ws, "work_item", "T2")["parent"] == _key(ws, "work_item", "T1")


def test_a_dry_run_shows_what_a_new_record_is_given_and_no_id_it_would_not_keep(
    ws: Workspace, source: FakeSource
) -> None:
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("work_item", "T9", project="P1", subject="Test plan"),
    ]
    plan = ws.import_from("fake", "plan", dry_run=True)
    pf, t9 = (next(i for i in plan.items if i.remote_id == r) for r in ("PF", "T9"))
    # An entity's key is its own; a work item's id is drawn when written, so none is shown.
    assert (pf.id, t9.id) == ("PF", "")
    assert pf.changes["name"] == (None, "Portfolio")
    assert t9.changes["subject"] == (None, "Test plan")
    assert "id" not in t9.changes
    assert "kind" not in pf.changes
    done = ws.import_from("fake", "plan")
    created = next(i for i in done.items if i.remote_id == "T9")
    assert created.id == _key(ws, "work_item", "T9")
    assert created.changes["subject"] == (None, "Test plan")


def test_a_reference_the_source_never_gave_is_a_local_key(
    ws: Workspace, source: FakeSource
) -> None:
    ws.import_from("fake", "plan")
    local = _key(ws, "work_item", "T1")
    source.items = [_item("work_item", "T9", project="P1", subject="Extra", parent=local)]
    ws.import_from("fake", "more")
    assert _doc(ws, "work_item", "T9")["parent"] == local


def test_references_keep_remote_version_url_and_source(ws: Workspace, source: FakeSource) -> None:
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        SourceItem(
            kind="project",
            remote_id="P1",
            data={"name": "One", "parent": "PF"},
            remote_version="2026-01-02T03:04:05Z",
            remote_url="https://pmis.example/projects/1",
        ),
    ]
    ws.import_from("fake", "https://bot:s3cret@pmis.example/")
    ref = ws.store.get("external_ref", "fake:project:P1")
    assert ref is not None
    assert ref.data["remote_version"] == "2026-01-02T03:04:05Z"
    assert ref.data["remote_url"] == "https://pmis.example/projects/1"
    assert ref.data["source"] == "https://pmis.example"
    # A new remote version with the same data is remembered, and the record is unchanged.
    source.items[1] = SourceItem(
        kind="project",
        remote_id="P1",
        data={"name": "One", "parent": "PF"},
        remote_version="2026-02-01T00:00:00Z",
        remote_url="https://pmis.example/projects/1",
    )
    result = ws.import_from("fake", "https://pmis.example/")
    assert result.counts()["update"] == 0
    ref = ws.store.get("external_ref", "fake:project:P1")
    assert ref is not None
    assert ref.data["remote_version"] == "2026-02-01T00:00:00Z"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("remote_url", "javascript:alert(1)", "remote_url: must be an http or https URL"),
        ("remote_url", "https://u:pw@pmis.example/1", "remote_url: holds credentials"),
        ("remote_url", "https://pmis.example/?api_key=abc", "remote_url: holds credentials"),
        ("remote_version", "a\nb", "remote_version: "),
    ],
)
def test_a_bad_remote_version_or_url_is_refused_with_its_place(
    ws: Workspace, source: FakeSource, field: str, value: str, expected: str
) -> None:
    source.items = [
        SourceItem(
            kind="portfolio", remote_id="PF", data={"name": "P"}, where="fake:1", **{field: value}
        )
    ]
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("fake", "plan")
    assert caught.value.where == "fake:1"
    assert caught.value.message.startswith(expected)
    assert ws.store.count("portfolio") == 0


# ---------------------------------------------------------------------- conflicts


def _project(**data: Any) -> list[SourceItem]:
    return [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", **{"name": "One", "parent": "PF", "manager": "Ann", **data}),
    ]


def _edit_here(ws: Workspace, **changes: Any) -> None:
    doc = ws.store.get("project", "P1")
    assert doc is not None
    with ws.transaction("edit here") as tx:
        tx.update("project", "P1", {**doc.data, **changes}, expected_version=doc.version)


@pytest.fixture
def synced(ws: Workspace, source: FakeSource) -> Workspace:
    source.items = _project()
    ws.import_from("fake", "plan")
    return ws


def test_a_field_changed_only_here_is_kept_when_the_source_changes_another(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(name="One renamed")

    result = synced.import_from("fake", "plan", on_conflict="manual")

    project = _doc(synced, "project", "P1")
    assert (project["name"], project["manager"]) == ("One renamed", "New PM")
    assert result.conflict_count == 0
    assert synced.sync_conflicts() == []
    # Nor does the next run, with the source still as it was, undo the local edit.
    source.items = _project(name="One renamed", description="More")
    synced.import_from("fake", "plan")
    assert _doc(synced, "project", "P1")["manager"] == "New PM"


def test_the_same_change_on_both_sides_is_no_conflict(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="Bo")
    source.items = _project(manager="Bo")
    result = synced.import_from("fake", "plan", on_conflict="manual")
    assert result.conflict_count == 0
    assert _doc(synced, "project", "P1")["manager"] == "Bo"


def test_source_wins_takes_the_source_value_and_records_the_conflict(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")

    result = synced.import_from("fake", "plan", on_conflict="source-wins")

    assert _doc(synced, "project", "P1")["manager"] == "Cy"
    assert result.conflict_count == 1
    (conflict,) = result.conflicts
    assert (conflict["field"], conflict["local"], conflict["remote"], conflict["base"]) == (
        "manager",
        "New PM",
        "Cy",
        "Ann",
    )
    assert "1 conflict(s), the source's value taken" in result.summary()
    assert synced.sync_conflicts() == []  # decided by the policy: nothing to resolve
    (kept,) = synced.sync_conflicts(include_closed=True)
    assert kept.status == "overwritten"


def test_local_wins_keeps_the_local_value_until_the_source_changes_again(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")

    result = synced.import_from("fake", "plan", on_conflict="local-wins")

    assert _doc(synced, "project", "P1")["manager"] == "New PM"
    assert result.conflict_count == 1
    ref = synced.store.get("external_ref", "fake:project:P1")
    assert ref is not None
    assert ref.data["remote_values"] == {"manager": "Cy"}
    # The source still says Cy: no new conflict, the local value stays, even under
    # source-wins (the source did not change it since).
    source.items = _project(manager="Cy", description="More")
    again = synced.import_from("fake", "plan", on_conflict="source-wins")
    assert again.conflict_count == 0
    assert _doc(synced, "project", "P1")["manager"] == "New PM"
    # The source changes it again: a conflict again.
    source.items = _project(manager="Di", description="More")
    third = synced.import_from("fake", "plan", on_conflict="local-wins")
    assert third.conflict_count == 1
    assert third.conflicts[0]["remote"] == "Di"
    assert _doc(synced, "project", "P1")["manager"] == "New PM"


def test_manual_keeps_the_local_value_and_lists_the_conflict_to_resolve(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy", name="One renamed")
    journal = len(synced.journal())

    result = synced.import_from("fake", "plan", on_conflict="manual")

    project = _doc(synced, "project", "P1")
    # Nothing overwritten; the field without conflict is taken.
    assert (project["manager"], project["name"]) == ("New PM", "One renamed")
    (conflict,) = synced.sync_conflicts()
    assert (conflict.status, conflict.field, conflict.local, conflict.remote) == (
        "open",
        "manager",
        "New PM",
        "Cy",
    )
    assert conflict.run == result.sync_run
    assert "pmo sync conflicts" in result.summary()
    kinds = [e.kind for e in synced.journal()[journal:]]
    assert sorted(kinds) == ["external_ref", "project", "sync_conflict", "sync_run"]
    # Re-running with the source as it is raises no second conflict.
    synced.import_from("fake", "plan", on_conflict="manual")
    assert len(synced.sync_conflicts()) == 1
    # The source changes it once more: still one conflict, brought up to date.
    source.items = _project(manager="Di", name="One renamed")
    synced.import_from("fake", "plan", on_conflict="manual")
    (conflict,) = synced.sync_conflicts()
    assert conflict.remote == "Di"

    resolved = synced.resolve_conflict(conflict.id[:6], keep="remote")

    assert (resolved.status, resolved.kept) == ("resolved", "remote")
    assert _doc(synced, "project", "P1")["manager"] == "Di"
    assert synced.sync_conflicts() == []
    ref = synced.store.get("external_ref", "fake:project:P1")
    assert ref is not None
    assert "remote_values" not in ref.data
    # And the next sync with the source unchanged is quiet.
    again = synced.import_from("fake", "plan", on_conflict="manual")
    assert again.conflict_count == 0
    assert _doc(synced, "project", "P1")["manager"] == "Di"


def test_resolving_by_keeping_the_local_value(synced: Workspace, source: FakeSource) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="manual")
    (conflict,) = synced.sync_conflicts()

    synced.resolve_conflict(conflict.id, keep="local")

    assert _doc(synced, "project", "P1")["manager"] == "New PM"
    with pytest.raises(ConflictError, match="is resolved, not open"):
        synced.resolve_conflict(conflict.id, keep="remote")
    source.items = _project(manager="Cy", description="More")
    assert synced.import_from("fake", "plan", on_conflict="manual").conflict_count == 0
    assert _doc(synced, "project", "P1")["manager"] == "New PM"


def test_a_dry_run_lists_the_conflicts_and_writes_nothing(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    journal = len(synced.journal())

    plan = synced.import_from("fake", "plan", on_conflict="manual", dry_run=True)

    assert plan.conflict_count == 1
    assert plan.as_dict()["conflicts"][0]["field"] == "manager"
    assert len(synced.journal()) == journal


def test_an_unknown_policy_is_refused(synced: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="on_conflict must be one of"):
        synced.import_from("fake", "plan", on_conflict="theirs")  # type: ignore[arg-type]


def test_a_conflict_id_must_be_long_enough_and_known(synced: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="at least 4 characters"):
        synced.resolve_conflict("ab", keep="local")
    with pytest.raises(NotFoundError):
        synced.resolve_conflict("abcdef", keep="local")


# ---------------------------------------------------------------------- deletions


def test_a_full_read_archives_what_the_source_no_longer_holds(
    ws: Workspace, source: FakeSource
) -> None:
    ws.import_from("fake", "plan")
    t2 = _key(ws, "work_item", "T2")
    before = ws.metrics("P1")
    assert before.work_items == 3
    source.items = [i for i in _plan() if i.remote_id not in ("T2", "M1")]
    source.items[2] = _item("work_item", "T3", project="P1", subject="Build", parent="T1")

    plan = ws.import_from("fake", "plan", dry_run=True)
    assert plan.counts()["archive"] == 2
    assert ws.store.get("work_item", t2).data.get("archived_on") is None  # type: ignore[union-attr]

    result = ws.import_from("fake", "plan")

    archived = {(i.kind, i.remote_id) for i in result.items if i.op == "archive"}
    assert archived == {("work_item", "T2"), ("milestone", "M1")}
    doc = ws.store.get("work_item", t2)
    assert doc is not None
    assert doc.data["archived_on"] == ws.today().isoformat()  # archived, never deleted
    assert "archived 2" in result.summary()
    assert [w.subject for w in ws.view().work_items("P1")] == ["Build", "Phase"]
    assert ws.view().milestones("P1") == []
    # Out of every figure too.
    after = ws.metrics("P1")
    assert after.work_items == 2
    # Another source of the same connector is not this one: nothing of it is archived.
    source.items = [_item("work_item", "X1", project="P1", subject="Other")]
    other = ws.import_from("fake", "elsewhere")
    assert other.counts()["archive"] == 0


def test_a_tombstone_archives_an_entity_and_unknown_tombstones_are_ignored(
    ws: Workspace, source: FakeSource
) -> None:
    source.sync = True
    source.watermark = "w1"
    ws.import_from("fake", "plan")
    source.items = [
        SourceItem(kind="project", remote_id="P1", data={}, deleted=True, where="fake:P1"),
        SourceItem(kind="work_item", remote_id="NEVER", data={}, deleted=True),
    ]
    source.watermark = "w2"
    result = ws.import_from("fake", "plan")
    assert result.counts()["archive"] == 1
    assert ws.get("P1").archived


def test_a_tombstone_of_a_kind_that_cannot_be_archived_is_refused(
    ws: Workspace, source: FakeSource
) -> None:
    source.items = [
        *_project(),
        _item("raid", "R1", entity="P1", type="risk", title="Vendor late"),
    ]
    ws.import_from("fake", "plan")
    source.items = [SourceItem(kind="raid", remote_id="R1", data={}, deleted=True, where="f:9")]
    with pytest.raises(InvalidInputError, match="raid records cannot be archived") as caught:
        ws.import_from("fake", "plan", full=False)
    assert caught.value.where == "f:9"


def test_an_incremental_read_starts_at_the_watermark_and_archives_nothing_missing(
    ws: Workspace, source: FakeSource
) -> None:
    source.sync = True
    source.watermark = "2026-01-01T00:00:00Z"
    first = ws.import_from("fake", "plan")
    assert source.requests[-1].since is None  # nothing before: a full read
    (run,) = ws.sync_runs()
    assert (run.mode, run.watermark, run.id) == ("full", "2026-01-01T00:00:00Z", first.sync_run)

    source.items = [_item("work_item", "T1", project="P1", subject="Phase 1")]
    source.watermark = "2026-01-02T00:00:00Z"
    second = ws.import_from("fake", "plan")

    assert source.requests[-1].since == "2026-01-01T00:00:00Z"
    assert second.counts()["archive"] == 0  # an incremental read is not the whole source
    latest = ws.sync_runs()[0]
    assert (latest.mode, latest.since, latest.watermark) == (
        "incremental",
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
    )
    # --full reads everything again, and archives what is gone.
    source.items = _plan()[:3]
    full = ws.import_from("fake", "plan", full=True)
    assert source.requests[-1].since is None
    assert full.counts()["archive"] == 3
    # A dry run records no run and moves no watermark.
    ws.import_from("fake", "plan", dry_run=True)
    assert len(ws.sync_runs()) == 3


def test_a_bad_watermark_is_the_connectors_error(ws: Workspace, source: FakeSource) -> None:
    source.sync = True
    source.watermark = "two\nlines"
    with pytest.raises(InvalidInputError, match="gave the watermark"):
        ws.import_from("fake", "plan")
    assert ws.store.count("work_item") == 0


@pytest.mark.parametrize("kind", ["external_ref", "sync_run", "sync_conflict"])
def test_the_imports_own_records_cannot_be_imported(
    ws: Workspace, source: FakeSource, kind: str
) -> None:
    source.items = [SourceItem(kind=kind, remote_id="X", data={}, where="f:1")]
    with pytest.raises(InvalidInputError, match=f"{kind} records cannot be imported"):
        ws.import_from("fake", "plan")


# ---------------------------------------------------------------------- errors


def test_every_problem_of_a_source_is_said_at_once_and_nothing_is_written(
    ws: Workspace, source: FakeSource
) -> None:
    source.items = [
        *_project(),
        _item("work_item", "W1", project="P1", subject="Fine"),
        _item("work_item", "W2", project="P1", subject="Bad", percent_complete=140),
        _item("unknown", "U1"),
        _item("work_item", "W1", project="P1", subject="Twice"),
        _item("work_item", "W3", project="P1", subject="Orphan", parent="NOPE"),
    ]
    for dry_run in (True, False):
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("fake", "plan", dry_run=dry_run)
        error = caught.value
        assert error.message == "4 items refused; nothing was written"
        assert [p.where for p in error.problems] == ["fake:U1", "fake:W1", "fake:W2", "fake:W3"]
        assert "percent_complete" in error.problems[2].message
        assert "appears twice" in error.problems[1].message
        assert ws.journal() == []


def test_reading_stops_at_the_limit_of_problems(
    ws: Workspace, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "MAX_PROBLEMS", 3)
    read: list[str] = []

    def items() -> Iterator[SourceItem]:
        for n in range(10):
            read.append(str(n))
            yield _item("nope", f"X{n}")

    source.read = lambda request: items()  # type: ignore[method-assign]
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("fake", "plan")
    assert caught.value.message == (
        "3 items refused (reading stopped at the first 3); nothing was written"
    )
    assert len(read) == 3


def test_a_record_the_source_has_again_comes_back_but_not_one_archived_here(
    ws: Workspace, source: FakeSource
) -> None:
    ws.import_from("fake", "plan")
    t2 = _key(ws, "work_item", "T2")
    gone = [i for i in _plan() if i.remote_id != "T2"]
    source.items = gone
    ws.import_from("fake", "plan")
    assert _doc(ws, "work_item", "T2")["archived_on"] is not None

    source.items = _plan()
    back = ws.import_from("fake", "plan")

    assert [(i.op, i.id) for i in back.items if i.remote_id == "T2"] == [("update", t2)]
    assert "archived_on" not in _doc(ws, "work_item", "T2")
    # An entity archived here (not by a sync) stays archived when the source still has it.
    ws.archive("P1")
    ws.import_from("fake", "plan")
    assert ws.get("P1").archived


def test_a_cost_entry_names_its_work_item_by_source_id(ws: Workspace, source: FakeSource) -> None:
    source.items = [
        *_plan(),
        _item("cost_entry", "C1", project="P1", work_item="T2", incurred_on="2026-01-05",
              amount="120 EUR"),
    ]  # fmt: skip
    ws.import_from("fake", "plan")
    assert _doc(ws, "cost_entry", "C1")["work_item"] == _key(ws, "work_item", "T2")


def test_a_baseline_names_its_work_items_by_source_id(ws: Workspace, source: FakeSource) -> None:
    source.items = [
        *_plan(),
        _item("baseline", "B0", project="P1", number=0, taken_on="2026-01-05", cost="100 EUR",
              items=[{"work_item": "T1", "cost": "60 EUR"}, {"work_item": "T2"}]),
    ]  # fmt: skip
    ws.import_from("fake", "plan")
    items = _doc(ws, "baseline", "B0")["items"]
    assert [i["work_item"] for i in items] == [
        _key(ws, "work_item", "T1"),
        _key(ws, "work_item", "T2"),
    ]


# ---------------------------------------------------------------------- boundaries


def test_a_full_read_archives_children_before_their_parents(
    ws: Workspace, source: FakeSource
) -> None:
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        _item("program", "PG", name="Program", parent="PF"),
        _item("project", "P1", name="One", parent="PG"),
        _item("milestone", "M1", project="P1", name="Go-live"),
        _item("work_item", "T1", project="P1", subject="Phase"),
    ]
    ws.import_from("fake", "plan")
    source.items = []

    result = ws.import_from("fake", "plan", options={"allow_empty": True})

    kinds = [i.kind for i in result.items if i.op == "archive"]
    assert kinds[:2] == ["milestone", "work_item"] or kinds[:2] == ["work_item", "milestone"]
    assert kinds[2:] == ["project", "program", "portfolio"]


def test_a_full_read_archives_only_what_its_own_source_gave(
    ws: Workspace, source: FakeSource
) -> None:
    # "alpha.csv" sorts before "beta.csv": only the source named counts, not one before it.
    source.items = [_item("portfolio", "PF", name="Portfolio")]
    ws.import_from("fake", "alpha.csv")
    source.items = [_item("portfolio", "PX", name="Other")]
    ws.import_from("fake", "beta.csv")
    source.items = []

    result = ws.import_from("fake", "beta.csv", options={"allow_empty": True})

    assert [(i.op, i.remote_id) for i in result.items] == [("archive", "PX")]
    assert not ws.get("PF").archived


def test_the_reference_of_an_archived_record_keeps_what_it_names_and_forgets_its_digest(
    ws: Workspace, source: FakeSource
) -> None:
    ws.import_from("fake", "plan")
    before = ws.store.get("external_ref", "fake:work_item:T2")
    assert before is not None
    assert before.data.get("source_hash")
    source.items = [i for i in _plan() if i.remote_id != "T2"]

    ws.import_from("fake", "plan")

    after = ws.store.get("external_ref", "fake:work_item:T2")
    assert after is not None
    assert "source_hash" not in after.data
    assert after.data["archived_on"] == ws.today().isoformat()
    kept = {k: v for k, v in before.data.items() if k != "source_hash"}
    assert {k: after.data[k] for k in kept} == kept


@pytest.mark.parametrize("field", ["description", "manager"])  # before and after "id"
def test_a_field_changed_on_both_sides_is_a_conflict_whatever_its_name(
    synced: Workspace, source: FakeSource, field: str
) -> None:
    _edit_here(synced, **{field: "Here"})
    source.items = _project(**{field: "There"})
    result = synced.import_from("fake", "plan", on_conflict="manual")
    assert result.conflict_count == 1
    (conflict,) = synced.sync_conflicts()
    assert (conflict.field, conflict.local, conflict.remote) == (field, "Here", "There")
    assert conflict.connector == "fake"
    assert conflict.source.endswith("plan")  # the source read, as the sync run names it


def test_a_local_value_sorting_before_the_synced_one_is_still_a_change_here(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="Al")  # "Al" sorts before "Ann", the value synced
    source.items = _project(manager="Cy")
    result = synced.import_from("fake", "plan", on_conflict="local-wins")
    assert result.conflict_count == 1
    assert _doc(synced, "project", "P1")["manager"] == "Al"


def test_an_id_in_the_source_data_is_not_compared_and_the_other_fields_are(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        SourceItem(
            kind="project", remote_id="P1", where="fake:P1",
            data={"id": "P1", "name": "One", "parent": "PF", "manager": "Cy"},
        ),
    ]  # fmt: skip
    result = synced.import_from("fake", "plan", on_conflict="manual")
    assert result.conflict_count == 1
    assert result.conflicts[0]["field"] == "manager"


def test_conflicts_of_every_record_of_a_run_are_recorded(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    # The portfolio changes without conflict and comes first; the project's conflict after.
    source.items = [
        _item("portfolio", "PF", name="Portfolio renamed"),
        *_project(manager="Cy")[1:],
    ]
    synced.import_from("fake", "plan", on_conflict="manual")
    assert [c.field for c in synced.sync_conflicts()] == ["manager"]


def test_a_policy_given_as_a_string_made_at_run_time_is_read_by_value(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="".join(["man", "ual"]))  # type: ignore[arg-type]
    source.items = _project(manager="Di")
    synced.import_from("fake", "plan", on_conflict="".join(["man", "ual"]))  # type: ignore[arg-type]
    (conflict,) = synced.sync_conflicts()  # one conflict brought up to date, not two
    assert conflict.remote == "Di"


def test_local_wins_leaves_an_open_conflict_of_a_manual_run_open(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="manual")
    source.items = _project(manager="Di")

    synced.import_from("fake", "plan", on_conflict="local-wins")

    (still_open,) = synced.sync_conflicts()
    assert (still_open.status, still_open.remote) == ("open", "Cy")
    statuses = sorted(c.status for c in synced.sync_conflicts(include_closed=True))
    assert statuses == ["kept-local", "open"]


def test_a_new_conflict_after_one_was_resolved_is_a_new_open_conflict(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="manual")
    (first,) = synced.sync_conflicts()
    synced.resolve_conflict(first.id, keep="local")
    _edit_here(synced, manager="Newer PM")
    source.items = _project(manager="Di")

    synced.import_from("fake", "plan", on_conflict="manual")

    (second,) = synced.sync_conflicts()
    assert second.id != first.id
    assert (second.local, second.remote) == ("Newer PM", "Di")
    resolved = [c for c in synced.sync_conflicts(include_closed=True) if c.id == first.id]
    assert [c.status for c in resolved] == ["resolved"]


def test_archiving_work_by_a_full_read_asks_for_its_projects_plan_to_be_checked_once(
    ws: Workspace, source: FakeSource
) -> None:
    # A forecast may now be beyond tolerance: the project (not each work item) is checked.
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("work_item", "W1", project="P1", subject="One"),
        _item("work_item", "W2", project="P1", subject="Two"),
    ]
    ws.import_from("fake", "plan")
    source.items = source.items[:2]
    phases: list[tuple[str, int, int]] = []

    ws.import_from("fake", "plan", progress=lambda *step: phases.append(step))

    assert [p for p in phases if p[0] == "archive"] == [("archive", 0, None), ("archive", 2, 2)]
    assert [p for p in phases if p[0] == "plans"] == [("plans", 0, 1), ("plans", 1, 1)]


def test_a_record_deleted_here_is_not_archived_when_its_source_drops_it(
    ws: Workspace, source: FakeSource
) -> None:
    source.items = [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("work_item", "W1", project="P1", subject="One"),
    ]
    ws.import_from("fake", "plan")
    doc = ws.store.get("work_item", _key(ws, "work_item", "W1"))
    assert doc is not None
    with ws.transaction("deleted here") as tx:
        tx.delete("work_item", doc.id, expected_version=doc.version)
    source.items = source.items[:2]

    result = ws.import_from("fake", "plan")

    assert result.counts()["archive"] == 0


def test_a_manual_run_after_local_wins_opens_its_own_conflict(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="local-wins")
    source.items = _project(manager="Di")

    synced.import_from("fake", "plan", on_conflict="manual")

    (opened,) = synced.sync_conflicts()
    assert opened.remote == "Di"
    statuses = sorted((c.status, c.remote) for c in synced.sync_conflicts(include_closed=True))
    assert statuses == [("kept-local", "Cy"), ("open", "Di")]


class _OtherSource(FakeSource):
    """A second connector, feeding the same records as the first."""

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(name="other", capabilities=frozenset({"read"}), read=self.read)


@pytest.mark.parametrize("first", ["fake", "other"])  # one name sorts before the other
def test_conflicts_of_two_connectors_on_one_record_stay_apart(first: str) -> None:
    fake, other = FakeSource(_project()), _OtherSource(_project())
    sources = {"fake": fake, "other": other}
    second = "other" if first == "fake" else "fake"
    with Workspace.in_memory(plugins=sources) as ws:
        ws.import_from("fake", "plan")
        ws.import_from("other", "plan")
        _edit_here(ws, manager="New PM")

        def run(name: str, manager: str) -> None:
            sources[name].items = _project(manager=manager)
            ws.import_from(name, "plan", on_conflict="manual")

        def opened() -> list[tuple[str, object]]:
            return sorted((c.ref, c.remote) for c in ws.sync_conflicts())

        run(first, "Cy")
        run(second, "Di")  # its own conflict, beside the other connector's
        assert opened() == sorted([(f"{first}:project:P1", "Cy"), (f"{second}:project:P1", "Di")])
        run(first, "Ed")  # brings its own conflict up to date, not the other's
        assert opened() == sorted([(f"{first}:project:P1", "Ed"), (f"{second}:project:P1", "Di")])


def test_source_wins_after_a_manual_run_records_its_own_decision(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="manual")
    source.items = _project(manager="Di")

    synced.import_from("fake", "plan", on_conflict="source-wins")

    assert _doc(synced, "project", "P1")["manager"] == "Di"
    statuses = sorted((c.status, c.remote) for c in synced.sync_conflicts(include_closed=True))
    assert statuses == [("open", "Cy"), ("overwritten", "Di")]


def test_a_waiting_conflict_is_brought_up_to_date_beside_a_new_one(
    synced: Workspace, source: FakeSource
) -> None:
    _edit_here(synced, manager="New PM")
    source.items = _project(manager="Cy")
    synced.import_from("fake", "plan", on_conflict="manual")
    _edit_here(synced, name="Named here")
    # "name" comes before "manager" in the item: a new conflict, then the waiting one.
    source.items = _project(name="Named there", manager="Di")

    synced.import_from("fake", "plan", on_conflict="manual")

    opened = sorted((c.field, c.remote) for c in synced.sync_conflicts())
    assert opened == [("manager", "Di"), ("name", "Named there")]


def test_a_record_edited_hundreds_of_times_is_reconciled_from_its_synced_version(
    pmo_workspace_factory: Callable[..., Workspace],
) -> None:
    # Versions above 256 are ints Python does not share: the journal's and the reference's
    # (read back from SQLite) are compared by value.
    source = FakeSource(_project())
    ws = pmo_workspace_factory(plugins={"fake": source}, store="sqlite")
    ws.import_from("fake", "plan")
    for n in range(300):
        _edit_here(ws, description=f"edit {n}")
    _edit_here(ws, manager="New PM")
    source.items = _project(manager="Cy")
    assert ws.import_from("fake", "plan", on_conflict="local-wins").conflict_count == 1
    _edit_here(ws, name="Named here")  # only here

    source.items = _project(manager="Cy", description="From the source")

    again = ws.import_from("fake", "plan", on_conflict="local-wins")

    # Each side changed its own field since that sync: no conflict, both changes stand.
    assert again.conflict_count == 0
    project = _doc(ws, "project", "P1")
    assert (project["name"], project["description"]) == ("Named here", "From the source")
