from __future__ import annotations

import pmo_acme_rules
import pytest

from pmo_core import InvalidInputError
from pmo_core.testing import assert_valid_plugin


@pytest.fixture
def ws(pmo_workspace_factory):
    # No governance model named: pmo-core's neutral model applies, under which every rule
    # keeps its own level, whichever governance plugin is installed.
    ws = pmo_workspace_factory(plugins={"acme-rules": pmo_acme_rules}, store="memory")
    ws.create("portfolio", id="PF", name="Acme portfolio")
    return ws


def acme_findings(ws, project):
    return [f for f in ws.check(project) if f.rule == "acme-cost-centre"]


def test_plugin_is_valid():
    assert_valid_plugin(pmo_acme_rules, plugin_id="acme-rules")


def test_tier_1_project_without_cost_centre_is_warned(ws):
    ws.create("project", id="ALPHA", name="Alpha", parent="PF", tier=1)
    [finding] = acme_findings(ws, "ALPHA")
    assert not finding.passed
    assert finding.level == "warn"
    assert "names no Acme cost centre" in finding.message


def test_cost_centre_satisfies_the_rule(ws):
    ws.create(
        "project",
        id="BETA",
        name="Beta",
        parent="PF",
        tier=2,
        custom_fields={"acme": {"cost_centre": "CC-042"}},
    )
    [finding] = acme_findings(ws, "BETA")
    assert finding.passed


def test_tier_3_projects_are_not_checked(ws):
    ws.create("project", id="GAMMA", name="Gamma", parent="PF", tier=3)
    assert acme_findings(ws, "GAMMA") == []


def test_malformed_cost_centre_is_refused(ws):
    with pytest.raises(InvalidInputError, match=r"acme\.cost_centre"):
        ws.create(
            "project",
            id="DELTA",
            name="Delta",
            parent="PF",
            custom_fields={"acme": {"cost_centre": "42"}},
        )


def test_cost_centres_command_lists_projects(pmo_workspace_factory, pmo_cli):
    # The CLI loads plugins as pmo does, through the installed entry point.
    ws = pmo_workspace_factory(enabled=["acme-rules"])
    ws.create("portfolio", id="PF", name="Acme portfolio")
    ws.create(
        "project",
        id="ALPHA",
        name="Alpha",
        parent="PF",
        tier=1,
        custom_fields={"acme": {"cost_centre": "CC-042", "business_unit": "Retail"}},
    )
    ws.create("project", id="BETA", name="Beta", parent="PF", tier=2)
    result = pmo_cli("acme", "cost-centres", "--json", workspace=ws)
    assert result.exit_code == 0, result.stderr
    assert result.json() == [
        {"project": "ALPHA", "tier": 1, "cost_centre": "CC-042", "business_unit": "Retail"},
        {"project": "BETA", "tier": 2, "cost_centre": None, "business_unit": None},
    ]
