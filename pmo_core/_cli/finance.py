"""``pmo cost`` and ``pmo forecast``: what a project has spent, and what it will take.

Every command is a :class:`~pmo_core.Workspace` method underneath (``add_cost``,
``cost_entries``, ``set_forecast``, ``forecasts``); this module only parses options and
shows results. Money is in the project's currency; a work item is named by its id or a
unique start of it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import click

from ._dates import dated, dated_view
from ._output import (
    echo_json,
    echo_line,
    limit_option,
    limited,
    money_text,
    options_named,
    workspace,
)
from ._params import DATE, MONEY, ChoiceType
from ._record_json import record_json
from ._tables import echo_table
from .plan import noting_exceptions

# CostEntry field (or method argument) -> the option or argument that sets it.
_COST_OPTION_OF = {
    "project": "PROJECT",
    "amount": "AMOUNT",
    "incurred_on": "--on",
    "category": "--category",
    "nature": "--nature",
    "work_item": "--work-item",
    "description": "--description",
}
# Forecast field (or method argument) -> the option that sets it.
_FORECAST_OPTION_OF = {
    "project": "PROJECT",
    "eac": "--eac",
    "etc": "--etc",
    "finish": "--finish",
    "reason": "--reason",
    "note": "--reason",
    "work_item": "--work-item",
    "as_of": "--on",
}

# An amount with a minus sign in front ("-5 EUR", "-0.5"): a value, not an option.
_SIGNED = re.compile(r"-[\d.]\S*(\s+[A-Za-z]{3})?")


class SignedAmountCommand(click.Command):
    """A command whose arguments may start with a minus sign (``pmo cost add ALPHA "-5 EUR"``).

    click would take ``-5 EUR`` for an unknown option; passed on as the argument it is, it
    reaches the check that refuses it with the reason (money here is never negative).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value = {
            opt
            for param in self.params
            if isinstance(param, click.Option) and not param.is_flag and not param.count
            for opt in param.opts
        }
        head, tail = (
            (args[: args.index("--")], args[args.index("--") + 1 :]) if "--" in args else (args, [])
        )
        kept: list[str] = []
        signed: list[str] = []
        for arg in head:
            # An option's value stays where it is ("--description -5" describes).
            if _SIGNED.fullmatch(arg) and not (kept and kept[-1] in takes_value):
                signed.append(arg)
            else:
                kept.append(arg)
        if signed:
            # After "--" every word is an argument: the amounts, in the order given.
            args = [*kept, "--", *signed, *tail]
        return super().parse_args(ctx, args)


# ------------------------------------------------------------------------- pmo cost


@click.group()
def cost() -> None:
    """A project's actual costs: each one dated, capex or opex, in the project's currency.

    \b
    Examples:
      pmo cost add ALPHA "1200.50 EUR" --on 2025-04-17 --opex --description "Hosting April"
      pmo cost add ALPHA "18000 EUR" --on 2025-04-30 --capex --work-item 3f2a
      pmo cost list ALPHA
    """


@cost.command("add", cls=SignedAmountCommand, short_help="Book an actual cost of a project.")
@click.argument("project")
@click.argument("amount", type=MONEY)
@click.option("--on", type=DATE, required=True, help="The day it was incurred (YYYY-MM-DD).")
@click.option("--capex", "capex", is_flag=True, help="Capital expenditure: --category capex.")
@click.option("--opex", "opex", is_flag=True, help="Operating expenditure: --category opex.")
@click.option(
    "--category", type=ChoiceType(("capex", "opex")), help="capex or opex (or --capex, --opex)."
)
@click.option("--nature", type=ChoiceType(("labour", "non_labour")), help="labour or non_labour.")
@click.option(
    "--work-item", metavar="REF", help="The work item it was spent on (id or unique start)."
)
@click.option("--description", default="", help="What it was (an invoice, a timesheet).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored entry as JSON.")
@click.pass_context
def cost_add(
    ctx: click.Context,
    project: str,
    amount: Any,
    on: date,
    capex: bool,
    opex: bool,
    category: str | None,
    nature: str | None,
    work_item: str | None,
    description: str,
    as_json: bool,
) -> None:
    """Book an actual cost AMOUNT of PROJECT, incurred on --on (not after the status date).

    AMOUNT is in the project's currency and never negative (a wrong entry is corrected by
    another, not by a negative one); another currency is refused, since pmo-core keeps no
    exchange rates. --capex and --opex are short for --category capex and opex. The
    project's tolerances are checked afterwards: a breach raises an exception.

    \b
    Examples:
      pmo cost add ALPHA "1200.50 EUR" --on 2025-04-17 --opex --description "Hosting April"
      pmo cost add ALPHA "18000 EUR" --on 2025-04-30 --capex --nature labour --work-item 3f2a
    """
    from .._errors import InvalidInputError

    chosen = [c for c, flag in (("capex", capex), ("opex", opex)) if flag]
    if category is not None:
        chosen.append(category)
    if len(set(chosen)) > 1:
        raise InvalidInputError(
            f"a cost is either capex or opex, not both ({' and '.join(chosen)})",
            where="--category",
        )
    fields: dict[str, Any] = {"description": description}
    if chosen:
        fields["category"] = chosen[0]
    if nature is not None:
        fields["nature"] = nature
    if work_item is not None:
        fields["work_item"] = work_item
    ws = workspace(ctx)
    with options_named(_COST_OPTION_OF), noting_exceptions(ws):
        entry = ws.add_cost(project, amount, on=on, **fields)
    if as_json:
        echo_json(record_json(entry))
        return
    kind = f" ({entry.category})" if entry.category else ""
    echo_line(
        f"Booked cost {entry.id} of {entry.project}: {money_text(entry.amount)}{kind} "
        f"on {entry.incurred_on}"
    )


@cost.command("list", short_help="List a project's actual costs.")
@click.argument("project")
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def cost_list(ctx: click.Context, project: str, limit: int | None, as_json: bool) -> None:
    """List the actual costs of PROJECT incurred up to --status-date, oldest first,
    with their total; --as-of lists those booked by then.

    \b
    Examples:
      pmo cost list ALPHA
      pmo cost list ALPHA --json
      pmo cost list ALPHA --status-date 2025-03-31
    """
    view = dated_view(ctx)
    entries = view.cost_entries(view.entity(project).id)
    shown = limited(entries, limit, as_json=as_json)
    if as_json:
        echo_json([record_json(e) for e in shown])
        return
    echo_table(
        ["id", "incurred on", "amount", "category", "nature", "work item", "description"],
        [
            [
                e.id,
                e.incurred_on,
                money_text(e.amount),
                e.category,
                e.nature,
                e.work_item,
                e.description or None,
            ]
            for e in shown
        ],
        empty="No costs.",
    )
    if entries:
        # One total per currency: entries another tool stored need not share the project's.
        totals: dict[str, Any] = {}
        for e in entries:
            currency = e.amount.currency
            totals[currency] = totals[currency] + e.amount if currency in totals else e.amount
        amounts = ", ".join(money_text(t) for t in totals.values())
        count = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
        echo_line(f"Total: {amounts} in {count}")


# --------------------------------------------------------------------- pmo forecast


@click.group()
def forecast() -> None:
    """A project's forecasts: the estimate at completion (EAC), to complete (ETC) and the
    finish date, each dated, signed and with its reason.

    The latest forecast of the project as a whole is what its cost and time tolerances
    measure; a forecast of one work item (--work-item) is kept beside it.

    \b
    Examples:
      pmo forecast set ALPHA --eac "265000 EUR" --finish 2026-01-30 --reason "Vendor slipped"
      pmo forecast list ALPHA
    """


@forecast.command("set", short_help="Record a forecast with a reason.")
@click.argument("project")
@click.option("--eac", type=MONEY, required=True, help="Estimate at completion.")
@click.option("--etc", type=MONEY, help="Estimate to complete (at most the EAC).")
@click.option("--finish", type=DATE, help="Forecast finish date (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why the forecast is what it is (required).")
@click.option(
    "--work-item", metavar="REF", help="Forecast this work item only (id or unique start)."
)
@click.option("--on", type=DATE, help="The day it is made (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored forecast as JSON.")
@click.pass_context
def forecast_set(
    ctx: click.Context,
    project: str,
    eac: Any,
    etc: Any,
    finish: date | None,
    reason: str,
    work_item: str | None,
    on: date | None,
    as_json: bool,
) -> None:
    """Record a forecast of PROJECT (or of one of its work items), signed by the acting
    user, as of --on. Earlier forecasts are kept; the latest of the project is in force.

    Money is in the project's currency. The project's tolerances are checked afterwards:
    a forecast beyond one raises an exception, escalated to the level above ('pmo
    exception list').

    \b
    Examples:
      pmo forecast set ALPHA --eac "265000 EUR" --etc "180000 EUR" --finish 2026-01-30 \\
          --reason "Vendor slipped six weeks"
      pmo forecast set ALPHA --eac "52000 EUR" --work-item 3f2a --reason "Extra cleansing"
    """
    ws = workspace(ctx)
    with options_named(_FORECAST_OPTION_OF), noting_exceptions(ws):
        found = ws.set_forecast(
            project,
            eac=eac,
            etc=etc,
            finish=finish,
            reason=reason,
            work_item=work_item,
            on=on,
        )
    if as_json:
        echo_json(record_json(found))
        return
    of = f"work item {found.work_item} of {found.project}" if found.work_item else found.project
    finish_text = f", finish {found.finish}" if found.finish else ""
    echo_line(
        f"Forecast {found.id} of {of} as of {found.as_of}: EAC {money_text(found.eac)}{finish_text}"
    )


@forecast.command("list", short_help="List a project's forecasts, oldest first.")
@click.argument("project")
@dated(future=True)
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def forecast_list(ctx: click.Context, project: str, limit: int | None, as_json: bool) -> None:
    """List the forecasts of PROJECT made up to --status-date, oldest first. The one in
    force on that day (the latest of the project as a whole, which the tolerances measure)
    is marked; in the JSON, "in_force" says it. --as-of lists those recorded by then.

    The status date may be after today (a forecast view): nothing is forecast ahead of the
    day it is made, so the forecast in force on a day to come is the latest made so far.

    \b
    Examples:
      pmo forecast list ALPHA
      pmo forecast list ALPHA --json
      pmo forecast list ALPHA --status-date 2025-03-31
      pmo forecast list ALPHA --status-date 2026-06-30   # in force then, as known now
    """
    view = dated_view(ctx)
    found = view.forecasts(view.entity(project).id)
    whole = [f for f in found if f.work_item is None]
    in_force = whole[-1].id if whole else None
    # A limit keeps the newest, still shown oldest first.
    shown = limited(found[::-1], limit, as_json=as_json)[::-1]
    if as_json:
        echo_json([{**record_json(f), "in_force": f.id == in_force} for f in shown])
        return
    echo_table(
        ["id", "as of", "work item", "eac", "etc", "finish", "by", "reason", "in force"],
        [
            [
                f.id,
                f.as_of,
                f.work_item,
                money_text(f.eac),
                money_text(f.etc),
                f.finish,
                f.author,
                f.note or None,
                f.id == in_force,
            ]
            for f in shown
        ],
        empty="No forecasts.",
    )
