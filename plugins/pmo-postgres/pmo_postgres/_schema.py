"""The PostgreSQL schema: numbered forward steps, applied once each, under an advisory lock.

Every store lives in a schema of its own (``pmo`` unless the URL says ``?schema=``), so one
database can hold several workspaces and nothing else is touched. ``schema_migrations``
records each step applied. Opening a store applies the pending steps, each in its own
transaction, while holding a session advisory lock on the schema's name: a second process
opening the same new store waits for the first, then finds nothing left to do. Steps are never
edited once released; a change is a new step appended to :data:`MIGRATIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg import Connection, sql

from pmo_core import InvalidInputError, StoreError

from ._checks import GENESIS
from ._search import fill_search_text

if TYPE_CHECKING:
    from typing_extensions import LiteralString

__all__ = ["LATEST_VERSION", "MIGRATIONS", "grant_statements", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: the statements taking a schema from ``version - 1`` to ``version``;
    ``{s}`` stands for the store's schema. ``then`` (given the connection and the schema)
    rewrites data with Python after them, in the same transaction."""

    version: int
    description: str
    statements: tuple[LiteralString, ...]
    then: Callable[[Connection[Any], str], None] | None = None


# The words the append-only triggers raise with, as SQLite's triggers do.
_APPEND_ONLY = {"journal": "journal", "transactions": "transaction log"}

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, journal, transactions and the chain head",
        (
            "CREATE SCHEMA IF NOT EXISTS {s}",
            """CREATE TABLE {s}.schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )""",
            # Keys in the "C" collation: ids sort by code point, as in SQLite and Python,
            # whatever the database's locale.
            # data is json, not jsonb: json keeps the text exactly as written (key order
            # included), which the journal's hash covers, and still answers ->/#> for values().
            """CREATE TABLE {s}.documents (
                kind text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                owner text COLLATE "C",
                version integer NOT NULL CHECK (version >= 1),
                data json NOT NULL,
                updated_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                PRIMARY KEY (kind, id)
            )""",
            "CREATE INDEX documents_by_owner ON {s}.documents (kind, owner, id)",
            # position: commit order (writers take the chain head in turn, so rows arrive in
            # the order their transactions commit).
            """CREATE TABLE {s}.transactions (
                position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                txn_id text PRIMARY KEY,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                command text NOT NULL,
                change_count integer NOT NULL
            )""",
            # The transactions row is written just before COMMIT, once the change count is
            # known, after its journal rows: hence the deferred foreign key.
            """CREATE TABLE {s}.journal (
                seq bigint PRIMARY KEY,
                txn_id text NOT NULL REFERENCES {s}.transactions (txn_id)
                    DEFERRABLE INITIALLY DEFERRED,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                command text NOT NULL,
                kind text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                owner text COLLATE "C",
                op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
                version integer NOT NULL,
                before json,
                after json,
                prev_hash text NOT NULL,
                hash text NOT NULL
            )""",
            # As-of reads take the latest entry per (kind, id) up to a moment.
            "CREATE INDEX journal_by_kind_id ON {s}.journal (kind, id, seq)",
            "CREATE INDEX journal_by_kind_owner ON {s}.journal (kind, owner, id)",
            "CREATE INDEX journal_by_txn ON {s}.journal (txn_id)",
            "CREATE INDEX journal_by_at ON {s}.journal (at)",
            # The seq and hash the next entry chains onto. A writer locks this one row before
            # its first write and keeps it to COMMIT: two transactions cannot fork the chain,
            # and seq never goes back (entries deleted from the end stay a visible gap).
            """CREATE TABLE {s}.chain_head (
                one boolean PRIMARY KEY DEFAULT true CHECK (one),
                seq bigint NOT NULL,
                hash text NOT NULL
            )""",
            f"INSERT INTO {{s}}.chain_head (seq, hash) VALUES (0, '{GENESIS}')",
        ),
    ),
    Migration(
        2,
        "append-only journal and transactions: triggers and privileges",
        (
            """CREATE FUNCTION {s}.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the % is append-only', TG_ARGV[0]
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$""",
            # FOR EACH STATEMENT: an UPDATE or DELETE is refused even when it matches no row,
            # and TRUNCATE (which fires no row trigger) is refused too.
            """CREATE TRIGGER journal_append_only
                BEFORE UPDATE OR DELETE OR TRUNCATE ON {s}.journal
                FOR EACH STATEMENT EXECUTE FUNCTION {s}.append_only('journal')""",
            """CREATE TRIGGER transactions_append_only
                BEFORE UPDATE OR DELETE OR TRUNCATE ON {s}.transactions
                FOR EACH STATEMENT EXECUTE FUNCTION {s}.append_only('transaction log')""",
            # Nobody is granted the right to rewrite history. The owner keeps UPDATE on the
            # transaction log only because the journal's foreign key locks the row it points
            # to (FOR KEY SHARE needs it); the trigger still refuses every UPDATE.
            "REVOKE UPDATE, DELETE, TRUNCATE ON {s}.journal, {s}.transactions FROM PUBLIC",
            "REVOKE UPDATE, DELETE, TRUNCATE ON {s}.journal FROM CURRENT_USER",
            "REVOKE DELETE, TRUNCATE ON {s}.transactions FROM CURRENT_USER",
        ),
    ),
    Migration(
        3,
        "journal entries take their time, actor and command from their transaction; "
        "hashes as 32 bytes",
        (
            # Reads by time find their transactions first (see PostgresStore.journal).
            "DROP INDEX IF EXISTS {s}.journal_by_at",
            # The three columns repeat the transaction record (verify checked that they
            # agree; an entry that disagreed no longer gives its hash once they are read from
            # the record, so it is still reported, as altered).
            "ALTER TABLE {s}.journal DROP COLUMN at, DROP COLUMN actor, DROP COLUMN command",
            # A hash as its 32 bytes; anything else (text written around the store) as the
            # bytes of its text, which reads back as no hash it could match.
            """ALTER TABLE {s}.journal
                ALTER COLUMN prev_hash TYPE bytea USING
                    CASE WHEN prev_hash ~ '^[0-9a-f]{{64}}$' THEN decode(prev_hash, 'hex')
                    ELSE convert_to(prev_hash, 'UTF8') END,
                ALTER COLUMN hash TYPE bytea USING
                    CASE WHEN hash ~ '^[0-9a-f]{{64}}$' THEN decode(hash, 'hex')
                    ELSE convert_to(hash, 'UTF8') END""",
        ),
    ),
)


MIGRATIONS += (
    Migration(
        4,
        "the text of every document, for full-text search",
        (
            # The first 100,000 characters of a document's text are indexed: a tsvector
            # holds at most 1 MB, and a longer one would refuse the write.
            """CREATE TABLE {s}.search_text (
                kind text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                text text NOT NULL,
                words tsvector GENERATED ALWAYS AS
                    (to_tsvector('simple'::regconfig, left(text, 100000))) STORED,
                PRIMARY KEY (kind, id)
            )""",
            "CREATE INDEX search_text_words ON {s}.search_text USING gin (words)",
        ),
        then=fill_search_text,
    ),
)

#: The schema version this code writes.
LATEST_VERSION: int = MIGRATIONS[-1].version

#: The append-only triggers verify() expects: name -> (table, what its message calls it).
TRIGGERS = {f"{table}_append_only": (table, words) for table, words in _APPEND_ONLY.items()}
#: The body of the trigger function, whitespace-normalised.
TRIGGER_BODY = " ".join(
    re.search(r"\$\$(.*)\$\$", MIGRATIONS[1].statements[0], re.S).group(1).split()  # type: ignore[union-attr]
)


def statement(text: LiteralString, schema: str) -> sql.Composed:
    return sql.SQL(text).format(s=sql.Identifier(schema))


def current_version(conn: Connection[Any], schema: str) -> int:
    """The version recorded in ``schema`` (0: no pmo store there)."""
    row = conn.execute(
        "SELECT to_regclass(format('%%I.schema_migrations', %s::text))", (schema,)
    ).fetchone()
    if row is None or row[0] is None:
        return 0
    found = conn.execute(
        statement("SELECT coalesce(max(version), 0) FROM {s}.schema_migrations", schema)
    ).fetchone()
    return int(found[0]) if found else 0


def _other_tables(conn: Connection[Any], schema: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v')",
        (schema,),
    ).fetchone()
    return int(row[0]) if row else 0


def _too_new(found: int) -> StoreError:
    return StoreError(
        f"store schema version {found} is newer than this pmo-postgres supports "
        f"({LATEST_VERSION}); upgrade pmo-postgres to open it"
    )


def require_store(conn: Connection[Any], schema: str, shown: str, *, create: bool) -> int:
    """The version found, or ``StoreError`` when ``schema`` holds no pmo store and may not
    get one (``create`` false, or tables of something else there)."""
    found = current_version(conn, schema)
    if found > LATEST_VERSION:
        raise _too_new(found)
    if found:
        return found
    if _other_tables(conn, schema):
        # Another process may have just committed its first step between the two reads:
        # wait for any migration of this schema under way, then read the version again.
        found = _settled_version(conn, schema)
        if found > LATEST_VERSION:
            raise _too_new(found)
        if found:
            return found
        raise StoreError(
            f"the store {shown} is not a valid pmo store: schema {schema!r} holds tables of "
            "something else (tables but no pmo schema version); name another with ?schema="
        )
    if not create:
        raise StoreError(
            f"the store {shown} is missing (schema {schema!r} holds no pmo store): restore it "
            "from a backup, or run 'pmo init' in another directory to start a new workspace"
        )
    return 0


def _settled_version(conn: Connection[Any], schema: str) -> int:
    """The version once no other process is migrating ``schema`` (its lock is waited for)."""
    key = f"pmo-postgres migrate {schema}"
    conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
    try:
        return current_version(conn, schema)
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))


def migrate(conn: Connection[Any], schema: str, *, target: int | None = None) -> int:
    """Apply every pending step up to ``target`` (default: the latest), one transaction each.

    ``conn`` is in autocommit mode. Returns the version the schema is at afterwards.
    """
    goal = LATEST_VERSION if target is None else target
    if not 0 <= goal <= LATEST_VERSION:
        raise StoreError(f"unknown schema version {goal}; latest is {LATEST_VERSION}")
    if current_version(conn, schema) >= goal:
        return current_version(conn, schema)
    key = f"pmo-postgres migrate {schema}"
    # A session lock (not a transaction one): it spans the steps' transactions. It waits up
    # to the connection's lock_timeout for another process migrating the same schema.
    conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
    try:
        found = current_version(conn, schema)  # what the other process left
        if found > LATEST_VERSION:
            raise _too_new(found)
        for step in MIGRATIONS:
            if found < step.version <= goal:
                with conn.transaction():
                    for text in step.statements:
                        conn.execute(statement(text, schema))
                    if step.then is not None:
                        step.then(conn, schema)
                    conn.execute(
                        statement(
                            "INSERT INTO {s}.schema_migrations (version, description) "
                            "VALUES (%s, %s)",
                            schema,
                        ),
                        (step.version, step.description),
                    )
                found = step.version
        return found
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))


_ROLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}\Z")


def grant_statements(role: str, schema: str = "pmo") -> list[str]:
    """The SQL that lets ``role`` use a pmo store in ``schema`` and nothing more.

    The role may read everything, write documents and move the chain head, and only append
    to the journal and the transaction log (SELECT and INSERT: no UPDATE, DELETE or
    TRUNCATE). It owns nothing, so it cannot drop or disable the append-only triggers or
    change the schema: run ``pmo init`` (and upgrades, which migrate) as the owning role, and
    everyday commands as this one.

    Example::

        from pmo_postgres import grant_statements

        for line in grant_statements("pmo_app"):
            print(line)
        # GRANT USAGE ON SCHEMA "pmo" TO "pmo_app"; ...
    """
    for name, what in ((role, "role"), (schema, "schema")):
        if not isinstance(name, str) or not _ROLE_RE.match(name):
            raise InvalidInputError(
                f"invalid {what} name {name!r}: letters, digits and _, not starting with a digit",
                where=what,
            )
    r, s = f'"{role}"', f'"{schema}"'
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {r};",
        f"GRANT SELECT ON {s}.schema_migrations TO {r};",
        f"GRANT SELECT, INSERT ON {s}.journal, {s}.transactions TO {r};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.documents TO {r};",
        f"GRANT SELECT, UPDATE ON {s}.chain_head TO {r};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.search_text TO {r};",
    ]
