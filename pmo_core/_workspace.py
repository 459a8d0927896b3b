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
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from ._config import PluginsTable, WorkspaceConfig, WorkspaceTable, render_config
from ._domain import (
    Approval,
    Artifact,
    Baseline,
    CostEntry,
    DomainModel,
    Entity,
    Forecast,
    GateDecision,
    LessonLearned,
    Milestone,
    Money,
    RaidItem,
    RoleAssignment,
    StatusReport,
    Waiver,
    WorkItem,
)
from ._errors import ConflictError, InvalidInputError, StoreError
from ._locate import CONFIG_FILE, DATA_DIR, find_workspace
from ._plugins.host import PluginHost
from ._plugins.policy import HostPolicy
from ._records import PmoArtifact, ReportOutput
from ._services.approvals import ApprovalService, DecisionRight
from ._services.artifacts import ArtifactService
from ._services.baselines import BaselineComparison, BaselineService
from ._services.changes import ChangeService
from ._services.diff import ImportResult
from ._services.entities import EntityService
from ._services.exchange import ExchangeService
from ._services.finance import FinanceService
from ._services.gates import GateService
from ._services.governance import Finding, GateCheck, GovernanceService
from ._services.lifecycle import LifecycleService
from ._services.planning import PlanningService
from ._services.plugins import PluginService, profile_named, resolve_sources
from ._services.raid import RaidService
from ._services.reports import ReportService
from ._services.roles import RoleHolder, RoleService
from ._services.settings import RuleOverride, SettingsService
from ._services.storage import open_store
from ._services.tolerances import ToleranceService
from ._services.transactions import transaction
from ._services.waivers import WaiverService
from ._store.protocol import JournalEntry, Store, Transaction, VerifyResult
from ._tolerances import ToleranceCheck
from ._view import WorkspaceView

M = TypeVar("M", bound=DomainModel)


class Workspace:
    """A PMO workspace: entities, status, RAID, gates, imports and reports, with its plugins.

    Open one from a directory that holds a ``pmo.toml`` (or create one with :meth:`init`), or
    make a throw-away one with :meth:`in_memory`. Use it as a context manager so the store is
    closed. ``host`` (a :class:`~pmo_core.PluginHost`) and ``store`` may be given instead of
    the ones ``pmo.toml`` describes; ``today`` is the clock of the status date; ``environ``
    stands in for ``os.environ`` (settings and plugin switches are read from it).

    Example::

        with Workspace.init(tmp_path / "acme") as ws:
            ws.create("portfolio", id="PF", name="Acme portfolio")
            ws.create("project", id="ALPHA", name="Alpha", parent="PF", sponsor="Dana")
            print(ws.check("ALPHA"))
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
        # The services, wired once; each uses the workspace's public API and its collaborators.
        self._settings = SettingsService(self)
        self._governance = GovernanceService(self, self._settings)
        self._tolerances = ToleranceService(self, self._governance, self._settings)
        self._entities = EntityService(self, self._governance, self._tolerances)
        self._raid = RaidService(self, self._entities)
        self._planning = PlanningService(self, self._entities)
        self._finance = FinanceService(self, self._entities, self._planning)
        self._approvals = ApprovalService(self, self._governance)
        self._roles = RoleService(self)
        self._lifecycle = LifecycleService(self, self._approvals)
        self._gates = GateService(self, self._governance, self._approvals)
        self._waivers = WaiverService(self, self._governance, self._approvals)
        self._exchange = ExchangeService(self, self._entities, self._settings)
        self._artifacts = ArtifactService(self, self._governance, self._approvals)
        self._baselines = BaselineService(self, self._governance, self._entities)
        self._changes = ChangeService(self, self._entities, self._raid, self._approvals)
        self._reports = ReportService(self)
        self._plugins = PluginService(self)
        if self._host.strict:
            # Strict (CI): every enabled plugin must load, whatever the first command needs;
            # otherwise plugins load only when something asks for their records or events.
            self._host.statuses()

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Workspace:
        """Open the workspace at ``path`` (default: ``PMO_WORKSPACE`` or the nearest
        ``pmo.toml`` above the current directory).

        Example::

            with Workspace.open("acme") as ws:
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
        chosen = profile_named(profile, kwargs.get("environ")) if profile else None
        text = render_config(
            name=name or root.name,
            enabled=list(chosen.plugins) if chosen else [],
            sources=resolve_sources(chosen.plugins) if chosen else None,
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

            import my_plugin
            ws = Workspace.in_memory(plugins={"mine": my_plugin})
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

            ws = Workspace.open("acme")
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
            config.store_url(), self._host, create=create, lock_timeout=config.lock_timeout
        )
        return self._store

    def today(self) -> date:
        """The status date: today, unless the workspace was given a clock.

        Example::

            ws = Workspace.in_memory(today=lambda: date(2025, 3, 31))
            ws.today()  # date(2025, 3, 31)
        """
        return self._today()

    def view(self, as_of: date | datetime | None = None) -> WorkspaceView:
        """Read the workspace now, or as it was known at the end of ``as_of``.

        Example::

            before = ws.view(as_of=date(2025, 3, 31))
            before.entity("ALPHA").status
        """
        if as_of is None:
            return WorkspaceView(self.store, as_of=self.today())
        if isinstance(as_of, datetime):
            moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=timezone.utc)
            day = moment.date()
        else:
            moment = datetime.combine(as_of, time.max, tzinfo=timezone.utc)
            day = as_of
        return WorkspaceView(self.store.as_of(moment), as_of=day)

    def transaction(self, command: str) -> AbstractContextManager[Transaction]:
        """A store transaction by the workspace's actor; all or nothing, and the event hooks
        hear of its changes after it commits. Every write of the workspace goes through it.

        It writes documents as they are given: prefer the typed methods (:meth:`create`,
        :meth:`add`...), which validate first.

        Example::

            with ws.transaction("nightly fix") as tx:
                tx.update("project", "ALPHA", data, expected_version=3)
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

            ws.rule_settings("high-risks-owned", "ALPHA").score  # 12
        """
        return self._governance.rule_settings(rule, entity)

    def rule_level(self, rule: str, entity: str) -> tuple[str, str]:
        """The level of a governance rule for ``entity`` and where it came from (as a
        finding's ``level_from``): the nearest scope's ``level`` in
        ``[governance.rules.<rule>.scopes.<KEY>]``, else ``[governance.rules.<rule>]``, else
        the model in force, else the rule's own level.

        Example::

            ws.rule_level("high-risks-owned", "ALPHA")
            # ('block', 'pmo.toml governance.rules.high-risks-owned.scopes.DIGITAL')
        """
        return self._governance.rule_level(rule, entity)

    def rule_overrides(self) -> list[RuleOverride]:
        """The overrides of governance rules in force, as ``pmo doctor`` lists them: each
        ``[governance.rules.<rule>]`` table and scope table that sets a level or settings, and
        each ``PMO_RULES_<RULE>_<FIELD>`` variable, for the rules an enabled plugin registers
        (a table for any other rule is a problem :meth:`check_settings` reports).

        Example::

            [o.describe() for o in ws.rule_overrides()]
            # ['governance.rules.high-risks-owned.scopes.DIGITAL: level warn; score = 9']
        """
        return self._settings.overrides()

    def check_settings(self) -> list[str]:
        """What is wrong with the settings, as ``pmo doctor`` lists it: ``[settings]`` tables
        no loaded plugin declares (a misspelt name, or a plugin that is not enabled),
        ``[governance.rules]`` tables for a rule no enabled plugin registers, and values their
        model refuses, each naming where it came from (the file and key, or the environment
        variable).

        Example::

            ws.check_settings()
            # ['[settings.jria] is declared by no enabled plugin',
            #  'environment variable PMO_CSV_DELIMITER: delimiter: ...']
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
                f"the store backend of {self.config.store!r} cannot verify itself "
                "(it implements no Store.verify)"
            )
        return result

    def journal(self, **filters: Any) -> list[JournalEntry]:
        """The append-only journal, filtered by ``kind``, ``id``, ``since``, ``until``, ``txn_id``.

        Example::

            [(e.actor, e.op, e.id) for e in ws.journal(kind="project", id="ALPHA")]
        """
        return list(self.store.journal(**filters))

    # ----------------------------------------------------------------- entities

    def create(self, kind: str, **fields: Any) -> Entity:
        """Create a portfolio, program or project; returns it as stored.

        Example::

            ws.create("program", id="ERP", name="ERP renewal", parent="PF")
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

        Example::

            ws.archive("OLD-1")
        """
        return self.update(id, expected_version=expected_version, archived=True)

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

            risk = ws.raid_item("3f2a")
            [(c.on, c.old_score, c.new_score) for c in risk.score_history]
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

            ws.update_raid("3f2a", probability=2, comment="Second vendor qualified")
            ws.update_raid("3f2a", owned_by="Sam Roe", due=date(2025, 7, 1))
        """
        return self._raid.update(ref, changes, comment, expected_version)

    def close_raid(self, ref: str, resolution: str, *, on: date | None = None) -> RaidItem:
        """Close a RAID item with how it was resolved, on ``on`` (default: the status date,
        which it cannot be after). Closing a closed item is a :class:`~pmo_core.ConflictError`.

        Example::

            ws.close_raid("3f2a", "Second supplier qualified", on=date(2025, 6, 2))
        """
        return self._raid.close(ref, resolution, on)

    def reopen_raid(self, ref: str, comment: str) -> RaidItem:
        """Open a closed RAID item again, saying why. The closure that did not hold (its date
        and resolution) is kept in the item's ``reopenings``.

        Example::

            ws.reopen_raid("3f2a", "The second supplier failed its audit")
        """
        return self._raid.reopen(ref, comment)

    def escalate_raid(self, ref: str, *, comment: str, to: str | None = None) -> RaidItem:
        """Escalate an open RAID item to a scope above the one holding it: ``to`` (an
        ancestor), by default the parent. The item keeps the entity it was raised on; the
        step is added to its ``escalations``, it appears in the RAID log of the scope it
        went to, and ``pmo_escalated`` is told after the commit. A portfolio (or any entity
        without a parent) has nowhere to escalate to: an :class:`~pmo_core.InvalidInputError`.

        Example::

            ws.escalate_raid("3f2a", comment="Needs the program's budget reserve")
            ws.escalate_raid("3f2a", to="PF", comment="The board must decide")
        """
        return self._raid.escalate(ref, to, comment)

    # --------------------------------------------------------------- governance

    def check(self, entity: str | None = None, *, min_level: str = "advise") -> list[Finding]:
        """Check governance rules (outside a gate) for one entity, or for every entity.
        Killed and closed entities are no longer governed: they give no findings.

        Example::

            blocking = [f for f in ws.check() if f.blocking]
        """
        return self._governance.check(entity, min_level)

    def gate_check(self, entity: str, gate: str | None = None) -> GateCheck:
        """Check an entity against its next gate (or ``gate``): a dry run of what would block.

        Example::

            result = ws.gate_check("ALPHA")
            result.blocked, result.reasons()
        """
        return self._governance.gate_check(entity, gate)

    def request_gate(self, entity: str, gate: str | None = None, *, note: str = "") -> RaidItem:
        """Ask for a gate review: records an action for the approvers, with the check result.

        Example::

            ws.request_gate("ALPHA")
        """
        return self._gates.request(entity, gate, note)

    def decide_gate(
        self,
        entity: str,
        decision: str,
        *,
        approvers: Iterable[str | Approval] = (),
        gate: str | None = None,
        conditions: Iterable[str] = (),
        comment: str = "",
        decided_on: date | None = None,
    ) -> GateDecision:
        """Record a gate decision (go, kill, hold, recycle) and move the entity on.

        ``go`` is refused with :class:`~pmo_core.GovernanceBlockedError` while the gate check
        blocks. Every decision needs what the model's approval matrix asks for it (see
        :meth:`change_lifecycle`): ``approvers`` as ``"Name"`` or ``"Name (role)"``, each
        holding the role for the entity; none given, the acting user approves. ``go`` moves
        the entity to the next phase (a proposed one becomes active), ``kill`` kills it (for
        good), ``hold`` puts it on hold, ``recycle`` keeps it where it is; the decision closes
        the gate's open request. ``decided_on`` records a decision taken earlier (a board
        meeting last week); it defaults to the status date and cannot be after it.

        Example::

            ws.decide_gate("ALPHA", "go", approvers=["Dana Ruiz (sponsor)", "Lee Chen (pmo)"])
        """
        return self._gates.decide(
            entity,
            decision,
            approvers=approvers,
            gate=gate,
            conditions=conditions,
            comment=comment,
            decided_on=decided_on,
        )

    def change_lifecycle(
        self,
        entity: str,
        to: str,
        *,
        approvers: Iterable[str | Approval] = (),
        comment: str,
        on: date | None = None,
        lessons: Iterable[str] = (),
    ) -> Entity:
        """Move an entity to the lifecycle state ``to``, with the approvals it needs.

        The move is a decision of the model's approval matrix: ``proposed`` to ``active`` a
        ``go``, to ``on_hold`` a ``hold``, back to ``active`` a ``resume``, to ``killed`` a
        ``kill``, to ``closed`` a ``close``, and ``killed`` back to ``proposed`` a
        ``reopen`` (killed is otherwise final; closed is final). ``comment`` says why.
        Closing records ``lessons`` (at least one) and a closure report frozen from the
        entity's figures and its last status report.

        Example::

            ws.change_lifecycle("BETA", "on_hold", approvers=["Dana Ruiz"],
                                comment="Vendor dispute")
        """
        return self._lifecycle.change(
            entity, to, approvers=approvers, comment=comment, on=on, lessons=lessons
        )

    def add_lesson(self, entity: str, what_happened: str, **fields: Any) -> LessonLearned:
        """Record a lesson learned by ``entity`` (also once it is closed or killed: lessons
        are what a closed entity still takes). ``fields``: ``recommendation``, ``category``,
        ``phase`` (default: the entity's phase), ``tags``, ``recorded_on`` (default today).

        Example::

            ws.add_lesson("ALPHA", "Vendor missed two drops",
                          recommendation="Put delivery milestones in the contract",
                          category="vendor management", tags=("vendor",))
        """
        return self._lifecycle.add_lesson(entity, what_happened, dict(fields))

    def grant_waiver(
        self,
        entity: str,
        kind: str,
        target: str,
        *,
        reason: str,
        expires_on: date,
        approvers: Iterable[str | Approval] = (),
        requested_by: str | None = None,
        on: date | None = None,
    ) -> Waiver:
        """Let ``entity`` pass despite a failing rule (``kind="rule"``) or gate criterion
        (``kind="criterion"``) named ``target``, until ``expires_on``.

        The waiver is a decision of the approval matrix (``waiver``); ``requested_by``
        (default: the acting user) is who asked, and cannot approve it where the matrix
        says so. Every later check shows the deviation with the waiver's id; once it
        expires or is revoked, the deviation blocks again.

        Example::

            ws.grant_waiver("ALPHA", "criterion", "test-plan-approved",
                            reason="Vendor plan accepted until June",
                            expires_on=date(2026, 6, 30), approvers=["Lee Chen (pmo)"],
                            requested_by="Kim Park")
        """
        return self._waivers.grant(
            entity,
            kind,
            target,
            reason=reason,
            expires_on=expires_on,
            approvers=approvers,
            requested_by=requested_by,
            on=on,
        )

    def revoke_waiver(self, waiver: str, *, reason: str, on: date | None = None) -> Waiver:
        """End a waiver before it expires (``waiver``: its id, or 4+ leading characters).

        Example::

            ws.revoke_waiver("3f2a9c", reason="Test plan approved after all")
        """
        return self._waivers.revoke(waiver, reason=reason, on=on)

    def waivers(self, entity: str | None = None, *, include_ended: bool = False) -> list[Waiver]:
        """The waivers in force (of ``entity``, or everywhere); with ``include_ended``, the
        expired and revoked ones too.

        Example::

            [(w.kind, w.target, w.expires_on) for w in ws.waivers("ALPHA")]
        """
        return self._waivers.list(entity, include_ended=include_ended)

    # --------------------------------------------------------------- tolerances

    def tolerance_checks(self, entity: str | None = None) -> list[ToleranceCheck]:
        """Measure every tolerance of ``entity`` (or of every live project and program)
        against the model's limits and the tolerance rule's settings; nothing is written.

        Example::

            [c.message for c in ws.tolerance_checks("ALPHA") if c.breached]
        """
        return self._tolerances.checks(entity)

    def raise_exceptions(self, entities: Iterable[str] | None = None) -> list[RaidItem]:
        """Raise an exception for each tolerance breached (of ``entities``, or everywhere)
        that has no open exception yet: an issue escalated to the level above (the
        ``pmo_escalated`` event fires) and an exception report; returns the issues.

        The commands that move a forecast (a forecast, a cost, progress, a budget or date
        change, an import) raise them for what they touched; call this after writing
        records another way.

        Example::

            for issue in ws.raise_exceptions(["ALPHA"]):
                print(issue.title, issue.escalated_to)
        """
        return self._tolerances.raise_exceptions(entities)

    # -------------------------------------------------------------------- roles

    def assign_role(self, entity: str, role: str, person: str) -> RoleAssignment:
        """Give ``person`` the role ``role`` for ``entity`` and everything under it.

        Roles say whose approval counts (``pmo``, ``project-board``, ``portfolio-board``,
        ...); an entity's ``sponsor`` and ``manager`` fields are roles already.

        Example::

            ws.assign_role("PF", "pmo", "Lee Chen")
        """
        return self._roles.assign(entity, role, person)

    def remove_role(self, entity: str, role: str, person: str) -> RoleAssignment:
        """Take an assigned role back; returns the assignment removed.

        Example::

            ws.remove_role("PF", "pmo", "Lee Chen")
        """
        return self._roles.remove(entity, role, person)

    def roles(self, entity: str | None = None) -> list[RoleHolder]:
        """Who holds which role: for ``entity`` (its own, its fields' and its ancestors'),
        or every assignment and field role of the workspace.

        Example::

            [(h.role, h.person, h.scope) for h in ws.roles("ALPHA")]
        """
        return self._roles.list(entity)

    def approval_matrix(self, entity: str) -> list[DecisionRight]:
        """Who approves which decision on ``entity`` under the governance model in force,
        and who holds those roles there now: one row per decision (a sized decision such as
        ``change`` has one row per band, by the size from which it applies).

        Example::

            for row in ws.approval_matrix("ALPHA"):
                print(row.decision, row.describe(), row.as_dict()["approvers"])
        """
        view = self.view()
        return self._approvals.matrix(view.entity(entity), view)

    # ------------------------------------------- artifacts, baselines, change requests

    def artifacts(self, entity: str) -> list[Artifact]:
        """The artifacts (management products) of ``entity``, in the order its methodology
        declares them, each at its latest revision with the decisions taken on it.

        Example::

            [(a.name, a.status, a.revision) for a in ws.artifacts("ALPHA")]
        """
        return self._artifacts.of(entity)

    def artifact_templates(self, entity: str) -> list[PmoArtifact]:
        """The artifacts the methodology ``entity`` follows declares, with their templates
        (none when it follows no methodology).

        Example::

            [a.name for a in ws.artifact_templates("ALPHA")]  # ['idea-submission', ...]
        """
        return self._artifacts.templates(entity)

    def artifact_template(self, entity: str, name: str) -> PmoArtifact:
        """The methodology's declaration of the artifact ``name`` for ``entity``: its summary
        and its ``template`` (Markdown, or a URL), to start the document from.

        Example::

            print(ws.artifact_template("ALPHA", "business-case").template)
        """
        return self._artifacts.template(entity, name)

    def submit_artifact(
        self,
        entity: str,
        name: str,
        *,
        title: str | None = None,
        location: str | None = None,
        on: date | None = None,
    ) -> Artifact:
        """Submit the artifact ``name`` of ``entity`` for approval, by the acting user, on
        ``on`` (default: the status date). ``location`` is where the document lives (a link
        or a path). Submitting an approved or rejected artifact again makes a new revision,
        which needs a decision of its own; an artifact waiting for a decision cannot be
        submitted again. When ``entity`` follows a methodology, ``name`` is one of its
        artifacts (``pmo artifact template``).

        Example::

            ws.submit_artifact("ALPHA", "business-case", title="Alpha business case",
                               location="https://wiki.example.com/alpha/bc")
        """
        return self._artifacts.submit(entity, name, title=title, location=location, on=on)

    def approve_artifact(
        self,
        entity: str,
        name: str,
        *,
        approvers: Iterable[str | Approval] = (),
        on: date | None = None,
        comment: str = "",
    ) -> Artifact:
        """Approve the submitted artifact ``name`` of ``entity``, with what the approval
        matrix asks for an ``artifact`` decision: ``approvers`` as ``"Name"`` or ``"Name
        (role)"`` (none given, the acting user approves); its author may be barred from
        approving it. The approvals, the date and the revision are kept on the artifact
        (``reviews``); an approved artifact meets the gate criteria that name it.

        Example::

            ws.approve_artifact("ALPHA", "business-case", approvers=["Dana Ruiz (sponsor)"])
        """
        return self._artifacts.approve(entity, name, approvers=approvers, on=on, comment=comment)

    def reject_artifact(
        self, entity: str, name: str, *, comment: str, on: date | None = None
    ) -> Artifact:
        """Send the submitted artifact ``name`` of ``entity`` back to its author, saying why
        (``comment``); submitting it again makes the next revision.

        Example::

            ws.reject_artifact("ALPHA", "business-case", comment="Options are missing")
        """
        return self._artifacts.reject(entity, name, comment=comment, on=on)

    def take_baseline(self, project: str, *, name: str = "", on: date | None = None) -> Baseline:
        """Freeze the plan of ``project`` as its next baseline (0 first): its planned start
        and finish, its budget as the cost, and every work item's dates, work and budget.

        Under a model whose ``change_control`` is ``request`` (controlling, directive) only
        baseline 0 is taken this way: a re-baseline is refused with
        :class:`~pmo_core.GovernanceBlockedError`, since it comes from approving a change
        request (:meth:`approve_change`). A project without a budget cannot be baselined.

        Example::

            ws.take_baseline("ALPHA", name="Approved at gate 3")
        """
        return self._baselines.take(project, name=name, on=on)

    def baselines(self, project: str) -> list[Baseline]:
        """The baselines of ``project``, by number.

        Example::

            [(b.number, b.taken_on, str(b.cost)) for b in ws.baselines("ALPHA")]
        """
        return self._baselines.of(project)

    def baseline(self, project: str, number: int | None = None) -> Baseline:
        """Baseline ``number`` of ``project`` (default: the latest, the one in force).

        Example::

            ws.baseline("ALPHA", 0).planned_finish
        """
        return self._baselines.get(project, number)

    def compare_baselines(
        self, project: str, before: int | None = None, after: int | None = None
    ) -> BaselineComparison:
        """Compare baseline ``before`` (default: the latest) with baseline ``after``, or
        with the plan as it is now when ``after`` is ``None``: scope (work items added,
        removed or changed), schedule (start and finish moved, in days) and cost.

        Example::

            ws.compare_baselines("ALPHA", 0, 1).finish_days     # 28
            ws.compare_baselines("ALPHA").unchanged             # the plan kept its baseline
        """
        return self._baselines.compare(project, before, after)

    def raise_change(
        self,
        project: str,
        title: str,
        *,
        budget: Money | str | None = None,
        start: date | None = None,
        finish: date | None = None,
        scope: str = "",
        cost_impact: Money | str | None = None,
        schedule_impact_days: int | None = None,
        description: str = "",
        id: str | None = None,
    ) -> RaidItem:
        """Raise a change request on ``project``, requested by the acting user: a new
        ``budget``, ``start`` or ``finish``, a ``scope`` change, with its impact. An impact
        not given is computed from what is proposed against the latest baseline (the
        project's own values before baseline 0). Money is in the project's currency; a
        budget is never negative (a cost impact may be: a saving). ``id`` may be chosen (a
        change request synchronised from another tool keeps its key); by default it is new.

        Example::

            change = ws.raise_change("ALPHA", "Second data centre", budget="275000 EUR",
                                     finish=date(2026, 1, 16), scope="Add a DR site")
            change.cost_impact, change.schedule_impact_days  # 25000.00 EUR, 28
        """
        fields = {
            "proposed_budget": budget,
            "proposed_start": start,
            "proposed_finish": finish,
            "scope_change": scope,
            "cost_impact": cost_impact,
            "schedule_impact_days": schedule_impact_days,
        }
        return self._changes.raise_change(project, title, fields, description, id)

    def change_request(self, ref: str) -> RaidItem:
        """A change request by its id or a unique start of it (4 characters at least).

        Example::

            ws.change_request("3f2a").approved  # None while pending
        """
        return self._changes.find(ref)

    def change_requests(
        self, entity: str | None = None, *, open_only: bool = False
    ) -> list[RaidItem]:
        """The change requests of ``entity`` and below it (or of the workspace), oldest
        first; with ``open_only``, those still waiting for a decision.

        Example::

            [(c.id, c.title, c.approved) for c in ws.change_requests("ALPHA")]
        """
        return self._changes.log(entity, open_only)

    def assess_change(
        self,
        ref: str,
        *,
        comment: str,
        cost_impact: Money | str | None = None,
        schedule_impact_days: int | None = None,
    ) -> RaidItem:
        """Record the assessment of a pending change request (by the acting user, on the
        status date), correcting its impact where the assessment found another.

        Example::

            ws.assess_change("3f2a", comment="Vendor quote received",
                             cost_impact="31000 EUR")
        """
        return self._changes.assess(
            ref,
            comment=comment,
            cost_impact=cost_impact,
            schedule_impact_days=schedule_impact_days,
        )

    def approve_change(
        self,
        ref: str,
        *,
        approvers: Iterable[str | Approval] = (),
        on: date | None = None,
        comment: str = "",
    ) -> RaidItem:
        """Approve a pending change request, with what the approval matrix asks for a
        ``change`` of its size: the larger of its cost impact as a fraction of the baselined
        budget and its schedule impact as a fraction of the baselined duration picks the
        band (an impact that cannot be measured picks the top band). Its requester may be
        barred from approving it.

        In one transaction, the proposed budget and dates are applied to the project, the
        next baseline is taken (with the new values and the work items as they are), and the
        change request is closed with its approvals and the baseline's number. A decided
        change request is not decided again (:class:`~pmo_core.ConflictError`).

        Example::

            ws.approve_change("3f2a", approvers=["Dana Ruiz (sponsor)", "Lee Chen (pmo)"])
            ws.baseline("ALPHA").number  # 1
        """
        return self._changes.approve(ref, approvers=approvers, on=on, comment=comment)

    def reject_change(self, ref: str, *, comment: str, on: date | None = None) -> RaidItem:
        """Reject a pending change request, saying why; it is closed and the plan stays.

        Example::

            ws.reject_change("3f2a", comment="Not worth a month's delay")
        """
        return self._changes.reject(ref, comment=comment, on=on)

    # ---------------------------------------------------------- imports, reports

    def import_from(
        self,
        connector: str,
        location: str | os.PathLike[str],
        *,
        dry_run: bool = False,
        progress: Callable[[int, int | None], None] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> ImportResult:
        """Import through a connector: validate everything, then upsert by external key in
        one transaction. With ``dry_run`` nothing is written; the returned diff says what
        would change.

        Example::

            diff = ws.import_from("csv", "portfolio.csv", dry_run=True)
            print(diff.summary())
        """
        return self._exchange.import_from(
            connector,
            os.fspath(location),
            dry_run=dry_run,
            progress=progress,
            options=options or {},
        )

    def export_to(
        self,
        connector: str,
        location: str | os.PathLike[str],
        *,
        scope: str | None = None,
        kinds: Iterable[str] | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> int:
        """Export entities (and their work items) through a connector; returns the count.

        Example::

            ws.export_to("csv", "out/", scope="PF")
        """
        return self._exchange.export_to(
            connector, os.fspath(location), scope=scope, kinds=kinds, progress=progress
        )

    # ------------------------------------------------------------ plan and progress

    def work_item(self, ref: str) -> WorkItem:
        """A work item by its id or a unique start of it (4 characters at least, like git),
        with its ``corrections``.

        A start that matches several items is an :class:`~pmo_core.InvalidInputError` naming
        them; no match is a :class:`~pmo_core.NotFoundError`.

        Example::

            item = ws.work_item("3f2a")
            item.subject, item.percent_complete, item.status
        """
        return self._planning.work_item(ref)

    def work_items(self, project: str) -> list[WorkItem]:
        """A project's work items, as ``pmo work list`` shows them: by start, then due date.

        Example::

            [(w.subject, w.percent_complete) for w in ws.work_items("ALPHA")]
        """
        return self._planning.work_items(project)

    def add_work_item(self, project: str, subject: str, **fields: Any) -> WorkItem:
        """Add a work item to a live project (any :class:`~pmo_core.WorkItem` field).

        Money (``budget``, ``actual_cost``) is in the project's currency; another currency
        is refused (pmo-core keeps no exchange rates). ``milestone`` and ``parent`` name a
        milestone and a work item of the same project, by id or a unique start of it. The
        project's tolerances are checked after the write: a breach raises its exception.

        Example::

            item = ws.add_work_item("ALPHA", "Data migration", start=date(2025, 3, 3),
                                    due=date(2025, 4, 30), work=320, budget="48000 EUR")
        """
        return self._planning.add_work_item(project, subject, fields)

    def update_work_item(
        self, ref: str, *, expected_version: int | None = None, **changes: Any
    ) -> WorkItem:
        """Change fields of a work item (by id or unique start); only those given change, and
        ``None`` clears one. Nothing is written when nothing changes.

        Progress (``percent_complete``, ``remaining``, ``actual_cost``) and the ``status``
        it sets are reported with :meth:`record_progress`; the item's id and project cannot
        change. A ``parent`` below the item itself is refused.

        Example::

            ws.update_work_item("3f2a", due=date(2025, 5, 16), assignee="Sam Roe")
        """
        return self._planning.update_work_item(ref, changes, expected_version)

    def record_progress(
        self,
        ref: str,
        percent: float | Decimal,
        *,
        actual_cost: Money | str | None = None,
        remaining: float | None = None,
        comment: str = "",
    ) -> WorkItem:
        """Report a work item's progress: ``percent`` complete (0..100), and optionally its
        ``actual_cost`` to date (in the project's currency) and the hours ``remaining``.

        Progress moves forward: a percent below the current one is a correction, refused
        unless ``comment`` says why; the item keeps it in its ``corrections`` (the day, the
        actor, the old and new percent, the comment). A comment without a correction is
        refused. The status follows: ``in_progress`` once started, ``done`` at 100 % (when
        nothing remains), back in progress when a done item is corrected. The project's
        tolerances are checked after the write.

        Example::

            ws.record_progress("3f2a", 60, actual_cost="30500 EUR", remaining=120)
            ws.record_progress("3f2a", 40, comment="Dry run failed: scripts rewritten")
        """
        return self._planning.record_progress(
            ref, percent, actual_cost=actual_cost, remaining=remaining, comment=comment
        )

    def milestone(self, ref: str) -> Milestone:
        """A milestone by its id or a unique start of it (4 characters at least).

        Example::

            ws.milestone("7c1e").due
        """
        return self._planning.milestone(ref)

    def milestones(self, project: str) -> list[Milestone]:
        """A project's milestones, by due date.

        Example::

            [(m.name, m.due, m.status) for m in ws.milestones("ALPHA")]
        """
        return self._planning.milestones(project)

    def add_milestone(self, project: str, name: str, *, due: date, **fields: Any) -> Milestone:
        """Add a milestone due on ``due`` to a live project (``description`` and other
        :class:`~pmo_core.Milestone` fields may be given).

        Example::

            ws.add_milestone("ALPHA", "Go-live", due=date(2025, 11, 3))
        """
        return self._planning.add_milestone(project, name, due, fields)

    def update_milestone(
        self, ref: str, *, expected_version: int | None = None, **changes: Any
    ) -> Milestone:
        """Change a milestone's name, due date or description; only those given change.
        Completing it is :meth:`complete_milestone`.

        Example::

            ws.update_milestone("7c1e", due=date(2025, 11, 17))
        """
        return self._planning.update_milestone(ref, changes, expected_version)

    def complete_milestone(self, ref: str, *, on: date | None = None) -> Milestone:
        """Mark a milestone done on ``on`` (default: the status date, which it cannot be
        after): its status becomes ``closed`` and ``completed_on`` the day. Completing a
        done milestone is a :class:`~pmo_core.ConflictError`.

        Example::

            ws.complete_milestone("7c1e", on=date(2025, 11, 3))
        """
        return self._planning.complete_milestone(ref, on)

    def add_cost(self, project: str, amount: Money | str, *, on: date, **fields: Any) -> CostEntry:
        """Book an actual cost of ``amount`` incurred ``on`` a day (not after the status
        date), in the project's currency; never negative. ``category`` (``capex`` or
        ``opex``), ``nature`` (``labour`` or ``non_labour``), ``description`` and
        ``work_item`` (by id or unique start, of the same project) may be given.

        Earned value reads a project's actual cost from its work items' ``actual_cost``
        when any has one, else from its cost entries. The project's tolerances are checked
        after the write.

        Example::

            ws.add_cost("ALPHA", "1200.50 EUR", on=date(2025, 4, 17), category="opex",
                        description="Cloud hosting April")
        """
        return self._finance.add_cost(project, amount, on, fields)

    def cost_entries(self, project: str) -> list[CostEntry]:
        """A project's actual cost entries incurred up to the status date, oldest first.

        Example::

            sum(c.amount.amount for c in ws.cost_entries("ALPHA"))
        """
        return self._finance.cost_entries(project)

    def set_forecast(
        self,
        project: str,
        *,
        eac: Money | str,
        reason: str,
        etc: Money | str | None = None,
        finish: date | None = None,
        work_item: str | None = None,
        on: date | None = None,
        method: str | None = None,
    ) -> Forecast:
        """Record a forecast: the estimate at completion ``eac``, optionally the estimate to
        complete ``etc`` (at most the EAC) and the ``finish`` date, with the ``reason`` (kept
        as the forecast's ``note``), by the acting user, as of ``on`` (default: the status
        date, which it cannot be after). Money is in the project's currency.

        Without ``work_item`` it is the project's forecast: the latest one is what the cost
        and time tolerances measure, and a breach raises its exception at once. With
        ``work_item`` (by id or unique start) it forecasts that item only and leaves the
        project's figures alone. Earlier forecasts are kept.

        Example::

            ws.set_forecast("ALPHA", eac="265000 EUR", finish=date(2026, 1, 30),
                            reason="Vendor slipped six weeks")
        """
        return self._finance.set_forecast(
            project,
            eac=eac,
            reason=reason,
            etc=etc,
            finish=finish,
            work_item=work_item,
            on=on,
            method=method,
        )

    def forecasts(self, project: str) -> list[Forecast]:
        """A project's forecasts up to the status date, oldest first (the project's and its
        work items'); the last without a ``work_item`` is the one in force.

        Example::

            [(f.as_of, str(f.eac), f.note) for f in ws.forecasts("ALPHA")]
        """
        return self._finance.forecasts(project)

    def report(
        self,
        name: str,
        scope: str | None = None,
        *,
        format: str | None = None,
        as_of: date | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> ReportOutput:
        """Render a report over an entity (or the whole PMO when ``scope`` is ``None``).

        Example::

            out = ws.report("portfolio-summary", "PF", format="json")
            json.loads(out.content)["metrics"]
        """
        return self._reports.render(name, scope, format=format, as_of=as_of, options=options or {})

    # ------------------------------------------------------------------ plugins

    def enable(self, *names: str, comment: str = "") -> list[str]:
        """Enable installed plugins in ``pmo.toml`` (by id or distribution name).

        Takes effect at once for this workspace (its plugins are reloaded) and for every
        workspace opened afterwards; the ``pmo_plugins_changed`` event goes to the plugins
        enabled after the change, the new ones included. The distribution each comes from is
        recorded in ``[plugins] sources`` (it owns the id should another distribution claim
        it), and the decision is journaled with ``comment``. Returns the ids newly enabled.

        Example::

            ws.enable("pmo-csv")  # ['csv']
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
