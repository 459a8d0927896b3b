"""Tailoring: an entity records how it changes its methodology (skips, merges), checked first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._domain import Entity
from .._domain.tailoring import TAILORING_ACTIONS, Tailoring
from .._errors import InvalidInputError
from .._tailoring import check_tailoring
from .lifecycle import check_live
from .records import validated
from .transactions import transaction

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .governance import GovernanceService


class TailoringService:
    """Adds and removes an entity's tailorings, each checked against its methodology."""

    def __init__(self, ws: Workspace, governance: GovernanceService) -> None:
        self._ws = ws
        self._governance = governance

    def add(self, entity: str, action: str, target: str, comment: str) -> Entity:
        """See :meth:`Workspace.tailor <pmo_core.Workspace.tailor>`."""
        ws = self._ws
        _check_action(action)
        view = ws.view()
        subject = view.entity(entity)
        check_live(subject, "tailor the methodology of")
        methodology = self._governance.untailored_methodology(subject, view)
        if methodology is None:
            raise InvalidInputError(
                f"{subject.id} follows no methodology, so there is nothing to tailor; set one "
                f"first ('pmo {subject.kind} update {subject.id} --methodology NAME')",
                where="entity",
            )
        new = validated(
            Tailoring,
            {
                "action": action,
                "target": target,
                "comment": comment,
                "actor": ws.actor,
                "on": ws.today(),
            },
            where=f"tailoring of {subject.id}",
        )
        check_tailoring(methodology, subject.tailoring, new, entity=subject.id, phase=subject.phase)
        return self._write(subject, (*subject.tailoring, new), "tailoring add")

    def remove(self, entity: str, action: str, target: str) -> Entity:
        """See :meth:`Workspace.untailor <pmo_core.Workspace.untailor>`."""
        _check_action(action)
        subject = self._ws.view().entity(entity)
        check_live(subject, "tailor the methodology of")
        kept = tuple(t for t in subject.tailoring if (t.action, t.target) != (action, target))
        if len(kept) == len(subject.tailoring):
            listed = ", ".join(f"{t.action} {t.target}" for t in subject.tailoring) or "none"
            raise InvalidInputError(
                f"{subject.id} has no tailoring {action} {target!r} (tailorings: {listed})",
                where="target",
            )
        return self._write(subject, kept, "tailoring remove")

    def _write(self, subject: Entity, tailoring: tuple[Tailoring, ...], command: str) -> Entity:
        # The version read is the one written over: a change made meanwhile is a conflict.
        with transaction(self._ws, command) as tx:
            doc = tx.update(
                subject.kind,
                subject.id,
                subject.replace(tailoring=tailoring).to_document(),
                expected_version=subject.version,
                owner=subject.parent,
            )
        return type(subject).from_document(doc.data, doc.version)


def _check_action(action: str) -> None:
    if action not in TAILORING_ACTIONS:
        raise InvalidInputError(
            f"unknown tailoring {action!r}; expected one of {', '.join(TAILORING_ACTIONS)}",
            where="action",
        )
