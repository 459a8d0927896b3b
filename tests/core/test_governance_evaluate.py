"""The governance evaluate loop: a rule left out (another scope or tier, gates only, level
"off", below ``min_level``) is skipped on its own, and every rule after it still runs.

Rules run in name order (the host lists records sorted by name), so each rule left out here
is named to come before the rule that must still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from pmo_core import PmoGovernanceModel, PmoGovernanceRule, RuleContext, Workspace, hookimpl

MakeWorkspace = Callable[..., Workspace]


def _fails(ctx: RuleContext) -> str:
    return f"{ctx.entity.id} fails"


class LeftOutFirst:
    """Rules named ``a-...`` that a project at a status check leaves out, each for one
    reason, and ``z-runs`` after them all, which must still fail."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(name="a-advise", level="advise", check=_fails)
        yield PmoGovernanceRule(name="a-off", level="warn", check=_fails)
        yield PmoGovernanceRule(name="a-portfolio", level="warn", scopes=("portfolio",),
                                check=_fails)  # fmt: skip
        yield PmoGovernanceRule(name="a-tier-1", level="warn", tiers=(1,), check=_fails)
        yield PmoGovernanceRule(name="a-gates-only", level="warn", gates_only=True, check=_fails)
        yield PmoGovernanceRule(name="z-runs", level="warn", check=_fails)

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(name="offs", rule_levels={"a-off": "off"})


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = pmo_workspace_factory(
        plugins={"left-out": LeftOutFirst()}, governance_model="offs", today=date(2026, 6, 1)
    )
    ws.create("project", id="P1", name="One", tier=2)
    return ws


def _ours(ws: Workspace, *, min_level: str = "advise") -> list[str]:
    return sorted(
        f.rule for f in ws.check("P1", min_level=min_level) if f.rule.startswith(("a-", "z-"))
    )


def test_a_rule_below_min_level_is_skipped_and_later_rules_still_run(ws: Workspace) -> None:
    assert _ours(ws, min_level="warn") == ["z-runs"]


def test_a_rule_turned_off_is_skipped_and_later_rules_still_run(ws: Workspace) -> None:
    # At "advise" only the "off" rule and the scope, tier and gate rules are left out.
    assert _ours(ws) == ["a-advise", "z-runs"]


def test_a_rule_of_another_scope_tier_or_for_gates_is_skipped_and_later_rules_run(
    ws: Workspace,
) -> None:
    findings = {f.rule: f for f in ws.check("P1", min_level="warn")}
    assert {"a-portfolio", "a-tier-1", "a-gates-only", "a-off", "a-advise"}.isdisjoint(findings)
    assert findings["z-runs"].message == "P1 fails"
    assert not findings["z-runs"].passed
