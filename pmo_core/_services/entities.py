"""Portfolios, programs and projects, and the child records around them: writes with their
checks (hierarchy, cycles, custom fields, owners, names of models and methodologies)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from .._domain import (
    ENTITY_KINDS,
    DomainModel,
    Entity,
    Objective,
    WorkItem,
    ancestors_of,
    check_hierarchy,
    entity_class,
)
from .._domain.planning import stamp_history
from .._errors import (
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    NotFoundError,
    validation_message,
)
from .._records import PmoCustomFields, PmoGovernanceModel, PmoMethodology, PmoRecord
from .._store.protocol import Transaction
from .._view import WorkspaceView
from .governance import GovernanceService
from .lifecycle import check_live
from .records import entity_in, validated
from .tolerances import ToleranceService

if TYPE_CHECKING:
    from .._workspace import Workspace

M = TypeVar("M", bound=DomainModel)

# Entity fields that name a record a plugin must provide.
_NAMED_RECORDS: tuple[tuple[str, type[PmoRecord]], ...] = (
    ("methodology", PmoMethodology),
    ("governance_model", PmoGovernanceModel),
)


# Fields only a lifecycle decision sets (Workspace.change_lifecycle, a gate decision).
_LIFECYCLE_FIELDS = frozenset({"lifecycle", "lifecycle_on", "lifecycle_by", "lifecycle_reason"})
# Statuses the lifecycle implies: set by the decision, never by hand.
_LIFECYCLE_STATUSES = {"on_hold": "on_hold", "finished": "closed", "discontinued": "killed"}
# What a closed or killed entity still allows: archiving it out of the lists.
_AFTER_THE_END = frozenset({"archived"})
# Entity fields and child records a forecast is measured against: a change raises the
# exceptions it makes due.
_PLANNED = frozenset({"budget", "planned_start", "planned_finish"})
_PLAN_KINDS = frozenset({"forecast", "cost_entry", "work_item", "baseline", "raid"})
# Baselined values that change control guards (the scope is guarded where work is added).
_CONTROLLED = {"budget": "budget", "planned_finish": "finish date", "planned_start": "start"}


class EntityService:
    """Creates, updates and archives entities; adds and replaces child records."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, tolerances: ToleranceService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._tolerances = tolerances

    def plan_changed(self, keys: Iterable[str]) -> None:
        """What a forecast depends on changed for ``keys``: raise the exceptions now due,
        for them and for the programs above them (whose tolerances sum their projects)."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return
        view = self._ws.view()
        above = [
            a.id for k in keys if view.find(k) for a in view.ancestors(k) if a.kind == "program"
        ]
        self._tolerances.raise_quietly([*keys, *above])

    # ---------------------------------------------------------------- checks

    def check_custom_fields(self, entity: Entity) -> Entity:
        """``entity`` with its custom fields validated (and normalised) by their models."""
        if not entity.custom_fields:
            return entity
        registered = {r.name: r for r in self._ws.host.records(PmoCustomFields)}
        cleaned: dict[str, dict[str, Any]] = {}
        for namespace, values in entity.custom_fields.items():
            spec = registered.get(namespace)
            where = f"{entity.id}.custom_fields"
            if spec is None:
                known = ", ".join(registered) or "none"
                raise InvalidInputError(
                    f"unknown custom field namespace {namespace!r} (registered: {known})",
                    where=where,
                )
            if entity.kind not in spec.kinds:
                raise InvalidInputError(
                    f"custom fields {namespace!r} apply to {', '.join(spec.kinds)}, "
                    f"not {entity.kind}",
                    where=where,
                )
            try:
                cleaned[namespace] = spec.model.model_validate(values).model_dump(mode="json")
            except ValidationError as exc:
                raise InvalidInputError(
                    validation_message(exc, prefix=f"{namespace}."), where=where
                ) from None
        try:
            return entity.replace(custom_fields=cleaned)
        except ValidationError as exc:
            # A plugin's model may let through what the domain refuses in any custom field
            # (a control character, an infinite number): still a user error, not a crash.
            raise InvalidInputError(
                validation_message(exc), where=f"{entity.id}.custom_fields"
            ) from None

    def check_names(self, entity: Entity, changed: Iterable[str]) -> None:
        """Refuse a methodology or governance model nobody provides, when it is set.

        It would silently govern nothing; refusing it now beats a finding later in doctor.
        """
        changed = set(changed)
        for field, cls in _NAMED_RECORDS:
            name = getattr(entity, field)
            if field in changed and name:
                try:
                    self._ws.host.record(cls, name)
                except NotFoundError as exc:
                    raise InvalidInputError(str(exc), where=field) from None

    def _check_parent(self, entity: Entity, tx: Transaction) -> None:
        if entity.parent is None:
            check_hierarchy(entity.kind, None)
            return
        parent = entity_in(tx, entity.parent)
        if parent is None:
            raise InvalidInputError(f"parent {entity.parent!r} does not exist", where="parent")
        check_hierarchy(entity.kind, parent.kind)

        def parent_of(key: str) -> str | None:
            if key == entity.id:
                return entity.parent
            found = entity_in(tx, key)
            return found.parent if found else None

        chain = ancestors_of(entity.id, parent_of)
        if chain and chain[-1] == entity.id:
            raise InvalidInputError(
                f"{entity.id} cannot sit under {entity.parent}: that makes a cycle "
                f"({' -> '.join([entity.id, *chain])})",
                where="parent",
            )

    def _check_owner(
        self, tx: Transaction, record: DomainModel, instead: str, known: dict[str, bool]
    ) -> None:
        # Entities go through create() / update(), which check hierarchy, cycles and custom
        # fields; a child record must belong to an entity that exists (``known`` caches).
        if record.store_kind in ENTITY_KINDS:
            raise InvalidInputError(f"use {instead} for portfolios, programs and projects")
        owner = record.owner
        if owner is None:
            return
        if owner not in known:
            found = entity_in(tx, owner)
            known[owner] = found is not None
            # Closed and killed entities keep their history: only lessons may still come.
            if found is not None and record.store_kind != "lesson":
                check_live(found, f"add a {record.store_kind} to")
        if not known[owner]:
            field = next(
                (f for f in ("entity", "project") if getattr(record, f, None) == owner), "owner"
            )
            raise InvalidInputError(
                f"{record.store_kind} belongs to {owner!r}, which does not exist",
                where=f"{record.store_kind}.{field}",
            )

    # ---------------------------------------------------------------- entities

    def create(self, kind: str, fields: Mapping[str, Any]) -> Entity:
        """See :meth:`Workspace.create <pmo_core.Workspace.create>`."""
        ws = self._ws
        if kind not in ENTITY_KINDS:
            raise InvalidInputError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")
        data = {"currency": None, **fields, "kind": kind}
        if data["currency"] is None:
            data.pop("currency")
            if not fields.get("budget"):
                data["currency"] = ws.config.currency
        if kind == "project" and "methodology" not in fields and ws.config.methodology:
            data["methodology"] = ws.config.methodology
        if "lifecycle" in fields and "lifecycle_on" not in fields:
            data.update(lifecycle_on=ws.today(), lifecycle_by=ws.actor)
        entity: Entity = validated(entity_class(kind), data)
        if entity.phase:
            self._check_phase(entity, entity.phase, ws.view())
        with ws.transaction(f"{kind} create") as tx:
            self.check_names(entity, fields)
            entity = self.check_custom_fields(entity)
            if entity_in(tx, entity.id) is not None:
                raise ConflictError(f"an entity with key {entity.id!r} already exists")
            self._check_parent(entity, tx)
            doc = tx.insert(kind, entity.id, entity.to_document(), owner=entity.parent)
        return entity_class(kind).from_document(doc.data, doc.version)

    def update(
        self,
        id: str,
        expected_version: int | None,
        changes: Mapping[str, Any],
        *,
        approved_change: bool = False,
    ) -> Entity:
        """See :meth:`Workspace.update <pmo_core.Workspace.update>`.

        ``approved_change``: the changes apply an approved change request, so change
        control has had its say.
        """
        if "id" in changes or "kind" in changes:
            raise InvalidInputError("an entity's key and kind cannot change")
        lifecycle = sorted(_LIFECYCLE_FIELDS & set(changes))
        if lifecycle:
            raise InvalidInputError(
                f"{', '.join(lifecycle)} change only by a decision: use change_lifecycle() "
                f"('pmo project update {id} --lifecycle STATE --comment ...') or a gate decision",
                where=lifecycle[0],
            )
        if "tailoring" in changes:
            raise InvalidInputError(
                f"tailoring changes one at a time, each checked against the methodology: use "
                f"tailor() ('pmo tailoring add {id} --skip-artifact NAME --comment ...')",
                where="tailoring",
            )
        status = getattr(changes.get("status"), "value", changes.get("status"))
        if status in _LIFECYCLE_STATUSES:
            raise InvalidInputError(
                f"the status {status!r} follows the lifecycle: move {id} to "
                f"{_LIFECYCLE_STATUSES[status]} instead ('--lifecycle "
                f"{_LIFECYCLE_STATUSES[status]} --comment ...')",
                where="status",
            )
        view = self._ws.view()
        before = view.entity(id)
        if not set(changes) <= _AFTER_THE_END:
            check_live(before, "update")
        if changes.get("phase"):
            self._check_phase(
                before.replace(
                    **{k: v for k, v in changes.items() if k in ("methodology", "parent")}
                ),
                str(changes["phase"]),
                view,
            )
        if not approved_change:
            self._change_control(before, changes, view)
        with self._ws.transaction("entity update") as tx:
            current = entity_in(tx, id)
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
            self.check_names(updated, changes)
            updated = self.check_custom_fields(updated)
            if "parent" in changes:
                self._check_parent(updated, tx)
            doc = tx.update(
                current.kind,
                id,
                updated.to_document(),
                expected_version=expected_version or current.version,
                owner=updated.parent,
            )
        if set(changes) & _PLANNED:
            self.plan_changed([id])
        return entity_class(current.kind).from_document(doc.data, doc.version)

    def _check_phase(self, entity: Entity, phase: str, view: WorkspaceView) -> None:
        try:
            methodology = self._governance.methodology_for(entity, view)
        except NotFoundError as exc:
            raise InvalidInputError(f"cannot check the phase: {exc}", where="phase") from None
        if methodology is None:
            return  # no methodology: phases are the PMO's own words
        names = [p.name for p in methodology.phases]
        if phase not in names:
            raise InvalidInputError(
                f"methodology {methodology.name!r} has no phase {phase!r} "
                f"(phases: {', '.join(names)})",
                where="phase",
            )

    def _change_control(
        self, entity: Entity, changes: Mapping[str, Any], view: WorkspaceView
    ) -> None:
        """Under a model with change control, a baselined budget or date changes only by an
        approved change request."""
        changed = [f for f in _CONTROLLED if f in changes and changes[f] != getattr(entity, f)]
        if not changed or entity.kind != "project":
            return
        baselines = view.baselines(entity.id)
        if not baselines:
            return
        model, _ = self._governance.model_in_force(entity, view)
        if model.change_control != "request":
            return
        what = " and ".join(_CONTROLLED[f] for f in changed)
        latest = max(baselines, key=lambda b: (b.number, b.taken_on))
        raise GovernanceBlockedError(
            f"the {what} of {entity.id} is baselined (baseline {latest.number} of "
            f"{latest.taken_on}): under model {model.name!r} it changes only through an "
            f"approved change request ('pmo change raise {entity.id} ...')"
        )

    # ------------------------------------------------------------ child records

    @property
    def actor(self) -> str:
        """Who the workspace's writes are by (a status change it stamps names them)."""
        return self._ws.actor

    def stamped(self, record: M, before: Mapping[str, Any] | None) -> M:
        """``record`` with its dated histories kept: a work item whose percent complete or
        actual cost a write changes gets the point of the status date, and one whose status
        it changes (or a new one) the change of status of that date, by the workspace's
        actor (every write of a work item, the import's too, passes here)."""
        if isinstance(record, WorkItem):
            day, actor = self._ws.today(), self._ws.actor
            return stamp_history(record, before, day, actor)  # type: ignore[return-value]
        return record

    def add_many(self, records: Iterable[M], command: str | None) -> list[M]:
        """See :meth:`Workspace.add_many <pmo_core.Workspace.add_many>`."""
        records = list(records)
        kind = records[0].store_kind if records else "record"
        out: list[M] = []
        with self._ws.transaction(command or f"{kind} add") as tx:
            owners: dict[str, bool] = {}
            for record in records:
                self._check_owner(tx, record, "create()", owners)
                if isinstance(record, Objective):
                    check_objective_parent(tx, record)
                record = self.stamped(record, None)
                doc = tx.insert(
                    record.store_kind, record.id, record.to_document(), owner=record.owner
                )
                out.append(type(record).from_document(doc.data, doc.version))
        if kind in _PLAN_KINDS:
            self.plan_changed(str(r.owner) for r in out)
        return out

    def replace(self, record: M, command: str | None = None) -> M:
        """See :meth:`Workspace.replace <pmo_core.Workspace.replace>`; ``command`` is what
        the journal records (default: ``<kind> update``)."""
        if record.version == 0:
            raise InvalidInputError(
                f"this {record.store_kind} was never stored (version 0); use add()",
                where=f"{record.store_kind} {record.id}",
            )
        with self._ws.transaction(command or f"{record.store_kind} update") as tx:
            self._check_owner(tx, record, "update()", {})
            if isinstance(record, Objective):
                check_objective_parent(tx, record)
            if isinstance(record, WorkItem):
                stored = tx.get(record.store_kind, record.id)
                record = self.stamped(record, stored.data if stored is not None else None)
            doc = tx.update(
                record.store_kind,
                record.id,
                record.to_document(),
                expected_version=record.version,
                owner=record.owner,
            )
        if record.store_kind in _PLAN_KINDS:
            self.plan_changed([str(record.owner)])
        return type(record).from_document(doc.data, doc.version)


def check_objective_parent(tx: Transaction, objective: Objective) -> None:
    """Refuse an objective whose ``parent`` is missing, in another portfolio, or makes a cycle.

    The chain is read in the transaction, so objectives added together see each other.
    """
    if objective.parent is None:
        return

    def stored(id: str) -> Objective | None:
        if id == objective.id:
            return objective
        doc = tx.get(Objective.store_kind, id)
        return None if doc is None else Objective.from_document(doc.data, doc.version)

    parent = stored(objective.parent)
    if parent is None:
        raise InvalidInputError(
            f"parent objective {objective.parent!r} does not exist", where="objective.parent"
        )
    if parent.portfolio != objective.portfolio:
        raise InvalidInputError(
            f"parent objective {parent.id!r} belongs to portfolio {parent.portfolio}, "
            f"not {objective.portfolio}",
            where="objective.parent",
        )
    chain = [objective.id]
    current: Objective | None = parent
    # A chain stored before this check existed may loop without this objective: stop there.
    while current is not None and current.id not in chain[1:]:
        chain.append(current.id)
        if current.id == objective.id:
            raise InvalidInputError(
                f"objective {objective.id} cannot sit under {objective.parent}: that makes a "
                f"cycle ({' -> '.join(chain)})",
                where="objective.parent",
            )
        current = None if current.parent is None else stored(current.parent)
