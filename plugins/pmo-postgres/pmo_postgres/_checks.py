"""What every pmo store checks and writes the same way, for the PostgreSQL store.

The store protocol fixes these (the conformance suite holds every backend to them): which
kinds, ids and owners are valid, how a document becomes JSON text, the time text the journal
hashes, and the canonical JSON of a journal entry (:class:`pmo_core.JournalEntry`). pmo-core
keeps its own copies private, so the rules are written here as the protocol states them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Iterator
from datetime import date, datetime, time, timezone
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any, Literal

from pmo_core import ANY, KEEP, Change, InvalidInputError, StoreError

Op = Literal["insert", "update", "delete"]

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
_FIELD_SEGMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*\Z")
_MAX_ID_LENGTH = 255
#: The document columns ``values()`` reads, named with an ``@`` so they never clash with keys.
PSEUDO_FIELDS = ("@id", "@owner", "@version", "@updated_at", "@updated_by")
# Types whose str() is their canonical text form (Decimal, UUID, Path...), as pmo-core's
# stores write them.
_STR_MODULES = ("decimal", "uuid", "fractions", "pathlib", "ipaddress")


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


def check_owner_filter(owner: object) -> Any:
    return owner if owner is ANY else check_owner(owner)


def check_owners(owner: object, owners: Collection[str] | None) -> Any:
    """The filter ``owner=`` and ``owners=`` of a read make: ``owner`` checked when no
    ``owners`` are given, else the set of owner ids; both at once are refused."""
    if owners is None:
        return check_owner_filter(owner)
    if owner is not ANY:
        raise InvalidInputError(f"give owner= or owners=, not both (owner={owner!r})")
    if isinstance(owners, str):
        raise InvalidInputError("owners must be a collection of owner ids, not a single string")
    return frozenset(check_id(o, "owner") for o in owners)


def check_owner_update(owner: object) -> Any:
    return owner if owner is KEEP else check_owner(owner)


def _text(value: str, what: str) -> str:
    # PostgreSQL text cannot hold NUL: refused here, before it aborts the transaction.
    if "\x00" in value:
        raise InvalidInputError(f"invalid {what} {value!r}: it holds a NUL character", where=what)
    return value


def check_actor(actor: object) -> str:
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInputError(f"invalid actor {actor!r}: must be a non-empty string")
    return _text(actor, "actor")


def check_command(command: object) -> str:
    if not isinstance(command, str):
        raise InvalidInputError(f"invalid command {command!r}: must be a string")
    return _text(command, "command")


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
    if type(value).__module__.split(".")[0] in _STR_MODULES:
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)  # a set has no order; sorted, the text is stable
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_ENCODER = json.JSONEncoder(
    default=_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
)


def dumps(data: object) -> str:
    """A document's data as compact JSON text in its own key order (what the chain hashes)."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"document data must be a dict, not {type(data).__name__}")
    try:
        return _ENCODER.encode(data)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"document data is not JSON-able: {exc}") from exc


def loads_opt(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


def compact(value: object) -> object:
    """Objects and arrays as compact JSON text, as ``Store.values`` returns them."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def aware(when: object, what: str = "when") -> datetime:
    if not isinstance(when, datetime):
        raise InvalidInputError(f"{what} must be a datetime, not {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInputError(f"{what} must be timezone-aware, got naive {when.isoformat()}")
    return when.astimezone(timezone.utc)


def format_time(when: datetime) -> str:
    """The journal's time text: UTC with microseconds, ``2024-01-01T09:00:00.000000+00:00``."""
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def clock_time(clock: Any) -> datetime:
    now = clock()
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise StoreError(f"the store clock returned {now!r}; it must return an aware datetime")
    # Through the stored form (microseconds, UTC), so what a write returns equals what a read
    # gives back.
    return datetime.fromisoformat(format_time(now))


def new_txn_id() -> str:
    return os.urandom(16).hex()


def field_path(field: object) -> tuple[str, ...]:
    if field in PSEUDO_FIELDS:
        return (str(field),)
    segments = tuple(field.split(".")) if isinstance(field, str) else ()
    if not segments or not all(_FIELD_SEGMENT_RE.match(s) for s in segments):
        raise InvalidInputError(
            f"invalid field {field!r}: use dotted names like 'budget.amount' or one of "
            + ", ".join(PSEUDO_FIELDS),
            where="fields",
        )
    return segments


# -- the journal's hash chain, as JournalEntry documents it ---------------------------------

#: The ``prev_hash`` of the first journal entry.
GENESIS = "0" * 64


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
    """The canonical JSON of one entry: keys sorted, compact, ``before``/``after`` as written."""
    e = encode_basestring
    return (
        f'{{"actor":{e(actor)},"after":{"null" if after is None else after},"at":{e(at)},'
        f'"before":{"null" if before is None else before},"command":{e(command)},'
        f'"id":{e(id)},"kind":{e(kind)},"op":{e(op)},'
        f'"owner":{"null" if owner is None else e(owner)},'
        f'"seq":{int(seq)},"txn_id":{e(txn_id)},"version":{int(version)}}}'
    )


def entry_hash(prev_hash: str, text: str) -> str:
    return sha256((prev_hash + text).encode("utf-8", "surrogateescape")).hexdigest()


# One write of a transaction, data as JSON text until someone asks for ``changes``:
# (op, kind, id, owner, version, before, after).
RawChange = tuple[Op, str, str, str | None, int, str | None, str | None]


class ChangeLog:
    """The writes of one transaction, in order; cheap to record, decoded on demand."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: list[RawChange] = []

    def record(self, change: RawChange) -> None:
        self._items.append(change)

    def extend(self, changes: list[RawChange]) -> None:
        self._items.extend(changes)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[RawChange]:
        return iter(self._items)

    def materialize(self) -> list[Change]:
        return [
            Change(op, kind, id, owner, version, loads_opt(before), loads_opt(after))
            for op, kind, id, owner, version, before, after in self._items
        ]
