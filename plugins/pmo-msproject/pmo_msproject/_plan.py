"""The neutral plan both readers fill (the native MSPDI reader and the MPXJ one), and the one
mapping from it to pmo-core's SourceItems, so that the two readers cannot disagree on what a
task becomes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmo_core import InvalidInputError, SourceItem

#: MS Project's link types by their number in MSPDI (``PredecessorLink/Type``).
LINK_TYPES: dict[int, str] = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
#: Minutes in one elapsed day: an elapsed lag counts calendar time, not working time.
ELAPSED_DAY_MINUTES = 24 * 60
# A project key is at most 64 letters, digits, '.', '_' or '-'.
_NOT_KEY = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class PlanLink:
    """A predecessor link as a file states it: the lag in minutes, elapsed (calendar) or
    working, or as a percent of the predecessor's duration.

    Example::

        PlanLink(predecessor="3", type="SS", lag_minutes=480)   # one working day
    """

    predecessor: str
    type: str = "FS"
    lag_minutes: float = 0
    elapsed: bool = False
    lag_percent: float | None = None


@dataclass
class PlanBaseline:
    """One baseline's values of a task (or of the project, from its summary task).

    Example::

        PlanBaseline(start=date(2025, 1, 6), finish=date(2025, 3, 28), work=320,
                     cost=Decimal("48000"))
    """

    start: date | None = None
    finish: date | None = None
    work: float | None = None
    cost: Decimal | None = None


@dataclass
class PlanTask:
    """One task of a schedule: ``uid`` is its unique id in the file, ``parent`` its summary
    task's uid (``None`` at the top), hours in ``work``/``remaining``/``duration``, money in
    the plan's currency. ``percent`` is the percent complete the file's own method measures
    (physical, duration or units).

    Example::

        PlanTask(uid="4", name="Build", parent="1", start=date(2025, 2, 3),
                 finish=date(2025, 2, 28), work=160, percent=40, cost=Decimal("12000"))
    """

    uid: str
    name: str
    parent: str | None = None
    summary: bool = False
    milestone: bool = False
    start: date | None = None
    finish: date | None = None
    duration: float | None = None
    work: float | None = None
    remaining: float | None = None
    percent: float = 0
    ev_method: str = "percent_complete"
    cost: Decimal | None = None
    actual_cost: Decimal | None = None
    links: list[PlanLink] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    baselines: dict[int, PlanBaseline] = field(default_factory=dict)
    where: str = ""


@dataclass
class PlanResource:
    """A resource with its standard rates (per hour, from the date each starts).

    Example::

        PlanResource(uid="1", name="Kim Lee", email="kim@example.org",
                     rates=[(date(2025, 1, 1), Decimal("95"))])
    """

    uid: str
    name: str
    role: bool = False
    email: str | None = None
    capacity_hours_per_week: float | None = None
    rates: list[tuple[date, Decimal]] = field(default_factory=list)
    where: str = ""


@dataclass
class Plan:
    """A whole schedule as a reader found it: the project's own values, its tasks in file
    order (the project's summary task left out: its values are the project's), resources.

    Example::

        Plan(guid="26172537-DBD2-E811-AC3F-4CEDDE6E5B57", name="Office move",
             currency="GBP", minutes_per_day=480, tasks=[...])
    """

    location: str
    guid: str | None = None
    file_name: str | None = None
    name: str | None = None
    manager: str | None = None
    currency: str | None = None
    minutes_per_day: float = 480
    minutes_per_week: float = 2400
    start: date | None = None
    finish: date | None = None
    cost: Decimal | None = None
    baselines: dict[int, PlanBaseline] = field(default_factory=dict)
    baseline_taken: date | None = None
    tasks: list[PlanTask] = field(default_factory=list)
    resources: list[PlanResource] = field(default_factory=list)


def project_key(plan: Plan, options: Mapping[str, Any]) -> str:
    """The project's remote id: the ``key`` option, else the file's GUID (upper case, as
    MSPDI writes it; MPXJ gives it in lower case), else a key made of the name the file says
    it was saved under (MSPDI's ``Name``), else of the file's own name.

    Example::

        project_key(Plan(location="plans/office move.xml"), {})   # 'office-move'
    """
    chosen = options.get("key")
    if isinstance(chosen, str) and chosen:
        return chosen
    if plan.guid:
        return plan.guid.strip("{}").upper()
    stem = _NOT_KEY.sub("-", Path(plan.file_name or plan.location).stem).strip("-._")
    return (stem or "msproject")[:64]


def lag_days(link: PlanLink, plan: Plan, predecessor: PlanTask | None) -> float:
    """A link's lag in days: working minutes over the project's minutes per day, elapsed
    minutes over 24 hours, a percent lag as that share of the predecessor's duration.

    Example::

        lag_days(PlanLink("1", lag_minutes=960), Plan(location="x.xml"), None)   # 2.0
    """
    if link.lag_percent is not None:
        hours = predecessor.duration if predecessor is not None else None
        days = (hours or 0) * 60 / plan.minutes_per_day
        return round(days * link.lag_percent / 100, 4)
    per_day = ELAPSED_DAY_MINUTES if link.elapsed else plan.minutes_per_day
    return round(link.lag_minutes / per_day, 4)


def _money(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    return f"{amount.quantize(Decimal('0.01'))} {currency}"


def _status(percent: float) -> str:
    if percent >= 100:
        return "closed"
    return "in_progress" if percent > 0 else "open"


def _ordered(tasks: Sequence[PlanTask]) -> list[PlanTask]:
    """Tasks with every parent and predecessor before the tasks that refer to it (the core
    resolves a reference only to an item read earlier); file order otherwise."""
    by_uid = {task.uid: task for task in tasks}
    done: set[str] = set()
    out: list[PlanTask] = []
    for first in tasks:
        if first.uid in done:
            continue
        # An explicit stack: a chain of 10,000 links must not exhaust Python's recursion.
        stack: list[tuple[PlanTask, Iterator[str]]] = [(first, _needs(first, by_uid))]
        path = {first.uid}
        while stack:
            task, needs = stack[-1]
            need = next(needs, None)
            if need is None:
                stack.pop()
                path.discard(task.uid)
                done.add(task.uid)
                out.append(task)
            elif need in path:
                raise InvalidInputError(
                    f"task {task.uid} ({task.name!r}) is its own predecessor or summary task "
                    "through a cycle of links",
                    where=task.where,
                )
            elif need not in done:
                path.add(need)
                stack.append((by_uid[need], _needs(by_uid[need], by_uid)))
    return out


def _needs(task: PlanTask, by_uid: Mapping[str, PlanTask]) -> Iterator[str]:
    if task.parent is not None and task.parent in by_uid:
        yield task.parent
    for link in task.links:
        if link.predecessor in by_uid:
            yield link.predecessor


def to_items(plan: Plan, options: Mapping[str, Any]) -> Iterator[SourceItem]:
    """The SourceItems of a plan: the project, its resources, a milestone per milestone
    task, the work items (parents and predecessors first) and one baseline per baseline
    number.

    Summary tasks carry dates and progress but no money and no work: those are their
    children's sums, which the core adds up itself (carrying them twice would double the
    project's budget). Remote ids of what the project holds start with the project's.

    Example::

        for item in to_items(read_mspdi("plan.xml"), {"parent": "PORTFOLIO"}):
            print(item.kind, item.remote_id)
    """
    key = project_key(plan, options)
    currency = plan.currency or str(options.get("currency") or "") or "EUR"
    project: dict[str, Any] = {
        "name": (plan.name or key)[:255],
        "currency": currency,
        "planned_start": plan.start,
        "planned_finish": plan.finish,
    }
    parent = options.get("parent")
    if isinstance(parent, str) and parent:
        project["parent"] = parent
    if plan.manager:
        project["manager"] = plan.manager
    leaves = [task for task in plan.tasks if not task.summary]
    cost = plan.cost
    if cost is None and any(task.cost is not None for task in leaves):
        cost = sum((task.cost or Decimal(0) for task in leaves), Decimal(0))
    if cost is not None:
        project["budget"] = _money(cost, currency)
    yield SourceItem(kind="project", remote_id=key, data=project, where=plan.location)

    for resource in plan.resources:
        data: dict[str, Any] = {
            "name": resource.name,
            "kind": "role" if resource.role else "person",
        }
        if resource.email:
            data["email"] = resource.email
        if resource.capacity_hours_per_week is not None:
            data["capacity_hours_per_week"] = min(resource.capacity_hours_per_week, 168)
        data["rates"] = [
            {"effective_from": on, "per_hour": _money(rate, currency)}
            for on, rate in resource.rates
        ]
        yield SourceItem(
            kind="resource",
            remote_id=f"{key}/R{resource.uid}",
            data=data,
            where=resource.where,
        )

    ordered = _ordered(plan.tasks)
    for task in ordered:
        if task.milestone:
            done = task.percent >= 100
            yield SourceItem(
                kind="milestone",
                remote_id=f"{key}/{task.uid}",
                data={
                    "project": key,
                    "name": task.name,
                    "due": task.finish,
                    "status": "closed" if done else "open",
                    "completed_on": task.finish if done else None,
                },
                where=task.where,
            )

    by_uid = {task.uid: task for task in plan.tasks}
    for task in ordered:
        yield SourceItem(
            kind="work_item",
            remote_id=f"{key}/{task.uid}",
            data=_work_item(task, key, currency, plan, by_uid),
            where=task.where,
        )

    numbers = sorted({n for task in plan.tasks for n in task.baselines} | set(plan.baselines))
    for number in numbers:
        yield _baseline(plan, number, key, currency, leaves)


def _work_item(
    task: PlanTask, key: str, currency: str, plan: Plan, by_uid: Mapping[str, PlanTask]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "project": key,
        "subject": task.name,
        "type": "summary" if task.summary else "milestone" if task.milestone else "task",
        "status": _status(task.percent),
        "start": task.start,
        "due": task.finish,
        "percent_complete": task.percent,
        "ev_method": task.ev_method,
        "parent": f"{key}/{task.parent}" if task.parent in by_uid else None,
        "assignee": ", ".join(task.assignees)[:255] or None,
        "milestone": f"{key}/{task.uid}" if task.milestone else None,
        "links": [
            {
                "predecessor": f"{key}/{link.predecessor}",
                "type": link.type,
                "lag_days": lag_days(link, plan, by_uid.get(link.predecessor)),
            }
            for link in task.links
            if link.predecessor in by_uid
        ],
    }
    if not task.summary:
        data["work"] = task.work
        data["remaining"] = task.remaining
        data["budget"] = _money(task.cost, currency)
        data["actual_cost"] = _money(task.actual_cost, currency)
    return data


def _baseline(
    plan: Plan, number: int, key: str, currency: str, leaves: Sequence[PlanTask]
) -> SourceItem:
    whole = plan.baselines.get(number, PlanBaseline())
    items = []
    for task in leaves:
        values = task.baselines.get(number)
        if values is None:
            continue
        items.append(
            {
                "work_item": f"{key}/{task.uid}",
                "subject": task.name,
                "planned_start": values.start,
                "planned_finish": values.finish,
                "work": values.work,
                "cost": _money(values.cost, currency),
            }
        )
    cost = whole.cost
    if cost is None:
        costs = [task.baselines[number].cost for task in leaves if number in task.baselines]
        cost = sum((c for c in costs if c is not None), Decimal(0))
    # MSPDI does not say when a baseline was taken: the file's own date for it, else the
    # date it was last saved (a baseline is taken before), else the baseline's start.
    taken = plan.baseline_taken or whole.start or plan.start
    if taken is None:
        raise InvalidInputError(
            f"baseline {number} has no date: the file says neither when it was saved nor when "
            "the project starts",
            where=plan.location,
        )
    return SourceItem(
        kind="baseline",
        remote_id=f"{key}/baseline/{number}",
        data={
            "project": key,
            "number": number,
            "name": f"Baseline {number}" if number else "Baseline",
            "taken_on": taken,
            "planned_start": whole.start,
            "planned_finish": whole.finish,
            "work": whole.work,
            "cost": _money(cost, currency),
            "items": items,
        },
        where=plan.location,
    )
