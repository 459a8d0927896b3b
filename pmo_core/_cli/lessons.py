"""``pmo lesson``: record and list lessons learned (closed and killed entities still take them)."""

from __future__ import annotations

from datetime import date

import click

from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._params import DATE
from ._record_json import record_json
from ._tables import echo_table


@click.group()
def lesson() -> None:
    """Record and list lessons learned, the PMO's lessons library.

    A closed or killed project is read-only except for its lessons. Closing a project
    ('pmo project update X --lifecycle closed --lesson ...') records lessons too.

    \b
    Examples:
      pmo lesson add ALPHA "Vendor missed two drops" \\
          --recommendation "Put delivery milestones in the contract" --tag vendor
      pmo lesson list ALPHA
    """


@lesson.command("add", short_help="Record a lesson learned by an entity.")
@click.argument("entity")
@click.argument("what_happened", metavar="WHAT_HAPPENED")
@click.option("--recommendation", default="", help="What to do next time.")
@click.option("--category", help="A category, e.g. 'vendor management'.")
@click.option("--phase", help="The phase it was learned in (default: the entity's phase).")
@click.option("--tag", "tags", multiple=True, help="A tag. Repeatable.")
@click.option("--on", "recorded_on", type=DATE, help="When it was recorded (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored lesson as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    entity: str,
    what_happened: str,
    recommendation: str,
    category: str | None,
    phase: str | None,
    tags: tuple[str, ...],
    recorded_on: date | None,
    as_json: bool,
) -> None:
    """Record WHAT_HAPPENED as a lesson learned by ENTITY, with the actor as its author.

    \b
    Examples:
      pmo lesson add ALPHA "Vendor missed two drops" --category "vendor management"
      pmo lesson add BETA "Killed late: the business case was never re-checked" \\
          --recommendation "Re-check the business case at every gate" --json
    """
    ws = workspace(ctx)
    fields: dict[str, object] = {"recommendation": recommendation, "tags": tags}
    for name, value in (("category", category), ("phase", phase), ("recorded_on", recorded_on)):
        if value is not None:
            fields[name] = value
    stored = ws.add_lesson(entity, what_happened, **fields)
    if as_json:
        echo_json(record_json(stored))
        return
    echo_line(f"Recorded lesson {stored.id} of {stored.entity}: {stored.what_happened}")


@lesson.command("list", short_help="List lessons learned.")
@click.argument("entity", required=False)
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_lessons(ctx: click.Context, entity: str | None, limit: int | None, as_json: bool) -> None:
    """List the lessons learned by ENTITY, or every lesson of the workspace, newest first;
    those recorded after --status-date are left out, --as-of lists those known then.

    \b
    Examples:
      pmo lesson list
      pmo lesson list ALPHA --json
      pmo lesson list --status-date 2025-03-31
    """
    view = dated_view(ctx)
    if entity is not None:
        view.entity(entity)  # NotFoundError (exit 3) for an unknown key
    found = limited(
        sorted(view.lessons(entity), key=lambda x: (x.recorded_on or date.min, x.id), reverse=True),
        limit,
        as_json=as_json,
    )
    if as_json:
        echo_json([record_json(x) for x in found])
        return
    echo_table(
        ["id", "entity", "recorded", "phase", "category", "what happened", "recommendation"],
        [
            [x.id, x.entity, x.recorded_on, x.phase, x.category, x.what_happened, x.recommendation]
            for x in found
        ],
        empty="No lessons learned yet.",
    )
