"""``pmo stage-gate``: print the stage-gate deliverables and their templates."""

from __future__ import annotations

import click

from pmo_core.cli import echo_json, echo_table, limit_option, limited

from ._methodology import STAGE_GATE

_ARTIFACTS = {a.name: a for a in STAGE_GATE.artifacts}


@click.group(name="stage-gate")
def stage_gate() -> None:
    """The stage-gate methodology: its deliverables and their templates."""


@stage_gate.command(name="artifacts")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def artifacts(limit: int | None, as_json: bool) -> None:
    """List the deliverables, the stage that produces each and the gate that needs it.

    \b
    Examples:
      pmo stage-gate artifacts
      pmo stage-gate artifacts --json
    """
    needed_at: dict[str, str] = {}
    for gate in STAGE_GATE.gates:
        for criterion in gate.criteria:
            if criterion.artifact:
                needed_at.setdefault(criterion.artifact, gate.name)
    rows = limited(
        [
            {
                "artifact": name,
                "stage": phase.name,
                "needed_at": needed_at.get(name),
                "summary": _ARTIFACTS[name].summary,
            }
            for phase in STAGE_GATE.phases
            for name in phase.artifacts
        ],
        limit,
        as_json=as_json,
    )
    if as_json:
        echo_json(rows)
        return
    echo_table(["artifact", "stage", "needed at", "summary"], [list(r.values()) for r in rows])


@stage_gate.command(name="template")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. business-case), to fill in.

    \b
    Examples:
      pmo stage-gate template business-case > alpha-business-case.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)
