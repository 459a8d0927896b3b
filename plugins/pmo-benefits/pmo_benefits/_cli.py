"""``pmo benefit``: the benefits register (add, list, show) and its measurements (measure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from pmo_core import Benefit, InvalidInputError, Workspace, current_workspace, escape_controls
from pmo_core.cli import echo_json, echo_table, kv_lines, record_json

from ._realisation import Realisation, realisation
from ._register import (
    add_benefit,
    benefits,
    find_benefit,
    measurements,
    record_measurement,
    remove_benefit,
    risk_settings,
    update_benefit,
)

_DATE = click.DateTime(formats=["%Y-%m-%d"])
#: The option of ``pmo benefit add`` that sets each field of a benefit.
_OPTIONS = {
    "name": "NAME",
    "measure": "--measure",
    "unit": "--unit",
    "baseline": "--baseline",
    "target": "--target",
    "target_on": "--target-on",
    "profile": "--profile",
    "portfolio": "--portfolio",
    "projects": "--project",
    "objectives": "--objective",
    "owned_by": "--owner",
    "description": "--comment",
}


def _day(value: Any) -> date | None:
    return None if value is None else value.date()


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else escape_controls(str(value))


def _number(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidInputError(f"{text!r} is not a number", where=where)
    return value


def _profile(texts: Sequence[str]) -> list[tuple[date, Decimal]]:
    points = []
    for text in texts:
        day, sep, value = text.partition("=")
        try:
            on = date.fromisoformat(day.strip())
        except ValueError:
            sep = ""
        if not sep:
            raise InvalidInputError(f"{text!r} is not YYYY-MM-DD=NUMBER", where="--profile")
        points.append((on, _number(value, "--profile")))
    return points


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _realisation_json(r: Realisation) -> dict[str, Any]:
    return {
        "on": r.on.isoformat(),
        "measured_on": None if r.measured_on is None else r.measured_on.isoformat(),
        "actual": None if r.actual is None else str(r.actual),
        "planned": None if r.planned is None else str(r.planned.quantize(Decimal("0.0001"))),
        "of_target": _pct(r.of_target),
        "of_plan": _pct(r.of_plan),
        "at_risk": r.at_risk,
        "reason": r.reason,
    }


def _measure(ws: Workspace, benefit: Benefit, on: date) -> Realisation:
    view = ws.view()
    return realisation(benefit, measurements(view, benefit.id), on, risk_settings(ws, benefit))


@click.group(name="benefit")
def benefit() -> None:
    """The benefits register: benefits and dis-benefits with their measure, baseline, target
    and planned profile, the projects that enable them and the objectives they serve; their
    measurements over time, realisation against target and plan, and those at risk.

    A benefit belongs to no project: when its projects close, it stays in the register and
    keeps being measured, reported and flagged (rule ``benefit-at-risk`` on its portfolio).

    \b
    Examples:
      pmo benefit add "Cheaper invoices" --measure "Cost per invoice" --unit EUR \\
          --baseline 12 --target 8 --baseline-on 2026-01-01 --target-on 2026-12-31 \\
          --portfolio PF --project LEDGER --owner "Dana Ruiz"
      pmo benefit measure "Cheaper invoices" 11 --on 2026-06-30
      pmo benefit list --under PF --at-risk
      pmo benefit show "Cheaper invoices" --json
      pmo benefit update "Cheaper invoices" --target 7.5
      pmo benefit remove "Cheaper invoices" --force
    """


@benefit.command(name="add", short_help="Add a benefit or dis-benefit to the register.")
@click.argument("name")
@click.option("--measure", required=True, help="What is measured (e.g. 'Cost per invoice').")
@click.option("--unit", default="", help="The measure's unit (EUR, %, hours...).")
@click.option("--baseline", required=True, metavar="NUMBER", help="The value before.")
@click.option("--baseline-on", type=_DATE, required=True, help="The day of the baseline.")
@click.option("--target", required=True, metavar="NUMBER", help="The value planned.")
@click.option("--target-on", type=_DATE, required=True, help="The day the target is due.")
@click.option(
    "--profile",
    "profile",
    multiple=True,
    metavar="YYYY-MM-DD=NUMBER",
    help="A planned value between baseline and target (repeat); straight lines between.",
)
@click.option("--dis-benefit", is_flag=True, help="A negative consequence; target = most borne.")
@click.option("--portfolio", help="The portfolio that tracks it (its rule flags it).")
@click.option("--project", "projects", multiple=True, help="A project or program enabling it.")
@click.option("--objective", "objectives", multiple=True, help="An objective id it serves.")
@click.option("--owner", default="", help="The person accountable for realising it.")
@click.option("--comment", default="", help="A description.")
@click.option("--json", "as_json", is_flag=True, help="Print the benefit as JSON.")
def add(
    name: str,
    measure: str,
    unit: str,
    baseline: str,
    baseline_on: Any,
    target: str,
    target_on: Any,
    profile: tuple[str, ...],
    dis_benefit: bool,
    portfolio: str | None,
    projects: tuple[str, ...],
    objectives: tuple[str, ...],
    owner: str,
    comment: str,
    as_json: bool,
) -> None:
    """Add the benefit NAME: its measure goes from --baseline on --baseline-on to --target on
    --target-on (a target below the baseline is a reduction), through any --profile points.

    \b
    Examples:
      pmo benefit add "Cheaper invoices" --measure "Cost per invoice" --unit EUR \\
          --baseline 12 --target 8 --baseline-on 2026-01-01 --target-on 2026-12-31 \\
          --profile 2026-06-30=11 --portfolio PF --project LEDGER
      pmo benefit add "Licence fees" --dis-benefit --measure "Fees per year" --unit EUR \\
          --baseline 0 --target 20000 --baseline-on 2026-01-01 --target-on 2026-12-31 --portfolio PF
    """
    points = _profile(profile)
    ws = current_workspace()
    try:
        created = add_benefit(
            ws,
            name,
            measure=measure,
            unit=unit,
            baseline=_number(baseline, "--baseline"),
            baseline_on=baseline_on.date(),
            target=_number(target, "--target"),
            target_on=target_on.date(),
            profile=points,
            dis_benefit=dis_benefit,
            portfolio=portfolio,
            projects=projects,
            objectives=objectives,
            owned_by=owner,
            description=comment,
        )
    except InvalidInputError as exc:
        # The API names the field at fault; the command line names the option.
        where = _OPTIONS.get(exc.where or "", exc.where)
        raise InvalidInputError(exc.message, where=where) from None
    if as_json:
        echo_json(record_json(created))
        return
    kind = "dis-benefit" if created.dis_benefit else "benefit"
    click.echo(f"Added {kind} {created.id}: {escape_controls(created.name)}")


@benefit.command(name="list", short_help="List benefits with their realisation.")
@click.option("--under", metavar="KEY", help="Only the benefits of this entity and below.")
@click.option("--status-date", type=_DATE, help="Measure as of this day (default: today).")
@click.option("--at-risk", is_flag=True, help="Only the benefits at risk.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows (default 50).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(
    under: str | None, status_date: Any, at_risk: bool, limit: int | None, as_json: bool
) -> None:
    """List the benefits (of --under and below: tracked by it, or enabled by a project there,
    closed ones too) with their latest measurement and realisation on --status-date.

    \b
    Examples:
      pmo benefit list
      pmo benefit list --under PF --at-risk --status-date 2026-06-30 --json
    """
    ws = current_workspace()
    on = _day(status_date) or ws.today()
    found = [(b, _measure(ws, b, on)) for b in benefits(ws.view(), scope=under)]
    if at_risk:
        found = [(b, r) for b, r in found if r.at_risk]
    if limit is not None or not as_json:
        found = found[: limit or 50]
    if as_json:
        echo_json([{**record_json(b), "realisation": _realisation_json(r)} for b, r in found])
        return
    rows = [
        [
            b.id,
            b.name,
            "dis-benefit" if b.dis_benefit else "benefit",
            f"{b.measure} ({b.unit})" if b.unit else b.measure,
            r.actual,
            _pct(r.of_target),
            _pct(r.of_plan),
            "at risk" if r.at_risk else "",
        ]
        for b, r in found
    ]
    echo_table(["id", "name", "kind", "measure", "actual", "% target", "% plan", "risk"], rows)


@benefit.command(name="show", short_help="Show a benefit, its measurements and realisation.")
@click.argument("benefit_ref", metavar="BENEFIT")
@click.option("--status-date", type=_DATE, help="Measure as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(benefit_ref: str, status_date: Any, as_json: bool) -> None:
    """Show BENEFIT (an id, or a name only one benefit has): its plan, every measurement and
    its realisation on --status-date.

    \b
    Examples:
      pmo benefit show "Cheaper invoices"
      pmo benefit show 3f2a9c01be77 --status-date 2026-06-30 --json
    """
    ws = current_workspace()
    found = find_benefit(ws.view(), benefit_ref)
    on = _day(status_date) or ws.today()
    r = _measure(ws, found, on)
    taken = measurements(ws.view(), found.id)
    if as_json:
        data = record_json(found)
        data["measurements"] = [m.to_document(every_field=True) for m in taken]
        data["realisation"] = _realisation_json(r)
        echo_json(data)
        return
    kind = "dis-benefit" if found.dis_benefit else "benefit"
    plan = [(found.baseline_on, found.baseline), *((p.on, p.value) for p in found.profile)]
    plan.append((found.target_on, found.target))
    lines = [
        ("id", found.id),
        ("name", found.name),
        ("kind", kind),
        ("owner", found.owned_by),
        ("measure", f"{found.measure} ({found.unit})" if found.unit else found.measure),
        ("plan", ", ".join(f"{d} {v}" for d, v in plan)),
        ("portfolio", found.portfolio),
        ("projects", ", ".join(found.projects)),
        ("objectives", ", ".join(found.objectives)),
        ("measured", None if r.actual is None else f"{r.actual} on {r.measured_on}"),
        ("% of target", _pct(r.of_target)),
        ("% of plan", _pct(r.of_plan)),
        ("at risk", "yes" if r.at_risk else "no"),
        ("why", r.reason),
    ]
    click.echo(kv_lines([(label, _text(value)) for label, value in lines]))
    click.echo("")
    echo_table(
        ["on", "value", "by", "comment"], [[m.on, m.value, m.measured_by, m.note] for m in taken]
    )


@benefit.command(name="measure", short_help="Record a measurement of a benefit.")
@click.argument("benefit_ref", metavar="BENEFIT")
@click.argument("value")
@click.option("--on", type=_DATE, help="The day it was measured (default: today).")
@click.option("--by", "by", default="", help="Who measured it.")
@click.option("--comment", default="", help="A note (the source of the figure).")
@click.option("--json", "as_json", is_flag=True, help="Print the measurement as JSON.")
def measure(benefit_ref: str, value: str, on: Any, by: str, comment: str, as_json: bool) -> None:
    """Record VALUE (in the benefit's unit) as BENEFIT's measure on --on. The benefits of a
    closed project are measured like any other.

    \b
    Examples:
      pmo benefit measure "Cheaper invoices" 11 --on 2026-06-30 --by Finance
      pmo benefit measure 3f2a9c01be77 10.5 --comment "Q3 close" --json
    """
    ws = current_workspace()
    number = _number(value, "VALUE")
    taken = record_measurement(ws, benefit_ref, number, on=_day(on), measured_by=by, note=comment)
    if as_json:
        echo_json(taken.to_document(every_field=True))
        return
    found = find_benefit(ws.view(), taken.benefit)
    r = _measure(ws, found, taken.on)
    click.echo(
        f"Measured {escape_controls(found.name)}: {taken.value} on {taken.on} "
        f"({_pct(r.of_target) or '-'} % of target, {_pct(r.of_plan) or '-'} % of plan"
        f"{', at risk' if r.at_risk else ''})"
    )


@benefit.command(name="update", short_help="Change a benefit of the register.")
@click.argument("benefit_ref", metavar="BENEFIT")
@click.option("--name", help="A new name.")
@click.option("--measure", help="What is measured.")
@click.option("--unit", help="The measure's unit.")
@click.option("--baseline", metavar="NUMBER", help="The value before.")
@click.option("--baseline-on", type=_DATE, help="The day of the baseline.")
@click.option("--target", metavar="NUMBER", help="The value planned.")
@click.option("--target-on", type=_DATE, help="The day the target is due.")
@click.option(
    "--profile",
    "profile",
    multiple=True,
    metavar="YYYY-MM-DD=NUMBER",
    help="A planned value between baseline and target (repeat; replaces the profile).",
)
@click.option("--portfolio", help="The portfolio that tracks it.")
@click.option(
    "--project", "projects", multiple=True, help="A project enabling it (repeat; replaces)."
)
@click.option(
    "--objective", "objectives", multiple=True, help="An objective it serves (repeat; replaces)."
)
@click.option("--owner", help="The person accountable for realising it.")
@click.option("--comment", help="A description.")
@click.option("--json", "as_json", is_flag=True, help="Print the benefit as JSON.")
def update(
    benefit_ref: str,
    name: str | None,
    measure: str | None,
    unit: str | None,
    baseline: str | None,
    baseline_on: Any,
    target: str | None,
    target_on: Any,
    profile: tuple[str, ...],
    portfolio: str | None,
    projects: tuple[str, ...],
    objectives: tuple[str, ...],
    owner: str | None,
    comment: str | None,
    as_json: bool,
) -> None:
    """Change BENEFIT (an id, or a name only one benefit has): the options given replace
    those fields (a repeated option replaces the whole list); its measurements stay and are
    read against the new plan.

    \b
    Examples:
      pmo benefit update "Cheaper invoices" --target 7.5 --owner "Sam Roe"
      pmo benefit update 3f2a9c01be77 --target-on 2027-06-30 --project LEDGER --project AP --json
    """
    ws = current_workspace()
    changes: dict[str, Any] = {
        field: value
        for field, value in (
            ("name", name),
            ("measure", measure),
            ("unit", unit),
            ("portfolio", portfolio),
            ("owned_by", owner),
            ("description", comment),
            ("baseline_on", _day(baseline_on)),
            ("target_on", _day(target_on)),
        )
        if value is not None
    }
    if baseline is not None:
        changes["baseline"] = _number(baseline, "--baseline")
    if target is not None:
        changes["target"] = _number(target, "--target")
    if profile:
        changes["profile"] = _profile(profile)
    if projects:
        changes["projects"] = projects
    if objectives:
        changes["objectives"] = objectives
    try:
        stored = update_benefit(ws, benefit_ref, **changes)
    except InvalidInputError as exc:
        # The API names the field at fault; the command line names the option.
        where = _OPTIONS.get(exc.where or "", "BENEFIT" if exc.where == "benefit" else exc.where)
        raise InvalidInputError(exc.message, where=where) from None
    if as_json:
        echo_json(record_json(stored))
        return
    click.echo(
        f"Updated {escape_controls(stored.name)} ({stored.id}): {', '.join(sorted(changes))}"
    )


@benefit.command(name="remove", short_help="Remove a benefit from the register.")
@click.argument("benefit_ref", metavar="BENEFIT")
@click.option(
    "--force", is_flag=True, help="Remove its measurements with it (refused without, if any)."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def remove(benefit_ref: str, force: bool, as_json: bool) -> None:
    """Remove BENEFIT (an id, or a name only one benefit has) from the register. A measured
    benefit is refused (exit code 4) unless --force, which removes its measurements with it;
    the journal keeps every removed record.

    \b
    Examples:
      pmo benefit remove "Duplicate entry"
      pmo benefit remove "Cheaper invoices" --force --json
    """
    ws = current_workspace()
    removed = remove_benefit(ws, benefit_ref, force=force)
    if as_json:
        data = record_json(removed.benefit)
        data["measurements"] = [m.to_document(every_field=True) for m in removed.measurements]
        echo_json(data)
        return
    count = len(removed.measurements)
    withal = f" with its {count} measurement(s)" if count else ""
    click.echo(f"Removed {escape_controls(removed.benefit.name)} ({removed.benefit.id}){withal}")
