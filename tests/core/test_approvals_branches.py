"""Approvals at their edges: an approver that is not one line of text, a role claimed by
someone who does not hold it under a model with no rule for the decision, a role given in
another spelling, and the matrix row of a reopening the model has no rule of its own for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from plan_control_support import TODAY, MakeWorkspace, PlanControl, make

from pmo_core import (
    Approval,
    ApprovalRule,
    GovernanceBlockedError,
    InvalidInputError,
    PmoGovernanceModel,
    Workspace,
    hookimpl,
)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def test_an_approver_that_is_not_one_line_is_refused_at_the_approver_option(
    ws: Workspace,
) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError) as caught:
        ws.change_lifecycle("ALPHA", "on_hold", comment="Funding", approvers=["Dana\nRuiz"])
    assert caught.value.where == "--approver"
    assert "approver" in caught.value.message
    assert len(ws.journal()) == before


def test_a_role_claimed_without_holding_it_is_refused_even_where_no_rule_applies(
    ws: Workspace,
) -> None:
    """The strict model has no rule for a hold: anyone may decide it, but not in a role
    they do not hold; with no rule to name, the refusal points to the role list."""
    before = len(ws.journal())
    with pytest.raises(GovernanceBlockedError) as caught:
        ws.change_lifecycle("ALPHA", "on_hold", comment="Funding", approvers=["Kim Park (sponsor)"])
    assert str(caught.value) == (
        "Kim Park does not hold the role 'sponsor' for ALPHA; see 'pmo role list'"
    )
    assert len(ws.journal()) == before


def test_a_role_given_in_another_spelling_counts_and_is_recorded_as_the_role(
    ws: Workspace,
) -> None:
    ref = ws.raise_change("ALPHA", "A little more", budget="255000 EUR").id
    given = Approval(approver="Dana Ruiz", role="Sponsor ", approve=True, decided_on=TODAY)

    decided = ws.approve_change(ref, approvers=[given])

    assert [(a.approver, a.role) for a in decided.approvals] == [("Dana Ruiz", "sponsor")]


class GoOnly:
    """A model with a rule for a go and none of its own for a reopening."""

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="go-only",
            approvals={"go": ApprovalRule(roles=("sponsor", "pmo"), quorum=2)},
        )


def test_a_reopening_without_a_rule_of_its_own_needs_what_a_go_needs(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws: Workspace = pmo_workspace_factory(
        plugins={"plan-control": PlanControl(), "go-only": GoOnly()},
        governance_model="go-only",
        today=TODAY,
    )
    ws.create("project", id="BETA", name="Beta", sponsor="Dana Ruiz")

    rows = {row.decision: row for row in ws.approval_matrix("BETA")}

    assert rows["reopen"].rule == rows["go"].rule
    assert rows["reopen"].rule is not None
    assert rows["reopen"].rule.roles == ("sponsor", "pmo")
    assert rows["kill"].rule is None
    ws.change_lifecycle("BETA", "killed", comment="No market", on=date(2025, 5, 1))
    with pytest.raises(GovernanceBlockedError):
        ws.change_lifecycle("BETA", "proposed", comment="Again", approvers=["Dana Ruiz"])
    assert ws.get("BETA").lifecycle == "killed"
