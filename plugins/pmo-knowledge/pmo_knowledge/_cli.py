"""``pmo knowledge``: search the lessons library, the lessons relevant to a project, and the
lessons a project applied."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from pmo_core import InvalidInputError, LessonLearned, current_workspace, escape_controls
from pmo_core.cli import echo_json, echo_table, limit_option, limited

from ._library import (
    MIN_SCORE,
    apply_lesson,
    dismiss_lesson,
    knowledge_fields,
    search_lessons,
    suggest,
)

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else escape_controls(str(value))


def _lesson(x: LessonLearned) -> dict[str, Any]:
    return {**x.to_document(every_field=True), "version": x.version}


def _limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InvalidInputError(f"must be a positive number, not {value}", where="--limit")
    return value


@click.group()
def knowledge() -> None:
    """The lessons library: search lessons, see those relevant to a project, mark them applied.

    Lessons are recorded with 'pmo lesson add'. The governance rule
    knowledge-relevant-lessons lists the relevant lessons a project has not applied in
    'pmo check' and 'pmo gate check'; 'pmo report lessons-learned' reports them.

    \b
    Examples:
      pmo knowledge search "vendor contract"
      pmo knowledge suggest BETA
      pmo knowledge apply 3f2a91c0 BETA --comment "Milestones are in the contract"
    """


@knowledge.command("search", short_help="Find lessons by their text, most relevant first.")
@click.argument("text")
@click.option("--under", metavar="KEY", help="Only lessons of KEY and the entities below it.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many lessons.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: lessons with score, snippet.")
def search(text: str, under: str | None, limit: int, as_json: bool) -> None:
    """Find the lessons whose text matches TEXT (what happened, recommendation, category,
    tags), most relevant first, with the matched words in [brackets].

    Every word must match (case-insensitive); "quoted words" match as a phrase; the last word
    also matches longer words. Anything else (*, NEAR, OR, parentheses, ^, -, :) is just a
    separator, never an error.

    \b
    Examples:
      pmo knowledge search vendor
      pmo knowledge search '"second drop" contract' --json
      pmo knowledge search budget --under PF --limit 5
    """
    ws = current_workspace()
    hits = search_lessons(ws, text, under=under, limit=_limit(limit))
    if as_json:
        echo_json([{**_lesson(h.lesson), "score": h.score, "snippet": h.snippet} for h in hits])
        return
    echo_table(
        ["id", "entity", "snippet", "recommendation"],
        [[h.lesson.id, h.lesson.entity, h.snippet, h.lesson.recommendation] for h in hits],
        empty="No matches.",
    )


@knowledge.command("suggest", short_help="Lessons of similar projects relevant to a project.")
@click.argument("project")
@click.option("--limit", type=int, default=5, show_default=True, help="How many lessons.")
@click.option(
    "--min-score",
    type=int,
    default=MIN_SCORE,
    show_default=True,
    help="The score a lesson needs (a tag 3, a word 1, methodology 2, tier 1).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: lessons with score, reasons.")
def suggest_command(project: str, limit: int, min_score: int, as_json: bool) -> None:
    """The lessons of other projects relevant to PROJECT, best first: those sharing tags or
    words (name, description) with it score, the same methodology and tier add to the score.
    Its own lessons and those it applied or dismissed are left out; so are those scoring less than
    --min-score.

    \b
    Examples:
      pmo knowledge suggest BETA
      pmo knowledge suggest BETA --min-score 1 --limit 10 --json
    """
    ws = current_workspace()
    found = suggest(ws.view(), project, limit=_limit(limit), min_score=min_score)
    if as_json:
        echo_json(
            [{**_lesson(s.lesson), "score": s.score, "reasons": list(s.reasons)} for s in found]
        )
        return
    echo_table(
        ["id", "from", "score", "recommendation", "why"],
        [
            [
                s.lesson.id,
                s.lesson.entity,
                s.score,
                s.lesson.recommendation or s.lesson.what_happened,
                ", ".join(s.reasons),
            ]
            for s in found
        ],
        empty="No relevant lessons.",
    )


@knowledge.command("apply", short_help="Mark a lesson applied by a project.")
@click.argument("lesson")
@click.argument("project")
@click.option("--comment", default="", help="How the project applied it.")
@click.option("--on", "on", type=_DATE, help="When it was applied (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the record written as JSON.")
def apply(lesson: str, project: str, comment: str, on: datetime | None, as_json: bool) -> None:
    """Record that PROJECT applied LESSON (journaled as an update of the project by the
    actor); the lesson is no longer suggested to it nor listed by its checks.

    \b
    Examples:
      pmo knowledge apply 3f2a91c0 BETA
      pmo knowledge apply 3f2a91c0 BETA --comment "Milestones are in the contract" --json
    """
    ws = current_workspace()
    day: date | None = on.date() if on is not None else None
    done = apply_lesson(ws, lesson, project, comment=comment, on=day)
    if as_json:
        echo_json({"project": project, **done.model_dump(mode="json")})
        return
    click.echo(f"{_text(project)} applied lesson {_text(done.lesson)} on {done.on.isoformat()}")


@knowledge.command("dismiss", short_help="Record that a lesson does not apply to a project.")
@click.argument("lesson")
@click.argument("project")
@click.option("--comment", required=True, help="Why the lesson does not apply (required).")
@click.option("--on", "on", type=_DATE, help="When it was considered (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the record written as JSON.")
def dismiss(lesson: str, project: str, comment: str, on: datetime | None, as_json: bool) -> None:
    """Record that PROJECT considered LESSON and it does not apply, with the reason
    (journaled as an update of the project by the actor); the lesson is no longer suggested
    to it nor listed by its checks, also where a governance model makes that rule block.

    \b
    Examples:
      pmo knowledge dismiss 3f2a91c0 BETA --comment "No vendor on this project"
    """
    ws = current_workspace()
    day: date | None = on.date() if on is not None else None
    done = dismiss_lesson(ws, lesson, project, comment=comment, on=day)
    if as_json:
        echo_json({"project": project, **done.model_dump(mode="json")})
        return
    click.echo(f"{_text(project)} dismissed lesson {_text(done.lesson)} on {done.on.isoformat()}")


@knowledge.command("list", short_help="List the lessons a project applied or dismissed.")
@click.argument("project")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_applied(project: str, limit: int | None, as_json: bool) -> None:
    """List the lessons PROJECT applied or dismissed: which, when, by whom, how or why.

    \b
    Examples:
      pmo knowledge list BETA
      pmo knowledge list BETA --json
    """
    ws = current_workspace()
    fields = knowledge_fields(ws.view().entity(project))
    rows = [("applied", a) for a in fields.applied] + [("dismissed", a) for a in fields.dismissed]
    rows.sort(key=lambda row: (row[1].on, row[0], row[1].lesson))
    rows = limited(rows, limit, as_json=as_json)
    if as_json:
        echo_json([{**a.model_dump(mode="json"), "outcome": outcome} for outcome, a in rows])
        return
    echo_table(
        ["lesson", "outcome", "on", "by", "comment"],
        [[a.lesson, outcome, a.on.isoformat(), a.by, a.comment] for outcome, a in rows],
        empty="No lessons applied or dismissed.",
    )
