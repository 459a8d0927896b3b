"""``pmo kanban``: a Kanban team's board, its items' classes of service and its flow."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from pydantic import ValidationError

from pmo_core import (
    Entity,
    InvalidInputError,
    StatusChange,
    Workspace,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table

from ._board import CLASSES, NAMESPACE, Column, KanbanFields, board_items, kanban_fields
from ._flow import PERCENTILES, column_counts, cumulative_flow, flow_metrics
from ._methodology import KANBAN

_ARTIFACTS = {a.name: a for a in KANBAN.artifacts}
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: Any) -> date | None:
    return None if value is None else value.date()


def _text(value: Any) -> str:
    return "-" if value is None else escape_controls(str(value))


def _project(ws: Workspace, key: str) -> Entity:
    entity = ws.view().entity(key)
    if entity.kind != "project":
        raise InvalidInputError(f"{entity.id} is a {entity.kind}, not a project", where="PROJECT")
    return entity


def _save(ws: Workspace, entity: Entity, fields: KanbanFields) -> None:
    custom = {**entity.custom_fields, NAMESPACE: fields.model_dump(mode="json")}
    ws.update(entity.id, custom_fields=custom, expected_version=entity.version)


def _period(ctx_from: Any, ctx_to: Any) -> tuple[date | None, date | None]:
    start, end = _day(ctx_from), _day(ctx_to)
    if start is not None and end is not None and end < start:
        raise InvalidInputError(f"{end} is before --from {start}", where="--to")
    return start, end


@click.group(name="kanban")
def kanban() -> None:
    """Kanban: a team's board (columns, WIP limits, policies, commitment and delivery
    points), its items' classes of service, flow metrics and cumulative flow.

    \b
    Examples:
      pmo kanban set-board OPS --column backlog --column ready:5 --column in_progress:3 \\
          --column done --commitment ready --policy "in_progress=Pair on every item"
      pmo kanban add OPS "Renew TLS certificates" --class fixed-date
      pmo work move 3f2a in_progress
      pmo kanban board OPS
      pmo kanban flow OPS --from 2025-03-01 --to 2025-03-31
    """


def _board_json(entity: Entity) -> Any:
    fields = kanban_fields(entity)
    return {
        "project": entity.id,
        "columns": [c.model_dump(mode="json") for c in fields.columns],
        "commitment": fields.statuses[fields.commitment_index],
        "delivery": fields.statuses[fields.delivery_index],
        "classes": dict(sorted(fields.classes.items())),
    }


@kanban.command(name="board", short_help="Show the board: items per column against WIP limits.")
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def board(project: str, as_json: bool) -> None:
    """Show PROJECT's board: each column's items against its WIP limit, and its policy.

    \b
    Examples:
      pmo kanban board OPS
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = kanban_fields(entity)
    view = ws.view()
    counts = column_counts(view, entity.id)
    # Items whose status is on no column (the core's 'open' of 'pmo work add'): shown, so
    # none is lost from sight.
    off: dict[str, int] = {}
    for item in board_items(view, entity.id):
        status = item.status_on(view.status_date)
        if status is not None and status not in fields.statuses:
            off[status] = off.get(status, 0) + 1
    if as_json:
        data = _board_json(entity)
        for column, (_, count, _limit) in zip(data["columns"], counts, strict=True):
            column["items"] = count
            column["over_limit"] = column["wip_limit"] is not None and count > column["wip_limit"]
        data["off_board"] = dict(sorted(off.items()))
        echo_json(data)
        return
    marks = {fields.commitment_index: "commitment", fields.delivery_index: "delivery"}
    if fields.commitment_index == fields.delivery_index:
        marks[fields.delivery_index] = "commitment, delivery"
    rows = []
    for i, (column, (status, count, limit)) in enumerate(zip(fields.columns, counts, strict=True)):
        over = " OVER" if limit is not None and count > limit else ""
        shown = f"{count}/{limit}{over}" if limit is not None else str(count)
        rows.append([status, shown, marks.get(i, ""), column.policy])
    echo_table(["column", "items", "point", "policy"], rows)
    if off:
        listed = ", ".join(f"{status} {count}" for status, count in sorted(off.items()))
        click.echo(f"Off the board (a status on no column): {listed}")


def _column(text: str) -> Column:
    status, _, limit = text.partition(":")
    try:
        return Column(status=status, wip_limit=int(limit) if limit.strip() else None)
    except (ValueError, ValidationError):
        raise InvalidInputError(
            f"{text!r} is not a column: give STATUS or STATUS:LIMIT (a limit of 1 or more)",
            where="--column",
        ) from None


@kanban.command(
    name="set-board", short_help="Set the board's columns, limits, policies and points."
)
@click.argument("project")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="STATUS[:LIMIT]",
    help="A column, in board order: a work-item status and its WIP limit (repeat).",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    metavar="STATUS=TEXT",
    help="A column's explicit policy (repeat).",
)
@click.option("--commitment", help="The commitment point (default: the second column).")
@click.option("--delivery", help="The delivery point (default: the last column).")
@click.option("--json", "as_json", is_flag=True, help="Print the board as JSON.")
def set_board(
    project: str,
    columns: tuple[str, ...],
    policies: tuple[str, ...],
    commitment: str | None,
    delivery: str | None,
    as_json: bool,
) -> None:
    """Set PROJECT's board. --column gives the columns in order (replacing them all);
    without it, the board keeps its columns and only the options given change.

    Make the delivery column 'done' so a delivered item is 100 % complete and earns its
    value (work items of a Kanban team earn 0/100).

    \b
    Examples:
      pmo kanban set-board OPS --column backlog --column ready:5 --column in_progress:3 \\
          --column review:2 --column done --commitment ready
      pmo kanban set-board OPS --policy "review=Another person reviews; CI is green"
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = kanban_fields(entity)
    cols = [_column(c) for c in columns] if columns else list(fields.columns)
    by_status = {c.status: i for i, c in enumerate(cols)}
    for text in policies:
        status, sep, policy = text.partition("=")
        if not sep or status.strip() not in by_status:
            raise InvalidInputError(
                f"{text!r} names no column: give STATUS=TEXT with a status of the board "
                f"({', '.join(by_status)})",
                where="--policy",
            )
        i = by_status[status.strip()]
        cols[i] = cols[i].model_copy(update={"policy": policy.strip()})
    data = fields.model_dump()
    data["columns"] = [c.model_dump() for c in cols]
    if commitment is not None:
        data["commitment"] = commitment
    elif columns:
        data["commitment"] = None
    if delivery is not None:
        data["delivery"] = delivery
    elif columns:
        data["delivery"] = None
    try:
        new = KanbanFields.model_validate(data)
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        where = "--commitment" if "commitment" in message else "--column"
        if "delivery point" in message and "commitment" not in message:
            where = "--delivery"
        raise InvalidInputError(message, where=where) from None
    _save(ws, entity, new)
    if as_json:
        echo_json(_board_json(ws.view().entity(entity.id)))
        return
    click.echo(f"Set the board of {entity.id}: {' | '.join(new.statuses)}")


@kanban.command(name="add", short_help="Add a work item to the board.")
@click.argument("project")
@click.argument("subject")
@click.option("--status", help="The column it starts in (default: the first).")
@click.option(
    "--class",
    "class_",
    type=click.Choice(CLASSES),
    help="Its class of service (default: standard).",
)
@click.option("--type", "type_", default="task", show_default=True, help="Its work-item type.")
@click.option("--budget", metavar="MONEY", help="Its share of the budget (earned when done).")
@click.option("--on", type=_DATE, help="The day it was requested (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
def add(
    project: str,
    subject: str,
    status: str | None,
    class_: str | None,
    type_: str,
    budget: str | None,
    on: Any,
    as_json: bool,
) -> None:
    """Add a work item to PROJECT's board, requested on --on, earning 0/100.

    \b
    Examples:
      pmo kanban add OPS "Renew TLS certificates" --class fixed-date
      pmo kanban add OPS "Fix login outage" --class expedite --status ready --on 2025-03-03
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = kanban_fields(entity)
    start = status.strip() if status is not None else fields.statuses[0]
    if start not in fields.statuses:
        raise InvalidInputError(
            f"{start!r} is not a column of {entity.id} ({', '.join(fields.statuses)})",
            where="--status",
        )
    if start == "done":
        raise InvalidInputError("an item starts before it is done", where="--status")
    day = _day(on)
    if day is not None and day > ws.today():
        raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
    extra: dict[str, Any] = {}
    if day is not None:
        extra["transitions"] = (StatusChange(on=day, status=start, actor=ws.actor),)
    try:
        item = ws.add_work_item(
            entity.id, subject, type=type_, status=start, ev_method="0/100", budget=budget,
            **extra,
        )  # fmt: skip
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where=exc.where and f"--{exc.where}") from None
    if class_ is not None and class_ != "standard":
        entity = ws.view().entity(entity.id)
        fields = kanban_fields(entity)
        _save(
            ws, entity, fields.model_copy(update={"classes": {**fields.classes, item.id: class_}})
        )
    if as_json:
        echo_json({"id": item.id, "subject": item.subject, "status": item.status,
               "class_of_service": class_ or "standard"})  # fmt: skip
        return
    click.echo(f"Added {item.id} to {start} of {entity.id}: {item.subject}")


@kanban.command(name="class", short_help="Set a work item's class of service.")
@click.argument("ref", metavar="REF")
@click.argument("class_", metavar="CLASS", type=click.Choice(CLASSES))
@click.option("--json", "as_json", is_flag=True, help="Print the item's class as JSON.")
def class_command(ref: str, class_: str, as_json: bool) -> None:
    """Set the class of service of a work item (REF: its id or a unique start).

    \b
    Examples:
      pmo kanban class 3f2a expedite
    """
    ws = current_workspace()
    item = ws.work_item(ref)
    entity = _project(ws, item.project)
    fields = kanban_fields(entity)
    classes = {k: v for k, v in fields.classes.items() if k != item.id}
    if class_ != "standard":
        classes[item.id] = class_  # type: ignore[assignment]
    _save(ws, entity, fields.model_copy(update={"classes": classes}))
    if as_json:
        echo_json({"id": item.id, "subject": item.subject, "class_of_service": class_})
        return
    click.echo(f"Work item {item.id} of {entity.id} is {class_}: {item.subject}")


@kanban.command(name="flow", short_help="Lead and cycle time percentiles, throughput, WIP age.")
@click.argument("project")
@click.option("--from", "from_", type=_DATE, help="First day (default: the first request).")
@click.option("--to", type=_DATE, help="Last day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def flow(project: str, from_: Any, to: Any, as_json: bool) -> None:
    """Flow of PROJECT's board over a period: lead and cycle time percentiles (nearest
    rank, days with both ends counted) of the items delivered in it, throughput, and the
    work in progress at its end with each item's age.

    \b
    Examples:
      pmo kanban flow OPS
      pmo kanban flow OPS --from 2025-03-01 --to 2025-03-31 --json
    """
    ws = current_workspace()
    entity = _project(ws, project)
    start, end = _period(from_, to)
    view = ws.view(status_date=end) if end else ws.view()
    m = flow_metrics(view, entity.id, start, end)
    if as_json:
        echo_json(
            {
                "start": m.start,
                "end": m.end,
                "delivered": len(m.delivered),
                "lead_time": {str(p): v for p, v in m.lead_time.items()},
                "cycle_time": {str(p): v for p, v in m.cycle_time.items()},
                "throughput_per_day": m.throughput_per_day,
                "throughput_per_week": m.throughput_per_week,
                "wip": [
                    {"item": w.item, "subject": w.subject, "status": w.status,
                     "class_of_service": w.class_of_service, "committed_on": w.committed_on,
                     "age": w.age}
                    for w in m.wip
                ],
            }
        )  # fmt: skip
        return
    click.echo(f"{entity.id} from {m.start} to {m.end}: {len(m.delivered)} items delivered")
    echo_table(
        ["time (days)", *[f"p{p}" for p in PERCENTILES]],
        [
            ["lead time", *[m.lead_time[p] for p in PERCENTILES]],
            ["cycle time", *[m.cycle_time[p] for p in PERCENTILES]],
        ],
    )
    click.echo(f"Throughput: {m.throughput_per_day:g} items per day")
    click.echo(f"Work in progress on {m.end}: {len(m.wip)}")
    if m.wip:
        echo_table(
            ["id", "subject", "status", "class", "age"],
            [[w.item, w.subject, w.status, w.class_of_service, w.age] for w in m.wip],
        )


@kanban.command(name="cfd", short_help="Cumulative flow data: items per column per day.")
@click.argument("project")
@click.option("--from", "from_", type=_DATE, help="First day (default: the first request).")
@click.option("--to", type=_DATE, help="Last day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cfd(project: str, from_: Any, to: Any, as_json: bool) -> None:
    """Cumulative flow data of PROJECT's board: the items in each column at the end of
    each day.

    \b
    Examples:
      pmo kanban cfd OPS --from 2025-03-03 --to 2025-03-07
      pmo kanban cfd OPS --json
    """
    ws = current_workspace()
    entity = _project(ws, project)
    start, end = _period(from_, to)
    view = ws.view(status_date=end) if end else ws.view()
    days = cumulative_flow(view, entity.id, start, end)
    if as_json:
        echo_json([{"day": d.day, **d.counts} for d in days])
        return
    statuses = kanban_fields(entity).statuses
    echo_table(["day", *statuses], [[d.day, *[d.counts[s] for s in statuses]] for d in days])


@kanban.command(name="template", short_help="Print an artifact's Markdown template.")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. board-policies), to fill in.

    \b
    Examples:
      pmo kanban template board-policies > ops-board.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)
