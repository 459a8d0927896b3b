"""Waivers: a recorded, approved permission to pass despite one rule or gate criterion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .._domain import Approval, Waiver
from .._errors import ConflictError, InvalidInputError, NotFoundError, validation_message
from .._records import PmoGovernanceRule
from .lifecycle import check_live
from .records import validated

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .approvals import ApprovalService
    from .governance import GovernanceService

_KINDS = ("rule", "criterion")


class WaiverService:
    """Grants, revokes and lists waivers, with the approvals the model asks for."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, approvals: ApprovalService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._approvals = approvals

    def grant(
        self,
        entity: str,
        kind: str,
        target: str,
        *,
        reason: str,
        expires_on: date,
        approvers: Iterable[str | Approval],
        requested_by: str | None,
        on: date | None,
    ) -> Waiver:
        """See :meth:`Workspace.grant_waiver <pmo_core.Workspace.grant_waiver>`."""
        ws = self._ws
        day = on or ws.today()
        if day > ws.today():
            raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
        if kind not in _KINDS:
            raise InvalidInputError(f"a waiver names a rule or a criterion, not {kind!r}")
        view = ws.view()
        subject = view.entity(entity)
        check_live(subject, "grant a waiver to")
        self._check_target(subject.id, kind, target)
        requester = requested_by or ws.actor
        approvals = self._approvals.authorize(
            subject,
            "waiver",
            approvers,
            view=view,
            decided_on=day,
            requester=requester,
            what=f"a waiver of {kind} {target} for {subject.id}",
        )
        waiver = validated(
            Waiver,
            {
                "entity": subject.id,
                "kind": kind,
                "target": target,
                "reason": reason,
                "approvals": approvals,
                "granted_on": day,
                "expires_on": expires_on,
                "requested_by": requester,
                "granted_by": ws.actor,
            },
            where="waiver",
        )
        return ws.add(waiver, command="waiver grant")

    def _check_target(self, entity: str, kind: str, target: str) -> None:
        """A waiver must name something that exists, or it would silently waive nothing."""
        if kind == "rule":
            names = sorted(r.name for r in self._ws.host.records(PmoGovernanceRule))
            if target not in names:
                raise NotFoundError(
                    f"no governance rule {target!r} (rules: {', '.join(names) or 'none'})"
                )
            return
        view = self._ws.view()
        methodology = self._governance.methodology_for(view.entity(entity), view)
        names = sorted(
            {c.name for g in (methodology.gates if methodology else ()) for c in g.criteria}
        )
        if target not in names:
            where = f"methodology {methodology.name!r}" if methodology else f"{entity}'s gates"
            raise NotFoundError(
                f"{where} has no criterion {target!r} (criteria: {', '.join(names) or 'none'})"
            )

    def revoke(self, waiver_id: str, *, reason: str, on: date | None) -> Waiver:
        """See :meth:`Workspace.revoke_waiver <pmo_core.Workspace.revoke_waiver>`."""
        ws = self._ws
        day = on or ws.today()
        if not reason.strip():
            raise InvalidInputError("say why the waiver is revoked", where="--comment")
        found = self.find(waiver_id)
        if found.revoked_on is not None:
            raise ConflictError(f"waiver {found.id} was already revoked on {found.revoked_on}")
        if day < found.granted_on:
            raise InvalidInputError(
                f"{day} is before the waiver was granted ({found.granted_on})", where="--on"
            )
        try:
            revoked = found.replace(revoked_on=day, revoked_by=ws.actor, revoked_reason=reason)
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc), where="--comment") from None
        return ws.replace(revoked)

    def find(self, ref: str) -> Waiver:
        """The waiver whose id is ``ref`` or starts with it (at least 4 characters)."""
        ref = ref.strip()
        if len(ref) < 4:
            raise InvalidInputError("give at least 4 characters of the waiver id", where="ID")
        matches = [w for w in self._ws.view().records(Waiver) if w.id.startswith(ref)]
        if not matches:
            raise NotFoundError(f"no waiver {ref!r}")
        if len(matches) > 1:
            raise InvalidInputError(
                f"{ref!r} matches {len(matches)} waivers; give more of the id", where="ID"
            )
        return matches[0]

    def list(self, entity: str | None, *, include_ended: bool) -> list[Waiver]:
        """See :meth:`Workspace.waivers <pmo_core.Workspace.waivers>`."""
        return self._ws.view().waivers(entity, include_ended=include_ended)
