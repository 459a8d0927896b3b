"""Change requests: a RAID item of type ``change`` that proposes a new budget, new dates or a
change of scope, is assessed, and is approved (by whom the approval matrix names for its
size) or rejected.

Approving one applies what it proposes to the project and takes the next baseline, in one
transaction with the decision, so the project, its baseline and the change request never
disagree. A decided change request is not decided again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._domain import Approval, Baseline, ChangeAssessment, Entity, Money, RaidItem
from .._errors import ConflictError, InvalidInputError, validation_message
from .._view import WorkspaceView
from .artifacts import approval_label
from .baselines import MAX_NUMBER, latest, next_number, snapshot
from .lifecycle import check_live
from .records import entity_in

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .approvals import ApprovalService
    from .entities import EntityService
    from .raid import RaidService

# The proposal's fields -> the project fields an approval sets.
_APPLIED = {
    "proposed_budget": "budget",
    "proposed_start": "planned_start",
    "proposed_finish": "planned_finish",
}
# Without a baseline or budget to measure against, an impact is as large as it gets: the
# approval matrix's top band applies (fail safe), never the bottom one.
_UNMEASURABLE = Decimal("Infinity")


def change_size(item: RaidItem, project: Entity, baseline: Baseline | None) -> Decimal:
    """How large a change request is, as the approval matrix measures it: the larger of its
    cost impact as a fraction of the baselined budget and its schedule impact as a fraction
    of the baselined duration (the project's own budget and dates before baseline 0).

    Example::

        change_size(change, alpha, baseline)  # Decimal('0.1') for 25,000 on 250,000
    """
    sizes: list[Decimal] = []
    impact = item.cost_impact
    if impact is not None and impact.amount != 0:
        base = baseline.cost if baseline is not None else project.budget
        if base is None or base.amount == 0:
            sizes.append(_UNMEASURABLE)
        elif base.currency != impact.currency:
            raise InvalidInputError(
                f"the cost impact is in {impact.currency} but the baselined budget of "
                f"{project.id} is in {base.currency}",
                where="cost_impact",
            )
        else:
            sizes.append(abs(impact.amount) / base.amount)
    days = item.schedule_impact_days
    if days:
        start = baseline.planned_start if baseline is not None else project.planned_start
        finish = baseline.planned_finish if baseline is not None else project.planned_finish
        duration = (finish - start).days if start and finish else 0
        sizes.append(Decimal(abs(days)) / duration if duration > 0 else _UNMEASURABLE)
    return max(sizes, default=Decimal(0))


class ChangeService:
    """Raises, assesses, approves and rejects change requests."""

    def __init__(
        self,
        ws: Workspace,
        entities: EntityService,
        raid: RaidService,
        approvals: ApprovalService,
    ) -> None:
        self._ws = ws
        self._entities = entities
        self._raid = raid
        self._approvals = approvals

    # ------------------------------------------------------------------ reads

    def find(self, ref: str) -> RaidItem:
        """See :meth:`Workspace.change_request <pmo_core.Workspace.change_request>`."""
        item = self._raid.find(ref)
        if item.type != "change":
            raise InvalidInputError(
                f"RAID item {item.id} is {_a(item.type)}, not a change request", where="ID"
            )
        return item

    def log(self, entity: str | None, open_only: bool) -> list[RaidItem]:
        """See :meth:`Workspace.change_requests <pmo_core.Workspace.change_requests>`."""
        return self._ws.view().change_requests(entity, open_only=open_only)

    # ----------------------------------------------------------------- writes

    def raise_change(
        self,
        project: str,
        title: str,
        fields: Mapping[str, Any],
        description: str,
        id: str | None = None,
    ) -> RaidItem:
        """See :meth:`Workspace.raise_change <pmo_core.Workspace.raise_change>`."""
        ws = self._ws
        view = ws.view()
        target = _project(view, project)
        check_live(target, "raise a change request on")
        proposal = {k: v for k, v in fields.items() if v is not None and v != ""}
        for field in ("proposed_budget", "cost_impact"):
            if field in proposal:
                proposal[field] = _money(proposal[field], field)
        if not proposal:
            raise InvalidInputError(
                "a change request proposes something: give a new budget, start or finish, "
                "a scope change, or its impact",
                where="proposed_budget",
            )
        for field in ("proposed_budget", "cost_impact"):
            _same_currency(proposal.get(field), target, field)
        self._check_dates(target, proposal)
        baseline = latest(view.baselines(target.id))
        budget = proposal.get("proposed_budget")
        if "cost_impact" not in proposal and isinstance(budget, Money):
            base = baseline.cost if baseline is not None else target.budget
            if base is not None and base.currency == budget.currency:
                proposal["cost_impact"] = Money(
                    amount=budget.amount - base.amount, currency=budget.currency
                )
        finish = proposal.get("proposed_finish")
        if "schedule_impact_days" not in proposal and isinstance(finish, date):
            base_finish = baseline.planned_finish if baseline is not None else None
            base_finish = base_finish or target.planned_finish
            if base_finish is not None:
                proposal["schedule_impact_days"] = (finish - base_finish).days
        return ws.add_raid(
            target.id,
            "change",
            title,
            command="change raise",
            description=description,
            requested_by=ws.actor,
            **proposal,
            **({"id": id} if id else {}),
        )

    def assess(
        self,
        ref: str,
        *,
        comment: str,
        cost_impact: Money | str | None,
        schedule_impact_days: int | None,
    ) -> RaidItem:
        """See :meth:`Workspace.assess_change <pmo_core.Workspace.assess_change>`."""
        ws = self._ws
        cost_impact = _money(cost_impact, "cost_impact") if cost_impact is not None else None
        if not comment.strip():
            raise InvalidInputError("say what the assessment found", where="comment")
        item = self.find(ref)
        self._pending(item, "assess")
        project = ws.view().entity(item.entity)
        _same_currency(cost_impact, project, "cost_impact")
        try:
            assessment = ChangeAssessment(by=ws.actor, on=ws.today(), comment=comment)
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc)) from None
        changes: dict[str, Any] = {"assessment": assessment}
        if cost_impact is not None:
            changes["cost_impact"] = cost_impact
        if schedule_impact_days is not None:
            changes["schedule_impact_days"] = schedule_impact_days
        return self._raid.write(_replace(item, **changes), "change assess", "a change request")

    def approve(
        self,
        ref: str,
        *,
        approvers: Iterable[str | Approval],
        on: date | None,
        comment: str,
    ) -> RaidItem:
        """See :meth:`Workspace.approve_change <pmo_core.Workspace.approve_change>`."""
        ws = self._ws
        item = self.find(ref)
        self._pending(item, "approve")
        day = self._day(on, item)
        view = ws.view()
        project = _project(view, item.entity)
        check_live(project, "approve a change request of")
        baseline = latest(view.baselines(project.id))
        number = baseline.number + 1 if baseline is not None else 0
        if number > MAX_NUMBER:
            raise ConflictError(
                f"{project.id} has baselines 0 to {MAX_NUMBER} already: approving the change "
                "would take one more than a project keeps"
            )
        approvals = self._approvals.authorize(
            project,
            "change",
            approvers,
            view=view,
            decided_on=day,
            requester=item.requested_by,
            size=change_size(item, project, baseline),
            what=f"change request {item.id} ({item.title}) of {project.id}",
        )
        if not approvals:  # no approval needed: whoever records it approves
            approvals = (Approval(approver=ws.actor, approve=True, decided_on=day),)
        changes = {
            field: getattr(item, proposed)
            for proposed, field in _APPLIED.items()
            if getattr(item, proposed) is not None
        }
        try:
            changed = project.replace(**changes)
        except ValidationError as exc:
            raise InvalidInputError(
                f"change request {item.id} cannot apply to {project.id} as it is now: "
                f"{validation_message(exc)}"
            ) from None
        rebaseline = snapshot(
            changed,
            view,
            number=number,
            taken_on=day,
            name=f"change {item.id}: {item.title}"[:255],
        )
        by = ", ".join(map(approval_label, approvals))
        note = f" {comment.strip()}" if comment.strip() else ""
        decided = _replace(
            item,
            approved=True,
            decided_on=day,
            decided_by=ws.actor,
            approvals=approvals,
            baseline_number=number,
            status="closed",
            closed_on=day,
            resolution=f"Approved by {by}; baseline {number} taken.{note}",
        )
        # Everything is validated: now one transaction writes the project, the baseline and
        # the decision, or nothing.
        with ws.transaction("change approve") as tx:
            current = entity_in(tx, project.id)
            if current is None or current.version != project.version:
                raise ConflictError(
                    f"{project.id} changed while the change request was being approved; "
                    "approve it again"
                )
            check_live(current, "approve a change request of")
            if next_number(tx, project.id) != number:
                raise ConflictError(
                    f"a baseline of {project.id} was taken meanwhile; approve the change again"
                )
            if changes:
                tx.update(
                    project.kind,
                    project.id,
                    changed.to_document(),
                    expected_version=current.version,
                )
            tx.insert(
                rebaseline.store_kind, rebaseline.id, rebaseline.to_document(), owner=project.id
            )
            doc = tx.update(
                decided.store_kind,
                decided.id,
                decided.to_document(),
                expected_version=item.version,
                owner=decided.owner,
            )
        self._entities.plan_changed([project.id])
        return RaidItem.from_document(doc.data, doc.version)

    def reject(self, ref: str, *, comment: str, on: date | None) -> RaidItem:
        """See :meth:`Workspace.reject_change <pmo_core.Workspace.reject_change>`."""
        ws = self._ws
        if not comment.strip():
            raise InvalidInputError("say why the change is rejected", where="comment")
        item = self.find(ref)
        self._pending(item, "reject")
        day = self._day(on, item)
        rejected = _replace(
            item,
            approved=False,
            decided_on=day,
            decided_by=ws.actor,
            status="closed",
            closed_on=day,
            resolution=f"Rejected: {comment.strip()}",
        )
        return self._raid.write(rejected, "change reject", "a change request")

    # ---------------------------------------------------------------- helpers

    def _day(self, on: date | None, item: RaidItem) -> date:
        today = self._ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(f"{day} is after the status date {today}", where="on")
        if item.raised_on is not None and day < item.raised_on:
            raise InvalidInputError(
                f"{day} is before the change was raised ({item.raised_on})", where="on"
            )
        return day

    @staticmethod
    def _pending(item: RaidItem, verb: str) -> None:
        if item.approved is not None:
            outcome = "approved" if item.approved else "rejected"
            who = ", ".join(map(approval_label, item.approvals)) or item.decided_by
            by = f" by {who}" if who else ""
            raise ConflictError(
                f"change request {item.id} was already {outcome} on {item.decided_on}{by}: "
                "a decided change is not decided again; raise a new one "
                f"('pmo change raise {item.entity} ...')"
            )
        if item.status == "closed":
            raise ConflictError(
                f"change request {item.id} is closed (withdrawn on {item.closed_on}): reopen "
                f"it to {verb} it ('pmo raid reopen {item.id} --comment ...')"
            )

    @staticmethod
    def _check_dates(target: Entity, proposal: Mapping[str, Any]) -> None:
        start = proposal.get("proposed_start") or target.planned_start
        finish = proposal.get("proposed_finish") or target.planned_finish
        if start is not None and finish is not None and finish < start:
            field = "proposed_finish" if "proposed_finish" in proposal else "proposed_start"
            raise InvalidInputError(
                f"the finish ({finish}) would be before the start ({start})", where=field
            )


def _project(view: WorkspaceView, key: str) -> Entity:
    entity = view.entity(key)
    if entity.kind != "project":
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}: change requests change a project's baseline",
            where="PROJECT",
        )
    return entity


def _money(value: object, field: str) -> Money:
    try:
        return Money.parse(value)  # type: ignore[arg-type]
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where=field) from None


def _same_currency(money: object, project: Entity, field: str) -> None:
    if isinstance(money, Money) and money.currency != project.currency:
        raise InvalidInputError(
            f"{money} is in {money.currency} but {project.id} is kept in {project.currency}",
            where=field,
        )


def _replace(item: RaidItem, **changes: Any) -> RaidItem:
    try:
        return item.replace(**changes)
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc)) from None


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
