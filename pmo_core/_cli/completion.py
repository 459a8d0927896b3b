"""``pmo completion SHELL`` and the values shell completion offers.

Click's shell completion (the ``_PMO_COMPLETE`` variable) completes commands and options by
itself. For values, :func:`complete_value` knows the parameters of the conventions by name
(CLI.md), so no command has to declare them: an entity key (``KEY``, ``ENTITY``, ``PROJECT``,
``SCOPE``, ``--under``, ``--parent``, ``--scope``) completes from the workspace's store, a
report name (``pmo report NAME``) from the enabled plugins' reports, a profile (``pmo init
--profile``) from the installed plugins, a plugin id (``pmo plugins enable|disable|info``)
from the installed or enabled plugins, a connector (``pmo import|export CONNECTOR``) from the
enabled plugins. A parameter with its own ``shell_complete`` keeps it. Completion never
fails: whatever goes wrong, it offers nothing rather than print a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click
from click.shell_completion import CompletionItem

SHELLS = ("bash", "zsh", "fish")
#: The environment variable of click's completion protocol for ``pmo``.
COMPLETE_VAR = "_PMO_COMPLETE"

#: Parameter names (click's ``name``) that hold an entity key, and the kind each is limited to.
ENTITY_PARAMS: dict[str, str | None] = {
    "key": None,
    "entity": None,
    "scope": None,
    "under": None,
    "parent": None,
    "project": "project",
}


def _state(ctx: click.Context) -> Any:
    from . import _state

    return _state(ctx.find_root())


def _entity_keys(kind: str | None) -> Callable[[click.Context], Iterable[str]]:
    def keys(ctx: click.Context) -> Iterable[str]:
        view = _state(ctx).workspace().view()
        return [e.id for e in view.entities(kind)]

    return keys


def _reports(ctx: click.Context) -> Iterable[str]:
    from .._records import PmoReport

    return [r.name for r in _state(ctx).host().records(PmoReport)]


def _connectors(ctx: click.Context) -> Iterable[str]:
    from .._records import PmoConnector

    return [c.name for c in _state(ctx).host().records(PmoConnector)]


def _profiles(ctx: click.Context) -> Iterable[str]:
    from .._services.plugins import profiles

    return [p.name for p in profiles(_state(ctx).environ())]


def _installed_plugins(ctx: click.Context) -> Iterable[str]:
    from .._services.plugins import fresh_resolver

    return [entry.id for entry in fresh_resolver().installed()]


def _enabled_plugins(ctx: click.Context) -> Iterable[str]:
    return list(_state(ctx).workspace().config.enabled)


def _source(ctx: click.Context, param: click.Parameter) -> Callable[..., Iterable[str]] | None:
    """Where the values of ``param`` (in the command of ``ctx``) come from, if pmo knows."""
    path = ctx.command_path.split()[1:]  # without 'pmo'
    name = param.name or ""
    if path == ["report"] and name == "name":
        return _reports
    if path in (["import"], ["export"]) and name == "connector":
        return _connectors
    if path == ["init"] and name == "profile":
        return _profiles
    if path[:1] in (["plugins"], ["plugin"]) and name in ("names", "plugin", "name"):
        return _enabled_plugins if path[1:] == ["disable"] else _installed_plugins
    if name in ENTITY_PARAMS:
        return _entity_keys(ENTITY_PARAMS[name])
    return None


def complete_value(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The completions of ``param``'s value starting with ``incomplete`` (never raises).

    Example::

        # what `pmo project show AL<TAB>` offers, in a workspace with ALPHA and ALTO:
        [item.value for item in complete_value(ctx, param, "AL")]  # ['ALPHA', 'ALTO']
    """
    source = _source(ctx, param)
    if source is None:
        return param.shell_complete(ctx, incomplete)
    try:
        values = sorted(set(source(ctx)))
    except Exception:  # no workspace, a broken store or plugin: offer nothing, say nothing
        return []
    return [CompletionItem(v) for v in values if v.startswith(incomplete)]


def _completing(base: type[Any]) -> type[Any]:
    """``base`` (click's class for one shell) completing values with :func:`complete_value`
    and offering nothing, silently, when anything fails."""

    def get_completions(self: Any, args: list[str], incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import _resolve_context, _resolve_incomplete

        try:
            ctx = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
            obj, incomplete = _resolve_incomplete(ctx, args, incomplete)
            own = getattr(obj, "_custom_shell_complete", None)
            if isinstance(obj, click.Parameter) and own is None:
                return complete_value(ctx, obj, incomplete)
            return obj.shell_complete(ctx, incomplete)  # the parameter's own, or commands
        except Exception:  # completion must never print a traceback
            return []

    return type(f"Pmo{base.__name__}", (base,), {"get_completions": get_completions})


def install() -> None:
    """Register pmo's completion classes for bash, zsh and fish with click."""
    from click.shell_completion import BashComplete, FishComplete, ZshComplete, add_completion_class

    for base in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(_completing(base), base.name)


@click.command(name="completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    Completes commands, options, entity keys, report names, profiles, plugin ids and
    connector names. Install it once (then open a new shell):

    \b
      bash:  pmo completion bash > ~/.local/share/bash-completion/completions/pmo
      zsh:   pmo completion zsh > "${fpath[1]}/_pmo"
      fish:  pmo completion fish > ~/.config/fish/completions/pmo.fish

    \b
    Or load it in every new shell, e.g. in ~/.bashrc (bash 4.4 or later):
      eval "$(pmo completion bash)"

    \b
    Examples:
      pmo completion bash
      pmo completion zsh > "${fpath[1]}/_pmo"
    """
    from click.shell_completion import get_completion_class

    from . import cli

    install()
    cls = get_completion_class(shell)
    assert cls is not None  # the Choice allows only the shells click knows
    click.echo(cls(cli, {}, "pmo", COMPLETE_VAR).source())
