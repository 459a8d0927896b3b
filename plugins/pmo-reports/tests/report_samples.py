"""The clock, the work-item helper and a sample portfolio shared by the pmo-reports tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from pmo_core import Forecast, Milestone, ProgressPoint, WorkItem

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


SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil","x")'


def build_portfolio(ws: Any) -> None:
    """Portfolio PF (named with a script tag) with programs ERP (named with a formula) and
    CRM; live projects ALPHA (a watermelon, forecast to finish 46 days late), BETA and GAMMA
    with planned dates, milestones and RAID items (one risk closed); OLD killed, IDEA
    proposed; status date 2025-04-25."""
    ws.create("portfolio", id="PF", name=f"Digital {SCRIPT}")
    ws.create("program", id="ERP", name=FORMULA, parent="PF")
    ws.create("program", id="CRM", name="CRM refresh", parent="PF")
    ws.create(
        "project",
        id="ALPHA",
        name=SCRIPT,
        parent="ERP",
        budget="3000 EUR",
        phase="build",
        planned_start=date(2025, 1, 1),
        planned_finish=date(2025, 6, 30),
        manager=FORMULA,
    )
    ws.create(
        "project",
        id="BETA",
        name=FORMULA,
        parent="ERP",
        budget="100 EUR",
        planned_start=date(2025, 1, 1),
        planned_finish=date(2025, 3, 31),
    )
    ws.create(
        "project",
        id="GAMMA",
        name="Gamma",
        parent="CRM",
        budget="5000 EUR",
        planned_start=date(2025, 2, 1),
        planned_finish=date(2025, 12, 31),
    )
    ws.create("project", id="OLD", name="Old", parent="CRM", budget="10 EUR")
    ws.create(
        "project",
        id="IDEA",
        name=f"Idea {SCRIPT}",
        parent="PF",
        budget="400 EUR",
        lifecycle="proposed",
    )
    jan1, jan31 = date(2025, 1, 1), date(2025, 1, 31)
    ws.add_many(
        [
            item("ALPHA", "A1", 1000, 100, jan1, jan31, 1200),
            item("ALPHA", "A2", 2000, 25, date(2025, 4, 10), date(2025, 5, 10), 300),
            item("BETA", "B1", 100, 100, jan1, jan31, 50),
            item("GAMMA", "G1", 5000, 30, date(2025, 2, 1), date(2025, 12, 31), 1400),
            item("OLD", "O1", 10, 50, jan1, jan31, 5),
        ]
    )
    ws.add_many(
        [
            Milestone(project="ALPHA", name=SCRIPT, due=date(2025, 3, 1)),
            Milestone(project="ALPHA", name="Go live", due=date(2025, 6, 30)),
            Milestone(project="GAMMA", name=FORMULA, due=date(2025, 9, 1)),
        ]
    )
    ws.add(
        Forecast(project="ALPHA", as_of=date(2025, 4, 20), eac="3500 EUR", finish=date(2025, 8, 15))
    )
    ws.report_status(
        "ALPHA",
        overall="green",
        as_of=date(2025, 4, 20),
        summary=f"All fine {SCRIPT}\nSecond line",
        achievements=[FORMULA],
        next_steps=[SCRIPT],
    )
    ws.add_raid(
        "ALPHA", "risk", SCRIPT, probability=4, impact=5, owned_by=FORMULA, due=date(2025, 5, 1)
    )
    ws.add_raid("ALPHA", "risk", "Vendor slips", probability=2, impact=3, owned_by="Sam")
    ws.add_raid("GAMMA", "risk", "Data quality", probability=3, impact=3, owned_by="Kim")
    ws.add_raid("ALPHA", "issue", FORMULA, impact=4, owned_by="Sam")
    ws.add_raid("ERP", "decision", "Use vendor X", decided_by="Board", decided_on=date(2025, 2, 1))
    ws.add_raid("GAMMA", "action", "Call vendor", owned_by="Kim", due=date(2025, 4, 1))
    closed = ws.add_raid("GAMMA", "risk", "Closed risk", probability=5, impact=5)
    ws.close_raid(closed.id, "Mitigated")
    ws.change_lifecycle("OLD", "killed", approvers=[], comment=SCRIPT, on=date(2025, 3, 2))
