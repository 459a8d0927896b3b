"""Earned value when the project's currency moved after its figures were kept: every figure
kept in the old currency is a conflict the metrics name, and nothing is added across two
currencies (no EAC rather than a wrong one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from pmo_core import InvalidInputError, MetricsTable, Workspace, measure_scope

TODAY = date(2025, 3, 1)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(today=lambda: TODAY) as workspace:
        dates = {"planned_start": date(2025, 1, 1), "planned_finish": date(2025, 6, 30)}
        workspace.create("project", id="P", name="P", budget="1000 EUR", **dates)
        yield workspace


def test_a_baseline_kept_in_the_old_currency_is_a_conflict(ws: Workspace) -> None:
    ws.take_baseline("P")
    ws.update("P", budget="1100 USD", currency="USD")

    figures = ws.metrics("P")

    assert figures.conflicts == ("baseline 0 is in EUR but the project is in USD",)
    assert figures.value("eac") is None


def test_work_done_and_paid_in_the_old_currency_is_a_conflict(ws: Workspace) -> None:
    item = ws.add_work_item("P", "Build", start=date(2025, 1, 1), due=date(2025, 1, 31),
                            budget="1000 EUR")  # fmt: skip
    ws.record_progress(item.id, 50, actual_cost="300 EUR", on=date(2025, 1, 15))
    assert ws.metrics("P").value("ac") is not None
    ws.update("P", budget="1100 USD", currency="USD")

    figures = ws.metrics("P")

    assert figures.conflicts == ("work items are in EUR but the project is in USD",)
    # The 300 EUR spent is not read as 300 USD: no actual cost, no EAC.
    assert (figures.value("ac"), figures.value("eac")) == (None, None)


def test_a_whole_pmo_without_projects_measures_nothing_in_no_currency() -> None:
    with Workspace.in_memory(today=lambda: TODAY) as ws:
        ws.create("portfolio", id="PF", name="Empty")

        scope = measure_scope(ws.view())

        assert (scope.included, scope.excluded, scope.ended) == ((), (), ())
        assert scope.totals.currency == ""
        assert scope.totals.value("bac") is None


def test_an_ended_program_counts_with_its_final_figures_as_of_its_end(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="ERP", name="ERP", parent="PF")
    ws.update("P", parent="ERP")
    ws.add_work_item("P", "Build", start=date(2025, 1, 1), due=date(2025, 1, 31),
                     budget="1000 EUR")  # fmt: skip
    ws.change_lifecycle("ERP", "killed", comment="Merged elsewhere", on=date(2025, 2, 1))

    scope = measure_scope(ws.view(), "PF", config=MetricsTable())

    # The program and the project under it are out of the live totals, each listed with
    # its figures as of the kill (the whole plan was due by then).
    assert scope.included == ()
    assert [(e.member.entity.id, e.as_of, e.figures.value("bac")) for e in scope.ended] == [
        ("ERP", date(2025, 2, 1), Decimal("1000")),
        ("P", date(2025, 2, 1), Decimal("1000")),
    ]


def test_the_bac_says_which_work_items_the_baseline_and_the_plan_disagree_on(
    ws: Workspace,
) -> None:
    """One item added after the baseline (not in it: left out), one removed since (still in
    it): the BAC's source says both, and counts the baseline's."""
    dated = {"start": date(2025, 1, 1), "due": date(2025, 1, 31)}
    ws.add_work_item("P", "Build", budget="600 EUR", **dated)
    gone = ws.add_work_item("P", "Test", budget="400 EUR", **dated)
    ws.take_baseline("P")
    ws.add_work_item("P", "Extra", budget="50 EUR", **dated)
    with ws.transaction("removed here") as tx:
        doc = tx.get("work_item", gone.id)
        assert doc is not None
        tx.delete("work_item", gone.id, expected_version=doc.version)

    figures = ws.metrics("P")

    assert figures.value("bac") == Decimal("1000")
    source = figures.metric("bac").source
    assert "1 unbaselined work items left out (current plan only)" in source
    assert "1 removed since the baseline, still in it" in source


def test_a_metric_not_measured_is_a_key_error_naming_it(ws: Workspace) -> None:
    with pytest.raises(KeyError, match="'velocity'"):
        ws.metrics("P").metric("velocity")


def test_a_series_by_anything_but_week_or_month_is_refused_at_series(ws: Workspace) -> None:
    ws.add_work_item("P", "Build", budget="600 EUR", start=date(2025, 1, 1), due=date(2025, 1, 31))
    with pytest.raises(InvalidInputError) as caught:
        ws.metrics("P", series="day")  # type: ignore[arg-type]
    assert caught.value.where == "series"
    assert caught.value.message == "a series is by week or month, not 'day'"
