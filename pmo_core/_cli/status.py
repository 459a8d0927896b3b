"""``pmo status``: record and list status reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ._dates import dated, dated_view
from ._output import DATE, RAG, IntType, echo_json, echo_line, echo_table, workspace

_DIMENSIONS = ("schedule", "cost", "scope", "resources", "risk")


@click.group()
def status() -> None:
    """Record and list status reports (a RAG snapshot per dimension).

    \b
    Examples:
      pmo status report ALPHA --overall amber --schedule amber --cost green \\
          --summary "Vendor slipped two weeks"
      pmo status list ALPHA
    """


@status.command("report", short_help="Record the status of an entity on a day.")
@click.argument("entity")
@click.option("--overall", type=RAG, required=True, help="Overall colour.")
@click.option("--schedule", type=RAG, help="Schedule colour.")
@click.option("--cost", type=RAG, help="Cost colour.")
@click.option("--scope", type=RAG, help="Scope colour.")
@click.option("--resources", type=RAG, help="Resources colour.")
@click.option("--risk", type=RAG, help="Risk colour.")
@click.option("--summary", default="", help="What happened and what is next, in a sentence or two.")
@click.option("--achievement", "achievements", multiple=True, help="An achievement. Repeatable.")
@click.option("--next-step", "next_steps", multiple=True, help="A next step. Repeatable.")
@click.option(
    "--status-date",
    type=DATE,
    help="The day the report is about: today or earlier (default: today).",
)
@click.option("--as-of", "as_of", hidden=True, help="Not here: see --status-date.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored report as JSON.")
@click.pass_context
def report(
    ctx: click.Context,
    /,
    entity: str,
    overall: str,
    summary: str,
    achievements: tuple[str, ...],
    next_steps: tuple[str, ...],
    status_date: date | None,
    as_of: str | None,
    as_json: bool,
    **colours: str | None,
) -> None:
    """Record the status of a portfolio, program or project on --status-date (the day
    the report is about, kept as its "as_of"; default today, never after today).

    \b
    Examples:
      pmo status report ALPHA --overall green --summary "On plan"
      pmo status report ALPHA --overall amber --schedule amber --risk red \\
          --summary "Vendor late; mitigation agreed" --status-date 2025-06-30
    """
    from .._errors import InvalidInputError

    if as_of is not None:
        # --as-of reads the past as known then; a report is written now, about a day.
        raise InvalidInputError(
            "a status report is about a day: give it as --status-date (--as-of is for reading "
            "the workspace as known on a date)",
            where="--as-of",
        )
    ws = workspace(ctx)
    ws.view().entity(entity)  # NotFoundError (exit 3) before anything is written
    if status_date is not None and status_date > ws.today():
        # Views show what was reported by their date, so a future report would stay invisible.
        raise InvalidInputError(
            f"{status_date} is after today ({ws.today()}); a status report records what is "
            "known now",
            where="--status-date",
        )
    fields: dict[str, Any] = {
        "overall": overall,
        "dimensions": {d: c for d, c in colours.items() if c is not None},
        "summary": summary,
        "achievements": achievements,
        "next_steps": next_steps,
    }
    if status_date is not None:
        fields["as_of"] = status_date
    stored = ws.report_status(entity, **fields)
    if as_json:
        echo_json({**stored.to_document(), "version": stored.version})
        return
    dims = ", ".join(f"{d} {c.value}" for d, c in stored.dimensions.items())
    echo_line(
        f"Recorded status of {entity} as of {stored.as_of}: {stored.overall.value}"
        + (f" ({dims})" if dims else "")
    )


@status.command("list", short_help="List an entity's status reports, newest first.")
@click.argument("entity")
@dated()
@click.option("--limit", type=IntType(0), default=0, help="Show only the newest N (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_reports(ctx: click.Context, entity: str, limit: int, as_json: bool) -> None:
    """List an entity's status reports up to --status-date, newest first; --as-of lists
    those recorded by then.

    \b
    Examples:
      pmo status list ALPHA
      pmo status list ALPHA --limit 3 --json
      pmo status list ALPHA --status-date 2025-03-31
      pmo status list ALPHA --as-of 2025-04-02
    """
    view = dated_view(ctx)
    view.entity(entity)
    reports = list(reversed(view.status_reports(entity)))
    if limit > 0:
        reports = reports[:limit]
    if as_json:
        echo_json([{**r.to_document(), "version": r.version} for r in reports])
        return
    rows = [
        [r.as_of, r.overall, *(r.dimensions.get(d) for d in _DIMENSIONS), r.author, r.summary]  # type: ignore[call-overload]
        for r in reports
    ]
    echo_table(
        ["as of", "overall", *_DIMENSIONS, "author", "summary"],
        rows,
        empty=f"No status reports for {entity} "
        f"(record one: pmo status report {entity} --overall green).",
    )
