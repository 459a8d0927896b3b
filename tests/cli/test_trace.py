"""The trace switch: `--trace` or PMO_TRACE=1 logs every hook call with its duration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("how", ["option", "environment"])
def test_trace_logs_hook_calls_to_stderr(tmp_path: Path, how: str) -> None:
    env = {**os.environ, "PMO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PMO_WORKSPACE", None)
    env.pop("PMO_TRACE", None)

    def pmo(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", *args],
            cwd=tmp_path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert pmo("init", "ws").returncode == 0
    args = ["-w", "ws", "portfolio", "create", "PF", "--name", "Portfolio"]
    done = pmo("--trace", *args) if how == "option" else pmo(*args, PMO_TRACE="1")
    assert done.returncode == 0, done.stderr
    traced = [line for line in done.stderr.splitlines() if line.startswith("pmo_core.trace:")]
    assert any("pmo_entities_changed" in line and " ms" in line for line in traced), done.stderr
    quiet = pmo("-w", "ws", "portfolio", "list")
    assert "pmo_core.trace" not in quiet.stderr
