"""Which commands ``pmo`` has, and how ``pmo --help`` lists them without importing anything.

Three sources, in this order: pmo-core's built-ins (a static table, never a plugin import),
the commands of the plugins enabled in the workspace, and the workspace-free commands
(``PmoCommand(workspace=False)``, like ``pmo demo``) of installed plugins. Help reads names
and summaries from small cache files, written whenever a host has collected the commands:

- ``commands-<key>.json`` per environment and ``pmo.toml`` (its path, size and modification
  time: a hit reads no TOML);
- ``free-commands-<key>.json`` per environment: the workspace-free commands seen so far.

Standard library and click only: this runs on every ``pmo --help``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .._commands import BUILTIN_COMMANDS
from .._plugins.cache import (
    environment_fingerprint,
    read_json_cache,
    short_key,
    write_json_cache,
)
from .._version import __version__

if TYPE_CHECKING:
    from .._records import PmoCommand

Listing = dict[str, dict[str, str]]

BUILTIN_NAMES = frozenset(name for name, *_ in BUILTIN_COMMANDS)


def _key(*parts: str) -> str:
    return "\0".join((__version__, environment_fingerprint(), *parts))


def _workspace_file(config: Path | None) -> tuple[str, str]:
    # Keyed by the pmo.toml file's identity, not its contents, so a hit reads no TOML.
    stamp = "no workspace"
    if config is not None:
        try:
            st = config.stat()
            stamp = f"{config}\x1f{st.st_mtime_ns}\x1f{st.st_size}"
        except OSError:
            stamp = f"{config}\x1fmissing"
    key = _key("workspace", stamp, *_switches())
    return f"commands-{short_key(key)}.json", key


def _free_file() -> tuple[str, str]:
    key = _key("free", *_switches())
    return f"free-commands-{short_key(key)}.json", key


def _switches() -> tuple[str, str]:
    return os.environ.get("PMO_PLUGINS_ALLOW", ""), os.environ.get("PMO_PLUGINS_DENY", "")


def _read(file: tuple[str, str]) -> Listing | None:
    name, key = file
    data = read_json_cache(name)
    # The file name is a short hash: the whole key inside tells a collision from a hit.
    if not data or data.get("key") != key or not isinstance(data.get("commands"), dict):
        return None
    return dict(data["commands"])


def _write(file: tuple[str, str], commands: Listing) -> None:
    name, key = file
    write_json_cache(name, {"key": key, "commands": commands})


def listing(commands: Iterable[PmoCommand]) -> Listing:
    """Names and summaries of ``commands``, as the cache keeps them."""
    return {c.name: {"summary": c.summary, "plugin": c.plugin} for c in commands}


def cached(config: Path | None) -> Listing | None:
    """What help lists for the workspace of ``config`` (``None``: outside one), if cached."""
    commands = _read(_workspace_file(config))
    if commands is None:
        return None
    return {**commands, **free_commands()}


def remember(config: Path | None, commands: Iterable[PmoCommand]) -> Listing:
    """Cache the commands the host of the workspace of ``config`` registers; return the
    listing."""
    commands = list(commands)
    found = listing(commands)
    _write(_workspace_file(config), found)
    free = listing(c for c in commands if not c.workspace)
    if free:
        remember_free(free)
    return {**found, **free_commands()}


def free_commands() -> Listing:
    """The workspace-free commands of installed plugins seen so far in this environment."""
    return _read(_free_file()) or {}


def remember_free(found: Mapping[str, Mapping[str, str]]) -> None:
    """Add workspace-free commands to the environment's cache."""
    known = free_commands()
    merged = {**known, **{n: dict(v) for n, v in found.items()}}
    if merged != known:
        _write(_free_file(), merged)


def builtin_listing() -> Listing:
    """pmo-core's own commands (no import: the summaries are in the static table)."""
    return {
        name: {"summary": summary, "plugin": "pmo-core"} for name, _, _, summary in BUILTIN_COMMANDS
    }
