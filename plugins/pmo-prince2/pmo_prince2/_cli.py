"""``pmo prince2``: the management products and templates, a project's stage plan, the
tolerances the board delegates, and when highlight reports are due."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from pmo_core import (
    Entity,
    InvalidInputError,
    NotFoundError,
    PmoGovernanceRule,
    ToleranceSettings,
    Workspace,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table

from ._highlight import highlight_due
from ._methodology import PRINCE2, planned_stages, stage_number, stage_started

_ARTIFACTS = {a.name: a for a in PRINCE2.artifacts}
_RULE = "tolerance-forecast"
_DIMENSIONS = ("time", "cost", "scope", "risk")


def _follows_prince2(ws: Workspace, entity: Entity) -> bool:
    view = ws.view()
    name = entity.methodology or next(
        (a.methodology for a in view.ancestors(entity.id) if a.methodology), None
    )
    return (name or ws.config.methodology) == "prince2"


@click.group(name="prince2")
def prince2() -> None:
    """PRINCE2: management products, stage plans, tolerances and highlight reports.

    \b
    Examples:
      pmo prince2 artifacts
      pmo prince2 template business-case > alpha-business-case.md
      pmo prince2 stages ALPHA
      pmo prince2 tolerances set ALPHA --cost 0.05 --time 0.10
      pmo prince2 highlight-due --json
    """


@prince2.command(name="artifacts", short_help="List the management products and their gates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def artifacts(as_json: bool) -> None:
    """List the management products, the stage that produces each and the gate that needs it.

    \b
    Examples:
      pmo prince2 artifacts
      pmo prince2 artifacts --json
    """
    needed_at: dict[str, str] = {}
    for gate in PRINCE2.gates:
        for criterion in gate.criteria:
            if criterion.artifact:
                needed_at.setdefault(criterion.artifact, gate.name)
    produced: dict[str, str] = {}
    for phase in PRINCE2.phases:
        for name in phase.artifacts:
            stage = "delivery" if stage_number(phase.name) else phase.name
            produced.setdefault(name, stage)
    rows = [
        {
            "artifact": a.name,
            "stage": produced.get(a.name, "-"),
            "needed_at": needed_at.get(a.name, "-"),
            "summary": a.summary,
        }
        for a in PRINCE2.artifacts
    ]
    if as_json:
        echo_json(rows)
        return
    echo_table(
        ["artifact", "stage", "needed at", "summary"],
        [[r["artifact"], r["stage"], r["needed_at"], r["summary"]] for r in rows],
    )


@prince2.command(name="template", short_help="Print a product's Markdown template.")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. business-case), to fill in.

    \b
    Examples:
      pmo prince2 template project-initiation-documentation > alpha-pid.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)


@prince2.command(name="stages", short_help="Show a project's stage plan.")
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stages(project: str, as_json: bool) -> None:
    """Show PROJECT's stage plan: its stages, the one it is in, and the gate between each.

    The number of delivery stages is the project's prince2.delivery_stages field (set it
    with 'pmo project update KEY --field prince2.delivery_stages=N'); the last of them is the
    final stage, which ends with closing the project.

    \b
    Examples:
      pmo prince2 stages ALPHA
      pmo prince2 stages ALPHA --json
    """
    ws = current_workspace()
    entity = ws.get(project)
    if entity.kind != "project":
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}; only a project has stages", where="PROJECT"
        )
    if not _follows_prince2(ws, entity):
        raise InvalidInputError(
            f"{entity.id} does not follow the prince2 methodology", where="PROJECT"
        )
    planned = planned_stages(entity)
    current = entity.phase or PRINCE2.phases[0].name
    names = [p.name for p in PRINCE2.phases]
    last = names.index("initiation") + planned if planned else len(names) - 1
    # A project past its planned final stage (the plan was cut) still shows where it is.
    last = max(last, names.index(current))
    rows = []
    for phase in PRINCE2.phases[: last + 1]:
        gate = PRINCE2.gate_leaving(phase.name)
        final = planned is not None and stage_number(phase.name) == planned
        rows.append(
            {
                "stage": phase.name,
                "current": phase.name == current,
                "gate": "close the project" if final else (gate.name if gate else "-"),
            }
        )
    data = {
        "project": entity.id,
        "phase": current,
        "delivery_stages": planned,
        "stage_started": (s.isoformat() if (s := stage_started(ws.view(), entity.id)) else None),
        "stages": rows,
    }
    if as_json:
        echo_json(data)
        return
    plan = f"{planned} delivery stages" if planned else "delivery stages not planned yet"
    click.echo(escape_controls(f"{entity.id}: {plan}; now in {current}"))
    echo_table(
        ["", "stage", "then"],
        [["*" if r["current"] else " ", str(r["stage"]), str(r["gate"])] for r in rows],
    )


@prince2.group(name="tolerances", short_help="Show or set the tolerances the board delegates.")
def tolerances() -> None:
    """The tolerances the project board delegates to a project (or a program).

    They are the settings of the 'tolerance-forecast' rule for the entity's scope
    ([governance.rules.tolerance-forecast.scopes.KEY] in pmo.toml), over the governance
    model's; a forecast beyond them raises an exception to the board.

    \b
    Examples:
      pmo prince2 tolerances show ALPHA
      pmo prince2 tolerances set ALPHA --cost 0.05 --risk 16
    """


def _rule_registered(ws: Workspace) -> bool:
    return any(r.name == _RULE for r in ws.host.records(PmoGovernanceRule))


def _level(entity: Entity) -> str:
    if entity.kind not in ("project", "program"):
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}; tolerances are set for a project or a program",
            where="ENTITY",
        )
    return entity.kind


@tolerances.command(name="show", short_help="Show the tolerances in force.")
@click.argument("entity")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(entity: str, as_json: bool) -> None:
    """Show the tolerances in force for ENTITY, where each is set, and what it measures now.

    \b
    Examples:
      pmo prince2 tolerances show ALPHA
      pmo prince2 tolerances show ALPHA --json
    """
    ws = current_workspace()
    target = ws.get(entity)
    level = _level(target)
    settings = ws.rule_settings(_RULE, target.id) if _rule_registered(ws) else None
    scoped = getattr(settings, level, None) or {}
    rows: list[dict[str, Any]] = []
    for check in ws.tolerance_checks(target.id):
        rows.append(
            {
                **check.as_dict(),
                "set_in": "pmo.toml" if check.dimension in scoped else "governance model",
            }
        )
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(f"{target.id}: no tolerance set")
        return
    echo_table(
        ["dimension", "limit", "actual", "state", "set in"],
        [[r["dimension"], r["limit"], r["actual"], r["state"], r["set_in"]] for r in rows],
    )


def _limit(option: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInputError(f"{raw!r} is not a number", where=f"--{option}") from None
    if not value.is_finite() or value < 0:
        raise InvalidInputError(f"{raw!r} must be a number >= 0", where=f"--{option}")
    if option != "risk" and value > 1:
        raise InvalidInputError(
            f"{raw} is a fraction of the plan (0.10 is 10 %), at most 1", where=f"--{option}"
        )
    if option == "risk" and value > 25:
        raise InvalidInputError(
            f"{raw} is a risk score (probability x impact), at most 25", where=f"--{option}"
        )
    return value


@tolerances.command(name="set", short_help="Set the tolerances the board delegates.")
@click.argument("entity")
@click.option("--time", "time_", metavar="FRACTION", help="Schedule slip allowed, e.g. 0.10.")
@click.option("--cost", metavar="FRACTION", help="EAC over BAC allowed, e.g. 0.05.")
@click.option("--scope", metavar="FRACTION", help="Share of work items changed, e.g. 0.20.")
@click.option("--risk", metavar="SCORE", help="Highest open risk score allowed, 1 to 25.")
@click.option("--json", "as_json", is_flag=True, help="Print the tolerances written as JSON.")
def set_(
    entity: str,
    time_: str | None,
    cost: str | None,
    scope: str | None,
    risk: str | None,
    as_json: bool,
) -> None:
    """Set the tolerances the board delegates to ENTITY (a project or a program).

    Writes [governance.rules.tolerance-forecast.scopes.ENTITY] in pmo.toml (the dimensions
    not given keep their value); needs the governance plugin, whose 'tolerance-forecast'
    rule reads them.

    \b
    Examples:
      pmo prince2 tolerances set ALPHA --cost 0.05 --time 0.10
      pmo prince2 tolerances set ERP --cost 0.03
    """
    import tomlkit

    given = {"time": time_, "cost": cost, "scope": scope, "risk": risk}
    values = {k: _limit(k, v) for k, v in given.items() if v is not None}
    if not values:
        raise InvalidInputError("give at least one of --time, --cost, --scope, --risk")
    ws = current_workspace()
    target = ws.get(entity)
    level = _level(target)
    if level == "program" and "scope" in values:
        raise InvalidInputError("a program has no scope tolerance", where="--scope")
    if not _rule_registered(ws):
        raise NotFoundError(
            f"no '{_RULE}' rule is registered, so tolerances per scope would be ignored; "
            "enable the governance plugin ('pmo plugins enable governance')"
        )
    path = ws.config.path
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    table: Any = doc
    for key in ("governance", "rules", _RULE, "scopes", target.id):
        if key not in table:
            table[key] = tomlkit.table(is_super_table=key != target.id)
        table = table[key]
    current = {str(k): str(v) for k, v in dict(table.get(level, {})).items()}
    current.update({k: str(v) for k, v in values.items()})
    ToleranceSettings.model_validate({level: current})  # refuses what the rule would
    inline = tomlkit.inline_table()
    inline.update(dict(sorted(current.items())))
    table[level] = inline
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)  # never a half-written config
    if as_json:
        echo_json({"entity": target.id, "level": level, "tolerances": current})
        return
    shown = ", ".join(f"{k} {v}" for k, v in sorted(current.items()))
    click.echo(f"Tolerances of {level} {target.id}: {shown}")


@prince2.command(name="highlight-due", short_help="Show when highlight reports are due.")
@click.argument("project", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def highlight_due_command(ctx: click.Context, project: str | None, as_json: bool) -> None:
    """Show when each PRINCE2 project's next highlight report is due (every 14 days from its
    latest status report, from initiation on).

    Exit code 0 when none is overdue, 5 when one is, so scripts can test it.

    \b
    Examples:
      pmo prince2 highlight-due
      pmo prince2 highlight-due ALPHA --json
    """
    ws = current_workspace()
    view = ws.view()
    targets = [ws.get(project)] if project else view.projects()
    found = [
        due
        for entity in targets
        if _follows_prince2(ws, entity) and (due := highlight_due(view, entity)) is not None
    ]
    if as_json:
        echo_json([d.as_dict() for d in found])
    elif not found:
        click.echo("no PRINCE2 project reports highlights yet")
    else:
        echo_table(
            ["project", "stage", "last", "due", "state"],
            [
                [d.project, d.phase, d.last, d.due_on or "now", "overdue" if d.overdue else "ok"]
                for d in found
            ],
        )
    if any(d.overdue for d in found):
        ctx.exit(5)
