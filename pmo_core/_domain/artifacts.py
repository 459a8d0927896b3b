"""Artifacts: the management products a methodology asks for (business case, plans, logs)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, Uri


class Artifact(DomainModel):
    """A management product of an entity and where it lives.

    ``name`` is the methodology's product name (``business-case``, ``project-brief``);
    ``approved_on`` is only for an approved artifact.

    Example::

        Artifact(entity="ALPHA", name="business-case", status="approved",
                 approved_on=date(2025, 2, 3), location="https://wiki.example.com/alpha/bc")
    """

    store_kind = "artifact"

    entity: Key
    name: Name
    title: Line = ""
    status: Literal["draft", "submitted", "approved"] = "draft"
    approved_on: date | None = None
    approved_by: Line | None = None
    location: Uri | None = None

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.status != "approved" and (self.approved_on is not None or self.approved_by):
            raise ValueError(f"approved_on / approved_by set on a {self.status} artifact")
        return self
