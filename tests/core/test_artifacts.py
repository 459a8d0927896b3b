"""Artifacts: submitted by their author, approved through the approval matrix, rejected with
why, revised; gate criteria that name an artifact follow its approval."""

from __future__ import annotations

from datetime import date

import pytest
from plan_control_support import TODAY, MakeWorkspace, make

from pmo_core import (
    Artifact,
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    NotFoundError,
    Workspace,
)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _gate_blocked(ws: Workspace) -> bool:
    return ws.gate_check("ALPHA").blocked


def test_submit_records_the_author_the_date_and_the_first_revision(ws: Workspace) -> None:
    artifact = ws.submit_artifact(
        "ALPHA", "charter", title="Alpha charter", location="https://wiki.example.com/charter"
    )

    assert (artifact.status, artifact.revision) == ("submitted", 1)
    assert (artifact.submitted_by, artifact.submitted_on) == ("tester", TODAY)
    assert artifact.location == "https://wiki.example.com/charter"
    [entry] = ws.journal(kind="artifact")
    assert (entry.actor, entry.op) == ("tester", "insert")
    [txn] = [t for t in ws.store.transactions() if t.txn_id == entry.txn_id]
    assert txn.command == "artifact submit"


def test_approval_meets_the_gate_criterion_and_records_who_when_and_which_revision(
    ws: Workspace,
) -> None:
    ws.submit_artifact("ALPHA", "charter", on=date(2025, 5, 30))
    assert _gate_blocked(ws)

    approved = ws.approve_artifact(
        "ALPHA", "charter", approvers=["Dana Ruiz (sponsor)"], on=date(2025, 6, 1)
    )

    assert not _gate_blocked(ws)
    assert (approved.status, approved.approved_on) == ("approved", date(2025, 6, 1))
    assert approved.approved_by == "Dana Ruiz (sponsor)"
    assert [(a.approver, a.role) for a in approved.approvals] == [("Dana Ruiz", "sponsor")]
    [review] = approved.reviews
    assert (review.revision, review.outcome, review.on, review.by) == (
        1,
        "approved",
        date(2025, 6, 1),
        "tester",
    )


def test_an_approver_without_the_role_is_refused_and_nothing_is_written(ws: Workspace) -> None:
    ws.submit_artifact("ALPHA", "charter")
    before = len(ws.journal())

    with pytest.raises(GovernanceBlockedError, match="sponsor: Dana Ruiz; pmo: Lee Chen"):
        ws.approve_artifact("ALPHA", "charter", approvers=["Kim Park"])

    assert len(ws.journal()) == before
    assert ws.artifacts("ALPHA")[0].status == "submitted"


def test_the_author_cannot_approve_their_own_artifact(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory, actor="Dana Ruiz")
    ws.submit_artifact("ALPHA", "charter")

    with pytest.raises(GovernanceBlockedError, match="Dana Ruiz asked for artifact charter"):
        ws.approve_artifact("ALPHA", "charter")  # none named: the actor, its author
    approved = ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen"])
    assert [(a.approver, a.role) for a in approved.approvals] == [("Lee Chen", "pmo")]


def test_duplicate_approvers_are_refused(ws: Workspace) -> None:
    ws.submit_artifact("ALPHA", "charter")
    with pytest.raises(InvalidInputError, match="named more than once"):
        ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen", "lee  chen"])


def test_without_an_approval_rule_the_actor_approves(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = make(pmo_workspace_factory, model="light")
    ws.submit_artifact("ALPHA", "charter")
    approved = ws.approve_artifact("ALPHA", "charter")
    assert approved.approved_by == "tester"


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_only_a_submitted_artifact_is_decided(ws: Workspace, status: str) -> None:
    ws.add(
        Artifact(entity="ALPHA", name="charter", status=status)
        if status == "draft"
        else Artifact(entity="ALPHA", name="charter", status=status, approved_on=TODAY)
    )
    before = len(ws.journal())

    with pytest.raises(ConflictError, match="only a submitted artifact can be approved"):
        ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen"])
    with pytest.raises(ConflictError, match="only a submitted artifact can be rejected"):
        ws.reject_artifact("ALPHA", "charter", comment="no")
    assert len(ws.journal()) == before


def test_rejection_needs_a_reason_and_a_new_submission_is_the_next_revision(
    ws: Workspace,
) -> None:
    ws.submit_artifact("ALPHA", "charter", location="v1.md")
    with pytest.raises(InvalidInputError, match="--comment"):
        ws.reject_artifact("ALPHA", "charter", comment="  ")

    rejected = ws.reject_artifact("ALPHA", "charter", comment="The benefits are missing")
    assert (rejected.status, rejected.rejected_by) == ("rejected", "tester")
    assert rejected.rejection_comment == "The benefits are missing"

    again = ws.submit_artifact("ALPHA", "charter", location="v2.md")
    assert (again.status, again.revision, again.location) == ("submitted", 2, "v2.md")
    assert again.rejection_comment is None
    approved = ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen"])
    assert [(r.revision, r.outcome) for r in approved.reviews] == [
        (1, "rejected"),
        (2, "approved"),
    ]


def test_revising_an_approved_artifact_needs_a_new_approval(ws: Workspace) -> None:
    ws.submit_artifact("ALPHA", "charter")
    ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen"])

    revised = ws.submit_artifact("ALPHA", "charter", title="Charter, scope extended")

    assert (revised.status, revised.revision, revised.approved_by) == ("submitted", 2, None)
    assert revised.reviews[0].revision == 1  # the approval of revision 1 stays on record
    assert _gate_blocked(ws)
    [stored] = ws.artifacts("ALPHA")
    assert stored.id == revised.id  # one artifact, revised: not a second one


def test_a_submitted_artifact_is_not_submitted_again(ws: Workspace) -> None:
    ws.submit_artifact("ALPHA", "charter")
    with pytest.raises(ConflictError, match="waits for a decision"):
        ws.submit_artifact("ALPHA", "charter")


def test_names_come_from_the_methodology(ws: Workspace) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError, match=r"no artifact 'charta' \(artifacts: charter, plan"):
        ws.submit_artifact("ALPHA", "charta")
    assert len(ws.journal()) == before


def test_dates_are_checked(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="after the status date"):
        ws.submit_artifact("ALPHA", "charter", on=date(2025, 6, 3))
    ws.submit_artifact("ALPHA", "charter", on=date(2025, 6, 1))
    with pytest.raises(InvalidInputError, match="before the artifact was submitted"):
        ws.approve_artifact("ALPHA", "charter", approvers=["Lee Chen"], on=date(2025, 5, 31))


def test_templates_come_from_the_methodology(ws: Workspace) -> None:
    assert ws.artifact_template("ALPHA", "charter").template.startswith("# Charter")
    assert [a.name for a in ws.artifact_templates("ALPHA")] == ["charter", "plan"]
    with pytest.raises(NotFoundError, match="no artifact 'budget'"):
        ws.artifact_template("ALPHA", "budget")
    with pytest.raises(NotFoundError):
        ws.artifact_template("NOPE", "charter")


def test_an_entity_without_methodology_names_artifacts_freely(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(today=TODAY)
    ws.create("project", id="FREE", name="Free")
    assert ws.submit_artifact("FREE", "vision-paper").status == "submitted"
    with pytest.raises(NotFoundError, match="follows no methodology"):
        ws.artifact_template("FREE", "vision-paper")


def test_a_killed_project_takes_no_artifact(ws: Workspace) -> None:
    ws.change_lifecycle("ALPHA", "killed", comment="No market")
    with pytest.raises(ConflictError, match="killed"):
        ws.submit_artifact("ALPHA", "charter")
