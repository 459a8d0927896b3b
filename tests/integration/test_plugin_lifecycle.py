"""Plugins as operators meet them: installed packages, real processes, the real `pmo`.

These run `pmo` in subprocesses, so imports are observed in a fresh interpreter each time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmo_core.testing import FakeDistribution

pytestmark = pytest.mark.integration

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run `pmo` (through this interpreter) with a private cache and optional extra path."""

    def _run(*args: str, path: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PMO_CACHE_DIR": str(tmp_path / "cache"), **env}
        full_env.pop("PMO_WORKSPACE", None)
        if path is not None:
            full_env["PYTHONPATH"] = os.pathsep.join(
                [str(path), *filter(None, [os.environ.get("PYTHONPATH")])]
            )
        return subprocess.run(
            [sys.executable, "-c", "from pmo_core._cli import main; main()", *args],
            cwd=tmp_path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return _run


def _imported_after(run: Run, module: str, *args: str, path: Path | None = None) -> bool:
    """Run a pmo command in-process in a fresh interpreter; report whether ``module`` loaded."""
    code = (
        "import sys\nfrom pmo_core._cli import cli\n"
        f"try:\n    cli({list(args)!r}, prog_name='pmo')\nexcept SystemExit:\n    pass\n"
        f"print('IMPORTED' if {module!r} in sys.modules else 'NOT-IMPORTED')\n"
    )
    env = {**os.environ}
    env.pop("PMO_WORKSPACE", None)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    return done.stdout.strip().splitlines()[-1] == "IMPORTED"


def _plugins(run: Run, ws: Path, **kwargs: Any) -> dict[str, dict[str, Any]]:
    done = run("-w", str(ws), "plugins", "list", "--json", **kwargs)
    assert done.returncode == 0, done.stderr
    return {p["id"]: p for p in json.loads(done.stdout)}


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_an_installed_org_plugin_is_enabled_used_and_disabled(run: Run, tmp_path: Path) -> None:
    # examples/pmo-acme-rules is the tutorial's plugin, pip-installed (tox installs it).
    ws = tmp_path / "acme"
    assert run("init", str(ws), "--profile", "controlling").returncode == 0
    listed = _plugins(run, ws)
    assert listed["acme-rules"]["enabled"] is False
    assert listed["acme-rules"]["distribution"] == "pmo-acme-rules"
    assert not _imported_after(run, "pmo_acme_rules", "-w", str(ws), "plugins", "list")

    enabled = run("-w", str(ws), "plugins", "enable", "pmo-acme-rules")  # the alias works
    assert enabled.returncode == 0, enabled.stderr
    assert run("-w", str(ws), "portfolio", "create", "PF", "--name", "Acme").returncode == 0
    created = run(
        "-w", str(ws), "project", "create", "BIG", "--name", "Big bet", "--parent", "PF",
        "--tier", "1", "--sponsor", "Dana",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    check = run("-w", str(ws), "gate", "check", "BIG", "--json")
    findings = {f["rule"]: f for f in json.loads(check.stdout)["findings"]}
    assert findings["acme-cost-centre"]["plugin"] == "acme-rules"
    assert findings["acme-cost-centre"]["passed"] is False
    assert _plugins(run, ws)["acme-rules"]["status"] == "loaded"

    assert run("-w", str(ws), "plugins", "disable", "acme-rules").returncode == 0
    check = run("-w", str(ws), "gate", "check", "BIG", "--json")
    assert "acme-cost-centre" not in {f["rule"] for f in json.loads(check.stdout)["findings"]}
    assert not _imported_after(run, "pmo_acme_rules", "-w", str(ws), "gate", "check", "BIG")
    assert _plugins(run, ws)["acme-rules"]["status"] == "disabled"


def test_a_plugin_whose_import_raises_stops_no_command(
    run: Run, tmp_path: Path, fake_distribution: Callable[..., FakeDistribution]
) -> None:
    dist = fake_distribution("pmo-broken", "raise RuntimeError('boom at import')\n")
    ws = tmp_path / "ws"
    assert run("init", str(ws)).returncode == 0
    assert run("-w", str(ws), "plugins", "enable", "broken", path=dist.site).returncode == 0

    listed = run("-w", str(ws), "project", "list", path=dist.site)
    assert listed.returncode == 0, listed.stderr
    broken = _plugins(run, ws, path=dist.site)["broken"]
    assert broken["status"] == "failed"
    assert "RuntimeError: boom at import" in broken["error"]

    doctor = run("-w", str(ws), "doctor", path=dist.site)
    assert doctor.returncode != 0
    assert "boom at import" in doctor.stdout + doctor.stderr

    strict = run("-w", str(ws), "--strict", "project", "list", path=dist.site)
    assert strict.returncode != 0
    assert "broken" in strict.stderr
    assert "Traceback" not in strict.stderr
    env_strict = run("-w", str(ws), "project", "list", path=dist.site, PMO_STRICT="1")
    assert env_strict.returncode != 0


def test_an_incompatible_plugin_is_refused_before_import(
    run: Run, tmp_path: Path, fake_distribution: Callable[..., FakeDistribution]
) -> None:
    marker = tmp_path / "imported.txt"
    dist = fake_distribution(
        "pmo-future",
        f"open({str(marker)!r}, 'w').close()\n",
        requires=("pmo-core>=99",),
    )
    ws = tmp_path / "ws"
    assert run("init", str(ws)).returncode == 0
    run("-w", str(ws), "plugins", "enable", "future", path=dist.site)
    future = _plugins(run, ws, path=dist.site)["future"]
    assert future["status"] == "incompatible"
    assert ">=99" in future["error"]
    assert "0.1.0" in future["error"]
    assert run("-w", str(ws), "project", "list", path=dist.site).returncode == 0
    assert not marker.exists()
    strict = run("-w", str(ws), "--strict", "project", "list", path=dist.site)
    assert strict.returncode != 0
    assert ">=99" in strict.stderr


def test_a_command_of_a_plugin_that_stopped_loading_is_an_error_not_a_no_op(
    run: Run, tmp_path: Path, fake_distribution: Callable[..., Any]
) -> None:
    dist = fake_distribution(
        "pmo-kit-hello",
        """
        import click
        from pmo_core import PmoCommand, hookimpl

        @click.command()
        def hello():
            "Say hello."
            click.echo("hello")

        @hookimpl
        def pmo_cli_commands():
            yield PmoCommand(name="kit-hello", summary="Say hello.", command=hello)
        """,
    )
    ws = tmp_path / "ws"
    assert run("init", str(ws)).returncode == 0
    assert run("-w", str(ws), "plugins", "enable", "kit-hello", path=dist.site).returncode == 0
    said = run("-w", str(ws), "kit-hello", path=dist.site)
    assert (said.returncode, said.stdout) == (0, "hello\n")
    # The plugin breaks in place: its file changes, nothing is installed or removed, so the
    # command cache behind `pmo --help` still lists the command.
    module = dist.site / f"{dist.module}.py"
    module.write_text("raise RuntimeError('broken')\n", encoding="utf-8")
    assert "kit-hello" in run("-w", str(ws), "--help", path=dist.site).stdout

    broken = run("-w", str(ws), "kit-hello", path=dist.site)

    assert broken.returncode == 2, broken.stdout + broken.stderr
    assert "no such command 'kit-hello'" in broken.stderr
