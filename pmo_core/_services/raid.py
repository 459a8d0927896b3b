"""Status reports and RAID items: the records a PMO lead enters week to week."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._domain import RaidItem, StatusReport
from .._errors import InvalidInputError
from .entities import EntityService
from .records import validated

if TYPE_CHECKING:
    from .._workspace import Workspace


class RaidService:
    """Records status reports and RAID items, dated on the workspace's status date."""

    def __init__(self, ws: Workspace, entities: EntityService) -> None:
        self._ws = ws
        self._entities = entities

    def report_status(self, entity: str, fields: dict[str, Any]) -> StatusReport:
        """See :meth:`Workspace.report_status <pmo_core.Workspace.report_status>`."""
        today = self._ws.today()
        data = {"entity": entity, "as_of": today, "author": self._ws.actor, **fields}
        report = validated(StatusReport, data)
        if report.as_of > today:
            # A report dated ahead would stay invisible until that day, then appear unbidden.
            raise InvalidInputError(
                f"as_of {report.as_of} is after the status date {today}", where="as_of"
            )
        return self._entities.add_many([report], "status report")[0]

    def add(
        self, entity: str, type: str, title: str, command: str, fields: dict[str, Any]
    ) -> RaidItem:
        """See :meth:`Workspace.add_raid <pmo_core.Workspace.add_raid>`."""
        data = {
            "entity": entity,
            "type": type,
            "title": title,
            "raised_on": self._ws.today(),
            **fields,
        }
        item = validated(RaidItem, data)
        return self._entities.add_many([item], command)[0]
