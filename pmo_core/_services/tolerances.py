"""Tolerances and exceptions: a forecast beyond tolerance raises an exception for the level
above (PRINCE2's management by exception).

An exception is two records written together: an issue on the entity, escalated to its parent
(the ``pmo_escalated`` event fires for it), owned by whoever holds the model's
``escalate_to`` role there; and an exception report (a :class:`~pmo_core.StatusReport` of
kind ``exception``) with the figures frozen. While that issue is open the same breach raises
nothing new; once it is closed, a breach that persists raises a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._domain import Entity, EscalationStep, Rag, RaidItem, StatusReport
from .._errors import PmoError
from .._records import PmoGovernanceRule
from .._tolerances import (
    REPORT_DIMENSION,
    TOLERANCE_RULE,
    ToleranceCheck,
    level_of,
    limits,
    measure,
)
from .._view import WorkspaceView
from .roles import holders

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .governance import GovernanceService
    from .settings import SettingsService

_log = logging.getLogger("pmo_core.tolerances")

#: Who owns an exception when nobody holds the model's ``escalate_to`` role at the level above.
_FALLBACK_OWNERS = ("pmo", "portfolio-board", "steering-committee", "project-board", "sponsor")

#: How an exception's issue is titled; an open one stops the same breach being raised twice.
EXCEPTION_TITLE = "Exception: {level} {dimension} tolerance exceeded"


class ToleranceService:
    """Measures tolerances and raises exceptions for the breaches."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, settings: SettingsService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._settings = settings

    def _limits(self, entity: Entity, view: WorkspaceView) -> dict[str, Any]:
        level = level_of(entity)
        if level is None:
            return {}
        model, _ = self._governance.model_in_force(entity, view)
        rule = next(
            (r for r in self._ws.host.records(PmoGovernanceRule) if r.name == TOLERANCE_RULE),
            None,
        )
        chosen = (
            self._settings.for_rule(rule, entity, view.ancestor_ids(entity.id), model)
            if rule is not None
            else None
        )
        return limits(model, chosen, level)

    def checks(self, entity: str | None, view: WorkspaceView | None = None) -> list[ToleranceCheck]:
        """See :meth:`Workspace.tolerance_checks <pmo_core.Workspace.tolerance_checks>`."""
        view = view or self._ws.view()
        targets = [view.entity(entity)] if entity else view.entities()
        out: list[ToleranceCheck] = []
        for target in targets:
            out += measure(target, view, self._limits(target, view))
        return out

    def raise_exceptions(self, entities: Iterable[str] | None) -> list[RaidItem]:
        """See :meth:`Workspace.raise_exceptions <pmo_core.Workspace.raise_exceptions>`."""
        ws = self._ws
        view = ws.view()
        keys = list(entities) if entities is not None else [e.id for e in view.entities()]
        records: list[tuple[RaidItem, StatusReport]] = []
        for key in dict.fromkeys(keys):
            entity = view.find(key)
            if entity is None or entity.ended:
                continue
            open_titles = {r.title for r in view.raid(entity.id, type="issue", open_only=True)}
            for check in measure(entity, view, self._limits(entity, view)):
                title = EXCEPTION_TITLE.format(level=check.level, dimension=check.dimension)
                if check.breached and title not in open_titles:
                    records.append(self._exception(entity, view, check, title))
        if not records:
            return []
        with ws.transaction("tolerance exception") as tx:
            for issue, report in records:
                # Raised, then escalated: an item inserted with a trail is history brought
                # in, while an escalation written now is news for pmo_escalated listeners.
                raised = issue.replace(escalations=())
                doc = tx.insert(
                    issue.store_kind, issue.id, raised.to_document(), owner=issue.entity
                )
                if issue.escalations:
                    tx.update(
                        issue.store_kind,
                        issue.id,
                        issue.to_document(),
                        expected_version=doc.version,
                    )
                tx.insert(report.store_kind, report.id, report.to_document(), owner=report.entity)
        return [issue for issue, _ in records]

    def raise_quietly(self, entities: Iterable[str]) -> None:
        """Raise the exceptions a write just made due; a problem is logged, not raised, since
        the write itself has committed (the rule's finding still shows the breach)."""
        try:
            self.raise_exceptions(entities)
        except PmoError as exc:
            _log.warning("exceptions not raised: %s", exc)

    def _exception(
        self, entity: Entity, view: WorkspaceView, check: ToleranceCheck, title: str
    ) -> tuple[RaidItem, StatusReport]:
        ws = self._ws
        today = ws.today()
        model, _ = self._governance.model_in_force(entity, view)
        parent = view.find(entity.parent) if entity.parent else None
        where = parent or entity
        found = holders(where, view)
        # The model's escalate_to role owns it; where nobody holds that role there, the PMO
        # (then a board) does, so an escalation never lands with nobody.
        role, owners = model.escalate_to, []
        for role in dict.fromkeys((model.escalate_to, *_FALLBACK_OWNERS)):
            owners = sorted({h.person for h in found if h.role == role})
            if owners:
                break
        else:
            role = model.escalate_to
        to = f"escalated to {parent.kind} {parent.id}" if parent else "no level above"
        note = f"{check.message} ({to}; {role}: {', '.join(owners) or 'nobody'})"
        steps = (
            (
                EscalationStep(
                    on=today,
                    actor=ws.actor,
                    from_entity=entity.id,
                    to_entity=parent.id,
                    comment=f"{check.level} {check.dimension} tolerance exceeded",
                ),
            )
            if parent
            else ()
        )
        issue = RaidItem(
            type="issue",
            entity=entity.id,
            title=title,
            description=note,
            owned_by=", ".join(owners),
            raised_on=today,
            impact=5,
            escalations=steps,
        )
        report = StatusReport(
            entity=entity.id,
            as_of=today,
            kind="exception",
            overall=Rag.RED,
            dimensions={REPORT_DIMENSION[check.dimension]: Rag.RED},
            summary=note,
            metrics={
                **check.as_dict(),
                "issue": issue.id,
                "escalated_to": parent.id if parent else None,
                "model": model.name,
            },
            author=ws.actor,
        )
        return issue, report
