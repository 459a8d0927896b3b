"""Enabling and disabling plugins in ``pmo.toml``, and the profiles ``pmo init`` offers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._config import restore_config, write_plugins
from .._errors import InvalidInputError, NotFoundError
from .._plugins.host import PluginHost
from .._plugins.index import canonical_distribution
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


#: The store kind of the recorded plugin decisions (enabling and disabling are journaled).
PLUGIN_KIND = "plugin"


def resolve_sources(names: Iterable[str], resolver: PluginHost | None = None) -> dict[str, str]:
    """Plugin id -> the distribution it comes from, for each name (an id or a distribution
    name). An id several installed distributions claim must be named by its distribution.

    Example::

        resolve_sources(["csv", "pmo-reports"])  # {'csv': 'pmo-csv', 'reports': 'pmo-reports'}
    """
    resolver = resolver or fresh_resolver()
    out: dict[str, str] = {}
    for name in names:
        entry = resolver.resolve(name)
        rivals = [e.distribution for e in resolver.installed() if e.id == entry.id]
        if len(rivals) > 1 and canonical_distribution(name) not in rivals:
            raise InvalidInputError(
                f"plugin id {entry.id!r} is claimed by {', '.join(rivals)}: name the "
                "distribution to enable",
                where=name,
            )
        out[entry.id] = entry.distribution
    return out


class PluginService:
    """Enables and disables plugins in the workspace's ``pmo.toml``; each change is a
    decision recorded in the journal (who, when, which distribution, why)."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def enable(self, names: tuple[str, ...], comment: str) -> list[str]:
        """See :meth:`Workspace.enable <pmo_core.Workspace.enable>`."""
        resolver = fresh_resolver()
        chosen = resolve_sources(names, resolver)
        enabled = list(self._ws.config.enabled)
        added = [i for i in chosen if i not in enabled]
        sources = {**self._ws.config.plugins.sources, **{i: chosen[i] for i in added}}
        versions = {e.id: e.version for e in resolver.installed()}
        decisions = [(i, True, chosen[i], versions.get(i, "")) for i in added]
        self._write(enabled + added, sources, decisions, comment)
        return added

    def disable(self, names: tuple[str, ...], comment: str) -> list[str]:
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
        sources = {k: v for k, v in self._ws.config.plugins.sources.items() if k not in ids}
        known = self._ws.config.plugins.sources
        decisions = [(i, False, known.get(i, ""), "") for i in removed]
        self._write([i for i in enabled if i not in ids], sources, decisions, comment)
        return removed

    def _write(
        self,
        enabled: list[str],
        sources: dict[str, str],
        decisions: list[tuple[str, bool, str, str]],
        comment: str,
    ) -> None:
        if not decisions:
            return
        ws = self._ws
        verb = "enable" if decisions[0][1] else "disable"
        command = f"plugins {verb} {' '.join(pid for pid, *_ in decisions)}"
        path = ws.config.path
        before: str | None = None
        try:
            with ws.transaction(command) as tx:
                for pid, on, distribution, version in decisions:
                    data = {
                        "id": pid,
                        "enabled": on,
                        "distribution": distribution,
                        "version": version,
                        "comment": comment,
                    }
                    current = tx.get(PLUGIN_KIND, pid)
                    if current is None:
                        tx.insert(PLUGIN_KIND, pid, data)
                    else:
                        tx.update(PLUGIN_KIND, pid, data, expected_version=current.version)
                # The file changes last inside the transaction: a failure before the commit
                # rolls the record back, and the file is put back below.
                before = write_plugins(path, enabled=enabled, sources=sources)
        except BaseException:
            if before is not None:
                restore_config(path, before)
            raise
        added = [pid for pid, on, *_ in decisions if on]
        removed = [pid for pid, on, *_ in decisions if not on]
        if ws.reload():
            ws.host.notify("pmo_plugins_changed", workspace=ws, enabled=added, disabled=removed)
