"""The metrics service by hand: three projects that together cover every EV method, a
re-baselined project, earned schedule and a bottom-up EAC; ``pmo metrics --json`` and the
reports give the same figures (the cost tolerance too: tests/integration/
test_metrics_one_service.py); a month-end report produced later equals the one issued."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pmo_reports
import pytest
from report_samples import Clock

from pmo_core import (
    Baseline,
    BaselineItem,
    CostEntry,
    Forecast,
    ProjectMetrics,
    WorkItem,
    Workspace,
    measure_project,
)
from pmo_core.testing import MemoryStore

D = Decimal
S = date(2025, 3, 2)  # the status date: day 60 after 2025-01-01
JAN1 = date(2025, 1, 1)


def _item(project: str, subject: str, **fields: Any) -> WorkItem:
    return WorkItem(project=project, subject=subject, **fields)


def build(ws: Workspace) -> dict[str, str]:
    """ALPHA (re-baselined, four EV methods, a forecast), BRAVO (no baseline, milestones and
    story points, actuals as cost entries) and CHARLIE (a baseline without item costs)."""
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("project", id="ALPHA", name="Alpha", parent="PF", budget="6000 EUR")
    ws.create("project", id="BRAVO", name="Bravo", parent="PF", budget="2400 EUR")
    ws.create("project", id="CHARLIE", name="Charlie", parent="PF", budget="1000 EUR")
    ids: dict[str, str] = {}
    # ALPHA: A1 percent complete, A2 0/100, A3 50/50, A4 level of effort.
    plan = {
        "A1": ("percent_complete", 1000, JAN1, date(2025, 1, 31)),
        "A2": ("0/100", 2000, date(2025, 1, 31), date(2025, 3, 2)),
        "A3": ("50/50", 1000, date(2025, 2, 15), date(2025, 4, 16)),
        "A4": ("level_of_effort", 600, JAN1, date(2025, 5, 1)),
    }
    for name, (method, budget, start, due) in plan.items():
        ids[name] = ws.add_work_item(
            "ALPHA", name, ev_method=method, budget=f"{budget} EUR", start=start, due=due
        ).id
    ws.record_progress(ids["A1"], 100, actual_cost="1100 EUR", on=date(2025, 1, 31))
    ws.record_progress(ids["A2"], D("99.99"), actual_cost="1900 EUR", on=date(2025, 3, 1))
    ws.record_progress(ids["A3"], 5, actual_cost="300 EUR", on=date(2025, 2, 20))
    ws.record_progress(ids["A4"], 0, actual_cost="250 EUR", on=date(2025, 3, 1))
    # Baseline 0 (other costs) is superseded by baseline 1, the one in force.
    for number, taken, costs in ((0, JAN1, (800, 1500, 800, 400)), (1, date(2025, 1, 15), None)):
        items = [
            BaselineItem(
                work_item=ids[name],
                subject=name,
                planned_start=start,
                planned_finish=due,
                cost=f"{costs[i] if costs else budget} EUR",
            )
            for i, (name, (_, budget, start, due)) in enumerate(plan.items())
        ]
        ws.add(
            Baseline(
                project="ALPHA", number=number, taken_on=taken, cost="4600 EUR",
                planned_start=JAN1, planned_finish=date(2025, 5, 1), items=items,
            )
        )  # fmt: skip
    ws.add(Forecast(project="ALPHA", as_of=date(2025, 2, 28), eac="5200 EUR", method="bottom_up"))
    ws.add(Forecast(project="ALPHA", as_of=date(2025, 3, 10), eac="9999 EUR"))  # after S
    # BRAVO: B1 weighted milestones (B1a..B1c), B2 story points (B2a..B2c), B3 a story.
    b1 = ws.add_work_item(
        "BRAVO", "B1", ev_method="weighted_milestones", budget="1200 EUR", start=JAN1,
        due=date(2025, 3, 2),
    ).id  # fmt: skip
    b2 = ws.add_work_item(
        "BRAVO", "B2", ev_method="points", budget="900 EUR", start=date(2025, 2, 1),
        due=date(2025, 3, 31),
    ).id  # fmt: skip
    b3 = ws.add_work_item(
        "BRAVO", "B3", ev_method="points", budget="300 EUR", start=date(2025, 2, 1),
        due=date(2025, 2, 11),
    ).id  # fmt: skip
    for parent, name, points, percent in (
        (b1, "B1a", None, 100),
        (b1, "B1b", 2, 100),
        (b1, "B1c", 3, D("99.99")),
        (b2, "B2a", 5, 100),
        (b2, "B2b", 3, 100),
        (b2, "B2c", 10, 50),
    ):
        kid = ws.add_work_item("BRAVO", name, parent=parent, points=points).id
        ws.record_progress(kid, percent, on=date(2025, 2, 20))
    ws.record_progress(b3, 100, on=date(2025, 2, 11))
    ws.add_many(
        [
            CostEntry(project="BRAVO", incurred_on=date(2025, 1, 20), amount="500 EUR"),
            CostEntry(project="BRAVO", incurred_on=date(2025, 2, 25), amount="700 EUR"),
            CostEntry(project="BRAVO", incurred_on=date(2025, 3, 5), amount="999 EUR"),
        ]
    )
    # CHARLIE: baseline 0 has a cost but no item costs; progress is weighed by budgets.
    c1 = ws.add_work_item("CHARLIE", "C1", budget="500 EUR", start=JAN1, due=date(2025, 4, 11))
    ws.record_progress(c1.id, 60, actual_cost="700 EUR", on=date(2025, 3, 1))
    ws.add(
        Baseline(
            project="CHARLIE", number=0, taken_on=date(2025, 2, 1), cost="1000 EUR",
            planned_start=JAN1, planned_finish=date(2025, 4, 11),
            items=[BaselineItem(work_item=c1.id)],
        )
    )  # fmt: skip
    return ids


def change_the_live_plan(ws: Workspace, ids: dict[str, str]) -> None:
    """No re-baseline: A2's budget raised, A3's due date moved, a new item A5 added."""
    ws.update_work_item(ids["A2"], budget="2500 EUR")
    ws.update_work_item(ids["A3"], due=date(2025, 5, 11))
    a5 = ws.add_work_item(
        "ALPHA", "A5", budget="400 EUR", start=date(2025, 3, 1), due=date(2025, 3, 11)
    )
    ws.record_progress(a5.id, 50, actual_cost="100 EUR", on=S)


@pytest.fixture
def ws() -> Workspace:
    workspace = Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: S)
    workspace.ids = build(workspace)  # type: ignore[attr-defined]
    return workspace


def _values(figures: ProjectMetrics) -> dict[str, Decimal | None]:
    return {m.name: m.value for m in figures.metrics}


def test_alpha_by_hand(ws: Workspace) -> None:
    before = measure_project(ws.view(), "ALPHA")
    change_the_live_plan(ws, ws.ids)  # type: ignore[attr-defined]
    m = measure_project(ws.view(), "ALPHA")
    v = _values(m)
    assert m.basis == "baseline 1 of 2025-01-15 (the latest on or before 2025-03-02)"
    assert m.baseline == 1
    # Baseline 1: BAC = 1000 + 2000 + 1000 + 600 = 4600 (baseline 0's 3500 is not in force).
    assert v["bac"] == D("4600.00")
    # PV on day 60: A1 1000 (done by Jan 31) + A2 2000 (Jan 31 to Mar 2: all 30 days)
    #   + A3 1000 x 15/60 = 250 (Feb 15 to Mar 2 is 15 of its 60 days)
    #   + A4 600 x 60/120 = 300 = 3550.
    assert v["pv"] == D("3550.00")
    # EV: A1 1000 x 100% = 1000; A2 0/100 at 99.99% = 0; A3 50/50 started = 500;
    #     A4 level of effort = its PV 300 -> 1800. A5 is unbaselined: not in EV.
    assert v["ev"] == D("1800.00")
    # AC: every item's actual cost on S, A5 included: 1100 + 1900 + 300 + 250 + 100 = 3650.
    assert v["ac"] == D("3650.00")
    assert m.metric("ac").source == "actual cost of 5 work items of ALPHA on 2025-03-02"
    assert v["spi"] == D("0.5070")  # 1800 / 3550 = 0.50704...
    assert v["cpi"] == D("0.4932")  # 1800 / 3650 = 0.49315...
    # The headline EAC is the forecast of 2025-02-28 (bottom-up first; the one of 03-10 is
    # after S); the other variants stand beside it.
    assert (v["eac"], m.metric("eac").inputs["variant"]) == (D("5200.00"), "bottom_up")
    assert v["eac_bottom_up"] == D("5200.00")
    assert v["eac_cpi"] == D("9327.78")  # 4600 / (1800/3650) = 4600 x 3650 / 1800
    assert v["eac_atypical"] == D("6450.00")  # 3650 + (4600 - 1800)
    # 3650 + 2800 / ((1800/3650) x (1800/3550)) = 3650 + 2800 x 3650 x 3550 / 1800^2
    #   = 3650 + 11197.8395... = 14847.84
    assert v["eac_cpi_spi"] == D("14847.84")
    assert v["etc"] == D("1550.00")  # 5200 - 3650
    assert v["vac"] == D("-600.00")  # 4600 - 5200
    assert v["tcpi_bac"] == D("2.9474")  # 2800 / (4600 - 3650) = 2800 / 950
    assert v["tcpi_eac"] == D("1.8065")  # 2800 / (5200 - 3650) = 2800 / 1550
    # Earned schedule on baseline 1's PV curve, whose slope changes on Jan 31 (day 30),
    # Feb 15 (day 45), Mar 2 (day 60), Apr 16 (day 105) and May 1 (day 120):
    #   PV(day 30) = 1000 + 600 x 30/120 = 1150
    #   PV(day 45) = 1000 + 2000 x 15/30 + 600 x 45/120 = 1000 + 1000 + 225 = 2225
    # EV 1800 lies between them: C = day 30, so
    #   ES = 30 + (1800 - 1150) / (2225 - 1150) x 15 = 30 + 650/1075 x 15 = 1680/43 = 39.0698
    assert v["es"] == D("39.07")
    assert v["at"] == 60
    assert v["sv_t"] == D("-20.93")  # 1680/43 - 60 = -900/43 = -20.9302
    assert v["spi_t"] == D("0.6512")  # (1680/43) / 60 = 28/43 = 0.65116
    assert v["pd"] == 120
    # IEAC(t) = PD / SPI(t) = 120 / (28/43) = 5160/28 = 184.2857 days; the finish is the
    # start plus 185 whole days.
    assert v["ieac_t"] == D("184.29")
    assert m.earned_schedule is not None
    assert m.earned_schedule.finish == date(2025, 7, 5)
    # The live plan moved, the baseline did not: PV, BAC, EV and SPI are those from before.
    b = _values(before)
    assert [v[k] for k in ("bac", "pv", "ev", "spi", "es")] == [
        b[k] for k in ("bac", "pv", "ev", "spi", "es")
    ]
    # ...and the change shows as the current plan's variance:
    #   BAC_current = 1000 + 2500 + 1000 + 600 + 400 = 5500 -> +900
    #   PV_current = 1000 + 2500 + 1000 x 15/85 + 300 + 400 x 1/10 = 4016.47 -> +466.47
    assert (v["bac_current"], v["bac_variance"]) == (D("5500.00"), D("900.00"))
    assert (v["pv_current"], v["pv_variance"]) == (D("4016.47"), D("466.47"))
    assert v["finish_variance"] == 10  # A3 now due May 11, the baseline finishes May 1
    assert v["unbaselined_budget"] == D("400.00")
    assert [(s, b) for _, s, b in m.unbaselined] == [("A5", D("400"))]
    assert "1 unbaselined work items left out" in m.metric("bac").source
    assert (b["bac_variance"], b["pv_variance"]) == (D("0.00"), D("0.00"))


def test_bravo_by_hand(ws: Workspace) -> None:
    m = measure_project(ws.view(), "BRAVO")
    v = _values(m)
    assert m.basis == "current plan, no baseline on or before 2025-03-02"
    assert m.metric("bac").source.startswith("basis: current plan, no baseline on or before")
    # BAC = 1200 + 900 + 300 (the milestones and sub-stories carry no budget).
    assert v["bac"] == D("2400.00")
    # PV: B1 1200 (Jan 1 to Mar 2, all 60 days) + B2 900 x 29/58 = 450 + B3 300 = 1950.
    assert v["pv"] == D("1950.00")
    # EV: B1 weighted milestones: weights 1 (unset) + 2 done of 1 + 2 + 3 -> 1200 x 3/6 = 600
    #     (B1c at 99.99% is not done); B2 points: 5 + 3 done of 18 -> 900 x 8/18 = 400;
    #     B3, a story without children, done -> 300. EV = 1300.
    assert v["ev"] == D("1300.00")
    # AC: no item carries an actual cost, so the cost entries up to S: 500 + 700.
    assert v["ac"] == D("1200.00")
    assert m.metric("ac").source == "2 cost entries of BRAVO up to 2025-03-02"
    # No forecast: the headline falls through to BAC / CPI = 2400 / (1300/1200) = 2215.38.
    assert (v["eac"], m.metric("eac").inputs["variant"]) == (D("2215.38"), "cpi")
    assert "eac_bottom_up" not in v
    assert v["bac_variance"] is None  # no baseline: no variance against one
    assert "no baseline" in m.metric("bac_variance").source


def test_charlie_by_hand(ws: Workspace) -> None:
    v = _values(measure_project(ws.view(), "CHARLIE"))
    # Baseline 0 holds a cost but no item costs: BAC 1000 over Jan 1 to Apr 11 (100 days).
    assert v["bac"] == D("1000.00")
    assert v["pv"] == D("600.00")  # 1000 x 60/100
    # Progress weighed by the current budgets (C1: 500 x 60% of 500 = 60 %), on BAC 1000.
    assert v["ev"] == D("600.00")
    assert v["ac"] == D("700.00")


@pytest.mark.parametrize("key", ["ALPHA", "BRAVO", "CHARLIE"])
def test_pmo_metrics_json_matches_the_project_status_report(
    pmo_workspace_factory: Callable[..., Workspace],
    pmo_cli: Callable[..., Any],
    key: str,
) -> None:
    ws = pmo_workspace_factory(store="sqlite", enabled=["reports"], today=S)
    build(ws)
    metrics = pmo_cli("metrics", key, "--status-date", str(S), "--json", workspace=ws)
    report = pmo_cli(
        "report", "project-status", key, "--status-date", str(S), "--json", workspace=ws
    )

    assert metrics.exit_code == 0, metrics.stderr
    assert report.exit_code == 0, report.stderr
    ours, theirs = metrics.json(), report.json()
    assert ours["metrics"] == theirs["metrics"]
    assert theirs["measurement"] == {k: ours[k] for k in theirs["measurement"]}
    by_name = {m["name"]: m for m in ours["metrics"]}
    expected = {"ALPHA": "5200.00", "BRAVO": "2215.38", "CHARLIE": by_name["eac"]["value"]}
    assert by_name["eac"]["value"] == expected[key]
    assert [p["key"] for p in theirs["projects"]] == [key]
    assert theirs["projects"][0]["metrics"] == ours["metrics"]


def test_the_portfolio_totals_are_the_service_totals(
    pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Callable[..., Any]
) -> None:
    ws = pmo_workspace_factory(store="sqlite", enabled=["reports"], today=S)
    build(ws)
    ours = pmo_cli("metrics", "PF", "--status-date", str(S), "--json", workspace=ws).json()
    theirs = pmo_cli(
        "report", "portfolio-summary", "PF", "--status-date", str(S), "--json", workspace=ws
    ).json()

    assert ours["metrics"] == theirs["metrics"]
    totals = {m["name"]: m["value"] for m in ours["metrics"]}
    # 4600 + 2400 + 1000 = 8000; EV 1800 + 1300 + 600 = 3700; PV 3550 + 1950 + 600 = 6100.
    assert (totals["bac"], totals["ev"], totals["pv"]) == ("8000.00", "3700.00", "6100.00")
    assert totals["spi"] == "0.6066"  # 3700 / 6100, recomputed from the sums
    # Only ALPHA has a forecast: a partial bottom-up sum would understate, so BAC / CPI.
    eac = next(m for m in ours["metrics"] if m["name"] == "eac")
    assert eac["inputs"]["variant"] == "cpi"
    assert [p["key"] for p in ours["projects"]] == ["ALPHA", "BRAVO", "CHARLIE"]


# ---------------------------------------------------------------------------- month end

MARCH_END = date(2025, 3, 31)


def test_a_month_end_report_produced_later_equals_the_one_issued() -> None:
    clock = Clock(now=datetime(2025, 3, 10, 9, tzinfo=timezone.utc))
    today = [date(2025, 3, 10)]
    with Workspace.in_memory(
        plugins={"reports": pmo_reports},
        store=MemoryStore(clock=clock),
        today=lambda: today[0],
    ) as ws:
        ws.create("project", id="P", name="P", budget="2000 EUR")
        w1 = ws.add_work_item(
            "P", "W1", budget="1000 EUR", start=date(2025, 3, 1), due=date(2025, 3, 31)
        )
        w2 = ws.add_work_item(
            "P", "W2", budget="1000 EUR", start=date(2025, 3, 15), due=date(2025, 4, 15)
        )
        ws.record_progress(w1.id, 30, actual_cost="300 EUR")
        today[0] = MARCH_END
        ws.record_progress(w1.id, 60, actual_cost="650 EUR")
        ws.record_progress(w2.id, 10, actual_cost="100 EUR")
        ws.set_forecast("P", eac="2100 EUR", on=MARCH_END, reason="March review")
        ws.report_status("P", overall="amber", as_of=MARCH_END)
        today[0] = date(2025, 4, 2)
        clock.now = datetime(2025, 4, 2, 9, tzinfo=timezone.utc)

        def march(**kwargs: Any) -> str:
            out = ws.report("project-status", "P", format="json", status_date=MARCH_END, **kwargs)
            assert isinstance(out.content, str)
            return out.content

        issued = march()
        issued_at = clock.now
        # April goes on: more progress, costs, a forecast and a status report after March.
        today[0] = date(2025, 4, 20)
        ws.record_progress(w1.id, 90, actual_cost="900 EUR")
        ws.record_progress(w2.id, 50, actual_cost="400 EUR")
        ws.add_cost("P", "50 EUR", on=date(2025, 4, 10))
        ws.set_forecast("P", eac="2500 EUR", on=date(2025, 4, 15), reason="April review")
        ws.report_status("P", overall="red", as_of=date(2025, 4, 15))

        assert march() == issued  # byte for byte
        doc = json.loads(issued)
        ev = D(next(m["value"] for m in doc["metrics"] if m["name"] == "ev"))
        assert ev == D("700.00")  # W1 60% of 1000 + W2 10% of 1000, as reported by Mar 31

        # A late correction dated inside March changes the month end as known now...
        ws.record_progress(w2.id, 20, actual_cost="150 EUR", on=MARCH_END)
        corrected = json.loads(march())
        assert D(next(m["value"] for m in corrected["metrics"] if m["name"] == "ev")) == D(800)
        # ...while as of the moment it was issued, the report is the one issued.
        assert march(as_of=issued_at) == issued
        # The correction is history: W2 is still 50 % now.
        assert ws.work_item(w2.id).percent_complete == 50
