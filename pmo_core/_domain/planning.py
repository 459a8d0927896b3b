"""Milestones, work items (at summary level, as connectors bring them) and baselines."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import (
    DomainModel,
    Key,
    Line,
    Name,
    NonEmptyText,
    NonNegativeMoney,
    RecordId,
    Text,
    ValueModel,
    _check_order,
)

#: How a work item's earned value is measured (PMI practice standard; ``points`` is agile
#: earned value after Sulaiman's AgileEVM). See ``sdk_docs/concepts/metrics.md``.
EvMethod = Literal[
    "percent_complete", "0/100", "50/50", "level_of_effort", "weighted_milestones", "points"
]

#: Schedule link types (MS Project): finish-to-start, start-to-start, finish-to-finish and
#: start-to-finish.
LinkType = Literal["FS", "SS", "FF", "SF"]


class Milestone(DomainModel):
    """A dated milestone (a Redmine version / MS Project milestone) of a project.

    Example::

        Milestone(project="ALPHA", name="Go live", due=date(2025, 11, 3))
    """

    store_kind = "milestone"

    project: Key
    name: Name
    due: date | None = None
    status: Literal["open", "locked", "closed"] = "open"
    completed_on: date | None = None
    description: Text = ""
    #: Set when the source it was imported from deleted it; lists hide it from that day.
    archived_on: date | None = None

    owner_field: ClassVar[str] = "project"


class WorkItemLink(ValueModel):
    """A schedule link from a predecessor work item, with a lag in working days (may be < 0).

    Example::

        WorkItemLink(predecessor="a1b2c3d4e5f6", type="FS", lag_days=2)
    """

    predecessor: RecordId
    type: LinkType = "FS"
    lag_days: float = 0


class ProgressCorrection(ValueModel):
    """A progress report that lowered a work item's percent complete, and why.

    Progress only moves forward unless someone says why it went back: each such correction
    is kept on the item (:attr:`WorkItem.corrections`, oldest first), so it is read with the
    item, without replaying the journal.

    Example::

        ProgressCorrection(on=date(2025, 5, 2), actor="kim", old_percent=60, new_percent=40,
                           comment="Migration scripts failed the dry run")
    """

    on: date
    actor: Line
    old_percent: float = Field(ge=0, le=100)
    new_percent: float = Field(ge=0, le=100)
    comment: NonEmptyText


class ProgressPoint(ValueModel):
    """A work item's progress as reported for one day: ``percent`` complete (0..100) and,
    when reported, its ``actual_cost`` to date.

    A work item keeps one point per day (:attr:`WorkItem.progress`, by day), so its progress
    on any status date is read from the item itself: the last point on or before that date.

    Example::

        ProgressPoint(on=date(2025, 3, 31), percent=40, actual_cost="12000 EUR")
    """

    on: date
    percent: float = Field(ge=0, le=100)
    actual_cost: NonNegativeMoney | None = None


class StatusChange(ValueModel):
    """A work item entering a ``status`` on a day, and who moved it (when known).

    A work item keeps one per change of status (:attr:`WorkItem.transitions`, by date, the
    last one its current status), so flow metrics (Kanban lead and cycle time, cumulative
    flow) and a Scrum burndown read when each item entered each status without replaying
    the journal. The workspace adds one whenever a write changes the item's status; an
    import may bring the source's own (Jira's changelog), kept as given.

    Example::

        StatusChange(on=date(2025, 3, 3), status="in_progress", actor="kim")
    """

    on: date
    status: Name
    actor: Line | None = None


class WorkItem(DomainModel):
    """A work item at summary level: enough for progress, earned value and roll-ups.

    ``work`` and ``remaining`` are hours; ``percent_complete`` runs 0..100; ``budget`` is the
    item's share of the BAC and ``actual_cost`` what it has cost so far (same currency).
    ``parent`` is another work item's id. ``corrections`` keeps each progress report that
    lowered ``percent_complete``, with its reason. ``progress`` is the dated history of
    percent complete and actual cost (one :class:`ProgressPoint` per day, by day): the
    workspace adds the status date's point whenever either changes, so a report on an
    earlier status date reads what was reported by then. ``points`` are story points, or a
    milestone's weight under its parent's ``weighted_milestones``. ``transitions`` is the
    dated history of its status (one :class:`StatusChange` per change, by date, dates never
    decreasing): the workspace adds one whenever a write changes the status, the first when
    the item is added.

    Example::

        WorkItem(project="ALPHA", subject="Data migration", type="task", start=date(2025, 3, 3),
                 due=date(2025, 4, 30), work=320, remaining=120, percent_complete=60,
                 budget="48000 EUR", actual_cost="30500 EUR")
    """

    store_kind = "work_item"

    #: The key of the project it belongs to.
    project: Key
    #: What it is: ``task``, ``milestone``, ``story``, ... (the methodology's types).
    type: Name = "task"
    #: What the work is, in a line.
    subject: Name
    #: Its workflow status (``open``, ``in_progress``, ``done``...).
    status: Name = "open"
    #: The id of the work item it is part of.
    parent: RecordId | None = None
    #: The person doing it.
    assignee: Line | None = None
    #: When it starts.
    start: date | None = None
    #: When it is due.
    due: date | None = None
    work: float | None = Field(default=None, ge=0, description="Estimated work in hours.")
    remaining: float | None = Field(default=None, ge=0, description="Remaining work in hours.")
    #: How much is done, 0 to 100.
    percent_complete: float = Field(default=0, ge=0, le=100)
    #: How its earned value is measured (percent complete, 0/100, 50/50, weighted milestones...).
    ev_method: EvMethod = "percent_complete"
    #: Story points, or a milestone's weight under a weighted-milestones parent.
    points: float | None = Field(default=None, ge=0)
    #: The sprint or iteration it is planned in.
    iteration: Line | None = None
    #: The id of the milestone work item it leads to.
    milestone: RecordId | None = None
    budget: NonNegativeMoney | None = Field(
        default=None, description="This item's share of the BAC."
    )
    #: What it has cost so far, in the project's currency.
    actual_cost: NonNegativeMoney | None = None
    #: Its dependencies on other work items.
    links: tuple[WorkItemLink, ...] = ()
    #: The progress reports that lowered percent complete, with their reasons.
    corrections: tuple[ProgressCorrection, ...] = ()
    #: Dated percent complete and actual cost, one point per day.
    progress: tuple[ProgressPoint, ...] = ()
    #: Dated changes of its status, the first when it was added.
    transitions: tuple[StatusChange, ...] = ()
    #: Set when the source it was imported from deleted it (a sync archives, never
    #: deletes): from that day it counts in no figure and lists hide it.
    archived_on: date | None = None

    owner_field: ClassVar[str] = "project"

    def status_on(self, day: date) -> str | None:
        """The status the item had at the end of ``day``, read from its ``transitions``
        (``None`` before the first); an item without any (stored before they were kept) has
        its current status.

        Example::

            item.status_on(date(2025, 3, 7))   # 'open'
            item.status_on(date(2025, 3, 31))  # 'in_progress'
        """
        if not self.transitions:
            return self.status
        found: str | None = None
        for change in self.transitions:
            if change.on > day:
                break
            found = change.status
        return found

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_order(self.start, self.due, "start", "due")
        for before, after in zip(self.progress, self.progress[1:], strict=False):
            if after.on <= before.on:
                raise ValueError(
                    f"progress: the point of {after.on} follows the one of {before.on}: one "
                    "point per day, by day"
                )
        for before_change, change in zip(self.transitions, self.transitions[1:], strict=False):
            if change.on < before_change.on:
                raise ValueError(
                    f"transitions: the change to {change.status!r} on {change.on} follows one "
                    f"of {before_change.on}: status changes are kept by date"
                )
        money = self.budget or self.actual_cost
        for point in self.progress:
            cost = point.actual_cost
            if cost is not None and money is not None and cost.currency != money.currency:
                raise ValueError(
                    f"progress: the actual cost of {point.on} is in {cost.currency}, not "
                    f"{money.currency}"
                )
        if self.parent is not None and self.parent == self.id:
            raise ValueError(f"parent: work item {self.id!r} cannot be its own parent")
        if (
            self.budget is not None
            and self.actual_cost is not None
            and self.budget.currency != self.actual_cost.currency
        ):
            raise ValueError(
                f"actual_cost is in {self.actual_cost.currency} but budget is in "
                f"{self.budget.currency}"
            )
        return self


class BaselineItem(ValueModel):
    """One work item's values frozen in a baseline; ``subject`` is its subject when the
    baseline was taken, so a comparison can name an item removed since.

    Example::

        BaselineItem(work_item="a1b2c3d4e5f6", subject="Data migration",
                     planned_start=date(2025, 3, 3), planned_finish=date(2025, 4, 30),
                     work=300, cost="45000 EUR")
    """

    work_item: RecordId
    subject: Line | None = None
    planned_start: date | None = None
    planned_finish: date | None = None
    work: float | None = Field(default=None, ge=0)
    cost: NonNegativeMoney | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_order(self.planned_start, self.planned_finish, "planned_start", "planned_finish")
        return self


class Baseline(DomainModel):
    """An immutable snapshot of a project's plan; ``number`` 0..10 as in MS Project.

    ``cost`` is the baseline budget (the BAC when this baseline is current); every item's cost
    must be in the same currency.

    Example::

        Baseline(project="ALPHA", number=0, taken_on=date(2025, 1, 6),
                 planned_start=date(2025, 1, 6), planned_finish=date(2025, 12, 19),
                 work=4200, cost="250000 EUR",
                 items=[BaselineItem(work_item="a1b2c3d4e5f6", cost="48000 EUR")])
    """

    store_kind = "baseline"

    project: Key
    number: int = Field(default=0, ge=0, le=10)
    name: Line = ""
    taken_on: date
    planned_start: date | None = None
    planned_finish: date | None = None
    work: float | None = Field(default=None, ge=0)
    cost: NonNegativeMoney
    items: tuple[BaselineItem, ...] = ()

    owner_field: ClassVar[str] = "project"

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_order(self.planned_start, self.planned_finish, "planned_start", "planned_finish")
        seen: set[str] = set()
        for item in self.items:
            if item.work_item in seen:
                raise ValueError(f"items: work item {item.work_item!r} appears more than once")
            seen.add(item.work_item)
            if item.cost is not None and item.cost.currency != self.cost.currency:
                raise ValueError(
                    f"items: work item {item.work_item!r} costs {item.cost.currency} but the "
                    f"baseline is in {self.cost.currency}"
                )
        return self


def with_point(
    progress: tuple[ProgressPoint, ...], point: ProgressPoint
) -> tuple[ProgressPoint, ...]:
    """``progress`` with ``point`` in its place by day; a point of the same day is replaced
    (the later report of a day is that day's).

    Example::

        with_point(item.progress, ProgressPoint(on=date(2025, 3, 31), percent=40))
    """
    kept = [p for p in progress if p.on != point.on]
    return tuple(sorted([*kept, point], key=lambda p: p.on))


def stamp_progress(item: WorkItem, before: Mapping[str, Any] | None, day: date) -> WorkItem:
    """``item`` with the point of ``day`` added (or replaced) when the write changes its
    percent complete or actual cost and does not set its progress history itself.

    ``before`` is the stored document of the item (``None`` for a new one). A new item gets
    a point only when it starts with some progress or cost. This is what keeps every write
    (an update, a replace, an import) in the dated history.

    Example::

        stamp_progress(item.replace(percent_complete=60), stored.data, date(2025, 3, 31))
    """
    doc = before or {}
    percent, cost = item.percent_complete, item.actual_cost
    if before is None:
        if not item.progress and (percent > 0 or cost is not None):
            # Built from the item's own validated values (0..100, never negative), so not
            # validated again: every imported row with progress passes here. float() as
            # validation would: the default percent complete is the int 0.
            point = ProgressPoint.model_construct(on=day, percent=float(percent), actual_cost=cost)
            return item.model_copy(update={"progress": (point,)})
        return item
    stored_cost = doc.get("actual_cost")
    now_cost = None if cost is None else cost.model_dump(mode="json")
    unchanged = float(doc.get("percent_complete") or 0) == percent and stored_cost == now_cost
    own_history = [p.model_dump(mode="json") for p in item.progress] != (doc.get("progress") or [])
    if unchanged or own_history:
        return item
    point = ProgressPoint(on=day, percent=percent, actual_cost=cost)
    return item.model_copy(update={"progress": with_point(item.progress, point)})


def with_transition(
    transitions: tuple[StatusChange, ...], change: StatusChange
) -> tuple[StatusChange, ...]:
    """``transitions`` with ``change`` appended as the latest; dated no earlier than the
    latest one kept (a change reported for an earlier day still comes last: it is the
    item's current status).

    Example::

        with_transition(item.transitions, StatusChange(on=date(2025, 3, 3), status="review"))
    """
    if transitions and change.on < transitions[-1].on:
        change = change.model_copy(update={"on": transitions[-1].on})
    return (*transitions, change)


def stamp_transition(
    item: WorkItem, before: Mapping[str, Any] | None, day: date, actor: str | None = None
) -> WorkItem:
    """``item`` with the change to its status on ``day`` added to its ``transitions`` when
    the write changes its status (or adds it) and does not set the history itself.

    ``before`` is the stored document of the item (``None`` for a new one): a new item
    without transitions gets its first, its initial status; one that brings its own (an
    import of the source's changelog) keeps them as given.

    Example::

        stamp_transition(item.replace(status="review"), stored.data, date(2025, 3, 31), "kim")
    """
    if before is None:
        if item.transitions:
            return item
        # Built from the item's own validated status and the workspace's day and actor.
        change = StatusChange.model_construct(on=day, status=item.status, actor=actor)
        return item.model_copy(update={"transitions": (change,)})
    own_history = [c.model_dump(mode="json") for c in item.transitions] != (
        before.get("transitions") or []
    )
    if before.get("status") == item.status or own_history:
        return item
    change = StatusChange(on=day, status=item.status, actor=actor)
    return item.model_copy(update={"transitions": with_transition(item.transitions, change)})


def stamp_history(
    item: WorkItem, before: Mapping[str, Any] | None, day: date, actor: str | None = None
) -> WorkItem:
    """``item`` with both of its dated histories kept: the progress point of ``day``
    (:func:`stamp_progress`) and the change of status (:func:`stamp_transition`). Every
    write of a work item passes here.

    Example::

        stamp_history(item, stored.data, date(2025, 3, 31), "kim")
    """
    return stamp_transition(stamp_progress(item, before, day), before, day, actor)
