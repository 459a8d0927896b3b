"""One portfolio, several methodologies, one roll-up: a hybrid program holding a PRINCE2
project and a hybrid project, and a stage-gate project beside it, sum to consistent earned
value in the portfolio summary's JSON. Figures computed by hand in the comments."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pmo_hybrid
import pytest
from hybrid_support import TODAY

from pmo_core import Workspace

pmo_prince2 = pytest.importorskip("pmo_prince2")
pmo_reports = pytest.importorskip("pmo_reports")
pmo_stage_gate = pytest.importorskip("pmo_stage_gate")


@pytest.fixture
def portfolio() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={
            "hybrid": pmo_hybrid,
            "prince2": pmo_prince2,
            "stage-gate": pmo_stage_gate,
            "reports": pmo_reports,
        },
        today=lambda: TODAY,
        actor="tester",
    ) as ws:
        ws.create("portfolio", id="PF", name="Digital")
        ws.create("program", id="PRG", name="Claims programme", parent="PF",
                  methodology="hybrid")  # fmt: skip
        # PRINCE2: design done (40000, cost 50000), build not started (60000, after today).
        ws.create("project", id="ALPHA", name="Alpha", parent="PRG", methodology="prince2",
                  phase="delivery-1", budget="100000 EUR")  # fmt: skip
        design = ws.add_work_item("ALPHA", "Design", start=date(2025, 4, 1),
                                  due=date(2025, 4, 30), budget="40000 EUR")  # fmt: skip
        ws.add_work_item("ALPHA", "Build", start=date(2025, 6, 10), due=date(2025, 6, 30),
                         budget="60000 EUR")  # fmt: skip
        ws.take_baseline("ALPHA", on=date(2025, 3, 31))
        ws.record_progress(design.id, 100, actual_cost="50000 EUR", on=date(2025, 5, 30))
        # Hybrid (inherits the program's methodology): two stories in two sprints, both due
        # by today; Login done (5 points, 20000, cost 18000), Search half done (8 points,
        # 30000, cost 16000).
        ws.create("project", id="APP", name="Claims app", parent="PRG", phase="delivery",
                  budget="50000 EUR")  # fmt: skip
        login = ws.add_work_item("APP", "Login", start=date(2025, 5, 5), due=date(2025, 5, 16),
                                 budget="20000 EUR", points=5, iteration="Sprint 1")  # fmt: skip
        search = ws.add_work_item("APP", "Search", start=date(2025, 5, 19),
                                  due=date(2025, 5, 30), budget="30000 EUR", points=8,
                                  iteration="Sprint 2")  # fmt: skip
        ws.take_baseline("APP", on=date(2025, 5, 1))
        ws.record_progress(login.id, 100, actual_cost="18000 EUR", on=date(2025, 5, 16))
        ws.record_progress(search.id, 50, actual_cost="16000 EUR", on=date(2025, 5, 30))
        # Stage-gate beside the program: one item due by today, 25 % done (10000 of 40000).
        ws.create("project", id="GATE", name="Gate", parent="PF", methodology="stage-gate",
                  phase="development", budget="40000 EUR")  # fmt: skip
        build = ws.add_work_item("GATE", "Prototype", start=date(2025, 5, 1),
                                 due=date(2025, 5, 31), budget="40000 EUR")  # fmt: skip
        ws.take_baseline("GATE", on=date(2025, 4, 30))
        ws.record_progress(build.id, 25, actual_cost="12000 EUR", on=date(2025, 5, 31))
        yield ws


def _summary(ws: Workspace, scope: str) -> dict[str, Any]:
    out = ws.report("portfolio-summary", scope, format="json")
    return json.loads(out.content)  # type: ignore[no-any-return]


def _figures(metrics: list[dict[str, Any]]) -> dict[str, Decimal]:
    return {m["name"]: Decimal(m["value"]) for m in metrics if m["value"] is not None}


def test_each_methodology_earns_value_the_same_way(portfolio: Workspace) -> None:
    rows = {p["key"]: _figures(p["metrics"]) for p in _summary(portfolio, "PF")["projects"]}
    # PRINCE2: EV 100 % x 40000; PV the design only; AC 50000.
    assert (rows["ALPHA"]["ev"], rows["ALPHA"]["pv"], rows["ALPHA"]["ac"]) == (
        Decimal(40000),
        Decimal(40000),
        Decimal(50000),
    )
    # Hybrid: EV 100 % x 20000 + 50 % x 30000 = 35000; PV 50000; AC 34000.
    assert (rows["APP"]["ev"], rows["APP"]["pv"], rows["APP"]["ac"]) == (
        Decimal(35000),
        Decimal(50000),
        Decimal(34000),
    )
    # Stage-gate: EV 25 % x 40000 = 10000; PV 40000; AC 12000.
    assert (rows["GATE"]["ev"], rows["GATE"]["pv"], rows["GATE"]["ac"]) == (
        Decimal(10000),
        Decimal(40000),
        Decimal(12000),
    )


def test_the_program_rolls_up_prince2_and_hybrid(portfolio: Workspace) -> None:
    data = _summary(portfolio, "PRG")
    assert sorted(p["key"] for p in data["projects"]) == ["ALPHA", "APP"]
    total = _figures(data["metrics"])
    rows = {p["key"]: _figures(p["metrics"]) for p in data["projects"]}
    for name in ("bac", "pv", "ev", "ac"):
        assert total[name] == rows["ALPHA"][name] + rows["APP"][name], name
    # BAC 100000 + 50000; PV 40000 + 50000; EV 40000 + 35000; AC 50000 + 34000.
    assert (total["bac"], total["pv"], total["ev"], total["ac"]) == (
        Decimal(150000),
        Decimal(90000),
        Decimal(75000),
        Decimal(84000),
    )
    # Indices from the sums, never averaged: SPI 75000 / 90000, CPI 75000 / 84000.
    assert total["spi"] == Decimal("0.8333")
    assert total["cpi"] == Decimal("0.8929")


def test_the_portfolio_rolls_up_every_methodology(portfolio: Workspace) -> None:
    total = _figures(_summary(portfolio, "PF")["metrics"])
    # EV 40000 + 35000 + 10000; PV 40000 + 50000 + 40000; AC 50000 + 34000 + 12000.
    assert (total["ev"], total["pv"], total["ac"], total["bac"]) == (
        Decimal(85000),
        Decimal(130000),
        Decimal(96000),
        Decimal(190000),
    )
    # SPI 85000 / 130000 = 0.65385; CPI 85000 / 96000 = 0.88542.
    assert (total["spi"], total["cpi"]) == (Decimal("0.6538"), Decimal("0.8854"))


def test_the_hybrid_project_follows_its_programs_methodology(portfolio: Workspace) -> None:
    assert portfolio.gate_check("APP").methodology == "hybrid"
    assert portfolio.gate_check("ALPHA").methodology == "prince2"
    assert portfolio.gate_check("GATE").methodology == "stage-gate"
