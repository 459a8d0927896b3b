"""Time-phased series for S-curves: cumulative PV (baseline and current plan), EV and AC at
each week or month end, read from the dated plan and progress (no journal replay)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Literal, NamedTuple

from ._errors import InvalidInputError

if TYPE_CHECKING:
    from ._metrics_basis import Basis

#: The periods a series is cut into.
Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")
_CENT = Decimal("0.01")


class SeriesPoint(NamedTuple):
    """The cumulative figures at one period end: ``pv`` on the basis (the baseline in force),
    ``pv_current`` on the current plan, and ``ev`` and ``ac`` up to the status date
    (``None`` after it: not known yet). Money rounded to cents.

    Example::

        SeriesPoint(date(2025, 3, 31), Decimal("1000.00"), Decimal("1200.00"),
                    Decimal("900.00"), Decimal("950.00"))
    """

    period_end: date
    pv: Decimal | None
    pv_current: Decimal | None
    ev: Decimal | None
    ac: Decimal | None


def period_end(on: date, period: Period) -> date:
    """The end of the week (Sunday) or month that ``on`` falls in.

    Example::

        period_end(date(2025, 3, 5), "month")  # date(2025, 3, 31)
    """
    if period == "week":
        return on + timedelta(days=6 - on.weekday())
    if period == "month":
        following = date(on.year + on.month // 12, on.month % 12 + 1, 1)
        return following - timedelta(days=1)
    raise InvalidInputError(f"a series is by week or month, not {period!r}", where="series")


def period_ends(first: date, last: date, period: Period) -> Iterator[date]:
    """Every period end from the one holding ``first`` to the one holding ``last``.

    Example::

        list(period_ends(date(2025, 1, 15), date(2025, 3, 1), "month"))
        # [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]
    """
    end = period_end(first, period)
    while True:
        yield end
        if end >= last:
            return
        end = period_end(end + timedelta(days=1), period)


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_CENT, rounding=ROUND_HALF_EVEN)


def span(bases: Sequence[Basis], status_date: date) -> tuple[date, date] | None:
    """The dates a series runs over: from the earliest start of the bases' plans to the
    later of the status date and their latest finish; ``None`` without a dated plan."""
    starts: list[date] = []
    finishes: list[date] = [status_date]
    for basis in bases:
        first, curve = basis.curve()
        if first is not None:
            starts.append(first)
            finishes.append(curve[-1][0] if curve else first)
        finish = basis.finish()
        if finish is not None:
            finishes.append(finish)
    if not starts:
        return None
    return min(starts), max(finishes)


def time_phased(
    bases: Sequence[Basis], status_date: date, period: Period
) -> tuple[SeriesPoint, ...]:
    """The summed series of ``bases`` (one project's, or the measured projects of a scope)
    at each period end (see :class:`SeriesPoint`); empty without a dated plan.

    Example::

        time_phased([basis], date(2025, 4, 30), "month")[-1].pv
    """
    if period not in PERIODS:
        raise InvalidInputError(f"a series is by week or month, not {period!r}", where="series")
    dates = span(bases, status_date)
    if dates is None:
        return ()
    out: list[SeriesPoint] = []
    zero = Decimal(0)
    for end in period_ends(dates[0], dates[1], period):
        pv = sum((b.pv(end) for b in bases), zero)
        pv_current = sum((b.pv_current(end) for b in bases), zero)
        ev: Decimal | None = None
        ac: Decimal | None = None
        if end <= status_date:
            earned = [e for e in (b.ev(end) for b in bases) if e is not None]
            ev = sum(earned, zero) if len(earned) == len(bases) else None
            ac = sum((b.ac(end)[0] for b in bases), zero)
        out.append(SeriesPoint(end, _cents(pv), _cents(pv_current), _cents(ev), _cents(ac)))
    return tuple(out)
