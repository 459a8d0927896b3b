"""``pmo role``: who holds which role for a scope, so whose approval counts."""

from __future__ import annotations

import click

from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._record_json import record_json
from ._tables import echo_table


@click.group()
def role() -> None:
    """Assign, remove and list roles per scope (pmo, project-board, portfolio-board, ...),
    and show an entity's approval matrix.

    A role given on a portfolio or program holds for everything under it. An entity's
    sponsor and manager fields are the roles 'sponsor' and 'manager' already. The governance
    model's approval matrix says which roles approve which decision.

    On the embedded store identity is asserted, not authenticated: 'pmo --as NAME' says who
    acts, and a role says whose approval counts, not who is typing.

    \b
    Examples:
      pmo role assign PF pmo "Lee Chen"
      pmo role assign PF portfolio-board "Ana Silva"
      pmo role list ALPHA
      pmo role show ALPHA              # who approves which decision for ALPHA
      pmo role remove PF pmo "Lee Chen"
    """


@role.command("assign", short_help="Give a person a role for a scope and everything below.")
@click.argument("entity")
@click.argument("role_name", metavar="ROLE")
@click.argument("person")
@click.option("--json", "as_json", is_flag=True, help="Print the assignment as JSON.")
@click.pass_context
def assign(ctx: click.Context, entity: str, role_name: str, person: str, as_json: bool) -> None:
    """Give PERSON the role ROLE for ENTITY and everything below it.

    ROLE is a word such as pmo, project-board, portfolio-board or steering-committee
    (letters, digits and '-'; 'Project Board' becomes project-board).

    \b
    Examples:
      pmo role assign PF pmo "Lee Chen"
      pmo role assign ALPHA project-board "Ana Silva" --json
    """
    ws = workspace(ctx)
    assignment = ws.assign_role(entity, role_name, person)
    if as_json:
        echo_json(record_json(assignment))
        return
    echo_line(f"{assignment.person} holds {assignment.role} for {assignment.entity}")


@role.command("remove", short_help="Take an assigned role back.")
@click.argument("entity")
@click.argument("role_name", metavar="ROLE")
@click.argument("person")
@click.option("--json", "as_json", is_flag=True, help="Print the removed assignment as JSON.")
@click.pass_context
def remove(ctx: click.Context, entity: str, role_name: str, person: str, as_json: bool) -> None:
    """Take the role ROLE for ENTITY back from PERSON (the journal keeps that they held it).

    \b
    Examples:
      pmo role remove PF pmo "Lee Chen"
    """
    ws = workspace(ctx)
    removed = ws.remove_role(entity, role_name, person)
    if as_json:
        echo_json(removed.to_document(every_field=True))
        return
    echo_line(f"{removed.person} no longer holds {removed.role} for {removed.entity}")


@role.command("list", short_help="List who holds which role.")
@click.argument("entity", required=False)
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_roles(ctx: click.Context, entity: str | None, limit: int | None, as_json: bool) -> None:
    """List who holds which role for ENTITY (its own, from its fields, and from every scope
    above it), or every role of the workspace. Roles assigned after --status-date are left
    out; --as-of lists who held them as known then (a role taken back since included).

    \b
    Examples:
      pmo role list
      pmo role list ALPHA --json
      pmo role list ALPHA --as-of 2025-03-31
    """
    ws = workspace(ctx)
    found = limited(ws.roles(entity, view=dated_view(ctx)), limit, as_json=as_json)
    if as_json:
        echo_json([h.as_dict() for h in found])
        return
    echo_table(
        ["role", "person", "scope", "from"],
        [[h.role, h.person, h.scope, h.source] for h in found],
        empty="No roles.",
    )


@role.command("show", short_help="Show who approves which decision for an entity.")
@click.argument("entity")
@dated()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, entity: str, as_json: bool) -> None:
    """Show the approval matrix for ENTITY: for each decision (gate go / kill / hold /
    recycle, resume, close, reopen, waiver, change, artifact) the roles whose approval counts
    under the governance model in force, and who holds them there now.

    A change request's rule depends on its size (cost impact as a share of the baselined
    budget): one row per band, by the size from which it applies. With --status-date and
    --as-of, the holders are those of that day, as known then.

    \b
    Examples:
      pmo role show ALPHA
      pmo role show ALPHA --json
      pmo role show ALPHA --as-of 2025-03-31
    """
    ws = workspace(ctx)
    rows = ws.approval_matrix(entity, view=dated_view(ctx))
    if as_json:
        echo_json([row.as_dict() for row in rows])
        return
    if rows:
        echo_line(f"{entity}: approval matrix of model {rows[0].model!r}")
    table = []
    for row in rows:
        shown = row.as_dict()
        size = f">= {(row.at_least * 100).normalize():f}%" if row.at_least else ""
        people = shown["approvers"]
        assert isinstance(people, dict)
        holders = "; ".join(f"{r}: {', '.join(p) or 'nobody'}" for r, p in people.items())
        table.append([row.decision, size, row.describe(), holders or "-"])
    echo_table(["decision", "size", "approved by", "held by"], table, empty="No decisions.")
