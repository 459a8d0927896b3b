"""What each plugin registered when it last loaded, so that a request imports only the
plugins it needs.

A plugin's footprint is the hooks it implements and the names of its records per
registration hook, as they were the last time a host loaded and collected it in this
environment, together with the files of its modules (path and modification time). A host
asked for one family (the reports, or the listeners of one event) imports only the enabled
plugins whose footprint implements it.

Whenever that cannot be known for sure, the host loads every enabled plugin, as it always
did: a plugin with no footprint (never loaded here, or it failed), one whose version, entry
point or files changed, an environment that changed (a distribution installed or removed,
pmo-core upgraded), or two plugins whose footprints share a record name (who keeps a name is
settled among all of them). Standard library only; one small JSON file per environment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._env import env_flag
from .._version import __version__
from .cache import cache_dir, environment_fingerprint, read_json, short_key, write_json
from .index import PluginEntry

_FORMAT = 1


@dataclass(frozen=True)
class Footprint:
    """The hooks a plugin implements and its record names per registration hook."""

    hooks: frozenset[str]
    names: Mapping[str, tuple[str, ...]]


def _identity(entry: PluginEntry) -> str:
    return "\x1f".join((entry.distribution, entry.version, entry.value))


def _files_of(entry: PluginEntry) -> dict[str, int]:
    # The plugin's code is every module imported under its top-level package: an editable
    # install changes these files in place without changing its version.
    top = entry.module.partition(".")[0]
    files: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if name != top and not name.startswith(f"{top}."):
            continue
        path = getattr(module, "__file__", None)
        if not isinstance(path, str):
            continue
        try:
            files[path] = os.stat(path).st_mtime_ns
        except OSError:
            continue
    return files


def _unchanged(files: Any) -> bool:
    if not isinstance(files, dict) or not files:
        return False
    for path, stamp in files.items():
        try:
            if os.stat(path).st_mtime_ns != stamp:
                return False
        except OSError:
            return False
    return True


class Footprints:
    """The footprints of this environment's plugins, read once and written when they change."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = dict(os.environ if environ is None else environ)
        self._path = cache_dir(env) / f"footprints-{short_key(sys.prefix)}.json"
        self._key = f"{__version__}\0{environment_fingerprint()}"
        # PMO_NO_CACHE: nothing is trusted, so every request loads every plugin.
        self._off = env_flag("PMO_NO_CACHE", env)
        self._plugins: dict[str, Any] | None = None
        self._changed = False
        # A footprint's files are checked once per process: a command asks for hooks once
        # per record it evaluates (10,000 projects: some 650,000 stat calls otherwise).
        self._checked: dict[tuple[str, str], Footprint | None] = {}

    def _read(self) -> dict[str, Any]:
        if self._plugins is None:
            data = {} if self._off else read_json(self._path) or {}
            plugins = data.get("plugins")
            valid = (
                data.get("format") == _FORMAT
                and data.get("key") == self._key
                and isinstance(plugins, dict)
            )
            self._plugins = dict(plugins) if valid and isinstance(plugins, dict) else {}
        return self._plugins

    def get(self, pid: str, entry: PluginEntry) -> Footprint | None:
        """The footprint of plugin ``pid`` from ``entry``, or ``None`` when unknown or stale."""
        key = (pid, _identity(entry))
        if key not in self._checked:
            self._checked[key] = self._get(pid, entry)
        return self._checked[key]

    def _get(self, pid: str, entry: PluginEntry) -> Footprint | None:
        item = self._read().get(pid)
        if not isinstance(item, dict) or item.get("identity") != _identity(entry):
            return None
        hooks, names = item.get("hooks"), item.get("names")
        if not isinstance(hooks, list) or not isinstance(names, dict):
            return None
        if not _unchanged(item.get("files")):
            return None
        return Footprint(
            hooks=frozenset(str(h) for h in hooks),
            names={str(h): tuple(str(n) for n in ns) for h, ns in names.items()},
        )

    def remember(
        self,
        pid: str,
        entry: PluginEntry,
        hooks: Iterable[str],
        names: Mapping[str, Iterable[str]],
    ) -> None:
        """Keep what plugin ``pid`` (loaded from ``entry`` and collected) registers."""
        files = _files_of(entry)
        if not files:
            return  # nothing to tell a later change by: never trusted, always loaded
        item = {
            "identity": _identity(entry),
            "hooks": sorted(hooks),
            "names": {hook: sorted(ns) for hook, ns in sorted(names.items()) if ns},
            "files": files,
        }
        plugins = self._read()
        if plugins.get(pid) != item:
            plugins[pid] = item
            self._changed = True
            self._checked.pop((pid, _identity(entry)), None)

    def save(self) -> None:
        """Write the footprints if any changed (best effort, like every cache here)."""
        if self._changed and self._plugins is not None and not self._off:
            write_json(self._path, {"format": _FORMAT, "key": self._key, "plugins": self._plugins})
            self._changed = False


def clash_free(footprints: Iterable[Footprint]) -> bool:
    """Whether no record name appears in two of ``footprints`` (for the same hook)."""
    seen: set[tuple[str, str]] = set()
    for footprint in footprints:
        for hook, names in footprint.names.items():
            for name in names:
                if (hook, name) in seen:
                    return False
                seen.add((hook, name))
    return True
