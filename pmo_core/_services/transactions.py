"""The one transaction API every write goes through, and the events published after commit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .._domain import GateDecision, RaidItem, StatusReport
from .._events import EntityChange, Escalation
from .._store.protocol import Change, Transaction

if TYPE_CHECKING:
    from .._workspace import Workspace

_RECORD_EVENTS: tuple[tuple[str, str, type[StatusReport] | type[GateDecision]], ...] = (
    ("pmo_status_reported", "reports", StatusReport),
    ("pmo_gate_decided", "decisions", GateDecision),
)
_CHANGE_EVENTS = (
    "pmo_entities_changed",
    "pmo_escalated",
    *(hook for hook, _, _ in _RECORD_EVENTS),
)


@contextmanager
def transaction(ws: Workspace, command: str) -> Iterator[Transaction]:
    """A store transaction by the workspace's actor; its events go out after it commits."""
    store = ws.store
    with store.transaction(ws.actor, command=command) as tx:
        yield tx
    # Building the batch decodes every written document (even asking for ``tx.changes``
    # does): skip it when nobody listens, or an import of 100,000 rows would pay for events
    # no plugin receives.
    if any(ws.host.listens(hook) for hook in _CHANGE_EVENTS) and tx.changes:
        publish(ws, tx.txn_id, tx.changes)


def publish(ws: Workspace, txn_id: str, changes: Sequence[Change]) -> None:
    """Send one committed transaction's changes to the event hooks, in batches."""
    events = [
        EntityChange(
            kind=c.kind,
            id=c.id,
            op=c.op,
            version=c.version,
            before=c.before,
            after=c.after,
            actor=ws.actor,
            txn_id=txn_id,
        )
        for c in changes
    ]
    host = ws.host
    host.notify("pmo_entities_changed", workspace=ws, changes=events)
    # Records that have an event of their own, heard when they are first stored.
    for hook, argument, model in _RECORD_EVENTS:
        batch = [
            model.from_document(c.after, c.version)
            for c in changes
            if c.kind == model.store_kind and c.op == "insert" and c.after
        ]
        if batch:
            host.notify(hook, workspace=ws, **{argument: batch})
    if host.listens("pmo_escalated"):
        escalations = escalations_in(changes, txn_id)
        if escalations:
            host.notify("pmo_escalated", workspace=ws, escalations=escalations)


def escalations_in(changes: Sequence[Change], txn_id: str) -> list[Escalation]:
    """The escalation steps a transaction added to RAID items, as event payloads.

    Read from what was written, not from which method wrote it, so an item escalated by any
    writer is heard of. Only updates count: an item inserted with a trail (an import of its
    history) escalated nothing now.

    Example::

        [(e.item.id, e.from_entity, e.to_entity) for e in escalations_in(tx.changes, tx.txn_id)]
    """
    found: list[Escalation] = []
    for c in changes:
        if c.kind != RaidItem.store_kind or c.op != "update" or not c.after:
            continue
        before = len((c.before or {}).get("escalations") or ())
        if len(c.after.get("escalations") or ()) <= before:
            continue
        item = RaidItem.from_document(c.after, c.version)
        found += [
            Escalation(
                item=item,
                from_entity=step.from_entity,
                to_entity=step.to_entity,
                comment=step.comment,
                on=step.on,
                actor=step.actor,
                txn_id=txn_id,
            )
            for step in item.escalations[before:]
        ]
    return found
