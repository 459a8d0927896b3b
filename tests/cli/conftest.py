"""Fixtures for the CLI tests: an isolated environment, a runner and a fresh workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Pmo, installed_distribution, make_runner
from click.testing import CliRunner

from pmo_core._cli import cli


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
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


#: The profile of the tests' workspaces: pmo-governance's "starter" (governance, reports, csv
#: enabled), or a bare workspace in the core-only run, where no profile is installed. A test
#: that needs what the starter profile brings says so with the ``plugins`` marker.
STARTER = "starter" if installed_distribution("pmo-governance") else None


@pytest.fixture
def runner() -> CliRunner:
    return make_runner()


@pytest.fixture
def make_pmo(tmp_path: Path, runner: CliRunner) -> Callable[..., Pmo]:
    def make(name: str = "ws", profile: str | None = STARTER) -> Pmo:
        pmo = Pmo(tmp_path / name, runner)
        chosen = ["--profile", profile] if profile else []
        result = runner.invoke(cli, ["init", str(pmo.root), *chosen], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return pmo

    return make


@pytest.fixture
def pmo(make_pmo: Callable[..., Pmo]) -> Pmo:
    return make_pmo()


@pytest.fixture
def hierarchy(pmo: Pmo) -> Pmo:
    """A portfolio PF, a program ERP under it, and a project ALPHA under ERP."""
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("program", "create", "ERP", "--name", "ERP renewal", "--parent", "PF")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "ERP",
        "--sponsor", "Dana", "--budget", "250000 EUR", "--start", "2025-01-06",
        "--finish", "2025-12-19",
    )  # fmt: skip
    return pmo
