"""Imports and exports through connectors.

An import reads every item first, resolves references (a project's ``parent`` given by the
source's own key), validates each one into a domain record, and computes the diff against the
store. Only when every item is valid does it write, in one transaction, upserting by external
reference (connector, kind, remote id), so running the same import twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError

from ._domain import Entity, ExternalRef, check_hierarchy, model_for_kind, new_id
from ._errors import InvalidInputError, PluginError
from ._records import ConnectorRequest, PmoConnector, SourceItem
from ._view import ENTITY_KINDS

if TYPE_CHECKING:
    from ._workspace import Workspace

Progress = Callable[[int, "int | None"], None]

# Fields that refer to an entity by key; in a source they hold the source's own key.
_REFERENCE_FIELDS = ("parent", "project", "entity")


@dataclass(frozen=True)
class DiffItem:
    """What an import does to one record: ``create``, ``update`` or ``unchanged``.

    ``changes`` maps each changed field to ``(before, after)``.

    Example::

        DiffItem(op="update", kind="project", id="ALPHA", remote_id="ALPHA",
                 changes={"status": ("on_track", "at_risk")}, where="projects.csv:3")
    """

    op: Literal["create", "update", "unchanged"]
    kind: str
    id: str
    remote_id: str
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    where: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view.

        Example::

            [i.as_dict() for i in result.items if i.op != "unchanged"]
        """
        return {
            "op": self.op,
            "kind": self.kind,
            "id": self.id,
            "remote_id": self.remote_id,
            "where": self.where,
            "changes": {k: {"before": b, "after": a} for k, (b, a) in self.changes.items()},
        }


@dataclass(frozen=True)
class ImportResult:
    """The outcome (or, with ``dry_run``, the plan) of an import.

    Example::

        result = ws.import_from("csv", "portfolio.csv", dry_run=True)
        result.counts()  # {'create': 27, 'update': 0, 'unchanged': 0}
    """

    connector: str
    location: str
    dry_run: bool
    items: tuple[DiffItem, ...]

    def counts(self) -> dict[str, int]:
        """How many records each operation touches.

        Example::

            ws.import_from("csv", "portfolio.csv").counts()["update"]  # 0 on a re-run
        """
        out = {"create": 0, "update": 0, "unchanged": 0}
        for item in self.items:
            out[item.op] += 1
        return out

    def summary(self) -> str:
        """One line: what was (or would be) created, updated and left unchanged.

        Example::

            ws.import_from("csv", "portfolio.csv", dry_run=True).summary()
            # 'would create 27, would update 0, unchanged 0'
        """
        c = self.counts()
        verb = "would create" if self.dry_run else "created"
        upd = "would update" if self.dry_run else "updated"
        return f"{verb} {c['create']}, {upd} {c['update']}, unchanged {c['unchanged']}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo import --json`` prints it.

        Example::

            json.dumps(ws.import_from("csv", "portfolio.csv", dry_run=True).as_dict())
        """
        return {
            "connector": self.connector,
            "location": self.location,
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "items": [i.as_dict() for i in self.items if i.op != "unchanged"],
        }


@dataclass
class _Planned:
    item: SourceItem
    ref_id: str
    target: str
    record: Any
    existing_version: int | None
    existing_data: dict[str, Any] | None
    ref_version: int | None


def connector_settings(ws: Workspace, connector: PmoConnector) -> BaseModel | None:
    """The connector's settings (see :meth:`Workspace.settings`), or ``None`` if it has none."""
    registered = {spec.name for spec in ws.host.settings()}
    if connector.settings is None and connector.name not in registered:
        return None
    return ws.settings(connector.name)


def _connector(ws: Workspace, name: str, capability: str) -> PmoConnector:
    connector: PmoConnector = ws.host.record("pmo_connectors", name)
    if capability not in connector.capabilities:
        raise InvalidInputError(
            f"connector {connector.name!r} cannot {capability} "
            f"(it can: {', '.join(sorted(connector.capabilities))})"
        )
    return connector


def _where(item: SourceItem, field_name: str | None) -> str:
    column = item.columns.get(field_name or "") if field_name else None
    return f"{item.where}:{column}" if column and item.where else item.where


def run_import(
    ws: Workspace,
    name: str,
    location: str,
    *,
    dry_run: bool,
    progress: Progress | None,
    options: Mapping[str, Any],
) -> ImportResult:
    """Validate, diff and (unless ``dry_run``) write an import in one transaction."""
    connector = _connector(ws, name, "read")
    request = ConnectorRequest(
        location=location,
        settings=connector_settings(ws, connector),
        progress=progress or (lambda done, total: None),
        options=options,
    )
    assert connector.read is not None
    try:
        items = list(connector.read(request))
    except (InvalidInputError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", where=location) from None
    except Exception as exc:
        raise PluginError(
            f"connector {connector.name!r} failed reading {location}: {type(exc).__name__}: {exc}",
            plugin=connector.plugin,
        ) from exc
    planned = _plan(ws, connector, items)
    diff = tuple(_diff(p) for p in planned)
    result = ImportResult(connector=connector.name, location=location, dry_run=dry_run, items=diff)
    if dry_run or all(d.op == "unchanged" for d in diff):
        return result
    now = datetime.now(timezone.utc)
    total = len(planned)
    with ws._unit(f"import {connector.name} {location}") as uow:
        tx = uow.tx
        # New records go in with insert_many, batched while the kind stays the same so
        # parents (sorted first) are still written before their children.
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
            doc = p.record.to_document()
            if p.existing_version is None:
                if p.record.store_kind != batch_kind:
                    flush()
                    batch_kind = p.record.store_kind
                batch.append((p.target, p.record.owner, doc))
            else:
                flush()
                tx.update(
                    p.record.store_kind,
                    p.target,
                    doc,
                    expected_version=p.existing_version,
                    owner=p.record.owner,
                )
            ref = ExternalRef(
                id=p.ref_id,
                connector=connector.name,
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
                request.progress(n, total)
        flush()
        if new_refs:
            tx.insert_many(ExternalRef.store_kind, new_refs)
    return result


def _plan(ws: Workspace, connector: PmoConnector, items: list[SourceItem]) -> list[_Planned]:
    store = ws.store
    seen: dict[tuple[str, str], str] = {}
    for item in items:
        if item.kind == ExternalRef.store_kind:  # the import's own bookkeeping
            raise InvalidInputError(f"{item.kind} records cannot be imported", where=item.where)
        try:
            model_for_kind(item.kind)
        except Exception:
            raise InvalidInputError(
                f"unknown record kind {item.kind!r}", where=item.where
            ) from None
        key = (item.kind, item.remote_id)
        if key in seen:
            raise InvalidInputError(
                f"{item.kind} {item.remote_id!r} appears twice (first at {seen[key]})",
                where=item.where,
            )
        seen[key] = item.where
    # Where each source key of an entity lands, from this import and from earlier ones.
    targets: dict[str, str] = {}
    kinds: dict[str, str] = {}
    view = ws.view()
    # One bulk read per kind instead of two look-ups per row (imports run to 100,000 rows).
    ref_ids = [f"{connector.name}:{item.kind}:{item.remote_id}" for item in items]
    found_refs = {d.id: d for d in store.query(ExternalRef.store_kind, ids=ref_ids)}
    refs: dict[str, Any] = {ref_id: found_refs.get(ref_id) for ref_id in ref_ids}
    for item in items:
        ref_doc = refs[f"{connector.name}:{item.kind}:{item.remote_id}"]
        if item.kind in ENTITY_KINDS:
            target = ref_doc.data["target"] if ref_doc else item.remote_id
            # One key names one entity whatever its kind: a program and a project both
            # called X would each be stored, and every read would see only one of them.
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
    existing_docs = _existing(store, items, refs, targets, connector.name)
    planned: list[_Planned] = []
    for item in _entities_first(items):
        ref_id = f"{connector.name}:{item.kind}:{item.remote_id}"
        ref_doc = refs[ref_id]
        cls = model_for_kind(item.kind)
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
        data: dict[str, Any] = dict(existing.data) if existing else {}
        for name, value in item.data.items():
            if name in _REFERENCE_FIELDS and isinstance(value, str) and value:
                value = _resolve_reference(ws, connector.name, value, targets)
            if name == "custom_fields" and isinstance(value, Mapping):
                # Merge per namespace and field: a source that carries one custom field must
                # not wipe the others.
                merged = {ns: dict(v) for ns, v in (data.get(name) or {}).items()}
                for ns, fields in value.items():
                    merged.setdefault(ns, {}).update(fields)
                value = merged
            data[name] = value
        data["id"] = target
        if item.kind in ENTITY_KINDS:
            data["kind"] = item.kind
            if not data.get("currency") and not data.get("budget"):
                data["currency"] = ws.config.currency
        record = _validate(cls, data, item)
        if isinstance(record, Entity):
            record = _check_entity(ws, record, item, kinds, view)
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
        planned.append(
            _Planned(
                item=item,
                ref_id=ref_id,
                target=target,
                record=record,
                existing_version=existing.version if existing else None,
                existing_data=existing.data if existing else None,
                ref_version=ref_doc.version if ref_doc else None,
            )
        )
    _check_cycles(planned, view)
    return planned


def _check_cycles(planned: list[_Planned], view: Any) -> None:
    # Projects nest under projects, so an import can close a loop (A under B, B under A)
    # that no single row shows; walk up from each imported entity over the result.
    parents = {e.id: e.parent for e in view.entities(include_archived=True)}
    imported = {p.target: p for p in planned if isinstance(p.record, Entity)}
    parents.update({target: p.record.parent for target, p in imported.items()})
    for target, p in imported.items():
        seen = [target]
        current = parents.get(target)
        while current is not None and current not in seen[1:]:
            if current == target:
                loop = " -> ".join([*seen, target])
                raise InvalidInputError(
                    f"{p.item.kind} {p.item.remote_id!r} would sit under itself ({loop})",
                    where=_where(p.item, "parent"),
                )
            seen.append(current)
            current = parents.get(current)


def _existing(
    store: Any,
    items: list[SourceItem],
    refs: Mapping[str, Any],
    targets: Mapping[str, str],
    connector: str,
) -> dict[tuple[str, str], Any]:
    """The stored documents an import may touch, keyed by (kind, id), read in bulk."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        ids = wanted.setdefault(item.kind, set())
        ref = refs[f"{connector}:{item.kind}:{item.remote_id}"]
        if item.kind in ENTITY_KINDS:
            ids.add(targets[item.remote_id])
        elif ref is not None:
            ids.add(ref.data["target"])
        else:
            ids.add(item.remote_id)
    return {
        (kind, doc.id): doc for kind, ids in wanted.items() for doc in store.query(kind, ids=ids)
    }


def _entities_first(items: list[SourceItem]) -> Iterator[SourceItem]:
    order = {"portfolio": 0, "program": 1, "project": 2}
    yield from sorted(items, key=lambda i: order.get(i.kind, 3))


def _resolve_reference(
    ws: Workspace, connector: str, value: str, targets: Mapping[str, str]
) -> str:
    if value in targets:
        return targets[value]
    for kind in ENTITY_KINDS:
        ref = ws.store.get(ExternalRef.store_kind, f"{connector}:{kind}:{value}")
        if ref is not None:
            return str(ref.data["target"])
    return value  # an existing key in the workspace, or an error reported by validation


def _validate(cls: type[Any], data: dict[str, Any], item: SourceItem) -> Any:
    from ._workspace import error_line

    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_name = str(err["loc"][0]) if err["loc"] else None
        value = item.data.get(field_name) if field_name else None
        shown = f" (got {value!r})" if value not in (None, "") else ""
        more = f" and {len(exc.errors()) - 1} more problem(s)" if len(exc.errors()) > 1 else ""
        raise InvalidInputError(
            f"{error_line(err)}{shown}{more}", where=_where(item, field_name)
        ) from None


def _check_entity(
    ws: Workspace, record: Entity, item: SourceItem, kinds: Mapping[str, str], view: Any
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
        checked: Entity = ws._check_custom_fields(record)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where=_where(item, "custom_fields")) from None
    return checked


def _diff(p: _Planned) -> DiffItem:
    new = p.record.to_document()
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


def run_export(
    ws: Workspace,
    name: str,
    location: str,
    *,
    scope: str | None,
    kinds: Iterable[str] | None,
    progress: Progress | None,
) -> int:
    """Write entities (and their work items) through a connector; returns the item count."""
    connector = _connector(ws, name, "write")
    view = ws.view()
    wanted = set(kinds) if kinds else {"portfolio", "program", "project", "work_item"}
    entities = view.entities(include_archived=True)
    if scope:
        root = view.entity(scope)
        entities = [root, *view.entities(under=scope, include_archived=True)]
    items: list[SourceItem] = []
    order = {"portfolio": 0, "program": 1, "project": 2}
    for entity in sorted(entities, key=lambda e: (order[e.kind], e.id)):
        if entity.kind in wanted:
            items.append(
                SourceItem(kind=entity.kind, remote_id=entity.id, data=entity.to_document())
            )
    if "work_item" in wanted:
        # A work item that came in through this connector goes back out under its source key,
        # so exporting and re-importing into the same workspace updates instead of duplicating.
        remote = {
            doc.data["target"]: doc.data["remote_id"]
            for doc in ws.store.query(ExternalRef.store_kind)
            if doc.data.get("connector") == connector.name and doc.data.get("kind") == "work_item"
        }
        for entity in entities:
            if entity.kind == "project":
                for doc in ws.store.query("work_item", owner=entity.id):
                    rid = remote.get(doc.id, doc.id)
                    items.append(SourceItem(kind="work_item", remote_id=rid, data=doc.data))
    request = ConnectorRequest(
        location=location,
        settings=connector_settings(ws, connector),
        progress=progress or (lambda done, total: None),
        items=items,
    )
    assert connector.write is not None
    try:
        connector.write(request)
    except InvalidInputError:
        raise
    except OSError as exc:
        raise InvalidInputError(f"cannot write: {exc.strerror or exc}", where=location) from None
    except Exception as exc:
        raise PluginError(
            f"connector {connector.name!r} failed writing {location}: {type(exc).__name__}: {exc}",
            plugin=connector.plugin,
        ) from exc
    return len(items)
