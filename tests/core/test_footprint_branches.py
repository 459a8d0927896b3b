"""A footprint the host cannot trust (its cache entry malformed or emptied by hand, a stale
file list) is not used: a request for one family then imports every enabled plugin, as it
does when nothing is known."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmo_core import PluginHost, PmoGovernanceRule, PmoReport
from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

REPORT_PLUGIN = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

@hookimpl
def pmo_reports():
    yield PmoReport(name="kit-report", scopes=("pmo",), formats=("md",), render=_render)
"""

RULE_PLUGIN = """
from pmo_core import PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="kit-rule", check=lambda ctx: None)
"""

ENABLED = ["kit-reports", "kit-rules"]


def _forget(*dists: FakeDistribution) -> None:
    for dist in dists:
        for name in list(sys.modules):
            if name == dist.module or name.startswith(f"{dist.module}."):
                del sys.modules[name]


def _imported(*dists: FakeDistribution) -> set[str]:
    return {d.plugin_id for d in dists if d.module in sys.modules}


def _footprints(tmp_path: Path) -> Path:
    (path,) = (tmp_path / "pmo-cache").glob("footprints-*.json")
    return path


def _two(install: Install) -> tuple[FakeDistribution, FakeDistribution]:
    return install("pmo-kit-reports", REPORT_PLUGIN), install("pmo-kit-rules", RULE_PLUGIN)


def test_a_trusted_footprint_imports_only_what_a_request_needs(
    fake_distribution: Install,
) -> None:
    """The baseline the other tests depart from."""
    dists = _two(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)

    assert [r.name for r in PluginHost(enabled=ENABLED).records(PmoReport)] == ["kit-report"]
    assert _imported(*dists) == {"kit-reports"}


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda item: item.update(hooks="pmo_governance_rules"), id="hooks-not-a-list"),
        pytest.param(lambda item: item.update(names=["kit-rule"]), id="names-not-a-table"),
        pytest.param(lambda item: item.update(files={}), id="no-files"),
        pytest.param(lambda item: item.update(files=["kit_rules.py"]), id="files-not-a-table"),
        pytest.param(lambda item: item.update(files={"/nowhere/kit_rules.py": 1}), id="file-gone"),
    ],
)
def test_a_footprint_spoilt_in_the_cache_is_not_trusted(
    fake_distribution: Install, tmp_path: Path, spoil: Callable[[dict[str, Any]], None]
) -> None:
    dists = _two(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    path = _footprints(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    spoil(data["plugins"]["kit-rules"])
    path.write_text(json.dumps(data), encoding="utf-8")
    _forget(*dists)

    host = PluginHost(enabled=ENABLED)
    assert [r.name for r in host.records(PmoReport)] == ["kit-report"]

    assert _imported(*dists) == set(ENABLED)  # the rules too: nothing says what they hold
    assert [r.name for r in host.records(PmoGovernanceRule) if r.plugin] == ["kit-rule"]
