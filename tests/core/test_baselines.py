"""Baselines: what a baseline freezes, change control over re-baselining, and comparisons of
scope, schedule and cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from plan_control_support import TODAY, MakeWorkspace, make

from pmo_core import (
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    Money,
    NotFoundError,
    WorkItem,
    Workspace,
)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


@pytest.fixture
def light(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory, model="light")


def _work(ws: Workspace) -> list[WorkItem]:
    return ws.add_many(
        [
            WorkItem(project="ALPHA", subject="Design", start=date(2025, 1, 6),
                     due=date(2025, 3, 28), work=400, budget="60000 EUR"),
            WorkItem(project="ALPHA", subject="Build", start=date(2025, 3, 31),
                     due=date(2025, 10, 31), work=1600, budget="150000 EUR"),
            WorkItem(project="ALPHA", subject="Training"),
        ]
    )  # fmt: skip


def test_baseline_0_freezes_dates_budget_and_every_work_item(ws: Workspace) -> None:
    design, build, training = _work(ws)

    baseline = ws.take_baseline("ALPHA", name="Approved at gate 3")

    assert (baseline.number, baseline.name, baseline.taken_on) == (0, "Approved at gate 3", TODAY)
    assert (baseline.planned_start, baseline.planned_finish) == (
        date(2025, 1, 6),
        date(2025, 12, 19),
    )
    assert baseline.cost == Money.parse("250000 EUR")
    assert baseline.work == 2000
    by_id = {i.work_item: i for i in baseline.items}
    assert set(by_id) == {design.id, build.id, training.id}
    item = by_id[build.id]
    assert (item.subject, item.planned_start, item.planned_finish, item.work, item.cost) == (
        "Build",
        date(2025, 3, 31),
        date(2025, 10, 31),
        1600,
        Money.parse("150000 EUR"),
    )
    assert by_id[training.id].cost is None
    [entry] = ws.journal(kind="baseline")
    assert entry.actor == "tester"


def test_under_change_control_a_re_baseline_needs_a_change_request(ws: Workspace) -> None:
    ws.take_baseline("ALPHA")
    before = len(ws.journal())

    with pytest.raises(GovernanceBlockedError, match=r"'pmo change raise ALPHA"):
        ws.take_baseline("ALPHA")

    assert len(ws.journal()) == before
    assert [b.number for b in ws.baselines("ALPHA")] == [0]


def test_where_changes_are_recorded_re_baselining_is_free(light: Workspace) -> None:
    light.take_baseline("ALPHA")
    light.update("ALPHA", budget="260000 EUR")
    again = light.take_baseline("ALPHA", name="After the budget rise")

    assert again.number == 1
    assert again.cost == Money.parse("260000 EUR")
    assert [b.number for b in light.baselines("ALPHA")] == [0, 1]
    assert light.baseline("ALPHA").number == 1  # the latest is the one in force
    assert light.baseline("ALPHA", 0).cost == Money.parse("250000 EUR")


def test_a_project_keeps_at_most_eleven_baselines(light: Workspace) -> None:
    for _ in range(11):
        light.take_baseline("ALPHA")
    with pytest.raises(ConflictError, match="at most 11"):
        light.take_baseline("ALPHA")


@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        ("NOPE", NotFoundError, "'NOPE'"),
        ("PF", InvalidInputError, "PF is a portfolio: baselines are taken of projects"),
    ],
)
def test_only_projects_have_baselines(
    ws: Workspace, key: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ws.take_baseline(key)


def test_a_project_without_budget_cannot_be_baselined(ws: Workspace) -> None:
    ws.create("project", id="BETA", name="Beta", parent="PF")
    with pytest.raises(InvalidInputError, match="BETA has no budget"):
        ws.take_baseline("BETA")
    assert ws.journal(kind="baseline") == []


def test_a_work_item_in_another_currency_is_refused(ws: Workspace) -> None:
    ws.add(WorkItem(project="ALPHA", subject="Licences", budget="5000 USD"))
    with pytest.raises(InvalidInputError, match="budgeted in USD but ALPHA is in EUR"):
        ws.take_baseline("ALPHA")


def test_a_baseline_dated_after_the_status_date_is_refused(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="after the status date"):
        ws.take_baseline("ALPHA", on=date(2025, 6, 3))


def test_compare_with_the_current_plan_reports_scope_schedule_and_cost(light: Workspace) -> None:
    _design, build, training = _work(light)
    light.take_baseline("ALPHA")
    assert light.compare_baselines("ALPHA").unchanged

    light.update("ALPHA", budget="275000 EUR", planned_finish=date(2026, 1, 16))
    light.replace(build.replace(due=date(2025, 11, 28), work=1700, budget="165000 EUR"))
    with light.transaction("remove training") as tx:
        tx.delete("work_item", training.id, expected_version=training.version)
    added = light.add(WorkItem(project="ALPHA", subject="DR site", work=300))

    comparison = light.compare_baselines("ALPHA", 0)

    assert comparison.current
    assert comparison.after_label == "current plan"
    assert (comparison.start_days, comparison.finish_days) == (0, 28)
    assert comparison.cost_delta == Money.parse("25000 EUR")
    assert comparison.cost_fraction == Decimal("0.1")
    assert comparison.work_delta == 400
    assert [i.work_item for i in comparison.added] == [added.id]
    assert [(i.work_item, i.subject) for i in comparison.removed] == [(training.id, "Training")]
    [changed] = comparison.changed
    assert (changed.work_item, changed.finish_days, changed.work, changed.cost) == (
        build.id,
        28,
        100,
        Money.parse("15000 EUR"),
    )
    assert not comparison.unchanged
    data = comparison.as_dict()
    assert data["after"]["baseline"] is None
    assert data["schedule"] == {"start_days": 0, "finish_days": 28}
    assert data["cost"] == {"delta": {"amount": "25000", "currency": "EUR"}, "fraction": "0.1"}
    assert [i["subject"] for i in data["scope"]["removed"]] == ["Training"]


def test_compare_two_baselines(light: Workspace) -> None:
    light.take_baseline("ALPHA")
    light.update("ALPHA", budget="225000 EUR", planned_start=date(2025, 2, 3))
    light.take_baseline("ALPHA")

    comparison = light.compare_baselines("ALPHA", 0, 1)

    assert not comparison.current
    assert comparison.after_label == "baseline 1"
    assert comparison.start_days == 28
    assert comparison.cost_delta == Money.parse("-25000 EUR")
    assert comparison.as_dict()["after"]["baseline"] == 1


def test_compare_needs_baselines_that_exist(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="ALPHA has no baseline; take baseline 0"):
        ws.compare_baselines("ALPHA")
    ws.take_baseline("ALPHA")
    with pytest.raises(NotFoundError, match=r"no baseline 3 \(baselines: 0\)"):
        ws.compare_baselines("ALPHA", 0, 3)
