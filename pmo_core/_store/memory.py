"""An in-process store with the SQLite store's semantics, for tests and throwaway workspaces."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any

from pmo_core._errors import ConflictError, InvalidInputError, NotFoundError, StoreError

from . import _common as c
from . import copy_in as load
from .chain import GENESIS, chain_problems, entry_hash, entry_text
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
from .search import search_by_scan

__all__ = ["MemoryStore", "open_memory"]

#: MemoryStore.schema_version: the memory layout has no migrations.
MEMORY_SCHEMA_VERSION = 1

# A stored document: (owner, version, data as JSON text, updated_at, updated_by). Data is kept
# as text so callers can never mutate what is stored, exactly as with SQLite.
_Row = tuple[str | None, int, str, datetime, str]
# A journal row: (seq, txn_id, at, actor, command, kind, id, owner, op, version, before, after,
# prev_hash, hash).
_JournalRow = tuple[
    int,
    str,
    datetime,
    str,
    str,
    str,
    str,
    str | None,
    Op,
    int,
    str | None,
    str | None,
    str,
    str,
]


def _matches(row_owner: str | None, owner: c.OwnerMatch) -> bool:
    if isinstance(owner, frozenset):
        return row_owner in owner
    return owner is ANY or row_owner == owner


def _id_filter(ids: Collection[str] | None) -> set[str] | None:
    if ids is None:
        return None
    if isinstance(ids, str):
        raise InvalidInputError("ids must be a collection of ids, not a single string")
    return {c.check_id(i) for i in ids}


def _extract(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for segment in path:
        if not isinstance(value, dict):
            return None
        value = value.get(segment)
    return c.compact_json(value)


class _MemoryTransaction:
    def __init__(
        self, store: MemoryStore, txn_id: str, at: datetime, actor: str, command: str
    ) -> None:
        self._store = store
        self._docs = store._docs
        self._txn_id = txn_id
        self._at = at
        self._actor = actor
        self._command = command
        self._log = c.ChangeLog()
        # First-touch snapshot of every document this transaction writes: rollback restores
        # these instead of copying the whole store up front.
        self._undo: dict[tuple[str, str], _Row | None] = {}
        self._open = True

    @property
    def txn_id(self) -> str:
        return self._txn_id

    @property
    def changes(self) -> list[Change]:
        return self._log.materialize()

    def _live(self) -> None:
        if not self._open:
            raise StoreError("the transaction is closed: write inside its 'with' block")
        self._store._live()

    def _put(self, kind: str, id: str, row: _Row | None) -> None:
        docs = self._docs.setdefault(kind, {})
        key = (kind, id)
        if key not in self._undo:
            self._undo[key] = docs.get(id)
        if row is None:
            del docs[id]
        else:
            docs[id] = row

    def _rollback(self) -> None:
        for (kind, id), row in self._undo.items():
            docs = self._docs.setdefault(kind, {})
            if row is None:
                docs.pop(id, None)
            else:
                docs[id] = row
        self._undo.clear()
        self._log.clear()

    def _current(self, kind: str, id: str, expected: int) -> _Row:
        row = self._docs.get(kind, {}).get(id)
        if row is None:
            raise NotFoundError(f"kind {kind!r} id {id!r} not found")
        if row[1] != expected:
            raise ConflictError(
                f"kind {kind!r} id {id!r} changed since it was read: "
                f"expected version {expected}, current version {row[1]}"
            )
        return row

    def insert(
        self, kind: str, id: str, data: dict[str, Any], *, owner: str | None = None
    ) -> Document:
        self._live()
        kind, id, owner = c.check_kind(kind), c.check_id(id), c.check_owner(owner)
        text = c.dumps(data)
        if id in self._docs.get(kind, {}):
            raise ConflictError(f"kind {kind!r} id {id!r} already exists")
        self._put(kind, id, (owner, 1, text, self._at, self._actor))
        self._log.record("insert", kind, id, owner, 1, None, text)
        return Document(kind, id, owner, 1, json.loads(text), self._at, self._actor)

    def insert_many(self, kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]]) -> int:
        self._live()
        kind = c.check_kind(kind)
        prepared = [(c.check_id(i), c.check_owner(o), c.dumps(d)) for i, o, d in rows]
        existing = self._docs.get(kind, {})
        seen: set[str] = set()
        for id, _, _ in prepared:
            if id in seen or id in existing:
                raise ConflictError(f"kind {kind!r} id {id!r} already exists")
            seen.add(id)
        for id, owner, text in prepared:
            self._put(kind, id, (owner, 1, text, self._at, self._actor))
        if prepared:
            self._log.record_bulk(kind, prepared)
        return len(prepared)

    def update(
        self,
        kind: str,
        id: str,
        data: dict[str, Any],
        *,
        expected_version: int,
        owner: OwnerUpdate = KEEP,
    ) -> Document:
        self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner = c.check_owner_update(owner)
        text = c.dumps(data)
        old_owner, version, before, _, _ = self._current(kind, id, expected)
        new_owner = old_owner if owner is KEEP else owner
        version += 1
        self._put(kind, id, (new_owner, version, text, self._at, self._actor))
        self._log.record("update", kind, id, new_owner, version, before, text)
        return Document(kind, id, new_owner, version, json.loads(text), self._at, self._actor)

    def delete(self, kind: str, id: str, *, expected_version: int) -> None:
        self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        expected = c.check_version(expected_version)
        owner, version, before, _, _ = self._current(kind, id, expected)
        self._put(kind, id, None)
        self._log.record("delete", kind, id, owner, version, before, None)

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        return self._store.get(kind, id)

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        self._live()
        return self._store.query(kind, owner=owner, ids=ids, owners=owners)

    def versions(self, kind: str, ids: Collection[str]) -> dict[str, int]:
        self._live()
        return self._store.versions(kind, ids)


class _MemoryReadView:
    def __init__(self, by_kind: dict[str, list[_JournalRow]], when: datetime) -> None:
        self._by_kind = by_kind
        self._when = when

    @property
    def at(self) -> datetime:
        return self._when

    def _latest(self, kind: str, ids: set[str] | None) -> dict[str, _JournalRow]:
        latest: dict[str, _JournalRow] = {}
        when = self._when
        for entry in self._by_kind.get(kind, ()):
            if entry[2] <= when and (ids is None or entry[6] in ids):
                latest[entry[6]] = entry  # later seq wins
        return latest

    @staticmethod
    def _document(entry: _JournalRow) -> Document:
        _, _, at, actor, _, kind, id, owner, _, version, _, after, _, _ = entry
        assert after is not None  # only called for non-delete entries
        return Document(kind, id, owner, version, json.loads(after), at, actor)

    def get(self, kind: str, id: str) -> Document | None:
        kind, id = c.check_kind(kind), c.check_id(id)
        entry = self._latest(kind, {id}).get(id)
        return None if entry is None or entry[8] == "delete" else self._document(entry)

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        kind, match = c.check_kind(kind), c.check_owners(owner, owners)
        latest = self._latest(kind, _id_filter(ids))
        return (
            self._document(latest[id])
            for id in sorted(latest)
            if latest[id][8] != "delete" and _matches(latest[id][7], match)
        )

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        kind, owner = c.check_kind(kind), c.check_owner_filter(owner)
        latest = self._latest(kind, None).values()
        return sum(1 for e in latest if e[8] != "delete" and _matches(e[7], owner))

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        return search_by_scan(
            self.query, self._by_kind, text, kinds=kinds, owner=owner, limit=limit
        )


def _entry_text(e: _JournalRow) -> str:
    seq, txn, at, actor, command, kind, id, owner, op, version, before, after, _, _ = e
    text = c.format_time(at)
    return entry_text(seq, txn, text, actor, command, kind, id, owner, op, version, before, after)


class MemoryStore(Store, SupportsCopyIn):
    """A store held in process memory, with the same semantics as :class:`SQLiteStore`.

    Transactions roll back by restoring a snapshot of what they touched; the journal is a list.
    Nothing survives :meth:`close`. ``clock`` works as for ``SQLiteStore``.

    Example::

        store = MemoryStore()
        with store.transaction("tester") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        assert store.count("project") == 1
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock: Clock = clock or c.utc_now
        self._docs: dict[str, dict[str, _Row]] = {}
        self._journal: list[_JournalRow] = []
        # The same entries by kind, so an as-of read scans one kind's history, not all.
        self._journal_by_kind: dict[str, list[_JournalRow]] = {}
        self._transactions: list[TransactionInfo] = []
        # (seq, hash) of the last entry written: the next one chains onto it.
        self._head: tuple[int, str] = (0, GENESIS)
        self._txn: _MemoryTransaction | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"MemoryStore(<{sum(map(len, self._docs.values()))} documents>)"

    @property
    def schema_version(self) -> int:
        """The memory store's schema version (it has nothing to migrate).

        Example::

            MemoryStore().schema_version  # 1
        """
        return MEMORY_SCHEMA_VERSION

    def _live(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed")

    @contextmanager
    def transaction(self, actor: str, *, command: str = "") -> Iterator[Transaction]:
        self._live()
        if self._txn is not None:
            raise StoreError("a transaction is already open on this store; nesting is not allowed")
        actor, command = c.check_actor(actor), c.check_command(command)
        at = c.clock_time(self._clock)
        tx = _MemoryTransaction(self, c.new_txn_id(), at, actor, command)
        self._txn = tx
        try:
            yield tx
        except BaseException:
            tx._open = False
            tx._rollback()
            raise
        finally:
            tx._open = False
            self._txn = None
        count = len(tx._log)
        if count:
            seq, prev = self._head
            at_text = c.format_time(at)
            for op, kind, id, owner, version, before, after in tx._log.raw():
                seq += 1
                text = entry_text(
                    seq,
                    tx.txn_id,
                    at_text,
                    actor,
                    command,
                    kind,
                    id,
                    owner,
                    op,
                    version,
                    before,
                    after,
                )
                hash = entry_hash(prev, text)
                entry: _JournalRow = (
                    seq,
                    tx.txn_id,
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
                )
                self._journal.append(entry)
                self._journal_by_kind.setdefault(kind, []).append(entry)
                prev = hash
            self._head = (seq, prev)
            self._transactions.append(TransactionInfo(tx.txn_id, at, actor, command, count))

    def get(self, kind: str, id: str) -> Document | None:
        self._live()
        kind, id = c.check_kind(kind), c.check_id(id)
        row = self._docs.get(kind, {}).get(id)
        if row is None:
            return None
        owner, version, text, at, by = row
        return Document(kind, id, owner, version, json.loads(text), at, by)

    def _rows(
        self,
        kind: str,
        owner: OwnerFilter,
        ids: Collection[str] | None,
        owners: Collection[str] | None = None,
    ) -> list[tuple[str, _Row]]:
        self._live()
        kind, match = c.check_kind(kind), c.check_owners(owner, owners)
        wanted = _id_filter(ids)
        docs = self._docs.get(kind, {})
        keys = docs if wanted is None else wanted.intersection(docs)
        # Filtered before sorting (a set of owners picks a few of many), and materialised up
        # front so a write during iteration cannot break the loop.
        return sorted((id, docs[id]) for id in keys if _matches(docs[id][0], match))

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        rows = self._rows(kind, owner, ids, owners)
        return (
            Document(kind, id, row[0], row[1], json.loads(row[2]), row[3], row[4])
            for id, row in rows
        )

    def versions(self, kind: str, ids: Collection[str]) -> dict[str, int]:
        """``{id: version}`` of the documents of ``kind`` among ``ids``, their data unread
        (the optional :class:`~pmo_core.VersionReader` capability).

        Example::

            assert store.versions("project", ["ALPHA", "NOPE"]) == {"ALPHA": 1}
        """
        return {id: row[1] for id, row in self._rows(kind, ANY, ids)}

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        self._live()
        kind, owner = c.check_kind(kind), c.check_owner_filter(owner)
        docs = self._docs.get(kind, {})
        if owner is ANY:
            return len(docs)
        return sum(1 for row in docs.values() if row[0] == owner)

    def values(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: OwnerFilter = ANY,
        owners: Collection[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        if isinstance(fields, str) or not fields:
            raise InvalidInputError("fields must be a non-empty sequence of field names")
        paths = [c.field_path(f) for f in fields]
        rows = self._rows(kind, owner, None, owners)
        return (self._pick(id, row, paths) for id, row in rows)

    @staticmethod
    def _pick(id: str, row: _Row, paths: list[tuple[str, ...]]) -> tuple[Any, ...]:
        owner, version, text, at, by = row
        columns: dict[str, Any] = {
            "@id": id,
            "@owner": owner,
            "@version": version,
            "@updated_at": c.format_time(at),
            "@updated_by": by,
        }
        data = json.loads(text)
        return tuple(columns[p[0]] if p[0] in columns else _extract(data, p) for p in paths)

    def kinds(self) -> list[str]:
        self._live()
        return sorted(kind for kind, docs in self._docs.items() if docs)

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Documents whose text matches ``text``, best first: a scan of every document (see
        :meth:`Store.search` for the query syntax and what text is searched).

        Example::

            hits = store.search("vendor late", kinds=["raid"])
        """
        self._live()
        return search_by_scan(self.query, self.kinds(), text, kinds=kinds, owner=owner, limit=limit)

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
        kind = None if kind is None else c.check_kind(kind)
        id = None if id is None else c.check_id(id)
        start = None if since is None else c.aware(since, "since")
        end = None if until is None else c.aware(until, "until")
        rows = [
            e
            for e in self._journal
            if (kind is None or e[5] == kind)
            and (id is None or e[6] == id)
            and (txn_id is None or e[1] == txn_id)
            and (start is None or e[2] >= start)
            and (end is None or e[2] <= end)
        ]
        return (
            JournalEntry(
                seq, txn, at, actor, cmd, k, i, o, op, v, c.loads_opt(b), c.loads_opt(a), h
            )
            for seq, txn, at, actor, cmd, k, i, o, op, v, b, a, _, h in rows
        )

    def transactions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
    ) -> Iterator[TransactionInfo]:
        self._live()
        start = None if since is None else c.aware(since, "since")
        end = None if until is None else c.aware(until, "until")
        return iter(
            [
                t
                for t in self._transactions
                if (actor is None or t.actor == actor)
                and (start is None or t.at >= start)
                and (end is None or t.at <= end)
            ]
        )

    def verify(self, *, quick: bool = False) -> VerifyResult:
        self._live()
        if self._txn is not None:
            raise StoreError("cannot verify the store inside a transaction: verify after it")
        if quick:
            return VerifyResult(quick=True)  # nothing but Python objects: no storage to check
        journal = self._journal

        def seq_of_hash(hash: str) -> int | None:
            return next((e[0] for e in journal if e[13] == hash), None)

        chain, entries, last_seq, head = chain_problems(
            ((e[0], e[12], e[13], _entry_text(e)) for e in journal),
            seq_of_hash,
            limit=c.PROBLEM_LIMIT,
        )
        problems = chain + c.missing_tail(last_seq, self._head[0])
        return VerifyResult(
            entries=entries,
            head=head,
            journal=tuple(problems + self._transaction_problems() + self._replay_problems()),
        )

    def _transaction_problems(self) -> list[str]:
        problems = c.Problems("transaction problem(s)")
        entries: dict[str, list[_JournalRow]] = {}
        for e in self._journal:
            entries.setdefault(e[1], []).append(e)
        for t in self._transactions:
            mine = entries.pop(t.txn_id, [])
            disagree = sum(1 for e in mine if (e[2], e[3], e[4]) != (t.at, t.actor, t.command))
            if len(mine) != t.change_count or disagree:
                at = c.format_time(t.at)
                c.transaction_problems(
                    problems, t.txn_id, at, t.actor, t.command, t.change_count, len(mine), disagree
                )
        for txn_id, orphans in entries.items():
            problems.add(c.orphan_problem(txn_id, orphans[0][0], len(orphans)))
        return problems.done()

    def _replay_problems(self) -> list[str]:
        problems = c.Problems("document problem(s)")
        latest: dict[tuple[str, str], _JournalRow] = {}
        for e in self._journal:
            latest[(e[5], e[6])] = e
        for (kind, id), e in sorted(latest.items(), key=lambda item: item[1][0]):
            row = self._docs.get(kind, {}).get(id)
            if e[8] == "delete":
                if row is not None:
                    problems.add(c.replay_problem(kind, id, e[0], e[8], True, ()))
                continue
            if row is None:
                problems.add(c.replay_problem(kind, id, e[0], e[8], False, ()))
                continue
            owner, version, text, at, by = row
            same = (text == e[11], version == e[9], owner == e[7], at == e[2], by == e[3])
            if not all(same):
                problems.add(c.replay_problem(kind, id, e[0], e[8], True, same))
        for kind in sorted(self._docs):
            for id in sorted(self._docs[kind]):
                if (kind, id) not in latest:
                    problems.add(c.unjournaled_problem(kind, id))
        return problems.done()

    def as_of(self, when: datetime) -> ReadView:
        self._live()
        return _MemoryReadView(self._journal_by_kind, c.aware(when))

    def copy_in(self, entries: Iterable[JournalEntry]) -> int:
        self._live()
        if self._txn is not None:
            raise StoreError("cannot copy into the store inside a transaction")
        if self._journal or self._transactions or any(self._docs.values()):
            raise StoreError("the memory store is not empty: copy into an empty store")
        # Built aside and put in place at the end: a failure leaves the store as it was.
        journal: list[_JournalRow] = []
        by_kind: dict[str, list[_JournalRow]] = {}
        docs: dict[str, dict[str, _Row]] = {}
        times: dict[str, datetime] = {}  # one parse per transaction, not per entry
        tally = load.TransactionTally()
        for batch in load.journal_batches(entries):
            for seq, txn, at_text, actor, cmd, kind, id, owner, op, v, b, a, prev, h in batch:
                at = times.get(at_text) or times.setdefault(at_text, c.parse_time(at_text))
                row: _JournalRow = (seq, txn, at, actor, cmd, kind, id, owner, op, v, b, a, prev, h)
                journal.append(row)
                by_kind.setdefault(kind, []).append(row)
                if a is None:
                    docs.get(kind, {}).pop(id, None)
                else:
                    docs.setdefault(kind, {})[id] = (owner, v, a, at, actor)
            tally.add(batch)
        self._journal, self._journal_by_kind, self._docs = journal, by_kind, docs
        self._transactions = [
            TransactionInfo(txn, times[at], actor, command, n)
            for txn, at, actor, command, n in tally.rows()
        ]
        if journal:
            self._head = (journal[-1][0], journal[-1][13])
        return len(journal)

    def close(self) -> None:
        if self._txn is not None:
            self._txn._open = False
            self._txn._rollback()
        self._closed = True
        self._docs = {}
        self._head = (0, GENESIS)
        self._journal = []
        self._journal_by_kind = {}
        self._transactions = []

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_memory(url: str, clock: Clock | None = None) -> MemoryStore:
    """Open a ``memory://`` URL: a new, empty :class:`MemoryStore` each time.

    Example::

        store = open_memory("memory://")
    """
    if not url.startswith("memory:"):
        raise InvalidInputError(f"not a memory URL: {url!r}", where="store url")
    return MemoryStore(clock=clock)
