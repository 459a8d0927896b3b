"""The one transaction API every write goes through, and the events published after commit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .._domain import GateDecision, StatusReport
from .._events import EntityChange
from .._store.protocol import Change, Transaction

if TYPE_CHECKING:
    from .._workspace import Workspace

_RECORD_EVENTS: tuple[tuple[str, str, type[StatusReport] | type[GateDecision]], ...] = (
    ("pmo_status_reported", "reports", StatusReport),
    ("pmo_gate_decided", "decisions", GateDecision),
)
_CHANGE_EVENTS = ("pmo_entities_changed", *(hook for hook, _, _ in _RECORD_EVENTS))


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
