"""[governance.rules] through the CLI: pmo governance check and pmo gate check with a rule's
level set per workspace and per scope (and where it came from, in text and JSON), the
refused [settings.rules] table, a bad level, and pmo doctor listing the overrides."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cli_helpers import Pmo, assert_user_error, needs_governance, needs_stage_gate

TOML = "pmo.toml governance.rules"


def _append(pmo: Pmo, text: str) -> None:
    config = pmo.root / "pmo.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def _two_programs(pmo: Pmo, *project_options: str) -> None:
    """PF > PA > A1 and PF > PB > B1."""
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    for program, project in (("PA", "A1"), ("PB", "B1")):
        pmo.ok("program", "create", program, "--name", program, "--parent", "PF")
        pmo.ok(
            "project", "create", project, "--name", project, "--parent", program,
            "--sponsor", "Dana", *project_options,
        )  # fmt: skip


# ------------------------------------------------------------------------ governance check


@pytest.fixture
def cadence(make_pmo: Callable[..., Pmo]) -> Pmo:
    """A supportive workspace whose two projects are long overdue a status report, with the
    status-cadence rule at warn for the workspace and at block under program PA."""
    pmo = make_pmo("cadence", profile="starter")
    _two_programs(pmo, "--start", "2024-01-01")
    _append(
        pmo,
        '[governance.rules.status-cadence]\nlevel = "warn"\n\n'
        '[governance.rules.status-cadence.scopes.PA]\nlevel = "block"\n',
    )
    return pmo


@needs_governance
def test_governance_check_shows_levels_set_in_pmo_toml_and_blocks(cadence: Pmo) -> None:
    result = cadence("governance", "check")

    assert result.exit_code == 5, result.output
    lines = result.output.splitlines()
    block, warn = lines.index("block (1)"), lines.index("warn (1)")
    assert lines[block + 1].startswith("  A1  status-cadence [set in pmo.toml for PA]: project A1")
    assert lines[warn + 1].startswith("  B1  status-cadence [set in pmo.toml]: project B1")


@needs_governance
def test_governance_check_json_says_where_each_level_came_from(cadence: Pmo) -> None:
    result = cadence("governance", "check", "--json")

    assert result.exit_code == 5
    found = {
        (f["entity"], f["rule"]): (f["level"], f["level_from"], f["blocking"])
        for f in json.loads(result.output)
    }
    assert found[("A1", "status-cadence")] == ("block", f"{TOML}.status-cadence.scopes.PA", True)
    assert found[("B1", "status-cadence")] == ("warn", f"{TOML}.status-cadence", False)
    # A rule pmo.toml leaves alone stays at the supportive model's level.
    assert found[("A1", "high-risks-owned")] == ("advise", "model 'supportive'", False)
    # Only B1 left: nothing blocks.
    assert cadence("governance", "check", "B1").exit_code == 0


# ------------------------------------------------------------------------------ gate check


@pytest.fixture
def gated(make_pmo: Callable[..., Pmo]) -> Pmo:
    """A stage-gate workspace whose portfolio PF is supportive, both projects at gate-3 with no
    baseline; baseline-before-execution blocks under program PA, set in pmo.toml."""
    pmo = make_pmo("gated", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Digital", "--governance-model", "supportive")
    for program, project in (("PA", "A1"), ("PB", "B1")):
        pmo.ok("program", "create", program, "--name", program, "--parent", "PF")
        pmo.ok(
            "project", "create", project, "--name", project, "--parent", program,
            "--sponsor", "Dana", "--phase", "business-case",
        )  # fmt: skip
    _append(
        pmo,
        '[governance.rules.baseline-before-execution.scopes.PA]\nlevel = "block"\n\n'
        '[governance.rules.phase-reached-by-gate.scopes.B1]\nlevel = "off"\n',
    )
    return pmo


@needs_stage_gate
def test_gate_check_blocks_under_a_supportive_model_where_pmo_toml_says_block(
    gated: Pmo,
) -> None:
    result = gated("gate", "check", "A1")

    assert result.exit_code == 5, result.output
    assert "under model 'supportive'" in result.output
    assert "rule baseline-before-execution [block, set in pmo.toml for PA]: project A1" in (
        result.output
    )
    reasons = result.output.split("blocked because:")[1].strip().splitlines()
    assert len(reasons) == 1
    assert reasons[0].startswith(
        "- rule baseline-before-execution (block, set in pmo.toml for PA): project A1"
    )


@needs_stage_gate
def test_gate_check_under_another_program_only_advises(gated: Pmo) -> None:
    result = gated("gate", "check", "B1", "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["blocked"] is False
    findings = {f["rule"]: f for f in data["findings"]}
    assert findings["baseline-before-execution"]["level"] == "advise"
    assert findings["baseline-before-execution"]["level_from"] == "model 'supportive'"
    assert "phase-reached-by-gate" not in findings  # off for B1 in pmo.toml
    assert any("rule baseline-before-execution" in a for a in data["advice"])


@needs_stage_gate
def test_gate_check_json_and_a_refused_go_under_the_blocking_scope(gated: Pmo) -> None:
    data = json.loads(gated("gate", "check", "A1", "--json").output)
    [finding] = [f for f in data["findings"] if f["rule"] == "baseline-before-execution"]
    assert (finding["level"], finding["blocking"]) == ("block", True)
    assert finding["level_from"] == f"{TOML}.baseline-before-execution.scopes.PA"
    assert data["blocked"] is True
    before = gated.snapshot()

    result = gated("gate", "decide", "A1", "go", "--approver", "Dana (sponsor)")

    assert_user_error(result, 5, "gate gate-3 of A1 is blocked")
    assert gated.snapshot() == before


# --------------------------------------------------------------------------- refused tables


@needs_governance
def test_the_old_settings_rules_table_is_refused_by_every_command(pmo: Pmo) -> None:
    before = pmo.snapshot()
    _append(pmo, "[settings.rules.high-risks-owned]\nscore = 12\n")

    result = pmo("portfolio", "create", "PF", "--name", "Digital")

    assert_user_error(
        result,
        2,
        "[settings.rules] is no longer read",
        "move [settings.rules.high-risks-owned] to [governance.rules.high-risks-owned]",
    )
    doctor = pmo("doctor", "--json")
    assert doctor.exit_code == 1
    config = next(c for c in json.loads(doctor.output)["checks"] if c["check"] == "config")
    assert config["ok"] is False
    assert "[governance.rules.high-risks-owned]" in config["problems"][0]
    # Nothing was written: with the old table gone, the journal is as it was.
    (pmo.root / "pmo.toml").write_text(before[1], encoding="utf-8")
    assert pmo.snapshot() == before


@needs_governance
def test_a_bad_level_is_refused_naming_the_key(pmo: Pmo) -> None:
    _append(pmo, '[governance.rules.tolerance-forecast.scopes.ALPHA]\nlevel = "critical"\n')

    result = pmo("governance", "check")

    assert_user_error(
        result,
        2,
        "pmo.toml: governance.rules.tolerance-forecast.scopes.ALPHA.level must be one of "
        "'off', 'advise', 'warn' or 'block', got 'critical'",
    )


# ----------------------------------------------------------------------------------- doctor


@needs_governance
def test_doctor_lists_the_overrides_in_force(cadence: Pmo) -> None:
    result = cadence("doctor")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "rule overrides" in line)
    assert lines[at] == "ok   rule overrides: 2 override(s) of governance rules in force"
    assert lines[at + 1 : at + 3] == [
        "       governance.rules.status-cadence: level warn",
        "       governance.rules.status-cadence.scopes.PA: level block",
    ]


@needs_governance
def test_doctor_json_lists_overrides_and_reports_unknown_rules_and_scopes(
    cadence: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(
        cadence,
        '[governance.rules.status-cadense]\nlevel = "block"\n\n'
        "[governance.rules.high-risks-owned.scopes.NOPE]\nscore = 9\n",
    )
    monkeypatch.setenv("PMO_RULES_HIGH_RISKS_OWNED_IMPACT", "4")

    result = cadence("doctor", "--json")

    assert result.exit_code == 1
    checks = {c["check"]: c for c in json.loads(result.output)["checks"]}
    [unknown] = checks["settings"]["problems"]
    assert unknown.endswith(
        "pmo.toml: governance.rules.status-cadense: no enabled plugin registers a rule "
        "'status-cadense'; did you mean status-cadence? (rules: baseline-before-execution, "
        "changes-approved, high-risks-owned, methodology-tailored, phase-reached-by-gate, "
        "reported-colours-honest, "
        "reported-colours-overridden, sponsor-and-business-case, status-cadence, "
        "tolerance-forecast)"
    )
    overrides = checks["rule overrides"]
    assert overrides["ok"] is False
    assert overrides["problems"] == [
        "governance.rules.high-risks-owned.scopes.NOPE: no portfolio, program or project "
        "'NOPE' in this workspace, so it overrides nothing"
    ]
    assert [(o["rule"], o["scope"], o["level"], o["settings"]) for o in overrides["overrides"]] == [
        ("status-cadence", None, "warn", {}),
        ("status-cadence", "PA", "block", {}),
        ("high-risks-owned", "NOPE", None, {"score": 9}),
        ("high-risks-owned", None, None, {"impact": "***"}),
    ]
    assert overrides["overrides"][3]["source"] == (
        "environment variable PMO_RULES_HIGH_RISKS_OWNED_IMPACT"
    )
