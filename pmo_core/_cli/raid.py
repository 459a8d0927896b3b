"""``pmo raid``: risks, assumptions, issues, dependencies, decisions, actions, changes.

Every command is a :class:`~pmo_core.Workspace` method underneath (``add_raid``,
``raid_log``, ``raid_item``, ``update_raid``, ``close_raid``, ``reopen_raid``,
``escalate_raid``); this module only parses options and shows results.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ._dates import dated, dated_record, dated_view
from ._output import (
    echo_json,
    echo_line,
    limit_option,
    limited,
    money_text,
    options_named,
    paint,
    renamed_option,
    workspace,
)
from ._params import DATE, ChoiceType, IntType
from ._record_json import record_json
from ._tables import echo_table, kv_lines

if TYPE_CHECKING:
    from .._domain import RaidItem

# RaidItem field (or method argument) -> the option (or argument) that sets it, to name it in
# an error. ``--on`` is when something happened: a decision's date, a closing day, or the
# day an item other than a decision was raised.
_OPTION_OF = {
    "id": "ID",
    "entity": "ENTITY",
    "type": "TYPE",
    "title": "TITLE",
    "probability": "--probability",
    "impact": "--impact",
    "proximity": "--proximity",
    "owned_by": "--owner",
    "due": "--due",
    "description": "--description",
    "response": "--response",
    "depends_on": "--depends-on",
    "needed_by": "--needed-by",
    "committed_on": "--committed-on",
    "delivered_on": "--delivered-on",
    "decided_by": "--decided-by",
    "decided_on": "--on",
    "raised_on": "--on",
    "on": "--on",
    "comment": "--comment",
    "resolution": "--resolution",
    "to": "--to",
}
# In ``update`` the title is an option, not an argument.
_UPDATE_OPTION_OF = {**_OPTION_OF, "title": "--title"}
RAID_TYPES = ("risk", "assumption", "issue", "dependency", "decision", "action", "change")

# The options that set an item's fields, shared by add and update (which take --title,
# --description and --on themselves: they mean something else in each).
_FIELD_OPTIONS = (
    click.option("--probability", type=IntType(1, 5), help="Risk only: likelihood 1..5."),
    click.option("--impact", type=IntType(1, 5), help="Risk or issue: impact 1..5."),
    click.option("--proximity", type=DATE, help="Risk only: when it could happen."),
    click.option("--owner", help="The person responsible."),
    click.option("--due", type=DATE, help="Due date (YYYY-MM-DD)."),
    click.option("--response", help="Risk or issue: the planned response."),
    click.option(
        "--depends-on",
        metavar="KEY",
        help="Dependency only: the project (or program) that delivers.",
    ),
    click.option("--needed-by", type=DATE, help="Dependency only: when it is needed."),
    click.option("--committed-on", type=DATE, help="Dependency only: the date promised."),
    click.option("--delivered-on", type=DATE, help="Dependency only: when it was delivered."),
    click.option("--decided-by", metavar="NAME", help="Decision only: who decided."),
)
# The parameter click passes each option above as -> the RaidItem field it sets.
_FIELDS = {
    "probability": "probability",
    "impact": "impact",
    "proximity": "proximity",
    "owner": "owned_by",
    "due": "due",
    "response": "response",
    "depends_on": "depends_on",
    "needed_by": "needed_by",
    "committed_on": "committed_on",
    "delivered_on": "delivered_on",
    "decided_by": "decided_by",
}


def _field_options(f: Any) -> Any:
    for option in reversed(_FIELD_OPTIONS):
        f = option(f)
    return f


def _fields(options: dict[str, Any]) -> dict[str, Any]:
    """The RaidItem fields the options given set (an option not given changes nothing)."""
    return {
        field: options[keyword]
        for keyword, field in _FIELDS.items()
        if options.get(keyword) is not None
    }


def as_json(item: RaidItem, *, side: str | None = None, listed: bool = False) -> dict[str, Any]:
    """An item as every ``--json`` of ``pmo raid`` prints it: its fields, its version, its
    score and whether it is high, where it is held now, and each re-scoring with its scores.
    A listing adds ``side`` (for a dependency: ``outgoing`` or ``incoming``).

    Example::

        echo_json(as_json(ws.raid_item("3f2a")))
    """
    doc = record_json(item)
    doc["score_history"] = [
        {**c.model_dump(mode="json"), "old_score": c.old_score, "new_score": c.new_score}
        for c in item.score_history
    ]
    out = {
        **doc,
        "score": item.score,
        "is_high": item.is_high,
        "escalated_to": item.escalated_to,
    }
    if listed:
        out["side"] = side
    return out


def _days(days: int | None) -> str | None:
    return None if days is None else f"{days:+} days"


def _score_text(item: RaidItem) -> str:
    if not item.score:
        return ""
    return f", score {item.score}{' (high)' if item.is_high else ''}"


@click.group()
def raid() -> None:
    """Risks, assumptions, issues, dependencies, decisions, actions and changes.

    An ID may be given by a unique start of it (4 characters at least, like git).

    \b
    Examples:
      pmo raid add ALPHA risk "Vendor may slip" --probability 4 --impact 4 --owner Sam
      pmo raid list PF --type risk --open
      pmo raid update 3f2a --probability 2 --comment "Second vendor qualified"
      pmo raid escalate 3f2a --comment "Needs the program's reserve"
      pmo raid close 3f2a --resolution "Second supplier qualified"
    """


@raid.command("add", short_help="Add a risk, issue, action or other RAID item.")
@click.argument("entity")
@click.argument("type", type=ChoiceType(RAID_TYPES), metavar="TYPE")
@click.argument("title")
@_field_options
@click.option("--description", default="", help="Free text.")
@click.option(
    "--on",
    type=DATE,
    help="When it happened: a decision's date; for other types the day it was raised "
    "(default: the status date).",
)
@click.option("--json", "as_json_", is_flag=True, help="Print the stored item as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    /,
    entity: str,
    type: str,
    title: str,
    description: str,
    on: date | None,
    as_json_: bool,
    **options: Any,
) -> None:
    """Add an item of TYPE (risk, assumption, issue, dependency, decision, action, change).

    A dependency names the project it waits for with --depends-on; it shows in that
    project's RAID log too, as incoming. A decision is dated with --on.

    \b
    Examples:
      pmo raid add ALPHA risk "Key supplier may go bust" --probability 2 --impact 5 \\
          --owner "Sam Roe" --response "Qualify a second supplier"
      pmo raid add ALPHA issue "Test environment down" --impact 3 --due 2025-07-01
      pmo raid add ALPHA dependency "Finance API" --depends-on BETA --needed-by 2025-09-01
      pmo raid add PF decision "Freeze new intake until Q3" --decided-by Board --on 2025-03-14
    """
    ws = workspace(ctx)
    ws.view().entity(entity)  # NotFoundError before anything is written
    fields: dict[str, Any] = {"description": description, **_fields(options)}
    if on is not None:
        fields["decided_on" if type == "decision" else "raised_on"] = on
    with options_named(_OPTION_OF):
        item = ws.add_raid(entity, type, title, **fields)
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Added {item.type} {item.id} to {entity}: {item.title}{_score_text(item)}")
    if item.is_high and not item.owned_by:
        click.echo(paint("note: a high risk without an owner", "amber"), err=True)


@raid.command("list", short_help="List RAID items, high risks first.")
@click.argument("entity", required=False)
@click.option("--type", "type_", type=ChoiceType(RAID_TYPES), help="Only this type.")
@click.option("--open", "open_only", is_flag=True, help="Only open items.")
@dated()
@limit_option
@click.option("--json", "as_json_", is_flag=True, help="Print JSON.")
@click.pass_context
def list_items(
    ctx: click.Context,
    entity: str | None,
    type_: str | None,
    open_only: bool,
    limit: int | None,
    as_json_: bool,
) -> None:
    """List RAID items of ENTITY and everything below it (or of the whole workspace).

    High risks and issues (score >= 15 or impact 5) come first. The list also holds the
    items escalated to ENTITY (shown as "ERP (from ALPHA)": held by ERP, raised on ALPHA) and
    the dependencies other projects have on it (marked incoming; "side" in the JSON).
    With --type decision it is the decisions log, oldest decision first. Items raised
    (decisions decided) after --status-date are left out; --as-of lists the items as they
    were known then (their status, score and owner of that moment).

    \b
    Examples:
      pmo raid list
      pmo raid list ALPHA --open
      pmo raid list PF --type risk --json
      pmo raid list PF --type decision
      pmo raid list ALPHA --status-date 2025-03-31 --as-of 2025-04-02
    """
    from .._services.raid import side

    view = dated_view(ctx)
    items = limited(view.raid_log(entity, type=type_, open_only=open_only), limit, as_json=as_json_)
    keys = view.scope_keys(entity) if entity is not None else None
    if as_json_:
        echo_json([as_json(i, side=side(i, keys), listed=True) for i in items])
        return
    if type_ == "decision":
        echo_table(
            ["id", "entity", "decided on", "decided by", "title", "status"],
            [[i.id, i.entity, i.decided_on, i.decided_by, i.title, i.status] for i in items],
            empty="No decisions.",
        )
        return
    rows = [
        [
            i.id,
            f"{i.escalated_to} (from {i.entity})" if i.escalated_to else i.entity,
            _type_text(i, side(i, keys)),
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


def _type_text(item: RaidItem, side: str | None) -> str:
    if side == "incoming":
        return f"dependency (incoming, on {item.depends_on})"
    if side == "outgoing" and item.depends_on:
        return f"dependency on {item.depends_on}"
    return item.type


@raid.command("show", short_help="Show a RAID item with its history.")
@click.argument("item_id", metavar="ID")
@dated()
@click.option("--json", "as_json_", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, item_id: str, as_json_: bool) -> None:
    """Show a RAID item (by its id or a unique start of it): its fields, its score history,
    its escalation trail and its reopenings. --as-of shows it as it was known then; an
    item raised after --status-date is not shown (exit 3).

    \b
    Examples:
      pmo raid show 3f2a
      pmo raid show 3f2a9c1b7d4e --json
      pmo raid show 3f2a --as-of 2025-04-02
    """
    from .._view import raid_day

    ws = workspace(ctx)
    view = dated_view(ctx)
    with options_named(_OPTION_OF):
        item = dated_record(view, ws.raid_item(item_id), what="RAID item", dated=raid_day)
    if as_json_:
        echo_json(as_json(item))
        return
    show_item(item)


def show_item(item: RaidItem) -> None:
    """Print a RAID item as ``pmo raid show`` (and ``pmo change show``) does: its fields,
    then its history.

    Example::

        show_item(ws.raid_item("3f2a"))
    """
    score = f"{item.score}{' (high)' if item.is_high else ''}" if item.score else None
    pairs: list[tuple[str, Any]] = [
        ("id", item.id),
        ("type", item.type),
        ("entity", item.entity),
    ]
    if item.escalated_to:
        pairs.append(("escalated to", item.escalated_to))
    pairs += [
        ("title", item.title),
        ("status", item.status),
        ("owner", item.owned_by or None),
        ("raised on", item.raised_on),
        ("due", item.due),
    ]
    optional: list[tuple[str, Any]] = [
        ("probability", item.probability),
        ("impact", item.impact),
        ("score", score),
        ("proximity", item.proximity),
        ("response", item.response),
        ("depends on", item.depends_on),
        ("needed by", item.needed_by),
        ("committed on", item.committed_on),
        ("delivered on", item.delivered_on),
        ("requested by", item.requested_by),
        ("proposed budget", money_text(item.proposed_budget) if item.proposed_budget else None),
        ("proposed start", item.proposed_start),
        ("proposed finish", item.proposed_finish),
        ("scope change", item.scope_change),
        ("cost impact", money_text(item.cost_impact) if item.cost_impact else None),
        ("schedule impact", _days(item.schedule_impact_days)),
        (
            "assessment",
            f"{item.assessment.on} by {item.assessment.by}: {item.assessment.comment}"
            if item.assessment
            else None,
        ),
        ("approved", item.approved),
        (
            "approvals",
            ", ".join(f"{a.approver} ({a.role})" if a.role else a.approver for a in item.approvals)
            or None,
        ),
        ("baseline", item.baseline_number),
        ("decided by", item.decided_by),
        ("decided on", item.decided_on),
        ("closed on", item.closed_on),
        ("resolution", item.resolution),
        ("description", item.description or None),
    ]
    pairs += [(k, v) for k, v in optional if v is not None]
    pairs.append(("version", item.version))
    click.echo(kv_lines(pairs))
    if item.score_history:
        click.echo("\nScore history:")
        echo_table(
            ["on", "by", "probability", "impact", "score", "comment"],
            [
                [
                    c.on,
                    c.actor,
                    f"{c.old_probability or '-'} -> {c.new_probability or '-'}",
                    f"{c.old_impact or '-'} -> {c.new_impact or '-'}",
                    f"{c.old_score or '-'} -> {c.new_score or '-'}",
                    c.comment or None,
                ]
                for c in item.score_history
            ],
        )
    if item.escalations:
        click.echo("\nEscalations:")
        echo_table(
            ["on", "by", "from", "to", "comment"],
            [[s.on, s.actor, s.from_entity, s.to_entity, s.comment] for s in item.escalations],
        )
    if item.reopenings:
        click.echo("\nReopenings:")
        echo_table(
            ["on", "by", "comment", "was closed on", "resolution"],
            [[r.on, r.actor, r.comment, r.closed_on, r.resolution] for r in item.reopenings],
        )


@raid.command("update", short_help="Change fields of a RAID item, or re-score it.")
@click.argument("item_id", metavar="ID")
@click.option("--title", help="A new title.")
@click.option("--description", help="Free text (replaces the description).")
@_field_options
@click.option("--on", type=DATE, help="Decision only: when it was decided.")
@click.option(
    "--comment",
    help="Why the score changed (kept in the score history with --probability or --impact).",
)
@click.option("--json", "as_json_", is_flag=True, help="Print the updated item as JSON.")
@click.pass_context
def update(
    ctx: click.Context,
    /,
    item_id: str,
    title: str | None,
    description: str | None,
    on: date | None,
    comment: str | None,
    as_json_: bool,
    **options: Any,
) -> None:
    """Change fields of a RAID item; only the options given change. An empty --owner
    clears the owner.

    The item's type rules still hold (--probability only on a risk, --depends-on only on a
    dependency...). A new --probability or --impact is kept in the item's score history
    with the date, who changed it, the old and new score and --comment. Nothing is written
    when a value is invalid, nor when nothing changes.

    \b
    Examples:
      pmo raid update 3f2a --probability 2 --comment "Second vendor qualified"
      pmo raid update 3f2a --owner "Sam Roe" --due 2025-07-01
      pmo raid update 7c1e --committed-on 2025-08-15
    """
    from .._errors import InvalidInputError

    ws = workspace(ctx)
    changes = _fields(options)
    if title is not None:
        changes["title"] = title
    if description is not None:
        changes["description"] = description
    if on is not None:
        changes["decided_on"] = on
    if not changes:
        raise InvalidInputError("nothing to change: give at least one option (see --help)")
    with options_named(_UPDATE_OPTION_OF):
        before = ws.raid_item(item_id)
        item = ws.update_raid(
            before.id, comment=comment or "", expected_version=before.version, **changes
        )
    if as_json_:
        echo_json(as_json(item))
        return
    if item.version == before.version:
        echo_line(f"No change to {item.type} {item.id} of {item.entity}: {item.title}")
        return
    was = f" (was {before.score})" if before.score != item.score and before.score else ""
    echo_line(
        f"Updated {item.type} {item.id} of {item.entity}: {item.title}{_score_text(item)}{was}"
    )


@raid.command("close", short_help="Close a RAID item with its resolution.")
@click.argument("item_id", metavar="ID")
@renamed_option("--resolution", "resolution", old="--note", help="How it was resolved (required).")
@click.option("--on", type=DATE, help="The day it was closed (default: the status date).")
@click.option("--json", "as_json_", is_flag=True, help="Print the closed item as JSON.")
@click.pass_context
def close(
    ctx: click.Context, item_id: str, resolution: str | None, on: date | None, as_json_: bool
) -> None:
    """Close a RAID item by its id, or a unique start of it (4+ characters), saying how it
    was resolved. A closed item can be reopened (pmo raid reopen).

    \b
    Examples:
      pmo raid close 3f2a9c1b7d4e --resolution "Second supplier qualified"
      pmo raid close 3f2a --resolution "Environment rebuilt" --on 2025-06-30
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.close_raid(item_id, resolution or "", on=on)
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Closed {item.type} {item.id} of {item.entity}: {item.title}")


@raid.command("reopen", short_help="Reopen a closed RAID item, saying why.")
@click.argument("item_id", metavar="ID")
@click.option("--comment", help="Why it is reopened (required).")
@click.option("--json", "as_json_", is_flag=True, help="Print the reopened item as JSON.")
@click.pass_context
def reopen(ctx: click.Context, item_id: str, comment: str | None, as_json_: bool) -> None:
    """Reopen a closed RAID item. The reopening is recorded on the item (when, who, why, and
    the closure that did not hold) and in the journal.

    \b
    Examples:
      pmo raid reopen 3f2a --comment "The second supplier failed its audit"
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.reopen_raid(item_id, comment or "")
    if as_json_:
        echo_json(as_json(item))
        return
    echo_line(f"Reopened {item.type} {item.id} of {item.entity}: {item.title}")


@raid.command("escalate", short_help="Escalate a RAID item to a scope above.")
@click.argument("item_id", metavar="ID")
@click.option("--to", metavar="KEY", help="The entity above to escalate to (default: the parent).")
@click.option("--comment", help="Why it is escalated (required).")
@click.option("--json", "as_json_", is_flag=True, help="Print the escalated item as JSON.")
@click.pass_context
def escalate(
    ctx: click.Context, item_id: str, to: str | None, comment: str | None, as_json_: bool
) -> None:
    """Escalate an open RAID item: responsibility moves up to the parent of the entity that
    holds it, or to --to (an entity above it). The item keeps the entity it was raised on
    and shows in the RAID log of the one it went to; plugins hear of it (pmo_escalated).
    A portfolio has no parent: escalating from it is an error.

    \b
    Examples:
      pmo raid escalate 3f2a --comment "Needs the program's budget reserve"
      pmo raid escalate 3f2a --to PF --comment "Only the board can decide"
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        item = ws.escalate_raid(item_id, to=to, comment=comment or "")
    if as_json_:
        echo_json(as_json(item))
        return
    step = item.escalations[-1]
    echo_line(
        f"Escalated {item.type} {item.id} of {item.entity} from {step.from_entity} "
        f"to {step.to_entity}: {item.title}"
    )
