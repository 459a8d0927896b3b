"""``pmo hybrid``: the artifacts and their templates, and a project's points."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import click

from pmo_core import InvalidInputError, current_workspace, escape_controls
from pmo_core.cli import echo_json, echo_table

from ._methodology import HYBRID, points_done

_ARTIFACTS = {a.name: a for a in HYBRID.artifacts}


@click.group(name="hybrid")
def hybrid() -> None:
    """The hybrid methodology: gated stages over agile delivery in iterations.

    \b
    Examples:
      pmo hybrid artifacts
      pmo hybrid template release-plan > app-release-plan.md
      pmo hybrid points APP --json
    """


@hybrid.command(name="artifacts", short_help="List the artifacts and their gates.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def artifacts(as_json: bool) -> None:
    """List the artifacts, the stage that produces each and the gate that needs it.

    \b
    Examples:
      pmo hybrid artifacts --json
    """
    needed_at: dict[str, str] = {}
    for gate in HYBRID.gates:
        for criterion in gate.criteria:
            if criterion.artifact:
                needed_at.setdefault(criterion.artifact, gate.name)
    rows = [
        {
            "artifact": name,
            "stage": phase.name,
            "needed_at": needed_at.get(name, "-"),
            "summary": _ARTIFACTS[name].summary,
        }
        for phase in HYBRID.phases
        for name in phase.artifacts
    ]
    if as_json:
        echo_json(rows)
        return
    echo_table(
        ["artifact", "stage", "needed at", "summary"],
        [[r["artifact"], r["stage"], r["needed_at"], r["summary"]] for r in rows],
    )


@hybrid.command(name="template", short_help="Print an artifact's Markdown template.")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. release-plan), to fill in.

    \b
    Examples:
      pmo hybrid template release-plan > app-release-plan.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)


@hybrid.command(name="points", short_help="Show a project's story points per iteration.")
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def points(project: str, as_json: bool) -> None:
    """Show PROJECT's story points per iteration: planned, done, and the share done.

    \b
    Examples:
      pmo hybrid points APP
      pmo hybrid points APP --json
    """
    ws = current_workspace()
    entity = ws.get(project)
    if entity.kind != "project":
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}; points are a project's", where="PROJECT"
        )
    items = ws.view().work_items(entity.id)
    names = {i.iteration or "(backlog)" for i in items if i.points is not None}
    rows = []
    for name in sorted(names):
        group = [i for i in items if (i.iteration or "(backlog)") == name]
        done, planned = points_done(group)
        rows.append({"iteration": name, "planned": _n(planned), "done": _n(done)})
    done, planned = points_done(items)
    share = (
        None
        if planned == 0
        else _n((done / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    )
    data = {
        "project": entity.id,
        "planned": _n(planned),
        "done": _n(done),
        "percent_done": share,
        "iterations": rows,
    }
    if as_json:
        echo_json(data)
        return
    of = f" ({share}%)" if share is not None else ""
    click.echo(escape_controls(f"{entity.id}: {data['done']} of {data['planned']} points done{of}"))
    for row in rows:
        click.echo(escape_controls(f"  {row['iteration']}: {row['done']} of {row['planned']}"))


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"
