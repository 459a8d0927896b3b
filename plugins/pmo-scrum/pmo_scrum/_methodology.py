"""The Scrum methodology record (Scrum Guide 2020): accountabilities, events with their
timeboxes, artifacts with templates, and a lifecycle whose gates check the project's data."""

from __future__ import annotations

from collections.abc import Callable

from pmo_core import (
    PmoArtifact,
    PmoEvent,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    PmoRole,
    RuleContext,
)

from . import _templates as t
from ._model import DONE, MAX_SPRINT_DAYS, ScrumFields, scrum_fields, stories
from ._model import sprint_backlog as _sprint_backlog


def _fields(ctx: RuleContext) -> ScrumFields:
    return scrum_fields(ctx.entity)


def _label(ctx: RuleContext) -> str:
    return f"{ctx.entity.kind} {ctx.entity.id}"


def check_product_goal(ctx: RuleContext) -> str | None:
    """The project states its product goal.

    Example::

        check_product_goal(ctx)  # 'project APP states no product goal; ...'
    """
    if _fields(ctx).product_goal:
        return None
    return (
        f"{_label(ctx)} states no product goal; 'pmo scrum update {ctx.entity.id} --product-goal'"
    )


def check_definition_of_done(ctx: RuleContext) -> str | None:
    """The project has a definition of done.

    Example::

        check_definition_of_done(ctx)  # 'project APP has no definition of done; ...'
    """
    if _fields(ctx).definition_of_done:
        return None
    return (
        f"{_label(ctx)} has no definition of done; "
        f"'pmo scrum update {ctx.entity.id} --definition-of-done'"
    )


def check_backlog_sized(ctx: RuleContext) -> str | None:
    """The product has stories, and every one is sized in points.

    Example::

        check_backlog_sized(ctx)  # "project APP has 2 stories without points: 'Login', ..."
    """
    found = stories(ctx.view, ctx.entity.id)
    if not found:
        return f"{_label(ctx)} has no stories; 'pmo scrum story add {ctx.entity.id} ...'"
    unsized = [s.subject for s in found if s.points is None]
    if not unsized:
        return None
    noun = "story" if len(unsized) == 1 else "stories"
    listed = ", ".join(map(repr, unsized[:5])) + (", ..." if len(unsized) > 5 else "")
    return f"{_label(ctx)} has {len(unsized)} {noun} without points: {listed}"


def check_sprint_planned(ctx: RuleContext) -> str | None:
    """A sprint that has not ended has a goal and stories.

    Example::

        check_sprint_planned(ctx)  # 'project APP has no sprint planned after 2025-03-02'
    """
    fields = _fields(ctx)
    coming = [s for s in fields.sprints if s.finish >= ctx.today]
    if not coming:
        return f"{_label(ctx)} has no sprint planned after {ctx.today}"
    sprint = coming[0]
    if not sprint.goal:
        return f"sprint {sprint.name!r} of {_label(ctx)} has no sprint goal"
    if not _sprint_backlog(ctx.view, ctx.entity.id, sprint.name):
        return f"sprint {sprint.name!r} of {_label(ctx)} has no stories"
    return None


def check_sprints_timeboxed(ctx: RuleContext) -> str | None:
    """No sprint lasts more than 30 days. The custom fields refuse one on every write; data
    stored around them that does not read as Scrum fields makes the check raise, which is a
    blocking finding (governance fails closed).

    Example::

        check_sprints_timeboxed(ctx)  # "sprint 'S1' of project APP lasts 31 days ..."
    """
    for sprint in _fields(ctx).sprints:
        if sprint.days > MAX_SPRINT_DAYS:
            return (
                f"sprint {sprint.name!r} of {_label(ctx)} lasts {sprint.days} days "
                f"(at most {MAX_SPRINT_DAYS})"
            )
    return None


def check_increment_done(ctx: RuleContext) -> str | None:
    """At least one sprint has ended with stories done: there is an increment to release.

    Example::

        check_increment_done(ctx)  # 'project APP has no done story in an ended sprint'
    """
    fields = _fields(ctx)
    ended = {s.name for s in fields.sprints if s.finish <= ctx.today}
    if any(s.iteration in ended and s.status == DONE for s in stories(ctx.view, ctx.entity.id)):
        return None
    return f"{_label(ctx)} has no done story in an ended sprint"


def check_no_sprint_running(ctx: RuleContext) -> str | None:
    """No sprint is under way: a release closes at a sprint boundary.

    Example::

        check_no_sprint_running(ctx)  # "sprint 'S3' of project APP runs until 2025-04-11"
    """
    for sprint in _fields(ctx).sprints:
        if sprint.start <= ctx.today < sprint.finish:
            return f"sprint {sprint.name!r} of {_label(ctx)} runs until {sprint.finish}"
    return None


_Check = Callable[[RuleContext], "str | None"]


def _must(name: str, summary: str, check: _Check) -> PmoGateCriterion:
    return PmoGateCriterion(name=name, summary=summary, level="must", check=check)


def _should(
    name: str, summary: str, *, check: _Check | None = None, artifact: str | None = None
) -> PmoGateCriterion:
    return PmoGateCriterion(
        name=name, summary=summary, level="should", check=check, artifact=artifact
    )


_TIMEBOXED = _must(
    "sprints-timeboxed", "No sprint lasts more than 30 days.", check_sprints_timeboxed
)

SCRUM = PmoMethodology(
    name="scrum",
    summary="Scrum (Scrum Guide 2020): sprints of a month or less, points, velocity, AgileEVM.",
    phases=(
        PmoPhase(
            name="inception",
            summary="Product goal, definition of done, a first sized product backlog.",
            artifacts=("product-backlog", "release-plan"),
        ),
        PmoPhase(
            name="delivery",
            summary="Sprint after sprint, each ending with a done increment.",
            artifacts=("sprint-backlog", "increment", "sprint-review", "sprint-retrospective"),
        ),
        PmoPhase(
            name="closure",
            summary="The release is out; the product backlog is handed over or closed.",
        ),
    ),
    gates=(
        PmoGate(
            name="ready-to-sprint",
            summary="Is the product ready for its first sprint?",
            leaving="inception",
            entering="delivery",
            criteria=(
                _must("product-goal", "The product goal is stated.", check_product_goal),
                _must(
                    "definition-of-done",
                    "The definition of done exists.",
                    check_definition_of_done,
                ),
                _must(
                    "backlog-sized",
                    "The product backlog has stories, each sized in points.",
                    check_backlog_sized,
                ),
                _must(
                    "sprint-planned",
                    "The next sprint has a goal and stories.",
                    check_sprint_planned,
                ),
                _TIMEBOXED,
                _should("release-plan", "The release plan is approved.", artifact="release-plan"),
            ),
            options=("go", "hold", "recycle", "kill"),
        ),
        PmoGate(
            name="release",
            summary="Release the increment and close the delivery.",
            leaving="delivery",
            entering="closure",
            criteria=(
                _must(
                    "increment-done",
                    "An ended sprint has done stories.",
                    check_increment_done,
                ),
                _must(
                    "definition-of-done",
                    "The definition of done exists.",
                    check_definition_of_done,
                ),
                _TIMEBOXED,
                _should(
                    "sprint-boundary",
                    "No sprint is under way.",
                    check=check_no_sprint_running,
                ),
                _should(
                    "sprint-review",
                    "The last sprint review notes are approved.",
                    artifact="sprint-review",
                ),
            ),
            options=("go", "hold", "recycle"),
        ),
    ),
    artifacts=(
        PmoArtifact(
            name="product-backlog",
            summary="The ordered list of what the product needs, with the product goal.",
            template=t.PRODUCT_BACKLOG,
        ),
        PmoArtifact(
            name="sprint-backlog",
            summary="The sprint goal, the items selected and the plan to deliver them.",
            template=t.SPRINT_BACKLOG,
        ),
        PmoArtifact(
            name="increment",
            summary="The sum of done items, meeting the definition of done.",
            template=t.INCREMENT,
        ),
        PmoArtifact(
            name="release-plan",
            summary="Release scope, budget (BAC), planned sprints and forecast.",
            template=t.RELEASE_PLAN,
        ),
        PmoArtifact(
            name="sprint-review",
            summary="What the sprint review showed and changed.",
            template=t.SPRINT_REVIEW,
        ),
        PmoArtifact(
            name="sprint-retrospective",
            summary="What the team keeps and improves, and the improvements it commits to.",
            template=t.SPRINT_RETROSPECTIVE,
        ),
    ),
    roles=(
        PmoRole(
            name="product-owner",
            summary="Maximises the product's value; owns and orders the product backlog.",
        ),
        PmoRole(
            name="scrum-master",
            summary="Establishes Scrum; serves the team, the product owner and the organisation.",
        ),
        PmoRole(
            name="developers",
            summary="Create a usable increment every sprint; own the sprint backlog.",
        ),
    ),
    events=(
        PmoEvent(
            name="sprint",
            summary="A fixed-length event of one month or less; holds all other events.",
            cadence_days=14,
            timebox_hours=MAX_SPRINT_DAYS * 24,
        ),
        PmoEvent(
            name="sprint-planning",
            summary="Why, what and how of the sprint: the sprint goal and sprint backlog.",
            timebox_hours=8,
        ),
        PmoEvent(
            name="daily-scrum",
            summary="The developers inspect progress toward the sprint goal.",
            cadence_days=1,
            timebox_hours=0.25,
        ),
        PmoEvent(
            name="sprint-review",
            summary="The outcome is inspected with stakeholders; the backlog adapted.",
            timebox_hours=4,
        ),
        PmoEvent(
            name="sprint-retrospective",
            summary="The team plans ways to increase quality and effectiveness.",
            timebox_hours=3,
        ),
    ),
    iterations=True,
    progress_measure="points",
    tailoring={
        "earned-value": (
            "The release is a work item (type 'release', ev_method 'points') whose budget is "
            "the release BAC; stories are its children. EV = BAC x done points / release "
            "points, which is AgileEVM's BAC x APC."
        ),
        "sprint-length": "Sprints last 1 to 30 days; the PMO may fix one length.",
        "gates": "Ready-to-sprint and release are the only gates; sprints have none.",
    },
)
"""The ``scrum`` methodology record.

Example::

    SCRUM.gate_leaving("inception").name  # 'ready-to-sprint'
    SCRUM.progress_measure                # 'points'
"""
