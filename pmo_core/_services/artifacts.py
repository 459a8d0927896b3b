"""Artifacts (management products): submitted by their author, approved by whom the approval
matrix names, or rejected with why; each new submission of a decided artifact is a revision.

The names an entity's methodology declares are the only ones it accepts (a gate criterion
names its artifact, so a misspelt name would silently never count); an entity that follows
no methodology names its artifacts freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._domain import Approval, Artifact, ArtifactReview, Entity
from .._domain._base import NAME_MAX_LENGTH
from .._errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    validation_message,
)
from .._records import PmoArtifact, PmoMethodology
from .._view import WorkspaceView
from .lifecycle import check_live
from .records import entity_in, validated

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .approvals import ApprovalService
    from .governance import GovernanceService


def approval_label(approval: Approval) -> str:
    """``"Dana Ruiz (sponsor)"``: an approver with the role the approval counts in.

    Example::

        approval_label(Approval(approver="Dana Ruiz", role="sponsor", approve=True))
    """
    return f"{approval.approver} ({approval.role})" if approval.role else approval.approver


class ArtifactService:
    """Submits, approves and rejects artifacts; reads their templates from the methodology."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, approvals: ApprovalService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._approvals = approvals

    # ------------------------------------------------------------------ reads

    def of(self, entity: str, view: WorkspaceView | None = None) -> list[Artifact]:
        """See :meth:`Workspace.artifacts <pmo_core.Workspace.artifacts>`."""
        view = view or self._ws.view()
        subject = view.entity(entity)
        order = {a.name: n for n, a in enumerate(self._declared(subject, view, quiet=True))}
        return sorted(
            view.artifacts(subject.id), key=lambda a: (order.get(a.name, len(order)), a.name, a.id)
        )

    def templates(self, entity: str) -> list[PmoArtifact]:
        """See :meth:`Workspace.artifact_templates <pmo_core.Workspace.artifact_templates>`."""
        view = self._ws.view()
        return list(self._declared(view.entity(entity), view, quiet=False))

    def template(self, entity: str, name: str) -> PmoArtifact:
        """See :meth:`Workspace.artifact_template <pmo_core.Workspace.artifact_template>`."""
        view = self._ws.view()
        subject = view.entity(entity)
        methodology = self._governance.methodology_for(subject, view)
        if methodology is None:
            raise NotFoundError(
                f"{subject.id} follows no methodology, so no artifact has a template; "
                f"set one ('pmo {subject.kind} update {subject.id} --methodology NAME')"
            )
        found = next((a for a in methodology.artifacts if a.name == name), None)
        if found is None:
            raise NotFoundError(_unknown(methodology, name))
        return found

    def _declared(self, subject: Entity, view: WorkspaceView, *, quiet: bool) -> list[PmoArtifact]:
        try:
            methodology = self._governance.methodology_for(subject, view)
        except NotFoundError:
            if quiet:
                return []
            raise
        return list(methodology.artifacts) if methodology else []

    # ----------------------------------------------------------------- writes

    def submit(
        self,
        entity: str,
        name: str,
        *,
        title: str | None,
        location: str | None,
        on: date | None,
    ) -> Artifact:
        """See :meth:`Workspace.submit_artifact <pmo_core.Workspace.submit_artifact>`."""
        ws = self._ws
        day = self._day(on)
        view = ws.view()
        subject = view.entity(entity)
        check_live(subject, "submit an artifact of")
        self._check_name(subject, name, view)
        current = _current(view, subject.id, name)
        submission: dict[str, Any] = {
            "status": "submitted",
            "submitted_by": ws.actor,
            "submitted_on": day,
        }
        if title is not None:
            submission["title"] = title
        if location is not None:
            submission["location"] = location or None
        if current is None:
            artifact = validated(
                Artifact, {"entity": subject.id, "name": name, **submission}, where="artifact"
            )
            return self._write(artifact, "artifact submit", insert=True)
        if current.status == "submitted":
            raise ConflictError(
                f"artifact {name} of {subject.id} is already submitted (revision "
                f"{current.revision}, {_by(current.submitted_by, current.submitted_on)}) and "
                "waits for a decision: approve or reject it before submitting it again"
            )
        # A decided artifact comes back as a new revision; a draft is submitted as it is.
        revision = current.revision + (current.status != "draft")
        revised = _replace(
            current,
            **submission,
            revision=revision,
            approved_on=None,
            approved_by=None,
            approvals=(),
            rejected_on=None,
            rejected_by=None,
            rejection_comment=None,
        )
        return self._write(revised, "artifact submit")

    def approve(
        self,
        entity: str,
        name: str,
        *,
        approvers: Iterable[str | Approval],
        on: date | None,
        comment: str,
    ) -> Artifact:
        """See :meth:`Workspace.approve_artifact <pmo_core.Workspace.approve_artifact>`."""
        ws = self._ws
        day = self._day(on)
        view = ws.view()
        subject = view.entity(entity)
        check_live(subject, "approve an artifact of")
        current = self._pending(view, subject, name, "approved")
        self._not_before_submission(current, day)
        approvals = self._approvals.authorize(
            subject,
            "artifact",
            approvers,
            view=view,
            decided_on=day,
            requester=current.submitted_by,
            what=f"artifact {name} (revision {current.revision}) of {subject.id}",
        )
        if not approvals:  # no approval needed: whoever records it approves
            approvals = (Approval(approver=ws.actor, approve=True, decided_on=day),)
        review = _value(
            ArtifactReview,
            {
                "revision": current.revision,
                "outcome": "approved",
                "on": day,
                "by": ws.actor,
                "approvals": approvals,
                "comment": comment,
            },
        )
        approved = _replace(
            current,
            status="approved",
            approved_on=day,
            # A one-line summary; the approvals themselves are kept whole beside it.
            approved_by=_summary(", ".join(map(approval_label, approvals))),
            approvals=approvals,
            reviews=(*current.reviews, review),
        )
        return self._write(approved, "artifact approve")

    def reject(self, entity: str, name: str, *, comment: str, on: date | None) -> Artifact:
        """See :meth:`Workspace.reject_artifact <pmo_core.Workspace.reject_artifact>`."""
        ws = self._ws
        if not comment.strip():
            raise InvalidInputError(
                "say why the artifact is rejected, so its author knows what to change",
                where="--comment",
            )
        day = self._day(on)
        view = ws.view()
        subject = view.entity(entity)
        check_live(subject, "reject an artifact of")
        current = self._pending(view, subject, name, "rejected")
        self._not_before_submission(current, day)
        review = _value(
            ArtifactReview,
            {
                "revision": current.revision,
                "outcome": "rejected",
                "on": day,
                "by": ws.actor,
                "comment": comment,
            },
        )
        rejected = _replace(
            current,
            status="rejected",
            rejected_on=day,
            rejected_by=ws.actor,
            rejection_comment=comment,
            reviews=(*current.reviews, review),
        )
        return self._write(rejected, "artifact reject")

    # ---------------------------------------------------------------- helpers

    def _day(self, on: date | None) -> date:
        today = self._ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(f"{day} is after the status date {today}", where="--on")
        return day

    def _check_name(self, subject: Entity, name: str, view: WorkspaceView) -> None:
        try:
            methodology = self._governance.methodology_for(subject, view)
        except NotFoundError as exc:
            raise InvalidInputError(f"cannot check the artifact: {exc}", where="NAME") from None
        declared = {a.name for a in methodology.artifacts} if methodology else set()
        if methodology is not None and declared and name not in declared:
            raise InvalidInputError(_unknown(methodology, name), where="NAME")

    def _pending(self, view: WorkspaceView, subject: Entity, name: str, outcome: str) -> Artifact:
        current = _current(view, subject.id, name)
        if current is None:
            raise NotFoundError(
                f"{subject.id} has no artifact {name!r}; submit it first "
                f"('pmo artifact submit {subject.id} {name} --location URL')"
            )
        if current.status == "submitted":
            return current
        verb = "approve" if outcome == "approved" else "reject"
        if current.status == "approved":
            state = (
                f"is already approved (revision {current.revision}, "
                f"{_by(current.approved_by, current.approved_on)})"
            )
        elif current.status == "rejected":
            state = (
                f"was rejected (revision {current.revision}, "
                f"{_by(current.rejected_by, current.rejected_on)})"
            )
        else:
            state = "is a draft"
        raise ConflictError(
            f"artifact {name} of {subject.id} {state}: only a submitted artifact can be "
            f"{outcome}; submit a new revision to {verb} "
            f"('pmo artifact submit {subject.id} {name}')"
        )

    @staticmethod
    def _not_before_submission(artifact: Artifact, day: date) -> None:
        if artifact.submitted_on is not None and day < artifact.submitted_on:
            raise InvalidInputError(
                f"{day} is before the artifact was submitted ({artifact.submitted_on})",
                where="--on",
            )

    def _write(self, artifact: Artifact, command: str, *, insert: bool = False) -> Artifact:
        with self._ws.transaction(command) as tx:
            owner = entity_in(tx, artifact.entity)
            if owner is None:
                raise NotFoundError(f"no portfolio, program or project {artifact.entity!r}")
            check_live(owner, "change an artifact of")
            if insert:
                doc = tx.insert(
                    artifact.store_kind, artifact.id, artifact.to_document(), owner=artifact.owner
                )
            else:
                # The version read is the one expected: a decision in between is a conflict.
                doc = tx.update(
                    artifact.store_kind,
                    artifact.id,
                    artifact.to_document(),
                    expected_version=artifact.version,
                    owner=artifact.owner,
                )
        return Artifact.from_document(doc.data, doc.version)


def _current(view: WorkspaceView, entity: str, name: str) -> Artifact | None:
    """The entity's artifact called ``name``: the latest revision, should an import have
    stored it more than once."""
    found = [a for a in view.artifacts(entity) if a.name == name]
    return max(found, key=lambda a: (a.revision, a.status == "approved", a.id), default=None)


def _unknown(methodology: PmoMethodology, name: str) -> str:
    names = ", ".join(a.name for a in methodology.artifacts) or "none"
    return f"methodology {methodology.name!r} has no artifact {name!r} (artifacts: {names})"


def _summary(text: str) -> str:
    return text if len(text) <= NAME_MAX_LENGTH else text[: NAME_MAX_LENGTH - 3] + "..."


def _by(person: str | None, day: date | None) -> str:
    parts = [f"by {person}" if person else "", f"on {day}" if day else ""]
    return " ".join(p for p in parts if p) or "undated"


def _replace(artifact: Artifact, **changes: Any) -> Artifact:
    try:
        return artifact.replace(**changes)
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _value(cls: type[ArtifactReview], data: dict[str, Any]) -> ArtifactReview:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc), where="--comment") from None
