"""Run the store conformance suite against the built-in backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_core._store import MemoryStore, SQLiteStore, Store
from pmo_core.testing.store_conformance import (
    FakeClock,
    PersistentStoreConformance,
    Reopen,
    StoreConformance,
)


class TestSQLiteStoreConformance(PersistentStoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path, conformance_clock: FakeClock) -> Iterator[Store]:
        with SQLiteStore(tmp_path / "data" / "pmo.db", clock=conformance_clock) as store:
            yield store

    @pytest.fixture
    def reopen(self, tmp_path: Path, conformance_clock: FakeClock) -> Reopen:
        return lambda: SQLiteStore(tmp_path / "data" / "pmo.db", clock=conformance_clock)


class TestSQLiteInMemoryConformance(StoreConformance):
    @pytest.fixture
    def store(self, conformance_clock: FakeClock) -> Iterator[Store]:
        with SQLiteStore(":memory:", clock=conformance_clock) as store:
            yield store


class TestMemoryStoreConformance(StoreConformance):
    @pytest.fixture
    def store(self, conformance_clock: FakeClock) -> Iterator[Store]:
        with MemoryStore(clock=conformance_clock) as store:
            yield store
