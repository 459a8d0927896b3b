"""Loading a journal verbatim into an empty store (``copy_in``): the checks and the row shapes
the built-in stores share.

The entries arrive as a stream (another store's ``journal()``, a million of them perhaps), so
they are checked and turned into rows a batch at a time; nothing here holds more than one
batch, plus one small record per transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pmo_core._errors import InvalidInputError

from . import _common as c
from .chain import GENESIS
from .protocol import JournalEntry, Op

__all__ = ["BATCH", "JournalRow", "TransactionTally", "document_changes", "journal_batches"]

#: Entries written per batch: large enough that per-statement costs vanish, small enough that
#: a batch of big documents stays a few megabytes.
BATCH = 5000

# One journal row as SQLite's journal table holds it: (seq, txn_id, at, actor, command, kind,
# id, owner, op, version, before, after, prev_hash, hash), times and documents as text.
JournalRow = tuple[
    int, str, str, str, str, str, str, str | None, Op, int, str | None, str | None, str, str
]
_OPS = frozenset(("insert", "update", "delete"))


def _text(document: object, seq: int, what: str) -> str | None:
    if document is None:
        return None
    try:
        return c.dumps(document)
    except InvalidInputError as exc:
        raise InvalidInputError(f"journal entry seq {seq}: {what} {exc}") from None


def _row(entry: JournalEntry, prev: str, last_seq: int) -> JournalRow:
    if not isinstance(entry, JournalEntry):
        raise InvalidInputError(f"copy_in takes JournalEntry objects, not {type(entry).__name__}")
    seq = entry.seq
    if isinstance(seq, bool) or not isinstance(seq, int) or seq <= last_seq:
        raise InvalidInputError(
            f"journal entry seq {seq!r} comes after seq {last_seq}: entries must be in "
            "increasing seq order"
        )
    if not isinstance(entry.txn_id, str) or not entry.txn_id:
        raise InvalidInputError(
            f"journal entry seq {seq}: invalid txn_id {entry.txn_id!r}: must be a non-empty string"
        )
    if entry.op not in _OPS:
        raise InvalidInputError(f"journal entry seq {seq}: unknown op {entry.op!r}")
    if isinstance(entry.version, bool) or not isinstance(entry.version, int) or entry.version < 1:
        raise InvalidInputError(f"journal entry seq {seq}: invalid version {entry.version!r}")
    if (entry.after is None) != (entry.op == "delete"):
        must = "a delete must not" if entry.op == "delete" else f"an {entry.op} must"
        raise InvalidInputError(f"journal entry seq {seq}: {must} carry an after document")
    return (
        seq,
        entry.txn_id,
        c.format_time(c.aware(entry.at, f"journal entry seq {seq} at")),
        c.check_actor(entry.actor),
        c.check_command(entry.command),
        c.check_kind(entry.kind),
        c.check_id(entry.id),
        c.check_owner(entry.owner),
        entry.op,
        entry.version,
        _text(entry.before, seq, "before"),
        _text(entry.after, seq, "after"),
        prev,
        entry.hash,
    )


def journal_batches(entries: Iterable[JournalEntry]) -> Iterator[list[JournalRow]]:
    """The entries as journal rows, checked, in batches of :data:`BATCH`.

    ``prev_hash`` of each row is the ``hash`` of the entry before it (``GENESIS`` for the
    first): the copy is chained exactly as the entries were.
    """
    prev, last_seq = GENESIS, 0
    batch: list[JournalRow] = []
    for entry in entries:
        row = _row(entry, prev, last_seq)
        batch.append(row)
        prev, last_seq = entry.hash, entry.seq
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def document_changes(
    batch: list[JournalRow],
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """What a batch does to the documents: ``(upserts, deletes)``.

    Only the last entry of each ``(kind, id)`` in the batch counts (later batches overwrite
    earlier ones in turn), so the two lists name different documents and their order does
    not matter. An upsert is ``(kind, id, owner, version, data, updated_at, updated_by)``.
    """
    last: dict[tuple[str, str], JournalRow] = {}
    for row in batch:
        last[(row[5], row[6])] = row
    upserts: list[tuple[Any, ...]] = []
    deletes: list[tuple[str, str]] = []
    for (kind, id), row in last.items():
        if row[8] == "delete":
            deletes.append((kind, id))
        else:
            upserts.append((kind, id, row[7], row[9], row[11], row[2], row[3]))
    return upserts, deletes


class TransactionTally:
    """The transaction log the entries imply: one record per ``txn_id``, in commit order."""

    __slots__ = ("_txns",)

    def __init__(self) -> None:
        self._txns: dict[str, list[Any]] = {}

    def add(self, batch: list[JournalRow]) -> None:
        txns = self._txns
        for row in batch:
            found = txns.get(row[1])
            if found is None:
                txns[row[1]] = [row[2], row[3], row[4], 1]
            else:
                found[3] += 1

    def rows(self) -> list[tuple[str, str, str, str, int]]:
        """``(txn_id, at, actor, command, change_count)`` per transaction, first seen first."""
        return [(txn, at, actor, command, n) for txn, (at, actor, command, n) in self._txns.items()]
