"""Strategic objectives of a portfolio and the alignment of projects with them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, RecordId, Text


class Objective(DomainModel):
    """A strategic objective at portfolio level; ``weight`` is its relative importance.

    Objectives form a hierarchy: ``parent`` is the id of the objective this one contributes
    to, in the same portfolio (checked on every write, with cycles refused). ``owned_by`` is
    the person accountable for it, ``measure`` how progress is measured and ``target`` the
    value aimed at, both free text. Documents written before these fields read with them
    empty.

    Example::

        Objective(portfolio="P1", name="Cut time to market", weight=2.0, owned_by="Dana",
                  measure="Median lead time", target="90 days by 2027", parent="3f2a9c01be77")
    """

    store_kind = "objective"

    portfolio: Key
    name: Name
    description: Text = ""
    weight: float = Field(default=1.0, ge=0)
    parent: RecordId | None = None
    owned_by: Line = Field(default="", description="The person accountable; may be empty.")
    measure: Line = ""
    target: Line = ""

    owner_field: ClassVar[str] = "portfolio"


class Alignment(DomainModel):
    """How strongly a project (or program) serves an objective, from 0 to 1.

    The id is derived as ``"{project}:{objective}"`` so that one project links to one
    objective at most once.

    Example::

        Alignment(project="ALPHA", objective="3f2a9c01be77", weight=0.8).id  # "ALPHA:3f2a9c01be77"
    """

    store_kind = "alignment"
    _derived_fields = frozenset({"id"})

    id: RecordId = ""
    project: Key
    objective: RecordId
    weight: float = Field(ge=0, le=1)

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            project, objective = (
                str(data.get(name, "")).strip() for name in ("project", "objective")
            )
            return {**data, "id": f"{project}:{objective}"}
        return data

    @model_validator(mode="after")
    def _check_id(self) -> Self:
        expected = f"{self.project}:{self.objective}"
        if self.id != expected:
            raise ValueError(f"id must be {expected!r} (project:objective), got {self.id!r}")
        return self

    owner_field: ClassVar[str] = "project"
