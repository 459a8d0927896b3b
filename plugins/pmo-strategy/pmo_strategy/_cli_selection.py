"""``pmo selection`` and ``pmo scenario``: portfolio selection, scenarios and the frontier."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import click

from pmo_core import InvalidInputError, Money, current_workspace, escape_controls
from pmo_core.cli import echo_json, echo_table

from ._candidates import SelectionInput, parse_budget, selection_input, settings_of
from ._scenarios import (
    Scenario,
    add_scenario,
    compare_scenarios,
    decide_scenario,
    remove_scenario,
)
from ._scenarios import (
    scenario as find_scenario,
)
from ._scenarios import (
    scenarios as all_scenarios,
)
from ._selection import Selection, amount_text, frontier, select


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else escape_controls(str(value))


def _budgets(values: Sequence[str], currency: str) -> dict[int, Money] | None:
    if not values:
        return None
    return dict(parse_budget(v, currency) for v in values)


def _input(
    under: str,
    model: str | None,
    budgets: Sequence[str],
    no_capacity: bool,
    forced_in: Sequence[str] = (),
    forced_out: Sequence[str] = (),
) -> SelectionInput:
    ws = current_workspace()
    scope = ws.view().find(under)
    currency = scope.currency if scope is not None else "EUR"
    return selection_input(
        ws,
        under,
        model=model,
        budgets=_budgets(budgets, currency),
        capacity=False if no_capacity else None,
        forced_in=forced_in,
        forced_out=forced_out,
    )


def selection_json(found: SelectionInput, result: Selection) -> dict[str, Any]:
    """A selection as JSON: money as strings with the currency, hours as strings.

    Example::

        selection_json(found, select(found.candidates, found.limits))["value"]  # '272'
    """
    cur = found.currency
    values = {c.key: c.value for c in found.candidates}
    return {
        "under": found.scope.id,
        "model": found.model,
        "currency": cur,
        "value": str(result.value),
        "chosen": [{"key": k, "value": str(values[k])} for k in result.chosen],
        "left_out": [
            {"key": k, "value": str(values[k]), "reason": r} for k, r in result.left_out.items()
        ],
        "spend": {str(y): f"{a} {cur}" for y, a in result.spend.items()},
        "constraints": [
            {
                "name": c.name,
                "kind": c.kind,
                "limit": f"{c.limit} {cur}" if c.kind == "budget" else str(c.limit),
                "used": f"{c.used} {cur}" if c.kind == "budget" else str(c.used),
                "binding": c.binding,
            }
            for c in result.constraints
        ],
        "marginals": [
            {
                "constraint": m.constraint,
                "step": f"{m.step} {cur}" if m.constraint.startswith("budget") else str(m.step),
                "gain": str(m.gain),
                "per_unit": str(m.per_unit),
            }
            for m in result.marginals
        ],
    }


def _unit(name: str, currency: str) -> str:
    return currency if name.startswith("budget") else "h"


def _print_selection(found: SelectionInput, result: Selection) -> None:
    cur = found.currency
    values = {c.key: c.value for c in found.candidates}
    click.echo(
        f"Selection under {found.scope.id} (model {found.model}): value {result.value}, "
        f"{len(result.chosen)} of {len(found.candidates)} proposals chosen"
    )
    click.echo("")
    echo_table(["chosen", "value"], [(k, values[k]) for k in result.chosen])
    click.echo("")
    echo_table(
        ["left out", "value", "reason"], [(k, values[k], r) for k, r in result.left_out.items()]
    )
    click.echo("")
    echo_table(
        ["limit", "used", "of", "binding"],
        [
            (
                c.name,
                amount_text(c.used, _unit(c.name, cur)),
                amount_text(c.limit, _unit(c.name, cur)),
                "yes" if c.binding else "no",
            )
            for c in result.constraints
        ],
    )
    if result.marginals:
        click.echo("")
        echo_table(
            ["relax", "by", "value gained"],
            [
                (m.constraint, amount_text(m.step, _unit(m.constraint, cur)), m.gain)
                for m in result.marginals
            ],
        )


_UNDER = click.option(
    "--under",
    required=True,
    metavar="KEY",
    help="The portfolio or program whose proposals compete.",
)
_MODEL = click.option(
    "--model", help="The scoring model (default: [settings.strategy.selection] model)."
)
_BUDGET = click.option(
    "--budget",
    "budgets",
    multiple=True,
    metavar="YEAR=AMOUNT",
    help="A year's budget, e.g. 2027=1200000 (repeat; default: [settings.strategy.selection]).",
)
_NO_CAPACITY = click.option(
    "--no-capacity", is_flag=True, help="Ignore capacity: budgets and the rules only."
)


@click.group()
def selection() -> None:
    """Portfolio selection: the set of proposals of most value under the budget of each year
    and the capacity left per role and month, with the mandatory proposals, dependencies and
    exclusions, solved exactly (HiGHS); and the efficient frontier.

    \b
    Examples:
      pmo selection run --under PF --budget 2027=1200000 --budget 2028=900000
      pmo selection run --under PF --no-capacity --json
      pmo selection frontier --under PF --points 5
    """


@selection.command(name="run", short_help="The best selection of proposals, with its reasons.")
@_UNDER
@_MODEL
@_BUDGET
@_NO_CAPACITY
@click.option("--in", "forced_in", multiple=True, metavar="KEY", help="Force a proposal in.")
@click.option("--out", "forced_out", multiple=True, metavar="KEY", help="Force a proposal out.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def run(
    under: str,
    model: str | None,
    budgets: tuple[str, ...],
    no_capacity: bool,
    forced_in: tuple[str, ...],
    forced_out: tuple[str, ...],
    as_json: bool,
) -> None:
    """Choose the proposals under a portfolio or program that give the most value within the
    budgets and capacity: the chosen ones, the ones left out and why, the binding limits and
    what relaxing each would buy (solved again with the limit a tenth higher, or by the
    steps of [settings.strategy.selection]).

    \b
    Examples:
      pmo selection run --under PF --budget 2027=1200000
      pmo selection run --under PF --out TMS --json
    """
    ws = current_workspace()
    found = _input(under, model, budgets, no_capacity, forced_in, forced_out)
    settings = settings_of(ws)
    result = select(
        found.candidates,
        found.limits,
        budget_step=settings.budget_step.amount if settings.budget_step else None,
        capacity_step=settings.capacity_step,
    )
    if as_json:
        echo_json(selection_json(found, result))
        return
    _print_selection(found, result)


@selection.command(name="frontier", short_help="Value against total budget: the frontier.")
@_UNDER
@_MODEL
@_BUDGET
@_NO_CAPACITY
@click.option(
    "--points",
    type=click.IntRange(min=2, max=200),
    default=11,
    show_default=True,
    help="How many budgets to solve for.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def frontier_(
    under: str,
    model: str | None,
    budgets: tuple[str, ...],
    no_capacity: bool,
    points: int,
    as_json: bool,
) -> None:
    """The efficient frontier: the best value for each total budget, every year's budget
    scaled alike from the least that fits the mandatory proposals to what every proposal
    costs, each point an exact solve.

    \b
    Examples:
      pmo selection frontier --under PF --points 5
      pmo selection frontier --under PF --budget 2027=1200000 --json
    """
    found = _input(under, model, budgets, no_capacity)
    cur = found.currency
    curve = frontier(found.candidates, found.limits, points)
    if as_json:
        echo_json(
            [
                {
                    "factor": str(p.factor),
                    "budget": f"{p.budget} {cur}",
                    "budgets": {str(y): f"{a} {cur}" for y, a in p.budgets.items()},
                    "value": str(p.value),
                    "chosen": list(p.chosen),
                }
                for p in curve
            ]
        )
        return
    echo_table(
        ["budget", "value", "chosen"],
        [(amount_text(p.budget, cur), p.value, len(p.chosen)) for p in curve],
    )


# ------------------------------------------------------------------------------- scenarios


def _scenario_json(s: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = s.model_dump(mode="json", exclude={"version"})
    data["budgets"] = {str(y): str(m) for y, m in s.budgets.items()}
    if s.result is not None:
        cur = s.result.currency
        data["result"]["spend"] = {str(y): f"{a} {cur}" for y, a in s.result.spend.items()}
    return data


@click.group()
def scenario() -> None:
    """Named what-if selection scenarios: save the parameters of a selection with its result,
    compare scenarios side by side, and decide one (selected proposals go to their first gate,
    the others get a decision "not selected").

    \b
    Examples:
      pmo scenario add base --under PF --budget 2027=1200000
      pmo scenario add lean --under PF --budget 2027=900000 --out TMS
      pmo scenario list
      pmo scenario compare base lean
      pmo scenario decide lean
      pmo scenario remove base
    """


@scenario.command(name="add", short_help="Save a scenario and solve it.")
@click.argument("name")
@_UNDER
@_MODEL
@_BUDGET
@_NO_CAPACITY
@click.option("--in", "forced_in", multiple=True, metavar="KEY", help="Force a proposal in.")
@click.option("--out", "forced_out", multiple=True, metavar="KEY", help="Force a proposal out.")
@click.option("--comment", default="", help="What the scenario is about.")
@click.option("--replace", is_flag=True, help="Replace a scenario of that name.")
@click.option("--json", "as_json", is_flag=True, help="Print the scenario as JSON.")
def add(
    name: str,
    under: str,
    model: str | None,
    budgets: tuple[str, ...],
    no_capacity: bool,
    forced_in: tuple[str, ...],
    forced_out: tuple[str, ...],
    comment: str,
    replace: bool,
    as_json: bool,
) -> None:
    """Save a scenario (its parameters) and its result, solved now.

    \b
    Examples:
      pmo scenario add lean --under PF --budget 2027=900000 --out TMS --comment "Cuts"
    """
    ws = current_workspace()
    scope = ws.view().find(under)
    parsed = _budgets(budgets, scope.currency if scope is not None else "EUR") or {}
    try:
        draft = Scenario(
            name=name,
            under=under,
            model=model,
            budgets=parsed,
            forced_in=forced_in,
            forced_out=forced_out,
            capacity=not no_capacity,
            description=comment,
        )
    except ValueError:
        raise InvalidInputError(
            f"{name!r} is not a scenario name: letters, digits, '.', '_' and '-'", where="NAME"
        ) from None
    stored = add_scenario(ws, draft, replace=replace)
    if as_json:
        echo_json(_scenario_json(stored))
        return
    result = stored.result
    assert result is not None  # add_scenario solves it
    click.echo(
        f"Scenario {_text(name)}: value {result.value}, chose {', '.join(result.chosen) or 'none'}"
    )


@scenario.command(name="list", short_help="The saved scenarios.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(limit: int | None, as_json: bool) -> None:
    """The saved scenarios with their last value.

    \b
    Examples:
      pmo scenario list --json
    """
    found = all_scenarios(current_workspace())
    if as_json:
        echo_json([_scenario_json(s) for s in found])
        return
    echo_table(
        ["name", "under", "value", "chosen", "decided"],
        [
            (
                s.name,
                s.under,
                s.result.value if s.result else None,
                len(s.result.chosen) if s.result else None,
                s.decided_on,
            )
            for s in found[:limit]
        ],
    )


@scenario.command(name="show", short_help="One scenario: parameters and result.")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(name: str, as_json: bool) -> None:
    """A scenario's parameters and its last result.

    \b
    Examples:
      pmo scenario show lean --json
    """
    s = find_scenario(current_workspace(), name)
    if as_json:
        echo_json(_scenario_json(s))
        return
    budgets = ", ".join(f"{y}: {m}" for y, m in sorted(s.budgets.items())) or "settings"
    click.echo(f"Scenario {_text(s.name)} under {_text(s.under)}: {_text(s.description)}")
    capacity = "on" if s.capacity else "off"
    click.echo(f"Model {s.model or 'settings'}; budgets {budgets}; capacity {capacity}")
    if s.forced_in or s.forced_out:
        click.echo(
            f"Forced in: {', '.join(s.forced_in) or '-'}; out: {', '.join(s.forced_out) or '-'}"
        )
    if s.result is not None:
        r = s.result
        click.echo(
            f"Value {r.value} (solved {r.solved_on}); binding: {', '.join(r.binding) or 'none'}"
        )
        echo_table(["chosen"], [(k,) for k in r.chosen])
        echo_table(["left out", "reason"], list(r.left_out.items()))
    if s.decided_on:
        click.echo(f"Decided on {s.decided_on}")


@scenario.command(name="compare", short_help="Scenarios side by side.")
@click.argument("names", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def compare(names: tuple[str, ...], as_json: bool) -> None:
    """Two scenarios or more side by side: value, spend per year, how many proposals they
    choose, and each proposal that some choose and others do not.

    \b
    Examples:
      pmo scenario compare base lean
      pmo scenario compare base lean cuts --json
    """
    c = compare_scenarios(current_workspace(), names)
    results = [(s.name, s.result) for s in c.scenarios if s.result is not None]
    years = sorted({y for _, r in results for y in r.spend})
    if as_json:
        echo_json(
            {
                "scenarios": [_scenario_json(s) for s in c.scenarios],
                "common": list(c.common),
                "differences": {k: list(v) for k, v in c.differences.items()},
            }
        )
        return
    rows: list[list[Any]] = [["value", *(r.value for _, r in results)]]
    for y in years:
        rows.append(
            [
                f"spend {y}",
                *(amount_text(r.spend.get(y, Decimal(0)), r.currency) for _, r in results),
            ]
        )
    rows.append(["chosen", *(len(r.chosen) for _, r in results)])
    for key, who in c.differences.items():
        rows.append([key, *("chosen" if n in who else "-" for n, _ in results)])
    echo_table(["", *(n for n, _ in results)], rows)
    click.echo(f"Chosen by all: {', '.join(c.common) or 'none'}")


@scenario.command(name="decide", short_help="Turn a scenario into decisions (gate requests).")
@click.argument("name")
@click.option("--comment", default="", help="Why the board decided so.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def decide(name: str, comment: str, as_json: bool) -> None:
    """Decide a scenario as a board would: solve it again on today's figures, request the
    first gate of each selected proposal (its approvers then decide it with `pmo gate
    decide`: governance is never bypassed) and record a decision "not selected" on each
    proposal left out.

    \b
    Examples:
      pmo scenario decide lean --comment "Board of 2027-01-12"
    """
    done = decide_scenario(current_workspace(), name, comment=comment)
    if as_json:
        echo_json(
            [{"key": d.key, "action": d.action, "record": d.record, "note": d.note} for d in done]
        )
        return
    for d in done:
        what = {
            "requested": f"requested {d.note} (action {d.record[:8]})",
            "rejected": f"not selected (decision {d.record[:8]}): {d.note}",
            "skipped": f"skipped: {d.note}",
        }[d.action]
        click.echo(f"{_text(d.key)}: {_text(what)}")


@scenario.command(name="remove", short_help="Remove a scenario.")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the removed scenario as JSON.")
def remove(name: str, as_json: bool) -> None:
    """Remove a saved scenario (the decisions it led to stay).

    \b
    Examples:
      pmo scenario remove base
    """
    gone = remove_scenario(current_workspace(), name)
    if as_json:
        echo_json(_scenario_json(gone))
        return
    click.echo(f"Removed scenario {_text(name)}")
