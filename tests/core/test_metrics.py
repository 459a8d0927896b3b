"""The metrics service: EV methods at their boundaries, the dated progress history, the
baseline in force, AC's source, the EAC preference, currencies, and the series."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pmo_core import (
    Baseline,
    BaselineItem,
    CostEntry,
    Forecast,
    InvalidInputError,
    MetricsTable,
    ProgressPoint,
    WorkItem,
    Workspace,
    WorkspaceConfig,
    measure_project,
    measure_scope,
)
from pmo_core._ev_methods import (
    earned,
    ev_0_100,
    ev_50_50,
    ev_level_of_effort,
    ev_percent_complete,
    ev_points,
    ev_weighted_milestones,
)
from pmo_core._metrics_series import period_ends

D = Decimal
B = D(1000)
S = date(2025, 3, 2)
JAN1 = date(2025, 1, 1)
EDGES = [D(0), D("0.01"), D("99.99"), D(100)]


# ------------------------------------------------------------------------- EV methods


def test_percent_complete_at_every_boundary() -> None:
    assert [ev_percent_complete(B, p) for p in EDGES] == [0, D("0.1"), D("999.9"), B]


def test_0_100_earns_only_when_done() -> None:
    assert [ev_0_100(B, p) for p in EDGES] == [0, 0, 0, B]


def test_50_50_earns_half_once_started() -> None:
    assert [ev_50_50(B, p) for p in EDGES] == [0, D(500), D(500), B]


def test_level_of_effort_earns_its_planned_value() -> None:
    assert ev_level_of_effort(D("123.45")) == D("123.45")
    assert earned("level_of_effort", B, D(100), planned_value=D(7)) == 7  # not B


def test_weighted_milestones_weigh_children_by_points_unset_as_one() -> None:
    kids = [(None, D(100)), (D(2), D(100)), (D(3), D("99.99"))]
    assert ev_weighted_milestones(B, D(0), kids) == B * 3 / 6
    assert ev_weighted_milestones(B, D(0), [(None, D(100)), (None, D(0))]) == D(500)
    # Without children (or weighing nothing) the item earns like 0/100.
    assert [ev_weighted_milestones(B, p, []) for p in EDGES] == [0, 0, 0, B]
    assert ev_weighted_milestones(B, D(100), [(D(0), D(0))]) == B


def test_points_count_done_childrens_points_unset_as_zero() -> None:
    kids = [(D(5), D(100)), (D(3), D(100)), (D(10), D("99.99")), (None, D(100))]
    assert ev_points(B, D(0), kids) == B * 8 / 18
    assert [ev_points(B, p, []) for p in EDGES] == [0, 0, 0, B]  # a story: done or not
    assert ev_points(B, D(100), [(None, D(0))]) == B  # children without points: the story's


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown EV method 'earned_somehow'"):
        earned("earned_somehow", B, D(0))


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("percent_complete", D(400)),
        ("0/100", D(0)),
        ("50/50", D(500)),
        ("level_of_effort", D(300)),  # its PV: day 60 of 200
        ("weighted_milestones", D(0)),
        ("points", D(0)),
    ],
)
def test_each_item_earns_by_its_own_method(method: str, expected: Decimal) -> None:
    ws = Workspace.in_memory(today=lambda: S)
    ws.create("project", id="P", name="P")
    # 1000 over Jan 1 to Jul 20 (200 days): on day 60 its PV is 300.
    item = ws.add_work_item(
        "P", "x", ev_method=method, budget="1000 EUR", start=JAN1, due=date(2025, 7, 20)
    )
    ws.record_progress(item.id, 40)
    assert measure_project(ws.view(), "P").value("ev") == expected


# -------------------------------------------------------------------- progress history


@pytest.fixture
def ws() -> Workspace:
    workspace = Workspace.in_memory(today=lambda: S)
    workspace.create("project", id="P", name="P", budget="1000 EUR")
    return workspace


def _item(ws: Workspace, **fields: Any) -> WorkItem:
    return ws.add_work_item(
        "P", "W", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31), **fields
    )


def test_progress_is_kept_by_day(ws: Workspace) -> None:
    item = _item(ws)
    assert item.progress == ()  # nothing reported yet: no point
    ws.record_progress(item.id, 20, actual_cost="100 EUR", on=date(2025, 1, 10))
    ws.record_progress(item.id, 50, actual_cost="400 EUR", on=date(2025, 1, 20))
    ws.record_progress(item.id, 60, on=date(2025, 1, 20))  # the day's later report wins
    stored = ws.work_item(item.id)
    assert [(p.on, p.percent, str(p.actual_cost)) for p in stored.progress] == [
        (date(2025, 1, 10), 20, "100 EUR"),
        (date(2025, 1, 20), 60, "400 EUR"),  # the cost carried: not reported again
    ]
    assert (stored.percent_complete, str(stored.actual_cost)) == (60, "400 EUR")

    def at(day: date) -> tuple[Any, Any]:
        m = measure_project(ws.view(), "P", status_date=day)
        return m.value("ev"), m.value("ac")

    assert at(date(2025, 1, 9)) == (D("0.00"), D("0.00"))  # before the first point
    assert at(date(2025, 1, 10)) == (D("200.00"), D("100.00"))
    assert at(date(2025, 1, 19)) == (D("200.00"), D("100.00"))
    assert at(date(2025, 1, 20)) == (D("600.00"), D("400.00"))


def test_a_late_report_corrects_the_history_only(ws: Workspace) -> None:
    item = _item(ws)
    ws.record_progress(item.id, 50, actual_cost="500 EUR", remaining=10)
    ws.record_progress(item.id, 30, on=date(2025, 1, 31))
    stored = ws.work_item(item.id)
    assert (stored.percent_complete, stored.remaining, stored.status) == (50, 10, "in_progress")
    assert [p.on for p in stored.progress] == [date(2025, 1, 31), S]
    with pytest.raises(InvalidInputError, match="hours remaining are today's") as err:
        ws.record_progress(item.id, 40, remaining=5, on=date(2025, 1, 31))
    assert err.value.where == "remaining"
    # Lower than the point in force on that day: a correction, with a comment.
    with pytest.raises(InvalidInputError, match=r"below the 30% of work item \w+ on 2025-01-31"):
        ws.record_progress(item.id, 10, on=date(2025, 1, 31))
    ws.record_progress(item.id, 10, on=date(2025, 1, 31), comment="Over-reported")
    assert ws.work_item(item.id).corrections[-1].on == date(2025, 1, 31)


def test_progress_cannot_be_reported_after_the_status_date(ws: Workspace) -> None:
    item = _item(ws)
    with pytest.raises(InvalidInputError, match="after the status date") as err:
        ws.record_progress(item.id, 10, on=date(2025, 3, 3))
    assert err.value.where == "on"
    assert ws.work_item(item.id).progress == ()


def test_every_write_of_progress_adds_the_days_point(ws: Workspace) -> None:
    added = _item(ws, percent_complete=25, actual_cost="10 EUR")
    assert [(p.on, p.percent) for p in added.progress] == [(S, 25)]
    replaced = ws.replace(added.replace(percent_complete=35))
    assert [(p.on, p.percent, str(p.actual_cost)) for p in replaced.progress] == [(S, 35, "10 EUR")]
    # A write that leaves progress alone adds nothing.
    assert ws.replace(replaced.replace(subject="Renamed")).progress == replaced.progress
    # A caller that writes its own history keeps it.
    own = (ProgressPoint(on=JAN1, percent=5),)
    assert ws.replace(ws.work_item(added.id).replace(progress=own)).progress == own


def test_the_history_is_one_point_per_day_in_order() -> None:
    with pytest.raises(ValueError, match="one point per day, by day"):
        WorkItem(
            project="P",
            subject="x",
            progress=[ProgressPoint(on=S, percent=1), ProgressPoint(on=S, percent=2)],
        )
    with pytest.raises(ValueError, match="actual cost of 2025-03-02 is in USD, not EUR"):
        WorkItem(
            project="P",
            subject="x",
            budget="1 EUR",
            progress=[ProgressPoint(on=S, percent=1, actual_cost="1 USD")],
        )


def test_an_item_without_history_uses_its_stored_progress(ws: Workspace) -> None:
    item = WorkItem(project="P", subject="Old", budget="1000 EUR", start=JAN1,
                    due=date(2025, 1, 31), percent_complete=40, actual_cost="300 EUR")  # fmt: skip
    with ws.transaction("old data") as tx:  # written as an older version would have
        tx.insert(item.store_kind, item.id, item.to_document(), owner="P")
    m = measure_project(ws.view(), "P", status_date=JAN1)
    assert (m.value("ev"), m.value("ac")) == (D("400.00"), D("300.00"))


# ----------------------------------------------------------------------- the basis


def _baselined(ws: Workspace, item: WorkItem, number: int, taken: date, cost: str) -> None:
    ws.add(
        Baseline(
            project="P", number=number, taken_on=taken, cost=cost,
            items=[BaselineItem(work_item=item.id, planned_start=JAN1,
                                planned_finish=date(2025, 1, 31), cost=cost)],
        )
    )  # fmt: skip


def test_the_baseline_in_force_is_the_latest_by_day_then_number(ws: Workspace) -> None:
    item = _item(ws)
    _baselined(ws, item, 2, date(2025, 1, 10), "200 EUR")
    _baselined(ws, item, 1, date(2025, 1, 20), "100 EUR")
    _baselined(ws, item, 3, date(2025, 1, 20), "300 EUR")
    _baselined(ws, item, 4, date(2025, 3, 3), "400 EUR")  # after S: not yet in force
    assert measure_project(ws.view(), "P").value("bac") == D("300.00")
    assert measure_project(ws.view(), "P", status_date=date(2025, 1, 15)).basis == (
        "baseline 2 of 2025-01-10 (the latest on or before 2025-01-15)"
    )
    fixed = MetricsTable(baseline=1)
    m = measure_project(ws.view(), "P", config=fixed)
    assert (m.value("bac"), m.basis) == (
        D("100.00"),
        "baseline 1 of 2025-01-20 ([metrics] baseline)",
    )
    later = measure_project(ws.view(), "P", config=MetricsTable(baseline=4))
    assert later.basis == "current plan, baseline 4 ([metrics] baseline) not taken by 2025-03-02"
    assert later.value("bac") == D("1000.00")
    early = measure_project(ws.view(), "P", status_date=date(2025, 1, 9))
    assert early.basis == "current plan, no baseline on or before 2025-01-09"
    assert early.metric("pv").source.startswith("basis: current plan, no baseline on or")


def test_the_config_sets_the_basis_for_every_reader(tmp_path: Path) -> None:
    config = WorkspaceConfig.from_dict(
        tmp_path, {"workspace": {"store": "memory://"}, "metrics": {"baseline": 1}}
    )
    ws = Workspace(config, today=lambda: S)
    ws.create("project", id="P", name="P")
    item = _item(ws)
    _baselined(ws, item, 1, date(2025, 1, 1), "100 EUR")
    _baselined(ws, item, 2, date(2025, 1, 2), "200 EUR")
    assert ws.view().metrics_config == MetricsTable(baseline=1)
    assert ws.metrics("P").value("bac") == D("100.00")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"baseline": 11}, "metrics.baseline: must be 'latest' or a baseline number 0..10"),
        ({"baseline": "first"}, "must be 'latest' or a baseline number 0..10, got 'first'"),
        ({"eac": []}, "metrics.eac: name at least one EAC variant"),
        ({"eac": ["cpi", "cpi"]}, "cpi listed more than once"),
        ({"eac": ["guess"]}, "metrics.eac.0 must be one of"),
        ({"colour": "red"}, "unknown key colour in [metrics]"),
    ],
)
def test_a_bad_metrics_table_is_refused(tmp_path: Path, table: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        WorkspaceConfig.from_dict(tmp_path, {"metrics": table})
    assert message in str(err.value)


# ----------------------------------------------------------------------- AC and EAC


def test_the_eac_follows_the_preference_list(ws: Workspace) -> None:
    item = _item(ws)
    ws.record_progress(item.id, 50, actual_cost="800 EUR")  # CPI 500/800, SPI 500/1000
    ws.add(Forecast(project="P", as_of=S, eac="1100 EUR"))

    def eac(*rule: str) -> tuple[Any, Any, Any]:
        metric = measure_project(ws.view(), "P", config=MetricsTable(eac=rule)).metric("eac")
        return metric.value, metric.inputs["variant"], metric.formula

    assert eac("bottom_up", "cpi") == (D("1100.00"), "bottom_up", "EAC_bottom_up")
    assert eac("cpi") == (D("1600.00"), "cpi", "BAC / CPI")  # 1000 / (500/800)
    assert eac("atypical") == (D("1300.00"), "atypical", "AC + (BAC - EV)")
    # 800 + 500 / (0.625 x 0.5) = 800 + 1600
    assert eac("cpi_spi", "cpi") == (D("2400.00"), "cpi_spi", "AC + (BAC - EV) / (CPI * SPI)")


def test_nothing_earned_but_cost_booked_is_no_cpi_eac(ws: Workspace) -> None:
    item = _item(ws)
    ws.record_progress(item.id, 0, actual_cost="300 EUR")
    m = measure_project(ws.view(), "P")
    assert (m.value("eac_cpi"), m.value("eac")) == (None, None)
    assert m.metric("eac").inputs["variant"] == "none defined of bottom_up, cpi"
    # The preference list falls through to the next defined variant.
    fallback = measure_project(ws.view(), "P", config=MetricsTable(eac=("cpi", "atypical")))
    assert (fallback.value("eac"), fallback.metric("eac").inputs["variant"]) == (
        D("1300.00"),
        "atypical",
    )


def test_another_currency_is_never_summed(ws: Workspace) -> None:
    _item(ws, percent_complete=50)
    with pytest.raises(InvalidInputError, match="is in USD but project P is kept in EUR"):
        ws.add_cost("P", "10 USD", on=S)
    with ws.transaction("foreign records") as tx:  # as an import of old data might hold them
        for record in (
            CostEntry(project="P", incurred_on=S, amount="999 USD"),
            Forecast(project="P", as_of=S, eac="5000 USD"),
        ):
            tx.insert(record.store_kind, record.id, record.to_document(), owner="P")
    m = measure_project(ws.view(), "P")
    # AC would come from the cost entries, one of which is in USD: unmeasured, not summed.
    assert not m.measured
    assert m.note == "cost entries are in USD but the project is in EUR"
    assert m.value("ac") is None
    assert "the forecast of 2025-03-02 is in USD but the project is in EUR" in m.conflicts
    assert "eac_bottom_up" not in [x.name for x in m.metrics]
    # Once the items carry the actual cost, the entries are not read: measured, no USD in it.
    ws.record_progress(ws.work_items("P")[0].id, 50, actual_cost="400 EUR")
    m = measure_project(ws.view(), "P")
    assert (m.measured, m.value("ac"), m.metric("eac").inputs["variant"]) == (
        True,
        D("400.00"),
        "cpi",
    )
    scope = measure_scope(ws.view())
    assert scope.included == ("P",)


def test_a_project_in_another_currency_stays_out_of_the_totals(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="PF")
    ws.update("P", parent="PF")
    ws.create("project", id="US", name="US", parent="PF", currency="USD")
    _item(ws, percent_complete=50)
    ws.add_work_item("US", "u", budget="9000 USD", start=JAN1, due=date(2025, 1, 31))
    scope = measure_scope(ws.view(), "PF")
    assert scope.excluded == (("US", "in USD; totals are in EUR"),)
    assert scope.totals.value("bac") == D("1000.00")


def test_a_scope_lets_each_projects_work_items_go_unless_a_series_needs_them(
    ws: Workspace,
) -> None:
    # A project's basis holds all its work items: a portfolio of a million would be held
    # whole until the report is done. Only the series reads them again.
    _item(ws, percent_complete=50)
    (row,) = measure_scope(ws.view()).rows
    assert row.figures.bases == ()
    assert row.figures.value("ev") == D("500.00")
    weekly = measure_scope(ws.view(), series="week")
    (kept,) = weekly.rows
    assert [b.project.id for b in kept.figures.bases] == ["P"]
    assert weekly.totals.series


@pytest.mark.parametrize(
    ("reported", "flagged"),
    [("green", True), ("amber", True), ("red", False), (None, False)],
)
def test_a_scope_row_is_a_watermelon_when_reported_better_than_red(
    ws: Workspace, reported: str | None, flagged: bool
) -> None:
    # January is over and nothing is earned: SPI 0, red.
    _item(ws, percent_complete=0)
    (row,) = measure_scope(ws.view()).rows
    assert row.figures.overall == "red"
    assert replace(row, reported=reported).watermelon is flagged


def test_a_scope_row_reported_green_over_amber_is_a_watermelon(ws: Workspace) -> None:
    # PV 1000, EV 920: SPI 0.92 (amber); AC 920: CPI 1.0 (green); overall amber.
    _item(ws, percent_complete=92, actual_cost="920 EUR")
    (row,) = measure_scope(ws.view()).rows
    assert row.figures.overall == "amber"
    assert replace(row, reported="green").watermelon
    assert not replace(row, reported="amber").watermelon


# ---------------------------------------------------------------------------- series


def test_period_ends() -> None:
    assert list(period_ends(date(2025, 1, 15), date(2025, 3, 1), "month")) == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
    ]
    assert list(period_ends(date(2025, 12, 3), date(2025, 12, 31), "month")) == [date(2025, 12, 31)]
    # Weeks end on Sundays: 2025-01-01 is a Wednesday.
    assert list(period_ends(JAN1, date(2025, 1, 13), "week")) == [
        date(2025, 1, 5),
        date(2025, 1, 12),
        date(2025, 1, 19),
    ]


def test_the_series_runs_from_the_start_to_the_later_of_status_date_and_finish(
    ws: Workspace,
) -> None:
    item = _item(ws)
    ws.record_progress(item.id, 40, actual_cost="500 EUR", on=date(2025, 1, 15))
    line = BaselineItem(
        work_item=item.id, planned_start=JAN1, planned_finish=date(2025, 1, 31), cost="800 EUR"
    )
    ws.add(Baseline(project="P", number=0, taken_on=JAN1, cost="1000 EUR", items=[line]))
    m = measure_project(ws.view(), "P", status_date=date(2025, 1, 20), series="week")
    assert m.series is not None
    rows = [(p.period_end, p.pv, p.pv_current, p.ev, p.ac) for p in m.series]
    assert rows == [
        # PV = 800 x 4/30 (Jan 1 to Jan 5) and 1000 x 4/30 on the current plan
        (date(2025, 1, 5), D("106.67"), D("133.33"), D("0.00"), D("0.00")),
        (date(2025, 1, 12), D("293.33"), D("366.67"), D("0.00"), D("0.00")),
        # 40 % of the baselined 800 from Jan 15
        (date(2025, 1, 19), D("480.00"), D("600.00"), D("320.00"), D("500.00")),
        (date(2025, 1, 26), D("666.67"), D("833.33"), None, None),  # after the status date
        (date(2025, 2, 2), D("800.00"), D("1000.00"), None, None),
    ]
    with pytest.raises(InvalidInputError, match="by week or month, not 'day'"):
        measure_project(ws.view(), "P", series="day")  # type: ignore[arg-type]
