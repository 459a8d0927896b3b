"""Plan and progress: a project's work items and milestones, entered week to week.

A work item or a milestone is named by its id or a unique start of it (see
:func:`~pmo_core._services.refs.find_by_ref`). Every write is checked whole before anything
is written, refused on a closed or killed project, and goes through the entity service, which
journals it with its actor and raises the tolerance exceptions it makes due.

Progress moves forward: a percent complete below the current one is a correction, accepted
only with a comment, which the item keeps in its ``corrections``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from .._domain import (
    DomainModel,
    Entity,
    Milestone,
    Money,
    ProgressCorrection,
    ProgressPoint,
    StatusChange,
    WorkItem,
)
from .._domain.planning import with_point, with_transition
from .._errors import ConflictError, InvalidInputError, validation_message
from .entities import EntityService
from .lifecycle import check_live
from .records import validated
from .refs import find_by_ref

if TYPE_CHECKING:
    from .._workspace import Workspace

M = TypeVar("M", bound=DomainModel)

#: The statuses progress sets. Other statuses (an import's "In review") are the source's:
#: progress keeps them, until the item is done.
OPEN, IN_PROGRESS, DONE = "open", "in_progress", "done"

_PROGRESS = "progress is reported: use record_progress() ('pmo work progress')"

# Fields update_work_item() does not change, and what does instead.
_WORK_NOT_BY_UPDATE: dict[str, str] = {
    "id": "a work item's id cannot change",
    "version": "the store sets the version; pass expected_version",
    "project": "a work item cannot move to another project: add it there",
    "percent_complete": _PROGRESS,
    "remaining": _PROGRESS,
    "actual_cost": _PROGRESS,
    "corrections": "they are kept by record_progress() when progress goes back",
    "progress": "it is the history record_progress() keeps, one point per day",
    "transitions": "they are kept by every change of status, one per change",
}

# Fields update_milestone() does not change, and what does instead.
_MILESTONE_NOT_BY_UPDATE: dict[str, str] = {
    "id": "a milestone's id cannot change",
    "version": "the store sets the version; pass expected_version",
    "project": "a milestone cannot move to another project: add it there",
    "status": "use complete_milestone() ('pmo milestone done')",
    "completed_on": "use complete_milestone() ('pmo milestone done')",
}

_WORK_LISTING = "pmo work list PROJECT"
_MILESTONE_LISTING = "pmo milestone list PROJECT"


def live_project(ws: Workspace, key: str, action: str) -> Entity:
    """The project ``key``, refused when it is another kind of entity or has ended
    (closed or killed: its plan is history).

    Example::

        live_project(ws, "ALPHA", "add a work item to")
    """
    entity = ws.view().entity(key)
    if entity.kind != "project":
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}: work items, milestones, costs and forecasts "
            "belong to a project",
            where="project",
        )
    check_live(entity, action)
    return entity


def in_currency(project: Entity, value: Money | str | dict[str, Any], where: str) -> Money:
    """``value`` as money in the project's currency; another currency is refused, since
    pmo-core keeps no exchange rates to convert it with.

    Example::

        in_currency(alpha, "1200.50 EUR", "amount")  # Money 1200.50 EUR
    """
    try:
        money = Money.parse(value)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where=where) from None
    if money.currency != project.currency:
        raise InvalidInputError(
            f"{money} is in {money.currency} but project {project.id} is kept in "
            f"{project.currency}: convert it to {project.currency} first (pmo-core keeps no "
            "exchange rates)",
            where=where,
        )
    return money


def percent_text(value: float | Decimal) -> str:
    """A percentage as typed: ``60`` rather than ``60.0``.

    Example::

        percent_text(62.5)  # '62.5%'
    """
    return f"{float(value):g}%"


def status_after(current: str, percent: float) -> str:
    """The status a work item takes when its progress becomes ``percent``: done at 100;
    in progress once started; back in progress (or open) when a done item is corrected.

    Example::

        status_after("open", 40)  # 'in_progress'
    """
    if percent >= 100:
        return DONE
    if current == DONE:
        return IN_PROGRESS if percent > 0 else OPEN
    if current == OPEN and percent > 0:
        return IN_PROGRESS
    return current


def replaced(record: M, **changes: Any) -> M:
    """``record`` with ``changes``, validated; a bad value names its field.

    Example::

        replaced(item, due=date(2025, 6, 30))
    """
    try:
        return record.replace(**changes)
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _refuse(fields: Mapping[str, Any], refused: Mapping[str, str], what: str) -> None:
    for field in fields:
        if field in refused:
            raise InvalidInputError(
                f"{field} cannot be changed by an update of a {what}: {refused[field]}",
                where=field,
            )


def _check_version(record: DomainModel, expected: int | None, what: str) -> None:
    if expected is not None and expected != record.version:
        raise ConflictError(
            f"{what} {record.id} is at version {record.version}, not the expected version "
            f"{expected}: it changed since it was read; read it again"
        )


def _percent(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidInputError(f"{value!r} is not a number", where="percent_complete")
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise InvalidInputError(
            f"{value} is not a percentage from 0 to 100", where="percent_complete"
        )
    return number


class PlanningService:
    """Adds, changes and progresses a project's work items and milestones."""

    def __init__(self, ws: Workspace, entities: EntityService) -> None:
        self._ws = ws
        self._entities = entities

    # ------------------------------------------------------------------ reads

    def work_item(
        self, ref: str, *, project: str | None = None, where: str | None = None
    ) -> WorkItem:
        """See :meth:`Workspace.work_item <pmo_core.Workspace.work_item>`; with ``project``,
        only that project's items count, and ``where`` names the field that refers to it."""
        return find_by_ref(
            self._ws,
            WorkItem,
            ref,
            what="work item",
            listing=_WORK_LISTING.replace("PROJECT", project or "PROJECT"),
            owner=project,
            where=where,
        )

    def milestone(
        self, ref: str, *, project: str | None = None, where: str | None = None
    ) -> Milestone:
        """See :meth:`Workspace.milestone <pmo_core.Workspace.milestone>`."""
        return find_by_ref(
            self._ws,
            Milestone,
            ref,
            what="milestone",
            listing=_MILESTONE_LISTING.replace("PROJECT", project or "PROJECT"),
            owner=project,
            where=where,
        )

    def work_items(self, project: str) -> list[WorkItem]:
        """See :meth:`Workspace.work_items <pmo_core.Workspace.work_items>`."""
        view = self._ws.view()
        return view.work_items(view.entity(project).id)

    def milestones(self, project: str) -> list[Milestone]:
        """See :meth:`Workspace.milestones <pmo_core.Workspace.milestones>`."""
        view = self._ws.view()
        return view.milestones(view.entity(project).id)

    # ------------------------------------------------------------ work items

    def add_work_item(self, project: str, subject: str, fields: Mapping[str, Any]) -> WorkItem:
        """See :meth:`Workspace.add_work_item <pmo_core.Workspace.add_work_item>`."""
        entity = live_project(self._ws, project, "add a work item to")
        data: dict[str, Any] = {"project": entity.id, "subject": subject, **fields}
        self._prepare(entity, data)
        item = validated(WorkItem, data)
        return self._entities.add_many([item], "work add")[0]

    def update_work_item(
        self, ref: str, changes: Mapping[str, Any], expected_version: int | None
    ) -> WorkItem:
        """See :meth:`Workspace.update_work_item <pmo_core.Workspace.update_work_item>`."""
        _refuse(changes, _WORK_NOT_BY_UPDATE, "work item")
        current = self.work_item(ref)
        _check_version(current, expected_version, "work item")
        entity = live_project(self._ws, current.project, "change a work item of")
        if "status" in changes:
            _check_move(current, changes["status"])
        data = dict(changes)
        self._prepare(entity, data)
        if data.get("parent") is not None:
            self._check_no_cycle(current, str(data["parent"]))
        updated = replaced(current, **data)
        if updated.to_document() == current.to_document():
            return current  # nothing changed: nothing to journal
        return self._entities.replace(updated, "work update")

    def record_progress(
        self,
        ref: str,
        percent: float | Decimal,
        *,
        actual_cost: Money | str | None,
        remaining: float | None,
        comment: str,
        on: date | None = None,
    ) -> WorkItem:
        """See :meth:`Workspace.record_progress <pmo_core.Workspace.record_progress>`."""
        current = self.work_item(ref)
        entity = live_project(self._ws, current.project, "report progress on")
        new = _percent(percent)
        today = self._ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(
                f"{day} is after the status date {today}: progress is reported once it is made",
                where="on",
            )
        # A report dated before the item's latest point corrects the history only: the
        # item's percent, cost, status and remaining work are those of its latest report.
        latest = not any(p.on > day for p in current.progress)
        if latest:
            was = current.percent_complete
        else:
            was = next((p.percent for p in reversed(current.progress) if p.on <= day), 0.0)
        cost = None if actual_cost is None else in_currency(entity, actual_cost, "actual_cost")
        changes: dict[str, Any] = {}
        if latest:
            changes = {"percent_complete": new, "status": status_after(current.status, new)}
            if cost is not None:
                changes["actual_cost"] = cost
            if remaining is not None:
                if new >= 100 and remaining != 0:
                    raise InvalidInputError(
                        f"{remaining:g} hours remain but the item is 100% complete: give the "
                        "percent done so far, or no remaining work",
                        where="remaining",
                    )
                changes["remaining"] = remaining
            elif new >= 100 and current.remaining:
                changes["remaining"] = 0  # done: nothing remains
        elif remaining is not None:
            raise InvalidInputError(
                f"the hours remaining are today's: work item {current.id} has progress reported "
                f"after {day}, so give them with a report of today",
                where="remaining",
            )
        comment = comment.strip()
        if new < was:
            if not comment:
                then = "current " if latest else ""
                raise InvalidInputError(
                    f"{percent_text(new)} is below the {then}{percent_text(was)} of work item "
                    f"{current.id}{'' if latest else f' on {day}'}: a correction needs a "
                    "comment saying why progress went back",
                    where="comment",
                )
            correction = _value(
                ProgressCorrection,
                {
                    "on": day,
                    "actor": self._ws.actor,
                    "old_percent": was,
                    "new_percent": new,
                    "comment": comment,
                },
            )
            changes["corrections"] = (*current.corrections, correction)
        elif comment:
            raise InvalidInputError(
                "a comment is recorded with a correction: give a percent below the "
                f"{'current ' if latest else ''}{percent_text(was)}"
                f"{'' if latest else f' of {day}'}",
                where="comment",
            )
        status = changes.get("status", current.status)
        if status != current.status:
            # The status changes on the day of the report, not the day it is typed.
            change = _status_change({"on": day, "status": status, "actor": self._ws.actor})
            changes["transitions"] = with_transition(current.transitions, change)
        point_cost = cost if cost is not None or not latest else current.actual_cost
        point = _point({"on": day, "percent": new, "actual_cost": point_cost})
        changes["progress"] = with_point(current.progress, point)
        updated = replaced(current, **changes)
        if updated.to_document() == current.to_document():
            return current
        return self._entities.replace(updated, "work progress")

    def move_work_item(self, ref: str, status: str, on: date | None) -> WorkItem:
        """See :meth:`Workspace.move_work_item <pmo_core.Workspace.move_work_item>`."""
        current = self.work_item(ref)
        live_project(self._ws, current.project, "move a work item of")
        status = str(status).strip() if isinstance(status, str) else status
        if status == DONE and current.status != DONE:
            later = [p.on for p in current.progress if on is not None and p.on > on]
            if later:
                raise InvalidInputError(
                    f"work item {current.id} has progress reported on {max(later)}, after "
                    f"{on}: it is done on that day or later",
                    where="on",
                )
            # Done is 100 % complete: the move is that progress report, on that day.
            return self.record_progress(
                current.id, 100, actual_cost=None, remaining=None, comment="", on=on
            )
        _check_move(current, status)
        today = self._ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(
                f"{day} is after the status date {today}: a work item moves once it does",
                where="on",
            )
        if status == current.status:
            return current
        change = _status_change({"on": day, "status": status, "actor": self._ws.actor})
        updated = replaced(
            current, status=status, transitions=with_transition(current.transitions, change)
        )
        return self._entities.replace(updated, "work move")

    def _prepare(self, project: Entity, data: dict[str, Any]) -> None:
        """Money in the project's currency; references to a milestone or a parent work item
        (an id or a unique start) resolved to ids of the same project."""
        for field in ("budget", "actual_cost"):
            if data.get(field) is not None:
                data[field] = in_currency(project, data[field], field)
        if data.get("milestone") is not None:
            data["milestone"] = self.milestone(
                str(data["milestone"]), project=project.id, where="milestone"
            ).id
        if data.get("parent") is not None:
            data["parent"] = self.work_item(
                str(data["parent"]), project=project.id, where="parent"
            ).id

    def _check_no_cycle(self, item: WorkItem, parent: str) -> None:
        parents: dict[str, str | None] = {
            str(i): p
            for i, p in self._ws.view().values("work_item", ["id", "parent"], owner=item.project)
        }
        if parent == item.id:
            raise InvalidInputError(f"work item {item.id} cannot be its own parent", where="parent")
        step: str | None = parent
        seen: set[str] = set()
        while step is not None and step not in seen:
            if step == item.id:
                raise InvalidInputError(
                    f"work item {parent} is below {item.id}: it cannot be its parent too",
                    where="parent",
                )
            seen.add(step)
            step = parents.get(step)

    # ------------------------------------------------------------- milestones

    def add_milestone(
        self, project: str, name: str, due: date, fields: Mapping[str, Any]
    ) -> Milestone:
        """See :meth:`Workspace.add_milestone <pmo_core.Workspace.add_milestone>`."""
        entity = live_project(self._ws, project, "add a milestone to")
        if due is None:
            raise InvalidInputError("a milestone needs a due date", where="due")
        data = {"project": entity.id, "name": name, "due": due, **fields}
        milestone = validated(Milestone, data)
        return self._entities.add_many([milestone], "milestone add")[0]

    def update_milestone(
        self, ref: str, changes: Mapping[str, Any], expected_version: int | None
    ) -> Milestone:
        """See :meth:`Workspace.update_milestone <pmo_core.Workspace.update_milestone>`."""
        _refuse(changes, _MILESTONE_NOT_BY_UPDATE, "milestone")
        if "due" in changes and changes["due"] is None:
            raise InvalidInputError("a milestone needs a due date", where="due")
        current = self.milestone(ref)
        _check_version(current, expected_version, "milestone")
        live_project(self._ws, current.project, "change a milestone of")
        updated = replaced(current, **changes)
        if updated.to_document() == current.to_document():
            return current
        return self._entities.replace(updated, "milestone update")

    def complete_milestone(self, ref: str, on: date | None) -> Milestone:
        """See :meth:`Workspace.complete_milestone <pmo_core.Workspace.complete_milestone>`."""
        current = self.milestone(ref)
        live_project(self._ws, current.project, "complete a milestone of")
        if current.status == "closed":
            raise ConflictError(
                f"milestone {current.id} ({current.name}) is done already "
                f"(on {current.completed_on or 'an unknown day'})"
            )
        today = self._ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(
                f"{day} is after the status date {today}: a milestone is done once it is",
                where="on",
            )
        updated = replaced(current, status="closed", completed_on=day)
        return self._entities.replace(updated, "milestone done")


def _check_move(current: WorkItem, status: Any) -> None:
    """Refuse a change of status that progress owns: done is 100 % complete, and a done
    item goes back only by a correction of its progress."""
    if not isinstance(status, str) or not status.strip():
        raise InvalidInputError(f"{status!r} is not a status", where="status")
    if status == DONE and current.status != DONE:
        raise InvalidInputError(
            f"work item {current.id} is done when it is 100% complete: report it with "
            "record_progress() ('pmo work progress REF --percent 100') or move it "
            "('pmo work move REF done')",
            where="status",
        )
    if current.status == DONE and status != DONE:
        raise InvalidInputError(
            f"work item {current.id} is done (100% complete): to reopen it, correct its "
            "progress below 100 with a comment ('pmo work progress REF --percent N --comment "
            "WHY')",
            where="status",
        )


def _status_change(data: Mapping[str, Any]) -> StatusChange:
    try:
        return StatusChange.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _point(data: Mapping[str, Any]) -> ProgressPoint:
    try:
        return ProgressPoint.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _value(cls: type[ProgressCorrection], data: Mapping[str, Any]) -> ProgressCorrection:
    # A history entry holds what the caller typed (a comment): a bad one names its field.
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None
