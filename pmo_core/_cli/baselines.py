"""``pmo baseline``: take, list, show and compare a project's baselines.

Every command is a :class:`~pmo_core.Workspace` method underneath (``take_baseline``,
``baselines``, ``baseline``, ``compare_baselines``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limited, money_text, options_named, workspace
from ._params import DATE, IntType
from ._record_json import record_json
from ._tables import echo_table, kv_lines

if TYPE_CHECKING:
    from .._domain import Baseline
    from .._services.baselines import BaselineComparison

_NUMBER = IntType(0, 10)


def baseline_json(baseline: Baseline) -> dict[str, Any]:
    """A baseline as every ``--json`` of ``pmo baseline`` prints it: its fields and version.

    Example::

        echo_json(baseline_json(ws.baseline("ALPHA")))
    """
    return record_json(baseline)


def _number(value: float, sign: str = "") -> str:
    # 1,520 and 12.5, never 1520.0 nor 1.5e+06.
    return f"{value:{sign},.2f}".rstrip("0").rstrip(".")


def _signed(value: float | int | None, unit: str = "") -> str | None:
    return None if value is None else _number(value, "+") + unit


def _hours(value: float | None) -> str | None:
    return None if value is None else _number(value)


@click.group()
def baseline() -> None:
    """A project's plan frozen: dates, budget and every work item, numbered 0 to 10.

    Baseline 0 is taken before execution. Under a model with change control (controlling,
    directive) a re-baseline comes only from approving a change request ('pmo change');
    under supportive governance it is free.

    \b
    Examples:
      pmo baseline take ALPHA --name "Approved at gate 3"
      pmo baseline list ALPHA
      pmo baseline compare ALPHA 0          # baseline 0 against the plan now
      pmo baseline compare ALPHA 0 1 --json
    """


@baseline.command("take", short_help="Freeze the project's plan as its next baseline.")
@click.argument("project")
@click.option("--name", default="", help="What the baseline is (e.g. 'Approved at gate 3').")
@click.option("--on", type=DATE, help="The day it is taken (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the baseline as JSON.")
@click.pass_context
def take(ctx: click.Context, project: str, name: str, on: date | None, as_json: bool) -> None:
    """Take the next baseline of PROJECT (0 first): its planned start and finish, its budget
    and every work item's dates, work and budget.

    Under a model with change control, a re-baseline is refused (exit 5): raise a change
    request and approve it, which re-baselines.

    \b
    Examples:
      pmo baseline take ALPHA
      pmo baseline take ALPHA --name "Approved at gate 3" --json
    """
    ws = workspace(ctx)
    with options_named({"name": "--name", "on": "--on"}):
        stored = ws.take_baseline(project, name=name, on=on)
    if as_json:
        echo_json(baseline_json(stored))
        return
    echo_line(
        f"Took baseline {stored.number} of {stored.project} on {stored.taken_on}: "
        f"{stored.planned_start or '-'} to {stored.planned_finish or '-'}, "
        f"{money_text(stored.cost)}, {len(stored.items)} work item(s)"
    )


@baseline.command("list", short_help="List a project's baselines.")
@click.argument("project")
@dated()
@click.option("--limit", type=IntType(0), help="Show at most N (0: all; default 50 on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_baselines(ctx: click.Context, project: str, limit: int | None, as_json: bool) -> None:
    """List the baselines of PROJECT taken up to --status-date, by number (the highest is
    in force); --as-of lists those known then.

    \b
    Examples:
      pmo baseline list ALPHA
      pmo baseline list ALPHA --json
      pmo baseline list ALPHA --status-date 2025-03-31
    """
    ws = workspace(ctx)
    found = limited(ws.baselines(project, view=dated_view(ctx)), limit, as_json=as_json)
    if as_json:
        echo_json([baseline_json(b) for b in found])
        return
    echo_table(
        ["number", "name", "taken on", "start", "finish", "cost", "work", "items"],
        [
            [
                b.number,
                b.name or None,
                b.taken_on,
                b.planned_start,
                b.planned_finish,
                money_text(b.cost),
                _hours(b.work),
                len(b.items),
            ]
            for b in found
        ],
        empty=f"No baseline for {project} (take one: pmo baseline take {project}).",
    )


@baseline.command("show", short_help="Show a baseline with its work items.")
@click.argument("project")
@click.argument("number", type=_NUMBER, required=False)
@dated()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, project: str, number: int | None, as_json: bool) -> None:
    """Show baseline NUMBER of PROJECT (default: the latest, the one in force on
    --status-date) and its work items.

    \b
    Examples:
      pmo baseline show ALPHA
      pmo baseline show ALPHA 0 --json
      pmo baseline show ALPHA --status-date 2025-03-31
    """
    ws = workspace(ctx)
    found = ws.baseline(project, number, view=dated_view(ctx))
    if as_json:
        echo_json(baseline_json(found))
        return
    click.echo(
        kv_lines(
            [
                ("project", found.project),
                ("number", found.number),
                ("name", found.name or None),
                ("taken on", found.taken_on),
                ("planned start", found.planned_start),
                ("planned finish", found.planned_finish),
                ("cost", money_text(found.cost)),
                ("work", _hours(found.work)),
                ("items", len(found.items)),
            ]
        )
    )
    if found.items:
        click.echo("\nWork items:")
        echo_table(
            ["work item", "subject", "start", "finish", "work", "cost"],
            [
                [
                    i.work_item,
                    i.subject,
                    i.planned_start,
                    i.planned_finish,
                    _hours(i.work),
                    money_text(i.cost) if i.cost else None,
                ]
                for i in found.items
            ],
        )


def render_comparison(comparison: BaselineComparison) -> str:
    """A comparison as text: schedule, cost and work, then the scope.

    Example::

        click.echo(render_comparison(ws.compare_baselines("ALPHA", 0)))
    """
    before, after = comparison.before, comparison.after
    fraction = comparison.cost_fraction
    delta = comparison.cost_delta
    cost = money_text(delta) if delta is not None else "(two currencies)"
    if delta is not None and delta.amount > 0:
        cost = "+" + cost
    if fraction is not None:
        cost += f" ({fraction * 100:+.1f} %)"
    lines = [
        f"{comparison.project}: baseline {before.number} -> {comparison.after_label}",
        kv_lines(
            [
                (
                    "start",
                    f"{before.planned_start or '-'} -> {after.planned_start or '-'} "
                    f"({_signed(comparison.start_days, ' days') or 'n/a'})",
                ),
                (
                    "finish",
                    f"{before.planned_finish or '-'} -> {after.planned_finish or '-'} "
                    f"({_signed(comparison.finish_days, ' days') or 'n/a'})",
                ),
                ("cost", f"{money_text(before.cost)} -> {money_text(after.cost)} ({cost})"),
                (
                    "work",
                    f"{_hours(before.work) or '-'} -> {_hours(after.work) or '-'} h "
                    f"({_signed(comparison.work_delta, ' h') or 'n/a'})",
                ),
                (
                    "scope",
                    f"{len(comparison.added)} added, {len(comparison.removed)} removed, "
                    f"{len(comparison.changed)} changed",
                ),
            ]
        ),
    ]
    if comparison.unchanged:
        lines.append("No change.")
    return "\n".join(lines)


@baseline.command("compare", short_help="Compare two baselines, or one with the plan now.")
@click.argument("project")
@click.argument("before", type=_NUMBER, required=False)
@click.argument("after", type=_NUMBER, required=False)
@click.option(
    "--current",
    is_flag=True,
    help="Compare BEFORE with the plan as it is now (the default with one number).",
)
@dated()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def compare(
    ctx: click.Context,
    project: str,
    before: int | None,
    after: int | None,
    current: bool,
    as_json: bool,
) -> None:
    """Compare baseline BEFORE of PROJECT with baseline AFTER, or with the plan as it is now
    (--current, the default when AFTER is not given; BEFORE defaults to the latest):
    schedule (start and finish moved, in days), cost (and its change in %), work, and scope
    (work items added, removed, changed). With --status-date the latest baseline is the
    one in force on that day; with --as-of "now" is the plan as it was known then.

    \b
    Examples:
      pmo baseline compare ALPHA             # the latest baseline against the plan now
      pmo baseline compare ALPHA 0 --current
      pmo baseline compare ALPHA 0 1 --json
      pmo baseline compare ALPHA --as-of 2025-03-31
    """
    from .._errors import InvalidInputError

    if current and after is not None:
        raise InvalidInputError("give a second baseline or --current, not both", where="--current")
    ws = workspace(ctx)
    comparison = ws.compare_baselines(project, before, after, view=dated_view(ctx))
    if as_json:
        echo_json(comparison.as_dict())
        return
    click.echo(render_comparison(comparison))
    for title, items in (("Added", comparison.added), ("Removed", comparison.removed)):
        if items:
            click.echo(f"\n{title}:")
            echo_table(
                ["work item", "subject", "start", "finish", "work", "cost"],
                [
                    [
                        i.work_item,
                        i.subject,
                        i.planned_start,
                        i.planned_finish,
                        _hours(i.work),
                        money_text(i.cost) if i.cost else None,
                    ]
                    for i in items
                ],
            )
    if comparison.changed:
        click.echo("\nChanged:")
        echo_table(
            ["work item", "subject", "start", "finish", "work", "cost"],
            [
                [
                    c.work_item,
                    c.subject,
                    _signed(c.start_days, " d"),
                    _signed(c.finish_days, " d"),
                    _signed(c.work, " h"),
                    money_text(c.cost) if c.cost is not None else None,
                ]
                for c in comparison.changed
            ],
        )
