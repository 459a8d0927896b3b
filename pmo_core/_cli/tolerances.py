"""``pmo tolerance`` and ``pmo exception``: tolerances measured, exceptions raised."""

from __future__ import annotations

from decimal import Decimal

import click

from ._dates import dated, dated_view
from ._output import echo_json, limit_option, limited, paint, workspace
from ._record_json import record_json
from ._tables import echo_table


@click.group()
def tolerance() -> None:
    """Measure forecasts against the tolerances of the governance model in force.

    A tolerance is a limit per level (project, program) and dimension: time and cost as
    fractions of the plan, scope as the share of work items changed since the baseline, risk
    as the highest open risk score. The model sets them; the 'tolerance-forecast' rule's
    settings may set them per workspace or scope. A breach is an exception, raised and
    escalated to the level above by the command that moved the forecast ('pmo exception
    list').

    \b
    Examples:
      pmo tolerance check
      pmo tolerance check ALPHA --json
    """


@tolerance.command("check", short_help="Measure every tolerance (nothing is written).")
@click.argument("entity", required=False)
@dated()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, entity: str | None, as_json: bool) -> None:
    """Measure the tolerances of ENTITY (or of every live project and program).

    Exit code 0 when every tolerance holds, 5 when one is breached, so scripts can test it.
    --status-date measures on that day (the forecasts, costs and baselines of then);
    --as-of measures what was known then.

    \b
    Examples:
      pmo tolerance check
      pmo tolerance check ERP --json
      pmo tolerance check ALPHA --status-date 2025-03-31
    """
    ws = workspace(ctx)
    found = ws.tolerance_checks(entity, view=dated_view(ctx))
    if as_json:
        echo_json([c.as_dict() for c in found])
    else:
        echo_table(
            ["entity", "level", "dimension", "limit", "actual", "state", "why"],
            [
                [
                    c.entity,
                    c.level,
                    c.dimension,
                    _shown(c.dimension, c.limit),
                    _shown(c.dimension, c.actual),
                    paint(c.state, "red" if c.breached else None),
                    c.message,
                ]
                for c in found
            ],
            empty="No tolerance set for these entities under the models in force.",
        )
    if any(c.breached for c in found):
        ctx.exit(5)


@click.group()
def exception() -> None:
    """Exceptions: forecasts beyond tolerance, escalated to the level above.

    An exception is an issue escalated to the parent scope (owned by who holds the model's
    escalate-to role there) and an exception report with the figures frozen. Close the issue
    ('pmo raid close ID --resolution ...') when the level above has decided.

    \b
    Examples:
      pmo exception list
      pmo exception list ERP --json
    """


@exception.command("list", short_help="List the exception reports.")
@click.argument("entity", required=False)
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_exceptions(
    ctx: click.Context, entity: str | None, limit: int | None, as_json: bool
) -> None:
    """List the exception reports of ENTITY and everything below it (or of the workspace),
    newest first, with the issue each raised and where it is now. Those raised after
    --status-date are left out; --as-of lists them, and their issues, as known then.

    \b
    Examples:
      pmo exception list
      pmo exception list ALPHA --json
      pmo exception list ALPHA --status-date 2025-03-31
    """
    view = dated_view(ctx)
    keys = (
        [view.entity(entity).id, *(e.id for e in view.entities(under=entity))]
        if entity
        else [e.id for e in view.entities()]
    )
    issues = {r.id: r for r in view.raid(type="issue")}
    rows = []
    for key in keys:
        for report in view.status_reports(key, kind="exception"):
            issue = issues.get(str(report.metrics.get("issue")))
            rows.append((report, issue))
    rows.sort(key=lambda pair: (pair[0].as_of, pair[0].entity), reverse=True)
    rows = limited(rows, limit, as_json=as_json)
    if as_json:
        echo_json(
            [
                {**record_json(report), "issue": record_json(issue) if issue else None}
                for report, issue in rows
            ]
        )
        return
    echo_table(
        ["as of", "entity", "breach", "escalated to", "issue", "state", "summary"],
        [
            [
                report.as_of,
                report.entity,
                f"{report.metrics.get('level')} {report.metrics.get('dimension')}",
                report.metrics.get("escalated_to"),
                issue.id if issue else None,
                issue.status if issue else None,
                report.summary,
            ]
            for report, issue in rows
        ],
        empty="No exceptions.",
    )


def _shown(dimension: str, value: Decimal | None) -> str:
    """A limit or measure as a reader expects it: risk as a score, the others as a percentage
    (the JSON keeps the exact fraction)."""
    if value is None:
        return "-"
    if dimension == "risk":
        return f"{value.normalize():f}"
    return f"{(value * 100).quantize(Decimal('0.1')).normalize():f}%"
