"""``pmo work`` and ``pmo milestone``: a project's plan and its progress, week to week.

Every command is a :class:`~pmo_core.Workspace` method underneath (``add_work_item``,
``update_work_item``, ``work_items``, ``work_item``, ``record_progress``, ``move_work_item``,
``add_milestone``,
``update_milestone``, ``milestones``, ``complete_milestone``); this module only parses
options and shows results. A work item or a milestone is named by its id or a unique start
of it (4 characters at least, like git), as a RAID item is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    workspace,
)
from ._params import DATE, MONEY, ChoiceType, NumberType
from ._record_json import record_json
from ._tables import echo_table, kv_lines

if TYPE_CHECKING:
    from .._view import WorkspaceView
    from .._workspace import Workspace

#: How a work item's earned value is measured: the values of ``EvMethod`` (spelt out here so
#: that ``pmo --help`` imports no domain model; a test keeps the two equal).
EV_METHODS = (
    "percent_complete",
    "0/100",
    "50/50",
    "level_of_effort",
    "weighted_milestones",
    "points",
)

# WorkItem field (or method argument) -> the option or argument that sets it, to name it in
# an error.
_WORK_OPTION_OF = {
    "id": "REF",
    "project": "PROJECT",
    "subject": "SUBJECT",
    "type": "--type",
    "start": "--start",
    "due": "--due",
    "work": "--work",
    "budget": "--budget",
    "ev_method": "--ev-method",
    "assignee": "--assignee",
    "milestone": "--milestone",
    "parent": "--parent",
    "percent_complete": "--percent",
    "actual_cost": "--actual-cost",
    "remaining": "--remaining",
    "comment": "--comment",
    "on": "--on",
    "status": "STATUS",
}
# In ``update`` the subject is an option, not an argument.
_WORK_UPDATE_OPTION_OF = {**_WORK_OPTION_OF, "subject": "--subject"}

_MILESTONE_OPTION_OF = {
    "id": "REF",
    "project": "PROJECT",
    "name": "NAME",
    "due": "--due",
    "description": "--description",
    "on": "--on",
}
_MILESTONE_UPDATE_OPTION_OF = {**_MILESTONE_OPTION_OF, "name": "--name"}

# The options that set a work item's plan, shared by add and update.
_WORK_OPTIONS = (
    click.option("--type", "type_", metavar="TYPE", help="What kind of item (default: task)."),
    click.option("--start", type=DATE, help="Planned start (YYYY-MM-DD)."),
    click.option("--due", type=DATE, help="Planned finish (YYYY-MM-DD)."),
    click.option("--work", type=NumberType(0), metavar="HOURS", help="Estimated work in hours."),
    click.option(
        "--budget",
        type=MONEY,
        help="The item's share of the project's budget (BAC), in the project's currency.",
    ),
    click.option(
        "--ev-method",
        type=ChoiceType(EV_METHODS),
        help="How its earned value is measured (default: percent_complete).",
    ),
    click.option("--assignee", metavar="NAME", help="Who does the work."),
    click.option(
        "--milestone", metavar="REF", help="The milestone it leads to (id or unique start)."
    ),
    click.option(
        "--parent", metavar="REF", help="The work item it is part of (id or unique start)."
    ),
)
# The parameter click passes each option above as -> the WorkItem field it sets.
_WORK_FIELDS = {
    "type_": "type",
    "start": "start",
    "due": "due",
    "work": "work",
    "budget": "budget",
    "ev_method": "ev_method",
    "assignee": "assignee",
    "milestone": "milestone",
    "parent": "parent",
}
# Options an empty value clears in ``update`` ("--assignee ''").
_CLEARABLE = ("assignee", "milestone", "parent")


def _work_options(f: Any) -> Any:
    for option in reversed(_WORK_OPTIONS):
        f = option(f)
    return f


def _work_fields(options: dict[str, Any], *, clearing: bool) -> dict[str, Any]:
    """The WorkItem fields the options given set; with ``clearing``, an empty value of a
    clearable option sets ``None``."""
    fields: dict[str, Any] = {}
    for keyword, field in _WORK_FIELDS.items():
        value = options.get(keyword)
        if value is None:
            continue
        if clearing and field in _CLEARABLE and not str(value).strip():
            value = None
        fields[field] = value
    return fields


def _pct(value: float) -> str:
    return f"{value:g}%"


@contextmanager
def noting_exceptions(ws: Workspace) -> Iterator[None]:
    """Tell the user (on stderr) of each exception the write in the block raised: a forecast
    it moved beyond a tolerance, escalated to the level above."""
    before = {i.id for i in ws.raid_log(type="issue")}
    yield
    for issue in ws.raid_log(type="issue", open_only=True):
        # The tolerance service titles its issues "Exception: <level> <dimension> ...".
        if issue.id not in before and issue.title.startswith("Exception:"):
            up = f", escalated to {issue.escalated_to}" if issue.escalated_to else ""
            echo_line(
                f"note: {issue.title} on {issue.entity}{up} (see 'pmo exception list')",
                err=True,
            )


# ------------------------------------------------------------------------- pmo work


@click.group()
def work() -> None:
    """A project's work items: plan them, then report their progress week by week.

    A work item is named by its id or a unique start of it (4 characters at least, like
    git): 'pmo work list PROJECT' shows the ids.

    \b
    Examples:
      pmo work add ALPHA "Data migration" --start 2025-03-03 --due 2025-04-30 \\
          --work 320 --budget "48000 EUR"
      pmo work list ALPHA
      pmo work progress 3f2a --percent 60 --actual-cost "30500 EUR" --remaining 120
      pmo work update 3f2a --due 2025-05-16
    """


@work.command("add", short_help="Add a work item to a project.")
@click.argument("project")
@click.argument("subject")
@_work_options
@click.option("--json", "as_json", is_flag=True, help="Print the stored item as JSON.")
@click.pass_context
def work_add(
    ctx: click.Context, /, project: str, subject: str, as_json: bool, **options: Any
) -> None:
    """Add a work item SUBJECT to PROJECT, with its plan: dates, work, budget, EV method.

    The budget is in the project's currency (another currency is refused: pmo-core keeps
    no exchange rates). --milestone and --parent name a milestone and a work item of the
    same project by id or unique start. A closed or killed project takes no new work.

    \b
    Examples:
      pmo work add ALPHA "Data migration" --start 2025-03-03 --due 2025-04-30 \\
          --work 320 --budget "48000 EUR" --assignee "Sam Roe"
      pmo work add ALPHA "Cut-over rehearsal" --ev-method 0/100 --milestone 7c1e
      pmo work add ALPHA "Load customers" --parent 3f2a --type subtask
    """
    ws = workspace(ctx)
    with options_named(_WORK_OPTION_OF):
        item = ws.add_work_item(project, subject, **_work_fields(options, clearing=False))
    if as_json:
        echo_json(record_json(item))
        return
    echo_line(f"Added work item {item.id} to {item.project}: {item.subject}")


@work.command("update", short_help="Change the plan of a work item.")
@click.argument("ref", metavar="REF")
@click.option("--subject", help="A new subject.")
@_work_options
@click.option("--json", "as_json", is_flag=True, help="Print the updated item as JSON.")
@click.pass_context
def work_update(
    ctx: click.Context, /, ref: str, subject: str | None, as_json: bool, **options: Any
) -> None:
    """Change the plan of a work item (REF: its id or a unique start); only the options
    given change. An empty --assignee, --milestone or --parent clears it.

    Progress is reported with 'pmo work progress'. Nothing is written when a value is
    invalid, nor when nothing changes.

    \b
    Examples:
      pmo work update 3f2a --due 2025-05-16 --assignee "Lee Chen"
      pmo work update 3f2a --budget "52000 EUR" --work 360
      pmo work update 9b0d --parent ""
    """
    from .._errors import InvalidInputError

    ws = workspace(ctx)
    changes = _work_fields(options, clearing=True)
    if subject is not None:
        changes["subject"] = subject
    if not changes:
        raise InvalidInputError("nothing to change: give at least one option (see --help)")
    with options_named(_WORK_UPDATE_OPTION_OF):
        before = ws.work_item(ref)
        item = ws.update_work_item(before.id, expected_version=before.version, **changes)
    if as_json:
        echo_json(record_json(item))
        return
    verb = "No change to" if item.version == before.version else "Updated"
    echo_line(f"{verb} work item {item.id} of {item.project}: {item.subject}")


@work.command("list", short_help="List work items, with filters.")
@click.argument("key")
@click.option("--assignee", metavar="NAME", help="Only those assigned to NAME (any case).")
@click.option(
    "--status", "statuses", metavar="NAME", multiple=True, help="Only those in this status."
)
@click.option("--type", "item_type", metavar="NAME", help="Only this type (task, story, bug...).")
@click.option(
    "--source",
    metavar="CONNECTOR",
    help="Only those that came in through this connector (pmo import CONNECTOR ...).",
)
@click.option(
    "--overdue",
    is_flag=True,
    help="Only those due before today (or the --as-of day) and not complete.",
)
@dated(status_date=False)
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def work_list(
    ctx: click.Context,
    key: str,
    assignee: str | None,
    statuses: tuple[str, ...],
    item_type: str | None,
    source: str | None,
    overdue: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the work items of KEY (a project, or every live project below a program or
    portfolio) by project, then planned start and due date, with their progress.

    --as-of lists the plan and the progress as they were known then. There is no
    --status-date: a work item has no date of its own to leave it out by (its start and
    due are the plan), and its progress on a past day is what was known then (--as-of).

    \b
    Examples:
      pmo work list ALPHA
      pmo work list PF --assignee "Kim Lee" --overdue
      pmo work list ALPHA --status open --status in_progress --json
      pmo work list PF --source redmine
      pmo work list ALPHA --as-of 2025-03-31
    """
    view = dated_view(ctx)
    entity = view.entity(key)
    projects = [entity.id] if entity.kind == "project" else []
    projects += [p.id for p in view.projects(under=entity.id)]
    items = [i for p in projects for i in view.work_items(p)]
    if source is not None:
        imported = _imported_work_items(view, source)
        items = [i for i in items if i.id in imported]
    if assignee is not None:
        items = [i for i in items if (i.assignee or "").casefold() == assignee.casefold()]
    if statuses:
        items = [i for i in items if i.status in statuses]
    if item_type is not None:
        items = [i for i in items if i.type == item_type]
    if overdue:
        today = view.known_at.date() if view.known_at else workspace(ctx).today()
        items = [
            i for i in items if i.due is not None and i.due < today and i.percent_complete < 100
        ]
    items = limited(items, limit, as_json=as_json)
    if as_json:
        echo_json([record_json(i) for i in items])
        return
    several = len(projects) > 1
    echo_table(
        ["project"] * several
        + ["id", "subject", "status", "done", "start", "due", "assignee", "budget", "actual cost"],
        [
            [i.project] * several
            + [
                i.id,
                i.subject,
                i.status,
                _pct(i.percent_complete),
                i.start,
                i.due,
                i.assignee,
                money_text(i.budget),
                money_text(i.actual_cost),
            ]
            for i in items
        ],
        empty="No work items.",
    )


def _imported_work_items(view: WorkspaceView, connector: str) -> set[str]:
    """The keys of the work items that came in through ``connector``."""
    prefix = f"{connector}:work_item:"
    return {
        str(target)
        for ref_id, target in view.values("external_ref", ["@id", "target"])
        if str(ref_id).startswith(prefix)
    }


@work.command("show", short_help="Show a work item with its corrections.")
@click.argument("ref", metavar="REF")
@dated(status_date=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def work_show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show a work item (REF: its id or a unique start): its plan, its progress and each
    correction of its progress. --as-of shows it as known then (no --status-date: see
    'pmo work list --help').

    \b
    Examples:
      pmo work show 3f2a
      pmo work show 3f2a --json
      pmo work show 3f2a --as-of 2025-03-31
    """
    ws = workspace(ctx)
    view = dated_view(ctx)
    with options_named(_WORK_OPTION_OF):
        item = dated_record(view, ws.work_item(ref), what="work item")
    if as_json:
        echo_json(record_json(item))
        return
    pairs: list[tuple[str, Any]] = [
        ("id", item.id),
        ("project", item.project),
        ("subject", item.subject),
        ("type", item.type),
        ("status", item.status),
        ("done", _pct(item.percent_complete)),
        ("start", item.start),
        ("due", item.due),
        ("work", f"{item.work:g} h" if item.work is not None else None),
        ("remaining", f"{item.remaining:g} h" if item.remaining is not None else None),
        ("budget", money_text(item.budget)),
        ("actual cost", money_text(item.actual_cost)),
        ("ev method", item.ev_method),
        ("assignee", item.assignee),
        ("milestone", item.milestone),
        ("parent", item.parent),
        ("version", item.version),
    ]
    click.echo(kv_lines(pairs))
    if item.corrections:
        click.echo("\nCorrections:")
        echo_table(
            ["on", "by", "from", "to", "comment"],
            [
                [c.on, c.actor, _pct(c.old_percent), _pct(c.new_percent), c.comment]
                for c in item.corrections
            ],
        )


@work.command("progress", short_help="Report a work item's progress.")
@click.argument("ref", metavar="REF")
@click.option(
    "--percent",
    type=NumberType(0, 100),
    required=True,
    help="Percent complete, 0 to 100 (100: done).",
)
@click.option(
    "--actual-cost", type=MONEY, help="What it has cost so far, in the project's currency."
)
@click.option("--remaining", type=NumberType(0), metavar="HOURS", help="Hours of work left.")
@click.option(
    "--comment",
    help="Why progress went back: required with a percent below the current one.",
)
@click.option(
    "--on",
    type=DATE,
    help="The day the progress was made (default: the status date; not after it).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the updated item as JSON.")
@click.pass_context
def work_progress(
    ctx: click.Context,
    ref: str,
    percent: float,
    actual_cost: Any,
    remaining: float | None,
    comment: str | None,
    on: date | None,
    as_json: bool,
) -> None:
    """Report the progress of a work item (REF: its id or a unique start): percent
    complete, and optionally its actual cost to date and the hours remaining.

    Progress moves forward: a percent below the current one is a correction, refused
    without --comment; the item keeps each correction ('pmo work show'). At 100 % the item
    is done. The project's tolerances are checked afterwards: a breach raises an exception
    for the level above ('pmo exception list').

    Each report is the item's point of the day --on (default: the status date): a report
    dated before the item's latest one corrects its history only, which is what a report
    on that status date reads ('pmo metrics PROJECT --status-date ...').

    \b
    Examples:
      pmo work progress 3f2a --percent 60 --actual-cost "30500 EUR" --remaining 120
      pmo work progress 3f2a --percent 100
      pmo work progress 3f2a --percent 40 --comment "Dry run failed: scripts rewritten"
      pmo work progress 3f2a --percent 35 --on 2025-03-31
    """
    ws = workspace(ctx)
    with options_named(_WORK_OPTION_OF):
        before = ws.work_item(ref)
        with noting_exceptions(ws):
            item = ws.record_progress(
                before.id,
                percent,
                actual_cost=actual_cost,
                remaining=remaining,
                comment=comment or "",
                on=on,
            )
    if as_json:
        echo_json(record_json(item))
        return
    if item.version == before.version:
        echo_line(f"No change to work item {item.id} of {item.project}: {item.subject}")
        return
    was = (
        f" (was {_pct(before.percent_complete)})"
        if before.percent_complete != item.percent_complete
        else ""
    )
    echo_line(
        f"Progress of work item {item.id} of {item.project}: {item.subject}, "
        f"{_pct(item.percent_complete)}{was}, {item.status}"
    )


@work.command("move", short_help="Move a work item to another status (a board column).")
@click.argument("ref", metavar="REF")
@click.argument("status", metavar="STATUS")
@click.option(
    "--on",
    type=DATE,
    help="The day it moved (default: the status date; not after it).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the updated item as JSON.")
@click.pass_context
def work_move(ctx: click.Context, ref: str, status: str, on: date | None, as_json: bool) -> None:
    """Move a work item (REF: its id or a unique start) to STATUS on the day --on.

    The item keeps each change of status with its day ('pmo work show --json':
    transitions), which Kanban flow metrics and Scrum burndowns read. Moving to 'done' is
    reporting it 100 % complete that day; a done item goes back only by a correction of its
    progress ('pmo work progress REF --percent N --comment WHY').

    \b
    Examples:
      pmo work move 3f2a in_progress --on 2025-03-03
      pmo work move 3f2a review
      pmo work move 3f2a done --on 2025-03-07
    """
    ws = workspace(ctx)
    with options_named(_WORK_OPTION_OF):
        before = ws.work_item(ref)
        with noting_exceptions(ws):
            item = ws.move_work_item(before.id, status, on=on)
    if as_json:
        echo_json(record_json(item))
        return
    if item.version == before.version:
        echo_line(f"No change to work item {item.id} of {item.project}: {item.subject}")
        return
    echo_line(
        f"Moved work item {item.id} of {item.project}: {item.subject}, "
        f"{before.status} -> {item.status}"
    )


# -------------------------------------------------------------------- pmo milestone


@click.group()
def milestone() -> None:
    """A project's milestones: add them with a due date, mark them done.

    A milestone is named by its id or a unique start of it (4 characters at least):
    'pmo milestone list PROJECT' shows the ids.

    \b
    Examples:
      pmo milestone add ALPHA "Go-live" --due 2025-11-03
      pmo milestone list ALPHA
      pmo milestone done 7c1e --on 2025-11-03
    """


@milestone.command("add", short_help="Add a milestone to a project.")
@click.argument("project")
@click.argument("name")
@click.option("--due", type=DATE, required=True, help="When it is due (YYYY-MM-DD).")
@click.option("--description", default="", help="Free text.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored milestone as JSON.")
@click.pass_context
def milestone_add(
    ctx: click.Context, project: str, name: str, due: date, description: str, as_json: bool
) -> None:
    """Add a milestone NAME due on --due to PROJECT.

    \b
    Examples:
      pmo milestone add ALPHA "Go-live" --due 2025-11-03
      pmo milestone add ALPHA "Design signed off" --due 2025-04-30 --json
    """
    ws = workspace(ctx)
    with options_named(_MILESTONE_OPTION_OF):
        found = ws.add_milestone(project, name, due=due, description=description)
    if as_json:
        echo_json(record_json(found))
        return
    echo_line(f"Added milestone {found.id} to {found.project}: {found.name}, due {found.due}")


@milestone.command("update", short_help="Change a milestone's name, due date or description.")
@click.argument("ref", metavar="REF")
@click.option("--name", help="A new name.")
@click.option("--due", type=DATE, help="A new due date (YYYY-MM-DD).")
@click.option("--description", help="Free text (replaces the description).")
@click.option("--json", "as_json", is_flag=True, help="Print the updated milestone as JSON.")
@click.pass_context
def milestone_update(
    ctx: click.Context,
    ref: str,
    name: str | None,
    due: date | None,
    description: str | None,
    as_json: bool,
) -> None:
    """Change a milestone (REF: its id or a unique start); only the options given change.

    \b
    Examples:
      pmo milestone update 7c1e --due 2025-11-17
      pmo milestone update 7c1e --name "Go-live (wave 1)"
    """
    from .._errors import InvalidInputError

    ws = workspace(ctx)
    given = {"name": name, "due": due, "description": description}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InvalidInputError("nothing to change: give at least one option (see --help)")
    with options_named(_MILESTONE_UPDATE_OPTION_OF):
        before = ws.milestone(ref)
        found = ws.update_milestone(before.id, expected_version=before.version, **changes)
    if as_json:
        echo_json(record_json(found))
        return
    verb = "No change to" if found.version == before.version else "Updated"
    echo_line(f"{verb} milestone {found.id} of {found.project}: {found.name}, due {found.due}")


@milestone.command("list", short_help="List a project's milestones by due date.")
@click.argument("project")
@dated(status_date=False)
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def milestone_list(ctx: click.Context, project: str, limit: int | None, as_json: bool) -> None:
    """List the milestones of PROJECT by due date.

    --as-of lists them as known then (one completed since shows as open). There is no
    --status-date: a milestone is planned, not dated by when it was recorded, so there is
    nothing to leave out by it.

    \b
    Examples:
      pmo milestone list ALPHA
      pmo milestone list ALPHA --json
      pmo milestone list ALPHA --as-of 2025-03-31
    """
    view = dated_view(ctx)
    found = limited(view.milestones(view.entity(project).id), limit, as_json=as_json)
    if as_json:
        echo_json([record_json(m) for m in found])
        return
    echo_table(
        ["id", "name", "due", "status", "completed on"],
        [[m.id, m.name, m.due, m.status, m.completed_on] for m in found],
        empty="No milestones.",
    )


@milestone.command("done", short_help="Mark a milestone done.")
@click.argument("ref", metavar="REF")
@click.option("--on", type=DATE, help="The day it was reached (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the milestone as JSON.")
@click.pass_context
def milestone_done(ctx: click.Context, ref: str, on: date | None, as_json: bool) -> None:
    """Mark a milestone (REF: its id or a unique start) done on --on: its status becomes
    closed and its completed_on the day.

    \b
    Examples:
      pmo milestone done 7c1e
      pmo milestone done 7c1e --on 2025-11-03
    """
    ws = workspace(ctx)
    with options_named(_MILESTONE_OPTION_OF):
        found = ws.complete_milestone(ref, on=on)
    if as_json:
        echo_json(record_json(found))
        return
    echo_line(f"Milestone {found.id} of {found.project} done on {found.completed_on}: {found.name}")
