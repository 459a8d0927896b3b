"""Gate requests and decisions: quorum, PMO approval, the move to the next phase."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._domain import Approval, GateDecision, RaidItem
from .._errors import GovernanceBlockedError, InvalidInputError, validation_message
from .._records._base import GateOption
from .entities import entity_in
from .governance import GovernanceService

if TYPE_CHECKING:
    from .._workspace import Workspace

DECISIONS: tuple[GateOption, ...] = ("go", "kill", "hold", "recycle")

# What each decision does to the entity.
_TRANSITIONS: dict[str, dict[str, Any]] = {
    "kill": {"status": "discontinued"},
    "hold": {"status": "on_hold"},
    "recycle": {},
}


def parse_approval(text: str, decided_on: date) -> Approval:
    """``"Lee (pmo)"`` as an approval by Lee in the role pmo, in favour, on ``decided_on``."""
    name, _, role = text.partition("(")
    role = role.rstrip(") ").strip()
    try:
        return Approval(
            approver=name.strip() or text, role=role or None, approve=True, decided_on=decided_on
        )
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc), where="--approver") from None


class GateService:
    """Requests and decides gates, checking them with the governance in force."""

    def __init__(self, ws: Workspace, governance: GovernanceService) -> None:
        self._ws = ws
        self._governance = governance

    def request(self, entity: str, gate: str | None, note: str) -> RaidItem:
        """See :meth:`Workspace.request_gate <pmo_core.Workspace.request_gate>`."""
        ws = self._ws
        result = self._governance.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to request ({'; '.join(result.notes)})")
        view = ws.view()
        model, _ = self._governance.model_in_force(view.entity(entity), view)
        approvers = ", ".join(model.approvers)
        state = "blocked: " + "; ".join(result.reasons()) if result.blocked else "ready"
        return ws.add_raid(
            entity,
            "action",
            f"Gate review requested: {result.gate} ({result.leaving} -> {result.entering})",
            description=f"Approvers: {approvers}. Check: {state}. {note}".strip(),
            owned_by=approvers,
            command="gate request",
        )

    def decide(
        self,
        entity: str,
        decision: str,
        *,
        approvers: Iterable[str | Approval],
        gate: str | None,
        conditions: Iterable[str],
        comment: str,
        decided_on: date | None,
    ) -> GateDecision:
        """See :meth:`Workspace.decide_gate <pmo_core.Workspace.decide_gate>`."""
        ws = self._ws
        option = next((d for d in DECISIONS if d == decision), None)
        if option is None:
            raise InvalidInputError(f"decision must be go, kill, hold or recycle, not {decision!r}")
        decided_on = decided_on or ws.today()
        if decided_on > ws.today():
            raise InvalidInputError(
                f"a decision cannot be dated {decided_on}, after the status date {ws.today()}",
                where="decided_on",
            )
        result = self._governance.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to decide ({'; '.join(result.notes)})")
        if decision == "go" and result.blocked:
            raise GovernanceBlockedError(
                f"gate {result.gate} of {entity} is blocked: " + "; ".join(result.reasons()),
                findings=[f for f in result.findings if f.blocking],
            )
        view = ws.view()
        model, _ = self._governance.model_in_force(view.entity(entity), view)
        approvals = [
            a if isinstance(a, Approval) else parse_approval(a, decided_on) for a in approvers
        ]
        in_favour = [a for a in approvals if a.approve]
        if decision == "go" and len(in_favour) < model.quorum:
            raise InvalidInputError(
                f"a go under model {model.name!r} needs {model.quorum} approver(s), "
                f"got {len(in_favour)}",
                where="--approver",
            )
        if (
            decision == "go"
            and model.pmo_approves_gates
            and not any((a.role or "").lower() == "pmo" for a in in_favour)
        ):
            raise InvalidInputError(
                f"model {model.name!r} requires the PMO among the approvers "
                "(give one as 'Name (pmo)')",
                where="--approver",
            )
        changes = {"phase": result.entering} if decision == "go" else _TRANSITIONS[decision]
        record = GateDecision(
            entity=entity,
            gate=result.gate,
            decision=option,
            criteria=result.criteria,
            approvals=tuple(approvals),
            conditions=tuple(conditions),
            decided_on=decided_on,
            decided_by=ws.actor,
            next_phase=result.entering if decision == "go" else None,
            comment=comment,
        )
        with ws.transaction("gate decide") as tx:
            current = entity_in(tx, entity)
            assert current is not None  # gate_check found it
            if changes:
                updated = current.replace(**changes)
                tx.update(
                    current.kind, entity, updated.to_document(), expected_version=current.version
                )
            doc = tx.insert(record.store_kind, record.id, record.to_document(), owner=entity)
        return GateDecision.from_document(doc.data, doc.version)
