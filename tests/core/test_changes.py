"""Change requests: raised with their impact, assessed, approved by size through the approval
matrix (applying the change and re-baselining in one transaction) or rejected; refusals
write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from plan_control_support import TODAY, MakeWorkspace, make

from pmo_core import (
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    Money,
    NotFoundError,
    WorkItem,
    Workspace,
)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = make(pmo_workspace_factory)
    ws.add(WorkItem(project="ALPHA", subject="Build", work=1000, budget="200000 EUR"))
    ws.take_baseline("ALPHA")
    return ws


def _raise(ws: Workspace, budget: str = "275000 EUR", **fields: object) -> str:
    return ws.raise_change("ALPHA", "Second data centre", budget=budget, **fields).id  # type: ignore[arg-type]


def test_raising_computes_the_impact_against_the_latest_baseline(ws: Workspace) -> None:
    change = ws.raise_change(
        "ALPHA",
        "Second data centre",
        budget="275000 EUR",
        finish=date(2026, 1, 16),
        scope="Add a disaster-recovery site",
        description="Audit finding 2025-14",
    )

    assert (change.type, change.status, change.approved) == ("change", "open", None)
    assert change.requested_by == "tester"
    assert change.proposed_budget == Money.parse("275000 EUR")
    assert change.proposed_finish == date(2026, 1, 16)
    assert change.scope_change == "Add a disaster-recovery site"
    assert change.cost_impact == Money.parse("25000 EUR")
    assert change.schedule_impact_days == 28
    assert ws.change_request(change.id[:6]) == change
    assert ws.change_requests("ALPHA", open_only=True) == [change]


def test_an_impact_given_is_kept(ws: Workspace) -> None:
    change = ws.raise_change(
        "ALPHA", "Drop the app", scope="Web only", cost_impact="-20000 EUR",
        schedule_impact_days=-10,
    )  # fmt: skip
    assert (change.cost_impact, change.schedule_impact_days) == (Money.parse("-20000 EUR"), -10)


def test_without_a_baseline_the_impact_is_against_the_project(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory)
    change = ws.raise_change("ALPHA", "More", budget="260000 EUR", finish=date(2025, 12, 31))
    assert (change.cost_impact, change.schedule_impact_days) == (Money.parse("10000 EUR"), 12)


@pytest.mark.parametrize(
    ("project", "fields", "error", "message"),
    [
        ("NOPE", {"budget": "1 EUR"}, NotFoundError, "'NOPE'"),
        ("PF", {"budget": "1 EUR"}, InvalidInputError, "PF is a portfolio"),
        ("ALPHA", {"budget": "-5 EUR"}, InvalidInputError, "proposed_budget: must not be negative"),
        ("ALPHA", {"budget": "5 USD"}, InvalidInputError, "5 USD is in USD but ALPHA"),
        ("ALPHA", {"cost_impact": "5 USD"}, InvalidInputError, "cost_impact: 5 USD is in USD"),
        ("ALPHA", {"budget": "lots"}, InvalidInputError, "proposed_budget: not money"),
        ("ALPHA", {}, InvalidInputError, "a change request proposes something"),
        ("ALPHA", {"finish": date(2024, 12, 1)}, InvalidInputError, "before the start"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(
    ws: Workspace,
    project: str,
    fields: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    before = len(ws.journal())
    with pytest.raises(error, match=message):
        ws.raise_change(project, "x", **fields)  # type: ignore[arg-type]
    assert len(ws.journal()) == before


def test_approval_applies_the_change_and_re_baselines_in_one_transaction(ws: Workspace) -> None:
    ref = _raise(ws, finish=date(2026, 1, 16))

    decided = ws.approve_change(
        ref, approvers=["Dana Ruiz (sponsor)", "Lee Chen (pmo)"], comment="Audit must close"
    )

    alpha = ws.get("ALPHA")
    assert (alpha.budget, alpha.planned_finish) == (Money.parse("275000 EUR"), date(2026, 1, 16))
    baseline = ws.baseline("ALPHA")
    assert (baseline.number, baseline.cost, baseline.planned_finish) == (
        1,
        Money.parse("275000 EUR"),
        date(2026, 1, 16),
    )
    assert [i.subject for i in baseline.items] == ["Build"]
    assert (decided.approved, decided.status, decided.baseline_number) == (True, "closed", 1)
    assert (decided.decided_on, decided.decided_by, decided.closed_on) == (TODAY, "tester", TODAY)
    assert [(a.approver, a.role) for a in decided.approvals] == [
        ("Dana Ruiz", "sponsor"),
        ("Lee Chen", "pmo"),
    ]
    assert "Audit must close" in (decided.resolution or "")
    # One transaction, by the actor: the project, the baseline and the decision.
    last = ws.journal()[-3:]
    assert [(e.kind, e.op) for e in last] == [
        ("project", "update"),
        ("baseline", "insert"),
        ("raid", "update"),
    ]
    assert len({e.txn_id for e in last}) == 1
    assert {e.actor for e in last} == {"tester"}
    assert ws.compare_baselines("ALPHA").unchanged


def test_change_control_blocks_the_direct_update_the_approval_applies(ws: Workspace) -> None:
    with pytest.raises(GovernanceBlockedError, match="approved change request"):
        ws.update("ALPHA", budget="275000 EUR")
    ws.approve_change(_raise(ws), approvers=["Dana Ruiz", "Lee Chen"])
    assert ws.get("ALPHA").budget == Money.parse("275000 EUR")


@pytest.mark.parametrize(
    ("budget", "approvers", "allowed"),
    [
        ("255000 EUR", ["Kim Park"], True),  # 2 %: the manager may
        ("267500 EUR", ["Kim Park"], False),  # 7 %: the sponsor's
        ("267500 EUR", ["Dana Ruiz"], True),
        ("275000 EUR", ["Dana Ruiz"], False),  # 10 %: the sponsor and the pmo
        ("225000 EUR", ["Dana Ruiz", "Lee Chen"], True),  # a 10 % saving is as large
    ],
)
def test_the_size_of_the_change_picks_who_approves(
    ws: Workspace, budget: str, approvers: list[str], allowed: bool
) -> None:
    ref = _raise(ws, budget=budget)
    if allowed:
        assert ws.approve_change(ref, approvers=approvers).approved
    else:
        before = len(ws.journal())
        with pytest.raises(GovernanceBlockedError, match=r"approvals\.change"):
            ws.approve_change(ref, approvers=approvers)
        assert len(ws.journal()) == before
        assert ws.get("ALPHA").budget == Money.parse("250000 EUR")


def test_a_schedule_impact_counts_as_a_fraction_of_the_baselined_duration(
    ws: Workspace,
) -> None:
    ref = ws.raise_change("ALPHA", "Later", finish=date(2026, 2, 17)).id  # +60 of 347 days
    with pytest.raises(GovernanceBlockedError, match="the sponsor and the pmo"):
        ws.approve_change(ref, approvers=["Kim Park"])


def test_the_requester_cannot_approve_their_own_change(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory, actor="Dana Ruiz")
    ws.take_baseline("ALPHA")
    ref = ws.raise_change("ALPHA", "A little more", budget="255000 EUR").id
    before = len(ws.journal())

    with pytest.raises(GovernanceBlockedError, match="Dana Ruiz asked for change request"):
        ws.approve_change(ref)

    assert len(ws.journal()) == before
    assert ws.approve_change(ref, approvers=["Kim Park"]).approved


def test_duplicate_approvers_are_refused(ws: Workspace) -> None:
    ref = _raise(ws)
    with pytest.raises(InvalidInputError, match="named more than once"):
        ws.approve_change(ref, approvers=["Dana Ruiz", "DANA RUIZ"])


def test_a_decided_change_is_not_decided_again(ws: Workspace) -> None:
    ref = _raise(ws)
    ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"])
    before = len(ws.journal())

    with pytest.raises(ConflictError, match="already approved on 2025-06-02 by Dana Ruiz"):
        ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"])
    with pytest.raises(ConflictError, match="not decided again"):
        ws.reject_change(ref, comment="Changed our mind")
    with pytest.raises(ConflictError, match="not decided again"):
        ws.assess_change(ref, comment="late")

    assert len(ws.journal()) == before
    assert [b.number for b in ws.baselines("ALPHA")] == [0, 1]


def test_rejection_keeps_the_plan_and_needs_a_reason(ws: Workspace) -> None:
    ref = _raise(ws)
    with pytest.raises(InvalidInputError, match="say why"):
        ws.reject_change(ref, comment="")

    rejected = ws.reject_change(ref, comment="Not worth it")

    assert (rejected.approved, rejected.status, rejected.resolution) == (
        False,
        "closed",
        "Rejected: Not worth it",
    )
    assert ws.get("ALPHA").budget == Money.parse("250000 EUR")
    assert [b.number for b in ws.baselines("ALPHA")] == [0]
    with pytest.raises(ConflictError, match="already rejected"):
        ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"])


def test_assessment_records_who_when_and_corrects_the_impact(ws: Workspace) -> None:
    ref = _raise(ws)
    assessed = ws.assess_change(
        ref, comment="Vendor quote received", cost_impact="31000 EUR", schedule_impact_days=14
    )
    assert assessed.assessment is not None
    assert (assessed.assessment.by, assessed.assessment.on) == ("tester", TODAY)
    assert assessed.assessment.comment == "Vendor quote received"
    assert (assessed.cost_impact, assessed.schedule_impact_days) == (
        Money.parse("31000 EUR"),
        14,
    )
    with pytest.raises(InvalidInputError, match="is in USD"):
        ws.assess_change(ref, comment="x", cost_impact="1 USD")


def test_a_withdrawn_change_is_not_decided(ws: Workspace) -> None:
    ref = _raise(ws)
    ws.close_raid(ref, "Withdrawn by the sponsor")
    with pytest.raises(ConflictError, match="reopen it to approve it"):
        ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"])


def test_only_change_requests_are_decided_here(ws: Workspace) -> None:
    risk = ws.add_raid("ALPHA", "risk", "Vendor late", probability=2, impact=2)
    with pytest.raises(InvalidInputError, match="is a risk, not a change request"):
        ws.approve_change(risk.id)


def test_the_decision_fields_are_not_edited_by_hand(ws: Workspace) -> None:
    ref = _raise(ws)
    for field, value in (
        ("requested_by", "Lee Chen"),
        ("approvals", ()),
        ("decided_on", TODAY),
        ("baseline_number", 3),
    ):
        with pytest.raises(InvalidInputError, match=field):
            ws.update_raid(ref, **{field: value})


def test_a_change_raised_as_a_raid_item_records_its_requester(ws: Workspace) -> None:
    item = ws.add_raid("ALPHA", "change", "More testing", cost_impact="5000 EUR")
    assert item.requested_by == "tester"
    assert ws.approve_change(item.id, approvers=["Kim Park"]).baseline_number == 1
