"""``pmo objective`` and ``pmo proposal``: objectives, alignment and the ranked pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from pmo_core import (
    Alignment,
    Entity,
    InvalidInputError,
    Money,
    Objective,
    PmoScoringModel,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table, kv_lines, record_json

from ._fields import NAMESPACE, StrategyFields, strategy_fields
from ._objectives import (
    add_objective,
    align,
    find_objective,
    objective_tree,
    remove_objective,
    unalign,
    update_objective,
)
from ._pipeline import PipelineRow, marks, proposal_cost, ranked_pipeline, value_text
from ._scoring import DEFAULT_MODEL

#: The option of ``pmo objective add|update`` that sets each field, for error messages.
_OBJECTIVE_OPTIONS = {
    "name": "NAME",
    "objective.name": "NAME",
    "parent": "--parent",
    "objective.parent": "--parent",
    "owned_by": "--owner",
    "measure": "--measure",
    "target": "--target",
    "weight": "--weight",
    "description": "--comment",
    "portfolio": "--portfolio",
    "objective.portfolio": "--portfolio",
}


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else escape_controls(str(value))


def _named(exc: InvalidInputError) -> InvalidInputError:
    # The API names the field at fault; the command line names the option.
    option = _OBJECTIVE_OPTIONS.get(exc.where or "")
    return exc if option is None else InvalidInputError(exc.message, where=option)


# ---------------------------------------------------------------------------- objective


@click.group()
def objective() -> None:
    """Strategic objectives: a hierarchy under each portfolio, with an owner, a measure and
    a target, and the projects aligned to each with a weight (0 to 1).

    \b
    Examples:
      pmo objective add "Grow revenue" --portfolio PF --weight 2 --owner Dana
      pmo objective add "New markets" --portfolio PF --parent "Grow revenue" \\
          --measure "Revenue abroad" --target "20 % by 2028"
      pmo objective align CRM "New markets" --weight 0.8
      pmo objective list --under PF
    """


@objective.command(name="add", short_help="Add an objective to a portfolio.")
@click.argument("name")
@click.option("--portfolio", required=True, metavar="KEY", help="The portfolio it belongs to.")
@click.option("--parent", metavar="OBJECTIVE", help="The objective it contributes to.")
@click.option("--owner", default="", help="The person accountable for it.")
@click.option("--measure", default="", help="How progress is measured.")
@click.option("--target", default="", help="The value aimed at, as text.")
@click.option("--weight", type=float, default=1.0, show_default=True, help="Its importance.")
@click.option("--comment", default="", help="A description.")
@click.option("--json", "as_json", is_flag=True, help="Print the objective as JSON.")
def objective_add(
    name: str,
    portfolio: str,
    parent: str | None,
    owner: str,
    measure: str,
    target: str,
    weight: float,
    comment: str,
    as_json: bool,
) -> None:
    """Add the objective NAME to --portfolio, under --parent when given.

    \b
    Examples:
      pmo objective add "Grow revenue" --portfolio PF --weight 2 --owner Dana
      pmo objective add "New markets" --portfolio PF --parent "Grow revenue" --json
    """
    ws = current_workspace()
    try:
        created = add_objective(
            ws,
            portfolio,
            name,
            parent=parent,
            owned_by=owner,
            measure=measure,
            target=target,
            weight=weight,
            description=comment,
        )
    except InvalidInputError as exc:
        raise _named(exc) from None
    if as_json:
        echo_json(record_json(created))
        return
    click.echo(f"Added objective {created.id}: {escape_controls(created.name)}")


@objective.command(name="list", short_help="List objectives as a tree.")
@click.option("--under", metavar="KEY", help="Only the objectives of this portfolio.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows (default 50).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def objective_list(under: str | None, limit: int | None, as_json: bool) -> None:
    """List the objectives as a tree (children indented under their parent), with the
    projects aligned to each.

    \b
    Examples:
      pmo objective list
      pmo objective list --under PF --json
    """
    ws = current_workspace()
    view = ws.view()
    portfolio = None
    if under is not None:
        entity = view.entity(under)
        portfolio = entity.id if entity.kind == "portfolio" else None
        if portfolio is None:
            found = [k for k in view.ancestor_ids(entity.id) if view.entity(k).kind == "portfolio"]
            portfolio = found[0] if found else entity.id
    rows = objective_tree(view, portfolio)
    if limit is not None or not as_json:
        rows = rows[: limit or 50]
    if as_json:
        echo_json(
            [
                {
                    **record_json(r.objective),
                    "depth": r.depth,
                    "aligned": [{"project": a.project, "weight": a.weight} for a in r.alignments],
                }
                for r in rows
            ]
        )
        return
    echo_table(
        ["id", "objective", "portfolio", "weight", "owner", "aligned"],
        [
            [
                r.objective.id,
                "  " * r.depth + r.objective.name,
                r.objective.portfolio,
                f"{r.objective.weight:g}",
                r.objective.owned_by,
                ", ".join(f"{a.project} ({a.weight:g})" for a in r.alignments),
            ]
            for r in rows
        ],
    )


@objective.command(name="show", short_help="Show an objective.")
@click.argument("ref", metavar="OBJECTIVE")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def objective_show(ref: str, as_json: bool) -> None:
    """Show OBJECTIVE (an id, or a name only one objective has): its fields, children and
    aligned projects.

    \b
    Examples:
      pmo objective show "Grow revenue"
      pmo objective show 3f2a9c01be77 --json
    """
    view = current_workspace().view()
    found = find_objective(view, ref)
    children = [o for o in view.records(Objective) if o.parent == found.id]
    aligned = sorted(
        (a for a in view.records(Alignment) if a.objective == found.id), key=lambda a: a.project
    )
    if as_json:
        data = record_json(found)
        data["children"] = sorted(o.id for o in children)
        data["aligned"] = [{"project": a.project, "weight": a.weight} for a in aligned]
        echo_json(data)
        return
    parent = next((o.name for o in view.records(Objective) if o.id == found.parent), None)
    lines = [
        ("id", found.id),
        ("name", found.name),
        ("portfolio", found.portfolio),
        ("parent", parent),
        ("weight", f"{found.weight:g}"),
        ("owner", found.owned_by),
        ("measure", found.measure),
        ("target", found.target),
        ("children", ", ".join(sorted(o.name for o in children))),
        ("aligned", ", ".join(f"{a.project} ({a.weight:g})" for a in aligned)),
    ]
    click.echo(kv_lines([(label, _text(value)) for label, value in lines]))


@objective.command(name="update", short_help="Change an objective.")
@click.argument("ref", metavar="OBJECTIVE")
@click.option("--name", help="A new name.")
@click.option("--parent", metavar="OBJECTIVE", help="A new parent ('' for the top).")
@click.option("--owner", help="The person accountable.")
@click.option("--measure", help="How progress is measured.")
@click.option("--target", help="The value aimed at.")
@click.option("--weight", type=float, help="Its importance.")
@click.option("--comment", help="A description.")
@click.option("--json", "as_json", is_flag=True, help="Print the objective as JSON.")
def objective_update(ref: str, as_json: bool, **options: Any) -> None:
    """Change OBJECTIVE's fields; only the options given change. A --parent that would make
    a cycle, or sits in another portfolio, is refused.

    \b
    Examples:
      pmo objective update "New markets" --target "25 % by 2028" --owner Sam
      pmo objective update "New markets" --parent ""
    """
    fields = {
        "name": "name",
        "parent": "parent",
        "owner": "owned_by",
        "measure": "measure",
        "target": "target",
        "weight": "weight",
        "comment": "description",
    }
    changes = {fields[k]: v for k, v in options.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    try:
        changed = update_objective(current_workspace(), ref, **changes)
    except InvalidInputError as exc:
        raise _named(exc) from None
    if as_json:
        echo_json(record_json(changed))
        return
    click.echo(f"Updated objective {changed.id}: {escape_controls(changed.name)}")


@objective.command(name="remove", short_help="Remove an objective (no children, no alignments).")
@click.argument("ref", metavar="OBJECTIVE")
@click.option("--json", "as_json", is_flag=True, help="Print the objective removed as JSON.")
def objective_remove(ref: str, as_json: bool) -> None:
    """Remove OBJECTIVE. Refused (exit 4) while it has child objectives or aligned projects.

    \b
    Examples:
      pmo objective remove "Old goal"
    """
    removed = remove_objective(current_workspace(), ref)
    if as_json:
        echo_json(record_json(removed))
        return
    click.echo(f"Removed objective {removed.id}: {escape_controls(removed.name)}")


@objective.command(name="align", short_help="Align a project to an objective.")
@click.argument("project")
@click.argument("ref", metavar="OBJECTIVE")
@click.option("--weight", type=float, required=True, help="How strongly, from 0 to 1.")
@click.option("--json", "as_json", is_flag=True, help="Print the alignment as JSON.")
def objective_align(project: str, ref: str, weight: float, as_json: bool) -> None:
    """Align PROJECT (a project or proposal under the objective's portfolio) to OBJECTIVE
    with --weight; aligning again changes the weight.

    \b
    Examples:
      pmo objective align CRM "New markets" --weight 0.8
    """
    made = align(current_workspace(), project, ref, weight)
    if as_json:
        echo_json({**made.to_document(every_field=True), "version": made.version})
        return
    click.echo(f"Aligned {made.project} to objective {made.objective} ({made.weight:g})")


@objective.command(name="unalign", short_help="Remove a project's alignment to an objective.")
@click.argument("project")
@click.argument("ref", metavar="OBJECTIVE")
@click.option("--json", "as_json", is_flag=True, help="Print the alignment removed as JSON.")
def objective_unalign(project: str, ref: str, as_json: bool) -> None:
    """Remove the alignment of PROJECT to OBJECTIVE.

    \b
    Examples:
      pmo objective unalign CRM "New markets"
    """
    gone = unalign(current_workspace(), project, ref)
    if as_json:
        echo_json(gone.to_document(every_field=True))
        return
    click.echo(f"Unaligned {gone.project} from objective {gone.objective}")


# ----------------------------------------------------------------------------- proposal


@click.group()
def proposal() -> None:
    """Proposals (projects whose lifecycle is ``proposed``): their strategy fields, their
    scores under every scoring model, and the ranked pipeline.

    \b
    Examples:
      pmo proposal update CRM --cash-flow 2026="-400000 EUR" \\
          --cash-flow 2027="250000 EUR" --wsjf 8,5,3,4 --success-probability 0.7
      pmo proposal list --under PF --model npv
      pmo proposal show CRM
      pmo scoring-model list
    """


def _row_json(row: PipelineRow) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "key": row.entity.id,
        "name": row.entity.name,
        "value": value_text(row.score.value),
        "explanation": row.score.explanation,
        "cost": None if row.cost is None else str(row.cost),
        "mandatory": strategy_fields(row.entity).mandatory,
        "depends_on": list(strategy_fields(row.entity).depends_on),
        "excludes": list(strategy_fields(row.entity).excludes),
    }


@proposal.command(name="list", short_help="The ranked pipeline of proposals.")
@click.option("--under", metavar="KEY", help="Only the proposals of this portfolio or program.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="The scoring model.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows (default 50).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def proposal_list(under: str | None, model: str, limit: int | None, as_json: bool) -> None:
    """List the proposals (of --under and below) ranked by their value under --model, best
    first, with the reason, their cost and their selection constraints.

    \b
    Examples:
      pmo proposal list --under PF
      pmo proposal list --under PF --model wsjf --limit 10 --json
    """
    ws = current_workspace()
    view = ws.view()
    if under is not None:
        view.entity(under)

    def scorer(name: str, keys: Sequence[str]) -> Any:
        try:
            return ws.score(name, keys, view=view)
        except InvalidInputError as exc:
            if exc.where != "model":
                raise
            raise InvalidInputError(exc.message, where="--model") from None

    rows = ranked_pipeline(view, under, model, scorer)
    if limit is not None or not as_json:
        rows = rows[: limit or 50]
    if as_json:
        echo_json([_row_json(r) for r in rows])
        return
    echo_table(
        ["rank", "key", "name", "value", "cost", "constraints", "why"],
        [
            [
                r.rank,
                r.entity.id,
                r.entity.name,
                value_text(r.score.value),
                r.cost,
                ", ".join(r.marks),
                r.score.explanation,
            ]
            for r in rows
        ],
    )


@proposal.command(name="show", short_help="A proposal's strategy fields and every score.")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def proposal_show(key: str, as_json: bool) -> None:
    """Show KEY's strategy fields and its score under every registered scoring model (a
    model that cannot score it says why).

    \b
    Examples:
      pmo proposal show CRM
      pmo proposal show CRM --json
    """
    ws = current_workspace()
    view = ws.view()
    entity = view.entity(key)
    fields = strategy_fields(entity)
    scores: list[dict[str, Any]] = []
    for m in ws.host.records(PmoScoringModel):
        try:
            s = ws.score(m.name, [entity.id], view=view)[entity.id]
        except InvalidInputError as exc:
            scores.append({"model": m.name, "value": None, "explanation": exc.message})
            continue
        scores.append({"model": m.name, "value": value_text(s.value), "explanation": s.explanation})
    cost = proposal_cost(entity)
    if as_json:
        echo_json(
            {
                "key": entity.id,
                "name": entity.name,
                "lifecycle": entity.lifecycle,
                "cost": None if cost is None else str(cost),
                NAMESPACE: _fields_json(fields),
                "scores": scores,
            }
        )
        return
    lines = [
        ("key", entity.id),
        ("name", entity.name),
        ("lifecycle", entity.lifecycle),
        ("cost", cost),
        ("marks", ", ".join(marks(entity))),
        ("costs", _by_year(fields.costs)),
        ("cash flows", _by_year(fields.cash_flows)),
        ("criteria", ", ".join(f"{k}={v:g}" for k, v in sorted(fields.criteria.items()))),
        (
            "wsjf",
            None
            if fields.wsjf is None
            else f"{fields.wsjf.business_value:g},{fields.wsjf.time_criticality:g},"
            f"{fields.wsjf.risk_reduction:g},{fields.wsjf.job_size:g}",
        ),
        ("success", None if fields.success_probability is None else fields.success_probability),
    ]
    click.echo(kv_lines([(label, _text(value)) for label, value in lines]))
    click.echo("")
    echo_table(
        ["model", "value", "why"],
        [[s["model"], s["value"], s["explanation"]] for s in scores],
    )


def _fields_json(fields: StrategyFields) -> dict[str, Any]:
    # Money as strings with their currency, as every --json output shows it.
    data = fields.model_dump(mode="json")
    for name in ("costs", "cash_flows"):
        data[name] = {str(y): str(m) for y, m in sorted(getattr(fields, name).items())}
    return data


def _by_year(values: dict[int, Money]) -> str:
    return ", ".join(f"{year}={values[year]}" for year in sorted(values))


def _year_amounts(texts: Sequence[str], option: str) -> dict[int, Money]:
    out: dict[int, Money] = {}
    for text in texts:
        year, sep, amount = text.partition("=")
        if not sep or not year.strip().isdigit():
            raise InvalidInputError(
                f'{text!r} is not YEAR=AMOUNT CURRENCY (e.g. 2026="-400000 EUR")',
                where=option,
            )
        try:
            out[int(year)] = Money.parse(amount.strip())
        except (InvalidInputError, ValueError):
            raise InvalidInputError(
                f'{text!r} is not YEAR=AMOUNT CURRENCY (e.g. 2026="-400000 EUR")',
                where=option,
            ) from None
    return out


def _number(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidInputError(f"{text!r} is not a number", where=option)
    return value


@proposal.command(name="update", short_help="Set a proposal's strategy fields.")
@click.argument("key")
@click.option("--mandatory/--optional", default=None, help="Whether selection must keep it.")
@click.option("--depends-on", multiple=True, metavar="KEY", help="A project it needs (repeat).")
@click.option("--excludes", multiple=True, metavar="KEY", help="A project it rules out (repeat).")
@click.option("--cost", multiple=True, metavar="YEAR=AMOUNT", help="Its cost in a year.")
@click.option("--cash-flow", multiple=True, metavar="YEAR=AMOUNT", help="Net cash flow.")
@click.option("--criterion", multiple=True, metavar="NAME=SCORE", help="A criterion's score.")
@click.option("--wsjf", metavar="BV,TC,RR,SIZE", help="WSJF inputs.")
@click.option("--success-probability", metavar="P", help="Chance of success, 0 to 1.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
def proposal_update(
    key: str,
    mandatory: bool | None,
    depends_on: tuple[str, ...],
    excludes: tuple[str, ...],
    cost: tuple[str, ...],
    cash_flow: tuple[str, ...],
    criterion: tuple[str, ...],
    wsjf: str | None,
    success_probability: str | None,
    as_json: bool,
) -> None:
    """Set KEY's strategy fields; only the options given change (a repeated option replaces
    the whole list or year table: give every year). Amounts carry their currency
    (``2026="-400000 EUR"``). A bad value names its option and nothing is written.

    \b
    Examples:
      pmo proposal update CRM --mandatory --depends-on ERP
      pmo proposal update CRM --cost 2026="400000 EUR" --cash-flow 2026="-400000 EUR" \\
          --cash-flow 2027="250000 EUR" --cash-flow 2028="250000 EUR"
      pmo proposal update CRM --criterion customer=8 --criterion compliance=3 \\
          --wsjf 8,5,3,4 --success-probability 0.7
    """
    ws = current_workspace()
    entity = ws.view().entity(key)
    data = strategy_fields(entity).model_dump(mode="json")
    if mandatory is not None:
        data["mandatory"] = mandatory
    if depends_on:
        data["depends_on"] = list(depends_on)
    if excludes:
        data["excludes"] = list(excludes)
    if cost:
        data["costs"] = {str(y): str(m) for y, m in _year_amounts(cost, "--cost").items()}
    if cash_flow:
        flows = _year_amounts(cash_flow, "--cash-flow")
        data["cash_flows"] = {str(y): str(m) for y, m in flows.items()}
    if criterion:
        scores = {}
        for text in criterion:
            name, sep, value = text.partition("=")
            if not sep or not name.strip():
                raise InvalidInputError(f"{text!r} is not NAME=SCORE", where="--criterion")
            scores[name.strip()] = float(_number(value, "--criterion"))
        data["criteria"] = scores
    if wsjf is not None:
        parts = wsjf.split(",")
        if len(parts) != 4:
            raise InvalidInputError(f"{wsjf!r} is not BV,TC,RR,SIZE", where="--wsjf")
        bv, tc, rr, size = (float(_number(p, "--wsjf")) for p in parts)
        if min(bv, tc, rr) < 0 or size <= 0:
            raise InvalidInputError(
                "WSJF values must be 0 or more and the job size above 0", where="--wsjf"
            )
        data["wsjf"] = {
            "business_value": bv,
            "time_criticality": tc,
            "risk_reduction": rr,
            "job_size": size,
        }
    if success_probability is not None:
        p = _number(success_probability, "--success-probability")
        if not 0 <= p <= 1:
            raise InvalidInputError(f"{p} is not between 0 and 1", where="--success-probability")
        data["success_probability"] = float(p)
    for option, field in (("--depends-on", "depends_on"), ("--excludes", "excludes")):
        if key in data[field]:
            raise InvalidInputError(f"{key} cannot name itself", where=option)
    StrategyFields.model_validate(data)  # every option checked before anything is written
    changed: Entity = ws.update(key, custom_fields={NAMESPACE: data})
    if as_json:
        echo_json({"key": changed.id, NAMESPACE: _fields_json(strategy_fields(changed))})
        return
    click.echo(f"Updated proposal {changed.id}: {escape_controls(changed.name)}")


# ------------------------------------------------------------------------ scoring-model


@click.group(name="scoring-model")
def scoring_model() -> None:
    """Scoring models: how proposals are valued (``--model`` of ``pmo proposal list``).
    Plugins add models through the ``pmo_scoring_models`` hook.

    \b
    Examples:
      pmo scoring-model list
    """


@scoring_model.command(name="list", short_help="List the registered scoring models.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N rows (default 50).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scoring_model_list(limit: int | None, as_json: bool) -> None:
    """List the scoring models the enabled plugins register, with the plugin that registers
    each.

    \b
    Examples:
      pmo scoring-model list
      pmo scoring-model list --json
    """
    found = list(current_workspace().host.records(PmoScoringModel))
    if limit is not None or not as_json:
        found = found[: limit or 50]
    if as_json:
        echo_json(
            [
                {"name": m.name, "summary": m.summary, "unit": m.unit, "plugin": m.plugin}
                for m in found
            ]
        )
        return
    echo_table(["name", "plugin", "summary"], [[m.name, m.plugin, m.summary] for m in found])
