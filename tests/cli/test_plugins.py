"""pmo plugins list / info / enable / disable, and pmo doctor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error, needs_csv, needs_governance, set_governance_model
from click.testing import CliRunner

from pmo_core._cli import cli


def test_list_hides_the_builtin_plugin_that_list_all_shows(pmo: Pmo) -> None:
    listed = json.loads(pmo.ok("plugins", "list", "--json").output)
    every = json.loads(pmo.ok("plugins", "list", "--all", "--json").output)

    assert "pmo-core" not in [r["id"] for r in listed]
    builtin = next(r for r in every if r["id"] == "pmo-core")
    assert (builtin["builtin"], builtin["enabled"], builtin["status"]) == (True, True, "loaded")
    assert [r["id"] for r in every if r["id"] != "pmo-core"] == [r["id"] for r in listed]
    for row in every:
        assert set(row) >= {"id", "distribution", "version", "families", "enabled", "status"}
        assert "error" in row


@needs_csv
def test_list_shows_an_installed_plugin_enabled_and_loaded(pmo: Pmo) -> None:
    rows = json.loads(pmo.ok("plugins", "list", "--json").output)

    csv = next(r for r in rows if r["id"] == "csv")
    assert (csv["enabled"], csv["status"], csv["distribution"]) == (True, "loaded", "pmo-csv")
    assert csv["families"] == ["connectors"]
    assert csv["error"] is None


def test_list_all_adds_the_builtin_plugin(pmo: Pmo) -> None:
    result = pmo.ok("plugins", "list", "--all")

    header, first = result.output.splitlines()[:2]
    assert header.split() == ["ID", "DISTRIBUTION", "VERSION", "FAMILIES", "ENABLED", "STATUS"]
    assert first.split()[:2] == ["pmo-core", "pmo-core"]


def test_list_works_outside_a_workspace(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["plugins", "list", "--json"])

    assert result.exit_code == 0, result.output
    assert all(not row["enabled"] for row in json.loads(result.output))
    text = runner.invoke(cli, ["plugins", "list"])
    assert "not in a workspace" in text.output


def test_list_shows_why_an_enabled_plugin_failed(pmo: Pmo) -> None:
    config = pmo.root / "pmo.toml"
    config.write_text(config.read_text().replace("enabled = [", 'enabled = ["ghost", '))

    result = pmo.ok("plugins", "list")

    assert "ghost (failed): enabled in pmo.toml but not installed" in result.output


def test_info_lists_what_the_builtin_plugin_registers(pmo: Pmo) -> None:
    data = json.loads(pmo.ok("plugins", "info", "pmo-core", "--json").output)

    assert data["status"] == "loaded"
    assert data["records"]["pmo_storage_backends"] == ["memory", "sqlite"]
    assert "journal" in data["records"]["pmo_cli_commands"]
    assert data["records"]["pmo_governance_models"] == ["neutral"]


@needs_csv
def test_info_accepts_the_distribution_name(pmo: Pmo) -> None:
    result = pmo.ok("plugins", "info", "pmo-csv")

    assert "id:" in result.output
    assert "csv" in result.output
    assert "pmo_connectors:" in result.output


def test_info_of_an_unknown_plugin_is_not_found(pmo: Pmo) -> None:
    assert_user_error(pmo("plugins", "info", "nope"), 3, "no installed plugin 'nope'")


def test_enable_an_unknown_plugin_changes_nothing(pmo: Pmo) -> None:
    before = pmo.snapshot()

    result = pmo("plugins", "enable", "nope")

    assert_user_error(result, 3, "'nope'")
    assert pmo.snapshot() == before


@needs_csv
def test_disable_then_enable_rewrites_pmo_toml(pmo: Pmo) -> None:
    assert "Disabled csv" in pmo.ok("plugins", "disable", "pmo-csv").output
    assert '"csv"' not in (pmo.root / "pmo.toml").read_text()
    assert "Not enabled" in pmo.ok("plugins", "disable", "csv").output

    result = pmo.ok("plugins", "enable", "csv")

    assert "Enabled csv" in result.output
    assert "loaded" in result.output
    assert '"csv"' in (pmo.root / "pmo.toml").read_text()
    assert "Already enabled: csv" in pmo.ok("plugins", "enable", "csv").output


@needs_governance
def test_doctor_passes_on_a_healthy_workspace(pmo: Pmo) -> None:
    result = pmo.ok("doctor")

    assert "all checks passed" in result.output
    assert "schema version" in result.output
    assert "model 'supportive', no methodology" in result.output


def test_doctor_fails_on_an_unregistered_governance_model(pmo: Pmo) -> None:
    set_governance_model(pmo.root, "anarchy")

    result = pmo("doctor", "--json")

    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    governance = next(c for c in data["checks"] if c["check"] == "governance")
    assert "governance_model 'anarchy' is not registered" in governance["problems"][0]


def test_doctor_reports_a_failed_plugin(pmo: Pmo) -> None:
    config = pmo.root / "pmo.toml"
    config.write_text(config.read_text().replace("enabled = [", 'enabled = ["ghost", '))

    result = pmo("doctor")

    assert result.exit_code == 1
    assert "FAIL plugins" in result.output
    assert "ghost (failed): enabled in pmo.toml but not installed" in result.output
    assert "problem(s) found" in result.output


@needs_governance
def test_doctor_reports_settings_nobody_declares_and_names_a_bad_variable(
    pmo: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = pmo.root / "pmo.toml"
    config.write_text(
        config.read_text()
        + "\n[settings.jria]\nurl = 'https://jira.example'\n"
        + "\n[governance.rules.high-risks-owned]\nscore = 12\n"
    )
    monkeypatch.setenv("PMO_RULES_HIGH_RISKS_OWNED_IMPACT", "9")

    result = pmo("doctor", "--json")

    assert result.exit_code == 1
    settings = next(c for c in json.loads(result.output)["checks"] if c["check"] == "settings")
    assert settings["ok"] is False
    assert settings["problems"] == [
        "[settings.jria] is declared by no enabled plugin",
        "environment variable PMO_RULES_HIGH_RISKS_OWNED_IMPACT: impact: Input should be less "
        "than or equal to 5",
    ]


def test_doctor_outside_a_workspace_fails_with_a_summary(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["doctor"])

    assert result.exit_code == 1
    assert "FAIL config" in result.output
    assert "1 problem(s) found" in result.output


def test_list_shows_the_declared_families_of_a_plugin_never_loaded(
    pmo: Pmo, fake_distribution: Any
) -> None:
    """Installed, never enabled, never imported on this machine: its families come from its
    metadata (pmo_core.families), in the table and in --json."""
    fake_distribution(
        "pmo-kit-never", "raise ImportError('never imported')\n", families=("connectors",)
    )

    rows = {r["id"]: r for r in json.loads(pmo.ok("plugins", "list", "--json").output)}
    assert (rows["kit-never"]["status"], rows["kit-never"]["families"]) == (
        "disabled",
        ["connectors"],
    )
    line = next(x for x in pmo.ok("plugins", "list").output.splitlines() if "kit-never" in x)
    assert "connectors" in line
