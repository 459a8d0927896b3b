"""``pmo change``: raise, assess, approve, reject, list and show change requests.

A change request is a RAID item of type ``change``; every command is a
:class:`~pmo_core.Workspace` method underneath (``raise_change``, ``assess_change``,
``approve_change``, ``reject_change``, ``change_requests``, ``change_request``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ._dates import dated, dated_record, dated_view
from ._output import echo_json, echo_line, limited, money_text, options_named, workspace
from ._params import DATE, MONEY, IntType
from ._tables import echo_table
from .raid import as_json, show_item

if TYPE_CHECKING:
    from .._domain import Money, RaidItem

# RaidItem field (or method argument) -> the option that sets it, to name it in an error.
_OPTION_OF = {
    "id": "ID",
    "entity": "PROJECT",
    "title": "TITLE",
    "proposed_budget": "--budget",
    "proposed_start": "--start",
    "proposed_finish": "--finish",
    "scope_change": "--scope",
    "cost_impact": "--cost-impact",
    "schedule_impact_days": "--schedule-impact",
    "description": "--description",
    "comment": "--comment",
    "on": "--on",
}

_COST_IMPACT = click.option(
    "--cost-impact", type=MONEY, help="What it adds to the cost (negative: a saving)."
)
_SCHEDULE_IMPACT = click.option(
    "--schedule-impact",
    type=IntType(),
    metavar="DAYS",
    help="Days it moves the finish (negative: earlier).",
)


def _state(item: RaidItem) -> str:
    if item.approved is True:
        return "approved"
    if item.approved is False:
        return "rejected"
    return "pending" if item.status == "open" else "withdrawn"


def _impact(item: RaidItem) -> str:
    parts = []
    if item.cost_impact is not None:
        sign = "+" if item.cost_impact.amount > 0 else ""
        parts.append(sign + money_text(item.cost_impact))
    if item.schedule_impact_days is not None:
        parts.append(f"{item.schedule_impact_days:+} days")
    return ", ".join(parts) or "-"


@click.group()
def change() -> None:
    """Change requests: a new budget, new dates or a change of scope, with their impact.

    Under a model with change control (controlling, directive) a baselined budget or date
    changes only through an approved change request; approving one applies it and takes
    the next baseline, in one transaction. Who approves depends on its size (the approval
    matrix's bands); its requester may be barred from approving it. An ID may be given by a
    unique start of it (4 characters at least).

    \b
    Examples:
      pmo change raise ALPHA "Second data centre" --budget "275000 EUR" --finish 2026-01-16
      pmo change assess 3f2a --comment "Vendor quote received" --cost-impact "31000 EUR"
      pmo change approve 3f2a --approver "Dana Ruiz (sponsor)" --approver "Lee Chen (pmo)"
      pmo change list ALPHA
    """


@change.command("raise", short_help="Raise a change request on a project.")
@click.argument("project")
@click.argument("title")
@click.option("--budget", type=MONEY, help="The budget proposed (in the project's currency).")
@click.option("--start", type=DATE, help="The planned start proposed.")
@click.option("--finish", type=DATE, help="The planned finish proposed.")
@click.option("--scope", default="", help="What changes in the scope.")
@_COST_IMPACT
@_SCHEDULE_IMPACT
@click.option("--description", default="", help="Why the change is needed.")
@click.option("--json", "as_json_", is_flag=True, help="Print the change request as JSON.")
@click.pass_context
def raise_cmd(
    ctx: click.Context,
    project: str,
    title: str,
    budget: Money | None,
    start: date | None,
    finish: date | None,
    scope: str,
    cost_impact: Money | None,
    schedule_impact: int | None,
    description: str,
    as_json_: bool,
) -> None:
    """Raise a change request TITLE on PROJECT; you are its requester.

    The cost and schedule impact, when not given, are computed from what is proposed
    against the latest baseline (the project's own budget and dates before baseline 0).

    \b
    Examples:
      pmo change raise ALPHA "Second data centre" --budget "275000 EUR" \\
          --finish 2026-01-16 --scope "Add a disaster-recovery site"
      pmo change raise ALPHA "Drop the mobile app" --scope "Web only" \\
          --cost-impact "-20000 EUR" --json
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.raise_change(
            project,
            title,
            budget=budget,
            start=start,
            finish=finish,
            scope=scope,
            cost_impact=cost_impact,
            schedule_impact_days=schedule_impact,
            description=description,
        )
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Raised change request {item.id} on {item.entity}: {item.title} ({_impact(item)})")


@change.command("assess", short_help="Record the assessment of a change request.")
@click.argument("item_id", metavar="ID")
@click.option("--comment", required=True, help="What the assessment found.")
@_COST_IMPACT
@_SCHEDULE_IMPACT
@click.option("--json", "as_json_", is_flag=True, help="Print the change request as JSON.")
@click.pass_context
def assess(
    ctx: click.Context,
    item_id: str,
    comment: str,
    cost_impact: Money | None,
    schedule_impact: int | None,
    as_json_: bool,
) -> None:
    """Record the assessment of the pending change request ID (by you, today), correcting
    its impact where the assessment found another.

    \b
    Examples:
      pmo change assess 3f2a --comment "Vendor quote received" --cost-impact "31000 EUR"
      pmo change assess 3f2a --comment "Two more sprints" --schedule-impact 28
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.assess_change(
            item_id,
            comment=comment,
            cost_impact=cost_impact,
            schedule_impact_days=schedule_impact,
        )
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Assessed change request {item.id} of {item.entity}: {_impact(item)}")


@change.command("approve", short_help="Approve a change request: apply it and re-baseline.")
@click.argument("item_id", metavar="ID")
@click.option(
    "--approver",
    "approvers",
    multiple=True,
    metavar="NAME",
    help="An approver, 'Name' or 'Name (role)'. Repeatable; none: you approve.",
)
@click.option("--on", type=DATE, help="When it was approved (default: the status date).")
@click.option("--comment", default="", help="A note kept with the decision.")
@click.option("--json", "as_json_", is_flag=True, help="Print the change request as JSON.")
@click.pass_context
def approve(
    ctx: click.Context,
    item_id: str,
    approvers: tuple[str, ...],
    on: date | None,
    comment: str,
    as_json_: bool,
) -> None:
    """Approve the change request ID: its budget and dates apply to the project and the
    next baseline is taken, in one transaction.

    The approvers must satisfy the model's rule for a change of this size (exit 5
    otherwise, naming the rule and who could approve; nothing is written). A decided change
    request is not decided again (exit 4).

    \b
    Examples:
      pmo change approve 3f2a --approver "Dana Ruiz (sponsor)" --approver "Lee Chen (pmo)"
      pmo change approve 3f2a --approver "Dana Ruiz" --on 2025-06-02 --json
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.approve_change(item_id, approvers=approvers, on=on, comment=comment)
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Approved change request {item.id} of {item.entity} ({item.resolution})")


@change.command("reject", short_help="Reject a change request.")
@click.argument("item_id", metavar="ID")
@click.option("--comment", required=True, help="Why it is rejected.")
@click.option("--on", type=DATE, help="When it was rejected (default: the status date).")
@click.option("--json", "as_json_", is_flag=True, help="Print the change request as JSON.")
@click.pass_context
def reject(ctx: click.Context, item_id: str, comment: str, on: date | None, as_json_: bool) -> None:
    """Reject the change request ID, saying why; the plan and the baseline stay.

    \b
    Examples:
      pmo change reject 3f2a --comment "Not worth a month's delay"
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.reject_change(item_id, comment=comment, on=on)
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Rejected change request {item.id} of {item.entity}: {item.title}")


@change.command("list", short_help="List change requests, oldest first.")
@click.argument("entity", required=False)
@click.option("--open", "open_only", is_flag=True, help="Only those waiting for a decision.")
@dated()
@click.option("--limit", type=IntType(0), help="Show at most N (0: all; default 50 on a terminal).")
@click.option("--json", "as_json_", is_flag=True, help="Print JSON.")
@click.pass_context
def list_changes(
    ctx: click.Context, entity: str | None, open_only: bool, limit: int | None, as_json_: bool
) -> None:
    """List the change requests of ENTITY and below it (or of the whole workspace) raised
    up to --status-date, oldest first; --as-of lists them as known then (a request
    decided since shows as pending).

    \b
    Examples:
      pmo change list
      pmo change list ALPHA --open --json
      pmo change list ALPHA --as-of 2025-03-31
    """
    view = dated_view(ctx)
    items = limited(view.change_requests(entity, open_only=open_only), limit, as_json=as_json_)
    if as_json_:
        echo_json([as_json(i) for i in items])
        return
    rows: list[list[Any]] = [
        [
            i.id,
            i.entity,
            i.raised_on,
            i.title,
            i.requested_by,
            _impact(i),
            _state(i),
            i.decided_on,
            i.baseline_number,
        ]
        for i in items
    ]
    echo_table(
        ["id", "project", "raised", "title", "requested by", "impact", "state", "decided", "bl"],
        rows,
        empty="No change requests.",
    )


@change.command("show", short_help="Show a change request with its assessment and decision.")
@click.argument("item_id", metavar="ID")
@dated()
@click.option("--json", "as_json_", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, item_id: str, as_json_: bool) -> None:
    """Show the change request ID: what it proposes, its impact, assessment and decision.
    --as-of shows it as known then; one raised after --status-date is not shown (exit 3).

    \b
    Examples:
      pmo change show 3f2a
      pmo change show 3f2a --json
      pmo change show 3f2a --as-of 2025-03-31
    """
    from .._view import raid_day

    ws = workspace(ctx)
    item = dated_record(
        dated_view(ctx), ws.change_request(item_id), what="change request", dated=raid_day
    )
    if as_json_:
        echo_json(as_json(item))
        return
    show_item(item)
