"""``pmo scrum``: a Scrum project's goal, sprints and stories, and its metrics."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import click
from pydantic import ValidationError

from pmo_core import (
    Entity,
    InvalidInputError,
    Money,
    StatusChange,
    WorkItem,
    Workspace,
    WorkspaceView,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table, kv_lines

from ._methodology import SCRUM
from ._metrics import (
    agile_evm,
    average_velocity,
    burndown,
    burnup,
    release_item,
    velocity,
)
from ._model import (
    NAMESPACE,
    RELEASE,
    STORY,
    ScrumFields,
    Sprint,
    points_of,
    scrum_fields,
    sprint_backlog,
    stories,
)

_ARTIFACTS = {a.name: a for a in SCRUM.artifacts}
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: Any) -> date | None:
    return None if value is None else value.date()


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, float):
        return f"{value:g}"
    return escape_controls(str(value))


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    # Points and hours are shown as people write them (5, not 5.000): the numbers are
    # formatted here, the table (alignment, width, tab-separated in a pipe) is the core's.
    echo_table(headers, [[_number(c) for c in row] for row in rows])


def _number(value: Any) -> Any:
    return _text(value) if isinstance(value, (Decimal, float)) else value


def _shown(value: Any) -> str:
    # A value of a `key: value` line: lists joined, money as "AMOUNT CUR", numbers as written.
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, Money):
        value = f"{value.amount} {value.currency}"
    return "-" if value == "" else _text(value)


def _project(ws: Workspace, key: str) -> Entity:
    entity = ws.view().entity(key)
    if entity.kind != "project":
        raise InvalidInputError(f"{entity.id} is a {entity.kind}, not a project", where="PROJECT")
    return entity


def _view(ws: Workspace, status_date: date | None) -> WorkspaceView:
    return ws.view(status_date=status_date) if status_date else ws.view()


_LIMIT = click.option(
    "--limit",
    type=click.IntRange(0),
    default=None,
    help="Show at most N rows (0: all; default 50 on a terminal, all with --json or in a pipe).",
)


def _limited(rows: list[Any], limit: int | None, as_json: bool) -> list[Any]:
    # As the core's lists: 50 rows on a terminal unless told, every row in a pipe or JSON.
    if limit is None:
        limit = 50 if sys.stdout.isatty() and not as_json else 0
    if limit and len(rows) > limit:
        click.echo(f"(showing {limit} of {len(rows)}; --limit 0 shows all)", err=True)
        return rows[:limit]
    return rows


@contextmanager
def _fields_named(where: str) -> Iterator[None]:
    # A bad value in the Scrum fields names the option that gave it.
    try:
        yield
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInputError(message, where=where) from None


def _save(ws: Workspace, entity: Entity, fields: ScrumFields) -> ScrumFields:
    custom = {**entity.custom_fields, NAMESPACE: fields.model_dump(mode="json")}
    ws.update(entity.id, custom_fields=custom, expected_version=entity.version)
    return fields


def _sprint_json(sprint: Sprint, fields: ScrumFields, view: WorkspaceView, key: str) -> Any:
    backlog = sprint_backlog(view, key, sprint.name)
    return {
        "name": sprint.name,
        "goal": sprint.goal,
        "start": sprint.start,
        "finish": sprint.finish,
        "days": sprint.days,
        "definition_of_done": fields.dod(sprint),
        "stories": len(backlog),
        "committed_points": sum((points_of(s) for s in backlog), Decimal(0)),
    }


def _story_json(item: WorkItem) -> Any:
    return {
        "id": item.id,
        "subject": item.subject,
        "points": item.points,
        "sprint": item.iteration,
        "status": item.status,
        "percent_complete": item.percent_complete,
    }


@click.group(name="scrum")
def scrum() -> None:
    """Scrum: a project's product goal, sprints and stories; velocity, burndown, burnup and
    AgileEVM; the Scrum artifacts' templates.

    \b
    Examples:
      pmo scrum update APP --product-goal "Self-service sign-up" --budget "90000 EUR"
      pmo scrum sprint add APP S1 --start 2025-03-03 --finish 2025-03-14 --goal "Sign-up"
      pmo scrum story add APP "Sign up with e-mail" --points 5 --sprint S1
      pmo work move 3f2a done --on 2025-03-07
      pmo scrum burndown APP S1
    """


# ------------------------------------------------------------------ project fields


@scrum.command(
    name="show", short_help="Show a project's product goal, definition of done and release."
)
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(project: str, as_json: bool) -> None:
    """Show PROJECT's product goal, definition of done, release and sprints.

    \b
    Examples:
      pmo scrum show APP
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = scrum_fields(entity)
    view = ws.view()
    release = release_item(view, entity.id)
    found = stories(view, entity.id)
    data = {
        "project": entity.id,
        "product_goal": fields.product_goal,
        "definition_of_done": fields.definition_of_done,
        "release": release.id if release else None,
        "release_budget": release.budget if release else None,
        "planned_sprints": fields.planned_sprints or len(fields.sprints),
        "sprints": [s.name for s in fields.sprints],
        "stories": len(found),
        "points": sum((points_of(s) for s in found), Decimal(0)),
    }
    if as_json:
        echo_json(data)
        return
    click.echo(kv_lines([(name, _shown(value)) for name, value in data.items()]))


@scrum.command(
    name="update", short_help="Set the product goal, definition of done or release budget."
)
@click.argument("project")
@click.option("--product-goal", help="The product goal.")
@click.option("--definition-of-done", help="The project's definition of done.")
@click.option("--planned-sprints", type=click.IntRange(1), help="Sprints the release plans.")
@click.option(
    "--budget",
    metavar="MONEY",
    help="The release budget (BAC): kept on the release work item the stories belong to.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the Scrum fields as JSON.")
def update(
    project: str,
    product_goal: str | None,
    definition_of_done: str | None,
    planned_sprints: int | None,
    budget: str | None,
    as_json: bool,
) -> None:
    """Set PROJECT's product goal, definition of done, planned sprints or release budget;
    only the options given change.

    The release budget is the budget of a work item of type 'release' earning by 'points'
    whose children are the stories: the core's earned value of the project is then
    BAC x done points / release points, AgileEVM's EV.

    \b
    Examples:
      pmo scrum update APP --product-goal "Self-service sign-up"
      pmo scrum update APP --definition-of-done "Reviewed, tested, deployed to staging"
      pmo scrum update APP --budget "90000 EUR" --planned-sprints 6
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = scrum_fields(entity)
    changes: dict[str, Any] = {}
    if product_goal is not None:
        changes["product_goal"] = product_goal
    if definition_of_done is not None:
        changes["definition_of_done"] = definition_of_done
    if planned_sprints is not None:
        changes["planned_sprints"] = planned_sprints
    if not changes and budget is None:
        raise InvalidInputError("nothing to change: give at least one option (see --help)")
    with _fields_named("--" + next(iter(changes), "budget").replace("_", "-")):
        new = ScrumFields.model_validate({**fields.model_dump(), **changes})
    if budget is not None:
        new = _set_release(ws, entity, new, budget)
    entity = ws.view().entity(entity.id)
    _save(ws, entity, new)
    if as_json:
        echo_json(new.model_dump(mode="json"))
        return
    click.echo(f"Updated the Scrum fields of {entity.id}")


def _set_release(ws: Workspace, entity: Entity, fields: ScrumFields, budget: str) -> ScrumFields:
    view = ws.view()
    release = release_item(view, entity.id)
    try:
        if release is None:
            release = ws.add_work_item(
                entity.id,
                "Release",
                type=RELEASE,
                ev_method="points",
                budget=budget,
                start=entity.planned_start,
                due=entity.planned_finish,
            )
        else:
            release = ws.update_work_item(release.id, budget=budget)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where="--budget") from None
    for story in stories(ws.view(), entity.id):
        if story.parent is None:
            ws.update_work_item(story.id, parent=release.id)
    return fields.model_copy(update={"release": release.id})


# ------------------------------------------------------------------------- sprints


@scrum.group(name="sprint")
def sprint() -> None:
    """A Scrum project's sprints: add, list and show them."""


@sprint.command(name="add", short_help="Add a sprint with its dates and goal.")
@click.argument("project")
@click.argument("name")
@click.option("--start", type=_DATE, required=True, help="First day (YYYY-MM-DD).")
@click.option("--finish", type=_DATE, required=True, help="Last day (YYYY-MM-DD).")
@click.option("--goal", default="", help="The sprint goal.")
@click.option(
    "--definition-of-done", default="", help="The sprint's own definition of done, if any."
)
@click.option("--json", "as_json", is_flag=True, help="Print the sprint as JSON.")
def sprint_add(
    project: str,
    name: str,
    start: Any,
    finish: Any,
    goal: str,
    definition_of_done: str,
    as_json: bool,
) -> None:
    """Add sprint NAME to PROJECT, from --start to --finish (both included).

    A sprint lasts at most 30 days and overlaps no other sprint: either is refused.

    \b
    Examples:
      pmo scrum sprint add APP S1 --start 2025-03-03 --finish 2025-03-14 --goal "Sign-up"
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = scrum_fields(entity)
    if any(s.name == name.strip() for s in fields.sprints):
        raise InvalidInputError(f"{entity.id} has a sprint {name.strip()!r} already", where="NAME")
    with _fields_named("--finish"):
        new_sprint = Sprint(
            name=name,
            goal=goal,
            start=_day(start),
            finish=_day(finish),
            definition_of_done=definition_of_done,
        )
    with _fields_named("--start"):
        new = ScrumFields.model_validate(
            {**fields.model_dump(), "sprints": (*fields.sprints, new_sprint)}
        )
    _save(ws, entity, new)
    if as_json:
        echo_json(_sprint_json(new_sprint, new, ws.view(), entity.id))
        return
    click.echo(
        f"Added sprint {new_sprint.name} to {entity.id}: {new_sprint.start} to "
        f"{new_sprint.finish} ({new_sprint.days} days)"
    )


@sprint.command(name="list", short_help="List the sprints.")
@click.argument("project")
@_LIMIT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sprint_list(project: str, limit: int | None, as_json: bool) -> None:
    """List PROJECT's sprints by start, with their goal and committed points.

    \b
    Examples:
      pmo scrum sprint list APP
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = scrum_fields(entity)
    view = ws.view()
    rows = _limited(
        [_sprint_json(s, fields, view, entity.id) for s in fields.sprints], limit, as_json
    )
    if as_json:
        echo_json(rows)
        return
    _table(
        ["sprint", "start", "finish", "days", "points", "goal"],
        [
            [r["name"], r["start"], r["finish"], r["days"], r["committed_points"], r["goal"]]
            for r in rows
        ],
    )


@sprint.command(name="show", short_help="Show a sprint and its backlog.")
@click.argument("project")
@click.argument("name", metavar="SPRINT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sprint_show(project: str, name: str, as_json: bool) -> None:
    """Show sprint SPRINT of PROJECT: goal, dates, definition of done and its backlog.

    \b
    Examples:
      pmo scrum sprint show APP S1
    """
    ws = current_workspace()
    entity = _project(ws, project)
    fields = scrum_fields(entity)
    found = fields.sprint(name)
    view = ws.view()
    data = _sprint_json(found, fields, view, entity.id)
    backlog = sprint_backlog(view, entity.id, found.name)
    if as_json:
        echo_json({**data, "backlog": [_story_json(s) for s in backlog]})
        return
    keys = ("name", "goal", "start", "finish", "days", "definition_of_done")
    click.echo(kv_lines([(key, _shown(data[key])) for key in keys]))
    click.echo("")
    _table(
        ["id", "story", "points", "status"],
        [[s.id, s.subject, s.points, s.status] for s in backlog],
    )


# ------------------------------------------------------------------------- stories


@scrum.group(name="story", short_help="A Scrum project's stories: add, update, list.")
def story() -> None:
    """A Scrum project's stories (work items of type 'story'): add, update, list."""


def _points_option(f: Any) -> Any:
    return click.option(
        "--points",
        type=float,
        help="Story points (0 or more).",
    )(f)


def _check_points(points: float | None) -> None:
    if points is not None and not (points >= 0 and points != float("inf")):
        raise InvalidInputError(
            f"{points:g} is not a number of story points: give 0 or more", where="--points"
        )


@story.command(name="add", short_help="Add a story to the product or a sprint backlog.")
@click.argument("project")
@click.argument("subject")
@_points_option
@click.option("--sprint", "sprint_name", help="The sprint it is planned in (default: none).")
@click.option(
    "--on",
    type=_DATE,
    help="The day it entered the product backlog (default: the status date).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
def story_add(
    project: str,
    subject: str,
    points: float | None,
    sprint_name: str | None,
    on: Any,
    as_json: bool,
) -> None:
    """Add a story to PROJECT's product backlog, or to a sprint with --sprint.

    \b
    Examples:
      pmo scrum story add APP "Sign up with e-mail" --points 5
      pmo scrum story add APP "Reset password" --points 3 --sprint S1 --on 2025-03-03
    """
    ws = current_workspace()
    entity = _project(ws, project)
    _check_points(points)
    fields = scrum_fields(entity)
    if sprint_name is not None:
        sprint_name = _sprint_named(fields, sprint_name)
    view = ws.view()
    day = _day(on)
    if day is not None and day > ws.today():
        raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
    extra: dict[str, Any] = {}
    if day is not None:
        extra["transitions"] = (StatusChange(on=day, status="open", actor=ws.actor),)
    release = release_item(view, entity.id)
    item = ws.add_work_item(
        entity.id,
        subject,
        type=STORY,
        points=points,
        iteration=sprint_name,
        parent=release.id if release else None,
        **extra,
    )
    if as_json:
        echo_json(_story_json(item))
        return
    where = f"sprint {sprint_name}" if sprint_name else "the product backlog"
    click.echo(f"Added story {item.id} to {where} of {entity.id}: {item.subject}")


def _sprint_named(fields: ScrumFields, name: str) -> str:
    try:
        return fields.sprint(name.strip()).name
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where="--sprint") from None


@story.command(name="update", short_help="Change a story's points or sprint.")
@click.argument("ref", metavar="REF")
@_points_option
@click.option(
    "--sprint", "sprint_name", help="Move it into this sprint ('' : back to the product backlog)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
def story_update(ref: str, points: float | None, sprint_name: str | None, as_json: bool) -> None:
    """Change a story's points or sprint (REF: its id or a unique start).

    \b
    Examples:
      pmo scrum story update 3f2a --points 8
      pmo scrum story update 3f2a --sprint S2
      pmo scrum story update 3f2a --sprint ''
    """
    ws = current_workspace()
    item = ws.work_item(ref)
    if item.type != STORY:
        raise InvalidInputError(f"work item {item.id} is a {item.type}, not a story", where="REF")
    _check_points(points)
    changes: dict[str, Any] = {}
    if points is not None:
        changes["points"] = points
    if sprint_name is not None:
        fields = scrum_fields(ws.view().entity(item.project))
        changes["iteration"] = _sprint_named(fields, sprint_name) if sprint_name.strip() else None
    if not changes:
        raise InvalidInputError("nothing to change: give --points or --sprint")
    item = ws.update_work_item(item.id, **changes)
    if as_json:
        echo_json(_story_json(item))
        return
    click.echo(f"Updated story {item.id} of {item.project}: {item.subject}")


@story.command(name="list", short_help="List the stories.")
@click.argument("project")
@click.option("--sprint", "sprint_name", help="Only the stories of this sprint.")
@click.option("--backlog", is_flag=True, help="Only the product backlog (no sprint, not done).")
@_LIMIT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def story_list(
    project: str, sprint_name: str | None, backlog: bool, limit: int | None, as_json: bool
) -> None:
    """List PROJECT's stories: every one, a sprint's (--sprint) or the product backlog
    (--backlog).

    \b
    Examples:
      pmo scrum story list APP --backlog
      pmo scrum story list APP --sprint S1 --json
    """
    ws = current_workspace()
    entity = _project(ws, project)
    view = ws.view()
    found = stories(view, entity.id)
    if sprint_name is not None and backlog:
        raise InvalidInputError("give --sprint or --backlog, not both", where="--backlog")
    if sprint_name is not None:
        name = _sprint_named(scrum_fields(entity), sprint_name)
        found = [s for s in found if s.iteration == name]
    elif backlog:
        found = [s for s in found if s.iteration is None and s.status != "done"]
    found = _limited(found, limit, as_json)
    if as_json:
        echo_json([_story_json(s) for s in found])
        return
    _table(
        ["id", "story", "points", "sprint", "status"],
        [[s.id, s.subject, s.points, s.iteration, s.status] for s in found],
    )


# ------------------------------------------------------------------------- metrics

_STATUS_DATE = click.option(
    "--status-date", type=_DATE, help="Measure as of this day (default: today)."
)


@scrum.command(name="velocity", short_help="Velocity per sprint and its average.")
@click.argument("project")
@click.option("--last", type=click.IntRange(1), default=3, help="Sprints averaged (default 3).")
@_STATUS_DATE
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def velocity_command(project: str, last: int, status_date: Any, as_json: bool) -> None:
    """Velocity of each sprint of PROJECT (points done within its dates) and the average of
    the last N finished sprints.

    \b
    Examples:
      pmo scrum velocity APP --last 3
    """
    ws = current_workspace()
    entity = _project(ws, project)
    view = _view(ws, _day(status_date))
    rows = velocity(view, entity.id)
    average = average_velocity(rows, last)
    if as_json:
        echo_json(
            {
                "sprints": [
                    {
                        "sprint": v.sprint,
                        "start": v.start,
                        "finish": v.finish,
                        "committed": v.committed,
                        "done": v.done,
                        "finished": v.finished,
                    }
                    for v in rows
                ],
                "average": average,
                "last": last,
            }
        )
        return
    _table(
        ["sprint", "start", "finish", "committed", "done", "finished"],
        [[v.sprint, v.start, v.finish, v.committed, v.done, "yes" if v.finished else "no"]
         for v in rows],
    )  # fmt: skip
    click.echo(f"Average velocity (last {last} finished sprints): {_text(average)}")


@scrum.command(name="burndown", short_help="A sprint's burndown, day by day.")
@click.argument("project")
@click.argument("name", metavar="SPRINT")
@_STATUS_DATE
@click.option("--chart", is_flag=True, help="Add a text chart of the remaining points.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def burndown_command(project: str, name: str, status_date: Any, chart: bool, as_json: bool) -> None:
    """Burndown of SPRINT of PROJECT: the committed points still to do at the end of each
    day, and the ideal line (from all on the first day to none on the last).

    \b
    Examples:
      pmo scrum burndown APP S1
      pmo scrum burndown APP S1 --chart
      pmo scrum burndown APP S1 --json
    """
    ws = current_workspace()
    entity = _project(ws, project)
    view = _view(ws, _day(status_date))
    days = burndown(view, entity.id, name)
    if as_json:
        echo_json([{"day": d.day, "remaining": d.remaining, "ideal": d.ideal} for d in days])
        return
    _table(["day", "remaining", "ideal"], [[d.day, d.remaining, d.ideal] for d in days])
    if chart and days:
        top = max([d.ideal for d in days] + [d.remaining or Decimal(0) for d in days])
        click.echo("")
        for d in days:
            width = 0 if d.remaining is None or top == 0 else int(40 * d.remaining / top)
            click.echo(f"{d.day}  {'#' * width}")


@scrum.command(name="burnup", short_help="The release's (or a sprint's) burnup, day by day.")
@click.argument("project")
@click.option("--sprint", "sprint_name", help="One sprint's burnup (default: the release).")
@_STATUS_DATE
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def burnup_command(project: str, sprint_name: str | None, status_date: Any, as_json: bool) -> None:
    """Burnup of PROJECT's release (or of one --sprint): the points done and the scope (the
    points of the stories added by then) at the end of each day, up to the status date.

    \b
    Examples:
      pmo scrum burnup APP
      pmo scrum burnup APP --sprint S1 --json
    """
    ws = current_workspace()
    entity = _project(ws, project)
    view = _view(ws, _day(status_date))
    if sprint_name is not None:
        sprint_name = _sprint_named(scrum_fields(entity), sprint_name)
    days = burnup(view, entity.id, sprint_name)
    if as_json:
        echo_json([{"day": d.day, "done": d.done, "scope": d.scope} for d in days])
        return
    _table(["day", "done", "scope"], [[d.day, d.done, d.scope] for d in days])


@scrum.command(name="evm", short_help="AgileEVM of the release (PPC, APC, PV, EV, AC, CPI, SPI).")
@click.argument("project")
@_STATUS_DATE
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evm_command(project: str, status_date: Any, as_json: bool) -> None:
    """AgileEVM of PROJECT's release: PPC = sprints done / planned, APC = points done /
    release points, PV = BAC x PPC, EV = BAC x APC, AC (the core's), CPI, SPI.

    \b
    Examples:
      pmo scrum evm APP --status-date 2025-03-31
    """
    ws = current_workspace()
    entity = _project(ws, project)
    view = _view(ws, _day(status_date))
    evm = agile_evm(view, entity.id)
    data = {
        "status_date": evm.status_date,
        "bac": evm.bac,
        "planned_sprints": evm.planned_sprints,
        "sprints_done": evm.sprints_done,
        "ppc": evm.ppc,
        "total_points": evm.total_points,
        "points_done": evm.points_done,
        "apc": evm.apc,
        "pv": evm.pv,
        "ev": evm.ev,
        "ac": evm.ac,
        "cpi": evm.cpi,
        "spi": evm.spi,
    }
    if as_json:
        echo_json(data)
        return
    click.echo(kv_lines([(key, _shown(value)) for key, value in data.items()]))


# ------------------------------------------------------------------------- artifacts


@scrum.command(name="artifacts", short_help="List the Scrum artifacts, their phase and gate.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def artifacts(as_json: bool) -> None:
    """List the Scrum artifacts, the phase that produces each and the gate that needs it.

    \b
    Examples:
      pmo scrum artifacts
    """
    needed_at: dict[str, str] = {}
    for gate in SCRUM.gates:
        for criterion in gate.criteria:
            if criterion.artifact:
                needed_at.setdefault(criterion.artifact, gate.name)
    rows = []
    for phase in SCRUM.phases:
        for name in phase.artifacts:
            rows.append([name, phase.name, needed_at.get(name, "-"), _ARTIFACTS[name].summary])
    if as_json:
        keys = ("name", "phase", "needed_at", "summary")
        echo_json([dict(zip(keys, row, strict=True)) for row in rows])
        return
    _table(["artifact", "phase", "needed at", "summary"], rows)


@scrum.command(name="template", short_help="Print an artifact's Markdown template.")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. sprint-backlog), to fill in.

    \b
    Examples:
      pmo scrum template sprint-backlog > s1-backlog.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)
