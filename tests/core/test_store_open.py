"""Opening stores from URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core._errors import InvalidInputError
from pmo_core._store import (
    BUILTIN_BACKENDS,
    MemoryStore,
    SQLiteStore,
    Store,
    open_memory,
    open_sqlite,
    open_store,
)
from pmo_core.testing.store_conformance import FakeClock


def test_builtin_backends_have_one_opener_per_scheme() -> None:
    assert {"sqlite": open_sqlite, "memory": open_memory} == BUILTIN_BACKENDS


def test_sqlite_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///.pmo/pmo.db") as store:
        assert isinstance(store, SQLiteStore)
        assert isinstance(store, Store)
    assert (tmp_path / ".pmo" / "pmo.db").is_file()


def test_sqlite_absolute_path(tmp_path: Path) -> None:
    path = tmp_path / "abs.db"
    with open_store(f"sqlite:///{path}") as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == str(path)
    assert path.is_file()


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_sqlite_memory(url: str) -> None:
    with open_store(url) as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == ":memory:"


def test_memory_store_and_clock() -> None:
    clock = FakeClock()
    with open_store("memory://", clock=clock) as store:
        assert isinstance(store, MemoryStore)
        with store.transaction("alice") as tx:
            doc = tx.insert("project", "ALPHA", {})
        assert doc.updated_at == clock.now


@pytest.mark.parametrize("url", ["postgres://db/pmo", "pmo.db", "", "sqlite:"])
def test_unknown_or_malformed_url(url: str) -> None:
    with pytest.raises(InvalidInputError, match="url"):
        open_store(url)


def test_sqlite_url_with_host_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="host"):
        open_sqlite("sqlite://server/pmo.db")
