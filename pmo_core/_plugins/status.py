"""What the host knows about one plugin: where it comes from and how loading went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .. import hookspecs
from .index import PluginEntry

State = Literal["loaded", "failed", "incompatible", "disabled", "denied"]


@dataclass(frozen=True)
class PluginStatus:
    """What the host knows about one plugin: where it comes from and how loading went.

    ``state`` is ``loaded``, ``failed`` (import error, invalid record, clash, raising hook, an
    import that ends the process), ``incompatible`` (its pmo-core requirement excludes this
    version), ``disabled`` (not enabled in the workspace; never imported) or ``denied``
    (excluded by the environment). ``import_seconds`` is how long its import took in this
    process; ``notes`` are warnings that do not stop it (a slow import, another distribution
    refused for claiming its id).

    Example::

        status = host.status("csv")
        status.state, status.error  # ('loaded', None)
    """

    id: str
    distribution: str
    version: str
    summary: str = ""
    enabled: bool = False
    state: State = "disabled"
    error: str | None = None
    hooks: tuple[str, ...] = ()
    requires_core: str = ""
    builtin: bool = False
    import_seconds: float | None = None
    notes: tuple[str, ...] = ()
    declared_families: tuple[str, ...] = ()

    @property
    def families(self) -> tuple[str, ...]:
        """The hook families this plugin implements: those of its hooks once it has loaded
        (or as it last loaded here), else those its distribution declares in its metadata
        (entry point group ``pmo_core.families``), so a plugin never imported shows them.

        Example::

            host.status("governance").families  # ('governance', 'extensions')
        """
        if not self.hooks:
            known = hookspecs.families()
            return tuple(f for f in known if f in self.declared_families)
        return tuple(
            family
            for family, names in hookspecs.families().items()
            if any(h in names for h in self.hooks)
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo plugins list --json`` prints it.

        Example::

            json.dumps([s.as_dict() for s in host.statuses()])
        """
        return {
            "id": self.id,
            "distribution": self.distribution,
            "version": self.version,
            "summary": self.summary,
            "enabled": self.enabled,
            "status": self.state,
            "error": self.error,
            "families": list(self.families),
            "hooks": list(self.hooks),
            "requires_core": self.requires_core,
            "builtin": self.builtin,
            "import_seconds": self.import_seconds,
            "notes": list(self.notes),
        }


def status_of(entry: PluginEntry, *, enabled: bool, state: State) -> PluginStatus:
    return PluginStatus(
        id=entry.id,
        distribution=entry.distribution,
        version=entry.version,
        summary=entry.summary,
        enabled=enabled,
        state=state,
        requires_core=entry.requires_core,
        declared_families=entry.families,
    )
