"""Velocity, burndown, burnup and AgileEVM of the release in scrum_support, computed by hand;
the core's earned value of the project equals AgileEVM's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pmo_scrum import (
    agile_evm,
    average_velocity,
    burndown,
    burnup,
    product_backlog,
    sprint_backlog,
    velocity,
)
from scrum_support import TODAY, Clock, d

from pmo_core import InvalidInputError, Workspace

# Sprint S1 of the release, end of each day: committed 18 points (A 5, B 3, C 8, E 2).
#   day    done that day            remaining   ideal = 18 x (11 - i) / 11
BURNDOWN_S1 = [
    ("2025-03-03", None, "18", "18.00"),
    ("2025-03-04", None, "18", "16.36"),
    ("2025-03-05", None, "18", "14.73"),
    ("2025-03-06", "A done (5)", "13", "13.09"),
    ("2025-03-07", "E done (2)", "11", "11.45"),
    ("2025-03-08", None, "11", "9.82"),
    ("2025-03-09", None, "11", "8.18"),
    ("2025-03-10", "E reopened (2)", "13", "6.55"),
    ("2025-03-11", None, "13", "4.91"),
    ("2025-03-12", "B done (3)", "10", "3.27"),
    ("2025-03-13", None, "10", "1.64"),
    ("2025-03-14", None, "10", "0.00"),
]


def test_burndown_of_a_sprint_by_hand(ws: Workspace, release: dict[str, str]) -> None:
    days = burndown(ws.view(), "APP", "S1")
    assert [(x.day.isoformat(), x.remaining, x.ideal) for x in days] == [
        (day, Decimal(remaining), Decimal(ideal)) for day, _, remaining, ideal in BURNDOWN_S1
    ]


def test_burndown_stops_at_the_status_date(ws: Workspace, release: dict[str, str]) -> None:
    days = burndown(ws.view(status_date=d(3, 12)), "APP", "S1")
    assert [x.remaining for x in days][-4:] == [Decimal(13), Decimal(10), None, None]


def test_burndown_of_an_unknown_sprint_names_the_known_ones(
    ws: Workspace, release: dict[str, str]
) -> None:
    with pytest.raises(InvalidInputError, match=r"no sprint 'S9' \(sprints: S1, S2\)"):
        burndown(ws.view(), "APP", "S9")


def test_velocity_counts_points_done_within_the_sprint(
    ws: Workspace, release: dict[str, str]
) -> None:
    rows = velocity(ws.view(), "APP")
    # S1: A 5 + B 3 (E reopened before the end); S2: F 5 + G 5 (I was done before S2 began).
    assert [(v.sprint, v.committed, v.done, v.finished) for v in rows] == [
        ("S1", Decimal(18), Decimal(8), True),
        ("S2", Decimal(20), Decimal(10), True),
    ]
    assert average_velocity(rows, last=3) == Decimal(9)
    assert average_velocity(rows, last=1) == Decimal(10)


def test_velocity_of_a_sprint_under_way(ws: Workspace, release: dict[str, str]) -> None:
    on_last_day = velocity(ws.view(status_date=d(3, 28)), "APP")
    assert on_last_day[1].finished  # the finish day itself ends it
    under_way = velocity(ws.view(status_date=d(3, 27)), "APP")
    assert (under_way[1].done, under_way[1].finished) == (Decimal(10), False)
    assert average_velocity(under_way) == Decimal(8)  # only S1 finished
    assert average_velocity(velocity(ws.view(status_date=d(3, 13)), "APP")) is None


def test_burnup_done_and_scope_per_day(ws: Workspace, release: dict[str, str]) -> None:
    days = {x.day: (x.done, x.scope) for x in burnup(ws.view(), "APP")}
    assert min(days) == d(3, 3)
    assert max(days) == d(3, 28)  # the last sprint's finish
    expected = {
        d(3, 3): (0, 18),  # S1's stories
        d(3, 6): (5, 18),
        d(3, 9): (7, 18),
        d(3, 10): (5, 38),  # S2's four stories added, E reopened
        d(3, 14): (10, 38),  # B 3 and I 2 done
        d(3, 16): (10, 38),
        d(3, 17): (10, 51),  # J added to the product backlog
        d(3, 28): (20, 51),
    }
    for day, (done, scope) in expected.items():
        assert days[day] == (Decimal(done), Decimal(scope)), day


def test_burnup_of_one_sprint_up_to_the_status_date(ws: Workspace, release: dict[str, str]) -> None:
    days = burnup(ws.view(status_date=d(3, 20)), "APP", "S2")
    assert [(x.day, x.done, x.scope) for x in days] == [
        (d(3, 17), Decimal(2), Decimal(20)),
        (d(3, 18), Decimal(2), Decimal(20)),
        (d(3, 19), Decimal(2), Decimal(20)),
        (d(3, 20), Decimal(7), Decimal(20)),
    ]


def test_agile_evm_by_hand(ws: Workspace, release: dict[str, str]) -> None:
    evm = agile_evm(ws.view(), "APP")
    # PPC = 2 / 4; APC = (A 5 + B 3 + F 5 + G 5 + I 2) / 51 = 20 / 51.
    assert (evm.planned_sprints, evm.sprints_done, evm.ppc) == (4, 2, Decimal("0.5000"))
    assert (evm.points_done, evm.total_points, evm.apc) == (20, 51, Decimal("0.3922"))
    assert str(evm.bac) == "100000.00 EUR"
    assert str(evm.pv) == "50000.00 EUR"  # 100000 x 0.5
    assert str(evm.ev) == "39215.69 EUR"  # 100000 x 20 / 51
    assert str(evm.ac) == "30000.00 EUR"
    assert evm.cpi == Decimal("1.3072")  # 39215.686 / 30000
    assert evm.spi == Decimal("0.7843")  # 39215.686 / 50000


def test_core_earned_value_equals_agile_evm(ws: Workspace, release: dict[str, str]) -> None:
    for day in (d(3, 6), d(3, 10), d(3, 14), TODAY):
        core = ws.metrics("APP", status_date=day)
        evm = agile_evm(ws.view(status_date=day), "APP")
        assert core.value("ev") == evm.ev.amount, day
        assert core.value("ac") == evm.ac.amount, day
    assert ws.metrics("APP", status_date=TODAY).value("ev") == Decimal("39215.69")


def test_sprints_done_counts_a_sprint_on_its_finish_day(
    ws: Workspace, release: dict[str, str]
) -> None:
    assert agile_evm(ws.view(status_date=d(3, 13)), "APP").sprints_done == 0
    on_finish = agile_evm(ws.view(status_date=d(3, 14)), "APP")
    assert (on_finish.sprints_done, str(on_finish.pv)) == (1, "25000.00 EUR")
    assert on_finish.ac.amount == 0
    assert on_finish.cpi is None  # no cost yet: undefined, never 0 or infinite


def test_agile_evm_without_a_release_or_sprints(ws: Workspace, clock: Clock) -> None:
    ws.create("project", id="NEW", name="New", budget="5000 USD")
    evm = agile_evm(ws.view(), "NEW")
    assert (evm.planned_sprints, evm.ppc, evm.apc, evm.spi, evm.cpi) == (0, None, None, None, None)
    assert str(evm.ev) == "0.00 USD"


def test_backlogs_and_status_on_a_day(ws: Workspace, release: dict[str, str]) -> None:
    view = ws.view()
    assert [s.subject for s in product_backlog(view, "APP")] == ["Story J"]
    assert sorted(s.subject for s in sprint_backlog(view, "APP", "S1")) == [
        "Story A", "Story B", "Story C", "Story E",
    ]  # fmt: skip
    story_a = next(s for s in view.work_items("APP") if s.subject == "Story A")
    assert story_a.status_on(date(2025, 3, 2)) is None
    assert story_a.status_on(d(3, 4)) == "in_progress"
    assert story_a.status_on(d(3, 5)) == "in_progress"
    assert story_a.status_on(d(3, 6)) == "done"


def test_velocity_counts_the_first_and_last_day_of_a_sprint(
    ws: Workspace, release: dict[str, str]
) -> None:
    ws.move_work_item(release["C"], "done", on=d(3, 14))  # S1's finish day
    ws.move_work_item(release["H"], "done", on=d(3, 17))  # S2's start day
    rows = {v.sprint: v.done for v in velocity(ws.view(), "APP")}
    assert rows == {"S1": Decimal(16), "S2": Decimal(18)}
    # On the day before the finish, C's points are not yet S1's.
    assert velocity(ws.view(status_date=d(3, 13)), "APP")[0].done == Decimal(8)


def test_schedule_ratios_are_undefined_before_a_sprint_ends(
    ws: Workspace, release: dict[str, str]
) -> None:
    evm = agile_evm(ws.view(status_date=d(3, 13)), "APP")
    assert (evm.sprints_done, evm.ppc, str(evm.pv)) == (0, Decimal(0), "0.00 EUR")
    assert evm.spi is None  # PV is 0: undefined, never 0 or infinite


def test_agile_evm_in_another_currency(ws: Workspace, clock: Clock) -> None:
    clock.day = d(3, 1)
    ws.create("project", id="USD", name="Dollars", budget="1000 USD")
    release = ws.add_work_item(
        "USD", "Release", type="release", ev_method="points", budget="1000 USD"
    )
    sprint = {"name": "S1", "start": "2025-03-03", "finish": "2025-03-07"}
    ws.update(
        "USD",
        custom_fields={"scrum": {"release": release.id, "planned_sprints": 3, "sprints": [sprint]}},
    )
    done = ws.add_work_item("USD", "A", type="story", points=1, parent=release.id)
    ws.add_work_item("USD", "B", type="story", points=2, parent=release.id)
    clock.day = TODAY
    ws.move_work_item(done.id, "done", on=d(3, 5))
    evm = agile_evm(ws.view(), "USD")
    assert (str(evm.bac), str(evm.ev), str(evm.pv)) == ("1000.00 USD", "333.33 USD", "333.33 USD")
    assert evm.spi == Decimal("1.0000")
    assert ws.metrics("USD").value("ev") == evm.ev.amount


def test_a_one_day_sprint_burns_down_to_its_remaining_points(ws: Workspace, clock: Clock) -> None:
    clock.day = d(3, 1)
    ws.create(
        "project", id="ONE", name="One day",
        custom_fields={"scrum": {"sprints": [{"name": "D", "start": "2025-03-03",
                                              "finish": "2025-03-03"}]}},
    )  # fmt: skip
    ws.add_work_item("ONE", "Hack", type="story", points=3, iteration="D")
    clock.day = TODAY
    (day,) = burndown(ws.view(), "ONE", "D")
    assert (day.day, day.remaining, day.ideal) == (d(3, 3), Decimal(3), Decimal(0))
