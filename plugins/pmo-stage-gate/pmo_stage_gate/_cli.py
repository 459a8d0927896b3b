"""``pmo stage-gate``: print the stage-gate deliverables and their templates."""

from __future__ import annotations

import click

from ._methodology import STAGE_GATE

_ARTIFACTS = {a.name: a for a in STAGE_GATE.artifacts}


@click.group(name="stage-gate")
def stage_gate() -> None:
    """The stage-gate methodology: its deliverables and their templates."""


@stage_gate.command(name="artifacts")
def artifacts() -> None:
    """List the deliverables, the stage that produces each and the gate that needs it."""
    needed_at: dict[str, str] = {}
    for gate in STAGE_GATE.gates:
        for criterion in gate.criteria:
            if criterion.artifact:
                needed_at.setdefault(criterion.artifact, gate.name)
    rows = [("artifact", "stage", "needed at", "summary")]
    for phase in STAGE_GATE.phases:
        for name in phase.artifacts:
            rows.append((name, phase.name, needed_at.get(name, "-"), _ARTIFACTS[name].summary))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        )


@stage_gate.command(name="template")
@click.argument("artifact", type=click.Choice(sorted(_ARTIFACTS)))
def template(artifact: str) -> None:
    """Print the Markdown template of ARTIFACT (e.g. business-case), to fill in.

    Example: pmo stage-gate template business-case > alpha-business-case.md
    """
    click.echo(_ARTIFACTS[artifact].template, nl=False)
