"""How one work item earns its value: the EV measurement methods (PMI practice standard, and
agile story points after Sulaiman's AgileEVM).

Pure functions over Decimals. ``budget`` is the item's budget on the basis in force (its
baselined cost when a baseline is), ``percent`` its percent complete (0..100) on the status
date. "Done" means 100 %: an item at 99.99 % is not done.

* ``percent_complete``: ``B x p / 100``;
* ``0/100``: ``B`` when ``p = 100``, else 0;
* ``50/50``: 0 at ``p = 0``, ``B / 2`` when ``0 < p < 100``, ``B`` at 100;
* ``level_of_effort``: the item's own PV on the status date (effort earns as time passes);
* ``weighted_milestones``: ``B x (weights of children done) / (weights of all children)``,
  a child's weight its ``points`` (1 when unset); without children, as 0/100;
* ``points``: ``B x (points of children done) / (points of all children)``; a story without
  children (or whose children carry no points) earns ``B`` when done.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

__all__ = [
    "EV_METHODS",
    "Child",
    "earned",
    "ev_0_100",
    "ev_50_50",
    "ev_level_of_effort",
    "ev_percent_complete",
    "ev_points",
    "ev_weighted_milestones",
]

#: The measurement methods, as ``WorkItem.ev_method`` names them.
EV_METHODS = (
    "percent_complete",
    "0/100",
    "50/50",
    "level_of_effort",
    "weighted_milestones",
    "points",
)

Child = tuple[Decimal | None, Decimal]
"""A child work item for the milestone and points methods: ``(points, percent)``."""

_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)


def ev_percent_complete(budget: Decimal, percent: Decimal) -> Decimal:
    """``B x p / 100``: value earned in proportion to the work done.

    Example:

        >>> ev_percent_complete(Decimal(1000), Decimal("99.99"))
        Decimal('999.90')
    """
    return budget * percent / _HUNDRED


def ev_0_100(budget: Decimal, percent: Decimal) -> Decimal:
    """``B`` once the item is done (100 %), else 0: nothing is earned until it is finished.

    Example:

        >>> [ev_0_100(Decimal(1000), Decimal(p)) for p in ("0", "99.99", "100")]
        [Decimal('0'), Decimal('0'), Decimal('1000')]
    """
    return budget if percent >= _HUNDRED else _ZERO


def ev_50_50(budget: Decimal, percent: Decimal) -> Decimal:
    """Half the budget once started (``p > 0``), the other half when done (100 %).

    Example:

        >>> [ev_50_50(Decimal(1000), Decimal(p)) for p in ("0", "0.01", "99.99", "100")]
        [Decimal('0'), Decimal('500'), Decimal('500'), Decimal('1000')]
    """
    if percent >= _HUNDRED:
        return budget
    if percent > _ZERO:
        return budget / _TWO
    return _ZERO


def ev_level_of_effort(planned_value: Decimal) -> Decimal:
    """Level of effort earns what was planned by the status date (its own PV): support work
    that has no product of its own; its SV is always 0.

    Example:

        >>> ev_level_of_effort(Decimal(250))
        Decimal('250')
    """
    return planned_value


def _share(
    budget: Decimal, percent: Decimal, weighed: Sequence[tuple[Decimal, Decimal]]
) -> Decimal:
    total = sum((w for w, _ in weighed), _ZERO)
    if total == 0:
        # Nothing to weigh the item by: it earns like 0/100 on its own progress.
        return ev_0_100(budget, percent)
    done = sum((w for w, p in weighed if p >= _HUNDRED), _ZERO)
    return budget * done / total


def ev_weighted_milestones(budget: Decimal, percent: Decimal, children: Sequence[Child]) -> Decimal:
    """``B x (weights of children done) / (weights of all children)``: the item's children
    are its milestones, each weighted by its ``points`` (1 when unset). Without children (or
    with weights summing to 0) the item earns like 0/100 on its own ``percent``.

    Example:

        >>> ev_weighted_milestones(Decimal(1000), Decimal(0),
        ...                        [(Decimal(3), Decimal(100)), (None, Decimal("99.99"))])
        Decimal('750')
        >>> ev_weighted_milestones(Decimal(1000), Decimal(100), [])
        Decimal('1000')
    """
    return _share(budget, percent, [(_ONE if w is None else w, p) for w, p in children])


def ev_points(budget: Decimal, percent: Decimal, children: Sequence[Child]) -> Decimal:
    """Agile earned value (AgileEVM): ``B x (points of children done) / (points of all
    children)``; a child without points weighs nothing. A story without children (or whose
    children carry no points) earns ``B`` when done (0/100 on its own ``percent``).

    Example:

        >>> ev_points(Decimal(900), Decimal(0),
        ...           [(Decimal(5), Decimal(100)), (Decimal(3), Decimal(100)),
        ...            (Decimal(10), Decimal(50))])
        Decimal('400')
    """
    return _share(budget, percent, [(_ZERO if w is None else w, p) for w, p in children])


def earned(
    method: str,
    budget: Decimal,
    percent: Decimal,
    *,
    planned_value: Decimal = _ZERO,
    children: Sequence[Child] = (),
) -> Decimal:
    """The EV of one item by its ``method`` (see the module's table); an unknown method
    raises ``ValueError``.

    Example:

        >>> earned("50/50", Decimal(1000), Decimal(10))
        Decimal('500')
        >>> earned("level_of_effort", Decimal(1000), Decimal(0), planned_value=Decimal(300))
        Decimal('300')
    """
    if method == "percent_complete":
        return ev_percent_complete(budget, percent)
    if method == "0/100":
        return ev_0_100(budget, percent)
    if method == "50/50":
        return ev_50_50(budget, percent)
    if method == "level_of_effort":
        return ev_level_of_effort(planned_value)
    if method == "weighted_milestones":
        return ev_weighted_milestones(budget, percent, children)
    if method == "points":
        return ev_points(budget, percent, children)
    raise ValueError(f"unknown EV method {method!r} (one of {', '.join(EV_METHODS)})")
