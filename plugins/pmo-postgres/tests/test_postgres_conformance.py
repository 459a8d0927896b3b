"""PostgresStore passes the store conformance suite every pmo backend passes, tampering
included: what SQLiteStore does, it does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from pg_support import PostgresTamper
from pmo_postgres import PostgresStore

from pmo_core import Store
from pmo_core.testing import FakeClock, PersistentStoreConformance, StoreTamper
from pmo_core.testing.store_conformance import Reopen


class TestPostgresStoreConformance(PersistentStoreConformance):
    @pytest.fixture
    def store(self, store_url: str, conformance_clock: FakeClock) -> Iterator[Store]:
        with PostgresStore(store_url, clock=conformance_clock) as store:
            yield store

    @pytest.fixture
    def reopen(self, store_url: str, conformance_clock: FakeClock) -> Reopen:
        return lambda: PostgresStore(store_url, clock=conformance_clock, create=False)

    @pytest.fixture
    def tamper(self, store: Store, admin: psycopg.Connection[Any], schema: str) -> StoreTamper:
        return PostgresTamper(admin, schema)
