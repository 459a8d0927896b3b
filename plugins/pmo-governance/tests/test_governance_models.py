"""The models: registration, effective levels, mixing per scope, failing closed, gate approval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pmo_governance
import pytest
from governance_support import MakeWorkspace, finding

from pmo_core import (
    GovernanceBlockedError,
    InvalidInputError,
    PmoGovernanceModel,
    PmoGovernanceRule,
    RuleContext,
    Workspace,
    hookimpl,
)

RULE_NAMES = [
    "baseline-before-execution",
    "changes-approved",
    "high-risks-owned",
    "methodology-tailored",
    "phase-reached-by-gate",
    "reported-colours-honest",
    "reported-colours-overridden",
    "sponsor-and-business-case",
    "status-cadence",
    "tolerance-forecast",
]


def test_models_and_rules_are_registered(ws: Workspace) -> None:
    host = ws.host
    assert {m.name: m.plugin for m in host.records(PmoGovernanceModel)} == {
        "controlling": "governance",
        "directive": "governance",
        "neutral": "pmo-core",  # in force where nothing names a model
        "supportive": "governance",
    }
    assert [r.name for r in host.records(PmoGovernanceRule)] == RULE_NAMES
    supportive = host.record(PmoGovernanceModel, "supportive")
    assert dict(supportive.cadence_days) == {1: 30, 2: 60, 3: 90}
    assert (supportive.deviations, supportive.change_control) == ("advise", "record")
    controlling = host.record(PmoGovernanceModel, "controlling")
    assert dict(controlling.cadence_days) == {1: 14, 2: 30, 3: 60}
    assert (controlling.deviations, controlling.change_control) == ("waiver", "request")
    assert dict(controlling.tolerances_for("project")) == {
        "time": Decimal("0.10"),
        "cost": Decimal("0.10"),
        "scope": Decimal("0.20"),
        "risk": Decimal(20),
    }
    directive = host.record(PmoGovernanceModel, "directive")
    assert dict(directive.cadence_days) == {1: 7, 2: 14, 3: 30}
    assert (directive.deviations, directive.change_control) == ("waiver", "request")


# decision -> (roles, quorum, required, not_requester) of each model, at size 0 and above 10 %.
MATRIX = {
    "supportive": {
        "go": (("sponsor",), 1, (), False),
        "kill": (("sponsor",), 1, (), False),
        "hold": (("sponsor",), 1, (), False),
        "waiver": (("sponsor",), 1, (), False),
        "change": (("manager", "sponsor"), 1, (), False),
        "change>10%": (("manager", "sponsor"), 1, (), False),
    },
    "controlling": {
        "go": (("sponsor", "pmo"), 2, ("sponsor", "pmo"), False),
        "kill": (("sponsor",), 1, (), False),
        "hold": (("sponsor",), 1, (), False),
        "waiver": (("pmo",), 1, (), True),
        "change": (("manager", "sponsor"), 1, (), True),
        "change>10%": (("sponsor", "pmo"), 2, ("sponsor", "pmo"), True),
    },
    "directive": {
        "go": (("sponsor", "pmo"), 2, ("sponsor", "pmo"), False),
        "kill": (("pmo", "sponsor", "portfolio-board"), 2, ("pmo",), False),
        "hold": (("pmo", "sponsor", "portfolio-board"), 2, ("pmo",), False),
        "waiver": (("pmo", "sponsor"), 2, ("pmo", "sponsor"), True),
        "change": (("pmo", "sponsor"), 1, ("pmo",), True),
        "change>10%": (("portfolio-board", "pmo"), 2, ("portfolio-board", "pmo"), True),
    },
}


@pytest.mark.parametrize("model", MATRIX)
def test_each_model_has_its_approval_matrix(model: str) -> None:
    record = next(m for m in pmo_governance.MODELS if m.name == model)
    for decision, expected in MATRIX[model].items():
        name, size = (
            ("change", Decimal("0.10")) if decision == "change>10%" else (decision, Decimal(0))
        )
        rule = record.approval_rule(name, size)
        assert rule is not None, decision
        assert (rule.roles, rule.quorum, rule.required, rule.not_requester) == expected, decision


@pytest.mark.parametrize(
    ("size", "roles"),
    [
        (Decimal("0.0499"), ("manager", "sponsor")),
        (Decimal("0.05"), ("sponsor",)),
        (Decimal("0.0999"), ("sponsor",)),
        (Decimal("0.10"), ("sponsor", "pmo")),
        (Decimal("0.22"), ("sponsor", "pmo")),
    ],
)
def test_change_bands_start_at_their_threshold(size: Decimal, roles: tuple[str, ...]) -> None:
    rule = pmo_governance.CONTROLLING.approval_rule("change", size)
    assert rule is not None
    assert rule.roles == roles


def test_effective_levels_per_model() -> None:
    levels = {
        m.name: {r.name: m.level_for(r) for r in pmo_governance.RULES}
        for m in pmo_governance.MODELS
    }
    colours = {"reported-colours-honest": "warn", "reported-colours-overridden": "advise"}
    assert set(levels["supportive"].values()) == {"advise"}
    # A reporter may know better than the figures: a watermelon warns, even under directive.
    assert levels["directive"] == {
        **dict.fromkeys(set(levels["directive"]) - set(colours), "block"),
        **colours,
    }
    assert levels["controlling"] == {
        "baseline-before-execution": "block",
        "changes-approved": "warn",
        "high-risks-owned": "warn",
        "methodology-tailored": "warn",
        "phase-reached-by-gate": "warn",
        "sponsor-and-business-case": "block",
        "status-cadence": "warn",
        "tolerance-forecast": "warn",
        **colours,
    }


def test_a_third_party_rule_keeps_its_own_level_under_controlling_only() -> None:
    rule = PmoGovernanceRule(name="acme-rule", level="advise", check=lambda ctx: None)
    assert pmo_governance.CONTROLLING.level_for(rule) == "advise"
    assert pmo_governance.SUPPORTIVE.level_for(rule) == "advise"
    assert pmo_governance.DIRECTIVE.level_for(rule) == "block"


@pytest.mark.parametrize(
    ("model", "level", "blocking"),
    [("supportive", "advise", False), ("controlling", "block", True), ("directive", "block", True)],
)
def test_the_same_gap_bites_harder_under_stricter_models(
    make_ws: MakeWorkspace, model: str, level: str, blocking: bool
) -> None:
    ws = make_ws(model, methodology=None)
    ws.create("project", id="P1", name="One", phase="execution")
    f = finding(ws, "P1", "baseline-before-execution")
    assert f is not None
    assert (f.level, f.blocking, f.model) == (level, blocking, model)


def test_directive_blocks_everything(make_ws: MakeWorkspace) -> None:
    ws = make_ws("directive")
    ws.create("project", id="P1", name="One", tier=1, planned_start=date(2025, 1, 6))
    ws.add_raid("P1", "risk", "Vendor late", probability=4, impact=4)
    failed = {f.rule: f for f in ws.check("P1") if not f.passed}
    assert set(failed) == {"high-risks-owned", "status-cadence", "tolerance-forecast"}
    assert all(f.blocking for f in failed.values())
    # Directive's risk tolerance is 15: a risk scoring 16 is an exception.
    assert failed["tolerance-forecast"].message == (
        "project P1's highest open risk 'Vendor late' scores 16, beyond the risk tolerance of "
        "15 under model directive; escalate to pmo"
    )


def test_models_mix_per_scope(make_ws: MakeWorkspace) -> None:
    # A directive portfolio holding a supportive program: projects inherit the nearest model.
    ws = make_ws("controlling", methodology=None)
    ws.create("portfolio", id="PF", name="Portfolio", governance_model="directive")
    ws.create("program", id="PG", name="Program", parent="PF", governance_model="supportive")
    for pid, parent in (("IN-PROGRAM", "PG"), ("DIRECT", "PF")):
        ws.create("project", id=pid, name=pid, parent=parent, phase="execution")
    under_program = finding(ws, "IN-PROGRAM", "baseline-before-execution")
    direct = finding(ws, "DIRECT", "baseline-before-execution")
    assert under_program is not None
    assert direct is not None
    assert (under_program.model, under_program.level, under_program.blocking) == (
        "supportive",
        "advise",
        False,
    )
    assert (direct.model, direct.level, direct.blocking) == ("directive", "block", True)
    # A project's own model beats its ancestors'.
    ws.update("DIRECT", governance_model="controlling")
    own = finding(ws, "DIRECT", "baseline-before-execution")
    assert own is not None
    assert own.model == "controlling"


def test_min_level_filters_advice(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive", methodology=None)
    ws.create("project", id="P1", name="One", phase="execution")
    assert any(f.rule == "baseline-before-execution" for f in ws.check("P1"))
    assert ws.check("P1", min_level="warn") == []


class BrokenRulePlugin:
    """A third-party rule whose check raises: governance must fail closed."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        def explode(ctx: RuleContext) -> str | None:
            raise ZeroDivisionError("division by zero in acme's formula")

        yield PmoGovernanceRule(name="acme-broken", level="advise", check=explode)


def test_a_rule_that_raises_blocks(make_ws: MakeWorkspace) -> None:
    ws = make_ws("supportive", extra={"acme": BrokenRulePlugin()})
    ws.create(
        "project", id="P1", name="One", phase="planning", sponsor="Dana",
        business_case_approved=True,
    )  # fmt: skip
    f = finding(ws, "P1", "acme-broken")
    assert f is not None
    assert f.error
    assert f.blocking  # although the rule's own level, and the model's, is advise
    assert "ZeroDivisionError" in f.message
    assert "fails closed" in f.message
    result = ws.gate_check("P1")
    assert result.blocked
    assert any("acme-broken" in reason for reason in result.reasons())
    with pytest.raises(GovernanceBlockedError):
        ws.decide_gate("P1", "go", approvers=["Dana (sponsor)"])
    assert ws.get("P1").phase == "planning"


def test_quorum_and_pmo_approval_follow_the_model(make_ws: MakeWorkspace) -> None:
    ws = make_ws("directive")
    ws.create(
        "project", id="P1", name="One", phase="initiation", sponsor="Dana",
        business_case_approved=True, planned_start=date(2025, 6, 1),
    )  # fmt: skip
    ws.assign_role("P1", "pmo", "Lee")
    ws.assign_role("P1", "finance", "Fay")
    assert not ws.gate_check("P1").blocked
    with pytest.raises(GovernanceBlockedError, match="got 1: Dana \\(sponsor\\), no pmo"):
        ws.decide_gate("P1", "go", approvers=["Dana (sponsor)"])
    with pytest.raises(GovernanceBlockedError, match="Fay cannot approve"):
        ws.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Fay (finance)"])
    with pytest.raises(GovernanceBlockedError, match="Lee does not hold the role 'finance'"):
        ws.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Lee (finance)"])
    with pytest.raises(InvalidInputError, match="Dana is named more than once"):
        ws.decide_gate("P1", "go", approvers=["Dana (sponsor)", "dana"])
    assert ws.get("P1").phase == "initiation"
    decision = ws.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Lee (pmo)"])
    assert decision.next_phase == "planning"
    assert ws.get("P1").phase == "planning"


def test_supportive_lets_the_sponsor_alone_pass_a_gate_despite_advice(
    make_ws: MakeWorkspace,
) -> None:
    ws = make_ws("supportive")
    ws.create("project", id="P1", name="One", phase="initiation", sponsor="Dana")  # no case
    result = ws.gate_check("P1")
    advice = [f for f in result.findings if f.rule == "sponsor-and-business-case"]
    assert [(f.level, f.passed) for f in advice] == [("advise", False)]
    assert not result.blocked
    assert any("business case" in line for line in result.advice())
    ws.decide_gate("P1", "go", approvers=["Dana"])
    assert ws.get("P1").phase == "planning"
