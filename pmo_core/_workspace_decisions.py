"""The Workspace's decisions: governance checks, gates, lifecycle, waivers, tolerances and
roles. A part of :class:`~pmo_core.Workspace` (which composes it), kept apart so each module
holds one concern; every method delegates to one service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ._domain import (
    Approval,
    Entity,
    GateDecision,
    LessonLearned,
    RaidItem,
    RoleAssignment,
    Waiver,
)

if TYPE_CHECKING:
    from ._services.approvals import ApprovalService, DecisionRight
    from ._services.gates import GateService
    from ._services.governance import Finding, GateCheck, GovernanceService
    from ._services.lifecycle import LifecycleService
    from ._services.roles import RoleHolder, RoleService
    from ._services.tailoring import TailoringService
    from ._services.tolerances import ToleranceService
    from ._services.waivers import WaiverService
    from ._tolerances import ToleranceCheck
    from ._view import WorkspaceView


class DecisionsAPI:
    """Governance, gates, lifecycle, waivers, tolerances and roles of a workspace."""

    if TYPE_CHECKING:
        # Properties: the workspace makes each service on its first use.
        @property
        def _approvals(self) -> ApprovalService: ...
        @property
        def _gates(self) -> GateService: ...
        @property
        def _governance(self) -> GovernanceService: ...
        @property
        def _lifecycle(self) -> LifecycleService: ...
        @property
        def _roles(self) -> RoleService: ...
        @property
        def _tolerances(self) -> ToleranceService: ...
        @property
        def _waivers(self) -> WaiverService: ...
        @property
        def _tailoring(self) -> TailoringService: ...

        def view(
            self, as_of: date | datetime | None = None, *, status_date: date | None = None
        ) -> WorkspaceView: ...

    # --------------------------------------------------------------- governance

    def check(self, entity: str | None = None, *, min_level: str = "advise") -> list[Finding]:
        """Check governance rules (outside a gate) for one entity, or for every entity.
        Killed and closed entities are no longer governed: they give no findings.

        Example::

            blocking = [f for f in ws.check() if f.blocking]
        """
        return self._governance.check(entity, min_level)

    def gate_check(
        self, entity: str, gate: str | None = None, *, view: WorkspaceView | None = None
    ) -> GateCheck:
        """Check an entity against its next gate (or ``gate``): a dry run of what would block.
        ``view`` (default: now) is what it reads: a view from :meth:`view` checks the gate
        on its status date, as known at its moment.

        Example::

            result = ws.gate_check("ALPHA")
            result.blocked, result.reasons()
            march = ws.gate_check("ALPHA", view=ws.view(status_date=date(2025, 3, 31)))
        """
        return self._governance.gate_check(entity, gate, view)

    def request_gate(self, entity: str, gate: str | None = None, *, note: str = "") -> RaidItem:
        """Ask for a gate review: records an action for the approvers, with the check result.

        Example::

            ws.request_gate("ALPHA")
        """
        return self._gates.request(entity, gate, note)

    def decide_gate(
        self,
        entity: str,
        decision: str,
        *,
        approvers: Iterable[str | Approval] = (),
        gate: str | None = None,
        conditions: Iterable[str] = (),
        comment: str = "",
        decided_on: date | None = None,
        lessons: Iterable[str] = (),
    ) -> GateDecision:
        """Record a gate decision (go, kill, hold, recycle) and move the entity on.

        ``go`` is refused with :class:`~pmo_core.GovernanceBlockedError` while the gate check
        blocks. Every decision needs what the model's approval matrix asks for it (see
        :meth:`change_lifecycle`): ``approvers`` as ``"Name"`` or ``"Name (role)"``, each
        holding the role for the entity; none given, the acting user approves. ``go`` moves
        the entity to the next phase (a proposed one becomes active), ``kill`` kills it (for
        good), ``hold`` puts it on hold, ``recycle`` keeps it where it is; the decision closes
        the gate's open request. ``decided_on`` records a decision taken earlier (a board
        meeting last week); it defaults to the status date and cannot be after it. ``lessons``
        are lessons learned in the phase the gate closes, recorded with the decision (in the
        phase the entity leaves, by the acting user, dated as the decision); a refused
        decision records none.

        Example::

            ws.decide_gate("ALPHA", "go", approvers=["Dana Ruiz (sponsor)", "Lee Chen (pmo)"],
                           lessons=["Book the test lab a quarter ahead"])
        """
        return self._gates.decide(
            entity,
            decision,
            approvers=approvers,
            gate=gate,
            conditions=conditions,
            comment=comment,
            decided_on=decided_on,
            lessons=lessons,
        )

    def change_lifecycle(
        self,
        entity: str,
        to: str,
        *,
        approvers: Iterable[str | Approval] = (),
        comment: str,
        on: date | None = None,
        lessons: Iterable[str] = (),
    ) -> Entity:
        """Move an entity to the lifecycle state ``to``, with the approvals it needs.

        The move is a decision of the model's approval matrix: ``proposed`` to ``active`` a
        ``go``, to ``on_hold`` a ``hold``, back to ``active`` a ``resume``, to ``killed`` a
        ``kill``, to ``closed`` a ``close``, and ``killed`` back to ``proposed`` a
        ``reopen`` (killed is otherwise final; closed is final). ``comment`` says why.
        Closing records ``lessons`` (at least one) and a closure report frozen from the
        entity's figures and its last status report.

        Example::

            ws.change_lifecycle("ALPHA", "on_hold", approvers=["Dana Ruiz"],
                                comment="Vendor dispute")
        """
        return self._lifecycle.change(
            entity, to, approvers=approvers, comment=comment, on=on, lessons=lessons
        )

    def add_lesson(self, entity: str, what_happened: str, **fields: Any) -> LessonLearned:
        """Record a lesson learned by ``entity`` (also once it is closed or killed: lessons
        are what a closed entity still takes). ``fields``: ``recommendation``, ``category``,
        ``phase`` (default: the entity's phase), ``tags``, ``recorded_on`` (default today).

        Example::

            ws.add_lesson("ALPHA", "Vendor missed two drops",
                          recommendation="Put delivery milestones in the contract",
                          category="vendor management", tags=("vendor",))
        """
        return self._lifecycle.add_lesson(entity, what_happened, dict(fields))

    def grant_waiver(
        self,
        entity: str,
        kind: str,
        target: str,
        *,
        reason: str,
        expires_on: date,
        approvers: Iterable[str | Approval] = (),
        requested_by: str | None = None,
        on: date | None = None,
    ) -> Waiver:
        """Let ``entity`` pass despite a failing rule (``kind="rule"``) or gate criterion
        (``kind="criterion"``) named ``target``, until ``expires_on``.

        The waiver is a decision of the approval matrix (``waiver``); ``requested_by``
        (default: the acting user) is who asked, and cannot approve it where the matrix
        says so. Every later check shows the deviation with the waiver's id; once it
        expires or is revoked, the deviation blocks again.

        Example::

            ws.grant_waiver("ALPHA", "criterion", "test-plan",
                            reason="Vendor plan accepted until June",
                            expires_on=date(2026, 6, 30), approvers=["Lee Chen (pmo)"],
                            requested_by="Kim Park")
        """
        return self._waivers.grant(
            entity,
            kind,
            target,
            reason=reason,
            expires_on=expires_on,
            approvers=approvers,
            requested_by=requested_by,
            on=on,
        )

    def revoke_waiver(self, waiver: str, *, reason: str, on: date | None = None) -> Waiver:
        """End a waiver before it expires (``waiver``: its id, or 4+ leading characters).

        Example::

            waiver = ws.waivers("ALPHA")[0]
            ws.revoke_waiver(waiver.id[:6], reason="The idea submission is approved after all")
        """
        return self._waivers.revoke(waiver, reason=reason, on=on)

    def waivers(self, entity: str | None = None, *, include_ended: bool = False) -> list[Waiver]:
        """The waivers in force (of ``entity``, or everywhere); with ``include_ended``, the
        expired and revoked ones too.

        Example::

            [(w.kind, w.target, w.expires_on) for w in ws.waivers("ALPHA")]
        """
        return self._waivers.list(entity, include_ended=include_ended)

    # --------------------------------------------------------------- tolerances

    def tolerance_checks(
        self, entity: str | None = None, *, view: WorkspaceView | None = None
    ) -> list[ToleranceCheck]:
        """Measure every tolerance of ``entity`` (or of every live project and program)
        against the model's limits and the tolerance rule's settings; nothing is written.
        ``view`` (default: now) is what is measured: a view from :meth:`view` measures on
        its status date, as known at its moment.

        Example::

            [c.message for c in ws.tolerance_checks("ALPHA") if c.breached]
            ws.tolerance_checks("ALPHA", view=ws.view(status_date=date(2025, 3, 31)))
        """
        return self._tolerances.checks(entity, view)

    def raise_exceptions(self, entities: Iterable[str] | None = None) -> list[RaidItem]:
        """Raise an exception for each tolerance breached (of ``entities``, or everywhere)
        that has no open exception yet: an issue escalated to the level above (the
        ``pmo_escalated`` event fires) and an exception report; returns the issues.

        The commands that move a forecast (a forecast, a cost, progress, a budget or date
        change, an import) raise them for what they touched; call this after writing
        records another way.

        Example::

            for issue in ws.raise_exceptions(["ALPHA"]):
                print(issue.title, issue.escalated_to)
        """
        return self._tolerances.raise_exceptions(entities)

    # ---------------------------------------------------------------- tailoring

    def tailor(self, entity: str, action: str, target: str, *, comment: str) -> Entity:
        """Record that ``entity`` tailors its methodology, and why; returns the entity.

        ``action`` is ``skip-artifact`` (``target`` an artifact no ``must`` criterion needs),
        ``skip-criterion`` (``target`` a ``should`` criterion as ``GATE/CRITERION``) or
        ``merge-phase`` (``target`` a phase the entity has not reached, merged into the one
        before it: the gate between them goes and its criteria move to the next gate). The
        tailoring is checked against the methodology first, recorded with the acting user
        and the status date, shown on every gate check, and judged by governance (the rule
        ``methodology-tailored``; the directive model blocks it). A ``must`` is never
        tailored away: a waiver is the way to pass one.

        Example::

            ws.tailor("ALPHA", "merge-phase", "scoping", comment="Stage-Gate Lite: small job")
            ws.gate_check("ALPHA").gate  # 'gate-2', with gate-1's criteria in it
        """
        return self._tailoring.add(entity, action, target, comment)

    def untailor(self, entity: str, action: str, target: str) -> Entity:
        """Remove one of ``entity``'s tailorings (the journal keeps that it existed).

        Example::

            ws.tailor("ALPHA", "merge-phase", "scoping", comment="Stage-Gate Lite: small job")
            ws.untailor("ALPHA", "merge-phase", "scoping")
        """
        return self._tailoring.remove(entity, action, target)

    # -------------------------------------------------------------------- roles

    def assign_role(self, entity: str, role: str, person: str) -> RoleAssignment:
        """Give ``person`` the role ``role`` for ``entity`` and everything under it.

        Roles say whose approval counts (``pmo``, ``project-board``, ``portfolio-board``,
        ...); an entity's ``sponsor`` and ``manager`` fields are roles already.

        Example::

            ws.assign_role("ERP", "pmo", "Sam Roe")
        """
        return self._roles.assign(entity, role, person)

    def remove_role(self, entity: str, role: str, person: str) -> RoleAssignment:
        """Take an assigned role back; returns the assignment removed.

        Example::

            ws.remove_role("PF", "pmo", "Lee Chen")
        """
        return self._roles.remove(entity, role, person)

    def roles(
        self, entity: str | None = None, *, view: WorkspaceView | None = None
    ) -> list[RoleHolder]:
        """Who holds which role: for ``entity`` (its own, its fields' and its ancestors'),
        or every assignment and field role of the workspace. ``view`` (default: now) is
        what is read: roles assigned after its status date are left out.

        Example::

            [(h.role, h.person, h.scope) for h in ws.roles("ALPHA")]
        """
        return self._roles.list(entity, view)

    def approval_matrix(
        self, entity: str, *, view: WorkspaceView | None = None
    ) -> list[DecisionRight]:
        """Who approves which decision on ``entity`` under the governance model in force,
        and who holds those roles there now: one row per decision (a sized decision such as
        ``change`` has one row per band, by the size from which it applies).

        Example::

            for row in ws.approval_matrix("ALPHA"):
                print(row.decision, row.describe(), row.as_dict()["approvers"])

        ``view`` (default: now) is what is read: the model and the role holders of its
        status date, as known at its moment.
        """
        view = view or self.view()
        return self._approvals.matrix(view.entity(entity), view)
