"""Must hold 1, at the edges: the boundaries of capacity, demand and cost (a window of one
day, an allocation with no working day, a project that ended), the settings' and results'
immutability, the refusals and their messages. Every figure by hand: Kim works 40 h a week,
8 h a day, Monday to Friday (6-10 January 2025 is a Monday to Friday)."""

from __future__ import annotations

import dataclasses
from calendar import monthrange
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pmo_resources
import pytest
from pmo_resources import (
    CapacityCell,
    DemandCost,
    ResourceSettings,
    WhatIfCell,
    allocation_hours,
    capacity_demand,
    counted_allocations,
    demand_costs,
    month_end,
    months,
    parse_month,
    what_if,
)
from pydantic import ValidationError
from resources_support import d

from pmo_core import Allocation, InvalidInputError, Money, Rate, Resource, Workspace


@pytest.fixture
def late() -> Iterator[Workspace]:
    """A workspace whose today is 28 February 2025 (a project can end in February)."""
    with Workspace.in_memory(
        plugins={"resources": pmo_resources}, today=lambda: d(2, 28), actor="tester"
    ) as workspace:
        yield workspace


def test_settings_are_frozen_finite_and_not_negative() -> None:
    settings = ResourceSettings()
    with pytest.raises(ValidationError, match="frozen"):
        settings.over_allocated_above = Decimal("2")  # type: ignore[misc]
    with pytest.raises(ValidationError, match=r"over_allocated_above\n  Input should be a finite"):
        ResourceSettings(over_allocated_above="Infinity")
    with pytest.raises(ValidationError, match=r"under_used_below\n  Input should be a finite"):
        ResourceSettings(under_used_below="Infinity")
    with pytest.raises(ValidationError, match=r"under_used_below\n  Input should be greater"):
        ResourceSettings(under_used_below="-0.1")
    assert ResourceSettings(under_used_below="0").under_used_below == 0


def test_cells_and_costs_are_frozen() -> None:
    cell = CapacityCell("Developer", "2025-01", Decimal("184.00"), Decimal("230.00"), "over")
    change = WhatIfCell(cell, cell)
    cost = DemandCost("ALPHA", (Money.parse("1 EUR"),), Decimal(0))
    for frozen, field in ((cell, "state"), (change, "after"), (cost, "project")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, field, None)


def test_a_month_that_is_not_yyyy_mm_is_refused_naming_where() -> None:
    assert parse_month("2025-03", "--from") == date(2025, 3, 1)
    for text in ("2025-13", "March", "2025-03-01"):
        with pytest.raises(InvalidInputError, match="is not a month YYYY-MM") as caught:
            parse_month(text, "--from")
        assert caught.value.where == "--from"
        assert caught.value.message == f"{text!r} is not a month YYYY-MM"


def test_a_window_ending_on_the_first_of_a_month_includes_that_month() -> None:
    assert months(d(1, 1), d(1, 1)) == ["2025-01"]
    assert months(d(1, 31), d(2, 1)) == ["2025-01", "2025-02"]


def test_the_last_day_of_every_month_of_a_leap_year_and_of_a_common_one() -> None:
    for year in (2024, 2025):
        for month in range(1, 13):
            last = monthrange(year, month)[1]
            assert month_end(date(year, month, 1)) == date(year, month, last)


def test_allocation_hours_in_percent_and_on_the_one_day_shared() -> None:
    kim = Resource(name="Kim", role="Developer")
    half = Allocation(resource=kim.id, project="A", start=d(1, 6), finish=d(1, 10), percent=50)
    # 50 % of 8 h a day: 5 days 20 h; the window and the allocation share only the 10th: 4 h.
    assert allocation_hours(half, kim, d(1, 1), d(1, 31)) == Decimal("20")
    assert allocation_hours(half, kim, d(1, 10), d(1, 31)) == Decimal("4")
    assert allocation_hours(half, kim, d(1, 1), d(1, 6)) == Decimal("4")
    assert allocation_hours(half, kim, d(1, 11), d(1, 31)) == Decimal("0")
    day = d(1, 8)  # a window of one day: start and end the same date
    assert allocation_hours(half, kim, day, day) == Decimal("4")
    hours = half.replace(percent=None, hours=10)  # 2 h a day
    assert allocation_hours(hours, kim, d(1, 10), d(1, 31)) == Decimal("2")


def test_one_projects_demand_leaves_out_every_other_project(ws: Workspace) -> None:
    for key in ("ALPHA", "BETA"):
        ws.create("project", id=key, name=key.title())
    kim = ws.add(Resource(name="Kim", role="Developer"))
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 6), finish=d(1, 10), hours=10))
    ws.add(Allocation(resource=kim.id, project="BETA", start=d(1, 6), finish=d(1, 10), hours=7))
    only = {p: capacity_demand(ws.view(), d(1, 1), d(1, 31), project=p) for p in ("ALPHA", "BETA")}
    assert [(str(c.capacity), str(c.demand)) for c in only["ALPHA"]] == [("184.00", "10.00")]
    assert [(str(c.capacity), str(c.demand)) for c in only["BETA"]] == [("184.00", "7.00")]


def test_by_person_as_read_from_the_command_line(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(Resource(name="Kim", role="Developer"))
    lou = ws.add(Resource(name="Lou", role="Developer"))
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 1), finish=d(1, 31), hours=230))
    # A value built at run time, as an option's is: the same string, not the same object.
    by = "".join(["per", "son"])
    cells = capacity_demand(ws.view(), d(1, 1), d(1, 31), by=by)  # type: ignore[arg-type]
    assert [(c.resource, str(c.capacity), str(c.demand), c.state) for c in cells] == [
        (kim.id, "184.00", "230.00", "over"),
        (lou.id, "184.00", "0.00", "under"),
    ]


def test_hours_over_no_working_day_ask_for_nothing(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(Resource(name="Kim", role="Developer", holidays=[d(1, 6)]))
    # A weekend, then a Monday that is Kim's holiday: no working day to spread 10 h over.
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 4), finish=d(1, 6), hours=10))
    cells = capacity_demand(ws.view(), d(1, 1), d(1, 31))
    assert [(str(c.capacity), str(c.demand), c.state) for c in cells] == [
        ("176.00", "0.00", "under")
    ]


def test_an_ended_project_keeps_what_finished_before_its_end_as_it_was(late: Workspace) -> None:
    late.create("project", id="OLD", name="Old")
    kim = late.add(Resource(name="Kim", role="Developer"))
    early = late.add(
        Allocation(resource=kim.id, project="OLD", start=d(1, 6), finish=d(1, 10), percent=100)
    )
    # Saturday 15 to Sunday 16 February: 5 hours over no working day.
    weekend = late.add(
        Allocation(resource=kim.id, project="OLD", start=d(2, 15), finish=d(2, 16), hours=5)
    )
    late.change_lifecycle("OLD", "killed", comment="Cancelled", on=d(2, 15))
    counted = {a.id: a for a in counted_allocations(late.view())}
    assert (counted[early.id].finish, counted[early.id].percent) == (d(1, 10), 100)
    # Stopped on the Saturday: none of its (no) working days kept, so none of its hours.
    assert (counted[weekend.id].finish, counted[weekend.id].hours) == (d(2, 15), 0)
    cells = capacity_demand(late.view(), d(1, 1), d(2, 28))
    assert [(c.month, str(c.demand)) for c in cells] == [("2025-01", "40.00"), ("2025-02", "0.00")]


def test_what_if_nothing_is_proposed_is_an_empty_list(ws: Workspace) -> None:
    ws.add(Resource(name="Kim", role="Developer"))
    assert what_if(ws.view(), []) == []


def test_the_cost_of_a_share_of_a_day_and_of_a_window_of_one_day(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(
        Resource(
            name="Kim", role="Developer", rates=[Rate(effective_from=d(1, 1), per_hour="100 EUR")]
        )
    )
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 6), finish=d(1, 10), percent=50))
    # 50 % of 8 h = 4 h a day at 100 EUR: 400 EUR a day, 2000 EUR for the week.
    week = demand_costs(ws.view(), d(1, 1), d(1, 31))
    assert [(c.project, c.costs, str(c.unpriced_hours)) for c in week] == [
        ("ALPHA", (Money.parse("2000 EUR"),), "0.00")
    ]
    day = d(1, 8)  # one day, start and end the same date
    one = demand_costs(ws.view(), day, day)
    assert [(c.project, c.costs) for c in one] == [("ALPHA", (Money.parse("400 EUR"),))]


def test_hours_on_a_single_working_day_are_all_asked_that_day() -> None:
    kim = Resource(name="Kim", role="Developer")
    one = Allocation(resource=kim.id, project="A", start=d(1, 6), finish=d(1, 6), hours=3)
    assert allocation_hours(one, kim, d(1, 1), d(1, 31)) == Decimal("3")


def test_an_allocation_from_the_last_day_of_a_month_to_the_first_of_the_next(
    ws: Workspace,
) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(Resource(name="Kim", role="Developer"))
    # Monday 31 March and Tuesday 1 April, 8 h each.
    ws.add(
        Allocation(resource=kim.id, project="ALPHA", start=d(3, 31), finish=d(4, 1), percent=100)
    )
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(3, 31), finish=d(4, 1), hours=6))
    cells = capacity_demand(ws.view(), d(3, 1), d(4, 30))
    assert [(c.month, str(c.demand)) for c in cells] == [("2025-03", "11.00"), ("2025-04", "11.00")]


def test_an_allocation_outside_the_pool_asked_for_does_not_stop_the_others(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(
        Resource(
            name="Kim", role="Developer", rates=[Rate(effective_from=d(1, 1), per_hour="10 EUR")]
        )
    )
    lou = ws.add(Resource(name="Lou", role="Analyst"))
    ghost = Resource(name="Ghost", role="Developer")  # never added to the workspace
    week = {"project": "ALPHA", "start": d(1, 6), "finish": d(1, 10)}
    first = [
        Allocation(resource=lou.id, **week, percent=100),
        Allocation(resource=ghost.id, **week, percent=100),
        Allocation(resource=kim.id, **week, hours=10),
    ]
    cells = capacity_demand(ws.view(), d(1, 1), d(1, 31), allocations=first, roles=["Developer"])
    assert [(c.role, str(c.capacity), str(c.demand)) for c in cells] == [
        ("Developer", "184.00", "10.00")
    ]
    costs = demand_costs(ws.view(), d(1, 1), d(1, 31), allocations=first[1:])
    assert [(c.project, c.costs) for c in costs] == [("ALPHA", (Money.parse("100 EUR"),))]


def test_what_if_refuses_a_resource_that_is_not_in_the_pool(ws: Workspace) -> None:
    ws.add(Resource(name="Kim", role="Developer"))
    ghost = Resource(name="Ghost", role="Developer")
    new = Allocation(resource=ghost.id, project="NEW", start=d(1, 6), finish=d(1, 10), hours=10)
    with pytest.raises(InvalidInputError) as caught:
        what_if(ws.view(), [new])
    assert (caught.value.message, caught.value.where) == (f"no resource {ghost.id!r}", "resource")


def test_the_cost_of_hours_before_and_after_the_first_rate(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(
        Resource(
            name="Kim", role="Developer", rates=[Rate(effective_from=d(1, 8), per_hour="50 EUR")]
        )
    )
    # 10 h over 6-10 January, 2 h a day: the 6th and 7th unpriced (4 h), then 3 x 2 x 50.
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 6), finish=d(1, 10), hours=10))
    costs = demand_costs(ws.view(), d(1, 1), d(1, 31))
    assert [(c.project, c.costs, str(c.unpriced_hours)) for c in costs] == [
        ("ALPHA", (Money.parse("300 EUR"),), "4.00")
    ]


def test_an_allocation_finishing_on_the_day_its_project_ended_counts_as_it_is(
    late: Workspace,
) -> None:
    late.create("project", id="OLD", name="Old")
    kim = late.add(Resource(name="Kim", role="Developer"))
    # 0.1 h over three working days (8-10 January): a share of it would not be 0.1 again.
    tenth = late.add(
        Allocation(resource=kim.id, project="OLD", start=d(1, 8), finish=d(1, 10), hours=0.1)
    )
    late.change_lifecycle("OLD", "killed", comment="Stopped", on=d(1, 10))
    assert counted_allocations(late.view()) == [tenth]
