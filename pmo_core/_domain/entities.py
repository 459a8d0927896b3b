"""Portfolios, programs and projects: one shape, with hierarchy rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, JsonValue, StringConstraints, model_validator
from typing_extensions import Self

from .._errors import InvalidInputError
from ._base import (
    DomainModel,
    Key,
    Line,
    Name,
    NonNegativeMoney,
    Text,
    _check_json,
    _check_order,
)
from .money import Currency, Money
from .status import Status
from .tailoring import Tailoring

#: The three kinds of managed entity.
EntityKind = Literal["portfolio", "program", "project"]
ENTITY_KINDS: tuple[EntityKind, ...] = ("portfolio", "program", "project")

#: A custom-field namespace, normally the id of the plugin that owns the fields.
Namespace = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]

# OpenProject's rule: a portfolio is a root, a program sits under a portfolio, a project under
# any of the three. No parent is always allowed.
_ALLOWED_PARENTS: dict[str, tuple[str, ...]] = {
    "portfolio": (),
    "program": ("portfolio",),
    "project": ("portfolio", "program", "project"),
}


def check_hierarchy(child_kind: str, parent_kind: str | None) -> None:
    """Raise InvalidInputError unless an entity of ``child_kind`` may sit under ``parent_kind``.

    A portfolio has no parent; a program's parent is a portfolio (or none); a project's parent
    is a portfolio, a program or a project (or none).

    Example::

        check_hierarchy("project", "program")     # fine
        check_hierarchy("program", "project")     # InvalidInputError: a program cannot ...
    """
    for kind in (child_kind, parent_kind):
        if kind is not None and kind not in _ALLOWED_PARENTS:
            raise InvalidInputError(
                f"unknown entity kind {kind!r}; expected one of {', '.join(ENTITY_KINDS)}"
            )
    if parent_kind is None:
        return
    allowed = _ALLOWED_PARENTS[child_kind]
    if parent_kind not in allowed:
        expected = (
            f"its parent may be a {' or a '.join(allowed)}" if allowed else "it has no parent"
        )
        raise InvalidInputError(
            f"a {child_kind} cannot have a {parent_kind} as its parent: {expected}",
            where="parent",
        )


def ancestors_of(key: str, parent_of: Callable[[str], str | None]) -> list[str]:
    """The keys above ``key``, nearest first, following ``parent_of``.

    The walk stops at a key it has met before, so a cycle cannot loop forever; when the walk
    comes back to ``key`` itself, the list ends with ``key`` (the sign of a cycle through it).

    Example::

        parents = {"ALPHA": "ERP", "ERP": "PF"}
        ancestors_of("ALPHA", parents.get)   # ['ERP', 'PF']
        ancestors_of("A", {"A": "B", "B": "A"}.get)  # ['B', 'A']: A sits under itself
    """
    out: list[str] = []
    current = parent_of(key)
    while current is not None and current not in out:
        out.append(current)
        if current == key:
            break
        current = parent_of(current)
    return out


#: Where an entity is in its life: ``proposed`` (not yet authorised), ``active``,
#: ``on_hold``, ``killed`` (stopped for good: final) and ``closed`` (finished and read-only).
Lifecycle = Literal["proposed", "active", "on_hold", "killed", "closed"]
LIFECYCLES: tuple[Lifecycle, ...] = ("proposed", "active", "on_hold", "killed", "closed")
#: The states out of the live portfolio: roll-ups keep them out of their totals.
ENDED: frozenset[str] = frozenset({"killed", "closed"})

# What a document written before the lifecycle existed had in its status instead.
_LIFECYCLE_OF_STATUS = {"discontinued": "killed", "finished": "closed", "on_hold": "on_hold"}


class Entity(DomainModel):
    """The shape portfolios, programs and projects share; ``id`` is the user's key.

    ``budget`` is the budget at completion (BAC) in the entity's ``currency``. ``custom_fields``
    maps a namespace (normally a plugin id) to that namespace's values. Whether ``parent`` has
    an allowed kind is checked by the store with :func:`check_hierarchy`, since the parent's
    kind is not known here.

    Example::

        Project(id="ALPHA", name="Alpha", parent="P1", budget="250000 EUR",
                planned_start=date(2025, 1, 6), planned_finish=date(2025, 12, 19),
                custom_fields={"acme-finance": {"cost_centre": "CC-104"}})
    """

    #: The user's key (``ALPHA``), unique in the workspace.
    id: Key
    #: Portfolio, program or project.
    kind: EntityKind
    #: The name shown in lists and reports.
    name: Name
    #: Free text about the entity.
    description: Text = ""
    #: The key of the program or portfolio it belongs to; ``None`` at the top.
    parent: Key | None = None
    phase: Line | None = Field(default=None, description="Lifecycle phase from the methodology.")
    #: Where its work stands (not started, in progress, ...).
    status: Status = Status.NOT_STARTED
    #: The person who sponsors it.
    sponsor: Line | None = None
    #: The person who manages it.
    manager: Line | None = None
    #: When it is planned to start.
    planned_start: date | None = None
    #: When it is planned to finish.
    planned_finish: date | None = None
    #: When it actually started.
    actual_start: date | None = None
    #: When it actually finished.
    actual_finish: date | None = None
    #: The currency of its budget and figures (ISO 4217 code).
    currency: Currency = "EUR"
    budget: NonNegativeMoney | None = Field(
        default=None, description="Budget at completion (BAC); never negative."
    )
    #: The id of the methodology it follows (``stage-gate``, ``scrum``...).
    methodology: Line | None = None
    #: The id of the governance model its rules are checked under.
    governance_model: Line | None = None
    #: Its size class, 1 (the largest) to 3; a governance model sets the reporting cadence by tier.
    tier: int = Field(default=3, ge=1, le=3)
    #: Whether its business case has been approved.
    business_case_approved: bool = False
    #: Plugins' own values, by namespace (normally the plugin's id).
    custom_fields: Annotated[dict[Namespace, dict[str, JsonValue]], AfterValidator(_check_json)] = (
        Field(default_factory=dict)
    )
    #: Archived: hidden from lists, kept in the store.
    archived: bool = False
    #: Free labels to select entities by.
    tags: tuple[Line, ...] = ()
    tailoring: tuple[Tailoring, ...] = Field(
        default=(), description="How the entity tailors its methodology (skips, merges)."
    )
    lifecycle: Lifecycle = Field(
        default="active",
        description="Where the entity is in its life: proposed, active, on_hold, killed, closed.",
    )
    lifecycle_on: date | None = Field(default=None, description="When the lifecycle last changed.")
    lifecycle_by: Line | None = Field(default=None, description="Who changed it.")
    lifecycle_reason: Text = Field(default="", description="Why it changed.")

    owner_field: ClassVar[str] = "parent"

    @property
    def ended(self) -> bool:
        """Whether the entity is killed or closed: out of the live portfolio and its totals.

        Example::

            Project(id="OLD", name="Old", lifecycle="killed").ended  # True
        """
        return self.lifecycle in ENDED

    @model_validator(mode="before")
    @classmethod
    def _lifecycle_from_status(cls, data: Any) -> Any:
        # Documents written before the lifecycle existed said it in their status.
        if isinstance(data, dict) and "lifecycle" not in data:
            status = data.get("status")
            state = _LIFECYCLE_OF_STATUS.get(str(getattr(status, "value", status)))
            if state is not None:
                return {**data, "lifecycle": state}
        return data

    @model_validator(mode="before")
    @classmethod
    def _currency_from_budget(cls, data: Any) -> Any:
        # A budget given in USD with no currency means the entity is kept in USD, rather
        # than an error about the EUR default the user never asked for.
        if isinstance(data, dict) and data.get("budget") is not None and "currency" not in data:
            try:
                budget = Money.parse(data["budget"])
            except InvalidInputError:
                return data  # the field validator reports the bad budget
            return {**data, "budget": budget, "currency": budget.currency}
        return data

    @model_validator(mode="after")
    def _check_entity(self) -> Self:
        if self.parent is not None and self.parent == self.id:
            raise ValueError(f"parent: {self.kind} {self.id!r} cannot be its own parent")
        if self.parent is not None and not _ALLOWED_PARENTS[self.kind]:
            raise ValueError(f"parent: a {self.kind} has no parent (got {self.parent!r})")
        _check_order(self.planned_start, self.planned_finish, "planned_start", "planned_finish")
        _check_order(self.actual_start, self.actual_finish, "actual_start", "actual_finish")
        if self.actual_finish is not None and self.actual_start is None:
            raise ValueError("actual_finish is set but actual_start is not")
        if self.budget is not None and self.budget.currency != self.currency:
            raise ValueError(
                f"budget is in {self.budget.currency} but the {self.kind}'s currency is "
                f"{self.currency}"
            )
        return self


class Portfolio(Entity):
    """A portfolio: the organisation's strategic direction; never has a parent.

    Example::

        Portfolio(id="P1", name="Digital", manager="kim")
    """

    store_kind = "portfolio"
    kind: Literal["portfolio"] = "portfolio"


class Program(Entity):
    """A program coordinating related projects; its parent is a portfolio or none.

    Example::

        Program(id="ERP", name="ERP renewal", parent="P1")
    """

    store_kind = "program"
    kind: Literal["program"] = "program"


class Project(Entity):
    """A project; its parent is a portfolio, a program, a project or none.

    Example::

        Project(id="ALPHA", name="Alpha", parent="ERP", methodology="prince2", tier=1)
    """

    store_kind = "project"
    kind: Literal["project"] = "project"


_CLASSES: dict[str, type[Portfolio | Program | Project]] = {
    "portfolio": Portfolio,
    "program": Program,
    "project": Project,
}


def entity_class(kind: str) -> type[Portfolio | Program | Project]:
    """Return the model class for an entity kind (``portfolio``, ``program`` or ``project``).

    Example::

        entity_class("program")(id="ERP", name="ERP renewal")  # a Program
    """
    try:
        return _CLASSES[kind]
    except KeyError:
        raise InvalidInputError(
            f"unknown entity kind {kind!r}; expected one of {', '.join(ENTITY_KINDS)}",
            where="kind",
        ) from None
