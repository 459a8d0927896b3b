"""``[settings.strategy.selection]``: the defaults of portfolio selection."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pmo_core import Money

from ._scoring import DEFAULT_MODEL


class SelectionSettings(BaseModel):
    """The defaults of ``pmo selection`` and ``pmo scenario``: the budget per calendar year,
    the scoring model, whether capacity limits the selection, and the steps the marginal
    values relax a binding limit by (a tenth of the limit when not set).

    In ``pmo.toml``::

        [settings.strategy.selection]
        budgets = { 2027 = "1200000 EUR", 2028 = "900000 EUR" }
        model = "alignment"

    Example::

        SelectionSettings(budgets={2027: "1200000 EUR"}).budgets[2027].amount  # Decimal('1200000')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    budgets: dict[int, Money] = Field(
        default_factory=dict, description="The budget of each calendar year ('1200000 EUR')."
    )
    model: str = Field(default=DEFAULT_MODEL, description="The scoring model that ranks proposals.")
    capacity: bool = Field(default=True, description="Whether role capacity limits the selection.")
    budget_step: Money | None = Field(
        default=None,
        description="The step the marginal value relaxes a budget by (default: a tenth of it).",
    )
    capacity_step: Decimal | None = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="The step the marginal value relaxes a capacity by (default: a tenth of it).",
    )

    @field_validator("budgets", mode="before")
    @classmethod
    def _money(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: Money.parse(v) if not isinstance(v, Money) else v for k, v in value.items()}
        return value

    @field_validator("budget_step", mode="before")
    @classmethod
    def _step(cls, value: object) -> object:
        return Money.parse(value) if isinstance(value, str) else value


__all__ = ["SelectionSettings"]
