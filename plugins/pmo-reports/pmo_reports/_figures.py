"""Earned-value figures per project and per scope, every one a Metric with its lineage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pmo_core import (
    EarnedValue,
    Entity,
    EvInputs,
    InvalidInputError,
    Metric,
    ScopeMember,
    WorkspaceView,
    accumulate,
    earned_value,
    roll_up,
    scope_members,
    worst,
)

RagName = Literal["green", "amber", "red"]

#: The work-item fields read through the bulk path, in the order accumulate() wants them,
#: plus the two currencies so a project's items in another currency are never summed.
WORK_ITEM_FIELDS = (
    "budget.amount",
    "percent_complete",
    "start",
    "due",
    "actual_cost.amount",
    "budget.currency",
    "actual_cost.currency",
)

OVERALL_FORMULA = "worst(schedule colour from SPI, cost colour from CPI)"
_BASE = ("bac", "pv", "ev", "ac")


@dataclass(frozen=True)
class Figures:
    """The earned-value picture of one project, or of a scope rolled up from its projects.

    ``ev`` is ``None`` when the figures could not be measured (no budgeted work items, or
    work items in another currency); ``note`` then says why, and every metric but ``bac``
    (the project's own budget, when it has one) is undefined.
    """

    currency: str
    metrics: tuple[Metric, ...]
    ev: EarnedValue | None = None
    note: str = ""
    work_items: int = 0

    def metric(self, name: str) -> Metric:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    def value(self, name: str) -> Decimal | None:
        return self.metric(name).value

    @property
    def measured(self) -> bool:
        return self.ev is not None

    @property
    def schedule(self) -> RagName | None:
        return self.metric("spi").rag

    @property
    def cost(self) -> RagName | None:
        return self.metric("cpi").rag

    @property
    def overall(self) -> RagName | None:
        return self.metric("overall").rag


class _OtherCurrency(Exception):
    def __init__(self, currency: str) -> None:
        self.currency = currency


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # 60.0 -> Decimal('60.0'), without binary noise
    return Decimal(str(value))


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _items(
    rows: Iterable[tuple[Any, ...]], currency: str, counter: list[int]
) -> Iterator[tuple[Decimal | None, Decimal | None, date | None, date | None, Decimal | None]]:
    for budget, percent, start, due, actual, budget_currency, actual_currency in rows:
        counter[0] += 1
        for money_currency in (budget_currency, actual_currency):
            if money_currency is not None and money_currency != currency:
                raise _OtherCurrency(str(money_currency))
        if budget is not None:
            counter[1] += 1
        if actual is not None:
            counter[2] += 1
        yield _decimal(budget), _decimal(percent), _date(start), _date(due), _decimal(actual)


def project_figures(view: WorkspaceView, project: Entity, as_of: date) -> Figures:
    """Earned value of one project from its work items (the bulk path), as of ``as_of``.

    Example::

        figures = project_figures(view, view.entity("ALPHA"), date(2025, 4, 15))
        figures.value("spi"), figures.overall
    """
    currency = project.currency
    counter = [0, 0, 0]  # work items, budgeted work items, work items with an actual cost
    rows = view.values("work_item", list(WORK_ITEM_FIELDS), owner=project.id)
    try:
        inputs = accumulate(_items(rows, currency, counter), as_of, currency=currency)
    except _OtherCurrency as exc:
        return _unmeasured(
            project,
            f"work items are in {exc.currency} but the project is in {currency}",
            as_of=as_of,
        )
    except InvalidInputError as exc:
        return _unmeasured(project, f"work items cannot be measured: {exc}", as_of=as_of)
    if counter[1] == 0:
        reason = "no work items" if counter[0] == 0 else "no work item has a budget"
        return _unmeasured(project, reason, as_of=as_of, work_items=counter[0])
    source = f"{counter[0]} work items of {project.id}"
    sources = {}
    if counter[2] == 0:
        # Actuals booked as cost entries (a finance feed) rather than on the work items: the
        # entries up to the status date are the AC, as the governance tolerance rule reads it.
        # Up to the measuring date: an ended project is measured on the day it ended.
        entries = [e for e in view.cost_entries(project.id) if e.incurred_on <= as_of]
        other = next((e.amount.currency for e in entries if e.amount.currency != currency), None)
        if other is not None:
            reason = f"cost entries are in {other} but the project is in {currency}"
            return _unmeasured(project, reason, as_of=as_of, work_items=counter[0])
        if entries:
            ac = sum((e.amount.amount for e in entries), Decimal(0))
            inputs = replace(inputs, ac=ac)
            sources["ac"] = f"{len(entries)} cost entries of {project.id} up to {as_of}"
    ev = earned_value(inputs)
    return _measured(ev, currency, source, work_items=counter[0], sources=sources)


def _measured(
    ev: EarnedValue,
    currency: str,
    source: str,
    *,
    work_items: int = 0,
    sources: dict[str, str] | None = None,
) -> Figures:
    # ``sources`` overrides the source of single base figures (AC from cost entries).
    metrics = [
        m.model_copy(update={"source": (sources or {}).get(m.name, source)})
        if m.name in _BASE and not m.source
        else m
        for m in ev.metrics
    ]
    spi, cpi = ev.metric("spi"), ev.metric("cpi")
    metrics.append(
        Metric(
            name="overall",
            value=None,
            formula=OVERALL_FORMULA,
            inputs={"SPI": spi.value, "CPI": cpi.value, "schedule": spi.rag, "cost": cpi.rag},
            thresholds=dict(spi.thresholds),
            rag=worst(spi.rag, cpi.rag),
            unit="rag",
            source=spi.source,
        )
    )
    return Figures(currency=currency, metrics=tuple(metrics), ev=ev, work_items=work_items)


def _unmeasured(
    project: Entity | None,
    reason: str,
    *,
    currency: str | None = None,
    as_of: date | None = None,
    work_items: int = 0,
) -> Figures:
    currency = project.currency if project is not None else currency or ""
    budget = project.budget.amount if project is not None and project.budget else None
    # The same metric names, formulas and units as a measured project, all undefined: run
    # the formulas on zeros only to read their shapes.
    zero = Decimal(0)
    shapes = earned_value(EvInputs(zero, zero, zero, zero, as_of or date.min, currency)).metrics
    metrics: list[Metric] = []
    for shape in shapes:
        if shape.name == "bac" and project is not None:
            metrics.append(
                Metric(
                    name="bac",
                    value=budget,
                    formula="project budget",
                    inputs={"budget": budget},
                    unit=currency,
                    source=f"project {project.id} ({reason})",
                )
            )
            continue
        metrics.append(
            shape.model_copy(
                update={"value": None, "inputs": {}, "rag": None, "source": f"undefined: {reason}"}
            )
        )
    metrics.append(
        Metric(
            name="overall",
            value=None,
            formula=OVERALL_FORMULA,
            unit="rag",
            source=f"undefined: {reason}",
        )
    )
    return Figures(currency=currency, metrics=tuple(metrics), note=reason, work_items=work_items)


def is_watermelon(reported: str | None, computed: str | None) -> bool:
    """Green outside, red inside: reported green while the project's own numbers say red.

    Example::

        is_watermelon("green", "red")  # True
    """
    return reported == "green" and computed == "red"


@dataclass(frozen=True)
class Row:
    """One live project of a scope: the project, its figures and its latest reported colour.

    ``held_by`` is the entity on hold that holds it (itself or one above it), else ``None``.
    """

    project: Entity
    figures: Figures
    reported: RagName | None
    reported_on: date | None
    held_by: Entity | None = None

    @property
    def watermelon(self) -> bool:
        return is_watermelon(self.reported, self.figures.overall)


@dataclass(frozen=True)
class Ended:
    """A killed or closed member of a scope, with its final figures (measured on ``as_of``,
    the day it ended, or the report's date when that day is later or was never recorded).

    A program or portfolio's final figures are the totals of its live projects that day.
    """

    member: ScopeMember
    figures: Figures
    as_of: date


@dataclass(frozen=True)
class Scope:
    """A roll-up node: its live projects, its totals from their summed inputs, and beside the
    totals its ended members, its pipeline and its own roll-up nodes (programs, portfolios).

    ``rows`` are the live projects (active and on hold), the only ones in the totals;
    ``excluded`` are live projects the totals cannot sum (no figures, another currency).
    """

    entity: Entity | None
    rows: tuple[Row, ...]
    totals: Figures
    included: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...]
    ended: tuple[Ended, ...] = ()
    pipeline: tuple[ScopeMember, ...] = ()
    nodes: tuple[Scope, ...] = ()

    @property
    def on_hold(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.held_by is not None)

    def count(self, standing: str) -> int:
        """Projects of the node that are ``live``, ``on_hold``, ``ended`` or ``pipeline``."""
        if standing == "live":
            return len(self.rows)
        if standing == "on_hold":
            return len(self.on_hold)
        members = self.ended if standing == "ended" else self.pipeline
        return sum(
            1
            for m in members
            if (m.member.entity if isinstance(m, Ended) else m.entity).kind == "project"
        )


def totals_currency(scope: Entity | None, projects: Sequence[Entity]) -> str:
    """The currency of a scope's totals: the scope's own, else the projects' usual one."""
    if scope is not None:
        return scope.currency
    counts = Counter(p.currency for p in projects)
    if not counts:
        return ""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


class _Measurer:
    """Measures each project once per date, however many roll-up nodes it appears in."""

    def __init__(self, view: WorkspaceView) -> None:
        self.view = view
        self._figures: dict[tuple[str, date], Figures] = {}
        self._rows: dict[tuple[str, date], Row] = {}

    def figures(self, project: Entity, as_of: date) -> Figures:
        key = (project.id, as_of)
        if key not in self._figures:
            self._figures[key] = project_figures(self.view, project, as_of)
        return self._figures[key]

    def row(self, member: ScopeMember, as_of: date) -> Row:
        key = (member.key, as_of)
        if key not in self._rows:
            latest = self.view.latest_status(member.key)
            self._rows[key] = Row(
                project=member.entity,
                figures=self.figures(member.entity, as_of),
                reported=latest.overall.value if latest else None,
                reported_on=latest.as_of if latest else None,
            )
        return replace(self._rows[key], held_by=member.held_by)


def _end_date(member: ScopeMember, as_of: date) -> date:
    return min(as_of, member.on) if member.on is not None else as_of


def _node(measure: _Measurer, scope: Entity | None, as_of: date, *, nested: bool) -> Scope:
    view = measure.view
    members = scope_members(view, scope)
    rows = [measure.row(m, as_of) for m in members.live_members]
    currency = totals_currency(scope, [r.project for r in rows])
    children: list[EvInputs] = []
    included: list[str] = []
    excluded: list[tuple[str, str]] = []
    for row in rows:
        figures = row.figures
        if figures.ev is None:
            excluded.append((row.project.id, figures.note))
        elif figures.currency != currency:
            excluded.append((row.project.id, f"in {figures.currency}; totals are in {currency}"))
        else:
            children.append(figures.ev.inputs)
            included.append(row.project.id)
    count = Metric(
        name="projects_measured",
        value=Decimal(len(included)),
        formula="live projects whose budgeted work items are summed into the totals",
        inputs={"projects": Decimal(len(rows)), "excluded": Decimal(len(excluded))},
        unit="projects",
        source=", ".join(included),
    )
    if children:
        rolled = roll_up(children, as_of, currency)
        totals = _measured(
            rolled, currency, f"sum of {len(included)} project(s): {', '.join(included)}"
        )
    else:
        totals = _unmeasured(None, "no measured project", currency=currency, as_of=as_of)
    totals = Figures(
        currency=currency,
        metrics=(*totals.metrics, count),
        ev=totals.ev,
        note=totals.note,
        work_items=sum(r.figures.work_items for r in rows),
    )
    ended: list[Ended] = []
    for member in members.ended:
        day = _end_date(member, as_of)
        if member.entity.kind == "project":
            final = measure.figures(member.entity, day)
        else:
            final = _node(measure, member.entity, day, nested=False).totals
        ended.append(Ended(member=member, figures=final, as_of=day))
    # Roll-up nodes: the live portfolios and programs directly below the scope.
    parent = scope.id if scope is not None else None
    nodes = (
        tuple(
            _node(measure, m.entity, as_of, nested=True)
            for m in members.members
            if m.standing == "live"
            and m.entity.kind in ("portfolio", "program")
            and m.entity.parent == parent
        )
        if nested
        else ()
    )
    return Scope(
        entity=scope,
        rows=tuple(rows),
        totals=totals,
        included=tuple(included),
        excluded=tuple(excluded),
        ended=tuple(ended),
        pipeline=members.pipeline,
        nodes=nodes,
    )


def scope_figures(view: WorkspaceView, scope: Entity | None, as_of: date) -> Scope:
    """Figures of the live projects below ``scope`` (the whole PMO when ``None``) and the
    scope's totals from their summed BAC, PV, EV and AC (:func:`pmo_core.roll_up`); beside
    them the ended members with their final figures, the pipeline, and the same for each live
    portfolio and program directly below (``nodes``).

    Who is live, ended or in the pipeline is :func:`pmo_core.scope_members`'s call: killed
    and closed projects (and every project of a killed or closed program) leave the totals,
    proposed ones wait beside them, on-hold ones stay in and are marked.

    Example::

        figures = scope_figures(view, view.entity("PF"), date(2025, 4, 15))
        figures.totals.value("spi")  # sum(EV) / sum(PV) of live projects, never an average
        [e.member.key for e in figures.ended]
    """
    return _node(_Measurer(view), scope, as_of, nested=True)
