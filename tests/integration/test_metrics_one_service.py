"""One service: the report and the cost tolerance rule give the same EAC and BAC."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pmo_reports
import pytest

from pmo_core import Baseline, BaselineItem, Forecast, Workspace
from pmo_core._tolerances import measure

S = date(2025, 3, 2)


@pytest.fixture
def ws() -> Workspace:
    """FCST: its plan re-baselined below its budget, and a forecast (the headline EAC);
    EVM: no forecast, so BAC / CPI."""
    workspace = Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: S)
    for key in ("FCST", "EVM"):
        workspace.create("project", id=key, name=key, budget="6000 EUR")
        item = workspace.add_work_item(
            key, "Build", budget="4000 EUR", start=date(2025, 1, 1), due=date(2025, 4, 11)
        )
        workspace.record_progress(item.id, 40, actual_cost="2000 EUR", on=S)
    build = workspace.work_items("FCST")[0]
    workspace.add(
        Baseline(
            project="FCST", number=0, taken_on=date(2025, 1, 2), cost="3000 EUR",
            items=[BaselineItem(work_item=build.id, planned_start=date(2025, 1, 1),
                                planned_finish=date(2025, 4, 11), cost="3000 EUR")],
        )
    )  # fmt: skip
    workspace.add(Forecast(project="FCST", as_of=date(2025, 3, 1), eac="3900 EUR"))
    return workspace


@pytest.mark.parametrize(
    ("key", "eac", "bac"), [("FCST", "3900.00", "3000"), ("EVM", "5000.00", "4000")]
)
def test_the_tolerance_and_the_report_give_the_same_eac(
    ws: Workspace, key: str, eac: str, bac: str
) -> None:
    view = ws.view(status_date=S)
    doc = json.loads(ws.report("project-status", key, format="json", status_date=S).content)
    metrics = {m["name"]: m for m in doc["metrics"]}

    [check] = measure(view.entity(key), view, {"cost": Decimal("0.10")})

    # FCST: the forecast, against baseline 0's 3000 (not the 6000 budget, which holds a
    # reserve): +30 %. EVM: 4000 / (1600 / 2000) = 5000 against the plan's 4000: +25 %.
    assert (metrics["eac"]["value"], metrics["bac"]["inputs"]["BAC"]) == (eac, bac)
    assert f"EAC {eac} EUR against BAC {bac} EUR" in check.message
    assert check.actual == (Decimal(eac) - Decimal(bac)) / Decimal(bac)
    assert check.breached
