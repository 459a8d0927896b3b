"""Demand from plans (work items become allocations) and labour cost into the budget (monthly
budget lines of nature labour): figures by hand, running twice changes nothing, hand-entered
records stay as they are, bad input writes nothing.

Calendar of 2025: Monday 27 January to Friday 7 February is ten weekdays, five in each month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pmo_resources import (
    PlanDemand,
    allocate_from_plan,
    capacity_demand,
    is_from_plan,
    is_labour_line,
    labour_budget,
    labour_line_id,
    labour_to_budget,
    match_assignee,
    plan_allocation_id,
    plan_demand,
)
from resources_support import d

from pmo_core import (
    Allocation,
    Availability,
    BudgetLine,
    InvalidInputError,
    Money,
    NotFoundError,
    Rate,
    Resource,
    WorkItem,
    Workspace,
)


def item(ws: Workspace, subject: str, **fields: Any) -> WorkItem:
    return ws.add(WorkItem(project="ALPHA", subject=subject, **fields))


@pytest.fixture
def kim(ws: Workspace) -> Resource:
    ws.create("project", id="ALPHA", name="Alpha", budget="4000 EUR")
    return ws.add(
        Resource(
            name="Kim Lee",
            role="Developer",
            holidays=[d(1, 29)],  # a Wednesday inside the span
            rates=[
                Rate(effective_from=d(1, 1), per_hour="100 EUR"),
                Rate(effective_from=d(2, 3), per_hour="120 EUR"),  # Monday 3 February
            ],
        )
    )


def demand(ws: Workspace, month: str) -> str:
    cells = capacity_demand(ws.view(), d(1, 1), d(2, 28), project="ALPHA")
    return next(str(c.demand) for c in cells if c.month == month and c.role == "Developer")


def test_hours_spread_over_working_days_skipping_the_holiday(ws: Workspace, kim: Resource) -> None:
    work = item(ws, "Build", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=36)
    result = allocate_from_plan(ws, "ALPHA")
    [allocation] = result.allocations
    assert allocation.id == plan_allocation_id(work.id) == f"plan-{work.id}"
    assert (allocation.resource, allocation.start, allocation.finish, allocation.hours) == (
        kim.id,
        d(1, 27),
        d(2, 7),
        36,
    )
    assert result.unplaced == ()
    assert result.written.added == (allocation.id,)
    # Nine working days (the 29th is a holiday): 4 h a day; January 27, 28, 30, 31 = 16 h,
    # February 3 to 7 = 20 h.
    assert (demand(ws, "2025-01"), demand(ws, "2025-02")) == ("16.00", "20.00")
    assert [a.id for a in ws.view().records(Allocation) if is_from_plan(a)] == [allocation.id]


def test_part_time_scales_capacity_not_the_items_hours(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    ws.add(
        Resource(
            name="Cat",
            role="Analyst",
            availability=[Availability(effective_from=d(2, 1), fte=0.5)],
        )
    )
    item(ws, "Analyse", assignee="Cat", start=d(1, 27), due=d(2, 7), work=45)
    allocate_from_plan(ws, "ALPHA")
    cells = {c.month: c for c in capacity_demand(ws.view(), d(1, 1), d(2, 28))}
    # 45 h over ten working days: 4.5 h a day, 22.5 in each month. Capacity: January 23 days
    # x 8 h = 184; February 20 days x 8 h x 0.5 = 80.
    assert [(str(c.capacity), str(c.demand)) for c in cells.values()] == [
        ("184.00", "22.50"),
        ("80.00", "22.50"),
    ]


def test_boundary_days_one_day_item_and_month_edge(ws: Workspace, kim: Resource) -> None:
    item(ws, "One day", assignee="Kim Lee", start=d(1, 31), due=d(1, 31), work=8)
    item(ws, "Edge", assignee="Kim Lee", start=d(1, 31), due=d(2, 3), work=10)  # Fri, Mon
    allocate_from_plan(ws, "ALPHA")
    assert (demand(ws, "2025-01"), demand(ws, "2025-02")) == ("13.00", "5.00")
    # The rate of 3 February starts that day: 5 h at 120; January 13 h at 100.
    budget = labour_budget(ws.view(), "ALPHA")
    assert [(b.id, str(b.amount)) for b in budget.lines] == [
        ("labour-ALPHA-2025-01", "1300.00 EUR"),
        ("labour-ALPHA-2025-02", "600.00 EUR"),
    ]


def test_unplaced_items_by_id_with_their_reason(ws: Workspace, kim: Resource) -> None:
    ws.add(Resource(name="Sam", role="Tester"))
    ws.add(Resource(name="sam", role="Tester"))
    no_one = item(ws, "No one", start=d(1, 27), due=d(1, 31), work=8)
    unknown = item(ws, "Unknown", assignee="Zed", start=d(1, 27), due=d(1, 31), work=8)
    twice = item(ws, "Twice", assignee="Sam", start=d(1, 27), due=d(1, 31), work=8)
    undated = item(ws, "Undated", assignee="Kim Lee", start=d(1, 27), work=8)
    no_work = item(ws, "No work", assignee="Kim Lee", start=d(1, 27), due=d(1, 31), work=0)
    no_hours = item(ws, "No hours", assignee="Kim Lee", start=d(1, 27), due=d(1, 31))
    weekend = item(ws, "Weekend", assignee="Kim Lee", start=d(2, 1), due=d(2, 2), work=4)
    holiday = item(ws, "Holiday", assignee="Kim Lee", start=d(1, 29), due=d(1, 29), work=4)
    result = allocate_from_plan(ws, "ALPHA")
    assert result.allocations == ()
    assert sorted((u.item, u.reason) for u in result.unplaced) == sorted(
        [
            (no_one.id, "no assignee"),
            (unknown.id, "unknown assignee"),
            (twice.id, "ambiguous assignee"),
            (undated.id, "no dates"),
            (no_work.id, "no work"),
            (no_hours.id, "no work"),
            (weekend.id, "no working day"),
            (holiday.id, "no working day"),
        ]
    )
    assert ws.view().records(Allocation) == []


def test_assignee_rule_id_name_without_case_then_role_placeholder(
    ws: Workspace, kim: Resource
) -> None:
    pool = [kim, ws.add(Resource(name="Dev pool", kind="role", role="Developer"))]
    assert match_assignee(pool, kim.id) == [kim]
    assert match_assignee(pool, "KIM LEE") == [kim]
    assert [r.name for r in match_assignee(pool, "developer")] == ["Dev pool"]
    # A person is never picked for a role name: without a placeholder it is unknown.
    assert match_assignee([kim], "Developer") == []
    assert match_assignee(pool, "Kim") == []


def test_summary_items_give_no_allocation(ws: Workspace, kim: Resource) -> None:
    parent = item(ws, "Phase", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=80)
    child = item(ws, "Task", assignee="Kim Lee", start=d(1, 27), due=d(1, 31), work=8,
                 parent=parent.id)  # fmt: skip
    result = plan_demand(ws.view(), "ALPHA")
    assert [a.id for a in result.allocations] == [plan_allocation_id(child.id)]
    assert result.unplaced == ()


def test_twice_changes_nothing_and_hand_entries_stay(ws: Workspace, kim: Resource) -> None:
    work = item(ws, "Build", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=36)
    gone = item(ws, "Dropped", assignee="Kim Lee", start=d(1, 27), due=d(1, 31), work=8)
    by_hand = ws.add(
        Allocation(resource=kim.id, project="ALPHA", start=d(3, 3), finish=d(3, 7), hours=10)
    )
    first = allocate_from_plan(ws, "ALPHA")
    assert len(first.written.added) == 2
    before = {a.id: a.version for a in ws.view().records(Allocation)}
    again = allocate_from_plan(ws, "ALPHA")
    assert (again.written.added, again.written.changed, again.written.removed) == ((), (), ())
    assert len(again.written.unchanged) == 2
    assert {a.id: a.version for a in ws.view().records(Allocation)} == before
    # The plan changes: one item more work, one without its assignee.
    changed = next(w for w in ws.view().records(WorkItem, "ALPHA") if w.id == work.id)
    ws.replace(changed.replace(work=45))
    dropped = next(w for w in ws.view().records(WorkItem, "ALPHA") if w.id == gone.id)
    ws.replace(dropped.replace(assignee=None))
    third = allocate_from_plan(ws, "ALPHA")
    assert third.written.changed == (plan_allocation_id(work.id),)
    assert third.written.removed == (plan_allocation_id(gone.id),)
    assert [u.reason for u in third.unplaced] == ["no assignee"]
    stored = {a.id: a for a in ws.view().records(Allocation)}
    assert stored[by_hand.id] == by_hand  # untouched, same version
    assert stored[plan_allocation_id(work.id)].hours == 45
    assert not is_from_plan(by_hand)


def test_dry_run_writes_nothing(ws: Workspace, kim: Resource) -> None:
    item(ws, "Build", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=36)
    result = allocate_from_plan(ws, "ALPHA", dry_run=True)
    assert len(result.written.added) == 1
    assert ws.view().records(Allocation) == []
    budget = labour_to_budget(ws, "ALPHA", dry_run=True)
    assert budget.lines == ()  # no allocation yet
    allocate_from_plan(ws, "ALPHA")
    assert len(labour_to_budget(ws, "ALPHA", dry_run=True).written.added) == 2
    assert ws.view().budget_lines("ALPHA") == []


def test_plan_bad_inputs(ws: Workspace, kim: Resource) -> None:
    with pytest.raises(NotFoundError):
        plan_demand(ws.view(), "NOPE")
    ws.create("portfolio", id="PF", name="Portfolio")
    with pytest.raises(InvalidInputError, match="not a project"):
        allocate_from_plan(ws, "PF")
    ws.create("project", id="OLD", name="Old", lifecycle="closed")
    with pytest.raises(InvalidInputError, match="closed"):
        allocate_from_plan(ws, "OLD")


# ------------------------------------------------------------------ labour into the budget


def test_labour_lines_with_a_rate_change_mid_span(ws: Workspace, kim: Resource) -> None:
    item(ws, "Build", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=36)
    allocate_from_plan(ws, "ALPHA")
    budget = labour_to_budget(ws, "ALPHA", category="capex")
    # 4 h a day: January 4 days x 4 h x 100 = 1600; February 5 days x 4 h x 120 = 2400.
    assert [(b.id, b.period_start, b.period_finish, b.category, b.nature, str(b.amount))
            for b in budget.lines] == [
        ("labour-ALPHA-2025-01", d(1, 1), d(1, 31), "capex", "labour", "1600.00 EUR"),
        ("labour-ALPHA-2025-02", d(2, 1), d(2, 28), "capex", "labour", "2400.00 EUR"),
    ]  # fmt: skip
    assert str(budget.labour) == "4000.00 EUR"
    # The BAC is 4000 EUR: equal covers it.
    assert (budget.covered, str(budget.headroom)) == (True, "0.00 EUR")
    stored = sorted(ws.view().budget_lines("ALPHA"), key=lambda b: b.id)
    assert [b.id for b in stored] == [labour_line_id("ALPHA", m) for m in ("2025-01", "2025-02")]
    assert all(is_labour_line(b) for b in stored)


@pytest.mark.parametrize(
    ("bac", "covered", "headroom"),
    [("3999.99 EUR", False, "-0.01 EUR"), ("4000.01 EUR", True, "0.01 EUR")],
)
def test_bac_just_below_and_above_the_labour(
    ws: Workspace, kim: Resource, bac: str, covered: bool, headroom: str
) -> None:
    ws.update("ALPHA", budget=bac)
    item(ws, "Build", assignee="Kim Lee", start=d(1, 27), due=d(2, 7), work=36)
    allocate_from_plan(ws, "ALPHA")
    budget = labour_budget(ws.view(), "ALPHA")
    assert (budget.covered, str(budget.headroom)) == (covered, headroom)


def test_no_bac_and_hand_lines_kept_and_counted(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(Resource(name="Kim", rates=[Rate(effective_from=d(1, 1), per_hour="50 EUR")]))
    hand = ws.add(
        BudgetLine(project="ALPHA", category="opex", nature="labour", period_start=d(1, 1),
                   amount="700 EUR")
    )  # fmt: skip
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 27), finish=d(1, 31), hours=10))
    budget = labour_to_budget(ws, "ALPHA")
    assert (budget.covered, budget.headroom, str(budget.other)) == (None, None, "700.00 EUR")
    assert [str(b.amount) for b in budget.lines] == ["500.00 EUR"]  # 10 h x 50
    again = labour_to_budget(ws, "ALPHA")
    assert (again.written.added, again.written.changed, again.written.removed) == ((), (), ())
    # The allocation goes: its line goes, the hand-entered one stays as it was.
    with ws.transaction("test") as tx:
        allocation = ws.view().records(Allocation)[0]
        tx.delete("allocation", allocation.id, expected_version=allocation.version)
    last = labour_to_budget(ws, "ALPHA")
    assert last.written.removed == ("labour-ALPHA-2025-01",)
    assert ws.view().budget_lines("ALPHA") == [hand]
    assert not is_labour_line(hand)


def test_unpriced_hours_are_reported_not_priced(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    lou = ws.add(Resource(name="Lou", rates=[Rate(effective_from=d(1, 29), per_hour="50 EUR")]))
    ws.add(Allocation(resource=lou.id, project="ALPHA", start=d(1, 27), finish=d(1, 31), hours=20))
    budget = labour_budget(ws.view(), "ALPHA")
    # 4 h a day: the 27th and 28th have no rate (8 h); 12 h x 50 = 600.
    assert (str(budget.unpriced_hours), str(budget.labour)) == ("8.00", "600.00 EUR")


def test_other_currency_is_an_error_and_writes_nothing(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", currency="EUR")
    lou = ws.add(Resource(name="Lou", rates=[Rate(effective_from=d(1, 1), per_hour="50 USD")]))
    ws.add(Allocation(resource=lou.id, project="ALPHA", start=d(1, 27), finish=d(1, 31), hours=20))
    with pytest.raises(InvalidInputError, match=r"kept in EUR.*priced in USD by Lou \(USD\)"):
        labour_to_budget(ws, "ALPHA")
    assert ws.view().budget_lines("ALPHA") == []


def test_same_currency_other_than_eur_is_fine(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha", currency="USD", budget="1000 USD")
    lou = ws.add(Resource(name="Lou", rates=[Rate(effective_from=d(1, 1), per_hour="50 USD")]))
    ws.add(Allocation(resource=lou.id, project="ALPHA", start=d(1, 27), finish=d(1, 31), hours=20))
    budget = labour_to_budget(ws, "ALPHA")
    assert (str(budget.labour), budget.covered) == ("1000.00 USD", True)
    assert budget.lines[0].amount == Money.parse("1000 USD")


def test_budget_bad_inputs(ws: Workspace) -> None:
    with pytest.raises(NotFoundError):
        labour_budget(ws.view(), "NOPE")
    ws.create("project", id="OLD", name="Old", lifecycle="killed")
    with pytest.raises(InvalidInputError, match="killed"):
        labour_to_budget(ws, "OLD")


def test_ids_of_derived_records() -> None:
    assert PlanDemand("ALPHA", (), ()).written.added == ()
    assert plan_allocation_id("x" * 250) == "plan-" + "x" * 250  # 255: fits
    long = plan_allocation_id("x" * 251)  # a digest: within the store's 255 characters
    assert long.startswith("plan-")
    assert len(long) == 5 + 64
    assert plan_allocation_id("y" * 251) != long

    def line(id: str, project: str = "ALPHA") -> BudgetLine:
        return BudgetLine(id=id, project=project, category="opex", nature="labour",
                          period_start=date(2025, 1, 1), amount="1 EUR")  # fmt: skip

    assert is_labour_line(line("labour-ALPHA-2025-01"))
    assert not is_labour_line(line("labour-ALPHA-2025-1"))
    assert not is_labour_line(line("labour-ALPHA-notes"))
    assert not is_labour_line(line("labour-BETA-2025-01"))  # another project's key
    assert not is_labour_line(line("xlabour-ALPHA-2025-01"))


def test_a_proposed_projects_labour_counts_and_a_free_month_gives_no_line(ws: Workspace) -> None:
    ws.create("project", id="NEW", name="New", lifecycle="proposed", budget="300 EUR")
    kim = ws.add(Resource(name="Kim", rates=[Rate(effective_from=d(1, 1), per_hour="50 EUR")]))
    pro = ws.add(Resource(name="Pro bono", rates=[Rate(effective_from=d(1, 1), per_hour="0 EUR")]))
    ws.add(Allocation(resource=kim.id, project="NEW", start=d(1, 27), finish=d(1, 31), hours=6))
    ws.add(Allocation(resource=pro.id, project="NEW", start=d(2, 3), finish=d(2, 7), hours=40))
    budget = labour_to_budget(ws, "NEW")
    # Demand does not count a proposal, its budget does: 6 h x 50 = 300 in January; February
    # costs nothing at 0 EUR an hour, so it has no line.
    assert [(b.id, str(b.amount)) for b in budget.lines] == [("labour-NEW-2025-01", "300.00 EUR")]
    assert (str(budget.labour), budget.covered, str(budget.unpriced_hours)) == (
        "300.00 EUR",
        True,
        "0.00",
    )
