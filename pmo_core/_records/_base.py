"""What every record shares: a normalised ``name``, a one-line ``summary``, the ``plugin`` that
yielded it, and the vocabularies records use."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

Level = Literal["off", "advise", "warn", "block"]
"""How hard a governance rule bites: ``off`` < ``advise`` < ``warn`` < ``block``."""

LEVELS: tuple[Level, ...] = ("off", "advise", "warn", "block")

ScopeKind = Literal["portfolio", "program", "project"]
ReportScope = Literal["project", "program", "portfolio", "pmo"]
CriterionLevel = Literal["must", "should"]
Capability = Literal["read", "write", "sync"]
#: What a sync does with a field changed both locally and in the source since the last
#: sync: the source's value wins, the local value wins, or the local value stays and the
#: conflict waits for someone to resolve it (``pmo sync resolve``).
ConflictPolicy = Literal["source-wins", "local-wins", "manual"]
CONFLICT_POLICIES: tuple[ConflictPolicy, ...] = ("source-wins", "local-wins", "manual")
GateOption = Literal["go", "kill", "hold", "recycle"]

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def normalise_name(value: str) -> str:
    """Return the canonical form of a record or plugin name.

    Example::

        >>> normalise_name("Business_Case Approved")
        'business-case-approved'
    """
    return re.sub(r"[\s_]+", "-", value.strip()).lower()


class Frozen(BaseModel):
    """A frozen pydantic model that refuses unknown fields (base of records and their parts)."""

    # defer_build: the validator is built on first use, not at import (start-up time).
    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, defer_build=True
    )


class Named(Frozen):
    """A frozen model with a normalised ``name`` and a one-line ``summary``."""

    name: str
    summary: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        if isinstance(value, str):
            value = normalise_name(value)
            if not _NAME.match(value):
                raise ValueError(
                    f"{value!r} is not a valid name: use letters, digits and '-', "
                    "starting with a letter"
                )
        return value


class PmoRecord(Named):
    """Base of every registration record.

    ``plugin`` is filled in by the host with the id of the plugin that yielded the record;
    plugins leave it empty.

    Example::

        class MyRecord(PmoRecord):
            colour: str
    """

    #: The id of the plugin that yielded it, filled in by the host.
    plugin: str = ""


__all__ = ["PmoRecord"]
