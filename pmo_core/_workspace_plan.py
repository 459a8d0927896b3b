"""The Workspace's plan and progress: work items, milestones, costs and forecasts. A part of
:class:`~pmo_core.Workspace` (which composes it), kept apart so each module holds one
concern; every method delegates to one service.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._domain import (
    CostEntry,
    Forecast,
    Milestone,
    Money,
    WorkItem,
)
from ._metrics import ProjectMetrics, measure_project
from ._metrics_scope import ScopeMetrics, measure_scope
from ._metrics_series import Period

if TYPE_CHECKING:
    from ._services.finance import FinanceService
    from ._services.planning import PlanningService
    from ._view import WorkspaceView


class PlanAPI:
    """The plan and its progress of a workspace: work items, milestones, costs, forecasts."""

    if TYPE_CHECKING:
        # Properties: the workspace makes each service on its first use.
        @property
        def _finance(self) -> FinanceService: ...
        @property
        def _planning(self) -> PlanningService: ...

        def view(
            self, as_of: date | datetime | None = None, *, status_date: date | None = None
        ) -> WorkspaceView: ...

    # ------------------------------------------------------------ plan and progress

    def work_item(self, ref: str) -> WorkItem:
        """A work item by its id or a unique start of it (4 characters at least, like git),
        with its ``corrections``.

        A start that matches several items is an :class:`~pmo_core.InvalidInputError` naming
        them; no match is a :class:`~pmo_core.NotFoundError`.

        Example::

            item = ws.work_item(item.id[:6])
            item.subject, item.percent_complete, item.status
        """
        return self._planning.work_item(ref)

    def work_items(self, project: str) -> list[WorkItem]:
        """A project's work items, as ``pmo work list`` shows them: by start, then due date.

        Example::

            [(w.subject, w.percent_complete) for w in ws.work_items("ALPHA")]
        """
        return self._planning.work_items(project)

    def add_work_item(self, project: str, subject: str, **fields: Any) -> WorkItem:
        """Add a work item to a live project (any :class:`~pmo_core.WorkItem` field).

        Money (``budget``, ``actual_cost``) is in the project's currency; another currency
        is refused (pmo-core keeps no exchange rates). ``milestone`` and ``parent`` name a
        milestone and a work item of the same project, by id or a unique start of it. The
        project's tolerances are checked after the write: a breach raises its exception.

        Example::

            item = ws.add_work_item("ALPHA", "Data migration", start=date(2025, 3, 3),
                                    due=date(2025, 4, 30), work=320, budget="48000 EUR")
        """
        return self._planning.add_work_item(project, subject, fields)

    def update_work_item(
        self, ref: str, *, expected_version: int | None = None, **changes: Any
    ) -> WorkItem:
        """Change fields of a work item (by id or unique start); only those given change, and
        ``None`` clears one. Nothing is written when nothing changes.

        Progress (``percent_complete``, ``remaining``, ``actual_cost``) is reported with
        :meth:`record_progress`; the item's id and project cannot change. A ``parent``
        below the item itself is refused. A new ``status`` is a change of status of the
        status date, kept in the item's ``transitions`` (to date it otherwise, use
        :meth:`move_work_item`); ``done`` is reached by progress (100 %), and left only by
        a correction of it.

        Example::

            ws.update_work_item(item.id, due=date(2025, 5, 16), assignee="Sam Roe")
        """
        return self._planning.update_work_item(ref, changes, expected_version)

    def move_work_item(self, ref: str, status: str, *, on: date | None = None) -> WorkItem:
        """Move a work item (by id or unique start) to ``status`` (a board's column) on the
        day ``on`` (default: the status date :meth:`today`; not after it).

        The move is kept in the item's ``transitions`` (a :class:`~pmo_core.StatusChange`,
        by the workspace's actor), which flow metrics and burndowns read. Moving to ``done``
        is reporting it 100 % complete on that day (:meth:`record_progress`); a done item
        goes back only by a correction of its progress, with a comment. A move to the
        status it has changes nothing.

        Example::

            ws.move_work_item(item.id, "review", on=date(2025, 3, 4))
            ws.move_work_item(item.id, "done")  # 100 % complete today
        """
        return self._planning.move_work_item(ref, status, on)

    def record_progress(
        self,
        ref: str,
        percent: float | Decimal,
        *,
        actual_cost: Money | str | None = None,
        remaining: float | None = None,
        comment: str = "",
        on: date | None = None,
    ) -> WorkItem:
        """Report a work item's progress: ``percent`` complete (0..100), and optionally its
        ``actual_cost`` to date (in the project's currency) and the hours ``remaining``.

        The report is the item's :class:`~pmo_core.ProgressPoint` of the day ``on``
        (default: the status date :meth:`today`; not after it; a second report of one day
        replaces the first). When ``on`` is the item's latest point it also sets the item's
        ``percent_complete`` and ``actual_cost`` as they are now; an earlier ``on`` corrects
        the history only (what a report on that status date reads), and takes no
        ``remaining``.

        Progress moves forward: a percent below the current one is a correction, refused
        unless ``comment`` says why; the item keeps it in its ``corrections`` (the day, the
        actor, the old and new percent, the comment). A comment without a correction is
        refused. The status follows: ``in_progress`` once started, ``done`` at 100 % (when
        nothing remains), back in progress when a done item is corrected. The project's
        tolerances are checked after the write.

        Example::

            ws.record_progress(item.id, 60, actual_cost="30500 EUR", remaining=120)
            ws.record_progress(item.id, 40, comment="Dry run failed: scripts rewritten")
            ws.record_progress(item.id, 35, on=date(2025, 3, 31),
                               comment="Re-estimated")  # March's, a day late
        """
        return self._planning.record_progress(
            ref, percent, actual_cost=actual_cost, remaining=remaining, comment=comment, on=on
        )

    def milestone(self, ref: str) -> Milestone:
        """A milestone by its id or a unique start of it (4 characters at least).

        Example::

            ws.milestone(milestone.id[:6]).due
        """
        return self._planning.milestone(ref)

    def milestones(self, project: str) -> list[Milestone]:
        """A project's milestones, by due date.

        Example::

            [(m.name, m.due, m.status) for m in ws.milestones("ALPHA")]
        """
        return self._planning.milestones(project)

    def add_milestone(self, project: str, name: str, *, due: date, **fields: Any) -> Milestone:
        """Add a milestone due on ``due`` to a live project (``description`` and other
        :class:`~pmo_core.Milestone` fields may be given).

        Example::

            ws.add_milestone("ALPHA", "Go-live", due=date(2025, 11, 3))
        """
        return self._planning.add_milestone(project, name, due, fields)

    def update_milestone(
        self, ref: str, *, expected_version: int | None = None, **changes: Any
    ) -> Milestone:
        """Change a milestone's name, due date or description; only those given change.
        Completing it is :meth:`complete_milestone`.

        Example::

            ws.update_milestone(milestone.id, due=date(2025, 11, 17))
        """
        return self._planning.update_milestone(ref, changes, expected_version)

    def complete_milestone(self, ref: str, *, on: date | None = None) -> Milestone:
        """Mark a milestone done on ``on`` (default: the status date, which it cannot be
        after): its status becomes ``closed`` and ``completed_on`` the day. Completing a
        done milestone is a :class:`~pmo_core.ConflictError`.

        Example::

            ws.complete_milestone(milestone.id, on=date(2025, 3, 28))
        """
        return self._planning.complete_milestone(ref, on)

    def add_cost(self, project: str, amount: Money | str, *, on: date, **fields: Any) -> CostEntry:
        """Book an actual cost of ``amount`` incurred ``on`` a day (not after the status
        date), in the project's currency; never negative. ``category`` (``capex`` or
        ``opex``), ``nature`` (``labour`` or ``non_labour``), ``description`` and
        ``work_item`` (by id or unique start, of the same project) may be given.

        Earned value reads a project's actual cost from its work items' ``actual_cost``
        when any has one, else from its cost entries. The project's tolerances are checked
        after the write.

        Example::

            ws.add_cost("ALPHA", "1200.50 EUR", on=date(2025, 3, 20), category="opex",
                        description="Cloud hosting, March")
        """
        return self._finance.add_cost(project, amount, on, fields)

    def cost_entries(self, project: str) -> list[CostEntry]:
        """A project's actual cost entries incurred up to the status date, oldest first.

        Example::

            sum(c.amount.amount for c in ws.cost_entries("ALPHA"))
        """
        return self._finance.cost_entries(project)

    def set_forecast(
        self,
        project: str,
        *,
        eac: Money | str,
        reason: str,
        etc: Money | str | None = None,
        finish: date | None = None,
        work_item: str | None = None,
        on: date | None = None,
        method: str | None = None,
    ) -> Forecast:
        """Record a forecast: the estimate at completion ``eac``, optionally the estimate to
        complete ``etc`` (at most the EAC) and the ``finish`` date, with the ``reason`` (kept
        as the forecast's ``note``), by the acting user, as of ``on`` (default: the status
        date, which it cannot be after). Money is in the project's currency.

        Without ``work_item`` it is the project's forecast: the latest one is what the cost
        and time tolerances measure, and a breach raises its exception at once. With
        ``work_item`` (by id or unique start) it forecasts that item only and leaves the
        project's figures alone. Earlier forecasts are kept.

        Example::

            ws.set_forecast("ALPHA", eac="265000 EUR", finish=date(2026, 1, 30),
                            reason="Vendor slipped six weeks")
        """
        return self._finance.set_forecast(
            project,
            eac=eac,
            reason=reason,
            etc=etc,
            finish=finish,
            work_item=work_item,
            on=on,
            method=method,
        )

    def forecasts(self, project: str) -> list[Forecast]:
        """A project's forecasts up to the status date, oldest first (the project's and its
        work items'); the last without a ``work_item`` is the one in force.

        Example::

            [(f.as_of, str(f.eac), f.note) for f in ws.forecasts("ALPHA")]
        """
        return self._finance.forecasts(project)

    # ------------------------------------------------------------------------ metrics

    def metrics(
        self,
        key: str,
        *,
        status_date: date | None = None,
        as_of: date | datetime | None = None,
        series: Period | None = None,
    ) -> ProjectMetrics | ScopeMetrics:
        """The metrics service's figures of ``key`` on ``status_date`` (the data date), as
        known at ``as_of`` (see :meth:`view`): a :class:`~pmo_core.ProjectMetrics` for a
        project, a :class:`~pmo_core.ScopeMetrics` (its live projects rolled up) for a
        program or portfolio. ``series`` (``"week"`` or ``"month"``) adds the time-phased
        series. What ``pmo metrics`` prints, and what reports and tolerances read.

        Example::

            m = ws.metrics("ALPHA", status_date=date(2025, 3, 31))
            m.basis, m.value("spi"), m.metric("eac").formula
            ws.metrics("PF").totals.value("cpi")
        """
        view = self.view(as_of, status_date=status_date)
        entity = view.entity(key)
        if entity.kind == "project":
            return measure_project(view, entity, series=series)
        return measure_scope(view, entity, series=series)
