"""``pmo status``: record and list status reports."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .._text import escape_controls
from ._colours import compare, measured
from ._dates import dated, dated_view
from ._output import echo_json, echo_line, paint, use_colour, workspace
from ._params import DATE, RAG, IntType
from ._record_json import record_json
from ._tables import echo_table

if TYPE_CHECKING:
    from .._domain import Entity
    from .._metrics import ProjectMetrics
    from .._watermelons import Watermelon

_DIMENSIONS = ("schedule", "cost", "scope", "resources", "risk")
_SEVERITY = {"green": 0, "amber": 1, "red": 2}


@click.group()
def status() -> None:
    """Record and list status reports (a RAG snapshot per dimension).

    \b
    Examples:
      pmo status report ALPHA --overall amber --schedule amber --cost green \\
          --summary "Vendor slipped two weeks"
      pmo status list ALPHA
    """


def _overrides(given: tuple[str, ...]) -> dict[str, str]:
    """``DIMENSION=COLOUR`` pairs, checked: a known dimension (or overall), a colour, once."""
    from .._errors import InvalidInputError

    out: dict[str, str] = {}
    for text in given:
        dimension, sep, colour = text.partition("=")
        dimension, colour = dimension.strip().lower(), colour.strip().lower()
        if not sep or dimension not in ("overall", *_DIMENSIONS) or colour not in _SEVERITY:
            raise InvalidInputError(
                f"{text!r} is not DIMENSION=COLOUR (dimension: overall, "
                f"{', '.join(_DIMENSIONS)}; colour: green, amber or red)",
                where="--override",
            )
        if dimension in out:
            raise InvalidInputError(f"{dimension} is overridden twice", where="--override")
        out[dimension] = colour
    return out


def _computed(
    dimension: str, figures: ProjectMetrics, computed: str | None, dimensions: dict[str, str]
) -> str | None:
    """The colour an override of ``dimension`` replaces: SPI's for schedule, CPI's for cost;
    for overall the worse of the figures' and of the report's own worst dimension (an
    overall better than a dimension is a watermelon too)."""
    if dimension == "schedule":
        return figures.schedule
    if dimension == "cost":
        return figures.cost
    if dimension != "overall":
        return None
    found = [c for c in (computed, *dimensions.values()) if c is not None]
    return max(found, key=_SEVERITY.__getitem__, default=None)


def _fix(melon: Watermelon) -> str:
    if melon.basis == "dimensions":
        return (
            f"report overall at least {melon.computed}, or record an override with a reason "
            f"(--override overall={melon.reported} --reason ...)"
        )
    return (
        f"record an override with a reason (--override {melon.dimension}={melon.reported} "
        "--reason ...)"
    )


@status.command("report", short_help="Record the status of an entity on a day.")
@click.argument("entity")
@click.option("--overall", type=RAG, required=True, help="Overall colour.")
@click.option("--schedule", type=RAG, help="Schedule colour.")
@click.option("--cost", type=RAG, help="Cost colour.")
@click.option("--scope", type=RAG, help="Scope colour.")
@click.option("--resources", type=RAG, help="Resources colour.")
@click.option("--risk", type=RAG, help="Risk colour.")
@click.option(
    "--override",
    "overrides",
    multiple=True,
    metavar="DIMENSION=COLOUR",
    help="Report COLOUR for DIMENSION (overall, schedule or cost) over the colour the figures "
    "give on --status-date; needs --reason. Repeatable.",
)
@click.option("--reason", default="", help="With --override: why the figures' colour is wrong.")
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
    overrides: tuple[str, ...],
    reason: str,
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

    The colours are compared with those the figures give on that day (a project's SPI and
    CPI; a program's or portfolio's totals): each one reported better than computed (a
    watermelon) is recorded all the same, with a warning on stderr. A reporter who knows
    better says why with --override DIMENSION=COLOUR and --reason: the override is kept in
    the report, and the governance rule reported-colours-honest then notes it instead of
    failing.

    \b
    Examples:
      pmo status report ALPHA --overall green --summary "On plan"
      pmo status report ALPHA --overall amber --schedule amber --risk red \\
          --summary "Vendor late; mitigation agreed" --status-date 2025-06-30
      pmo status report ALPHA --overall amber --cost amber --override cost=amber \\
          --reason "Licence prepaid for three years; CPI recovers in Q3"
    """
    from .._errors import InvalidInputError

    if as_of is not None:
        # --as-of reads the past as known then; a report is written now, about a day.
        raise InvalidInputError(
            "a status report is about a day: give it as --status-date (--as-of is for reading "
            "the workspace as known on a date)",
            where="--as-of",
        )
    wanted = _overrides(overrides)
    if wanted and not reason.strip():
        raise InvalidInputError(
            "an override needs a reason: say why the figures' colour is wrong with --reason",
            where="--override",
        )
    if reason.strip() and not wanted:
        raise InvalidInputError("--reason goes with --override", where="--reason")
    ws = workspace(ctx)
    target = ws.view().entity(entity)  # NotFoundError (exit 3) before anything is written
    if status_date is not None and status_date > ws.today():
        # Views show what was reported by their date, so a future report would stay invisible.
        raise InvalidInputError(
            f"{status_date} is after today ({ws.today()}); a status report records what is "
            "known now",
            where="--status-date",
        )
    dimensions = {d: c for d, c in colours.items() if c is not None}
    figures, computed = measured(ws.view(status_date=status_date), target)
    fields: dict[str, Any] = {
        "overall": overall,
        "dimensions": dimensions,
        "summary": summary,
        "achievements": achievements,
        "next_steps": next_steps,
        "overrides": _override_records(
            target, wanted, reason.strip(), overall, dimensions, figures, computed
        ),
    }
    if status_date is not None:
        fields["as_of"] = status_date
    try:
        stored = ws.report_status(entity, **fields)
    except InvalidInputError as exc:
        field, sep, rest = exc.message.partition(": ")
        if exc.where is None and sep and field.startswith("overrides"):
            raise InvalidInputError(rest, where="--override") from None
        raise
    found = compare(stored, figures, computed)
    _warn(found)
    if as_json:
        echo_json(
            {
                **stored.to_document(every_field=True),
                "version": stored.version,
                "computed": computed,
                "watermelons": [w.as_dict() for w in found],
            }
        )
        return
    dims = ", ".join(f"{d} {c.value}" for d, c in stored.dimensions.items())
    echo_line(
        f"Recorded status of {entity} as of {stored.as_of}: {stored.overall.value}"
        + (f" ({dims})" if dims else "")
    )


def _override_records(
    target: Entity,
    wanted: dict[str, str],
    reason: str,
    overall: str,
    dimensions: dict[str, str],
    figures: ProjectMetrics,
    computed: str | None,
) -> list[dict[str, str]]:
    """The overrides to store, each with the colour it replaces; an override the figures
    give no colour for, or that contradicts a colour option, is refused before writing."""
    from .._errors import InvalidInputError

    out: list[dict[str, str]] = []
    for dimension, colour in wanted.items():
        shown = overall if dimension == "overall" else dimensions.get(dimension)
        if shown is not None and shown != colour:
            raise InvalidInputError(
                f"--override {dimension}={colour} but --{dimension} is {shown}",
                where="--override",
            )
        if shown is None:
            dimensions[dimension] = colour
        replaced = _computed(dimension, figures, computed, dimensions)
        if replaced is None:
            why = f" ({figures.note})" if figures.note else ""
            raise InvalidInputError(
                f"the figures of {target.kind} {target.id} give no {dimension} colour{why}: "
                "there is nothing to override",
                where="--override",
            )
        out.append(
            {"dimension": dimension, "computed": replaced, "manual": colour, "reason": reason}
        )
    return out


def _warn(found: tuple[Watermelon, ...]) -> None:
    for melon in found:
        if melon.reason:
            echo_line(f"note: {melon.message}", err=True)
        else:
            line = f"warning: {melon.message}: {_fix(melon)}"
            click.echo(paint(escape_controls(line), "amber", colour=use_colour(err=True)), err=True)


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
        echo_json([record_json(r) for r in reports])
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
