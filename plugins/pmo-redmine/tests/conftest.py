from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from redmine_support import FakeRedmine, Seeder, seeder, server


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PMO_USER", "tester")
    for name in ("PMO_WORKSPACE", "PMO_PLUGINS_ALLOW", "PMO_PLUGINS_DENY", "PMO_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    # The caller's key must not stand in for the one a test gives.
    for name in ("PMO_REDMINE_API_KEY", "PMO_REDMINE_URL", "PMO_REDMINE_API_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fake() -> FakeRedmine:
    """An empty fake Redmine (httpx.MockTransport, no network)."""
    return FakeRedmine()


@pytest.fixture(scope="session")
def redmine() -> tuple[str, str]:
    """The real test server's URL and admin API key (scripts/redmine.sh)."""
    return server()


@pytest.fixture
def seed(redmine: tuple[str, str]) -> Iterator[Seeder]:
    """A seeder on the real server, its projects named for this test alone."""
    with seeder(*redmine) as s:
        yield s
