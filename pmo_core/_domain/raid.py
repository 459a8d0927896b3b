"""RAID items: risks, assumptions, issues, dependencies, decisions, actions and changes."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, Text
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
    "decided_by": ("decision",),
    "decided_on": ("decision",),
    "cost_impact": ("change",),
    "schedule_impact_days": ("change",),
    "approved": ("change",),
}


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


_Score = Field(default=None, ge=1, le=5)


class RaidItem(DomainModel):
    """One entry of an entity's RAID log; the fields that apply depend on ``type``.

    Common: ``entity`` (the portfolio / program / project id), ``title``, ``description``,
    ``owned_by`` (the responsible person, may be empty), ``status`` (open / closed),
    ``raised_on``, ``due``, ``closed_on``. Only for some types:

    - risk: ``probability`` and ``impact`` (1..5), ``proximity`` (date), ``response``;
      ``score`` = probability x impact, ``is_high`` when score >= 15 or impact == 5
    - issue: ``impact`` (1..5), ``response``
    - dependency: ``depends_on`` (who delivers), ``needed_by``, ``committed_on``,
      ``delivered_on``
    - decision: ``decided_by``, ``decided_on``
    - change: ``cost_impact`` (Money), ``schedule_impact_days``, ``approved`` (None = pending)

    Example::

        risk = RaidItem(type="risk", entity="ALPHA", title="Vendor delivers late",
                        owned_by="kim", probability=4, impact=4, response="Second vendor")
        risk.score, risk.is_high  # (16, True)
        RaidItem(type="issue", entity="ALPHA", title="x", probability=2)
        # ValidationError: probability applies only to a risk, not to an issue
    """

    store_kind = "raid"

    type: RaidType
    entity: Key
    title: Name
    description: Text = ""
    owned_by: Line = Field(default="", description="The person responsible; may be empty.")
    status: Literal["open", "closed"] = "open"
    raised_on: date | None = None
    due: date | None = None
    closed_on: date | None = None
    probability: int | None = _Score
    impact: int | None = _Score
    proximity: date | None = None
    response: Text | None = None
    depends_on: Line | None = None
    needed_by: date | None = None
    committed_on: date | None = None
    delivered_on: date | None = None
    decided_by: Line | None = None
    decided_on: date | None = None
    cost_impact: Money | None = Field(
        default=None, description="What the change adds to the cost; negative when it saves."
    )
    schedule_impact_days: int | None = None
    approved: bool | None = None

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        for field, types in _APPLIES_TO.items():
            if getattr(self, field) is not None and self.type not in types:
                raise ValueError(
                    f"{field} applies only to {' or '.join(map(_a, types))}, not to {_a(self.type)}"
                )
        if self.closed_on is not None and self.status != "closed":
            raise ValueError("closed_on is set but status is not closed")
        return self

    @property
    def score(self) -> int | None:
        """Probability x impact (1..25) of a risk; None unless both are set.

        Example::

            RaidItem(type="risk", entity="A", title="t", probability=3, impact=4).score  # 12
        """
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact

    @property
    def is_high(self) -> bool:
        """True for a high risk or issue: score >= 15 or impact == 5.

        Example::

            RaidItem(type="risk", entity="A", title="t", probability=1, impact=5).is_high  # True
        """
        score = self.score
        return (score is not None and score >= 15) or self.impact == 5
