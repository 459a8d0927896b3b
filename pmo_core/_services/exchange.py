"""Imports and exports through connectors.

An import reads every item first, resolves references (a project's ``parent`` given by the
source's own key), validates each one into a domain record, and computes the diff against the
store. Only when every item is valid does it write, in one transaction, upserting by external
reference (connector, kind, remote id), so running the same import twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .._domain import (
    ENTITY_KINDS,
    DomainModel,
    Entity,
    ExternalRef,
    ancestors_of,
    check_hierarchy,
    model_for_kind,
    new_id,
)
from .._domain._base import ID_MAX_LENGTH, Key, RecordId
from .._errors import PLUGIN_FAILURES, InvalidInputError, PluginError, describe, error_line
from .._records import ConnectorRequest, PmoConnector, PmoSettings, SourceItem
from .._redact import redact
from .._store._common import dumps as store_dumps
from .._store.protocol import Document, Transaction
from .._text import shown
from .._view import WorkspaceView
from .diff import DiffItem, ImportResult
from .entities import EntityService
from .settings import SettingsService

if TYPE_CHECKING:
    from .._workspace import Workspace

Progress = Callable[[int, "int | None"], None]

# Fields that refer to an entity by key; in a source they hold the source's own key.
_REFERENCE_FIELDS = ("parent", "project", "entity")
_ENTITY_ORDER = {"portfolio": 0, "program": 1, "project": 2}
#: The import option that accepts a source holding no records (``pmo import --allow-empty``).
ALLOW_EMPTY = "allow_empty"
# A source key is an entity's key, or (for other records) the remote id of its reference.
_ENTITY_KEY: TypeAdapter[str] = TypeAdapter(Key)
_REMOTE_ID: TypeAdapter[str] = TypeAdapter(RecordId)


@dataclass
class _Planned:
    item: SourceItem
    ref_id: str
    target: str
    record: DomainModel
    # The record's document, made once: the diff, the JSON check and the write share it.
    document: dict[str, Any]
    existing_version: int | None
    existing_data: dict[str, Any] | None
    ref_version: int | None


def _where(item: SourceItem, field_name: str | None) -> str:
    column = item.columns.get(field_name or "") if field_name else None
    return f"{item.where}:{column}" if column and item.where else item.where


def _ref_id(connector: str, item: SourceItem) -> str:
    return f"{connector}:{item.kind}:{item.remote_id}"


class ExchangeService:
    """Runs imports and exports through the workspace's connectors."""

    def __init__(self, ws: Workspace, entities: EntityService, settings: SettingsService) -> None:
        self._ws = ws
        self._entities = entities
        self._settings = settings

    # ------------------------------------------------------------------ connectors

    def connector(self, name: str, capability: str) -> PmoConnector:
        """The connector ``name``, refused when it lacks ``capability``."""
        connector = self._ws.host.record(PmoConnector, name)
        if capability not in connector.capabilities:
            raise InvalidInputError(
                f"connector {connector.name!r} cannot {capability} "
                f"(it can: {', '.join(sorted(connector.capabilities))})"
            )
        return connector

    def connector_settings(self, connector: PmoConnector) -> BaseModel | None:
        """The connector's settings (see :meth:`Workspace.settings`), or ``None``."""
        registered = {spec.name for spec in self._ws.host.records(PmoSettings)}
        if connector.settings is None and connector.name not in registered:
            return None
        return self._settings.get(connector.name)

    # ---------------------------------------------------------------------- import

    def import_from(
        self,
        name: str,
        location: str,
        *,
        dry_run: bool,
        progress: Progress | None,
        options: Mapping[str, Any],
    ) -> ImportResult:
        """See :meth:`Workspace.import_from <pmo_core.Workspace.import_from>`."""
        connector = self.connector(name, "read")
        request = ConnectorRequest(
            location=location,
            settings=self.connector_settings(connector),
            progress=progress or (lambda done, total: None),
            options=options,
        )
        items = _read(connector, request)
        if not items and not options.get(ALLOW_EMPTY):
            # An empty file is far more often a failed export or the wrong file than a wish
            # to import nothing; an import that "succeeds" doing nothing hides that.
            raise InvalidInputError(
                "holds no records to import; to accept an empty source, pass "
                f"{ALLOW_EMPTY}=True (pmo import --allow-empty)",
                where=redact(location),
            )
        planned = self._plan(connector, items)
        diff = tuple(_diff(p) for p in planned)
        # The location may hold credentials (a URL with a token): they are not kept.
        public = redact(location)
        result = ImportResult(
            connector=connector.name, location=public, dry_run=dry_run, items=diff
        )
        if dry_run or all(d.op == "unchanged" for d in diff):
            return result
        with self._ws.transaction(f"import {connector.name} {public}") as tx:
            _write(tx, connector.name, planned, diff, request.progress)
        # Imported plans are plans too: a forecast beyond tolerance raises its exception.
        self._entities.plan_changed(_touched(planned, diff))
        return result

    def _plan(self, connector: PmoConnector, items: list[SourceItem]) -> list[_Planned]:
        _check_items(connector.name, items)
        store = self._ws.store
        view = self._ws.view()
        # One bulk read per kind instead of two look-ups per row (imports run to 100,000 rows).
        ref_ids = [_ref_id(connector.name, item) for item in items]
        found = {d.id: d for d in store.query(ExternalRef.store_kind, ids=ref_ids)}
        refs: dict[str, Document | None] = {ref_id: found.get(ref_id) for ref_id in ref_ids}
        targets, kinds = _entity_targets(connector.name, items, refs, view)
        existing = _existing(store, connector.name, items, refs, targets)
        planned = [
            self._plan_item(connector.name, item, refs, targets, kinds, existing, view)
            for item in sorted(items, key=lambda i: _ENTITY_ORDER.get(i.kind, 3))
        ]
        _check_cycles(planned, view)
        return planned

    def _plan_item(
        self,
        connector: str,
        item: SourceItem,
        refs: Mapping[str, Document | None],
        targets: Mapping[str, str],
        kinds: Mapping[str, str],
        existing_docs: Mapping[tuple[str, str], Document],
        view: WorkspaceView,
    ) -> _Planned:
        ref_id = _ref_id(connector, item)
        ref_doc = refs[ref_id]
        if item.kind in ENTITY_KINDS:
            target = targets[item.remote_id]
        elif ref_doc is not None:
            target = ref_doc.data["target"]
        elif (item.kind, item.remote_id) in existing_docs:
            # No link yet, but the key is one of our own ids (an export of this workspace
            # coming back): update that record rather than create a copy.
            target = item.remote_id
        else:
            target = new_id()
        existing = existing_docs.get((item.kind, target))
        data = self._merged(connector, item, dict(existing.data) if existing else {}, targets)
        data["id"] = target
        if item.kind in ENTITY_KINDS:
            data["kind"] = item.kind
            if not data.get("currency") and not data.get("budget"):
                data["currency"] = self._ws.config.currency
        record = _validate(model_for_kind(item.kind), data, item)
        # An imported work item's progress joins its dated history, as any other write's.
        record = self._entities.stamped(record, existing.data if existing else None)
        if isinstance(record, Entity):
            record = self._check_entity(record, item, kinds, view)
        elif (
            record.owner is not None
            and record.owner not in kinds
            and view.find(record.owner) is None
        ):
            field_name = next(
                (f for f in _REFERENCE_FIELDS if getattr(record, f, None) == record.owner), None
            )
            raise InvalidInputError(
                f"{item.kind} {item.remote_id!r} belongs to {record.owner!r}, which does not exist",
                where=_where(item, field_name),
            )
        return _Planned(
            item=item,
            ref_id=ref_id,
            target=target,
            record=record,
            document=_document(record, item),
            existing_version=existing.version if existing else None,
            existing_data=existing.data if existing else None,
            ref_version=ref_doc.version if ref_doc else None,
        )

    def _merged(
        self, connector: str, item: SourceItem, data: dict[str, Any], targets: Mapping[str, str]
    ) -> dict[str, Any]:
        # An import merges: a field the source does not carry keeps its stored value.
        for name, value in item.data.items():
            if name in _REFERENCE_FIELDS and isinstance(value, str) and value:
                value = self._resolve_reference(connector, value, targets)
            if name == "custom_fields" and isinstance(value, Mapping):
                # Merge per namespace and field: a source that carries one custom field must
                # not wipe the others.
                merged = {ns: dict(v) for ns, v in (data.get(name) or {}).items()}
                for ns, fields in value.items():
                    merged.setdefault(ns, {}).update(fields)
                value = merged
            data[name] = value
        return data

    def _resolve_reference(self, connector: str, value: str, targets: Mapping[str, str]) -> str:
        if value in targets:
            return targets[value]
        for kind in ENTITY_KINDS:
            ref = self._ws.store.get(ExternalRef.store_kind, f"{connector}:{kind}:{value}")
            if ref is not None:
                return str(ref.data["target"])
        return value  # an existing key in the workspace, or an error reported by validation

    def _check_entity(
        self, record: Entity, item: SourceItem, kinds: Mapping[str, str], view: WorkspaceView
    ) -> Entity:
        if record.parent:
            parent_kind = kinds.get(record.parent)
            if parent_kind is None:
                found = view.find(record.parent)
                parent_kind = found.kind if found else None
            if parent_kind is None:
                raise InvalidInputError(
                    f"parent {record.parent!r} is neither in this import nor in the workspace",
                    where=_where(item, "parent"),
                )
            try:
                check_hierarchy(record.kind, parent_kind)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, where=_where(item, "parent")) from None
        try:
            return self._entities.check_custom_fields(record)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, where=_where(item, "custom_fields")) from None

    # ---------------------------------------------------------------------- export

    def export_to(
        self,
        name: str,
        location: str,
        *,
        scope: str | None,
        kinds: Iterable[str] | None,
        progress: Progress | None,
    ) -> int:
        """See :meth:`Workspace.export_to <pmo_core.Workspace.export_to>`."""
        connector = self.connector(name, "write")
        items = self._export_items(connector.name, scope, kinds)
        request = ConnectorRequest(
            location=location,
            settings=self.connector_settings(connector),
            progress=progress or (lambda done, total: None),
            items=items,
        )
        assert connector.write is not None
        try:
            connector.write(request)
        except InvalidInputError:
            raise
        except OSError as exc:
            raise InvalidInputError(
                f"cannot write: {exc.strerror or exc}", where=redact(location)
            ) from None
        except PLUGIN_FAILURES as exc:
            raise PluginError(
                f"connector {connector.name!r} failed writing {redact(location)}: {describe(exc)}",
                plugin=connector.plugin,
            ) from exc
        return len(items)

    def _export_items(
        self, connector: str, scope: str | None, kinds: Iterable[str] | None
    ) -> list[SourceItem]:
        store = self._ws.store
        view = self._ws.view()
        wanted = set(kinds) if kinds else {*ENTITY_KINDS, "work_item"}
        entities = view.entities(include_archived=True)
        if scope:
            entities = [view.entity(scope), *view.entities(under=scope, include_archived=True)]
        items = [
            SourceItem(kind=entity.kind, remote_id=entity.id, data=entity.to_document())
            for entity in sorted(entities, key=lambda e: (_ENTITY_ORDER[e.kind], e.id))
            if entity.kind in wanted
        ]
        if "work_item" in wanted:
            # A work item that came in through this connector goes back out under its source
            # key, so exporting and re-importing into one workspace updates, not duplicates.
            remote = {
                doc.data["target"]: doc.data["remote_id"]
                for doc in store.query(ExternalRef.store_kind)
                if doc.data.get("connector") == connector and doc.data.get("kind") == "work_item"
            }
            for entity in entities:
                if entity.kind == "project":
                    for doc in store.query("work_item", owner=entity.id):
                        rid = remote.get(doc.id, doc.id)
                        items.append(SourceItem(kind="work_item", remote_id=rid, data=doc.data))
        return items


def _read(connector: PmoConnector, request: ConnectorRequest) -> list[SourceItem]:
    assert connector.read is not None
    try:
        return list(connector.read(request))
    except InvalidInputError:
        raise
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise InvalidInputError(
            f"cannot read: {exc.strerror or exc}", where=redact(request.location)
        ) from None
    except PLUGIN_FAILURES as exc:
        raise PluginError(
            f"connector {connector.name!r} failed reading {redact(request.location)}: "
            f"{describe(exc)}",
            plugin=connector.plugin,
        ) from exc


def _check_items(connector: str, items: Iterable[SourceItem]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for item in items:
        if item.kind == ExternalRef.store_kind:  # the import's own bookkeeping
            raise InvalidInputError(f"{item.kind} records cannot be imported", where=item.where)
        try:
            model_for_kind(item.kind)
        except Exception:
            raise InvalidInputError(
                f"unknown record kind {shown(item.kind)}", where=item.where
            ) from None
        _check_remote_id(connector, item)
        key = (item.kind, item.remote_id)
        if key in seen:
            raise InvalidInputError(
                f"{item.kind} {item.remote_id!r} appears twice (first at {seen[key]})",
                where=item.where,
            )
        seen[key] = item.where


def _check_remote_id(connector: str, item: SourceItem) -> None:
    """Refuse a source key that could not be stored, before the store is asked about it.

    The store refuses such an id too, but only at the write and without saying where; here
    the dry run already names the file, line and column.
    """
    adapter = _ENTITY_KEY if item.kind in ENTITY_KINDS else _REMOTE_ID
    try:
        adapter.validate_python(item.remote_id)
    except ValidationError as exc:
        raise InvalidInputError(
            f"key: {error_line(exc.errors()[0])}", where=_where(item, "id")
        ) from None
    ref_id = _ref_id(connector, item)
    if len(ref_id) > ID_MAX_LENGTH:
        raise InvalidInputError(
            f"key: {len(item.remote_id):,} characters is too long: with the connector and the "
            f"kind it makes the reference id {shown(ref_id, 30)}, which has at most "
            f"{ID_MAX_LENGTH} characters",
            where=_where(item, "id"),
        )


def _document(record: DomainModel, item: SourceItem) -> dict[str, Any]:
    """The record's document, refused with the item's location unless the store can hold it.

    Validation makes this very unlikely to fail (numbers are finite, values are JSON), but a
    failure at the write would be an error with no location after a clean dry run.
    """
    document = record.to_document()
    try:
        store_dumps(document)
    except InvalidInputError as whole:
        for name, value in document.items():
            try:
                store_dumps({name: value})
            except InvalidInputError as exc:
                reason = str(exc.__cause__ or exc)
                raise InvalidInputError(
                    f"{name}: cannot be stored as JSON ({reason})", where=_where(item, name)
                ) from None
        raise InvalidInputError(
            f"cannot be stored as JSON ({whole.__cause__ or whole})", where=item.where
        ) from None
    return document


def _entity_targets(
    connector: str,
    items: Iterable[SourceItem],
    refs: Mapping[str, Document | None],
    view: WorkspaceView,
) -> tuple[dict[str, str], dict[str, str]]:
    """Where each source key of an entity lands (from this import and earlier ones), and
    the kind of every key the import touches."""
    targets: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for item in items:
        if item.kind not in ENTITY_KINDS:
            continue
        ref_doc = refs[_ref_id(connector, item)]
        target = ref_doc.data["target"] if ref_doc else item.remote_id
        # One key names one entity whatever its kind: a program and a project both called X
        # would each be stored, and every read would see only one of them.
        stored = view.find(target)
        other = kinds.get(target) or (stored.kind if stored else item.kind)
        if other != item.kind:
            raise InvalidInputError(
                f"{item.kind} {item.remote_id!r} would take the key {target!r}, "
                f"which is already a {other}",
                where=item.where,
            )
        targets[item.remote_id] = target
        kinds[target] = item.kind
    return targets, kinds


def _existing(
    store: Any,
    connector: str,
    items: Iterable[SourceItem],
    refs: Mapping[str, Document | None],
    targets: Mapping[str, str],
) -> dict[tuple[str, str], Document]:
    """The stored documents an import may touch, keyed by (kind, id), read in bulk."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        ids = wanted.setdefault(item.kind, set())
        ref = refs[_ref_id(connector, item)]
        if item.kind in ENTITY_KINDS:
            ids.add(targets[item.remote_id])
        elif ref is not None:
            ids.add(ref.data["target"])
        else:
            ids.add(item.remote_id)
    return {
        (kind, doc.id): doc for kind, ids in wanted.items() for doc in store.query(kind, ids=ids)
    }


def _check_cycles(planned: list[_Planned], view: WorkspaceView) -> None:
    # Projects nest under projects, so an import can close a loop (A under B, B under A)
    # that no single row shows; walk up from each imported entity over the result.
    parents: dict[str, str | None] = {e.id: e.parent for e in view.entities(include_archived=True)}
    imported = {p.target: p for p in planned if isinstance(p.record, Entity)}
    parents.update({target: p.record.parent for target, p in imported.items()})  # type: ignore[attr-defined]
    for target, p in imported.items():
        chain = ancestors_of(target, parents.get)
        if chain and chain[-1] == target:
            loop = " -> ".join([target, *chain])
            raise InvalidInputError(
                f"{p.item.kind} {p.item.remote_id!r} would sit under itself ({loop})",
                where=_where(p.item, "parent"),
            )


def _validate(cls: type[DomainModel], data: dict[str, Any], item: SourceItem) -> DomainModel:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_name = str(err["loc"][0]) if err["loc"] else None
        value = item.remote_id if field_name == "id" else item.data.get(field_name or "")
        # Cut and escaped: the value may be 100,000 characters or hold terminal controls.
        got = f" (got {shown(value)})" if value not in (None, "") else ""
        more = f" and {len(exc.errors()) - 1} more problem(s)" if len(exc.errors()) > 1 else ""
        raise InvalidInputError(
            f"{error_line(err)}{got}{more}", where=_where(item, field_name)
        ) from None


def _diff(p: _Planned) -> DiffItem:
    new = p.document
    if p.existing_data is None:
        return DiffItem(
            op="create",
            kind=p.item.kind,
            id=p.target,
            remote_id=p.item.remote_id,
            where=p.item.where,
        )
    changes = {
        k: (p.existing_data.get(k), new.get(k))
        for k in sorted(set(new) | set(p.existing_data))
        if p.existing_data.get(k) != new.get(k)
    }
    return DiffItem(
        op="update" if changes else "unchanged",
        kind=p.item.kind,
        id=p.target,
        remote_id=p.item.remote_id,
        changes=changes,
        where=p.item.where,
    )


def _touched(planned: list[_Planned], diff: tuple[DiffItem, ...]) -> list[str]:
    """The keys of the entities whose plan an import changed (an entity, or a plan record's
    owner)."""
    out: dict[str, None] = {}
    for p, d in zip(planned, diff, strict=True):
        if d.op == "unchanged":
            continue
        key = p.target if isinstance(p.record, Entity) else p.record.owner
        if key:
            out[str(key)] = None
    return list(out)


def _write(
    tx: Transaction,
    connector: str,
    planned: list[_Planned],
    diff: tuple[DiffItem, ...],
    progress: Callable[[int, int | None], None],
) -> None:
    now = datetime.now(timezone.utc)
    total = len(planned)
    # New records go in with insert_many, batched while the kind stays the same so parents
    # (sorted first) are still written before their children.
    batch: list[tuple[str, str | None, dict[str, Any]]] = []
    batch_kind = ""
    new_refs: list[tuple[str, str | None, dict[str, Any]]] = []

    def flush() -> None:
        if batch:
            tx.insert_many(batch_kind, batch)
            batch.clear()

    for n, (p, d) in enumerate(zip(planned, diff, strict=True), start=1):
        if d.op == "unchanged":
            continue
        kind, doc = p.record.store_kind, p.document
        if p.existing_version is None:
            if kind != batch_kind:
                flush()
                batch_kind = kind
            batch.append((p.target, p.record.owner, doc))
        else:
            flush()
            tx.update(
                kind, p.target, doc, expected_version=p.existing_version, owner=p.record.owner
            )
        ref = ExternalRef(
            id=p.ref_id,
            connector=connector,
            remote_id=p.item.remote_id,
            kind=p.item.kind,
            target=p.target,
            last_synced=now,
        )
        if p.ref_version is None:
            new_refs.append((ref.id, p.target, ref.to_document()))
        else:
            tx.update(
                ExternalRef.store_kind,
                ref.id,
                ref.to_document(),
                expected_version=p.ref_version,
                owner=p.target,
            )
        if n % 500 == 0 or n == total:
            progress(n, total)
    flush()
    if new_refs:
        tx.insert_many(ExternalRef.store_kind, new_refs)
