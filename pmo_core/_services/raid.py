"""Status reports and the RAID log: the records a PMO lead enters week to week.

A RAID item is raised on an entity and keeps its history on itself (re-scorings,
escalations, reopenings), so ``pmo raid show`` and the JSON read it without replaying the
journal; the journal has every write too, by its actor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from pydantic import ValidationError

from .._domain import (
    EscalationStep,
    RaidItem,
    Reopening,
    ScoreChange,
    StatusReport,
    ValueModel,
    not_applicable,
)
from .._domain.raid import RaidType
from .._errors import ConflictError, InvalidInputError, validation_message
from .entities import EntityService
from .lifecycle import check_live
from .records import entity_in, validated
from .refs import find_by_ref

if TYPE_CHECKING:
    from .._workspace import Workspace

_TYPES: tuple[str, ...] = get_args(RaidType)

V = TypeVar("V", bound=ValueModel)


# Fields update_raid() does not change, and what does instead: each has a verb of its own,
# so its history is kept, or it is not a field a correction should move.
_NOT_BY_UPDATE: dict[str, str] = {
    "id": "an item's id cannot change",
    "version": "the store sets the version; pass expected_version",
    "type": "an item's type cannot change: raise a new item",
    "entity": "the entity an item was raised on cannot change: escalate it instead",
    "status": "use close_raid() or reopen_raid()",
    "closed_on": "use close_raid()",
    "resolution": "use close_raid()",
    "escalations": "use escalate_raid()",
    "score_history": "it is kept by update_raid() when probability or impact change",
    "reopenings": "it is kept by reopen_raid()",
    "approved": "a change request's approval is a decision of its own, not an edit",
    "approvals": "they are recorded by approve_change()",
    "baseline_number": "it is the baseline approve_change() took",
    "requested_by": "who asked for a change stays on record (it may not approve it)",
    "assessment": "use assess_change()",
}
# A change request's decision fields: set by approve_change() / reject_change() only.
_DECIDED_BY_VERB = ("decided_by", "decided_on")

# Dates of things that have happened: they cannot be after the status date.
_PAST_DATES = ("raised_on", "decided_on", "delivered_on")


def side(item: RaidItem, keys: frozenset[str] | None) -> str | None:
    """Which side of a dependency a listing of ``keys`` sees: ``outgoing`` when the item
    was raised in it, ``incoming`` when it is another's dependency on it; ``None`` for an
    item of another type.

    Example::

        side(dependency_of_gamma_on_beta, view.scope_keys("BETA"))  # 'incoming'
    """
    if item.type != "dependency":
        return None
    if keys is not None and item.entity not in keys and item.depends_on in keys:
        return "incoming"
    return "outgoing"


class RaidService:
    """Records status reports and RAID items, dated on the workspace's status date."""

    def __init__(self, ws: Workspace, entities: EntityService) -> None:
        self._ws = ws
        self._entities = entities

    def report_status(self, entity: str, fields: dict[str, Any]) -> StatusReport:
        """See :meth:`Workspace.report_status <pmo_core.Workspace.report_status>`."""
        today = self._ws.today()
        data = {"entity": entity, "as_of": today, "author": self._ws.actor, **fields}
        report = validated(StatusReport, data)
        if report.as_of > today:
            # A report dated ahead would stay invisible until that day, then appear unbidden.
            raise InvalidInputError(
                f"as_of {report.as_of} is after the status date {today}", where="as_of"
            )
        return self._entities.add_many([report], "status report")[0]

    # ------------------------------------------------------------------ reads

    def find(self, ref: str) -> RaidItem:
        """See :meth:`Workspace.raid_item <pmo_core.Workspace.raid_item>`."""
        return find_by_ref(self._ws, RaidItem, ref, what="RAID item", listing="pmo raid list")

    def log(self, entity: str | None, type: str | None, open_only: bool) -> list[RaidItem]:
        """See :meth:`Workspace.raid_log <pmo_core.Workspace.raid_log>`."""
        return self._ws.view().raid_log(entity, type=type, open_only=open_only)

    # ----------------------------------------------------------------- writes

    def add(
        self, entity: str, type: str, title: str, command: str, fields: dict[str, Any]
    ) -> RaidItem:
        """See :meth:`Workspace.add_raid <pmo_core.Workspace.add_raid>`."""
        if type in _TYPES:
            # A bad type is the model's to report; for a good one, name the misplaced field.
            self._check_applies(type, fields)
        data = {
            "entity": entity,
            "type": type,
            "title": title,
            "raised_on": self._ws.today(),
            **fields,
        }
        if type == "decision" and data.get("decided_on") is None:
            # A decision recorded without a date was taken the day it was recorded.
            data["decided_on"] = data["raised_on"]
        if type == "change" and data.get("requested_by") is None:
            # Who asked is recorded however the change is raised: the matrix may bar them
            # from approving it.
            data["requested_by"] = self._ws.actor
        item = validated(RaidItem, data)
        self._check_input(item, {"raised_on", *fields})
        return self._entities.add_many([item], command)[0]

    def update(
        self,
        ref: str,
        changes: Mapping[str, Any],
        comment: str,
        expected_version: int | None,
    ) -> RaidItem:
        """See :meth:`Workspace.update_raid <pmo_core.Workspace.update_raid>`."""
        for field in changes:
            if field in _NOT_BY_UPDATE:
                raise InvalidInputError(
                    f"{field} cannot be changed by an update: {_NOT_BY_UPDATE[field]}",
                    where=field,
                )
        current = self.find(ref)
        if expected_version is not None and expected_version != current.version:
            raise ConflictError(
                f"RAID item {current.id} is at version {current.version}, not the expected "
                f"version {expected_version}: it changed since it was read; read it again"
            )
        self._check_applies(current.type, changes)
        if current.type == "change":
            for field in _DECIDED_BY_VERB:
                if field in changes:
                    raise InvalidInputError(
                        f"{field} of a change request is set by its decision: use "
                        "approve_change() or reject_change()",
                        where=field,
                    )
        rescored = "probability" in changes or "impact" in changes
        if comment.strip() and not rescored:
            raise InvalidInputError(
                "a comment is recorded with a re-score: give probability or impact too",
                where="comment",
            )
        updated = self._replace(current, **changes)
        if (updated.probability, updated.impact) != (current.probability, current.impact):
            change = _value(
                ScoreChange,
                {
                    "on": self._ws.today(),
                    "actor": self._ws.actor,
                    "old_probability": current.probability,
                    "old_impact": current.impact,
                    "new_probability": updated.probability,
                    "new_impact": updated.impact,
                    "comment": comment,
                },
            )
            updated = self._replace(updated, score_history=(*current.score_history, change))
        if updated.to_document() == current.to_document():
            return current  # nothing changed: nothing to journal
        self._check_input(updated, changes)
        return self.write(updated, "raid update")

    def close(self, ref: str, resolution: str, on: date | None) -> RaidItem:
        """See :meth:`Workspace.close_raid <pmo_core.Workspace.close_raid>`."""
        item = self.find(ref)
        if item.status == "closed":
            raise ConflictError(f"RAID item {item.id} is already closed (on {item.closed_on})")
        if not resolution.strip():
            raise InvalidInputError("say how the item was resolved", where="resolution")
        closed_on = on or self._ws.today()
        closed = self._replace(item, status="closed", closed_on=closed_on, resolution=resolution)
        self._check_day(closed_on, item, "on")
        return self.write(closed, "raid close")

    def reopen(self, ref: str, comment: str) -> RaidItem:
        """See :meth:`Workspace.reopen_raid <pmo_core.Workspace.reopen_raid>`."""
        item = self.find(ref)
        if item.status != "closed":
            raise ConflictError(f"RAID item {item.id} is open; only a closed item is reopened")
        reopening = _value(
            Reopening,
            {
                "on": self._ws.today(),
                "actor": self._ws.actor,
                "comment": _required(comment, "say why the item is reopened"),
                # The closure that did not hold stays on record, not only in the journal.
                "closed_on": item.closed_on,
                "resolution": item.resolution,
            },
        )
        reopened = self._replace(
            item,
            status="open",
            closed_on=None,
            resolution=None,
            reopenings=(*item.reopenings, reopening),
        )
        return self.write(reopened, "raid reopen")

    def escalate(self, ref: str, to: str | None, comment: str) -> RaidItem:
        """See :meth:`Workspace.escalate_raid <pmo_core.Workspace.escalate_raid>`."""
        item = self.find(ref)
        if item.status == "closed":
            raise ConflictError(f"RAID item {item.id} is closed: reopen it before escalating it")
        comment = _required(comment, "say why the item is escalated")
        view = self._ws.view()
        held_by = item.escalated_to or item.entity
        holder = view.entity(held_by)
        above = view.ancestor_ids(held_by)
        if to is None:
            if not above:
                raise InvalidInputError(
                    f"{holder.kind} {held_by} has no parent: there is no scope above it to "
                    "escalate to"
                )
            target = above[0]
        else:
            target = to.strip()
            if view.find(target) is None:
                raise InvalidInputError(f"no portfolio, program or project {target!r}", where="to")
            if target not in above:
                listed = ", ".join(above) if above else "nothing"
                raise InvalidInputError(
                    f"{target} is not above {held_by} (above it: {listed})", where="to"
                )
        step = _value(
            EscalationStep,
            {
                "on": self._ws.today(),
                "actor": self._ws.actor,
                "from_entity": held_by,
                "to_entity": target,
                "comment": comment,
            },
        )
        escalated = self._replace(item, escalations=(*item.escalations, step))
        return self.write(escalated, "raid escalate")

    # ---------------------------------------------------------------- helpers

    def write(self, item: RaidItem, command: str, what: str = "a RAID item") -> RaidItem:
        """Store a changed RAID item (or change request, ``what``) at the version it was read
        at; refused on a closed or killed entity, whose log is history."""
        # The version read is the one expected: a write in between is a ConflictError.
        with self._ws.transaction(command) as tx:
            owner = entity_in(tx, item.entity)
            if owner is not None:
                check_live(owner, f"change {what} of")
            doc = tx.update(
                item.store_kind,
                item.id,
                item.to_document(),
                expected_version=item.version,
                owner=item.owner,
            )
        if item.type == "risk":  # a re-scored or closed risk moves the risk tolerance
            self._entities.plan_changed([item.entity])
        return RaidItem.from_document(doc.data, doc.version)

    @staticmethod
    def _replace(item: RaidItem, **changes: Any) -> RaidItem:
        try:
            return item.replace(**changes)
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc)) from None

    @staticmethod
    def _check_applies(type: str, fields: Mapping[str, Any]) -> None:
        for field, value in fields.items():
            problem = not_applicable(field, type) if value is not None else None
            if problem:
                raise InvalidInputError(problem, where=field)

    def _check_input(self, item: RaidItem, fields: Iterable[str]) -> None:
        """Checks of what a caller sets now: dates of what has happened against the status
        date, and the entity a dependency names. (A due date may be past: an overdue issue is
        still worth logging.) Stored values are not checked again, so an item
        stays editable whatever an older version let in."""
        fields = set(fields)
        today = self._ws.today()
        for field in _PAST_DATES:
            value = getattr(item, field)
            if field in fields and value is not None and value > today:
                raise InvalidInputError(
                    f"{field} {value} is after the status date {today}", where=field
                )
        if "depends_on" in fields and item.depends_on is not None:
            key = item.depends_on
            if key == item.entity:
                raise InvalidInputError(
                    f"{key} cannot depend on itself: name the project it waits for",
                    where="depends_on",
                )
            if self._ws.view().find(key) is None:
                raise InvalidInputError(
                    f"no portfolio, program or project {key!r}", where="depends_on"
                )

    def _check_day(self, day: date, item: RaidItem, where: str) -> None:
        today = self._ws.today()
        if day > today:
            raise InvalidInputError(f"{day} is after the status date {today}", where=where)
        if item.raised_on is not None and day < item.raised_on:
            raise InvalidInputError(
                f"{day} is before the item was raised ({item.raised_on})", where=where
            )


def _value(cls: type[V], data: Mapping[str, Any]) -> V:
    # A history entry holds what the caller typed (a comment): a bad one names its field.
    try:
        return cls.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _required(text: str, why: str) -> str:
    if not text.strip():
        raise InvalidInputError(why, where="comment")
    return text
