"""Actual costs and forecasts of a project: what has been spent, and what it will take.

A cost entry is an amount incurred on a day, in the project's currency (pmo-core keeps no
exchange rates). A forecast is dated, signed by the actor and says why; a new forecast never
replaces an old one, so the forecasts read as a history, and the latest project-level one is
what the tolerances measure. A forecast of one work item is kept beside them and measured by
nobody. Writes go through the entity service: journaled with their actor, refused on a closed
or killed project, and followed by the tolerance exceptions they make due.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .._domain import CostEntry, Forecast, Money
from .._errors import InvalidInputError
from .entities import EntityService
from .planning import PlanningService, in_currency, live_project
from .records import validated

if TYPE_CHECKING:
    from .._workspace import Workspace


class FinanceService:
    """Books actual costs and records forecasts."""

    def __init__(self, ws: Workspace, entities: EntityService, planning: PlanningService) -> None:
        self._ws = ws
        self._entities = entities
        self._planning = planning

    def _check_past(self, day: date, what: str, where: str) -> None:
        today = self._ws.today()
        if day > today:
            raise InvalidInputError(f"{day} is after the status date {today}: {what}", where=where)

    # ------------------------------------------------------------------ costs

    def add_cost(
        self,
        project: str,
        amount: Money | str | dict[str, Any],
        on: date,
        fields: Mapping[str, Any],
    ) -> CostEntry:
        """See :meth:`Workspace.add_cost <pmo_core.Workspace.add_cost>`."""
        entity = live_project(self._ws, project, "book a cost to")
        data: dict[str, Any] = {
            "project": entity.id,
            "incurred_on": on,
            "amount": in_currency(entity, amount, "amount"),
            **fields,
        }
        if data.get("work_item") is not None:
            data["work_item"] = self._planning.work_item(
                str(data["work_item"]), project=entity.id, where="work_item"
            ).id
        entry = validated(CostEntry, data)
        self._check_past(entry.incurred_on, "book a cost once it is incurred", "incurred_on")
        return self._entities.add_many([entry], "cost add")[0]

    def cost_entries(self, project: str) -> list[CostEntry]:
        """See :meth:`Workspace.cost_entries <pmo_core.Workspace.cost_entries>`."""
        view = self._ws.view()
        return view.cost_entries(view.entity(project).id)

    # -------------------------------------------------------------- forecasts

    def set_forecast(
        self,
        project: str,
        *,
        eac: Money | str | dict[str, Any],
        reason: str,
        etc: Money | str | dict[str, Any] | None,
        finish: date | None,
        work_item: str | None,
        on: date | None,
        method: str | None,
    ) -> Forecast:
        """See :meth:`Workspace.set_forecast <pmo_core.Workspace.set_forecast>`."""
        entity = live_project(self._ws, project, "set a forecast of")
        if not reason.strip():
            raise InvalidInputError("say why the forecast is what it is", where="reason")
        data: dict[str, Any] = {
            "project": entity.id,
            "as_of": on or self._ws.today(),
            "eac": in_currency(entity, eac, "eac"),
            "etc": None if etc is None else in_currency(entity, etc, "etc"),
            "finish": finish,
            "method": method,
            "note": reason,
            "author": self._ws.actor,
        }
        if work_item is not None:
            data["work_item"] = self._planning.work_item(
                work_item, project=entity.id, where="work_item"
            ).id
        forecast = validated(Forecast, data)
        self._check_past(forecast.as_of, "a forecast is made on a day that has come", "as_of")
        if forecast.etc is not None and forecast.etc > forecast.eac:
            raise InvalidInputError(
                f"the estimate to complete ({forecast.etc}) is more than the estimate at "
                f"completion ({forecast.eac}), which includes it",
                where="etc",
            )
        return self._entities.add_many([forecast], "forecast set")[0]

    def forecasts(self, project: str) -> list[Forecast]:
        """See :meth:`Workspace.forecasts <pmo_core.Workspace.forecasts>`."""
        view = self._ws.view()
        return view.forecasts(view.entity(project).id)
