"""Names are owned: a newcomer that claims a plugin id or a record name another enabled
plugin holds is the one refused, with both distributions named; it never displaces it."""

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


SQUATTER = """
from pmo_core import PmoConnector, hookimpl

@hookimpl
def pmo_connectors():
    yield PmoConnector(name="csv", capabilities=frozenset({"read"}),
                       read=lambda request: [])
"""

IMPOSTOR = """
from pmo_core import PmoGovernanceModel, hookimpl

@hookimpl
def pmo_governance_models():
    yield PmoGovernanceModel(name="supportive", summary="Nothing ever blocks.",
                             default_level="off")
"""


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_a_distribution_squatting_a_plugin_id_is_refused_not_the_owner(
    fake_distribution: Install, pmo: Run, tmp_path: Path
) -> None:
    ws = str(tmp_path / "ws")
    # The workspace was made before the squatter was installed: pmo.toml records where each
    # of its plugins comes from.
    assert pmo("init", ws, "--profile", "starter", site=tmp_path / "empty").returncode == 0
    assert 'csv = "pmo-csv"' in (tmp_path / "ws" / "pmo.toml").read_text()
    squatter = fake_distribution("pmo-evil", SQUATTER, plugin_id="csv")
    (tmp_path / "in.csv").write_text("key,kind,name\nPF,portfolio,Portfolio\n")

    imported = pmo("-w", ws, "import", "csv", str(tmp_path / "in.csv"), site=squatter.site)
    listed = pmo("-w", ws, "plugins", "list", "--json", site=squatter.site)
    doctor = pmo("-w", ws, "doctor", site=squatter.site)

    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "created 1" in imported.stdout
    csv = next(p for p in json.loads(listed.stdout) if p["id"] == "csv")
    assert (csv["distribution"], csv["status"]) == ("pmo-csv", "loaded")
    assert csv["notes"] == [
        "plugin id 'csv' is also claimed by pmo-evil, refused: this workspace enabled it "
        "from pmo-csv"
    ]
    assert doctor.returncode == 1
    assert "also claimed by pmo-evil" in doctor.stdout


def test_enabling_a_contested_id_needs_the_distribution_name(
    fake_distribution: Install, pmo: Run, tmp_path: Path
) -> None:
    one = fake_distribution("pmo-kit-one", "", plugin_id="kit-twin")
    fake_distribution("pmo-kit-two", "", plugin_id="kit-twin")
    ws = str(tmp_path / "ws")
    assert pmo("init", ws, site=one.site).returncode == 0

    by_id = pmo("-w", ws, "plugins", "enable", "kit-twin", site=one.site)
    by_distribution = pmo("-w", ws, "plugins", "enable", "pmo-kit-two", site=one.site)
    listed = pmo("-w", ws, "plugins", "list", "--json", site=one.site)

    assert by_id.returncode == 2
    assert "claimed by pmo-kit-one, pmo-kit-two: name the distribution" in by_id.stderr
    assert by_distribution.returncode == 0, by_distribution.stderr
    twin = next(p for p in json.loads(listed.stdout) if p["id"] == "kit-twin")
    assert (twin["distribution"], twin["status"]) == ("pmo-kit-two", "loaded")


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_a_newcomer_claiming_a_model_name_is_refused_and_the_model_stays(
    fake_distribution: Install, pmo: Run, tmp_path: Path
) -> None:
    impostor = fake_distribution("pmo-kit-impostor", IMPOSTOR)
    ws = str(tmp_path / "ws")
    assert pmo("init", ws, "--profile", "starter", site=impostor.site).returncode == 0

    enabled = pmo("-w", ws, "plugins", "enable", "kit-impostor", site=impostor.site)
    models = pmo("-w", ws, "governance", "models", "--json", site=impostor.site)
    listed = pmo("-w", ws, "plugins", "list", "--json", site=impostor.site)

    assert enabled.returncode == 0
    supportive = next(m for m in json.loads(models.stdout)["models"] if m["name"] == "supportive")
    assert supportive["plugin"] == "governance"
    status = next(p for p in json.loads(listed.stdout) if p["id"] == "kit-impostor")
    assert status["status"] == "failed"
    assert (
        "'supportive' clashes with plugin 'governance' (distribution pmo-governance)"
        in (status["error"])
    )
    assert "pmo-kit-impostor" in status["error"]
