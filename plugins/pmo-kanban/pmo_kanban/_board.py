"""A Kanban team's board, kept as typed custom fields ``kanban`` on its project: columns (each
a work-item status, in order, with an optional WIP limit and its explicit policy), the
commitment and delivery points, and each work item's class of service."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from typing_extensions import Self

from pmo_core import Entity, WorkItem, WorkspaceView

#: The custom-field namespace (``project.custom_fields["kanban"]``).
NAMESPACE = "kanban"

#: Classes of service (Anderson, *Kanban*, 2010): how urgent an item is, and so how it is
#: pulled.
ClassOfService = Literal["expedite", "fixed-date", "standard", "intangible"]
CLASSES: tuple[str, ...] = ("expedite", "fixed-date", "standard", "intangible")

Status = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^\S+$")
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]

#: The board a project gets until it sets its own: the core's statuses between a backlog
#: and ``done`` (which is 100 % complete, so a delivered item earns its value).
DEFAULT_COLUMNS = ("backlog", "ready", "in_progress", "review", "done")


class Column(BaseModel):
    """A board column: the work-item ``status`` it holds, its ``wip_limit`` (none: no
    limit) and its explicit ``policy`` (when an item may enter or leave it).

    Example::

        Column(status="in_progress", wip_limit=3, policy="Pulled by a developer; paired.")
    """

    # defer_build: the validator is built on first use, not when the plugin loads.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    status: Status
    wip_limit: int | None = Field(default=None, ge=1)
    policy: Text = ""


class KanbanFields(BaseModel):
    """A Kanban project's custom fields ``kanban``: its board's ``columns`` (in order),
    the ``commitment`` point (the first column of committed work; default: the second
    column, or the first of a one-column board) and the ``delivery`` point (the first
    column of delivered work; default: the last), and the class of service of each work
    item that is not ``standard`` (``classes``: work-item id to class).

    Example::

        fields = KanbanFields(
            columns=[Column(status="backlog"), Column(status="dev", wip_limit=3),
                     Column(status="done")],
            commitment="dev", delivery="done", classes={item.id: "expedite"},
        )
    """

    # defer_build: the validator is built on first use, not when the plugin loads.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    columns: tuple[Column, ...] = tuple(Column(status=s) for s in DEFAULT_COLUMNS)
    commitment: Status | None = None
    delivery: Status | None = None
    classes: dict[str, ClassOfService] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Self:
        statuses = [c.status for c in self.columns]
        if not statuses:
            raise ValueError("a board needs at least one column")
        for status, group in itertools.groupby(sorted(statuses)):
            if len(list(group)) > 1:
                raise ValueError(f"two columns hold the status {status!r}")
        for name in ("commitment", "delivery"):
            value = getattr(self, name)
            if value is not None and value not in statuses:
                raise ValueError(
                    f"the {name} point {value!r} is not a column (columns: {', '.join(statuses)})"
                )
        if self.commitment_index > self.delivery_index:
            raise ValueError(
                f"the commitment point {self.statuses[self.commitment_index]!r} comes after the "
                f"delivery point {self.statuses[self.delivery_index]!r}"
            )
        return self

    @property
    def statuses(self) -> list[str]:
        """The columns' statuses, in board order."""
        return [c.status for c in self.columns]

    @property
    def commitment_index(self) -> int:
        """The position of the commitment point on the board."""
        if self.commitment is not None:
            return self.statuses.index(self.commitment)
        return min(1, len(self.columns) - 1)

    @property
    def delivery_index(self) -> int:
        """The position of the delivery point on the board."""
        if self.delivery is not None:
            return self.statuses.index(self.delivery)
        return len(self.columns) - 1

    def index(self, status: str | None) -> int:
        """The column position of ``status``; -1 for a status that is not on the board
        (the core's ``open`` of an item added elsewhere: not yet on the board).

        Example::

            fields.index("dev")  # 1
        """
        try:
            return self.statuses.index(status or "")
        except ValueError:
            return -1

    def class_of(self, item: WorkItem) -> str:
        """The class of service of ``item`` (``standard`` unless the board says otherwise).

        Example::

            fields.class_of(item)  # 'expedite'
        """
        return self.classes.get(item.id, "standard")


def kanban_fields(project: Entity) -> KanbanFields:
    """The board of ``project``: its custom fields ``kanban``, or the default board.

    Example::

        kanban_fields(ws.get("OPS")).statuses  # ['backlog', 'ready', 'in_progress', ...]
    """
    return KanbanFields.model_validate(project.custom_fields.get(NAMESPACE, {}))


def board_items(view: WorkspaceView, project: str) -> list[WorkItem]:
    """The work items on ``project``'s board: every live (not archived) work item.

    Example::

        len(board_items(ws.view(), "OPS"))
    """
    return [i for i in view.work_items(project) if i.archived_on is None]
