from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pmo_reports
import pytest
from report_samples import TODAY, Clock, item

from pmo_core import Milestone, WorkItem, Workspace
from pmo_core.testing import MemoryStore


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    """Portfolio PF with ALPHA (behind schedule), BETA (small, under cost), GAMMA (no work
    items) and DELTA (in USD); status date 2025-04-25.

    ALPHA  A1: 1000 budget, 100 %, 1-31 Jan (all planned), AC 1200 -> PV 1000, EV 1000
           A2: 2000 budget,  25 %, 10 Apr - 10 May (15 of 30 days) , AC 300 -> PV 1000, EV 500
           BAC 3000, PV 2000, EV 1500, AC 1500
    BETA   B1:  100 budget, 100 %, 1-31 Jan, AC 50 -> BAC 100, PV 100, EV 100, AC 50
    """
    with Workspace.in_memory(
        plugins={"reports": pmo_reports}, store=MemoryStore(clock=clock), today=lambda: TODAY
    ) as workspace:
        workspace.create("portfolio", id="PF", name="Digital", currency="EUR")
        workspace.create("program", id="ERP", name="ERP renewal", parent="PF")
        workspace.create(
            "project",
            id="ALPHA",
            name="Alpha | core",
            parent="ERP",
            budget="3000 EUR",
            phase="development",
        )
        workspace.create("project", id="BETA", name="Beta", parent="PF")
        workspace.create("project", id="GAMMA", name="Gamma", parent="PF", budget="5000 EUR")
        workspace.create("project", id="DELTA", name="Delta", parent="PF", currency="USD")
        jan1, jan31 = date(2025, 1, 1), date(2025, 1, 31)
        workspace.add_many(
            [
                item("ALPHA", "A1", 1000, 100, jan1, jan31, 1200),
                item("ALPHA", "A2", 2000, 25, date(2025, 4, 10), date(2025, 5, 10), 300),
                item("BETA", "B1", 100, 100, jan1, jan31, 50),
                WorkItem(
                    project="DELTA",
                    subject="D1",
                    budget="400 USD",
                    percent_complete=50,
                    start=jan1,
                    due=jan31,
                ),
            ]
        )
        workspace.add_many(
            [
                Milestone(
                    project="ALPHA", name=f"M{n}", due=date(2025, 4, 20) + timedelta(days=10 * n)
                )
                for n in range(7)
            ]
            + [Milestone(project="ALPHA", name="Kick-off", due=date(2025, 1, 2), status="closed")]
        )
        yield workspace
