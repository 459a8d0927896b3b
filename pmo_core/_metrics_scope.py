"""The metrics service over a scope: the live projects' figures summed, every index
recomputed from the sums, with the ended members, the pipeline and each roll-up node beside.

Who counts is :func:`~pmo_core.scope_members`'s call (killed and closed projects leave the
totals; proposed ones wait beside them; on-hold ones stay in and are marked). Indices are
never averaged: BAC, PV, EV and AC are summed, then SPI, CPI and EAC computed from the sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from weakref import WeakKeyDictionary

from ._config import MetricsTable
from ._domain import Entity, StatusReport
from ._evm import EvInputs, built_metric, earned_value, roll_up
from ._gc import collector_paused
from ._metrics import ProjectMetrics, measure_basis, measure_project, overall_metric
from ._metrics_basis import read_bases
from ._metrics_plan import plan_metrics, undefined_like
from ._metrics_series import Period, time_phased
from ._rollup import ScopeMember, scope_members
from ._view import WorkspaceView
from ._watermelons import watermelons

__all__ = ["EndedMetrics", "ScopeMetrics", "ScopeRow", "measure_scope"]

RagName = Literal["green", "amber", "red"]


@dataclass(frozen=True)
class ScopeRow:
    """One live project of a scope: the project, its figures and its latest reported colour
    (``reported``, of the status report of ``reported_on``). ``held_by`` is the entity on hold
    that holds it (itself or one above it), else ``None``.

    Example::

        row = measure_scope(view, "PF").rows[0]
        row.project.id, row.figures.value("spi"), row.reported, row.watermelon
    """

    project: Entity
    figures: ProjectMetrics
    reported: RagName | None
    reported_on: date | None
    held_by: Entity | None = None

    @property
    def watermelon(self) -> bool:
        """The reported overall colour is better than the figures' (green or amber over red,
        green over amber), as :func:`~pmo_core.watermelons` judges it; per dimension, with the
        figures, see :func:`~pmo_core.report_watermelons`.

        Example::

            [r.project.id for r in measure_scope(view, "PF").rows if r.watermelon]
        """
        return bool(watermelons({"overall": self.reported}, {"overall": self.figures.overall}))


@dataclass(frozen=True)
class EndedMetrics:
    """A killed or closed member of a scope with its final figures, measured on ``as_of``
    (the day it ended, or the status date when that is earlier or was never recorded). A
    program or portfolio's final figures are the totals of its live projects that day.

    Example::

        [(e.member.key, e.as_of, e.figures.value("ev")) for e in measure_scope(view).ended]
    """

    member: ScopeMember
    figures: ProjectMetrics
    as_of: date


@dataclass(frozen=True)
class ScopeMetrics:
    """A roll-up node: its live projects (``rows``, the only ones in the totals), its totals
    from their summed BAC, PV, EV and AC, and beside them its ended members, its pipeline
    and its own roll-up nodes (the live portfolios and programs directly below).

    ``included`` are the projects summed; ``excluded`` the live ones the totals cannot sum
    (unmeasured, or in another currency), with why. ``totals`` has the shape of a project's
    figures (:class:`ProjectMetrics`) plus ``projects_measured``.

    Example::

        scope = measure_scope(view, "PF")
        scope.totals.value("spi")  # sum(EV) / sum(PV) of the live projects, never an average
        [e.member.key for e in scope.ended], scope.count("pipeline")
    """

    entity: Entity | None
    rows: tuple[ScopeRow, ...]
    totals: ProjectMetrics
    included: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]
    ended: tuple[EndedMetrics, ...] = ()
    pipeline: tuple[ScopeMember, ...] = ()
    nodes: tuple[ScopeMetrics, ...] = ()

    @property
    def on_hold(self) -> tuple[ScopeRow, ...]:
        """The live projects on hold (still in the totals).

        Example::

            [r.project.id for r in scope.on_hold]
        """
        return tuple(r for r in self.rows if r.held_by is not None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able, as ``pmo metrics PF --json`` prints it: the totals (with their lineage
        and series), each live project's figures, the excluded, ended and pipeline members.

        Example::

            json.dumps(measure_scope(view, "PF").as_dict())
        """
        entity = self.entity
        return {
            **self.totals.as_dict(),
            "kind": entity.kind if entity is not None else "pmo",
            "counts": {s: self.count(s) for s in ("live", "on_hold", "ended", "pipeline")},
            "included": list(self.included),
            "excluded": [{"key": k, "reason": r} for k, r in self.excluded],
            "projects": [r.figures.as_dict() for r in self.rows],
            "ended": [
                {"state": e.member.state, "as_of": e.as_of.isoformat(), **e.figures.as_dict()}
                for e in self.ended
            ],
            "pipeline": [m.key for m in self.pipeline],
        }

    def count(self, standing: str) -> int:
        """Projects of the node that are ``live``, ``on_hold``, ``ended`` or ``pipeline``.

        Example::

            scope.count("ended")  # 1
        """
        if standing == "live":
            return len(self.rows)
        if standing == "on_hold":
            return len(self.on_hold)
        members = self.ended if standing == "ended" else self.pipeline
        return sum(
            1
            for m in members
            if (m.member.entity if isinstance(m, EndedMetrics) else m.entity).kind == "project"
        )


def totals_currency(scope: Entity | None, projects: Sequence[Entity]) -> str:
    """The currency of a scope's totals: the scope's own, else the projects' usual one."""
    if scope is not None:
        return scope.currency
    counts = Counter(p.currency for p in projects)
    if not counts:
        return ""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


class Measurer:
    """Measures each project once per date, however many roll-up nodes (or rules, or rows
    of a list) ask for it: the projects of a scope together, from one read per record kind
    (:func:`~pmo_core._metrics_basis.read_bases`), the figures the same as
    :func:`~pmo_core.measure_project` gives one by one.

    Example::

        measure = Measurer(view, view.metrics_config or MetricsTable())
        measure.prefetch(view.projects(), view.status_date)
        measure.figures(view.entity("ALPHA"), view.status_date).value("spi")
    """

    def __init__(
        self, view: WorkspaceView, config: MetricsTable, *, keep_bases: bool = False
    ) -> None:
        self.view = view
        self.config = config
        # A project's basis holds every one of its work items; only the time-phased series
        # reads it again, so without one it is let go (a scope of a million items would
        # otherwise be held whole until the report is done).
        self.keep_bases = keep_bases
        self._figures: dict[tuple[str, date], ProjectMetrics] = {}
        self._rows: dict[tuple[str, date], ScopeRow] = {}
        self._latest: dict[str, StatusReport | None] = {}
        self._expected: tuple[Sequence[Entity], date] | None = None

    def expect(self, projects: Sequence[Entity], on: date) -> None:
        """Measure ``projects`` together on ``on`` once the first figures of that day are
        asked for (never, if none are: a command whose rules measure nothing pays nothing).
        """
        self._expected = (projects, on)

    def prefetch(self, projects: Sequence[Entity], on: date) -> None:
        """Measure on ``on`` those of ``projects`` not measured yet, all at once; later
        asks for them are answered from memory."""
        wanted = [p for p in projects if (p.id, on) not in self._figures]
        if len(wanted) > 1:
            with collector_paused():
                for figures in self.stream(wanted, on):
                    self._keep(figures.key or "", on, figures)

    def stream(self, projects: Sequence[Entity], on: date) -> Iterator[ProjectMetrics]:
        """The figures of each of ``projects`` on ``on``, measured together, one at a time
        and kept by no one here: a list that needs each only for its row holds one at once.
        """
        rule = tuple(self.config.eac)
        for basis in read_bases(self.view, projects, on, self.config):
            measured = measure_basis(basis, rule)
            yield measured if self.keep_bases else replace(measured, bases=())

    def prefetch_statuses(self, keys: Sequence[str]) -> None:
        """Find the latest status reports of those of ``keys`` not looked up yet, at once."""
        unread = [key for key in keys if key not in self._latest]
        if len(unread) > 1:
            self._latest.update(self.view.latest_statuses(unread))

    def _keep(self, key: str, on: date, measured: ProjectMetrics) -> ProjectMetrics:
        kept = measured if self.keep_bases else replace(measured, bases=())
        self._figures[key, on] = kept
        return kept

    def figures(self, project: Entity, on: date) -> ProjectMetrics:
        """The figures of ``project`` on ``on`` (measured now unless prefetched)."""
        found = self._figures.get((project.id, on))
        if found is None and self._expected is not None and self._expected[1] == on:
            expected, self._expected = self._expected[0], None
            self.prefetch(expected, on)
            found = self._figures.get((project.id, on))
        if found is None:
            measured = measure_project(self.view, project, status_date=on, config=self.config)
            found = self._keep(project.id, on, measured)
        return found

    def latest_status(self, key: str) -> StatusReport | None:
        """The latest status report of ``key`` (found in bulk when prefetched)."""
        if key not in self._latest:
            self._latest[key] = self.view.latest_status(key)
        return self._latest[key]

    def row(self, member: ScopeMember, on: date) -> ScopeRow:
        key = (member.key, on)
        if key not in self._rows:
            latest = self.latest_status(member.key)
            self._rows[key] = ScopeRow(
                project=member.entity,
                figures=self.figures(member.entity, on),
                reported=latest.overall.value if latest else None,
                reported_on=latest.as_of if latest else None,
            )
        row = self._rows[key]
        # Most rows are not held: the row as made, not a copy per roll-up node.
        return row if member.held_by is None else replace(row, held_by=member.held_by)


def _totals(
    rows: Sequence[ScopeRow],
    currency: str,
    on: date,
    rule: tuple[str, ...],
    key: str | None,
) -> tuple[ProjectMetrics, list[str], list[tuple[str, str]]]:
    included: list[ProjectMetrics] = []
    names: list[str] = []
    excluded: list[tuple[str, str]] = []
    for row in rows:
        figures = row.figures
        if figures.ev is None:
            excluded.append((row.project.id, figures.note))
        elif figures.currency != currency:
            excluded.append((row.project.id, f"in {figures.currency}; totals are in {currency}"))
        else:
            included.append(figures)
            names.append(row.project.id)
    count = built_metric(
        name="projects_measured",
        value=Decimal(len(names)),
        formula="live projects whose budgeted work items are summed into the totals",
        inputs={"projects": Decimal(len(rows)), "excluded": Decimal(len(excluded))},
        unit="projects",
        source=", ".join(names),
    )
    bases = sorted({f.basis for f in included})
    basis = (
        f"sum of {len(names)} project(s), each on its own basis: " + "; ".join(bases)
        if names
        else "no measured project"
    )
    work_items = sum(r.figures.work_items for r in rows)
    if not included:
        zero = Decimal(0)
        shapes = earned_value(EvInputs(zero, zero, zero, zero, on, currency), eac_rule=rule)
        metrics = undefined_like(shapes.metrics, "no measured project")
        metrics.append(overall_metric(None, "no measured project"))
        metrics += undefined_like(
            tuple(plan_metrics(basis, None, None, None, None, currency, baselined=False)),
            "no measured project",
        )
        totals = ProjectMetrics(
            key=key,
            currency=currency,
            status_date=on,
            basis=basis,
            metrics=(*metrics, count),
            note="no measured project",
            work_items=work_items,
        )
        return totals, names, excluded
    source = f"sum of {len(names)} project(s): {', '.join(names)}"
    rolled = roll_up(
        (f.ev.inputs for f in included if f.ev),
        on,
        currency,
        eac_rule=rule,
        source=f"basis: {basis}",
        sources=dict.fromkeys(("bac", "pv", "ev", "ac"), source),
    )
    metrics = list(rolled.metrics)
    metrics.append(overall_metric(rolled))

    def total(name: str) -> Decimal | None:
        values = [f.metric(name).inputs.get(_SYMBOL[name]) for f in included]
        found = [v for v in values if isinstance(v, Decimal)]
        return sum(found, Decimal(0)) if len(found) == len(values) else None

    baselined = any(f.baseline is not None for f in included)
    metrics += plan_metrics(
        basis,
        rolled.inputs.bac,
        rolled.inputs.pv,
        total("bac_current"),
        total("pv_current"),
        currency,
        baselined=baselined,
        unbaselined=sum(
            (b or Decimal(0) for f in included for _, _, b in f.unbaselined), Decimal(0)
        ),
        source=source,
    )
    # The finish is each project's own: a scope's slip in days is not a sum.
    metrics = [
        m.model_copy(update={"value": None, "inputs": {}, "source": "per project"})
        if m.name == "finish_variance"
        else m
        for m in metrics
    ]
    totals = ProjectMetrics(
        key=key,
        currency=currency,
        status_date=on,
        basis=basis,
        metrics=(*metrics, count),
        ev=rolled,
        work_items=work_items,
        unbaselined=tuple(u for f in included for u in f.unbaselined),
        removed=tuple(r for f in included for r in f.removed),
        conflicts=tuple(c for f in included for c in f.conflicts),
        bases=tuple(b for f in included for b in f.bases),
    )
    return totals, names, excluded


# Each current-plan metric's unrounded input, summed across projects.
_SYMBOL = {"bac_current": "BAC_current", "pv_current": "PV_current"}


def _end_date(member: ScopeMember, on: date) -> date:
    return min(on, member.on) if member.on is not None else on


def _node(measure: Measurer, scope: Entity | None, on: date, *, nested: bool) -> ScopeMetrics:
    view = measure.view
    members = scope_members(view, scope)
    live = members.live_members
    measure.prefetch([m.entity for m in live], on)
    measure.prefetch_statuses([m.key for m in live])
    rows = [measure.row(m, on) for m in live]
    currency = totals_currency(scope, [r.project for r in rows])
    key = scope.id if scope is not None else None
    totals, included, excluded = _totals(rows, currency, on, tuple(measure.config.eac), key)
    ended: list[EndedMetrics] = []
    for member in members.ended:
        day = _end_date(member, on)
        if member.entity.kind == "project":
            final = measure.figures(member.entity, day)
        else:
            final = _node(measure, member.entity, day, nested=False).totals
        ended.append(EndedMetrics(member=member, figures=final, as_of=day))
    nodes = (
        tuple(
            _node(measure, m.entity, on, nested=True)
            for m in members.members
            if m.standing == "live"
            and m.entity.kind in ("portfolio", "program")
            and m.entity.parent == key
        )
        if nested
        else ()
    )
    return ScopeMetrics(
        entity=scope,
        rows=tuple(rows),
        totals=totals,
        included=tuple(included),
        excluded=tuple(excluded),
        ended=tuple(ended),
        pipeline=members.pipeline,
        nodes=nodes,
    )


# The measurer a command shares between its readers (see shared_figures), by view.
_SHARED: WeakKeyDictionary[WorkspaceView, Measurer] = WeakKeyDictionary()


@contextmanager
def shared_figures(view: WorkspaceView, projects: Sequence[Entity] = ()) -> Iterator[Measurer]:
    """Within the block, every reader of ``view``'s figures that asks :func:`measurer_of`
    (the governance rules, :func:`measure_scope` without a series or its own ``config``)
    shares one measurer: each project is measured once per date, and ``projects`` together
    on the view's status date when the first of its figures is asked for. After the block
    each reader measures afresh again, so a view read after a write never sees old figures.

    Example::

        with shared_figures(view, view.projects()):
            findings = [f for e in view.entities() for f in evaluate(e, view)]
    """
    if view in _SHARED:  # an outer block shares already
        yield _SHARED[view]
        return
    measure = Measurer(view, view.metrics_config or MetricsTable())
    if projects:
        measure.expect(projects, view.status_date)
    _SHARED[view] = measure
    try:
        yield measure
    finally:
        del _SHARED[view]


def measurer_of(view: WorkspaceView) -> Measurer:
    """The measurer :func:`shared_figures` shares for ``view``, else a new one.

    Example::

        measurer_of(view).figures(view.entity("ALPHA"), view.status_date).value("eac")
    """
    found = _SHARED.get(view)
    return found if found is not None else Measurer(view, view.metrics_config or MetricsTable())


def measure_node(measure: Measurer, scope: Entity | None, on: date) -> ScopeMetrics:
    """:func:`measure_scope` (without a series) through ``measure``, which keeps every
    project's figures for the next scope it is asked about.

    Example::

        measure = Measurer(view, MetricsTable())
        [measure_node(measure, pf, view.status_date).totals for pf in view.portfolios()]
    """
    return _node(measure, scope, on, nested=True)


def measure_scope(
    view: WorkspaceView,
    scope: Entity | str | None = None,
    *,
    status_date: date | None = None,
    series: Period | None = None,
    config: MetricsTable | None = None,
) -> ScopeMetrics:
    """Measure the live projects below ``scope`` (a portfolio, program or project key or
    entity; ``None``: the whole PMO) on ``status_date`` (default: the view's), and roll
    them up: BAC, PV, EV and AC summed, every index recomputed from the sums; the bottom-up
    EAC summed only when every project has one. Beside the totals: the ended members with
    their final figures, the pipeline, and the same for each live portfolio and program
    directly below (``nodes``). ``series`` adds the summed time-phased series to the totals.

    Example::

        scope = measure_scope(ws.view(), "PF", status_date=date(2025, 3, 31))
        scope.totals.value("cpi"), scope.included, scope.excluded
    """
    entity = view.entity(scope) if isinstance(scope, str) else scope
    on = status_date or view.status_date
    if series is None and config is None:
        return measure_node(measurer_of(view), entity, on)
    config = config or view.metrics_config or MetricsTable()
    node = measure_node(Measurer(view, config, keep_bases=series is not None), entity, on)
    if series is None:
        return node
    totals = replace(node.totals, series=time_phased(node.totals.bases, on, series))
    return replace(node, totals=totals)
