"""The governance rule ``knowledge-relevant-lessons``: a project's checks (``pmo check``,
``pmo gate check``) list the lessons of similar projects it has not applied yet."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import PmoGovernanceRule, RuleContext

from ._library import MIN_SCORE, suggest

RULE_NAME = "knowledge-relevant-lessons"


class RelevantLessonsSettings(BaseModel):
    """The settings of ``knowledge-relevant-lessons``, in ``pmo.toml`` under
    ``[governance.rules.knowledge-relevant-lessons]``: how many lessons a finding lists
    (``show``) and the score a lesson needs to be listed (``min_score``, see
    :func:`~pmo_knowledge.score_lesson`).

    Example::

        RelevantLessonsSettings(show=3, min_score=4)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    show: int = Field(default=3, ge=1, le=20, description="How many lessons a finding lists.")
    min_score: int = Field(
        default=MIN_SCORE, ge=1, description="The score a lesson needs to be listed."
    )


def check_relevant_lessons(ctx: RuleContext) -> str | None:
    """``None`` when no lesson of another entity is relevant to the project (or it applied
    them all), else a message naming the most relevant ones and how to mark one applied.

    Example::

        check_relevant_lessons(ctx)
        # "1 relevant lesson from similar projects not applied yet: 3f2a91c0 (ALPHA): ..."
    """
    settings = ctx.settings_as(RelevantLessonsSettings) if ctx.settings else None
    settings = settings or RelevantLessonsSettings()
    show = settings.show
    found = suggest(ctx.view, ctx.entity, limit=None, min_score=settings.min_score)
    if not found:
        return None
    listed = "; ".join(
        f"{s.lesson.id} ({s.lesson.entity}): {s.lesson.recommendation or s.lesson.what_happened}"
        for s in found[:show]
    )
    more = f"; and {len(found) - show} more" if len(found) > show else ""
    plural = "lesson" if len(found) == 1 else "lessons"
    return (
        f"{len(found)} relevant {plural} from similar projects not applied yet: {listed}{more}"
        f" (see 'pmo knowledge suggest {ctx.entity.id}'; then 'pmo knowledge apply|dismiss"
        f" LESSON {ctx.entity.id}')"
    )


RELEVANT_LESSONS_RULE = PmoGovernanceRule(
    name=RULE_NAME,
    summary="Lessons of similar projects are considered: those not applied yet are listed.",
    level="advise",
    scopes=("project",),
    # A new project is told the lessons of similar ones as it is created.
    on_create=True,
    settings=RelevantLessonsSettings,
    check=check_relevant_lessons,
)
"""The ``knowledge-relevant-lessons`` rule, at level ``advise``: its finding shows in
``pmo check`` and ``pmo gate check``, and as a note when a project is created (``pmo project
create``: the rule is ``on_create``), and never blocks, unless a governance model raises every
rule (a ``default_level``) or the operator sets its level.

Example::

    RELEVANT_LESSONS_RULE.check(ctx)  # "2 relevant lessons from similar projects ..."
"""
