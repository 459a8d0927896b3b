"""The figures the reports show: a thin adapter over pmo-core's metrics service.

Every figure comes from :func:`pmo_core.measure_project` and :func:`pmo_core.measure_scope`
(the service the governance rules and ``pmo metrics`` read too), so a report never computes
a figure of its own. The names below are the ones the renderers use.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pmo_core import (
    EndedMetrics,
    Entity,
    ProjectMetrics,
    ScopeMetrics,
    ScopeRow,
    WorkspaceView,
    measure_project,
    measure_scope,
)

Period = Literal["week", "month"]
RagName = Literal["green", "amber", "red"]

#: One project's figures (or a scope's totals).
Figures = ProjectMetrics
#: A live project of a scope, with its figures and its latest reported colour.
Row = ScopeRow
#: A killed or closed member of a scope, with its final figures.
Ended = EndedMetrics
#: A roll-up node: its live projects, totals, ended members, pipeline and nodes below.
Scope = ScopeMetrics


def project_figures(
    view: WorkspaceView, project: Entity, as_of: date, series: Period | None = None
) -> Figures:
    """One project's figures on the status date ``as_of`` (the metrics service's), with the
    time-phased ``series`` when one is asked for.

    Example::

        figures = project_figures(view, view.entity("ALPHA"), date(2025, 4, 15))
        figures.value("spi"), figures.overall
    """
    return measure_project(view, project, status_date=as_of, series=series)


def scope_figures(
    view: WorkspaceView, scope: Entity | None, as_of: date, series: Period | None = None
) -> Scope:
    """A scope's roll-up on the status date ``as_of`` (the metrics service's), the totals
    with the summed time-phased ``series`` when one is asked for.

    Example::

        figures = scope_figures(view, view.entity("PF"), date(2025, 4, 15))
        figures.totals.value("spi")  # sum(EV) / sum(PV) of live projects, never an average
    """
    return measure_scope(view, scope, status_date=as_of, series=series)


def measurement_json(figures: Figures) -> dict[str, Any]:
    """What the figures were measured from (the service's lineage), for a report's JSON.

    Example::

        measurement_json(figures)["basis"]  # 'current plan, no baseline on or before ...'
    """
    return figures.lineage()
