"""One import, streamed: the connector's items are read, checked, validated, diffed and
written a batch at a time, inside the one transaction the caller holds.

Memory stays bounded whatever the size of the source: a batch of :data:`BATCH_SIZE` items
at a time, the keys met so far in a scratch file (:class:`ScratchMap`), and for the
portfolios, programs and projects of the import (a few thousand where work items are a
million) only their keys, kinds and parents as strings. An item is read from the store with
its batch (its external reference, then its record, one query per kind); an item whose
external reference says the source gave the same content last time and whose record has
not moved since is unchanged without being validated (its record is not even read, only
its version), and a plain new work item gets its document without the model (see
:mod:`.import_rows`). Entities are planned before the items that follow them, so a row may
refer to any entity given before it, or to any entity of a source smaller than one batch
(the reader is only consumed that far ahead).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from hashlib import blake2b
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._domain import (
    ENTITY_KINDS,
    Entity,
    ExternalRef,
    ancestors_of,
    check_hierarchy,
    model_for_kind,
    new_id,
)
from .._errors import InvalidInputError, error_line
from .._json import compact_or_none
from .._records import PmoStoreKind, SourceItem
from .._records._base import ConflictPolicy
from .._store.protocol import Document, JournalEntry, Transaction, VersionReader
from .._view import WorkspaceView
from .diff import DiffCollector, DiffItem
from .import_checks import check_item, check_storable, ref_id, where_of
from .import_checks import validate as _validate
from .import_refs import ITEM_REFERENCES, NESTED_REFERENCES, SourceReferences
from .import_rows import work_item_document
from .import_sync import _ARCHIVED_BY, SyncSteps, _Planned
from .scratch import ScratchMap

if TYPE_CHECKING:
    from .entities import EntityService

#: Items read, checked and written together: large enough that one query per batch and
#: kind costs little per row, small enough that a batch takes a few MB.
BATCH_SIZE = 5000
#: Items refused before an import stops reading: enough to fix a file in one pass, few
#: enough that a wholly wrong file (the wrong columns) is not read to its end.
MAX_PROBLEMS = 50
#: Rows between two progress reports.
PROGRESS_EVERY = 1000
# Fields that refer to an entity by key; in a source they hold the source's own key.
_REFERENCE_FIELDS = ("parent", "project", "entity")
# Fields a created record's diff leaves out: its key and kind are the diff item's own.
_NOT_SHOWN = frozenset({"id", "kind"})
_ENTITY_ORDER = {"portfolio": 0, "program": 1, "project": 2}
_REF_KIND = ExternalRef.store_kind
_HASH_ENCODER = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
)


def source_hash(item: SourceItem) -> str:
    """A digest of the item as the connector gave it (its kind and data), to tell at the next
    import whether the source changed."""
    data = [item.kind, item.data]
    # The same text as before orjson wrote it, so an unchanged row stays unchanged; only an
    # enum in a connector's data (orjson writes its value, json its str()) differs once.
    text = compact_or_none(data, str, sort_keys=True) or _HASH_ENCODER.encode(data)
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ImportRun(SyncSteps, SourceReferences):
    """Plans and (given a transaction) writes one import; feed it with :meth:`run`."""

    def __init__(
        self,
        connector: str,
        *,
        tx: Transaction | None,
        reader: Any,
        view: WorkspaceView,
        entities: EntityService,
        currency: str,
        progress: Callable[[str, int, int | None], None],
        today: Callable[[], date],
        source: str | None = None,
        policy: ConflictPolicy = "source-wins",
        history: Callable[..., Iterable[JournalEntry]] | None = None,
        run_id: str = "",
        full: bool = True,
        keeps_ids: bool = False,
        plugin_kinds: Mapping[str, PmoStoreKind] | None = None,
    ) -> None:
        self.connector = connector
        #: The store kinds plugins keep themselves that this import takes, by kind.
        self.plugin_kinds = dict(plugin_kinds or {})
        #: Where the items are read (see :func:`source_of`), kept on their references.
        self.source = source
        #: What a field changed on both sides since the last sync gets.
        self.policy = policy
        #: Whether the read is the whole source: what it no longer holds is archived.
        self.full = full
        #: Whether a new record takes the source's id as its key (a workspace dump).
        self.keeps_ids = keeps_ids
        # The journal, where a record's version as the last sync left it is read.
        self._history = history
        #: The sync run this import records; its conflicts name it.
        self.run_id = run_id or new_id()
        #: The items refused so far (the run writes nothing once there is one).
        self.problems: list[InvalidInputError] = []
        #: The conflicts found, as records to write (and to show, the first ITEM_LIMIT).
        self.conflicts: list[dict[str, Any]] = []
        self.conflict_count = 0
        self._tx = tx
        # The transaction when writing (it sees its own earlier batches), else the store.
        self._reader = reader
        self._view = view
        self._entities = entities
        self._currency = currency
        self._progress = progress
        self._clock = today
        # The status date of the batch in hand: a new work item's first progress point's.
        self._today = today()
        self.diff = DiffCollector()
        self.rows = 0
        #: Entities and plan owners whose plan this import changed.
        self.touched: dict[str, None] = {}
        # Source key of each entity of this import -> its key here; key -> kind.
        self._targets: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        # The entities this import writes: key -> (parent, kind, remote id, where of parent).
        self._imported: dict[str, tuple[str | None, str, str, str]] = {}
        self._resolved: dict[str, str] = {}
        # The kind of each entity stored before this import, read once when first needed.
        self._stored: dict[str, tuple[str, str | None]] | None = None
        self._now = datetime.now(timezone.utc)
        self._ref_template: dict[str, Any] | None = None
        # (kind, source id) -> key of the records this batch refers to (see _prefetch...).
        self._item_targets: dict[tuple[str, str], str] = {}
        # A dry run's own record of where earlier batches' records would land.
        self._earlier_targets: ScratchMap | None = ScratchMap() if tx is None else None

    @property
    def batch_size(self) -> int:
        """Items read, checked and written together (:data:`BATCH_SIZE`, read when asked)."""
        return BATCH_SIZE

    def close(self) -> None:
        """Release the dry run's scratch file (a run writing in a transaction has none)."""
        if self._earlier_targets is not None:
            self._earlier_targets.__exit__()
            self._earlier_targets = None

    # ------------------------------------------------------------------ driving

    def run(self, items: Iterable[SourceItem], seen: ScratchMap) -> None:
        """Consume ``items`` a batch at a time; raise the problems found, each with its
        place (one error, or one holding up to :data:`MAX_PROBLEMS`)."""
        entities: list[SourceItem] = []
        others: list[SourceItem] = []
        for item in items:
            try:
                check_item(self.connector, item, self.plugin_kinds)
            except InvalidInputError as exc:
                self.rows += 1
                self.problem(exc)
                continue
            self.rows += 1
            if self.rows % PROGRESS_EVERY == 0:
                self._progress("read", self.rows, None)
            if item.kind in ENTITY_KINDS:
                entities.append(item)
                if len(entities) >= BATCH_SIZE:
                    self._flush(entities, seen)
            else:
                others.append(item)
                if len(others) >= BATCH_SIZE:
                    self._flush(entities, seen)
                    self._flush(others, seen)
        self._flush(entities, seen)
        self._flush(others, seen)
        # Every row read, checked and (unless refused) written: the read phase is over.
        self._progress("read", self.rows, self.rows)
        if self.problems:
            raise self._refusal()
        if self.full and self.source is not None:
            self._progress("archive", 0, None)
            archived = self._archive_missing(seen)
            self._progress("archive", archived, archived)
        self._check_cycles()

    def problem(self, exc: InvalidInputError) -> None:
        """Note an item refused; the run goes on checking (writing nothing more) so that
        every problem of the source is said at once, up to :data:`MAX_PROBLEMS`."""
        self.problems.append(exc)
        if self._earlier_targets is None:
            # Nothing more is written: later batches find this one's records here.
            self._earlier_targets = ScratchMap()
        if len(self.problems) >= MAX_PROBLEMS:
            raise self._refusal(stopped=True)

    def _refusal(self, *, stopped: bool = False) -> InvalidInputError:
        problems = self.problems
        if len(problems) == 1 and not stopped:
            return problems[0]
        many = f"{len(problems)} items refused" + (
            f" (reading stopped at the first {MAX_PROBLEMS})" if stopped else ""
        )
        # In the source's order (file, line, column), whichever check found each first.
        ordered = sorted(problems, key=lambda p: _natural(p.where or ""))
        return InvalidInputError(f"{many}; nothing was written", problems=tuple(ordered))

    def _flush(self, batch: list[SourceItem], seen: ScratchMap) -> None:
        if not batch:
            return
        while True:
            keys = [(f"{item.kind}:{item.remote_id}", item.where) for item in batch]
            clash = seen.add_new(keys)
            if clash is None:
                break
            n, first = clash
            item = batch.pop(n)
            self.problem(
                InvalidInputError(
                    f"{item.kind} {item.remote_id!r} appears twice (first at {first})",
                    where=item.where,
                )
            )
            if not batch:
                return
        if any(item.deleted for item in batch):
            for item in batch:
                if item.deleted:
                    try:
                        self._tombstone(item)
                    except InvalidInputError as exc:
                        self.problem(exc)
            batch[:] = [item for item in batch if not item.deleted]
        if batch and batch[0].kind in ENTITY_KINDS:
            self._entity_targets(batch)
            batch.sort(key=lambda i: _ENTITY_ORDER[i.kind])
        if batch:
            self._batch(batch)
        batch.clear()

    # ------------------------------------------------------------------ one batch

    def _batch(self, batch: Sequence[SourceItem]) -> None:
        connector = self.connector
        self._today = self._clock()
        ref_ids = [ref_id(connector, item) for item in batch]
        refs = {d.id: d for d in self._reader.query(_REF_KIND, ids=ref_ids)}
        hashes = [source_hash(item) for item in batch]
        # Where each item lands (None: nowhere yet), and the items the source gave as they
        # were last time: their reference holds the same digest, and the version the
        # import left their record at, which the record must still have.
        targets: list[str | None] = []
        candidates: dict[str, dict[str, tuple[int, int]]] = {}
        entity_targets = self._targets
        for n, item in enumerate(batch):
            ref = refs.get(ref_ids[n])
            if item.kind in ENTITY_KINDS:
                target: str | None = entity_targets[item.remote_id]
            else:
                target = None if ref is None else str(ref.data["target"])
            targets.append(target)
            if (
                ref is not None
                and target is not None
                and ref.data.get("source_hash") == hashes[n]
                and ref.data.get("source") == self.source
                and ref.data.get("remote_version") == item.remote_version
                and ref.data.get("remote_url") == item.remote_url
            ):
                version = ref.data.get("target_version")
                if isinstance(version, int):
                    candidates.setdefault(item.kind, {})[target] = (n, version)
        # The source gave the same as last time: nothing to take from it, whatever was
        # changed here since (a local edit is never undone by an unchanged source), as long
        # as the record is still there.
        unchanged: set[int] = set()
        for kind, wanted_versions in candidates.items():
            for id, _version in _versions(self._reader, kind, wanted_versions):
                unchanged.add(wanted_versions[id][0])
        # The records the rest may update: by reference, or (no reference yet) by the key
        # itself, which may be one of our own ids (an export of this workspace coming back).
        wanted: dict[str, set[str]] = {}
        for n, item in enumerate(batch):
            if n not in unchanged:
                wanted.setdefault(item.kind, set()).add(targets[n] or item.remote_id)
        existing = {
            (kind, doc.id): doc
            for kind, ids in wanted.items()
            for doc in self._reader.query(kind, ids=ids)
        }
        for n, item in enumerate(batch):
            if targets[n] is None:
                known = (item.kind, item.remote_id) in existing
                targets[n] = item.remote_id if known or self.keeps_ids else new_id()
        self._prefetch_item_references(batch, targets)
        planned: list[_Planned] = []
        for n, item in enumerate(batch):
            if n in unchanged:
                self._count(item, str(targets[n]), "unchanged")
                continue
            target = str(targets[n])
            ref = refs.get(ref_ids[n])
            found = existing.get((item.kind, target))
            try:
                p = self._plan(item, ref_ids[n], target, found, ref)
                if ref is not None and found is not None and ref.data.get("target") == target:
                    p = self._reconcile(p, ref, found)
            except InvalidInputError as exc:
                self.problem(exc)
                continue
            p.hash = hashes[n]
            planned.append(p)
        for p in planned:
            p.op = self._diff(p)
        if self._tx is not None and not self.problems:
            self._write(self._tx, planned)
        else:
            # A dry run, or a run already refused: checked as far as writing would.
            for p in planned:
                if p.op != "unchanged":
                    try:
                        check_storable(p.document, p.item)
                    except InvalidInputError as exc:
                        self.problem(exc)

    # ------------------------------------------------------------------ one item

    def _plan(
        self,
        item: SourceItem,
        rid: str,
        target: str,
        existing: Document | None,
        ref: Document | None,
    ) -> _Planned:
        data = self._merged(item, dict(existing.data) if existing else {})
        data["id"] = target
        if ref is not None and existing is not None and ref.data.get("archived_on"):
            # Archived because the source had deleted it; the source has it again.
            name = _ARCHIVED_BY[item.kind]
            data[name] = False if name == "archived" else None
        if item.kind in ENTITY_KINDS:
            data["kind"] = item.kind
            if not data.get("currency") and not data.get("budget"):
                data["currency"] = self._currency
        document = None
        if existing is None and item.kind == "work_item":
            # A plain new work item (nearly every row of a large import) needs no model.
            document = work_item_document(data, self._today, self._entities.actor)
        if document is not None:
            owner: str | None = document["project"]
        elif item.kind in self.plugin_kinds:
            # A plugin's own record: its model checks it; it belongs to no entity.
            document = _plugin_document(self.plugin_kinds[item.kind], data, target, item)
            owner = None
        else:
            record = _validate(model_for_kind(item.kind), data, item)
            # An imported work item's progress joins its dated history, as any other write's.
            record = self._entities.stamped(record, existing.data if existing else None)
            if isinstance(record, Entity):
                record = self._check_entity(record, item)
            document = record.to_document()
            owner = record.owner
        if (
            owner is not None
            and item.kind not in ENTITY_KINDS
            and owner not in self._kinds
            and self._stored_kind(owner) is None
        ):
            field_name = next((f for f in _REFERENCE_FIELDS if document.get(f) == owner), None)
            raise InvalidInputError(
                f"{item.kind} {item.remote_id!r} belongs to {owner!r}, which does not exist",
                where=where_of(item, field_name),
            )
        return _Planned(
            item=item,
            ref_id=rid,
            target=target,
            owner=owner,
            document=document,
            existing_version=existing.version if existing else None,
            existing=existing.data if existing else None,
            ref=ref,
            hash="",
        )

    def _merged(self, item: SourceItem, data: dict[str, Any]) -> dict[str, Any]:
        # An import merges: a field the source does not carry keeps its stored value.
        source = item.data
        stored_custom = data.get("custom_fields")
        data.update(source)
        item_fields = ITEM_REFERENCES.get(item.kind, {})
        for name in _REFERENCE_FIELDS:
            value = source.get(name)
            if isinstance(value, str) and value and name not in item_fields:
                data[name] = self._resolve_reference(value)
        for name, kind in item_fields.items():
            value = source.get(name)
            if isinstance(value, str) and value:
                data[name] = self._item_reference(item, name, kind, value)
        for name, inner, kind in NESTED_REFERENCES.get(item.kind, ()):
            entries = source.get(name)
            if isinstance(entries, (list, tuple)):
                data[name] = [
                    self._resolved_entry(item, name, inner, kind, entry) for entry in entries
                ]
        custom = source.get("custom_fields")
        if isinstance(custom, Mapping):
            # Merge per namespace and field: a source that carries one custom field must
            # not wipe the others.
            merged = {ns: dict(v) for ns, v in (stored_custom or {}).items()}
            for ns, fields in custom.items():
                merged.setdefault(ns, {}).update(fields)
            data["custom_fields"] = merged
        return data

    def _resolve_reference(self, value: str) -> str:
        found = self._targets.get(value) or self._resolved.get(value)
        if found is not None:
            return found
        resolved = value  # an existing key in the workspace, or an error reported later
        for kind in ENTITY_KINDS:
            ref = self._reader.get(_REF_KIND, f"{self.connector}:{kind}:{value}")
            if ref is not None:
                resolved = str(ref.data["target"])
                break
        # Keys referred to are entities: a few thousand at most, so they are remembered.
        self._resolved[value] = resolved
        return resolved

    def _check_entity(self, record: Entity, item: SourceItem) -> Entity:
        if record.parent:
            parent_kind = self._kinds.get(record.parent) or self._stored_kind(record.parent)
            if parent_kind is None:
                raise InvalidInputError(
                    f"parent {record.parent!r} is neither in this import nor in the workspace",
                    where=where_of(item, "parent"),
                )
            try:
                check_hierarchy(record.kind, parent_kind)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, where=where_of(item, "parent")) from None
        try:
            return self._entities.check_custom_fields(record)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, where=where_of(item, "custom_fields")) from None

    def _entity_targets(self, batch: list[SourceItem]) -> None:
        """Where each entity's source key lands (from this import or an earlier one)."""
        refs = {
            d.id: str(d.data["target"])
            for d in self._reader.query(
                _REF_KIND, ids=[ref_id(self.connector, item) for item in batch]
            )
        }
        refused: list[SourceItem] = []
        for item in batch:
            target = refs.get(ref_id(self.connector, item), item.remote_id)
            # One key names one entity whatever its kind: a program and a project both
            # called X would each be stored, and every read would see only one of them.
            other = self._kinds.get(target) or self._stored_kind(target) or item.kind
            if other != item.kind:
                refused.append(item)
                self.problem(
                    InvalidInputError(
                        f"{item.kind} {item.remote_id!r} would take the key {target!r}, "
                        f"which is already a {other}",
                        where=item.where,
                    )
                )
                continue
            self._targets[item.remote_id] = target
            self._kinds[target] = item.kind
        if refused:
            batch[:] = [item for item in batch if item not in refused]

    def _stored_kind(self, key: str) -> str | None:
        """The kind of the entity ``key`` as the workspace held it, or ``None``."""
        found = self._stored_entities().get(key)
        return None if found is None else found[0]

    def _stored_entities(self) -> dict[str, tuple[str, str | None]]:
        """Key -> (kind, parent) of the entities stored before this import: read from the
        store's bulk path (no entity built) the first time it is asked, before any write
        (the first entity batch asks it first, and a work item's owner before its batch is
        written)."""
        if self._stored is None:
            self._stored = {
                str(id): (kind, None if parent is None else str(parent))
                for kind in ENTITY_KINDS
                for id, parent in self._view.values(kind, ["@id", "parent"])
            }
        return self._stored

    # ------------------------------------------------------------------ diff and write

    def _count(self, item: SourceItem, target: str, op: str) -> None:
        if self.diff.wants(op):
            self.diff.add(
                DiffItem(
                    op=op,  # type: ignore[arg-type]
                    kind=item.kind,
                    id=target,
                    remote_id=item.remote_id,
                    where=item.where,
                )
            )
        else:
            self.diff.count(item.kind, op)

    def _diff(self, p: _Planned) -> str:
        self._note_conflicts(p)
        item, new, before = p.item, p.document, p.existing
        shown = p.target
        if before is None:
            op = "create"
            changes: dict[str, tuple[Any, Any]] = {}
            if self.diff.wants(op):
                # What a new record is given: every field it sets, from nothing.
                changes = {
                    k: (None, v)
                    for k, v in sorted(new.items())
                    if k not in _NOT_SHOWN and v not in (None, "", [], {})
                }
                if self._tx is None and item.kind not in ENTITY_KINDS and not self.keeps_ids:
                    # A new record's id is drawn when it is written: a dry run has none to
                    # show (it would not be the id the import then gives).
                    shown = ""
        else:
            changes = {
                k: (before.get(k), new.get(k))
                for k in sorted(set(new) | set(before))
                if before.get(k) != new.get(k)
            }
            op = "update" if changes else "unchanged"
        if op != "unchanged":
            key = p.target if item.kind in ENTITY_KINDS else p.owner
            if key:
                self.touched[key] = None
            if item.kind in ENTITY_KINDS:
                self._imported[p.target] = (
                    new.get("parent"),
                    item.kind,
                    item.remote_id,
                    where_of(item, "parent"),
                )
        if self.diff.wants(op):
            self.diff.add(
                DiffItem(
                    op=op,  # type: ignore[arg-type]
                    kind=item.kind,
                    id=shown,
                    remote_id=item.remote_id,
                    changes=changes,
                    where=item.where,
                )
            )
        else:
            self.diff.count(item.kind, op)
        return op

    def _write(self, tx: Transaction, planned: Sequence[_Planned]) -> None:
        inserts: dict[str, list[tuple[str, str | None, dict[str, Any]]]] = {}
        new_refs: list[tuple[str, str | None, dict[str, Any]]] = []
        try:
            for p in planned:
                op, kind = p.op, p.item.kind
                if op == "create":
                    inserts.setdefault(kind, []).append((p.target, p.owner, p.document))
                    version = 1
                elif op == "update":
                    assert p.existing_version is not None
                    tx.update(
                        kind,
                        p.target,
                        p.document,
                        expected_version=p.existing_version,
                        owner=p.owner,
                    )
                    version = p.existing_version + 1
                else:
                    assert p.existing_version is not None
                    version = p.existing_version
                    ref = p.ref
                    if ref is not None and _ref_current(ref.data, p, version, self.source):
                        continue  # nothing to remember: the next import skips it already
                doc = self._ref_document(p, version)
                if p.ref is None:
                    new_refs.append((p.ref_id, p.target, doc))
                else:
                    tx.update(
                        _REF_KIND, p.ref_id, doc, expected_version=p.ref.version, owner=p.target
                    )
            # Parents before children: the batch is sorted by kind and inserts keep its order.
            for kind, rows in inserts.items():
                tx.insert_many(kind, rows)
            if new_refs:
                tx.insert_many(_REF_KIND, new_refs)
            self._write_conflicts(tx, planned)
        except InvalidInputError:
            # A document the store cannot hold: say which item, where (validation makes
            # this very unlikely, but an error with no place would follow a clean dry run).
            for p in planned:
                check_storable(p.document, p.item)
            raise

    def _ref_document(self, p: _Planned, version: int) -> dict[str, Any]:
        """The external reference's document, built from parts already validated (the
        connector and kind once per import, the remote id by :func:`_check_item`)."""
        template = self._ref_template
        if template is None:
            template = ExternalRef(
                connector=self.connector,
                kind="template",
                remote_id="template",
                target="template",
                last_synced=self._now,
            ).to_document()
            self._ref_template = template
        doc = dict(template)
        doc["id"] = p.ref_id
        doc["kind"] = p.item.kind
        doc["remote_id"] = p.item.remote_id
        doc["target"] = p.target
        doc["source_hash"] = p.hash
        doc["target_version"] = version
        item = p.item
        if item.remote_version is not None:
            doc["remote_version"] = item.remote_version
        if item.remote_url is not None:
            doc["remote_url"] = item.remote_url
        if self.source is not None:
            doc["source"] = self.source
        if p.remote_values:
            doc["remote_values"] = p.remote_values
        return doc

    def _check_cycles(self) -> None:
        # Projects nest under projects, so an import can close a loop (A under B, B under A)
        # that no single row shows; walk up from each imported entity over the result.
        if not self._imported:
            return
        parents = {key: parent for key, (_, parent) in self._stored_entities().items()}
        parents.update({target: info[0] for target, info in self._imported.items()})
        for target, (_, kind, remote_id, where) in self._imported.items():
            chain = ancestors_of(target, parents.get)
            if chain and chain[-1] == target:
                loop = " -> ".join([target, *chain])
                raise InvalidInputError(
                    f"{kind} {remote_id!r} would sit under itself ({loop})", where=where
                )


def _plugin_document(
    kind: PmoStoreKind, data: Mapping[str, Any], target: str, item: SourceItem
) -> dict[str, Any]:
    """The document of a plugin's own record (see :class:`~pmo_core.PmoStoreKind`), as the
    source gave it, once its model accepts it; its key is its ``id_field``."""
    document = {k: v for k, v in data.items() if k != "id" or kind.id_field == "id"}
    document[kind.id_field] = target
    try:
        kind.model.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        raise InvalidInputError(error_line(error), where=where_of(item, field)) from None
    return document


def _natural(text: str) -> tuple[tuple[int, Any], ...]:
    """A sort key that puts ``a.csv:9`` before ``a.csv:10``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)
    )


def _ref_current(ref: Mapping[str, Any], p: _Planned, version: int, source: str | None) -> bool:
    """Whether the stored reference already says all a new one would."""
    item = p.item
    return (
        ref.get("source_hash") == p.hash
        and ref.get("target_version") == version
        and ref.get("source") == source
        and ref.get("remote_version") == item.remote_version
        and ref.get("remote_url") == item.remote_url
        and ref.get("remote_values") == p.remote_values
    )


def _versions(reader: Any, kind: str, ids: Collection[str]) -> Iterable[tuple[str, int]]:
    if isinstance(reader, VersionReader):
        return reader.versions(kind, ids).items()
    # A backend without the capability: the documents, read whole.
    return ((doc.id, doc.version) for doc in reader.query(kind, ids=ids))
