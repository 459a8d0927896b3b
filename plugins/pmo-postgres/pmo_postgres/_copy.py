"""``PostgresStore.copy_in``: a journal loaded verbatim into an empty store.

The entries stream through COPY (nothing but the entry being written, and one small record
per transaction, is held in memory); the transaction log is written from them (one record
per ``txn_id``, with its first entry's time, actor and command and as many changes as it has
entries), then the documents are rebuilt in SQL: each ``(kind, id)``'s last entry (none after
a delete).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from pmo_core import InvalidInputError, JournalEntry, StoreError

from . import _checks as c
from ._schema import statement
from ._search import fill_search_text

__all__ = ["copy_journal"]

_OPS = frozenset({"insert", "update", "delete"})

_DOCUMENTS = """
INSERT INTO {s}.documents (kind, id, owner, version, data, updated_at, updated_by)
SELECT latest.kind, latest.id, latest.owner, latest.version, latest.after, t.at, t.actor
FROM (SELECT DISTINCT ON (kind, id) kind, id, owner, version, after, op, txn_id
      FROM {s}.journal ORDER BY kind, id, seq DESC) AS latest
JOIN {s}.transactions AS t ON t.txn_id = latest.txn_id
WHERE latest.op <> 'delete'
"""


def _hash(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InvalidInputError(f"not a journal hash: {value!r}") from None


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
        c.check_kind(entry.kind),
        c.check_id(entry.id),
        c.check_owner(entry.owner),
        entry.op,
        entry.version,
        before,
        after,
        _hash(prev),
        _hash(entry.hash),
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
    # txn_id -> [at, actor, command, change count], in order of first entry (commit order).
    txns: dict[str, list[Any]] = {}
    with (
        conn.cursor() as cursor,
        cursor.copy(
            statement(
                "COPY {s}.journal (seq, txn_id, kind, id, owner, op, version, before, after,"
                " prev_hash, hash) FROM STDIN",
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
            found = txns.get(entry.txn_id)
            if found is None:
                at = c.aware(entry.at, "at")
                actor, command = c.check_actor(entry.actor), c.check_command(entry.command)
                txns[entry.txn_id] = [at, actor, command, 1]
            else:
                found[3] += 1
            last_seq, prev = entry.seq, entry.hash
            count += 1
    with conn.cursor() as cursor:
        cursor.executemany(
            statement(
                "INSERT INTO {s}.transactions (txn_id, at, actor, command, change_count)"
                " VALUES (%s, %s, %s, %s, %s)",
                schema,
            ),
            [(txn, *record) for txn, record in txns.items()],
        )
    conn.execute(statement(_DOCUMENTS, schema))
    fill_search_text(conn, schema)
    conn.execute(
        statement("UPDATE {s}.chain_head SET seq = %s, hash = %s", schema), (last_seq, prev)
    )
    return count
