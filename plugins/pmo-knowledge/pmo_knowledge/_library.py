"""The lessons library: full-text search over lessons, the lessons relevant to a project,
and the lessons a project applied (its custom fields ``knowledge``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import (
    Entity,
    InvalidInputError,
    LessonLearned,
    SearchQuery,
    Workspace,
    WorkspaceView,
)

#: The custom-fields namespace of a project's applied lessons.
NAMESPACE = "knowledge"

#: Points a lesson earns towards a project, by what they share (see :func:`suggest`).
WEIGHTS: dict[str, int] = {"tag": 3, "word": 1, "methodology": 2, "tier": 1}

#: The score a lesson needs to be suggested by default: a shared tag, or three shared words,
#: or a word with the same methodology... One common word alone is not similarity.
MIN_SCORE = 3

#: Words too common to make two texts similar (English function words and PMO filler).
STOP_WORDS: frozenset[str] = frozenset(
    """
    a an and are as at be been but by for from had has have in into is it its of on or our so
    that the their them then there these they this to was we were what when which who will with
    not no all any each more most new next one two project projects phase team
    """.split()  # noqa: SIM905 - a list of words reads best as words
)


class AppliedLesson(BaseModel):
    """A lesson a project applied: which, when, by whom and how.

    Example::

        AppliedLesson(lesson="3f2a91c0", on=date(2025, 4, 1), by="dana",
                      comment="Milestones are in the contract")
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lesson: str = Field(min_length=1)
    on: date
    by: str | None = None
    comment: str = ""


class KnowledgeFields(BaseModel):
    """A project's custom fields ``knowledge``: the lessons it applied, and those it
    considered and dismissed as not applying to it (each with the reason in ``comment``).

    Example::

        KnowledgeFields(applied=(AppliedLesson(lesson="3f2a91c0", on=date(2025, 4, 1)),))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    applied: tuple[AppliedLesson, ...] = ()
    dismissed: tuple[AppliedLesson, ...] = ()


def knowledge_fields(entity: Entity) -> KnowledgeFields:
    """The entity's :class:`KnowledgeFields` (empty when it has none).

    Example::

        [a.lesson for a in knowledge_fields(ws.view().entity("BETA")).applied]
    """
    return KnowledgeFields.model_validate(entity.custom_fields.get(NAMESPACE, {}))


def applied_ids(entity: Entity) -> frozenset[str]:
    """The ids of the lessons ``entity`` applied.

    Example::

        "3f2a91c0" in applied_ids(ws.view().entity("BETA"))
    """
    return frozenset(a.lesson for a in knowledge_fields(entity).applied)


def considered_ids(entity: Entity) -> frozenset[str]:
    """The ids of the lessons ``entity`` applied or dismissed: no longer suggested to it.

    Example::

        "3f2a91c0" in considered_ids(ws.view().entity("BETA"))
    """
    fields = knowledge_fields(entity)
    return frozenset(a.lesson for a in (*fields.applied, *fields.dismissed))


def _lesson(view: WorkspaceView, lesson_id: str) -> LessonLearned:
    for lesson in view.lessons():
        if lesson.id == lesson_id:
            return lesson
    raise InvalidInputError(f"there is no lesson {lesson_id!r}", where="LESSON")


def apply_lesson(
    ws: Workspace, lesson_id: str, project: str, *, comment: str = "", on: date | None = None
) -> AppliedLesson:
    """Record that ``project`` applied the lesson ``lesson_id`` (an update of its custom
    fields ``knowledge``, journaled like every update, by the workspace's actor); the lesson
    is no longer suggested to it. Applying it twice, or one it dismissed, is an error.

    Example::

        apply_lesson(ws, "3f2a91c0", "BETA", comment="Milestones are in the contract")
    """
    return _consider(ws, lesson_id, project, "applied", comment, on)


def dismiss_lesson(
    ws: Workspace, lesson_id: str, project: str, *, comment: str, on: date | None = None
) -> AppliedLesson:
    """Record that ``project`` considered the lesson ``lesson_id`` and it does not apply,
    with the reason in ``comment`` (required: a dismissal without a reason is no decision).
    The lesson is no longer suggested to it, so ``knowledge-relevant-lessons`` stops listing
    it, also under a model that makes the rule block. Dismissing one it applied, or twice,
    is an error.

    Example::

        dismiss_lesson(ws, "3f2a91c0", "BETA", comment="No vendor on this project")
    """
    if not comment.strip():
        raise InvalidInputError(
            "say why the lesson does not apply (a dismissal is recorded with its reason)",
            where="--comment",
        )
    return _consider(ws, lesson_id, project, "dismissed", comment, on)


def _consider(
    ws: Workspace,
    lesson_id: str,
    project: str,
    outcome: Literal["applied", "dismissed"],
    comment: str,
    on: date | None,
) -> AppliedLesson:
    view = ws.view()
    entity = view.entity(project)  # NotFoundError for an unknown key
    if entity.kind != "project":
        raise InvalidInputError(f"{entity.id} is a {entity.kind}, not a project", where="PROJECT")
    lesson = _lesson(view, lesson_id)
    fields = knowledge_fields(entity)
    for was, records in (("applied", fields.applied), ("dismissed", fields.dismissed)):
        if lesson.id in {a.lesson for a in records}:
            raise InvalidInputError(f"{entity.id} already {was} lesson {lesson.id}", where="LESSON")
    record = AppliedLesson(lesson=lesson.id, on=on or ws.today(), by=ws.actor, comment=comment)
    if outcome == "applied":
        updated = fields.model_copy(update={"applied": (*fields.applied, record)})
    else:
        updated = fields.model_copy(update={"dismissed": (*fields.dismissed, record)})
    custom = {**entity.custom_fields, NAMESPACE: updated.model_dump(mode="json")}
    ws.update(entity.id, custom_fields=custom, expected_version=entity.version)
    return record


def significant_words(text: str) -> set[str]:
    """The words of ``text`` that can make two texts similar: lower-case, three letters or
    more, not a stop word, not a number.

    Example::

        assert significant_words("The vendor missed 2 drops") == {"vendor", "missed", "drops"}
    """
    return {
        w
        for w in SearchQuery.words(text)
        if len(w) >= 3 and w not in STOP_WORDS and not w.isdigit()
    }


@dataclass(frozen=True)
class Suggestion:
    """A lesson suggested to a project, with its ``score`` and ``reasons`` (what the project
    and the lesson share: tags, words, methodology, tier).

    Example::

        for s in suggest(ws.view(), "BETA"):
            print(s.lesson.id, s.score, s.reasons)  # 3f2a91c0 8 ('tag vendor', ...)
    """

    lesson: LessonLearned
    source: Entity | None
    score: int
    reasons: tuple[str, ...]


def _tags(*groups: tuple[str, ...]) -> set[str]:
    return {t.strip().lower() for group in groups for t in group if t.strip()}


def score_lesson(
    project: Entity, lesson: LessonLearned, source: Entity | None
) -> tuple[int, tuple[str, ...]]:
    """How relevant ``lesson`` (learned by ``source``) is to ``project``, and why. A lesson
    is relevant only when it shares a tag or a significant word of its text with the
    project's name and description; the same methodology and tier then add to its score.

    Example::

        score, reasons = score_lesson(beta, lesson, alpha)  # 6, ('tag vendor', ...)
    """
    reasons: list[str] = []
    score = 0
    lesson_tags = _tags(lesson.tags, source.tags if source else ())
    for tag in sorted(_tags(project.tags) & lesson_tags):
        score += WEIGHTS["tag"]
        reasons.append(f"tag {tag}")
    # Tags count as tags above, not again as words.
    mine = significant_words(" ".join((project.name, project.description)))
    theirs = significant_words(
        " ".join(
            (
                lesson.what_happened,
                lesson.recommendation,
                lesson.category or "",
                source.name if source else "",
                source.description if source else "",
            )
        )
    )
    for word in sorted(mine & theirs):
        score += WEIGHTS["word"]
        reasons.append(f"word {word}")
    if score == 0:
        return 0, ()
    if source is not None and project.methodology and source.methodology == project.methodology:
        score += WEIGHTS["methodology"]
        reasons.append(f"methodology {project.methodology}")
    if source is not None and source.tier == project.tier:
        score += WEIGHTS["tier"]
        reasons.append(f"tier {project.tier}")
    return score, tuple(reasons)


def suggest(
    view: WorkspaceView,
    project: str | Entity,
    *,
    limit: int | None = 5,
    min_score: int = MIN_SCORE,
) -> list[Suggestion]:
    """The lessons of other entities relevant to ``project`` (scoring ``min_score`` or more,
    :func:`score_lesson`), best first (score, then the newest, then id): not its own
    lessons, nor those it applied (:func:`apply_lesson`).

    Example::

        [s.lesson.recommendation for s in suggest(ws.view(), "BETA", limit=3)]
    """
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise InvalidInputError(f"limit must be a positive number: {limit!r}", where="--limit")
    if isinstance(min_score, bool) or min_score < 1:
        raise InvalidInputError(
            f"the minimum score must be 1 or more: {min_score!r}", where="--min-score"
        )
    entity = view.entity(project) if isinstance(project, str) else project
    done = considered_ids(entity)
    sources = {e.id: e for e in view.entities(include_archived=True)}
    found = []
    for lesson in view.lessons():
        if lesson.entity == entity.id or lesson.id in done:
            continue
        source = sources.get(lesson.entity)
        score, reasons = score_lesson(entity, lesson, source)
        if score >= min_score:
            found.append(Suggestion(lesson, source, score, reasons))
    found.sort(
        key=lambda s: (-s.score, -(s.lesson.recorded_on or date.min).toordinal(), s.lesson.id)
    )
    return found if limit is None else found[:limit]


@dataclass(frozen=True)
class LessonHit:
    """A lesson found by :func:`search_lessons`, with the store's ``score`` (higher is more
    relevant) and a ``snippet`` with the matched words in brackets.

    Example::

        [(h.lesson.id, h.snippet) for h in search_lessons(ws, "vendor")]
    """

    lesson: LessonLearned
    score: float
    snippet: str


def search_lessons(
    ws: Workspace, text: str, *, under: str | None = None, limit: int | None = 20
) -> list[LessonHit]:
    """The lessons whose text matches ``text``, most relevant first: the store's full-text
    search (:meth:`Workspace.search <pmo_core.Workspace.search>`, SQLite FTS5 ranked by
    BM25) over lessons only. Every word must match; ``"quoted words"`` are a phrase; nothing
    else is syntax, so no input is an error.

    Example::

        [h.lesson.recommendation for h in search_lessons(ws, "vendor contract")]
    """
    hits = ws.search(text, kinds=["lesson"], under=under, limit=limit)
    by_id = {x.id: x for x in ws.view().lessons()}
    return [LessonHit(by_id[h.id], h.score, h.snippet) for h in hits if h.id in by_id]
