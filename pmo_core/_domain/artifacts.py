"""Artifacts: the management products a methodology asks for (business case, plans, logs)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, Text, Uri, ValueModel
from .gates import Approval

#: Where an artifact stands: being written, waiting for a decision, approved, sent back.
ArtifactStatus = Literal["draft", "submitted", "approved", "rejected"]


class ArtifactReview(ValueModel):
    """One decision on a revision of an artifact: approved (with the approvals counted) or
    rejected (with why), when, and who recorded it.

    Kept on the artifact (:attr:`Artifact.reviews`, oldest first), so which revision was
    approved by whom stays readable after the artifact is revised and submitted again.

    Example::

        ArtifactReview(revision=1, outcome="rejected", on=date(2025, 2, 3), by="lee",
                       comment="Options are missing")
    """

    revision: int = Field(ge=1)
    outcome: Literal["approved", "rejected"]
    on: date
    by: Name
    approvals: tuple[Approval, ...] = ()
    comment: Text = ""


class Artifact(DomainModel):
    """A management product of an entity and where it lives.

    ``name`` is the methodology's product name (``business-case``, ``project-brief``).
    ``revision`` counts submissions: submitting an approved or rejected artifact again makes
    a new revision, waiting for a decision. ``submitted_by`` / ``submitted_on`` are the
    author and date of the revision under review; ``approved_on``, ``approved_by`` and
    ``approvals`` belong to an approved artifact only, ``rejected_on``, ``rejected_by`` and
    ``rejection_comment`` to a rejected one. ``reviews`` is every decision taken so far,
    on every revision.

    Example::

        Artifact(entity="ALPHA", name="business-case", status="approved", revision=2,
                 approved_on=date(2025, 2, 3), approved_by="Dana Ruiz (sponsor)",
                 location="https://wiki.example.com/alpha/bc")
    """

    store_kind = "artifact"

    entity: Key
    name: Name
    title: Line = ""
    status: ArtifactStatus = "draft"
    revision: int = Field(default=1, ge=1)
    location: Uri | None = None
    submitted_by: Line | None = None
    submitted_on: date | None = None
    approved_on: date | None = None
    approved_by: Line | None = None
    approvals: tuple[Approval, ...] = ()
    rejected_on: date | None = None
    rejected_by: Line | None = None
    rejection_comment: Text | None = None
    reviews: tuple[ArtifactReview, ...] = ()

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.status != "approved" and (
            self.approved_on is not None or self.approved_by or self.approvals
        ):
            raise ValueError(
                f"approved_on / approved_by / approvals set on a {self.status} artifact"
            )
        if self.status != "rejected" and (
            self.rejected_on is not None or self.rejected_by or self.rejection_comment
        ):
            raise ValueError(
                f"rejected_on / rejected_by / rejection_comment set on a {self.status} artifact"
            )
        for review in self.reviews:
            if review.revision > self.revision:
                raise ValueError(
                    f"reviews: a review of revision {review.revision}, but the artifact is at "
                    f"revision {self.revision}"
                )
        return self
