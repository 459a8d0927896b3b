"""``pmo raid``: risks, assumptions, issues, dependencies, decisions, actions, changes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ._output import (
    DATE,
    ChoiceType,
    IntType,
    echo_json,
    echo_line,
    echo_table,
    options_named,
    paint,
    workspace,
)

if TYPE_CHECKING:
    from .._domain import RaidItem
    from .._workspace import Workspace

# RaidItem field -> the option (or argument) that sets it, to name it in an error.
_OPTION_OF = {
    "entity": "ENTITY",
    "type": "TYPE",
    "title": "TITLE",
    "probability": "--probability",
    "impact": "--impact",
    "owned_by": "--owner",
    "due": "--due",
    "description": "--description",
    "response": "--response",
}
RAID_TYPES = ("risk", "assumption", "issue", "dependency", "decision", "action", "change")


@click.group()
def raid() -> None:
    """Risks, assumptions, issues, dependencies, decisions, actions and changes.

    \b
    Examples:
      pmo raid add ALPHA risk "Vendor may slip" --probability 4 --impact 4 --owner Sam
      pmo raid list PF --type risk --open
      pmo raid close 3f2a9c1b7d4e
    """


@raid.command("add", short_help="Add a risk, issue, action or other RAID item.")
@click.argument("entity")
@click.argument("type", type=ChoiceType(RAID_TYPES), metavar="TYPE")
@click.argument("title")
@click.option("--probability", type=IntType(1, 5), help="Risk only: likelihood 1..5.")
@click.option("--impact", type=IntType(1, 5), help="Risk or issue: impact 1..5.")
@click.option("--owner", help="The person responsible.")
@click.option("--due", type=DATE, help="Due date (YYYY-MM-DD).")
@click.option("--description", default="", help="Free text.")
@click.option("--response", help="Risk or issue: the planned response.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored item as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    entity: str,
    type: str,
    title: str,
    probability: int | None,
    impact: int | None,
    owner: str | None,
    due: date | None,
    description: str,
    response: str | None,
    as_json: bool,
) -> None:
    """Add an item of TYPE (risk, assumption, issue, dependency, decision, action, change).

    \b
    Examples:
      pmo raid add ALPHA risk "Key supplier may go bust" --probability 2 --impact 5 \\
          --owner "Sam Roe" --response "Qualify a second supplier"
      pmo raid add ALPHA issue "Test environment down" --impact 3 --due 2025-07-01
      pmo raid add PF decision "Freeze new intake until Q3"
    """
    ws = workspace(ctx)
    ws.view().entity(entity)  # NotFoundError before anything is written
    fields: dict[str, Any] = {"description": description}
    for name, value in (
        ("probability", probability),
        ("impact", impact),
        ("owned_by", owner),
        ("due", due),
        ("response", response),
    ):
        if value is not None:
            fields[name] = value
    with options_named(_OPTION_OF):
        item = ws.add_raid(entity, type, title, **fields)
    if as_json:
        echo_json({**item.to_document(), "version": item.version})
        return
    extra = f", score {item.score}{' (high)' if item.is_high else ''}" if item.score else ""
    echo_line(f"Added {item.type} {item.id} to {entity}: {item.title}{extra}")
    if item.is_high and not item.owned_by:
        click.echo(paint("note: a high risk without an owner", "amber"), err=True)


@raid.command("list", short_help="List RAID items, high risks first.")
@click.argument("entity", required=False)
@click.option("--type", "type_", type=ChoiceType(RAID_TYPES), help="Only this type.")
@click.option("--open", "open_only", is_flag=True, help="Only open items.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_items(
    ctx: click.Context, entity: str | None, type_: str | None, open_only: bool, as_json: bool
) -> None:
    """List RAID items of ENTITY and everything below it (or of the whole workspace).

    High risks and issues (score >= 15 or impact 5) come first.

    \b
    Examples:
      pmo raid list
      pmo raid list ALPHA --open
      pmo raid list PF --type risk --json
    """
    ws = workspace(ctx)
    view = ws.view()
    items = view.raid(type=type_, open_only=open_only)
    if entity is not None:
        keys = {view.entity(entity).id, *(e.id for e in view.entities(under=entity))}
        items = [i for i in items if i.entity in keys]
    items.sort(key=lambda i: (i.status != "open", not i.is_high, -(i.score or 0), i.entity, i.id))
    if as_json:
        echo_json(
            [
                {**i.to_document(), "version": i.version, "score": i.score, "is_high": i.is_high}
                for i in items
            ]
        )
        return
    rows = [
        [
            i.id,
            i.entity,
            i.type,
            i.title,
            i.owned_by or None,
            i.status,
            f"{i.score}{' high' if i.is_high else ''}"
            if i.score
            else ("high" if i.is_high else None),
            i.due,
        ]
        for i in items
    ]
    echo_table(
        ["id", "entity", "type", "title", "owner", "status", "score", "due"],
        rows,
        empty="No RAID items.",
    )


# A shorter prefix would too easily close an item nobody meant.
_MIN_PREFIX = 4


def _find_item(ws: Workspace, ref: str) -> RaidItem:
    """The RAID item whose id is ``ref`` or starts with it (at least 4 characters, like git)."""
    from .._domain import RaidItem
    from .._errors import InvalidInputError, NotFoundError

    ref = ref.strip()
    doc = ws.store.get(RaidItem.store_kind, ref) if ref else None
    if doc is None and len(ref) >= _MIN_PREFIX:
        ids = sorted(
            i for (i,) in ws.view().values(RaidItem.store_kind, ["id"]) if i.startswith(ref)
        )
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise InvalidInputError(
                f"{ref!r} matches {len(ids)} RAID items ({shown}); give more of the id",
                where="ID",
            )
        if ids:
            doc = ws.store.get(RaidItem.store_kind, ids[0])
    if doc is None:
        hint = "" if len(ref) >= _MIN_PREFIX else f"; give at least {_MIN_PREFIX} characters"
        raise NotFoundError(f"no RAID item {ref!r} (see 'pmo raid list'{hint})")
    return RaidItem.from_document(doc.data, doc.version)


@raid.command("close", short_help="Close a RAID item by its id (or its start).")
@click.argument("item_id", metavar="ID")
@click.option("--note", default="", help="Appended to the item's description.")
@click.pass_context
def close(ctx: click.Context, item_id: str, note: str) -> None:
    """Close a RAID item by its id, or a unique start of it (4+ characters).

    \b
    Examples:
      pmo raid close 3f2a9c1b7d4e --note "Second supplier qualified"
      pmo raid close 3f2a
    """
    from .._errors import ConflictError

    ws = workspace(ctx)
    item = _find_item(ws, item_id)
    if item.status == "closed":
        raise ConflictError(f"RAID item {item.id} is already closed (on {item.closed_on})")
    description = f"{item.description}\n{note}".strip() if note else item.description
    closed = ws.replace(
        item.replace(status="closed", closed_on=ws.today(), description=description)
    )
    echo_line(f"Closed {closed.type} {closed.id} of {closed.entity}: {closed.title}")
