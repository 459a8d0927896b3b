"""Gate decisions: criteria results, approvals and the go / kill / hold / recycle decision."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, RecordId, Text, ValueModel

#: The decision a gate can take.
GateOutcome = Literal["go", "kill", "hold", "recycle"]


class CriterionResult(ValueModel):
    """Whether one gate criterion was met; ``must`` criteria are knock-outs, ``should`` score.

    ``waiver`` is the id of the waiver that lets a failed criterion pass (it stays failed:
    a waiver lets a deviation through, it does not hide it).

    Example::

        CriterionResult(name="business case approved", level="must", passed=True)
    """

    name: Name
    level: Literal["must", "should"] = "must"
    passed: bool
    note: Text = ""
    waiver: RecordId | None = None


class Approval(ValueModel):
    """One approver's vote on a gate.

    Example::

        Approval(approver="dana", role="sponsor", approve=True, decided_on=date(2025, 3, 14))
    """

    approver: Name
    role: Line | None = None
    approve: bool
    decided_on: date | None = None
    comment: Text = ""


class GateDecision(DomainModel):
    """The decision taken at a gate of an entity's lifecycle.

    Whether a ``go`` despite a failed must criterion is allowed is governance's call, not the
    model's; :attr:`failed_musts` lists them for that check.

    Example::

        decision = GateDecision(
            entity="ALPHA", gate="gate-3", decision="go", decided_on=date(2025, 3, 14),
            decided_by="board",
            criteria=[CriterionResult(name="business case approved", passed=True)],
            approvals=[Approval(approver="dana", role="sponsor", approve=True)],
            conditions=["re-baseline by April"],
        )
        decision.failed_musts  # ()
    """

    store_kind = "gate_decision"

    entity: Key
    gate: Name
    decision: GateOutcome
    criteria: tuple[CriterionResult, ...] = ()
    approvals: tuple[Approval, ...] = ()
    conditions: tuple[Text, ...] = ()
    decided_on: date
    decided_by: Name
    next_phase: Line | None = None
    comment: Text = ""

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        names = [criterion.name for criterion in self.criteria]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"criteria: {', '.join(map(repr, duplicates))} listed more than once")
        approvers = [approval.approver for approval in self.approvals]
        duplicates = sorted({name for name in approvers if approvers.count(name) > 1})
        if duplicates:
            raise ValueError(f"approvals: {', '.join(map(repr, duplicates))} voted more than once")
        return self

    @property
    def failed_musts(self) -> tuple[CriterionResult, ...]:
        """The must criteria that were not met.

        Example::

            decision.failed_musts  # (): every must criterion was met
        """
        return tuple(c for c in self.criteria if c.level == "must" and not c.passed)

    @property
    def approvals_in_favour(self) -> int:
        """How many approvers approved.

        Example::

            decision.approvals_in_favour  # 1
        """
        return sum(1 for approval in self.approvals if approval.approve)
