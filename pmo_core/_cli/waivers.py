"""``pmo waiver``: grant, revoke and list waivers of rules and gate criteria."""

from __future__ import annotations

from datetime import date

import click

from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._params import DATE
from ._record_json import record_json
from ._tables import echo_table


@click.group()
def waiver() -> None:
    """Grant, revoke and list waivers: approved permission to pass despite a deviation.

    Under a model whose deviations need a waiver (controlling, directive), a failed must
    criterion or blocking rule stops a gate until a waiver lets it pass; every later check
    still shows the deviation, with the waiver. The approval matrix says who approves a
    waiver; whoever asked for it may be barred from approving it.

    \b
    Examples:
      pmo waiver grant ALPHA --criterion test-plan-approved --reason "Vendor plan in its place" \\
          --expires 2026-06-30 --approver "Lee Chen (pmo)" --requested-by "Kim Park"
      pmo waiver list ALPHA
      pmo waiver revoke 3f2a --comment "Test plan approved after all"
    """


@waiver.command("grant", short_help="Let an entity pass despite one rule or criterion.")
@click.argument("entity")
@click.option("--rule", metavar="NAME", help="The governance rule waived.")
@click.option("--criterion", metavar="NAME", help="The gate criterion waived.")
@click.option("--reason", required=True, help="Why the deviation is acceptable.")
@click.option("--expires", "expires_on", type=DATE, required=True, help="Last day it holds.")
@click.option(
    "--approver",
    "approvers",
    multiple=True,
    metavar="NAME",
    help="An approver, 'Name' or 'Name (role)'. Repeatable; none: you approve.",
)
@click.option("--requested-by", metavar="NAME", help="Who asked for it (default: you).")
@click.option("--on", type=DATE, help="When it was granted (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the waiver as JSON.")
@click.pass_context
def grant(
    ctx: click.Context,
    entity: str,
    rule: str | None,
    criterion: str | None,
    reason: str,
    expires_on: date,
    approvers: tuple[str, ...],
    requested_by: str | None,
    on: date | None,
    as_json: bool,
) -> None:
    """Let ENTITY pass despite one failing --rule or --criterion until --expires.

    Nothing is written when the approvers do not satisfy the model's rule for waivers
    (exit 5; the message names the rule and who could approve).

    \b
    Examples:
      pmo waiver grant ALPHA --criterion test-plan-approved --reason "Vendor plan" \\
          --expires 2026-06-30 --approver "Lee Chen"
      pmo waiver grant ALPHA --rule baseline-before-execution --reason "Rebaseline in May" \\
          --expires 2026-05-31 --approver "Lee Chen" --approver "Dana Ruiz" --json
    """
    from .._errors import InvalidInputError

    if (rule is None) == (criterion is None):
        raise InvalidInputError("give exactly one of --rule and --criterion", where="--rule")
    kind, target = ("rule", rule) if rule is not None else ("criterion", criterion)
    assert target is not None
    ws = workspace(ctx)
    granted = ws.grant_waiver(
        entity,
        kind,
        target,
        reason=reason,
        expires_on=expires_on,
        approvers=approvers,
        requested_by=requested_by,
        on=on,
    )
    if as_json:
        echo_json(record_json(granted))
        return
    by = ", ".join(f"{a.approver} ({a.role})" for a in granted.approvals) or "-"
    echo_line(
        f"Waived {granted.kind} {granted.target} for {granted.entity} until "
        f"{granted.expires_on} (waiver {granted.id}, approved by {by})"
    )


@waiver.command("revoke", short_help="End a waiver before it expires.")
@click.argument("waiver_id", metavar="ID")
@click.option("--comment", required=True, help="Why it is revoked.")
@click.option("--on", type=DATE, help="From when (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the waiver as JSON.")
@click.pass_context
def revoke(
    ctx: click.Context, waiver_id: str, comment: str, on: date | None, as_json: bool
) -> None:
    """End the waiver ID (or its first 4+ characters): the deviation blocks again.

    \b
    Examples:
      pmo waiver revoke 3f2a --comment "Test plan approved after all"
    """
    ws = workspace(ctx)
    revoked = ws.revoke_waiver(waiver_id, reason=comment, on=on)
    if as_json:
        echo_json(record_json(revoked))
        return
    echo_line(f"Revoked waiver {revoked.id} of {revoked.entity} from {revoked.revoked_on}")


@waiver.command("list", short_help="List the waivers in force.")
@click.argument("entity", required=False)
@click.option("--expired", is_flag=True, help="Include expired and revoked waivers.")
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_waivers(
    ctx: click.Context, entity: str | None, expired: bool, limit: int | None, as_json: bool
) -> None:
    """List the waivers in force on --status-date (of ENTITY, or everywhere); those granted
    after it are left out. --as-of lists them as known then.

    \b
    Examples:
      pmo waiver list
      pmo waiver list ALPHA --expired --json
      pmo waiver list ALPHA --status-date 2025-03-31
    """
    view = dated_view(ctx)
    found = limited(view.waivers(entity, include_ended=expired), limit, as_json=as_json)
    if as_json:
        echo_json([record_json(w) for w in found])
        return
    today = view.status_date
    echo_table(
        ["id", "entity", "waives", "until", "state", "approved by", "reason"],
        [
            [
                w.id,
                w.entity,
                f"{w.kind} {w.target}",
                w.expires_on,
                "in force" if w.active_on(today) else ("revoked" if w.revoked_on else "expired"),
                ", ".join(a.approver for a in w.approvals),
                w.reason,
            ]
            for w in found
        ],
        empty="No waivers in force.",
    )
