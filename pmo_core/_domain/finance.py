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

    project: Key
    category: CostCategory
    nature: CostNature
    period_start: date
    period_finish: date | None = None
    amount: NonNegativeMoney
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

    project: Key
    incurred_on: date
    amount: NonNegativeMoney
    description: Text = ""
    category: CostCategory | None = None
    nature: CostNature | None = None
    work_item: RecordId | None = None
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

    project: Key
    as_of: date
    eac: NonNegativeMoney = Field(description="Estimate at completion.")
    etc: NonNegativeMoney | None = Field(default=None, description="Estimate to complete.")
    finish: date | None = Field(default=None, description="Forecast finish date.")
    method: Line | None = None
    note: Text = ""
    author: Line | None = None
    work_item: RecordId | None = None

    owner_field: ClassVar[str] = "project"

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.etc is not None and self.etc.currency != self.eac.currency:
            raise ValueError(f"etc is in {self.etc.currency} but eac is in {self.eac.currency}")
        return self
