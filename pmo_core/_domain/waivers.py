"""Waivers: a recorded, approved permission to pass despite one rule or gate criterion."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, NonEmptyText, Text
from .gates import Approval

#: What a waiver can name: a governance rule or a gate criterion.
WaiverKind = Literal["rule", "criterion"]


class Waiver(DomainModel):
    """Permission for ``entity`` to pass despite a failing governance rule or gate criterion.

    ``kind`` and ``target`` name what is waived: a rule (``rule`` /
    ``baseline-before-execution``) or a gate criterion (``criterion`` /
    ``test-plan-approved``). A waiver holds from ``granted_on`` to ``expires_on``
    (inclusive) unless revoked, and every later check shows it: it lets a deviation pass, it
    does not hide it. Who may approve it is the governance model's call (its approval
    matrix, decision ``waiver``); ``requested_by`` is who asked for it.

    Example::

        waiver = Waiver(entity="ALPHA", kind="criterion", target="test-plan-approved",
                        reason="Vendor test plan accepted in its place until 30 June",
                        approvals=(Approval(approver="Lee Chen", role="pmo", approve=True),),
                        granted_on=date(2026, 5, 4), expires_on=date(2026, 6, 30),
                        requested_by="Kim Park", granted_by="Lee Chen")
    """

    store_kind = "waiver"

    entity: Key
    kind: WaiverKind
    target: Name
    reason: NonEmptyText
    approvals: tuple[Approval, ...] = ()
    granted_on: date
    expires_on: date
    requested_by: Line = ""
    granted_by: Line = ""
    revoked_on: date | None = None
    revoked_by: Line | None = None
    revoked_reason: Text = ""

    owner_field: ClassVar[str] = "entity"

    def active_on(self, day: date) -> bool:
        """Whether the waiver holds on ``day``.

        Example::

            waiver.active_on(date(2026, 7, 1))  # False: it expired on 30 June
        """
        if day < self.granted_on:
            return False
        if self.revoked_on is not None and day >= self.revoked_on:
            return False
        return day <= self.expires_on

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.expires_on < self.granted_on:
            raise ValueError(f"expires_on {self.expires_on} is before granted_on {self.granted_on}")
        return self
