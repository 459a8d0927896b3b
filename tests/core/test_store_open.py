"""Opening stores from URLs, through the one registry of backends: the storage hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core import MemoryStore, PluginHost, PmoStorageBackend, SQLiteStore, Store, hookimpl
from pmo_core._errors import InvalidInputError
from pmo_core._services.storage import open_store
from pmo_core._store import open_memory, open_sqlite
from pmo_core.testing.store_conformance import FakeClock


@pytest.fixture
def host() -> PluginHost:
    return PluginHost()


def test_the_builtin_backends_come_through_the_storage_hook(host: PluginHost) -> None:
    backends = {b.name: b for b in host.records(PmoStorageBackend)}
    assert sorted(backends) == ["memory", "sqlite"]
    assert {b.plugin for b in backends.values()} == {"pmo-core"}


def test_sqlite_relative_path(
    host: PluginHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///.pmo/pmo.db", host) as store:
        assert isinstance(store, SQLiteStore)
        assert isinstance(store, Store)
    assert (tmp_path / ".pmo" / "pmo.db").is_file()


def test_sqlite_absolute_path(host: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "abs.db"
    with open_store(f"sqlite:///{path}", host) as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == str(path)
    assert path.is_file()


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_sqlite_memory(host: PluginHost, url: str) -> None:
    with open_store(url, host) as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == ":memory:"


def test_memory_store(host: PluginHost) -> None:
    with open_store("memory://", host) as store:
        assert isinstance(store, MemoryStore)


def test_the_backends_own_openers_take_a_clock() -> None:
    clock = FakeClock()
    with open_memory("memory://", clock=clock) as store:
        with store.transaction("alice") as tx:
            doc = tx.insert("project", "ALPHA", {})
        assert doc.updated_at == clock.now


@pytest.mark.parametrize("url", ["postgres://db/pmo", "pmo.db", "", "sqlite:"])
def test_unknown_or_malformed_url(host: PluginHost, url: str) -> None:
    with pytest.raises(InvalidInputError, match="url"):
        open_store(url, host)


def test_an_unknown_scheme_names_the_registered_ones(host: PluginHost) -> None:
    with pytest.raises(InvalidInputError, match=r"available: memory, sqlite"):
        open_store("postgres://db/pmo", host)


def test_a_plugin_backend_opens_its_scheme(tmp_path: Path) -> None:
    class Scratch:
        @hookimpl
        def pmo_storage_backends(self):
            yield PmoStorageBackend(name="scratch", open=lambda url: MemoryStore())

    with open_store("scratch://x", PluginHost(plugins={"scratch": Scratch()})) as store:
        assert isinstance(store, MemoryStore)


def test_sqlite_url_with_host_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="host"):
        open_sqlite("sqlite://server/pmo.db")
