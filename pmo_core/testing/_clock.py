"""The testing kit's movable clock: one time for the status date and for the store."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone


class PmoClock:
    """A clock a test moves: the status date of the workspaces the factory makes and the
    time their stores stamp on each change, so as-of views can be taken at known moments.

    The :func:`pmo_clock` fixture gives one starting on Monday 6 January 2025 at 09:00 UTC;
    :func:`pmo_workspace_factory` uses it for every workspace of a test that requests it
    (``today`` defaults to ``clock.today``, and the store stamps changes with the clock).
    Calling the clock gives the time; :meth:`today` the date; :meth:`move` and :meth:`set`
    move it (forward or back: a test may rewind to replay).

    Example::

        from datetime import date

        def test_as_known_before_the_change(pmo_clock, pmo_workspace_factory):
            ws = pmo_workspace_factory(store="memory")
            ws.create("project", id="P1", name="Alpha")
            before = pmo_clock.move(days=1)
            ws.update("P1", name="Alpha v2")
            assert ws.today() == date(2025, 1, 7)
            assert ws.view(as_of=before).entity("P1").name == "Alpha"
            assert ws.view().entity("P1").name == "Alpha v2"
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        """The current time (aware, UTC): what a store stamps a change with.

        Example::

            PmoClock()()  # datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
        """
        return self.now

    def today(self) -> date:
        """The current date: the status date of the factory's workspaces.

        Example::

            PmoClock().today()  # date(2025, 1, 6)
        """
        return self.now.date()

    def move(self, *, days: float = 0, hours: float = 0, seconds: float = 0) -> datetime:
        """Move the clock by the given amount (negative: back) and return the time it was
        just before, the moment an as-of view "before the move" is taken at.

        Example::

            clock = PmoClock()  # what the pmo_clock fixture gives
            before = clock.move(days=30)  # a month later; `before` is the old time
        """
        before = self.now
        self.now += timedelta(days=days, hours=hours, seconds=seconds)
        if self.now == before:
            raise ValueError("move the clock by something: days=, hours= or seconds=")
        return before

    def set(self, when: date | datetime) -> datetime:
        """Set the clock to ``when`` (a date means 09:00 UTC that day) and return the new time.

        Example::

            clock = PmoClock()
            clock.set(date(2025, 3, 31))  # the quarter's end
        """
        if isinstance(when, datetime):
            if when.tzinfo is None:
                raise ValueError("set the clock to an aware datetime (tzinfo=timezone.utc)")
            self.now = when
        else:
            self.now = datetime.combine(when, time(9, 0), tzinfo=timezone.utc)
        return self.now
