"""Budget lines (plan), cost entries (actuals) and forecasts."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, NonNegativeMoney, RecordId, Text, _check_order

#: Capital or operating expenditure.
CostCategory = Literal["capex", "opex"]
#: Labour (people's time) or everything else (licences, hardware, travel).
CostNature = Literal["labour", "non_labour"]


class BudgetLine(DomainModel):
    """A planned budget line of a project for the period starting ``period_start``.

    Example::

        BudgetLine(project="ALPHA", category="capex", nature="labour",
                   period_start=date(2025, 4, 1), amount="60000 EUR")
    """

    store_kind = "budget_line"

    #: The key of the project it budgets.
    project: Key
    #: Capital or operating expenditure (capex, opex).
    category: CostCategory
    #: Labour or non-labour.
    nature: CostNature
    #: The first day of the period it budgets.
    period_start: date
    #: The last day of the period; ``None`` for a single period.
    period_finish: date | None = None
    #: The amount budgeted; never negative.
    amount: NonNegativeMoney
    #: What the line is for.
    description: Text = ""

    owner_field: ClassVar[str] = "project"

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_order(self.period_start, self.period_finish, "period_start", "period_finish")
        return self


class CostEntry(DomainModel):
    """An actual cost incurred by a project (a booked invoice, a timesheet's cost).

    Example::

        CostEntry(project="ALPHA", incurred_on=date(2025, 4, 17), amount="1200.50 EUR",
                  description="Cloud hosting April", category="opex", nature="non_labour")
    """

    store_kind = "cost_entry"

    #: The key of the project that incurred it.
    project: Key
    #: When the cost was incurred.
    incurred_on: date
    #: The amount; never negative.
    amount: NonNegativeMoney
    #: What it was for.
    description: Text = ""
    #: Capital or operating expenditure (capex, opex).
    category: CostCategory | None = None
    #: Labour or non-labour.
    nature: CostNature | None = None
    #: The id of the work item it was incurred for.
    work_item: RecordId | None = None
    #: The id of the resource whose time it is.
    resource: RecordId | None = None
    #: Set when the source it was imported from deleted it: from that day it counts in no
    #: actual cost.
    archived_on: date | None = None

    owner_field: ClassVar[str] = "project"


class Forecast(DomainModel):
    """A forecast of a project's cost at completion (and finish) as of a date.

    ``eac`` is the estimate at completion, ``etc`` the estimate to complete; ``method`` names
    how it was made (``bottom_up``, ``cpi``, ``cpi_spi``, ...); ``note`` says why. With
    ``work_item`` (a work item's id) it forecasts that work item only: a bottom-up estimate
    kept beside the project's, which the project's tolerances and EAC do not read (they take
    the latest forecast without a work item).

    Example::

        Forecast(project="ALPHA", as_of=date(2025, 4, 30), eac="265000 EUR", etc="180000 EUR",
                 method="bottom_up", finish=date(2026, 1, 30))
        Forecast(project="ALPHA", as_of=date(2025, 4, 30), eac="52000 EUR",
                 work_item="a1b2c3d4e5f6", note="Data cleansing took two extra sprints")
    """

    store_kind = "forecast"

    #: The key of the project forecast.
    project: Key
    #: The date the forecast was made as of.
    as_of: date
    eac: NonNegativeMoney = Field(description="Estimate at completion.")
    etc: NonNegativeMoney | None = Field(default=None, description="Estimate to complete.")
    finish: date | None = Field(default=None, description="Forecast finish date.")
    #: How it was made (``bottom_up``, ``cpi``, ``cpi_spi``...).
    method: Line | None = None
    #: Why: what the forecast rests on.
    note: Text = ""
    #: Who made it.
    author: Line | None = None
    #: The id of the work item it forecasts; ``None`` for the whole project.
    work_item: RecordId | None = None

    owner_field: ClassVar[str] = "project"

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.etc is not None and self.etc.currency != self.eac.currency:
            raise ValueError(f"etc is in {self.etc.currency} but eac is in {self.eac.currency}")
        return self
