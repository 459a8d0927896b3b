"""The plugin host: one per workspace, no module-level state.

It selects plugins from the index (enabled in ``pmo.toml``, allowed by the environment),
checks their requirement on pmo-core before import, imports only enabled ones, collects their
records per plugin (so a failure is pinned on the plugin that caused it), and quarantines a
plugin that fails to import, yields an invalid record, clashes, or raises in an event hook.

Records are collected all at once, on the first request for any of them, so a plugin's state
does not depend on which hook was asked first. When two plugins register one name, the one
earlier in the plugin order (built-ins, then ``[plugins] order``, then id) keeps it and the
other is refused, unless the earlier one failed on any of its records.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pluggy

from .. import hookspecs
from .._errors import IncompatiblePluginError, NotFoundError, PluginError
from .._version import __version__
from .index import (
    PluginEntry,
    canonical_distribution,
    installed_plugins,
    read_json_cache,
    write_json_cache,
)

if TYPE_CHECKING:
    from .._records import (
        PmoCommand,
        PmoConnector,
        PmoCustomFields,
        PmoGovernanceModel,
        PmoGovernanceRule,
        PmoMethodology,
        PmoReport,
        PmoSettings,
        PmoStorageBackend,
    )

log = logging.getLogger("pmo_core.plugins")
trace_log = logging.getLogger("pmo_core.trace")

BUILTIN_ID = "pmo-core"
_HOOKS_CACHE = "plugin-hooks.json"

State = Literal["loaded", "failed", "incompatible", "disabled", "denied"]

R = TypeVar("R")


@dataclass(frozen=True)
class PluginStatus:
    """What the host knows about one plugin: where it comes from and how loading went.

    ``state`` is ``loaded``, ``failed`` (import error, invalid record, clash, raising hook),
    ``incompatible`` (its pmo-core requirement excludes this version), ``disabled`` (not
    enabled in the workspace; never imported) or ``denied`` (excluded by the environment).

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

    @property
    def families(self) -> tuple[str, ...]:
        """The hook families this plugin implements (known once it has loaded).

        Example::

            host.status("governance").families  # ('governance', 'extensions')
        """
        return tuple(
            family
            for family, names in hookspecs.FAMILIES.items()
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
        }


def _record_types() -> dict[str, type[Any]]:
    from .. import _records

    return {hook: getattr(_records, name) for hook, name in hookspecs.REGISTRATION_HOOKS.items()}


def check_compatible(entry: PluginEntry, core_version: str = __version__) -> str | None:
    """Return why ``entry`` cannot run on this pmo-core, or ``None`` when it can."""
    if not entry.requires_core:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(entry.requires_core)
    except InvalidSpecifier:
        return f"has an invalid requirement on pmo-core: {entry.requires_core!r}"
    if spec.contains(core_version, prereleases=True):
        return None
    return f"requires pmo-core{entry.requires_core}, but pmo-core {core_version} is installed"


class PluginHost:
    """Discovers, loads and holds the plugins of one workspace.

    ``enabled`` lists plugin ids (or distribution names) to load from the installed ones;
    ``plugins`` registers extra plugin objects directly (embedders and tests), keyed by id;
    ``allow`` / ``deny`` restrict what may load (a :class:`~pmo_core.Workspace` passes
    ``PMO_PLUGINS_ALLOW`` / ``PMO_PLUGINS_DENY``; a host made directly uses only what it is
    given); ``strict`` turns a quarantine into a
    :class:`~pmo_core.PluginError`; ``trace`` logs every hook call with its duration to the
    ``pmo_core.trace`` logger.

    Example::

        host = PluginHost(enabled=["governance", "reports"])
        for report in host.reports():
            print(report.name, report.plugin)
    """

    def __init__(
        self,
        *,
        enabled: Iterable[str] = (),
        plugins: Mapping[str, object] | None = None,
        order: Sequence[str] = (),
        strict: bool = False,
        trace: bool = False,
        allow: Iterable[str] | None = None,
        deny: Iterable[str] = (),
        index: Sequence[PluginEntry] | None = None,
        builtins: bool = True,
    ) -> None:
        self._enabled = tuple(enabled)
        self._extra = dict(plugins or {})
        self._order = tuple(order)
        self.strict = strict
        self.trace = trace
        self._allow = None if allow is None else frozenset(allow)
        self._deny = frozenset(deny)
        self._index = None if index is None else list(index)
        self._builtins = builtins
        self._pm: pluggy.PluginManager | None = None
        self._statuses: dict[str, PluginStatus] = {}
        self._registry: dict[str, dict[str, Any]] = {}
        self._collected = False
        self._order_loaded: list[str] = []

    # ------------------------------------------------------------------ discovery

    def installed(self) -> list[PluginEntry]:
        """The installed plugins (from metadata; nothing is imported).

        Example::

            [(e.id, e.distribution, e.version) for e in host.installed()]
        """
        if self._index is None:
            self._index = installed_plugins()
        return self._index

    def resolve(self, name: str) -> PluginEntry:
        """Find an installed plugin by id or distribution name.

        Example::

            host.resolve("pmo-csv").id  # 'csv'
        """
        entries = self.installed()
        for entry in entries:
            if entry.id == name:
                return entry
        dist = canonical_distribution(name)
        matches = [e for e in entries if e.distribution == dist]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(e.id for e in matches)
            raise NotFoundError(f"distribution {name!r} provides several plugins ({ids}); name one")
        known = ", ".join(sorted(e.id for e in entries)) or "none installed"
        raise NotFoundError(f"no installed plugin {name!r} (installed: {known})")

    def _canonical_ids(self, names: Iterable[str]) -> set[str]:
        ids: set[str] = set()
        for name in names:
            try:
                ids.add(self.resolve(name).id)
            except NotFoundError:
                ids.add(name)  # reported by status(), not fatal: the config may be ahead of pip
        return ids

    # --------------------------------------------------------------------- loading

    @property
    def loaded(self) -> bool:
        """Whether :meth:`load` has run.

        Example::

            host.loaded  # False until a record or a status is asked for
        """
        return self._pm is not None

    def load(self) -> PluginHost:
        """Import the enabled plugins and collect their records (idempotent).

        Example::

            host = PluginHost(enabled=["csv"]).load()
        """
        if self._pm is not None:
            return self
        pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        pm.add_hookspecs(hookspecs)
        self._pm = pm
        candidates: list[tuple[PluginEntry | None, str, object | None]] = []
        if self._builtins:
            from .. import _builtins

            candidates.append((None, BUILTIN_ID, _builtins))
        enabled = self._canonical_ids(self._enabled)
        allow = None if self._allow is None else self._canonical_ids(self._allow)
        deny = self._canonical_ids(self._deny)
        installed = {e.id: e for e in self.installed() if "\0" not in e.id}
        for entry in self.installed():
            pid = entry.id.partition("\0")[0]
            on = pid in enabled
            if "\0" in entry.id:
                continue  # a clashing duplicate; reported on the first one
            if not on:
                self._statuses[pid] = _status(entry, enabled=False, state="disabled")
            elif pid in deny or (allow is not None and pid not in allow):
                self._statuses[pid] = _status(entry, enabled=True, state="denied")
            else:
                candidates.append((entry, pid, None))
        for pid in sorted(enabled - installed.keys() - self._extra.keys()):
            self._statuses[pid] = PluginStatus(
                id=pid,
                distribution="?",
                version="?",
                enabled=True,
                state="failed",
                error="enabled in pmo.toml but not installed",
            )
        for pid, obj in self._extra.items():
            candidates.append((None, pid, obj))
        rank = {pid: i for i, pid in enumerate(self._order)}
        candidates.sort(key=lambda c: (c[1] != BUILTIN_ID, rank.get(c[1], len(rank)), c[1]))
        for candidate, pid, obj in candidates:
            self._load_one(candidate, pid, obj)
        for status in self._statuses.values():
            if status.state in ("failed", "incompatible") and status.enabled and self.strict:
                cls = IncompatiblePluginError if status.state == "incompatible" else PluginError
                raise cls(status.error or "failed", plugin=status.id)
        return self

    def _load_one(self, entry: PluginEntry | None, pid: str, obj: object | None) -> None:
        pm = self._pm
        assert pm is not None
        if entry is not None:
            status = _status(entry, enabled=True, state="loaded")
        else:
            status = PluginStatus(
                id=pid,
                distribution="pmo-core" if pid == BUILTIN_ID else "(registered)",
                version=__version__ if pid == BUILTIN_ID else "",
                summary="Built-in capabilities of pmo-core." if pid == BUILTIN_ID else "",
                enabled=True,
                state="loaded",
                builtin=pid == BUILTIN_ID,
            )
        if entry is not None and entry.clashes_with:
            claimants = ", ".join((entry.distribution, *entry.clashes_with))
            self._fail(
                status, f"plugin id {pid!r} is claimed by several distributions: {claimants}"
            )
            return
        if entry is not None:
            reason = check_compatible(entry)
            if reason:
                self._statuses[pid] = replace(status, state="incompatible", error=reason)
                log.warning("plugin %r refused: %s", pid, reason)
                return
            try:
                obj = _import(entry)
            except Exception as exc:  # any import failure quarantines, never crashes pmo
                self._fail(status, f"import failed: {type(exc).__name__}: {exc}")
                return
        try:
            pm.register(obj, name=pid)
        except Exception as exc:  # pluggy validates hook names and signatures here
            self._fail(status, f"invalid hook implementation: {exc}")
            return
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(obj) or ()))
        self._statuses[pid] = replace(status, hooks=hooks)
        self._order_loaded.append(pid)

    def _fail(self, status: PluginStatus, error: str) -> None:
        self._statuses[status.id] = replace(status, state="failed", error=error)
        log.warning("plugin %r quarantined: %s", status.id, error)

    def _collect(self) -> None:
        """Collect every registration hook of every loaded plugin, once.

        All at once, so what a plugin is refused for cannot depend on which hook was asked
        first. First each plugin yields and validates its records on its own (a failure
        quarantines only that plugin); then names are settled in plugin order among the
        survivors, so a plugin never loses a name to one that was quarantined.
        """
        if self._collected:
            return
        pm = self._pm
        assert pm is not None
        types = _record_types()
        offered: dict[str, dict[str, list[Any]]] = {}
        for pid in list(self._order_loaded):
            try:
                offered[pid] = {
                    hook: [
                        record
                        for impl in getattr(pm.hook, hook).get_hookimpls()
                        if impl.plugin_name == pid
                        for record in self._call_registration(hook, pid, impl.function, expected)
                    ]
                    for hook, expected in types.items()
                }
            except PluginError as exc:
                self._quarantine(pid, str(exc).removeprefix(f"plugin {pid!r}: "))
        registry: dict[str, dict[str, Any]] = {hook: {} for hook in types}
        for pid, records in offered.items():
            try:
                for hook, batch in records.items():
                    self._check_names(hook, pid, batch, registry[hook])
            except PluginError as exc:
                self._quarantine(pid, str(exc).removeprefix(f"plugin {pid!r}: "))
                continue
            for hook, batch in records.items():
                registry[hook].update((record.name, record) for record in batch)
        self._registry = {hook: dict(sorted(found.items())) for hook, found in registry.items()}
        # Only now: after a strict-mode error the next request collects the survivors again.
        self._collected = True

    def _call_registration(
        self, hook: str, pid: str, function: Callable[[], Any], expected: type[Any]
    ) -> list[Any]:
        started = time.perf_counter()
        try:
            result = function()
            items = list(result) if result is not None else []
        except Exception as exc:
            raise PluginError(f"{hook} raised {type(exc).__name__}: {exc}", plugin=pid) from exc
        finally:
            if self.trace:
                ms = (time.perf_counter() - started) * 1000
                trace_log.info("%s[%s] %.3f ms", hook, pid, ms)
        stamped = []
        for item in items:
            if not isinstance(item, expected):
                raise PluginError(
                    f"{hook} yielded {type(item).__name__}, expected {expected.__name__}",
                    plugin=pid,
                )
            stamped.append(_revalidated(hook, pid, item))
        return stamped

    def _check_names(
        self, hook: str, pid: str, records: Sequence[Any], taken: Mapping[str, Any]
    ) -> None:
        names: set[str] = set()
        for item in records:
            if item.name in names:
                raise PluginError(f"{hook} yielded {item.name!r} twice", plugin=pid)
            names.add(item.name)
            if item.name in taken:
                other = taken[item.name].plugin
                raise PluginError(
                    f"{hook} name {item.name!r} clashes with plugin {other!r} "
                    f"(distribution {self._distribution(other)}); this plugin's distribution "
                    f"is {self._distribution(pid)}",
                    plugin=pid,
                )

    def _quarantine(self, pid: str, error: str) -> None:
        if pid == BUILTIN_ID:
            # pmo-core's own capabilities failing is a bug in pmo-core, not a plugin to hide.
            raise PluginError(error, plugin=pid)
        pm = self._pm
        assert pm is not None
        if pm.get_plugin(pid) is not None:
            pm.unregister(name=pid)
        if pid in self._order_loaded:
            self._order_loaded.remove(pid)
        for hook, registry in self._registry.items():
            self._registry[hook] = {n: r for n, r in registry.items() if r.plugin != pid}
        status = self._statuses.get(pid)
        if status is not None:
            self._fail(status, error)
        if self.strict:
            raise PluginError(error, plugin=pid)

    def _distribution(self, pid: str) -> str:
        status = self._statuses.get(pid)
        if status:
            return status.distribution
        for entry in self.installed():
            if entry.id == pid:
                return entry.distribution
        return "pmo-core" if pid == BUILTIN_ID else "(registered)"

    # ------------------------------------------------------------------ statuses

    def statuses(self) -> list[PluginStatus]:
        """Every known plugin, loaded or not, sorted by id (built-ins first).

        Example::

            [(s.id, s.state) for s in host.statuses()]
        """
        self.load()
        self._collect()
        self._remember_hooks()
        return sorted(self._statuses.values(), key=lambda s: (not s.builtin, s.id))

    def _remember_hooks(self) -> None:
        # A plugin that is not loaded is never imported, so its hooks are unknown; show the
        # ones it had when it last loaded in this environment (kept in a small cache file).
        known = read_json_cache(_HOOKS_CACHE) or {}
        changed = False
        for pid, status in self._statuses.items():
            key = f"{pid}@{status.version}"
            if status.state == "loaded" and not status.builtin and status.hooks:
                if known.get(key) != list(status.hooks):
                    known[key] = list(status.hooks)
                    changed = True
            elif not status.hooks and isinstance(known.get(key), list):
                self._statuses[pid] = replace(status, hooks=tuple(known[key]))
        if changed:
            write_json_cache(_HOOKS_CACHE, known)

    def status(self, name: str) -> PluginStatus:
        """The status of one plugin, by id or distribution name.

        Example::

            host.status("pmo-csv").state  # 'loaded'
        """
        self.statuses()
        if name in self._statuses:
            return self._statuses[name]
        return self._statuses[self.resolve(name).id] if self._known(name) else self._missing(name)

    def _known(self, name: str) -> bool:
        try:
            return self.resolve(name).id in self._statuses
        except NotFoundError:
            return False

    def _missing(self, name: str) -> PluginStatus:
        self.resolve(name)  # raises NotFoundError with the installed ids
        raise NotFoundError(f"no plugin {name!r}")

    def problems(self) -> list[PluginStatus]:
        """Enabled plugins that failed or were refused.

        Example::

            for status in host.problems():
                print(status.id, status.error)
        """
        return [s for s in self.statuses() if s.enabled and s.state in ("failed", "incompatible")]

    # ------------------------------------------------------------------- records

    def records(self, hook: str) -> tuple[Any, ...]:
        """Every record registered through ``hook``, sorted by name.

        Example::

            [r.name for r in host.records("pmo_reports")]
        """
        if hook not in hookspecs.REGISTRATION_HOOKS:
            raise ValueError(f"{hook!r} is not a registration hook")
        self.load()
        self._collect()
        return tuple(self._registry.get(hook, {}).values())

    def record(self, hook: str, name: str) -> Any:
        """One record by name; :class:`~pmo_core.NotFoundError` lists the names there are.

        Example::

            host.record("pmo_connectors", "csv").capabilities
        """
        self.records(hook)
        from .._records import normalise_name

        found = self._registry.get(hook, {}).get(normalise_name(name))
        if found is None:
            kind = hookspecs.REGISTRATION_HOOKS[hook].removeprefix("Pmo")
            known = ", ".join(self._registry.get(hook, {})) or "none registered"
            raise NotFoundError(f"no {_words(kind)} {name!r} (available: {known})")
        return found

    def governance_models(self) -> tuple[PmoGovernanceModel, ...]:
        """The registered :class:`~pmo_core.PmoGovernanceModel` records.

        Example::

            [m.name for m in host.governance_models()]
        """
        return self.records("pmo_governance_models")

    def governance_rules(self) -> tuple[PmoGovernanceRule, ...]:
        """The registered :class:`~pmo_core.PmoGovernanceRule` records.

        Example::

            [(r.name, r.level) for r in host.governance_rules()]
        """
        return self.records("pmo_governance_rules")

    def methodologies(self) -> tuple[PmoMethodology, ...]:
        """The registered :class:`~pmo_core.PmoMethodology` records.

        Example::

            [m.name for m in host.methodologies()]  # ['stage-gate']
        """
        return self.records("pmo_methodologies")

    def connectors(self) -> tuple[PmoConnector, ...]:
        """The registered :class:`~pmo_core.PmoConnector` records.

        Example::

            [c.name for c in host.connectors() if "read" in c.capabilities]
        """
        return self.records("pmo_connectors")

    def reports(self) -> tuple[PmoReport, ...]:
        """The registered :class:`~pmo_core.PmoReport` records.

        Example::

            [(r.name, r.formats) for r in host.reports()]
        """
        return self.records("pmo_reports")

    def custom_fields(self) -> tuple[PmoCustomFields, ...]:
        """The registered :class:`~pmo_core.PmoCustomFields` records.

        Example::

            [(f.name, f.kinds) for f in host.custom_fields()]
        """
        return self.records("pmo_custom_fields")

    def commands(self) -> tuple[PmoCommand, ...]:
        """The registered :class:`~pmo_core.PmoCommand` records.

        Example::

            [c.name for c in host.commands()]  # ['demo', 'doctor', ...]
        """
        return self.records("pmo_cli_commands")

    def storage_backends(self) -> tuple[PmoStorageBackend, ...]:
        """The registered :class:`~pmo_core.PmoStorageBackend` records.

        Example::

            [b.name for b in host.storage_backends()]  # ['memory', 'sqlite']
        """
        return self.records("pmo_storage_backends")

    def settings(self) -> tuple[PmoSettings, ...]:
        """The registered :class:`~pmo_core.PmoSettings` records.

        Example::

            [s.name for s in host.settings()]
        """
        return self.records("pmo_settings")

    # -------------------------------------------------------------------- events

    def listens(self, hook: str) -> bool:
        """Whether calling the event ``hook`` would reach anyone (or be traced).

        Example::

            if host.listens("pmo_entities_changed"):
                host.notify("pmo_entities_changed", workspace=ws, changes=build_batch())
        """
        self.load()
        self._collect()
        pm = self._pm
        assert pm is not None
        return self.trace or bool(getattr(pm.hook, hook).get_hookimpls())

    def notify(self, hook: str, **kwargs: Any) -> None:
        """Call an event hook on every loaded plugin; a raising plugin is quarantined.

        Example::

            host.notify("pmo_status_reported", workspace=ws, reports=[report])
        """
        self.load()
        self._collect()  # a plugin refused for its records must not hear events either
        pm = self._pm
        assert pm is not None
        caller = getattr(pm.hook, hook)
        # pluggy keeps plain implementations in registration order (and calls them in
        # reverse); events go in plugin order, with tryfirst / trylast honoured. Wrappers
        # make no sense for events and are not called.
        impls = [i for i in caller.get_hookimpls() if not (i.wrapper or i.hookwrapper)]
        ordered = (
            [i for i in impls if i.tryfirst]
            + [i for i in impls if not (i.tryfirst or i.trylast)]
            + [i for i in impls if i.trylast]
        )
        call_started = time.perf_counter()
        for impl in ordered:
            started = time.perf_counter()
            try:
                impl.function(*[kwargs[a] for a in impl.argnames])
            except Exception as exc:
                error = f"{hook} raised {type(exc).__name__}: {exc}"
                if self.strict:
                    raise PluginError(error, plugin=impl.plugin_name) from exc
                self._quarantine(impl.plugin_name, error)
            finally:
                if self.trace:
                    ms = (time.perf_counter() - started) * 1000
                    trace_log.info("%s[%s] %.3f ms", hook, impl.plugin_name, ms)
        if self.trace:
            ms = (time.perf_counter() - call_started) * 1000
            trace_log.info("%s: %d implementation(s), %.3f ms", hook, len(ordered), ms)

    @property
    def pluggy(self) -> pluggy.PluginManager:
        """The underlying pluggy manager (for advanced use and benchmarks).

        Example::

            host.pluggy.list_name_plugin()
        """
        self.load()
        assert self._pm is not None
        return self._pm


def _status(entry: PluginEntry, *, enabled: bool, state: State) -> PluginStatus:
    return PluginStatus(
        id=entry.id,
        distribution=entry.distribution,
        version=entry.version,
        summary=entry.summary,
        enabled=enabled,
        state=state,
        requires_core=entry.requires_core,
    )


def _revalidated(hook: str, pid: str, item: Any) -> Any:
    # Validated again, not just copied: a record built with model_construct() or altered
    # after construction would otherwise reach governance and reports unchecked.
    from pydantic import ValidationError

    data = {name: getattr(item, name) for name in type(item).model_fields if hasattr(item, name)}
    try:
        return type(item).model_validate({**data, "plugin": pid})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        name = data.get("name", "?")
        raise PluginError(
            f"{hook} yielded an invalid {type(item).__name__} {name!r}: {problems}", plugin=pid
        ) from None


def _import(entry: PluginEntry) -> object:
    module_name, _, attr = entry.value.partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for part in attr.strip().split(".") if attr.strip() else ():
        obj = getattr(obj, part)
    return obj


def _words(camel: str) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()
