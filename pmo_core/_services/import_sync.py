"""What makes an import a sync: a field changed on both sides since the last sync is a
conflict the policy decides (and that is recorded), and a record whose source deleted it is
archived, never deleted. The steps :class:`~.importing.ImportRun` takes for them, kept apart
from the batching, validating and writing of the import itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from .._domain import ENTITY_KINDS, ExternalRef, SyncConflict, model_for_kind
from .._errors import InvalidInputError
from .._records import SourceItem
from .._records._base import ConflictPolicy
from .._store.protocol import Document, JournalEntry, Transaction
from .diff import ITEM_LIMIT, DiffCollector, DiffItem
from .import_checks import ref_id
from .scratch import ScratchMap

if TYPE_CHECKING:
    from .._view import WorkspaceView

_REF_KIND = ExternalRef.store_kind
_ENTITY_ORDER = {"portfolio": 0, "program": 1, "project": 2}
# References checked against the keys met, this many at a time.
_CHECK_CHUNK = 5000

# What a sync sets on a record whose source deleted it: it is archived, never deleted.
_ARCHIVED_BY = {
    "portfolio": "archived",
    "program": "archived",
    "project": "archived",
    "work_item": "archived_on",
    "milestone": "archived_on",
    "cost_entry": "archived_on",
}

# A conflict's status as the policy leaves it: decided, or open for someone to resolve.
_DECIDED: dict[str, Literal["overwritten", "kept-local", "open"]] = {
    "source-wins": "overwritten",
    "local-wins": "kept-local",
    "manual": "open",
}


@dataclass(slots=True)
class _Planned:
    """An item to write: its record's document, and what the store held."""

    item: SourceItem
    ref_id: str
    target: str
    owner: str | None
    document: dict[str, Any]
    existing_version: int | None
    existing: dict[str, Any] | None
    ref: Document | None
    hash: str
    op: str = ""
    #: The source's values of the fields where the record keeps its own (see ExternalRef).
    remote_values: dict[str, Any] | None = None
    #: Fields changed on both sides since the last sync: (field, local, remote, base).
    conflicts: tuple[tuple[str, Any, Any, Any], ...] = ()


class SyncSteps:
    """Conflicts and deletions, for :class:`~.importing.ImportRun` (which sets the state
    declared here)."""

    if TYPE_CHECKING:
        connector: str
        source: str | None
        policy: ConflictPolicy
        run_id: str
        diff: DiffCollector
        touched: dict[str, None]
        conflicts: list[dict[str, Any]]
        conflict_count: int
        _reader: Any
        _tx: Transaction | None
        _view: WorkspaceView
        _today: date
        _now: datetime
        _history: Callable[..., Iterable[JournalEntry]] | None

        def _plan(
            self,
            item: SourceItem,
            rid: str,
            target: str,
            existing: Document | None,
            ref: Document | None,
        ) -> _Planned: ...

    # ------------------------------------------------------------------ deletions

    def _tombstone(self, item: SourceItem) -> None:
        """The source says ``item`` was deleted: archive its record, if it has one."""
        ref = self._reader.get(_REF_KIND, ref_id(self.connector, item))
        if ref is None:
            return  # never imported: nothing here to archive
        if item.kind not in _ARCHIVED_BY:
            raise InvalidInputError(
                f"{item.kind} records cannot be archived: a deletion at the source is "
                "only followed for entities, work items, milestones and cost entries",
                where=item.where,
            )
        self._archive(item.kind, str(ref.data["target"]), item.remote_id, item.where, ref)

    def _archive_missing(self, seen: ScratchMap) -> int:
        """A full read no longer holds what an earlier read of the same source gave:
        archive those records (a sync never deletes); returns how many."""
        prefix = f"{self.connector}:"
        chunk: list[tuple[str, str, str]] = []
        missing: list[tuple[str, str, str]] = []

        def check() -> None:
            found = seen.get_many(f"{kind}:{remote_id}" for kind, remote_id, _ in chunk)
            missing.extend(c for c in chunk if f"{c[0]}:{c[1]}" not in found)
            chunk.clear()

        for id, kind, remote_id, target, source in self._view.values(
            _REF_KIND, ["@id", "kind", "remote_id", "target", "source"]
        ):
            if source == self.source and str(id).startswith(prefix) and kind in _ARCHIVED_BY:
                chunk.append((str(kind), str(remote_id), str(target)))
                if len(chunk) >= _CHECK_CHUNK:
                    check()
        check()
        # Parents after their children, so a project is archived after its work items.
        missing.sort(key=lambda m: _ENTITY_ORDER.get(m[0], 3), reverse=True)
        for kind, remote_id, target in missing:
            ref = self._reader.get(_REF_KIND, f"{self.connector}:{kind}:{remote_id}")
            self._archive(kind, target, remote_id, "", ref)
        return len(missing)

    def _archive(
        self, kind: str, target: str, remote_id: str, where: str, ref: Document | None
    ) -> None:
        doc = self._reader.get(kind, target)
        name = _ARCHIVED_BY[kind]
        if doc is None or doc.data.get(name):
            return  # gone or archived already (by someone here: it stays so)
        value: Any = True if name == "archived" else self._today.isoformat()
        record = model_for_kind(kind).model_validate({**doc.data, name: value})
        document = record.to_document()
        self.diff.add(
            DiffItem(
                op="archive",
                kind=kind,
                id=target,
                remote_id=remote_id,
                changes={name: (doc.data.get(name), document.get(name))},
                where=where,
            )
        )
        key = target if kind in ENTITY_KINDS else record.owner
        if key:
            self.touched[key] = None
        if self._tx is not None:
            self._tx.update(
                kind, target, document, expected_version=doc.version, owner=record.owner
            )
            if ref is not None:
                # The reference says the sync archived it (so a source that has it again
                # brings it back) and forgets the digest (so that item is read again).
                marked = {k: v for k, v in ref.data.items() if k != "source_hash"}
                marked["archived_on"] = self._today.isoformat()
                self._tx.update(
                    _REF_KIND, ref.id, marked, expected_version=ref.version, owner=ref.owner
                )

    def _reconcile(self, p: _Planned, ref: Document, existing: Document) -> _Planned:
        """Field by field, what the source may change in a record synced before.

        A field the source did not change keeps its local value; a field changed only in
        the source takes the source's; a field changed on both sides (each differing from
        the value the last sync left) is a conflict, which the policy decides. The source's
        value of every field where the record keeps its own is remembered on the reference
        (``remote_values``), so the next sync knows the source did not change it again.
        """
        remote_values: dict[str, Any] = dict(ref.data.get("remote_values") or {})
        base_version = ref.data.get("target_version")
        if existing.version == base_version and not remote_values:
            return p  # nothing changed here since the last sync: the source's values stand
        if existing.version == base_version:
            base: Mapping[str, Any] = existing.data
        else:
            base = self._as_synced(p.item.kind, p.target, base_version) or {}
        new, local = p.document, existing.data
        kept: list[str] = []
        conflicts: list[tuple[str, Any, Any, Any]] = []
        for name in p.item.data:
            if name == "id":
                continue
            remote, mine, was = new.get(name), local.get(name), base.get(name)
            if remote == mine:
                remote_values.pop(name, None)
                continue
            remote_was = remote_values.get(name, was)
            if remote == remote_was:
                # The source has not changed it: the local value stays.
                kept.append(name)
                remote_values[name] = remote
            elif mine == was and name not in remote_values:
                remote_values.pop(name, None)  # changed only in the source
            else:
                conflicts.append((name, mine, remote, remote_was))
                if self.policy == "source-wins":
                    remote_values.pop(name, None)
                else:
                    kept.append(name)
                    remote_values[name] = remote
        if kept:
            # The import merges: a field the item leaves out keeps its stored value.
            data = {k: v for k, v in p.item.data.items() if k not in kept}
            q = self._plan(replace(p.item, data=data), p.ref_id, p.target, existing, ref)
            q.item = p.item
            p = q
        p.remote_values = remote_values or None
        p.conflicts = tuple(conflicts)
        return p

    def _as_synced(self, kind: str, id: str, version: Any) -> Mapping[str, Any] | None:
        """The record as the last sync left it (at ``version``), from the journal."""
        if self._history is None or not isinstance(version, int):
            return None
        for entry in self._history(kind=kind, id=id):
            if entry.version == version:
                return entry.after
        return None

    def _conflict_documents(self, p: _Planned) -> list[dict[str, Any]]:
        return [
            SyncConflict(
                connector=self.connector,
                source=self.source or "",
                ref=p.ref_id,
                kind=p.item.kind,
                target=p.target,
                field=name,
                local=local,
                remote=remote,
                base=base,
                run=self.run_id,
                detected=self._now,
                status=_DECIDED[self.policy],
            ).to_document()
            for name, local, remote, base in p.conflicts
        ]

    def _note_conflicts(self, p: _Planned) -> None:
        if not p.conflicts:
            return
        self.conflict_count += len(p.conflicts)
        room = ITEM_LIMIT - len(self.conflicts)
        if room > 0:
            self.conflicts.extend(self._conflict_documents(p)[:room])

    def _write_conflicts(self, tx: Transaction, planned: Sequence[_Planned]) -> None:
        rows: list[tuple[str, str | None, dict[str, Any]]] = []
        for p in planned:
            if not p.conflicts:
                continue
            documents = self._conflict_documents(p)
            if self.policy == "manual":
                # A field still waiting is one conflict, brought up to date, not two.
                waiting = {
                    d.data["field"]: d
                    for d in tx.query("sync_conflict", owner=p.target)
                    if d.data.get("status") == "open" and d.data.get("ref") == p.ref_id
                }
                for doc in documents:
                    old = waiting.get(doc["field"])
                    if old is None:
                        continue
                    doc["id"] = old.id
                    doc["base"] = old.data.get("base")
                    tx.update(
                        "sync_conflict", old.id, doc, expected_version=old.version, owner=p.target
                    )
                documents = [d for d in documents if d["field"] not in waiting]
            rows.extend((d["id"], p.target, d) for d in documents)
        if rows:
            tx.insert_many("sync_conflict", rows)
