"""Global options anywhere: ``pmo project list -w DIR --json`` reads as ``pmo -w DIR project
list --json``.

Before click parses, :func:`lift` walks the arguments with the parameters of each command on
the way (root, group, subcommand) and moves the root's options (``-w/--workspace``,
``--debug``, ``--strict``, ``--trace``, ``--as``; with their values, in any spelling: ``-w
DIR``, ``-wDIR``, ``--workspace=DIR``) to the front. ``--json`` given before the command that
prints is handed down to it. The rule:

- only a token at an option position is lifted: the value of another option (``--comment
  -w``) is that option's, because the walk knows which options take a value;
- an option the command defines itself stays the command's (a plugin's own ``-w`` included),
  except that ``-w/--workspace`` is also given to the root, which needs the workspace to
  find a plugin's command;
- nothing after ``--`` is touched.

Click and the standard library only: this runs on every ``pmo`` invocation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click

#: The root options lifted from anywhere (their ``dest``): not ``--help`` nor ``--version``,
#: which mean the command they follow.
GLOBAL_DESTS = frozenset({"workspace", "debug", "strict", "trace", "user"})
_WORKSPACE_NAMES = frozenset({"-w", "--workspace"})


class Lifted:
    """The rearranged arguments: ``root`` (the root's global options), ``root_other`` (its
    other options) then ``rest``. (A plain class: ``dataclasses`` costs every start-up.)"""

    def __init__(self) -> None:
        self.root: list[str] = []
        # The root's other options (--help, --version): after the global ones, so
        # `pmo --help -w DIR` lists DIR's commands (both are eager: the first given runs first).
        self.root_other: list[str] = []
        self.rest: list[str] = []
        # Whether every command on the way was found (else the state made for the walk is a
        # guess and is not reused).
        self.resolved = True

    @property
    def args(self) -> list[str]:
        return [*self.root, *self.root_other, *self.rest]


def _table(command: click.Command, only: frozenset[str] | None = None) -> dict[str, int]:
    """Option name -> how many values it takes, for ``command``'s options."""
    table: dict[str, int] = {}
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if only is not None and param.name not in only:
            continue
        takes = 0 if (param.is_flag or param.count) else max(param.nargs, 1)
        for name in (*param.opts, *param.secondary_opts):
            table[name] = takes
    return table


def _split(token: str, table: dict[str, int]) -> tuple[str, bool]:
    """The option name of ``token`` and whether its value is inline (``--x=1``, ``-x1``)."""
    if token.startswith("--"):
        name, eq, _ = token.partition("=")
        return name, bool(eq)
    name = token[:2]
    return name, len(token) > 2 and table.get(name, 0) > 0


def tentative_workspace(args: Sequence[str]) -> list[str]:
    """The last ``-w`` in ``args`` as root tokens, by a plain scan (a guess, checked later)."""
    found: list[str] = []
    for i, token in enumerate(args):
        if token == "--":
            break
        if token in _WORKSPACE_NAMES:
            found = list(args[i : i + 2])
        elif token.startswith("--workspace=") or (token[:2] == "-w" and len(token) > 2):
            found = [token]
    return found


Resolver = Callable[[click.Command, str, list[str], list[str]], "click.Command | None"]


def lift(root: click.Command, args: Sequence[str], resolve: Resolver, prog: str = "pmo") -> Lifted:
    """Rearrange ``args`` so the root's options come first (see the module's rule).

    ``resolve(group, name, root_tokens, remaining)`` returns the subcommand ``name`` of
    ``group`` (or ``None``); ``root_tokens`` are the root options read so far and
    ``remaining`` the arguments after ``name``, for a resolver that needs the workspace.
    """
    globals_ = _table(root, GLOBAL_DESTS)
    out = Lifted()
    command: click.Command = root
    table = _table(root)
    path = [prog]
    descend = True
    as_json = False
    args = list(args)
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            out.rest.extend(args[i:])
            break
        if token.startswith("-") and token != "-":
            name, inline = _split(token, table)
            if name in table and command is root:
                takes = table[name]
                target = out.root if name in globals_ else out.root_other
            elif name in table:
                takes, target = table[name], out.rest
                if name in _WORKSPACE_NAMES:  # the root needs it too, to find the command
                    out.root.extend(args[i : i + (1 if inline else 2)])
            elif name in globals_:
                name, inline = _split(token, globals_)
                takes, target = globals_[name], out.root
            elif name == "--json" and not inline:
                as_json = True
                i += 1
                continue
            else:  # unknown: click reports it, at the level where it was given
                takes, target = 0, out.root_other if command is root else out.rest
            n = 0 if inline else takes
            if target is out.root and len(args) - i - 1 < n:
                # Moved to the front, it would take the command's name as its value.
                raise click.UsageError(f"Option '{name}' requires an argument.")
            target.extend(args[i : i + 1 + n])
            i += 1 + n
            continue
        out.rest.append(token)
        if descend and isinstance(command, click.Group):
            try:
                sub = resolve(command, token, out.root, args[i + 1 :])
            except Exception:  # an error to report when the command runs, not here
                sub = None
            if sub is None:
                descend = False
                out.resolved = False
            else:
                command = sub
                table = _table(command)
                path.append(token)
        i += 1
    if as_json:
        _hand_down_json(out, command, path, resolved=out.resolved and descend)
    return out


def _hand_down_json(out: Lifted, command: click.Command, path: list[str], resolved: bool) -> None:
    if not resolved or isinstance(command, click.Group):
        return  # an unknown command or a bare group: that error (or its help) comes first
    if "--json" not in _table(command):
        where = " ".join(path)
        raise click.UsageError(f"'{where}' has no --json output (see '{where} --help')")
    end = out.rest.index("--") if "--" in out.rest else len(out.rest)
    out.rest.insert(end, "--json")
