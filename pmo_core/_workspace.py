"""The Workspace: the API embedders, the CLI and plugin tests all use.

A workspace is a directory with a ``pmo.toml`` and a store; it owns its plugin host and its
store, so several workspaces with different plugins live side by side in one process. Every
method that writes is one transaction; events fire after it commits.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from ._config import (
    CONFIG_FILE,
    DATA_DIR,
    WorkspaceConfig,
    env_flag,
    env_list,
    find_workspace,
    render_config,
    write_plugins,
)
from ._domain import (
    Approval,
    DomainModel,
    Entity,
    GateDecision,
    RaidItem,
    StatusReport,
    check_hierarchy,
    entity_class,
    model_for_kind,
)
from ._errors import (
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    NotFoundError,
    PluginError,
)
from ._events import EntityChange
from ._governance import (
    Finding,
    GateCheck,
    evaluate,
    gate_check,
    methodology_for,
    model_in_force,
)
from ._plugins.host import PluginHost
from ._records import LEVELS, Level, PmoReport, ReportOutput, ReportRequest
from ._store.protocol import Change, JournalEntry, Store, Transaction
from ._view import ENTITY_KINDS, WorkspaceView

if TYPE_CHECKING:
    from ._exchange import ImportResult

M = TypeVar("M", bound=DomainModel)

_CHANGE_EVENTS = ("pmo_entities_changed", "pmo_status_reported", "pmo_gate_decided")

#: Plugins each ``pmo init --profile`` enables, and the governance model it sets.
PROFILES: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "starter": (("governance", "reports", "csv"), "supportive", None),
    "controlling": (("governance", "stage-gate", "reports", "csv"), "controlling", "stage-gate"),
    "directive": (("governance", "stage-gate", "reports", "csv"), "directive", "stage-gate"),
}


def validation_message(exc: ValidationError, *, prefix: str = "") -> str:
    """One line naming each invalid field and why."""
    return "; ".join(error_line(err, prefix=prefix) for err in exc.errors())


def error_line(err: Any, *, prefix: str = "") -> str:
    """One pydantic error as ``field: problem``, in words a user can act on."""
    # A model-level check has no location and its message already names the fields;
    # pydantic's "Value error, " prefix is noise to a user.
    path = ".".join(str(p) for p in err["loc"] if p != "[key]")
    where = f"{prefix}{path}" if path else prefix.rstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    return f"{where}: {msg}" if where else str(msg)


@dataclass(frozen=True)
class UnitOfWork:
    """A transaction plus the typed helpers the workspace writes through (internal)."""

    tx: Transaction
    view: WorkspaceView


class Workspace:
    """A PMO workspace: entities, status, RAID, gates, imports and reports, with its plugins.

    Open one from a directory that holds a ``pmo.toml`` (or create one with :meth:`init`), or
    make a throw-away one with :meth:`in_memory`. Use it as a context manager so the store is
    closed.

    Example::

        with Workspace.init(tmp_path / "acme", profile="starter") as ws:
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
        env = os.environ if environ is None else environ
        self.config = config
        self.actor = actor or env.get("PMO_ACTOR") or _user()
        self._today = today or date.today
        self._environ = env
        self._owns_host = host is None
        self._host = host or self._make_host()
        self._store = store
        self._closed = False

    def _make_host(self) -> PluginHost:
        env = self._environ
        return PluginHost(
            enabled=self.config.enabled,
            order=self.config.order,
            strict=self.config.strict or env_flag("PMO_STRICT", env),
            trace=env_flag("PMO_TRACE", env),
            allow=env_list("PMO_PLUGINS_ALLOW", env),
            deny=env_list("PMO_PLUGINS_DENY", env) or (),
        )

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
        profile: str = "starter",
        name: str | None = None,
        **kwargs: Any,
    ) -> Workspace:
        """Create a workspace in ``path`` with a profile's plugins enabled, and open it.

        Profiles grow with the PMO: ``starter`` (supportive governance, reports, CSV),
        ``controlling`` (adds the stage-gate methodology, controlling model) and
        ``directive``.

        Example::

            ws = Workspace.init("acme", profile="controlling", name="Acme PMO")
        """
        if profile not in PROFILES:
            raise InvalidInputError(
                f"unknown profile {profile!r} (profiles: {', '.join(PROFILES)})", where="--profile"
            )
        root = Path(path).resolve()
        if (root / CONFIG_FILE).exists():
            raise ConflictError(f"{root / CONFIG_FILE} already exists")
        plugins, model, methodology = PROFILES[profile]
        root.mkdir(parents=True, exist_ok=True)
        (root / DATA_DIR).mkdir(exist_ok=True)
        text = render_config(
            name=name or root.name,
            enabled=list(plugins),
            governance_model=model,
            methodology=methodology,
        )
        (root / CONFIG_FILE).write_text(text, encoding="utf-8")
        ws = cls(WorkspaceConfig.load(root), **kwargs)
        ws.store  # noqa: B018 - creates and migrates the store now, not on first write
        return ws

    @classmethod
    def in_memory(
        cls,
        *,
        plugins: Mapping[str, object] | None = None,
        enabled: Iterable[str] = (),
        governance_model: str = "supportive",
        methodology: str | None = None,
        root: str | os.PathLike[str] = ".",
        **kwargs: Any,
    ) -> Workspace:
        """A workspace on the in-memory store, with plugin objects registered directly.

        Example::

            import my_plugin
            ws = Workspace.in_memory(plugins={"mine": my_plugin})
        """
        config = WorkspaceConfig(
            root=Path(root).resolve(),
            store="memory://",
            enabled=tuple(enabled),
            governance_model=governance_model,
            methodology=methodology,
        )
        host = kwargs.pop("host", None) or PluginHost(enabled=config.enabled, plugins=plugins)
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
        """The workspace's plugin host (plugins load on first use).

        Example::

            [s.id for s in ws.host.statuses() if s.state == "loaded"]
        """
        return self._host.load()

    @property
    def store(self) -> Store:
        """The workspace's store, opened through the storage backend its URL names.

        Example::

            [t.command for t in ws.store.transactions()]
        """
        if self._closed:
            raise InvalidInputError("this workspace is closed")
        if self._store is None:
            url = self.config.store_url()
            scheme = url.partition("://")[0]
            backend = self.host.record("pmo_storage_backends", scheme)
            self._store = backend.open(url)
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

    @contextmanager
    def _unit(self, command: str) -> Iterator[UnitOfWork]:
        store = self.store
        with store.transaction(self.actor, command=command) as tx:
            yield UnitOfWork(tx=tx, view=WorkspaceView(store, as_of=self.today()))
        # Building the batch decodes every written document: skip it when nobody listens
        # (an import of 100,000 rows would otherwise pay for events no plugin receives).
        if any(self.host.listens(hook) for hook in _CHANGE_EVENTS):
            self._publish(tx.txn_id, tx.changes)

    def _publish(self, txn_id: str, changes: list[Change]) -> None:
        if not changes:
            return
        events = [
            EntityChange(
                kind=c.kind,
                id=c.id,
                op=c.op,
                version=c.version,
                before=c.before,
                after=c.after,
                actor=self.actor,
                txn_id=txn_id,
            )
            for c in changes
        ]
        host = self.host
        host.notify("pmo_entities_changed", workspace=self, changes=events)
        reports = [
            StatusReport.from_document(c.after, c.version)
            for c in changes
            if c.kind == StatusReport.store_kind and c.op == "insert" and c.after
        ]
        if reports:
            host.notify("pmo_status_reported", workspace=self, reports=reports)
        decisions = [
            GateDecision.from_document(c.after, c.version)
            for c in changes
            if c.kind == GateDecision.store_kind and c.op == "insert" and c.after
        ]
        if decisions:
            host.notify("pmo_gate_decided", workspace=self, decisions=decisions)

    def settings(self, name: str) -> BaseModel:
        """A plugin's settings, validated: ``[settings.<name>]`` in ``pmo.toml``, overridden by
        ``PMO_<NAME>_<FIELD>`` environment variables (so secrets need not be in the file).

        The model is the one registered under ``name`` with ``pmo_settings``, else the
        ``settings`` model of the connector called ``name``.

        Example::

            ws.settings("csv").delimiter  # ';' from [settings.csv] or PMO_CSV_DELIMITER
        """
        from ._records import normalise_name

        key = normalise_name(name)
        models: dict[str, type[BaseModel]] = {s.name: s.model for s in self.host.settings()}
        for connector in self.host.connectors():
            if connector.settings is not None:
                models.setdefault(connector.name, connector.settings)
        model = models.get(key)
        if model is None:
            known = ", ".join(sorted(models)) or "none"
            raise NotFoundError(f"no settings registered as {name!r} (registered: {known})")
        values: dict[str, Any] = dict(self.config.settings.get(key, {}))
        prefix = f"PMO_{key.upper().replace('-', '_')}_"
        for var, value in self._environ.items():
            if var.startswith(prefix):
                values[var[len(prefix) :].lower()] = value  # the environment wins
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            raise InvalidInputError(
                validation_message(exc), where=f"{self.config.path} [settings.{key}]"
            ) from None

    def journal(self, **filters: Any) -> list[JournalEntry]:
        """The append-only journal, filtered by ``kind``, ``id``, ``since``, ``until``, ``txn_id``.

        Example::

            [(e.actor, e.op, e.id) for e in ws.journal(kind="project", id="ALPHA")]
        """
        return list(self.store.journal(**filters))

    # ----------------------------------------------------------------- entities

    def _validate(self, cls: type[M], data: Mapping[str, Any], where: str = "") -> M:
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc), where=where or None) from None

    def _check_names(self, entity: Entity, changed: Iterable[str]) -> None:
        # A methodology or governance model nobody provides would silently govern nothing;
        # refuse it when it is set, not later in doctor.
        for field, hook in (
            ("methodology", "pmo_methodologies"),
            ("governance_model", "pmo_governance_models"),
        ):
            name = getattr(entity, field)
            if field in changed and name:
                try:
                    self.host.record(hook, name)
                except NotFoundError as exc:
                    raise InvalidInputError(str(exc), where=field) from None

    def _check_custom_fields(self, entity: Entity) -> Entity:
        if not entity.custom_fields:
            return entity
        registered = {r.name: r for r in self.host.custom_fields()}
        cleaned: dict[str, dict[str, Any]] = {}
        for namespace, values in entity.custom_fields.items():
            spec = registered.get(namespace)
            if spec is None:
                known = ", ".join(registered) or "none"
                raise InvalidInputError(
                    f"unknown custom field namespace {namespace!r} (registered: {known})",
                    where=f"{entity.id}.custom_fields",
                )
            if entity.kind not in spec.kinds:
                raise InvalidInputError(
                    f"custom fields {namespace!r} apply to {', '.join(spec.kinds)}, "
                    f"not {entity.kind}",
                    where=f"{entity.id}.custom_fields",
                )
            try:
                cleaned[namespace] = spec.model.model_validate(values).model_dump(mode="json")
            except ValidationError as exc:
                raise InvalidInputError(
                    validation_message(exc, prefix=f"{namespace}."),
                    where=f"{entity.id}.custom_fields",
                ) from None
        return entity.replace(custom_fields=cleaned)

    def _check_parent(self, entity: Entity, view: WorkspaceView, tx: Transaction) -> None:
        if entity.parent is None:
            check_hierarchy(entity.kind, None)
            return
        parent = _entity_in(tx, entity.parent)
        if parent is None:
            raise InvalidInputError(f"parent {entity.parent!r} does not exist", where="parent")
        check_hierarchy(entity.kind, parent.kind)
        # Walk up from the parent: reaching the entity itself would close a cycle.
        seen = {entity.id}
        current: Entity | None = parent
        while current is not None:
            if current.id in seen:
                raise InvalidInputError(
                    f"{entity.id} cannot sit under {entity.parent}: that makes a cycle",
                    where="parent",
                )
            seen.add(current.id)
            current = _entity_in(tx, current.parent) if current.parent else None

    def create(self, kind: str, **fields: Any) -> Entity:
        """Create a portfolio, program or project; returns it as stored.

        Example::

            ws.create("program", id="ERP", name="ERP renewal", parent="PF")
        """
        if kind not in ENTITY_KINDS:
            raise InvalidInputError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")
        data = {"currency": None, **fields, "kind": kind}
        if data["currency"] is None:
            data.pop("currency")
            if not fields.get("budget"):
                data["currency"] = self.config.currency
        if kind == "project" and "methodology" not in fields and self.config.methodology:
            data["methodology"] = self.config.methodology
        entity: Entity = self._validate(entity_class(kind), data)
        with self._unit(f"{kind} create") as uow:
            self._check_names(entity, fields)
            entity = self._check_custom_fields(entity)
            if _entity_in(uow.tx, entity.id) is not None:
                raise ConflictError(f"an entity with key {entity.id!r} already exists")
            self._check_parent(entity, uow.view, uow.tx)
            doc = uow.tx.insert(kind, entity.id, entity.to_document(), owner=entity.parent)
        return entity_class(kind).from_document(doc.data, doc.version)

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
        if "id" in changes or "kind" in changes:
            raise InvalidInputError("an entity's key and kind cannot change")
        with self._unit("entity update") as uow:
            current = _entity_in(uow.tx, id)
            if current is None:
                raise NotFoundError(f"no portfolio, program or project {id!r}")
            if expected_version is not None and expected_version != current.version:
                raise ConflictError(
                    f"{current.kind} {id!r} is at version {current.version}, not the expected "
                    f"version {expected_version}: it changed since it was read; read it again"
                )
            try:
                updated = current.replace(**changes)
            except ValidationError as exc:
                raise InvalidInputError(validation_message(exc), where=id) from None
            self._check_names(updated, changes)
            updated = self._check_custom_fields(updated)
            if "parent" in changes:
                self._check_parent(updated, uow.view, uow.tx)
            doc = uow.tx.update(
                current.kind,
                id,
                updated.to_document(),
                expected_version=expected_version or current.version,
                owner=updated.parent,
            )
        return entity_class(current.kind).from_document(doc.data, doc.version)

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
        return self.add_many([record], command=command)[0]

    def add_many(self, records: Iterable[M], *, command: str | None = None) -> list[M]:
        """Store several new child records in one transaction (all or nothing).

        Example::

            ws.add_many([Milestone(project="ALPHA", name=n, due=d) for n, d in plan])
        """
        records = list(records)
        kind = records[0].store_kind if records else "record"
        out: list[M] = []
        with self._unit(command or f"{kind} add") as uow:
            owners: dict[str, bool] = {}
            for record in records:
                _check_owner(uow.tx, record, "create()", owners)
                doc = uow.tx.insert(
                    record.store_kind, record.id, record.to_document(), owner=record.owner
                )
                out.append(type(record).from_document(doc.data, doc.version))
        return out

    def replace(self, record: M) -> M:
        """Store a changed child record; its ``version`` must be the stored one.

        Example::

            risk = ws.view().raid("ALPHA", type="risk")[0]
            ws.replace(risk.replace(owned_by="Sam"))
        """
        if record.version == 0:
            raise InvalidInputError(
                f"this {record.store_kind} was never stored (version 0); use add()",
                where=f"{record.store_kind} {record.id}",
            )
        with self._unit(f"{record.store_kind} update") as uow:
            _check_owner(uow.tx, record, "update()", {})
            doc = uow.tx.update(
                record.store_kind,
                record.id,
                record.to_document(),
                expected_version=record.version,
                owner=record.owner,
            )
        return type(record).from_document(doc.data, doc.version)

    def report_status(self, entity: str, **fields: Any) -> StatusReport:
        """Record a status report (a snapshot with RAG per dimension) for an entity.

        Example::

            ws.report_status("ALPHA", overall="amber", dimensions={"schedule": "amber"},
                             summary="Vendor slipped two weeks.")
        """
        data = {"entity": entity, "as_of": self.today(), "author": self.actor, **fields}
        report = self._validate(StatusReport, data)
        if report.as_of > self.today():
            # A report dated ahead would stay invisible until that day, then appear unbidden.
            raise InvalidInputError(
                f"as_of {report.as_of} is after the status date {self.today()}", where="as_of"
            )
        return self.add(report, command="status report")

    def add_raid(
        self, entity: str, type: str, title: str, *, command: str = "raid add", **fields: Any
    ) -> RaidItem:
        """Add a risk, assumption, issue, dependency, decision, action or change.

        Example::

            ws.add_raid("ALPHA", "risk", "Vendor may slip", probability=4, impact=4,
                        owned_by="Sam")
        """
        data = {"entity": entity, "type": type, "title": title, "raised_on": self.today(), **fields}
        item = self._validate(RaidItem, data)
        return self.add(item, command=command)

    # --------------------------------------------------------------- governance

    def check(self, entity: str | None = None, *, min_level: str = "advise") -> list[Finding]:
        """Check governance rules (outside a gate) for one entity, or for every entity.

        Example::

            blocking = [f for f in ws.check() if f.blocking]
        """
        if min_level not in LEVELS:
            raise InvalidInputError(
                f"min_level must be one of {', '.join(LEVELS)}, not {min_level!r}",
                where="min_level",
            )
        floor: Level = min_level
        view = self.view()
        targets = [view.entity(entity)] if entity else view.entities()
        findings: list[Finding] = []
        for target in targets:
            findings += evaluate(
                target,
                view,
                self.host,
                default_model=self.config.governance_model,
                today=view.as_of,
                methodology=self._methodology_or_none(target, view),
                min_level=floor,
            )
        return findings

    def _methodology_or_none(self, entity: Entity, view: WorkspaceView) -> Any:
        # Outside a gate a missing methodology only hides tailoring from rules; the gate check
        # itself reports it as an error.
        try:
            return methodology_for(entity, view, self.host, self.config.methodology)
        except NotFoundError:
            return None

    def gate_check(self, entity: str, gate: str | None = None) -> GateCheck:
        """Check an entity against its next gate (or ``gate``): a dry run of what would block.

        Example::

            result = ws.gate_check("ALPHA")
            result.blocked, result.reasons()
        """
        view = self.view()
        return gate_check(
            view.entity(entity),
            view,
            self.host,
            default_model=self.config.governance_model,
            default_methodology=self.config.methodology,
            today=view.as_of,
            gate_name=gate,
        )

    def request_gate(self, entity: str, gate: str | None = None, *, note: str = "") -> RaidItem:
        """Ask for a gate review: records an action for the approvers, with the check result.

        Example::

            ws.request_gate("ALPHA")
        """
        result = self.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to request ({'; '.join(result.notes)})")
        view = self.view()
        model, _ = model_in_force(
            view.entity(entity), view, self.host, self.config.governance_model
        )
        approvers = ", ".join(model.approvers)
        state = "blocked: " + "; ".join(result.reasons()) if result.blocked else "ready"
        return self.add_raid(
            entity,
            "action",
            f"Gate review requested: {result.gate} ({result.leaving} -> {result.entering})",
            description=f"Approvers: {approvers}. Check: {state}. {note}".strip(),
            owned_by=approvers,
            command="gate request",
        )

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
        blocks; the governance model's quorum of approvers is required. ``go`` moves the entity
        to the next phase, ``kill`` discontinues it, ``hold`` puts it on hold, ``recycle``
        keeps it where it is. ``decided_on`` records a decision taken earlier (a board
        meeting last week, or a gate history brought into the workspace); it defaults to the
        status date and cannot be after it.

        Example::

            ws.decide_gate("ALPHA", "go", approvers=["Dana (sponsor)", "Lee (pmo)"])
        """
        if decision not in ("go", "kill", "hold", "recycle"):
            raise InvalidInputError(f"decision must be go, kill, hold or recycle, not {decision!r}")
        decided_on = decided_on or self.today()
        if decided_on > self.today():
            raise InvalidInputError(
                f"a decision cannot be dated {decided_on}, after the status date {self.today()}",
                where="decided_on",
            )
        result = self.gate_check(entity, gate)
        if result.gate is None:
            raise InvalidInputError(f"{entity} has no gate to decide ({'; '.join(result.notes)})")
        if decision == "go" and result.blocked:
            raise GovernanceBlockedError(
                f"gate {result.gate} of {entity} is blocked: " + "; ".join(result.reasons()),
                findings=[f for f in result.findings if f.blocking],
            )
        view = self.view()
        model, _ = model_in_force(
            view.entity(entity), view, self.host, self.config.governance_model
        )
        approvals = [
            a if isinstance(a, Approval) else self._approval(a, decided_on) for a in approvers
        ]
        in_favour = [a for a in approvals if a.approve]
        if decision == "go" and len(in_favour) < model.quorum:
            raise InvalidInputError(
                f"a go under model {model.name!r} needs {model.quorum} approver(s), "
                f"got {len(in_favour)}",
                where="--approver",
            )
        if (
            decision == "go"
            and model.pmo_approves_gates
            and not any((a.role or "").lower() == "pmo" for a in in_favour)
        ):
            raise InvalidInputError(
                f"model {model.name!r} requires the PMO among the approvers "
                "(give one as 'Name (pmo)')",
                where="--approver",
            )
        transitions: dict[str, dict[str, Any]] = {
            "go": {"phase": result.entering},
            "kill": {"status": "discontinued"},
            "hold": {"status": "on_hold"},
            "recycle": {},
        }
        changes = transitions[decision]
        record = GateDecision(
            entity=entity,
            gate=result.gate,
            decision=decision,
            criteria=result.criteria,
            approvals=tuple(approvals),
            conditions=tuple(conditions),
            decided_on=decided_on,
            decided_by=self.actor,
            next_phase=result.entering if decision == "go" else None,
            comment=comment,
        )
        with self._unit("gate decide") as uow:
            current = _entity_in(uow.tx, entity)
            assert current is not None  # gate_check found it
            if changes:
                updated = current.replace(**changes)
                uow.tx.update(
                    current.kind, entity, updated.to_document(), expected_version=current.version
                )
            doc = uow.tx.insert(record.store_kind, record.id, record.to_document(), owner=entity)
        return GateDecision.from_document(doc.data, doc.version)

    def _approval(self, text: str, decided_on: date) -> Approval:
        """Parse ``"Lee (pmo)"`` into an approval by Lee in the role pmo."""
        name, _, role = text.partition("(")
        role = role.rstrip(") ").strip()
        try:
            return Approval(
                approver=name.strip() or text,
                role=role or None,
                approve=True,
                decided_on=decided_on,
            )
        except ValidationError as exc:
            raise InvalidInputError(validation_message(exc), where="--approver") from None

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
        from ._exchange import run_import

        return run_import(
            self,
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
        from ._exchange import run_export

        return run_export(
            self, connector, os.fspath(location), scope=scope, kinds=kinds, progress=progress
        )

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
        report: PmoReport = self.host.record("pmo_reports", name)
        view = self.view(as_of) if as_of else self.view()
        entity = view.entity(scope) if scope else None
        scope_kind = entity.kind if entity else "pmo"
        if scope_kind not in report.scopes:
            raise InvalidInputError(
                f"report {report.name!r} covers {', '.join(report.scopes)}, not a {scope_kind}",
                where="scope",
            )
        fmt = format or report.formats[0]
        if fmt not in report.formats:
            raise InvalidInputError(
                f"report {report.name!r} has formats {', '.join(report.formats)}, not {fmt!r}",
                where="--format",
            )
        request = ReportRequest(
            view=view, scope=entity, format=fmt, as_of=view.as_of, options=options or {}
        )
        try:
            output = report.render(request)
        except Exception as exc:
            raise PluginError(
                f"report {report.name!r} failed: {type(exc).__name__}: {exc}", plugin=report.plugin
            ) from exc
        if not isinstance(output, ReportOutput):
            raise PluginError(
                f"report {report.name!r} returned {type(output).__name__}, not ReportOutput",
                plugin=report.plugin,
            )
        return output

    # ------------------------------------------------------------------ plugins

    def enable(self, *names: str) -> list[str]:
        """Enable installed plugins in ``pmo.toml`` (by id or distribution name).

        Takes effect at once for this workspace (its plugins are reloaded) and for every
        workspace opened afterwards; the ``pmo_plugins_changed`` event goes to the plugins
        enabled after the change, the new ones included. Returns the ids newly enabled.

        Example::

            ws.enable("pmo-csv")  # ['csv']
        """
        resolver = _fresh_resolver()
        ids = [resolver.resolve(n).id for n in names]
        enabled = list(self.config.enabled)
        added = [i for i in ids if i not in enabled]
        self._write_plugins(enabled + added, added, [])
        return added

    def disable(self, *names: str) -> list[str]:
        """Disable plugins in ``pmo.toml``; a disabled plugin is never imported.

        Example::

            ws.disable("csv")
        """
        ids = set()
        resolver = _fresh_resolver()
        for n in names:
            try:
                ids.add(resolver.resolve(n).id)
            except NotFoundError:
                if n not in self.config.enabled:
                    raise
                ids.add(n)  # enabled but uninstalled: still removable
        removed = [i for i in self.config.enabled if i in ids]
        self._write_plugins([i for i in self.config.enabled if i not in ids], [], removed)
        return removed

    def _write_plugins(self, enabled: list[str], added: list[str], removed: list[str]) -> None:
        if not added and not removed:
            return
        write_plugins(self.config.path, enabled=enabled)
        self.config = WorkspaceConfig.load(self.root)
        if self._owns_host:
            # A host given by the caller is the caller's to manage; our own follows the file.
            self._host = self._make_host()
        if self._owns_host or self._host.loaded:
            self.host.notify("pmo_plugins_changed", workspace=self, enabled=added, disabled=removed)


def _fresh_resolver() -> PluginHost:
    # Not the workspace's own host: its index was read when it loaded, and a long-lived
    # workspace must be able to enable a plugin installed since (the index cache is
    # invalidated by the installation, so this stays cheap).
    return PluginHost(builtins=False)


def _check_owner(
    tx: Transaction, record: DomainModel, instead: str, known: dict[str, bool]
) -> None:
    # Entities go through create() / update(), which check hierarchy, cycles and custom
    # fields; a child record must belong to an entity that exists (``known`` caches lookups).
    if record.store_kind in ENTITY_KINDS:
        raise InvalidInputError(f"use {instead} for portfolios, programs and projects")
    owner = record.owner
    if owner is None:
        return
    if owner not in known:
        known[owner] = _entity_in(tx, owner) is not None
    if not known[owner]:
        field = next(
            (f for f in ("entity", "project") if getattr(record, f, None) == owner), "owner"
        )
        raise InvalidInputError(
            f"{record.store_kind} belongs to {owner!r}, which does not exist",
            where=f"{record.store_kind}.{field}",
        )


def _entity_in(tx: Transaction, id: str) -> Entity | None:
    for kind in ENTITY_KINDS:
        doc = tx.get(kind, id)
        if doc is not None:
            return entity_class(kind).from_document(doc.data, doc.version)
    return None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


__all__ = ["PROFILES", "Workspace", "model_for_kind"]
