"""The import / export engine, with small connectors defined in the tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from pmo_core import (
    ConnectorRequest,
    InvalidInputError,
    PluginError,
    PmoConnector,
    PmoCustomFields,
    SourceItem,
    Workspace,
    hookimpl,
)


class Finance(BaseModel):
    cost_centre: str
    business_unit: str | None = None


class ListConnector:
    """Reads the items it is given; writes what it is asked to into ``written``."""

    def __init__(self, items: list[SourceItem]) -> None:
        self.items = items
        self.written: list[SourceItem] = []

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        yield from self.items

    def write(self, request: ConnectorRequest) -> None:
        self.written = list(request.items)

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(
            name="list",
            capabilities=frozenset({"read", "write"}),
            read=self.read,
            write=self.write,
        )

    @hookimpl
    def pmo_custom_fields(self) -> Iterator[PmoCustomFields]:
        yield PmoCustomFields(name="finance", kinds=("project",), model=Finance)


def _item(kind: str, rid: str, line: int, **data: Any) -> SourceItem:
    return SourceItem(
        kind=kind, remote_id=rid, data=data, where=f"src.txt:{line}", columns={"budget": 5}
    )


def _portfolio() -> list[SourceItem]:
    return [
        _item("portfolio", "PF", 1, name="Portfolio"),
        _item("project", "P1", 2, name="One", parent="PF", budget="1000 EUR"),
        _item("work_item", "W1", 3, project="P1", subject="Design", budget="400 EUR"),
    ]


@pytest.fixture
def connector() -> ListConnector:
    return ListConnector(_portfolio())


@pytest.fixture
def ws(connector: ListConnector) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"list": connector}) as workspace:
        yield workspace


def test_dry_run_writes_nothing_and_reports_the_plan(ws: Workspace) -> None:
    result = ws.import_from("list", "src.txt", dry_run=True)
    assert result.counts() == {"create": 3, "update": 0, "unchanged": 0, "archive": 0}
    assert ws.journal() == []
    assert ws.view().entities() == []


def test_import_is_idempotent(ws: Workspace) -> None:
    first = ws.import_from("list", "src.txt")
    assert first.counts()["create"] == 3
    journal = len(ws.journal())
    second = ws.import_from("list", "src.txt")
    assert second.counts() == {"create": 0, "update": 0, "unchanged": 3, "archive": 0}
    # Nothing changed; only the run itself is recorded.
    assert [e.kind for e in ws.journal()[journal:]] == ["sync_run"]


def test_update_diff_names_changed_fields(ws: Workspace, connector: ListConnector) -> None:
    ws.import_from("list", "src.txt")
    connector.items[1] = _item("project", "P1", 2, name="One renamed", parent="PF")
    result = ws.import_from("list", "src.txt")
    (update,) = [i for i in result.items if i.op == "update"]
    assert update.id == "P1"
    assert update.changes == {"name": ("One", "One renamed")}
    assert ws.get("P1").budget is not None  # a field the source omits keeps its value


def test_invalid_item_names_file_line_column_and_writes_nothing(
    ws: Workspace, connector: ListConnector
) -> None:
    connector.items.append(_item("project", "P2", 4, name="Two", parent="PF", budget="lots"))
    with pytest.raises(InvalidInputError) as exc:
        ws.import_from("list", "src.txt")
    assert exc.value.where == "src.txt:4:5"
    assert "budget" in str(exc.value)
    assert ws.journal() == []


def test_duplicate_remote_id_in_source_is_refused(ws: Workspace, connector: ListConnector) -> None:
    connector.items.append(_item("project", "P1", 9, name="Again", parent="PF"))
    with pytest.raises(InvalidInputError, match=r"appears twice \(first at src.txt:2\)"):
        ws.import_from("list", "src.txt")
    assert ws.journal() == []


def test_unknown_kind_and_missing_parent(ws: Workspace, connector: ListConnector) -> None:
    connector.items.append(_item("spaceship", "S1", 7))
    with pytest.raises(InvalidInputError, match="unknown record kind 'spaceship'"):
        ws.import_from("list", "src.txt")
    connector.items[-1] = _item("project", "P9", 7, name="Orphan", parent="NOWHERE")
    with pytest.raises(InvalidInputError) as exc:
        ws.import_from("list", "src.txt")
    assert exc.value.where == "src.txt:7"
    assert "NOWHERE" in exc.value.message
    assert ws.journal() == []


def test_hierarchy_violation_in_source(ws: Workspace, connector: ListConnector) -> None:
    connector.items.append(_item("program", "PG", 5, name="Program", parent="P1"))
    with pytest.raises(InvalidInputError, match="program"):
        ws.import_from("list", "src.txt")
    assert ws.journal() == []


def test_a_loop_of_parents_in_source_is_refused(ws: Workspace, connector: ListConnector) -> None:
    connector.items += [
        _item("project", "A", 4, name="A", parent="B"),
        _item("project", "B", 5, name="B", parent="A"),
    ]

    with pytest.raises(InvalidInputError, match=r"would sit under itself \(A -> B -> A\)"):
        ws.import_from("list", "src.txt", dry_run=True)
    with pytest.raises(InvalidInputError) as exc:
        ws.import_from("list", "src.txt")

    assert exc.value.where == "src.txt:4"
    assert ws.journal() == []


def test_one_key_for_two_kinds_is_refused(ws: Workspace, connector: ListConnector) -> None:
    # A program and a project under one key would both be stored; reads would see one.
    connector.items.append(_item("program", "P1", 4, name="Also P1", parent="PF"))
    with pytest.raises(InvalidInputError, match="'P1', which is already a project"):
        ws.import_from("list", "src.txt")
    assert ws.journal() == []

    ws.create("program", id="PG", name="Program")
    journal = ws.journal()
    connector.items[-1] = _item("project", "PG", 4, name="Project PG")
    with pytest.raises(InvalidInputError, match="'PG', which is already a program") as exc:
        ws.import_from("list", "src.txt")
    assert exc.value.where == "src.txt:4"
    assert ws.journal() == journal


def test_a_child_with_a_missing_owner_names_its_column(
    ws: Workspace, connector: ListConnector
) -> None:
    connector.items.append(
        SourceItem(
            kind="raid",
            remote_id="R1",
            data={"entity": "NOPE", "type": "risk", "title": "Vendor"},
            where="raid.csv:2",
            columns={"entity": 3},
        )
    )
    with pytest.raises(InvalidInputError, match="'NOPE', which does not exist") as exc:
        ws.import_from("list", "src.txt")
    assert exc.value.where == "raid.csv:2:3"
    assert ws.journal() == []


def test_the_import_bookkeeping_cannot_be_imported(ws: Workspace, connector: ListConnector) -> None:
    connector.items.append(_item("external_ref", "E1", 4, target="P1"))
    with pytest.raises(InvalidInputError, match="external_ref records cannot be imported"):
        ws.import_from("list", "src.txt")
    assert ws.journal() == []


def test_custom_fields_merge_per_field(ws: Workspace, connector: ListConnector) -> None:
    connector.items[1] = _item(
        "project",
        "P1",
        2,
        name="One",
        parent="PF",
        custom_fields={"finance": {"cost_centre": "CC-1", "business_unit": "Retail"}},
    )
    ws.import_from("list", "src.txt")
    connector.items[1] = _item(
        "project",
        "P1",
        2,
        name="One",
        parent="PF",
        custom_fields={"finance": {"cost_centre": "CC-2"}},
    )
    ws.import_from("list", "src.txt")
    assert ws.get("P1").custom_fields == {
        "finance": {"cost_centre": "CC-2", "business_unit": "Retail"}
    }


def test_export_uses_source_keys_so_reimport_updates(
    ws: Workspace, connector: ListConnector
) -> None:
    ws.import_from("list", "src.txt")
    count = ws.export_to("list", "out")
    assert count == 3
    keys = {(i.kind, i.remote_id) for i in connector.written}
    assert ("work_item", "W1") in keys
    connector.items = connector.written
    result = ws.import_from("list", "out")
    assert result.counts()["create"] == 0
    assert len(list(ws.store.query("work_item"))) == 1


def test_raising_connector_is_a_plugin_error_naming_it() -> None:
    class Broken:
        @hookimpl
        def pmo_connectors(self) -> Iterator[PmoConnector]:
            def read(request: ConnectorRequest) -> Iterator[SourceItem]:
                raise RuntimeError("socket closed")
                yield  # pragma: no cover

            yield PmoConnector(name="broken", capabilities=frozenset({"read"}), read=read)

    with Workspace.in_memory(plugins={"broken-plugin": Broken()}) as ws:
        with pytest.raises(PluginError, match=r"broken-plugin.*socket closed"):
            ws.import_from("broken", "x")
        assert ws.journal() == []


def test_capability_is_checked() -> None:
    class ReadOnly:
        @hookimpl
        def pmo_connectors(self) -> Iterator[PmoConnector]:
            yield PmoConnector(
                name="ro", capabilities=frozenset({"read"}), read=lambda request: iter(())
            )

    with (
        Workspace.in_memory(plugins={"ro": ReadOnly()}) as other,
        pytest.raises(InvalidInputError, match="cannot write"),
    ):
        other.export_to("ro", "out")


def test_settings_come_from_the_workspace_environment() -> None:
    class Settings(BaseModel):
        token: str = "unset"

    seen: list[Any] = []

    class WithSettings:
        @hookimpl
        def pmo_connectors(self) -> Iterator[PmoConnector]:
            yield PmoConnector(
                name="remote",
                capabilities=frozenset({"read"}),
                settings=Settings,
                read=lambda request: seen.append(request.settings) or [],
            )

    # An embedder passes its own environment; the process environment must not leak in.
    with Workspace.in_memory(
        plugins={"remote": WithSettings()}, environ={"PMO_REMOTE_TOKEN": "s3cret"}
    ) as ws:
        # The connector reads nothing: accepted, since the test is about its settings.
        ws.import_from("remote", "https://pmis.example.com", options={"allow_empty": True})

    assert [s.token for s in seen] == ["s3cret"]


def test_reimporting_an_export_of_records_made_here_updates_them(
    ws: Workspace, connector: ListConnector
) -> None:
    from pmo_core import WorkItem

    ws.import_from("list", "src.txt")
    made_here = ws.add(WorkItem(project="P1", subject="Made in the workspace"))
    ws.export_to("list", "out")
    connector.items = connector.written
    result = ws.import_from("list", "out")
    assert result.counts()["create"] == 0
    assert sorted(d.id for d in ws.store.query("work_item")).count(made_here.id) == 1
    assert len(list(ws.store.query("work_item"))) == 2


def test_workspace_settings_come_from_the_file_and_the_environment(tmp_path: Any) -> None:
    from pmo_core import NotFoundError, PmoSettings

    class Board(BaseModel):
        email: str
        quorum: int = 2

    class BoardPlugin:
        @hookimpl
        def pmo_settings(self) -> Iterator[PmoSettings]:
            yield PmoSettings(name="board", model=Board)

    config = tmp_path / "pmo.toml"
    config.write_text('[settings.board]\nemail = "board@acme.example"\nquorum = 3\n')
    ws = Workspace.in_memory(
        plugins={"board": BoardPlugin()}, root=tmp_path, environ={"PMO_BOARD_QUORUM": "5"}
    )
    ws.config = type(ws.config).load(tmp_path)
    assert ws.settings("board") == Board(email="board@acme.example", quorum=5)
    with pytest.raises(InvalidInputError) as exc:
        Workspace.in_memory(
            plugins={"board": BoardPlugin()}, root=tmp_path, environ={"PMO_BOARD_QUORUM": "x"}
        ).settings("board")
    assert exc.value.where is not None
    assert "[settings.board]" in exc.value.where
    with pytest.raises(NotFoundError, match="registered: board"):
        ws.settings("nope")


# ------------------------------------------------------- bad input refused where it is


def _located(item: SourceItem, **columns: int) -> SourceItem:
    return SourceItem(
        kind=item.kind, remote_id=item.remote_id, data=item.data, where=item.where, columns=columns
    )


def _refused(ws: Workspace, *, dry_run: bool = False) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("list", "src.txt", dry_run=dry_run)
    assert ws.journal() == []
    return caught.value


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_source_with_no_records_is_refused_unless_allowed(
    ws: Workspace, connector: ListConnector, dry_run: bool
) -> None:
    connector.items = []

    error = _refused(ws, dry_run=dry_run)

    assert error.where == "src.txt"
    assert error.message.startswith("holds no records to import")
    assert "pass options={'allow_empty': True} (pmo import --allow-empty)" in error.message
    assert "--allow-empty" in error.message
    allowed = ws.import_from("list", "src.txt", dry_run=dry_run, options={"allow_empty": True})
    assert allowed.items == ()
    # Nothing imported; a run that commits still records itself (who, when, what).
    assert [e.kind for e in ws.journal()] == ([] if dry_run else ["sync_run"])


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize(
    ("item", "where", "message"),
    [
        # Infinity passed the dry run and failed the write with no location before.
        (
            _located(
                _item("work_item", "W2", 4, project="P1", subject="s", work="Infinity"), work=6
            ),
            "src.txt:4:6",
            "work: Input should be a finite number (got 'Infinity')",
        ),
        (
            _located(
                _item("work_item", "W2", 4, project="P1", subject="s", work=float("nan")), work=6
            ),
            "src.txt:4:6",
            "work: Input should be a finite number (got nan)",
        ),
        (
            _item("project", "P2", 4, name="Two", budget="-Infinity EUR"),
            "src.txt:4:5",
            "budget.amount: Input should be a finite number (got '-Infinity EUR')",
        ),
        (
            _item("project", "P2", 4, name="Two", budget="-1 EUR"),
            "src.txt:4:5",
            "budget: must not be negative, got -1 EUR",
        ),
        # The value is said once, not again after a message that quotes it already.
        (
            _item("project", "P2", 4, name="Two", budget="lots"),
            "src.txt:4:5",
            "budget: money must look like '1200.50 EUR', got 'lots'",
        ),
        (
            _located(_item("project", "P2", 4, name="Tw\x1b]0;x\x07o"), name=2),
            "src.txt:4:2",
            "name: control character U+001B at position 3 (got 'Tw\\x1b]0;x\\x07o')",
        ),
        (
            _located(_item("project", "P2", 4, name="Two\x00"), name=2),
            "src.txt:4:2",
            "name: NUL character U+0000 at position 4 (got 'Two\\x00')",
        ),
        # The entity's key: located through the column of "id".
        (
            _located(_item("project", "P\x1b[2J", 4, name="Two"), id=1),
            "src.txt:4:1",
            "key: control character U+001B at position 2",
        ),
        (
            _located(_item("project", "K" * 65, 4, name="Two"), id=1),
            "src.txt:4:1",
            "key: 65 characters is too long: a key has at most 64",
        ),
        (
            _located(_item("project", "bad key", 4, name="Two"), id=1),
            "src.txt:4:1",
            "key: 'bad key' is not a valid key: use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or a digit",
        ),
        # A work item's key is the remote id of its reference: checked before the store
        # sees it (the store refused it only at the write, with no location).
        (
            _located(_item("work_item", "W\n2", 4, project="P1", subject="s"), id=1),
            "src.txt:4:1",
            "key: line break U+000A at position 2",
        ),
        (
            _located(_item("work_item", "W\u00a02", 4, project="P1", subject="s"), id=1),
            "src.txt:4:1",
            "key: invisible character U+00A0 at position 2: an id holds printable characters only",
        ),
        (
            _located(_item("work_item", "W" * 250, 4, project="P1", subject="s"), id=1),
            "src.txt:4:1",
            "key: 250 characters is too long: with the connector and the kind it makes the "
            "reference id 'list:work_item:WWWWWWWWWWWWWWW'... (265 characters), which has at "
            "most 255 characters",
        ),
    ],
)
def test_bad_input_is_refused_with_its_position_before_anything_is_written(
    ws: Workspace,
    connector: ListConnector,
    item: SourceItem,
    where: str,
    message: str,
    dry_run: bool,
) -> None:
    connector.items.append(item)

    error = _refused(ws, dry_run=dry_run)

    assert (error.where, error.message) == (where, message)


def test_a_huge_value_is_cut_in_the_message(ws: Workspace, connector: ListConnector) -> None:
    connector.items.append(_located(_item("project", "P2", 4, name="x" * 100_000), name=2))

    error = _refused(ws)

    assert error.where == "src.txt:4:2"
    assert error.message.startswith("name: 100,000 characters is too long")
    assert error.message.endswith(
        "(got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100000 characters))"
    )


def test_a_custom_field_a_plugin_model_lets_through_is_refused_with_its_column() -> None:
    class Rates(BaseModel):
        rate: float  # a plugin's model: pydantic allows infinity by default

    class Plugin(ListConnector):
        @hookimpl
        def pmo_custom_fields(self) -> Iterator[PmoCustomFields]:
            yield PmoCustomFields(name="rates", kinds=("project",), model=Rates)

    plugin = Plugin([_located(_item("project", "P1", 2, name="One"), custom_fields=4)])
    plugin.items[0] = _located(
        _item("project", "P1", 2, name="One", custom_fields={"rates": {"rate": "inf"}}),
        custom_fields=4,
    )
    with Workspace.in_memory(plugins={"list": plugin}) as ws:
        for dry_run in (True, False):
            with pytest.raises(InvalidInputError) as caught:
                ws.import_from("list", "src.txt", dry_run=dry_run)
            assert caught.value.where == "src.txt:2:4"
            assert "custom_fields.rates.rate" in caught.value.message
            assert "finite number" in caught.value.message
        assert ws.journal() == []


def test_a_record_the_store_could_not_hold_is_refused_with_its_location(
    ws: Workspace, connector: ListConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation leaves nothing that is not JSON, but if it ever did, the user sees where,
    in the dry run, not the store's "document data is not JSON-able" at the write."""
    from pmo_core import Project

    original = Project.to_document

    def leaky(self: Project) -> dict[str, Any]:
        return {**original(self), "budget": float("inf")}

    monkeypatch.setattr(Project, "to_document", leaky)
    for dry_run in (True, False):
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("list", "src.txt", dry_run=dry_run)
        assert caught.value.where == "src.txt:2:5"  # the budget column of P1
        assert caught.value.message.startswith("budget: cannot be stored as JSON (")
        assert "JSON-able" not in caught.value.message
    assert ws.journal() == []
