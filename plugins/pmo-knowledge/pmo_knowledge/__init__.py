"""pmo-knowledge: a lessons-learned library for pmo-core that speaks up.

A plugin for pmo-core (plugin id ``knowledge``) over the core's lessons learned
(:class:`~pmo_core.LessonLearned`, ``pmo lesson add|list``). :func:`search_lessons` finds
lessons by their text with the store's full-text search (SQLite FTS5, ranked by BM25);
:func:`suggest` lists the lessons of other projects relevant to a project (shared tags and
words, then the same methodology and tier); the governance rule ``knowledge-relevant-lessons``
(level ``advise``) lists those not applied yet in ``pmo check`` and ``pmo gate check``;
:func:`apply_lesson` records that a project applied one (its custom fields ``knowledge``,
journaled), after which it is no longer suggested; :func:`dismiss_lesson` records, with the
reason, that one does not apply. The report ``lessons-learned`` comes in
Markdown, JSON, HTML, CSV and XLSX; ``pmo knowledge`` searches, suggests and applies. The
organisation's template library (:class:`OrgTemplate`, ``pmo template``) adds artifact
templates or overrides a methodology's.

Example::

    import pmo_knowledge
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"knowledge": pmo_knowledge}) as ws:
        ws.create("project", id="ALPHA", name="CRM rollout", tags=("vendor",))
        ws.add_lesson("ALPHA", "Vendor missed two drops", tags=("vendor",))
        ws.create("project", id="BETA", name="ERP upgrade", tags=("vendor",))
        [s.lesson.entity for s in pmo_knowledge.suggest(ws.view(), "BETA")]  # ['ALPHA']
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import (
    PmoCommand,
    PmoCustomFields,
    PmoGovernanceRule,
    PmoReport,
    PmoStoreKind,
    ReportOutput,
    ReportRequest,
    hookimpl,
)

from ._library import (
    MIN_SCORE,
    NAMESPACE,
    STOP_WORDS,
    WEIGHTS,
    AppliedLesson,
    KnowledgeFields,
    LessonHit,
    Suggestion,
    applied_ids,
    apply_lesson,
    considered_ids,
    dismiss_lesson,
    knowledge_fields,
    score_lesson,
    search_lessons,
    significant_words,
    suggest,
)
from ._rule import (
    RELEVANT_LESSONS_RULE,
    RULE_NAME,
    RelevantLessonsSettings,
    check_relevant_lessons,
)
from ._templates import KIND, OrgTemplate, add_template, template, template_for, templates

__all__ = [
    "KIND",
    "MIN_SCORE",
    "NAMESPACE",
    "RELEVANT_LESSONS_RULE",
    "REPORT_FORMATS",
    "RULE_NAME",
    "STOP_WORDS",
    "WEIGHTS",
    "AppliedLesson",
    "KnowledgeFields",
    "LessonHit",
    "OrgTemplate",
    "RelevantLessonsSettings",
    "Suggestion",
    "add_template",
    "applied_ids",
    "apply_lesson",
    "check_relevant_lessons",
    "considered_ids",
    "dismiss_lesson",
    "knowledge_fields",
    "pmo_cli_commands",
    "pmo_custom_fields",
    "pmo_governance_rules",
    "pmo_reports",
    "pmo_store_kinds",
    "render_lessons",
    "score_lesson",
    "search_lessons",
    "significant_words",
    "suggest",
    "template",
    "template_for",
    "templates",
]


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    """Register ``knowledge-relevant-lessons``: relevant lessons not applied are advice.

    Example::

        [f.message for f in ws.check("BETA") if f.rule == "knowledge-relevant-lessons"]
    """
    yield RELEVANT_LESSONS_RULE


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    """Register the custom fields ``knowledge`` of a project: the lessons it applied.

    Example::

        knowledge_fields(ws.view().entity("BETA")).applied
    """
    yield PmoCustomFields(name=NAMESPACE, kinds=("project",), model=KnowledgeFields)


@hookimpl
def pmo_store_kinds() -> Iterator[PmoStoreKind]:
    """Register the template library's store kind (:data:`KIND`), so that a whole-workspace
    export (``pmo export json``) carries the organisation's templates and an import brings
    them back.

    Example::

        ws.host.record(PmoStoreKind, "knowledge-template").kind  # 'knowledge_template'
    """
    yield PmoStoreKind(
        name="knowledge-template",
        summary="The organisation's artifact templates.",
        kind=KIND,
        model=OrgTemplate,
        id_field="name",
    )


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register the ``lessons-learned`` report (md, json, html, csv, xlsx).

    Example::

        ws.report("lessons-learned", "PF", format="html").content
    """
    yield PmoReport(
        name="lessons-learned",
        summary="The lessons learned of a scope; for a project, relevant lessons of similar ones.",
        scopes=("project", "program", "portfolio", "pmo"),
        formats=REPORT_FORMATS,
        render=render_lessons,
        options={"table": "What the csv format holds: lessons, or suggested (a project only)."},
    )


#: The formats of the ``lessons-learned`` report: every format of the report kit.
REPORT_FORMATS = ("md", "json", "html", "csv", "xlsx")


def render_lessons(request: ReportRequest) -> ReportOutput:
    """Render the ``lessons-learned`` report (Markdown, JSON, HTML, CSV, XLSX).

    The report kit (pmo-reports) is imported on the first render, not when the plugin
    registers its report, so a gate check or ``pmo --help`` stays light.

    Example::

        ws.report("lessons-learned", "BETA", format="json").content
    """
    from ._report import render_lessons as render

    return render(request)


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo knowledge`` (search, suggest, apply, list) and ``pmo template`` (the
    organisation's template library: add, list, show).

    Example::

        $ pmo knowledge suggest BETA
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_knowledge`.
    from ._cli import knowledge
    from ._template_cli import template_group

    yield PmoCommand(
        name="knowledge",
        summary="The lessons library: search lessons, suggest relevant ones, mark them applied.",
        command=knowledge,
    )
    yield PmoCommand(
        name="template",
        summary="The organisation's artifact templates, shared across projects.",
        command=template_group,
    )
