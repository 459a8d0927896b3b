"""Every command of ``pmo``, the core's and every first-party plugin's, follows the
vocabulary of the CLI conventions (sdk_docs/reference/cli.md, CLI.md): examples in its help,
``--limit`` and ``--json`` on every list, ``--json`` on every show, one option name per
meaning. The walk goes through each command's real definition, as ``--help`` prints it."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import click
import pytest

from pmo_core import Workspace
from pmo_core._cli import _state, cli
from pmo_core._commands import LazyCommand

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = frozenset(p.parent.name for p in ROOT.glob("plugins/*/pyproject.toml"))

# The one option for each meaning; the other spellings are refused (a renamed option keeps
# its old spelling hidden for a while: hidden options are not checked).
SYNONYMS = {
    "--note": "--comment",
    "--owned-by": "--owner",
    "--include-archived": "--archived",
    "--data-date": "--status-date",
    "--known-at": "--as-of",
    "--date": "--on",
    "--subtree": "--under",
    "--max": "--limit",
    "-n": "--limit",
}
# ``--scope`` would be a subtree (``--under``) anywhere else; here it is the scope dimension
# of a change, of a status report's colours, and of PRINCE2's six tolerances.
SCOPE_IS_A_DIMENSION = {
    ("change", "raise"),
    ("status", "report"),
    ("prince2", "tolerances", "set"),
}
# ``--all`` means "every installed plugin", and only there.
ALL_MEANS_EVERY_PLUGIN = {("plugins", "list")}


def _real(command: click.Command) -> click.Command:
    return command.load() if isinstance(command, LazyCommand) else command


def _walk(
    command: click.Command, ctx: click.Context, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    command = _real(command)
    if not isinstance(command, click.Group):
        yield path, command
        return
    sub = click.Context(command, info_name=path[-1], parent=ctx)
    for name in command.list_commands(sub):
        found = command.get_command(sub, name)
        if found is not None and not found.hidden:
            yield from _walk(found, sub, (*path, name))


@pytest.fixture(scope="module")
def commands(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], click.Command]:
    plugins = sorted(
        e.name
        for e in entry_points(group="pmo_core.plugins")
        if e.dist is not None and e.dist.name in FIRST_PARTY
    )
    root = tmp_path_factory.mktemp("vocabulary") / "ws"
    with Workspace.init(root, profile="starter") as ws:
        ws.enable(*plugins)
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    mp.setenv("PMO_CACHE_DIR", str(root / ".cache"))
    try:
        ctx = click.Context(cli, info_name="pmo")
        state = _state(ctx)
        found: dict[tuple[str, ...], click.Command] = {}
        for name in cli.list_commands(ctx):
            command = state.command(name)
            assert command is not None, f"pmo {name} is listed but does not load"
            found.update(_walk(command, ctx, (name,)))
        return found
    finally:
        mp.undo()


def _options(command: click.Command) -> set[str]:
    return {
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in (*param.opts, *param.secondary_opts)
    }


def test_the_walk_reaches_core_and_plugin_commands(
    commands: dict[tuple[str, ...], click.Command],
) -> None:
    for path in [("project", "list"), ("governance", "check"), ("stage-gate", "artifacts")]:
        assert path in commands
    assert len(commands) > 150


def test_every_command_has_examples(commands: dict[tuple[str, ...], click.Command]) -> None:
    missing = [" ".join(p) for p, c in commands.items() if "Examples:" not in (c.help or "")]
    assert not missing, "no examples in the help of: " + ", ".join(missing)


def test_every_list_has_limit_and_json(commands: dict[tuple[str, ...], click.Command]) -> None:
    lists = {p: _options(c) for p, c in commands.items() if p[-1] == "list"}
    assert len(lists) > 20
    missing = [" ".join(p) for p, opts in lists.items() if not {"--limit", "--json"} <= opts]
    assert not missing, "lists without --limit or --json: " + ", ".join(missing)


def test_every_show_has_json(commands: dict[tuple[str, ...], click.Command]) -> None:
    shows = {p: _options(c) for p, c in commands.items() if p[-1] == "show"}
    missing = [" ".join(p) for p, opts in shows.items() if "--json" not in opts]
    assert not missing, "shows without --json: " + ", ".join(missing)


def test_one_option_name_per_meaning(commands: dict[tuple[str, ...], click.Command]) -> None:
    wrong = []
    for path, command in commands.items():
        options = _options(command)
        where = " ".join(path)
        wrong += [f"{where}: {o} (say {SYNONYMS[o]})" for o in options if o in SYNONYMS]
        if "--scope" in options and path not in SCOPE_IS_A_DIMENSION:
            wrong.append(f"{where}: --scope (say --under)")
        if "--all" in options and path not in ALL_MEANS_EVERY_PLUGIN:
            wrong.append(f"{where}: --all (say --archived)")
        if {"--kind", "--type"} <= options:
            wrong.append(f"{where}: both --kind and --type")
    assert not wrong, "\n".join(wrong)
