"""``SQLiteStore.verify``: the file's integrity, the schema's triggers, the journal's hash chain,
the transaction log and the replay of every document, read in one snapshot."""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Callable, Iterator

from . import _common as c
from .chain import ChainRow, chain_problems, entry_text
from .migrations import MIGRATIONS
from .protocol import VerifyResult

__all__ = ["expected_triggers", "register_functions", "verify_sqlite"]

_LIMIT = c.PROBLEM_LIMIT
_TRIGGER_NAME = re.compile(r"^\s*CREATE\s+TRIGGER\s+(\w+)", re.I)
_DROP_TRIGGER = re.compile(r"^\s*DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)", re.I)


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def expected_triggers() -> dict[str, str]:
    """The triggers the migrations leave in place, by name, as whitespace-normalised SQL."""
    found: dict[str, str] = {}
    for step in MIGRATIONS:
        for statement in step.statements:
            if not isinstance(statement, str):
                continue
            match = _TRIGGER_NAME.match(statement)
            if match:
                found[match.group(1)] = _normal(statement)
            dropped = _DROP_TRIGGER.match(statement)
            if dropped:
                found.pop(dropped.group(1), None)
    return found


def _text_of(value: str | bytes | None) -> str | None:
    try:
        return None if value is None else c.unpack_text(value)
    except (zlib.error, UnicodeDecodeError):
        return None  # damaged: compares unequal to any document


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the store's queries use: ``pmo_text(x)``, a journal column's text
    (see :func:`~pmo_core._store._common.pack_text`)."""
    conn.create_function("pmo_text", 1, _text_of, deterministic=True)


def _lenient_text(raw: bytes) -> str:
    # A damaged page can hold bytes that are not UTF-8: read them anyway (they hash as the
    # bytes they are), so the check reports the entry instead of stopping at it.
    return raw.decode("utf-8", "surrogateescape")


def _pragma(conn: sqlite3.Connection, pragma: str) -> list[str]:
    try:
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:  # too damaged to even walk: that is the finding
        return [f"{pragma}: {exc}"]
    if rows == ["ok"]:
        return []
    problems = c.Problems(f"{pragma} message(s)")
    for row in rows:
        problems.add(f"{pragma}: {row}")
    return problems.done()


def _trigger_problems(conn: sqlite3.Connection) -> list[str]:
    present = {
        name: _normal(sql or "")
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    problems = []
    for name, sql in sorted(expected_triggers().items()):
        if name not in present:
            problems.append(
                f"trigger {name} is missing (dropped): the journal is no longer append-only"
            )
        elif present[name] != sql:
            problems.append(f"trigger {name} was replaced: it is not the one pmo-core created")
    problems += [
        f"unexpected trigger {name}" for name in sorted(set(present) - set(expected_triggers()))
    ]
    return problems


def _chain_rows(conn: sqlite3.Connection) -> Iterator[ChainRow]:
    # An entry's time, actor and command are its transaction's: an entry without one (its
    # record deleted) cannot give its hash, and is reported as such besides.
    rows = conn.execute(
        "SELECT j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op,"
        " j.version, j.before, j.after, j.prev_hash, j.hash"
        " FROM journal AS j LEFT JOIN transactions AS t ON t.txn_id = j.txn_id ORDER BY j.seq"
    )
    for *fields, prev, recorded in rows:
        try:
            for n in (10, 11):  # before and after
                if fields[n] is not None:
                    fields[n] = c.unpack_text(fields[n])
            text = entry_text(*fields)
        except (TypeError, ValueError, zlib.error):
            text = ""  # a column of the wrong type: the entry cannot match its hash
        yield int(fields[0]), _hex(prev), _hex(recorded), text


def _hex(value: bytes | str | None) -> str | None:
    return None if value is None else c.unpack_hash(value)


def _seq_of_hash(conn: sqlite3.Connection) -> Callable[[str], int | None]:
    def find(hash: str) -> int | None:
        # No index on hash (it would cost every write): this runs only to explain a break.
        row = conn.execute(
            "SELECT seq FROM journal WHERE hash IN (?, ?) LIMIT 1", (c.pack_hash(hash), hash)
        ).fetchone()
        return None if row is None else int(row[0])

    return find


def _tail_problems(conn: sqlite3.Connection, last_seq: int) -> list[str]:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    return c.missing_tail(last_seq, int(row[0]) if row else 0)


# The journal's entries take their time, actor and command from the record, so none can
# disagree with it (an edit of the record shows as altered entries in the chain).
_TRANSACTIONS = """
SELECT t.txn_id, t.at, t.actor, t.command, t.change_count, COUNT(j.seq), 0
FROM transactions AS t LEFT JOIN journal AS j ON j.txn_id = t.txn_id
GROUP BY t.txn_id
HAVING COUNT(j.seq) != t.change_count
ORDER BY t.rowid
"""

_ORPHANS = """
SELECT j.txn_id, MIN(j.seq), COUNT(*) FROM journal AS j
LEFT JOIN transactions AS t ON t.txn_id = j.txn_id WHERE t.txn_id IS NULL
GROUP BY j.txn_id ORDER BY MIN(j.seq)
"""


def _transaction_problems(conn: sqlite3.Connection) -> list[str]:
    problems = c.Problems("transaction problem(s)")
    for row in conn.execute(_TRANSACTIONS):
        c.transaction_problems(problems, *row)
    for txn_id, first, count in conn.execute(_ORPHANS):
        problems.add(c.orphan_problem(txn_id, first, count))
    return problems.done()


# The latest entry of every (kind, id) against the document: an insert or update must have
# left exactly this document; a delete must have left none.
_REPLAY = """
SELECT j.kind, j.id, j.seq, j.op, d.id IS NOT NULL,
       d.data IS _AFTER, d.version IS j.version, d.owner IS j.owner,
       d.updated_at IS t.at, d.updated_by IS t.actor
FROM (SELECT MAX(seq) AS seq FROM journal GROUP BY kind, id) AS latest
JOIN journal AS j ON j.seq = latest.seq
LEFT JOIN transactions AS t ON t.txn_id = j.txn_id
LEFT JOIN documents AS d ON d.kind = j.kind AND d.id = j.id
WHERE CASE WHEN j.op = 'delete' THEN d.id IS NOT NULL
      ELSE d.id IS NULL OR d.data IS NOT _AFTER OR d.version IS NOT j.version
           OR d.owner IS NOT j.owner OR d.updated_at IS NOT t.at
           OR d.updated_by IS NOT t.actor END
ORDER BY j.seq
"""

# Only a compressed journal text needs the Python function.
_REPLAY = _REPLAY.replace(
    "_AFTER", "(CASE WHEN typeof(j.after) = 'blob' THEN pmo_text(j.after) ELSE j.after END)"
)

_UNJOURNALED = """
SELECT d.kind, d.id FROM documents AS d
WHERE NOT EXISTS (SELECT 1 FROM journal AS j WHERE j.kind = d.kind AND j.id = d.id)
ORDER BY d.kind, d.id
"""


def _replay_problems(conn: sqlite3.Connection) -> list[str]:
    problems = c.Problems("document problem(s)")
    for kind, id, seq, op, present, *same in conn.execute(_REPLAY):
        problems.add(c.replay_problem(kind, id, seq, op, bool(present), map(bool, same)))
    for kind, id in conn.execute(_UNJOURNALED):
        problems.add(c.unjournaled_problem(kind, id))
    return problems.done()


def _attempt(problems: list[str], what: str, check: Callable[[], list[str]]) -> bool:
    """Run one check; a file too damaged to read is a problem found, never an exception."""
    try:
        problems += check()
    except (sqlite3.DatabaseError, ValueError) as exc:
        problems.append(f"cannot check {what}: {exc}")
        return False
    return True


def verify_sqlite(conn: sqlite3.Connection, *, quick: bool) -> VerifyResult:
    """Check an open pmo SQLite database (see :meth:`Store.verify`); reads only."""
    integrity: list[str] = []
    journal: list[str] = []
    chain: tuple[list[str], int, int, str] = ([], 0, 0, "")
    factory = conn.text_factory
    conn.text_factory = _lenient_text
    register_functions(conn)
    try:
        # One read transaction: every check below sees the same snapshot, whatever other
        # processes commit meanwhile (WAL readers do not block them).
        conn.execute("BEGIN")
        integrity += _pragma(conn, "quick_check")
        sound = not integrity
        _attempt(integrity, "the triggers", lambda: _trigger_problems(conn))
        if quick:
            return VerifyResult(integrity=tuple(integrity), quick=True)
        if sound:
            integrity += _pragma(conn, "integrity_check")

        def walk() -> list[str]:
            nonlocal chain
            chain = chain_problems(_chain_rows(conn), _seq_of_hash(conn), limit=_LIMIT)
            return chain[0]

        if _attempt(journal, "the journal", walk):
            _attempt(journal, "the journal", lambda: _tail_problems(conn, chain[2]))
        _attempt(journal, "the transactions", lambda: _transaction_problems(conn))
        _attempt(journal, "the documents", lambda: _replay_problems(conn))
    except sqlite3.DatabaseError as exc:
        integrity.append(f"cannot read the store: {exc}")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.text_factory = factory
    _, entries, _, head = chain
    return VerifyResult(
        entries=entries,
        head=head or None,
        journal=tuple(journal),
        integrity=tuple(integrity),
    )
