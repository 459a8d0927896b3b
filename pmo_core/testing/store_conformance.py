"""The store conformance suite: every store backend proves itself with the same tests.

Subclass :class:`StoreConformance` in a test module (the name must start with ``Test``) and
provide a ``store`` fixture returning a fresh, empty store built with the suite's
``conformance_clock``. Backends whose data outlives the store object (a file, a server)
subclass :class:`PersistentStoreConformance` instead and also provide ``reopen``: a fixture
returning a callable that opens the same storage again as a new store object (with the same
clock), for the persistence and cross-object concurrency tests.

A backend that also provides a ``tamper`` fixture (a :class:`StoreTamper` that edits its
storage behind the store's back, as an attacker with access to the storage would) runs the
tests proving that :meth:`Store.verify` notices altered, deleted and reordered journal
entries and documents edited around the journal; without one those tests are skipped.

Example::

    import pytest
    from pmo_core.testing.store_conformance import FakeClock, PersistentStoreConformance

    class TestMyStore(PersistentStoreConformance):
        @pytest.fixture
        def store(self, tmp_path, conformance_clock: FakeClock):
            with MyStore(tmp_path / "db", clock=conformance_clock) as s:
                yield s

        @pytest.fixture
        def reopen(self, tmp_path, conformance_clock: FakeClock):
            return lambda: MyStore(tmp_path / "db", clock=conformance_clock)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import pytest

from pmo_core._errors import ConflictError, InvalidInputError, NotFoundError, StoreError
from pmo_core._store.memory import MemoryStore
from pmo_core._store.protocol import (
    ANY,
    Document,
    JournalEntry,
    ReadView,
    SearchHit,
    Store,
    SupportsCopyIn,
    Transaction,
    VerifyResult,
    VersionReader,
)

__all__ = [
    "FakeClock",
    "PersistentStoreConformance",
    "Reopen",
    "StoreConformance",
    "StoreTamper",
]

#: What a ``reopen`` fixture returns: opens the same storage as a new store object.
Reopen = Callable[[], Store]


class StoreTamper(Protocol):
    """Edits a backend's storage behind the store's back, as someone with access to it would.

    A backend provides one as the ``tamper`` fixture to run the conformance tests of
    :meth:`Store.verify`. Each method changes the stored data directly (bypassing every
    check, append-only rules included) and leaves the store object usable for reading.
    Those tests expect each problem to name a journal entry as ``seq N`` and a document as
    ``document <kind> <id>``, and to say ``altered``, ``deleted`` or ``reordered`` for the
    journal and ``edited``, ``missing`` or ``no journal`` for documents.

    Example::

        import json
        import sqlite3

        class SQLiteTamper:
            "Edits the database file with plain SQL, as anyone who can write it can."

            def __init__(self, path):
                self.conn = sqlite3.connect(path, isolation_level=None)

            def _journal(self, sql, *params):
                self.conn.execute("DROP TRIGGER IF EXISTS journal_no_update")
                self.conn.execute("DROP TRIGGER IF EXISTS journal_no_delete")
                self.conn.execute(sql, params)

            def alter_entry(self, seq, after):
                self._journal("UPDATE journal SET after = ? WHERE seq = ?", json.dumps(after), seq)

            def delete_entry(self, seq):
                self._journal("DELETE FROM journal WHERE seq = ?", seq)

            def swap_entries(self, first, second):
                for old, new in ((first, -1), (second, first), (-1, second)):
                    self._journal("UPDATE journal SET seq = ? WHERE seq = ?", new, old)

            def alter_document(self, kind, id, data):
                self.conn.execute("UPDATE documents SET data = ? WHERE kind = ? AND id = ?",
                                  (json.dumps(data), kind, id))

            def delete_document(self, kind, id):
                self.conn.execute("DELETE FROM documents WHERE kind = ? AND id = ?", (kind, id))

        # In the store's conformance tests, the `tamper` fixture returns one.
        tamper = SQLiteTamper(store.path)
    """

    def alter_entry(self, seq: int, after: dict[str, Any]) -> None:
        """Replace the ``after`` document of journal entry ``seq``, leaving its hash.

        Example::

            tamper.alter_entry(2, {"name": "Forged"})
            store.verify().ok  # False
        """
        ...

    def delete_entry(self, seq: int) -> None:
        """Delete journal entry ``seq``.

        Example::

            tamper.delete_entry(2)
            store.verify().ok  # False
        """
        ...

    def swap_entries(self, first: int, second: int) -> None:
        """Swap the ``seq`` of two journal entries (each keeps the rest of its row).

        Example::

            tamper.swap_entries(2, 3)
            store.verify().ok  # False
        """
        ...

    def alter_document(self, kind: str, id: str, data: dict[str, Any]) -> None:
        """Replace a current document's data without a journal entry.

        Example::

            tamper.alter_document("project", "ALPHA", {"name": "Edited"})
            store.verify().ok  # False
        """
        ...

    def delete_document(self, kind: str, id: str) -> None:
        """Delete a current document without a journal entry.

        Example::

            tamper.delete_document("project", "ALPHA")
            store.verify().ok  # False
        """
        ...


class FakeClock:
    """A settable clock for stores: returns ``now`` until advanced.

    Example::

        clock = FakeClock()
        store = MemoryStore(clock=clock)
        clock.advance(60)  # the next transaction is stamped one minute later
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        """The current fake time.

        Example::

            assert FakeClock()() == datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)
        """
        return self.now

    def advance(self, seconds: float = 1.0) -> datetime:
        """Move the clock forward by ``seconds`` and return the new time.

        Example::

            later = clock.advance(3600)
        """
        self.now += timedelta(seconds=seconds)
        return self.now


def _seed(store: Store, actor: str = "seed") -> None:
    with store.transaction(actor, command="seed") as tx:
        tx.insert("project", "BETA", {"name": "Beta", "budget": {"amount": "250.00"}}, owner="PF-1")
        tx.insert(
            "project", "ALPHA", {"name": "Alpha", "budget": {"amount": "100.50"}}, owner="PF-1"
        )
        tx.insert("project", "GAMMA", {"name": "Gamma"}, owner="PF-2")
        tx.insert("portfolio", "PF-1", {"name": "Main"})


def _snapshot(store: Store) -> tuple[Any, ...]:
    """Everything observable: documents of every kind, the journal and transactions."""
    docs = {kind: list(store.query(kind)) for kind in store.kinds()}
    return docs, list(store.journal()), list(store.transactions())


def _fail_after(store: Store, write: Callable[[Transaction], object]) -> None:
    with store.transaction("mallory", command="doomed") as tx:
        write(tx)
        raise RuntimeError("boom")


def _ids(docs: Any) -> list[str]:
    return [d.id for d in docs]


def _history(store: Store, clock: FakeClock) -> None:
    """Inserts, a bulk insert, updates, a delete and a re-insert, over three transactions."""
    _seed(store)
    clock.advance(60)
    with store.transaction("bob", command="edit") as tx:
        tx.update("project", "ALPHA", {"name": "Alpha 2", "ü": "ß ✓"}, expected_version=1)
        tx.delete("project", "BETA", expected_version=1)
        tx.insert_many(
            "task", [("T-1", "ALPHA", {"n": 1, "z": 0, "a": [1.5, None]}), ("T-2", None, {"n": 2})]
        )
    clock.advance(60)
    with store.transaction("carol", command="again") as tx:
        tx.insert("project", "BETA", {"name": "Beta again"}, owner="PF-2")
        tx.update("project", "GAMMA", {"name": "Gamma 2"}, expected_version=1, owner=None)


def _search_seed(store: Store) -> None:
    """Documents with text in names, nested objects and lists, in two kinds of owner."""
    with store.transaction("alice", command="seed search") as tx:
        tx.insert(
            "raid_item",
            "R-1",
            {"title": "Vendor delay on drop two", "type": "risk", "due": "2025-03-01"},
            owner="ALPHA",
        )
        tx.insert(
            "raid_item",
            "R-2",
            {
                "title": "Budget overrun",
                "description": "The vendor invoiced twice",
                "notes": ["Escalate to the PMO board in the near term"],
                "cost": {"amount": "1200.50", "currency": "EUR"},
            },
            owner="BETA",
        )
        tx.insert(
            "report",
            "S-1",
            {"summary": {"text": "Delivery is late: the VENDOR missed drop two"}},
            owner="ALPHA",
        )
        tx.insert(
            "project",
            "ALPHA",
            {
                "id": "ALPHA",
                "kind": "project",
                "name": "Apollo",
                "budget": {"amount": "100.50"},
                "start": "2025-03-01",
                "active": True,
                "tier": 2,
            },
        )
        tx.insert_many("lesson", [("L-1", None, {"what_happened": "Supplier slipped a milestone"})])


def _found(hits: Any) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in hits}


def _verified(store: Store) -> VerifyResult:
    result = store.verify()
    assert isinstance(result, VerifyResult)
    return result


def _tamper(request: pytest.FixtureRequest) -> StoreTamper:
    tamper: StoreTamper | None = request.getfixturevalue("tamper")
    if tamper is None:
        pytest.skip("the backend provides no tamper fixture")
    return tamper


class StoreConformance:
    """Tests every :class:`~pmo_core._store.protocol.Store` must pass; subclass to run them.

    Example::

        import pytest

        class TestMemoryStore(StoreConformance):
            @pytest.fixture
            def store(self, conformance_clock):
                return MemoryStore(clock=conformance_clock)
    """

    @pytest.fixture
    def conformance_clock(self) -> FakeClock:
        """A fresh fake clock; build the ``store`` fixture with it.

        Example::

            def store(self, conformance_clock):
                return MemoryStore(clock=conformance_clock)
        """
        return FakeClock()

    # -- basics ---------------------------------------------------------------------------

    def test_is_a_store(self, store: Store) -> None:
        assert isinstance(store, Store)
        assert isinstance(store.schema_version, int)
        assert store.schema_version >= 1
        assert store.kinds() == []
        assert store.count("project") == 0
        assert store.get("project", "ALPHA") is None
        assert list(store.query("project")) == []
        assert list(store.journal()) == []
        assert list(store.transactions()) == []

    def test_insert_then_get(self, store: Store, conformance_clock: FakeClock) -> None:
        with store.transaction("alice", command="project create") as tx:
            written = tx.insert("project", "ALPHA", {"name": "Alpha", "n": 1}, owner="PF-1")
        assert written == Document(
            "project", "ALPHA", "PF-1", 1, {"name": "Alpha", "n": 1}, conformance_clock.now, "alice"
        )
        assert store.get("project", "ALPHA") == written
        assert store.get("project", "alpha") is None
        assert store.get("portfolio", "ALPHA") is None

    def test_query_orders_by_id_and_filters_ids(self, store: Store) -> None:
        _seed(store)
        assert _ids(store.query("project")) == ["ALPHA", "BETA", "GAMMA"]
        assert _ids(store.query("project", ids=["GAMMA", "ALPHA", "NOPE"])) == ["ALPHA", "GAMMA"]
        assert _ids(store.query("project", ids=[])) == []
        assert _ids(store.query("portfolio")) == ["PF-1"]

    def test_owner_filter(self, store: Store) -> None:
        _seed(store)
        assert _ids(store.query("project", owner="PF-1")) == ["ALPHA", "BETA"]
        assert _ids(store.query("project", owner="PF-2")) == ["GAMMA"]
        assert _ids(store.query("project", owner="PF-9")) == []
        assert _ids(store.query("portfolio", owner=None)) == ["PF-1"]
        assert _ids(store.query("project", owner=None)) == []
        assert _ids(store.query("project", owner=ANY)) == ["ALPHA", "BETA", "GAMMA"]
        assert store.count("project", owner="PF-1") == 2
        assert store.count("project", owner=None) == 0
        assert store.count("portfolio", owner=None) == 1

    def test_count_and_kinds(self, store: Store) -> None:
        _seed(store)
        assert store.count("project") == 3
        assert store.count("portfolio") == 1
        assert store.count("raid_item") == 0
        assert store.kinds() == ["portfolio", "project"]
        with store.transaction("alice") as tx:
            tx.delete("portfolio", "PF-1", expected_version=1)
        assert store.kinds() == ["project"]

    def test_data_round_trips(self, store: Store) -> None:
        data = {
            "text": 'Zürich ✓ "quoted"',
            "int": 7,
            "float": 2.5,
            "bool": True,
            "none": None,
            "list": [1, "two", {"three": 3}],
            "nested": {"deep": {"deeper": ["x"]}},
            "amount": "1234.56",
        }
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", data)
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert doc.data == data

    def test_returned_data_is_a_copy(self, store: Store) -> None:
        data: dict[str, Any] = {"name": "Alpha", "tags": ["a"]}
        with store.transaction("alice") as tx:
            written = tx.insert("project", "ALPHA", data)
        data["name"] = "changed by caller"
        data["tags"].append("from caller")
        assert written.data == {"name": "Alpha", "tags": ["a"]}
        written.data["tags"].append("b")
        doc = store.get("project", "ALPHA")
        assert doc is not None
        doc.data["name"] = "mutated read"
        again = store.get("project", "ALPHA")
        assert again is not None
        assert again.data == {"name": "Alpha", "tags": ["a"]}

    def test_invalid_names_are_rejected(self, store: Store) -> None:
        for kind in ("Project", "1project", "pro-ject", "", "raid item"):
            with pytest.raises(InvalidInputError, match="kind"):
                store.get(kind, "X")
        with store.transaction("alice") as tx:
            with pytest.raises(InvalidInputError, match="Bad-Kind"):
                tx.insert("Bad-Kind", "X", {})
            for bad_id in ("", " padded", "line\nbreak"):
                with pytest.raises(InvalidInputError, match="id"):
                    tx.insert("project", bad_id, {})
            with pytest.raises(InvalidInputError):
                tx.insert("project", "X", {"bad": object()})
            with pytest.raises(InvalidInputError):
                tx.insert("project", "X", ["not", "a", "dict"])  # type: ignore[arg-type]
        assert store.kinds() == []
        assert list(store.journal()) == []

    # -- versions and concurrency ---------------------------------------------------------

    def test_update_increments_version(self, store: Store, conformance_clock: FakeClock) -> None:
        _seed(store)
        conformance_clock.advance(60)
        with store.transaction("bob", command="project edit") as tx:
            doc = tx.update("project", "ALPHA", {"name": "Alpha v2"}, expected_version=1)
            assert doc.version == 2
            assert doc.owner == "PF-1"  # kept when not given
            doc = tx.update(
                "project", "ALPHA", {"name": "Alpha v3"}, expected_version=2, owner="PF-2"
            )
            assert doc.version == 3
        stored = store.get("project", "ALPHA")
        assert stored is not None
        assert (stored.version, stored.owner, stored.data) == (3, "PF-2", {"name": "Alpha v3"})
        assert (stored.updated_at, stored.updated_by) == (conformance_clock.now, "bob")
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "orphan"}, expected_version=3, owner=None)
        assert _ids(store.query("project", owner=None)) == ["ALPHA"]

    def test_stale_update_raises_conflict(self, store: Store) -> None:
        _seed(store)
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "v2"}, expected_version=1)
        with store.transaction("carol") as tx:
            with pytest.raises(ConflictError) as info:
                tx.update("project", "ALPHA", {"name": "stale"}, expected_version=1)
            with pytest.raises(ConflictError):
                tx.delete("project", "ALPHA", expected_version=1)
        message = str(info.value)
        for part in ("project", "ALPHA", "1", "2"):
            assert part in message
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert (doc.version, doc.data) == (2, {"name": "v2"})

    def test_duplicate_insert_raises_conflict(self, store: Store) -> None:
        _seed(store)
        with store.transaction("alice") as tx:
            with pytest.raises(ConflictError, match="kind 'project' id 'ALPHA' already exists"):
                tx.insert("project", "ALPHA", {"name": "again"})
            # Same id under another kind is a different document.
            tx.insert("raid_item", "ALPHA", {"title": "ok"})
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert doc.data["name"] == "Alpha"

    def test_delete(self, store: Store) -> None:
        _seed(store)
        with store.transaction("alice") as tx:
            tx.delete("project", "BETA", expected_version=1)
            assert tx.get("project", "BETA") is None
            with pytest.raises(NotFoundError, match="BETA"):
                tx.delete("project", "BETA", expected_version=1)
            with pytest.raises(NotFoundError, match="NOPE"):
                tx.update("project", "NOPE", {}, expected_version=1)
        assert store.get("project", "BETA") is None
        assert _ids(store.query("project")) == ["ALPHA", "GAMMA"]
        with store.transaction("alice") as tx:
            again = tx.insert("project", "BETA", {"name": "Beta again"})
        assert again.version == 1

    # -- transactions ---------------------------------------------------------------------

    def test_transaction_sees_its_own_writes(self, store: Store) -> None:
        _seed(store)
        with store.transaction("alice") as tx:
            tx.insert("project", "DELTA", {"name": "Delta"}, owner="PF-1")
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
            tx.delete("project", "BETA", expected_version=1)
            assert _ids(tx.query("project", owner="PF-1")) == ["ALPHA", "DELTA"]
            assert _ids(tx.query("project", ids=["DELTA", "BETA"])) == ["DELTA"]
            seen = tx.get("project", "ALPHA")
            assert seen is not None
            assert seen.version == 2

    def test_rollback_on_exception_writes_nothing(self, store: Store) -> None:
        _seed(store)
        before = _snapshot(store)
        doomed: list[Transaction] = []

        def write(tx: Transaction) -> None:
            doomed.append(tx)
            tx.insert("project", "DELTA", {"name": "Delta"})
            tx.insert_many("task", [("T-1", "DELTA", {"n": 1}), ("T-2", "DELTA", {"n": 2})])
            tx.update("project", "ALPHA", {"name": "changed"}, expected_version=1)
            tx.delete("project", "BETA", expected_version=1)

        with pytest.raises(RuntimeError, match="boom"):
            _fail_after(store, write)
        assert _snapshot(store) == before
        # Nothing was written, so there is nothing to publish.
        assert doomed[0].changes == []
        # The store is usable afterwards and versions were not consumed.
        with store.transaction("alice") as tx:
            assert tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1).version == 2

    def test_failed_write_inside_transaction_can_be_handled(self, store: Store) -> None:
        _seed(store)
        with store.transaction("alice") as tx:
            tx.insert("project", "DELTA", {"name": "Delta"})
            with pytest.raises(ConflictError):
                tx.insert("project", "ALPHA", {"name": "dup"})
        assert store.count("project") == 4
        assert [c.op for c in tx.changes] == ["insert"]

    def test_nested_transaction_is_refused(self, store: Store) -> None:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            with pytest.raises(StoreError, match="transaction"), store.transaction("alice"):
                pass
        assert store.count("project") == 1

    def test_transaction_is_closed_after_its_block(self, store: Store) -> None:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
        with pytest.raises(StoreError):
            tx.insert("project", "BETA", {})
        assert store.count("project") == 1

    def test_changes_list_what_was_written(self, store: Store) -> None:
        _seed(store)
        with store.transaction("alice") as tx:
            tx.insert("project", "DELTA", {"name": "Delta"}, owner="PF-2")
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
            tx.delete("project", "GAMMA", expected_version=1)
        changes = [(c.op, c.kind, c.id, c.owner, c.version, c.before, c.after) for c in tx.changes]
        assert changes == [
            ("insert", "project", "DELTA", "PF-2", 1, None, {"name": "Delta"}),
            (
                "update",
                "project",
                "ALPHA",
                "PF-1",
                2,
                {"name": "Alpha", "budget": {"amount": "100.50"}},
                {"name": "A2"},
            ),
            ("delete", "project", "GAMMA", "PF-2", 1, {"name": "Gamma"}, None),
        ]

    def test_insert_many(self, store: Store) -> None:
        rows = [
            (f"T-{i:04d}", f"P-{i % 3}", {"n": i, "cost": {"amount": str(i)}}) for i in range(500)
        ]
        with store.transaction("importer", command="import") as tx:
            assert tx.insert_many("task", iter(rows)) == 500
            assert tx.insert_many("task", []) == 0
        assert store.count("task") == 500
        assert store.count("task", owner="P-1") == 167
        doc = store.get("task", "T-0042")
        assert doc is not None
        assert (doc.owner, doc.version, doc.data) == ("P-0", 1, {"n": 42, "cost": {"amount": "42"}})
        assert len(tx.changes) == 500
        entries = list(store.journal(kind="task"))
        assert len(entries) == 500
        assert {e.op for e in entries} == {"insert"}
        assert [t.change_count for t in store.transactions()] == [500]

    def test_insert_many_is_all_or_nothing(self, store: Store) -> None:
        _seed(store)
        before = _snapshot(store)
        with store.transaction("importer") as tx:
            with pytest.raises(ConflictError, match="ALPHA"):
                tx.insert_many("project", [("ZETA", None, {}), ("ALPHA", None, {})])
            with pytest.raises(ConflictError, match="T-1"):
                tx.insert_many("task", [("T-1", None, {}), ("T-2", None, {}), ("T-1", None, {})])
        assert _snapshot(store) == before
        assert tx.changes == []

    # -- journal --------------------------------------------------------------------------

    def test_journal_records_every_change(self, store: Store, conformance_clock: FakeClock) -> None:
        t0 = conformance_clock.now
        with store.transaction("alice", command="project create") as tx1:
            tx1.insert("project", "ALPHA", {"name": "Alpha"}, owner="PF-1")
        t1 = conformance_clock.advance(60)
        with store.transaction("bob", command="project edit") as tx2:
            tx2.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
        t2 = conformance_clock.advance(60)
        with store.transaction("carol", command="project delete") as tx3:
            tx3.delete("project", "ALPHA", expected_version=2)
        entries = list(store.journal())
        assert [e.seq for e in entries] == sorted({e.seq for e in entries})
        got = [
            (
                e.txn_id,
                e.at,
                e.actor,
                e.command,
                e.kind,
                e.id,
                e.owner,
                e.op,
                e.version,
                e.before,
                e.after,
            )
            for e in entries
        ]
        assert got == [
            (
                tx1.txn_id,
                t0,
                "alice",
                "project create",
                "project",
                "ALPHA",
                "PF-1",
                "insert",
                1,
                None,
                {"name": "Alpha"},
            ),
            (
                tx2.txn_id,
                t1,
                "bob",
                "project edit",
                "project",
                "ALPHA",
                "PF-1",
                "update",
                2,
                {"name": "Alpha"},
                {"name": "A2"},
            ),
            (
                tx3.txn_id,
                t2,
                "carol",
                "project delete",
                "project",
                "ALPHA",
                "PF-1",
                "delete",
                2,
                {"name": "A2"},
                None,
            ),
        ]
        assert len({tx1.txn_id, tx2.txn_id, tx3.txn_id}) == 3
        infos = [(t.txn_id, t.at, t.actor, t.command, t.change_count) for t in store.transactions()]
        assert infos == [
            (tx1.txn_id, t0, "alice", "project create", 1),
            (tx2.txn_id, t1, "bob", "project edit", 1),
            (tx3.txn_id, t2, "carol", "project delete", 1),
        ]

    def test_journal_filters(self, store: Store, conformance_clock: FakeClock) -> None:
        t0 = conformance_clock.now
        _seed(store)
        t1 = conformance_clock.advance(60)
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
            tx.insert("raid_item", "R-1", {"title": "risk"}, owner="ALPHA")
        assert len(list(store.journal())) == 6
        assert [e.id for e in store.journal(kind="project", id="ALPHA")] == ["ALPHA", "ALPHA"]
        assert [e.kind for e in store.journal(id="ALPHA")] == ["project", "project"]
        assert [e.id for e in store.journal(txn_id=tx.txn_id)] == ["ALPHA", "R-1"]
        assert len(list(store.journal(since=t1))) == 2
        assert len(list(store.journal(until=t0))) == 4
        assert len(list(store.journal(since=t0, until=t1))) == 6
        assert list(store.journal(since=t1 + timedelta(seconds=1))) == []
        assert [t.actor for t in store.transactions(since=t1)] == ["bob"]
        assert [t.actor for t in store.transactions(until=t0)] == ["seed"]
        assert [t.actor for t in store.transactions(actor="seed")] == ["seed"]

    def test_transactions_without_changes_are_not_recorded(self, store: Store) -> None:
        with store.transaction("alice", command="look only") as tx:
            assert tx.get("project", "ALPHA") is None
        assert list(store.transactions()) == []
        assert list(store.journal()) == []

    def test_journal_is_append_only(self, store: Store, conformance_clock: FakeClock) -> None:
        _seed(store)
        first = list(store.journal())
        pristine = list(store.journal())
        conformance_clock.advance(60)
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
            tx.delete("project", "BETA", expected_version=1)
        entry = first[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            entry.op = "delete"  # type: ignore[misc]
        if entry.after is not None:
            entry.after["name"] = "tampered through a returned dict"
        later = list(store.journal())
        assert later[: len(first)] == pristine
        assert later[0].after is not None
        assert later[0].after["name"] != "tampered through a returned dict"
        assert [e.seq for e in later[: len(first)]] == [e.seq for e in first]
        assert len(later) == len(first) + 2
        assert min(e.seq for e in later[len(first) :]) > max(e.seq for e in first)

    # -- as-of reads ----------------------------------------------------------------------

    def test_as_of_reads(self, store: Store, conformance_clock: FakeClock) -> None:
        before_anything = conformance_clock.now - timedelta(seconds=1)
        t0 = conformance_clock.now
        _seed(store)
        t1 = conformance_clock.advance(3600)
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "Alpha v2"}, expected_version=1, owner="PF-2")
            tx.insert("project", "DELTA", {"name": "Delta"}, owner="PF-1")
        t2 = conformance_clock.advance(3600)
        with store.transaction("carol") as tx:
            tx.delete("project", "BETA", expected_version=1)
            tx.update("project", "ALPHA", {"name": "Alpha v3"}, expected_version=2)

        empty = store.as_of(before_anything)
        assert isinstance(empty, ReadView)
        assert empty.get("project", "ALPHA") is None
        assert empty.count("project") == 0
        assert list(empty.query("project")) == []

        v0 = store.as_of(t0 + timedelta(minutes=30))
        alpha = v0.get("project", "ALPHA")
        assert alpha is not None
        assert (alpha.version, alpha.owner, alpha.data["name"]) == (1, "PF-1", "Alpha")
        assert (alpha.updated_at, alpha.updated_by) == (t0, "seed")
        assert _ids(v0.query("project")) == ["ALPHA", "BETA", "GAMMA"]
        assert _ids(v0.query("project", owner="PF-1")) == ["ALPHA", "BETA"]
        assert v0.count("project", owner="PF-2") == 1

        v1 = store.as_of(t1)  # inclusive: a change at exactly t1 is known at t1
        alpha = v1.get("project", "ALPHA")
        assert alpha is not None
        assert (alpha.version, alpha.owner, alpha.data["name"]) == (2, "PF-2", "Alpha v2")
        assert _ids(v1.query("project", owner="PF-1")) == ["BETA", "DELTA"]
        assert _ids(v1.query("project", ids=["ALPHA", "DELTA"])) == ["ALPHA", "DELTA"]
        assert v1.count("project") == 4

        v2 = store.as_of(t2 + timedelta(days=1))
        assert v2.get("project", "BETA") is None
        assert _ids(v2.query("project")) == ["ALPHA", "DELTA", "GAMMA"]
        assert v2.count("project") == 3
        now_docs = list(store.query("project"))
        assert list(v2.query("project")) == now_docs
        assert v2.at == t2 + timedelta(days=1)

    def test_as_of_owner_filter_follows_moves(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        with store.transaction("alice") as tx:
            tx.insert("raid_item", "R-1", {"title": "one"}, owner="ALPHA")
            tx.insert("raid_item", "R-2", {"title": "two"})
        t0 = conformance_clock.now
        t1 = conformance_clock.advance(60)
        with store.transaction("bob") as tx:
            tx.update("raid_item", "R-1", {"title": "one"}, expected_version=1, owner="BETA")
            tx.update("raid_item", "R-2", {"title": "two"}, expected_version=1, owner="ALPHA")
        t2 = conformance_clock.advance(60)
        with store.transaction("carol") as tx:
            tx.delete("raid_item", "R-1", expected_version=2)
            tx.insert("raid_item", "R-1", {"title": "one again"}, owner="ALPHA")
            tx.update("raid_item", "R-2", {"title": "two"}, expected_version=2, owner=None)

        def owned(when: datetime, owner: str | None) -> list[str]:
            view = store.as_of(when)
            ids = _ids(view.query("raid_item", owner=owner))
            assert view.count("raid_item", owner=owner) == len(ids)
            return ids

        assert (owned(t0, "ALPHA"), owned(t0, "BETA"), owned(t0, None)) == (["R-1"], [], ["R-2"])
        assert (owned(t1, "ALPHA"), owned(t1, "BETA"), owned(t1, None)) == (["R-2"], ["R-1"], [])
        assert (owned(t2, "ALPHA"), owned(t2, "BETA"), owned(t2, None)) == (["R-1"], [], ["R-2"])
        again = store.as_of(t2).get("raid_item", "R-1")
        assert again is not None
        assert (again.version, again.owner, again.data) == (1, "ALPHA", {"title": "one again"})

    def test_as_of_owner_set_follows_moves(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        with store.transaction("alice") as tx:
            tx.insert("raid_item", "R-1", {"title": "one"}, owner="ALPHA")
            tx.insert("raid_item", "R-2", {"title": "two"})
            tx.insert("raid_item", "R-3", {"title": "three"}, owner="GAMMA")
        t0 = conformance_clock.now
        t1 = conformance_clock.advance(60)
        with store.transaction("bob") as tx:
            tx.update("raid_item", "R-1", {"title": "one"}, expected_version=1, owner="BETA")
            tx.update("raid_item", "R-2", {"title": "two"}, expected_version=1, owner="ALPHA")
            tx.delete("raid_item", "R-3", expected_version=1)

        def owned(when: datetime, owners: list[str]) -> list[str]:
            return _ids(store.as_of(when).query("raid_item", owners=owners))

        assert owned(t0, ["ALPHA", "BETA"]) == ["R-1"]
        assert owned(t0, ["GAMMA", "NOPE"]) == ["R-3"]
        assert owned(t1, ["ALPHA", "BETA"]) == ["R-1", "R-2"]
        assert owned(t1, ["BETA"]) == ["R-1"]
        assert owned(t1, ["GAMMA"]) == []  # deleted by then
        assert owned(t1, []) == []
        view = store.as_of(t1)
        assert _ids(view.query("raid_item", owners=["ALPHA", "BETA"], ids=["R-2", "R-3"])) == [
            "R-2"
        ]
        with pytest.raises(ValueError, match="not both"):
            list(view.query("raid_item", owner="ALPHA", owners=["BETA"]))

    def test_as_of_requires_aware_datetime(self, store: Store) -> None:
        with pytest.raises(InvalidInputError, match="timezone"):
            store.as_of(datetime(2024, 1, 1))

    # -- bulk reads -----------------------------------------------------------------------

    def test_values_streams_dotted_fields(self, store: Store) -> None:
        _seed(store)
        rows = list(store.values("project", ["name", "budget.amount", "missing", "name.deeper"]))
        assert rows == [
            ("Alpha", "100.50", None, None),
            ("Beta", "250.00", None, None),
            ("Gamma", None, None, None),
        ]
        assert list(store.values("project", ["@id", "@owner", "@version"], owner="PF-1")) == [
            ("ALPHA", "PF-1", 1),
            ("BETA", "PF-1", 1),
        ]
        assert list(store.values("portfolio", ["name"], owner=None)) == [("Main",)]
        assert list(store.values("raid_item", ["title"])) == []
        with pytest.raises(InvalidInputError):
            store.values("project", [])
        with pytest.raises(InvalidInputError, match=r"budget\.\.amount"):
            store.values("project", ["budget..amount"])

    def test_values_matches_query(self, store: Store) -> None:
        rows = [
            (f"P-{i:03d}", f"PF-{i % 4}", {"budget": {"amount": i * 10}, "ok": i % 2 == 0})
            for i in range(50)
        ]
        with store.transaction("importer") as tx:
            tx.insert_many("project", rows)
        from_values = [
            (i, a, bool(ok)) for i, a, ok in store.values("project", ["@id", "budget.amount", "ok"])
        ]
        from_query = [
            (d.id, d.data["budget"]["amount"], d.data["ok"]) for d in store.query("project")
        ]
        assert from_values == from_query
        assert sum(a for (a,) in store.values("project", ["budget.amount"], owner="PF-1")) == sum(
            i * 10 for i in range(50) if i % 4 == 1
        )

    def test_owner_set_filter(self, store: Store) -> None:
        """``owners=``: the documents of any of a set of owners, in id order, from ``query``
        (of the store and of a transaction) and ``values``; none without an owner."""
        _seed(store)
        with store.transaction("alice") as tx:
            tx.insert("project", "DELTA", {"name": "Delta"})  # no owner
        both = ["PF-2", "PF-1"]
        assert _ids(store.query("project", owners=both)) == ["ALPHA", "BETA", "GAMMA"]
        assert _ids(store.query("project", owners={"PF-2", "NOPE"})) == ["GAMMA"]
        assert _ids(store.query("project", owners=("NOPE",))) == []
        assert _ids(store.query("project", owners=[])) == []
        assert _ids(store.query("portfolio", owners=["PF-1"])) == []  # PF-1 owns no portfolio
        assert _ids(store.query("project", owners=both, ids=["GAMMA", "DELTA", "BETA"])) == [
            "BETA",
            "GAMMA",
        ]
        assert list(store.values("project", ["@id", "@owner", "name"], owners=["PF-1"])) == [
            ("ALPHA", "PF-1", "Alpha"),
            ("BETA", "PF-1", "Beta"),
        ]
        assert list(store.values("project", ["@id"], owners=[])) == []
        assert list(store.values("project", ["@id"], owners=["PF-1", "PF-2"])) == [
            ("ALPHA",),
            ("BETA",),
            ("GAMMA",),
        ]
        with store.transaction("bob") as tx:
            tx.insert("project", "EPSILON", {"name": "Epsilon"}, owner="PF-2")
            assert _ids(tx.query("project", owners=["PF-2"])) == ["EPSILON", "GAMMA"]
        with pytest.raises(ValueError, match="not both"):
            list(store.query("project", owner="PF-1", owners=["PF-2"]))
        with pytest.raises(ValueError, match="not both"):
            list(store.query("project", owner=None, owners=["PF-2"]))
        with pytest.raises(InvalidInputError, match="not both"):
            list(store.values("project", ["@id"], owner="PF-1", owners=["PF-2"]))
        with pytest.raises(InvalidInputError, match="single string"):
            list(store.values("project", ["@id"], owners="PF-1"))
        with pytest.raises(InvalidInputError, match="owner"):
            list(store.query("project", owners=["PF-1", ""]))

    def test_owner_set_of_thousands_is_one_read(self, store: Store) -> None:
        """A chunk of a roll-up: more owners than a database binds parameters by default."""
        rows = [(f"W-{i:05d}", f"P-{i % 2500:04d}", {"n": i}) for i in range(5000)]
        with store.transaction("importer") as tx:
            tx.insert_many("work_item", rows)
        owners = [f"P-{p:04d}" for p in range(0, 2500, 2)]  # 1,250 of them
        found = list(store.values("work_item", ["@id", "@owner", "n"], owners=owners))
        assert found == [(i, o, d["n"]) for i, o, d in rows if int(o[2:]) % 2 == 0]
        assert _ids(store.query("work_item", owners=owners)) == [i for i, *_ in found]

    def test_versions_match_query(self, store: Store) -> None:
        """The optional :class:`~pmo_core.VersionReader` capability, where a backend has it:
        the versions ``query`` gives, for the ids asked that exist, in and out of a
        transaction."""
        if not isinstance(store, VersionReader):
            return  # optional: an import reads such a backend with query()
        with store.transaction("importer") as tx:
            tx.insert_many("task", [(f"T-{i}", "ALPHA", {"n": i}) for i in range(5)])
            tx.update("task", "T-1", {"n": 10}, expected_version=1)
            assert isinstance(tx, VersionReader)
            assert tx.versions("task", ["T-0", "T-1", "T-9"]) == {"T-0": 1, "T-1": 2}
        with store.transaction("importer") as tx:
            tx.update("task", "T-1", {"n": 11}, expected_version=2)
        asked = ["T-1", "T-3", "NOPE"]
        expected = {d.id: d.version for d in store.query("task", ids=asked)}
        assert store.versions("task", asked) == expected == {"T-1": 3, "T-3": 1}
        assert store.versions("task", []) == {}
        assert store.versions("other", asked) == {}
        with pytest.raises(InvalidInputError):
            store.versions("task", "T-1")

    def test_large_documents_round_trip_through_the_journal(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        # Large enough that a backend may store it otherwise (the SQLite store compresses
        # journal documents): every read gives back the values written, and the chain holds.
        text = "Ünïcode ✓ " * 300
        big: dict[str, Any] = {"text": text, "n": [1, 2.5, None], "z": {"b": 1, "a": 2}}
        bigger = {**big, "text": text * 2}
        with store.transaction("alice") as tx:
            tx.insert("report", "R-1", big)
            tx.insert_many("report", [("R-2", None, bigger)])
        before = conformance_clock.now
        conformance_clock.advance(seconds=60)
        with store.transaction("bob") as tx:
            tx.update("report", "R-1", bigger, expected_version=1)
            assert [c.after for c in tx.changes] == [bigger]
        entries = list(store.journal(kind="report"))
        assert [(e.id, e.before, e.after) for e in entries] == [
            ("R-1", None, big),
            ("R-2", None, bigger),
            ("R-1", big, bigger),
        ]
        assert list(entries[0].after or {}) == ["text", "n", "z"]  # the document's own order
        prev = JournalEntry.GENESIS
        for entry in store.journal():
            assert entry.hash == entry.chain_hash(prev)
            prev = entry.hash
        old = store.as_of(before)
        assert old.get("report", "R-1") is not None
        assert [d.data for d in old.query("report")] == [big, bigger]
        assert _verified(store).ok

    # -- the hash chain and verify --------------------------------------------------------

    @pytest.fixture
    def tamper(self) -> StoreTamper | None:
        """``None``: override to return a :class:`StoreTamper` for this backend's storage.

        Example::

            import pytest

            @pytest.fixture
            def tamper(self, store):
                return MyTamper(store)
        """
        return None

    def test_journal_entries_are_hash_chained(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        _history(store, conformance_clock)
        entries = list(store.journal())
        prev = JournalEntry.GENESIS
        for entry in entries:
            assert re.fullmatch("[0-9a-f]{64}", entry.hash), entry
            # The hash follows from the values alone: any backend gives the same one.
            assert entry.hash == entry.chain_hash(prev), entry
            prev = entry.hash
        assert len({e.hash for e in entries}) == len(entries) == 10
        # Filtered reads carry the same hashes.
        assert [e.hash for e in store.journal(kind="task")] == [
            e.hash for e in entries if e.kind == "task"
        ]

    def test_verify_a_sound_store(self, store: Store, conformance_clock: FakeClock) -> None:
        empty = _verified(store)
        assert (empty.ok, empty.entries, empty.head, empty.problems) == (
            True,
            0,
            JournalEntry.GENESIS,
            (),
        )
        _history(store, conformance_clock)
        # A rolled-back transaction and a refused bulk insert leave no mark on the chain.
        with pytest.raises(RuntimeError):
            _fail_after(store, lambda tx: tx.insert("project", "DOOMED", {}))
        with store.transaction("dave") as tx:
            with pytest.raises(ConflictError):
                tx.insert_many("task", [("T-9", None, {}), ("T-1", None, {})])
            tx.insert("project", "DELTA", {"name": "Delta"})
        result = _verified(store)
        entries = list(store.journal())
        assert result.problems == ()
        assert result.ok
        assert (result.entries, result.head, result.quick) == (
            len(entries),
            entries[-1].hash,
            False,
        )
        quick = store.verify(quick=True)
        assert (quick.ok, quick.quick, quick.entries, quick.head) == (True, True, 0, None)

    def test_verify_writes_nothing(self, store: Store, conformance_clock: FakeClock) -> None:
        _history(store, conformance_clock)
        before = _snapshot(store)
        store.verify()
        store.verify(quick=True)
        assert _snapshot(store) == before

    def test_verify_is_refused_inside_a_transaction(self, store: Store) -> None:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            with pytest.raises(StoreError, match="transaction"):
                store.verify()
        assert store.verify().ok

    def test_verify_finds_an_altered_entry(
        self, store: Store, conformance_clock: FakeClock, request: pytest.FixtureRequest
    ) -> None:
        tamper = _tamper(request)
        _history(store, conformance_clock)
        second = list(store.journal())[1]
        tamper.alter_entry(second.seq, {"name": "Forged"})
        result = _verified(store)
        assert not result.ok
        assert f"seq {second.seq}" in result.journal[0]
        assert "altered" in result.journal[0]

    def test_verify_finds_a_deleted_entry(
        self, store: Store, conformance_clock: FakeClock, request: pytest.FixtureRequest
    ) -> None:
        tamper = _tamper(request)
        _history(store, conformance_clock)
        entries = list(store.journal())
        tamper.delete_entry(entries[1].seq)
        result = _verified(store)
        assert not result.ok
        assert f"seq {entries[1].seq}" in result.journal[0]
        assert "deleted" in result.journal[0]

    def test_verify_finds_entries_deleted_from_the_end(
        self, store: Store, conformance_clock: FakeClock, request: pytest.FixtureRequest
    ) -> None:
        tamper = _tamper(request)
        _history(store, conformance_clock)
        last = list(store.journal())[-1]
        tamper.delete_entry(last.seq)
        tamper.alter_document("project", "GAMMA", {"name": "Gamma"})  # hide the change too
        result = _verified(store)
        assert any(f"seq {last.seq}" in p and "deleted" in p for p in result.journal)
        # Writing on does not hide the gap: the next entry does not take the deleted seq.
        with store.transaction("erin") as tx:
            tx.insert("project", "EPSILON", {"name": "Epsilon"})
        assert list(store.journal())[-1].seq > last.seq
        result = _verified(store)
        assert any(f"seq {last.seq}" in p and "deleted" in p for p in result.journal)

    def test_verify_finds_reordered_entries(
        self, store: Store, conformance_clock: FakeClock, request: pytest.FixtureRequest
    ) -> None:
        tamper = _tamper(request)
        _history(store, conformance_clock)
        entries = list(store.journal())
        tamper.swap_entries(entries[1].seq, entries[2].seq)
        result = _verified(store)
        assert not result.ok
        assert f"seq {entries[1].seq}" in result.journal[0]
        assert "reordered" in result.journal[0]

    def test_verify_finds_documents_changed_around_the_journal(
        self, store: Store, conformance_clock: FakeClock, request: pytest.FixtureRequest
    ) -> None:
        tamper = _tamper(request)
        _history(store, conformance_clock)
        tamper.alter_document("project", "ALPHA", {"name": "Edited"})
        tamper.delete_document("project", "GAMMA")
        result = _verified(store)
        assert not result.ok
        problems = "\n".join(result.journal)
        assert "document project ALPHA" in problems
        assert "edited" in problems
        assert "document project GAMMA is missing" in problems
        # The journal itself is intact: only the documents are reported.
        assert all(p.startswith("document project ") for p in result.journal), result.journal

    # -- copy_in (optional: a backend without it can only be copied from) ---------------

    def test_copy_in_loads_a_journal_verbatim(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        target = _copy_target(store)
        with MemoryStore(clock=conformance_clock) as source:
            _history(source, conformance_clock)
            entries = list(source.journal())
            assert target.copy_in(iter(entries)) == len(entries) == 10
            # Journal, transaction log and documents: everything observable is the source's.
            assert _snapshot(store) == _snapshot(source)
            result = _verified(store)
            assert (result.ok, result.entries, result.head) == (True, 10, entries[-1].hash)
            # As-of reads see the copied past: at the first transaction BETA still existed.
            first = entries[0].at
            assert _ids(store.as_of(first).query("project")) == ["ALPHA", "BETA", "GAMMA"]
            assert store.as_of(first).get("task", "T-1") is None
        # The next transaction continues the copied chain.
        conformance_clock.advance(60)
        with store.transaction("dave", command="after the copy") as tx:
            tx.update("project", "BETA", {"name": "Beta 3"}, expected_version=1)
        last = list(store.journal())[-1]
        assert (last.seq, last.hash) == (11, last.chain_hash(entries[-1].hash))
        assert _verified(store).ok

    def test_copy_in_refuses_a_store_that_holds_anything(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        target = _copy_target(store)
        _seed(store)
        before = _snapshot(store)
        with MemoryStore(clock=conformance_clock) as source:
            _seed(source, actor="other")
            with pytest.raises(StoreError, match="not empty"):
                target.copy_in(source.journal())
        assert _snapshot(store) == before

    def test_copy_in_is_all_or_nothing(self, store: Store, conformance_clock: FakeClock) -> None:
        target = _copy_target(store)
        with MemoryStore(clock=conformance_clock) as source:
            with source.transaction("bulk", command="import") as tx:
                tx.insert_many("task", ((f"T-{i:05}", "ALPHA", {"n": i}) for i in range(12000)))
            entries = list(source.journal())

            def failing() -> Any:
                yield from entries[:11000]  # past a batch or two: some were written
                raise RuntimeError("the source went away")

            with pytest.raises(RuntimeError, match="went away"):
                target.copy_in(failing())
            assert _snapshot(store) == ({}, [], [])
            out_of_order = [entries[1], entries[0]]
            # Refused, with either error, naming the seq: a chain cannot be loaded backwards.
            with pytest.raises((InvalidInputError, StoreError), match="seq"):
                target.copy_in(out_of_order)
            assert _snapshot(store) == ({}, [], [])
            # Afterwards the store is as empty as before and takes the whole journal.
            assert target.copy_in(entries) == 12000
            assert store.count("task") == 12000
            assert [(t.command, t.change_count) for t in store.transactions()] == [
                ("import", 12000)
            ]
            assert _verified(store).head == entries[-1].hash

    def test_copy_in_is_refused_inside_a_transaction(self, store: Store) -> None:
        target = _copy_target(store)
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            with pytest.raises(StoreError, match="transaction"):
                target.copy_in([])

    # -- full-text search -----------------------------------------------------------------

    def test_search_finds_a_word_in_any_string_field(self, store: Store) -> None:
        _search_seed(store)
        hits = store.search("vendor")
        assert all(isinstance(h, SearchHit) for h in hits)
        assert _found(hits) == {("raid_item", "R-1"), ("raid_item", "R-2"), ("report", "S-1")}
        by_id = {h.id: h for h in hits}
        assert (by_id["R-1"].kind, by_id["R-1"].owner) == ("raid_item", "ALPHA")
        assert by_id["S-1"].owner == "ALPHA"
        for hit in hits:
            assert "[vendor]" in hit.snippet.lower(), hit.snippet  # the match is marked
            assert isinstance(hit.score, float)
            assert hit.score > 0
        # Nested values, lists, and rows written in bulk are found too.
        assert _found(store.search("escalate")) == {("raid_item", "R-2")}
        assert _found(store.search("supplier")) == {("lesson", "L-1")}
        # Case-insensitive, both ways.
        assert _found(store.search("VENDOR")) == _found(hits)

    def test_search_needs_every_word(self, store: Store) -> None:
        _search_seed(store)
        assert _found(store.search("vendor drop")) == {("raid_item", "R-1"), ("report", "S-1")}
        assert _found(store.search("budget vendor")) == {("raid_item", "R-2")}
        assert store.search("vendor zebra") == []
        # Quoted: the words in that order; the last bare word also matches as a prefix.
        assert _found(store.search('"drop two"')) == {("raid_item", "R-1"), ("report", "S-1")}
        assert store.search('"two drop"') == []
        assert _found(store.search("deliv")) == {("report", "S-1")}
        assert store.search('"deliv"') == []

    def test_search_skips_keys_ids_dates_and_amounts(self, store: Store) -> None:
        _search_seed(store)
        assert _found(store.search("apollo")) == {("project", "ALPHA")}
        for text in ("title", "alpha", "project", "2025", "03", "100", "50", "true"):
            assert store.search(text) == [], text

    def test_search_leaves_out_bookkeeping_kinds(self, store: Store) -> None:
        ref = {"connector": "csv", "remote_id": "Vendor-7", "source": "vendor.csv"}
        with store.transaction("t") as tx:
            tx.insert("external_ref", "ref-1", ref)
            tx.insert_many("external_ref", [("ref-2", None, ref)])
            tx.insert("note", "N-1", {"text": "vendor call"})
        assert _found(store.search("vendor")) == {("note", "N-1")}
        assert store.search("vendor", kinds=["external_ref"]) == []
        assert store.as_of(list(store.transactions())[-1].at).search("csv") == []

    def test_search_filters_by_kind_and_owner(self, store: Store) -> None:
        _search_seed(store)
        assert _found(store.search("vendor", kinds=["raid_item"])) == {
            ("raid_item", "R-1"),
            ("raid_item", "R-2"),
        }
        assert _found(store.search("vendor", kinds=["report", "lesson"])) == {("report", "S-1")}
        assert store.search("vendor", kinds=[]) == []
        assert store.search("vendor", kinds=["nothing_here"]) == []
        assert _found(store.search("vendor", owner="ALPHA")) == {
            ("raid_item", "R-1"),
            ("report", "S-1"),
        }
        assert _found(store.search("supplier", owner=None)) == {("lesson", "L-1")}
        assert store.search("vendor", owner=None) == []
        with pytest.raises(InvalidInputError):
            store.search("vendor", kinds="raid_item")
        with pytest.raises(InvalidInputError):
            store.search("vendor", kinds=["Not A Kind"])

    def test_search_limit(self, store: Store) -> None:
        _search_seed(store)
        assert len(store.search("vendor", limit=2)) == 2
        assert store.search("vendor", limit=2) == store.search("vendor")[:2]
        assert len(store.search("vendor", limit=None)) == 3
        for bad in (0, -1, True, "2"):
            with pytest.raises(InvalidInputError):
                store.search("vendor", limit=bad)  # type: ignore[arg-type]

    def test_search_ranks_more_matches_first(self, store: Store) -> None:
        _search_seed(store)
        with store.transaction("alice") as tx:
            tx.insert("note", "N-1", {"text": "risk gamma alpha beta"})
            tx.insert("note", "N-2", {"text": "risk risk alpha beta"})
            tx.insert("note", "N-3", {"text": "delta gamma alpha beta"})
        hits = store.search('"risk"', kinds=["note"])
        assert [h.id for h in hits] == ["N-2", "N-1"]
        assert hits[0].score > hits[1].score

    def test_search_follows_updates_deletes_and_rollbacks(self, store: Store) -> None:
        _search_seed(store)
        with store.transaction("bob") as tx:
            tx.update(
                "raid_item", "R-1", {"title": "Supplier slip"}, expected_version=1, owner="BETA"
            )
            tx.delete("raid_item", "R-2", expected_version=1)
            tx.update("report", "S-1", {"n": 1}, expected_version=1)  # no text left
            # A read on the store sees the open transaction's writes.
            assert _found(store.search('"slip"')) == {("raid_item", "R-1")}
        assert store.search("vendor") == []
        assert store.search("overrun") == []
        assert store.search("delay") == []
        hits = store.search('"slip"')
        assert _found(hits) == {("raid_item", "R-1")}
        assert hits[0].owner == "BETA"
        with store.transaction("bob") as tx:
            tx.insert("report", "S-2", {"summary": "vendor again"})
        assert _found(store.search("vendor")) == {("report", "S-2")}

        def write(tx: Transaction) -> None:
            tx.insert("report", "S-3", {"summary": "zeppelin"})
            tx.update("report", "S-2", {"summary": "zeppelin"}, expected_version=1)
            tx.insert_many("report", [("S-4", None, {"summary": "zeppelin"})])

        with pytest.raises(RuntimeError):
            _fail_after(store, write)
        assert store.search("zeppelin") == []
        assert _found(store.search("vendor")) == {("report", "S-2")}

    def test_search_takes_hostile_text_as_words(self, store: Store) -> None:
        _search_seed(store)
        before = store.search("vendor")
        for text in (
            "",
            "   ",
            '"',
            '""',
            '"vendor',
            'vendor"',
            "*",
            "vendor*",
            "-vendor",
            "^vendor",
            "vendor:*",
            "title:vendor",
            "NEAR(vendor delay)",
            "vendor NEAR/2 delay",
            "vendor AND",
            "OR",
            "NOT vendor",
            "vendor | delay & !drop",
            "( ) ) (",
            "'; DROP TABLE documents; --",
            "\x00\x01",
            "💥 ☃",
            "vendor " * 200,
            "_",
        ):
            assert isinstance(store.search(text), list), text
        # Operators and symbols are words or separators: "NEAR" is the word near.
        assert _found(store.search("NEAR")) == {("raid_item", "R-2")}
        assert _found(store.search("vendor*")) == _found(before)
        assert _found(store.search('"vendor')) == _found(before)
        assert store.search("title:vendor") == []
        assert store.search("'; DROP TABLE documents; --") == []
        assert store.search("vendor", limit=None) == before
        assert store.count("raid_item") == 2

    def test_search_as_of_reads_the_text_of_then(
        self, store: Store, conformance_clock: FakeClock
    ) -> None:
        before_anything = conformance_clock.now - timedelta(seconds=1)
        _search_seed(store)
        then = conformance_clock.now
        conformance_clock.advance(60)
        with store.transaction("bob") as tx:
            tx.update("raid_item", "R-1", {"title": "Supplier slip"}, expected_version=1)
            tx.delete("raid_item", "R-2", expected_version=1)
        past = store.as_of(then)
        assert _found(past.search("delay")) == {("raid_item", "R-1")}
        assert _found(past.search("vendor", kinds=["raid_item"], owner="BETA")) == {
            ("raid_item", "R-2")
        }
        assert past.search('"slip"') == []
        assert "[delay]" in past.search("delay")[0].snippet.lower()
        assert store.as_of(before_anything).search("vendor") == []
        assert store.search("delay") == []

    def test_search_after_copy_in(self, store: Store, conformance_clock: FakeClock) -> None:
        target = _copy_target(store)
        with MemoryStore(clock=conformance_clock) as source:
            _search_seed(source)
            target.copy_in(source.journal())
            assert _found(store.search("vendor")) == _found(source.search("vendor"))
            assert len(store.search("vendor")) == 3


def _copy_target(store: Store) -> SupportsCopyIn:
    if not isinstance(store, SupportsCopyIn):
        pytest.skip("the backend has no copy_in (it can be copied from, not into)")
    return store


class PersistentStoreConformance(StoreConformance):
    """The suite for backends whose data outlives the store object (files, servers).

    Adds persistence and optimistic concurrency across two store objects; the subclass also
    provides ``reopen``: a fixture returning a callable that opens the same storage again as a
    new store object with the same clock.

    Example::

        import pytest

        class TestMyStore(PersistentStoreConformance):
            @pytest.fixture
            def store(self, tmp_path, conformance_clock):
                with MyStore(tmp_path / "db", clock=conformance_clock) as s:
                    yield s

            @pytest.fixture
            def reopen(self, tmp_path, conformance_clock):
                return lambda: MyStore(tmp_path / "db", clock=conformance_clock)
    """

    def test_stale_update_across_store_objects(self, store: Store, reopen: Reopen) -> None:
        other_store = reopen()
        try:
            _seed(store)
            read_by_first = store.get("project", "ALPHA")
            read_by_second = other_store.get("project", "ALPHA")
            assert read_by_first is not None
            assert read_by_second is not None
            with other_store.transaction("bob") as tx:
                tx.update(
                    "project", "ALPHA", {"name": "bob's"}, expected_version=read_by_second.version
                )
            with (
                store.transaction("alice") as tx,
                pytest.raises(ConflictError, match="ALPHA"),
            ):
                tx.update(
                    "project",
                    "ALPHA",
                    {"name": "alice's"},
                    expected_version=read_by_first.version,
                )
            doc = store.get("project", "ALPHA")
            assert doc is not None
            assert (doc.version, doc.data, doc.updated_by) == (2, {"name": "bob's"}, "bob")
        finally:
            other_store.close()

    def test_unfinished_read_does_not_block_the_next_transaction(
        self, store: Store, reopen: Reopen
    ) -> None:
        other_store = reopen()
        try:
            _seed(store)
            reading = store.query("project")
            assert next(reading).id == "ALPHA"
            with other_store.transaction("bob") as tx:
                tx.update("project", "BETA", {"name": "bob's"}, expected_version=1)
            with store.transaction("alice") as tx:
                seen = tx.get("project", "BETA")
                assert seen is not None
                assert seen.version == 2
                tx.update("project", "GAMMA", {"name": "alice's"}, expected_version=1)
            assert [d.id for d in reading] == ["BETA", "GAMMA"]
        finally:
            other_store.close()

    def test_data_survives_reopen(self, store: Store, reopen: Reopen) -> None:
        _seed(store)
        before = _snapshot(store)
        store.close()
        with reopen() as again:
            assert _snapshot(again) == before

    def test_the_chain_continues_across_store_objects(
        self, store: Store, reopen: Reopen, conformance_clock: FakeClock
    ) -> None:
        other_store = reopen()
        try:
            _seed(store)
            conformance_clock.advance(1)
            with other_store.transaction("bob") as tx:
                tx.update("project", "ALPHA", {"name": "bob's"}, expected_version=1)
            conformance_clock.advance(1)
            with store.transaction("alice") as tx:
                tx.insert_many("task", [(f"T-{i}", "ALPHA", {"n": i}) for i in range(3)])
            first, second = _verified(store), _verified(other_store)
            assert first.problems + second.problems == ()
            assert first.head == second.head == list(store.journal())[-1].hash
            assert first.entries == 8
        finally:
            other_store.close()
        head = first.head
        store.close()
        with reopen() as again:
            result = _verified(again)
            assert (result.ok, result.head) == (True, head)
