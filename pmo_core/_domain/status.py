"""Status vocabularies, RAG colours and status reports."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import ClassVar, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, JsonObject, Key, Line, Name, Text, ValueModel


class Rag(str, Enum):
    """A red / amber / green colour. ``Rag.worst`` rolls colours up: the worst wins.

    Example::

        Rag("amber") is Rag.AMBER
        Rag.worst([Rag.GREEN, Rag.AMBER])  # Rag.AMBER
    """

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def severity(self) -> int:
        """0 for green, 1 for amber, 2 for red.

        Example::

            Rag.RED.severity  # 2
        """
        return _SEVERITY[self]

    @classmethod
    def worst(cls, colours: list[Rag] | tuple[Rag, ...]) -> Rag | None:
        """Return the worst colour, or None when there are none.

        Example::

            Rag.worst((Rag.GREEN, Rag.RED, Rag.AMBER))  # Rag.RED
        """
        return max(colours, key=_SEVERITY.__getitem__, default=None)


_SEVERITY = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


class Status(str, Enum):
    """Health / state of a portfolio, program or project (OpenProject's vocabulary plus on_hold).

    Example::

        Project(id="ALPHA", name="Alpha", status=Status.AT_RISK)
        Project(id="ALPHA", name="Alpha", status="at_risk")   # the same
    """

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ON_HOLD = "on_hold"
    FINISHED = "finished"
    DISCONTINUED = "discontinued"


#: The dimensions a status report colours.
Dimension = Literal["schedule", "cost", "scope", "resources", "risk"]
DIMENSIONS: tuple[Dimension, ...] = ("schedule", "cost", "scope", "resources", "risk")


class RagOverride(ValueModel):
    """A manual colour that replaces a computed one; it needs a non-empty reason.

    ``dimension`` is one of the report dimensions or ``"overall"``. Embedded in a
    :class:`StatusReport`, not stored on its own.

    Example::

        RagOverride(dimension="cost", computed="red", manual="amber",
                    reason="Change request CR-7 approved; budget increase pending")
    """

    dimension: Dimension | Literal["overall"]
    computed: Rag
    manual: Rag
    # Defaults to empty so that a missing reason gets the same clear message as a blank one.
    reason: Text = Field(
        default="", description="Why the manual colour differs from the computed one."
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.reason:
            raise ValueError(
                f"overriding the computed {self.dimension} colour {self.computed.value} with "
                f"{self.manual.value} needs a reason"
            )
        if self.manual == self.computed:
            raise ValueError(
                f"the manual {self.dimension} colour equals the computed one "
                f"({self.computed.value}); drop the override"
            )
        return self


#: What a report is: a regular ``status`` (highlight) report, an ``exception`` report (a
#: forecast beyond tolerance, sent to the level above) or the ``closure`` (end-project)
#: report written when an entity closes.
ReportKind = Literal["status", "exception", "closure"]


class StatusReport(DomainModel):
    """A status snapshot of an entity as of a date; its metrics are frozen figures.

    ``dimensions`` maps schedule / cost / scope / resources / risk to a colour (any subset).
    Every override must agree with the colour the report shows for that dimension. ``kind``
    tells a regular report from an exception or closure report; only regular reports count
    as the entity's latest status.

    Example::

        report = StatusReport(
            entity="ALPHA", as_of=date(2025, 3, 31), overall="amber",
            dimensions={"schedule": "green", "cost": "amber"},
            summary="On plan; cost pressure from vendor rates",
            metrics={"spi": 1.01, "cpi": 0.93},
            overrides=[RagOverride(dimension="cost", computed="red", manual="amber",
                                   reason="rate increase refunded in April")],
            author="pat",
        )
    """

    store_kind = "status_report"

    #: The key of the entity reported on.
    entity: Key
    #: The status date the report describes.
    as_of: date
    #: A regular status report, an exception report or a closure report.
    kind: ReportKind = "status"
    #: The overall colour (red, amber, green).
    overall: Rag
    #: The colour of each dimension (schedule, cost, scope, resources, risk).
    dimensions: dict[Dimension, Rag] = Field(default_factory=dict)
    #: The entity's status at the date.
    status: Status | None = None
    #: The report's summary, in a few lines.
    summary: Text = ""
    #: What was achieved since the last report.
    achievements: tuple[Text, ...] = ()
    #: What comes next.
    next_steps: tuple[Text, ...] = ()
    #: The figures as of the date (SPI, CPI...), frozen.
    metrics: JsonObject = Field(default_factory=dict)
    #: Who wrote it.
    author: Name
    #: Who approved it.
    approved_by: Line | None = None
    #: When it was approved.
    approved_on: date | None = None
    #: Colours set by hand over the computed ones, each with its reason.
    overrides: tuple[RagOverride, ...] = ()

    owner_field: ClassVar[str] = "entity"

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: set[str] = set()
        for override in self.overrides:
            if override.dimension in seen:
                raise ValueError(f"more than one override for {override.dimension}")
            seen.add(override.dimension)
            shown = (
                self.overall
                if override.dimension == "overall"
                else self.dimensions.get(override.dimension)
            )
            if shown is not None and shown != override.manual:
                raise ValueError(
                    f"the {override.dimension} colour is {shown.value} but its override says "
                    f"{override.manual.value}"
                )
        if self.approved_on is not None and not self.approved_by:
            raise ValueError("approved_on is set but approved_by is empty")
        return self

    @property
    def overridden(self) -> frozenset[str]:
        """The dimensions (and possibly ``"overall"``) whose colour was set by hand.

        Example::

            report.overridden  # frozenset({'cost'})
        """
        return frozenset(override.dimension for override in self.overrides)
