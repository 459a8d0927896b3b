"""Scrum metrics computed from the store: velocity, burndown, burnup and AgileEVM.

Pure functions over a :class:`~pmo_core.WorkspaceView`: velocity, burndown and burnup read
each story's dated status history (``WorkItem.transitions``, through
:meth:`~pmo_core.WorkItem.status_on`), so a story counts as done on a
day when its status at the end of that day was ``done``. AgileEVM (Sulaiman, Barton and
Blackburn, 2006) reads the release the way the core's earned value does (each story's
progress on the status date), so its EV equals the core's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from pmo_core import Money, WorkItem, WorkspaceView, measure_project

from ._model import (
    DONE,
    Sprint,
    added_on,
    percent_on,
    points_of,
    scrum_fields,
    sprint_backlog,
)
from ._model import stories as project_stories

_CENTS = Decimal("0.01")
_RATIO = Decimal("0.0001")


_points = points_of


def _done_on(item: WorkItem, day: date) -> bool:
    return item.status_on(day) == DONE


@dataclass(frozen=True)
class SprintVelocity:
    """A sprint's ``committed`` points (its stories') and the points ``done`` within its
    dates (stories of the sprint done by its finish and not before its start).

    Example::

        SprintVelocity(sprint="S1", start=date(2025, 3, 3), finish=date(2025, 3, 14),
                       committed=Decimal(13), done=Decimal(8), finished=True)
    """

    sprint: str
    start: date
    finish: date
    committed: Decimal
    done: Decimal
    finished: bool


def velocity(view: WorkspaceView, project: str) -> list[SprintVelocity]:
    """Each sprint's velocity, by start; ``finished`` says whether it ended by the view's
    status date (a sprint under way shows what is done so far).

    Example::

        [(v.sprint, v.done) for v in velocity(ws.view(), "APP")]  # [('S1', Decimal('8'))]
    """
    fields = scrum_fields(view.entity(project))
    out = []
    for sprint in fields.sprints:
        backlog = sprint_backlog(view, view.entity(project).id, sprint.name)
        until = min(sprint.finish, view.status_date)
        before = sprint.start - timedelta(days=1)
        done = sum(
            (_points(s) for s in backlog if _done_on(s, until) and not _done_on(s, before)),
            Decimal(0),
        )
        out.append(
            SprintVelocity(
                sprint=sprint.name,
                start=sprint.start,
                finish=sprint.finish,
                committed=sum((_points(s) for s in backlog), Decimal(0)),
                done=done,
                finished=sprint.finish <= view.status_date,
            )
        )
    return out


def average_velocity(velocities: list[SprintVelocity], last: int = 3) -> Decimal | None:
    """The mean points done over the ``last`` finished sprints (``None`` before the first).

    Example::

        average_velocity(velocity(ws.view(), "APP"), last=3)  # Decimal('10.33')
    """
    finished = [v.done for v in velocities if v.finished][-last:] if last > 0 else []
    if not finished:
        return None
    return (sum(finished, Decimal(0)) / len(finished)).quantize(_CENTS, ROUND_HALF_EVEN)


@dataclass(frozen=True)
class BurndownDay:
    """The committed points still to do at the end of ``day`` (``None`` after the status
    date) and the ideal line, from all of them on the first day to none on the last.

    Example::

        BurndownDay(day=date(2025, 3, 4), remaining=Decimal(13), ideal=Decimal("11.56"))
    """

    day: date
    remaining: Decimal | None
    ideal: Decimal


def burndown(view: WorkspaceView, project: str, sprint: str) -> list[BurndownDay]:
    """The burndown of ``sprint``, a row per day from its start to its finish: the points
    of its stories not done at the end of the day, and the ideal line
    ``committed x (finish - day) / (finish - start)`` (rounded to cents).

    Example::

        [(d.day, d.remaining) for d in burndown(ws.view(), "APP", "S1")]
    """
    entity = view.entity(project)
    found: Sprint = scrum_fields(entity).sprint(sprint)
    backlog = sprint_backlog(view, entity.id, found.name)
    committed = sum((_points(s) for s in backlog), Decimal(0))
    span = (found.finish - found.start).days
    out = []
    for offset in range(found.days):
        day = found.start + timedelta(days=offset)
        remaining = None
        if day <= view.status_date:
            remaining = sum((_points(s) for s in backlog if not _done_on(s, day)), Decimal(0))
        ideal = committed * (span - offset) / span if span else Decimal(0)
        out.append(BurndownDay(day, remaining, ideal.quantize(_CENTS, ROUND_HALF_EVEN)))
    return out


@dataclass(frozen=True)
class BurnupDay:
    """The points ``done`` by the end of ``day`` and the ``scope``: the points of the
    stories in the plan by then (a story enters the scope on the day it was added).

    Example::

        BurnupDay(day=date(2025, 3, 14), done=Decimal(8), scope=Decimal(40))
    """

    day: date
    done: Decimal
    scope: Decimal


def burnup(view: WorkspaceView, project: str, sprint: str | None = None) -> list[BurnupDay]:
    """The burnup of the release (every story of ``project``) from the first sprint's start
    to the last one's finish, or of one ``sprint`` (its stories, over its days); days after
    the status date are left out. A story's points are its current points.

    Example::

        [(d.day, d.done, d.scope) for d in burnup(ws.view(), "APP")]
    """
    entity = view.entity(project)
    fields = scrum_fields(entity)
    if sprint is not None:
        found = fields.sprint(sprint)
        items = sprint_backlog(view, entity.id, found.name)
        first, last = found.start, found.finish
    else:
        items = project_stories(view, entity.id)
        if not fields.sprints:
            return []
        first, last = fields.sprints[0].start, fields.sprints[-1].finish
    last = min(last, view.status_date)
    out = []
    day = first
    while day <= last:
        scope = sum((_points(s) for s in items if (added_on(s) or first) <= day), Decimal(0))
        done = sum((_points(s) for s in items if _done_on(s, day)), Decimal(0))
        out.append(BurnupDay(day, done, scope))
        day += timedelta(days=1)
    return out


@dataclass(frozen=True)
class AgileEvm:
    """AgileEVM figures of a release on ``status_date`` (Sulaiman et al.):
    ``PPC = sprints_done / planned_sprints``, ``APC = points_done / total_points``,
    ``PV = BAC x PPC``, ``EV = BAC x APC``, ``AC`` the core's actual cost,
    ``CPI = EV / AC`` and ``SPI = EV / PV`` (``None`` when the divisor is 0).

    Example::

        evm = agile_evm(ws.view(), "APP")
        evm.ev, evm.spi  # (Money 45000.00 EUR, Decimal('1.0000'))
    """

    status_date: date
    bac: Money
    planned_sprints: int
    sprints_done: int
    ppc: Decimal | None
    total_points: Decimal
    points_done: Decimal
    apc: Decimal | None
    pv: Money
    ev: Money
    ac: Money
    cpi: Decimal | None
    spi: Decimal | None


def _ratio(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else (a / b).quantize(_RATIO, ROUND_HALF_EVEN)


def release_item(view: WorkspaceView, project: str) -> WorkItem | None:
    """The release work item of ``project`` (named by its Scrum fields), if it has one.

    Example::

        release_item(ws.view(), "APP").budget  # Money 90000 EUR
    """
    entity = view.entity(project)
    rid = scrum_fields(entity).release
    if rid is None:
        return None
    return next((i for i in view.work_items(entity.id) if i.id == rid), None)


def agile_evm(view: WorkspaceView, project: str) -> AgileEvm:
    """AgileEVM of ``project``'s release on the view's status date.

    BAC is the release work item's budget; the release points are those of its child
    stories (the core weighs them the same way: the release earns by ``points``), a story
    done when it is 100 % complete on the status date; sprints done are those finished by
    then, out of ``planned_sprints`` (default: the sprints defined). AC is the core's
    (:func:`~pmo_core.measure_project`).

    Example::

        agile_evm(ws.view(status_date=date(2025, 4, 11)), "APP").ev
    """
    entity = view.entity(project)
    fields = scrum_fields(entity)
    on = view.status_date
    release = release_item(view, entity.id)
    currency = entity.currency
    budget = release.budget.amount if release is not None and release.budget else Decimal(0)
    if release is not None and release.budget is not None:
        currency = release.budget.currency
    children = [s for s in project_stories(view, entity.id) if release and s.parent == release.id]
    total = sum((_points(s) for s in children), Decimal(0))
    done = sum((_points(s) for s in children if percent_on(s, on) >= 100), Decimal(0))
    planned = fields.planned_sprints or len(fields.sprints)
    finished = sum(1 for s in fields.sprints if s.finish <= on)
    ppc = _ratio(Decimal(finished), Decimal(planned))
    apc_exact = done / total if total else None
    pv = budget * Decimal(finished) / Decimal(planned) if planned else Decimal(0)
    ev = budget * apc_exact if apc_exact is not None else Decimal(0)
    ac_value = measure_project(view, entity.id, status_date=on).value("ac") or Decimal(0)
    return AgileEvm(
        status_date=on,
        bac=Money(amount=budget.quantize(_CENTS, ROUND_HALF_EVEN), currency=currency),
        planned_sprints=planned,
        sprints_done=finished,
        ppc=ppc,
        total_points=total,
        points_done=done,
        apc=None if apc_exact is None else apc_exact.quantize(_RATIO, ROUND_HALF_EVEN),
        pv=Money(amount=pv.quantize(_CENTS, ROUND_HALF_EVEN), currency=currency),
        ev=Money(amount=ev.quantize(_CENTS, ROUND_HALF_EVEN), currency=currency),
        ac=Money(amount=Decimal(ac_value).quantize(_CENTS, ROUND_HALF_EVEN), currency=currency),
        cpi=_ratio(ev, Decimal(ac_value)),
        spi=_ratio(ev, pv),
    )
