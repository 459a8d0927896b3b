"""One transaction of a PostgreSQL store: its writes, chained onto the journal under the
locked chain head, and its reads, which see them."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import psycopg

from pmo_core import (
    ANY,
    KEEP,
    Change,
    ConflictError,
    Document,
    NotFoundError,
    SearchQuery,
    StoreError,
)

from . import _checks as c
from ._search import DELETE, UPSERT
from ._session import Session

# The entry's time, actor and command are the transaction record's; the hashes are kept as
# their 32 bytes.
_INSERT_JOURNAL = (
    "INSERT INTO {s}.journal (seq, txn_id, kind, id, owner, op, version, before, after,"
    " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def _texts_kept(
    kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]], texts: list[str]
) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """``rows`` of ``kind`` as they are, each one's search text kept in ``texts`` (not its
    data: an import of a million rows would hold every dict)."""
    text_of = SearchQuery.text_of
    for row in rows:
        texts.append(text_of(row[2], kind))
        yield row


class PgTransaction:
    def __init__(
        self,
        session: Session,
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

    def pending(self) -> tuple[str, datetime, str, str] | None:
        """``(txn_id, at, actor, command)`` once the transaction has written, else None."""
        if self._head is None:
            return None
        return (self._txn_id, self._at, self._actor, self._command)

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
                seq, self._txn_id, kind, id, owner, op, version, before, after,
                bytes.fromhex(prev), bytes.fromhex(hash),
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
        document = Document(kind, id, owner, 1, json.loads(text), self._at, self._actor)
        self._index(kind, id, document.data)
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
                        "COPY {s}.journal (seq, txn_id, kind, id, owner, op, version, before,"
                        " after, prev_hash, hash) FROM STDIN"
                    )
                ) as copy:
                    for row in journal:
                        copy.write_row(row)
                with cur.copy(
                    self._session.sql("COPY {s}.search_text (kind, id, text) FROM STDIN")
                ) as copy:
                    for (id, _, _), text in zip(prepared, texts, strict=True):
                        if text:
                            copy.write_row((kind, id, text))
        except psycopg.Error as exc:
            raise self._session.error(exc, "cannot write to the store") from None
        self._head = (journal[-1][0], journal[-1][-1].hex())
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
                seq, txn_id, kind, id, owner, "insert", 1, None, text, bytes.fromhex(prev),
                bytes.fromhex(hash),
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
        document = Document(kind, id, new_owner, version, json.loads(text), self._at, self._actor)
        self._index(kind, id, document.data)
        return document

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
        self._execute(DELETE, (kind, id))

    def _index(self, kind: str, id: str, data: dict[str, Any]) -> None:
        """Keep the document's search text in step with what was written."""
        text = SearchQuery.text_of(data, kind)
        if text:
            self._execute(UPSERT, (kind, id, text))
        else:
            self._execute(DELETE, (kind, id))

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        return self._session.document(kind, id)

    def query(
        self,
        kind: str,
        *,
        owner: Any = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        self._live()
        return self._session.documents(kind, owner, ids, owners)

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
