"""Stakeholders of a portfolio, program or project."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ._base import DomainModel, Key, Line, Name, Text


class Stakeholder(DomainModel):
    """A stakeholder with interest and influence on 1..5 scales (for a power/interest grid).

    Example::

        Stakeholder(entity="ALPHA", name="Dana Ortiz", role="Head of Sales",
                    interest=4, influence=5, email="dana@example.com")
    """

    store_kind = "stakeholder"

    entity: Key
    name: Name
    role: Line | None = None
    interest: int = Field(default=3, ge=1, le=5)
    influence: int = Field(default=3, ge=1, le=5)
    email: Line | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    notes: Text = ""

    owner_field: ClassVar[str] = "entity"
