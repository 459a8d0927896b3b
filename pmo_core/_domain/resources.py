"""Resources (people or roles), their rates, and their allocations to projects."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import (
    DomainModel,
    Key,
    Line,
    Name,
    NonNegativeMoney,
    RecordId,
    ValueModel,
    _check_order,
)
from .money import Money


class Rate(ValueModel):
    """An hourly rate effective from a date (until the next rate starts).

    Example::

        Rate(effective_from=date(2025, 1, 1), per_hour="95 EUR")
    """

    effective_from: date
    per_hour: NonNegativeMoney


class Availability(ValueModel):
    """The share of a full-time week (``fte``, 0 to 1) a resource is available from a date
    (until the next one starts): a part-time month, a secondment, parental leave.

    Example::

        Availability(effective_from=date(2025, 7, 1), fte=0.5)
    """

    effective_from: date
    fte: float = Field(ge=0, le=1)


class Resource(DomainModel):
    """A person or a role with a weekly capacity; resources belong to no entity.

    ``skills`` name what the resource can do; ``availability`` scales the weekly capacity
    from dated points (full-time before the first); ``holidays`` are days it does not work.
    A resource of kind ``role`` is an unnamed placeholder: demand for the role, no capacity.

    Example::

        resource = Resource(
            name="Kim Lee", role="Business analyst", capacity_hours_per_week=32,
            rates=[Rate(effective_from=date(2025, 1, 1), per_hour="95 EUR")],
            skills=["BPMN", "SQL"], holidays=[date(2025, 5, 1)],
            availability=[Availability(effective_from=date(2025, 7, 1), fte=0.5)],
        )
    """

    store_kind = "resource"

    name: Name
    kind: Literal["person", "role"] = "person"
    role: Line | None = None
    email: Line | None = None
    capacity_hours_per_week: float = Field(default=40, ge=0, le=168)
    rates: tuple[Rate, ...] = ()
    skills: tuple[Line, ...] = ()
    availability: tuple[Availability, ...] = ()
    holidays: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        starts = [rate.effective_from for rate in self.rates]
        if starts != sorted(set(starts)):
            raise ValueError("rates must be in order of effective_from, one rate per date")
        starts = [point.effective_from for point in self.availability]
        if starts != sorted(set(starts)):
            raise ValueError("availability must be in order of effective_from, one entry per date")
        return self

    def fte_on(self, day: date) -> float:
        """Return the share of the weekly capacity available on ``day`` (1.0 before the
        first availability entry; 0 on a holiday).

        Example::

            resource.fte_on(date(2025, 8, 1))  # 0.5
        """
        if day in self.holidays:
            return 0.0
        current = 1.0
        for point in self.availability:
            if point.effective_from > day:
                break
            current = point.fte
        return current

    def rate_on(self, day: date) -> Money | None:
        """Return the hourly rate effective on ``day`` (None before the first rate).

        Example::

            str(resource.rate_on(date(2025, 6, 1)))  # '95 EUR'
        """
        current: Money | None = None
        for rate in self.rates:
            if rate.effective_from > day:
                break
            current = rate.per_hour
        return current


class Allocation(DomainModel):
    """A resource's allocation to a project over a period, as a percent or as hours.

    Exactly one of ``percent`` (0..100 of capacity) and ``hours`` (total for the period) is set.

    Example::

        Allocation(resource="8c1f0e2d4b6a", project="ALPHA", start=date(2025, 3, 1),
                   finish=date(2025, 6, 30), percent=50)
    """

    store_kind = "allocation"

    resource: RecordId
    project: Key
    start: date
    finish: date
    percent: float | None = Field(default=None, ge=0, le=100)
    hours: float | None = Field(default=None, ge=0)

    owner_field: ClassVar[str] = "project"

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_order(self.start, self.finish, "start", "finish")
        if (self.percent is None) == (self.hours is None):
            raise ValueError("set exactly one of percent and hours")
        return self
