"""The import streamed in batches, its bounded result, the unchanged-row skip, ordered ids
and the streamed export; with batches of three items so that every source spans several."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pmo_core import (
    ConnectorRequest,
    ExternalRef,
    ImportResult,
    InvalidInputError,
    PmoConnector,
    SourceItem,
    Workspace,
    hookimpl,
)
from pmo_core._domain._base import new_id, ordered_ids
from pmo_core._services import importing
from pmo_core._services.diff import DiffCollector, DiffItem
from pmo_core._services.scratch import ScratchMap


class StreamConnector:
    """Yields its items one by one and notes how far the import had got at each."""

    def __init__(self, items: list[SourceItem], name: str = "stream") -> None:
        self.items = items
        self.name = name
        self.ws: Workspace | None = None
        self.stored_when_read: list[int] = []
        self.written: list[SourceItem] = []
        self.given: Any = None

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        for item in self.items:
            if self.ws is not None:
                # The same store object sees the open transaction's writes.
                self.stored_when_read.append(self.ws.store.count("work_item"))
            yield item

    def write(self, request: ConnectorRequest) -> None:
        self.given = request.items
        self.written = list(request.items)

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(
            name=self.name, capabilities=frozenset({"read", "write"}), read=self.read,
            write=self.write,
        )  # fmt: skip


def _item(kind: str, rid: str, line: int, **data: Any) -> SourceItem:
    return SourceItem(kind=kind, remote_id=rid, data=data, where=f"src.csv:{line}")


def _source(items: int = 10) -> list[SourceItem]:
    return [
        _item("portfolio", "PF", 2, name="Portfolio"),
        _item("project", "P1", 3, name="One", parent="PF", currency="EUR"),
        *(
            _item("work_item", f"W{n}", 4 + n, project="P1", subject=f"Item {n}")
            for n in range(items)
        ),
    ]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH_SIZE", 3)


@pytest.fixture
def connector() -> StreamConnector:
    return StreamConnector(_source())


@pytest.fixture
def ws(connector: StreamConnector) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"stream": connector}) as workspace:
        connector.ws = workspace
        yield workspace


def test_items_are_written_a_batch_at_a_time_in_one_transaction(
    ws: Workspace, connector: StreamConnector
) -> None:
    result = ws.import_from("stream", "src.csv")

    assert result.counts() == {"create": 12, "update": 0, "unchanged": 0, "archive": 0}
    # Read as the import goes: the first batches are written before the last items are read.
    assert connector.stored_when_read[-1] >= 6
    assert connector.stored_when_read[0] == 0
    # One transaction for the whole import, refs included.
    assert len({e.txn_id for e in ws.journal()}) == 1
    assert ws.store.count("work_item") == 10
    assert ws.store.count(ExternalRef.store_kind) == 12


def test_a_bad_row_in_a_late_batch_writes_nothing(
    ws: Workspace, connector: StreamConnector
) -> None:
    connector.items.append(_item("work_item", "WX", 40, project="P1", subject=""))

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("stream", "src.csv")

    assert caught.value.where == "src.csv:40"
    assert ws.journal() == []
    assert ws.store.count("work_item") == 0


def test_a_key_given_twice_in_different_batches_names_the_first(
    ws: Workspace, connector: StreamConnector
) -> None:
    connector.items.append(_item("work_item", "W1", 41, project="P1", subject="Again"))

    with pytest.raises(InvalidInputError, match=r"'W1' appears twice \(first at src.csv:5\)"):
        ws.import_from("stream", "src.csv")
    assert ws.journal() == []


def test_a_dry_run_plans_what_the_import_does_and_writes_nothing(ws: Workspace) -> None:
    planned = ws.import_from("stream", "src.csv", dry_run=True)
    assert ws.journal() == []

    done = ws.import_from("stream", "src.csv")

    assert planned.counts() == done.counts()
    assert (
        planned.by_kind
        == done.by_kind
        == {
            "portfolio": {"create": 1, "update": 0, "unchanged": 0, "archive": 0},
            "project": {"create": 1, "update": 0, "unchanged": 0, "archive": 0},
            "work_item": {"create": 10, "update": 0, "unchanged": 0, "archive": 0},
        }
    )
    assert [i.remote_id for i in planned.items] == [i.remote_id for i in done.items]


def test_an_unchanged_source_is_skipped_without_validation(
    ws: Workspace, connector: StreamConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.import_from("stream", "src.csv")
    journal = len(ws.journal())
    validated: list[str] = []
    original = importing._validate

    def counting(cls: Any, data: dict[str, Any], item: SourceItem) -> Any:
        validated.append(item.remote_id)
        return original(cls, data, item)

    monkeypatch.setattr(importing, "_validate", counting)

    again = ws.import_from("stream", "src.csv")

    assert again.counts() == {"create": 0, "update": 0, "unchanged": 12, "archive": 0}
    assert validated == []
    # Nothing changed; only the run itself is recorded.
    assert [e.kind for e in ws.journal()[journal:]] == ["sync_run"]

    # A changed source row is validated and updated; the others are still skipped.
    connector.items[5] = _item("work_item", "W3", 7, project="P1", subject="Renamed")
    changed = ws.import_from("stream", "src.csv")
    assert changed.counts() == {"create": 0, "update": 1, "unchanged": 11, "archive": 0}
    assert validated == ["W3"]


def test_a_record_changed_here_keeps_its_edit_when_the_source_did_not_change(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.import_from("stream", "src.csv")
    ref = ws.store.get(ExternalRef.store_kind, "stream:work_item:W2")
    assert ref is not None
    item = ws.store.get("work_item", ref.data["target"])
    assert item is not None
    # The record moved on here (a field the source carries), the source did not.
    with ws.transaction("edit") as tx:
        tx.update("work_item", item.id, {**item.data, "subject": "Edited here"},
                  expected_version=item.version)  # fmt: skip

    result = ws.import_from("stream", "src.csv")

    # An unchanged source never undoes a local edit (a sync, not a restore).
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 12, "archive": 0}
    edited = ws.store.get("work_item", item.id)
    assert edited is not None
    assert edited.data["subject"] == "Edited here"


def test_the_reference_document_is_what_the_model_makes(ws: Workspace) -> None:
    ws.import_from("stream", "src.csv")
    for doc in ws.store.query(ExternalRef.store_kind):
        ref = ExternalRef.from_document(doc.data, doc.version)
        assert ref.to_document() == doc.data
        assert ref.id == f"{ref.connector}:{ref.kind}:{ref.remote_id}"
        assert ref.source_hash is not None
        assert ref.target_version == 1


def test_a_row_may_refer_to_an_entity_of_an_earlier_batch(connector: StreamConnector) -> None:
    # Entities of a later batch than the work items: a second project, and its items.
    connector.items += [
        _item("project", "P2", 30, name="Two", parent="PF", currency="EUR"),
        *(_item("work_item", f"V{n}", 31 + n, project="P2", subject="v") for n in range(4)),
    ]
    with Workspace.in_memory(plugins={"stream": connector}) as ws:
        result = ws.import_from("stream", "src.csv")
        assert result.by_kind["project"]["create"] == 2
        owners = {d.owner for d in ws.store.query("work_item")}
        assert owners == {"P1", "P2"}


def test_the_result_keeps_the_first_diffs_and_counts_all() -> None:
    collector = DiffCollector(limit=3)
    for n in range(4):
        collector.add(DiffItem(op="unchanged", kind="work_item", id=f"U{n}", remote_id="u"))
    for n in range(5):
        collector.add(DiffItem(op="create", kind="work_item", id=f"C{n}", remote_id="c"))
    collector.add(DiffItem(op="update", kind="project", id="P", remote_id="p"))

    result = collector.result("csv", "x.csv", dry_run=False)

    assert [i.id for i in result.items] == ["C0", "C1", "C2"]  # changed ones first
    assert result.counts() == {"create": 5, "update": 1, "unchanged": 4, "archive": 0}
    assert result.omitted == 7
    as_dict = result.as_dict()
    assert as_dict["items_omitted"] == 3
    assert as_dict["by_kind"]["work_item"] == {
        "create": 5,
        "update": 0,
        "unchanged": 4,
        "archive": 0,
    }
    # Room left over goes to unchanged items, in the order met.
    small = DiffCollector(limit=3)
    small.add(DiffItem(op="unchanged", kind="k", id="U", remote_id="u"))
    small.add(DiffItem(op="create", kind="k", id="C", remote_id="c"))
    assert [i.id for i in small.result("c", "l", False).items] == ["U", "C"]


def test_a_result_built_from_items_alone_counts_them() -> None:
    result = ImportResult(
        connector="csv", location="x", dry_run=True,
        items=(DiffItem(op="create", kind="project", id="A", remote_id="A"),),
    )  # fmt: skip
    assert result.counts() == {"create": 1, "update": 0, "unchanged": 0, "archive": 0}
    assert result.as_dict()["by_kind"] == {
        "project": {"create": 1, "update": 0, "unchanged": 0, "archive": 0}
    }


def test_the_scratch_map_names_the_first_of_a_key_given_twice() -> None:
    with ScratchMap() as seen:
        assert seen.add_new([("a", "f:1"), ("b", "f:2")]) is None
        assert seen.add_new([("c", "f:3"), ("a", "f:4")]) == (1, "f:1")
        assert seen.add_new([("d", "f:5"), ("d", "f:6")]) == (1, "f:5")
        # A key seen before wins over a repeat later in the same batch.
        assert seen.add_new([("b", "f:7"), ("e", "f:8"), ("e", "f:9")]) == (0, "f:2")
        seen.put_many([("x", "1")])
        assert seen.get_many(["x", "y", "a"]) == {"x": "1", "a": "f:1"}


def test_ids_made_in_bulk_increase_and_others_differ_at_the_start() -> None:
    with ordered_ids():
        bulk = [new_id() for _ in range(2000)]
    assert bulk == sorted(bulk)
    assert len(set(bulk)) == 2000
    assert {len(i) for i in bulk} == {12}
    one_by_one = [new_id() for _ in range(200)]
    assert len(set(one_by_one)) == 200
    # Made one at a time, ids differ in their first characters (what a command takes).
    assert len({i[:4] for i in one_by_one}) > 190


def test_the_export_hands_the_connector_an_iterator(
    ws: Workspace, connector: StreamConnector
) -> None:
    ws.import_from("stream", "src.csv")

    count = ws.export_to("stream", "out")

    assert count == 12
    assert not isinstance(connector.given, (list, tuple))
    assert [(i.kind, i.remote_id) for i in connector.written][:3] == [
        ("portfolio", "PF"),
        ("project", "P1"),
        ("work_item", "W0"),
    ]
    assert sorted(i.remote_id for i in connector.written[2:]) == sorted(f"W{n}" for n in range(10))


def test_an_export_read_a_chunk_of_projects_at_a_time_is_the_one_read_project_by_project(
    ws: Workspace, connector: StreamConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmo_core._services import exchange

    ws.import_from("stream", "src.csv")  # P1's items go out under their source keys
    ws.create("program", id="PG", name="Program", parent="PF")
    for n, parent in enumerate(["PG", "PF", "PG", "PF", "PG"], start=2):
        ws.create("project", id=f"P{n}", name=f"Project {n}", parent=parent)
        for i in range(n % 3 + 1):  # P3 and P6 have one, P4 two, P2 and P5 three
            ws.add_work_item(f"P{n}", f"Item {n}.{i}")
    ws.create("project", id="P9", name="No work items", parent="PF")
    queries: list[Any] = []
    real_query = ws.store.query

    def query(kind: str, **kwargs: Any) -> Any:
        queries.append((kind, kwargs.get("owners")))
        return real_query(kind, **kwargs)

    def project_by_project(scope: str | None) -> list[tuple[str, str, Any]]:
        # The export as it was: the entities, then each project's work items in id order.
        view = ws.view()
        entities = view.entities(include_archived=True)
        if scope:
            entities = [view.entity(scope), *view.entities(under=scope, include_archived=True)]
        order = {"portfolio": 0, "program": 1, "project": 2}
        entities.sort(key=lambda e: (order[e.kind], e.id))
        out = [(e.kind, e.id, e.to_document(every_field=True)) for e in entities]
        refs = {
            str(target): str(remote)
            for ref, target, remote in ws.store.values(
                ExternalRef.store_kind, ["@id", "target", "remote_id"]
            )
            if str(ref).startswith("stream:work_item:")
        }
        for e in entities:
            if e.kind == "project":
                for doc in ws.store.query("work_item", owner=e.id):
                    out.append(("work_item", refs.get(doc.id, doc.id), doc.data))
        return out

    monkeypatch.setattr(exchange, "EXPORT_CHUNK_PROJECTS", 2)
    monkeypatch.setattr(ws.store, "query", query)
    for scope in (None, "PG", "P3"):
        expected = project_by_project(scope)
        queries.clear()
        count = ws.export_to("stream", "out", scope=scope)
        written = [(i.kind, i.remote_id, i.data) for i in connector.written]
        assert written == expected
        assert count == len(expected)
        projects = [key for kind, key, _ in expected if kind == "project"]
        chunks = [owners for kind, owners in queries if kind == "work_item"]
        assert chunks == [projects[i : i + 2] for i in range(0, len(projects), 2)]
    assert len(project_by_project(None)) == 2 + 7 + 10 + 10  # P1's ten, the others' ten


def test_an_export_names_the_records_from_its_source_by_their_source_keys(
    ws: Workspace, connector: StreamConnector
) -> None:
    connector.items = [
        *_source(3),
        _item("work_item", "W9", 8, project="P1", subject="Child", parent="W0"),
        _item("milestone", "M1", 9, project="P1", name="Go-live", due="2025-06-30"),
        _item("cost_entry", "C1", 10, project="P1", incurred_on="2025-02-01",
              amount="100 EUR", work_item="W1"),
        _item("forecast", "F1", 11, project="P1", as_of="2025-02-01", eac="900 EUR",
              work_item="W2"),
    ]  # fmt: skip
    ws.import_from("stream", "src.csv")
    local_w1 = ws.view().cost_entries("P1")[0].work_item
    assert local_w1 not in (None, "W1")  # stored under a key of its own
    ws.add_work_item("P1", "Made here")
    kinds = ("portfolio", "project", "work_item", "milestone", "cost_entry", "forecast")

    ws.export_to("stream", "out", kinds=kinds)

    out = {(i.kind, i.remote_id): i.data for i in connector.written}
    assert ("milestone", "M1") in out
    assert out[("cost_entry", next(k for c, k in out if c == "cost_entry"))]["work_item"] == "W1"
    assert next(d for (c, _), d in out.items() if c == "forecast")["work_item"] == "W2"
    assert out[("work_item", "W9")]["parent"] == "W0"
    made_here = [d for (c, k), d in out.items() if c == "work_item" and d["subject"] == "Made here"]
    assert len(made_here) == 1  # a record from no source keeps its own key

    # What went out reads into another workspace as one whole.
    again = StreamConnector(list(connector.written))
    with Workspace.in_memory(plugins={"stream": again}) as other:
        other.import_from("stream", "out")
        view = other.view()
        [entry] = view.cost_entries("P1")
        [item] = [w for w in view.work_items("P1") if w.id == entry.work_item]
        assert item.subject == "Item 1"


def test_an_export_through_another_connector_keeps_the_local_keys() -> None:
    source = StreamConnector([
        *_source(2),
        _item("cost_entry", "C1", 6, project="P1", incurred_on="2025-02-01",
              amount="100 EUR", work_item="W1"),
    ])  # fmt: skip
    copy = StreamConnector([], name="copy")
    with Workspace.in_memory(plugins={"stream": source, "copy": copy}) as ws:
        ws.import_from("stream", "src.csv")
        local = {w.subject: w.id for w in ws.view().work_items("P1")}

        ws.export_to("copy", "out", kinds=("project", "work_item", "cost_entry"))

    out = {(i.kind, i.remote_id): i.data for i in copy.written}
    assert {k for c, k in out if c == "work_item"} == set(local.values())
    [entry] = [d for (c, _), d in out.items() if c == "cost_entry"]
    assert entry["work_item"] == local["Item 1"]
