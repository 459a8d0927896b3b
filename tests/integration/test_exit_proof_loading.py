"""A plugin cannot decide how pmo ends: an import that calls sys.exit or os._exit, raises
KeyboardInterrupt or leaves an exit handler behind is refused or quarantined, with the reason,
and every command still works; a slow import is measured and reported."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core.testing import FakeDistribution

pytestmark = pytest.mark.integration

# The `pmo` fixture (tests/integration/conftest.py) runs one command in a fresh interpreter.
Pmo = Callable[..., subprocess.CompletedProcess[str]]

Install = Callable[..., FakeDistribution]
Run = Pmo


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import sys\nsys.exit(0)\n", "import failed: SystemExit: 0"),
        ("import sys\nsys.exit(3)\n", "import failed: SystemExit: 3"),
        ("raise KeyboardInterrupt\n", "import failed: KeyboardInterrupt"),
        ("import os\nos._exit(0)\n", "refused: its import ends the process (exit status 0)"),
        (
            "import atexit, os\natexit.register(lambda: os._exit(0))\n",
            "refused: after its import the process ends with status 0",
        ),
    ],
    ids=["sys-exit-0", "sys-exit-3", "keyboard-interrupt", "os-exit", "atexit-os-exit"],
)
def test_an_import_that_would_end_pmo_is_contained(
    fake_distribution: Install, pmo: Run, tmp_path: Path, source: str, reason: str
) -> None:
    dist = fake_distribution("pmo-kit-exit", source)
    ws = str(tmp_path / "ws")
    assert pmo("init", ws, site=dist.site).returncode == 0
    assert pmo("-w", ws, "project", "create", "P1", "--name", "One", site=dist.site).returncode == 0

    enabled = pmo("-w", ws, "plugins", "enable", "kit-exit", site=dist.site)
    updated = pmo("-w", ws, "project", "update", "P1", "--name", "Renamed", site=dist.site)
    shown = pmo("-w", ws, "project", "show", "P1", "--json", site=dist.site)
    listed = pmo("-w", ws, "plugins", "list", "--json", site=dist.site)
    disabled = pmo("-w", ws, "plugins", "disable", "kit-exit", site=dist.site)

    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert json.loads(shown.stdout)["name"] == "Renamed"  # the write happened
    status = next(p for p in json.loads(listed.stdout) if p["id"] == "kit-exit")
    assert status["status"] == "failed"
    assert status["error"] == reason
    assert disabled.returncode == 0, disabled.stdout + disabled.stderr
    assert "Disabled kit-exit" in disabled.stdout


def test_a_slow_import_is_measured_traced_and_reported_by_doctor(
    fake_distribution: Install, pmo: Run, tmp_path: Path
) -> None:
    dist = fake_distribution("pmo-kit-slow", "import time\ntime.sleep(0.5)\n")
    ws = tmp_path / "ws"
    assert pmo("init", str(ws), site=dist.site).returncode == 0
    config = ws / "pmo.toml"
    config.write_text(
        config.read_text().replace("strict = false", "strict = false\nslow_import_seconds = 0.2")
    )
    assert pmo("-w", str(ws), "plugins", "enable", "kit-slow", site=dist.site).returncode == 0

    traced = pmo("-w", str(ws), "--trace", "plugins", "list", "--json", site=dist.site)
    doctor = pmo("-w", str(ws), "doctor", site=dist.site)

    status = next(p for p in json.loads(traced.stdout) if p["id"] == "kit-slow")
    assert status["status"] == "loaded"
    assert status["import_seconds"] >= 0.5
    assert status["notes"][0].startswith("its import took 0.")
    assert "(more than 0.2 s)" in status["notes"][0]
    assert "pmo_core.trace: import[kit-slow]" in traced.stderr
    assert doctor.returncode == 1
    assert "kit-slow: its import took" in doctor.stdout
