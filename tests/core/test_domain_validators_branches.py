"""The domain's cross-field checks that no other test reaches: each record refuses the one
combination of fields that cannot be true, saying which, and through the workspace the
refusal names the field and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from plan_control_support import TODAY, MakeWorkspace, make
from pydantic import ValidationError

from pmo_core import (
    Alignment,
    Approval,
    Artifact,
    ArtifactReview,
    InvalidInputError,
    RaidItem,
    ScoreChange,
    StatusReport,
    Waiver,
    WorkItem,
    Workspace,
)

DAY = date(2025, 5, 2)


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        (
            Artifact,
            {"status": "approved", "approved_on": DAY, "approved_by": "Dana",
             "rejection_comment": "Too thin"},
            "rejected_on / rejected_by / rejection_comment set on a approved artifact",
        ),
        (
            Artifact,
            {"reviews": (ArtifactReview(revision=2, outcome="rejected", on=DAY, by="Dana"),)},
            "reviews: a review of revision 2, but the artifact is at revision 1",
        ),
        (
            RaidItem,
            {"type": "change",
             "approvals": (Approval(approver="Dana", approve=True, decided_on=DAY),)},
            "approvals are set but the change is not approved",
        ),
        (
            RaidItem,
            {"type": "assumption",
             "score_history": (ScoreChange(on=DAY, actor="Sam", new_probability=2, new_impact=2),)},
            "score_history applies only to a risk or an issue, not to an assumption",
        ),
        (
            RaidItem,
            {"type": "issue", "resolution": "Fixed"},
            "resolution is set but status is not closed",
        ),
        (
            StatusReport,
            {"overall": "green", "approved_on": DAY},
            "approved_on is set but approved_by is empty",
        ),
        (
            WorkItem,
            {"id": "w1", "project": "ALPHA", "subject": "Loop", "parent": "w1"},
            "parent: work item 'w1' cannot be its own parent",
        ),
        (
            Alignment,
            {"id": "ALPHA:other", "project": "ALPHA", "objective": "obj1", "weight": 0.5},
            "id must be 'ALPHA:obj1' (project:objective), got 'ALPHA:other'",
        ),
        (
            Waiver,
            {"kind": "rule", "target": "budget-named", "reason": "Pilot", "granted_on": DAY,
             "expires_on": date(2025, 5, 1)},
            "expires_on 2025-05-01 is before granted_on 2025-05-02",
        ),
    ],
    ids=[
        "artifact-rejection-fields-on-another-status",
        "artifact-review-of-a-later-revision",
        "change-approvals-without-approval",
        "score-history-of-an-assumption",
        "resolution-of-an-open-item",
        "status-report-approved-by-nobody",
        "work-item-its-own-parent",
        "alignment-id-not-derived",
        "waiver-expiring-before-its-grant",
    ],
)  # fmt: skip
def test_a_record_refuses_fields_that_contradict_each_other(
    model: type[Any], fields: dict[str, Any], message: str
) -> None:
    base: dict[str, Any] = {
        Artifact: {"entity": "ALPHA", "name": "charter"},
        RaidItem: {"entity": "ALPHA", "title": "Something"},
        StatusReport: {"entity": "ALPHA", "as_of": DAY, "author": "Kim"},
        Waiver: {"entity": "ALPHA"},
    }.get(model, {})
    with pytest.raises(ValidationError) as caught:
        model(**base, **fields)
    assert message in str(caught.value)


def test_an_alignment_given_its_derived_id_is_taken() -> None:
    link = Alignment(id="ALPHA:obj1", project="ALPHA", objective="obj1", weight=0.5)
    assert link.id == "ALPHA:obj1"
    assert Alignment(project="ALPHA", objective="obj1", weight=0.5) == link


def test_a_waiver_holds_from_its_grant_to_its_expiry_unless_revoked() -> None:
    waiver = Waiver(entity="ALPHA", kind="rule", target="budget-named", reason="Pilot",
                    granted_on=DAY, expires_on=date(2025, 5, 31))  # fmt: skip
    assert [waiver.active_on(d) for d in (date(2025, 5, 1), DAY, date(2025, 5, 31))] == [
        False,
        True,
        True,
    ]
    assert not waiver.active_on(date(2025, 6, 1))
    revoked = waiver.replace(revoked_on=date(2025, 5, 10), revoked_by="Lee", revoked_reason="Done")
    assert [revoked.active_on(d) for d in (date(2025, 5, 9), date(2025, 5, 10))] == [True, False]


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def test_an_actual_finish_without_an_actual_start_is_refused_at_the_field(
    ws: Workspace,
) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError, match="actual_finish is set but actual_start is not"):
        ws.update("ALPHA", actual_finish=TODAY)
    assert len(ws.journal()) == before
    assert ws.get("ALPHA").actual_finish is None


@pytest.mark.parametrize("role", ["9lives", "board!", "-pmo"])
def test_a_role_that_is_not_a_role_name_is_refused(ws: Workspace, role: str) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError) as caught:
        ws.assign_role("PF", role, "Sam Roe")
    # The field is named at the head of the message (no CLI option to point at).
    assert str(caught.value) == (
        f"role: {role!r} is not a role name: use letters, digits and '-', starting with a letter"
    )
    assert len(ws.journal()) == before
