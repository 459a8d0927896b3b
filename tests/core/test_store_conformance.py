"""Run the store conformance suite against the built-in backends, tampering included."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmo_core._store import MemoryStore, SQLiteStore, Store
from pmo_core.testing.store_conformance import (
    FakeClock,
    PersistentStoreConformance,
    Reopen,
    StoreConformance,
    StoreTamper,
)

_NO_UPDATE = """CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"""
_NO_DELETE = """CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"""


class SQLiteTamper:
    """Edits a pmo SQLite database with plain SQL, as anyone who can write the file can: the
    append-only triggers are dropped for the edit and put back afterwards, so only the
    journal and the documents show what happened."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _edit(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        self.conn.execute("DROP TRIGGER journal_no_update")
        self.conn.execute("DROP TRIGGER journal_no_delete")
        for sql, params in statements:
            self.conn.execute(sql, params)
        self.conn.execute(_NO_UPDATE)
        self.conn.execute(_NO_DELETE)

    def alter_entry(self, seq: int, after: dict[str, Any]) -> None:
        self._edit(("UPDATE journal SET after = ? WHERE seq = ?", (json.dumps(after), seq)))

    def delete_entry(self, seq: int) -> None:
        self._edit(("DELETE FROM journal WHERE seq = ?", (seq,)))

    def swap_entries(self, first: int, second: int) -> None:
        self._edit(
            ("UPDATE journal SET seq = -1 WHERE seq = ?", (first,)),
            ("UPDATE journal SET seq = ? WHERE seq = ?", (first, second)),
            ("UPDATE journal SET seq = ? WHERE seq = -1", (second,)),
        )

    def alter_document(self, kind: str, id: str, data: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE documents SET data = ? WHERE kind = ? AND id = ?", (json.dumps(data), kind, id)
        )

    def delete_document(self, kind: str, id: str) -> None:
        self.conn.execute("DELETE FROM documents WHERE kind = ? AND id = ?", (kind, id))


class MemoryTamper:
    """Edits a MemoryStore's lists and dicts directly."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def _entries(self) -> list[Any]:
        return self.store._journal

    def _reindex(self) -> None:
        self.store._journal_by_kind = {}
        for entry in self.store._journal:
            self.store._journal_by_kind.setdefault(entry[5], []).append(entry)

    def alter_entry(self, seq: int, after: dict[str, Any]) -> None:
        entries = self._entries()
        i = next(i for i, e in enumerate(entries) if e[0] == seq)
        entries[i] = (*entries[i][:11], json.dumps(after), *entries[i][12:])
        self._reindex()

    def delete_entry(self, seq: int) -> None:
        self.store._journal = [e for e in self._entries() if e[0] != seq]
        self._reindex()

    def swap_entries(self, first: int, second: int) -> None:
        entries = self._entries()
        i = next(i for i, e in enumerate(entries) if e[0] == first)
        j = next(i for i, e in enumerate(entries) if e[0] == second)
        # Each row takes the other's seq; the list stays in seq order, as a journal is read.
        entries[i], entries[j] = (first, *entries[j][1:]), (second, *entries[i][1:])
        self._reindex()

    def alter_document(self, kind: str, id: str, data: dict[str, Any]) -> None:
        row = self.store._docs[kind][id]
        self.store._docs[kind][id] = (row[0], row[1], json.dumps(data), row[3], row[4])

    def delete_document(self, kind: str, id: str) -> None:
        del self.store._docs[kind][id]


class TestSQLiteStoreConformance(PersistentStoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path, conformance_clock: FakeClock) -> Iterator[Store]:
        with SQLiteStore(tmp_path / "data" / "pmo.db", clock=conformance_clock) as store:
            yield store

    @pytest.fixture
    def reopen(self, tmp_path: Path, conformance_clock: FakeClock) -> Reopen:
        return lambda: SQLiteStore(tmp_path / "data" / "pmo.db", clock=conformance_clock)

    @pytest.fixture
    def tamper(self, tmp_path: Path, store: Store) -> Iterator[StoreTamper]:
        conn = sqlite3.connect(tmp_path / "data" / "pmo.db", isolation_level=None)
        yield SQLiteTamper(conn)
        conn.close()


class TestSQLiteInMemoryConformance(StoreConformance):
    @pytest.fixture
    def store(self, conformance_clock: FakeClock) -> Iterator[Store]:
        with SQLiteStore(":memory:", clock=conformance_clock) as store:
            yield store

    @pytest.fixture
    def tamper(self, store: SQLiteStore) -> StoreTamper:
        return SQLiteTamper(store._live())


class TestMemoryStoreConformance(StoreConformance):
    @pytest.fixture
    def store(self, conformance_clock: FakeClock) -> Iterator[Store]:
        with MemoryStore(clock=conformance_clock) as store:
            yield store

    @pytest.fixture
    def tamper(self, store: MemoryStore) -> StoreTamper:
        return MemoryTamper(store)
