"""Change requests at their edges: an impact that cannot be measured picks the top band, a
change that proposes only scope, one that no longer fits the project, a project out of
baselines, dates outside the request's life, and assessments that are refused. Every
refusal names where and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest
from plan_control_support import TODAY, MakeWorkspace, make

from pmo_core import (
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    Money,
    Workspace,
)

E = TypeVar("E", bound=Exception)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _refused(ws: Workspace, error: type[E], match: str, call: Callable[[], object]) -> E:
    before = len(ws.journal())
    with pytest.raises(error, match=match) as caught:
        call()
    assert len(ws.journal()) == before
    return caught.value


@pytest.mark.parametrize(("type", "article"), [("issue", "an"), ("assumption", "an")])
def test_a_raid_item_of_another_type_is_named_with_its_article(
    ws: Workspace, type: str, article: str
) -> None:
    item = ws.add_raid("ALPHA", type, "Something")
    exc = _refused(
        ws,
        InvalidInputError,
        rf"RAID item {item.id} is {article} {type}, not a change request",
        lambda: ws.reject_change(item.id, comment="No"),
    )
    assert exc.where == "ID"


def test_a_killed_project_takes_no_change_request(ws: Workspace) -> None:
    ws.change_lifecycle("ALPHA", "killed", comment="No market")
    _refused(
        ws,
        ConflictError,
        "cannot raise a change request on ALPHA: it is killed",
        lambda: ws.raise_change("ALPHA", "More", budget="260000 EUR"),
    )


def test_a_proposed_start_after_the_finish_is_refused_at_the_start(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        r"the finish \(2025-12-19\) would be before the start \(2026-01-05\)",
        lambda: ws.raise_change("ALPHA", "Later", start=date(2026, 1, 5)),
    )
    assert exc.where == "proposed_start"


def test_without_a_budget_or_dates_no_impact_is_computed(ws: Workspace) -> None:
    ws.create("project", id="BARE", name="Bare", parent="PF")

    change = ws.raise_change("BARE", "Fund it", budget="50000 EUR", finish=date(2025, 12, 1))

    assert (change.cost_impact, change.schedule_impact_days) == (None, None)
    assert change.proposed_budget == Money.parse("50000 EUR")


def test_an_impact_with_nothing_to_measure_it_against_needs_the_top_band(
    ws: Workspace,
) -> None:
    """A zero budget and no dates: the size is unmeasurable, so the largest change's
    approvers are needed (fail safe), never the smallest's."""
    ws.create("project", id="ZERO", name="Zero", parent="PF", sponsor="Dana Ruiz",
              manager="Kim Park", budget="0 EUR")  # fmt: skip
    ref = ws.raise_change("ZERO", "More", cost_impact="100 EUR", schedule_impact_days=3).id

    _refused(
        ws,
        GovernanceBlockedError,
        "the sponsor and the pmo",
        lambda: ws.approve_change(ref, approvers=["Kim Park"]),
    )
    approved = ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"])

    assert approved.approved is True
    assert [(a.approver, a.role) for a in approved.approvals] == [
        ("Dana Ruiz", "sponsor"),
        ("Lee Chen", "pmo"),
    ]


def test_without_a_budget_an_approved_change_is_refused_for_its_baseline(
    ws: Workspace,
) -> None:
    """The top band approves, but a baseline freezes the cost: nothing is written."""
    ws.create("project", id="BARE", name="Bare", parent="PF", sponsor="Dana Ruiz")
    ref = ws.raise_change("BARE", "More", cost_impact="100 EUR").id

    _refused(
        ws,
        GovernanceBlockedError,
        "the sponsor and the pmo",
        lambda: ws.approve_change(ref, approvers=["Dana Ruiz"]),
    )
    exc = _refused(
        ws,
        InvalidInputError,
        "BARE has no budget: a baseline freezes the cost",
        lambda: ws.approve_change(ref, approvers=["Dana Ruiz", "Lee Chen"]),
    )
    assert exc.where == "budget"
    assert ws.change_request(ref).approved is None


def test_a_change_of_scope_only_takes_a_baseline_and_leaves_the_project(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    """Under a model needing no approval, whoever records the approval approves; nothing of
    the project changes, the baseline is still taken."""
    ws = make(pmo_workspace_factory, model="light")
    version = ws.get("ALPHA").version
    ref = ws.raise_change("ALPHA", "Web only", scope="Drop the app").id

    approved = ws.approve_change(ref, comment="  ")

    assert [(a.approver, a.role, a.approve) for a in approved.approvals] == [("tester", None, True)]
    assert approved.resolution == "Approved by tester; baseline 0 taken."
    assert ws.get("ALPHA").version == version
    assert [b.number for b in ws.baselines("ALPHA")] == [0]


def test_a_change_that_no_longer_fits_the_project_is_refused_whole(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory, model="light")
    ref = ws.raise_change("ALPHA", "Finish early", finish=date(2025, 3, 1)).id
    ws.update("ALPHA", planned_start=date(2025, 4, 1))

    _refused(
        ws,
        InvalidInputError,
        f"change request {ref} cannot apply to ALPHA as it is now: ",
        lambda: ws.approve_change(ref),
    )
    assert ws.baselines("ALPHA") == []
    assert ws.change_request(ref).approved is None


def test_a_project_with_every_baseline_taken_cannot_approve_a_change(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory, model="light")
    for _ in range(11):
        ws.take_baseline("ALPHA")
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id

    _refused(
        ws,
        ConflictError,
        "ALPHA has baselines 0 to 10 already: approving the change would take one more",
        lambda: ws.approve_change(ref),
    )
    assert ws.get("ALPHA").budget == Money.parse("250000 EUR")


def test_a_decision_dated_after_the_status_date_is_refused_at_on(ws: Workspace) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    exc = _refused(
        ws,
        InvalidInputError,
        "2025-06-03 is after the status date 2025-06-02",
        lambda: ws.reject_change(ref, comment="No", on=date(2025, 6, 3)),
    )
    assert exc.where == "on"


def test_a_decision_dated_before_the_request_was_raised_is_refused_at_on(
    ws: Workspace,
) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    exc = _refused(
        ws,
        InvalidInputError,
        rf"2025-05-01 is before the change was raised \({TODAY}\)",
        lambda: ws.approve_change(ref, approvers=["Kim Park"], on=date(2025, 5, 1)),
    )
    assert exc.where == "on"


def test_an_assessment_must_say_what_it_found(ws: Workspace) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    exc = _refused(
        ws,
        InvalidInputError,
        "say what the assessment found",
        lambda: ws.assess_change(ref, comment="  "),
    )
    assert exc.where == "comment"


def test_an_assessment_with_a_bad_impact_is_refused_at_the_impact(ws: Workspace) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    exc = _refused(
        ws,
        InvalidInputError,
        "not money",
        lambda: ws.assess_change(ref, comment="Quote", cost_impact="lots"),
    )
    assert exc.where == "cost_impact"


def test_an_assessment_comment_with_a_control_character_is_refused(ws: Workspace) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    _refused(
        ws,
        InvalidInputError,
        "comment",
        lambda: ws.assess_change(ref, comment="Quote \u202ereceived"),
    )
    assert ws.change_request(ref).assessment is None


def test_an_assessment_without_new_figures_keeps_the_impact_raised(ws: Workspace) -> None:
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR", finish=date(2025, 12, 29)).id

    assessed = ws.assess_change(ref, comment="Confirmed")

    assert assessed.assessment is not None
    assert assessed.assessment.comment == "Confirmed"
    assert (assessed.cost_impact, assessed.schedule_impact_days) == (
        Money.parse("10000 EUR"),
        10,
    )


def test_an_impact_in_another_currency_than_the_baseline_is_refused_at_the_impact(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    """The budget moved to USD after baseline 0 froze it in EUR: the change's size cannot be
    measured against the baseline, and approving it says so."""
    ws = make(pmo_workspace_factory, model="light")
    ws.take_baseline("ALPHA")
    ws.update("ALPHA", budget="270000 USD", currency="USD")
    ref = ws.raise_change("ALPHA", "More", cost_impact="5000 USD").id

    exc = _refused(
        ws,
        InvalidInputError,
        "the cost impact is in USD but the baselined budget of ALPHA is in EUR",
        lambda: ws.approve_change(ref),
    )
    assert exc.where == "cost_impact"
    assert [b.number for b in ws.baselines("ALPHA")] == [0]


def test_a_rejection_too_long_to_record_is_refused_whole(ws: Workspace) -> None:
    """The reason fits a comment but not the resolution that quotes it: nothing written."""
    ref = ws.raise_change("ALPHA", "More", budget="260000 EUR").id
    _refused(
        ws,
        InvalidInputError,
        "resolution",
        lambda: ws.reject_change(ref, comment="x" * 9_995),
    )
    assert ws.change_request(ref).status == "open"
