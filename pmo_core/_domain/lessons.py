"""Lessons learned."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from ._base import DomainModel, Key, NonEmptyStr


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
    phase: str | None = None
    category: str | None = None
    what_happened: NonEmptyStr
    recommendation: str = ""
    recorded_on: date | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()

    owner_field: ClassVar[str] = "entity"
