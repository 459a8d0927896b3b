"""Validation, JSON and time helpers shared by the built-in stores."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timezone
from typing import Any

from pmo_core._errors import InvalidInputError, StoreError

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
    if type(value).__module__.split(".")[0] in _STR_MODULES:
        return str(value)
    if isinstance(value, (set, frozenset)):
        # Sets have no order; sorting keeps the stored text deterministic.
        return sorted(value, key=repr)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(data: object) -> str:
    """Serialise a document's data to compact JSON text; InvalidInputError if it cannot be."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"document data must be a dict, not {type(data).__name__}")
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = json.JSONEncoder(
            default=_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    try:
        return _ENCODER.encode(data)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"document data is not JSON-able: {exc}") from exc


loads = json.loads


def loads_opt(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


def aware(when: object, what: str = "when") -> datetime:
    if not isinstance(when, datetime):
        raise InvalidInputError(f"{what} must be a datetime, not {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInputError(f"{what} must be timezone-aware, got naive {when.isoformat()}")
    return when.astimezone(timezone.utc)


def format_time(when: datetime) -> str:
    """Fixed-width UTC ISO text, so that text order is time order (used in SQL comparisons)."""
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


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
