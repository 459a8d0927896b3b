"""A store file is created only when a workspace is: a missing, empty or foreign file is an
error naming the file and the way back, and nothing is written while refusing it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pmo_core import StoreError, Workspace
from pmo_core._errors import InvalidInputError
from pmo_core._store import MemoryStore, SQLiteStore, open_sqlite

RECOVER = "restore it from a backup, or run 'pmo init' in another directory"


def test_a_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "pmo.db"
    with pytest.raises(StoreError) as info:
        SQLiteStore(path, create=False)
    assert str(info.value) == (f"the store {path} is missing: {RECOVER} to start a new workspace")
    assert not path.parent.exists()


def test_an_empty_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    path.touch()
    with pytest.raises(StoreError) as info:
        SQLiteStore(path, create=False)
    assert str(info.value) == (
        f"the store {path} is empty (0 bytes): {RECOVER} to start a new workspace"
    )
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pmo.db"]


def test_create_makes_the_file_and_then_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "data" / "pmo.db"
    with SQLiteStore(path, create=True) as store, store.transaction("alice") as tx:
        tx.insert("project", "ALPHA", {})
    with SQLiteStore(path, create=False) as store:
        assert store.count("project") == 1
    # An empty file is a new store when asked to create one.
    empty = tmp_path / "empty.db"
    empty.touch()
    with SQLiteStore(empty, create=True) as store:
        assert store.verify().ok


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not a database, just text " * 400)
    for create in (True, False):
        with pytest.raises(StoreError) as info:
            SQLiteStore(path, create=create)
        assert str(info.value) == (
            f"the store {path} is not a valid pmo store: file is not a database; restore it "
            "from a backup"
        )


def test_a_sqlite_database_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    for create in (True, False):
        with pytest.raises(StoreError, match="is not a valid pmo store: it is a SQLite database"):
            SQLiteStore(path, create=create)
    with sqlite3.connect(path) as conn:  # untouched: no pmo table was added
        tables = conn.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("invoices",)]


def test_a_database_without_schema_is_not_opened_as_a_store(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")  # a header, and nothing else
    with pytest.raises(StoreError, match="is not a valid pmo store: it has no pmo schema"):
        SQLiteStore(path, create=False)


def test_in_memory_databases_need_no_file() -> None:
    with SQLiteStore(":memory:", create=False) as store:
        assert store.verify().ok
    with open_sqlite("sqlite:///:memory:") as store:
        assert store.path == ":memory:"


def test_open_sqlite_opens_existing_stores_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pmo.db'}"
    with pytest.raises(StoreError, match="is missing"):
        open_sqlite(url)
    open_sqlite(url, create=True).close()
    open_sqlite(url).close()


@pytest.mark.parametrize("value", [-1, 86401, True, "60"])
def test_lock_timeout_is_checked(tmp_path: Path, value: object) -> None:
    with pytest.raises(InvalidInputError, match="lock_timeout"):
        SQLiteStore(tmp_path / "pmo.db", lock_timeout=value)  # type: ignore[arg-type]
    assert not (tmp_path / "pmo.db").exists()


# ----------------------------------------------------------------------------- workspaces


def _workspace_without_store(tmp_path: Path, how: str) -> Path:
    root = tmp_path / "acme"
    Workspace.init(root).close()
    store = root / ".pmo" / "pmo.db"
    if how == "missing":
        store.unlink()
    else:
        store.write_bytes(b"")
    return store


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_opening_a_workspace_never_recreates_its_store(tmp_path: Path, how: str) -> None:
    store = _workspace_without_store(tmp_path, how)
    with Workspace.open(tmp_path / "acme") as ws:
        with pytest.raises(StoreError) as info:
            ws.view().projects()
        with pytest.raises(StoreError):
            ws.create("portfolio", id="PF", name="PF")
    what = "is missing" if how == "missing" else "is empty (0 bytes)"
    assert str(info.value) == f"the store {store} {what}: {RECOVER} to start a new workspace"
    assert store.exists() == (how == "empty")
    if store.exists():
        assert store.stat().st_size == 0


def test_init_creates_the_store(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "acme") as ws:
        assert (tmp_path / "acme" / ".pmo" / "pmo.db").stat().st_size > 0
        assert ws.verify().ok
    with Workspace.open(tmp_path / "acme") as ws:
        ws.create("portfolio", id="PF", name="PF")
        result = ws.verify()
    assert (result.ok, result.entries) == (True, 1)


def test_the_workspace_lock_timeout_reaches_its_store(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    Workspace.init(root).close()
    config = root / "pmo.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[workspace]", "[workspace]\nlock_timeout = 2.5"
        ),
        encoding="utf-8",
    )
    with Workspace.open(root) as ws:
        assert ws.config.lock_timeout == 2.5
        store = ws.store
        assert isinstance(store, SQLiteStore)
        assert store.lock_timeout == 2.5


class _StoreWithoutVerify:
    """A plugin backend written before Store.verify existed."""

    def __init__(self) -> None:
        self._store = MemoryStore()

    def __getattr__(self, name: str) -> Any:
        if name == "verify":
            raise AttributeError(name)
        return getattr(self._store, name)


def test_a_backend_without_verify_is_said_to_be_one() -> None:
    with Workspace.in_memory(store=_StoreWithoutVerify()) as ws:
        ws.create("portfolio", id="PF", name="PF")
        with pytest.raises(StoreError, match="cannot verify itself"):
            ws.verify()
