"""Validation, JSON and time helpers shared by the built-in stores."""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime, time, timezone
from enum import Enum
from typing import Any

from pmo_core._errors import InvalidInputError, StoreError

from .._json import compact_or_none
from .._json import loads as json_loads
from .chain import format_time as format_time
from .chain import missing
from .protocol import ANY, KEEP, Change, Clock, Op, OwnerFilter, OwnerUpdate

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
_FIELD_SEGMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*\Z")
_MAX_ID_LENGTH = 255
#: Document columns that ``values()`` can read, named with an ``@`` so they never clash with
#: JSON keys.
PSEUDO_FIELDS = ("@id", "@owner", "@version", "@updated_at", "@updated_by")

# Types whose str() is their canonical text form; checked by module so that importing decimal,
# uuid or pathlib here is not needed (keeps the store's import cost to sqlite3/json/datetime).
_STR_MODULES = ("decimal", "uuid", "fractions", "pathlib", "ipaddress")

_ENCODER = None  # built lazily: json.JSONEncoder with our default


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def check_kind(kind: object) -> str:
    if not isinstance(kind, str) or not _KIND_RE.match(kind):
        raise InvalidInputError(
            f"invalid kind {kind!r}: must match ^[a-z][a-z0-9_]*$", where="kind"
        )
    return kind


def check_id(value: object, what: str = "id") -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > _MAX_ID_LENGTH
        or not value.isprintable()
        or value != value.strip()
    ):
        raise InvalidInputError(
            f"invalid {what} {value!r}: must be a non-empty printable string of at most "
            f"{_MAX_ID_LENGTH} characters without surrounding spaces",
            where=what,
        )
    return value


def check_owner(owner: object) -> str | None:
    return None if owner is None else check_id(owner, "owner")


def check_owner_filter(owner: OwnerFilter) -> OwnerFilter:
    return owner if owner is ANY else check_owner(owner)


#: A read's owner filter as the built-in stores apply it: ``ANY``, one owner (``None``: no
#: owner), or a set of owners (``owners=``).
OwnerMatch = OwnerFilter | frozenset[str]


def check_owners(owner: OwnerFilter, owners: Collection[str] | None) -> OwnerMatch:
    """The filter ``owner=`` and ``owners=`` of a read make: ``owner`` checked when no
    ``owners`` are given, else the set of owner ids; both at once are refused."""
    if owners is None:
        return check_owner_filter(owner)
    if owner is not ANY:
        raise InvalidInputError(f"give owner= or owners=, not both (owner={owner!r})")
    if isinstance(owners, str):
        raise InvalidInputError("owners must be a collection of owner ids, not a single string")
    return frozenset(check_id(o, "owner") for o in owners)


def check_owner_update(owner: OwnerUpdate) -> OwnerUpdate:
    return owner if owner is KEEP else check_owner(owner)


def check_actor(actor: object) -> str:
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInputError(f"invalid actor {actor!r}: must be a non-empty string")
    return actor


def check_command(command: object) -> str:
    if not isinstance(command, str):
        raise InvalidInputError(f"invalid command {command!r}: must be a string")
    return command


def check_version(version: object) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInputError(
            f"invalid expected_version {version!r}: must be an integer >= 1",
            where="expected_version",
        )
    return version


def _default(value: object) -> object:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if type(value).__module__.split(".")[0] in _STR_MODULES:
        return str(value)
    if isinstance(value, (set, frozenset)):
        # Sets have no order; sorting keeps the stored text deterministic.
        return sorted(value, key=repr)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


#: How ``dumps`` writes a value JSON has no type for (search reads data not yet written).
json_default = _default


def dumps(data: object) -> str:
    """Serialise a document's data to compact JSON text; InvalidInputError if it cannot be.

    The text is what ``json.dumps(loads(text), separators=(",", ":"), ensure_ascii=False)``
    gives back (keys in the document's own order): the journal's hash chain covers it, and
    :meth:`JournalEntry.chain_hash` recomputes it from the values. orjson writes it where
    it writes that very text (:mod:`pmo_core._json`): a bulk import encodes hundreds of
    thousands of documents. An enum is stored as its value.
    """
    if not isinstance(data, dict):
        raise InvalidInputError(f"document data must be a dict, not {type(data).__name__}")
    text = compact_or_none(data, _default)
    if text is not None:
        return text
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = json.JSONEncoder(
            default=_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    try:
        return _ENCODER.encode(data)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"document data is not JSON-able: {exc}") from exc


loads = json_loads


def loads_opt(text: str | bytes | None) -> dict[str, Any] | None:
    return None if text is None else loads(unpack_text(text))


#: A journal document longer than this is stored compressed (shorter ones gain too little
#: for the time): a stored work item of some 550 bytes takes about 300.
PACK_OVER = 400


def pack_text(text: str | None) -> str | bytes | None:
    """A journal document's JSON text as the SQLite store keeps it: the text itself, or
    above :data:`PACK_OVER` characters its UTF-8 bytes compressed (raw deflate), a BLOB.

    The journal's hash chain covers the text, never the stored bytes.
    """
    if text is None or len(text) <= PACK_OVER:
        return text
    # A small window and memory level: documents are small, and zlib's defaults allocate
    # some 260 KB per call, which costs more than compressing.
    packer = zlib.compressobj(6, zlib.DEFLATED, -11, 4)
    return packer.compress(text.encode("utf-8", "surrogateescape")) + packer.flush()


def unpack_text(value: str | bytes) -> str:
    """The text :func:`pack_text` stored (text as it is, a BLOB decompressed)."""
    if isinstance(value, bytes):
        return zlib.decompress(value, -15).decode("utf-8", "surrogateescape")
    return value


def pack_hash(value: str | None) -> bytes | str | None:
    """A journal hash as the SQLite store keeps it: the 32 bytes of the hex text.

    Anything else (no hash, or text that is not a hash, as a damaged or hand-edited journal
    may hold) is kept as it is, so that the chain check reports it rather than losing it.
    """
    if isinstance(value, str) and len(value) == 64:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value


def unpack_hash(value: bytes | str | None) -> str:
    """The hex text of a hash :func:`pack_hash` stored (``""`` for none)."""
    if isinstance(value, bytes):
        return value.hex()
    return value or ""


def aware(when: object, what: str = "when") -> datetime:
    if not isinstance(when, datetime):
        raise InvalidInputError(f"{what} must be a datetime, not {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInputError(f"{what} must be timezone-aware, got naive {when.isoformat()}")
    return when.astimezone(timezone.utc)


parse_time = datetime.fromisoformat


def clock_time(clock: Clock) -> datetime:
    now = clock()
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise StoreError(f"the store clock returned {now!r}; it must return an aware datetime")
    # Round-trip through the stored text form so in-memory values equal what reads return.
    return parse_time(format_time(now))


def new_txn_id() -> str:
    return os.urandom(16).hex()


def field_path(field: str) -> tuple[str, ...]:
    """Split ``"budget.amount"`` into its segments; InvalidInputError on a malformed field."""
    if field in PSEUDO_FIELDS:
        return (field,)
    segments = tuple(field.split(".")) if isinstance(field, str) else ()
    if not segments or not all(_FIELD_SEGMENT_RE.match(s) for s in segments):
        raise InvalidInputError(
            f"invalid field {field!r}: use dotted names like 'budget.amount' or one of "
            + ", ".join(PSEUDO_FIELDS),
            where="fields",
        )
    return segments


def compact_json(value: object) -> object:
    """Return what SQLite's json_extract returns: containers as compact JSON text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


# One recorded write, with data kept as JSON text until someone asks for ``changes``:
# (op, kind, id, owner, version, before, after).
RawChange = tuple[Op, str, str, str | None, int, str | None, str | None]


class BulkInsert:
    """The rows of one ``insert_many`` call, kept as given so a big import is not copied."""

    __slots__ = ("kind", "rows")

    def __init__(self, kind: str, rows: list[tuple[str, str | None, str]]) -> None:
        self.kind = kind
        self.rows = rows


class ChangeLog:
    """The writes of one transaction, in order; cheap to record, materialised on demand."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: list[RawChange | BulkInsert] = []

    def record(
        self,
        op: Op,
        kind: str,
        id: str,
        owner: str | None,
        version: int,
        before: str | None,
        after: str | None,
    ) -> None:
        self._items.append((op, kind, id, owner, version, before, after))

    def record_bulk(self, kind: str, rows: list[tuple[str, str | None, str]]) -> None:
        self._items.append(BulkInsert(kind, rows))

    def clear(self) -> None:
        self._items.clear()

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return sum(len(i.rows) if isinstance(i, BulkInsert) else 1 for i in self._items)

    def raw(self) -> Iterator[RawChange]:
        for item in self._items:
            if isinstance(item, BulkInsert):
                kind = item.kind
                for id, owner, text in item.rows:
                    yield ("insert", kind, id, owner, 1, None, text)
            else:
                yield item

    def materialize(self) -> list[Change]:
        return [
            Change(op, kind, id, owner, version, loads_opt(before), loads_opt(after))
            for op, kind, id, owner, version, before, after in self.raw()
        ]


# -- verify: the wording both built-in stores use, so their reports read the same ------------

#: Problems of one kind listed before "... and N more": enough to see the pattern; a damaged
#: store with a million entries still gives a readable report.
PROBLEM_LIMIT = 20


class Problems:
    """Problems of one kind, the first ``PROBLEM_LIMIT`` worded, the rest counted."""

    __slots__ = ("_items", "_more", "_what")

    def __init__(self, what: str) -> None:
        self._items: list[str] = []
        self._more = 0
        self._what = what

    @property
    def full(self) -> bool:
        return len(self._items) >= PROBLEM_LIMIT

    def add(self, problem: str) -> None:
        if self.full:
            self._more += 1
        else:
            self._items.append(problem)

    def count_more(self) -> None:
        self._more += 1

    def done(self) -> list[str]:
        more = [f"... and {self._more} more {self._what}"] if self._more else []
        return self._items + more


def missing_tail(last_seq: int, given: int) -> list[str]:
    """The entries after ``last_seq`` up to ``given``, the highest seq the store gave out."""
    if given > last_seq:
        return [f"{missing(last_seq + 1, given)}: the journal had reached seq {given}"]
    if given < last_seq:
        return [f"the journal's sequence counter is at {given}, behind seq {last_seq}: edited"]
    return []


def transaction_problems(
    problems: Problems,
    txn_id: str,
    at: str,
    actor: str,
    command: str,
    count: int,
    found: int,
    disagree: int,
) -> None:
    """What is wrong with one transaction record against its journal entries."""
    if problems.full:
        problems.count_more()
        return
    what = f"transaction {txn_id} ({command!r} by {actor} at {at})"
    if found < count:
        problems.add(
            f"{what} made {count} change(s) but the journal holds {found} of them (entries deleted)"
        )
    elif found > count:
        problems.add(f"{what} made {count} change(s) but the journal holds {found} (entries added)")
    if disagree:
        problems.add(f"{what}: {disagree} of its journal entries disagree with it (altered)")


def orphan_problem(txn_id: str, first: int, count: int) -> str:
    return (
        f"journal entries from seq {first} ({count} of transaction {txn_id}) belong to no "
        "recorded transaction (forged, or the transaction record was deleted)"
    )


#: The document fields the replay compares, in the order ``replay_problem`` takes them.
REPLAY_FIELDS = ("data", "version", "owner", "updated_at", "updated_by")


def replay_problem(
    kind: str, id: str, seq: int, op: str, present: bool, same: Iterable[bool]
) -> str:
    """What is wrong with a document against the latest journal entry of its ``(kind, id)``."""
    if op == "delete":
        return (
            f"document {kind} {id} exists, but its journal deleted it (seq {seq}): "
            "written around the journal"
        )
    if not present:
        return (
            f"document {kind} {id} is missing, but its journal's latest entry (seq {seq}) says "
            "it exists: deleted around the journal"
        )
    differ = ", ".join(f for f, ok in zip(REPLAY_FIELDS, same, strict=True) if not ok)
    return (
        f"document {kind} {id} differs from the replay of its journal (seq {seq}) in {differ}: "
        "edited around the journal"
    )


def unjournaled_problem(kind: str, id: str) -> str:
    return f"document {kind} {id} has no journal: written around the store"
