"""The reported and the computed colour of a portfolio, program or project, side by side, as
``pmo portfolio|program|project list`` and ``show`` print them.

``reported`` is the overall colour of the latest status report up to the view's status date;
``computed`` is the metrics service's on that date (a killed or closed one's on the day it
ended, its final figures): a project's overall colour (the worst of its SPI and CPI
colours), a program's or portfolio's the colour of its live projects' totals
(:func:`~pmo_core.measure_scope`). Each watermelon is a reported colour better than the
computed one (:func:`~pmo_core.report_watermelons`), compared as the two columns show them.

A list measures only the rows it prints: the latest reports are found in one bulk read, and
each printed one is read once. Only the standard library is imported at module level (the
domain and the metrics service are imported when a command runs), so ``pmo --help`` stays
fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._domain import Entity, StatusReport
    from .._metrics import ProjectMetrics
    from .._metrics_scope import Measurer, ScopeMetrics
    from .._view import WorkspaceView
    from .._watermelons import Watermelon

_SEVERITY = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Colours:
    """One entity's reported colour (of the report of ``reported_on``), its computed colour
    and the watermelons between them."""

    reported: str | None
    reported_on: date | None
    computed: str | None
    watermelons: tuple[Watermelon, ...] = ()

    @property
    def marker(self) -> str | None:
        """The dimensions reported better than computed (``None``: none), for a table cell;
        those overridden with a reason say so."""
        return (
            ", ".join(w.dimension + (" (overridden)" if w.reason else "") for w in self.watermelons)
            or None
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "reported": self.reported,
            "reported_on": self.reported_on.isoformat() if self.reported_on else None,
            "computed": self.computed,
            "watermelons": [w.as_dict() for w in self.watermelons],
        }


def latest_report_ids(view: WorkspaceView) -> dict[str, str]:
    """The id of each entity's latest regular status report up to the view's status date,
    from one bulk read: the newest day wins, then the last written (as
    :meth:`~pmo_core.WorkspaceView.latest_status` orders them)."""
    on = view.status_date.isoformat()
    latest: dict[str, tuple[str, str, str]] = {}
    fields = ["entity", "as_of", "kind", "@updated_at", "@id"]
    for entity, as_of, kind, written, id in view.values("status_report", fields):
        if entity is None or as_of is None or str(as_of) > on or (kind or "status") != "status":
            continue
        order = (str(as_of), str(written), str(id))
        if entity not in latest or order > latest[entity]:
            latest[entity] = order
    return {entity: order[2] for entity, order in latest.items()}


def scope_colour(scope: ScopeMetrics) -> str | None:
    """The totals' overall colour; when nothing could be summed (every live project in
    another currency, say), the worst colour of the live projects that have one, so a scope
    whose projects are red never shows no colour."""
    if scope.totals.overall is not None:
        return scope.totals.overall
    colours = [r.figures.overall for r in scope.rows if r.figures.overall is not None]
    return max(colours, key=_SEVERITY.__getitem__, default=None)


def measured(
    view: WorkspaceView, entity: Entity, measure: Measurer | None = None
) -> tuple[ProjectMetrics, str | None]:
    """The figures of an entity on the view's status date and its computed overall colour:
    a project's own, a program's or portfolio's totals (see :func:`scope_colour`).
    ``measure`` keeps the projects' figures from one entity to the next."""
    from .._config import MetricsTable
    from .._metrics_scope import Measurer, measure_node

    measure = measure or Measurer(view, view.metrics_config or MetricsTable())
    on = final_day(view, entity)
    if entity.kind == "project":
        figures = measure.figures(entity, on)
        return figures, figures.overall
    scope = measure_node(measure, entity, on)
    return scope.totals, scope_colour(scope)


def final_day(view: WorkspaceView, entity: Entity) -> date:
    """The day an entity is measured on: the status date, or the day it was killed or
    closed when that is earlier (its final figures, as the roll-ups list them)."""
    ended = entity.lifecycle_on if entity.ended else None
    return min(view.status_date, ended) if ended is not None else view.status_date


def compare(
    report: StatusReport, figures: ProjectMetrics, computed: str | None
) -> tuple[Watermelon, ...]:
    """The watermelons of ``report`` against ``figures``, whose overall colour is
    ``computed`` (a scope's may come from its projects when its totals have none)."""
    from .._watermelons import report_watermelons, watermelons

    found = report_watermelons(report, figures)
    if figures.overall is None and computed is not None:
        # Only the projects' own colours say it: compare the overall colour with theirs.
        override = next((o for o in report.overrides if o.dimension == "overall"), None)
        covered = override is not None and override.computed.severity >= _SEVERITY[computed]
        extra = watermelons(
            {"overall": report.overall},
            {"overall": computed},
            reasons={"overall": override.reason} if override and covered else None,
        )
        if extra:
            found = tuple(w for w in found if w.dimension != "overall") + extra
    return found


class ColourReader:
    """The colours of the entities a command prints, the latest reports read in bulk."""

    def __init__(self, view: WorkspaceView) -> None:
        from .._config import MetricsTable
        from .._metrics_scope import Measurer

        self.view = view
        self._latest = latest_report_ids(view)
        # One measurer for the command: a project is measured once, whether its own row or
        # a program's or portfolio's totals ask for it.
        self._measure = Measurer(view, view.metrics_config or MetricsTable())

    def _report(self, key: str) -> StatusReport | None:
        from .._domain import StatusReport

        id = self._latest.get(key)
        return None if id is None else self.view.get(StatusReport, id)

    def colours(self, entity: Entity) -> Colours:
        """The colours of one entity."""
        figures, computed = measured(self.view, entity, self._measure)
        return self._compared(entity, figures, computed)

    def _compared(self, entity: Entity, figures: ProjectMetrics, computed: str | None) -> Colours:
        report = self._report(entity.id)
        if report is None:
            return Colours(None, None, computed)
        found = compare(report, figures, computed)
        return Colours(report.overall.value, report.as_of, computed, found)

    def many(self, entities: Sequence[Entity]) -> dict[str, Colours]:
        """The colours of each entity (only these are measured); the projects measured on
        the status date are measured together, in one pass."""
        on = self.view.status_date
        batch = {e.id: e for e in entities if e.kind == "project" and final_day(self.view, e) == on}
        found: dict[str, Colours] = {}
        if len(batch) > 1:
            # Each project's figures are let go once its colours are made.
            for figures in self._measure.stream(list(batch.values()), on):
                key = figures.key or ""
                found[key] = self._compared(batch[key], figures, figures.overall)
        return {e.id: found[e.id] if e.id in found else self.colours(e) for e in entities}
