"""``PostgresStore.verify``: the append-only triggers and privileges, the journal's hash
chain, the transaction log and the replay of every document, read in one snapshot.

The wording is the one pmo-core's stores use (``seq N``, ``altered``, ``deleted``,
``reordered``, ``document <kind> <id> ... edited``), so ``pmo doctor --verify`` reads the same
whatever the backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import psycopg

from pmo_core import VerifyResult

from . import _checks as c
from ._schema import TRIGGER_BODY, TRIGGERS, statement

__all__ = ["verify_postgres"]

#: Problems of one kind worded before "... and N more".
LIMIT = 20

# One journal entry as the walk reads it: (seq, prev_hash, hash, canonical JSON).
ChainRow = tuple[int, "str | None", "str | None", str]


class _Problems:
    def __init__(self, what: str) -> None:
        self._items: list[str] = []
        self._more = 0
        self._what = what

    def add(self, problem: str) -> None:
        if len(self._items) >= LIMIT:
            self._more += 1
        else:
            self._items.append(problem)

    def done(self) -> list[str]:
        more = [f"... and {self._more} more {self._what}"] if self._more else []
        return self._items + more


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"journal entry seq {first} is missing (deleted)"
    return f"journal entries seq {first} to {last} are missing (deleted)"


def _link_problem(
    row: ChainRow, expected: str, last_seq: int, seq_of_hash: Callable[[str], int | None]
) -> str | None:
    seq, prev, recorded, text = row
    if recorded is None:
        return f"journal entry seq {seq} has no hash: it was written around the store"
    if seq > last_seq + 1:
        return (
            f"{_missing(last_seq + 1, seq - 1)}: the chain jumps from seq {last_seq} to seq {seq}"
        )
    if seq <= last_seq:
        return f"journal entry seq {seq} comes after seq {last_seq} (reordered)"
    if prev is not None and prev != expected:
        where = seq_of_hash(prev)
        if where is not None:
            return (
                f"journal entry seq {seq} is out of order (reordered): it was written after "
                f"the entry now at seq {where}, not after seq {last_seq}"
            )
        return (
            f"journal entry seq {seq} does not follow seq {last_seq}: the entry it was written "
            f"after is gone (deleted, or seq {last_seq} was replaced)"
        )
    if c.entry_hash(expected if prev is None else prev, text) != recorded:
        return f"journal entry seq {seq} was altered (forged): its content does not give its hash"
    return None


def chain_problems(
    rows: Iterable[ChainRow], seq_of_hash: Callable[[str], int | None]
) -> tuple[list[str], int, int, str]:
    """Walk a journal in seq order: ``(problems, entries, last_seq, head hash)``.

    After a problem the walk carries on from the entry's own hash, so one bad entry is
    reported once and later, independent damage is still found.
    """
    problems = _Problems("journal problem(s)")
    expected, last_seq, entries = c.GENESIS, 0, 0
    for row in rows:
        entries += 1
        problem = _link_problem(row, expected, last_seq, seq_of_hash)
        if problem is not None:
            problems.add(problem)
        expected = row[2] or expected
        last_seq = max(last_seq, row[0])
    return problems.done(), entries, last_seq, expected


def _trigger_problems(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    rows = conn.execute(
        "SELECT t.tgname, c.relname, t.tgenabled, pg_get_triggerdef(t.oid)"
        " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND NOT t.tgisinternal",
        (schema,),
    ).fetchall()
    present = {
        name: (table, enabled, " ".join(definition.split()))
        for name, table, enabled, definition in rows
    }
    problems: list[str] = []
    for name, (table, words) in sorted(TRIGGERS.items()):
        what = f"the {words} is no longer append-only"
        if name not in present:
            problems.append(f"trigger {name} is missing (dropped): {what}")
            continue
        on, enabled, definition = present[name]
        if enabled == "D":
            problems.append(f"trigger {name} is disabled: {what}")
        expected = _trigger_definition(name, schema, table, words)
        if on != table or definition != expected:
            problems.append(f"trigger {name} was replaced: it is not the one pmo-postgres created")
    problems += [f"unexpected trigger {name}" for name in sorted(set(present) - set(TRIGGERS))]
    body = conn.execute(
        "SELECT p.prosrc FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
        " ON n.oid = p.pronamespace WHERE n.nspname = %s AND p.proname = 'append_only'",
        (schema,),
    ).fetchall()
    if not body:
        problems.append("trigger function append_only is missing (dropped)")
    elif [" ".join(b[0].split()) for b in body] != [TRIGGER_BODY]:
        problems.append("trigger function append_only was replaced: it no longer refuses writes")
    return problems


def _trigger_definition(name: str, schema: str, table: str, words: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE DELETE OR UPDATE OR TRUNCATE ON {schema}.{table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {schema}.append_only('{words}')"
    )


def _privilege_problems(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    problems = []
    for table in TRIGGERS.values():
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            row = conn.execute(
                "SELECT has_table_privilege('public', format('%%I.%%I', %s::text, %s::text), %s)",
                (schema, table[0], privilege),
            ).fetchone()
            if row and row[0]:
                problems.append(f"PUBLIC was granted {privilege} on {schema}.{table[0]}: revoke it")
    return problems


def _chain_rows(conn: psycopg.Connection[Any], schema: str) -> Iterator[ChainRow]:
    # A server-side cursor: the journal streams, it is never held in memory as a whole.
    with conn.cursor(name="pmo_verify_chain") as cursor:
        cursor.itersize = 5000
        # An entry's time, actor and command are its transaction's: an entry without one
        # (its record deleted) cannot give its hash, and is reported as such besides.
        cursor.execute(
            statement(
                "SELECT j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op,"
                " j.version, j.before::text, j.after::text, j.prev_hash, j.hash"
                " FROM {s}.journal AS j LEFT JOIN {s}.transactions AS t"
                " ON t.txn_id = j.txn_id ORDER BY j.seq",
                schema,
            )
        )
        for (
            seq,
            txn,
            at,
            actor,
            command,
            kind,
            id,
            owner,
            op,
            version,
            before,
            after,
            prev,
            hash,
        ) in cursor:
            text = "" if at is None else c.entry_text(
                seq, txn, c.format_time(at), actor, command, kind, id, owner, op, version,
                before, after,
            )  # fmt: skip
            yield int(seq), _hex(prev), _hex(hash), text


def _hex(value: bytes | None) -> str | None:
    return None if value is None else bytes(value).hex()


def _seq_of_hash(conn: psycopg.Connection[Any], schema: str) -> Callable[[str], int | None]:
    def find(hash: str) -> int | None:
        # No index on hash (it would cost every write): this runs only to explain a break.
        row = conn.execute(
            statement("SELECT seq FROM {s}.journal WHERE encode(hash, 'hex') = %s LIMIT 1", schema),
            (hash,),
        ).fetchone()
        return None if row is None else int(row[0])

    return find


def _tail_problems(conn: psycopg.Connection[Any], schema: str, last_seq: int) -> list[str]:
    row = conn.execute(statement("SELECT seq FROM {s}.chain_head", schema)).fetchone()
    given = int(row[0]) if row else 0
    if given > last_seq:
        return [f"{_missing(last_seq + 1, given)}: the journal had reached seq {given}"]
    if given < last_seq:
        return [f"the journal's sequence counter is at {given}, behind seq {last_seq}: edited"]
    return []


# The journal's entries take their time, actor and command from the record, so none can
# disagree with it (an edit of the record shows as altered entries in the chain).
_TRANSACTIONS = """
SELECT t.txn_id, t.at, t.actor, t.command, t.change_count, count(j.seq)
FROM {s}.transactions AS t LEFT JOIN {s}.journal AS j ON j.txn_id = t.txn_id
GROUP BY t.txn_id
HAVING count(j.seq) <> t.change_count
ORDER BY t.position
"""

_ORPHANS = """
SELECT j.txn_id, min(j.seq), count(*) FROM {s}.journal AS j
LEFT JOIN {s}.transactions AS t ON t.txn_id = j.txn_id WHERE t.txn_id IS NULL
GROUP BY j.txn_id ORDER BY min(j.seq)
"""


def _transaction_problems(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    problems = _Problems("transaction problem(s)")
    for txn_id, at, actor, command, count, found in conn.execute(statement(_TRANSACTIONS, schema)):
        what = f"transaction {txn_id} ({command!r} by {actor} at {c.format_time(at)})"
        if found < count:
            problems.add(
                f"{what} made {count} change(s) but the journal holds {found} of them "
                "(entries deleted)"
            )
        elif found > count:
            problems.add(
                f"{what} made {count} change(s) but the journal holds {found} (entries added)"
            )
    for txn_id, first, count in conn.execute(statement(_ORPHANS, schema)):
        problems.add(
            f"journal entries from seq {first} ({count} of transaction {txn_id}) belong to no "
            "recorded transaction (forged, or the transaction record was deleted)"
        )
    return problems.done()


# The latest entry of every (kind, id) against the document: an insert or update must have
# left exactly this document; a delete must have left none.
_REPLAY = """
SELECT j.kind, j.id, j.seq, j.op, d.id IS NOT NULL,
       d.data::text IS NOT DISTINCT FROM j.after::text, d.version IS NOT DISTINCT FROM j.version,
       d.owner IS NOT DISTINCT FROM j.owner, d.updated_at IS NOT DISTINCT FROM t.at,
       d.updated_by IS NOT DISTINCT FROM t.actor
FROM (SELECT DISTINCT ON (kind, id) kind, id, seq, op, after, version, owner, txn_id
      FROM {s}.journal ORDER BY kind, id, seq DESC) AS j
LEFT JOIN {s}.transactions AS t ON t.txn_id = j.txn_id
LEFT JOIN {s}.documents AS d ON d.kind = j.kind AND d.id = j.id
WHERE CASE WHEN j.op = 'delete' THEN d.id IS NOT NULL
      ELSE d.id IS NULL OR d.data::text IS DISTINCT FROM j.after::text
           OR d.version IS DISTINCT FROM j.version OR d.owner IS DISTINCT FROM j.owner
           OR d.updated_at IS DISTINCT FROM t.at OR d.updated_by IS DISTINCT FROM t.actor END
ORDER BY j.seq
"""

_UNJOURNALED = """
SELECT d.kind, d.id FROM {s}.documents AS d
WHERE NOT EXISTS (SELECT 1 FROM {s}.journal AS j WHERE j.kind = d.kind AND j.id = d.id)
ORDER BY d.kind, d.id
"""
_FIELDS = ("data", "version", "owner", "updated_at", "updated_by")


def _replay_problems(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    problems = _Problems("document problem(s)")
    for kind, id, seq, op, present, *same in conn.execute(statement(_REPLAY, schema)):
        if op == "delete":
            problems.add(
                f"document {kind} {id} exists, but its journal deleted it (seq {seq}): "
                "written around the journal"
            )
        elif not present:
            problems.add(
                f"document {kind} {id} is missing, but its journal's latest entry (seq {seq}) "
                "says it exists: deleted around the journal"
            )
        else:
            differ = ", ".join(f for f, ok in zip(_FIELDS, same, strict=True) if not ok)
            problems.add(
                f"document {kind} {id} differs from the replay of its journal (seq {seq}) in "
                f"{differ}: edited around the journal"
            )
    for kind, id in conn.execute(statement(_UNJOURNALED, schema)):
        problems.add(f"document {kind} {id} has no journal: written around the store")
    return problems.done()


def verify_postgres(conn: psycopg.Connection[Any], schema: str, *, quick: bool) -> VerifyResult:
    """Check the store in ``schema`` (see ``Store.verify``); reads only."""
    integrity = _trigger_problems(conn, schema) + _privilege_problems(conn, schema)
    if quick:
        return VerifyResult(integrity=tuple(integrity), quick=True)
    with conn.transaction():
        # One snapshot for every check, whatever other sessions commit meanwhile.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        journal, entries, last_seq, head = chain_problems(
            _chain_rows(conn, schema), _seq_of_hash(conn, schema)
        )
        journal += _tail_problems(conn, schema, last_seq)
        journal += _transaction_problems(conn, schema)
        journal += _replay_problems(conn, schema)
    return VerifyResult(
        entries=entries, head=head, journal=tuple(journal), integrity=tuple(integrity)
    )
