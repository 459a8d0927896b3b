from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PMO_USER", "tester")
    for name in ("PMO_WORKSPACE", "PMO_PLUGINS_ALLOW", "PMO_PLUGINS_DENY", "PMO_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    # The caller's credentials must not stand in for the ones a test gives.
    for name in ("PMO_JIRA_TOKEN", "PMO_JIRA_TOKEN_FILE", "PMO_JIRA_EMAIL", "PMO_JIRA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
