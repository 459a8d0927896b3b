"""What the integration tests share: running `pmo` in a fresh interpreter, the way a user does,
with a private cache and the fake distributions' site on its path."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Pmo = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def pmo(tmp_path: Path) -> Pmo:
    """``pmo(*args, site=dist.site)``: the finished process of one `pmo` command."""

    def run(*args: str, site: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PMO_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(site)}
        env.pop("PMO_WORKSPACE", None)
        return subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    return run
