"""Which commands ``pmo`` has, and how ``pmo --help`` lists them without importing anything.

Three sources, in this order: pmo-core's built-ins (a static table, never a plugin import),
the commands of the plugins enabled in the workspace, and the workspace-free commands
(``PmoCommand(workspace=False)``, like ``pmo demo``) of installed plugins. Help reads names
and summaries from small cache files, written whenever a host has collected the commands:

- ``commands-<key>.json`` per environment and set of enabled plugins;
- ``free-commands-<key>.json`` per environment: the workspace-free commands seen so far.

Standard library and click only: this runs on every ``pmo --help``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._commands import BUILTIN_COMMANDS
from .._plugins.index import environment_fingerprint, read_json_cache, write_json_cache
from .._version import __version__

if TYPE_CHECKING:
    from .._records import PmoCommand

Listing = dict[str, dict[str, str]]

BUILTIN_NAMES = frozenset(name for name, *_ in BUILTIN_COMMANDS)


def _key(*parts: str) -> str:
    text = "\0".join((__version__, environment_fingerprint(), *parts))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _enabled_file(enabled: Iterable[str]) -> str:
    allow = os.environ.get("PMO_PLUGINS_ALLOW", "")
    deny = os.environ.get("PMO_PLUGINS_DENY", "")
    return f"commands-{_key(*sorted(enabled), allow, deny)}.json"


def _free_file() -> str:
    allow = os.environ.get("PMO_PLUGINS_ALLOW", "")
    deny = os.environ.get("PMO_PLUGINS_DENY", "")
    return f"free-commands-{_key(allow, deny)}.json"


def listing(commands: Iterable[PmoCommand]) -> Listing:
    """Names and summaries of ``commands``, as the cache keeps them."""
    return {c.name: {"summary": c.summary, "plugin": c.plugin} for c in commands}


def cached(enabled: Iterable[str]) -> Listing | None:
    """What help lists for a workspace with ``enabled`` plugins, if cached."""
    data = read_json_cache(_enabled_file(enabled))
    commands = data.get("commands") if data else None
    if not isinstance(commands, dict):
        return None
    return {**commands, **free_commands()}


def remember(enabled: Iterable[str], commands: Iterable[PmoCommand]) -> Listing:
    """Cache the commands a host with ``enabled`` plugins registers; return the listing."""
    commands = list(commands)
    found = listing(commands)
    write_json_cache(_enabled_file(enabled), {"commands": found})
    free = listing(c for c in commands if not c.workspace)
    if free:
        remember_free(free)
    return {**found, **free_commands()}


def free_commands() -> Listing:
    """The workspace-free commands of installed plugins seen so far in this environment."""
    data = read_json_cache(_free_file())
    commands = data.get("commands") if data else None
    return dict(commands) if isinstance(commands, dict) else {}


def remember_free(found: Mapping[str, Mapping[str, str]]) -> None:
    """Add workspace-free commands to the environment's cache."""
    known = free_commands()
    merged = {**known, **{n: dict(v) for n, v in found.items()}}
    if merged != known:
        write_json_cache(_free_file(), {"commands": merged})


def builtin_listing() -> Listing:
    """pmo-core's own commands (no import: the summaries are in the static table)."""
    return {
        name: {"summary": summary, "plugin": "pmo-core"} for name, _, _, summary in BUILTIN_COMMANDS
    }
