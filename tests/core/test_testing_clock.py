"""The testing kit's clock: pmo_clock drives the status date and the store's timestamps of the
workspaces pmo_workspace_factory makes, so as-of tests need no setup; store= takes a store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from pmo_core import Workspace
from pmo_core.testing import MemoryStore, PmoClock

MakeWorkspace = Callable[..., Workspace]
START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def test_the_clock_moves_and_says_where_it_was() -> None:
    clock = PmoClock()
    assert clock() == START
    assert clock.today() == date(2025, 1, 6)
    assert clock.move(days=1, hours=2) == START
    assert clock() == START + timedelta(days=1, hours=2)
    assert clock.move(seconds=-1) == START + timedelta(days=1, hours=2)
    assert clock.set(date(2025, 3, 31)) == datetime(2025, 3, 31, 9, tzinfo=timezone.utc)
    assert clock.today() == date(2025, 3, 31)


def test_the_clock_refuses_a_move_of_nothing_and_a_naive_time() -> None:
    clock = PmoClock()
    with pytest.raises(ValueError, match="by something"):
        clock.move()
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2025, 1, 1))  # naive: the mistake under test
    assert clock() == START


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_the_factory_follows_the_clock(
    pmo_clock: PmoClock, pmo_workspace_factory: MakeWorkspace, store: str
) -> None:
    ws = pmo_workspace_factory(store=store)
    ws.create("project", id="P1", name="Alpha")
    assert ws.today() == date(2025, 1, 6)
    before = pmo_clock.move(days=1)
    ws.update("P1", name="Alpha v2")
    assert ws.today() == date(2025, 1, 7)
    assert [e.at for e in ws.journal()] == [START, START + timedelta(days=1)]
    assert ws.view(as_of=before).entity("P1").name == "Alpha"
    assert ws.view().entity("P1").name == "Alpha v2"


def test_an_explicit_today_wins_over_the_clock(
    pmo_clock: PmoClock, pmo_workspace_factory: MakeWorkspace
) -> None:
    ws = pmo_workspace_factory(store="memory", today=date(2024, 12, 31))
    assert ws.today() == date(2024, 12, 31)
    ws.create("project", id="P1", name="Alpha")
    assert [e.at for e in ws.journal()] == [START]  # the store still follows the clock


def test_without_the_clock_the_factory_keeps_real_time(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(store="memory")
    assert ws.today() == date.today()
    ws.create("project", id="P1", name="Alpha")
    (entry,) = ws.journal()
    assert abs(entry.at - datetime.now(timezone.utc)) < timedelta(minutes=5)


def test_the_factory_takes_a_store_object(pmo_workspace_factory: MakeWorkspace) -> None:
    clock = PmoClock(datetime(2030, 5, 1, tzinfo=timezone.utc))
    store = MemoryStore(clock=clock)
    ws = pmo_workspace_factory(store=store)
    ws.create("project", id="P1", name="Alpha")
    assert ws.store is store
    assert [e.at for e in ws.journal()] == [clock()]


def test_the_factory_refuses_an_unknown_store(pmo_workspace_factory: MakeWorkspace) -> None:
    with pytest.raises(ValueError, match="sqlite"):
        pmo_workspace_factory(store="postgres")
