"""The SQLite store's search index: FTS5 where the Python's SQLite has it, a clear error
where it does not, and an index rebuilt when a store comes back from such a Python.

The matching itself is the conformance suite's (pmo_core.testing.store_conformance).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pmo_core import MemoryStore, SearchQuery, StoreError, Workspace
from pmo_core._store import SQLiteStore, _sqlite_search


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def test_this_python_has_fts5() -> None:
    # Debian's and python.org's builds do; if this fails the tests run on a build without it.
    assert _sqlite_search.fts5_available()


def test_without_fts5_the_store_works_and_search_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pmo.db"
    with SQLiteStore(path) as store, store.transaction("alice") as tx:
        tx.insert("raid_item", "R-1", {"title": "Vendor late"})
    monkeypatch.setattr(_sqlite_search, "fts5_available", lambda: False)
    with SQLiteStore(path, create=False) as store:
        with store.transaction("bob") as tx:
            tx.insert("raid_item", "R-2", {"title": "Vendor gone"})
            tx.update("raid_item", "R-1", {"title": "Supplier late"}, expected_version=1)
        with pytest.raises(StoreError, match="FTS5"):
            store.search("vendor")
        assert store.verify().ok
    assert "search_stale" in _tables(path)  # the index missed those writes
    monkeypatch.undo()
    with SQLiteStore(path, create=False) as store:
        assert [h.id for h in store.search("vendor")] == ["R-2"]
        assert [h.id for h in store.search("supplier")] == ["R-1"]
    assert "search_stale" not in _tables(path)


def test_a_store_made_without_fts5_gets_its_index_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pmo.db"
    monkeypatch.setattr(_sqlite_search, "fts5_available", lambda: False)
    with SQLiteStore(path) as store, store.transaction("alice") as tx:
        tx.insert_many("lesson", [("L-1", None, {"what_happened": "Vendor slipped"})])
    assert "search_index" not in _tables(path)
    monkeypatch.undo()
    with SQLiteStore(path, create=False) as store:
        assert [h.id for h in store.search("vendor")] == ["L-1"]


def test_the_index_agrees_with_a_scan(tmp_path: Path) -> None:
    # The same documents found by the FTS5 index and by the scan every store shares.
    words = ["vendor", "delay", "budget", "risk", "drop", "supplier", "Ünïcode", "naïve"]
    rows = [
        (f"D-{i}", None, {"text": " ".join(words[(i * j) % len(words)] for j in range(1, 5))})
        for i in range(60)
    ]
    with SQLiteStore(tmp_path / "pmo.db") as store:
        with store.transaction("alice") as tx:
            tx.insert_many("note", rows)
        for text in ("vendor", "vendor delay", '"delay budget"', "ün", "naïve", "sup", "x y"):
            query = SearchQuery.parse(text)
            scanned = query.scan(store.query("note"), limit=None)
            assert {h.id for h in store.search(text, limit=None)} == {h.id for h in scanned}


def test_a_backend_without_search_is_named() -> None:
    class OldStore:
        """A backend written before Store.search."""

        def __init__(self) -> None:
            self.inner = MemoryStore()

        def __getattr__(self, name: str) -> object:
            if name == "search":
                raise AttributeError(name)
            return getattr(self.inner, name)

    ws = Workspace.in_memory(store=OldStore())  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="OldStore cannot search"):
        ws.search("vendor")
