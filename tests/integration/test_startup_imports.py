"""Commands import only what they need, checked by the modules a fresh interpreter holds
(never by timing them): on the demo workspace, ``pmo project list`` imports no plugin and
none of the heavy libraries reports and the web pages use; a report imports the report
plugin and not the governance ones; a gate check the reverse. ``import pmo_core`` imports no
pydantic, and importing the workspace module builds no record model (each builds its
validator on first use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

# Runs a command in a fresh interpreter and prints its exit code and every module imported.
PROBE = """
import json, sys
from pmo_core._cli import cli
code = 0
try:
    cli(sys.argv[1:], prog_name="pmo")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# What a report, the web pages or a spreadsheet need, and no listing does.
HEAVY = {"jinja2", "vl_convert", "starlette", "xlsxwriter", "pmo_web"}
PLUGINS = {"pmo_reports", "pmo_governance", "pmo_stage_gate", "pmo_csv"}


def _tops(modules: list[str]) -> set[str]:
    return {m.partition(".")[0] for m in modules}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("startup")
    env = {**os.environ, "PMO_CACHE_DIR": str(root / "cache")}
    env.pop("PMO_WORKSPACE", None)
    ws = root / "demo"
    for args in (["demo", str(ws)], ["-w", str(ws), "plugins", "list"]):
        subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            env=env,
            cwd=root,
            capture_output=True,
            check=True,
            timeout=300,
        )
    return ws, env


def _run(demo: tuple[Path, dict[str, str]], *args: str) -> tuple[int, set[str]]:
    ws, env = demo
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "-w", str(ws), *args],
        env=env,
        cwd=ws.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], _tops(result["modules"])


@pytest.mark.plugins("pmo-governance", "pmo-stage-gate", "pmo-reports", "pmo-csv")
def test_project_list_imports_no_plugin_and_nothing_heavy(
    demo: tuple[Path, dict[str, str]],
) -> None:
    code, tops = _run(demo, "project", "list")

    assert code == 0
    assert tops & (PLUGINS | HEAVY) == set()


@pytest.mark.plugins("pmo-governance", "pmo-stage-gate", "pmo-reports", "pmo-csv")
def test_a_report_imports_the_report_plugin_only(demo: tuple[Path, dict[str, str]]) -> None:
    code, tops = _run(demo, "report", "portfolio-summary", "DIGITAL")

    assert code == 0
    assert "pmo_reports" in tops
    assert tops & {"pmo_governance", "pmo_stage_gate", "starlette", "pmo_web"} == set()


@pytest.mark.plugins("pmo-governance", "pmo-stage-gate", "pmo-reports", "pmo-csv")
def test_a_gate_check_imports_the_governance_plugins_only(
    demo: tuple[Path, dict[str, str]],
) -> None:
    code, tops = _run(demo, "gate", "check", "AI-ASSIST")

    assert code == 5  # the demo's blocked project: the check ran to its verdict
    assert {"pmo_governance", "pmo_stage_gate"} <= tops
    assert tops & ({"pmo_reports"} | HEAVY) == set()


@pytest.mark.plugins("pmo-governance", "pmo-stage-gate", "pmo-reports", "pmo-csv")
def test_plugins_list_still_imports_every_enabled_plugin(
    demo: tuple[Path, dict[str, str]],
) -> None:
    code, tops = _run(demo, "plugins", "list")

    assert code == 0
    assert tops >= PLUGINS


MODELS = """
import json, sys
import pmo_core
facade_pydantic = "pydantic" in sys.modules
import pmo_core._workspace
from pydantic import BaseModel

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

records = {
    m for m in subclasses(BaseModel)
    if m.__module__.startswith(("pmo_core._domain", "pmo_core._records"))
}
built = lambda: sorted(m.__qualname__ for m in records if m.__pydantic_complete__)
at_import = built()
pmo_core.Project(id="ALPHA", name="Alpha")
print(json.dumps({"facade_pydantic": facade_pydantic, "records": len(records),
                  "at_import": at_import, "after_use": built()}))
"""


def test_importing_the_core_builds_no_record_model() -> None:
    done = subprocess.run(
        [sys.executable, "-c", MODELS], capture_output=True, text=True, check=True, timeout=300
    )
    result = json.loads(done.stdout)

    assert result["facade_pydantic"] is False
    assert result["records"] > 40
    assert result["at_import"] == []
    # The control: a model used is built then, and only what it needs.
    assert "Project" in result["after_use"]
    assert "RaidItem" not in result["after_use"]
