"""SQLite schema versions: an ordered list of forward-only steps tracked in ``PRAGMA user_version``.

Opening a store applies every pending step in one transaction, so a database is always at a
whole version. Steps are never edited once released: a schema change is a new step appended to
:data:`MIGRATIONS`. tests/core/store_fixtures holds a database written at every released
version, and the tests migrate each of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from pmo_core._errors import StoreError

from ._common import pack_hash
from ._sqlite_search import fill_search_text
from .chain import GENESIS, entry_text, hasher

__all__ = ["LATEST_VERSION", "MIGRATIONS", "Migration", "current_version", "migrate"]

#: One step of a migration: an SQL statement, or a function that rewrites data with Python
#: (run on the migrating connection, inside the migration's transaction).
Statement = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: the statements that take a database from ``version - 1`` to it.

    Example::

        Migration(3, "add a tags column", ("ALTER TABLE documents ADD COLUMN tags TEXT",))
    """

    version: int
    description: str
    statements: tuple[Statement, ...]


def _chain_existing_entries(conn: sqlite3.Connection) -> None:
    """Give every journal entry written before the hash chain its ``prev_hash`` and ``hash``.

    The entries are hashed as they were stored (their documents' text included, whatever its
    key order), in ``seq`` order, a batch at a time so a large journal is not held in memory.
    """
    sha256 = hasher()
    prev, last = GENESIS, 0
    while True:
        rows = conn.execute(
            "SELECT seq, txn_id, at, actor, command, kind, id, owner, op, version, before, after"
            " FROM journal WHERE seq > ? ORDER BY seq LIMIT 5000",
            (last,),
        ).fetchall()
        if not rows:
            return
        updates = []
        for row in rows:
            hash = sha256((prev + entry_text(*row)).encode("utf-8", "surrogateescape")).hexdigest()
            updates.append((prev, hash, row[0]))
            prev = hash
        conn.executemany("UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", updates)
        last = rows[-1][0]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, journal and transactions tables",
        (
            """
            CREATE TABLE documents (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                owner TEXT,
                version INTEGER NOT NULL CHECK (version >= 1),
                data TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            )
            """,
            """
            CREATE TABLE transactions (
                txn_id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                command TEXT NOT NULL,
                change_count INTEGER NOT NULL
            )
            """,
            # The transactions row is written just before COMMIT (when the change count is
            # known), after its journal rows: hence the deferred foreign key.
            """
            CREATE TABLE journal (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                txn_id TEXT NOT NULL
                    REFERENCES transactions (txn_id) DEFERRABLE INITIALLY DEFERRED,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                command TEXT NOT NULL,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                owner TEXT,
                op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
                version INTEGER NOT NULL,
                before TEXT,
                after TEXT
            )
            """,
        ),
    ),
    Migration(
        2,
        "owner and as-of indexes; append-only journal and transactions",
        (
            "CREATE INDEX documents_by_owner ON documents (kind, owner, id)",
            # As-of reads pick the latest entry per (kind, id) with at <= when.
            "CREATE INDEX journal_by_kind_id_at ON journal (kind, id, at)",
            "CREATE INDEX journal_by_txn ON journal (txn_id)",
            "CREATE INDEX journal_by_at ON journal (at)",
            """
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
            """,
            """
            CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
            """,
            """
            CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions
            BEGIN SELECT RAISE(ABORT, 'the transaction log is append-only'); END
            """,
            """
            CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
            BEGIN SELECT RAISE(ABORT, 'the transaction log is append-only'); END
            """,
        ),
    ),
    Migration(
        3,
        "journal index by owner, for as-of reads filtered by owner",
        ("CREATE INDEX journal_by_kind_owner ON journal (kind, owner, id)",),
    ),
    Migration(
        4,
        "hash-chained journal: every entry commits to the one before it",
        (
            "ALTER TABLE journal ADD COLUMN prev_hash TEXT",
            "ALTER TABLE journal ADD COLUMN hash TEXT",
            # The entries already written get their hashes here, the one update the journal
            # ever takes: its append-only trigger is lifted for this transaction only.
            "DROP TRIGGER IF EXISTS journal_no_update",
            _chain_existing_entries,
            """
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "compressed journal documents; no journal index on time alone",
        (
            # Reads by time find their range of seq through the transactions (see
            # SQLiteStore.journal); every other query has its own index. Documents longer
            # than 400 characters are written compressed from this version on (older
            # entries stay text: both read back alike), which needs no schema change.
            "DROP INDEX IF EXISTS journal_by_at",
        ),
    ),
)


def _journal_without_repeats(conn: sqlite3.Connection) -> None:
    """Rewrite the journal without ``at``, ``actor`` and ``command`` and with 32-byte hashes.

    The three columns repeat the entry's transaction record (verify checked that they agree;
    an entry that disagreed no longer gives its hash once they are read from the transaction,
    so it is still reported, as altered). The rows keep their ``seq`` and the highest seq ever
    given stays recorded, so a deleted tail remains a visible gap.
    """
    given = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    conn.create_function("pmo_hash_blob", 1, pack_hash, deterministic=True)
    conn.execute(
        "INSERT INTO journal_v6 (seq, txn_id, kind, id, owner, op, version, before, after,"
        " prev_hash, hash) SELECT seq, txn_id, kind, id, owner, op, version, before, after,"
        " pmo_hash_blob(prev_hash), pmo_hash_blob(hash) FROM journal ORDER BY seq"
    )
    conn.execute("DROP TABLE journal")
    conn.execute("ALTER TABLE journal_v6 RENAME TO journal")
    if given is not None:
        conn.execute(
            "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'journal'", (given[0],)
        )
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'journal', ? WHERE NOT EXISTS"
            " (SELECT 1 FROM sqlite_sequence WHERE name = 'journal')",
            (given[0],),
        )


MIGRATIONS += (
    Migration(
        6,
        "journal entries take their time, actor and command from their transaction; "
        "hashes as 32 bytes",
        (
            # The triggers go with the old table and are made again, unchanged, below.
            "DROP TRIGGER IF EXISTS journal_no_update",
            "DROP TRIGGER IF EXISTS journal_no_delete",
            """
            CREATE TABLE journal_v6 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                txn_id TEXT NOT NULL
                    REFERENCES transactions (txn_id) DEFERRABLE INITIALLY DEFERRED,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                owner TEXT,
                op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
                version INTEGER NOT NULL,
                before TEXT,
                after TEXT,
                prev_hash BLOB,
                hash BLOB
            )
            """,
            _journal_without_repeats,
            # As-of reads find the latest entry per (kind, id) by seq (the rowid every index
            # ends with), their time from the transaction.
            "CREATE INDEX journal_by_kind_id ON journal (kind, id)",
            "CREATE INDEX journal_by_kind_owner ON journal (kind, owner, id)",
            "CREATE INDEX journal_by_txn ON journal (txn_id)",
            """
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
            """,
            """
            CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END
            """,
        ),
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "the text of every document, for full-text search",
        (
            # The FTS5 index over it is made when the store is opened (see _sqlite_search):
            # a Python whose SQLite lacks FTS5 still migrates and opens the store.
            """
            CREATE TABLE search_text (
                rowid INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                text TEXT NOT NULL,
                UNIQUE (kind, id)
            )
            """,
            fill_search_text,
        ),
    ),
)

#: The schema version this code writes.
LATEST_VERSION: int = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new one).

    Example::

        assert current_version(sqlite3.connect(":memory:")) == 0
    """
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _too_new(found: int, target: int) -> StoreError:
    return StoreError(
        f"store schema version {found} is newer than this pmo-core supports ({target}); "
        "upgrade pmo-core to open it"
    )


def migrate(conn: sqlite3.Connection, *, target: int | None = None) -> int:
    """Apply every pending step up to ``target`` (default: latest) in one transaction.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Returns the version the
    database is at afterwards. Raises ``StoreError`` if the database is newer than the code.

    Example::

        conn = sqlite3.connect("pmo.db", isolation_level=None)
        assert migrate(conn) == LATEST_VERSION
    """
    goal = LATEST_VERSION if target is None else target
    if not 0 <= goal <= LATEST_VERSION:
        raise StoreError(f"unknown schema version {goal}; latest is {LATEST_VERSION}")
    found = current_version(conn)
    if found > LATEST_VERSION:
        raise _too_new(found, LATEST_VERSION)
    if found >= goal:
        return found
    # A step that rebuilds a table copies its rows as they are, entries a damaged store holds
    # without a transaction record included (verify reports them): SQLite's advice for a
    # rebuild is to check no foreign keys meanwhile (the pragma is a no-op in a transaction).
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return _migrate(conn, goal)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def _migrate(conn: sqlite3.Connection, goal: int) -> int:
    try:
        # IMMEDIATE takes the write lock first, so two processes opening a new database at
        # once do not both run step 1: the second waits, then re-reads the version.
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot migrate the store: {exc}") from exc
    try:
        found = current_version(conn)
        if found > LATEST_VERSION:
            raise _too_new(found, LATEST_VERSION)
        for step in MIGRATIONS:
            if found < step.version <= goal:
                for statement in step.statements:
                    if callable(statement):
                        statement(conn)
                    else:
                        conn.execute(statement)
                found = step.version
        # user_version lives in the database header and is written by this transaction.
        conn.execute(f"PRAGMA user_version = {int(found)}")
        conn.execute("COMMIT")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"store migration failed: {exc}") from exc
        raise
    return found
