"""Lessons learned."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from ._base import DomainModel, Key, Line, NonEmptyText, Text


class LessonLearned(DomainModel):
    """A lesson an entity learned, for the PMO's lessons library.

    Example::

        LessonLearned(entity="ALPHA", phase="delivery", category="vendor management",
                      what_happened="Vendor missed two drops",
                      recommendation="Put delivery milestones in the contract",
                      tags=("vendor", "contract"))
    """

    store_kind = "lesson"

    entity: Key
    phase: Line | None = None
    category: Line | None = None
    what_happened: NonEmptyText
    recommendation: Text = ""
    recorded_on: date | None = None
    author: Line | None = None
    tags: tuple[Line, ...] = ()

    owner_field: ClassVar[str] = "entity"
