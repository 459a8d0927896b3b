"""``pmo init``: create a workspace, from a profile the installed plugins offer."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .._text import escape_controls
from ._output import echo_line, paint


@click.command()
@click.argument("directory", required=False)
@click.option(
    "--profile",
    metavar="NAME",
    help="The profile to start from (plugins, governance model, methodology), from those "
    "the installed plugins offer: with pmo-governance and pmo-stage-gate, starter "
    "(supportive governance, reports, CSV), controlling or directive (add the stage-gate "
    "methodology). Default: the lightest one installed; with none, a bare workspace.",
)
@click.option("--name", help="The PMO's name (default: the directory name).")
@click.pass_context
def init(ctx: click.Context, directory: str | None, profile: str | None, name: str | None) -> None:
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
    from .._errors import ConflictError, InvalidInputError
    from .._locate import CONFIG_FILE
    from .._redact import redact
    from .._services.plugins import profiles
    from .._workspace import Workspace
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
    environ = state.environ() if state else None
    if profile is None:
        offered = profiles(environ)
        profile = offered[0].name if offered else None
    with Workspace.init(target, profile=profile, name=name, environ=environ) as ws:
        cfg = ws.config
        echo_line(f"Created workspace {cfg.name!r} in {ws.root}")
        click.echo(f"  profile:          {profile or '(none: a bare workspace)'}")
        click.echo(f"  plugins enabled:  {', '.join(cfg.enabled) or '(none)'}")
        click.echo(f"  governance model: {cfg.governance_model}")
        click.echo(f"  methodology:      {cfg.methodology or '(none)'}")
        click.echo(f"  store:            {redact(cfg.store_in_use(ws.environ))}")
        for status in ws.host.problems():
            # A plugin's error quotes what its code raised: escaped before it is coloured.
            note = escape_controls(f"note: plugin {status.id!r}: {status.error}")
            click.echo(paint(note, "amber"), err=True)
    click.echo("Next:")
    click.echo(f"  pmo {w}plugins list")
    click.echo(f'  pmo {w}portfolio create PF --name "My portfolio"')
