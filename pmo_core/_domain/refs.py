"""External references: which remote record (in a PMIS or file) a local record syncs with."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BeforeValidator, Field, StringConstraints, model_validator
from typing_extensions import Self

from ._base import DomainModel, JsonObject, Line, RecordId, Uri


def _int_to_str(value: Any) -> Any:
    # Many PMIS APIs (Redmine, MS Project UIDs) return numeric ids; keep them as text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# A hex digest (an import's blake2b of the item as the source gave it).
_Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]+$", max_length=128)]
# A colon would make the derived id ambiguous, so connector and kind cannot contain one.
_Part = Annotated[Line, StringConstraints(pattern=r"^[^:\s]+$")]


class ExternalRef(DomainModel):
    """Links a local record (``target``, of store kind ``kind``) to a remote one.

    The id is always ``f"{connector}:{kind}:{remote_id}"``, so an upsert by remote id is
    idempotent. ``remote_version`` is the remote etag / updated-at; ``last_synced`` is a
    timezone-aware datetime. An import also records ``source_hash``, a digest of the item as
    the connector gave it, and ``target_version``, the version the import left the local
    record at: when both still hold at the next import, the item is unchanged and is skipped
    without being validated again. ``source`` is where the record was read (the file's
    absolute path, or the URL without credentials): a full read of that source that no
    longer yields the record archives it. ``remote_values`` holds the source's values of the
    fields where the local record keeps a value of its own (a conflict the local side won, or
    one waiting to be resolved): a later sync that brings the same remote value leaves the
    local one alone. ``archived_on`` says a sync archived the record because the source had
    deleted it: when the source gives it again, the record comes back.

    Example::

        ref = ExternalRef(connector="redmine", kind="work_item", remote_id="4711",
                          target="a1b2c3d4e5f6", remote_version="2025-04-01T10:00:00Z")
        ref.id  # "redmine:work_item:4711"
    """

    store_kind = "external_ref"
    _derived_fields = frozenset({"id"})

    id: RecordId = ""
    connector: _Part
    kind: _Part
    remote_id: Annotated[RecordId, BeforeValidator(_int_to_str)]
    target: RecordId
    remote_version: Line | None = None
    remote_url: Uri | None = None
    source: Line | None = None
    remote_values: JsonObject | None = None
    archived_on: date | None = None
    last_synced: AwareDatetime | None = None
    source_hash: (
        Annotated[str, StringConstraints(pattern=r"^[0-9a-f]+$", max_length=128)] | None
    ) = None
    target_version: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            parts = (str(data.get(name, "")).strip() for name in ("connector", "kind", "remote_id"))
            return {**data, "id": ":".join(parts)}
        return data

    @model_validator(mode="after")
    def _check_id(self) -> Self:
        expected = f"{self.connector}:{self.kind}:{self.remote_id}"
        if self.id != expected:
            raise ValueError(f"id must be {expected!r} (connector:kind:remote_id), got {self.id!r}")
        return self

    owner_field: ClassVar[str] = "target"
