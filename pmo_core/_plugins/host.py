"""The plugin host: one per workspace, no module-level state.

It selects plugins from the index (enabled in ``pmo.toml``, allowed by the environment),
checks their requirement on pmo-core before import, imports only enabled ones, collects their
records per plugin (so a failure is pinned on the plugin that caused it), and quarantines a
plugin that fails to import, yields an invalid record, clashes, or raises in an event hook.

A request (the records of one hook, the listeners of one event) imports only the enabled
plugins whose footprint answers it, or all of them when any footprint is missing, stale or
shares a record name with another (see :mod:`pmo_core._plugins.footprint`). A plugin's
records are collected all at once, when it is first loaded, so its state does not depend on
which hook was asked first. When two plugins register one name, the one
earlier in the plugin order (built-ins, then ``[plugins] order``, then the order they were
enabled in, then id) keeps it and the later one is refused, unless the earlier one failed on
any of its records: a newcomer never displaces a plugin already in use. Installed plugins are
imported in a child process first (see :mod:`pmo_core._plugins.preflight`), and whatever a
plugin raises, ``sys.exit`` and ``KeyboardInterrupt`` included, is contained.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pluggy

from .. import _builtins, hookspecs
from .._errors import PLUGIN_FAILURES, IncompatiblePluginError, NotFoundError, PluginError, describe
from .._records import PmoRecord
from .._version import __version__
from . import preflight
from .cache import read_json_cache, write_json_cache
from .footprint import Footprints, clash_free
from .index import (
    PluginEntry,
    canonical_distribution,
    check_compatible,
    import_entry,
    installed_plugins,
)
from .policy import HostPolicy
from .registry import NameTaken, RecordRegistry, record_words, revalidated
from .status import PluginStatus, status_of

log = logging.getLogger("pmo_core.plugins")
trace_log = logging.getLogger("pmo_core.trace")

BUILTIN_ID = "pmo-core"
_HOOKS_CACHE = "plugin-hooks.json"

R = TypeVar("R", bound=PmoRecord)


@dataclass(frozen=True)
class _Candidate:
    """A plugin to load: an installed entry, or an object registered directly."""

    pid: str
    entry: PluginEntry | None = None
    obj: object | None = None
    notes: tuple[str, ...] = ()


class PluginHost:
    """Discovers, loads and holds the plugins of one workspace.

    ``policy`` says which installed plugins to load and how (a :class:`~pmo_core.Workspace`
    builds it from ``pmo.toml`` and the environment); the keyword arguments ``enabled``,
    ``order``, ``strict``, ``trace``, ``allow`` and ``deny`` build one directly, for a host
    made by hand (then the environment is not read). ``plugins`` registers extra plugin
    objects directly (embedders and tests), keyed by id. With ``strict`` a quarantine raises
    :class:`~pmo_core.PluginError`; with ``trace`` every hook call is logged with its duration
    to the ``pmo_core.trace`` logger.

    Example::

        host = PluginHost(enabled=["governance", "reports"])
        for report in host.records(PmoReport):
            print(report.name, report.plugin)
    """

    def __init__(
        self,
        policy: HostPolicy | None = None,
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
        if policy is None:
            policy = HostPolicy(
                enabled=tuple(enabled),
                order=tuple(order),
                strict=strict,
                trace=trace,
                allow=None if allow is None else frozenset(allow),
                deny=frozenset(deny),
            )
        elif tuple(enabled) or tuple(order) or strict or trace or allow is not None or tuple(deny):
            raise TypeError("give either a policy or its fields (enabled, order, ...), not both")
        self.policy = policy
        self._extra = dict(plugins or {})
        self._index = None if index is None else list(index)
        self._builtins = builtins
        self._pm: pluggy.PluginManager | None = None
        self._statuses: dict[str, PluginStatus] = {}
        self._registry = RecordRegistry(hookspecs.registration_hooks())
        self._builtin_registry: RecordRegistry | None = None
        self._collected = False
        self._order_loaded: list[str] = []
        # Loading is per request: the candidates not imported yet, each plugin's records as
        # it yielded them, and the plugin order (candidates() decides it once).
        self._pending: list[_Candidate] = []
        self._rank: dict[str, int] = {}
        self._offered: dict[str, dict[type[PmoRecord], list[PmoRecord]]] = {}
        self._entries: dict[str, PluginEntry] = {}
        self._footprints: Footprints | None = None
        self._built = False

    @property
    def strict(self) -> bool:
        """Whether a failing plugin is an error rather than a quarantine.

        Example::

            PluginHost(strict=True).strict  # True
        """
        return self.policy.strict

    @property
    def trace(self) -> bool:
        """Whether every hook call is logged with its duration.

        Example::

            PluginHost(trace=True).trace  # True
        """
        return self.policy.trace

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
        """Import every enabled plugin (idempotent); records are collected on first request.

        Example::

            host = PluginHost(enabled=["csv"]).load()
        """
        self._load(None)
        return self

    def _load(self, hooks: frozenset[str] | None) -> None:
        """Import the enabled plugins a request for ``hooks`` needs (``None``: all of them)."""
        if self._pm is None:
            pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
            pm.add_hookspecs(hookspecs)
            self._pm = pm
            self._pending = self._candidates()
            self._rank = {c.pid: i for i, c in enumerate(self._pending)}
        if not self._pending:
            return
        chosen = self._needed(hooks)
        # Only what would be imported: a contested id or an incompatible plugin never is.
        importable = [
            c.entry
            for c in chosen
            if c.entry is not None
            and not c.entry.clashes_with
            and check_compatible(c.entry) is None
        ]
        verdicts = preflight.verdicts(importable) if importable and self.policy.preflight else {}
        picked = {c.pid for c in chosen}
        self._entries.update((c.pid, c.entry) for c in chosen if c.entry is not None)
        self._pending = [c for c in self._pending if c.pid not in picked]
        for candidate in chosen:
            self._load_one(candidate, verdicts.get(candidate.pid))
        self._order_loaded.sort(key=lambda pid: self._rank.get(pid, len(self._rank)))
        for status in self._statuses.values():
            if status.state in ("failed", "incompatible") and status.enabled and self.strict:
                cls = IncompatiblePluginError if status.state == "incompatible" else PluginError
                raise cls(status.error or "failed", plugin=status.id)

    def _needed(self, hooks: frozenset[str] | None) -> list[_Candidate]:
        """The candidates still to import that a request for ``hooks`` needs.

        Those whose footprint implements one of ``hooks``, plus pmo-core's built-ins and
        plugin objects registered directly (already in memory). Every candidate whenever one
        of them has no trustworthy footprint or two footprints share a record name: then
        only loading all of them tells what is there and who keeps which name.
        """
        pending = self._pending
        if hooks is None or self.strict:
            return pending
        if self._footprints is None:
            self._footprints = Footprints()
        prints = {}
        for candidate in pending:
            if candidate.entry is None:
                continue
            found = self._footprints.get(candidate.pid, candidate.entry)
            if found is None:
                return pending
            prints[candidate.pid] = found
        if not clash_free(prints.values()):
            return pending
        return [c for c in pending if c.pid not in prints or prints[c.pid].hooks & hooks]

    def _candidates(self) -> list[_Candidate]:
        """The plugins to load, in precedence order; the statuses of the others are set."""
        policy = self.policy
        candidates: list[_Candidate] = []
        if self._builtins:
            candidates.append(_Candidate(BUILTIN_ID, obj=_builtins))
        enabled = self._canonical_ids(policy.enabled)
        allow = None if policy.allow is None else self._canonical_ids(policy.allow)
        deny = self._canonical_ids(policy.deny)
        claims: dict[str, list[PluginEntry]] = {}
        for entry in self.installed():
            claims.setdefault(entry.id, []).append(entry)
        for pid, entries in claims.items():
            entry, notes = self._owner(pid, entries)
            if pid not in enabled:
                self._statuses[pid] = status_of(entry, enabled=False, state="disabled")
            elif pid in deny or (allow is not None and pid not in allow):
                self._statuses[pid] = status_of(entry, enabled=True, state="denied")
            else:
                candidates.append(_Candidate(pid, entry=entry, notes=notes))
        for pid in sorted(enabled - claims.keys() - self._extra.keys()):
            self._statuses[pid] = PluginStatus(
                id=pid,
                distribution="?",
                version="?",
                enabled=True,
                state="failed",
                error="enabled in pmo.toml but not installed",
            )
        candidates += [_Candidate(pid, obj=obj) for pid, obj in self._extra.items()]
        # Who keeps a contested record name is decided by this order: pmo-core itself, then
        # the explicit [plugins] order, then the order plugins were enabled in (a newcomer
        # is appended, so it never displaces a plugin already enabled), then the id.
        rank = {pid: i for i, pid in enumerate(policy.order)}
        seniority = {pid: i for i, pid in enumerate(self._canonical_list(policy.enabled))}
        candidates.sort(
            key=lambda c: (
                c.pid != BUILTIN_ID,
                rank.get(c.pid, len(rank)),
                seniority.get(c.pid, len(seniority)),
                c.pid,
            )
        )
        return candidates

    def _owner(self, pid: str, entries: list[PluginEntry]) -> tuple[PluginEntry, tuple[str, ...]]:
        """The entry that owns plugin id ``pid`` when several distributions claim it: the one
        the workspace recorded as its source; with none recorded, the id stays contested."""
        if len(entries) == 1:
            return entries[0], ()
        source = self.policy.sources.get(pid)
        owner = next((e for e in entries if e.distribution == source), None)
        if owner is None:
            return entries[0], ()  # entries[0].clashes_with names the others: refused
        others = [e.distribution for e in entries if e is not owner]
        note = (
            f"plugin id {pid!r} is also claimed by {', '.join(others)}, refused: this "
            f"workspace enabled it from {owner.distribution}"
        )
        log.warning("%s", note)
        return replace(owner, clashes_with=()), (note,)

    def _canonical_list(self, names: Iterable[str]) -> list[str]:
        out: list[str] = []
        for name in names:
            try:
                out.append(self.resolve(name).id)
            except NotFoundError:
                out.append(name)
        return out

    def _load_one(self, candidate: _Candidate, verdict: preflight.Verdict | None) -> None:
        pm = self._pm
        assert pm is not None
        entry, pid, obj = candidate.entry, candidate.pid, candidate.obj
        if entry is not None:
            status = status_of(entry, enabled=True, state="loaded")
            status = replace(status, notes=candidate.notes)
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
        if entry is not None:
            imported = self._import(entry, status, verdict)
            if imported is None:
                return
            obj, status = imported
        try:
            pm.register(obj, name=pid)
        except Exception as exc:  # pluggy validates hook names and signatures here
            self._fail(status, f"invalid hook implementation: {exc}")
            return
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(obj) or ()))
        self._statuses[pid] = replace(status, hooks=hooks)
        self._order_loaded.append(pid)

    def _import(
        self, entry: PluginEntry, status: PluginStatus, verdict: preflight.Verdict | None
    ) -> tuple[object, PluginStatus] | None:
        """Import an installed plugin, or set why not and return ``None``."""
        pid = entry.id
        if entry.clashes_with:
            claimants = ", ".join((entry.distribution, *entry.clashes_with))
            self._fail(
                status, f"plugin id {pid!r} is claimed by several distributions: {claimants}"
            )
            return None
        reason = check_compatible(entry)
        if reason:
            self._statuses[pid] = replace(status, state="incompatible", error=reason)
            log.warning("plugin %r refused: %s", pid, reason)
            return None
        if verdict is not None and not verdict.ok:
            self._fail(status, f"refused: {verdict.reason}")
            return None
        started = time.perf_counter()
        try:
            obj = import_entry(entry)
        except PLUGIN_FAILURES as exc:  # any import failure quarantines, never exits pmo
            self._fail(status, f"import failed: {describe(exc)}")
            return None
        finally:
            seconds = time.perf_counter() - started
            if self.trace:
                trace_log.info("import[%s] %.3f ms", pid, seconds * 1000)
        notes = status.notes
        limit = self.policy.slow_import_seconds
        if seconds > limit:
            notes = (*notes, f"its import took {seconds:.2f} s (more than {limit:g} s)")
        return obj, replace(status, import_seconds=seconds, notes=notes)

    def _fail(self, status: PluginStatus, error: str) -> None:
        self._statuses[status.id] = replace(status, state="failed", error=error)
        log.warning("plugin %r quarantined: %s", status.id, error)

    def _collect(self, hooks: frozenset[str] | None = None) -> None:
        """Load the plugins a request for ``hooks`` needs (``None``: every enabled plugin)
        and collect every registration hook of each plugin loaded, once per plugin.

        Each plugin's hooks are collected all at once, so what a plugin is refused for cannot
        depend on which hook was asked first. First each plugin yields and validates its
        records on its own (a failure quarantines only that plugin); then names are settled
        in plugin order among the survivors, so a plugin never loses a name to one that was
        quarantined. Plugins left unloaded by a request share no record name with any other
        (their footprints say so), so loading them later changes no settled name.
        """
        if self._collected:
            return
        self._load(hooks)
        pm = self._pm
        assert pm is not None
        fresh = [pid for pid in self._order_loaded if pid not in self._offered]
        if not fresh and self._built:
            self._collected = not self._pending
            return
        for pid in fresh:
            try:
                self._offered[pid] = self._offered_by(pid)
            except PluginError as exc:
                self._quarantine(pid, str(exc).removeprefix(f"plugin {pid!r}: "))
        # Only the survivors, in plugin order: a quarantined plugin left _order_loaded.
        offered = {pid: self._offered[pid] for pid in self._order_loaded if pid in self._offered}
        registry = RecordRegistry(hookspecs.registration_hooks())
        for pid, records in offered.items():
            try:
                for cls, batch in records.items():
                    registry.check_names(cls, pid, batch)
            except NameTaken as taken:
                self._quarantine(
                    pid,
                    f"{taken.hook} name {taken.name!r} clashes with plugin {taken.holder!r} "
                    f"(distribution {self._distribution(taken.holder)}); this plugin's "
                    f"distribution is {self._distribution(pid)}",
                )
                continue
            except PluginError as exc:
                self._quarantine(pid, str(exc).removeprefix(f"plugin {pid!r}: "))
                continue
            for cls, batch in records.items():
                registry.add(cls, batch)
        self._registry = registry
        self._built = True
        self._remember_footprints(fresh)
        # Only now: after a strict-mode error the next request collects the survivors again.
        self._collected = not self._pending

    def _remember_footprints(self, pids: Iterable[str]) -> None:
        # What each plugin that loaded and survived registers, for the next command to load
        # only the plugins it needs.
        pm = self._pm
        assert pm is not None
        if self._footprints is None:
            self._footprints = Footprints()
        specs = hookspecs.registration_hooks()
        for pid in pids:
            status, entry = self._statuses.get(pid), self._entries.get(pid)
            if status is None or status.state != "loaded" or entry is None:
                continue
            names = {specs[cls].name: [r.name for r in b] for cls, b in self._offered[pid].items()}
            self._footprints.remember(pid, entry, status.hooks, names)
        self._footprints.save()

    def _offered_by(self, pid: str) -> dict[type[PmoRecord], list[PmoRecord]]:
        pm = self._pm
        assert pm is not None
        offered: dict[type[PmoRecord], list[PmoRecord]] = {}
        for cls, spec in hookspecs.registration_hooks().items():
            offered[cls] = [
                record
                for impl in getattr(pm.hook, spec.name).get_hookimpls()
                if impl.plugin_name == pid
                for record in self._call_registration(spec.name, pid, impl.function, cls)
            ]
        return offered

    def _call_registration(
        self, hook: str, pid: str, function: Callable[[], Any], expected: type[PmoRecord]
    ) -> list[PmoRecord]:
        started = time.perf_counter()
        try:
            result = function()
            items = list(result) if result is not None else []
        except PLUGIN_FAILURES as exc:
            raise PluginError(f"{hook} raised {describe(exc)}", plugin=pid) from exc
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
            stamped.append(revalidated(hook, pid, item))
        return stamped

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
        self._registry.drop(pid)
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

            host.status("pmo-governance").state  # 'loaded'
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

    def problems(self, hooks: Iterable[str] | None = None) -> list[PluginStatus]:
        """Enabled plugins that failed or were refused.

        With ``hooks``, only the plugins that implement one of them or may (a plugin never
        loaded in this environment, or changed since): the others are not imported.

        Example::

            for status in host.problems():
                print(status.id, status.error)
            host.problems(hooks=["pmo_governance_rules"])  # only plugins that may have rules
        """
        if hooks is None:
            statuses = self.statuses()
        else:
            self._collect(frozenset(hooks))
            self._remember_hooks()
            statuses = sorted(self._statuses.values(), key=lambda s: (not s.builtin, s.id))
        return [s for s in statuses if s.enabled and s.state in ("failed", "incompatible")]

    # ------------------------------------------------------------------- records

    def records(self, cls: type[R]) -> tuple[R, ...]:
        """Every record of type ``cls`` (the record of one registration hook), sorted by name.

        Example::

            [r.name for r in host.records(PmoReport)]
        """
        self._collect(_hooks_of(cls))
        return self._registry.records(cls)

    def record(self, cls: type[R], name: str) -> R:
        """One record of type ``cls`` by name; :class:`~pmo_core.NotFoundError` lists the
        names there are.

        A name pmo-core provides itself (a built-in command or storage backend) is answered
        without loading any plugin: built-ins keep their names whatever a plugin registers.

        Example::

            host.record(PmoReport, "portfolio-summary").formats
        """
        if not self._collected and self._builtins:
            builtin = self._builtin_records().get(cls, name)
            if builtin is not None:
                return builtin
        self._collect(_hooks_of(cls))
        found = self._registry.get(cls, name)
        if found is None:
            known = ", ".join(self._registry.names(cls)) or "none registered"
            raise NotFoundError(f"no {record_words(cls)} {name!r} (available: {known})")
        return found

    def _builtin_records(self) -> RecordRegistry:
        if self._builtin_registry is None:
            registry = RecordRegistry(hookspecs.registration_hooks())
            for cls, spec in hookspecs.registration_hooks().items():
                function = getattr(_builtins, spec.name, None)
                if function is not None:
                    registry.add(cls, self._call_registration(spec.name, BUILTIN_ID, function, cls))
            self._builtin_registry = registry
        return self._builtin_registry

    # -------------------------------------------------------------------- events

    def listens(self, hook: str) -> bool:
        """Whether calling the event ``hook`` would reach anyone (or be traced).

        Example::

            if host.listens("pmo_entities_changed"):
                host.notify("pmo_entities_changed", workspace=ws, changes=build_batch())
        """
        self._collect(frozenset({hook}))
        pm = self._pm
        assert pm is not None
        return self.trace or bool(getattr(pm.hook, hook).get_hookimpls())

    def notify(self, hook: str, **kwargs: Any) -> None:
        """Call an event hook on every loaded plugin; a raising plugin is quarantined.

        Example::

            host.notify("pmo_status_reported", workspace=ws, reports=[report])
        """
        # A plugin refused for its records must not hear events either.
        self._collect(frozenset({hook}))
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
            except PLUGIN_FAILURES as exc:
                error = f"{hook} raised {describe(exc)}"
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


def _hooks_of(cls: type[PmoRecord]) -> frozenset[str] | None:
    spec = hookspecs.registration_hooks().get(cls)
    # Not a registration record: the registry names the record types in its error.
    return None if spec is None else frozenset({spec.name})
