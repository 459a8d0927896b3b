"""pmo-review: each KPI on hand-made data against hand-computed figures, at its boundaries
(exactly on time, one day late, EAC = BAC, a cent over), currencies never mixed, and a KPI
without data "not measured" with its reason, never 0."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pmo_reports
import pytest
from report_samples import TODAY, Clock, item

from pmo_core import (
    CriterionResult,
    Forecast,
    GateDecision,
    InvalidInputError,
    PmoGovernanceModel,
    PmoReport,
    ProgressPoint,
    RaidItem,
    ReportRequest,
    StatusReport,
    WorkItem,
    Workspace,
)
from pmo_core.testing import MemoryStore

JAN1, JAN31 = date(2025, 1, 1), date(2025, 1, 31)
PERIOD = {"from": "2025-01-01", "to": "2025-04-25"}
MODEL = PmoGovernanceModel(
    name="monthly", summary="Reports every 30 days", cadence_days={1: 30, 2: 30, 3: 30}
)


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    """Status date 2025-04-25; the period is 2025-01-01 to 2025-04-25 (115 days).

    ONTIME  planned finish 30 Jun, forecast finish 30 Jun (on time), EAC 1000 = BAC 1000
    LATE    planned finish 30 Jun, forecast finish 1 Jul (a day late), EAC 1000.01 > BAC;
            EAC 1200 in December: its overrun fell from 200 to 0.01 (recovered, 199.99)
    NOFIN   no planned finish; 1000 budget, 50 %, AC 500 -> EAC = BAC / CPI = 1000
    CLOSED  closed 1 Apr, planned and actual finish 31 Mar; first forecast EAC 1000, then
            950; final AC 900 -> forecast error |1000 - 900| / 900 = 11.11 %
    KILLED  killed 2 Mar: BAC 1000, AC 300 -> 700 saved; forecast EAC 1400 -> 400 avoided
    """
    with Workspace.in_memory(
        plugins={"reports": pmo_reports},
        store=MemoryStore(clock=clock),
        today=lambda: TODAY,
        actor="kim",
    ) as w:
        w.create("portfolio", id="PF", name="Digital")
        w.create(
            "project",
            id="ONTIME",
            name="On time",
            parent="PF",
            planned_start=JAN1,
            planned_finish=date(2025, 6, 30),
        )
        w.create(
            "project",
            id="LATE",
            name="Late",
            parent="PF",
            planned_start=date(2024, 10, 1),
            planned_finish=date(2025, 6, 30),
        )
        w.create("project", id="NOFIN", name="No finish", parent="PF")
        w.create(
            "project",
            id="CLOSED",
            name="Closed",
            parent="PF",
            planned_finish=date(2025, 3, 31),
            actual_start=JAN1,
            actual_finish=date(2025, 3, 31),
        )
        w.create("project", id="KILLED", name="Killed", parent="PF")
        w.create("project", id="IDEA", name="Idea", parent="PF", lifecycle="proposed")
        w.add_many(
            [
                item("ONTIME", "O1", 1000, 50, JAN1, JAN31, 400),
                item("LATE", "L1", 1000, 50, JAN1, JAN31, 400),
                item("NOFIN", "N1", 1000, 50, JAN1, JAN31, 500),
                item("CLOSED", "C1", 1000, 100, JAN1, JAN31, 900),
                item("KILLED", "K1", 1000, 20, JAN1, JAN31, 300),
            ]
        )
        w.add_many(
            [
                Forecast(
                    project="ONTIME",
                    as_of=date(2025, 4, 1),
                    eac="1000 EUR",
                    finish=date(2025, 6, 30),
                ),
                Forecast(project="LATE", as_of=date(2024, 12, 15), eac="1200 EUR"),
                Forecast(
                    project="LATE",
                    as_of=date(2025, 4, 10),
                    eac="1000.01 EUR",
                    finish=date(2025, 7, 1),
                ),
                Forecast(project="CLOSED", as_of=date(2025, 1, 15), eac="1000 EUR"),
                Forecast(project="CLOSED", as_of=date(2025, 3, 1), eac="950 EUR"),
                Forecast(project="KILLED", as_of=date(2025, 2, 15), eac="1400 EUR"),
            ]
        )
        w.change_lifecycle(
            "KILLED", "killed", approvers=[], comment="No market", on=date(2025, 3, 2)
        )
        w.add(StatusReport(entity="CLOSED", as_of=date(2025, 3, 31), overall="green", author="kim"))
        w.change_lifecycle(
            "CLOSED",
            "closed",
            approvers=[],
            comment="Done",
            on=date(2025, 4, 1),
            lessons=["Book vendors early"],
        )
        yield w  # fmt: skip


def review(ws: Workspace, model: Any = None, **options: str) -> dict[str, dict[str, Any]]:
    """The report's KPIs by name, through the registered report, with ``model`` (a callable
    of an entity) as the governance model in force."""
    report = ws.host.record(PmoReport, "pmo-review")
    request = ReportRequest(
        view=ws.view(), scope=None, format="json", status_date=TODAY,
        options={**PERIOD, **options}, governance_model=model,
    )  # fmt: skip
    doc = json.loads(report.render(request).content)
    return {k["name"]: k | {"doc": doc} for k in doc["kpis"]}


def value(kpi: dict[str, Any]) -> str | None:
    return kpi["metric"]["value"]  # type: ignore[no-any-return]


def test_which_projects_are_reviewed(ws: Workspace) -> None:
    doc = review(ws)["on_time"]["doc"]

    assert doc["projects"] == {
        "reviewed": ["CLOSED", "LATE", "NOFIN", "ONTIME"],  # not the proposed IDEA
        "killed": ["KILLED"],
    }
    assert doc["period"] == {"from": "2025-01-01", "to": "2025-04-25"}
    assert doc["currency"] == "EUR"


def test_on_time_counts_exactly_on_time_and_not_a_day_late(ws: Workspace) -> None:
    kpi = review(ws)["on_time"]

    # ONTIME (30 Jun <= 30 Jun) and CLOSED (31 Mar <= 31 Mar) of 3 measured: 2/3.
    assert value(kpi) == "66.67"
    assert kpi["metric"]["inputs"] == {"on_time": "2", "measured": "3"}
    rows = {r["id"]: r for r in kpi["records"]}
    assert rows["ONTIME"]["on_time"] is True
    assert rows["LATE"]["on_time"] is False
    assert rows["LATE"]["forecast_finish"] == "2025-07-01"
    assert rows["NOFIN"] == rows["NOFIN"] | {"counted": False, "reason": "no planned finish"}
    assert rows["CLOSED"]["basis"] == "actual finish"


def test_on_budget_counts_eac_equal_to_bac_and_not_a_cent_over(ws: Workspace) -> None:
    kpi = review(ws)["on_budget"]

    # ONTIME 1000 <= 1000, NOFIN 1000 <= 1000, CLOSED 950 <= 1000; LATE 1000.01 > 1000.
    assert value(kpi) == "75.00"
    rows = {r["id"]: r for r in kpi["records"]}
    assert (rows["ONTIME"]["eac"], rows["ONTIME"]["bac"], rows["ONTIME"]["on_budget"]) == (
        "1000.00", "1000.00", True,
    )  # fmt: skip
    assert (rows["LATE"]["eac"], rows["LATE"]["on_budget"]) == ("1000.01", False)
    assert rows["CLOSED"]["on"] == "2025-04-01"  # judged on its closing day


def test_gate_compliance_counts_met_or_waived_musts(ws: Workspace) -> None:
    met = CriterionResult(name="business case", passed=True)
    failed = CriterionResult(name="test plan", passed=False)
    waived = CriterionResult(name="test plan", passed=False, waiver="w1")
    should = CriterionResult(name="nice", level="should", passed=False)
    ws.add_many([
        GateDecision(entity="ONTIME", gate="g2", decision="go", decided_on=date(2025, 2, 1),
                     decided_by="board", criteria=(met, should)),
        GateDecision(entity="LATE", gate="g2", decision="go", decided_on=date(2025, 2, 2),
                     decided_by="board", criteria=(met, waived)),
        GateDecision(entity="NOFIN", gate="g2", decision="go", decided_on=date(2025, 4, 25),
                     decided_by="board", criteria=(failed,)),
        GateDecision(entity="NOFIN", gate="g1", decision="go", decided_on=date(2024, 12, 31),
                     decided_by="board", criteria=(failed,)),
    ])  # fmt: skip

    kpi = review(ws)["gate_compliance"]

    # Three decisions in the period (the last day counts, 31 Dec does not): two compliant.
    assert value(kpi) == "66.67"
    assert kpi["metric"]["inputs"] == {"compliant": "2", "decisions": "3"}
    rows = {r["entity"]: r for r in kpi["records"]}
    assert rows["LATE"]["waived_musts"] == ["test plan"]
    assert rows["NOFIN"] == rows["NOFIN"] | {"unmet_musts": ["test plan"], "compliant": False}


def test_status_reports_on_time_against_the_cadence(ws: Workspace) -> None:
    # 30 days after 1 January (on time), 31 after that (late), 30 after that (on time).
    ws.add_many(
        StatusReport(entity="ONTIME", as_of=day, overall="green", author="kim")
        for day in (date(2025, 1, 31), date(2025, 3, 3), date(2025, 4, 2))
    )

    def model(entity: Any) -> PmoGovernanceModel | None:
        return MODEL if entity.id in ("ONTIME", "LATE") else None

    kpi = review(ws, model)["status_on_time"]

    # ONTIME: 2 of 3 on time, 23 days since the last (no miss); LATE: no report in 114
    # days since 1 January, one missed; NOFIN: no model. 2 of 4.
    assert value(kpi) == "50.00"
    assert kpi["metric"]["inputs"] == {"on_time": "2", "due": "4"}
    late = [r for r in kpi["records"] if r.get("entity") == "ONTIME" and not r["on_time"]]
    assert [(r["as_of"], r["days"]) for r in late] == [("2025-03-03", 31)]
    missed = next(r for r in kpi["records"] if r["kind"] == "missed")
    assert (missed["entity"], missed["days"]) == ("LATE", 114)
    nofin = next(r for r in kpi["records"] if r["id"] == "NOFIN")
    assert nofin["reason"] == "no governance model in force: no cadence"


def test_status_on_time_without_a_model_is_not_measured(ws: Workspace) -> None:
    kpi = review(ws)["status_on_time"]

    assert value(kpi) is None
    assert kpi["reason"] == "no live project with a governance model"


def test_status_reports_through_ws_report_use_the_model_in_force(ws: Workspace) -> None:
    doc = json.loads(ws.report("pmo-review", format="json", options=PERIOD).content)
    kpi = next(k for k in doc["kpis"] if k["name"] == "status_on_time")

    # The built-in neutral model asks for a report at least every 90 days (tier 3).
    assert kpi["measured"] is True
    assert {r.get("cadence_days") for r in kpi["records"] if r["kind"] == "missed"} == {90}


def test_forecast_error_is_the_first_forecast_against_the_final_cost(ws: Workspace) -> None:
    kpi = review(ws)["forecast_error"]

    assert value(kpi) == "11.11"
    (row,) = kpi["records"]
    assert (row["id"], row["forecast_eac"], row["final_ac"]) == ("CLOSED", "1000", "900.00")


def test_request_to_decision(ws: Workspace) -> None:
    title = "Gate review requested: g2 (scoping -> build)"
    ws.add_many([
        RaidItem(entity="ONTIME", type="action", title=title, raised_on=date(2025, 2, 1),
                 status="closed", closed_on=date(2025, 2, 11)),
        RaidItem(entity="LATE", type="action", title=title, raised_on=date(2025, 3, 1),
                 status="closed", closed_on=date(2025, 3, 4)),
        RaidItem(entity="LATE", type="action", title=title, raised_on=date(2024, 12, 1),
                 status="closed", closed_on=date(2024, 12, 20)),
        RaidItem(entity="LATE", type="action", title="Order laptops", raised_on=date(2025, 2, 1),
                 status="closed", closed_on=date(2025, 3, 1)),
    ])  # fmt: skip

    kpi = review(ws)["request_to_decision"]

    assert value(kpi) == "6.50"  # (10 + 3) / 2; December's and the non-gate action left out
    assert kpi["metric"]["inputs"] == {"requests": "2", "total_days": "13"}
    assert sorted(r["days"] for r in kpi["records"]) == [3, 10]


def test_value_cost_and_roi(ws: Workspace) -> None:
    ws.add_pmo_cost("36500 EUR", start=date(2025, 1, 1), end=date(2025, 12, 31))
    ws.add_pmo_cost("9999 EUR", start=date(2024, 1, 1), end=date(2024, 12, 31))

    kpis = review(ws)

    assert value(kpis["killed_budget_saved"]) == "700.00"  # 1000 - 300
    # KILLED 1400 - 1000 = 400; LATE's overrun fell from 200 to 0.01: 199.99.
    assert value(kpis["overrun_avoided"]) == "599.99"
    assert {r["id"]: r["avoided"] for r in kpis["overrun_avoided"]["records"]} == {
        "KILLED": "400.00",
        "LATE": "199.99",
    }
    assert value(kpis["evidenced_value"]) == "1299.99"
    # 36,500 x 115 / 365 days of 2025 in the period; 2024's cost is outside it.
    assert value(kpis["pmo_cost"]) == "11500.00"
    (cost,) = kpis["pmo_cost"]["records"]
    assert (cost["days_in_period"], cost["days"]) == (115, 365)
    assert value(kpis["pmo_roi"]) == "0.1130"  # 1299.99 / 11500
    assert kpis["pmo_roi"]["metric"]["inputs"] == {
        "evidenced_value": "1299.99",
        "pmo_cost": "11500.00",
    }


def test_roi_without_cost_is_not_measured_never_zero(ws: Workspace) -> None:
    kpis = review(ws)

    assert value(kpis["pmo_cost"]) is None
    assert "pmo office-cost add" in kpis["pmo_cost"]["reason"]
    assert value(kpis["pmo_roi"]) is None
    assert kpis["pmo_roi"]["reason"].startswith("pmo_cost not measured")


def test_roi_with_a_zero_cost_is_not_measured(ws: Workspace) -> None:
    ws.add_pmo_cost("0 EUR", start=date(2025, 1, 1), end=date(2025, 1, 31))

    kpis = review(ws)

    assert value(kpis["pmo_cost"]) == "0.00"
    assert kpis["pmo_roi"]["reason"] == "the PMO cost is zero"


def test_satisfaction_in_the_period(ws: Workspace) -> None:
    ws.record_survey([
        {"on": date(2025, 1, 10), "group": "sponsors", "score": 4},
        {"on": date(2025, 2, 10), "group": "sponsors", "score": 5},
        {"on": date(2025, 2, 11), "group": "project managers", "score": 2},
        {"on": date(2024, 12, 1), "group": "sponsors", "score": 1},
    ])  # fmt: skip

    kpis = review(ws)
    doc = kpis["satisfaction"]["doc"]

    assert value(kpis["satisfaction"]) == "3.67"  # (4 + 5 + 2) / 3
    assert doc["satisfaction"]["group"] == [
        {"group": "project managers", "period": None, "responses": 1, "mean": "2.00"},
        {"group": "sponsors", "period": None, "responses": 2, "mean": "4.50"},
    ]
    assert [m["period"] for m in doc["satisfaction"]["month"]] == ["2025-01", "2025-02"]


# ---------------------------------------------------------------------------- currencies


@pytest.fixture
def with_usd(ws: Workspace) -> Workspace:
    """KILLUSD (USD) killed on 1 March: BAC 500, AC 100 -> 400 USD saved."""
    ws.create("project", id="KILLUSD", name="US kill", parent="PF", currency="USD")
    ws.add(
        WorkItem(
            project="KILLUSD",
            subject="U1",
            budget="500 USD",
            percent_complete=20,
            start=JAN1,
            due=JAN31,
            actual_cost="100 USD",
            progress=(ProgressPoint(on=JAN31, percent=20, actual_cost="100 USD"),),
        )
    )
    ws.change_lifecycle("KILLUSD", "killed", approvers=[], comment="x", on=date(2025, 3, 1))
    return ws


def test_two_currencies_are_never_mixed(with_usd: Workspace) -> None:
    kpis = review(with_usd)

    saved = kpis["killed_budget_saved"]
    assert value(saved) is None
    assert saved["reason"].startswith("amounts in USD and no rate to EUR")
    assert value(kpis["evidenced_value"]) is None
    assert value(kpis["pmo_roi"]) is None


def test_a_given_rate_converts_explicitly(with_usd: Workspace) -> None:
    kpis = review(with_usd, rates="USD:0.5")

    saved = kpis["killed_budget_saved"]
    assert value(saved) == "900.00"  # 700 EUR + 400 USD x 0.5
    usd = next(r for r in saved["records"] if r["id"] == "KILLUSD")
    assert usd["conversion"] == "400.00 USD x 0.5 = 200.00 EUR"
    assert saved["doc"]["rates"] == {"USD": "0.5"}


def test_the_report_currency_can_be_chosen(with_usd: Workspace) -> None:
    kpis = review(with_usd, currency="USD", rates="EUR:2")

    assert value(kpis["killed_budget_saved"]) == "1800.00"  # 700 x 2 + 400
    assert kpis["killed_budget_saved"]["metric"]["unit"] == "USD"


# ---------------------------------------------------------------------------- empty, options


def test_an_empty_pmo_measures_nothing_and_says_why() -> None:
    with Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: TODAY) as empty:
        kpis = review(empty)

    assert all(value(k) is None for k in kpis.values())
    assert all(k["reason"] for k in kpis.values())
    assert all(k["metric"]["formula"] for k in kpis.values())
    assert kpis["on_time"]["reason"] == "no reviewed project"
    assert kpis["gate_compliance"]["reason"] == "no gate decision in the period"


@pytest.mark.parametrize(
    ("options", "where", "words"),
    [
        ({"period": "q1"}, "--option period", "(it takes: currency, from, rates, to)"),
        ({"from": "2025-13-01"}, "--option from", "not a date"),
        ({"from": "2025-04-02", "to": "2025-04-01"}, "--option to", "is before"),
        ({"currency": "EURO"}, "--option currency", "not a currency"),
        ({"rates": "USD=0.9"}, "--option rates", "CODE:RATE"),
        ({"rates": "USD:-1"}, "--option rates", "CODE:RATE"),
    ],
)
def test_bad_options_are_named(
    ws: Workspace, options: dict[str, str], where: str, words: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        ws.report("pmo-review", format="json", options=options)

    assert caught.value.where == where
    assert words in caught.value.message


def test_the_default_period_is_the_year_to_the_status_date(ws: Workspace) -> None:
    doc = json.loads(ws.report("pmo-review", format="json").content)

    assert doc["period"] == {"from": "2025-01-01", "to": "2025-04-25"}


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "xlsx"])
def test_every_format_renders(ws: Workspace, fmt: str) -> None:
    out = ws.report("pmo-review", format=fmt, options=PERIOD)

    assert out.content
    assert {m.name for m in out.metrics} >= {"on_time", "pmo_roi"}
    if fmt == "md":
        text = str(out.content)
        assert text.startswith("# PMO review 2025-01-01 to 2025-04-25")
        assert "| Projects on time | 66.67 % |" in text
        assert "## Not measured" in text
    if fmt == "html":
        assert "<script" not in str(out.content)


def test_metric_values_are_decimals(ws: Workspace) -> None:
    out = ws.report("pmo-review", format="json", options=PERIOD)

    on_time = next(m for m in out.metrics if m.name == "on_time")
    assert on_time.value == Decimal("66.67")


# ---------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("last", "missed"), [(date(2025, 3, 26), False), (date(2025, 3, 25), True)]
)
def test_a_cadence_runs_out_one_day_after_its_length(
    ws: Workspace, last: date, missed: bool
) -> None:
    # 25 April is 30 days after 26 March (not missed) and 31 after 25 March (missed).
    ws.add(StatusReport(entity="ONTIME", as_of=last, overall="green", author="kim"))

    kpi = review(ws, lambda e: MODEL if e.id == "ONTIME" else None)["status_on_time"]

    gaps = [r for r in kpi["records"] if r.get("entity") == "ONTIME"]
    assert [r["kind"] for r in gaps] == ["status_report"] + (["missed"] if missed else [])
    # The report itself came more than 30 days after 1 January: late either way.
    assert kpi["metric"]["inputs"] == {"on_time": "0", "due": "2" if missed else "1"}


@pytest.mark.parametrize(
    ("start", "end", "share"),
    [
        (date(2024, 12, 31), date(2025, 1, 1), "50.00"),  # one of two days in the period
        (date(2024, 12, 30), date(2024, 12, 31), None),  # ends the day before the period
        (date(2025, 4, 25), date(2025, 4, 26), "50.00"),  # starts on the period's last day
        (date(2025, 4, 26), date(2025, 4, 30), None),  # starts the day after
    ],
)
def test_a_pmo_cost_counts_the_days_it_shares_with_the_period(
    ws: Workspace, start: date, end: date, share: str | None
) -> None:
    ws.add_pmo_cost("100 EUR", start=start, end=end)

    kpi = review(ws)["pmo_cost"]

    assert value(kpi) == share
    if share is None:
        assert kpi["reason"].startswith("no PMO cost recorded for the period")


@pytest.mark.parametrize(
    ("killed_on", "counted"),
    [(date(2025, 1, 1), True), (date(2024, 12, 31), False), (TODAY, True)],
)
def test_a_project_killed_on_the_period_boundary(
    ws: Workspace, killed_on: date, counted: bool
) -> None:
    ws.create("project", id="EDGE", name="Edge", parent="PF")
    ws.add(item("EDGE", "E1", 100, 0, JAN1, JAN31, None))
    ws.change_lifecycle("EDGE", "killed", approvers=[], comment="x", on=killed_on)

    doc = review(ws)["on_time"]["doc"]

    assert ("EDGE" in doc["projects"]["killed"]) is counted
