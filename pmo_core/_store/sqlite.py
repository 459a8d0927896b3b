"""The embedded default store: one SQLite file (stdlib ``sqlite3``, WAL, zero configuration)."""

from __future__ import annotations

import json
import os
import sqlite3
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from json.encoder import encode_basestring
from pathlib import Path
from types import TracebackType
from typing import Any

from pmo_core._errors import ConflictError, InvalidInputError, NotFoundError, StoreError

from . import _common as c
from . import copy_in as load
from ._sqlite_search import SearchIndex, hit
from ._sqlite_verify import register_functions, verify_sqlite
from .chain import GENESIS, entry_hash, entry_text, hasher
from .migrations import migrate
from .protocol import (
    ANY,
    KEEP,
    Change,
    Clock,
    Document,
    JournalEntry,
    Op,
    OwnerFilter,
    OwnerUpdate,
    ReadView,
    SearchHit,
    Store,
    SupportsCopyIn,
    Transaction,
    TransactionInfo,
    VerifyResult,
)
from .search import SearchQuery, search_by_scan

__all__ = ["DEFAULT_LOCK_TIMEOUT", "SQLiteStore", "open_sqlite"]

#: Seconds a write waits for another process's write to finish (``[workspace] lock_timeout``):
#: fifteen minutes, above the longest import measured (a million work items took twelve on a
#: busy two-core machine), so a second command waits instead of failing.
DEFAULT_LOCK_TIMEOUT = 900.0
_SQLITE_BUSY = 5
_CACHE_KIB = 128 * 1024
# SQLITE_CORRUPT and SQLITE_NOTADB: the file's pages are not what SQLite wrote.
_SQLITE_DAMAGE = (11, 26)

_DOC_COLUMNS = "kind, id, owner, version, data, updated_at, updated_by"
# A journal entry's time, actor and command are its transaction's (the journal does not
# repeat them): reads join the transaction record.
_JOURNAL_COLUMNS = (
    "j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op, j.version,"
    " j.before, j.after, j.hash"
)
_JOURNAL_FROM = "journal AS j LEFT JOIN transactions AS t ON t.txn_id = j.txn_id"
_INSERT_DOC = f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
# seq is given, not left to AUTOINCREMENT: the hash covers it, so it is known before the row
# is written (the write lock is held, so nobody else takes it meanwhile).
_INSERT_JOURNAL = (
    "INSERT INTO journal (seq, txn_id, kind, id, owner, op, version, before, after, prev_hash,"
    " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# copy_in: the documents follow the journal's last entry of each (kind, id).
_UPSERT_DOC = (
    f"{_INSERT_DOC} ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner,"
    " version = excluded.version, data = excluded.data, updated_at = excluded.updated_at,"
    " updated_by = excluded.updated_by"
)
_HOLDS_ANYTHING = (
    "SELECT EXISTS (SELECT 1 FROM journal) OR EXISTS (SELECT 1 FROM documents)"
    " OR EXISTS (SELECT 1 FROM transactions)"
    " OR EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'journal' AND seq > 0)"
)
_PSEUDO_COLUMNS = {
    "@id": "id",
    "@owner": "owner",
    "@version": "version",
    "@updated_at": "updated_at",
    "@updated_by": "updated_by",
}


def _document(row: tuple[Any, ...]) -> Document:
    kind, id, owner, version, data, updated_at, updated_by = row
    return Document(
        kind, id, owner, version, json.loads(data), c.parse_time(updated_at), updated_by
    )


# (txn_id, at, actor, command) of a transaction whose record is not written yet.
_Pending = tuple[str, str, str, str] | None


def _entries(pending: _Pending) -> Callable[[tuple[Any, ...]], JournalEntry]:
    """The maker of journal entries from rows of ``_JOURNAL_COLUMNS``. The open transaction
    (``pending``) writes its record at COMMIT: its entries take their time, actor and
    command from it meanwhile."""

    def entry(row: tuple[Any, ...]) -> JournalEntry:
        if row[2] is None:
            if pending is None or row[1] != pending[0]:
                # ValueError: the stream reports the store as damaged (verify says more).
                raise ValueError(f"journal entry seq {row[0]} has no transaction record")
            row = (*row[:2], *pending[1:], *row[5:])
        return _entry(row)

    return entry


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    seq, txn, at, actor, command, kind, id, owner, op, version, before, after, hash = row
    return JournalEntry(
        seq,
        txn,
        c.parse_time(at),
        actor,
        command,
        kind,
        id,
        owner,
        op,
        version,
        c.loads_opt(before),
        c.loads_opt(after),
        c.unpack_hash(hash),
    )


def _stored(row: load.JournalRow) -> tuple[Any, ...]:
    """A journal row of ``copy_in`` as the journal table keeps it: without the time, actor
    and command (its transaction record holds them), documents and hashes packed."""
    seq, txn_id, _, _, _, kind, id, owner, op, version, before, after, prev, hash = row
    packed = (c.pack_text(before), c.pack_text(after), c.pack_hash(prev), c.pack_hash(hash))
    return (seq, txn_id, kind, id, owner, op, version, *packed)


def _transaction_info(row: tuple[Any, ...]) -> TransactionInfo:
    txn, at, actor, command, count = row
    return TransactionInfo(txn, c.parse_time(at), actor, command, count)


def _owner_sql(owner: c.OwnerMatch, params: list[Any]) -> str:
    if owner is ANY:
        return ""
    if owner is None:
        return " AND owner IS NULL"
    if isinstance(owner, frozenset):
        # One JSON parameter, as for ids: a chunk of a thousand owners binds one value.
        params.append(json.dumps(sorted(owner)))
        return " AND owner IN (SELECT value FROM json_each(?))"
    params.append(owner)
    return " AND owner = ?"


# Asked for the documents of a set of owners in id order, SQLite walks the whole kind by its
# primary key (to skip a sort) and tests each one's owner: a chunk of a roll-up would read
# every work item of the PMO, once per chunk. So the owner index is named: it finds the
# set's documents. Their few fields (values) are then sorted; whole documents (query) are
# found by id from their ids in order instead, which costs less than sorting them (200,000
# work items read 50 projects at a time: 0.72 s in SQLite sorted, 0.55 s by id).
_BY_OWNER_INDEX = "documents INDEXED BY documents_by_owner"
_IDS_BY_OWNER = f" AND id IN (SELECT id FROM {_BY_OWNER_INDEX} WHERE kind = ?"


def _ids_sql(ids: Collection[str] | None, params: list[Any]) -> str:
    if ids is None:
        return ""
    if isinstance(ids, str):
        raise InvalidInputError("ids must be a collection of ids, not a single string")
    # One JSON parameter instead of one '?' per id: no SQLITE_MAX_VARIABLE_NUMBER limit.
    params.append(json.dumps([c.check_id(i) for i in ids]))
    return " AND id IN (SELECT value FROM json_each(?))"


_DAMAGE_MESSAGES = (
    "Could not decode",
    "file is not a database",
    "database disk image is malformed",
    "malformed database schema",
)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == _SQLITE_BUSY  # SQLITE_BUSY and its extended codes
    return "database is locked" in str(exc)


def _is_damage(exc: BaseException) -> bool:
    if isinstance(exc, ValueError):  # a document that is not JSON, text that is not UTF-8
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_DAMAGE
    # Python 3.10's sqlite3 has no error codes: SQLite's own messages for those codes.
    return any(text in str(exc) for text in _DAMAGE_MESSAGES)


def _busy(path: str, timeout: float) -> StoreError:
    # SQLite does not say who holds the write lock, only that someone does: in a workspace
    # that is another pmo command (or an embedder's write) on the same file.
    return StoreError(
        f"another pmo command is writing to {path}; waited {timeout:g} s; try again, or "
        "raise [workspace] lock_timeout in pmo.toml"
    )


def _damaged(path: str, exc: BaseException) -> StoreError:
    return StoreError(
        f"the store {path} is damaged ({exc}): run 'pmo doctor --verify', and restore the "
        "file from a backup"
    )


class _Rows:
    """The rows of one SELECT, streamed; :meth:`detach` reads the rest into memory.

    A cursor that is still being read keeps its connection inside a read transaction, on the
    snapshot it started from. If another process commits meanwhile, ``BEGIN IMMEDIATE`` on
    that connection fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT: waiting
    cannot help). So before a transaction begins, the store detaches every open stream.
    """

    __slots__ = ("__weakref__", "_cursor", "_make", "_next", "_streams")

    def __init__(
        self, cursor: sqlite3.Cursor, make: Callable[[Any], Any] | None, streams: _Streams
    ) -> None:
        self._cursor: sqlite3.Cursor | None = cursor
        self._make = make
        self._streams = streams
        self._next = (cursor if make is None else map(make, cursor)).__next__

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> Any:
        try:
            return self._next()
        except (sqlite3.DatabaseError, ValueError) as exc:
            # A page or a document that cannot be read: a damaged file, not a bug.
            raise self._streams.error(exc) from exc

    def detach(self) -> None:
        if self._cursor is not None:
            try:
                rest = self._cursor.fetchall()
            except (sqlite3.DatabaseError, ValueError) as exc:
                raise self._streams.error(exc) from exc
            self._cursor = None
            self._next = (iter(rest) if self._make is None else map(self._make, rest)).__next__


class _Streams:
    """The store's connection plus the streams it has handed out and not finished."""

    def __init__(self, conn: sqlite3.Connection, path: str, lock_timeout: float) -> None:
        self.conn = conn
        self.path = path
        self.lock_timeout = lock_timeout
        self._open: weakref.WeakSet[_Rows] = weakref.WeakSet()
        self.search = SearchIndex(conn)

    def error(self, exc: BaseException) -> BaseException:
        """The error to raise for ``exc``, raised while reading or writing the file."""
        if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            return exc  # misuse (a closed connection), not the file's fault
        if isinstance(exc, sqlite3.Error) and _is_busy(exc):
            return _busy(self.path, self.lock_timeout)
        if _is_damage(exc):
            return _damaged(self.path, exc)
        if isinstance(exc, sqlite3.Error):
            return StoreError(f"cannot read the store {self.path}: {exc}")
        return exc

    def select(
        self, sql: str, params: Sequence[Any], make: Callable[[Any], Any] | None = None
    ) -> Iterator[Any]:
        try:
            cursor = self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise self.error(exc) from exc
        rows = _Rows(cursor, make, self)
        self._open.add(rows)
        return rows

    def one(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self.error(exc) from exc
        return row

    def detach_all(self) -> None:
        for rows in list(self._open):
            rows.detach()
        self._open.clear()


def _select_documents(
    streams: _Streams,
    kind: str,
    owner: OwnerFilter,
    ids: Collection[str] | None,
    owners: Collection[str] | None = None,
) -> Iterator[Document]:
    kind = c.check_kind(kind)
    match = c.check_owners(owner, owners)
    params: list[Any] = [kind]
    if isinstance(match, frozenset) and ids is None:
        params.append(kind)
        where = "kind = ?" + _IDS_BY_OWNER + _owner_sql(match, params) + ")"
    else:
        where = "kind = ?" + _owner_sql(match, params) + _ids_sql(ids, params)
    sql = f"SELECT {_DOC_COLUMNS} FROM documents WHERE {where} ORDER BY id"
    return streams.select(sql, params, _document)


def _versions(streams: _Streams, kind: str, ids: Collection[str]) -> dict[str, int]:
    params: list[Any] = [c.check_kind(kind)]
    sql = "SELECT id, version FROM documents WHERE kind = ?" + _ids_sql(ids, params)
    try:
        return dict(streams.conn.execute(sql, params))
    except sqlite3.DatabaseError as exc:
        raise streams.error(exc) from exc


def _get_document(streams: _Streams, kind: str, id: str) -> Document | None:
    row = streams.one(
        f"SELECT {_DOC_COLUMNS} FROM documents WHERE kind = ? AND id = ?",
        (c.check_kind(kind), c.check_id(id)),
    )
    if row is None:
        return None
    try:
        return _document(row)
    except ValueError as exc:
        raise streams.error(exc) from exc


def _time_sql(
    column: str, since: datetime | None, until: datetime | None, params: list[Any]
) -> str:
    sql = ""
    if since is not None:
        sql += f" AND {column} >= ?"
        params.append(c.format_time(c.aware(since, "since")))
    if until is not None:
        sql += f" AND {column} <= ?"
        params.append(c.format_time(c.aware(until, "until")))
    return sql


def _journal_time_sql(since: datetime | None, until: datetime | None, params: list[Any]) -> str:
    """``at`` between ``since`` and ``until``, found through the transactions, not an index.

    Entries are stamped once the write lock is held, so ``at`` grows with ``seq``: the
    entries at or after a moment start at the first entry of the first transaction at or
    after it (and end likewise), a range of the primary key. The few transactions are
    scanned instead of keeping an index on ``at`` over every entry of the journal.
    """
    sql = _time_sql("t.at", since, until, params)
    if since is not None:
        sql += (
            " AND j.seq >= (SELECT MIN((SELECT MIN(s.seq) FROM journal AS s"
            " WHERE s.txn_id = r.txn_id)) FROM transactions AS r WHERE r.at >= ?)"
        )
        params.append(c.format_time(c.aware(since, "since")))
    if until is not None:
        sql += (
            " AND j.seq <= (SELECT MAX((SELECT MAX(s.seq) FROM journal AS s"
            " WHERE s.txn_id = r.txn_id)) FROM transactions AS r WHERE r.at <= ?)"
        )
        params.append(c.format_time(c.aware(until, "until")))
    return sql


def _chain_head(conn: sqlite3.Connection) -> tuple[int, str]:
    """``(seq, hash)`` to chain the next journal entry onto (``(0, GENESIS)`` when empty).

    The next seq follows the highest one ever given (``sqlite_sequence``), not the highest
    left: entries deleted from the end stay a visible gap instead of being written over.
    """
    given = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    last = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq = max(int(given[0]) if given else 0, int(last[0]) if last else 0)
    return seq, (c.unpack_hash(last[1]) if last and last[1] else GENESIS)


class _ChainedInserts:
    """The journal rows of one ``insert_many``, hashed in order as ``executemany`` asks."""

    __slots__ = ("_at_part", "_kind", "_kind_part", "_prefix", "_tail", "_txn_id", "head")

    def __init__(
        self, head: tuple[int, str], txn_id: str, at: str, actor: str, command: str, kind: str
    ) -> None:
        self.head = head
        # The entry JSON of a bulk insert differs per row only in after, id, owner and seq:
        # the rest is encoded once. The result is the text entry_text makes (tested).
        e = encode_basestring
        self._prefix = f'{{"actor":{e(actor)},"after":'
        self._at_part = f',"at":{e(at)},"before":null,"command":{e(command)},"id":'
        self._kind_part = f',"kind":{e(kind)},"op":"insert","owner":'
        self._tail = f',"txn_id":{e(txn_id)},"version":1}}'
        self._txn_id, self._kind = txn_id, kind

    def rows(self, prepared: list[tuple[str, str | None, str]]) -> Iterator[tuple[Any, ...]]:
        sha256, e, pack = hasher(), encode_basestring, c.pack_text
        prefix, at_part, kind_part, tail = self._prefix, self._at_part, self._kind_part, self._tail
        txn_id, kind = self._txn_id, self._kind
        seq, prev = self.head
        prev_bytes = bytes.fromhex(prev)
        for id, owner, text in prepared:
            seq += 1
            owner_json = "null" if owner is None else e(owner)
            entry = f'{prefix}{text}{at_part}{e(id)}{kind_part}{owner_json},"seq":{seq}{tail}'
            # entry_text's format, inlined for bulk speed; verify() proves the two agree.
            digest = sha256((prev + entry).encode("utf-8", "surrogateescape")).digest()
            yield (seq, txn_id, kind, id, owner, "insert", 1, None, pack(text), prev_bytes, digest)
            prev, prev_bytes = digest.hex(), digest
        self.head = (seq, prev)


def _texts_kept(
    kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]], texts: list[str]
) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """``rows`` of ``kind`` as they are, each one's search text kept in ``texts`` (not its
    data: an import of a million rows would hold every dict)."""
    text_of = SearchQuery.text_of
    for row in rows:
        texts.append(text_of(row[2], kind))
        yield row


class _SQLiteTransaction:
    def __init__(
        self,
        streams: _Streams,
        txn_id: str,
        at: datetime,
        actor: str,
        command: str,
    ) -> None:
        self._streams = streams
        self._conn = streams.conn
        self._txn_id = txn_id
        self._at = at
        self._at_text = c.format_time(at)
        self._actor = actor
        self._command = command
        # The writes are in the journal already: the transaction keeps where they start and
        # how many there are, and reads them back when asked, so a transaction of a million
        # writes does not hold a million documents in memory.
        self._first_seq = 0
        self._count = 0
        self._open = True
        # (seq, hash) of the last journal entry, read at the first write of the transaction.
        self._head: tuple[int, str] | None = None

    @property
    def txn_id(self) -> str:
        return self._txn_id

    @property
    def changes(self) -> list[Change]:
        if not self._count:
            return []
        rows = self._conn.execute(
            "SELECT op, kind, id, owner, version, before, after FROM journal "
            "WHERE seq >= ? AND seq < ? ORDER BY seq",
            (self._first_seq, self._first_seq + self._count),
        )
        return [
            Change(op, kind, id, owner, version, c.loads_opt(before), c.loads_opt(after))
            for op, kind, id, owner, version, before, after in rows
        ]

    def _logged(self, first_seq: int, count: int) -> None:
        if not self._count:
            self._first_seq = first_seq
        self._count += count

    def _forget(self) -> None:
        self._count = 0

    def _live(self) -> sqlite3.Connection:
        if not self._open:
            raise StoreError("the transaction is closed: write inside its 'with' block")
        return self._conn

    def _chain_head(self) -> tuple[int, str]:
        if self._head is None:
            self._head = _chain_head(self._conn)
        return self._head

    def _journal(
        self,
        op: Op,
        kind: str,
        id: str,
        owner: str | None,
        version: int,
        before: str | None,
        after: str | None,
    ) -> None:
        seq, prev = self._chain_head()
        seq += 1
        fields = (
            seq,
            self._txn_id,
            self._at_text,
            self._actor,
            self._command,
            kind,
            id,
            owner,
            op,
            version,
            before,
            after,
        )
        hash = entry_hash(prev, entry_text(*fields))
        stored = (seq, self._txn_id, kind, id, owner, op, version)
        packed = (c.pack_text(before), c.pack_text(after), c.pack_hash(prev), c.pack_hash(hash))
        self._conn.execute(_INSERT_JOURNAL, (*stored, *packed))
        self._head = (seq, hash)
        self._logged(seq, 1)

    def _current(self, kind: str, id: str, expected: int) -> tuple[str | None, int, str]:
        row = self._conn.execute(
            "SELECT owner, version, data FROM documents WHERE kind = ? AND id = ?", (kind, id)
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
        conn = self._live()
        kind, id, owner = c.check_kind(kind), c.check_id(id), c.check_owner(owner)
        text = c.dumps(data)
        try:
            conn.execute(_INSERT_DOC, (kind, id, owner, 1, text, self._at_text, self._actor))
        except sqlite3.IntegrityError:
            raise ConflictError(f"kind {kind!r} id {id!r} already exists") from None
        self._journal("insert", kind, id, owner, 1, None, text)
        document = Document(kind, id, owner, 1, json.loads(text), self._at, self._actor)
        self._streams.search.put(kind, id, document.data)
        return document

    def insert_many(self, kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]]) -> int:
        conn = self._live()
        kind = c.check_kind(kind)
        check_id, check_owner, dumps = c.check_id, c.check_owner, c.dumps
        texts: list[str] = []  # for the search index
        prepared = [
            (check_id(i), check_owner(o), dumps(d)) for i, o, d in _texts_kept(kind, rows, texts)
        ]
        if not prepared:
            return 0
        at, actor, command, txn_id = self._at_text, self._actor, self._command, self._txn_id
        head = self._chain_head()
        chained = _ChainedInserts(head, txn_id, at, actor, command, kind)
        # A savepoint makes the batch all-or-nothing even when the caller catches the
        # ConflictError and carries on with the transaction.
        conn.execute("SAVEPOINT insert_many")
        try:
            conn.executemany(_INSERT_DOC, ((kind, i, o, 1, t, at, actor) for i, o, t in prepared))
            conn.executemany(_INSERT_JOURNAL, chained.rows(prepared))
            self._streams.search.put_new(
                (kind, id, text) for (id, _, _), text in zip(prepared, texts, strict=True) if text
            )
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK TO insert_many")
            conn.execute("RELEASE insert_many")
            raise ConflictError(
                f"kind {kind!r} id {self._first_duplicate(kind, prepared)!r} already exists"
            ) from None
        except BaseException:
            conn.execute("ROLLBACK TO insert_many")
            conn.execute("RELEASE insert_many")
            raise
        conn.execute("RELEASE insert_many")
        # Only now: a batch rolled back to its savepoint leaves the chain where it was.
        self._logged(head[0] + 1, len(prepared))
        self._head = chained.head
        return len(prepared)

    def _first_duplicate(self, kind: str, prepared: list[tuple[str, str | None, str]]) -> str:
        seen: set[str] = set()
        for id, _, _ in prepared:
            if id in seen:
                return id
            seen.add(id)
        row = self._conn.execute(
            "SELECT id FROM documents WHERE kind = ? AND id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
            (kind, json.dumps(sorted(seen))),
        ).fetchone()
        return str(row[0]) if row else "?"

    def update(
        self,
        kind: str,
        id: str,
        data: dict[str, Any],
        *,
        expected_version: int,
        owner: OwnerUpdate = KEEP,
    ) -> Document:
        conn = self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner = c.check_owner_update(owner)
        text = c.dumps(data)
        old_owner, version, before = self._current(kind, id, expected)
        new_owner = old_owner if owner is KEEP else owner
        version += 1
        conn.execute(
            "UPDATE documents SET owner = ?, version = ?, data = ?, updated_at = ?, "
            "updated_by = ? WHERE kind = ? AND id = ?",
            (new_owner, version, text, self._at_text, self._actor, kind, id),
        )
        self._journal("update", kind, id, new_owner, version, before, text)
        document = Document(kind, id, new_owner, version, json.loads(text), self._at, self._actor)
        self._streams.search.put(kind, id, document.data)
        return document

    def delete(self, kind: str, id: str, *, expected_version: int) -> None:
        conn = self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner, version, before = self._current(kind, id, expected)
        conn.execute("DELETE FROM documents WHERE kind = ? AND id = ?", (kind, id))
        self._journal("delete", kind, id, owner, version, before, None)
        self._streams.search.remove(kind, id)

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        return _get_document(self._streams, kind, id)

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        self._live()
        return _select_documents(self._streams, kind, owner, ids, owners)

    def versions(self, kind: str, ids: Collection[str]) -> dict[str, int]:
        self._live()
        return _versions(self._streams, kind, ids)


class _SQLiteReadView:
    def __init__(self, streams: _Streams, when: datetime) -> None:
        self._streams = streams
        self._conn = streams.conn
        self._when = when
        self._when_text = c.format_time(when)

    @property
    def at(self) -> datetime:
        return self._when

    def get(self, kind: str, id: str) -> Document | None:
        kind, id = c.check_kind(kind), c.check_id(id)
        row = self._streams.one(
            "SELECT j.owner, j.op, j.version, j.after, t.at, t.actor FROM journal AS j"
            " JOIN transactions AS t ON t.txn_id = j.txn_id"
            " WHERE j.kind = ? AND j.id = ? AND t.at <= ? ORDER BY j.seq DESC LIMIT 1",
            (kind, id, self._when_text),
        )
        if row is None or row[1] == "delete":
            return None
        owner, _, version, after, at, actor = row
        try:
            data = json.loads(c.unpack_text(after))
        except ValueError as exc:
            raise self._streams.error(exc) from exc
        return Document(kind, id, owner, version, data, c.parse_time(at), actor)

    def _latest(
        self,
        columns: str,
        kind: str,
        owner: OwnerFilter,
        ids: Collection[str] | None,
        owners: Collection[str] | None = None,
    ) -> tuple[str, list[Any]]:
        kind = c.check_kind(kind)
        match = c.check_owners(owner, owners)
        params: list[Any] = [kind, self._when_text]
        ids_sql = _ids_sql(ids, params)
        if match is not ANY:
            # Only an id that had this owner in some entry can have it at the moment (its
            # latest entry then is one of them): the owner index finds those ids, so the
            # scan below does not read every entry of the kind.
            params.append(kind)
            owner_sql = _owner_sql(match, params)
            ids_sql += f" AND id IN (SELECT id FROM journal WHERE kind = ?{owner_sql})"
        # SQLite takes the bare columns of an aggregate query from the row holding MAX(seq):
        # that is the latest entry per id at or before the moment (its transaction's time).
        inner = (
            "SELECT j.id AS id, j.owner AS owner, j.op AS op, j.version AS version,"
            " j.after AS after, t.at AS at, t.actor AS actor, MAX(j.seq)"
            " FROM journal AS j JOIN transactions AS t ON t.txn_id = j.txn_id"
            f" WHERE j.kind = ? AND t.at <= ?{ids_sql} GROUP BY j.id"
        )
        outer_where = "op != 'delete'" + _owner_sql(match, params)
        return f"SELECT {columns} FROM ({inner}) WHERE {outer_where}", params

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        columns = "id, owner, version, after, at, actor"
        sql, params = self._latest(columns, kind, owner, ids, owners)

        def make(row: tuple[Any, ...]) -> Document:
            id, doc_owner, version, after, at, actor = row
            return Document(
                kind, id, doc_owner, version, c.loads(c.unpack_text(after)), c.parse_time(at), actor
            )

        return self._streams.select(sql + " ORDER BY id", params, make)

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        sql, params = self._latest("COUNT(*)", kind, owner, None)
        row = self._streams.one(sql, params)
        return int(row[0]) if row else 0

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        # The index holds today's text: the past is scanned, as it was (every kind that has
        # a journal entry may have had documents then).
        present = [row[0] for row in self._streams.select("SELECT DISTINCT kind FROM journal", ())]
        return search_by_scan(self.query, present, text, kinds=kinds, owner=owner, limit=limit)


class SQLiteStore(Store, SupportsCopyIn):
    """The default store: a SQLite file in WAL mode.

    Pass ``":memory:"`` for a private in-memory database. ``clock`` returns the time stamped on
    each transaction (default: now, UTC); tests inject a fake one. Opening migrates an older
    schema forward; a schema newer than this code raises ``StoreError``.

    With ``create=True`` (the default) a missing file is created, with its folder. With
    ``create=False`` (how a workspace opens its store; only ``pmo init`` creates one) a
    missing or empty (zero-byte) file raises ``StoreError`` naming the file instead of being
    made anew and empty; so does a file that is not a pmo store.

    A store object is meant for one thread; open one per thread or process (they coordinate
    through the file): a transaction waits up to ``lock_timeout`` seconds (default 900) for
    another writer's to finish, then raises ``StoreError`` saying so, and a stale
    ``expected_version`` raises ``ConflictError``.

    Example::

        with SQLiteStore("notes.db") as notes:
            with notes.transaction("alice", command="project create") as tx:
                tx.insert("project", "ALPHA", {"name": "Alpha"}, owner="PF")
            assert notes.get("project", "ALPHA") is not None
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        create: bool = True,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self._path = os.fsdecode(os.fspath(path))
        self._clock: Clock = clock or c.utc_now
        self._txn: _SQLiteTransaction | None = None
        self._conn: sqlite3.Connection | None = None
        if isinstance(lock_timeout, bool) or not isinstance(lock_timeout, (int, float)):
            raise InvalidInputError(f"lock_timeout must be a number of seconds: {lock_timeout!r}")
        if not 0 <= lock_timeout <= 86400:
            raise InvalidInputError(f"lock_timeout must be 0 to 86400 seconds: {lock_timeout!r}")
        self._lock_timeout = float(lock_timeout)
        is_file = self._path != ":memory:" and not self._path.startswith("file:")
        target = self._path
        if is_file and create:
            folder = os.path.dirname(os.path.abspath(self._path))
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store folder {folder!r}: {exc}") from exc
        elif is_file:
            _require_store_file(self._path)
            # mode=rw: SQLite opens the file or fails, it never creates it (no race with a
            # file deleted between the check above and here).
            target = Path(os.path.abspath(self._path)).as_uri() + "?mode=rw"
        try:
            conn = sqlite3.connect(
                target,
                isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
                timeout=self._lock_timeout,
                uri=target.startswith("file:"),
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self._path!r}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._lock_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            _require_pmo_store(conn, self._path, create=create or not is_file)
            # WAL lets readers run while one writer writes; NORMAL sync is safe with WAL
            # (no corruption on power loss, at worst the last commits are lost).
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Up to 128 MB of page cache (taken only as pages are read): an import of a
            # million rows appends to thousands of places in the owner indexes at once, and
            # with SQLite's 2 MB default every page is read again and again, and written to
            # the WAL again each time the cache spills it.
            conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            register_functions(conn)
            self._version = migrate(conn)
            SearchIndex(conn).prepare()
        except BaseException as exc:
            conn.close()
            error = self._open_error(exc)
            if error is exc:
                raise
            raise error from exc
        self._conn = conn
        self._streams = _Streams(conn, self._path, self._lock_timeout)

    def _open_error(self, exc: BaseException) -> BaseException:
        """What to raise when opening failed with ``exc`` (the connection is closed)."""
        # The migration wraps SQLite's error: look at the cause for a busy or damaged file.
        cause = exc.__cause__ if isinstance(exc, StoreError) else exc
        if isinstance(cause, sqlite3.Error) and _is_busy(cause):
            return _busy(self._path, self._lock_timeout)
        if isinstance(cause, sqlite3.DatabaseError) and _is_damage(cause):
            return StoreError(
                f"the store {self._path} is not a valid pmo store: {cause}; restore it from a "
                "backup"
            )
        if isinstance(exc, StoreError) and str(exc).startswith("the store "):
            return exc  # already names the file and what to do
        if isinstance(exc, (sqlite3.Error, StoreError)):
            return StoreError(f"cannot open the store {self._path!r}: {exc}")
        return exc

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"

    @property
    def path(self) -> str:
        """The database path as given (``":memory:"`` for an in-memory database).

        Example::

            assert SQLiteStore(":memory:").path == ":memory:"
        """
        return self._path

    @property
    def lock_timeout(self) -> float:
        """Seconds a write waits for another writer before it fails with ``StoreError``.

        Example::

            assert SQLiteStore(":memory:", lock_timeout=120).lock_timeout == 120
        """
        return self._lock_timeout

    @property
    def schema_version(self) -> int:
        """The schema version of the open database (always the latest after opening).

        Example::

            SQLiteStore(":memory:").schema_version >= 1  # True: the latest, after opening
        """
        return self._version

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the store {self._path!r} is closed")
        return self._conn

    @contextmanager
    def transaction(self, actor: str, *, command: str = "") -> Iterator[Transaction]:
        conn = self._live()
        if self._txn is not None:
            raise StoreError("a transaction is already open on this store; nesting is not allowed")
        actor, command = c.check_actor(actor), c.check_command(command)
        self._streams.detach_all()
        try:
            # IMMEDIATE takes the write lock now, so the version checks made inside hold
            # until COMMIT even against other processes (optimistic concurrency). It waits
            # up to lock_timeout for another writer (SQLite's busy timeout).
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _busy(self._path, self._lock_timeout) from exc
            raise StoreError(f"cannot start a transaction on {self._path!r}: {exc}") from exc
        try:
            # Stamped once the lock is held, so journal time follows commit order even
            # across processes (as-of reads rely on it).
            at = c.clock_time(self._clock)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        tx = _SQLiteTransaction(self._streams, c.new_txn_id(), at, actor, command)
        self._txn = tx
        try:
            yield tx
            tx._open = False
            count = tx._count
            if count:
                conn.execute(
                    "INSERT INTO transactions (txn_id, at, actor, command, change_count) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (tx._txn_id, tx._at_text, actor, command, count),
                )
            conn.execute("COMMIT")
        except BaseException as exc:
            tx._open = False
            tx._forget()
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"transaction failed and was rolled back: {exc}") from exc
            raise
        finally:
            self._txn = None

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        return _get_document(self._streams, kind, id)

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        self._live()
        return _select_documents(self._streams, kind, owner, ids, owners)

    def versions(self, kind: str, ids: Collection[str]) -> dict[str, int]:
        """``{id: version}`` of the documents of ``kind`` among ``ids``, their data unread
        (the optional :class:`~pmo_core.VersionReader` capability).

        Example::

            store.versions("project", ["ALPHA", "NOPE"])  # {'ALPHA': 2}
        """
        self._live()
        return _versions(self._streams, kind, ids)

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        self._live()
        params: list[Any] = [c.check_kind(kind)]
        where = "kind = ?" + _owner_sql(c.check_owner_filter(owner), params)
        row = self._streams.one(f"SELECT COUNT(*) FROM documents WHERE {where}", params)
        return int(row[0]) if row else 0

    def values(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: OwnerFilter = ANY,
        owners: Collection[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        self._live()
        kind = c.check_kind(kind)
        match = c.check_owners(owner, owners)
        if isinstance(fields, str) or not fields:
            raise InvalidInputError("fields must be a non-empty sequence of field names")
        params: list[Any] = []
        exprs = []
        for field in fields:
            path = c.field_path(field)
            if path[0] in _PSEUDO_COLUMNS:
                exprs.append(_PSEUDO_COLUMNS[path[0]])
            else:
                exprs.append("json_extract(data, ?)")
                params.append("$." + ".".join(f'"{s}"' for s in path))
        params.append(kind)
        where = "kind = ?" + _owner_sql(match, params)
        source = _BY_OWNER_INDEX if isinstance(match, frozenset) else "documents"
        return self._streams.select(
            f"SELECT {', '.join(exprs)} FROM {source} WHERE {where} ORDER BY id", params
        )

    def kinds(self) -> list[str]:
        self._live()
        rows = self._streams.select("SELECT DISTINCT kind FROM documents ORDER BY kind", ())
        return [row[0] for row in rows]

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Documents whose text matches ``text``, best first, ranked by BM25 through the
        FTS5 index (see :meth:`Store.search` for the query syntax and the text searched).
        ``StoreError`` if this Python's SQLite lacks FTS5.

        Example::

            hits = store.search("vendor late", kinds=["raid"], limit=10)
        """
        self._live()
        select = self._streams.search.search(text, kinds, owner, limit)
        if select is None:
            return []
        return list(self._streams.select(*select, hit))

    def journal(
        self,
        *,
        kind: str | None = None,
        id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        txn_id: str | None = None,
    ) -> Iterator[JournalEntry]:
        self._live()
        params: list[Any] = []
        where = "1 = 1"
        if kind is not None:
            where += " AND j.kind = ?"
            params.append(c.check_kind(kind))
        if id is not None:
            where += " AND j.id = ?"
            params.append(c.check_id(id))
        if txn_id is not None:
            where += " AND j.txn_id = ?"
            params.append(txn_id)
        where += _journal_time_sql(since, until, params)
        tx = self._txn
        pending = None if tx is None else (tx.txn_id, tx._at_text, tx._actor, tx._command)
        return self._streams.select(
            f"SELECT {_JOURNAL_COLUMNS} FROM {_JOURNAL_FROM} WHERE {where} ORDER BY j.seq",
            params,
            _entries(pending),
        )

    def transactions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
    ) -> Iterator[TransactionInfo]:
        self._live()
        params: list[Any] = []
        where = "1 = 1"
        if actor is not None:
            where += " AND actor = ?"
            params.append(actor)
        where += _time_sql("at", since, until, params)
        return self._streams.select(
            "SELECT txn_id, at, actor, command, change_count FROM transactions "
            f"WHERE {where} ORDER BY rowid",
            params,
            _transaction_info,
        )

    def verify(self, *, quick: bool = False) -> VerifyResult:
        conn = self._live()
        if self._txn is not None:
            raise StoreError("cannot verify the store inside a transaction: verify after it")
        self._streams.detach_all()
        return verify_sqlite(conn, quick=quick)

    def as_of(self, when: datetime) -> ReadView:
        self._live()
        return _SQLiteReadView(self._streams, c.aware(when))

    def copy_in(self, entries: Iterable[JournalEntry]) -> int:
        conn = self._live()
        if self._txn is not None:
            raise StoreError("cannot copy into the store inside a transaction")
        self._streams.detach_all()
        try:
            conn.execute("BEGIN IMMEDIATE")  # one unit: all the entries or none
        except sqlite3.Error as exc:
            raise self._streams.error(exc) from exc
        count = 0
        try:
            if conn.execute(_HOLDS_ANYTHING).fetchone()[0]:
                raise StoreError(f"the store {self._path} is not empty: copy into an empty store")
            tally = load.TransactionTally()
            for batch in load.journal_batches(entries):
                # The journal keeps large documents compressed, as this store's own writes do.
                conn.executemany(_INSERT_JOURNAL, map(_stored, batch))
                upserts, deletes = load.document_changes(batch)
                conn.executemany(_UPSERT_DOC, upserts)
                conn.executemany("DELETE FROM documents WHERE kind = ? AND id = ?", deletes)
                tally.add(batch)
                count += len(batch)
            self._streams.search.refill()
            conn.executemany(
                "INSERT INTO transactions (txn_id, at, actor, command, change_count) "
                "VALUES (?, ?, ?, ?, ?)",
                tally.rows(),
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"copy into {self._path} failed and was rolled back: {exc}"
                ) from exc
            raise
        return count

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_sqlite(
    url: str,
    clock: Clock | None = None,
    *,
    create: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> SQLiteStore:
    """Open a ``sqlite:`` URL: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
    ``sqlite:///:memory:`` (or ``sqlite://``).

    As in SQLAlchemy, the path is what follows ``sqlite:///``, so an absolute path has four
    slashes. The file must exist and be a pmo store unless ``create`` is true (the storage
    backend's contract: a workspace's store is created by ``pmo init`` only).

    Example::

        store = open_sqlite("sqlite:///.pmo/pmo.db", create=True)
    """
    prefix = "sqlite://"
    if not url.startswith(prefix):
        raise InvalidInputError(f"not a sqlite URL: {url!r}", where="store url")
    rest = url[len(prefix) :]
    if rest in ("", "/"):
        return SQLiteStore(":memory:", clock=clock, lock_timeout=lock_timeout)
    if not rest.startswith("/"):
        raise InvalidInputError(
            f"sqlite URL {url!r} has a host part; use sqlite:///path/to/pmo.db",
            where="store url",
        )
    return SQLiteStore(rest[1:], clock=clock, create=create, lock_timeout=lock_timeout)


def _require_store_file(path: str) -> None:
    """Refuse a missing or empty store file: opening must never make an empty store anew."""
    recover = (
        "restore it from a backup, or run 'pmo init' in another directory to start a new workspace"
    )
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise StoreError(f"the store {path} is missing: {recover}") from None
    except OSError as exc:
        raise StoreError(f"cannot open the store {path!r}: {exc}") from exc
    if size == 0:
        raise StoreError(f"the store {path} is empty (0 bytes): {recover}")


def _require_pmo_store(conn: sqlite3.Connection, path: str, *, create: bool) -> None:
    """Refuse a SQLite file that is not a pmo store (reading it also fails on a non-database)."""
    # One statement, one snapshot: read apart, another process creating the store in between
    # would show its tables without their version.
    version, tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT COUNT(*) FROM sqlite_master)"
    ).fetchone()
    if version > 0:
        return
    if tables:
        raise StoreError(
            f"the store {path} is not a valid pmo store: it is a SQLite database of "
            "something else (it has tables but no pmo schema version)"
        )
    if not create:
        raise StoreError(
            f"the store {path} is not a valid pmo store: it has no pmo schema; restore it "
            "from a backup, or run 'pmo init' in another directory to start a new workspace"
        )
