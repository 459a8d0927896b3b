"""The base of every stored domain record, and the constrained types every model's fields
use: keys and ids, one-line values (names, titles, people), free text, JSON values and money
that is never negative. Each states its limits (length, characters) in the JSON Schema and
refuses a value beyond them with the field named and, for a character, its position; the
SDK reference explains the choice of each limit ("Limits on input").
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import Self

from .._text import (
    LINE_PATTERN,
    TEXT_PATTERN,
    UNSAFE_IN_LINE,
    UNSAFE_IN_TEXT,
    describe,
    first_unsafe,
    shown,
)
from .money import Money

#: The longest key of a portfolio, program or project: short enough to type, to show in a
#: table column and to use in a file name; long enough for ``erp-renewal-2025-wave-2``.
KEY_MAX_LENGTH = 64
#: The longest id of a child record, the store's own limit on ids. An external reference's
#: id (``connector:kind:remote id``) is one too, so a remote id is a little shorter.
ID_MAX_LENGTH = 255
#: The longest name, title or other one-line value: 255, the limit of a summary or subject
#: in the PMIS tools records are imported from (Jira, Redmine, OpenProject, MS Project), so
#: an import from them never fails on a name.
NAME_MAX_LENGTH = 255
#: The longest free text (a description, a summary, a comment): about 1,500 words, more than
#: a status summary or a risk description needs; a longer document is an artifact, linked by
#: its ``location``.
TEXT_MAX_LENGTH = 10_000
#: The longest URL or path (an artifact's ``location``, a remote record's URL): the length
#: browsers and wikis reliably handle.
URI_MAX_LENGTH = 2_048

#: The pattern a portfolio, program or project key must match.
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_KEY_RE = re.compile(KEY_PATTERN)

# The validation context of a document read back from the store. The limits on text and
# money are checked where data comes in (the API, the CLI, imports); a record an older
# version or another tool stored must still be readable, so that it can be seen and fixed.
_STORED = "pmo_stored"
STORED_CONTEXT: Mapping[str, Any] = MappingProxyType({_STORED: True})


def _stored(info: ValidationInfo | None) -> bool:
    # Called for every text field of every row of an import: the identity test first, and
    # no isinstance against the Mapping ABC, which is slow.
    context = info.context if info is not None else None
    if context is STORED_CONTEXT:
        return True
    return type(context) is dict and context.get(_STORED) is True


def _refuse_unsafe(value: str, *, multiline: bool) -> None:
    index = first_unsafe(value, multiline=multiline)
    if index is not None:
        # Positions count from 1, like the columns of file:line:column.
        raise ValueError(f"{describe(value[index])} at position {index + 1}")


def _refuse_long(value: str, max_length: int, what: str) -> None:
    if len(value) > max_length:
        raise ValueError(
            f"{len(value):,} characters is too long: {what} has at most {max_length:,}"
        )


def _check_key(value: str) -> str:
    _refuse_unsafe(value, multiline=False)
    _refuse_long(value, KEY_MAX_LENGTH, "a key")
    if not _KEY_RE.fullmatch(value):
        raise ValueError(
            f"{shown(value)} is not a valid key: use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or a digit"
        )
    return value


#: A user-chosen key of a portfolio, program or project (``ALPHA``, ``erp-2025``).
Key = Annotated[
    str,
    AfterValidator(_check_key),
    # The validator gives a readable message; the schema still states the exact pattern.
    WithJsonSchema({"type": "string", "pattern": KEY_PATTERN, "maxLength": KEY_MAX_LENGTH}),
]


@dataclass(frozen=True)
class _TextLimits:
    """Validates a string field's characters and length, and states both in its schema."""

    max_length: int
    multiline: bool
    what: str
    # Ids also keep to the store's rule: printable characters only (no U+00A0 or U+200B,
    # which look like nothing or like a space).
    printable: bool = False

    def __call__(self, value: str, info: ValidationInfo | None) -> str:
        # The common case first, in as few steps as possible: an import checks every text
        # field of every row. It holds for stored documents as for input.
        unsafe = UNSAFE_IN_TEXT if self.multiline else UNSAFE_IN_LINE
        if (
            len(value) <= self.max_length
            and unsafe.search(value) is None
            and not (self.multiline and "\r" in value)
            and not (self.printable and not value.isprintable())
        ):
            return value
        if _stored(info):
            return value
        _refuse_unsafe(value, multiline=self.multiline)
        if self.printable and not value.isprintable():
            index = next(n for n, char in enumerate(value) if not char.isprintable())
            raise ValueError(
                f"invisible character U+{ord(value[index]):04X} at position {index + 1}: "
                f"{self.what} holds printable characters only"
            )
        _refuse_long(value, self.max_length, self.what)
        # One line end, whatever system the text was typed on: a lone carriage return
        # would let the text overwrite itself on a terminal.
        return value.replace("\r\n", "\n").replace("\r", "\n") if self.multiline else value

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["maxLength"] = self.max_length
        schema["pattern"] = TEXT_PATTERN if self.multiline else LINE_PATTERN
        return schema


_ONE_LINE = _TextLimits(NAME_MAX_LENGTH, multiline=False, what="a one-line value")
_FREE_TEXT = _TextLimits(TEXT_MAX_LENGTH, multiline=True, what="free text")
_ID = _TextLimits(ID_MAX_LENGTH, multiline=False, what="an id", printable=True)
_URI = _TextLimits(URI_MAX_LENGTH, multiline=False, what="a URL or path")

#: The id of a child record: generated by default, or taken from an import. One line,
#: without control or bidi characters, at most :data:`ID_MAX_LENGTH` characters.
RecordId = Annotated[str, StringConstraints(min_length=1), AfterValidator(_ID), _ID]

#: A one-line value that may be empty (a title, a person, a role, a phase): no control
#: character, line break or bidi control; at most :data:`NAME_MAX_LENGTH` characters.
Line = Annotated[str, AfterValidator(_ONE_LINE), _ONE_LINE]

#: A name or title that must not be empty (after stripping whitespace); one line, as
#: :data:`Line`.
Name = Annotated[str, StringConstraints(min_length=1), AfterValidator(_ONE_LINE), _ONE_LINE]

#: Free text (a description, a summary, a comment): line feeds and tabs allowed (a carriage
#: return becomes a line feed), no other control character nor bidi control; at most
#: :data:`TEXT_MAX_LENGTH` characters.
Text = Annotated[str, AfterValidator(_FREE_TEXT), _FREE_TEXT]

#: Free text that must not be empty (a lesson's ``what_happened``).
NonEmptyText = Annotated[
    str, StringConstraints(min_length=1), AfterValidator(_FREE_TEXT), _FREE_TEXT
]

#: A URL or a path (an artifact's location): one line, at most :data:`URI_MAX_LENGTH`.
Uri = Annotated[str, AfterValidator(_URI), _URI]

#: The name :data:`Name` had before it kept to the limits; the same type.
NonEmptyStr = Name


def _check_json(value: Any, info: ValidationInfo) -> Any:
    """Custom fields and metrics: keys are one line, strings are free text, at any depth."""
    if not _stored(info):
        _check_json_value(value, "")
    return value


def _check_json_value(value: Any, path: str) -> None:
    if isinstance(value, str):
        try:
            _FREE_TEXT(value, None)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}" if path else str(exc)) from None
    elif isinstance(value, Mapping):
        for key, item in value.items():
            try:
                _ONE_LINE(str(key), None)
            except ValueError as exc:
                inside = f"{path}: " if path else ""
                raise ValueError(f"{inside}the name {shown(key)}: {exc}") from None
            _check_json_value(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            _check_json_value(item, f"{path}[{n}]")


#: A JSON object of free values (an entity's custom fields, a status report's metrics):
#: every key is a :data:`Line`, every string a :data:`Text`, at any depth; numbers finite.
JsonObject = Annotated[dict[str, JsonValue], AfterValidator(_check_json)]


def _not_negative(value: Money, info: ValidationInfo) -> Money:
    if not _stored(info) and value.amount < 0:
        raise ValueError(f"must not be negative, got {value}")
    return value


class _NotNegativeSchema:
    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        # The amount is a decimal string, so "minimum" cannot say it; state it in words.
        schema["x-minimum"] = "0"
        return schema


#: An amount that cannot be below zero: a budget, a cost, an estimate, a rate.
NonNegativeMoney = Annotated[Money, AfterValidator(_not_negative), _NotNegativeSchema()]


# The lane of the current run of ordered ids (-1: none), the last id's number, and how many
# ordered_ids() blocks are open.
_lane = -1
_last = 0
_ordered = 0
_ordered_from = 0


def new_id() -> str:
    """Return a new short unique id for a child record: 12 hex digits.

    Four random digits (the lane), then eight counting the milliseconds since 1970 (modulo
    2^32), as the time part of a UUIDv7 does, moved on by one when a process makes several
    ids in one millisecond (so it never makes one twice). Records made one at a time get a
    lane each,
    so they differ in their first characters, which is what a command takes to name one
    (``pmo work progress 3f2a``). Inside :func:`ordered_ids` (as an import makes its
    records) the ids share one lane and the number moves on by one per id: they increase,
    so the store writes them in order and its indexes grow at one place instead of splitting
    pages all over (a million random ids cost several times the time and space). Ids meet
    only if they share a lane (once in 65,536) and were made in the same milliseconds.

    Example::

        RaidItem(id=new_id(), type="risk", entity="ALPHA", title="Vendor late")
    """
    global _lane, _last
    now = (time.time_ns() // 1_000_000) & 0xFFFFFFFF
    # The number never repeats within a process (until it wraps after 49 days).
    number = _last + 1 if now <= _last < 0xFFFFFFFF else now
    _last = number
    if not _ordered:
        return f"{int.from_bytes(os.urandom(2), 'big'):04x}{number:08x}"
    if _lane < 0 or number < _ordered_from:
        _lane = int.from_bytes(os.urandom(2), "big")
    return f"{_lane:04x}{number:08x}"


@contextmanager
def ordered_ids() -> Iterator[None]:
    """Within the block, :func:`new_id` makes increasing ids in one lane (bulk writes)."""
    global _ordered, _lane, _ordered_from
    _ordered += 1
    _ordered_from = _last
    try:
        yield
    finally:
        _ordered -= 1
        if not _ordered:
            _lane = -1


def _new_lane() -> None:
    global _lane
    _lane = -1


# A forked child is another process: it draws its own lane.
os.register_at_fork(after_in_child=_new_lane)


def _check_order(
    start: date | None, finish: date | None, start_name: str, finish_name: str
) -> None:
    if start is not None and finish is not None and finish < start:
        raise ValueError(f"{finish_name} ({finish}) is before {start_name} ({start})")


class ValueModel(BaseModel):
    """Base of values embedded in records (an override, a criterion result, a rate): frozen.

    Values have no id or version; they live inside the record that holds them.

    Example::

        CriterionResult(name="business case approved", level="must", passed=True)
    """

    # defer_build: the validator is built on first use, not at import (start-up time).
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        allow_inf_nan=False,
        defer_build=True,
    )


_NONE_BY_DEFAULT: dict[type[BaseModel], tuple[str, ...]] = {}


def _none_by_default(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose default is ``None`` (found once per class)."""
    found = _NONE_BY_DEFAULT.get(model)
    if found is None:
        found = tuple(
            name
            for name, field in model.model_fields.items()
            if field.default is None and field.default_factory is None
        )
        _NONE_BY_DEFAULT[model] = found
    return found


class DomainModel(BaseModel):
    """Base of every stored record: frozen, strict about unknown fields, whitespace stripped.

    ``id`` identifies the record within its ``store_kind``; ``version`` is the optimistic
    concurrency version the store sets (0 means never stored). ``owner`` is the id of the
    record this one belongs to. Records are immutable: derive a changed copy with
    :meth:`replace`, which validates again.

    Every text field keeps to a length limit and refuses control and bidi characters (a key
    64 characters, a name or title 255 on one line, free text 10,000), every number is
    finite, and budgets and costs are never negative; an error names the field and, for a
    character, its position (``name: control character U+001B at position 12``).
    :meth:`from_document` reads stored records back without these checks.

    Example::

        item = RaidItem(type="risk", entity="ALPHA", title="Vendor late", probability=3, impact=4)
        doc = item.to_document()              # JSON-able, without the version
        again = RaidItem.from_document(doc, version=1)
        assert again.id == item.id and again.version == 1
    """

    # Infinity and NaN are refused in every number, not only in money: they compare oddly,
    # break sums and cannot be stored as JSON.
    # defer_build: the validator is built on first use, not at import (start-up time).
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        allow_inf_nan=False,
        defer_build=True,
    )

    #: The kind under which the store keeps this model's records.
    store_kind: ClassVar[str]
    #: Fields derived from others; :meth:`replace` recomputes them instead of copying them.
    _derived_fields: ClassVar[frozenset[str]] = frozenset()

    #: The field naming the record this one belongs to (``"project"``, ``"entity"``...).
    owner_field: ClassVar[str | None] = None

    id: RecordId = Field(default_factory=new_id)
    version: int = Field(default=0, ge=0)

    @property
    def owner(self) -> str | None:
        """The id of the record this one belongs to (a parent entity or a project).

        Example::

            RaidItem(type="issue", entity="ALPHA", title="Server down").owner  # "ALPHA"
        """
        if self.owner_field is None:
            return None
        value = getattr(self, self.owner_field)
        return None if value is None else str(value)

    def to_document(self, *, every_field: bool = False) -> dict[str, Any]:
        """Return the record as a JSON-able dict, without ``version`` (the store keeps it).

        Money amounts are strings so no precision is lost. A field that is ``None`` where
        ``None`` is its default is left out (a stored work item is a sixth smaller without
        its empty parent, points, iteration and milestone): :meth:`from_document` gives it
        back. ``every_field=True`` keeps every field, as the command line prints a record.

        Example::

            Money.parse("1200.50 EUR")  # in a document: {"amount": "1200.50", "currency": "EUR"}
            Project(id="ALPHA", name="Alpha").to_document()["id"]  # "ALPHA"
            "phase" in Project(id="ALPHA", name="Alpha").to_document()  # False
            Project(id="ALPHA", name="Alpha").to_document(every_field=True)["phase"]  # None
        """
        doc = self.model_dump(mode="json", exclude={"version"})
        if not every_field:
            for name in _none_by_default(type(self)):
                if doc.get(name, 0) is None:
                    del doc[name]
        return doc

    @classmethod
    def from_document(cls, data: Mapping[str, Any], version: int) -> Self:
        """Validate a stored document back into a record carrying ``version``.

        The limits on text (length, control characters) and the sign of money are checked
        where data comes in, not here: a record stored by an older version or another tool
        stays readable, so it can be shown (output escapes what it must) and corrected.

        Example::

            Project.from_document({"id": "ALPHA", "name": "Alpha", "kind": "project"}, version=3)
        """
        return cls.model_validate({**data, "version": version}, context=STORED_CONTEXT)

    def replace(self, **changes: Any) -> Self:
        """Return a validated copy with ``changes`` applied (the version is kept).

        Unlike ``model_copy(update=...)`` this validates the result.

        Example::

            project = Project(id="ALPHA", name="Alpha")
            project.replace(status="on_track").status  # Status.ON_TRACK
        """
        data = self.model_dump(exclude=set(self._derived_fields))
        data.update(changes)
        return self.model_validate(data)

    def __hash__(self) -> int:
        # Records may hold dicts (custom fields, metrics), which the default frozen hash cannot
        # hash. Equal records have equal ids and versions, so this hash is consistent with ==.
        return hash((type(self), self.id, self.version))
