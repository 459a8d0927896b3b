"""What an import refuses in an item, with the item's place: a kind it cannot import, a key
the store could not hold, a value the domain refuses, a document that is not JSON."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .._domain import (
    ENTITY_KINDS,
    DomainModel,
    ExternalRef,
    SyncConflict,
    SyncRun,
    model_for_kind,
)
from .._domain._base import ID_MAX_LENGTH, KEY_PATTERN, Key, Line, RecordId, Uri
from .._errors import InvalidInputError, error_line
from .._records import SourceItem
from .._redact import redact
from .._store._common import dumps as store_dumps
from .._text import shown

# A source key is an entity's key, or (for other records) the remote id of its reference.
_ENTITY_KEY: TypeAdapter[str] = TypeAdapter(Key)
_REMOTE_ID: TypeAdapter[str] = TypeAdapter(RecordId)
# Source keys both types take for sure: a valid key (the pattern holds the length limit),
# and a remote id of printable ASCII letters, digits and punctuation that cannot be unsafe.
# They are the keys of nearly every row, which then skip the adapter; any other key goes
# through it, and so gets its exact message.
_SURE_KEY = re.compile(KEY_PATTERN)
_SURE_REMOTE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/#@+-]{0,199}")


_BOOKKEEPING = frozenset({ExternalRef.store_kind, SyncRun.store_kind, SyncConflict.store_kind})


def ref_id(connector: str, item: SourceItem) -> str:
    return f"{connector}:{item.kind}:{item.remote_id}"


def where_of(item: SourceItem, field_name: str | None) -> str:
    column = item.columns.get(field_name or "") if field_name else None
    return f"{item.where}:{column}" if column and item.where else item.where


def check_item(
    connector: str, item: SourceItem, plugin_kinds: Collection[str] = frozenset()
) -> None:
    if item.kind in _BOOKKEEPING:  # the import's own records
        raise InvalidInputError(f"{item.kind} records cannot be imported", where=item.where)
    if item.kind not in plugin_kinds:
        try:
            model_for_kind(item.kind)
        except Exception:
            raise InvalidInputError(
                f"unknown record kind {shown(item.kind)}"
                " (neither the core's nor one an enabled plugin keeps)",
                where=item.where,
            ) from None
    _check_remote_id(connector, item)
    if item.remote_version is not None or item.remote_url is not None:
        _check_remote_fields(item)


_REMOTE_FIELDS: TypeAdapter[tuple[Line | None, Uri | None]] = TypeAdapter(
    tuple[Line | None, Uri | None]
)


def _check_remote_fields(item: SourceItem) -> None:
    try:
        _REMOTE_FIELDS.validate_python((item.remote_version, item.remote_url))
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ("remote_version", "remote_url")[int(error["loc"][0])]
        raise InvalidInputError(
            f"{name}: {error_line({**error, 'loc': ()})}", where=item.where
        ) from None
    url = item.remote_url
    if url is not None:
        # Shown as a link (the web UI, reports): only a web page, and never a secret.
        if not url.lower().startswith(("http://", "https://")):
            raise InvalidInputError(
                f"remote_url: must be an http or https URL, got {shown(url, 40)}",
                where=item.where,
            )
        if redact(url) != url:
            raise InvalidInputError(
                "remote_url: holds credentials, which are never stored", where=item.where
            )


def _check_remote_id(connector: str, item: SourceItem) -> None:
    """Refuse a source key that could not be stored, before the store is asked about it.

    The store refuses such an id too, but only at the write and without saying where; here
    the dry run already names the file, line and column.
    """
    entity = item.kind in ENTITY_KINDS
    sure = _SURE_KEY if entity else _SURE_REMOTE_ID
    if type(item.remote_id) is not str or sure.fullmatch(item.remote_id) is None:
        adapter = _ENTITY_KEY if entity else _REMOTE_ID
        try:
            adapter.validate_python(item.remote_id)
        except ValidationError as exc:
            raise InvalidInputError(
                f"key: {error_line(exc.errors()[0])}", where=where_of(item, "id")
            ) from None
    rid = ref_id(connector, item)
    if len(rid) > ID_MAX_LENGTH:
        raise InvalidInputError(
            f"key: {len(item.remote_id):,} characters is too long: with the connector and the "
            f"kind it makes the reference id {shown(rid, 30)}, which has at most "
            f"{ID_MAX_LENGTH} characters",
            where=where_of(item, "id"),
        )


def check_storable(document: dict[str, Any], item: SourceItem) -> None:
    """Refuse, with the item's place, a document the store could not hold."""
    try:
        store_dumps(document)
    except InvalidInputError as whole:
        for name, value in document.items():
            try:
                store_dumps({name: value})
            except InvalidInputError as exc:
                reason = str(exc.__cause__ or exc)
                raise InvalidInputError(
                    f"{name}: cannot be stored as JSON ({reason})", where=where_of(item, name)
                ) from None
        raise InvalidInputError(
            f"cannot be stored as JSON ({whole.__cause__ or whole})", where=item.where
        ) from None


def validate(cls: type[DomainModel], data: dict[str, Any], item: SourceItem) -> DomainModel:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field_name = str(err["loc"][0]) if err["loc"] else None
        value = item.remote_id if field_name == "id" else item.data.get(field_name or "")
        # Cut and escaped: the value may be 100,000 characters or hold terminal controls.
        line = error_line(err)
        # Said once: a validator's own message may quote the value already ("got 'lots'").
        quoted = value not in (None, "") and (shown(value) in line or f"got {value}" in line)
        got = f" (got {shown(value)})" if value not in (None, "") and not quoted else ""
        more = f" and {len(exc.errors()) - 1} more problem(s)" if len(exc.errors()) > 1 else ""
        raise InvalidInputError(f"{line}{got}{more}", where=where_of(item, field_name)) from None
