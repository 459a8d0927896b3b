"""RAID items: risks, assumptions, issues, dependencies, decisions, actions and changes."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, NonNegativeMoney, Text, ValueModel, _check_order
from .gates import Approval
from .money import Money

#: The RAID log's item types (a change is a change request).
RaidType = Literal["risk", "assumption", "issue", "dependency", "decision", "action", "change"]

# Fields that only some types carry. A field set on another type is rejected, so an import
# that mixes columns up fails loudly instead of storing a "probability" on a decision.
_APPLIES_TO: dict[str, tuple[str, ...]] = {
    "probability": ("risk",),
    "impact": ("risk", "issue"),
    "proximity": ("risk",),
    "response": ("risk", "issue"),
    "needed_by": ("dependency",),
    "committed_on": ("dependency",),
    "delivered_on": ("dependency",),
    "depends_on": ("dependency",),
    "decided_by": ("decision", "change"),
    "decided_on": ("decision", "change"),
    "cost_impact": ("change",),
    "schedule_impact_days": ("change",),
    "approved": ("change",),
    "requested_by": ("change",),
    "proposed_budget": ("change",),
    "proposed_start": ("change",),
    "proposed_finish": ("change",),
    "scope_change": ("change",),
    "assessment": ("change",),
    "approvals": ("change",),
    "baseline_number": ("change",),
}


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def not_applicable(field: str, type: str) -> str | None:
    """Why ``field`` cannot be set on an item of ``type``, or ``None`` when it can.

    The services check the fields a caller sets before the model does, so the error names
    the field (and the CLI its option) instead of the whole item.

    Example::

        not_applicable("probability", "issue")
        # 'probability applies only to a risk, not to an issue'
    """
    types = _APPLIES_TO.get(field)
    if types is None or type in types:
        return None
    return f"{field} applies only to {' or '.join(map(_a, types))}, not to {_a(type)}"


_Score = Field(default=None, ge=1, le=5)

# The types whose probability and impact are scored, so whose score history is kept.
_SCORED = ("risk", "issue")


def _product(probability: int | None, impact: int | None) -> int | None:
    if probability is None or impact is None:
        return None
    return probability * impact


class ScoreChange(ValueModel):
    """One re-scoring of a risk or an issue: when, by whom, from what to what, and why.

    Kept on the item (:attr:`RaidItem.score_history`, oldest first), so the history is read
    with the item, without replaying the journal. An issue has an impact but no
    probability, so its scores are ``None``.

    Example::

        change = ScoreChange(on=date(2025, 4, 1), actor="kim", old_probability=4,
                             old_impact=4, new_probability=2, new_impact=4,
                             comment="Second vendor qualified")
        change.old_score, change.new_score  # (16, 8)
    """

    on: date
    actor: Line
    old_probability: int | None = _Score
    old_impact: int | None = _Score
    new_probability: int | None = _Score
    new_impact: int | None = _Score
    comment: Text = ""

    @property
    def old_score(self) -> int | None:
        """Probability x impact before the change; None unless both were set.

        Example::

            ScoreChange(on=date(2025, 4, 1), actor="kim", old_probability=4, old_impact=4,
                        new_probability=2, new_impact=4).old_score  # 16
        """
        return _product(self.old_probability, self.old_impact)

    @property
    def new_score(self) -> int | None:
        """Probability x impact after the change; None unless both are set.

        Example::

            ScoreChange(on=date(2025, 4, 1), actor="kim", old_probability=4, old_impact=4,
                        new_probability=2, new_impact=4).new_score  # 8
        """
        return _product(self.new_probability, self.new_impact)


class EscalationStep(ValueModel):
    """One step of an item's escalation trail: responsibility moved from one scope up to
    another (``from_entity`` to ``to_entity``, an entity above it), when, by whom and why.

    Example::

        EscalationStep(on=date(2025, 4, 2), actor="kim", from_entity="ALPHA",
                       to_entity="ERP", comment="Needs the program's budget reserve")
    """

    on: date
    actor: Line
    from_entity: Key
    to_entity: Key
    comment: Text


class Reopening(ValueModel):
    """A closed item opened again: when, by whom, why, and the closure that did not hold
    (its ``closed_on`` and ``resolution``, which the item itself no longer carries).

    Example::

        Reopening(on=date(2025, 5, 2), actor="kim", comment="The vendor slipped again",
                  closed_on=date(2025, 4, 20), resolution="Second vendor qualified")
    """

    on: date
    actor: Line
    comment: Text
    closed_on: date | None = None
    resolution: Text | None = None


class ChangeAssessment(ValueModel):
    """The assessment of a change request: who assessed it, when, and what they found.

    Example::

        ChangeAssessment(by="Lee Chen", on=date(2025, 4, 2),
                         comment="Two more sprints; the vendor confirms the price")
    """

    by: Name
    on: date
    comment: Text


class RaidItem(DomainModel):
    """One entry of an entity's RAID log; the fields that apply depend on ``type``.

    Common: ``entity`` (the portfolio / program / project id where it was raised),
    ``title``, ``description``, ``owned_by`` (the responsible person, may be empty),
    ``status`` (open / closed), ``raised_on``, ``due``, ``closed_on`` and ``resolution``
    (how it was closed). Only for some types:

    - risk: ``probability`` and ``impact`` (1..5), ``proximity`` (date), ``response``;
      ``score`` = probability x impact, ``is_high`` when score >= 15 or impact == 5
    - issue: ``impact`` (1..5), ``response``
    - dependency: ``depends_on`` (the key of the project, program or portfolio that
      delivers), ``needed_by``, ``committed_on``, ``delivered_on``
    - decision: ``decided_by``, ``decided_on``
    - change (a change request): what it proposes (``proposed_budget``,
      ``proposed_start``, ``proposed_finish``, ``scope_change``), its impact
      (``cost_impact``, Money, negative when it saves; ``schedule_impact_days``),
      ``requested_by``, its ``assessment``, and the decision: ``approved`` (None while
      pending), ``decided_on``, ``decided_by`` (who recorded it), ``approvals`` (who
      approved, in which role) and ``baseline_number`` (the baseline its approval took)

    Its history travels with it: ``score_history`` (every re-scoring of a risk or issue),
    ``escalations`` (the trail up the hierarchy; :attr:`escalated_to` is where it is held
    now) and ``reopenings``. Documents stored before these fields existed load with them
    empty.

    Example::

        risk = RaidItem(type="risk", entity="ALPHA", title="Vendor delivers late",
                        owned_by="kim", probability=4, impact=4, response="Second vendor")
        risk.score, risk.is_high  # (16, True)
        RaidItem(type="issue", entity="ALPHA", title="x", probability=2)
        # ValidationError: probability applies only to a risk, not to an issue
    """

    store_kind = "raid"

    #: Risk, assumption, issue, dependency, decision, action or change.
    type: RaidType
    #: The key of the portfolio, program or project where it was raised.
    entity: Key
    #: What it is, in a line.
    title: Name
    #: Free text about it.
    description: Text = ""
    owned_by: Line = Field(default="", description="The person responsible; may be empty.")
    #: Open or closed.
    status: Literal["open", "closed"] = "open"
    #: When it was raised.
    raised_on: date | None = None
    #: When it must be dealt with.
    due: date | None = None
    #: When it was closed.
    closed_on: date | None = None
    #: A risk's probability, 1 (rare) to 5 (almost certain).
    probability: int | None = _Score
    #: A risk's or issue's impact, 1 (minor) to 5 (severe).
    impact: int | None = _Score
    #: When a risk would happen.
    proximity: date | None = None
    #: What is done about a risk or issue.
    response: Text | None = None
    #: A dependency: the key of the entity that delivers.
    depends_on: Line | None = None
    #: A dependency: when the delivery is needed.
    needed_by: date | None = None
    #: A dependency: when the deliverer committed to deliver.
    committed_on: date | None = None
    #: A dependency: when it was delivered.
    delivered_on: date | None = None
    #: A decision or change: who decided (who recorded it).
    decided_by: Line | None = None
    #: A decision or change: when it was decided.
    decided_on: date | None = None
    cost_impact: Money | None = Field(
        default=None, description="What the change adds to the cost; negative when it saves."
    )
    #: A change: the days it moves the finish (negative: earlier).
    schedule_impact_days: int | None = None
    #: A change: approved or rejected; ``None`` while pending.
    approved: bool | None = None
    #: A change: who asked for it.
    requested_by: Line | None = None
    #: A change: the budget it proposes.
    proposed_budget: NonNegativeMoney | None = None
    #: A change: the start date it proposes.
    proposed_start: date | None = None
    #: A change: the finish date it proposes.
    proposed_finish: date | None = None
    scope_change: Text | None = Field(
        default=None, description="What the change adds to or removes from the scope."
    )
    #: A change: the assessment of its impact.
    assessment: ChangeAssessment | None = None
    #: A change: who approved it, in which role.
    approvals: tuple[Approval, ...] = ()
    #: A change: the baseline its approval took.
    baseline_number: int | None = Field(default=None, ge=0, le=10)
    resolution: Text | None = Field(
        default=None, description="How the item was resolved; set when it is closed."
    )
    #: Every re-scoring of a risk or issue.
    score_history: tuple[ScoreChange, ...] = ()
    #: The trail up the hierarchy, each step dated.
    escalations: tuple[EscalationStep, ...] = ()
    #: Each time it was reopened after being closed.
    reopenings: tuple[Reopening, ...] = ()

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        for field in _APPLIES_TO:
            value = getattr(self, field)
            problem = not_applicable(field, self.type) if value not in (None, ()) else None
            if problem:
                raise ValueError(problem)
        _check_order(self.proposed_start, self.proposed_finish, "proposed_start", "proposed_finish")
        if self.approvals and self.approved is not True:
            raise ValueError("approvals are set but the change is not approved")
        if self.score_history and self.type not in _SCORED:
            raise ValueError(
                f"score_history applies only to a risk or an issue, not to {_a(self.type)}"
            )
        if self.closed_on is not None and self.status != "closed":
            raise ValueError("closed_on is set but status is not closed")
        if self.resolution is not None and self.status != "closed":
            raise ValueError("resolution is set but status is not closed")
        # Each step starts where the previous one ended, so the trail reads as one path up.
        held = self.entity
        for n, step in enumerate(self.escalations, start=1):
            if step.from_entity != held:
                raise ValueError(
                    f"escalations: step {n} starts at {step.from_entity}, "
                    f"but the item was then held by {held}"
                )
            held = step.to_entity
        return self

    @property
    def escalated_to(self) -> str | None:
        """The key of the entity the item was last escalated to (which holds it now), or
        None when it was never escalated; ``entity`` stays where it was raised.

        Example::

            risk.escalated_to or risk.entity  # 'ALPHA': the scope responsible for it now
        """
        return self.escalations[-1].to_entity if self.escalations else None

    @property
    def score(self) -> int | None:
        """Probability x impact (1..25) of a risk; None unless both are set.

        Example::

            RaidItem(type="risk", entity="A", title="t", probability=3, impact=4).score  # 12
        """
        return _product(self.probability, self.impact)

    @property
    def is_high(self) -> bool:
        """True for a high risk or issue: score >= 15 or impact == 5.

        Example::

            RaidItem(type="risk", entity="A", title="t", probability=1, impact=5).is_high  # True
        """
        score = self.score
        return (score is not None and score >= 15) or self.impact == 5
