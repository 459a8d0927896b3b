"""Every test runs in its own empty directory, with no PMO_* setting of the caller's shell."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PMO_USER", "tester")
    for name in (
        "PMO_WORKSPACE",
        "PMO_PLUGINS_ALLOW",
        "PMO_PLUGINS_DENY",
        "PMO_STORE_URL",
        "PMO_STRICT",
        "PMO_DEBUG",
        "NO_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
