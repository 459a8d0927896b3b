"""The Workspace: the composition root that embedders, the CLI and plugin tests open.

A workspace is a directory with a ``pmo.toml`` and a store; it owns its plugin host and its
store, so several workspaces with different plugins live side by side in one process. It
decides nothing itself: every method delegates to one service (entities, status and RAID,
governance, gates, exchange, reports, settings, plugins), and every write goes through one
transaction API whose events fire after the commit.
"""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from ._config import PluginsTable, WorkspaceConfig, WorkspaceTable, render_config
from ._domain import (
    DomainModel,
    Entity,
    RaidItem,
    StatusReport,
)
from ._errors import ConflictError, InvalidInputError, StoreError
from ._locate import CONFIG_FILE, DATA_DIR, find_workspace
from ._plugins.host import PluginHost
from ._plugins.policy import HostPolicy
from ._redact import redact
from ._services.search import search as search_service
from ._services.storage import backend_plugin, open_store
from ._services.transactions import transaction
from ._store.protocol import JournalEntry, SearchHit, Store, Transaction, VerifyResult
from ._view import WorkspaceView
from ._workspace_changes import ChangeControlAPI
from ._workspace_decisions import DecisionsAPI
from ._workspace_office import OfficeAPI
from ._workspace_plan import PlanAPI
from ._workspace_sync import SyncAPI

if TYPE_CHECKING:
    from ._records import ReportOutput, Score
    from ._records._base import ConflictPolicy
    from ._services.approvals import ApprovalService
    from ._services.artifacts import ArtifactService
    from ._services.baselines import BaselineService
    from ._services.changes import ChangeService
    from ._services.diff import ImportResult
    from ._services.entities import EntityService
    from ._services.exchange import ExchangeService
    from ._services.finance import FinanceService
    from ._services.gates import GateService
    from ._services.governance import GovernanceService
    from ._services.lifecycle import LifecycleService
    from ._services.office import OfficeService
    from ._services.planning import PlanningService
    from ._services.plugins import PluginService
    from ._services.raid import RaidService
    from ._services.reports import ReportService
    from ._services.roles import RoleService
    from ._services.scoring import ScoringService
    from ._services.settings import RuleOverride, SettingsService
    from ._services.sync import SyncService
    from ._services.tailoring import TailoringService
    from ._services.tolerances import ToleranceService
    from ._services.waivers import WaiverService

M = TypeVar("M", bound=DomainModel)


class Workspace(DecisionsAPI, ChangeControlAPI, PlanAPI, SyncAPI, OfficeAPI):
    """A PMO workspace: entities, status, RAID, gates, imports and reports, with its plugins.

    Open one from a directory that holds a ``pmo.toml`` (or create one with :meth:`init`), or
    make a throw-away one with :meth:`in_memory`. Use it as a context manager so the store is
    closed. ``host`` (a :class:`~pmo_core.PluginHost`) and ``store`` may be given instead of
    the ones ``pmo.toml`` describes; ``today`` is the clock of the status date; ``environ``
    stands in for ``os.environ`` (settings and plugin switches are read from it).

    Example::

        with Workspace.init("newco", profile="starter") as newco:
            newco.create("portfolio", id="PF", name="Newco portfolio")
            newco.create("project", id="ALPHA", name="Alpha", parent="PF", sponsor="Dana")
            print(newco.check("ALPHA"))
    """

    def __init__(
        self,
        config: WorkspaceConfig,
        *,
        host: PluginHost | None = None,
        store: Store | None = None,
        actor: str | None = None,
        today: Callable[[], date] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self.config = config
        self.actor = _actor(actor, self._environ)
        self._today = today or date.today
        self._owns_host = host is None
        self._host = host or PluginHost(HostPolicy.for_workspace(config, self._environ))
        self._store = store
        self._closed = False
        if self._host.strict:
            # Strict (CI): every enabled plugin must load, whatever the first command needs;
            # otherwise plugins load only when something asks for their records or events.
            self._host.statuses()

    # --------------------------------------------------------------- services
    # Each service is made on its first use, wired to the ones it works with, and its module
    # imported then: a command uses a few of them, and importing all of them (and what they
    # import) would be a good part of every command's start-up.

    @functools.cached_property
    def _settings(self) -> SettingsService:
        from ._services.settings import SettingsService

        return SettingsService(self)

    @functools.cached_property
    def _governance(self) -> GovernanceService:
        from ._services.governance import GovernanceService

        return GovernanceService(self, self._settings)

    @functools.cached_property
    def _tolerances(self) -> ToleranceService:
        from ._services.tolerances import ToleranceService

        return ToleranceService(self, self._governance, self._settings)

    @functools.cached_property
    def _entities(self) -> EntityService:
        from ._services.entities import EntityService

        return EntityService(self, self._governance, self._tolerances)

    @functools.cached_property
    def _raid(self) -> RaidService:
        from ._services.raid import RaidService

        return RaidService(self, self._entities)

    @functools.cached_property
    def _planning(self) -> PlanningService:
        from ._services.planning import PlanningService

        return PlanningService(self, self._entities)

    @functools.cached_property
    def _finance(self) -> FinanceService:
        from ._services.finance import FinanceService

        return FinanceService(self, self._entities, self._planning)

    @functools.cached_property
    def _approvals(self) -> ApprovalService:
        from ._services.approvals import ApprovalService

        return ApprovalService(self, self._governance)

    @functools.cached_property
    def _roles(self) -> RoleService:
        from ._services.roles import RoleService

        return RoleService(self)

    @functools.cached_property
    def _lifecycle(self) -> LifecycleService:
        from ._services.lifecycle import LifecycleService

        return LifecycleService(self, self._approvals)

    @functools.cached_property
    def _gates(self) -> GateService:
        from ._services.gates import GateService

        return GateService(self, self._governance, self._approvals)

    @functools.cached_property
    def _waivers(self) -> WaiverService:
        from ._services.waivers import WaiverService

        return WaiverService(self, self._governance, self._approvals)

    @functools.cached_property
    def _tailoring(self) -> TailoringService:
        from ._services.tailoring import TailoringService

        return TailoringService(self, self._governance)

    @functools.cached_property
    def _sync(self) -> SyncService:
        from ._services.sync import SyncService

        return SyncService(self)

    @functools.cached_property
    def _office(self) -> OfficeService:
        from ._services.office import OfficeService

        return OfficeService(self)

    @functools.cached_property
    def _exchange(self) -> ExchangeService:
        from ._services.exchange import ExchangeService

        return ExchangeService(self, self._entities, self._settings)

    @functools.cached_property
    def _artifacts(self) -> ArtifactService:
        from ._services.artifacts import ArtifactService

        return ArtifactService(self, self._governance, self._approvals)

    @functools.cached_property
    def _baselines(self) -> BaselineService:
        from ._services.baselines import BaselineService

        return BaselineService(self, self._governance, self._entities)

    @functools.cached_property
    def _changes(self) -> ChangeService:
        from ._services.changes import ChangeService

        return ChangeService(self, self._entities, self._raid, self._approvals)

    @functools.cached_property
    def _reports(self) -> ReportService:
        from ._services.reports import ReportService

        return ReportService(self, self._governance)

    @functools.cached_property
    def _scoring(self) -> ScoringService:
        from ._services.scoring import ScoringService

        return ScoringService(self)

    @functools.cached_property
    def _plugins(self) -> PluginService:
        from ._services.plugins import PluginService

        return PluginService(self)

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Workspace:
        """Open the workspace at ``path`` (default: ``PMO_WORKSPACE`` or the nearest
        ``pmo.toml`` above the current directory).

        Example::

            with Workspace.open() as ws:  # the nearest pmo.toml above the current directory
                print([p.id for p in ws.view().projects()])
        """
        root = Path(path).resolve() if path is not None else find_workspace()
        return cls(WorkspaceConfig.load(root), **kwargs)

    @classmethod
    def init(
        cls,
        path: str | os.PathLike[str],
        *,
        profile: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> Workspace:
        """Create a workspace in ``path``, optionally from a profile, and open it.

        A profile (registered by a plugin with ``pmo_profiles``, such as ``starter``,
        ``controlling`` or ``directive`` from pmo-governance and pmo-stage-gate) enables its
        plugins and sets the default governance model and methodology. Without one the
        workspace starts bare: no plugin enabled, the neutral governance model.

        Example::

            ws = Workspace.init("acme", profile="controlling", name="Acme PMO")
        """
        root = Path(path).resolve()
        if (root / CONFIG_FILE).exists():
            raise ConflictError(f"{root / CONFIG_FILE} already exists")
        from ._services.plugins import profile_named, resolve_sources

        environ = kwargs.get("environ")
        chosen = profile_named(profile, environ) if profile else None
        enabled = list(chosen.plugins) if chosen else []
        # A store on a plugin's backend (PMO_STORE_URL=postgresql://...) needs that plugin
        # enabled, or no later command could open it.
        backend = backend_plugin(WorkspaceConfig(root=root).store_in_use(environ), environ)
        if backend is not None and backend not in enabled:
            enabled.append(backend)
        text = render_config(
            name=name or root.name,
            enabled=enabled,
            sources=resolve_sources(enabled) if enabled else None,
            governance_model=chosen.governance_model if chosen else None,
            methodology=chosen.methodology if chosen else None,
            settings=chosen.settings if chosen else None,
        )
        root.mkdir(parents=True, exist_ok=True)
        (root / DATA_DIR).mkdir(exist_ok=True)
        (root / CONFIG_FILE).write_text(text, encoding="utf-8")
        ws = cls(WorkspaceConfig.load(root), **kwargs)
        if ws._store is None:
            # Created (and migrated) now: the one place a workspace's store is made. Opening
            # a workspace later never makes a missing store anew, empty.
            ws._open_store(create=True)
        return ws

    @classmethod
    def in_memory(
        cls,
        *,
        plugins: Mapping[str, object] | None = None,
        enabled: Iterable[str] = (),
        governance_model: str | None = None,
        methodology: str | None = None,
        settings: Mapping[str, Mapping[str, Any]] | None = None,
        rules: Mapping[str, Mapping[str, Any]] | None = None,
        root: str | os.PathLike[str] = ".",
        **kwargs: Any,
    ) -> Workspace:
        """A workspace on the in-memory store, with plugin objects registered directly.

        Without ``governance_model`` the neutral model applies: rules keep their own levels.
        ``settings`` holds what ``[settings]`` of a ``pmo.toml`` would (``{"csv": {...}}``),
        ``rules`` what ``[governance.rules]`` would (``{"high-risks-owned": {"level":
        "block", "scopes": {...}}}``); a bad value is an error as in the file.

        Example::

            import pmo_governance  # a plugin module, registered without being installed
            scratch = Workspace.in_memory(plugins={"governance": pmo_governance})
        """
        table = WorkspaceTable(store="memory://", methodology=methodology)
        if governance_model:
            table = table.model_copy(update={"governance_model": governance_model})
        config = WorkspaceConfig.from_dict(
            Path(root).resolve(),
            {
                "workspace": table,
                "plugins": PluginsTable(enabled=tuple(enabled)),
                "settings": {name: dict(values) for name, values in (settings or {}).items()},
                "governance": {"rules": dict(rules or {})},
            },
        )
        host = kwargs.pop("host", None) or PluginHost(
            HostPolicy(enabled=config.enabled), plugins=plugins
        )
        return cls(config, host=host, **kwargs)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the store. The workspace cannot be used afterwards.

        Example::

            ws = Workspace.open()
            try:
                print(ws.get("ALPHA").name)
            finally:
                ws.close()
        """
        if self._store is not None:
            self._store.close()
            self._store = None
        self._closed = True

    def reload(self) -> bool:
        """Read ``pmo.toml`` again; the workspace's own host follows the new ``[plugins]``.

        A host given by the caller is the caller's to manage and is kept. Returns whether
        plugins should hear of the change (its own host, or a caller's host already loaded).

        Example::

            ws.reload()  # after pmo.toml was edited by hand
        """
        self.config = WorkspaceConfig.load(self.root)
        if self._owns_host:
            self._host = PluginHost(HostPolicy.for_workspace(self.config, self._environ))
            if self._host.strict:
                self._host.statuses()
        return self._owns_host or self._host.loaded

    # --------------------------------------------------------------- plumbing

    @property
    def root(self) -> Path:
        """The workspace directory.

        Example::

            (ws.root / "exports").mkdir(exist_ok=True)
        """
        return self.config.root

    @property
    def host(self) -> PluginHost:
        """The workspace's plugin host (plugins load on first use of a record or event, or when
        the workspace opens in strict mode).

        Example::

            [s.id for s in ws.host.statuses() if s.state == "loaded"]
        """
        return self._host

    @property
    def environ(self) -> Mapping[str, str]:
        """The environment the workspace reads settings and switches from.

        Example::

            ws.environ.get("PMO_USER")
        """
        return self._environ

    @property
    def store(self) -> Store:
        """The workspace's store, opened through the storage backend its URL names.

        Example::

            [t.command for t in ws.store.transactions()]
        """
        if self._closed:
            raise InvalidInputError("this workspace is closed")
        if self._store is None:
            return self._open_store(create=False)
        return self._store

    def _open_store(self, *, create: bool) -> Store:
        config = self.config
        self._store = open_store(
            config.store_url(self._environ),
            self._host,
            create=create,
            lock_timeout=config.lock_timeout,
        )
        return self._store

    def today(self) -> date:
        """The status date: today, unless the workspace was given a clock.

        Example::

            ws = Workspace.in_memory(today=lambda: date(2025, 3, 31))
            ws.today()  # date(2025, 3, 31)
        """
        return self._today()

    def view(
        self, as_of: date | datetime | None = None, *, status_date: date | None = None
    ) -> WorkspaceView:
        """Read the workspace: ``status_date`` is the data date (what was planned, done and
        spent by then; default: the end of ``as_of``'s day, else today) and ``as_of`` the
        knowledge moment (the journal: the workspace as it was known at that moment, or at
        the end of that day for a date; default: now).

        Example::

            month_end = ws.view(status_date=date(2025, 3, 31))   # known now, about March
            as_issued = ws.view(date(2025, 4, 2), status_date=date(2025, 3, 31))
            as_issued.known_at  # datetime(2025, 4, 2, 23, 59, 59, 999999, tzinfo=utc)
        """
        metrics = self.config.metrics
        if as_of is None:
            return WorkspaceView(
                self.store, status_date=status_date or self.today(), metrics_config=metrics
            )
        if isinstance(as_of, datetime):
            moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=timezone.utc)
            day = moment.date()
        else:
            moment = datetime.combine(as_of, time.max, tzinfo=timezone.utc)
            day = as_of
        return WorkspaceView(
            self.store.as_of(moment),
            status_date=status_date or day,
            known_at=moment,
            metrics_config=metrics,
            current=self.store,
        )

    def transaction(self, command: str) -> AbstractContextManager[Transaction]:
        """A store transaction by the workspace's actor; all or nothing, and the event hooks
        hear of its changes after it commits. Every write of the workspace goes through it.

        It writes documents as they are given: prefer the typed methods (:meth:`create`,
        :meth:`add`...), which validate first.

        Example::

            with ws.transaction("nightly fix") as tx:
                doc = tx.get("project", "ALPHA")
                data = {**doc.data, "description": "The ERP core"}
                tx.update("project", "ALPHA", data, expected_version=doc.version)
        """
        return transaction(self, command)

    def settings(self, name: str) -> BaseModel:
        """A plugin's settings, validated: ``[settings.<name>]`` in ``pmo.toml``, overridden by
        ``PMO_<NAME>_<FIELD>`` environment variables (so secrets need not be in the file).

        The model is the one registered under ``name`` with ``pmo_settings``, else the
        ``settings`` model of the connector called ``name``. An invalid value is an error
        naming where it came from: the file and table, or the environment variable.

        Example::

            ws.settings("csv").delimiter  # ';' from [settings.csv] or PMO_CSV_DELIMITER
        """
        return self._settings.get(name)

    def rule_settings(self, rule: str, entity: str) -> BaseModel | None:
        """The settings a governance rule sees for ``entity``: the rule's defaults, the
        ``rule_settings`` of the model in force, ``[governance.rules.<rule>]``,
        ``PMO_RULES_<RULE>_<FIELD>``, then the overrides of the entity's scopes
        (``[governance.rules.<rule>.scopes.<KEY>]``, the nearest last). ``None`` for a rule
        that declares no settings.

        Example::

            ws.rule_settings("high-risks-owned", "ALPHA").score  # 9 (set for ERP, its program)
        """
        return self._governance.rule_settings(rule, entity)

    def rule_level(self, rule: str, entity: str) -> tuple[str, str]:
        """The level of a governance rule for ``entity`` and where it came from (as a
        finding's ``level_from``): the nearest scope's ``level`` in
        ``[governance.rules.<rule>.scopes.<KEY>]``, else ``[governance.rules.<rule>]``, else
        the model in force, else the rule's own level.

        Example::

            ws.rule_level("high-risks-owned", "ALPHA")
            # ('warn', 'pmo.toml governance.rules.high-risks-owned.scopes.ERP')
        """
        return self._governance.rule_level(rule, entity)

    def rule_overrides(self) -> list[RuleOverride]:
        """The overrides of governance rules in force, as ``pmo doctor`` lists them: each
        ``[governance.rules.<rule>]`` table and scope table that sets a level or settings, and
        each ``PMO_RULES_<RULE>_<FIELD>`` variable, for the rules an enabled plugin registers
        (a table for any other rule is a problem :meth:`check_settings` reports).

        Example::

            [o.describe() for o in ws.rule_overrides()]
            # ['governance.rules.tolerance-forecast: level warn',
            #  'governance.rules.high-risks-owned: level block; score = 12',
            #  'governance.rules.high-risks-owned.scopes.ERP: level warn; score = 9']
        """
        return self._settings.overrides()

    def check_settings(self) -> list[str]:
        """What is wrong with the settings, as ``pmo doctor`` lists it: ``[settings]`` tables
        no loaded plugin declares (a misspelt name, or a plugin that is not enabled),
        ``[governance.rules]`` tables for a rule no enabled plugin registers, and values their
        model refuses, each naming where it came from (the file and key, or the environment
        variable).

        Example::

            ws.check_settings()  # []
            # A problem reads '[settings.jria] is declared by no enabled plugin', or
            # 'environment variable PMO_CSV_DELIMITER: delimiter: ...'
        """
        return self._settings.problems()

    def verify(self, *, quick: bool = False) -> VerifyResult:
        """Check that the store is sound and its history untampered (``pmo doctor --verify``).

        Walks the journal's hash chain from the first entry, checks every current document
        against the replay of its journal and the storage itself (for SQLite: its integrity
        check and append-only triggers); see :meth:`Store.verify <pmo_core.Store.verify>`.
        ``quick=True`` checks the storage only. Problems are returned, not raised.

        Example::

            result = ws.verify()
            for problem in result.problems:
                print(problem)
        """
        check = getattr(self.store, "verify", None)
        result = check(quick=quick) if callable(check) else None
        if not isinstance(result, VerifyResult):
            # A plugin backend written before Store.verify existed.
            raise StoreError(
                f"the store backend of {redact(self.config.store_in_use(self._environ))!r} "
                "cannot verify itself "
                "(it implements no Store.verify)"
            )
        return result

    def journal(self, **filters: Any) -> list[JournalEntry]:
        """The append-only journal, filtered by ``kind``, ``id``, ``since``, ``until``, ``txn_id``.

        Example::

            [(e.actor, e.op, e.id) for e in ws.journal(kind="project", id="ALPHA")]
        """
        return list(self.store.journal(**filters))

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        under: str | None = None,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Records whose text matches ``text``, best match first: projects, RAID items,
        status reports, lessons learned, work items... (``pmo search``).

        All the words must match, case-insensitive; ``"quoted words"`` match as a phrase;
        the last word also matches longer words (``deliv`` finds ``delivery``); nothing else
        is syntax. Every string value of a record is searched (names, titles, descriptions,
        notes), not its keys, dates or amounts (:meth:`Store.search <pmo_core.Store.search>`).
        ``kinds`` names store kinds (``"raid"``, ``"status_report"``, ``"lesson"``,
        ``"project"``...); ``under`` keeps the entity with that key, the entities below it
        and what they own; ``limit`` caps the hits (``None``: all).

        Example::

            for hit in ws.search("vendor delay", under="PF", kinds=["raid", "lesson"]):
                print(hit.kind, hit.id, hit.owner, hit.snippet)
            # raid 3f2a91c0 ALPHA [Vendor] [delay] on the second drop
        """
        return search_service(self.store, self.view, text, kinds=kinds, under=under, limit=limit)

    # ----------------------------------------------------------------- entities

    def create(self, kind: str, **fields: Any) -> Entity:
        """Create a portfolio, program or project; returns it as stored.

        Example::

            ws.create("program", id="CX", name="Customer experience", parent="PF")
        """
        return self._entities.create(kind, fields)

    def get(self, id: str) -> Entity:
        """A portfolio, program or project by key.

        Example::

            ws.get("ALPHA").status
        """
        return self.view().entity(id)

    def update(self, id: str, *, expected_version: int | None = None, **changes: Any) -> Entity:
        """Change fields of an entity. With ``expected_version``, a stale write is a
        :class:`~pmo_core.ConflictError` (optimistic concurrency).

        Example::

            alpha = ws.get("ALPHA")
            ws.update("ALPHA", expected_version=alpha.version, status="at_risk")
        """
        return self._entities.update(id, expected_version, changes)

    def archive(self, id: str, *, expected_version: int | None = None) -> Entity:
        """Archive an entity (it stays in the store and the journal, hidden from lists).

        An entity already archived is a :class:`~pmo_core.ConflictError` (archiving it again
        would add a journal entry that changes nothing); :meth:`unarchive` brings it back.

        Example::

            ws.archive("BETA")  # killed in March
        """
        entity = self.view().entity(id)
        if entity.archived:
            raise ConflictError(f"{entity.kind} {id!r} is already archived")
        return self.update(id, expected_version=expected_version, archived=True)

    def unarchive(self, id: str, *, expected_version: int | None = None) -> Entity:
        """Bring an archived entity back into the lists, as it was when archived.

        An entity whose parent is archived cannot come back alone (it would be listed under
        an entity no list shows): a :class:`~pmo_core.ConflictError` names the parent to
        unarchive first; so does an entity that is not archived.

        Example::

            ws.archive("ALPHA")
            ws.unarchive("ALPHA").archived  # False
        """
        view = self.view()
        entity = view.entity(id)
        if not entity.archived:
            raise ConflictError(f"{entity.kind} {id!r} is not archived")
        if entity.parent is not None and view.entity(entity.parent).archived:
            raise ConflictError(
                f"the parent of {entity.kind} {id!r}, {entity.parent!r}, is archived: "
                "unarchive it first"
            )
        return self.update(id, expected_version=expected_version, archived=False)

    # ------------------------------------------------------------ child records

    def add(self, record: M, *, command: str | None = None) -> M:
        """Store a new child record (milestone, work item, budget line, artifact, RAID...).

        The entity or project it belongs to must exist.

        Example::

            ws.add(Milestone(project="ALPHA", name="Go-live", due=date(2025, 11, 3)))
        """
        return self._entities.add_many([record], command)[0]

    def add_many(self, records: Iterable[M], *, command: str | None = None) -> list[M]:
        """Store several new child records in one transaction (all or nothing).

        Example::

            plan = [("Design signed off", date(2025, 5, 30)), ("Data migrated", date(2025, 6, 30))]
            ws.add_many([Milestone(project="ALPHA", name=n, due=d) for n, d in plan])
        """
        return self._entities.add_many(records, command)

    def replace(self, record: M) -> M:
        """Store a changed child record; its ``version`` must be the stored one.

        Example::

            risk = ws.view().raid("ALPHA", type="risk")[0]
            ws.replace(risk.replace(owned_by="Sam"))
        """
        return self._entities.replace(record)

    def report_status(self, entity: str, **fields: Any) -> StatusReport:
        """Record a status report (a snapshot with RAG per dimension) for an entity.

        Example::

            ws.report_status("ALPHA", overall="amber", dimensions={"schedule": "amber"},
                             summary="Vendor slipped two weeks.")
        """
        return self._raid.report_status(entity, fields)

    def add_raid(
        self, entity: str, type: str, title: str, *, command: str = "raid add", **fields: Any
    ) -> RaidItem:
        """Add a risk, assumption, issue, dependency, decision, action or change.

        Example::

            ws.add_raid("ALPHA", "risk", "Vendor may slip", probability=4, impact=4,
                        owned_by="Sam")
        """
        return self._raid.add(entity, type, title, command, fields)

    # ----------------------------------------------------------------- RAID log

    def raid_item(self, ref: str) -> RaidItem:
        """A RAID item by its id or a unique start of it (4 characters at least, like git),
        with its history: ``score_history``, ``escalations`` and ``reopenings``.

        A start that matches several items is an :class:`~pmo_core.InvalidInputError` naming
        them; no match is a :class:`~pmo_core.NotFoundError`.

        Example::

            risk = ws.raid_item(risk.id[:6])  # an id, or a prefix of one
            [(c.on, c.old_score, c.new_score) for c in risk.score_history]  # []
        """
        return self._raid.find(ref)

    def raid_log(
        self, entity: str | None = None, *, type: str | None = None, open_only: bool = False
    ) -> list[RaidItem]:
        """The RAID log of ``entity`` and everything below it (or of the whole workspace),
        as ``pmo raid list`` shows it.

        Besides the items raised there it holds the items escalated to it and the
        dependencies other entities have on it (their ``entity`` is outside the scope, their
        ``depends_on`` inside). High risks and issues come first, then by score; with
        ``type="decision"`` it is the decisions log, oldest decision first.

        Example::

            decisions = ws.raid_log("PF", type="decision")
            [(d.decided_on, d.title) for d in decisions]
        """
        return self._raid.log(entity, type, open_only)

    def update_raid(
        self,
        ref: str,
        *,
        comment: str = "",
        expected_version: int | None = None,
        **changes: Any,
    ) -> RaidItem:
        """Change fields of a RAID item (by id or unique start); only those given change.

        The item's type rules still hold (a probability only on a risk...). A change of
        ``probability`` or ``impact`` is kept in the item's ``score_history`` with the
        status date, the actor, the old and new values and ``comment``. Status, resolution
        and escalation have their own methods. Nothing is written when nothing changes.

        Example::

            ws.update_raid(risk.id, probability=2, comment="Second vendor qualified")
            ws.update_raid(risk.id, owned_by="Sam Roe", due=date(2025, 7, 1))
        """
        return self._raid.update(ref, changes, comment, expected_version)

    def close_raid(self, ref: str, resolution: str, *, on: date | None = None) -> RaidItem:
        """Close a RAID item with how it was resolved, on ``on`` (default: the status date,
        which it cannot be after). Closing a closed item is a :class:`~pmo_core.ConflictError`.

        Example::

            ws.close_raid(risk.id, "Second supplier qualified", on=date(2025, 3, 31))
        """
        return self._raid.close(ref, resolution, on)

    def reopen_raid(self, ref: str, comment: str) -> RaidItem:
        """Open a closed RAID item again, saying why. The closure that did not hold (its date
        and resolution) is kept in the item's ``reopenings``.

        Example::

            ws.close_raid(risk.id, "Second supplier qualified")
            ws.reopen_raid(risk.id, "The second supplier failed its audit")
        """
        return self._raid.reopen(ref, comment)

    def escalate_raid(self, ref: str, *, comment: str, to: str | None = None) -> RaidItem:
        """Escalate an open RAID item to a scope above the one holding it: ``to`` (an
        ancestor), by default the parent. The item keeps the entity it was raised on; the
        step is added to its ``escalations``, it appears in the RAID log of the scope it
        went to, and ``pmo_escalated`` is told after the commit. A portfolio (or any entity
        without a parent) has nowhere to escalate to: an :class:`~pmo_core.InvalidInputError`.

        Example::

            ws.escalate_raid(risk.id, comment="Needs the program's budget reserve")  # to ERP
            ws.escalate_raid(risk.id, to="PF", comment="The board must decide")
        """
        return self._raid.escalate(ref, to, comment)

    # ---------------------------------------------------------- imports, reports

    def import_from(
        self,
        connector: str,
        location: str | os.PathLike[str],
        *,
        dry_run: bool = False,
        progress: Callable[[int, int | None], None] | None = None,
        options: Mapping[str, Any] | None = None,
        on_conflict: ConflictPolicy | None = None,
        full: bool = False,
    ) -> ImportResult:
        """Import through a connector: validate every item and upsert it by external key,
        all in one transaction (a bad item anywhere writes nothing). The items are read as
        they are imported, 5,000 at a time, so the memory taken does not grow with the
        source; an item the source gives as last time, whose record did not change here
        since, is counted unchanged without being validated again. With ``dry_run`` nothing
        is written; the returned diff says what would change (every record counted, the
        first 1,000 changes listed). ``progress(done, total)`` hears the rows done.

        An import is a sync (see the sync contract in the docs): a field changed both here
        and in the source since the last import is a conflict, decided by ``on_conflict``
        (else ``[sync]`` in ``pmo.toml``: ``source-wins``, ``local-wins`` or ``manual``); a
        field changed only here is kept. A connector with the ``sync`` capability reads only
        what changed since its last run of the same source unless ``full``; a full read
        archives what the source no longer holds. Each committed import records a
        :class:`~pmo_core.SyncRun`. ``options`` are the connector's own
        (:attr:`PmoConnector.options <pmo_core.PmoConnector.options>`, and ``allow_empty``);
        one it does not declare is an :class:`~pmo_core.InvalidInputError`.

        Example::

            diff = ws.import_from("csv", "portfolio.csv", dry_run=True)
            print(diff.summary())
            ws.import_from("csv", "portfolio.csv", on_conflict="manual")  # conflicts wait
        """
        return self._exchange.import_from(
            connector,
            os.fspath(location),
            dry_run=dry_run,
            progress=progress,
            options=options or {},
            on_conflict=on_conflict,
            full=full,
        )

    def export_to(
        self,
        connector: str,
        location: str | os.PathLike[str],
        *,
        scope: str | None = None,
        kinds: Iterable[str] | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> int:
        """Export entities (and their work items) through a connector; returns the count.

        The connector gets the items as an iterator, read from the store a project at a
        time: entities first, then each project's work items. ``options`` are the
        connector's own (:attr:`PmoConnector.options <pmo_core.PmoConnector.options>`); one
        it does not declare is an :class:`~pmo_core.InvalidInputError`.

        Example::

            ws.export_to("csv", "out/", scope="PF")
        """
        return self._exchange.export_to(
            connector,
            os.fspath(location),
            scope=scope,
            kinds=kinds,
            progress=progress,
            options=options or {},
        )

    def report(
        self,
        name: str,
        scope: str | None = None,
        *,
        format: str | None = None,
        status_date: date | None = None,
        as_of: date | datetime | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> ReportOutput:
        """Render a report over an entity (or the whole PMO when ``scope`` is ``None``) on
        ``status_date`` (the data date), as known at ``as_of`` (see :meth:`view`).

        Example::

            out = ws.report("portfolio-summary", "PF", format="json")
            json.loads(out.content)["metrics"]
            month_end = ws.report("portfolio-summary", "PF", status_date=date(2025, 3, 31))
        """
        return self._reports.render(
            name,
            scope,
            format=format,
            status_date=status_date,
            as_of=as_of,
            options=options or {},
        )

    def score(
        self, model: str, keys: Sequence[str], *, view: WorkspaceView | None = None
    ) -> dict[str, Score]:
        """Score the projects ``keys`` with the scoring model ``model``, on ``view`` (the
        current state when omitted: pass a view to score a what-if state or a past one).

        Returns a :class:`~pmo_core.Score` per key, in the order given. An unknown model is an
        :class:`~pmo_core.InvalidInputError` (``where="model"``) listing the known ones, an
        unknown key a :class:`~pmo_core.NotFoundError`; a model that fails or answers
        something other than a finite score for every key is a
        :class:`~pmo_core.PluginError` naming the model and its plugin.

        Example::

            scores = ws.score("wsjf", ["CRM", "DWH"])
            scores["CRM"].value, scores["CRM"].explanation
            # (Decimal('4'), 'WSJF (8 + 5 + 3) / 4 = 4')
            [m.name for m in ws.host.records(PmoScoringModel)]  # the models there are
        """
        return self._scoring.score(model, keys, view)

    # ------------------------------------------------------------------ plugins

    def enable(self, *names: str, comment: str = "") -> list[str]:
        """Enable installed plugins in ``pmo.toml`` (by id or distribution name).

        Takes effect at once for this workspace (its plugins are reloaded) and for every
        workspace opened afterwards; the ``pmo_plugins_changed`` event goes to the plugins
        enabled after the change, the new ones included. The distribution each comes from is
        recorded in ``[plugins] sources`` (it owns the id should another distribution claim
        it), and the decision is journaled with ``comment``. Returns the ids newly enabled.

        Example::

            ws.enable("pmo-knowledge")  # ['knowledge']
        """
        return self._plugins.enable(names, comment)

    def disable(self, *names: str, comment: str = "") -> list[str]:
        """Disable plugins in ``pmo.toml``; a disabled plugin is never imported.

        The decision is journaled with ``comment`` (disabling a governance plugin that fails
        is how a PMO accepts to run without its rules).

        Example::

            ws.disable("csv", comment="connector replaced by the Jira sync")
        """
        return self._plugins.disable(names, comment)


def _actor(given: str | None, environ: Mapping[str, str]) -> str:
    """Who writes: ``actor=`` (``pmo --as``), else ``PMO_USER``, else the login name.

    Asserted, not authenticated: the name is checked to be one clean line, since it lands in
    the journal and in every approval it makes.
    """
    from pydantic import ValidationError

    from ._errors import validation_message

    where = "actor" if given else "--as / PMO_USER"
    value = given or environ.get("PMO_USER") or _login()
    try:
        return _name_adapter().validate_python(value.strip())
    except ValidationError as exc:
        raise InvalidInputError(
            f"the user is not a valid name: {validation_message(exc)}", where=where
        ) from None


@functools.cache
def _name_adapter() -> TypeAdapter[str]:
    from ._domain._base import Name

    return TypeAdapter(Name)


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
