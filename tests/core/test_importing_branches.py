"""One import at its edges: an entity given again in a later batch, a deletion in the same
batch as new rows, more changes than the diff lists, and references an older import left
without the version of their record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from pmo_core import (
    ConnectorRequest,
    ExternalRef,
    InvalidInputError,
    PmoConnector,
    PmoStoreKind,
    SourceItem,
    Workspace,
    hookimpl,
)
from pmo_core._services import importing
from pmo_core._services.diff import ITEM_LIMIT


class FakeSource:
    """A connector over a list the test changes between runs."""

    def __init__(self, items: list[SourceItem]) -> None:
        self.items = items

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        yield from self.items

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(name="fake", capabilities=frozenset({"read"}), read=self.read)


def _item(kind: str, rid: str, where: str = "", **data: Any) -> SourceItem:
    return SourceItem(kind=kind, remote_id=rid, data=data, where=where or f"fake:{rid}")


def _plan() -> list[SourceItem]:
    return [
        _item("portfolio", "PF", name="Portfolio"),
        _item("project", "P1", name="One", parent="PF"),
        _item("work_item", "T1", project="P1", subject="Design"),
    ]


@pytest.fixture
def source() -> FakeSource:
    return FakeSource(_plan())


@pytest.fixture
def ws(source: FakeSource) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"fake": source}) as workspace:
        yield workspace


def test_an_entity_given_again_in_a_later_batch_is_refused_with_both_places(
    ws: Workspace, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second PF is a batch of its own: refused whole, naming where the first was."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    source.items = [
        _item("portfolio", "PF", "plan.csv:2", name="Portfolio"),
        _item("project", "P1", "plan.csv:3", name="One", parent="PF"),
        _item("portfolio", "PF", "plan.csv:4", name="Portfolio again"),
    ]

    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("fake", "plan")

    assert caught.value.where == "plan.csv:4"
    assert caught.value.message == "portfolio 'PF' appears twice (first at plan.csv:2)"
    assert (ws.store.count("portfolio"), ws.store.count("project")) == (0, 0)


def test_a_deletion_in_a_batch_of_new_rows_archives_one_and_writes_the_others(
    ws: Workspace, source: FakeSource
) -> None:
    ws.import_from("fake", "plan")
    portfolio, _, task = _plan()
    source.items = [
        portfolio,
        _item("project", "P2", name="Two", parent="PF"),
        SourceItem(kind="project", remote_id="P1", data={}, deleted=True, where="fake:P1"),
        _item("project", "P3", name="Three", parent="PF"),
        task,
    ]

    result = ws.import_from("fake", "plan")

    assert result.counts() == {"create": 2, "update": 0, "unchanged": 2, "archive": 1}
    assert ws.get("P1").archived
    assert [(p.name, p.archived) for p in ws.view().projects(under="PF")] == [
        ("Two", False),
        ("Three", False),
    ]


def test_every_change_is_counted_past_the_ones_the_diff_lists(
    ws: Workspace, source: FakeSource
) -> None:
    rows = ITEM_LIMIT + 50
    source.items = [
        *_plan()[:2],
        *(_item("work_item", f"T{n}", project="P1", subject=f"Task {n}") for n in range(rows)),
    ]

    created = ws.import_from("fake", "plan")

    assert created.counts()["create"] == rows + 2
    assert len(created.items) == ITEM_LIMIT
    assert created.by_kind["work_item"]["create"] == rows
    assert ws.store.count("work_item") == rows

    again = ws.import_from("fake", "plan")

    # Unchanged rows past the limit are counted too, and none is listed before a change.
    assert again.counts() == {"create": 0, "update": 0, "unchanged": rows + 2, "archive": 0}
    assert len(again.items) == ITEM_LIMIT
    assert {i.op for i in again.items} == {"unchanged"}


def test_a_reference_without_its_records_version_is_refreshed_not_trusted(
    ws: Workspace,
) -> None:
    """An older import left no target_version: the record is read and compared, found
    unchanged, and the reference is given the version so the next import can skip it."""
    ws.import_from("fake", "plan")
    kind = ExternalRef.store_kind
    with ws.transaction("written by an older version") as tx:
        for doc in list(tx.query(kind)):
            data = {k: v for k, v in doc.data.items() if k != "target_version"}
            tx.update(kind, doc.id, data, expected_version=doc.version, owner=data["target"])

    result = ws.import_from("fake", "plan")

    assert result.counts() == {"create": 0, "update": 0, "unchanged": 3, "archive": 0}
    refs = {doc.data["remote_id"]: doc.data for doc in ws.store.query(kind)}
    for remote_id in ("PF", "P1", "T1"):
        target = ws.store.get(refs[remote_id]["kind"], refs[remote_id]["target"])
        assert target is not None
        assert refs[remote_id]["target_version"] == target.version


class Template(BaseModel):
    name: str
    body: str


class TemplatesAndDump:
    """A plugin keeping templates of its own, and a whole-workspace connector that carries
    them and keeps the source's keys (as pmo-json does)."""

    def __init__(self, items: list[SourceItem]) -> None:
        self.items = items

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        yield from self.items

    @hookimpl
    def pmo_store_kinds(self) -> Iterator[PmoStoreKind]:
        yield PmoStoreKind(
            name="acme-template", kind="acme_template", model=Template, id_field="name"
        )

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(
            name="dump",
            capabilities=frozenset({"read"}),
            read=self.read,
            keeps_ids=True,
            plugin_kinds=True,
        )


def _template(rid: str, column: str = "", **data: Any) -> SourceItem:
    return SourceItem(
        kind="acme_template",
        remote_id=rid,
        data=data,
        where=f"dump.json:{rid}",
        columns={"body": "body"} if column else {},
    )


def test_a_plugins_own_record_is_imported_under_its_key_field() -> None:
    plugin = TemplatesAndDump(
        [*_plan()[:2], _template("status", id="ignored", name="draft", body="# Status")]
    )
    with Workspace.in_memory(plugins={"acme": plugin}) as ws:
        result = ws.import_from("dump", "dump.json")

        doc = ws.store.get("acme_template", "status")
        assert doc is not None
        # Its key is the source's key, written into its key field (name): the "id" the
        # source carried and the name it gave are not kept.
        assert dict(doc.data) == {"name": "status", "body": "# Status"}
        assert result.by_kind["acme_template"]["create"] == 1


@pytest.mark.parametrize(
    ("column", "where"), [("body", "dump.json:status:body"), ("", "dump.json:status")]
)
def test_a_plugins_record_its_model_refuses_is_refused_at_the_field(
    column: str, where: str
) -> None:
    plugin = TemplatesAndDump([*_plan()[:2], _template("status", column, body=None)])
    with Workspace.in_memory(plugins={"acme": plugin}) as ws:
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("dump", "dump.json")

        assert caught.value.where == where
        assert "body" in caught.value.message
        assert ws.store.count("project") == 0
