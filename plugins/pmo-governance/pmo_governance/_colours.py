"""Reported colours against the figures: ``reported-colours-honest`` fails on a watermelon
(a status report colour better than the one its figures give), ``reported-colours-overridden``
notes one the reporter overrode with a reason.

Both read the entity's latest status report and compare it with the figures of the metrics
service on the day the report is about (:func:`~pmo_core.report_watermelons`): a project's
own, a program's or portfolio's totals. Figures that turned red after the report do not make
it dishonest; the next report is due by the cadence rule.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from pmo_core import (
    Entity,
    RuleContext,
    StatusReport,
    Watermelon,
    WorkspaceView,
    measure_project,
    measure_scope,
    report_watermelons,
)

_Found = tuple[StatusReport, tuple[Watermelon, ...]] | None

# Both rules read the same comparison; a check runs them on one view, so it is made once.
_SEEN: WeakKeyDictionary[WorkspaceView, dict[str, _Found]] = WeakKeyDictionary()


def _compared(view: WorkspaceView, entity: Entity) -> _Found:
    seen = _SEEN.setdefault(view, {})
    if entity.id not in seen:
        latest = view.latest_status(entity.id)
        if latest is None:
            seen[entity.id] = None
        else:
            figures = (
                measure_project(view, entity, status_date=latest.as_of)
                if entity.kind == "project"
                else measure_scope(view, entity, status_date=latest.as_of).totals
            )
            seen[entity.id] = (latest, report_watermelons(latest, figures))
    return seen[entity.id]


def _fix(entity: Entity, melon: Watermelon) -> str:
    override = f"'pmo status report {entity.id} --override {melon.dimension}={melon.reported} "
    override += "--reason ...'"
    if melon.basis == "dimensions":
        fix = f"report overall at least {melon.computed}"
    else:
        fix = "report the colour the figures give"
    return f"{fix}, or override it with a reason ({override})"


def check_reported_colours_honest(ctx: RuleContext) -> list[str] | None:
    """The latest status report colours no dimension better than its figures do, unless the
    report overrides that colour with a reason.

    Schedule is compared with SPI's colour, cost with CPI's, overall with the worst of both
    and with the report's own worst dimension, on the day the report is about. Equal colours
    and worse ones (pessimism) hold; amber over red fails as much as green over red. An
    override with a reason, whose computed colour is at least as bad as the figures', moves
    the finding to ``reported-colours-overridden``.

    Example::

        check_reported_colours_honest(ctx)
        # ["project ALPHA reported on 2025-03-31: schedule reported amber, computed red
        #   (SPI 0.7600); report the colour the figures give, or override it with a reason
        #   ('pmo status report ALPHA --override schedule=amber --reason ...')"]
    """
    found = _compared(ctx.view, ctx.entity)
    if found is None:
        return None
    report, melons = found
    label = f"{ctx.entity.kind} {ctx.entity.id} reported on {report.as_of.isoformat()}"
    problems = [
        f"{label}: {melon.message}; {_fix(ctx.entity, melon)}"
        for melon in melons
        if not melon.reason
    ]
    return problems or None


def check_reported_colours_overridden(ctx: RuleContext) -> list[str] | None:
    """Notes each colour of the latest status report that is better than its figures and
    overridden with a reason, with the figures and the reason, so the PMO sees it.

    Example::

        check_reported_colours_overridden(ctx)
        # ['project ALPHA reported on 2025-03-31: cost reported amber, computed red
        #   (CPI 0.8810); overridden: Vendor credit note of 40k EUR due in April']
    """
    found = _compared(ctx.view, ctx.entity)
    if found is None:
        return None
    report, melons = found
    label = f"{ctx.entity.kind} {ctx.entity.id} reported on {report.as_of.isoformat()}"
    notes = [f"{label}: {melon.message}" for melon in melons if melon.reason]
    return notes or None
