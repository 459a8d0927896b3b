"""Helpers for the CLI tests (a module name no other test tree uses)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pmo_core._cli import cli


def installed(module: str) -> bool:
    """Whether a first-party plugin's module is importable (installed with pip -e)."""
    return importlib.util.find_spec(module) is not None


needs_governance = pytest.mark.skipif(
    not installed("pmo_governance"), reason="pmo-governance is not installed"
)
needs_stage_gate = pytest.mark.skipif(
    not (installed("pmo_stage_gate") and installed("pmo_governance")),
    reason="pmo-stage-gate and pmo-governance are not installed",
)
needs_csv = pytest.mark.skipif(not installed("pmo_csv"), reason="pmo-csv is not installed")


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
