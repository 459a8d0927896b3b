"""The hybrid methodology: predictive stages and gates over agile delivery inside.

The business case and the release plan pass a gate before delivery starts; delivery runs in
iterations (sprints) with story points; a release gate checks that iterations happened and
what they delivered before closing. Progress is measured in points, mapped to percent
complete per work item so earned value and roll-ups work as for any project.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from pmo_core import (
    PmoArtifact,
    PmoEvent,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    PmoRole,
    RuleContext,
    WorkItem,
)
from pmo_core.checks import check_budget_set, check_sponsor_named, entity_label

from . import _templates as t


def _items(ctx: RuleContext) -> list[WorkItem]:
    return ctx.view.work_items(ctx.entity.id)


def points_done(items: list[WorkItem]) -> tuple[Decimal, Decimal]:
    """Story points done and planned over ``items``: an item's points count as done in
    proportion to its percent complete (a done item 100 %).

    Example::

        points_done(view.work_items("APP"))  # (Decimal('21'), Decimal('34'))
    """
    planned = done = Decimal(0)
    for item in items:
        if item.points is None:
            continue
        points = Decimal(str(item.points))
        planned += points
        done += points * Decimal(str(item.percent_complete)) / 100
    return done, planned


def check_backlog_estimated(ctx: RuleContext) -> str | None:
    """The backlog holds work items estimated in story points.

    Example::

        check_backlog_estimated(ctx)  # 'project APP has no work item estimated in points'
    """
    _, planned = points_done(_items(ctx))
    if planned > 0:
        return None
    return f"{entity_label(ctx)} has no work item estimated in points"


def check_iterations_happened(ctx: RuleContext) -> str | None:
    """Delivery ran in iterations: some work item was done in a named iteration.

    Example::

        check_iterations_happened(ctx)  # 'project APP has no work item in an iteration'
    """
    items = [w for w in _items(ctx) if (w.iteration or "").strip()]
    if not items:
        return f"{entity_label(ctx)} has no work item in an iteration"
    if not any(w.percent_complete > 0 for w in items):
        names = sorted({w.iteration or "" for w in items})
        return f"{entity_label(ctx)} has iterations ({', '.join(names)}) but nothing done in them"
    return None


def check_points_delivered(ctx: RuleContext) -> str | None:
    """Story points exist and some are done (the release delivered something).

    Example::

        check_points_delivered(ctx)  # 'project APP has done 0 of 34 points'
    """
    done, planned = points_done(_items(ctx))
    if planned <= 0:
        return f"{entity_label(ctx)} has no work item estimated in points"
    if done <= 0:
        return f"{entity_label(ctx)} has done 0 of {planned.normalize():f} points"
    return None


def check_backlog_done(ctx: RuleContext) -> str | None:
    """Every planned point is done (what is left goes to a next release, or is dropped).

    Example::

        check_backlog_done(ctx)  # 'project APP has done 21 of 34 points (61.8%)'
    """
    done, planned = points_done(_items(ctx))
    if planned <= 0 or done >= planned:
        return None
    share = (done / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    label = entity_label(ctx)
    return f"{label} has done {done.normalize():f} of {planned.normalize():f} points ({share}%)"


_Check = Callable[[RuleContext], "str | None"]


def _c(
    level: str,
    name: str,
    summary: str,
    *,
    artifact: str | None = None,
    check: _Check | None = None,
) -> PmoGateCriterion:
    return PmoGateCriterion(
        name=name,
        summary=summary,
        level="must" if level == "must" else "should",
        artifact=artifact,
        check=check,
    )


HYBRID = PmoMethodology(
    name="hybrid",
    summary=(
        "Hybrid: predictive stages and gates (initiation, delivery, closing) with agile "
        "delivery in iterations inside; progress in story points."
    ),
    phases=(
        PmoPhase(
            name="initiation",
            summary="Business case, product vision, release plan and an estimated backlog.",
            artifacts=("business-case", "product-vision", "release-plan", "product-backlog"),
        ),
        PmoPhase(
            name="delivery",
            summary="Iterations (sprints) of a fixed length; each ends with a review.",
            artifacts=("iteration-review", "release-report"),
        ),
        PmoPhase(
            name="closing",
            summary="Outcomes against the business case, handover and lessons.",
            artifacts=("closure-report",),
        ),
    ),
    gates=(
        PmoGate(
            name="start-delivery",
            summary="Fund the release: the case holds, the plan and the backlog are ready.",
            leaving="initiation",
            entering="delivery",
            criteria=(
                _c(
                    "must",
                    "business-case",
                    "The business case is approved.",
                    artifact="business-case",
                ),
                _c(
                    "must", "release-plan", "The release plan is approved.", artifact="release-plan"
                ),
                _c("must", "sponsor-named", "A sponsor is named.", check=check_sponsor_named),
                _c("must", "budget-set", "The release is funded.", check=check_budget_set),
                _c(
                    "must",
                    "backlog-estimated",
                    "The backlog is estimated in points.",
                    check=check_backlog_estimated,
                ),
                _c(
                    "should",
                    "product-vision",
                    "The product vision is approved.",
                    artifact="product-vision",
                ),
            ),
        ),
        PmoGate(
            name="release",
            summary="Release and close: the iterations delivered what the release needs.",
            leaving="delivery",
            entering="closing",
            criteria=(
                _c(
                    "must",
                    "iterations-run",
                    "Delivery ran in iterations.",
                    check=check_iterations_happened,
                ),
                _c(
                    "must",
                    "points-delivered",
                    "Story points were delivered.",
                    check=check_points_delivered,
                ),
                _c(
                    "must",
                    "release-report",
                    "The release report is approved.",
                    artifact="release-report",
                ),
                _c(
                    "should",
                    "backlog-done",
                    "Every planned point is done.",
                    check=check_backlog_done,
                ),
                _c(
                    "should",
                    "iteration-reviewed",
                    "Iteration reviews are recorded.",
                    artifact="iteration-review",
                ),
            ),
            options=("go", "kill", "hold", "recycle"),
        ),
    ),
    artifacts=(
        PmoArtifact(
            name="business-case",
            summary="Why the product is worth funding.",
            template=t.BUSINESS_CASE,
        ),
        PmoArtifact(
            name="product-vision",
            summary="Vision, product goal and roadmap.",
            template=t.PRODUCT_VISION,
        ),
        PmoArtifact(
            name="release-plan",
            summary="Release goal, points, iterations, budget.",
            template=t.RELEASE_PLAN,
        ),
        PmoArtifact(
            name="product-backlog",
            summary="The ranked, estimated backlog.",
            template=t.PRODUCT_BACKLOG,
        ),
        PmoArtifact(
            name="iteration-review",
            summary="What an iteration delivered.",
            template=t.ITERATION_REVIEW,
        ),
        PmoArtifact(
            name="release-report",
            summary="What the release delivered, with EVM.",
            template=t.RELEASE_REPORT,
        ),
        PmoArtifact(
            name="closure-report", summary="Outcomes, lessons, handover.", template=t.CLOSURE_REPORT
        ),
    ),
    roles=(
        PmoRole(name="sponsor", summary="Funds the release and decides at the gates."),
        PmoRole(name="product-owner", summary="Owns the backlog and its order; accepts work."),
        PmoRole(name="scrum-master", summary="Coaches the team; removes impediments."),
        PmoRole(name="developers", summary="Deliver a done increment every iteration."),
    ),
    events=(
        PmoEvent(name="iteration", summary="A sprint of fixed length.", cadence_days=14),
        PmoEvent(
            name="iteration-review",
            summary="The increment shown to stakeholders.",
            cadence_days=14,
            timebox_hours=2,
        ),
        PmoEvent(name="gate-review", summary="The sponsor decides at a gate.", timebox_hours=2),
    ),
    iterations=True,
    progress_measure="points",
    tailoring={
        "execution-phases": "delivery",
        "points": (
            "Earned value reads each work item's percent complete on its budget, so a story's "
            "percent complete is its share of done points (a done story 100 %, else 0 % or the "
            "team's own measure); the project's percent complete is points done / points "
            "planned when stories carry equal budget per point."
        ),
        "gates": (
            "Gates sit at the boundaries a portfolio funds (start of delivery, release); "
            "inside delivery the team plans iteration by iteration."
        ),
    },
)
"""The ``hybrid`` methodology record.

Example::

    HYBRID.gate_leaving("delivery").name  # 'release'
"""
