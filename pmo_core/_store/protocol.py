"""The store protocol: documents, transactions, the journal and as-of reads.

The store knows nothing of the domain: a document is a JSON-able ``dict`` filed under a
``kind`` (``"project"``, ``"raid_item"``...) and an ``id``, with an optional ``owner`` (the id of
the record it belongs to) that is indexed for filtering. Every backend (the built-in SQLite and
memory stores, and plugin backends such as PostgreSQL) implements :class:`Store` and proves it
with :class:`pmo_core.testing.store_conformance.StoreConformance`.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, ClassVar, Final, Literal, Protocol, runtime_checkable

from .chain import GENESIS, entry_hash, entry_text, format_time

__all__ = [
    "ANY",
    "KEEP",
    "Change",
    "Clock",
    "Document",
    "JournalEntry",
    "KeepOwner",
    "Op",
    "OwnerFilter",
    "OwnerUpdate",
    "ReadView",
    "SearchHit",
    "Sentinel",
    "Store",
    "SupportsCopyIn",
    "Transaction",
    "TransactionInfo",
    "VerifyResult",
    "VersionReader",
]


class Sentinel(enum.Enum):
    """Markers for "no filter" and "leave unchanged", distinct from ``None`` (a real owner).

    Example::

        store.query("project", owner=ANY)  # every project, whoever owns it
        tx.update("project", "ALPHA", data, expected_version=2, owner=KEEP)
    """

    ANY = "ANY"
    KEEP = "KEEP"

    def __repr__(self) -> str:
        return self.value


#: Read filter meaning "any owner, including none". ``owner=None`` means "owned by nobody".
ANY: Final = Sentinel.ANY
#: Update argument meaning "keep the owner the document has now".
KEEP: Final = Sentinel.KEEP

OwnerFilter = str | None | Literal[Sentinel.ANY]
KeepOwner = Literal[Sentinel.KEEP]
OwnerUpdate = str | None | Literal[Sentinel.KEEP]
Op = Literal["insert", "update", "delete"]
#: Returns the current time as a timezone-aware datetime; stores call it once per transaction.
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Document:
    """One stored document: a JSON-able ``data`` dict plus its identity and version.

    ``version`` starts at 1 and grows by one on every update; pass it back as
    ``expected_version`` to write. ``updated_at`` is UTC.

    Example::

        doc = store.get("project", "ALPHA")
        assert doc is not None and doc.version >= 1 and doc.data["name"] == "Alpha"
    """

    kind: str
    id: str
    owner: str | None
    version: int
    data: dict[str, Any]
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class Change:
    """One write made by a transaction, for events published after the commit.

    ``before`` is ``None`` for an insert, ``after`` is ``None`` for a delete; ``version`` is the
    version written (for a delete: the version that was deleted).

    Example::

        with store.transaction("alice") as tx:
            tx.insert("project", "GAMMA", {"name": "Gamma"})
        assert [(c.op, c.id) for c in tx.changes] == [("insert", "GAMMA")]
    """

    op: Op
    kind: str
    id: str
    owner: str | None
    version: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One document found by :meth:`Store.search`: which document, how well it matched, and
    a snippet of its text with each matched word in ``[`` ``]``.

    ``score`` is higher for a better match; it compares hits of one search only (each
    backend ranks its own way: BM25 in SQLite, ``ts_rank`` in PostgreSQL, the number of
    occurrences in memory).

    Example::

        hit = store.search("vendor")[0]
        print(hit.kind, hit.id, hit.owner, round(hit.score, 2), hit.snippet)
        # raid 3f2a3e19e52b ALPHA 1.42 [Vendor] delivers late
    """

    kind: str
    id: str
    owner: str | None
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One append-only journal row: who changed what, when, from what, to what.

    ``seq`` increases with every entry in the store; entries of one transaction share
    ``txn_id``, ``at``, ``actor`` and ``command``. ``owner`` is the owner after the change (for
    a delete: the owner the document had).

    ``hash`` chains the entry to the one before it: ``sha256(prev_hash + entry_json)`` in hex,
    where ``prev_hash`` is the previous entry's ``hash`` (:attr:`GENESIS` for the first) and
    ``entry_json`` is the JSON object of every field but ``hash``, keys sorted, no whitespace,
    UTF-8 (not ASCII-escaped), with ``at`` as ``2024-01-01T09:00:00.000000+00:00`` (UTC,
    microseconds) and ``before``/``after`` as the documents' JSON text exactly as the store
    wrote it (compact, keys in the document's own order). Altering, deleting or reordering
    an entry breaks the chain from there on; :meth:`chain_hash` recomputes it and
    :meth:`Store.verify` checks it.

    Example::

        for entry in store.journal(kind="project", id="ALPHA"):
            print(entry.seq, entry.at, entry.actor, entry.op, entry.before, entry.after)
    """

    #: The ``prev_hash`` of the first entry of a journal: 64 zeros.
    GENESIS: ClassVar[str] = GENESIS

    seq: int
    txn_id: str
    at: datetime
    actor: str
    command: str
    kind: str
    id: str
    owner: str | None
    op: Op
    version: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # Defaults to "" so that a backend written before the chain still builds entries; the
    # conformance suite then says what is missing.
    hash: str = ""

    def chain_hash(self, prev_hash: str = GENESIS) -> str:
        """The hash this entry must carry when it follows an entry whose hash is ``prev_hash``.

        Computed from the values alone (the documents as compact JSON in their own key
        order, which is the text pmo-core's stores write), so a chain can be checked outside
        the store, from ``pmo journal --json`` or an export.

        Example::

            prev = JournalEntry.GENESIS
            for entry in store.journal():
                assert entry.hash == entry.chain_hash(prev)
                prev = entry.hash
        """

        def text(document: dict[str, Any] | None) -> str | None:
            if document is None:
                return None
            return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

        canonical = entry_text(
            self.seq,
            self.txn_id,
            format_time(self.at),
            self.actor,
            self.command,
            self.kind,
            self.id,
            self.owner,
            self.op,
            self.version,
            text(self.before),
            text(self.after),
        )
        return entry_hash(prev_hash, canonical)


@dataclass(frozen=True, slots=True)
class TransactionInfo:
    """One committed transaction that changed something, as listed by ``Store.transactions``.

    Example::

        for info in store.transactions(actor="alice"):
            print(info.txn_id, info.at, info.command, info.change_count)
    """

    txn_id: str
    at: datetime
    actor: str
    command: str
    change_count: int


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What :meth:`Store.verify` found; ``ok`` when it found nothing wrong.

    ``journal`` lists problems with the journal and the documents: a break in the hash chain
    (naming the first bad entry by ``seq`` and, where the chain shows it, whether entries were
    altered, deleted or reordered), a transaction whose entries do not add up, and a document
    that differs from the replay of its journal. ``integrity`` lists problems with the storage
    itself: a failed integrity check of the file, a missing append-only trigger. ``entries``
    is the number of journal entries checked and ``head`` the hash of the last one
    (:attr:`JournalEntry.GENESIS` for an empty journal): written down somewhere else, it lets
    a later check notice a journal rewritten as a whole. A quick check (``quick=True``) checks
    the storage only: ``entries`` is 0 and ``head`` is ``None``.

    Example::

        result = store.verify()
        if not result.ok:
            for problem in result.problems:
                print(problem)
    """

    entries: int = 0
    head: str | None = None
    journal: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    quick: bool = False

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong.

        Example::

            assert store.verify().ok
        """
        return not self.journal and not self.integrity

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem found: the storage's first, then the journal's.

        Example::

            for problem in store.verify().problems:
                print(problem)
        """
        return self.integrity + self.journal


@runtime_checkable
class ReadView(Protocol):
    """A read-only view of a store as it was known at ``at``, rebuilt from the journal.

    Example::

        when = datetime(2025, 3, 31, tzinfo=timezone.utc)
        then = store.as_of(when)
        doc = then.get("project", "ALPHA")
        open_risks = then.count("raid", owner="ALPHA")
    """

    @property
    def at(self) -> datetime:
        """The moment this view shows (UTC).

        Example::

            assert store.as_of(when).at == when
        """
        ...

    def get(self, kind: str, id: str) -> Document | None:
        """The document as it was at ``at``, or ``None`` if it did not exist then.

        Example::

            old = store.as_of(when).get("project", "ALPHA")
        """
        ...

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        """Documents of ``kind`` that existed at ``at``, ordered by id; ``owner``,
        ``owners`` and ``ids`` filter as in :meth:`Store.query`, by the owner each had then.

        Example::

            names = [d.data["name"] for d in store.as_of(when).query("project")]
            tasks = list(store.as_of(when).query("work_item", owners=["ALPHA", "BETA"]))
        """
        ...

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        """How many documents of ``kind`` existed at ``at``.

        Example::

            n = store.as_of(when).count("project", owner="PF-1")
        """
        ...

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Documents that existed at ``at`` whose text, as it was then, matches ``text``.

        The same matching as :meth:`Store.search`; the built-in views and PostgreSQL's scan
        the documents of the moment instead of using an index (searching the past is rare,
        and its text is not the text indexed now).

        Example::

            hits = store.as_of(when).search("vendor delay", kinds=["raid_item"])
        """
        ...


@runtime_checkable
class VersionReader(Protocol):
    """An optional capability of a store or transaction: the versions of documents, read
    without their data.

    An import asks it for the records whose source did not change, to tell in one cheap
    query whether they moved since; a backend without it is read with ``query`` instead.
    The built-in stores and their transactions have it; a backend adds it by defining the
    method (:class:`~pmo_core.testing.store_conformance.StoreConformance` then checks it).

    Example::

        with store.transaction("alice") as tx:
            if isinstance(tx, VersionReader):
                versions = tx.versions("project", ["ALPHA", "NOPE"])  # {'ALPHA': 2}
    """

    def versions(self, kind: str, ids: Collection[str]) -> dict[str, int]:
        """``{id: version}`` of the documents of ``kind`` among ``ids`` (absent ones left out).

        Example::

            store.versions("project", ["ALPHA", "NOPE"])  # {'ALPHA': 2}
        """
        ...


@runtime_checkable
class Transaction(Protocol):
    """One unit of work: every write inside commits together or not at all.

    Reads on the transaction see its own writes. Obtain one from :meth:`Store.transaction`;
    after the ``with`` block it is closed (writes raise ``StoreError``) but ``changes`` and
    ``txn_id`` stay readable.

    Example::

        with store.transaction("alice", command="project create") as tx:
            tx.insert("project", "GAMMA", {"name": "Gamma"}, owner="PF")
        [(c.op, c.kind, c.id) for c in tx.changes]  # [('insert', 'project', 'GAMMA')]
    """

    @property
    def txn_id(self) -> str:
        """The id every journal entry of this transaction carries.

        Example::

            entries = list(store.journal(txn_id=tx.txn_id))
        """
        ...

    @property
    def changes(self) -> list[Change]:
        """The writes made so far, in order.

        Example::

            ops = [c.op for c in tx.changes]  # ['insert']
        """
        ...

    def insert(
        self, kind: str, id: str, data: dict[str, Any], *, owner: str | None = None
    ) -> Document:
        """Create a document at version 1; ``ConflictError`` if ``(kind, id)`` exists.

        Example::

            with store.transaction("alice") as tx:
                doc = tx.insert("raid_item", "R-1", {"title": "Vendor late"}, owner="ALPHA")
            assert doc.version == 1
        """
        ...

    def insert_many(self, kind: str, rows: Iterable[tuple[str, str | None, dict[str, Any]]]) -> int:
        """Bulk-create documents of one kind from ``(id, owner, data)`` rows; returns the count.

        All rows are written or none (``ConflictError`` on any duplicate, and the transaction
        stays usable). This is the fast path for imports.

        Example::

            with store.transaction("alice") as tx:
                n = tx.insert_many("task", ((f"T-{i}", "ALPHA", {"n": i}) for i in range(1000)))
        """
        ...

    def update(
        self,
        kind: str,
        id: str,
        data: dict[str, Any],
        *,
        expected_version: int,
        owner: OwnerUpdate = KEEP,
    ) -> Document:
        """Replace a document's data; ``ConflictError`` if its version is not ``expected_version``.

        ``NotFoundError`` if it does not exist. ``owner`` defaults to the current owner.

        Example::

            with store.transaction("alice") as tx:
                doc = tx.update("project", "GAMMA", {"name": "Gamma 2"}, expected_version=1)
            assert doc.version == 2
        """
        ...

    def delete(self, kind: str, id: str, *, expected_version: int) -> None:
        """Delete a document; ``ConflictError`` if stale, ``NotFoundError`` if absent.

        Example::

            with store.transaction("alice") as tx:
                tx.delete("project", "GAMMA", expected_version=1)
        """
        ...

    def get(self, kind: str, id: str) -> Document | None:
        """A document as this transaction sees it, or ``None``.

        Example::

            with store.transaction("alice") as tx:
                doc = tx.get("project", "ALPHA")
        """
        ...

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        """Documents of ``kind`` as this transaction sees them, ordered by id; ``owner``,
        ``owners`` and ``ids`` filter as in :meth:`Store.query`.

        Example::

            with store.transaction("alice") as tx:
                risks = list(tx.query("raid", owner="ALPHA"))
        """
        ...


@runtime_checkable
class Store(Protocol):
    """A transactional, journaled document store.

    Reads outside a transaction see committed data (and, on the same store object, the writes
    of a transaction that is still open). Use it as a context manager to close it.

    Example::

        with SQLiteStore("notes.db") as notes:
            with notes.transaction("alice", command="project create") as tx:
                tx.insert("project", "ALPHA", {"name": "Alpha"})
            assert notes.count("project") == 1
    """

    @property
    def schema_version(self) -> int:
        """The storage schema version in use.

        Example::

            assert store.schema_version >= 1
        """
        ...

    def transaction(self, actor: str, *, command: str = "") -> AbstractContextManager[Transaction]:
        """Open a unit of work; an exception inside rolls everything back.

        ``actor`` is who is writing; ``command`` what they ran (both go to the journal).
        Nested transactions on one store raise ``StoreError``.

        Example::

            with store.transaction("alice", command="raid add") as tx:
                tx.insert("raid_item", "R-1", {"title": "Vendor late"}, owner="ALPHA")
        """
        ...

    def get(self, kind: str, id: str) -> Document | None:
        """A document, or ``None`` if it does not exist.

        Example::

            doc = store.get("project", "ALPHA")
        """
        ...

    def query(
        self,
        kind: str,
        *,
        owner: OwnerFilter = ANY,
        ids: Collection[str] | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[Document]:
        """Documents of ``kind`` ordered by id, optionally by owner and/or among ``ids``.

        ``owner=ANY`` (default) means any owner; ``owner=None`` means documents with no owner.
        ``owners`` (a collection of owner ids) keeps the documents owned by any of them, in
        one read: a document without an owner never matches, an empty collection matches
        nothing. Give ``owner`` or ``owners``, not both (``InvalidInputError``, a
        ``ValueError``).

        Example::

            for doc in store.query("project", owner="PF"):
                print(doc.id, doc.data["name"])
            risks = list(store.query("raid", owners=["ALPHA", "BETA"]))
        """
        ...

    def count(self, kind: str, *, owner: OwnerFilter = ANY) -> int:
        """How many documents of ``kind`` there are (optionally with ``owner``).

        Example::

            n = store.count("raid", owner="ALPHA")
        """
        ...

    def values(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: OwnerFilter = ANY,
        owners: Collection[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream chosen fields of every document of ``kind``, ordered by id, as tuples.

        Fields are top-level or dotted JSON paths (``"budget.amount"``); a missing field is
        ``None``; objects and arrays come back as compact JSON text, booleans may come back as
        ``1``/``0``. The pseudo-fields ``@id``, ``@owner``, ``@version``, ``@updated_at``
        (ISO text) and ``@updated_by`` read the document's columns. No ``Document`` is built:
        this is the bulk path for roll-ups.

        ``owner`` filters as in :meth:`query`; ``owners`` (a collection of owner ids, not
        both) keeps the documents of any of them, so a roll-up reads its projects a chunk
        at a time, one query per chunk, holding no more than the chunk's rows.

        Example::

            total = sum(float(a or 0) for (a,) in store.values("project", ["budget.amount"]))
            for owner, pct in store.values(
                "work_item", ["@owner", "percent_complete"], owners=["ALPHA", "BETA"]
            ):
                ...
        """
        ...

    def search(
        self,
        text: str,
        *,
        kinds: Collection[str] | None = None,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Documents whose text matches ``text``, best match first (then by kind and id).

        Query syntax: plain words, all of which must match, case-insensitive; ``"quoted
        phrases"`` match words in that order; the last word, unless quoted, also matches as
        a prefix (``deliv`` finds ``delivery``). Nothing else is syntax: quotes, ``*``,
        ``NEAR``, ``OR``, parentheses and SQL are read as words or separators, never raise,
        never reach the index's query language. A text without any word finds nothing.

        Indexed text: every string value of the document at any depth (names, titles,
        descriptions, notes, subjects, tags), but not keys, the document's own ``id`` and
        ``kind``, strings that are dates or numbers (amounts), nor numbers, booleans or
        nulls (:meth:`~pmo_core.SearchQuery.text_of`). Words are runs of letters and
        digits. ``kinds`` restricts to those kinds, ``owner`` filters as in :meth:`query`,
        ``limit`` caps the hits (``None``: all). Reads see an open transaction's writes.

        Example::

            for hit in store.search("vendor late", kinds=["raid"], owner="ALPHA"):
                print(hit.kind, hit.id, hit.snippet)  # raid 3f2a3e19e52b [Vendor] delivers [late]
        """
        ...

    def kinds(self) -> list[str]:
        """The kinds that have at least one document, sorted.

        Example::

            "project" in store.kinds()  # True
        """
        ...

    def journal(
        self,
        *,
        kind: str | None = None,
        id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        txn_id: str | None = None,
    ) -> Iterator[JournalEntry]:
        """Journal entries in ``seq`` order, filtered; ``since <= at <= until`` (both inclusive).

        Example::

            history = list(store.journal(kind="project", id="ALPHA"))
        """
        ...

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
        ...

    def verify(self, *, quick: bool = False) -> VerifyResult:
        """Check the store: the journal's hash chain, documents against the journal, storage.

        A full check walks the hash chain from the first entry, checks that each transaction
        holds the entries it says it made, that every current document equals the replay of
        its journal (the latest ``after`` of its ``(kind, id)``; no document without a journal
        and no journal without its document unless deleted), and checks the storage (for
        SQLite: ``PRAGMA quick_check`` and ``integrity_check``, and the append-only
        triggers). ``quick=True`` checks the storage only, cheaply enough to run on every
        ``pmo doctor``. Problems are returned, never raised: a damaged store gives a result
        that is not ``ok``. Nothing is written. ``StoreError`` only for a closed store or
        inside an open transaction.

        Example::

            result = store.verify()
            assert result.ok, result.problems
            print(result.entries, result.head)
        """
        ...

    def as_of(self, when: datetime) -> ReadView:
        """A read-only view of the data as known at ``when`` (timezone-aware).

        Example::

            q1 = store.as_of(datetime(2024, 3, 31, 23, 59, tzinfo=timezone.utc))
            print(q1.count("project"))
        """
        ...

    def close(self) -> None:
        """Release the store's resources; using it afterwards raises ``StoreError``.

        Example::

            store.close()
        """
        ...

    def __enter__(self) -> Store:
        """Return the store itself.

        Example::

            with SQLiteStore("pmo.db") as store:
                ...
        """
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store.

        Example::

            with MemoryStore() as store:
                ...
        """
        ...


@runtime_checkable
class SupportsCopyIn(Protocol):
    """An optional store capability: load another store's journal verbatim into this one.

    ``pmo store copy`` and :func:`~pmo_core.copy_store` need it on the destination; a
    backend without it can still be copied *from*. Check for it with
    ``isinstance(store, SupportsCopyIn)``.

    Example::

        source, dest = store, MemoryStore()
        if isinstance(dest, SupportsCopyIn):
            dest.copy_in(source.journal())
    """

    def copy_in(self, entries: Iterable[JournalEntry]) -> int:
        """Load ``entries`` (a journal, in ``seq`` order) into this EMPTY store, verbatim.

        Every field is kept as given: ``seq``, ``txn_id``, ``at``, ``actor``, ``command``,
        ``kind``, ``id``, ``owner``, ``op``, ``version``, ``before``, ``after`` and ``hash``,
        so the hash chain and as-of reads carry over. The transaction log is written from the
        entries (one per ``txn_id``, ``change_count`` = its entries), and the documents are
        rebuilt from the last entry of each ``(kind, id)`` (absent if it is a delete). The
        entries are consumed as a stream and written in batches, all in one unit: if
        anything fails (an entry out of ``seq`` order, a malformed one, the iterator
        raising), nothing is written. A store that already holds anything raises
        ``StoreError``; so does a call inside an open transaction. Returns the number of
        entries loaded; the next transaction continues the chain after the last one.

        Example::

            with MemoryStore() as copy:
                assert copy.copy_in(store.journal()) == len(list(store.journal()))
                assert copy.verify().head == store.verify().head
        """
        ...
