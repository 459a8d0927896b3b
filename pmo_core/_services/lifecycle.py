"""The lifecycle of a portfolio, program or project: proposed, active, on hold, killed, closed.

Every change of state is a decision of the approval matrix (hold, resume, kill, close,
reopen; activation is a ``go``), recorded on the entity with who, when and why. Killed is
final: only an approved ``reopen`` brings the entity back, as proposed. Closed is read-only
except for lessons.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._domain import Approval, Entity, LessonLearned, StatusReport
from .._errors import ConflictError, InvalidInputError
from .._view import WorkspaceView
from .records import entity_in, validated

if TYPE_CHECKING:
    from .._store.protocol import Transaction
    from .._workspace import Workspace
    from .approvals import ApprovalService

#: The decision of the approval matrix each change of state is.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("proposed", "active"): "go",
    ("proposed", "on_hold"): "hold",
    ("active", "on_hold"): "hold",
    ("on_hold", "active"): "resume",
    ("proposed", "killed"): "kill",
    ("active", "killed"): "kill",
    ("on_hold", "killed"): "kill",
    ("active", "closed"): "close",
    ("on_hold", "closed"): "close",
    ("killed", "proposed"): "reopen",
}

# The status a state implies, so a health column never shows a killed project on track.
_STATUS_OF: dict[str, str] = {"on_hold": "on_hold", "killed": "discontinued", "closed": "finished"}


def check_live(entity: Entity, action: str) -> None:
    """Refuse ``action`` on a killed or closed entity, saying why and what would allow it.

    Example::

        check_live(view.entity("BETA"), "add work to")
        # ConflictError: BETA is killed (2026-03-02 by kim): killed is final; ...
    """
    if not entity.ended:
        return
    when = f" ({entity.lifecycle_on} by {entity.lifecycle_by})" if entity.lifecycle_on else ""
    if entity.lifecycle == "killed":
        raise ConflictError(
            f"cannot {action} {entity.id}: it is killed{when}; killed is final, reopening "
            f"needs an approved request ('pmo {entity.kind} update {entity.id} "
            "--lifecycle proposed --approver ...')"
        )
    raise ConflictError(
        f"cannot {action} {entity.id}: it is closed{when}; a closed {entity.kind} is "
        "read-only except for lessons ('pmo lesson add')"
    )


def transition_decision(entity: Entity, to: str) -> str:
    """The decision moving ``entity`` to the state ``to``; refused when no such move exists.

    Example::

        transition_decision(view.entity("ALPHA"), "on_hold")  # 'hold'
    """
    current = entity.lifecycle
    if current == to:
        raise InvalidInputError(f"{entity.id} is already {to}", where="--lifecycle")
    decision = TRANSITIONS.get((current, to))
    if decision is not None:
        return decision
    if current == "killed":
        check_live(entity, f"make {to}")
    if current == "closed":
        check_live(entity, f"make {to}")
    moves = sorted(t for (f, t) in TRANSITIONS if f == current)
    raise InvalidInputError(
        f"{entity.id} cannot go from {current} to {to} (from {current}: {', '.join(moves)})",
        where="--lifecycle",
    )


def transition_changes(
    entity: Entity, to: str, *, on: date, by: str, reason: str
) -> dict[str, Any]:
    """The fields a move to ``to`` sets on ``entity``: the state, who, when, why, and the
    status the state implies.

    Example::

        transition_changes(alpha, "killed", on=date(2026, 3, 2), by="kim", reason="no market")
    """
    changes: dict[str, Any] = {
        "lifecycle": to,
        "lifecycle_on": on,
        "lifecycle_by": by,
        "lifecycle_reason": reason,
    }
    if to in _STATUS_OF:
        changes["status"] = _STATUS_OF[to]
    elif entity.status is not None and entity.status.value in _STATUS_OF.values():
        # Resumed or reopened: no longer on hold or discontinued; back to the field's
        # default (not started), since the health it had before is no longer known.
        changes["status"] = type(entity).model_fields["status"].default
    if to == "closed" and entity.actual_finish is None and entity.actual_start is not None:
        changes["actual_finish"] = on
    return changes


class LifecycleService:
    """Moves entities through their lifecycle with the approvals the model asks for."""

    def __init__(self, ws: Workspace, approvals: ApprovalService) -> None:
        self._ws = ws
        self._approvals = approvals

    def change(
        self,
        entity: str,
        to: str,
        *,
        approvers: Iterable[str | Approval],
        comment: str,
        on: date | None,
        lessons: Iterable[str] = (),
    ) -> Entity:
        """See :meth:`Workspace.change_lifecycle <pmo_core.Workspace.change_lifecycle>`."""
        ws = self._ws
        day = on or ws.today()
        if day > ws.today():
            raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
        view = ws.view()
        target = view.entity(entity)
        decision = transition_decision(target, to)
        if not comment.strip():
            raise InvalidInputError(
                f"say why {target.id} becomes {to} (a {decision} is recorded with its reason)",
                where="--comment",
            )
        lessons = [text for text in lessons if text.strip()]
        if decision == "close" and not lessons:
            raise InvalidInputError(
                f"closing {target.id} records its lessons learned: give at least one "
                "(--lesson TEXT)",
                where="--lesson",
            )
        approvals = self._approvals.authorize(
            target, decision, approvers, view=view, decided_on=day, what=f"{decision} {target.id}"
        )
        changes = transition_changes(target, to, on=day, by=ws.actor, reason=comment)
        if decision == "resume":
            before = self._status_before_hold(target)
            if before is not None:
                changes["status"] = before
        records: list[Any] = [
            validated(
                LessonLearned,
                {
                    "entity": target.id,
                    "phase": target.phase,
                    "what_happened": text,
                    "recorded_on": day,
                    "author": ws.actor,
                },
                where="--lesson",
            )
            for text in lessons
        ]
        if decision == "close":
            records.append(closure_report(target, view, day, ws.actor, comment, approvals))
        with ws.transaction(f"{target.kind} {decision}") as tx:
            updated = _apply(tx, target.id, changes)
            for record in records:
                tx.insert(record.store_kind, record.id, record.to_document(), owner=target.id)
        return updated

    def _status_before_hold(self, entity: Entity) -> str | None:
        """The status the entity had when it was put on hold, from the journal (a resumed
        project is as healthy as it was, not "not started")."""
        for entry in reversed(self._ws.journal(kind=entity.kind, id=entity.id)):
            after, before = entry.after or {}, entry.before or {}
            if after.get("lifecycle") == "on_hold" and before.get("lifecycle") != "on_hold":
                status = before.get("status")
                return str(status) if status and status != "on_hold" else None
        return None

    def add_lesson(self, entity: str, what_happened: str, fields: dict[str, Any]) -> LessonLearned:
        """See :meth:`Workspace.add_lesson <pmo_core.Workspace.add_lesson>`."""
        ws = self._ws
        target = ws.view().entity(entity)
        day = fields.pop("recorded_on", None) or ws.today()
        if day > ws.today():
            raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
        lesson = validated(
            LessonLearned,
            {
                "entity": target.id,
                "phase": target.phase,
                "author": ws.actor,
                **fields,
                "what_happened": what_happened,
                "recorded_on": day,
            },
            where=f"lesson of {target.id}",
        )
        # Lessons are the one thing a closed or killed entity still takes.
        [stored] = ws.add_many([lesson], command="lesson add")
        return stored


def _apply(tx: Transaction, entity: str, changes: dict[str, Any]) -> Entity:
    current = entity_in(tx, entity)
    if current is None:
        raise ConflictError(f"{entity} was removed meanwhile")
    updated = current.replace(**changes)
    doc = tx.update(current.kind, entity, updated.to_document(), expected_version=current.version)
    return type(current).from_document(doc.data, doc.version)


def closure_report(
    entity: Entity,
    view: WorkspaceView,
    day: date,
    author: str,
    summary: str,
    approvals: Iterable[Approval],
) -> StatusReport:
    """The closure (end-project) report: the final figures frozen as of ``day``.

    Its colour is the last status report's (a closure does not repaint the project); the
    metrics hold the budget, the actual cost booked, planned and actual dates, and what is
    left open.

    Example::

        closure_report(alpha, view, date(2026, 11, 30), "kim", "Delivered", ()).metrics
    """
    latest = view.latest_status(entity.id)
    if latest is None:
        raise InvalidInputError(
            f"{entity.id} has no status report: record its final status before closing "
            f"('pmo status report {entity.id} --overall ...')",
            where="--lifecycle",
        )
    # Per currency: amounts in two currencies are never added together.
    actual: dict[str, Decimal] = {}
    for entry in view.cost_entries(entity.id):
        if entry.incurred_on <= day:
            currency = entry.amount.currency
            actual[currency] = actual.get(currency, Decimal(0)) + entry.amount.amount
    open_raid = view.raid(entity.id, open_only=True)
    metrics: dict[str, Any] = {
        "budget": str(entity.budget) if entity.budget else None,
        "actual_cost": {currency: str(amount) for currency, amount in sorted(actual.items())},
        "planned_start": _iso(entity.planned_start),
        "planned_finish": _iso(entity.planned_finish),
        "actual_start": _iso(entity.actual_start),
        "actual_finish": _iso(entity.actual_finish) or day.isoformat(),
        "open_raid": len(open_raid),
        "approved_by": [a.approver for a in approvals],
    }
    return StatusReport(
        entity=entity.id,
        as_of=day,
        kind="closure",
        overall=latest.overall,
        dimensions=dict(latest.dimensions),
        summary=summary,
        metrics=metrics,
        author=author,
        next_steps=tuple(f"open {r.type}: {r.title}" for r in open_raid),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
