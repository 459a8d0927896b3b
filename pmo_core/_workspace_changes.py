"""The Workspace's change control: artifacts (management products), baselines and change
requests. A part of :class:`~pmo_core.Workspace` (which composes it), kept apart so each
module holds one concern; every method delegates to one service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from ._domain import (
    Approval,
    Artifact,
    Baseline,
    Money,
    RaidItem,
)

if TYPE_CHECKING:
    from ._records import PmoArtifact
    from ._services.artifacts import ArtifactService
    from ._services.baselines import BaselineComparison, BaselineService
    from ._services.changes import ChangeService
    from ._view import WorkspaceView


class ChangeControlAPI:
    """Artifacts, baselines and change requests of a workspace."""

    if TYPE_CHECKING:
        # Properties: the workspace makes each service on its first use.
        @property
        def _artifacts(self) -> ArtifactService: ...
        @property
        def _baselines(self) -> BaselineService: ...
        @property
        def _changes(self) -> ChangeService: ...

    # ------------------------------------------- artifacts, baselines, change requests

    def artifacts(self, entity: str, *, view: WorkspaceView | None = None) -> list[Artifact]:
        """The artifacts (management products) of ``entity``, in the order its methodology
        declares them, each at its latest revision with the decisions taken on it; read
        through ``view`` (default: now; a view from :meth:`view` gives them as known then).

        Example::

            [(a.name, a.status, a.revision) for a in ws.artifacts("ALPHA")]
        """
        return self._artifacts.of(entity, view)

    def artifact_templates(self, entity: str) -> list[PmoArtifact]:
        """The artifacts the methodology ``entity`` follows declares, with their templates
        (none when it follows no methodology).

        Example::

            [a.name for a in ws.artifact_templates("ALPHA")]  # ['idea-submission', ...]
        """
        return self._artifacts.templates(entity)

    def artifact_template(self, entity: str, name: str) -> PmoArtifact:
        """The methodology's declaration of the artifact ``name`` for ``entity``: its summary
        and its ``template`` (Markdown, or a URL), to start the document from.

        Example::

            print(ws.artifact_template("ALPHA", "business-case").template)
        """
        return self._artifacts.template(entity, name)

    def submit_artifact(
        self,
        entity: str,
        name: str,
        *,
        title: str | None = None,
        location: str | None = None,
        on: date | None = None,
    ) -> Artifact:
        """Submit the artifact ``name`` of ``entity`` for approval, by the acting user, on
        ``on`` (default: the status date). ``location`` is where the document lives (a link
        or a path). Submitting an approved or rejected artifact again makes a new revision,
        which needs a decision of its own; an artifact waiting for a decision cannot be
        submitted again. When ``entity`` follows a methodology, ``name`` is one of its
        artifacts (``pmo artifact template``).

        Example::

            ws.submit_artifact("ALPHA", "project-plan", title="Alpha plan",
                               location="https://wiki.example.com/alpha/plan")
        """
        return self._artifacts.submit(entity, name, title=title, location=location, on=on)

    def approve_artifact(
        self,
        entity: str,
        name: str,
        *,
        approvers: Iterable[str | Approval] = (),
        on: date | None = None,
        comment: str = "",
    ) -> Artifact:
        """Approve the submitted artifact ``name`` of ``entity``, with what the approval
        matrix asks for an ``artifact`` decision: ``approvers`` as ``"Name"`` or ``"Name
        (role)"`` (none given, the acting user approves); its author may be barred from
        approving it. The approvals, the date and the revision are kept on the artifact
        (``reviews``); an approved artifact meets the gate criteria that name it.

        Example::

            ws.approve_artifact("ALPHA", "business-case", approvers=["Dana Ruiz (sponsor)"])
            ws.view().artifact_approved("ALPHA", "business-case")  # True
        """
        return self._artifacts.approve(entity, name, approvers=approvers, on=on, comment=comment)

    def reject_artifact(
        self, entity: str, name: str, *, comment: str, on: date | None = None
    ) -> Artifact:
        """Send the submitted artifact ``name`` of ``entity`` back to its author, saying why
        (``comment``); submitting it again makes the next revision.

        Example::

            ws.reject_artifact("ALPHA", "business-case", comment="Options are missing")
        """
        return self._artifacts.reject(entity, name, comment=comment, on=on)

    def take_baseline(self, project: str, *, name: str = "", on: date | None = None) -> Baseline:
        """Freeze the plan of ``project`` as its next baseline (0 first): its planned start
        and finish, its budget as the cost, and every work item's dates, work and budget.

        Under a model whose ``change_control`` is ``request`` (controlling, directive) only
        baseline 0 is taken this way: a re-baseline is refused with
        :class:`~pmo_core.GovernanceBlockedError`, since it comes from approving a change
        request (:meth:`approve_change`). A project without a budget cannot be baselined.

        Example::

            ws.take_baseline("CRM", name="Approved at gate 3")
        """
        return self._baselines.take(project, name=name, on=on)

    def baselines(self, project: str, *, view: WorkspaceView | None = None) -> list[Baseline]:
        """The baselines of ``project``, by number; through ``view`` (default: now), those
        taken by its status date, as known at its moment.

        Example::

            [(b.number, b.taken_on, str(b.cost)) for b in ws.baselines("ALPHA")]
        """
        return self._baselines.of(project, view)

    def baseline(
        self, project: str, number: int | None = None, *, view: WorkspaceView | None = None
    ) -> Baseline:
        """Baseline ``number`` of ``project`` (default: the latest, the one in force), read
        through ``view`` (default: now).

        Example::

            ws.baseline("ALPHA", 0).planned_finish
        """
        return self._baselines.get(project, number, view)

    def compare_baselines(
        self,
        project: str,
        before: int | None = None,
        after: int | None = None,
        *,
        view: WorkspaceView | None = None,
    ) -> BaselineComparison:
        """Compare baseline ``before`` (default: the latest) with baseline ``after``, or
        with the plan as it is now when ``after`` is ``None``: scope (work items added,
        removed or changed), schedule (start and finish moved, in days) and cost. Through
        ``view`` (default: now) "now" is the view's status date and knowledge moment.

        Example::

            ws.compare_baselines("ALPHA", 0, 1).finish_days     # 28
            ws.compare_baselines("ALPHA").unchanged             # True: the plan kept baseline 1
        """
        return self._baselines.compare(project, before, after, view)

    def raise_change(
        self,
        project: str,
        title: str,
        *,
        budget: Money | str | None = None,
        start: date | None = None,
        finish: date | None = None,
        scope: str = "",
        cost_impact: Money | str | None = None,
        schedule_impact_days: int | None = None,
        description: str = "",
        id: str | None = None,
    ) -> RaidItem:
        """Raise a change request on ``project``, requested by the acting user: a new
        ``budget``, ``start`` or ``finish``, a ``scope`` change, with its impact. An impact
        not given is computed from what is proposed against the latest baseline (the
        project's own values before baseline 0). Money is in the project's currency; a
        budget is never negative (a cost impact may be: a saving). ``id`` may be chosen (a
        change request synchronised from another tool keeps its key); by default it is new.

        Example::

            change = ws.raise_change("ALPHA", "Third data centre", budget="300000 EUR",
                                     finish=date(2026, 2, 13), scope="Add a second DR site")
            str(change.cost_impact), change.schedule_impact_days  # ('25000 EUR', 28)
        """
        fields = {
            "proposed_budget": budget,
            "proposed_start": start,
            "proposed_finish": finish,
            "scope_change": scope,
            "cost_impact": cost_impact,
            "schedule_impact_days": schedule_impact_days,
        }
        return self._changes.raise_change(project, title, fields, description, id)

    def change_request(self, ref: str) -> RaidItem:
        """A change request by its id or a unique start of it (4 characters at least).

        Example::

            ws.change_request(change.id[:6]).approved  # None while pending
        """
        return self._changes.find(ref)

    def change_requests(
        self, entity: str | None = None, *, open_only: bool = False
    ) -> list[RaidItem]:
        """The change requests of ``entity`` and below it (or of the workspace), oldest
        first; with ``open_only``, those still waiting for a decision.

        Example::

            [(c.id, c.title, c.approved) for c in ws.change_requests("ALPHA")]
        """
        return self._changes.log(entity, open_only)

    def assess_change(
        self,
        ref: str,
        *,
        comment: str,
        cost_impact: Money | str | None = None,
        schedule_impact_days: int | None = None,
    ) -> RaidItem:
        """Record the assessment of a pending change request (by the acting user, on the
        status date), correcting its impact where the assessment found another.

        Example::

            ws.assess_change(change.id, comment="Vendor quote received",
                             cost_impact="31000 EUR")
        """
        return self._changes.assess(
            ref,
            comment=comment,
            cost_impact=cost_impact,
            schedule_impact_days=schedule_impact_days,
        )

    def approve_change(
        self,
        ref: str,
        *,
        approvers: Iterable[str | Approval] = (),
        on: date | None = None,
        comment: str = "",
    ) -> RaidItem:
        """Approve a pending change request, with what the approval matrix asks for a
        ``change`` of its size: the larger of its cost impact as a fraction of the baselined
        budget and its schedule impact as a fraction of the baselined duration picks the
        band (an impact that cannot be measured picks the top band). Its requester may be
        barred from approving it.

        In one transaction, the proposed budget and dates are applied to the project, the
        next baseline is taken (with the new values and the work items as they are), and the
        change request is closed with its approvals and the baseline's number. A decided
        change request is not decided again (:class:`~pmo_core.ConflictError`).

        Example::

            ws.approve_change(change.id, approvers=["Dana Ruiz (sponsor)"])
            ws.baseline("ALPHA").number  # 2
        """
        return self._changes.approve(ref, approvers=approvers, on=on, comment=comment)

    def reject_change(self, ref: str, *, comment: str, on: date | None = None) -> RaidItem:
        """Reject a pending change request, saying why; it is closed and the plan stays.

        Example::

            ws.reject_change(change.id, comment="Not worth the money")
        """
        return self._changes.reject(ref, comment=comment, on=on)
