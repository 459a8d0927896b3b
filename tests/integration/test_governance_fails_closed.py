"""Governance never fails open: when a plugin enabled to provide governance fails to import,
to register or to run, every gate blocks with a finding naming it, until it is fixed or
disabled on the record."""

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

GOVERNANCE = """
from pmo_core import PmoGovernanceModel, PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_models():
    yield PmoGovernanceModel(name="kit-board", summary="The board decides.")

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="kit-always-fine", check=lambda ctx: None)
"""

METHOD = """
from pmo_core import PmoArtifact, PmoGate, PmoGateCriterion, PmoMethodology, PmoPhase, hookimpl

@hookimpl
def pmo_methodologies():
    yield PmoMethodology(
        name="kit-two-step",
        phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
        artifacts=(PmoArtifact(name="plan"),),
        gates=(PmoGate(name="go", leaving="plan", entering="do",
                       criteria=(PmoGateCriterion(name="ok", level="should",
                                                  check=lambda ctx: None),)),),
    )
"""


def _workspace(pmo: Pmo, ws: Path, site: Path) -> None:
    assert pmo("init", str(ws), site=site).returncode == 0
    for plugin in ("kit-gov", "kit-method"):
        done = pmo("-w", str(ws), "plugins", "enable", plugin, site=site)
        assert done.returncode == 0, done.stderr
    for args in (
        ["project", "create", "P1", "--name", "One", "--sponsor", "Dana"],
        ["project", "update", "P1", "--methodology", "kit-two-step", "--phase", "plan"],
    ):
        done = pmo("-w", str(ws), *args, site=site)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "breakage",
    [
        "raise RuntimeError('governance config missing')\n",
        GOVERNANCE.replace(
            "    yield PmoGovernanceRule(", "    raise KeyError('rules')\n    yield ("
        ),
    ],
    ids=["import-raises", "rules-hook-raises"],
)
def test_a_governance_plugin_that_breaks_blocks_every_gate_until_disabled_on_the_record(
    fake_distribution: Install,
    pmo: Pmo,
    tmp_path: Path,
    breakage: str,
) -> None:
    gov = fake_distribution("pmo-kit-gov", GOVERNANCE)
    fake_distribution("pmo-kit-method", METHOD)
    ws = tmp_path / "ws"
    _workspace(pmo, ws, gov.site)
    assert pmo("-w", str(ws), "gate", "check", "P1", site=gov.site).returncode == 0

    (gov.site / f"{gov.module}.py").write_text(breakage, encoding="utf-8")
    check = pmo("-w", str(ws), "gate", "check", "P1", "--json", site=gov.site)
    decide = pmo(
        "-w", str(ws), "gate", "decide", "P1", "go", "--approver", "Dana (sponsor)", site=gov.site
    )
    shown = pmo("-w", str(ws), "project", "show", "P1", "--json", site=gov.site)

    assert check.returncode == 5, check.stdout + check.stderr
    finding = next(
        f
        for f in json.loads(check.stdout)["findings"]
        if f["rule"] == "governance-plugin-available"
    )
    assert (finding["plugin"], finding["blocking"]) == ("kit-gov", True)
    assert "plugin 'kit-gov' is enabled but failed" in finding["message"]
    assert decide.returncode == 5, decide.stdout + decide.stderr
    assert "governance-plugin-available" in decide.stderr
    assert json.loads(shown.stdout)["phase"] == "plan"  # the go was refused: nothing moved

    disabled = pmo(
        "-w", str(ws), "plugins", "disable", "kit-gov", "--comment", "board rules retired",
        site=gov.site,
    )  # fmt: skip
    journal = pmo("-w", str(ws), "journal", "--json", site=gov.site)
    after = pmo("-w", str(ws), "gate", "check", "P1", site=gov.site)

    assert disabled.returncode == 0, disabled.stderr
    decision = [e for e in json.loads(journal.stdout) if e["kind"] == "plugin"][-1]
    assert decision["after"]["enabled"] is False
    assert decision["after"]["comment"] == "board rules retired"
    assert after.returncode == 0, after.stdout + after.stderr


def test_a_governance_plugin_that_never_loaded_blocks_too(
    fake_distribution: Install,
    pmo: Pmo,
    tmp_path: Path,
) -> None:
    # Its hooks are unknown: it may provide governance, so governance fails closed.
    broken = fake_distribution("pmo-kit-gov", "raise ImportError('no such module: yaml')\n")
    fake_distribution("pmo-kit-method", METHOD)
    ws = tmp_path / "ws"
    assert pmo("init", str(ws), site=broken.site).returncode == 0
    for plugin in ("kit-gov", "kit-method"):
        pmo("-w", str(ws), "plugins", "enable", plugin, site=broken.site)
    pmo("-w", str(ws), "project", "create", "P1", "--name", "One", site=broken.site)
    pmo("-w", str(ws), "project", "update", "P1", "--methodology", "kit-two-step", site=broken.site)

    check = pmo("-w", str(ws), "gate", "check", "P1", site=broken.site)

    assert check.returncode == 5
    assert "may provide governance" in check.stdout
