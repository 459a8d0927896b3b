"""Shared helpers of the pmo-demo tests (a module name unique across plugins)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pmo_core.testing import CliResult


@dataclass
class Pmo:
    """Runs ``pmo`` in-process against one workspace, through the ``pmo_cli`` fixture."""

    root: Path
    run: Callable[..., CliResult]

    def __call__(self, *args: str) -> CliResult:
        return self.run(*args, workspace=self.root, catch_exceptions=False)

    def ok(self, *args: str) -> CliResult:
        result = self(*args)
        assert result.exit_code == 0, (result.exit_code, result.output, result.stderr)
        return result


def assert_user_error(result: CliResult, code: int, *needles: str) -> None:
    """A one-line ``error: ...`` on stderr, the exit code, and no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output + result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
