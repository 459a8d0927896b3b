"""Capacity against demand by role and month: pure functions over a workspace view.

Hours are Decimal, computed day by day: a resource works Monday to Friday, a fifth of its
``capacity_hours_per_week`` a day, scaled by its availability (``Resource.fte_on``), and not
on its holidays. A person gives its role capacity; a resource of kind ``role`` is a
placeholder (demand for the role, no capacity). An allocation in percent asks that share of
its resource's hours on each working day it covers; one in hours spreads them evenly over the
resource's working days in the allocation's period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import Self

from pmo_core import Allocation, InvalidInputError, Money, Resource, WorkspaceView

CENT = Decimal("0.01")
State = Literal["over", "under", "ok", "idle"]


class ResourceSettings(BaseModel):
    """Thresholds of utilisation (demand / capacity) for a role in a month: above
    ``over_allocated_above`` the role is over-allocated, below ``under_used_below`` it is
    under-used. Set them in ``[settings.resources]`` (reports and ``pmo resource capacity``)
    and in ``[governance.rules.resource-over-allocated]`` (the rule, per scope too).

    Example::

        ResourceSettings(over_allocated_above="1.1", under_used_below="0.6")
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    over_allocated_above: Decimal = Field(
        default=Decimal("1"),
        ge=0,
        allow_inf_nan=False,
        description="A role is over-allocated above this utilisation (demand / capacity).",
    )
    under_used_below: Decimal = Field(
        default=Decimal("0.5"),
        ge=0,
        allow_inf_nan=False,
        description="A role is under-used below this utilisation.",
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.under_used_below > self.over_allocated_above:
            raise ValueError("under_used_below must not be above over_allocated_above")
        return self


@dataclass(frozen=True)
class CapacityCell:
    """One role in one month: capacity and demand in hours, utilisation and its state
    (``over``, ``under``, ``ok``, or ``idle``: neither capacity nor demand). Counted by
    person, ``resource`` is the id of the one resource of the cell (else ``None``).

    ``utilisation`` is demand / capacity, ``None`` when there is no capacity (undefined).

    Example::

        cell = CapacityCell("Developer", "2025-01", Decimal("184.00"), Decimal("230.00"), "over")
        cell.utilisation  # Decimal('1.2500')
    """

    role: str
    month: str
    capacity: Decimal
    demand: Decimal
    state: State
    resource: str | None = None

    @property
    def utilisation(self) -> Decimal | None:
        """Demand / capacity to four places, ``None`` without capacity.

        Example::

            cell.utilisation  # Decimal('1.2500')
        """
        if self.capacity == 0:
            return None
        return (self.demand / self.capacity).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)


def parse_month(text: str, where: str) -> date:
    """The first day of the month ``YYYY-MM`` (an error naming ``where`` otherwise).

    Example::

        parse_month("2025-03", "--from")  # date(2025, 3, 1)
    """
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a month YYYY-MM", where=where) from None


def month_end(first: date) -> date:
    """The last day of ``first``'s month.

    Example::

        month_end(date(2025, 2, 1))  # date(2025, 2, 28)
    """
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def months(start: date, end: date) -> list[str]:
    """The months ``YYYY-MM`` from ``start``'s to ``end``'s, both included.

    Example::

        months(date(2025, 1, 15), date(2025, 3, 1))  # ['2025-01', '2025-02', '2025-03']
    """
    found = []
    day = date(start.year, start.month, 1)
    while day <= end:
        found.append(f"{day.year:04d}-{day.month:02d}")
        day = month_end(day) + timedelta(days=1)
    return found


def role_of(resource: Resource) -> str:
    """The role a resource fills: its ``role``, else (a role placeholder) its name.

    Example::

        role_of(Resource(name="Developer", kind="role"))  # 'Developer'
    """
    return resource.role or resource.name


def working_days(resource: Resource, start: date, end: date) -> list[date]:
    """The days from ``start`` to ``end`` (both included) the resource works: Monday to
    Friday, not its holidays.

    Example::

        len(working_days(kim, date(2025, 1, 1), date(2025, 1, 31)))  # 23
    """
    holidays = set(resource.holidays)
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _daily(resource: Resource, day: date) -> Decimal:
    per_day = Decimal(str(resource.capacity_hours_per_week)) / 5
    return per_day * Decimal(str(resource.fte_on(day)))


def resource_hours(resource: Resource, start: date, end: date) -> Decimal:
    """The hours the resource can work from ``start`` to ``end``.

    Example::

        resource_hours(kim, date(2025, 1, 1), date(2025, 1, 31))  # Decimal('184.0')
    """
    return sum((_daily(resource, d) for d in working_days(resource, start, end)), Decimal(0))


def allocation_hours(allocation: Allocation, resource: Resource, start: date, end: date) -> Decimal:
    """The hours ``allocation`` asks of ``resource`` from ``start`` to ``end``.

    Example::

        allocation_hours(half_of_kim_in_q1, kim, date(2025, 1, 1), date(2025, 1, 31))
        # Decimal('92.0')
    """
    low, high = max(start, allocation.start), min(end, allocation.finish)
    if high < low:
        return Decimal(0)
    if allocation.percent is not None:
        share = Decimal(str(allocation.percent)) / 100
        return sum(
            (share * _daily(resource, d) for d in working_days(resource, low, high)), Decimal(0)
        )
    total = len(working_days(resource, allocation.start, allocation.finish))
    if total == 0:
        return Decimal(0)  # no working day to spread the hours over
    inside = len(working_days(resource, low, high))
    return Decimal(str(allocation.hours)) * inside / total


def _state(capacity: Decimal, demand: Decimal, settings: ResourceSettings) -> State:
    if capacity == 0:
        return "over" if demand > 0 else "idle"
    if demand > capacity * settings.over_allocated_above:
        return "over"
    if demand < capacity * settings.under_used_below:
        return "under"
    return "ok"


def counted_allocations(view: WorkspaceView) -> list[Allocation]:
    """The allocations that count as demand: those of every project that is not proposed
    (a proposed project has had no go; ask :func:`what_if` what it would do). A killed or
    closed project asks for no one after the day it ended: its allocations stop that day (an
    allocation in hours keeps its hours per working day, so it keeps that share of them).

    Example::

        len(counted_allocations(ws.view()))  # 7
    """
    projects = {p.id: p for p in view.projects() if p.lifecycle != "proposed"}
    resources = {r.id: r for r in view.records(Resource)}
    counted = []
    for allocation in view.records(Allocation):
        project = projects.get(allocation.project)
        if project is None:
            continue
        ended_on = project.lifecycle_on if project.ended else None
        if ended_on is None or allocation.finish <= ended_on:
            counted.append(allocation)
        elif allocation.start <= ended_on:
            counted.append(_stopped(allocation, ended_on, resources.get(allocation.resource)))
    return counted


def _stopped(allocation: Allocation, day: date, resource: Resource | None) -> Allocation:
    if allocation.hours is None or resource is None:
        return allocation.replace(finish=day)
    total = len(working_days(resource, allocation.start, allocation.finish))
    kept = len(working_days(resource, allocation.start, day))
    hours = allocation.hours * kept / total if total else 0.0
    return allocation.replace(finish=day, hours=hours)


def capacity_demand(
    view: WorkspaceView,
    start: date,
    end: date,
    *,
    settings: ResourceSettings | None = None,
    allocations: Iterable[Allocation] | None = None,
    project: str | None = None,
    roles: Iterable[str] | None = None,
    by: Literal["role", "person"] = "role",
) -> list[CapacityCell]:
    """Capacity and demand for every role and month from ``start``'s month to ``end``'s,
    ordered by role then month. ``allocations`` replaces the workspace's
    (:func:`counted_allocations`); ``project`` counts only that project's demand (capacity
    is the whole pool's either way); ``roles`` keeps only those roles. ``by="person"`` gives
    a cell per resource (its role, its id in ``resource``), ordered by role, name and id: a
    person over their own hours shows there even when their role is not over.

    Example::

        cells = capacity_demand(ws.view(), date(2025, 1, 1), date(2025, 6, 30))
        [(c.role, c.month, c.state) for c in cells if c.state == "over"]
    """
    settings = settings or ResourceSettings()
    resources = {r.id: r for r in view.records(Resource)}
    if roles is not None:
        wanted = set(roles)
        resources = {rid: r for rid, r in resources.items() if role_of(r) in wanted}
    chosen = counted_allocations(view) if allocations is None else list(allocations)
    if project is not None:
        chosen = [a for a in chosen if a.project == project]
    month_names = months(start, end)
    bounds = {m: (parse_month(m, "month"), month_end(parse_month(m, "month"))) for m in month_names}
    # Each resource's working hours per day, month by month, computed once: the allocations
    # then sum slices of them instead of walking the calendar again each.
    calendars = {
        rid: {m: _calendar(r, *bounds[m]) for m in month_names} for rid, r in resources.items()
    }

    def key(resource: Resource) -> str:
        return resource.id if by == "person" else role_of(resource)

    capacity: dict[tuple[str, str], Decimal] = {}
    demand: dict[tuple[str, str], Decimal] = {}
    for rid, person in resources.items():
        if person.kind != "person":
            continue
        role = key(person)
        for m in month_names:
            total = sum(calendars[rid][m].values(), Decimal(0))
            capacity[role, m] = capacity.get((role, m), Decimal(0)) + total
    for allocation in chosen:
        resource = resources.get(allocation.resource)
        if resource is None:
            continue
        role = key(resource)
        spread = None
        if allocation.hours is not None:
            spread = len(working_days(resource, allocation.start, allocation.finish))
        for m in month_names:
            first, last = bounds[m]
            if allocation.finish < first or allocation.start > last:
                continue
            days = calendars[allocation.resource][m]
            if first < allocation.start or allocation.finish < last:
                days = {d: h for d, h in days.items() if allocation.start <= d <= allocation.finish}
            if allocation.percent is not None:
                share = Decimal(str(allocation.percent)) / 100
                asked = sum((share * h for h in days.values()), Decimal(0))
            elif spread:
                asked = Decimal(str(allocation.hours)) * len(days) / spread
            else:
                asked = Decimal(0)  # no working day to spread the hours over
            demand[role, m] = demand.get((role, m), Decimal(0)) + asked
    rows: list[tuple[str, str, str | None]]
    if by == "person":
        rows = [
            (role_of(r), r.id, r.id)
            for r in sorted(resources.values(), key=lambda r: (role_of(r), r.name, r.id))
        ]
    else:
        rows = [(role, role, None) for role in sorted({role_of(r) for r in resources.values()})]
    cells = []
    for role, group, one in rows:
        for m in month_names:
            cap = capacity.get((group, m), Decimal(0)).quantize(CENT, ROUND_HALF_EVEN)
            ask = demand.get((group, m), Decimal(0)).quantize(CENT, ROUND_HALF_EVEN)
            cells.append(CapacityCell(role, m, cap, ask, _state(cap, ask, settings), one))
    return cells


def _calendar(resource: Resource, start: date, end: date) -> dict[date, Decimal]:
    # Working days with their hours, as _daily gives them; the share of full time is looked
    # up once per distinct value, not converted to Decimal on every day.
    per_day = Decimal(str(resource.capacity_hours_per_week)) / 5
    shares: dict[float, Decimal] = {}
    out = {}
    for d in working_days(resource, start, end):
        fte = resource.fte_on(d)
        if fte not in shares:
            shares[fte] = per_day * Decimal(str(fte))
        out[d] = shares[fte]
    return out


def span(allocations: Sequence[Allocation]) -> tuple[date, date] | None:
    """The first start and last finish of ``allocations`` (``None`` for none).

    Example::

        span(view.records(Allocation))  # (date(2025, 1, 1), date(2025, 6, 30))
    """
    if not allocations:
        return None
    return min(a.start for a in allocations), max(a.finish for a in allocations)


@dataclass(frozen=True)
class WhatIfCell:
    """One role in one month before and after a proposed allocation.

    Example::

        dev = ws.view().records(Resource)[0]  # Kim Lee, half on ALPHA in January
        more = Allocation(resource=dev.id, project="NEW", start=date(2025, 1, 1),
                          finish=date(2025, 1, 31), percent=60)
        change = what_if(ws.view(), [more])[0]
        change.before.state, change.after.state  # ('ok', 'over')
    """

    before: CapacityCell
    after: CapacityCell

    @property
    def added(self) -> Decimal:
        """The demand the proposal adds.

        Example::

            change.added  # Decimal('110.40')
        """
        return self.after.demand - self.before.demand


def what_if(
    view: WorkspaceView,
    proposed: Sequence[Allocation],
    *,
    settings: ResourceSettings | None = None,
) -> list[WhatIfCell]:
    """What ``proposed`` allocations would do to capacity: every role and month they touch,
    before and after, computed without writing anything.

    Example::

        dev = ws.view().records(Resource)[0]  # Kim Lee, half on ALPHA in January
        new = Allocation(resource=dev.id, project="NEW", start=date(2025, 1, 1),
                         finish=date(2025, 1, 31), percent=60)
        [c.after.state for c in what_if(ws.view(), [new])]  # ['over']
    """
    window = span(proposed)
    if window is None:
        return []
    resources = {r.id: r for r in view.records(Resource)}
    for allocation in proposed:
        if allocation.resource not in resources:
            raise InvalidInputError(f"no resource {allocation.resource!r}", where="resource")
    current = counted_allocations(view)
    before = capacity_demand(view, *window, settings=settings, allocations=current)
    after = capacity_demand(view, *window, settings=settings, allocations=[*current, *proposed])
    touched = {role_of(resources[a.resource]) for a in proposed}
    return [
        WhatIfCell(b, a)
        for b, a in zip(before, after, strict=True)
        if b.role in touched and a.demand != b.demand
    ]


@dataclass(frozen=True)
class DemandCost:
    """What a project's allocations cost from one day to another, at each resource's rate on
    each working day (its effective-dated ``rates``): one :class:`~pmo_core.Money` per
    currency, and the hours no rate prices (days before a resource's first rate).

    Example::

        DemandCost("ALPHA", (Money.parse("7560 EUR"),), Decimal(0))
    """

    project: str
    costs: tuple[Money, ...]
    unpriced_hours: Decimal


def demand_costs(
    view: WorkspaceView,
    start: date,
    end: date,
    *,
    allocations: Iterable[Allocation] | None = None,
) -> list[DemandCost]:
    """The cost of every project's demand from ``start`` to ``end`` (both included), ordered
    by project; ``allocations`` replaces the workspace's (:func:`counted_allocations`).
    Money is summed per currency, never converted, and rounded to the cent once, at the end.

    Example::

        jan1, mar31 = date(2025, 1, 1), date(2025, 3, 31)
        [(c.project, [str(m) for m in c.costs]) for c in demand_costs(ws.view(), jan1, mar31)]
        # [('ALPHA', ['9200.00 EUR'])]
    """
    resources = {r.id: r for r in view.records(Resource)}
    chosen = counted_allocations(view) if allocations is None else list(allocations)
    sums: dict[str, dict[str, Decimal]] = {}
    unpriced: dict[str, Decimal] = {}
    for allocation in chosen:
        resource = resources.get(allocation.resource)
        if resource is None:
            continue
        per_project = sums.setdefault(allocation.project, {})
        unpriced.setdefault(allocation.project, Decimal(0))
        low, high = max(start, allocation.start), min(end, allocation.finish)
        if high < low:
            continue
        if allocation.percent is not None:
            share = Decimal(str(allocation.percent)) / 100
            hours = {d: share * _daily(resource, d) for d in working_days(resource, low, high)}
        else:
            spread = len(working_days(resource, allocation.start, allocation.finish))
            each = Decimal(str(allocation.hours)) / spread if spread else Decimal(0)
            hours = dict.fromkeys(working_days(resource, low, high), each)
        for day, worked in hours.items():
            rate = resource.rate_on(day)
            if rate is None:
                unpriced[allocation.project] += worked
                continue
            per_project[rate.currency] = per_project.get(rate.currency, Decimal(0)) + (
                worked * rate.amount
            )
    return [
        DemandCost(
            key,
            tuple(
                Money(amount=amount.quantize(CENT, ROUND_HALF_EVEN), currency=currency)
                for currency, amount in sorted(sums[key].items())
            ),
            unpriced[key].quantize(CENT, ROUND_HALF_EVEN),
        )
        for key in sorted(sums)
    ]
