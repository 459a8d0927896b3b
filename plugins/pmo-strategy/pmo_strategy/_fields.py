"""A project's custom fields ``strategy``: what selection and scoring need to know about it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pmo_core import Entity, Money

NAMESPACE = "strategy"


class Wsjf(BaseModel):
    """The inputs of SAFe's weighted shortest job first: cost of delay over job size.

    ``score`` is ``(business_value + time_criticality + risk_reduction) / job_size``.

    Example::

        Wsjf(business_value=8, time_criticality=5, risk_reduction=3, job_size=4).score  # 4.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    business_value: float = Field(ge=0)
    time_criticality: float = Field(ge=0)
    risk_reduction: float = Field(ge=0)
    job_size: float = Field(gt=0)

    @property
    def score(self) -> float:
        """The WSJF score.

        Example::

            Wsjf(business_value=1, time_criticality=1, risk_reduction=1, job_size=3).score  # 1.0
        """
        return (self.business_value + self.time_criticality + self.risk_reduction) / self.job_size


class StrategyFields(BaseModel):
    """A project's custom fields ``strategy``.

    ``costs`` is the cost by calendar year (when empty, selection spreads the budget over the
    planned years); ``cash_flows`` the net cash flow by year (outflows negative) for NPV and
    IRR; ``criteria`` the scores against the weighted criteria; ``success_probability`` the
    chance the value is delivered, for risk-adjusted value. ``mandatory``, ``depends_on`` and
    ``excludes`` constrain portfolio selection.

    Example::

        StrategyFields(mandatory=True, depends_on=("ERP",), costs={2026: "400000 EUR"},
                       criteria={"customer": 8, "compliance": 3})
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mandatory: bool = False
    depends_on: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    costs: dict[int, Money] = Field(default_factory=dict)
    cash_flows: dict[int, Money] = Field(default_factory=dict)
    criteria: dict[str, float] = Field(default_factory=dict)
    wsjf: Wsjf | None = None
    success_probability: float | None = Field(default=None, ge=0, le=1)

    @field_validator("costs", "cash_flows", mode="before")
    @classmethod
    def _money(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: Money.parse(v) if not isinstance(v, Money) else v for k, v in value.items()}
        return value


def strategy_fields(entity: Entity) -> StrategyFields:
    """The entity's :class:`StrategyFields` (empty when it has none).

    Example::

        strategy_fields(ws.view().entity("EV-FLEET")).mandatory  # False
    """
    return StrategyFields.model_validate(entity.custom_fields.get(NAMESPACE, {}))
