"""A governance rule's level and settings overridden per workspace and per scope in
``[governance.rules.<rule>]``: the precedence (scope > workspace > model > the rule's own),
the nearest scope winning, mixing per scope, where each level came from, the validation of
the tables, the refused ``[settings.rules]`` and the overrides listed for ``pmo doctor``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from pmo_core import (
    InvalidInputError,
    PmoArtifact,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    RuleContext,
    RuleOverride,
    Workspace,
    WorkspaceConfig,
    hookimpl,
)

MakeWorkspace = Callable[..., Workspace]
TOML = "pmo.toml governance.rules"


class Budget(BaseModel):
    limit: int = Field(default=100, ge=0)
    currency: str = "EUR"


def _over_limit(ctx: RuleContext) -> str | None:
    limit = ctx.settings_as(Budget).limit
    amount = int(ctx.entity.budget.amount) if ctx.entity.budget else 0
    return f"{ctx.entity.id}: {amount} over {limit}" if amount > limit else None


class Governance:
    """A rule with settings (warn by its own level), a rule without, and three models: one
    that names the rule's level and settings, one that only advises, one that blocks."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="budget-limit",
            level="warn",
            scopes=("project", "program"),
            settings=Budget,
            check=_over_limit,
        )
        yield PmoGovernanceRule(
            name="sponsor-named",
            level="warn",
            check=lambda ctx: None if ctx.entity.sponsor else f"{ctx.entity.id}: no sponsor",
        )

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="tight",
            rule_levels={"budget-limit": "block"},
            rule_settings={"budget-limit": {"limit": 120}},
        )
        yield PmoGovernanceModel(name="supportive", default_level="advise", deviations="advise")
        yield PmoGovernanceModel(name="directive", default_level="block")


def _tree(ws: Workspace) -> None:
    """PF > PA > A1, A2; PF > PB > B1; C1 at the top, all 150 EUR over a limit of 100."""
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="PA", name="Program A", parent="PF")
    ws.create("program", id="PB", name="Program B", parent="PF")
    for key, parent in (("A1", "PA"), ("A2", "PA"), ("B1", "PB"), ("C1", None)):
        ws.create("project", id=key, name=key, parent=parent, budget="150 EUR", sponsor="Dana")


def _make(factory: MakeWorkspace, **kwargs: Any) -> Workspace:
    ws = factory(plugins={"governance": Governance()}, store="memory", **kwargs)
    _tree(ws)
    return ws


def _levels(ws: Workspace, rule: str = "budget-limit") -> dict[str, tuple[str, str]]:
    return {f.entity: (f.level, f.level_from) for f in ws.check() if f.rule == rule}


# -------------------------------------------------------------------------------- precedence


def test_without_overrides_the_level_is_the_models_else_the_rules_own(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = _make(pmo_workspace_factory)
    ws.update("PA", governance_model="tight")

    levels = _levels(ws)

    assert levels["C1"] == ("warn", "rule default")  # the neutral model names no level
    assert levels["A1"] == ("block", "model 'tight'")
    assert ws.rule_level("budget-limit", "A1") == ("block", "model 'tight'")
    assert ws.rule_level("budget-limit", "PB") == ("warn", "rule default")


def test_scope_over_workspace_over_model_over_the_rules_own(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"budget-limit": {"level": "advise", "scopes": {"A2": {"level": "off"}}}}
    rules["budget-limit"]["scopes"]["PA"] = {"level": "block"}
    ws = _make(pmo_workspace_factory, rules=rules, governance_model="directive")

    levels = _levels(ws)

    # The workspace's table beats the directive model; PA's beats the workspace's; A2's own
    # scope turns the rule off for A2 alone (no finding at all).
    assert levels == {
        "PA": ("block", f"{TOML}.budget-limit.scopes.PA"),
        "PB": ("advise", f"{TOML}.budget-limit"),
        "A1": ("block", f"{TOML}.budget-limit.scopes.PA"),
        "B1": ("advise", f"{TOML}.budget-limit"),
        "C1": ("advise", f"{TOML}.budget-limit"),
    }
    # A rule pmo.toml does not name keeps the model's level.
    assert _levels(ws, "sponsor-named")["A1"] == ("block", "model 'directive'")


def test_the_nearest_scope_that_sets_a_level_wins(pmo_workspace_factory: MakeWorkspace) -> None:
    scopes = {
        "PF": {"level": "advise"},
        "PA": {"level": "block"},
        "A1": {"limit": 500},  # sets a threshold, not a level: PA's level still applies
    }
    ws = _make(pmo_workspace_factory, rules={"budget-limit": {"scopes": scopes}})

    levels = _levels(ws)

    assert levels["A1"] == ("block", f"{TOML}.budget-limit.scopes.PA")
    assert levels["A2"] == ("block", f"{TOML}.budget-limit.scopes.PA")
    assert levels["B1"] == ("advise", f"{TOML}.budget-limit.scopes.PF")
    assert levels["C1"] == ("warn", "rule default")  # outside PF: nothing overrides it
    assert ws.rule_settings("budget-limit", "A1") == Budget(limit=500)
    assert "A1" not in {f.entity for f in ws.check() if not f.passed}  # 150 is under 500


def test_settings_scope_over_environment_over_workspace_over_model_over_defaults(
    pmo_workspace_factory: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = {"budget-limit": {"limit": 130, "scopes": {"PA": {"limit": 140}}}}
    ws = _make(pmo_workspace_factory, governance_model="tight")

    assert ws.rule_settings("budget-limit", "A1") == Budget(limit=120)  # the model's
    ws.update("PF", governance_model="neutral")
    assert ws.rule_settings("budget-limit", "A1") == Budget()  # the rule's own defaults

    ws = _make(pmo_workspace_factory, governance_model="tight", rules=rules)
    assert ws.rule_settings("budget-limit", "B1") == Budget(limit=130)
    assert ws.rule_settings("budget-limit", "A1") == Budget(limit=140)

    monkeypatch.setenv("PMO_RULES_BUDGET_LIMIT_LIMIT", "145")
    monkeypatch.setenv("PMO_RULES_BUDGET_LIMIT_CURRENCY", "USD")
    ws = _make(pmo_workspace_factory, governance_model="tight", rules=rules)
    assert ws.rule_settings("budget-limit", "B1") == Budget(limit=145, currency="USD")
    assert ws.rule_settings("budget-limit", "A1") == Budget(limit=140, currency="USD")


def test_mixing_per_scope_block_under_one_program_advise_under_another(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"budget-limit": {"scopes": {"PA": {"level": "block"}, "PB": {"level": "advise"}}}}
    ws = _make(pmo_workspace_factory, rules=rules, governance_model="supportive")

    failed = {f.entity: f for f in ws.check() if not f.passed and f.rule == "budget-limit"}

    assert {k: f.level for k, f in failed.items()} == {
        "A1": "block",
        "A2": "block",
        "B1": "advise",
        "C1": "advise",
    }
    assert [k for k, f in failed.items() if f.blocking] == ["A1", "A2"]
    assert failed["A1"].overridden
    assert failed["A1"].level_note == "set in pmo.toml for PA"
    assert not failed["C1"].overridden
    assert failed["C1"].level_note == ""
    assert failed["C1"].level_from == "model 'supportive'"
    assert failed["A1"].as_dict()["level_from"] == f"{TOML}.budget-limit.scopes.PA"
    # min_level filters on the level in force for each entity (PA's finding passed).
    at_block = {f.entity for f in ws.check(min_level="block") if f.rule == "budget-limit"}
    assert at_block == {"PA", "A1", "A2"}


# --------------------------------------------------------------- an advising model and gates


class TwoStep:
    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield PmoMethodology(
            name="two-step",
            phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
            artifacts=(PmoArtifact(name="plan", template="# Plan\n"),),
            gates=(
                PmoGate(
                    name="go",
                    leaving="plan",
                    entering="do",
                    criteria=(PmoGateCriterion(name="plan-approved", artifact="plan"),),
                ),
            ),
        )


def test_a_block_set_in_pmo_toml_blocks_a_gate_under_an_advising_model(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(
        plugins={"governance": Governance(), "two-step": TwoStep()},
        governance_model="supportive",
        methodology="two-step",
        rules={"budget-limit": {"scopes": {"PA": {"level": "block"}}}},
        store="memory",
        today=date(2026, 1, 5),
    )
    _tree(ws)
    for key in ("A1", "B1"):
        ws.update(key, phase="plan")

    under_pa, under_pb = ws.gate_check("A1"), ws.gate_check("B1")

    # The operator asked for a block under PA: it blocks even though the model advises; the
    # methodology's must criterion stays advice, as the supportive model says.
    assert under_pa.blocked
    assert under_pa.reasons() == [
        "rule budget-limit (block, set in pmo.toml for PA): A1: 150 over 100"
    ]
    assert "criterion plan-approved (must): artifact 'plan' is not approved" in " ".join(
        under_pa.advice()
    )
    assert not under_pb.blocked
    assert "rule budget-limit (advise): B1: 150 over 100" in " ".join(under_pb.advice())
    [finding] = [f for f in under_pa.as_dict()["findings"] if f["rule"] == "budget-limit"]
    assert finding["level_from"] == f"{TOML}.budget-limit.scopes.PA"

    # A waiver lets it pass, as any block.
    waiver = ws.grant_waiver(
        "A1", "rule", "budget-limit", reason="Funded from reserve", expires_on=date(2026, 6, 30)
    )
    waived = ws.gate_check("A1")
    assert not waived.blocked
    assert waived.waived() == [
        f"rule budget-limit (block, set in pmo.toml for PA): A1: 150 over 100 (waiver {waiver.id})"
    ]


def test_an_override_does_not_lift_fail_closed(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = _make(
        pmo_workspace_factory,
        governance_model="gone",
        rules={"budget-limit": {"level": "off"}, "sponsor-named": {"level": "advise"}},
    )

    findings = {f.rule: f for f in ws.check("A1")}

    # The model is not available: every rule blocks, whatever pmo.toml says.
    assert findings["governance-model-available"].level_from == "fails closed"
    assert (findings["budget-limit"].level, findings["budget-limit"].level_from) == (
        "block",
        "fails closed",
    )
    assert findings["sponsor-named"].level == "block"


# -------------------------------------------------------------------------------- validation


def _load(tmp_path: Path, text: str) -> WorkspaceConfig:
    (tmp_path / "pmo.toml").write_text(text, encoding="utf-8")
    return WorkspaceConfig.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[governance.rules.tolerance-forecast.scopes.ALPHA]\nlevel = "blocked"\n',
            "governance.rules.tolerance-forecast.scopes.ALPHA.level must be one of 'off', "
            "'advise', 'warn' or 'block', got 'blocked'",
        ),
        (
            "[governance.rules.tolerance-forecast]\nlevel = 3\n",
            "governance.rules.tolerance-forecast.level must be one of",
        ),
        (
            "[governance.rules]\ntolerance-forecast = 5\n",
            "governance.rules.tolerance-forecast must be a table, got 5",
        ),
        (
            "[governance.rules.tolerance-forecast]\nscopes = 5\n",
            "governance.rules.tolerance-forecast.scopes must be a table, got 5",
        ),
        (
            "[governance.rules.x.scopes.PA.scopes.A1]\nlevel = 'block'\n",
            "governance.rules.x.scopes.PA: a scope's table holds no scopes",
        ),
        ("[governance.rule.x]\nlevel = 'block'\n", "unknown key rule in [governance]"),
    ],
)
def test_a_bad_table_is_refused_naming_the_exact_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _load(tmp_path, text)

    assert caught.value.where == str(tmp_path / "pmo.toml")
    assert str(caught.value).startswith(f"{tmp_path / 'pmo.toml'}: {message}")


def test_the_old_settings_rules_table_is_refused_naming_the_new_one(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _load(tmp_path, "[settings.rules.high-risks-owned]\nscore = 12\n")

    assert caught.value.message == (
        "[settings.rules] is no longer read: a governance rule's level and settings go in "
        "[governance.rules.<rule>] (move [settings.rules.high-risks-owned] to "
        "[governance.rules.high-risks-owned], its scopes with it)"
    )
    # The same from the API that builds a configuration without a file.
    with pytest.raises(InvalidInputError, match=r"\[governance.rules.budget-limit\]"):
        Workspace.in_memory(settings={"rules": {"budget-limit": {"limit": 5}}})


def test_a_bad_setting_fails_the_rule_closed_naming_the_exact_key(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"budget-limit": {"level": "advise", "scopes": {"PA": {"limit": -1}}}}
    ws = _make(pmo_workspace_factory, rules=rules)

    findings = {f.entity: f for f in ws.check() if f.rule == "budget-limit"}
    expected = (
        f"{ws.config.path}: governance.rules.budget-limit.scopes.PA.limit: Input should be "
        "greater than or equal to 0"
    )

    assert findings["A1"].blocking
    assert findings["A1"].error
    assert findings["A1"].level_from == "fails closed"
    assert expected in findings["A1"].message
    assert not findings["B1"].blocking  # outside PA the rule runs at the workspace's level
    assert ws.check_settings() == [expected]


def test_settings_for_a_rule_that_has_none_are_refused(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    rules = {"sponsor-named": {"level": "block", "scopes": {"PB": {"threshold": 3}}}}
    ws = _make(pmo_workspace_factory, rules=rules)

    findings = {f.entity: f for f in ws.check() if f.rule == "sponsor-named"}
    expected = (
        f"{ws.config.path}: governance.rules.sponsor-named.scopes.PB: rule 'sponsor-named' "
        "has no settings, so threshold cannot be set (only level)"
    )

    assert findings["B1"].error
    assert expected in findings["B1"].message
    assert findings["A1"].passed
    assert findings["A1"].level == "block"
    assert ws.check_settings() == [expected]


def test_an_unknown_rule_is_a_problem_for_doctor_not_a_crash(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = _make(pmo_workspace_factory, rules={"budget-limt": {"level": "block", "limit": 5}})

    assert ws.check_settings() == [
        f"{ws.config.path}: governance.rules.budget-limt: no enabled plugin registers a rule "
        "'budget-limt'; did you mean budget-limit? (rules: budget-limit, sponsor-named)"
    ]
    assert _levels(ws)["A1"] == ("warn", "rule default")
    assert ws.rule_overrides() == []


def test_a_models_bad_rule_settings_are_reported_and_fail_closed(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    class Sloppy:
        @hookimpl
        def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
            yield PmoGovernanceModel(name="sloppy", rule_settings={"budget-limit": {"limt": 5}})

    ws = pmo_workspace_factory(
        plugins={"governance": Governance(), "sloppy": Sloppy()},
        governance_model="sloppy",
        store="memory",
    )
    _tree(ws)

    [finding] = [f for f in ws.check("A1") if f.rule == "budget-limit"]
    expected = (
        "governance model 'sloppy' (plugin 'sloppy'): rule_settings.budget-limit.limt: "
        "unknown key (expected: currency, limit)"
    )

    assert finding.error
    assert expected in finding.message
    assert ws.check_settings() == [expected]


# --------------------------------------------------------------------------------- overrides


def test_the_overrides_in_force_are_listed(
    pmo_workspace_factory: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_RULES_BUDGET_LIMIT_LIMIT", "90")
    rules = {
        "budget-limit": {"level": "block", "limit": 80, "scopes": {"PA": {"limit": 70}}},
        "sponsor-named": {"scopes": {"B1": {"level": "off"}}},
        "unknown-rule": {"level": "block"},
    }
    ws = _make(pmo_workspace_factory, rules=rules)

    overrides = ws.rule_overrides()

    assert [o.describe() for o in overrides] == [
        "governance.rules.budget-limit: level block; limit = 80",
        "governance.rules.budget-limit.scopes.PA: limit = 70",
        "governance.rules.sponsor-named.scopes.B1: level off",
        "environment variable PMO_RULES_BUDGET_LIMIT_LIMIT: limit = '***'",
    ]
    assert overrides[2] == RuleOverride(
        rule="sponsor-named",
        scope="B1",
        level="off",
        settings={},
        source="pmo.toml governance.rules.sponsor-named.scopes.B1",
    )
    assert overrides[0].as_dict() == {
        "rule": "budget-limit",
        "scope": None,
        "level": "block",
        "settings": {"limit": 80},
        "source": "pmo.toml governance.rules.budget-limit",
        "summary": "governance.rules.budget-limit: level block; limit = 80",
    }


def test_in_memory_takes_rules_as_pmo_toml_would(tmp_path: Path) -> None:
    ws = Workspace.in_memory(
        plugins={"governance": Governance()},
        rules={"budget-limit": {"level": "block", "scopes": {"LAB": {"limit": 20}}}},
        today=lambda: date(2026, 1, 5),
    )
    ws.create("portfolio", id="LAB", name="Lab")

    assert ws.config.governance.rules["budget-limit"].level == "block"
    assert ws.config.governance.rules["budget-limit"].scopes["LAB"].settings == {"limit": 20}
    assert ws.rule_settings("budget-limit", "LAB") == Budget(limit=20)
    with pytest.raises(InvalidInputError, match=r"governance\.rules\.budget-limit\.level"):
        Workspace.in_memory(rules={"budget-limit": {"level": "loud"}})
