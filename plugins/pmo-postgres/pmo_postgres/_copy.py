"""``PostgresStore.copy_in``: a journal loaded verbatim into an empty store.

The entries stream through COPY (nothing but the entry being written is held in memory);
the transaction log and the documents are then rebuilt from them in SQL: one transaction per
``txn_id`` with as many changes as it has entries, and each ``(kind, id)``'s last entry as the
document (none after a delete).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from pmo_core import InvalidInputError, JournalEntry, StoreError

from . import _checks as c
from ._schema import statement

__all__ = ["copy_journal"]

_OPS = frozenset({"insert", "update", "delete"})

_TRANSACTIONS = """
INSERT INTO {s}.transactions (txn_id, at, actor, command, change_count)
SELECT first.txn_id, first.at, first.actor, first.command, counted.n
FROM (SELECT DISTINCT ON (txn_id) txn_id, seq, at, actor, command FROM {s}.journal
      ORDER BY txn_id, seq) AS first
JOIN (SELECT txn_id, count(*) AS n FROM {s}.journal GROUP BY txn_id) AS counted
  ON counted.txn_id = first.txn_id
ORDER BY first.seq
"""

_DOCUMENTS = """
INSERT INTO {s}.documents (kind, id, owner, version, data, updated_at, updated_by)
SELECT kind, id, owner, version, after, at, actor
FROM (SELECT DISTINCT ON (kind, id) kind, id, owner, version, after, at, actor, op
      FROM {s}.journal ORDER BY kind, id, seq DESC) AS latest
WHERE op <> 'delete'
"""


def _row(entry: JournalEntry, prev: str) -> tuple[Any, ...]:
    if not isinstance(entry, JournalEntry):
        raise InvalidInputError(f"copy_in takes journal entries, not {type(entry).__name__}")
    if entry.op not in _OPS:
        raise InvalidInputError(f"journal entry seq {entry.seq}: unknown op {entry.op!r}")
    before = None if entry.before is None else c.dumps(entry.before)
    after = None if entry.after is None else c.dumps(entry.after)
    return (
        entry.seq,
        entry.txn_id,
        c.aware(entry.at, "at"),
        c.check_actor(entry.actor),
        c.check_command(entry.command),
        c.check_kind(entry.kind),
        c.check_id(entry.id),
        c.check_owner(entry.owner),
        entry.op,
        entry.version,
        before,
        after,
        prev,
        entry.hash,
    )


def copy_journal(
    conn: psycopg.Connection[Any], schema: str, shown: str, entries: Iterable[JournalEntry]
) -> int:
    """Load ``entries`` into the empty store in ``schema``, inside the caller's transaction."""
    head = conn.execute(statement("SELECT seq FROM {s}.chain_head FOR UPDATE", schema)).fetchone()
    held = conn.execute(
        statement(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM {s}.journal LIMIT 1) AS j)"
            " + (SELECT count(*) FROM (SELECT 1 FROM {s}.documents LIMIT 1) AS d)"
            " + (SELECT count(*) FROM (SELECT 1 FROM {s}.transactions LIMIT 1) AS t)",
            schema,
        )
    ).fetchone()
    if (head and head[0]) or (held and held[0]):
        raise StoreError(
            f"cannot copy into the store {shown}: it is not empty (a journal is copied only "
            "into a new store)"
        )
    count, last_seq, prev = 0, 0, c.GENESIS
    with (
        conn.cursor() as cursor,
        cursor.copy(
            statement(
                "COPY {s}.journal (seq, txn_id, at, actor, command, kind, id, owner, op, version,"
                " before, after, prev_hash, hash) FROM STDIN",
                schema,
            )
        ) as copy,
    ):
        for entry in entries:
            if not isinstance(entry.seq, int) or entry.seq <= last_seq:
                raise InvalidInputError(
                    f"journal entry seq {entry.seq!r} comes after seq {last_seq}: copy_in "
                    "takes a journal in seq order"
                )
            copy.write_row(_row(entry, prev))
            last_seq, prev = entry.seq, entry.hash
            count += 1
    conn.execute(statement(_TRANSACTIONS, schema))
    conn.execute(statement(_DOCUMENTS, schema))
    conn.execute(
        statement("UPDATE {s}.chain_head SET seq = %s, hash = %s", schema), (last_seq, prev)
    )
    return count
