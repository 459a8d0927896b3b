"""What a sync leaves behind: a record of each run, and the conflicts it found."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, JsonValue

from .._records._base import CONFLICT_POLICIES, ConflictPolicy
from ._base import DomainModel, Line, RecordId

_Count = Annotated[int, Field(ge=0)]


class SyncRun(DomainModel):
    """One committed import or sync: who ran it, when, from where, and what it did.

    ``mode`` is ``"full"`` (the whole source was read; what it no longer holds was
    archived) or ``"incremental"`` (what changed since ``since``, the watermark of the run
    before). ``counts`` holds the records per operation (``create``, ``update``,
    ``unchanged``, ``archive``); ``conflicts`` how many fields changed on both sides, and
    ``watermark`` where the next incremental run of the source starts.

    Example::

        now = datetime(2026, 12, 1, 9, 12, tzinfo=timezone.utc)
        SyncRun(connector="redmine", source="https://redmine.example", mode="incremental",
                policy="manual", actor="alice", started=now, finished=now,
                counts={"create": 2, "update": 5, "unchanged": 120, "archive": 1},
                conflicts=1, since="2026-11-30T08:00:00Z", watermark="2026-12-01T09:12:00Z")
    """

    store_kind = "sync_run"

    connector: Line
    source: Line
    mode: Literal["full", "incremental"]
    policy: ConflictPolicy
    actor: Line
    started: AwareDatetime
    finished: AwareDatetime
    counts: dict[Line, _Count] = Field(default_factory=dict)
    conflicts: _Count = 0
    since: Line | None = None
    watermark: Line | None = None


class SyncConflict(DomainModel):
    """A field that changed both locally and in the source since the last sync.

    ``target`` is the local record (of store kind ``kind``), ``ref`` its external reference,
    ``field`` the field; ``local`` and ``remote`` are the two values as stored documents hold
    them, ``base`` the value both sides started from. ``status`` is ``"open"`` until someone
    resolves it (``kept`` then says which side won), or ``"overwritten"`` / ``"kept-local"``
    when the run's policy decided (``source-wins`` / ``local-wins``): those are kept for the
    record, not to be resolved.

    Example::

        now = datetime(2026, 12, 1, 9, 12, tzinfo=timezone.utc)
        SyncConflict(connector="redmine", source="https://redmine.example",
                     ref="redmine:work_item:4711", kind="work_item", target="a1b2c3d4e5f6",
                     field="due", local="2026-03-01", remote="2026-03-15", base="2026-02-20",
                     run="f00dfeed0001", detected=now)
    """

    store_kind = "sync_conflict"

    connector: Line
    source: Line
    ref: RecordId
    kind: Line
    target: RecordId
    field: Line
    local: JsonValue = None
    remote: JsonValue = None
    base: JsonValue = None
    run: RecordId
    detected: AwareDatetime
    status: Literal["open", "resolved", "overwritten", "kept-local"] = "open"
    kept: Literal["local", "remote"] | None = None
    resolved_by: Line | None = None
    resolved: datetime | None = None

    owner_field: ClassVar[str] = "target"


__all__ = ["CONFLICT_POLICIES", "ConflictPolicy", "SyncConflict", "SyncRun"]
