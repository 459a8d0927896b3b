"""``pmo resource`` (add, list, show, capacity, what-if) and ``pmo allocate``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import click
from pydantic import BaseModel, ValidationError

from pmo_core import (
    Allocation,
    Availability,
    InvalidInputError,
    Money,
    Rate,
    Resource,
    WorkItem,
    Workspace,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table

from ._capacity import (
    CapacityCell,
    ResourceSettings,
    capacity_demand,
    counted_allocations,
    demand_costs,
    month_end,
    parse_month,
    role_of,
    span,
    what_if,
)
from ._plan import (
    LabourBudget,
    Written,
    allocate_from_plan,
    labour_to_budget,
    plan_allocation_id,
)
from ._pool import Removed, remove_resource, update_resource
from ._pool import find_resource as _find

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else escape_controls(str(value))


def _dump(record: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json", exclude={"version"})
    if isinstance(record, Resource):
        # Money as a string with its currency, as every pmo command prints it.
        data["rates"] = [
            {"effective_from": r.effective_from.isoformat(), "per_hour": str(r.per_hour)}
            for r in record.rates
        ]
    return data


def _invalid(error: ValidationError, where: str) -> InvalidInputError:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return InvalidInputError(f"{field}: {message}" if field else message, where=where)


_OPTIONS = {
    "name": "NAME",
    "role": "--role",
    "email": "--email",
    "capacity_hours_per_week": "--hours-per-week",
    "skills": "--skill",
    "rates": "--rate",
    "availability": "--fte",
    "holidays": "--holiday",
}


def _option_of(error: ValidationError) -> str:
    # The option a resource's field came from; a check of the whole record names its field
    # in the message ("rates must be in order...").
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else first["msg"].removeprefix("Value error, ")
    return next((o for f, o in _OPTIONS.items() if field.startswith(f)), "NAME")


def find_resource(ws: Workspace, ref: str) -> Resource:
    """A resource by id, or by name when exactly one has it."""
    return _find(ws.view(), ref)


def _pair(text: str, where: str) -> tuple[date, str]:
    day, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return date.fromisoformat(day.strip()), value.strip()
    except ValueError:
        raise InvalidInputError(f"{text!r} is not YYYY-MM-DD=VALUE", where=where) from None


def _rates(texts: Sequence[str]) -> list[Rate]:
    try:
        return [
            Rate(effective_from=day, per_hour=value)
            for day, value in sorted(_pair(r, "--rate") for r in texts)
        ]
    except ValidationError as error:
        raise _invalid(error, "--rate") from None


def _availability(texts: Sequence[str]) -> list[Availability]:
    points = []
    for text in texts:
        day, value = _pair(text, "--fte")
        try:
            points.append(Availability(effective_from=day, fte=float(Decimal(value))))
        except (ValidationError, InvalidOperation, ValueError):
            raise InvalidInputError(
                f"{text!r}: the share of full time must be a number from 0 to 1", where="--fte"
            ) from None
    return sorted(points, key=lambda p: p.effective_from)


def _settings(ws: Workspace) -> ResourceSettings:
    found = ws.settings("resources")
    assert isinstance(found, ResourceSettings)  # registered by this plugin under that name
    return found


def _window(start: str | None, end: str | None, ws: Workspace) -> tuple[date, date]:
    found = span(counted_allocations(ws.view()))
    today = ws.view().status_date
    low = parse_month(start, "--from") if start else (found[0] if found else today)
    high = month_end(parse_month(end, "--to")) if end else (found[1] if found else today)
    if high < low:
        raise InvalidInputError(f"{end} is before {start or low}", where="--to")
    return low, high


def _cell_json(cell: CapacityCell) -> dict[str, Any]:
    util = cell.utilisation
    return {
        **({"resource": cell.resource} if cell.resource is not None else {}),
        "role": cell.role,
        "month": cell.month,
        "capacity": str(cell.capacity),
        "demand": str(cell.demand),
        "utilisation": None if util is None else str(util),
        "state": cell.state,
    }


def _percent(util: Decimal | None) -> str:
    return "n/a" if util is None else f"{util * 100:.2f} %"


@click.group(name="resource")
def resource() -> None:
    """The resource pool: people and roles with skills, rates, availability and holidays;
    capacity against demand by role and month; what a new allocation would do.

    \b
    Examples:
      pmo resource add "Kim Lee" --role Developer --hours-per-week 40 --rate 2025-01-01="90 EUR"
      pmo resource add Developer --kind role
      pmo resource list --role Developer
      pmo resource show "Kim Lee"
      pmo allocate "Kim Lee" ALPHA --from 2025-01-01 --to 2025-03-31 --percent 50
      pmo resource capacity --from 2025-01 --to 2025-06
      pmo resource what-if NEW --resource "Kim Lee" --from 2025-02-01 --to 2025-02-28 --percent 80
    """


@resource.command(name="add", short_help="Add a person or a role to the pool.")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(["person", "role"]),
    default="person",
    show_default=True,
    help="A named person, or a role placeholder (demand, no capacity).",
)
@click.option("--role", help="The role a person fills.")
@click.option("--email", help="A person's e-mail address.")
@click.option(
    "--hours-per-week", type=float, default=40, show_default=True, help="Full-time weekly hours."
)
@click.option("--skill", "skills", multiple=True, help="A skill (repeat).")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="DATE=MONEY",
    help="An hourly rate from a date, e.g. 2025-01-01='90 EUR' (repeat).",
)
@click.option(
    "--fte",
    "fte",
    multiple=True,
    metavar="DATE=FTE",
    help="Availability from a date as a share of full time, e.g. 2025-07-01=0.5.",
)
@click.option("--holiday", "holidays", multiple=True, type=_DATE, help="A day off (repeat).")
@click.option("--json", "as_json", is_flag=True, help="Print the resource as JSON.")
def add(
    name: str,
    kind: str,
    role: str | None,
    email: str | None,
    hours_per_week: float,
    skills: tuple[str, ...],
    rates: tuple[str, ...],
    fte: tuple[str, ...],
    holidays: tuple[Any, ...],
    as_json: bool,
) -> None:
    """Add NAME to the resource pool.

    \b
    Examples:
      pmo resource add "Kim Lee" --role Developer --skill Python --rate 2025-01-01="90 EUR"
      pmo resource add "Sam Roe" --role Analyst --fte 2025-04-01=0.5 --holiday 2025-05-01
      pmo resource add Developer --kind role
    """
    ws = current_workspace()
    rate_list = _rates(rates)
    points = _availability(fte)
    try:
        record = Resource(
            name=name,
            kind=kind,
            role=role,
            email=email,
            capacity_hours_per_week=hours_per_week,
            skills=skills,
            rates=rate_list,
            availability=points,
            holidays=sorted({h.date() for h in holidays}),
        )
    except ValidationError as error:
        raise _invalid(error, _option_of(error)) from None
    stored = ws.add(record)
    if as_json:
        echo_json(_dump(stored))
        return
    click.echo(f"Added {_text(stored.name)} ({stored.kind}, {_text(role_of(stored))}): {stored.id}")


@resource.command(name="list", short_help="List the resource pool.")
@click.option("--role", help="Only this role.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(role: str | None, limit: int | None, as_json: bool) -> None:
    """List the people and roles of the pool, by role then name.

    \b
    Examples:
      pmo resource list
      pmo resource list --role Developer --json
    """
    ws = current_workspace()
    pool = sorted(ws.view().records(Resource), key=lambda r: (role_of(r), r.name, r.id))
    if role is not None:
        pool = [r for r in pool if role_of(r) == role]
    if as_json:
        echo_json([_dump(r) for r in pool])
        return
    if limit is not None:
        pool = pool[:limit]
    echo_table(
        ["id", "name", "kind", "role", "hours/week", "skills"],
        [
            [
                r.id,
                r.name,
                r.kind,
                role_of(r),
                f"{r.capacity_hours_per_week:g}",
                ", ".join(r.skills),
            ]
            for r in pool
        ],
    )


@resource.command(name="show", short_help="Show a resource and its allocations.")
@click.argument("resource_ref", metavar="RESOURCE")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(resource_ref: str, as_json: bool) -> None:
    """Show RESOURCE (an id, or a unique name): rates, availability, holidays, allocations.

    \b
    Examples:
      pmo resource show "Kim Lee"
      pmo resource show 8c1f0e2d4b6a --json
    """
    ws = current_workspace()
    found = find_resource(ws, resource_ref)
    allocations = sorted(
        (a for a in ws.view().records(Allocation) if a.resource == found.id),
        key=lambda a: (a.start, a.project),
    )
    if as_json:
        echo_json({**_dump(found), "allocations": [_dump(a) for a in allocations]})
        return
    click.echo(f"{_text(found.name)} ({found.kind}, {_text(role_of(found))}) {found.id}")
    click.echo(f"Hours per week: {found.capacity_hours_per_week:g}")
    click.echo(f"Skills: {_text(', '.join(found.skills))}")
    rates = ", ".join(f"{r.effective_from} {r.per_hour}" for r in found.rates)
    click.echo(f"Rates: {_text(rates)}")
    fte = ", ".join(f"{p.effective_from} {p.fte:g}" for p in found.availability)
    click.echo(f"Availability: {_text(fte)}")
    click.echo(f"Holidays: {_text(', '.join(str(d) for d in found.holidays))}")
    echo_table(
        ["project", "from", "to", "allocation"],
        [
            [
                a.project,
                a.start,
                a.finish,
                f"{a.percent:g} %" if a.percent is not None else f"{a.hours:g} h",
            ]
            for a in allocations
        ],
    )


@resource.command(name="update", short_help="Change a person or a role of the pool.")
@click.argument("resource_ref", metavar="RESOURCE")
@click.option("--name", help="A new name.")
@click.option("--role", help="The role a person fills.")
@click.option("--email", help="A person's e-mail address.")
@click.option("--hours-per-week", type=float, help="Full-time weekly hours.")
@click.option("--skill", "skills", multiple=True, help="A skill (repeat; replaces the skills).")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="DATE=MONEY",
    help="An hourly rate from a date (repeat; replaces the rate of that date, keeps the others).",
)
@click.option(
    "--fte",
    "fte",
    multiple=True,
    metavar="DATE=FTE",
    help="Availability from a date (repeat; replaces the entry of that date, keeps the others).",
)
@click.option("--holiday", "holidays", multiple=True, type=_DATE, help="Add a day off (repeat).")
@click.option("--json", "as_json", is_flag=True, help="Print the resource as JSON.")
def update(
    resource_ref: str,
    name: str | None,
    role: str | None,
    email: str | None,
    hours_per_week: float | None,
    skills: tuple[str, ...],
    rates: tuple[str, ...],
    fte: tuple[str, ...],
    holidays: tuple[Any, ...],
    as_json: bool,
) -> None:
    """Change RESOURCE (an id, or a unique name): the options given replace those fields;
    a --rate or --fte replaces the entry of its date and keeps the others; --holiday adds
    days off. Its kind stays: a person's allocations are not a role's demand.

    \b
    Examples:
      pmo resource update "Kim Lee" --role Architect --rate 2026-01-01="98 EUR"
      pmo resource update "Kim Lee" --fte 2026-03-01=0.8 --holiday 2026-04-03 --json
    """
    ws = current_workspace()
    found = find_resource(ws, resource_ref)
    changes: dict[str, Any] = {
        field: value
        for field, value in (
            ("name", name),
            ("role", role),
            ("email", email),
            ("capacity_hours_per_week", hours_per_week),
        )
        if value is not None
    }
    if skills:
        changes["skills"] = skills
    if rates:
        given = {r.effective_from: r for r in _rates(rates)}
        kept = [r for r in found.rates if r.effective_from not in given]
        changes["rates"] = sorted([*kept, *given.values()], key=lambda r: r.effective_from)
    if fte:
        points = {p.effective_from: p for p in _availability(fte)}
        kept_points = [p for p in found.availability if p.effective_from not in points]
        changes["availability"] = sorted(
            [*kept_points, *points.values()], key=lambda p: p.effective_from
        )
    if holidays:
        changes["holidays"] = sorted({*found.holidays, *(h.date() for h in holidays)})
    try:
        stored = update_resource(ws, found.id, **changes)
    except InvalidInputError as error:
        # Name the option the field came from, as `pmo resource add` does.
        field = error.where or ""
        option = next((o for f, o in _OPTIONS.items() if field.startswith(f)), "RESOURCE")
        raise InvalidInputError(str(error.message), where=option) from None
    if as_json:
        echo_json(_dump(stored))
        return
    changed = ", ".join(sorted(changes))
    click.echo(f"Updated {_text(stored.name)} ({stored.id}): {changed}")


@resource.command(name="remove", short_help="Remove a person or a role from the pool.")
@click.argument("resource_ref", metavar="RESOURCE")
@click.option(
    "--force", is_flag=True, help="Remove its allocations with it (refused without, if any)."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def remove(resource_ref: str, force: bool, as_json: bool) -> None:
    """Remove RESOURCE (an id, or a unique name) from the pool. One with allocations is
    refused (exit code 4) unless --force, which removes them with it; the journal keeps
    every removed record.

    \b
    Examples:
      pmo resource remove "Temp contractor"
      pmo resource remove "Kim Lee" --force --json
    """
    ws = current_workspace()
    removed: Removed = remove_resource(ws, resource_ref, force=force)
    if as_json:
        echo_json(
            {
                **_dump(removed.resource),
                "allocations": [_dump(a) for a in removed.allocations],
            }
        )
        return
    count = len(removed.allocations)
    withal = f" with its {count} allocation(s)" if count else ""
    click.echo(f"Removed {_text(removed.resource.name)} ({removed.resource.id}){withal}")


def _allocation(
    ws: Workspace,
    resource_ref: str,
    project: str,
    start: Any,
    end: Any,
    percent: float | None,
    hours: float | None,
) -> Allocation:
    found = find_resource(ws, resource_ref)
    if (percent is None) == (hours is None):
        raise InvalidInputError("give exactly one of --percent and --hours", where="--percent")
    try:
        return Allocation(
            resource=found.id,
            project=project,
            start=start.date(),
            finish=end.date(),
            percent=percent,
            hours=hours,
        )
    except ValidationError as error:
        raise _invalid(error, "--to" if "finish" in str(error) else "PROJECT") from None


_ALLOCATION_OPTIONS = [
    click.option("--from", "start", type=_DATE, required=True, help="First day."),
    click.option("--to", "end", type=_DATE, required=True, help="Last day."),
    click.option("--percent", type=float, help="Share of the resource's hours, 0 to 100."),
    click.option("--hours", type=float, help="Hours over the whole period."),
]


def _with_allocation_options(f: Any) -> Any:
    for option in reversed(_ALLOCATION_OPTIONS):
        f = option(f)
    return f


def _written_json(written: Written) -> dict[str, list[str]]:
    return {
        "added": list(written.added),
        "changed": list(written.changed),
        "removed": list(written.removed),
        "unchanged": list(written.unchanged),
    }


def _written_line(written: Written, what: str, dry_run: bool) -> str:
    verb = "would add" if dry_run else "added"
    return (
        f"{what}: {verb} {len(written.added)}, "
        f"{'would change' if dry_run else 'changed'} {len(written.changed)}, "
        f"{'would remove' if dry_run else 'removed'} {len(written.removed)}, "
        f"unchanged {len(written.unchanged)}"
    )


def _from_plan(ws: Workspace, project: str, dry_run: bool, as_json: bool) -> None:
    result = allocate_from_plan(ws, project, dry_run=dry_run)
    names = {r.id: r.name for r in ws.view().records(Resource)}
    if as_json:
        echo_json(
            {
                "project": result.project,
                "dry_run": dry_run,
                "allocations": [_dump(a) for a in result.allocations],
                "unplaced": [
                    {
                        "work_item": u.item,
                        "subject": u.subject,
                        "reason": u.reason,
                        "assignee": u.assignee,
                    }
                    for u in result.unplaced
                ],
                **_written_json(result.written),
            }
        )
        return
    # The allocation ids are plan-<work item id>: the table names the item by its subject.
    subjects = {
        plan_allocation_id(w.id): w.subject for w in ws.view().records(WorkItem, result.project)
    }
    echo_table(
        ["work item", "resource", "from", "to", "hours"],
        [
            [
                subjects.get(a.id, a.id),
                names.get(a.resource, a.resource),
                a.start,
                a.finish,
                f"{a.hours:g}",
            ]
            for a in result.allocations
        ],
    )
    for u in result.unplaced:
        who = f" ({_text(u.assignee)})" if u.assignee else ""
        click.echo(f"not placed: {u.item} {_text(u.subject)}: {u.reason}{who}")
    click.echo(
        _written_line(result.written, f"Allocations from the plan of {result.project}", dry_run)
    )


@click.command(name="allocate")
@click.argument("resource_ref", metavar="[RESOURCE]", required=False)
@click.argument("project", required=False)
@click.option("--from", "start", type=_DATE, help="First day.")
@click.option("--to", "end", type=_DATE, help="Last day.")
@click.option("--percent", type=float, help="Share of the resource's hours, 0 to 100.")
@click.option("--hours", type=float, help="Hours over the whole period.")
@click.option(
    "--from-plan",
    "plan",
    metavar="PROJECT",
    help="Derive PROJECT's allocations from its work items (replaces those derived before).",
)
@click.option("--dry-run", is_flag=True, help="With --from-plan: show, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the allocation(s) as JSON.")
def allocate(
    resource_ref: str | None,
    project: str | None,
    start: Any,
    end: Any,
    percent: float | None,
    hours: float | None,
    plan: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Allocate RESOURCE (an id or a unique name: a person, or a role placeholder) to PROJECT
    from --from to --to, as --percent of its hours or as --hours in total.

    Or derive a project's allocations from its plan (--from-plan PROJECT): each work item
    with an assignee, dates and work hours becomes an allocation of its hours over its
    dates to the resource its assignee names (the resource's id; else its name, without
    case; else a role placeholder of that role). They replace the allocations derived from
    that plan before (ids plan-<work item>), never those entered by hand; the items that
    could not be placed are listed with the reason.

    \b
    Examples:
      pmo allocate "Kim Lee" ALPHA --from 2025-01-01 --to 2025-03-31 --percent 50
      pmo allocate Developer BETA --from 2025-02-01 --to 2025-02-28 --hours 120
      pmo allocate --from-plan ALPHA --dry-run
      pmo allocate --from-plan ALPHA --json
    """
    ws = current_workspace()
    if plan is not None:
        given = [
            name
            for name, value in (
                ("RESOURCE", resource_ref),
                ("--from", start),
                ("--to", end),
                ("--percent", percent),
                ("--hours", hours),
            )
            if value is not None
        ]
        if given:
            raise InvalidInputError(
                "--from-plan derives every allocation from the plan: give it alone",
                where=given[0],
            )
        _from_plan(ws, plan, dry_run, as_json)
        return
    if dry_run:
        raise InvalidInputError("--dry-run goes with --from-plan", where="--dry-run")
    for name, value in (("RESOURCE", resource_ref), ("PROJECT", project)):
        if value is None:
            raise InvalidInputError(f"missing {name} (or give --from-plan PROJECT)", where=name)
    for name, value in (("--from", start), ("--to", end)):
        if value is None:
            raise InvalidInputError(f"missing option {name}", where=name)
    assert resource_ref is not None  # checked above
    assert project is not None
    entity = ws.view().entity(project)
    if entity.kind != "project":
        raise InvalidInputError(f"{entity.id} is a {entity.kind}, not a project", where="PROJECT")
    record = _allocation(ws, resource_ref, entity.id, start, end, percent, hours)
    stored = ws.add(record)
    if as_json:
        echo_json(_dump(stored))
        return
    share = f"{percent:g} %" if percent is not None else f"{hours:g} h"
    click.echo(
        f"Allocated {_text(resource_ref)} to {entity.id} {stored.start} to {stored.finish}: {share}"
    )


@resource.command(name="capacity", short_help="Capacity against demand by role and month.")
@click.option("--from", "start", metavar="YYYY-MM", help="First month (default: first allocation).")
@click.option("--to", "end", metavar="YYYY-MM", help="Last month (default: last allocation).")
@click.option("--role", help="Only this role.")
@click.option(
    "--by",
    type=click.Choice(["role", "person"]),
    default="role",
    show_default=True,
    help="A row per role, or per resource (a person over their own hours shows).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def capacity(start: str | None, end: str | None, role: str | None, by: str, as_json: bool) -> None:
    """Capacity and demand in hours for every role (or resource) and month, with utilisation
    and its state (over, under, ok, idle) by the thresholds of [settings.resources].

    \b
    Examples:
      pmo resource capacity --from 2025-01 --to 2025-06
      pmo resource capacity --role Developer --by person --json
    """
    ws = current_workspace()
    low, high = _window(start, end, ws)
    grouping: Literal["role", "person"] = "person" if by == "person" else "role"
    view = ws.view()
    cells = capacity_demand(view, low, high, settings=_settings(ws), by=grouping)
    if role is not None:
        cells = [c for c in cells if c.role == role]
    if as_json:
        echo_json([_cell_json(c) for c in cells])
        return
    rows = [
        [c.role, c.month, c.capacity, c.demand, _percent(c.utilisation), c.state] for c in cells
    ]
    headers = ["role", "month", "capacity", "demand", "utilisation", "state"]
    if grouping == "person":
        names = {r.id: r.name for r in view.records(Resource)}
        rows = [
            [names.get(c.resource or "", c.resource), *row]
            for c, row in zip(cells, rows, strict=True)
        ]
        headers = ["resource", *headers]
    echo_table(headers, rows)


def _budget_json(budget: LabourBudget, dry_run: bool) -> dict[str, Any]:
    covered = budget.covered
    return {
        "project": budget.project,
        "dry_run": dry_run,
        "lines": [
            {
                "id": b.id,
                "period_start": b.period_start.isoformat(),
                "period_finish": None if b.period_finish is None else b.period_finish.isoformat(),
                "category": b.category,
                "nature": b.nature,
                "amount": str(b.amount),
            }
            for b in budget.lines
        ],
        "labour": str(budget.labour),
        "other": str(budget.other),
        "bac": None if budget.bac is None else str(budget.bac),
        "covered": covered,
        "headroom": None if budget.headroom is None else str(budget.headroom),
        "unpriced_hours": str(budget.unpriced_hours),
        **_written_json(budget.written),
    }


def _to_budget(ws: Workspace, project: str, category: str, dry_run: bool, as_json: bool) -> None:
    chosen: Literal["capex", "opex"] = "capex" if category == "capex" else "opex"
    budget = labour_to_budget(ws, project, category=chosen, dry_run=dry_run)
    if as_json:
        echo_json(_budget_json(budget, dry_run))
        return
    echo_table(
        ["id", "from", "to", "category", "amount"],
        [[b.id, b.period_start, b.period_finish, b.category, b.amount] for b in budget.lines],
    )
    click.echo(f"Labour: {budget.labour}; other budget lines: {budget.other}")
    if budget.bac is None:
        click.echo(f"BAC: not set on {budget.project}")
    elif budget.covered:
        click.echo(f"BAC {budget.bac} covers the labour cost (headroom {budget.headroom})")
    else:
        short = Money(amount=budget.labour.amount - budget.bac.amount, currency=budget.bac.currency)
        click.echo(f"BAC {budget.bac} does not cover the labour cost (short by {short})")
    if budget.unpriced_hours:
        click.echo(f"warning: {budget.unpriced_hours} hours have no rate and cost nothing here")
    click.echo(_written_line(budget.written, f"Labour budget lines of {budget.project}", dry_run))


@resource.command(name="cost", short_help="What each project's demand costs at its rates.")
@click.option("--from", "start", metavar="YYYY-MM", help="First month (default: first allocation).")
@click.option("--to", "end", metavar="YYYY-MM", help="Last month (default: last allocation).")
@click.option("--project", help="Only this project.")
@click.option(
    "--to-budget",
    is_flag=True,
    help="Write --project's labour cost per month as its labour budget lines.",
)
@click.option(
    "--category",
    type=click.Choice(["opex", "capex"]),
    default="opex",
    show_default=True,
    help="With --to-budget: the lines' category.",
)
@click.option("--dry-run", is_flag=True, help="With --to-budget: show, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cost(
    start: str | None,
    end: str | None,
    project: str | None,
    to_budget: bool,
    category: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """The cost of each project's allocations over the months: every working day's hours at
    the resource's rate in effect that day, summed per currency (never converted), with the
    hours no rate prices.

    With --to-budget, --project's labour cost over all its allocations becomes its budget
    lines of nature labour, one per month (ids labour-<project>-<YYYY-MM>), replacing
    those written so before and never lines entered by hand; the rates must be in the
    project's currency. It shows whether the project's BAC covers the labour cost.

    \b
    Examples:
      pmo resource cost --from 2025-01 --to 2025-06
      pmo resource cost --project ALPHA --json
      pmo resource cost --project ALPHA --to-budget --dry-run
      pmo resource cost --project ALPHA --to-budget --category capex --json
    """
    ws = current_workspace()
    if to_budget:
        if project is None:
            raise InvalidInputError("--to-budget needs --project", where="--to-budget")
        for name, value in (("--from", start), ("--to", end)):
            if value is not None:
                raise InvalidInputError(
                    "--to-budget prices every allocation of the project: leave out --from and --to",
                    where=name,
                )
        _to_budget(ws, project, category, dry_run, as_json)
        return
    if dry_run:
        raise InvalidInputError("--dry-run goes with --to-budget", where="--dry-run")
    if project is not None:
        project = ws.view().entity(project).id
    low, high = _window(start, end, ws)
    costs = demand_costs(ws.view(), low, high)
    if project is not None:
        costs = [c for c in costs if c.project == project]
    if as_json:
        echo_json(
            [
                {
                    "project": c.project,
                    "costs": [str(m) for m in c.costs],
                    "unpriced_hours": str(c.unpriced_hours),
                }
                for c in costs
            ]
        )
        return
    echo_table(
        ["project", "cost", "unpriced hours"],
        [[c.project, ", ".join(str(m) for m in c.costs), c.unpriced_hours] for c in costs],
    )


@resource.command(name="what-if", short_help="What a new allocation would do to capacity.")
@click.argument("project")
@click.option("--resource", "resource_ref", required=True, help="A resource id or unique name.")
@_with_allocation_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def what_if_(
    project: str,
    resource_ref: str,
    start: Any,
    end: Any,
    percent: float | None,
    hours: float | None,
    as_json: bool,
) -> None:
    """Show each role and month a proposed allocation to PROJECT would touch, before and
    after; nothing is written (PROJECT need not exist yet).

    \b
    Examples:
      pmo resource what-if NEW --resource Developer --from 2025-02-01 --to 2025-03-31 --percent 50
      pmo resource what-if NEW --resource "Kim Lee" --from 2025-02-01 --to 2025-02-28 \\
          --hours 80 --json
    """
    ws = current_workspace()
    proposed = _allocation(ws, resource_ref, project, start, end, percent, hours)
    changes = what_if(ws.view(), [proposed], settings=_settings(ws))
    if as_json:
        echo_json(
            [
                {
                    "role": c.after.role,
                    "month": c.after.month,
                    "added": str(c.added),
                    "before": _cell_json(c.before),
                    "after": _cell_json(c.after),
                }
                for c in changes
            ]
        )
        return
    echo_table(
        [
            "role",
            "month",
            "capacity",
            "demand before",
            "demand after",
            "utilisation after",
            "state",
        ],
        [
            [
                c.after.role,
                c.after.month,
                c.after.capacity,
                c.before.demand,
                c.after.demand,
                _percent(c.after.utilisation),
                f"{c.before.state} -> {c.after.state}",
            ]
            for c in changes
        ],
    )
