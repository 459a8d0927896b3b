"""What a PostgreSQL store's parts share: the pool, reads, and the as-of view.

A read takes a pooled connection for one statement and gives it back before the caller
iterates (an unfinished read never holds one), except in a thread that has a transaction
open on the store: its reads go through the transaction's connection and see its writes.
The journal, which can be long, streams through a server-side cursor instead.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg_pool import ConnectionPool, PoolTimeout

from pmo_core import ANY, Document, InvalidInputError, JournalEntry, SearchHit, StoreError

from . import _checks as c
from ._schema import statement
from ._search import scan
from ._url import ServerUrl

DOC_COLUMNS = "kind, id, owner, version, data::text, updated_at, updated_by"
# An entry's time, actor and command are its transaction's (the journal does not repeat
# them): reads join the transaction record.
JOURNAL_COLUMNS = (
    "j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op, j.version,"
    " j.before::text, j.after::text, j.hash"
)
JOURNAL_FROM = "{s}.journal AS j LEFT JOIN {s}.transactions AS t ON t.txn_id = j.txn_id"
# (txn_id, at, actor, command) of this thread's open transaction, whose record is written
# at COMMIT.
Pending = tuple[str, datetime, str, str] | None


def utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc)


def document(row: Sequence[Any]) -> Document:
    kind, id, owner, version, data, updated_at, updated_by = row
    return Document(kind, id, owner, version, json.loads(data), utc(updated_at), updated_by)


def hash_text(value: bytes | None) -> str:
    """A stored hash (32 bytes) as the hex text the chain uses."""
    return "" if value is None else bytes(value).hex()


def entries(pending: Pending) -> Callable[[Sequence[Any]], JournalEntry]:
    """The maker of journal entries from rows of ``JOURNAL_COLUMNS``: the open transaction's
    entries take their time, actor and command from it until its record is written."""

    def make(row: Sequence[Any]) -> JournalEntry:
        if row[2] is None:
            if pending is None or row[1] != pending[0]:
                raise StoreError(f"journal entry seq {row[0]} has no transaction record")
            row = (*row[:2], *pending[1:], *row[5:])
        return entry(row)

    return make


def entry(row: Sequence[Any]) -> JournalEntry:
    seq, txn, at, actor, command, kind, id, owner, op, version, before, after, hash = row
    return JournalEntry(
        seq,
        txn,
        utc(at),
        actor,
        command,
        kind,
        id,
        owner,
        op,
        version,
        c.loads_opt(before),
        c.loads_opt(after),
        hash_text(hash),
    )


def owner_sql(owner: object, params: list[Any]) -> str:
    if owner is ANY:
        return ""
    if owner is None:
        return " AND owner IS NULL"
    if isinstance(owner, frozenset):
        # One array parameter: a chunk of a thousand owners binds one value.
        params.append(sorted(owner))
        return " AND owner = ANY(%s)"
    params.append(owner)
    return " AND owner = %s"


def ids_sql(ids: Collection[str] | None, params: list[Any]) -> str:
    if ids is None:
        return ""
    if isinstance(ids, str):
        raise InvalidInputError("ids must be a collection of ids, not a single string")
    params.append([c.check_id(i) for i in ids])
    return " AND id = ANY(%s)"


def time_sql(
    since: datetime | None, until: datetime | None, params: list[Any], column: str = "at"
) -> str:
    where = ""
    if since is not None:
        where += f" AND {column} >= %s"
        params.append(c.aware(since, "since"))
    if until is not None:
        where += f" AND {column} <= %s"
        params.append(c.aware(until, "until"))
    return where


class Session:
    """What the store, its transactions and its views share: the pool, the schema, the URL
    as shown, and the open transaction of each thread (its reads see its own writes)."""

    def __init__(self, url: ServerUrl, pool: ConnectionPool, lock_timeout: float) -> None:
        self.url = url
        self.pool: ConnectionPool | None = pool
        self.schema = url.schema
        self.lock_timeout = lock_timeout
        self.local = threading.local()

    def sql(self, text: str) -> sql.Composed:
        return statement(text, self.schema)

    def busy(self) -> StoreError:
        # The lock that was waited for is the chain head (or the migration lock): another pmo
        # command, or an embedding app's write, on the same store.
        return StoreError(
            f"another pmo command is writing to {self.url.shown}; waited "
            f"{self.lock_timeout:g} s; try again, or raise [workspace] lock_timeout in pmo.toml"
        )

    def error(self, exc: BaseException, doing: str = "cannot read the store") -> BaseException:
        if isinstance(exc, errors.LockNotAvailable):
            return self.busy()
        if isinstance(exc, PoolTimeout):
            return StoreError(
                f"every connection to {self.url.shown} is in use (pool_max); waited "
                f"{self.lock_timeout:g} s: raise ?pool_max= in the store URL"
            )
        if isinstance(exc, (psycopg.Error, ValueError)):
            return StoreError(f"{doing} {self.url.shown}: {self.url.mask(str(exc)).strip()}")
        return exc

    def pending(self) -> Pending:
        """``(txn_id, at, actor, command)`` of this thread's open transaction, if it wrote."""
        tx = getattr(self.local, "tx", None)
        return None if tx is None else tx.pending()

    def in_transaction(self) -> bool:
        """Whether this thread has a transaction open on the store."""
        return getattr(self.local, "conn", None) is not None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The thread's transaction connection, or one from the pool for this read."""
        conn: psycopg.Connection[Any] | None = getattr(self.local, "conn", None)
        if conn is not None:
            yield conn
            return
        pool = self.pool
        if pool is None:
            raise StoreError(f"the store {self.url.shown} is closed")
        try:
            with pool.connection(timeout=max(self.lock_timeout, 1.0)) as conn:
                yield conn
        except (psycopg.Error, PoolTimeout) as exc:
            raise self.error(exc) from None

    def rows(
        self, text: str, params: Sequence[Any], make: Callable[[Any], Any] | None = None
    ) -> Iterator[Any]:
        """Every row of one SELECT, read at once (the connection goes back to the pool
        before the caller iterates, so an unfinished read never holds it)."""
        with self.connection() as conn:
            try:
                found = conn.execute(self.sql(text), params).fetchall()
            except psycopg.Error as exc:
                raise self.error(exc) from None
        return iter(found) if make is None else map(make, found)

    def stream(self, text: str, params: Sequence[Any], make: Callable[[Any], Any]) -> Iterator[Any]:
        """The rows of one SELECT, streamed from the snapshot of this call (the thread's open
        transaction reads them at once instead)."""
        if self.in_transaction():
            return self.rows(text, params, make)
        return _Stream(self, text, params, make)

    def one(self, text: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        with self.connection() as conn:
            try:
                row: tuple[Any, ...] | None = conn.execute(self.sql(text), params).fetchone()
            except psycopg.Error as exc:
                raise self.error(exc) from None
        return row

    def documents(
        self,
        kind: str,
        owner: object,
        ids: Collection[str] | None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        kind, owner = c.check_kind(kind), c.check_owners(owner, owners)
        params: list[Any] = [kind]
        where = "kind = %s" + owner_sql(owner, params) + ids_sql(ids, params)
        return self.rows(
            f"SELECT {DOC_COLUMNS} FROM {{s}}.documents WHERE {where} ORDER BY id",
            params,
            document,
        )

    def document(self, kind: str, id: str) -> Document | None:
        row = self.one(
            f"SELECT {DOC_COLUMNS} FROM {{s}}.documents WHERE kind = %s AND id = %s",
            (c.check_kind(kind), c.check_id(id)),
        )
        return None if row is None else document(row)


def _release(pool: ConnectionPool, conn: psycopg.Connection[Any]) -> None:
    # A read-only transaction: nothing to keep. A broken connection: the pool discards it.
    with suppress(psycopg.Error):
        conn.execute("ROLLBACK")
    pool.putconn(conn)


class _Stream:
    """Rows read through a server-side cursor, a batch at a time, so a long journal is never
    held in memory whole. The cursor is declared when the stream is made (its snapshot is
    that moment's) and its connection goes back to the pool when the rows are read, the
    stream is closed, or it is dropped."""

    _BATCH = 2000

    def __init__(
        self, session: Session, text: str, params: Sequence[Any], make: Callable[[Any], Any]
    ) -> None:
        pool = session.pool
        if pool is None:
            raise StoreError(f"the store {session.url.shown} is closed")
        self._session = session
        self._make = make
        try:
            conn = pool.getconn(timeout=max(session.lock_timeout, 1.0))
        except (psycopg.Error, PoolTimeout) as exc:
            raise session.error(exc) from None
        self._done = weakref.finalize(self, _release, pool, conn)
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor = conn.cursor(name="pmo_stream")
            cursor.itersize = self._BATCH
            cursor.execute(session.sql(text), params)
        except psycopg.Error as exc:
            self._done()
            raise session.error(exc) from None
        self._rows = iter(cursor)

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> Any:
        if not self._done.alive:
            raise StopIteration
        try:
            row = next(self._rows)
        except StopIteration:
            self._done()
            raise
        except psycopg.Error as exc:
            self._done()
            raise self._session.error(exc) from None
        return self._make(row)

    def close(self) -> None:
        self._done()


class PgReadView:
    def __init__(self, session: Session, when: datetime) -> None:
        self._session = session
        self._when = when

    @property
    def at(self) -> datetime:
        return self._when

    def get(self, kind: str, id: str) -> Document | None:
        kind, id = c.check_kind(kind), c.check_id(id)
        row = self._session.one(
            "SELECT j.owner, j.op, j.version, j.after::text, t.at, t.actor FROM {s}.journal AS j"
            " JOIN {s}.transactions AS t ON t.txn_id = j.txn_id"
            " WHERE j.kind = %s AND j.id = %s AND t.at <= %s ORDER BY j.seq DESC LIMIT 1",
            (kind, id, self._when),
        )
        if row is None or row[1] == "delete":
            return None
        owner, _, version, after, at, actor = row
        return Document(kind, id, owner, version, json.loads(after), utc(at), actor)

    def _latest(
        self,
        columns: str,
        kind: str,
        owner: object,
        ids: Collection[str] | None,
        owners: Collection[str] | None = None,
    ) -> tuple[str, list[Any]]:
        kind, owner = c.check_kind(kind), c.check_owners(owner, owners)
        params: list[Any] = [kind, self._when]
        where = ids_sql(ids, params)
        if owner is not ANY:
            # Only an id that had this owner in some entry can have it at the moment: the
            # owner index finds those, so not every entry of the kind is read.
            params.append(kind)
            owned = owner_sql(owner, params)
            where += f" AND j.id IN (SELECT id FROM {{s}}.journal WHERE kind = %s{owned})"
        latest = (
            "SELECT DISTINCT ON (j.id) j.id, j.owner, j.op, j.version, j.after::text AS after,"
            " t.at, t.actor FROM {s}.journal AS j JOIN {s}.transactions AS t"
            f" ON t.txn_id = j.txn_id WHERE j.kind = %s AND t.at <= %s{where}"
            " ORDER BY j.id, j.seq DESC"
        )
        outer = "op <> 'delete'" + owner_sql(owner, params)
        return f"SELECT {columns} FROM ({latest}) AS latest WHERE {outer}", params

    def query(
        self,
        kind: str,
        *,
        owner: Any = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        columns = "id, owner, version, after, at, actor"
        text, params = self._latest(columns, kind, owner, ids, owners)

        def make(row: Sequence[Any]) -> Document:
            id, doc_owner, version, after, at, actor = row
            return Document(kind, id, doc_owner, version, json.loads(after), utc(at), actor)

        return self._session.rows(text + " ORDER BY id", params, make)

    def count(self, kind: str, *, owner: Any = ANY) -> int:
        text, params = self._latest("count(*)", kind, owner, None)
        row = self._session.one(text, params)
        return int(row[0]) if row else 0

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: Any = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        # The index holds today's text: the past is scanned, as it was (every kind with a
        # journal entry may have had documents then).
        present = [
            row[0] for row in self._session.rows("SELECT DISTINCT kind FROM {s}.journal", ())
        ]
        return scan(self.query, present, text, kinds, owner, limit)


def configure(conn: psycopg.Connection[Any]) -> None:
    # Times come back in UTC whatever the server's or the role's default time zone.
    conn.execute("SET TIME ZONE 'UTC'")
