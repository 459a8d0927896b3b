"""Enabling and disabling plugins in ``pmo.toml``, and the profiles ``pmo init`` offers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._config import write_plugins
from .._errors import InvalidInputError, NotFoundError
from .._plugins.host import PluginHost
from .._plugins.policy import HostPolicy
from .._records import PmoProfile

if TYPE_CHECKING:
    from .._workspace import Workspace


def fresh_resolver() -> PluginHost:
    """A host that only resolves names against what is installed now.

    Not a workspace's own host: its index was read when it loaded, and a long-lived workspace
    must be able to enable a plugin installed since (the index cache is invalidated by the
    installation, so this stays cheap).
    """
    return PluginHost(builtins=False)


def profile_named(name: str, environ: Mapping[str, str] | None = None) -> PmoProfile:
    """The profile ``name`` from the installed plugins the environment allows.

    No workspace exists yet, so every installed plugin is asked for its profiles; one that
    fails to load is quarantined and simply offers none. Every plugin the profile names must
    be installed.

    Example::

        profile_named("starter").plugins  # ('governance', 'reports', 'csv')
    """
    host = installed_host(environ)
    try:
        profile = host.record(PmoProfile, name)
    except NotFoundError:
        known = ", ".join(p.name for p in sorted(host.records(PmoProfile), key=_rank))
        raise InvalidInputError(
            f"unknown profile {name!r} (profiles: {known or 'none; pip install pmo-governance'})",
            where="--profile",
        ) from None
    missing = [p for p in profile.plugins if not _installed(host, p)]
    if missing:
        raise InvalidInputError(
            f"profile {profile.name!r} needs plugins that are not installed: "
            f"{', '.join(missing)} (pip install {' '.join(f'pmo-{m}' for m in missing)})",
            where="--profile",
        )
    return profile


def installed_host(environ: Mapping[str, str] | None = None) -> PluginHost:
    """A host with every installed plugin enabled (within ``PMO_PLUGINS_ALLOW`` / ``DENY``),
    for what is asked before any workspace exists."""
    ids = [entry.id for entry in fresh_resolver().installed()]
    return PluginHost(HostPolicy.from_environment(enabled=ids, environ=environ))


def profiles(environ: Mapping[str, str] | None = None) -> list[PmoProfile]:
    """Every profile of the installed plugins, lightest first.

    Example::

        [p.name for p in profiles()]  # ['starter', 'controlling', 'directive']
    """
    return sorted(installed_host(environ).records(PmoProfile), key=_rank)


def _rank(profile: PmoProfile) -> tuple[int, str]:
    return profile.rank, profile.name


def _installed(host: PluginHost, name: str) -> bool:
    try:
        host.resolve(name)
    except NotFoundError:
        return False
    return True


class PluginService:
    """Enables and disables plugins in the workspace's ``pmo.toml``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def enable(self, names: tuple[str, ...]) -> list[str]:
        """See :meth:`Workspace.enable <pmo_core.Workspace.enable>`."""
        resolver = fresh_resolver()
        ids = [resolver.resolve(n).id for n in names]
        enabled = list(self._ws.config.enabled)
        added = [i for i in dict.fromkeys(ids) if i not in enabled]
        self._write(enabled + added, added, [])
        return added

    def disable(self, names: tuple[str, ...]) -> list[str]:
        """See :meth:`Workspace.disable <pmo_core.Workspace.disable>`."""
        enabled = self._ws.config.enabled
        resolver = fresh_resolver()
        ids = set()
        for n in names:
            try:
                ids.add(resolver.resolve(n).id)
            except NotFoundError:
                if n not in enabled:
                    raise
                ids.add(n)  # enabled but uninstalled: still removable
        removed = [i for i in enabled if i in ids]
        self._write([i for i in enabled if i not in ids], [], removed)
        return removed

    def _write(self, enabled: list[str], added: list[str], removed: list[str]) -> None:
        if not added and not removed:
            return
        write_plugins(self._ws.config.path, enabled=enabled)
        if self._ws.reload():
            self._ws.host.notify(
                "pmo_plugins_changed", workspace=self._ws, enabled=added, disabled=removed
            )
