"""Approvals: whether the people who approved a decision may, under the model in force.

Every decision that needs approval (a gate, a lifecycle change, a waiver, a change request,
an artifact) goes through :meth:`ApprovalService.authorize`, so the approval matrix is read
in one place. Identity is asserted, not authenticated: the check is that the people named
hold the roles the matrix asks for, recorded in the store, not that they are who types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .._domain import Approval, Entity
from .._domain.roles import role_name
from .._errors import GovernanceBlockedError, InvalidInputError, validation_message
from .._records import ApprovalRule, PmoGovernanceModel
from .._records.governance import DECISIONS
from .._view import WorkspaceView
from .roles import RoleHolder, holders, holding, person_key

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .governance import GovernanceService


def parse_approval(text: str, decided_on: date) -> Approval:
    """``"Lee Chen (pmo)"`` as an approval by Lee Chen in the role pmo, on ``decided_on``.

    Example::

        parse_approval("Dana Ruiz (sponsor)", date(2026, 3, 2)).role  # 'sponsor'
    """
    name, paren, role = text.partition("(")
    role = role_name(role.rstrip(") ")) if paren else ""
    try:
        return Approval(
            approver=name.strip() or text,
            role=role or None,
            approve=True,
            decided_on=decided_on,
        )
    except ValidationError as exc:
        raise InvalidInputError(validation_message(exc), where="--approver") from None


@dataclass(frozen=True)
class DecisionRight:
    """One row of an entity's approval matrix: who approves ``decision`` (from a change of
    ``at_least`` that size, for a sized decision) and who holds those roles there now.

    ``rule`` is ``None`` when the decision needs no approval under the model.

    Example::

        [(r.decision, r.describe()) for r in ws.approval_matrix("ALPHA")]
        # [('go', 'the sponsor and the pmo (2 distinct people)'), ('kill', 'the sponsor'), ...]
        row = ws.approval_matrix("ALPHA")[-2]  # a change of 10 % of the budget or more
    """

    decision: str
    model: str
    rule: ApprovalRule | None
    holders: tuple[RoleHolder, ...]

    @property
    def at_least(self) -> Decimal:
        """The size from which this row applies (0 for every unsized decision).

        Example::

            row.at_least  # Decimal('0.10'): a change of 10 % of the budget or more
        """
        return self.rule.at_least if self.rule is not None else Decimal(0)

    def describe(self) -> str:
        """Who approves, in words ("no approval" when nobody needs to).

        Example::

            row.describe()  # 'the sponsor and the pmo (2 distinct people), not the requester'
        """
        return self.rule.describe() if self.rule is not None else "no approval"

    def as_dict(self) -> dict[str, object]:
        """A JSON-able view, as ``pmo role show --json`` prints it.

        Example::

            row.as_dict()["approvers"]  # {'sponsor': ['Dana Ruiz'], 'pmo': ['Lee Chen']}
        """
        roles = self.rule.roles if self.rule is not None else ()
        return {
            "decision": self.decision,
            "model": self.model,
            "at_least": str(self.at_least),
            "rule": self.describe(),
            "quorum": self.rule.quorum if self.rule is not None else 0,
            "approvers": {
                role: sorted({h.person for h in self.holders if h.role == role}) for role in roles
            },
        }


class ApprovalService:
    """Checks approvals against the approval matrix of the governance model in force."""

    def __init__(self, ws: Workspace, governance: GovernanceService) -> None:
        self._ws = ws
        self._governance = governance

    def rule_for(
        self, entity: Entity, decision: str, view: WorkspaceView, size: Decimal = Decimal(0)
    ) -> tuple[PmoGovernanceModel, ApprovalRule | None]:
        """The model in force for ``entity`` and its rule for ``decision`` (``None``: the
        decision needs no approval).

        Example::

            model, rule = approvals.rule_for(view.entity("ALPHA"), "kill", view)
        """
        model, _ = self._governance.model_in_force(entity, view)
        return model, model.approval_rule(decision, size)

    def matrix(self, entity: Entity, view: WorkspaceView) -> list[DecisionRight]:
        """See :meth:`Workspace.approval_matrix <pmo_core.Workspace.approval_matrix>`."""
        model, _ = self._governance.model_in_force(entity, view)
        found = tuple(holders(entity, view))
        rows: list[DecisionRight] = []
        for decision in DECISIONS:
            bands = model.approvals.get(decision, ())
            if not bands and decision == "reopen":
                bands = tuple(b for b in (model.approval_rule("reopen"),) if b is not None)
            for band in bands or (None,):
                rows.append(DecisionRight(decision, model.name, band, found))
        return rows

    def authorize(
        self,
        entity: Entity,
        decision: str,
        approvals: Iterable[str | Approval],
        *,
        view: WorkspaceView,
        decided_on: date,
        requester: str | None = None,
        size: Decimal = Decimal(0),
        what: str = "",
    ) -> tuple[Approval, ...]:
        """The approvals of ``decision`` on ``entity``, each with the role it counts in.

        With no approval given, the acting user approves in person. Refused, naming the
        rule and who could approve: a person named twice, a role the person does not hold,
        an approver holding none of the rule's roles, the requester where the rule forbids
        it, fewer distinct approvers than the quorum, a required role missing.

        Example::

            approvals.authorize(alpha, "go", ["Dana Ruiz (sponsor)", "Lee Chen"],
                                view=view, decided_on=date(2026, 3, 2))
        """
        given = parsed_approvals(approvals, decided_on)
        model, rule = self.rule_for(entity, decision, view, size)
        label = what or f"a {decision} for {entity.id}"
        found = holders(entity, view)
        if rule is not None and not given:
            given = [Approval(approver=self._ws.actor, approve=True, decided_on=decided_on)]
        where = f"approvals.{decision} of model {model.name!r}"
        for approval in given:
            if approval.role and approval.role not in _roles_of(found, approval.approver):
                needs = f"; {where} needs {rule.describe()}" if rule is not None else ""
                raise GovernanceBlockedError(
                    f"{approval.approver} does not hold the role {approval.role!r} for "
                    f"{entity.id}{needs}; {_who_holds(found, rule)}"
                )
        if rule is None:
            return tuple(given)
        counted = _assign_roles(given, rule, found)
        stray = [a.approver for a in counted if a.role not in rule.roles]
        if stray:
            raise GovernanceBlockedError(
                f"{', '.join(stray)} cannot approve {label}: {where} needs "
                f"{rule.describe()}; {_who_holds(found, rule)}"
            )
        if rule.not_requester and requester:
            own = [a.approver for a in counted if person_key(a.approver) == person_key(requester)]
            if own:
                raise GovernanceBlockedError(
                    f"{own[0]} asked for {label} and cannot approve it: {where} needs "
                    f"{rule.describe()}; {_who_holds(found, rule, but=requester)}"
                )
        in_favour = [a for a in counted if a.approve]
        missing = [r for r in rule.required if r not in {a.role for a in in_favour}]
        if len(in_favour) < rule.quorum or missing:
            got = ", ".join(f"{a.approver} ({a.role})" for a in in_favour) or "none"
            lacking = f", no {' or '.join(missing)} among them" if missing else ""
            but = requester if rule.not_requester else None
            raise GovernanceBlockedError(
                f"{label} needs {rule.describe()} ({where}); got {len(in_favour)}: "
                f"{got}{lacking}; {_who_holds(found, rule, but=but)}"
            )
        return tuple(counted)


def parsed_approvals(approvals: Iterable[str | Approval], decided_on: date) -> list[Approval]:
    """The approvals given, parsed, with a person named twice refused (an input error, found
    before any governance check so it is reported as one)."""
    given = [
        _canonical(a) if isinstance(a, Approval) else parse_approval(a, decided_on)
        for a in approvals
    ]
    _no_duplicates(given)
    return given


def _canonical(approval: Approval) -> Approval:
    if approval.role and approval.role != role_name(approval.role):
        return approval.model_copy(update={"role": role_name(approval.role)})
    return approval


def _no_duplicates(given: list[Approval]) -> None:
    seen: dict[str, str] = {}
    for approval in given:
        key = person_key(approval.approver)
        if key in seen:
            raise InvalidInputError(
                f"{seen[key]} is named more than once among the approvers; "
                "each person approves once",
                where="--approver",
            )
        seen[key] = approval.approver


def _roles_of(found: list[RoleHolder], person: str) -> set[str]:
    return {h.role for h in holding(found, person)}


def _assign_roles(
    given: list[Approval], rule: ApprovalRule, found: list[RoleHolder]
) -> list[Approval]:
    """Each approval with the role it counts in: the one it claims, else a role of the rule
    the person holds, required roles first so one person who holds two covers the gap."""
    covered = {a.role for a in given if a.role}
    out: list[Approval] = []
    for approval in given:
        if approval.role:
            out.append(approval)
            continue
        held = _roles_of(found, approval.approver)
        options = [r for r in rule.required if r in held and r not in covered]
        options += [r for r in rule.roles if r in held]
        role = options[0] if options else None
        if role is not None:
            covered.add(role)
        out.append(approval.model_copy(update={"role": role}))
    return out


def _who_holds(found: list[RoleHolder], rule: ApprovalRule | None, but: str | None = None) -> str:
    if rule is None:
        return "see 'pmo role list'"
    parts = []
    for role in rule.roles:
        people = sorted(
            {
                h.person
                for h in found
                if h.role == role and (but is None or person_key(h.person) != person_key(but))
            }
        )
        parts.append(f"{role}: {', '.join(people) if people else 'nobody'}")
    return "who can approve: " + "; ".join(parts)
