"""One portfolio, every way of delivering, one roll-up: a hybrid program holding a PRINCE2
project and a hybrid project, a Scrum team and a Kanban team beside it. Each project's earned
value is what its methodology maps progress to (percent complete, points done, items
delivered); the program's and the portfolio's figures are their sums, with the indices
recomputed from the sums; the portfolio summary's JSON says the same. Every figure is worked
out by hand in the comments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pmo_hybrid
import pmo_kanban
import pmo_prince2
import pmo_reports
import pmo_scrum
import pytest

from pmo_core import CostEntry, StatusChange, Workspace

ON = date(2025, 6, 2)


class Clock:
    def __init__(self) -> None:
        self.day = date(2025, 3, 1)

    def __call__(self) -> date:
        return self.day


def _cost(project: str, amount: str, on: date) -> CostEntry:
    return CostEntry(project=project, incurred_on=on, amount=amount)


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    clock = Clock()
    plugins = {
        "prince2": pmo_prince2,
        "hybrid": pmo_hybrid,
        "scrum": pmo_scrum,
        "kanban": pmo_kanban,
        "reports": pmo_reports,
    }
    with Workspace.in_memory(plugins=plugins, today=clock, actor="tester") as ws:
        ws.create("portfolio", id="PF", name="Digital")
        ws.create("program", id="PRG", name="Claims programme", parent="PF", methodology="hybrid")
        # PRINCE2 in the program: Design done (40000, booked 50000); Build starts after ON.
        ws.create(
            "project", id="P2", name="Claims engine", parent="PRG", methodology="prince2",
            phase="delivery-1", budget="100000 EUR",
        )  # fmt: skip
        design = ws.add_work_item(
            "P2", "Design", start=date(2025, 4, 1), due=date(2025, 4, 30), budget="40000 EUR"
        )
        ws.add_work_item(
            "P2", "Build", start=date(2025, 6, 10), due=date(2025, 6, 30), budget="60000 EUR"
        )
        # Hybrid in the program (its methodology inherited): Login done (20000, booked
        # 18000), Search half done (30000, booked 16000), both due by ON.
        ws.create(
            "project", id="HY", name="Claims app", parent="PRG", phase="delivery",
            budget="50000 EUR",
        )  # fmt: skip
        login = ws.add_work_item(
            "HY", "Login", start=date(2025, 5, 5), due=date(2025, 5, 16), budget="20000 EUR",
            points=5, iteration="Sprint 1",
        )  # fmt: skip
        search = ws.add_work_item(
            "HY", "Search", start=date(2025, 5, 19), due=date(2025, 5, 30), budget="30000 EUR",
            points=8, iteration="Sprint 2",
        )  # fmt: skip
        # Scrum beside the program: a 60000 EUR release of 10 points, ending 25 April, 8
        # points done; the team booked 45000.
        ws.create(
            "project", id="SC", name="Mobile app", parent="PF", methodology="scrum",
            phase="delivery", budget="60000 EUR",
        )  # fmt: skip
        release = ws.add_work_item(
            "SC", "Release 1", type="release", ev_method="points", budget="60000 EUR",
            start=date(2025, 3, 3), due=date(2025, 4, 25),
        )  # fmt: skip
        ws.update(
            "SC",
            custom_fields={
                "scrum": {
                    "release": release.id,
                    "planned_sprints": 4,
                    "sprints": [
                        {"name": "S1", "start": "2025-03-03", "finish": "2025-03-14"},
                        {"name": "S2", "start": "2025-03-17", "finish": "2025-03-28"},
                    ],
                }
            },
        )
        stories = [
            ws.add_work_item(
                "SC", f"Story {n}", type="story", points=p, iteration=s, parent=release.id,
                transitions=[StatusChange(on=date(2025, 3, 3), status="open")],
            )
            for n, (p, s) in enumerate(((3, "S1"), (5, "S1"), (2, "S2")))
        ]  # fmt: skip
        # Kanban beside the program: two cards of 1000 EUR (0/100) due in March, one
        # delivered; the team booked 1500.
        ws.create(
            "project", id="KB", name="Service desk", parent="PF", methodology="kanban",
            phase="operating", budget="2000 EUR",
        )  # fmt: skip
        cards = [
            ws.add_work_item(
                "KB", subject, status="backlog", ev_method="0/100", budget="1000 EUR",
                start=date(2025, 3, 1), due=date(2025, 3, 31),
            )
            for subject in ("Patch the kiosks", "Rotate the keys")
        ]  # fmt: skip
        clock.day = ON
        ws.record_progress(design.id, 100, actual_cost="50000 EUR", on=date(2025, 5, 30))
        ws.record_progress(login.id, 100, actual_cost="18000 EUR", on=date(2025, 5, 16))
        ws.record_progress(search.id, 50, actual_cost="16000 EUR", on=date(2025, 5, 30))
        ws.move_work_item(stories[0].id, "done", on=date(2025, 3, 7))
        ws.move_work_item(stories[1].id, "done", on=date(2025, 3, 12))
        ws.move_work_item(cards[0].id, "in_progress", on=date(2025, 3, 10))
        ws.move_work_item(cards[0].id, "done", on=date(2025, 3, 12))
        ws.add_many([_cost("SC", "45000 EUR", date(2025, 3, 28)),
                     _cost("KB", "1500 EUR", date(2025, 3, 31))])  # fmt: skip
        yield ws


def _summary(ws: Workspace, scope: str) -> dict[str, Any]:
    return json.loads(ws.report("portfolio-summary", scope, format="json").content)  # type: ignore[no-any-return]


def _figures(metrics: list[dict[str, Any]]) -> dict[str, Decimal]:
    return {m["name"]: Decimal(m["value"]) for m in metrics if m["value"] is not None}


# (BAC, PV, EV, AC) per project, by hand.
EXPECTED = {
    # PV: Design only (Build starts 10 June); EV 100 % x 40000.
    "P2": (100000, 40000, 40000, 50000),
    # PV: both items due by ON; EV 20000 + 50 % x 30000.
    "HY": (50000, 50000, 35000, 34000),
    # PV: the release ended 25 April; EV 60000 x 8 / 10 points (AgileEVM's BAC x APC).
    "SC": (60000, 60000, 48000, 45000),
    # PV: both cards due 31 March; EV one delivered card.
    "KB": (2000, 2000, 1000, 1500),
}


def test_each_methodology_maps_its_progress_to_earned_value(ws: Workspace) -> None:
    rows = {p["key"]: _figures(p["metrics"]) for p in _summary(ws, "PF")["projects"]}

    assert {
        key: tuple(int(rows[key][n]) for n in ("bac", "pv", "ev", "ac")) for key in EXPECTED
    } == EXPECTED
    methodologies = {key: ws.gate_check(key).methodology for key in EXPECTED}
    assert methodologies == {"P2": "prince2", "HY": "hybrid", "SC": "scrum", "KB": "kanban"}
    # The Scrum plugin's own AgileEVM agrees with the core's EV.
    assert pmo_scrum.agile_evm(ws.view(), "SC").ev.amount == Decimal("48000.00")


def test_the_hybrid_program_sums_its_prince2_and_hybrid_projects(ws: Workspace) -> None:
    total = _figures(_summary(ws, "PRG")["metrics"])

    # BAC 150000; PV 40000 + 50000; EV 40000 + 35000; AC 50000 + 34000.
    assert (total["bac"], total["pv"], total["ev"], total["ac"]) == (
        Decimal(150000), Decimal(90000), Decimal(75000), Decimal(84000),
    )  # fmt: skip
    # SPI 75000 / 90000 = 0.83333; CPI 75000 / 84000 = 0.89286.
    assert (total["spi"], total["cpi"]) == (Decimal("0.8333"), Decimal("0.8929"))


def test_the_portfolio_sums_every_methodology_with_indices_from_the_sums(
    ws: Workspace,
) -> None:
    data = _summary(ws, "PF")
    total = _figures(data["metrics"])

    assert sorted(p["key"] for p in data["projects"]) == ["HY", "KB", "P2", "SC"]
    # BAC 212000; PV 40000 + 50000 + 60000 + 2000 = 152000;
    # EV 40000 + 35000 + 48000 + 1000 = 124000; AC 50000 + 34000 + 45000 + 1500 = 130500.
    assert (total["bac"], total["pv"], total["ev"], total["ac"]) == (
        Decimal(212000), Decimal(152000), Decimal(124000), Decimal(130500),
    )  # fmt: skip
    # SPI 124000 / 152000 = 0.81579; CPI 124000 / 130500 = 0.95019: from the sums, not the
    # mean of the four projects' indices (which would be 0.7500 and 0.8907).
    assert (total["spi"], total["cpi"]) == (Decimal("0.8158"), Decimal("0.9502"))
    # The same figures through the API the report reads.
    assert ws.metrics("PF").totals.value("ev") == Decimal("124000.00")  # type: ignore[union-attr]
