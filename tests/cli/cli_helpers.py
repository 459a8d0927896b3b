"""Helpers for the CLI tests (a module name no other test tree uses)."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pmo_core._cli import cli


def installed_distribution(name: str) -> bool:
    """Whether a distribution is installed (for fixtures; a test uses the ``plugins`` marker)."""
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def set_governance_model(root: Path, model: str) -> None:
    """Write the workspace's governance model into its pmo.toml (a bare workspace has none)."""
    import tomlkit

    config = root / "pmo.toml"
    document = tomlkit.parse(config.read_text(encoding="utf-8"))
    document["workspace"]["governance_model"] = model  # type: ignore[index]
    config.write_text(tomlkit.dumps(document), encoding="utf-8")


# A test that needs a first-party plugin says so: without it the test is deselected (the
# core-only run, tox -e core-only), never skipped or passed on a branch (tests/conftest.py).
needs_governance = pytest.mark.plugins("pmo-governance")
needs_stage_gate = pytest.mark.plugins("pmo-stage-gate", "pmo-governance")
needs_csv = pytest.mark.plugins("pmo-csv")
needs_scrum = pytest.mark.plugins("pmo-scrum")
needs_reports = pytest.mark.plugins("pmo-reports")


def make_runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart already


@dataclass
class Pmo:
    """Runs ``pmo`` in-process against one workspace."""

    root: Path
    runner: CliRunner

    def __call__(self, *args: str, workspace: bool = True, input: str | None = None) -> Result:
        argv = ["-w", str(self.root), *args] if workspace else list(args)
        return self.runner.invoke(cli, argv, input=input, catch_exceptions=False)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.stderr)
        return result

    def journal_length(self) -> int:
        from pmo_core import Workspace

        with Workspace.open(self.root) as ws:
            return len(ws.journal())

    def snapshot(self) -> tuple[int, str]:
        """What a refused command must leave unchanged: the journal and pmo.toml."""
        return self.journal_length(), (self.root / "pmo.toml").read_text(encoding="utf-8")


def assert_user_error(result: Result, code: int, *needles: str) -> None:
    """A one-line ``error: ...`` on stderr, the exit code, and no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output + result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
