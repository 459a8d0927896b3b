"""The host policy: which plugins may load and how, built once from ``pmo.toml`` and the
environment, and shared by the Workspace, the testing kit and the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .._env import env_flag, env_list

if TYPE_CHECKING:
    from .._config import WorkspaceConfig


@dataclass(frozen=True)
class HostPolicy:
    """What a :class:`~pmo_core.PluginHost` loads and how.

    ``enabled`` are the plugin ids (or distribution names) to load; ``order`` puts some first
    (the rest follow by id, built-ins always lead); ``strict`` turns a quarantine into an
    error; ``trace`` logs every hook call with its duration; ``allow`` (``None``: no limit)
    and ``deny`` restrict what may load whatever is enabled. ``sources`` maps a plugin id to the
    distribution the workspace enabled it from, so a newcomer claiming the same id is refused
    rather than the plugin already in use; an import slower than ``slow_import_seconds`` is
    noted; ``preflight`` first imports each installed plugin in a child process (once per
    environment and plugin file), to refuse one whose import ends the process.

    Example::

        policy = HostPolicy.for_workspace(ws.config)   # pmo.toml + PMO_* environment
        policy.with_switches(strict=True).strict       # True
    """

    enabled: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    strict: bool = False
    trace: bool = False
    allow: frozenset[str] | None = None
    deny: frozenset[str] = field(default_factory=frozenset)
    sources: Mapping[str, str] = field(default_factory=dict)
    slow_import_seconds: float = 1.0
    preflight: bool = True

    @classmethod
    def from_environment(
        cls,
        *,
        enabled: Iterable[str] = (),
        order: Iterable[str] = (),
        strict: bool = False,
        sources: Mapping[str, str] | None = None,
        slow_import_seconds: float = 1.0,
        environ: Mapping[str, str] | None = None,
    ) -> HostPolicy:
        """A policy for ``enabled`` plugins, with ``PMO_STRICT``, ``PMO_TRACE``,
        ``PMO_PLUGINS_ALLOW`` and ``PMO_PLUGINS_DENY`` applied.

        Example::

            HostPolicy.from_environment(enabled=["csv"], environ={"PMO_STRICT": "1"}).strict
        """
        return cls(
            enabled=tuple(enabled),
            order=tuple(order),
            strict=strict or env_flag("PMO_STRICT", environ),
            trace=env_flag("PMO_TRACE", environ),
            allow=env_list("PMO_PLUGINS_ALLOW", environ),
            deny=env_list("PMO_PLUGINS_DENY", environ) or frozenset(),
            sources=dict(sources or {}),
            slow_import_seconds=slow_import_seconds,
        )

    @classmethod
    def for_workspace(
        cls, config: WorkspaceConfig, environ: Mapping[str, str] | None = None
    ) -> HostPolicy:
        """The policy of a workspace: ``[plugins]`` of its ``pmo.toml`` plus the environment.

        Example::

            HostPolicy.for_workspace(WorkspaceConfig.load(Path("."))).enabled
            # ('governance', 'stage-gate', 'reports', 'csv', 'strategy')
        """
        plugins = config.plugins
        return cls.from_environment(
            enabled=plugins.enabled,
            order=plugins.order,
            strict=plugins.strict,
            sources=plugins.sources,
            slow_import_seconds=plugins.slow_import_seconds,
            environ=environ,
        )

    def with_switches(self, *, strict: bool = False, trace: bool = False) -> HostPolicy:
        """This policy with ``strict`` / ``trace`` switched on (command-line flags add to
        what the file and the environment say; they never switch a setting off).

        Example::

            policy.with_switches(trace=True)
        """
        return replace(self, strict=self.strict or strict, trace=self.trace or trace)
