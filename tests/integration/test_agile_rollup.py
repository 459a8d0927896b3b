"""A portfolio of a Scrum project, a Kanban team and a percent-complete project rolls up
into one set of earned-value figures: each project's EV is what its methodology maps progress
to (points done, items delivered, percent complete), the portfolio's EV is their sum, and the
portfolio summary's JSON gives the same figures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pmo_kanban
import pmo_reports
import pmo_scrum
import pytest

from pmo_core import ScopeMetrics, Workspace

ON = date(2025, 3, 31)


class Clock:
    def __init__(self) -> None:
        self.day = date(2025, 3, 1)

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def ws() -> Iterator[Workspace]:
    clock = Clock()
    plugins = {"scrum": pmo_scrum, "kanban": pmo_kanban, "reports": pmo_reports}
    with Workspace.in_memory(plugins=plugins, today=clock) as workspace:
        workspace.create("portfolio", id="PF", name="Digital")
        # Scrum: a 60000 EUR release of 10 points, 8 done: EV = 60000 x 8 / 10 = 48000.
        workspace.create(
            "project", id="APP", name="App", parent="PF", methodology="scrum", budget="60000 EUR"
        )
        release = workspace.add_work_item(
            "APP", "Release", type="release", ev_method="points", budget="60000 EUR",
            start=date(2025, 3, 3), due=date(2025, 4, 25),
        )  # fmt: skip
        workspace.update(
            "APP",
            custom_fields={
                "scrum": {
                    "release": release.id,
                    "planned_sprints": 4,
                    "sprints": [{"name": "S1", "start": "2025-03-03", "finish": "2025-03-14"}],
                }
            },
        )
        stories = [
            workspace.add_work_item(
                "APP", f"Story {p}", type="story", points=p, iteration="S1", parent=release.id
            )
            for p in (3, 5, 2)
        ]
        # Kanban: two items of 1000 EUR, one delivered: EV = 1000.
        workspace.create(
            "project", id="OPS", name="Ops", parent="PF", methodology="kanban", budget="2000 EUR"
        )
        cards = [
            workspace.add_work_item(
                "OPS", n, status="backlog", ev_method="0/100", budget="1000 EUR"
            )
            for n in ("Patch", "Rotate keys")
        ]
        # Percent complete: 10000 EUR at 50 %: EV = 5000.
        workspace.create("project", id="ERP", name="ERP", parent="PF", budget="10000 EUR")
        erp = workspace.add_work_item(
            "ERP", "Build", budget="10000 EUR", start=date(2025, 3, 1), due=date(2025, 4, 30)
        )
        clock.day = ON
        workspace.move_work_item(stories[0].id, "done", on=date(2025, 3, 7))
        workspace.move_work_item(stories[1].id, "done", on=date(2025, 3, 12))
        workspace.move_work_item(cards[0].id, "in_progress", on=date(2025, 3, 10))
        workspace.move_work_item(cards[0].id, "done", on=date(2025, 3, 12))
        workspace.record_progress(erp.id, 50, on=date(2025, 3, 20))
        yield workspace


def test_each_methodology_maps_progress_to_earned_value(ws: Workspace) -> None:
    assert ws.metrics("APP", status_date=ON).value("ev") == Decimal("48000.00")
    assert pmo_scrum.agile_evm(ws.view(status_date=ON), "APP").ev.amount == Decimal("48000.00")
    assert ws.metrics("OPS", status_date=ON).value("ev") == Decimal("1000.00")
    assert ws.metrics("ERP", status_date=ON).value("ev") == Decimal("5000.00")


def test_the_portfolio_sums_them_and_the_report_agrees(ws: Workspace) -> None:
    scope = ws.metrics("PF", status_date=ON)
    assert isinstance(scope, ScopeMetrics)
    portfolio = scope.totals
    assert portfolio.value("ev") == Decimal("54000.00")
    assert portfolio.value("bac") == Decimal("72000.00")
    report = json.loads(ws.report("portfolio-summary", "PF", format="json").content)
    figures = {m["name"]: m["value"] for m in report["metrics"]}
    assert (figures["ev"], figures["bac"]) == ("54000.00", "72000.00")
    # The indices are recomputed from the sums, never averaged across projects.
    ev, pv = Decimal(figures["ev"]), Decimal(figures["pv"])
    assert Decimal(figures["spi"]) == (ev / pv).quantize(Decimal("0.0001"))
