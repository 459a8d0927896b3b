"""``PostgresStore``: the store protocol on PostgreSQL, with the SQLite store's behaviour.

One connection pool per store object; a transaction holds one connection from it, so the
store can be shared by the threads of a web app. Writers take the chain head row (``SELECT
... FOR UPDATE``) before their first write and keep it until COMMIT: pmo's writes to one
store are serialised as SQLite's ``BEGIN IMMEDIATE`` serialises them, the journal's hash
chain cannot fork, and journal time follows commit order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool

from pmo_core import (
    ANY,
    Document,
    InvalidInputError,
    JournalEntry,
    ReadView,
    SearchHit,
    Store,
    StoreError,
    Transaction,
    TransactionInfo,
    VerifyResult,
)

from . import _checks as c
from ._copy import copy_journal
from ._schema import migrate, require_store
from ._search import hit, search_sql
from ._session import (
    JOURNAL_COLUMNS,
    JOURNAL_FROM,
    PgReadView,
    Session,
    configure,
    entries,
    owner_sql,
    time_sql,
    utc,
)
from ._transaction import PgTransaction
from ._url import ServerUrl
from ._verify import verify_postgres

__all__ = ["DEFAULT_LOCK_TIMEOUT", "PostgresStore"]

#: Seconds a write waits for another writer (``[workspace] lock_timeout``), as for SQLite.
DEFAULT_LOCK_TIMEOUT = 900.0


def _pick(data: Any, path: tuple[str, ...]) -> Any:
    for segment in path:
        if not isinstance(data, dict):
            return None
        data = data.get(segment)
    return data


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
            configure=configure,
            check=ConnectionPool.check_connection,
            name=f"pmo-postgres {parsed.schema}",
            open=True,
        )
        self._session = Session(parsed, pool, self._lock_timeout)

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
                configure(conn)
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

    def _live(self) -> Session:
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
        if session.in_transaction():
            raise StoreError("a transaction is already open on this store; nesting is not allowed")
        actor, command = c.check_actor(actor), c.check_command(command)
        with session.connection() as conn:
            tx = PgTransaction(session, conn, self._clock, actor, command)
            session.local.conn = conn
            session.local.tx = tx
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
                session.local.conn = None
            session.local.tx = None

    def get(self, kind: str, id: str) -> Document | None:
        """A document, or ``None``.

        Example::

            doc = store.get("project", "ALPHA")
        """
        return self._live().document(kind, id)

    def query(
        self,
        kind: str,
        *,
        owner: Any = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        """Documents of ``kind`` ordered by id, by owner (or any of ``owners``) and/or
        among ``ids``.

        Example::

            names = [d.data["name"] for d in store.query("project", owner="PF-1")]
            risks = list(store.query("raid_item", owners=["ALPHA", "BETA"]))
        """
        return self._live().documents(kind, owner, ids, owners)

    def count(self, kind: str, *, owner: Any = ANY) -> int:
        """How many documents of ``kind`` there are (optionally with ``owner``).

        Example::

            n = store.count("raid_item", owner="ALPHA")
        """
        session = self._live()
        params: list[Any] = [c.check_kind(kind)]
        where = "kind = %s" + owner_sql(c.check_owner_filter(owner), params)
        row = session.one(f"SELECT count(*) FROM {{s}}.documents WHERE {where}", params)
        return int(row[0]) if row else 0

    def values(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: Any = ANY,
        owners: Collection[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Chosen fields of every document of ``kind`` (of ``owner``, or of any of
        ``owners``), ordered by id, as tuples.

        Example::

            total = sum(float(a or 0) for (a,) in store.values("project", ["budget.amount"]))
            rows = store.values("work_item", ["@owner", "percent_complete"], owners=["ALPHA"])
        """
        session = self._live()
        kind, owner = c.check_kind(kind), c.check_owners(owner, owners)
        if isinstance(fields, str) or not fields:
            raise InvalidInputError("fields must be a non-empty sequence of field names")
        paths = [c.field_path(field) for field in fields]
        params: list[Any] = [kind]
        where = "kind = %s" + owner_sql(owner, params)
        # The fields are picked here, not with json's #> in SQL: PostgreSQL cannot turn a
        # JSON string holding \u0000 into text, and one such document would fail the read.
        text = (
            "SELECT id, owner, version, updated_at, updated_by, data::text FROM {s}.documents"
            f" WHERE {where} ORDER BY id"
        )

        def make(row: Sequence[Any]) -> tuple[Any, ...]:
            id, doc_owner, version, updated_at, updated_by, data = row
            columns = {
                "@id": id,
                "@owner": doc_owner,
                "@version": version,
                "@updated_at": c.format_time(updated_at),
                "@updated_by": updated_by,
            }
            document = json.loads(data)
            return tuple(
                columns[p[0]] if p[0] in columns else c.compact(_pick(document, p)) for p in paths
            )

        return session.rows(text, params, make)

    def kinds(self) -> list[str]:
        """The kinds that have at least one document, sorted.

        Example::

            store.kinds()  # ['portfolio', 'project']
        """
        rows = self._live().rows("SELECT DISTINCT kind FROM {s}.documents ORDER BY kind", ())
        return [row[0] for row in rows]

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: Any = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Documents whose text matches ``text``, best first: a ``tsvector`` in the
        ``simple`` configuration under a GIN index, ranked by ``ts_rank``, snippets by
        ``ts_headline`` (pmo-core's ``Store.search`` has the query syntax and the text
        searched). A thread's open transaction sees its own writes.

        Example::

            for hit in store.search("vendor delay", kinds=["raid_item"], limit=10):
                print(hit.kind, hit.id, hit.snippet)
        """
        session = self._live()
        select = search_sql(text, kinds, owner, limit)
        if select is None:
            return []
        return list(session.rows(select[0], select[1], hit))

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
            where += " AND j.kind = %s"
            params.append(c.check_kind(kind))
        if id is not None:
            where += " AND j.id = %s"
            params.append(c.check_id(id))
        if txn_id is not None:
            where += " AND j.txn_id = %s"
            params.append(txn_id)
        where += time_sql(since, until, params, "t.at")
        return session.stream(
            f"SELECT {JOURNAL_COLUMNS} FROM {JOURNAL_FROM} WHERE {where} ORDER BY j.seq",
            params,
            entries(session.pending()),
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
        where += time_sql(since, until, params)
        return session.rows(
            "SELECT txn_id, at, actor, command, change_count FROM {s}.transactions"
            f" WHERE {where} ORDER BY position",
            params,
            lambda r: TransactionInfo(r[0], utc(r[1]), r[2], r[3], r[4]),
        )

    def verify(self, *, quick: bool = False) -> VerifyResult:
        """Check the hash chain, the transactions, documents against the journal, and that
        the append-only triggers and privileges are in place (``quick``: those only).

        Example::

            result = store.verify()
            assert result.ok, result.problems
        """
        session = self._live()
        if session.in_transaction():
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
        return PgReadView(self._live(), c.aware(when))

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
        if session.in_transaction():
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
