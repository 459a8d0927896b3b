"""Flow metrics of a Kanban board from each work item's dated status history
(``WorkItem.transitions``): lead time, cycle time, their percentiles, throughput, WIP and WIP
age, and cumulative flow.

Conventions (Vacanti, *Actionable Agile Metrics*, 2015):

* times are counted in calendar days, both ends included: an item requested and delivered
  the same day took 1 day;
* **lead time** runs from the day the item was requested (its first status) to the day it
  was delivered (entered the delivery point or a column after it, for the last time);
  **cycle time** from the day it was committed (first entered the commitment point or a
  column after it) to delivery;
* percentiles use the **nearest-rank** method: the p-th percentile of n sorted values is
  the value of rank ``ceil(p / 100 x n)`` (so it is always one of the values measured);
* **WIP** is the items committed and not delivered at the end of a day; an item's **age**
  is the days since its commitment, both ends included.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pmo_core import WorkItem, WorkspaceView

from ._board import KanbanFields, board_items, kanban_fields

#: The percentiles reported.
PERCENTILES = (50, 85, 95)


@dataclass(frozen=True)
class ItemFlow:
    """One work item's way through the board up to a day: when it was requested,
    committed and delivered (``None``: not yet), its lead and cycle time in days.

    Example::

        ItemFlow(item="3f2a9c1b7d4e", subject="Fix login", class_of_service="expedite",
                 status="done", requested_on=date(2025, 3, 3), committed_on=date(2025, 3, 4),
                 delivered_on=date(2025, 3, 6), lead_time=4, cycle_time=3)
    """

    item: str
    subject: str
    class_of_service: str
    status: str | None
    requested_on: date | None
    committed_on: date | None
    delivered_on: date | None
    lead_time: int | None
    cycle_time: int | None


def _days(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days + 1


def item_flow(fields: KanbanFields, item: WorkItem, on: date) -> ItemFlow:
    """``item``'s flow as known at the end of ``on`` (changes after it are not yet made).

    Example::

        item_flow(kanban_fields(ws.get("OPS")), item, date(2025, 3, 31)).cycle_time  # 3
    """
    committed_at, delivered_at = fields.commitment_index, fields.delivery_index
    requested = committed = delivered = None
    status = None
    for change in item.transitions:
        if change.on > on:
            break
        where = fields.index(change.status)
        was_delivered = fields.index(status) >= delivered_at
        if requested is None:
            requested = change.on
        if committed is None and where >= committed_at:
            committed = change.on
        if where >= delivered_at and not was_delivered:
            delivered = change.on
        status = change.status
    if not item.transitions:
        status = item.status
    if fields.index(status) < delivered_at:
        delivered = None  # back on the board (or never delivered): not delivered now
    return ItemFlow(
        item=item.id,
        subject=item.subject,
        class_of_service=fields.class_of(item),
        status=status,
        requested_on=requested,
        committed_on=committed,
        delivered_on=delivered,
        lead_time=_days(requested, delivered),
        cycle_time=_days(committed, delivered),
    )


def flows(view: WorkspaceView, project: str) -> list[ItemFlow]:
    """Every live work item's flow on the view's status date, as the board of ``project``
    reads it.

    Example::

        [f.lead_time for f in flows(ws.view(), "OPS") if f.delivered_on]
    """
    entity = view.entity(project)
    fields = kanban_fields(entity)
    return [item_flow(fields, i, view.status_date) for i in board_items(view, entity.id)]


def percentile(values: Sequence[int], p: int) -> int | None:
    """The ``p``-th percentile of ``values`` by the nearest-rank method: the value of rank
    ``ceil(p / 100 x n)`` in ascending order (``None`` for no values).

    Example::

        percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 85)  # 9 (rank ceil(8.5) = 9)
    """
    if not values:
        return None
    if not 0 < p <= 100:
        raise ValueError(f"a percentile is above 0 and at most 100, not {p}")
    ordered = sorted(values)
    rank = math.ceil(p * len(ordered) / 100)
    return ordered[rank - 1]


@dataclass(frozen=True)
class WipItem:
    """A work item in progress (committed, not delivered) and its age in days.

    Example::

        WipItem(item="3f2a9c1b7d4e", subject="Fix login", status="review",
                class_of_service="standard", committed_on=date(2025, 3, 4), age=5)
    """

    item: str
    subject: str
    status: str
    class_of_service: str
    committed_on: date
    age: int


@dataclass(frozen=True)
class FlowMetrics:
    """The flow of a board over ``start`` .. ``end`` (both included): the items
    ``delivered`` in it, their lead and cycle time percentiles (``{50: days, 85: ..., 95:
    ...}``), throughput per day (``delivered / days``) and per ISO week, and the WIP at the
    end of ``end`` with each item's age.

    Example::

        m = flow_metrics(ws.view(), "OPS")
        m.cycle_time[85], m.throughput_per_day, [w.age for w in m.wip]
    """

    start: date
    end: date
    delivered: tuple[ItemFlow, ...]
    lead_time: dict[int, int | None]
    cycle_time: dict[int, int | None]
    throughput_per_day: float
    throughput_per_week: dict[str, int]
    wip: tuple[WipItem, ...]


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def flow_metrics(
    view: WorkspaceView, project: str, start: date | None = None, end: date | None = None
) -> FlowMetrics:
    """Flow metrics of ``project``'s board for the items delivered from ``start`` (default:
    the first day an item was requested) to ``end`` (default: the view's status date).

    Example::

        flow_metrics(ws.view(), "OPS", date(2025, 3, 1), date(2025, 3, 31)).lead_time[50]
    """
    end = end or view.status_date
    found = flows(view, project)
    if start is None:
        start = min((f.requested_on for f in found if f.requested_on), default=end)
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    delivered = tuple(
        f for f in found if f.delivered_on is not None and start <= f.delivered_on <= end
    )
    weeks: dict[str, int] = {}
    day = start
    while day <= end:
        weeks.setdefault(_week(day), 0)
        day += timedelta(days=7 - day.weekday())
    for f in delivered:
        assert f.delivered_on is not None
        weeks[_week(f.delivered_on)] += 1
    at_end = [
        f
        for f in _flows_on(view, project, end)
        if f.committed_on is not None and f.delivered_on is None
    ]
    wip = tuple(
        WipItem(
            item=f.item,
            subject=f.subject,
            status=f.status or "",
            class_of_service=f.class_of_service,
            committed_on=f.committed_on,
            age=(end - f.committed_on).days + 1,
        )
        for f in at_end
        if f.committed_on is not None
    )
    lead = [f.lead_time for f in delivered if f.lead_time is not None]
    cycle = [f.cycle_time for f in delivered if f.cycle_time is not None]
    days = (end - start).days + 1
    return FlowMetrics(
        start=start,
        end=end,
        delivered=delivered,
        lead_time={p: percentile(lead, p) for p in PERCENTILES},
        cycle_time={p: percentile(cycle, p) for p in PERCENTILES},
        throughput_per_day=round(len(delivered) / days, 4),
        throughput_per_week=weeks,
        wip=tuple(sorted(wip, key=lambda w: (-w.age, w.item))),
    )


def _flows_on(view: WorkspaceView, project: str, day: date) -> list[ItemFlow]:
    entity = view.entity(project)
    fields = kanban_fields(entity)
    return [item_flow(fields, i, day) for i in board_items(view, entity.id)]


@dataclass(frozen=True)
class CfdDay:
    """How many items each column held at the end of ``day`` (board order).

    Example::

        CfdDay(day=date(2025, 3, 4), counts={"backlog": 3, "dev": 2, "done": 1})
    """

    day: date
    counts: dict[str, int]


def cumulative_flow(
    view: WorkspaceView, project: str, start: date | None = None, end: date | None = None
) -> list[CfdDay]:
    """Cumulative flow data of ``project``'s board: per day from ``start`` (default: the
    first day an item was requested) to ``end`` (default: the status date), the count of
    items in each column at the end of the day. An item whose status is not a column (the
    core's ``open``) is counted in no column.

    Example::

        [(d.day, d.counts["done"]) for d in cumulative_flow(ws.view(), "OPS")]
    """
    entity = view.entity(project)
    fields = kanban_fields(entity)
    items = board_items(view, entity.id)
    end = end or view.status_date
    if start is None:
        firsts = [i.transitions[0].on for i in items if i.transitions]
        start = min(firsts, default=end)
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    out = []
    day = start
    while day <= end:
        counts = dict.fromkeys(fields.statuses, 0)
        for item in items:
            status = item.status_on(day)
            if status in counts:
                counts[status] += 1
        out.append(CfdDay(day, counts))
        day += timedelta(days=1)
    return out


def column_counts(view: WorkspaceView, project: str) -> list[tuple[str, int, int | None]]:
    """Each column's status, the items it holds on the view's status date and its WIP
    limit (``None``: no limit).

    Example::

        column_counts(ws.view(), "OPS")  # [('backlog', 4, None), ('dev', 3, 3), ...]
    """
    entity = view.entity(project)
    fields = kanban_fields(entity)
    items = board_items(view, entity.id)
    counts = dict.fromkeys(fields.statuses, 0)
    for item in items:
        status = item.status_on(view.status_date)
        if status in counts:
            counts[status] += 1
    return [(c.status, counts[c.status], c.wip_limit) for c in fields.columns]
