"""The ``lessons-learned`` report: the lessons of a scope and, for a project, the lessons of
similar projects it has not applied yet, in every format of the report kit."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pmo_reports.kit import MEDIA_TYPES, Column, Paragraph, Section, Table, md_text, page, workbook

from pmo_core import (
    Entity,
    InvalidInputError,
    LessonLearned,
    ReportOutput,
    ReportRequest,
)

from ._library import applied_ids, suggest

FORMATS = ("md", "json", "html", "csv", "xlsx")

LESSON_COLUMNS = [
    Column("id", "Lesson"),
    Column("entity", "Entity"),
    Column("recorded_on", "Recorded", "date", missing="no date"),
    Column("phase", "Phase", missing=""),
    Column("category", "Category", missing=""),
    Column("what_happened", "What happened"),
    Column("recommendation", "Recommendation", missing=""),
    Column("tags", "Tags", missing=""),
    Column("applied_by", "Applied by", "int"),
]

SUGGESTION_COLUMNS = [
    Column("id", "Lesson"),
    Column("entity", "From"),
    Column("score", "Score", "int"),
    Column("recommendation", "Recommendation", missing=""),
    Column("reasons", "Why"),
]


def _in_scope(request: ReportRequest) -> list[LessonLearned]:
    view, scope = request.view, request.scope
    if scope is None:
        keys = None
    else:
        keys = {scope.id} | {e.id for e in view.entities(under=scope.id, include_archived=True)}
    found = [x for x in view.lessons() if keys is None or x.entity in keys]
    return sorted(found, key=lambda x: (x.recorded_on or date.min, x.id), reverse=True)


def _row(lesson: LessonLearned, applied_by: int) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "entity": lesson.entity,
        "recorded_on": lesson.recorded_on,
        "phase": lesson.phase,
        "category": lesson.category,
        "what_happened": lesson.what_happened,
        "recommendation": lesson.recommendation,
        "tags": ", ".join(lesson.tags),
        "applied_by": applied_by,
    }


def lesson_tables(request: ReportRequest) -> tuple[Table, Table | None]:
    """The report's tables: the scope's lessons (with how many projects applied each), and
    for a project scope the relevant lessons of similar projects it has not applied.

    Example::

        lessons, suggested = lesson_tables(request)
    """
    view = request.view
    uses: dict[str, int] = {}
    for project in view.projects(include_archived=True):
        for lesson_id in applied_ids(project):
            uses[lesson_id] = uses.get(lesson_id, 0) + 1
    lessons = Table(
        "Lessons",
        "Lessons learned",
        LESSON_COLUMNS,
        [_row(x, uses.get(x.id, 0)) for x in _in_scope(request)],
        empty="No lessons learned yet.",
    )
    scope: Entity | None = request.scope
    if scope is None or scope.kind != "project":
        return lessons, None
    rows = [
        {
            "id": s.lesson.id,
            "entity": s.lesson.entity,
            "score": s.score,
            "recommendation": s.lesson.recommendation or s.lesson.what_happened,
            "reasons": ", ".join(s.reasons),
        }
        for s in suggest(view, scope, limit=None)
    ]
    suggested = Table(
        "Suggested",
        "Relevant lessons from similar projects",
        SUGGESTION_COLUMNS,
        rows,
        empty="No relevant lesson left to apply.",
    )
    return lessons, suggested


def _plain(rows: Any) -> list[dict[str, Any]]:
    return [
        {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows
    ]


def _csv_table(request: ReportRequest, lessons: Table, suggested: Table | None) -> Table:
    wanted = str(request.options.get("table", "lessons"))
    if wanted == "lessons":
        return lessons
    if wanted == "suggested" and suggested is not None:
        return suggested
    choices = "'lessons' or 'suggested' (a project only)"
    raise InvalidInputError(f"table must be {choices}, not {wanted!r}", where="--option table")


def render_lessons(request: ReportRequest) -> ReportOutput:
    """Render the ``lessons-learned`` report in ``request.format``.

    Example::

        ws.report("lessons-learned", "PF", format="md").content
    """
    lessons, suggested = lesson_tables(request)
    tables = [lessons] if suggested is None else [lessons, suggested]
    scope = request.scope
    title = "Lessons learned" + (f": {scope.id} — {scope.name}" if scope else "")
    fmt = request.format
    content: str | bytes
    if fmt == "md":
        lines = ["# " + md_text(title), ""]
        for table in tables:
            lines += ["## " + table.title, "", *table.markdown(), ""]
        content = "\n".join(lines).rstrip("\n") + "\n"
    elif fmt == "json":
        data: dict[str, Any] = {
            "report": "lessons-learned",
            "scope": scope.id if scope else None,
            "status_date": request.status_date.isoformat(),
            "lessons": _plain(lessons.rows),
        }
        if suggested is not None:
            data["suggested"] = _plain(suggested.rows)
        content = json.dumps(data, indent=2, ensure_ascii=False)
    elif fmt == "csv":
        # One table per CSV file, as spreadsheets read it: --option table=suggested picks the
        # suggestions of a project.
        content = _csv_table(request, lessons, suggested).csv()
    elif fmt == "xlsx":
        content = workbook(tables, created=request.status_date)
    else:
        sections = [Section(t.title, [t]) for t in tables]
        sections.append(
            Section(
                "How to read it",
                [
                    Paragraph(
                        "Applied by counts the projects that marked the lesson applied. A"
                        " suggested lesson shares tags or words with the project; the same"
                        " methodology and tier add to its score."
                    )
                ],
            )
        )
        content = page(title, sections, subtitle=f"As of {request.status_date.isoformat()}")
    return ReportOutput(content=content, media_type=MEDIA_TYPES[fmt])
