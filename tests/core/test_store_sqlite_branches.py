"""The SQLite store when its file is damaged, locked, read-only or misused: each failure says
what happened to which file, and nothing is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmo_core._errors import StoreError
from pmo_core._store import LATEST_VERSION, SQLiteStore
from pmo_core._store.protocol import JournalEntry


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store holding one project, ALPHA, written by alice."""
    path = tmp_path / "pmo.db"
    with SQLiteStore(path) as store, store.transaction("alice", command="project create") as tx:
        tx.insert("project", "ALPHA", {"name": "Alpha"})
    return path


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _projects(path: Path) -> list[str]:
    with SQLiteStore(path, create=False) as store:
        return [d.id for d in store.query("project")]


def test_a_journal_entry_without_its_transaction_record_reads_as_damage(db_path: Path) -> None:
    conn = _raw(db_path)
    conn.execute("DROP TRIGGER transactions_no_delete")
    conn.execute("DELETE FROM transactions")
    conn.close()
    with SQLiteStore(db_path, create=False) as store, pytest.raises(StoreError) as info:
        list(store.journal())
    assert str(info.value) == (
        f"the store {db_path} is damaged (journal entry seq 1 has no transaction record): "
        "run 'pmo doctor --verify', and restore the file from a backup"
    )


def test_a_stream_read_after_close_is_misuse_not_damage(db_path: Path) -> None:
    """A closed connection is the caller's doing: its error is not reported as a bad file."""
    store = SQLiteStore(db_path, create=False)
    rows = store.query("project")
    store.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        next(rows)
    assert _projects(db_path) == ["ALPHA"]


def test_a_missing_table_is_reported_as_unreadable_naming_the_file(db_path: Path) -> None:
    with SQLiteStore(db_path, create=False) as store:
        conn = _raw(db_path)
        conn.execute("DROP TABLE documents")
        conn.close()
        expected = f"cannot read the store {db_path}: no such table: documents"
        for read in (
            lambda: store.get("project", "ALPHA"),
            lambda: list(store.query("project")),
            lambda: store.count("project"),
        ):
            with pytest.raises(StoreError) as info:
                read()
            assert str(info.value) == expected
            assert isinstance(info.value.__cause__, sqlite3.OperationalError)


def test_opening_a_store_another_process_holds_says_it_is_busy(db_path: Path) -> None:
    lock = _raw(db_path)
    try:
        lock.execute("PRAGMA locking_mode = EXCLUSIVE")
        lock.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as info:
            SQLiteStore(db_path, create=False, lock_timeout=0)
        assert str(info.value) == (
            f"another pmo command is writing to {db_path}; waited 0 s; try again, or "
            "raise [workspace] lock_timeout in pmo.toml"
        )
        lock.execute("ROLLBACK")
    finally:
        lock.close()
    assert _projects(db_path) == ["ALPHA"]


def _read_only(path: Path) -> SQLiteStore:
    return SQLiteStore(f"file:{path}?mode=ro")


def test_a_write_to_a_read_only_store_is_rolled_back_with_the_reason(db_path: Path) -> None:
    with _read_only(db_path) as store:
        with pytest.raises(StoreError) as info, store.transaction("bob") as tx:
            tx.insert("project", "BETA", {"name": "Beta"})
        assert str(info.value) == (
            "transaction failed and was rolled back: attempt to write a readonly database"
        )
        # The store is still usable: the failed transaction released it.
        assert [d.id for d in store.query("project")] == ["ALPHA"]
    assert _projects(db_path) == ["ALPHA"]


def _journal_of_one_project() -> list[JournalEntry]:
    with SQLiteStore(":memory:") as source:
        with source.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        return list(source.journal())


def test_a_copy_into_a_read_only_store_is_rolled_back_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    SQLiteStore(path).close()
    with _read_only(path) as target:
        with pytest.raises(StoreError) as info:
            target.copy_in(_journal_of_one_project())
        assert str(info.value) == (
            f"copy into file:{path}?mode=ro failed and was rolled back: attempt to write a "
            "readonly database"
        )
    with SQLiteStore(path, create=False) as store:
        assert list(store.journal()) == []
        assert list(store.transactions()) == []


def test_a_transaction_begun_while_copy_in_holds_the_store_is_refused(tmp_path: Path) -> None:
    """An entry stream that writes to the store it is being copied into gets a clear error,
    and the copy writes nothing."""
    path = tmp_path / "target.db"
    entries = _journal_of_one_project()
    with SQLiteStore(path) as target:

        def writing() -> Iterator[JournalEntry]:
            with target.transaction("bob") as tx:
                tx.insert("project", "BETA", {})
            yield from entries

        with pytest.raises(StoreError) as info:
            target.copy_in(writing())
        assert str(info.value) == (
            f"cannot start a transaction on {str(path)!r}: cannot start a transaction within "
            "a transaction"
        )
        assert list(target.journal()) == []
        assert target.count("project") == 0
        # The store is free again: a copy of the same entries now goes in whole.
        assert target.copy_in(entries) == 1
        assert [d.id for d in target.query("project")] == ["ALPHA"]


def test_closing_the_store_inside_a_transaction_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    store = SQLiteStore(path)

    def close_inside() -> None:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
            store.close()

    with pytest.raises(sqlite3.ProgrammingError):
        close_inside()
    with SQLiteStore(path, create=False) as reopened:
        assert reopened.count("project") == 0
        assert list(reopened.journal()) == []


def test_a_store_created_by_another_process_while_this_one_opens_it_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes creating one new store at once: the other one commits the schema while
    this one is checking what the file holds. Before the fix the check read the version and
    the tables in two statements, saw tables without a version between them and refused the
    store as "a SQLite database of something else" (test_store_concurrency's processes hit
    it now and then on a busy machine)."""
    path = tmp_path / "new" / "pmo.db"
    connect = sqlite3.connect
    raced: list[str] = []

    def racing_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        if not raced:  # this process's connection; the other process's is left alone

            def other_process_creates_it(sql: str) -> None:
                if "sqlite_master" in sql and not raced:
                    raced.append(sql)
                    with SQLiteStore(path) as other, other.transaction("other") as tx:
                        tx.insert("project", "OTHER", {})

            conn.set_trace_callback(other_process_creates_it)
        return conn

    monkeypatch.setattr(sqlite3, "connect", racing_connect)
    with SQLiteStore(path) as store:
        assert raced
        assert store.schema_version == LATEST_VERSION
        assert [d.id for d in store.query("project")] == ["OTHER"]
