"""Must hold 1: capacity, demand and over-allocation of the hand-built case, each figure
computed by hand (see resources_support for the case)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pmo_resources import (
    ResourceSettings,
    allocation_hours,
    capacity_demand,
    months,
    resource_hours,
    what_if,
)
from resources_support import d

from pmo_core import Allocation, Availability, Resource, Workspace

# role -> month -> (capacity, demand, state), by hand:
EXPECTED = {
    "Analyst": {
        # Cat 6.4 h a day: Jan 23 x 6.4 = 147.2, Feb 20 x 6.4 = 128, Mar 21 x 6.4 = 134.4;
        # from April half time, 3.2 h a day: Apr 22 x 3.2 = 70.4, May 70.4, Jun 21 x 3.2 = 67.2.
        # GAMMA 86 h over 20 working days: 43 in Jan, 43 in Feb.
        # BETA 100 % Mar-Apr: 134.4 and 70.4; ALPHA 25 % Apr-Jun: 17.6, 17.6, 16.8.
        "2025-01": ("147.20", "43.00", "under"),  # 0.2921 < 0.5
        "2025-02": ("128.00", "43.00", "under"),  # 0.3359
        "2025-03": ("134.40", "134.40", "ok"),  # 1.0: at the limit, not over
        "2025-04": ("70.40", "88.00", "over"),  # 1.25
        "2025-05": ("70.40", "17.60", "under"),  # 0.25
        "2025-06": ("67.20", "16.80", "under"),  # 0.25
    },
    "Developer": {
        # Ann and Ben 8 h a day: 2 x 8 x working days; Ben is off on 1 May (344 = 176 + 168).
        # Jan: Ann 100 % 184 + Ben 50 % 92 = 276; Feb: 160 + Ben (50 + 50) % 160 = 320;
        # Mar: Ann (100 + 50) % 252 + Ben (50 + 50) % 168 = 420; Apr: Ben (50 + 50) % 176;
        # May: Ben 50 % of 21 days 84; Jun: Ben 50 % 84.
        "2025-01": ("368.00", "276.00", "ok"),  # 0.75
        "2025-02": ("320.00", "320.00", "ok"),  # 1.0: at the limit
        "2025-03": ("336.00", "420.00", "over"),  # 1.25
        "2025-04": ("352.00", "176.00", "ok"),  # 0.5: at the under-use limit, not under
        "2025-05": ("344.00", "84.00", "under"),  # 0.2442
        "2025-06": ("336.00", "84.00", "under"),  # 0.25
    },
    "Tester": {
        # Dee 4 h a day: 92, 80, 84, 88, 88, 84; DELTA (proposed) does not count.
        # GAMMA: Dee 50 % Apr-Jun 44, 44, 42; the placeholder 50 % of 8 h x 22 days in May 88.
        "2025-01": ("92.00", "0.00", "under"),
        "2025-02": ("80.00", "0.00", "under"),
        "2025-03": ("84.00", "0.00", "under"),
        "2025-04": ("88.00", "44.00", "ok"),  # 0.5
        "2025-05": ("88.00", "132.00", "over"),  # 1.5
        "2025-06": ("84.00", "42.00", "ok"),  # 0.5
    },
}


def _grid(cells: list) -> dict[str, dict[str, tuple[str, str, str]]]:
    grid: dict[str, dict[str, tuple[str, str, str]]] = {}
    for c in cells:
        grid.setdefault(c.role, {})[c.month] = (str(c.capacity), str(c.demand), c.state)
    return grid


def test_the_hand_built_case(ws: Workspace, case: dict[str, str]) -> None:
    cells = capacity_demand(ws.view(), d(1, 1), d(6, 30))
    assert _grid(cells) == EXPECTED
    assert [(c.role, c.month) for c in cells if c.state == "over"] == [
        ("Analyst", "2025-04"),
        ("Developer", "2025-03"),
        ("Tester", "2025-05"),
    ]
    util = {(c.role, c.month): c.utilisation for c in cells}
    assert util["Developer", "2025-03"] == Decimal("1.2500")
    assert util["Developer", "2025-05"] == Decimal("0.2442")
    assert util["Tester", "2025-05"] == Decimal("1.5000")


def test_one_projects_demand_against_the_whole_pool(ws: Workspace, case: dict[str, str]) -> None:
    cells = capacity_demand(ws.view(), d(3, 1), d(3, 31), project="BETA")
    # BETA in March: Ann 50 % 84 + Ben 50 % 84 = 168 of 336; Cat 100 % 134.4.
    assert _grid(cells)["Developer"]["2025-03"] == ("336.00", "168.00", "ok")
    assert _grid(cells)["Analyst"]["2025-03"] == ("134.40", "134.40", "ok")


@pytest.mark.parametrize(
    ("over", "under", "march", "june"),
    [
        ("1.25", "0.5", "ok", "under"),  # 420 / 336 = 1.25 at the limit is not over
        ("1.2499", "0.5", "over", "under"),  # just below 1.25: over
        ("1.2501", "0.5", "ok", "under"),  # just above: ok
        ("1.25", "0.25", "ok", "ok"),  # 84 / 336 = 0.25 at the under limit is not under
        ("1.25", "0.2501", "ok", "under"),  # just above 0.25: under
        ("1.25", "0.2499", "ok", "ok"),  # just below: ok
    ],
)
def test_thresholds_at_and_around_the_limits(
    ws: Workspace, case: dict[str, str], over: str, under: str, march: str, june: str
) -> None:
    settings = ResourceSettings(over_allocated_above=over, under_used_below=under)
    grid = _grid(capacity_demand(ws.view(), d(3, 1), d(6, 30), settings=settings))
    assert grid["Developer"]["2025-03"][2] == march
    assert grid["Developer"]["2025-06"][2] == june


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="under_used_below must not be above"):
        ResourceSettings(over_allocated_above="0.5", under_used_below="0.6")
    assert ResourceSettings(over_allocated_above="0.5", under_used_below="0.5")
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        ResourceSettings(over_allocated_above="-1", under_used_below="0")


def test_no_capacity_with_demand_is_over_without_it_idle(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    role = ws.add(Resource(name="Architect", kind="role"))
    ws.add(Allocation(resource=role.id, project="ALPHA", start=d(1, 6), finish=d(1, 6), hours=1))
    cells = capacity_demand(ws.view(), d(1, 1), d(2, 28))
    assert [(c.month, str(c.demand), c.state, c.utilisation) for c in cells] == [
        ("2025-01", "1.00", "over", None),
        ("2025-02", "0.00", "idle", None),
    ]


def test_hours_and_availability_day_by_day() -> None:
    kim = Resource(
        name="Kim",
        capacity_hours_per_week=40,
        holidays=[d(1, 3)],
        availability=[Availability(effective_from=d(1, 8), fte=0.5)],
    )
    # 1-7 Jan: Wed 1, Thu 2, Mon 6, Tue 7 at 8 h (Fri 3 a holiday); 8-10 Jan: 3 days at 4 h.
    assert resource_hours(kim, d(1, 1), d(1, 10)) == Decimal("44")
    hours = Allocation(resource=kim.id, project="A", start=d(1, 6), finish=d(1, 10), hours=10)
    assert allocation_hours(hours, kim, d(1, 1), d(1, 7)) == Decimal("4")  # 2 of 5 days
    assert allocation_hours(hours, kim, d(1, 11), d(1, 31)) == Decimal("0")
    weekend = Allocation(resource=kim.id, project="A", start=d(1, 4), finish=d(1, 5), hours=10)
    assert allocation_hours(weekend, kim, d(1, 1), d(1, 31)) == Decimal("0")
    assert months(date(2024, 12, 31), date(2025, 2, 1)) == ["2024-12", "2025-01", "2025-02"]


def test_what_if_a_new_project_writes_nothing(ws: Workspace, case: dict[str, str]) -> None:
    before = len(ws.view().records(Allocation))
    new = Allocation(
        resource=case["Ann"], project="NEW", start=d(4, 1), finish=d(4, 30), percent=100
    )
    changes = what_if(ws.view(), [new])
    # April developers: 176 + Ann 100 % 176 = 352 of 352: ok (at the limit).
    assert [
        (c.after.role, c.after.month, str(c.added), c.before.state, c.after.state) for c in changes
    ] == [("Developer", "2025-04", "176.00", "ok", "ok")]
    more = new.replace(finish=d(5, 31))
    changes = what_if(ws.view(), [more, new.replace(resource=case["Cat"], percent=10)])
    # Ann 100 % April and May: April 352 of 352 ok, May 84 + 176 = 260 of 344 ok;
    # Cat 10 % in April: 88 + 22 x 3.2 x 0.1 = 95.04 of 70.40, over.
    assert [(c.after.role, c.after.month, str(c.after.demand), c.after.state) for c in changes] == [
        ("Analyst", "2025-04", "95.04", "over"),
        ("Developer", "2025-04", "352.00", "ok"),
        ("Developer", "2025-05", "260.00", "ok"),
    ]
    assert len(ws.view().records(Allocation)) == before


def test_by_person_shows_a_person_over_their_own_hours(ws: Workspace, case: dict[str, str]) -> None:
    cells = capacity_demand(ws.view(), d(3, 1), d(3, 31), by="person")
    got = [(c.role, c.resource, str(c.capacity), str(c.demand), c.state) for c in cells]
    # March, 21 working days: Ann ALPHA 100 % + BETA 50 % = 252 of 168 (1.5, over); Ben
    # 50 % + 50 % = 168 of 168 (ok); Cat BETA 100 % 134.4 of 134.4; Dee and the placeholder
    # nothing (DELTA is proposed).
    assert got == [
        ("Analyst", case["Cat"], "134.40", "134.40", "ok"),
        ("Developer", case["Ann"], "168.00", "252.00", "over"),
        ("Developer", case["Ben"], "168.00", "168.00", "ok"),
        ("Tester", case["Dee"], "84.00", "0.00", "under"),
        ("Tester", case["Tester"], "0.00", "0.00", "idle"),
    ]


def test_an_ended_project_asks_for_no_one_after_its_last_day() -> None:
    import pmo_resources

    with Workspace.in_memory(
        plugins={"resources": pmo_resources}, today=lambda: d(2, 14), actor="t"
    ) as ws:
        ws.create("project", id="OLD", name="Old")
        kim = ws.add(Resource(name="Kim", role="Dev"))
        lou = ws.add(Resource(name="Lou", role="Dev"))
        ws.add(Allocation(resource=kim.id, project="OLD", start=d(1, 1), finish=d(3, 31),
                          percent=100))  # fmt: skip
        # 45 hours over 3-21 February, 15 working days (3 h a day): 10 of them by the 14th.
        ws.add(Allocation(resource=lou.id, project="OLD", start=d(2, 3), finish=d(2, 21),
                          hours=45))  # fmt: skip
        ws.add(Allocation(resource=lou.id, project="OLD", start=d(2, 17), finish=d(2, 28),
                          percent=100))  # fmt: skip
        max_ = ws.add(Resource(name="Max", role="Dev"))
        # The boundaries: one starting on the last day keeps that day (8 h); one ending on it
        # keeps all of its 10 hours.
        ws.add(Allocation(resource=max_.id, project="OLD", start=d(2, 14), finish=d(2, 28),
                          percent=100))  # fmt: skip
        ws.add(Allocation(resource=max_.id, project="OLD", start=d(2, 10), finish=d(2, 14),
                          hours=10))  # fmt: skip
        assert len(pmo_resources.counted_allocations(ws.view())) == 5
        ws.change_lifecycle("OLD", "killed", comment="Cancelled", on=d(2, 14))
        cells = capacity_demand(ws.view(), d(1, 1), d(3, 31), by="person")
        demand = {(c.resource, c.month): str(c.demand) for c in cells}
        assert demand[kim.id, "2025-01"] == "184.00"  # 23 days, before the end
        assert demand[kim.id, "2025-02"] == "80.00"  # 1-14 February: 10 working days
        assert demand[kim.id, "2025-03"] == "0.00"
        assert demand[lou.id, "2025-02"] == "30.00"  # 10 days x 3 h; the later one not at all
        assert demand[max_.id, "2025-02"] == "18.00"
        assert len(pmo_resources.counted_allocations(ws.view())) == 4  # Lou's second began later
