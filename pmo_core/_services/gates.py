"""Gate requests and decisions: the check, the approvals, the move to the next phase."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from .._domain import Approval, GateDecision, LessonLearned, RaidItem
from .._errors import ConflictError, GovernanceBlockedError, InvalidInputError
from .._records._base import GateOption
from .approvals import ApprovalService, parsed_approvals
from .governance import GovernanceService
from .lifecycle import check_live, transition_changes
from .records import entity_in, validated
from .roles import holders

if TYPE_CHECKING:
    from .._workspace import Workspace

DECISIONS: tuple[GateOption, ...] = ("go", "kill", "hold", "recycle")

# The lifecycle state each gate outcome moves the entity to (a recycle stays in its phase).
_STATE_OF: dict[str, str] = {"kill": "killed", "hold": "on_hold"}

#: The title every gate request starts with; the decision of that gate closes it.
REQUEST_TITLE = "Gate review requested: {gate} "


def requested_gate(item: RaidItem) -> str | None:
    """The gate a RAID action asks to review, when it is a gate request
    (:meth:`Workspace.request_gate <pmo_core.Workspace.request_gate>`); else ``None``.

    The request is raised on ``raised_on`` and closed by the gate's decision on
    ``closed_on``, so the time from request to decision is the difference.

    Example::

        for item in view.raid("ALPHA", type="action"):
            gate = requested_gate(item)
            if gate and item.closed_on:
                print(gate, (item.closed_on - item.raised_on).days, "days to decide")
    """
    prefix = REQUEST_TITLE.partition("{gate}")[0]
    if item.type != "action" or not item.title.startswith(prefix):
        return None
    gate, _, _ = item.title[len(prefix) :].partition(" ")
    return gate or None


class GateService:
    """Requests and decides gates, checking them with the governance in force."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, approvals: ApprovalService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._approvals = approvals

    def request(self, entity: str, gate: str | None, note: str) -> RaidItem:
        """See :meth:`Workspace.request_gate <pmo_core.Workspace.request_gate>`."""
        ws = self._ws
        view = ws.view()
        target = view.entity(entity)
        check_live(target, "request a gate of")
        result = self._governance.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to request ({'; '.join(result.notes)})")
        _, rule = self._approvals.rule_for(target, "go", view)
        who = rule.describe() if rule else "none needed under the model in force"
        approvers = sorted(
            {h.person for h in holders(target, view) if rule is not None and h.role in rule.roles}
        )
        state = "blocked: " + "; ".join(result.reasons()) if result.blocked else "ready"
        return ws.add_raid(
            entity,
            "action",
            REQUEST_TITLE.format(gate=result.gate) + f"({result.leaving} -> {result.entering})",
            description=f"Approval: {who}. Check: {state}. {note}".strip(),
            owned_by=", ".join(approvers),
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
        lessons: Iterable[str] = (),
    ) -> GateDecision:
        """See :meth:`Workspace.decide_gate <pmo_core.Workspace.decide_gate>`."""
        ws = self._ws
        option = next((d for d in DECISIONS if d == decision), None)
        if option is None:
            raise InvalidInputError(
                f"decision must be go, kill, hold or recycle, not {decision!r}", where="DECISION"
            )
        decided_on = decided_on or ws.today()
        if decided_on > ws.today():
            raise InvalidInputError(
                f"a decision cannot be dated {decided_on}, after the status date {ws.today()}",
                where="decided_on",
            )
        approvers = parsed_approvals(approvers, decided_on)
        view = ws.view()
        target = view.entity(entity)
        check_live(target, f"decide {decision} at a gate of")
        if target.lifecycle == "on_hold" and decision != "kill":
            raise ConflictError(
                f"{entity} is on hold since {target.lifecycle_on}: resume it first "
                f"('pmo {target.kind} update {entity} --lifecycle active --comment ...')"
            )
        result = self._governance.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to decide ({'; '.join(result.notes)})")
        if decision == "go" and result.blocked:
            raise GovernanceBlockedError(
                f"gate {result.gate} of {entity} is blocked: " + "; ".join(result.reasons()),
                findings=[f for f in result.findings if f.blocking],
            )
        approvals = self._approvals.authorize(
            target,
            decision,
            approvers,
            view=view,
            decided_on=decided_on,
            what=f"a {decision} at gate {result.gate} of {entity}",
        )
        reason = comment or f"gate {result.gate}: {decision}"
        changes: dict[str, Any] = {}
        if decision == "go":
            changes["phase"] = result.entering
            if target.lifecycle == "proposed":
                changes.update(
                    transition_changes(target, "active", on=decided_on, by=ws.actor, reason=reason)
                )
        elif decision in _STATE_OF:
            changes = transition_changes(
                target, _STATE_OF[decision], on=decided_on, by=ws.actor, reason=reason
            )
        record = GateDecision(
            entity=entity,
            gate=result.gate,
            decision=option,
            criteria=result.criteria,
            approvals=approvals,
            conditions=tuple(conditions),
            decided_on=decided_on,
            decided_by=ws.actor,
            next_phase=result.entering if decision == "go" else None,
            comment=comment,
        )
        # A gate is where a project looks back on the phase it leaves: its lessons are
        # recorded with the decision, in the same transaction, so a refused decision keeps none.
        learned = [
            validated(
                LessonLearned,
                {
                    "entity": entity,
                    "phase": target.phase,
                    "what_happened": text,
                    "recorded_on": decided_on,
                    "author": ws.actor,
                },
                where="--lesson",
            )
            for text in lessons
            if text.strip()
        ]
        prefix = REQUEST_TITLE.format(gate=result.gate)
        requests = [
            r
            for r in view.raid(entity, type="action", open_only=True)
            if r.title.startswith(prefix)
        ]
        with ws.transaction("gate decide") as tx:
            current = entity_in(tx, entity)
            if current is None:
                raise ConflictError(f"{entity} was removed meanwhile")
            if changes:
                updated = current.replace(**changes)
                tx.update(
                    current.kind, entity, updated.to_document(), expected_version=current.version
                )
            doc = tx.insert(record.store_kind, record.id, record.to_document(), owner=entity)
            for lesson in learned:
                tx.insert(lesson.store_kind, lesson.id, lesson.to_document(), owner=entity)
            for item in requests:
                # The request is answered: it leaves the open actions.
                note = f"Decided: {decision} on {decided_on}."
                closed = item.replace(
                    status="closed",
                    closed_on=decided_on,
                    description=f"{item.description}\n{note}".strip(),
                )
                tx.update(
                    item.store_kind, item.id, closed.to_document(), expected_version=item.version
                )
        return GateDecision.from_document(doc.data, doc.version)
