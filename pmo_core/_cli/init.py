"""``pmo init``: create a workspace with a profile's plugins enabled."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ._output import ChoiceType, paint

PROFILE_CHOICES = ("starter", "controlling", "directive")


@click.command()
@click.argument("directory", required=False)
@click.option(
    "--profile",
    type=ChoiceType(PROFILE_CHOICES),
    default="starter",
    show_default=True,
    help="Which plugins to enable: starter (supportive governance, reports, CSV), "
    "controlling or directive (add the stage-gate methodology).",
)
@click.option("--name", help="The PMO's name (default: the directory name).")
@click.pass_context
def init(ctx: click.Context, directory: str | None, profile: str, name: str | None) -> None:
    """Create a workspace: a pmo.toml and a store in DIRECTORY (default: -w, else '.').

    Start small and grow: the starter profile runs a supportive PMO (status, RAID,
    reports, CSV); 'pmo plugins enable stage-gate' or the controlling / directive
    profiles add a methodology with gates.

    \b
    Examples:
      pmo init acme --name "Acme PMO"
      pmo init acme --profile controlling
      pmo -w acme plugins list
    """
    from .._config import CONFIG_FILE
    from .._errors import ConflictError, InvalidInputError
    from .._workspace import PROFILES, Workspace
    from . import CliState

    state = ctx.find_object(CliState)
    target = directory or (state.workspace_path if state and state.workspace_path else ".")
    w = "" if target == "." else f"-w {shlex.quote(target)} "
    if Path(target).exists() and not Path(target).is_dir():
        raise InvalidInputError(f"{target} exists and is not a directory", where="DIRECTORY")
    if (Path(target) / CONFIG_FILE).exists():
        raise ConflictError(
            f"{Path(target).resolve()} is already a workspace ({CONFIG_FILE} exists): "
            f"use it (pmo {w}doctor) or choose another directory"
        )
    with Workspace.init(target, profile=profile, name=name) as ws:
        plugins, model, methodology = PROFILES[profile]
        click.echo(f"Created workspace {ws.config.name!r} in {ws.root}")
        click.echo(f"  profile:          {profile}")
        click.echo(f"  plugins enabled:  {', '.join(plugins)}")
        click.echo(f"  governance model: {model}")
        click.echo(f"  methodology:      {methodology or '(none)'}")
        click.echo(f"  store:            {ws.config.store}")
        for status in ws.host.problems():
            hint = ""
            if status.error and "not installed" in status.error:
                hint = f" (pip install pmo-{status.id})"
            click.echo(
                paint(f"note: plugin {status.id!r}: {status.error}{hint}", "amber"), err=True
            )
    click.echo("Next:")
    click.echo(f"  pmo {w}plugins list")
    click.echo(f'  pmo {w}portfolio create PF --name "My portfolio"')
