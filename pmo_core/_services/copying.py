"""Copying a whole store to another URL (``pmo store copy``, :func:`copy_store`): the journal
verbatim, the documents rebuilt from it, and both sides checked against each other after."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._errors import InvalidInputError, PmoError, StoreError
from .._redact import redact
from .._store.chain import GENESIS, format_time, hasher
from .._store.protocol import JournalEntry, Store, SupportsCopyIn
from .._store.sqlite import SQLiteStore
from .storage import open_url

__all__ = ["CopyProgress", "CopyResult", "StoreSummary", "copy_store"]

#: ``progress(phase, done, total)``: ``phase`` is ``"copy"`` (journal entries read and
#: written), ``"check source"`` or ``"check destination"`` (documents checksummed);
#: ``total`` is ``None`` where it is not known beforehand.
CopyProgress = Callable[[str, int, "int | None"], None]

# Report progress every this many entries or documents: often enough for a bar to move,
# rarely enough to cost nothing.
_EVERY = 5000


@dataclass(frozen=True)
class StoreSummary:
    """What one store holds, as :func:`copy_store` compares it on both sides of a copy.

    ``url`` is shown without its password; ``documents`` counts the current documents per
    kind; ``entries`` and ``transactions`` count the journal and its transaction log;
    ``head`` is the hash of the last journal entry (:attr:`JournalEntry.GENESIS` when there
    is none); ``checksum`` is a SHA-256 over every document (kind, id, owner, version, data,
    time and author), in kind and id order, so two stores with the same documents have the
    same checksum whatever their backend.

    Example::

        summary = copy_store("sqlite:///.pmo/pmo.db", "sqlite:///backup.db").source
        print(summary.entries, summary.head, summary.documents.get("project", 0))
    """

    url: str
    documents: dict[str, int] = field(default_factory=dict)
    entries: int = 0
    transactions: int = 0
    head: str = GENESIS
    checksum: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON-able data (what ``pmo store copy --json`` prints per side).

        Example::

            summary.as_dict()["documents"]["project"]  # 4
        """
        return {
            "url": self.url,
            "documents": dict(self.documents),
            "entries": self.entries,
            "transactions": self.transactions,
            "head": self.head,
            "checksum": self.checksum,
        }


@dataclass(frozen=True)
class CopyResult:
    """The outcome of :func:`copy_store`: what each side holds after the copy (equal, or the
    copy would have failed) and how long it took.

    Example::

        result = copy_store("sqlite:///.pmo/pmo.db", "sqlite:///backup.db")
        assert result.source.checksum == result.destination.checksum
        print(f"{result.entries} entries in {result.seconds:.1f} s")
    """

    source: StoreSummary
    destination: StoreSummary
    entries: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-able data (what ``pmo store copy --json`` prints).

        Example::

            result.as_dict()["destination"]["head"] == result.as_dict()["source"]["head"]
        """
        return {
            "source": self.source.as_dict(),
            "destination": self.destination.as_dict(),
            "entries": self.entries,
            "seconds": round(self.seconds, 3),
        }


def _quiet(phase: str, done: int, total: int | None) -> None:
    return None


def _documents_checksum(
    store: Store, progress: CopyProgress, phase: str, total: int
) -> tuple[dict[str, int], str]:
    """Counts per kind and the checksum of every document, read through the protocol."""
    digest = hasher()(b"")
    counts: dict[str, int] = {}
    done = 0
    for kind in store.kinds():
        n = 0
        for doc in store.query(kind):
            line = json.dumps(
                [
                    doc.kind,
                    doc.id,
                    doc.owner,
                    doc.version,
                    doc.data,
                    format_time(doc.updated_at),
                    doc.updated_by,
                ],
                ensure_ascii=False,
                separators=(",", ":"),
            )
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
            n += 1
            done += 1
            if done % _EVERY == 0:
                progress(phase, done, total)
        counts[kind] = n
    progress(phase, done, total)
    return counts, digest.hexdigest()


def _summary(store: Store, url: str, head: str, report: CopyProgress, phase: str) -> StoreSummary:
    txns = list(store.transactions())
    entries = sum(t.change_count for t in txns)
    total = sum(store.count(kind) for kind in store.kinds())
    counts, checksum = _documents_checksum(store, report, phase, total)
    return StoreSummary(url, counts, entries, len(txns), head, checksum)


def _open_side(
    target: str | Store, side: str, *, create: bool, environ: Mapping[str, str] | None
) -> tuple[Store, str, bool]:
    """The store, how to show it, and whether this copy opened it (and so closes it)."""
    if not isinstance(target, str):
        return target, repr(target), False
    try:
        return open_url(target, create=create, environ=environ), redact(target), True
    except InvalidInputError as exc:
        raise InvalidInputError(str(exc), where=side) from None
    except PmoError as exc:
        raise type(exc)(f"{side}: {exc}") from None


def _sqlite_file(target: str | Store) -> str | None:
    """The file a ``sqlite:`` URL names (``None`` for an in-memory one or another scheme)."""
    if not isinstance(target, str) or not target.startswith("sqlite:///"):
        return None
    rest = target[len("sqlite:///") :]
    return os.path.abspath(rest) if rest and rest != ":memory:" else None


def _empty(store: Store) -> bool:
    return not store.kinds() and next(iter(store.transactions()), None) is None


def _discard(dest: Store, created: str | None) -> str:
    """Undo a copy that failed; say what became of the destination."""
    if created is not None and isinstance(dest, SQLiteStore):
        dest.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(created + suffix)
        return "the destination file this copy created was removed"
    try:
        if _empty(dest):
            return "nothing was written to the destination"
    except PmoError:
        pass
    return "the destination holds the failed copy: empty it before copying again"


class _CheckedStream:
    """The source's entries as they are copied, their hash chain checked on the way."""

    def __init__(self, entries: Iterator[JournalEntry], report: CopyProgress, total: int) -> None:
        self._entries = entries
        self._report = report
        self._total = total
        self.head = GENESIS
        self.count = 0

    def __iter__(self) -> Iterator[JournalEntry]:
        prev = GENESIS
        report, total, done = self._report, self._total, 0
        for entry in self._entries:
            if entry.hash != entry.chain_hash(prev):
                raise StoreError(
                    f"SRC: journal entry seq {entry.seq} does not follow from the entries "
                    "before it (the source's journal is damaged): run 'pmo doctor --verify' "
                    "on the source"
                )
            prev = entry.hash
            done += 1
            if done % _EVERY == 0:
                report("copy", done, total)
            yield entry
        self.head, self.count = prev, done
        report("copy", done, total)


def _differences(source: StoreSummary, dest: StoreSummary) -> list[str]:
    found = []
    for what in ("documents", "entries", "transactions", "head", "checksum"):
        mine, theirs = getattr(source, what), getattr(dest, what)
        if mine != theirs:
            found.append(f"{what}: source {mine}, destination {theirs}")
    return found


def copy_store(
    source: str | Store,
    dest: str | Store,
    progress: CopyProgress | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> CopyResult:
    """Copy the whole store ``source`` into the empty store ``dest`` (URLs or open stores).

    The journal is copied verbatim (every entry's ``seq``, ``txn_id``, time, actor,
    command, documents and hash), so the hash chain and as-of reads carry over; the
    destination rebuilds its documents and transaction log from it, in one unit of work
    (the destination backend's ``copy_in``; see :class:`~pmo_core.SupportsCopyIn`). The
    source's chain is checked as it is read, and the source is only read. Afterwards the
    destination must pass :meth:`Store.verify`, and both sides must agree on the documents
    per kind, the journal size, the chain head and a checksum of every document; else the
    copy is undone (a SQLite file this copy created is removed) and ``StoreError`` says what
    differs. A destination that holds anything, or whose backend cannot load a journal, is
    refused before anything is read.

    A URL may name any installed backend (``sqlite:///...``, ``postgresql://...``); a
    password in it is never shown. A store object (a :class:`~pmo_core.MemoryStore`, an open
    workspace's ``ws.store``) is used as it is and left open. ``progress(phase, done,
    total)`` is called along the way (see ``CopyProgress``).

    Example::

        result = copy_store("sqlite:///.pmo/pmo.db", "sqlite:///backup/pmo.db")
        print(result.entries, result.destination.head)
    """
    report = progress or _quiet
    started = time.perf_counter()
    if source is dest or (isinstance(source, str) and source == dest):
        shown = redact(source) if isinstance(source, str) else repr(source)
        raise InvalidInputError(f"SRC and DEST are the same store ({shown})", where="DEST")
    src, src_shown, close_src = _open_side(source, "SRC", create=False, environ=environ)
    try:
        created = _sqlite_file(dest)
        if created is not None and os.path.exists(created):
            created = None  # not this copy's to remove if it fails
        dst, dst_shown, close_dst = _open_side(dest, "DEST", create=True, environ=environ)
        try:
            return _copy(src, dst, (src_shown, dst_shown), created, report, started)
        finally:
            if close_dst:
                dst.close()
    finally:
        if close_src:
            src.close()


def _copy(
    source: Store,
    dest: Store,
    shown: tuple[str, str],
    created: str | None,
    report: CopyProgress,
    started: float,
) -> CopyResult:
    if not isinstance(dest, SupportsCopyIn):
        raise StoreError(
            f"DEST: the store backend of {shown[1]} cannot load a journal (it has no "
            "copy_in); copy into a SQLite store, or a backend that provides copy_in"
        )
    if not _empty(dest):
        raise InvalidInputError(
            f"the store {shown[1]} is not empty: copy into a new or empty store", where="DEST"
        )
    total = sum(t.change_count for t in source.transactions())
    stream = _CheckedStream(source.journal(), report, total)
    try:
        copied = dest.copy_in(stream)
        verified = dest.verify()
        dest_summary = _summary(
            dest, shown[1], verified.head or GENESIS, report, "check destination"
        )
        source_summary = _summary(source, shown[0], stream.head, report, "check source")
        problems = _differences(source_summary, dest_summary)
        if copied != source_summary.entries:
            problems.append(f"entries copied: {copied}, source {source_summary.entries}")
        problems += [f"destination: {p}" for p in verified.problems]
    except BaseException as exc:
        outcome = _discard(dest, created)
        if isinstance(exc, PmoError):
            raise type(exc)(f"{exc}; {outcome}") from exc
        raise
    if problems:
        outcome = _discard(dest, created)
        raise StoreError(
            "the copy does not match the source (did something write to the source during "
            f"the copy?): {'; '.join(problems[:5])}; {outcome}"
        )
    return CopyResult(source_summary, dest_summary, copied, time.perf_counter() - started)
