"""Opening stores from URLs, through the one registry of backends: the storage hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core import MemoryStore, PluginHost, PmoStorageBackend, SQLiteStore, Store, hookimpl
from pmo_core._errors import InvalidInputError, StoreError
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
    with open_store("sqlite:///.pmo/pmo.db", host, create=True) as store:
        assert isinstance(store, SQLiteStore)
        assert isinstance(store, Store)
    assert (tmp_path / ".pmo" / "pmo.db").is_file()
    with open_store("sqlite:///.pmo/pmo.db", host) as store:
        assert isinstance(store, SQLiteStore)


def test_sqlite_absolute_path(host: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "abs.db"
    with open_store(f"sqlite:///{path}", host, create=True) as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == str(path)
    assert path.is_file()


def test_opening_never_creates_a_sqlite_store(host: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "data" / "pmo.db"
    with pytest.raises(StoreError, match=rf"the store {path} is missing: restore it"):
        open_store(f"sqlite:///{path}", host)
    assert not path.parent.exists()


def test_the_lock_timeout_reaches_the_sqlite_store(host: PluginHost, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pmo.db'}"
    with open_store(url, host, create=True, lock_timeout=2.5) as store:
        assert isinstance(store, SQLiteStore)
        assert store.lock_timeout == 2.5
        assert store._live().execute("PRAGMA busy_timeout").fetchone()[0] == 2500


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
    # A backend whose open takes only the URL is called so, whatever the workspace asks.
    host = PluginHost(plugins={"scratch": Scratch()})
    with open_store("scratch://x", host, create=True, lock_timeout=3.0) as store:
        assert isinstance(store, MemoryStore)


def test_a_plugin_backend_gets_the_options_its_open_takes() -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    def create_aware(url: str, *, create: bool = False) -> MemoryStore:
        calls.append(("create_aware", {"create": create}))
        return MemoryStore()

    def everything(url: str, **options: object) -> MemoryStore:
        calls.append(("everything", options))
        return MemoryStore()

    class Backends:
        @hookimpl
        def pmo_storage_backends(self):
            yield PmoStorageBackend(name="one", open=create_aware)
            yield PmoStorageBackend(name="all", open=everything)

    host = PluginHost(plugins={"backends": Backends()})
    open_store("one://x", host, create=True, lock_timeout=9.0).close()
    open_store("all://x", host, lock_timeout=9.0).close()
    open_store("all://x", host).close()
    assert calls == [
        ("create_aware", {"create": True}),
        ("everything", {"create": False, "lock_timeout": 9.0}),
        ("everything", {"create": False}),
    ]


def test_sqlite_url_with_host_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="host"):
        open_sqlite("sqlite://server/pmo.db")
