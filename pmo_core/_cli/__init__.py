"""The ``pmo`` command line: a thin layer over the Workspace API.

Start-up is kept light: ``pmo --help`` imports click and reads two small files (``pmo.toml``
and the command cache); it imports no plugin and no pydantic model. Every command, built-in
or contributed by a plugin, is registered through the ``pmo_cli_commands`` hook; the names
and summaries are cached per environment and set of enabled plugins so help can list them
without loading anything.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._env import env_flag
from .._version import __version__
from . import _catalogue, _globals
from .help_topics import EPILOG

if TYPE_CHECKING:
    from .._plugins.host import PluginHost
    from .._workspace import Workspace


def _config_for_help(path: str | None = None) -> Path | None:
    """The ``pmo.toml`` of the workspace at ``path`` (or found upward), else ``None``."""
    from .._errors import PmoError
    from .._locate import CONFIG_FILE, find_workspace

    try:
        root = Path(path).resolve() if path else find_workspace()
    except PmoError:
        return None
    config = root / CONFIG_FILE
    return config if config.is_file() else None


class CliState:
    """Per-invocation state shared by every command (``ctx.obj``): the flags, and the one
    workspace and plugin host of the command, each made once."""

    def __init__(
        self,
        workspace: str | None,
        debug: bool,
        strict: bool,
        trace: bool,
        user: str | None = None,
    ) -> None:
        self.workspace_path = workspace
        self.user = user
        self.debug = debug
        self.strict = strict
        self.trace = trace
        self._workspace: Workspace | None = None
        self._host: PluginHost | None = None

    def environ(self) -> dict[str, str]:
        """The environment with the command's switches applied (a flag equals its variable)."""
        env = dict(os.environ)
        if self.strict:
            env["PMO_STRICT"] = "1"
        if self.trace:
            env["PMO_TRACE"] = "1"
        if self.user is not None:
            env["PMO_USER"] = self.user
        return env

    def workspace(self) -> Workspace:
        """Open the workspace once per invocation (closed when the command ends)."""
        if self._workspace is None:
            from .._workspace import Workspace

            self._workspace = Workspace.open(self.workspace_path, environ=self.environ())
            ctx = click.get_current_context(silent=True)
            if ctx is not None:
                ctx.call_on_close(self._workspace.close)
        return self._workspace

    def host(self) -> PluginHost:
        """The command's plugin host: the workspace's, or outside a workspace one with no
        plugin enabled."""
        if self._host is None:
            from .._errors import NotFoundError

            try:
                self._host = self.workspace().host
            except NotFoundError:
                from .._plugins.host import PluginHost
                from .._plugins.policy import HostPolicy

                self._host = PluginHost(HostPolicy.from_environment(environ=self.environ()))
        return self._host

    def in_workspace(self) -> bool:
        """Whether the command runs in a workspace (``-w``, ``PMO_WORKSPACE`` or upward)."""
        from .._errors import NotFoundError

        try:
            self.workspace()
        except NotFoundError:
            return False
        return True

    def command(self, name: str) -> click.Command | None:
        """The command called ``name``: a built-in, an enabled plugin's, or a workspace-free
        command of an installed plugin."""
        if name in _catalogue.BUILTIN_NAMES:
            return _builtin(name)
        if name in _ALIASES:  # hidden: not listed by 'pmo --help'
            return _builtin(_ALIASES[name])
        from .._errors import NotFoundError
        from .._records import PmoCommand

        host = self.host()
        commands = host.records(PmoCommand)
        config = self._workspace.config.path if self._workspace is not None else None
        _catalogue.remember(config, commands)
        found = next((c for c in commands if c.name == name), None)
        if found is not None:
            return found.command
        # Not a command of this workspace: perhaps one that needs no workspace (``pmo demo``)
        # from an installed plugin. Only an unknown name costs this look at every plugin.
        from .._services.plugins import installed_host

        try:
            free = installed_host(self.environ()).record(PmoCommand, name)
        except NotFoundError:
            return None
        if free.workspace:
            return None
        _catalogue.remember_free(_catalogue.listing([free]))
        return free.command


#: Hidden aliases of built-in commands: 'pmo plugin new' reads as well as 'pmo plugins new'.
_ALIASES = {"plugin": "plugins"}


def _builtin(name: str) -> click.Command:
    from .._commands import BUILTIN_COMMANDS, LazyCommand

    for command, module, attr, summary in BUILTIN_COMMANDS:
        if command == name:
            return LazyCommand(command, module, attr, summary)
    raise KeyError(name)


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
    return state.workspace()


def _state(ctx: click.Context) -> CliState:
    """The invocation's state, made from the root's parsed options the first time."""
    if not isinstance(ctx.obj, CliState):
        ctx.obj = _new_state(ctx.params)
    return ctx.obj


def _new_state(p: dict[str, Any]) -> CliState:
    trace = bool(p.get("trace")) or env_flag("PMO_TRACE")
    if trace:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)
    return CliState(
        p.get("workspace"),
        bool(p.get("debug")),
        bool(p.get("strict")),
        trace,
        p.get("user"),
    )


class _Walk:
    """Resolves commands for :func:`_globals.lift` before the root has parsed its options:
    with the root options read so far (and a ``-w`` given later, as a guess)."""

    def __init__(self, root: click.Group, ctx: click.Context) -> None:
        self.root = root
        self.ctx = ctx
        self.state: CliState | None = None
        self.params: dict[str, Any] | None = None

    def resolve(
        self, group: click.Command, name: str, root_tokens: list[str], remaining: list[str]
    ) -> click.Command | None:
        from .._commands import LazyCommand

        if group is self.root:
            if name in _catalogue.BUILTIN_NAMES or name in _ALIASES:
                found: click.Command | None = CliState(None, False, False, False).command(name)
            else:
                found = self._state(root_tokens, remaining).command(name)
            return found.load() if isinstance(found, LazyCommand) else found
        if isinstance(group, click.Group):
            sub_ctx = click.Context(group, info_name=name, parent=self.ctx, resilient_parsing=True)
            return group.get_command(sub_ctx, name)
        return None

    def _state(self, root_tokens: list[str], remaining: list[str]) -> CliState:
        if self.state is None:
            tokens = list(root_tokens)
            if not any(
                t in ("-w", "--workspace") or t.startswith(("-w", "--workspace=")) for t in tokens
            ):
                tokens += _globals.tentative_workspace(remaining)
            tmp = click.Context(self.root, info_name=self.ctx.info_name, resilient_parsing=True)
            try:
                click.Command.parse_args(self.root, tmp, tokens)
            except click.ClickException:
                tmp.params = {}
            self.params = {k: tmp.params.get(k) for k in _globals.GLOBAL_DESTS}
            self.state = _new_state(tmp.params)
        return self.state


class _CachedCommand(click.Command):
    """Stands in for a command in ``pmo --help``; never invoked."""


class PmoGroup(click.Group):
    """The root group: lists commands from the cache, loads them only to run them."""

    def _listing(self, ctx: click.Context) -> _catalogue.Listing:
        found = ctx.meta.get("pmo.listing")
        if found is None:
            config = _config_for_help(ctx.params.get("workspace"))
            found = _catalogue.cached(config)
            if found is None:
                # A cache miss (first run in this environment, or plugins changed): load the
                # enabled plugins once to learn their commands.
                from .._locate import enabled_plugins
                from .._plugins.host import PluginHost
                from .._plugins.policy import HostPolicy
                from .._records import PmoCommand

                enabled = enabled_plugins(config.parent) if config is not None else ()
                host = PluginHost(HostPolicy.from_environment(enabled=enabled))
                found = _catalogue.remember(config, host.records(PmoCommand))
            found = {**_catalogue.builtin_listing(), **found}
            ctx.meta["pmo.listing"] = found
        return dict(found)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._listing(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if ctx.meta.get("pmo.resolving"):
            # Running a command: only a real one will do. A name the cache still lists but
            # no loaded plugin provides any more (a plugin that now fails) must be an error,
            # never a stand-in that does nothing and exits 0.
            return None
        entry = self._listing(ctx).get(cmd_name)
        if entry is None:
            return None
        return _CachedCommand(cmd_name, short_help=entry["summary"], help=entry["summary"])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        # The group callback runs after this, so the state is made from the parsed options.
        command = _state(ctx).command(name) if name else None
        if command is not None:
            return name, command, args[1:]
        ctx.meta["pmo.resolving"] = True
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if not name or name.startswith("-"):
                raise
            hint = _not_enabled(ctx, name)
            if hint is None:
                names = [*self.list_commands(ctx), *_ALIASES]
                hint = f"{_unknown_command(name, names)} (see 'pmo --help')"
            raise cli_error(hint, exc.exit_code) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        prog = kwargs.get("prog_name") or "pmo"
        var = kwargs.get("complete_var") or f"_{prog}_COMPLETE".replace("-", "_").upper()
        if var in os.environ:  # a shell asks for completions: pmo's values, never a traceback
            from .completion import install

            install()
        return super().main(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.resilient_parsing or not args:  # completion, or bare 'pmo': click's own way
            return super().parse_args(ctx, args)
        walk = _Walk(self, ctx)
        try:
            lifted = _globals.lift(self, args, walk.resolve, ctx.info_name or "pmo")
        except click.UsageError as exc:
            raise cli_error(exc.format_message(), exc.exit_code) from None
        rest = super().parse_args(ctx, lifted.args)
        parsed = {k: ctx.params.get(k) for k in _globals.GLOBAL_DESTS}
        if walk.state is not None and lifted.resolved and walk.params == parsed:
            ctx.obj = walk.state  # the workspace and host the walk opened serve the command
        return rest

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
            error = cli_error(str(exc), exc.exit_code)
            error.details = tuple(str(p) for p in getattr(exc, "problems", ()))
            raise error from None
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
    message = exc.format_message()
    unknown = _NO_SUCH_COMMAND.match(message)
    if unknown and exc.ctx is not None and isinstance(exc.ctx.command, click.Group):
        # The same words at every level, with the nearest name (click < 8.2 gives none).
        message = _unknown_command(unknown[1], exc.ctx.command.list_commands(exc.ctx))
    return cli_error(f"{message} (see '{path} --help')", exc.exit_code)


_NO_SUCH_COMMAND = re.compile(r"No such command '(.*?)'\.")


def _unknown_command(name: str, names: list[str]) -> str:
    """``no such command 'NAME'``, with the nearest of ``names`` if one is close."""
    import difflib  # the error path only

    near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"no such command '{name}'{hint}"


def _not_enabled(ctx: click.Context, name: str) -> str | None:
    """Why ``name`` is no command here when an installed plugin, not enabled, provides it."""
    from .._records import PmoCommand
    from .._services.plugins import installed_host

    try:
        commands = installed_host(_state(ctx).environ()).records(PmoCommand)
    except Exception:  # an error message must not fail in turn
        return None
    found = next((c for c in commands if c.name == name and c.workspace), None)
    if found is None:
        return None
    return (
        f"'{name}' is a command of the plugin {found.plugin}, which is not enabled here: "
        f"pmo plugins enable {found.plugin}"
    )


def _debug(ctx: click.Context) -> bool:
    state = ctx.obj
    return bool(isinstance(state, CliState) and state.debug) or env_flag("PMO_DEBUG")


def _origin(exc: BaseException) -> str:
    import traceback  # the error path only: not a cost every command pays

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" in {os.path.basename(last.filename)}:{last.lineno}"


class PmoCliError(click.ClickException):
    """A user error: one line on stderr and a non-zero exit (``exit_code`` per subclass);
    an error standing for several (``details``) lists each on an indented line below."""

    details: tuple[str, ...] = ()

    def show(self, file: Any = None) -> None:
        from .._text import escape_controls

        # An error may quote data (a name, a cell): its control characters must not reach
        # the terminal, and a line break in it must not start a second, forged line.
        click.echo(f"error: {escape_controls(self.format_message())}", err=True, file=file)
        for line in self.details:
            click.echo(f"  {escape_controls(line)}", err=True, file=file)


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


@click.group(
    cls=PmoGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False),
    envvar="PMO_WORKSPACE",
    # Eager, so `pmo -w DIR --help` lists the commands of DIR's plugins: --help is eager too
    # and runs as soon as it is read.
    is_eager=True,
    help="Workspace directory (default: the nearest pmo.toml upward).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("--strict", is_flag=True, help="Fail when any enabled plugin fails to load.")
@click.option("--trace", is_flag=True, help="Log every hook call with its duration.")
@click.option(
    "--as",
    "user",
    metavar="NAME",
    envvar="PMO_USER",
    help="Who is acting: recorded in the journal and counted as the approver "
    "(default: PMO_USER, else the login name).",
)
@click.version_option(__version__, prog_name="pmo", message="%(prog)s %(version)s")
@click.pass_context
def cli(
    ctx: click.Context,
    workspace: str | None,
    debug: bool,
    strict: bool,
    trace: bool,
    user: str | None,
) -> None:
    """pmo: run a project, program or portfolio management office, grown with plugins.

    Start with 'pmo init', then 'pmo plugins list'. Every command has its own help:
    'pmo COMMAND --help'.

    \b
    Examples:
      pmo init acme --profile controlling
      pmo -w acme plugins enable csv
      pmo -w acme project list --under PF
      pmo -w acme gate check ALPHA
    """
    _state(ctx)  # made by resolve_command already, unless the group runs on its own
    from ._output import colour_forced

    if colour_forced():
        ctx.color = True  # click would strip the colour from output that is not a terminal


def main() -> None:
    """The console-script entry point."""
    cli(prog_name="pmo")
