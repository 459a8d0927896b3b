"""The journal's hash chain: what each entry's hash covers, and how a chain is checked.

Every journal entry carries ``hash = sha256(prev_hash + entry_json)`` (hex), where
``prev_hash`` is the hash of the entry before it (64 zeros for the first entry) and
``entry_json`` is the JSON of the entry: an object with the keys ``actor``, ``after``, ``at``,
``before``, ``command``, ``id``, ``kind``, ``op``, ``owner``, ``seq``, ``txn_id`` and
``version``, in that (sorted) order, without whitespace, UTF-8 (not ASCII-escaped). ``at`` is
the store's time text (UTC, microseconds: ``2024-01-01T09:00:00.000000+00:00``); ``before``
and ``after`` are the documents' JSON text exactly as the store wrote it (``null`` when
absent). pmo-core's stores write a document as compact JSON in its own key order (a status
report's dimensions keep the order they were given), which is what
``json.dumps(value, separators=(",", ":"), ensure_ascii=False)`` gives back from the parsed
value: the hash can be recomputed from the values alone.

This module has no dependency on the rest of the store so that the protocol, the backends
and the checks all share one definition. ``hashlib`` is imported on first use: a command that
only reads never pays for loading OpenSSL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from json.encoder import encode_basestring
from typing import Any

__all__ = [
    "GENESIS",
    "ChainRow",
    "chain_problems",
    "entry_hash",
    "entry_text",
    "format_time",
    "hasher",
    "missing",
]

#: The "previous hash" of the first journal entry.
GENESIS = "0" * 64

# One journal entry as the chain check reads it: (seq, prev_hash as recorded, hash as
# recorded, entry_json rebuilt from the stored columns). A backend that does not record the
# previous hash passes the previous entry's hash (it can then not tell a reorder from a forgery).
ChainRow = tuple[int, str | None, str | None, str]

_sha256: Callable[[bytes], Any] | None = None


def hasher() -> Callable[[bytes], Any]:
    """``hashlib.sha256``, imported on first use."""
    global _sha256
    if _sha256 is None:
        from hashlib import sha256

        _sha256 = sha256
    return _sha256


def format_time(when: datetime) -> str:
    """Fixed-width UTC ISO text, so that text order is time order (used in SQL comparisons)."""
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _json_text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def entry_text(
    seq: int,
    txn_id: str,
    at: str,
    actor: str,
    command: str,
    kind: str,
    id: str,
    owner: str | None,
    op: str,
    version: int,
    before: str | None,
    after: str | None,
) -> str:
    """The canonical JSON of one entry; ``at`` is time text, ``before``/``after`` JSON text."""
    e = encode_basestring
    return (
        f'{{"actor":{e(actor)},"after":{"null" if after is None else after},"at":{e(at)},'
        f'"before":{"null" if before is None else before},"command":{e(command)},'
        f'"id":{e(id)},"kind":{e(kind)},"op":{e(op)},"owner":{_json_text(owner)},'
        f'"seq":{int(seq)},"txn_id":{e(txn_id)},"version":{int(version)}}}'
    )


def entry_hash(prev_hash: str, text: str) -> str:
    """The hash of an entry whose canonical JSON is ``text``, following ``prev_hash``."""
    # surrogateescape: text read back from a damaged file may hold undecodable bytes; they
    # hash as the bytes they are instead of stopping the check.
    return str(hasher()((prev_hash + text).encode("utf-8", "surrogateescape")).hexdigest())


def missing(first: int, last: int) -> str:
    """``journal entry seq 4 is missing`` or ``journal entries seq 4 to 6 are missing``."""
    if first == last:
        return f"journal entry seq {first} is missing (deleted)"
    return f"journal entries seq {first} to {last} are missing (deleted)"


def _link_problem(
    seq: int, prev: str | None, recorded: str | None, text: str, expected: str, last_seq: int
) -> Callable[[Callable[[str], int | None]], str] | None:
    """What is wrong with one entry, as a function that words it (looking up a hash is
    slow, so it is done only for the problems that are reported)."""
    if recorded is None:
        return lambda _: f"journal entry seq {seq} has no hash: it was written around the store"
    if seq > last_seq + 1:
        return lambda _: (
            f"{missing(last_seq + 1, seq - 1)}: the chain jumps from seq {last_seq} to seq {seq}"
        )
    if seq <= last_seq:
        return lambda _: f"journal entry seq {seq} comes after seq {last_seq} (reordered)"
    if prev is not None and prev != expected:

        def unlinked(seq_of_hash: Callable[[str], int | None]) -> str:
            where = seq_of_hash(prev)
            if where is not None:
                return (
                    f"journal entry seq {seq} is out of order (reordered): it was written "
                    f"after the entry now at seq {where}, not after seq {last_seq}"
                )
            return (
                f"journal entry seq {seq} does not follow seq {last_seq}: the entry it was "
                f"written after is gone (deleted, or seq {last_seq} was replaced)"
            )

        return unlinked
    if entry_hash(expected if prev is None else prev, text) != recorded:
        return lambda _: (
            f"journal entry seq {seq} was altered (forged): its content does not give its hash"
        )
    return None


def chain_problems(
    rows: Iterable[ChainRow],
    seq_of_hash: Callable[[str], int | None],
    *,
    limit: int = 20,
) -> tuple[list[str], int, int, str]:
    """Walk a journal in ``seq`` order and say where its hash chain breaks.

    Returns ``(problems, entries, last_seq, head)``: ``head`` is the recorded hash of the last
    entry (``GENESIS`` for an empty journal). ``seq_of_hash`` finds the entry that carries a
    hash (used only to explain a broken link, so it may be slow). Each problem names the entry
    by ``seq`` and says what happened where the chain shows it:

    - a gap in ``seq`` (the store never skips one): entries were **deleted**;
    - an entry chained to an entry other than the one before it: entries were **reordered**
      (the entry it chained to is elsewhere) or **deleted** / replaced (it is nowhere);
    - an entry whose content no longer gives its hash: it was **altered** (forged).

    After a problem the walk carries on from the entry's own hash, so one bad entry is
    reported once and later, independent damage is still found.
    """
    problems: list[str] = []
    expected = GENESIS
    last_seq = 0
    entries = 0
    more = 0
    for seq, prev, recorded, text in rows:
        entries += 1
        problem = _link_problem(seq, prev, recorded, text, expected, last_seq)
        if problem is not None:
            if len(problems) < limit:
                problems.append(problem(seq_of_hash))
            else:
                more += 1
        expected = recorded or expected
        last_seq = max(last_seq, seq)
    if more:
        problems.append(f"... and {more} more journal problem(s)")
    return problems, entries, last_seq, expected
