"""``PostgresStore``: the store protocol on PostgreSQL, with the SQLite store's behaviour.

One connection pool per store object; a transaction holds one connection from it, so the
store can be shared by the threads of a web app. Writers take the chain head row (``SELECT
... FOR UPDATE``) before their first write and keep it until COMMIT: pmo's writes to one
store are serialised as SQLite's ``BEGIN IMMEDIATE`` serialises them, the journal's hash
chain cannot fork, and journal time follows commit order.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg_pool import ConnectionPool, PoolTimeout

from pmo_core import (
    ANY,
    KEEP,
    Change,
    ConflictError,
    Document,
    InvalidInputError,
    JournalEntry,
    NotFoundError,
    ReadView,
    Store,
    StoreError,
    Transaction,
    TransactionInfo,
    VerifyResult,
)

from . import _checks as c
from ._copy import copy_journal
from ._schema import migrate, require_store, statement
from ._url import ServerUrl
from ._verify import verify_postgres

__all__ = ["DEFAULT_LOCK_TIMEOUT", "PostgresStore"]

#: Seconds a write waits for another writer (``[workspace] lock_timeout``), as for SQLite.
DEFAULT_LOCK_TIMEOUT = 60.0

_DOC_COLUMNS = "kind, id, owner, version, data::text, updated_at, updated_by"
_JOURNAL_COLUMNS = (
    "seq, txn_id, at, actor, command, kind, id, owner, op, version, before::text, after::text, hash"
)
_INSERT_JOURNAL = (
    "INSERT INTO {s}.journal (seq, txn_id, at, actor, command, kind, id, owner, op, version,"
    " before, after, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
    " %s, %s)"
)
_PSEUDO_COLUMNS = {
    "@id": "id",
    "@owner": "owner",
    "@version": "version",
    "@updated_at": "updated_at",
    "@updated_by": "updated_by",
}


def _utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc)


def _document(row: Sequence[Any]) -> Document:
    kind, id, owner, version, data, updated_at, updated_by = row
    return Document(kind, id, owner, version, json.loads(data), _utc(updated_at), updated_by)


def _entry(row: Sequence[Any]) -> JournalEntry:
    seq, txn, at, actor, command, kind, id, owner, op, version, before, after, hash = row
    return JournalEntry(
        seq,
        txn,
        _utc(at),
        actor,
        command,
        kind,
        id,
        owner,
        op,
        version,
        c.loads_opt(before),
        c.loads_opt(after),
        hash,
    )


def _owner_sql(owner: object, params: list[Any]) -> str:
    if owner is ANY:
        return ""
    if owner is None:
        return " AND owner IS NULL"
    params.append(owner)
    return " AND owner = %s"


def _ids_sql(ids: Collection[str] | None, params: list[Any]) -> str:
    if ids is None:
        return ""
    if isinstance(ids, str):
        raise InvalidInputError("ids must be a collection of ids, not a single string")
    params.append([c.check_id(i) for i in ids])
    return " AND id = ANY(%s)"


def _time_sql(since: datetime | None, until: datetime | None, params: list[Any]) -> str:
    where = ""
    if since is not None:
        where += " AND at >= %s"
        params.append(c.aware(since, "since"))
    if until is not None:
        where += " AND at <= %s"
        params.append(c.aware(until, "until"))
    return where


class _Session:
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

    def transaction(self) -> _PgTransaction | None:
        tx: _PgTransaction | None = getattr(self.local, "txn", None)
        return tx

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The thread's transaction connection, or one from the pool for this read."""
        tx = self.transaction()
        if tx is not None:
            yield tx._conn
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

    def one(self, text: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        with self.connection() as conn:
            try:
                row: tuple[Any, ...] | None = conn.execute(self.sql(text), params).fetchone()
            except psycopg.Error as exc:
                raise self.error(exc) from None
        return row

    def documents(
        self, kind: str, owner: object, ids: Collection[str] | None
    ) -> Iterator[Document]:
        kind, owner = c.check_kind(kind), c.check_owner_filter(owner)
        params: list[Any] = [kind]
        where = "kind = %s" + _owner_sql(owner, params) + _ids_sql(ids, params)
        return self.rows(
            f"SELECT {_DOC_COLUMNS} FROM {{s}}.documents WHERE {where} ORDER BY id",
            params,
            _document,
        )

    def document(self, kind: str, id: str) -> Document | None:
        row = self.one(
            f"SELECT {_DOC_COLUMNS} FROM {{s}}.documents WHERE kind = %s AND id = %s",
            (c.check_kind(kind), c.check_id(id)),
        )
        return None if row is None else _document(row)


class _PgTransaction:
    def __init__(
        self,
        session: _Session,
        conn: psycopg.Connection[Any],
        clock: Callable[[], datetime],
        actor: str,
        command: str,
    ) -> None:
        self._session = session
        self._conn = conn
        self._clock = clock
        self._txn_id = c.new_txn_id()
        self._actor = actor
        self._command = command
        self._log = c.ChangeLog()
        self._open = True
        # (seq, hash) of the chain head and the transaction's time: both taken at the first
        # write, once the head row is locked.
        self._head: tuple[int, str] | None = None
        self._at = datetime.min.replace(tzinfo=timezone.utc)

    @property
    def txn_id(self) -> str:
        return self._txn_id

    @property
    def changes(self) -> list[Change]:
        return self._log.materialize()

    def _live(self) -> psycopg.Connection[Any]:
        if not self._open:
            raise StoreError("the transaction is closed: write inside its 'with' block")
        return self._conn

    def _execute(self, text: str, params: Sequence[Any]) -> psycopg.Cursor[Any]:
        try:
            return self._conn.execute(self._session.sql(text), params)
        except psycopg.Error as exc:
            raise self._session.error(exc, "cannot write to the store") from None

    def _chain_head(self) -> tuple[int, str]:
        if self._head is None:
            row = self._execute("SELECT seq, hash FROM {s}.chain_head FOR UPDATE", ()).fetchone()
            if row is None:
                raise StoreError(f"the store {self._session.url.shown} has no chain head row")
            self._head = (int(row[0]), str(row[1]))
            # Stamped once the head is held, so journal time follows commit order even
            # across processes (as-of reads rely on it).
            self._at = c.clock_time(self._clock)
        return self._head

    def _journal(self, change: c.RawChange) -> None:
        op, kind, id, owner, version, before, after = change
        seq, prev = self._chain_head()
        seq += 1
        at = c.format_time(self._at)
        text = c.entry_text(
            seq, self._txn_id, at, self._actor, self._command, kind, id, owner, op, version,
            before, after,
        )  # fmt: skip
        hash = c.entry_hash(prev, text)
        self._execute(
            _INSERT_JOURNAL,
            (
                seq, self._txn_id, self._at, self._actor, self._command, kind, id, owner, op,
                version, before, after, prev, hash,
            ),
        )  # fmt: skip
        self._head = (seq, hash)
        self._log.record(change)

    def _current(self, kind: str, id: str, expected: int) -> tuple[str | None, int, str]:
        self._chain_head()  # locked first: nobody else writes between this check and COMMIT
        row = self._execute(
            "SELECT owner, version, data::text FROM {s}.documents WHERE kind = %s AND id = %s",
            (kind, id),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"kind {kind!r} id {id!r} not found")
        if row[1] != expected:
            raise ConflictError(
                f"kind {kind!r} id {id!r} changed since it was read: "
                f"expected version {expected}, current version {row[1]}"
            )
        return row[0], row[1], row[2]

    def insert(
        self, kind: str, id: str, data: dict[str, Any], *, owner: str | None = None
    ) -> Document:
        self._live()
        kind, id, owner = c.check_kind(kind), c.check_id(id), c.check_owner(owner)
        text = c.dumps(data)
        self._chain_head()
        # ON CONFLICT: a duplicate is refused without aborting the transaction, which the
        # caller may carry on with.
        written = self._execute(
            "INSERT INTO {s}.documents (kind, id, owner, version, data, updated_at, updated_by)"
            " VALUES (%s, %s, %s, 1, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
            (kind, id, owner, text, self._at, self._actor),
        ).fetchone()
        if written is None:
            raise ConflictError(f"kind {kind!r} id {id!r} already exists")
        self._journal(("insert", kind, id, owner, 1, None, text))
        return Document(kind, id, owner, 1, json.loads(text), self._at, self._actor)

    def insert_many(self, kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]]) -> int:
        conn = self._live()
        kind = c.check_kind(kind)
        check_id, check_owner, dumps = c.check_id, c.check_owner, c.dumps
        prepared = [(check_id(i), check_owner(o), dumps(d)) for i, o, d in rows]
        if not prepared:
            return 0
        seen: set[str] = set()
        for id, _, _ in prepared:
            if id in seen:
                raise ConflictError(f"kind {kind!r} id {id!r} already exists")
            seen.add(id)
        head = self._chain_head()
        clash = self._execute(
            "SELECT id FROM {s}.documents WHERE kind = %s AND id = ANY(%s) ORDER BY id LIMIT 1",
            (kind, sorted(seen)),
        ).fetchone()
        if clash is not None:
            raise ConflictError(f"kind {kind!r} id {clash[0]!r} already exists")
        journal = list(self._chained(head, kind, prepared))
        at, actor = self._at, self._actor
        try:
            # A savepoint: a batch that fails half-way leaves the transaction as it was.
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(
                    self._session.sql(
                        "COPY {s}.documents (kind, id, owner, version, data, updated_at,"
                        " updated_by) FROM STDIN"
                    )
                ) as copy:
                    for id, owner, text in prepared:
                        copy.write_row((kind, id, owner, 1, text, at, actor))
                with cur.copy(
                    self._session.sql(
                        "COPY {s}.journal (seq, txn_id, at, actor, command, kind, id, owner, op,"
                        " version, before, after, prev_hash, hash) FROM STDIN"
                    )
                ) as copy:
                    for row in journal:
                        copy.write_row(row)
        except psycopg.Error as exc:
            raise self._session.error(exc, "cannot write to the store") from None
        self._head = (journal[-1][0], journal[-1][-1])
        self._log.extend(
            [("insert", kind, id, owner, 1, None, text) for id, owner, text in prepared]
        )
        return len(prepared)

    def _chained(
        self, head: tuple[int, str], kind: str, prepared: list[tuple[str, str | None, str]]
    ) -> Iterator[tuple[Any, ...]]:
        seq, prev = head
        at, txn_id, actor, command = (
            c.format_time(self._at),
            self._txn_id,
            self._actor,
            self._command,
        )
        for id, owner, text in prepared:
            seq += 1
            entry = c.entry_text(
                seq, txn_id, at, actor, command, kind, id, owner, "insert", 1, None, text
            )
            hash = c.entry_hash(prev, entry)
            yield (
                seq, txn_id, self._at, actor, command, kind, id, owner, "insert", 1, None, text,
                prev, hash,
            )  # fmt: skip
            prev = hash

    def update(
        self,
        kind: str,
        id: str,
        data: dict[str, Any],
        *,
        expected_version: int,
        owner: Any = KEEP,
    ) -> Document:
        self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner = c.check_owner_update(owner)
        text = c.dumps(data)
        old_owner, version, before = self._current(kind, id, expected)
        new_owner = old_owner if owner is KEEP else owner
        version += 1
        changed = self._execute(
            "UPDATE {s}.documents SET owner = %s, version = %s, data = %s, updated_at = %s,"
            " updated_by = %s WHERE kind = %s AND id = %s AND version = %s",
            (new_owner, version, text, self._at, self._actor, kind, id, expected),
        )
        if changed.rowcount != 1:  # written around the chain head: still a conflict
            raise ConflictError(f"kind {kind!r} id {id!r} changed since it was read")
        self._journal(("update", kind, id, new_owner, version, before, text))
        return Document(kind, id, new_owner, version, json.loads(text), self._at, self._actor)

    def delete(self, kind: str, id: str, *, expected_version: int) -> None:
        self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner, version, before = self._current(kind, id, expected)
        changed = self._execute(
            "DELETE FROM {s}.documents WHERE kind = %s AND id = %s AND version = %s",
            (kind, id, expected),
        )
        if changed.rowcount != 1:
            raise ConflictError(f"kind {kind!r} id {id!r} changed since it was read")
        self._journal(("delete", kind, id, owner, version, before, None))

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        return self._session.document(kind, id)

    def query(
        self, kind: str, *, owner: Any = ANY, ids: Collection[str] | None = None
    ) -> Iterator[Document]:
        self._live()
        return self._session.documents(kind, owner, ids)

    def _finish(self) -> None:
        """Record the transaction and move the chain head; COMMIT follows."""
        self._open = False
        if not self._log or self._head is None:
            return
        self._execute(
            "INSERT INTO {s}.transactions (txn_id, at, actor, command, change_count)"
            " VALUES (%s, %s, %s, %s, %s)",
            (self._txn_id, self._at, self._actor, self._command, len(self._log)),
        )
        self._execute("UPDATE {s}.chain_head SET seq = %s, hash = %s", self._head)


class _PgReadView:
    def __init__(self, session: _Session, when: datetime) -> None:
        self._session = session
        self._when = when

    @property
    def at(self) -> datetime:
        return self._when

    def get(self, kind: str, id: str) -> Document | None:
        kind, id = c.check_kind(kind), c.check_id(id)
        row = self._session.one(
            "SELECT owner, op, version, after::text, at, actor FROM {s}.journal"
            " WHERE kind = %s AND id = %s AND at <= %s ORDER BY seq DESC LIMIT 1",
            (kind, id, self._when),
        )
        if row is None or row[1] == "delete":
            return None
        owner, _, version, after, at, actor = row
        return Document(kind, id, owner, version, json.loads(after), _utc(at), actor)

    def _latest(
        self, columns: str, kind: str, owner: object, ids: Collection[str] | None
    ) -> tuple[str, list[Any]]:
        kind, owner = c.check_kind(kind), c.check_owner_filter(owner)
        params: list[Any] = [kind, self._when]
        where = _ids_sql(ids, params)
        if owner is not ANY:
            # Only an id that had this owner in some entry up to the moment can have it at
            # the moment: the owner index finds those, so not every entry of the kind is read.
            params += [kind, self._when]
            owned = _owner_sql(owner, params)
            where += (
                f" AND id IN (SELECT id FROM {{s}}.journal WHERE kind = %s AND at <= %s{owned})"
            )
        latest = (
            "SELECT DISTINCT ON (id) id, owner, op, version, after::text AS after, at, actor"
            f" FROM {{s}}.journal WHERE kind = %s AND at <= %s{where} ORDER BY id, seq DESC"
        )
        outer = "op <> 'delete'" + _owner_sql(owner, params)
        return f"SELECT {columns} FROM ({latest}) AS latest WHERE {outer}", params

    def query(
        self, kind: str, *, owner: Any = ANY, ids: Collection[str] | None = None
    ) -> Iterator[Document]:
        text, params = self._latest("id, owner, version, after, at, actor", kind, owner, ids)

        def make(row: Sequence[Any]) -> Document:
            id, doc_owner, version, after, at, actor = row
            return Document(kind, id, doc_owner, version, json.loads(after), _utc(at), actor)

        return self._session.rows(text + " ORDER BY id", params, make)

    def count(self, kind: str, *, owner: Any = ANY) -> int:
        text, params = self._latest("count(*)", kind, owner, None)
        row = self._session.one(text, params)
        return int(row[0]) if row else 0


def _configure(conn: psycopg.Connection[Any]) -> None:
    # Times come back in UTC whatever the server's or the role's default time zone.
    conn.execute("SET TIME ZONE 'UTC'")


class PostgresStore(Store):
    """The store on a PostgreSQL server, with the same behaviour as pmo-core's SQLiteStore.

    ``url`` is ``postgresql://USER:PASSWORD@HOST:PORT/DATABASE`` (``postgres://`` too), with
    ``?schema=NAME`` (default ``pmo``) and ``?pool_max=N`` (connections, default 4) read
    here and every other parameter passed to libpq. Opening applies the pending schema steps;
    with ``create=False`` a schema without a pmo store raises ``StoreError`` instead of
    getting one. A write waits up to ``lock_timeout`` seconds for another writer, then raises
    ``StoreError``; a stale ``expected_version`` raises ``ConflictError``. The store may be
    shared by threads: each transaction holds one pooled connection, and a thread's reads
    see its own open transaction. The password never appears in its repr or its errors.

    Example::

        from pmo_postgres import PostgresStore

        with PostgresStore("postgresql://pmo:secret@db.example/pmo?schema=acme") as store:
            with store.transaction("alice", command="project create") as tx:
                tx.insert("project", "ALPHA", {"name": "Alpha"}, owner="PF-1")
            assert store.get("project", "ALPHA") is not None
    """

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], datetime] | None = None,
        create: bool = True,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        parsed = ServerUrl(url)
        if isinstance(lock_timeout, bool) or not isinstance(lock_timeout, (int, float)):
            raise InvalidInputError(f"lock_timeout must be a number of seconds: {lock_timeout!r}")
        if not 0 <= lock_timeout <= 86400:
            raise InvalidInputError(f"lock_timeout must be 0 to 86400 seconds: {lock_timeout!r}")
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(timezone.utc))
        self._url = parsed
        self._lock_timeout = float(lock_timeout)
        self._version = self._open_schema(create=create)
        pool = ConnectionPool(
            parsed.conninfo,
            min_size=1,
            max_size=parsed.pool_max,
            kwargs={"autocommit": True},
            configure=_configure,
            check=ConnectionPool.check_connection,
            name=f"pmo-postgres {parsed.schema}",
            open=True,
        )
        self._session = _Session(parsed, pool, self._lock_timeout)

    def _lock_timeout_sql(self) -> str:
        # PostgreSQL's 0 means "wait forever"; pmo's means "do not wait": 1 ms is the least.
        return f"SET lock_timeout = {max(1, round(self._lock_timeout * 1000))}"

    def _open_schema(self, *, create: bool) -> int:
        """Check the schema and migrate it, on a connection of its own (failures show here,
        before any pool is made, with the password masked)."""
        url = self._url
        try:
            conn = psycopg.connect(url.conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the store {url.shown}: {url.mask(str(exc)).strip()}"
            ) from None
        try:
            with conn:
                _configure(conn)
                conn.execute(self._lock_timeout_sql())
                require_store(conn, url.schema, url.shown, create=create)
                return migrate(conn, url.schema)
        except errors.LockNotAvailable:
            raise StoreError(
                f"another pmo command is writing to {url.shown}; waited "
                f"{self._lock_timeout:g} s; try again, or raise [workspace] lock_timeout in "
                "pmo.toml"
            ) from None
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot open the store {url.shown}: {url.mask(str(exc)).strip()}"
            ) from None

    def __repr__(self) -> str:
        return f"PostgresStore({self._url.shown!r})"

    @property
    def url(self) -> str:
        """The store URL with its password masked.

        Example::

            store.url  # 'postgresql://pmo:***@db.example/pmo?schema=acme'
        """
        return self._url.shown

    @property
    def schema(self) -> str:
        """The PostgreSQL schema that holds the store's tables.

        Example::

            assert PostgresStore(url + "?schema=acme").schema == "acme"
        """
        return self._url.schema

    @property
    def lock_timeout(self) -> float:
        """Seconds a write waits for another writer before it fails with ``StoreError``.

        Example::

            assert PostgresStore(url, lock_timeout=120).lock_timeout == 120
        """
        return self._lock_timeout

    @property
    def schema_version(self) -> int:
        """The schema version in use (always the latest once opened).

        Example::

            assert store.schema_version >= 1
        """
        return self._version

    def _live(self) -> _Session:
        if self._session.pool is None:
            raise StoreError(f"the store {self._url.shown} is closed")
        return self._session

    @contextmanager
    def transaction(self, actor: str, *, command: str = "") -> Iterator[Transaction]:
        """Open a unit of work on one pooled connection; an exception rolls it back.

        READ COMMITTED, and no retry loop: the chain head is locked before the first write
        and held to COMMIT, so every statement after it sees every commit before it and the
        version checks (``UPDATE ... WHERE version = %s``) are exact. REPEATABLE READ would
        read from a snapshot taken before that wait and fail with serialization errors to
        retry.

        Example::

            with store.transaction("alice", command="raid add") as tx:
                tx.insert("raid_item", "R-1", {"title": "Vendor late"}, owner="ALPHA")
        """
        session = self._live()
        if session.transaction() is not None:
            raise StoreError("a transaction is already open on this store; nesting is not allowed")
        actor, command = c.check_actor(actor), c.check_command(command)
        with session.connection() as conn:
            tx = _PgTransaction(session, conn, self._clock, actor, command)
            session.local.txn = tx
            try:
                with conn.transaction():
                    conn.execute(self._lock_timeout_sql().replace("SET", "SET LOCAL", 1))
                    yield tx
                    tx._finish()
            except BaseException as exc:
                tx._open = False
                tx._log.clear()
                if isinstance(exc, psycopg.Error):
                    raise session.error(
                        exc, "the transaction was rolled back: cannot write to"
                    ) from None
                raise
            finally:
                tx._open = False
                session.local.txn = None

    def get(self, kind: str, id: str) -> Document | None:
        """A document, or ``None``.

        Example::

            doc = store.get("project", "ALPHA")
        """
        return self._live().document(kind, id)

    def query(
        self, kind: str, *, owner: Any = ANY, ids: Collection[str] | None = None
    ) -> Iterator[Document]:
        """Documents of ``kind`` ordered by id, by owner and/or among ``ids``.

        Example::

            names = [d.data["name"] for d in store.query("project", owner="PF-1")]
        """
        return self._live().documents(kind, owner, ids)

    def count(self, kind: str, *, owner: Any = ANY) -> int:
        """How many documents of ``kind`` there are (optionally with ``owner``).

        Example::

            n = store.count("raid_item", owner="ALPHA")
        """
        session = self._live()
        params: list[Any] = [c.check_kind(kind)]
        where = "kind = %s" + _owner_sql(c.check_owner_filter(owner), params)
        row = session.one(f"SELECT count(*) FROM {{s}}.documents WHERE {where}", params)
        return int(row[0]) if row else 0

    def values(
        self, kind: str, fields: Sequence[str], *, owner: Any = ANY
    ) -> Iterator[tuple[Any, ...]]:
        """Chosen fields of every document of ``kind``, ordered by id, as tuples.

        Example::

            total = sum(float(a or 0) for (a,) in store.values("project", ["budget.amount"]))
        """
        session = self._live()
        kind, owner = c.check_kind(kind), c.check_owner_filter(owner)
        if isinstance(fields, str) or not fields:
            raise InvalidInputError("fields must be a non-empty sequence of field names")
        params: list[Any] = []
        exprs: list[str] = []
        times: list[int] = []
        for n, field in enumerate(fields):
            path = c.field_path(field)
            if path[0] in _PSEUDO_COLUMNS:
                exprs.append(_PSEUDO_COLUMNS[path[0]])
                if path[0] == "@updated_at":
                    times.append(n)
            else:
                exprs.append("data #> %s")
                params.append(list(path))
        params.append(kind)
        where = "kind = %s" + _owner_sql(owner, params)
        text = f"SELECT {', '.join(exprs)} FROM {{s}}.documents WHERE {where} ORDER BY id"

        def make(row: Sequence[Any]) -> tuple[Any, ...]:
            out = [c.compact(value) for value in row]
            for n in times:
                out[n] = c.format_time(row[n])
            return tuple(out)

        return session.rows(text, params, make)

    def kinds(self) -> list[str]:
        """The kinds that have at least one document, sorted.

        Example::

            store.kinds()  # ['portfolio', 'project']
        """
        rows = self._live().rows("SELECT DISTINCT kind FROM {s}.documents ORDER BY kind", ())
        return [row[0] for row in rows]

    def journal(
        self,
        *,
        kind: str | None = None,
        id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        txn_id: str | None = None,
    ) -> Iterator[JournalEntry]:
        """Journal entries in ``seq`` order, filtered; ``since <= at <= until``.

        Example::

            history = list(store.journal(kind="project", id="ALPHA"))
        """
        session = self._live()
        params: list[Any] = []
        where = "true"
        if kind is not None:
            where += " AND kind = %s"
            params.append(c.check_kind(kind))
        if id is not None:
            where += " AND id = %s"
            params.append(c.check_id(id))
        if txn_id is not None:
            where += " AND txn_id = %s"
            params.append(txn_id)
        where += _time_sql(since, until, params)
        return session.rows(
            f"SELECT {_JOURNAL_COLUMNS} FROM {{s}}.journal WHERE {where} ORDER BY seq",
            params,
            _entry,
        )

    def transactions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
    ) -> Iterator[TransactionInfo]:
        """Committed transactions that changed something, in commit order.

        Example::

            for info in store.transactions(actor="alice"):
                print(info.at, info.command, info.change_count)
        """
        session = self._live()
        params: list[Any] = []
        where = "true"
        if actor is not None:
            where += " AND actor = %s"
            params.append(actor)
        where += _time_sql(since, until, params)
        return session.rows(
            "SELECT txn_id, at, actor, command, change_count FROM {s}.transactions"
            f" WHERE {where} ORDER BY position",
            params,
            lambda r: TransactionInfo(r[0], _utc(r[1]), r[2], r[3], r[4]),
        )

    def verify(self, *, quick: bool = False) -> VerifyResult:
        """Check the hash chain, the transactions, documents against the journal, and that
        the append-only triggers and privileges are in place (``quick``: those only).

        Example::

            result = store.verify()
            assert result.ok, result.problems
        """
        session = self._live()
        if session.transaction() is not None:
            raise StoreError("cannot verify the store inside a transaction: verify after it")
        with session.connection() as conn:
            try:
                return verify_postgres(conn, session.schema, quick=quick)
            except psycopg.Error as exc:
                raise session.error(exc) from None

    def as_of(self, when: datetime) -> ReadView:
        """A read-only view of the data as known at ``when`` (timezone-aware).

        Example::

            q1 = store.as_of(datetime(2024, 3, 31, 23, 59, tzinfo=timezone.utc))
        """
        return _PgReadView(self._live(), c.aware(when))

    def copy_in(self, entries: Iterable[JournalEntry]) -> int:
        """Load a journal verbatim into this empty store; returns the number of entries.

        Every field of each entry is kept (``seq``, ``txn_id``, ``at``, ``hash``...); the
        transactions are rebuilt from the entries (one per ``txn_id``, its change count the
        number of its entries) and the documents from each ``(kind, id)``'s last entry (none
        after a delete). All in one transaction; a store that holds anything is refused with
        ``StoreError``. This is how ``pmo store copy`` moves a workspace between backends.

        Example::

            with SQLiteStore(".pmo/pmo.db") as source, PostgresStore(url) as target:
                target.copy_in(source.journal())
        """
        session = self._live()
        if session.transaction() is not None:
            raise StoreError("cannot copy into the store inside a transaction")
        with session.connection() as conn:
            try:
                with conn.transaction():
                    conn.execute(self._lock_timeout_sql().replace("SET", "SET LOCAL", 1))
                    return copy_journal(conn, session.schema, session.url.shown, entries)
            except psycopg.Error as exc:
                raise session.error(exc, "cannot copy into the store") from None

    def close(self) -> None:
        """Close the pool; using the store afterwards raises ``StoreError``.

        Example::

            store.close()
        """
        pool, self._session.pool = self._session.pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
