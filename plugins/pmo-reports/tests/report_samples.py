"""The clock and work-item helper shared by the pmo-reports tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from pmo_core import ProgressPoint, WorkItem

TODAY = date(2025, 4, 25)


@dataclass
class Clock:
    """The store's clock, so "as known on" views can be taken at chosen moments."""

    now: datetime = field(default_factory=lambda: datetime(2025, 4, 20, 9, tzinfo=timezone.utc))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def item(
    project: str,
    subject: str,
    budget: int,
    percent: int,
    start: date,
    due: date,
    actual: int | None,
) -> WorkItem:
    """A work item whose progress was reported on its due date (today, if that is later):
    a report on an earlier status date reads it from then on."""
    cost = None if actual is None else f"{actual} EUR"
    reported = ProgressPoint(on=min(due, TODAY), percent=percent, actual_cost=cost)
    return WorkItem(
        project=project,
        subject=subject,
        budget=f"{budget} EUR",
        percent_complete=percent,
        start=start,
        due=due,
        actual_cost=cost,
        progress=(reported,) if percent or cost else (),
    )
