"""The entry-point index: which pmo plugins are installed, read from metadata only.

Nothing here imports a plugin. The index is cached per Python environment in a JSON file and
rebuilt when the environment changes: the cache key holds the modification time of every
``sys.path`` entry, which changes whenever a distribution is installed or removed there (the
same signal ``importlib.metadata`` uses for its own path cache).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .._env import env_flag
from .._version import __version__
from .cache import (
    cache_dir,
    environment_fingerprint,
    read_json_cache,
    short_key,
    write_json,
    write_json_cache,
)

ENTRY_POINT_GROUP = "pmo_core.plugins"
# The hook families a plugin declares, for listing it before it is ever imported: one entry
# point per family, named ``ID.FAMILY``, its value the plugin's module (never loaded):
# ``"csv.connectors" = "pmo_csv"``.
FAMILIES_GROUP = "pmo_core.families"
_CACHE_FORMAT = 3


def canonical_distribution(name: str) -> str:
    """Normalise a distribution name as PEP 503 does (``Pmo_Acme`` -> ``pmo-acme``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class PluginEntry:
    """An installed plugin as its metadata describes it (nothing imported).

    Example::

        PluginEntry(id="csv", distribution="pmo-csv", version="0.1.0",
                    value="pmo_csv", requires_core=">=0.1,<1", summary="CSV files.",
                    families=("connectors",))

    ``families`` are the hook families the distribution declares in its metadata (entry
    point group ``pmo_core.families``), empty when it declares none.
    """

    id: str
    distribution: str
    version: str
    value: str
    requires_core: str = ""
    summary: str = ""
    path: str = ""
    clashes_with: tuple[str, ...] = field(default=())
    families: tuple[str, ...] = field(default=())

    @property
    def module(self) -> str:
        """The module the entry point names.

        Example::

            PluginEntry(id="acme", distribution="pmo-acme", version="1.0",
                        value="pmo_acme.plugin:hooks").module  # 'pmo_acme.plugin'
        """
        return self.value.partition(":")[0].strip()


def _requirement_on_core(requires: Iterable[str] | None) -> str:
    # Parsed with packaging (only on a cache miss): a regex would read 'pmo-core-extras>=5'
    # as a requirement on pmo-core, and would honour requirements of extras ('; extra ==
    # "test"') that an installed plugin does not have.
    from packaging.requirements import InvalidRequirement, Requirement

    for line in requires or ():
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if canonical_distribution(req.name) != "pmo-core":
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        return ",".join(sorted(str(s) for s in req.specifier))
    return ""


def scan() -> list[PluginEntry]:
    """Read every installed pmo plugin from distribution metadata, without importing it.

    A distribution found twice on ``sys.path`` counts once (the first, as the import system
    would pick); distributions claiming the same plugin id are all kept, each naming the
    others in ``clashes_with``, so the host refuses the id with every claimant named.
    """
    from importlib.metadata import distributions

    found: list[PluginEntry] = []
    seen_dists: set[str] = set()
    for dist in distributions():
        # Cheap pre-filter: most distributions have no entry points in our group at all.
        text = dist.read_text("entry_points.txt")
        if not text or ENTRY_POINT_GROUP not in text:
            continue
        name = canonical_distribution(dist.metadata["Name"] or "")
        if name in seen_dists:
            continue
        seen_dists.add(name)
        declared: dict[str, tuple[str, ...]] = {}
        for ep in dist.entry_points:
            if ep.group == FAMILIES_GROUP:
                pid, _, family = ep.name.rpartition(".")
                declared[pid] = (*declared.get(pid, ()), family)
        for ep in dist.entry_points:
            if ep.group == ENTRY_POINT_GROUP:
                found.append(
                    PluginEntry(
                        id=ep.name,
                        distribution=name,
                        version=dist.version,
                        value=ep.value,
                        requires_core=_requirement_on_core(dist.requires),
                        summary=(dist.metadata.get_all("Summary") or [""])[0],
                        path=str(getattr(dist, "_path", "")),
                        families=declared.get(ep.name, ()),
                    )
                )
    claimants: dict[str, list[str]] = {}
    for entry in found:
        claimants.setdefault(entry.id, []).append(entry.distribution)
    found = [
        _with_clash(e, [d for d in claimants[e.id] if d != e.distribution])
        if len(claimants[e.id]) > 1
        else e
        for e in found
    ]
    return sorted(found, key=lambda e: (e.id, e.distribution))


def _with_clash(entry: PluginEntry, others: list[str]) -> PluginEntry:
    return PluginEntry(**{**asdict(entry), "clashes_with": tuple(others)})


def installed_plugins(
    *, use_cache: bool = True, environ: dict[str, str] | None = None
) -> list[PluginEntry]:
    """The installed plugins, from the per-environment cache when it is still valid.

    Example::

        for entry in installed_plugins():
            print(entry.id, entry.distribution, entry.version)
    """
    env = dict(os.environ) if environ is None else environ
    if not use_cache or env_flag("PMO_NO_CACHE", env):
        return scan()
    fingerprint = environment_fingerprint()
    path = _cache_file(env)
    try:
        with open(path, encoding="utf-8") as f:
            cached: dict[str, Any] = json.load(f)
        if cached.get("format") == _CACHE_FORMAT and cached.get("fingerprint") == fingerprint:
            return [_entry(item) for item in cached["plugins"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # a missing or corrupt cache is rebuilt below
    entries = scan()
    write_json(
        path,
        {
            "format": _CACHE_FORMAT,
            "fingerprint": fingerprint,
            "plugins": [asdict(e) for e in entries],
        },
    )
    return entries


def _entry(item: dict[str, Any]) -> PluginEntry:
    item = dict(item)
    item["clashes_with"] = tuple(item.get("clashes_with", ()))
    item["families"] = tuple(item.get("families", ()))
    return PluginEntry(**item)


def _cache_file(env: dict[str, str]) -> Path:
    # One file per environment (interpreter prefix) so several venvs do not thrash one cache.
    return cache_dir(env) / f"index-{short_key(sys.prefix)}.json"


_VERDICTS = "compatibility.json"
# The verdicts read or made in this process, by requirement and pmo-core version.
_verdicts: dict[str, str | None] | None = None


def check_compatible(entry: PluginEntry, core_version: str = __version__) -> str | None:
    """Return why ``entry`` cannot run on this pmo-core, or ``None`` when it can.

    A verdict depends only on the requirement and the version, so it is kept in a small
    cache file: a command that imports a plugin does not import packaging to parse the same
    requirement again.
    """
    global _verdicts
    if not entry.requires_core:
        return None
    key = f"{entry.requires_core}\0{core_version}"
    if _verdicts is None:
        cached = read_json_cache(_VERDICTS) or {}
        _verdicts = {k: v for k, v in cached.items() if v is None or isinstance(v, str)}
    if key in _verdicts:
        return _verdicts[key]
    verdict = _verdict(entry.requires_core, core_version)
    _verdicts[key] = verdict
    write_json_cache(_VERDICTS, dict(_verdicts))
    return verdict


def _verdict(requires_core: str, core_version: str) -> str | None:
    # packaging only on this path: most commands load no installed plugin at all.
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(requires_core)
    except InvalidSpecifier:
        return f"has an invalid requirement on pmo-core: {requires_core!r}"
    if spec.contains(core_version, prereleases=True):
        return None
    return f"requires pmo-core{requires_core}, but pmo-core {core_version} is installed"


def import_entry(entry: PluginEntry) -> object:
    """Import the object an entry point names (the plugin module, or an attribute of it)."""
    module_name, _, attr = entry.value.partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for part in attr.strip().split(".") if attr.strip() else ():
        obj = getattr(obj, part)
    return obj
