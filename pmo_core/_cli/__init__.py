"""The ``pmo`` command line: a thin layer over the Workspace API.

Start-up is kept light: ``pmo --help`` imports click and reads two small files (``pmo.toml``
and the command cache); it imports no plugin and no pydantic model. Every command, built-in
or contributed by a plugin, is registered through the ``pmo_cli_commands`` hook; the names
and summaries are cached per environment and set of enabled plugins so help can list them
without loading anything.
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any

import click

from .._version import __version__

if TYPE_CHECKING:
    from .._workspace import Workspace


class CliState:
    """Per-invocation state shared by every command (``ctx.obj``)."""

    def __init__(self, workspace: str | None, debug: bool, strict: bool, trace: bool) -> None:
        self.workspace_path = workspace
        self.debug = debug
        self.strict = strict
        self.trace = trace
        self._workspace: Any = None

    def workspace(self) -> Any:
        """Open the workspace once per invocation (closed when the command ends)."""
        if self._workspace is None:
            from .._workspace import Workspace

            env = dict(os.environ)
            if self.strict:
                env["PMO_STRICT"] = "1"
            if self.trace:
                env["PMO_TRACE"] = "1"
            self._workspace = Workspace.open(self.workspace_path, environ=env)
            ctx = click.get_current_context()
            ctx.call_on_close(self._workspace.close)
        return self._workspace


def current_workspace() -> Workspace:
    """The workspace of the ``pmo`` command being run, for plugin commands.

    It is the one ``pmo -w DIR`` (or ``PMO_WORKSPACE``, or the nearest ``pmo.toml`` upward)
    names, opened once per invocation with the command's ``--strict`` / ``--trace`` switches
    and closed when the command ends. Outside a ``pmo`` command it raises
    :class:`~pmo_core.PmoError`.

    Example::

        import click
        from pmo_core import current_workspace

        @click.command()
        def count():
            "Count the projects."
            click.echo(len(current_workspace().view().projects()))
    """
    from .._errors import PmoError

    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(CliState) if ctx is not None else None
    if state is None:
        raise PmoError("current_workspace() works only inside a running pmo command")
    workspace: Workspace = state.workspace()
    return workspace


def _enabled_for_help(path: str | None = None) -> tuple[str, ...]:
    """The plugins enabled in the workspace at ``path`` (or found upward), else none."""
    from pathlib import Path

    from .._config import WorkspaceConfig, find_workspace
    from .._errors import PmoError

    try:
        root = Path(path).resolve() if path else find_workspace()
        return WorkspaceConfig.load(root).enabled
    except PmoError:
        return ()


def _manifest_name(enabled: tuple[str, ...]) -> str:
    from .._plugins.index import environment_fingerprint

    key = "\0".join(
        (
            __version__,
            environment_fingerprint(),
            *sorted(enabled),
            os.environ.get("PMO_PLUGINS_ALLOW", ""),
            os.environ.get("PMO_PLUGINS_DENY", ""),
        )
    )
    return f"commands-{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]}.json"


def _load_commands(enabled: tuple[str, ...]) -> dict[str, Any]:
    """Load the host and return {name: PmoCommand}; refresh the help cache."""
    from .._config import env_list
    from .._plugins.host import PluginHost
    from .._plugins.index import write_json_cache

    host = PluginHost(
        enabled=enabled,
        allow=env_list("PMO_PLUGINS_ALLOW"),
        deny=env_list("PMO_PLUGINS_DENY") or (),
    )
    commands = {c.name: c for c in host.commands()}
    write_json_cache(
        _manifest_name(enabled),
        {"commands": {n: {"summary": c.summary, "plugin": c.plugin} for n, c in commands.items()}},
    )
    return commands


class _CachedCommand(click.Command):
    """Stands in for a command in ``pmo --help``; never invoked."""


class PmoGroup(click.Group):
    """The root group: lists commands from the cache, loads them only to run them."""

    def _manifest(self, ctx: click.Context) -> dict[str, dict[str, str]]:
        cached = ctx.meta.get("pmo.manifest")
        if cached is None:
            from .._plugins.index import read_json_cache

            enabled = _enabled_for_help()
            data = read_json_cache(_manifest_name(enabled))
            if data is None or not isinstance(data.get("commands"), dict):
                commands = _load_commands(enabled)
                cached = {
                    n: {"summary": c.summary, "plugin": c.plugin} for n, c in commands.items()
                }
            else:
                cached = data["commands"]
            ctx.meta["pmo.manifest"] = cached
        return dict(cached)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._manifest(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self._manifest(ctx).get(cmd_name)
        if entry is None:
            return None
        return _CachedCommand(cmd_name, short_help=entry["summary"], help=entry["summary"])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        # The group callback (which builds ctx.obj) runs after this, so read the parsed option.
        path = ctx.params.get("workspace")
        commands = _load_commands(_enabled_for_help(path))
        ctx.meta["pmo.manifest"] = {
            n: {"summary": c.summary, "plugin": c.plugin} for n, c in commands.items()
        }
        if name in commands:
            return name, commands[name].command, args[1:]
        return super().resolve_command(ctx, args)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The root's own options (-w, --debug, ...) are parsed here, before invoke().
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _NO_ARGS_IS_HELP:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        from .._errors import PmoError

        try:
            return super().invoke(ctx)
        except _NO_ARGS_IS_HELP:
            raise  # 'pmo raid' alone prints the group's help, not an error
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            raise  # the reader went away ('pmo journal | head'): click exits quietly
        except PmoError as exc:
            if _debug(ctx):
                raise
            raise cli_error(str(exc), exc.exit_code) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            where = _origin(exc)
            raise cli_error(
                f"unexpected {type(exc).__name__}: {exc}{where} "
                "(run with --debug for the traceback)",
                exit_code=1,
            ) from None


# click >= 8.2 raises this (a UsageError) to show a group's help when it is run bare.
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _one_line(exc: click.UsageError) -> PmoCliError:
    """A usage error as one line, like every other user error, naming where the usage is."""
    path = exc.ctx.command_path if exc.ctx is not None else "pmo"
    return cli_error(f"{exc.format_message()} (see '{path} --help')", exc.exit_code)


def _debug(ctx: click.Context) -> bool:
    state = ctx.obj
    return bool(isinstance(state, CliState) and state.debug) or os.environ.get("PMO_DEBUG") == "1"


def _origin(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" in {os.path.basename(last.filename)}:{last.lineno}"


class PmoCliError(click.ClickException):
    """A user error: one line on stderr and a non-zero exit (``exit_code`` per subclass)."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


_ERROR_CLASSES: dict[int, type[PmoCliError]] = {1: PmoCliError}


def cli_error(message: str, exit_code: int = 1) -> PmoCliError:
    """A :class:`PmoCliError` that exits with ``exit_code``.

    click keeps the exit code on the class, so there is one small subclass per code.
    """
    cls = _ERROR_CLASSES.get(exit_code)
    if cls is None:
        cls = type(f"PmoCliError{exit_code}", (PmoCliError,), {"exit_code": exit_code})
        _ERROR_CLASSES[exit_code] = cls
    return cls(message)


@click.group(cls=PmoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False),
    envvar="PMO_WORKSPACE",
    help="Workspace directory (default: the nearest pmo.toml upward).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("--strict", is_flag=True, help="Fail when any enabled plugin fails to load.")
@click.option("--trace", is_flag=True, help="Log every hook call with its duration.")
@click.version_option(__version__, prog_name="pmo", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, debug: bool, strict: bool, trace: bool) -> None:
    """pmo: run a project, program or portfolio management office, grown with plugins.

    Start with 'pmo init' (or 'pmo demo' for a sample), then 'pmo plugins list'.
    Every command has its own help: 'pmo COMMAND --help'.

    \b
    Examples:
      pmo demo pmo-demo
      pmo -w pmo-demo project list --under DIGITAL
      pmo -w pmo-demo gate check AI-ASSIST
      pmo init acme --profile controlling
    """
    if trace or os.environ.get("PMO_TRACE", "").strip().lower() in {"1", "true", "yes", "on"}:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)
        trace = True
    ctx.obj = CliState(workspace, debug, strict, trace)


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="pmo")
