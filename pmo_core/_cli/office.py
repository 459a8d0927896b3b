"""``pmo office-cost``: what the PMO itself costs, per period (the denominator of its ROI).

Named ``office-cost``, not ``cost``: ``pmo cost`` books a project's actual costs, which the
PMO's own cost must never be mixed with. A noun and the usual verbs, ``add`` and ``list``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ._output import echo_json, echo_line, limit_option, limited, money_text, workspace
from ._params import DATE, MONEY
from ._record_json import record_json
from ._tables import echo_table
from .finance import SignedAmountCommand


@click.group("office-cost")
def office_cost() -> None:
    """Record and list what the PMO itself costs per period: staff, tools, training.

    The pmo-review report sets the PMO's cost for its period against the value it can
    evidence (its ROI).

    \b
    Examples:
      pmo office-cost add "45000 EUR" --start 2026-01-01 --end 2026-03-31 --category staff
      pmo office-cost list --from 2026-01-01 --to 2026-12-31
    """


@office_cost.command(
    "add", cls=SignedAmountCommand, short_help="Record the PMO's cost for a period."
)
@click.argument("amount", type=MONEY)
@click.option("--start", type=DATE, required=True, help="First day of the period.")
@click.option("--end", type=DATE, required=True, help="Last day of the period (inclusive).")
@click.option("--category", default="staff", show_default=True, help="What it was spent on.")
@click.option("--comment", default="", help="A note.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored cost as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    amount: Any,
    start: date,
    end: date,
    category: str,
    comment: str,
    as_json: bool,
) -> None:
    """Record AMOUNT (e.g. "45000 EUR", never negative) as the PMO's cost from --start to
    --end.

    \b
    Examples:
      pmo office-cost add "45000 EUR" --start 2026-01-01 --end 2026-03-31
      pmo office-cost add "6000 EUR" --start 2026-01-01 --end 2026-12-31 --category tools
    """
    from .._errors import InvalidInputError
    from ._output import options_named

    if end < start:
        raise InvalidInputError(f"{end} is before --start {start}", where="--end")
    ws = workspace(ctx)
    with options_named({"start": "--start", "end": "--end", "amount": "AMOUNT"}):
        cost = ws.add_pmo_cost(amount, start=start, end=end, category=category, note=comment)
    if as_json:
        echo_json(record_json(cost))
        return
    echo_line(
        f"Recorded PMO cost {cost.id}: {money_text(cost.amount)} ({cost.category}) "
        f"from {cost.start} to {cost.end}"
    )


@office_cost.command("list", short_help="List the PMO's costs.")
@click.option("--from", "start", type=DATE, help="Periods that end on or after this day.")
@click.option("--to", "end", type=DATE, help="Periods that start on or before this day.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_costs(
    ctx: click.Context, start: date | None, end: date | None, limit: int | None, as_json: bool
) -> None:
    """List the PMO's cost entries whose period overlaps --from to --to, oldest first.

    \b
    Examples:
      pmo office-cost list
      pmo office-cost list --from 2026-01-01 --to 2026-06-30 --json
    """
    found = limited(workspace(ctx).pmo_costs(start=start, end=end), limit, as_json=as_json)
    if as_json:
        echo_json([record_json(c) for c in found])
        return
    echo_table(
        ["id", "start", "end", "category", "amount", "note"],
        [[c.id, c.start, c.end, c.category, money_text(c.amount), c.note] for c in found],
        empty="No PMO costs recorded.",
    )
