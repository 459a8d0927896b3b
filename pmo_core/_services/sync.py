"""Sync runs and conflicts: list them, and resolve a conflict by keeping one side."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from .._domain import ExternalRef, SyncConflict, SyncRun, model_for_kind
from .._errors import ConflictError, InvalidInputError, NotFoundError, validation_message
from .._store.protocol import ANY

if TYPE_CHECKING:
    from .._workspace import Workspace

_SIDES = ("local", "remote")


class SyncService:
    """Reads sync runs and conflicts; resolves a conflict in one transaction."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def runs(self, connector: str | None, source: str | None) -> list[SyncRun]:
        """See :meth:`Workspace.sync_runs <pmo_core.Workspace.sync_runs>`."""
        runs = [
            SyncRun.from_document(doc.data, doc.version)
            for doc in self._ws.store.query(SyncRun.store_kind)
        ]
        runs = [
            r
            for r in runs
            if (connector is None or r.connector == connector)
            and (source is None or r.source == source)
        ]
        runs.sort(key=lambda r: (r.finished, r.id), reverse=True)
        return runs

    def conflicts(self, target: str | None, *, include_closed: bool) -> list[SyncConflict]:
        """See :meth:`Workspace.sync_conflicts <pmo_core.Workspace.sync_conflicts>`."""
        docs = self._ws.store.query(SyncConflict.store_kind, owner=target if target else ANY)
        found = [SyncConflict.from_document(doc.data, doc.version) for doc in docs]
        if not include_closed:
            found = [c for c in found if c.status == "open"]
        found.sort(key=lambda c: (c.detected, c.id))
        return found

    def find(self, ref: str) -> SyncConflict:
        """The conflict whose id is ``ref`` or starts with it (at least 4 characters)."""
        ref = ref.strip()
        if len(ref) < 4:
            raise InvalidInputError("give at least 4 characters of the conflict id", where="ID")
        matches = [
            SyncConflict.from_document(doc.data, doc.version)
            for doc in self._ws.store.query(SyncConflict.store_kind)
            if doc.id.startswith(ref)
        ]
        if not matches:
            raise NotFoundError(f"no sync conflict {ref!r}")
        if len(matches) > 1:
            raise InvalidInputError(
                f"{ref!r} matches {len(matches)} conflicts; give more of the id", where="ID"
            )
        return matches[0]

    def resolve(self, ref: str, keep: Literal["local", "remote"]) -> SyncConflict:
        """See :meth:`Workspace.resolve_conflict <pmo_core.Workspace.resolve_conflict>`."""
        if keep not in _SIDES:
            raise InvalidInputError(
                f"keep must be 'local' or 'remote', got {keep!r}", where="--keep"
            )
        conflict = self.find(ref)
        if conflict.status != "open":
            raise ConflictError(
                f"sync conflict {conflict.id} is {conflict.status}, not open: nothing to resolve"
            )
        ws = self._ws
        with ws.transaction(f"sync resolve {conflict.id} --keep {keep}") as tx:
            target = tx.get(conflict.kind, conflict.target)
            if target is None:
                raise NotFoundError(
                    f"the {conflict.kind.replace('_', ' ')} {conflict.target!r} of sync "
                    f"conflict {conflict.id} no longer exists"
                )
            if keep == "remote":
                data: dict[str, Any] = {**target.data, conflict.field: conflict.remote}
                model = model_for_kind(conflict.kind)
                try:
                    record = model.model_validate(data)
                except ValidationError as exc:
                    raise InvalidInputError(
                        validation_message(exc), where=f"{conflict.kind} {conflict.target}"
                    ) from None
                tx.update(
                    conflict.kind,
                    conflict.target,
                    record.to_document(),
                    expected_version=target.version,
                    owner=record.owner,
                )
                ref_doc = tx.get(ExternalRef.store_kind, conflict.ref)
                remote_values = dict((ref_doc.data.get("remote_values") or {}) if ref_doc else {})
                if ref_doc is not None and conflict.field in remote_values:
                    # The record now holds the source's value: nothing of its own to keep.
                    del remote_values[conflict.field]
                    new_ref = {k: v for k, v in ref_doc.data.items() if k != "remote_values"}
                    if remote_values:
                        new_ref["remote_values"] = remote_values
                    tx.update(
                        ExternalRef.store_kind,
                        conflict.ref,
                        new_ref,
                        expected_version=ref_doc.version,
                        owner=ref_doc.owner,
                    )
            resolved = conflict.model_copy(
                update={
                    "status": "resolved",
                    "kept": keep,
                    "resolved_by": ws.actor,
                    "resolved": datetime.now(timezone.utc),
                }
            )
            tx.update(
                SyncConflict.store_kind,
                conflict.id,
                resolved.to_document(),
                expected_version=conflict.version,
                owner=conflict.target,
            )
        return resolved.model_copy(update={"version": conflict.version + 1})
