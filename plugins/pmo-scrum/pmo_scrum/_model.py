"""A Scrum project's own data: the product goal, the definition of done, the release and its
sprints, kept as typed custom fields ``scrum`` on the project; stories are core work items."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from typing_extensions import Self

from pmo_core import Entity, InvalidInputError, WorkItem, WorkspaceView

#: The custom-field namespace (``project.custom_fields["scrum"]``).
NAMESPACE = "scrum"
#: The work-item type of a story, and of the release that weighs them for earned value.
STORY, RELEASE = "story", "release"
#: The status that means done (the core's: 100 % complete).
DONE = "done"
#: The longest sprint, in days (Scrum Guide 2020: "one month or less").
MAX_SPRINT_DAYS = 30

SprintName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^\S.*$")
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class Sprint(BaseModel):
    """A sprint: its ``name`` (what stories' ``iteration`` holds), ``goal``, the days from
    ``start`` to ``finish`` (both included, at most 30) and its own ``definition_of_done``
    (empty: the project's).

    Example::

        Sprint(name="S1", goal="Customers can sign up", start=date(2025, 3, 3),
               finish=date(2025, 3, 14))
    """

    # defer_build: the validator is built on first use, not when the plugin loads.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: SprintName
    goal: Text = ""
    start: date
    finish: date
    definition_of_done: Text = ""

    @property
    def days(self) -> int:
        """How many days the sprint lasts, its first and last included."""
        return (self.finish - self.start).days + 1

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.finish < self.start:
            raise ValueError(
                f"sprint {self.name!r} finishes on {self.finish}, before its start {self.start}"
            )
        if self.days > MAX_SPRINT_DAYS:
            raise ValueError(
                f"sprint {self.name!r} lasts {self.days} days: a sprint is at most "
                f"{MAX_SPRINT_DAYS} days (Scrum Guide: one month or less)"
            )
        return self


class ScrumFields(BaseModel):
    """A Scrum project's custom fields ``scrum``: the ``product_goal``, the project's
    ``definition_of_done``, its ``sprints`` (by start, never overlapping), the id of its
    ``release`` work item (the one whose budget is the release BAC and whose children are
    the stories) and how many sprints the release plans (``planned_sprints``; default: the
    sprints defined).

    Example::

        fields = ScrumFields(product_goal="Self-service sign-up",
                             definition_of_done="Reviewed, tested",
                             sprints=[Sprint(name="S1", start=date(2025, 3, 3),
                                             finish=date(2025, 3, 14))])
    """

    # defer_build: the validator is built on first use, not when the plugin loads.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    product_goal: Text = ""
    definition_of_done: Text = ""
    release: str | None = None
    planned_sprints: int | None = Field(default=None, ge=1)
    sprints: tuple[Sprint, ...] = ()

    @field_validator("sprints", mode="after")
    @classmethod
    def _by_start(cls, sprints: tuple[Sprint, ...]) -> tuple[Sprint, ...]:
        return tuple(sorted(sprints, key=lambda s: s.start))

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: set[str] = set()
        for sprint in self.sprints:
            if sprint.name in seen:
                raise ValueError(f"two sprints are named {sprint.name!r}")
            seen.add(sprint.name)
        ordered = self.sprints
        for before, after in itertools.pairwise(ordered):
            if after.start <= before.finish:
                raise ValueError(
                    f"sprint {after.name!r} ({after.start} to {after.finish}) overlaps sprint "
                    f"{before.name!r} ({before.start} to {before.finish}): sprints follow "
                    "one another"
                )
        return self

    def sprint(self, name: str) -> Sprint:
        """The sprint ``name``; an unknown one is an error naming the known ones.

        Example::

            fields.sprint("S1").goal
        """
        for sprint in self.sprints:
            if sprint.name == name:
                return sprint
        known = ", ".join(s.name for s in self.sprints) or "none yet"
        raise InvalidInputError(f"no sprint {name!r} (sprints: {known})", where="SPRINT")

    def dod(self, sprint: Sprint | None = None) -> str:
        """The definition of done in force for ``sprint``: its own, else the project's.

        Example::

            fields.dod(fields.sprint("S1"))
        """
        if sprint is not None and sprint.definition_of_done:
            return sprint.definition_of_done
        return self.definition_of_done


def scrum_fields(project: Entity) -> ScrumFields:
    """The Scrum fields of ``project`` (empty ones when it has none yet).

    Example::

        scrum_fields(ws.get("APP")).product_goal
    """
    return ScrumFields.model_validate(project.custom_fields.get(NAMESPACE, {}))


def stories(view: WorkspaceView, project: str) -> list[WorkItem]:
    """The live stories of ``project`` (work items of type ``story``, not archived).

    Example::

        sum(s.points or 0 for s in stories(ws.view(), "APP"))
    """
    return [i for i in view.work_items(project) if i.type == STORY and i.archived_on is None]


def product_backlog(view: WorkspaceView, project: str) -> list[WorkItem]:
    """The product backlog: the stories in no sprint that are not done.

    Example::

        [s.subject for s in product_backlog(ws.view(), "APP")]
    """
    return [s for s in stories(view, project) if s.iteration is None and s.status != DONE]


def sprint_backlog(view: WorkspaceView, project: str, sprint: str) -> list[WorkItem]:
    """The sprint backlog of ``sprint``: the stories whose ``iteration`` is its name.

    Example::

        [s.subject for s in sprint_backlog(ws.view(), "APP", "S1")]
    """
    return [s for s in stories(view, project) if s.iteration == sprint]


def points_of(item: WorkItem) -> Decimal:
    """``item``'s story points as a Decimal (0 when unset; ``5`` rather than ``5.0``).

    Example::

        points_of(story)  # Decimal('5')
    """
    if item.points is None:
        return Decimal(0)
    value = Decimal(str(item.points))
    return value.to_integral() if value == value.to_integral() else value


def added_on(item: WorkItem) -> date | None:
    """The day ``item`` entered the plan: its first change of status (``None`` if unknown).

    Example::

        added_on(story)  # date(2025, 3, 3)
    """
    return item.transitions[0].on if item.transitions else None


def percent_on(item: WorkItem, day: date) -> float:
    """``item``'s percent complete on ``day``, as the core's metrics read it: its last
    progress point on or before the day (0 before the first); without any, its percent.

    Example::

        percent_on(story, date(2025, 3, 14))  # 100.0
    """
    if not item.progress:
        return item.percent_complete
    found = 0.0
    for point in item.progress:
        if point.on > day:
            break
        found = point.percent
    return found
