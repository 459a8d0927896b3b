"""Every test runs against the PostgreSQL server ``PMO_TEST_POSTGRES_URL`` names, in a schema
of its own (a random name, dropped afterwards), in an empty directory with no PMO_* setting of
the caller's shell. Without the server the tests fail, saying how to start one: they never
pass by skipping."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pg_support import HOW_TO_START, random_name, with_schema
from pmo_postgres import PostgresStore

from pmo_core.testing import FakeClock


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PMO_USER", "tester")
    for name in (
        "PMO_WORKSPACE",
        "PMO_PLUGINS_ALLOW",
        "PMO_PLUGINS_DENY",
        "PMO_STRICT",
        "PMO_DEBUG",
        "PMO_STORE_URL",
        "NO_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def server_url() -> str:
    """The test server's URL, with its password (the role owns the test database)."""
    url = os.environ.get("PMO_TEST_POSTGRES_URL", "").strip()
    if not url:
        pytest.fail(f"PMO_TEST_POSTGRES_URL is not set. {HOW_TO_START}", pytrace=False)
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        pytest.fail(
            f"cannot connect to PMO_TEST_POSTGRES_URL ({exc}). {HOW_TO_START}", pytrace=False
        )
    return url


@pytest.fixture
def admin(server_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A plain connection as the server URL's role, for SQL behind the store's back."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def schema(admin: psycopg.Connection[tuple[object, ...]]) -> Iterator[str]:
    """A fresh schema name; the schema is dropped after the test, whatever it holds."""
    name = random_name("pmo_test")
    yield name
    admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def store_url(server_url: str, schema: str) -> str:
    """The URL of a store in the test's own schema."""
    return with_schema(server_url, schema)


@pytest.fixture
def pg_store(store_url: str) -> Iterator[PostgresStore]:
    with PostgresStore(store_url, clock=FakeClock()) as store:
        yield store
