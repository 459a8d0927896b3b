"""Reading the store imports no plugin: on the demo workspace, with marker plugins enabled
that record their own import, ``pmo journal`` and ``pmo project list`` import no plugin module
(a write imports the plugins that listen to its events, and only those)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core.testing import FakeDistribution

pytestmark = pytest.mark.integration

Install = Callable[..., FakeDistribution]

MARKER = """
import os
from pathlib import Path

from pmo_core import hookimpl

Path(os.environ["PMO_TEST_MARKER"]).write_text("imported")


@hookimpl
def pmo_status_reported(workspace, reports):
    pass
"""

# Implements no hook at all: nothing but ``pmo plugins`` and enabling it needs to import it.
SILENT = """
import os
from pathlib import Path

Path(os.environ["PMO_TEST_SILENT"]).write_text("imported")
"""

# Runs a command in a fresh interpreter and prints the plugin modules it imported.
PROBE = """
import json, sys
from pmo_core._cli import cli
try:
    cli(sys.argv[1:], prog_name="pmo")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "plugins": sorted(
    m for m in sys.modules if m.startswith("pmo_") and not m.startswith("pmo_core")
)}))
"""


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_journal_and_project_list_import_no_plugin(
    fake_distribution: Install, tmp_path: Path
) -> None:
    dist = fake_distribution("pmo-kit-marker", MARKER)
    fake_distribution("pmo-kit-silent", SILENT)
    # The markers live apart from the working directory, whose modification time is part of
    # what identifies the environment (``python -c`` puts it on sys.path).
    marks = tmp_path / "marks"
    marks.mkdir()
    marker, silent = marks / "marker", marks / "silent"
    env = {
        **os.environ,
        "PMO_CACHE_DIR": str(tmp_path / "cache"),
        "PMO_TEST_MARKER": str(marker),
        "PMO_TEST_SILENT": str(silent),
        "PYTHONPATH": os.pathsep.join([str(dist.site), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("PMO_WORKSPACE", None)

    def pmo(*args: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        assert result["code"] in (0, None), done.stdout + done.stderr
        return result

    ws = str(tmp_path / "demo")
    pmo("demo", ws)
    pmo("-w", ws, "plugins", "enable", "kit-marker", "kit-silent")
    # Enabling loads them: plugins hear of the change.
    assert marker.exists()
    assert silent.exists()
    marker.unlink()
    silent.unlink()

    for command in (["journal", "--limit", "5"], ["project", "list"], ["project", "show", "MDM"]):
        result = pmo("-w", ws, *command)
        assert result["plugins"] == [], command
        assert not marker.exists(), command

    # The control: a write loads the enabled plugins that listen to its events.
    written = pmo("-w", ws, "status", "report", "MDM", "--overall", "green")
    assert "pmo_kit_marker" in written["plugins"]
    assert marker.exists()
    assert "pmo_kit_silent" not in written["plugins"]
    assert not silent.exists()

    # Every enabled plugin is still listed, loaded: 'pmo plugins list' imports them all.
    listed = pmo("-w", ws, "plugins", "list")
    assert {"pmo_kit_marker", "pmo_kit_silent"} <= set(listed["plugins"])  # type: ignore[arg-type]
    assert silent.exists()
