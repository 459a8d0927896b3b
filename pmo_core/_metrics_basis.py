"""What a project's figures are measured from on a status date: its work items as reported by
then (the bulk path), the baseline in force, the cost entries and the latest forecast.

The one reader of those records for the metrics service (:mod:`pmo_core._metrics`): it
streams plain tuples (:meth:`~pmo_core.WorkspaceView.values`), builds no pydantic object per
work item, and answers the questions every figure asks: PV on a day (baseline and current
plan), EV on a day by each item's method, AC on a day and where it came from.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from functools import cached_property
from typing import Any, NamedTuple

from ._config import MetricsTable
from ._domain import Baseline, CostEntry, Entity, Forecast
from ._ev_methods import Child, earned
from ._evm import EVM_CONTEXT, _planned_value, planned_value
from ._view import WorkspaceView

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

#: The work-item fields the service reads, in the order :func:`read_basis` unpacks them.
WORK_ITEM_FIELDS = (
    "@id",
    "budget.amount",
    "budget.currency",
    "percent_complete",
    "start",
    "due",
    "actual_cost.amount",
    "actual_cost.currency",
    "ev_method",
    "progress",
    "archived_on",
)
#: Methods that weigh an item's children: their parents and points are read for them.
_BY_CHILDREN = frozenset({"weighted_milestones", "points"})
#: Projects :func:`read_bases` reads together: one query per record kind per chunk, holding
#: only the chunk's work items (a PMO of 10,000 projects and a million items read whole took
#: a gigabyte; a chunk of 500 such projects holds 50,000 rows, some 50 MB), and few enough
#: queries that a server's round trips do not count (20 per kind for 10,000 projects).
CHUNK_PROJECTS = 500


def decimal(value: Any) -> Decimal | None:
    """A stored number as a Decimal: amounts are strings, percentages JSON numbers (``str``
    keeps a float's shortest form, so 12.5 is ``Decimal('12.5')``, not binary noise)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def day(value: Any) -> date | None:
    """A stored date (ISO text) as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class Item(NamedTuple):
    """One work item, as the service reads it: its plan and its dated progress (a tuple:
    the bulk path builds one per work item, so it costs what a tuple costs)."""

    id: str
    parent: str | None
    budget: Decimal | None
    start: date | None
    due: date | None
    method: str
    points: Decimal | None
    percent: Decimal
    actual: Decimal | None
    days: tuple[date, ...] = ()
    percents: tuple[Decimal, ...] = ()
    costs: tuple[Decimal | None, ...] = ()

    def percent_at(self, on: date) -> Decimal:
        """Percent complete on ``on``: the last point on or before it (0 before the first);
        an item without points (data older than the history) has its stored percent."""
        if not self.days:
            return self.percent
        i = bisect_right(self.days, on)
        return self.percents[i - 1] if i else _ZERO

    def actual_at(self, on: date) -> Decimal | None:
        """Actual cost to date on ``on``: the last point on or before it that reported one."""
        if not self.days:
            return self.actual
        for i in range(bisect_right(self.days, on) - 1, -1, -1):
            cost = self.costs[i]
            if cost is not None:
                return cost
        return None


Line = tuple[Decimal, date | None, date | None]
"""A planned line: ``(cost, start, finish)``, spread linearly (see :func:`accumulate`)."""


def _pv(lines: Iterable[Line], on: date) -> Decimal:
    # Called in EVM_CONTEXT: each line's PV without entering it again (most of PV's cost).
    return sum(
        (_planned_value(cost, start, finish, on, "item") for cost, start, finish in lines), _ZERO
    )


def _spans(lines: Iterable[Line]) -> list[Line]:
    # Lines with the same dates are one ramp of their summed cost: fewer divisions, and a
    # PV curve that costs what the distinct dates cost, not what the items do.
    summed: dict[tuple[date | None, date | None], Decimal] = {}
    for cost, start, finish in lines:
        summed[start, finish] = summed.get((start, finish), _ZERO) + cost
    return [(cost, start, finish) for (start, finish), cost in summed.items()]


@dataclass(frozen=True)
class Basis:
    """A project's plan, progress and costs as the service measures them (see the module).

    ``lines`` are the lines of the basis (the baseline in force's items, by work item id,
    or the live budgeted work items when no baseline is in force); ``whole`` is set instead
    when the baseline in force has no item costs (its cost over its dates). ``current`` are
    the live budgeted work items' lines (the current plan).
    """

    project: Entity
    status_date: date
    items: tuple[Item, ...]
    baseline: Baseline | None
    basis: str
    lines: dict[str, Line]
    whole: Line | None
    current: dict[str, Line]
    forecast: Forecast | None
    view: WorkspaceView = field(repr=False, compare=False)
    item_conflict: str = ""
    forecast_conflict: str = ""
    children: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    booked: Callable[[str], Sequence[CostEntry]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def _booked(self) -> tuple[tuple[tuple[date, Decimal], ...], str]:
        # Read only when AC comes from them: most projects book actuals on their work items.
        # ``booked`` reads them for a scope's projects at once (see :func:`read_bases`).
        entries: list[tuple[date, Decimal]] = []
        conflict = ""
        currency = self.project.currency
        for entry in (self.booked or self.view.cost_entries)(self.project.id):
            if entry.incurred_on > self.status_date:
                continue
            if entry.amount.currency != currency:
                conflict = conflict or (
                    f"cost entries are in {entry.amount.currency} but the project is in {currency}"
                )
                continue
            entries.append((entry.incurred_on, entry.amount.amount))
        return tuple(sorted(entries)), conflict

    @property
    def entries(self) -> tuple[tuple[date, Decimal], ...]:
        """The cost entries incurred by the status date, in the project's currency."""
        return self._booked[0]

    @property
    def entry_conflict(self) -> str:
        """Why the cost entries cannot be summed (one in another currency), else empty."""
        return self._booked[1]

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Every currency conflict found in what was read: records in another currency."""
        booked = self.__dict__.get("_booked")
        found = (self.item_conflict, booked[1] if booked else "", self.forecast_conflict)
        return tuple(c for c in found if c)

    # -------------------------------------------------------------- plan

    @property
    def unbaselined(self) -> tuple[Item, ...]:
        """Live work items the baseline in force has no cost line for (none without one)."""
        if self.baseline is None or self.whole is not None:
            return ()
        return tuple(i for i in self.items if i.id not in self.lines)

    def subjects(self, ids: Iterable[str]) -> dict[str, str]:
        """The subjects of the work items ``ids`` (read only for the few a lineage names)."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = self.view.values("work_item", ["@id", "subject"], owner=self.project.id)
        return {str(i): str(s) for i, s in rows if i in wanted}

    @property
    def removed(self) -> tuple[str, ...]:
        """Baselined work items no longer in the plan: still in BAC and PV, earning nothing."""
        if self.baseline is None:
            return ()
        live = {i.id for i in self.items}
        return tuple(k for k in self.lines if k not in live)

    def bac(self) -> Decimal:
        """The basis's budget at completion (the performance measurement baseline)."""
        if self.whole is not None:
            return self.whole[0]
        return sum((cost for cost, _, _ in self.lines.values()), _ZERO)

    def bac_current(self) -> Decimal:
        """The current plan's budget at completion: the live budgeted work items'."""
        return sum((cost for cost, _, _ in self.current.values()), _ZERO)

    @cached_property
    def _basis_spans(self) -> list[Line]:
        return [self.whole] if self.whole is not None else _spans(self.lines.values())

    @cached_property
    def _current_spans(self) -> list[Line]:
        return _spans(self.current.values())

    def pv(self, on: date) -> Decimal:
        """PV of the basis on ``on``."""
        with localcontext(EVM_CONTEXT):
            return _pv(self._basis_spans, on)

    def pv_current(self, on: date) -> Decimal:
        """PV of the current plan on ``on``."""
        with localcontext(EVM_CONTEXT):
            return _pv(self._current_spans, on)

    def curve(self) -> tuple[date | None, list[tuple[date, Decimal]]]:
        """The basis's cumulative PV at every date its slope changes (each line's start and
        finish, and the day before a one-day line), from its start: exact for a linear
        spread, so earned schedule interpolates without error."""
        dated = [
            (c, s or f, f or s) for c, s, f in self._basis_spans if s is not None or f is not None
        ]
        if not dated:
            return None, []
        dates: set[date] = set()
        for _, start, finish in dated:
            assert start is not None
            assert finish is not None
            dates |= {start, finish}
            if start == finish:
                dates.add(date.fromordinal(finish.toordinal() - 1))
        first = min(dates)
        with localcontext(EVM_CONTEXT):
            if _pv(dated, first) > 0:  # a one-day line on the first day: start a day before
                first = date.fromordinal(first.toordinal() - 1)
            points = [(d, _pv(dated, d)) for d in sorted(dates) if d > first]
        return first, points

    def finish(self) -> date | None:
        """The basis's planned finish: the baseline's, else its latest line's finish."""
        if self.baseline is not None and self.baseline.planned_finish is not None:
            return self.baseline.planned_finish
        lines = [self.whole] if self.whole is not None else list(self.lines.values())
        ends = [end for _, s, f in lines if (end := f or s) is not None]
        return max(ends, default=None)

    def finish_current(self) -> date | None:
        """The current plan's finish: the latest due (or start) of a live work item."""
        ends = [end for i in self.items if (end := i.due or i.start) is not None]
        return max(ends, default=None)

    # ---------------------------------------------------------- progress

    def _kids(self, item: Item, on: date) -> list[Child]:
        return [(k.points, k.percent_at(on)) for k in self.children.get(item.id, ())]

    def _earned(self, lines: dict[str, Line], on: date) -> Decimal:
        total = _ZERO
        for item in self.items:
            line = lines.get(item.id)
            if line is None:
                continue
            cost = line[0]
            if item.method == "percent_complete":  # most items: no PV, no children to read
                total += cost * item.percent_at(on) / _HUNDRED
                continue
            effort = item.method == "level_of_effort"
            pv = planned_value(cost, line[1], line[2], on) if effort else _ZERO
            total += earned(
                item.method,
                cost,
                item.percent_at(on),
                planned_value=pv,
                children=self._kids(item, on),
            )
        return total

    def ev(self, on: date) -> Decimal | None:
        """EV of the basis on ``on``, each item by its method on its basis cost; ``None``
        when a baseline without item costs has no current budgets to weigh progress by."""
        with localcontext(EVM_CONTEXT):
            if self.whole is None:
                return self._earned(self.lines, on)
            current = self.bac_current()
            if current == 0:
                return None
            # Progress weighed by the current budgets, applied to the baseline's cost.
            return self.whole[0] * self._earned(self.current, on) / current

    def ac(self, on: date) -> tuple[Decimal, str, bool]:
        """AC on ``on``, where it came from, and whether from the work items: their actual
        cost on that day when any carries one, else the cost entries incurred by then."""
        key = self.project.id
        costs = [c for c in (i.actual_at(on) for i in self.items) if c is not None]
        if costs:
            total = sum(costs, _ZERO)
            return total, f"actual cost of {len(costs)} work items of {key} on {on}", True
        booked = [amount for incurred, amount in self.entries if incurred <= on]
        return sum(booked, _ZERO), f"{len(booked)} cost entries of {key} up to {on}", False


# ------------------------------------------------------------------------------- reading


def baseline_in_force(
    baselines: Iterable[Baseline], on: date, setting: str | int
) -> tuple[Baseline | None, str]:
    """The baseline in force on ``on`` and the basis in words: the latest taken on or before
    it (by day, then number), or baseline ``setting`` when ``[metrics] baseline`` names one.

    Example::

        baseline_in_force(view.baselines("ALPHA"), date(2025, 4, 30), "latest")
        # (Baseline(number=1, ...), 'baseline 1 of 2025-03-03 (the latest on or before ...)')
    """
    taken = [b for b in baselines if b.taken_on <= on]
    if setting == "latest":
        chosen = max(taken, key=lambda b: (b.taken_on, b.number), default=None)
        if chosen is None:
            return None, f"current plan, no baseline on or before {on}"
        return chosen, (
            f"baseline {chosen.number} of {chosen.taken_on} (the latest on or before {on})"
        )
    chosen = next((b for b in taken if b.number == setting), None)
    if chosen is None:
        return None, f"current plan, baseline {setting} ([metrics] baseline) not taken by {on}"
    return chosen, f"baseline {chosen.number} of {chosen.taken_on} ([metrics] baseline)"


def _history(
    text: Any, currency: str, parsed: _Parsed
) -> tuple[tuple[date, ...], tuple[Decimal, ...], tuple[Decimal | None, ...], str | None]:
    # The points' days, percents and costs, and a currency other than the project's if one
    # of them is in one. An empty history is "[]" or None: no JSON to parse.
    if not text or text == "[]":
        return (), (), (), None
    found = json.loads(text) if isinstance(text, str) else text
    days: list[date] = []
    percents: list[Decimal] = []
    costs: list[Decimal | None] = []
    other = None
    number = parsed.number
    for point in found if isinstance(found, list) else ():
        cost = point.get("actual_cost")
        days.append(parsed.day(point["on"]))  # type: ignore[arg-type]  # "on" is required
        percents.append(number(point.get("percent")) or _ZERO)
        if isinstance(cost, dict):
            costs.append(number(cost.get("amount")))
            if cost.get("currency") != currency:
                other = cost.get("currency")
        else:
            costs.append(None)
    return tuple(days), tuple(percents), tuple(costs), other


class _Parsed:
    """Stored values parsed once: work items share a few dates and amounts."""

    def __init__(self) -> None:
        self.days: dict[Any, date | None] = {None: None}
        self.numbers: dict[tuple[type, Any], Decimal | None] = {}

    def number(self, value: Any) -> Decimal | None:
        # Keyed by type too: 1 and 1.0 are equal keys but Decimal('1') and Decimal('1.0').
        key = (type(value), value)
        found = self.numbers.get(key)
        if found is None and value is not None:
            found = self.numbers[key] = decimal(value)
        return found

    def day(self, value: Any) -> date | None:
        if value in self.days:
            return self.days[value]
        found = self.days[value] = day(value)
        return found


def read_items(view: WorkspaceView, project: Entity) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """A project's work items through the bulk path, and the currency conflicts found (a
    budget, actual cost or reported cost in another currency than the project's)."""
    rows = view.values("work_item", WORK_ITEM_FIELDS, owner=project.id)
    return _items(view, project, rows, _Parsed())


def _items(
    view: WorkspaceView, project: Entity, rows: Iterable[tuple[Any, ...]], parsed: _Parsed
) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    # The work items of ``project`` from its rows of WORK_ITEM_FIELDS.
    currency = project.currency
    items: list[Item] = []
    others: set[str] = set()
    number, parse_day = parsed.number, parsed.day
    for row in rows:
        (key, budget, budget_cur, percent, start, due) = row[:6]
        (actual, actual_cur, method, progress, archived_on) = row[6:]
        if archived_on is not None and not view.after(parse_day(archived_on)):
            continue  # deleted at its source: out of every figure from that day
        if budget_cur is not None and budget_cur != currency:
            others.add(budget_cur)
        if actual_cur is not None and actual_cur != currency:
            others.add(actual_cur)
        history = _history(progress, currency, parsed)
        if history[3] is not None:
            others.add(history[3])
        items.append(
            Item(
                str(key),
                None,
                number(budget),
                parse_day(start),
                parse_day(due),
                method or "percent_complete",
                None,
                number(percent) or _ZERO,
                number(actual),
                *history[:3],
            )
        )
    if any(i.method in _BY_CHILDREN for i in items):
        # Only a project that earns by children reads who is whose child, with what points.
        tree = {
            str(k): (parent, number(points))
            for k, parent, points in view.values(
                "work_item", ["@id", "parent", "points"], owner=project.id
            )
        }
        items = [i._replace(parent=tree[i.id][0], points=tree[i.id][1]) for i in items]
    conflicts = tuple(
        f"work items are in {other} but the project is in {currency}" for other in sorted(others)
    )
    return tuple(items), conflicts


def latest_forecast(view: WorkspaceView, project: str, on: date | None = None) -> Forecast | None:
    """The newest forecast of ``project`` as a whole on or before ``on`` (default: the
    view's status date; of one day, the last written). A forecast of a single work item is
    not the project's: it is left out.

    Example::

        latest_forecast(view, "ALPHA").eac  # Money('265000', 'EUR')
    """
    return _latest(view.forecasts(project), on or view.status_date)


def _latest(forecasts: Iterable[Forecast], on: date) -> Forecast | None:
    found = [f for f in forecasts if f.work_item is None and f.as_of <= on]
    return found[-1] if found else None


def read_basis(
    view: WorkspaceView, project: Entity, on: date, config: MetricsTable | None = None
) -> Basis:
    """Everything the figures of ``project`` on ``on`` are computed from (see :class:`Basis`).

    Example::

        basis = read_basis(view, view.entity("ALPHA"), date(2025, 4, 30))
        basis.basis, basis.bac(), basis.pv(date(2025, 4, 30))
    """
    config = config or view.metrics_config or MetricsTable()
    items, conflicts = read_items(view, project)
    baselines = view.baselines(project.id)
    forecast = latest_forecast(view, project.id, on)
    return _basis(view, project, on, config, items, conflicts, baselines, forecast)


def read_bases(
    view: WorkspaceView,
    projects: Iterable[Entity],
    on: date,
    config: MetricsTable | None = None,
) -> Iterator[Basis]:
    """What :func:`read_basis` reads for each of ``projects``, in their order, a chunk of
    :data:`CHUNK_PROJECTS` projects at a time, from one read per record kind per chunk
    however large it is: the chunk's work items (the bulk path), baselines and forecasts
    once, grouped by project; its cost entries once, when the first of its projects whose
    actual cost comes from them asks. So what is held at once is bounded by the chunk, not
    the PMO. Each basis is the one :func:`read_basis` gives; one let go by the caller is
    not kept here.

    Example::

        for basis in read_bases(view, view.projects(under="PF"), date(2025, 4, 30)):
            basis.project.id, basis.bac()
    """
    config = config or view.metrics_config or MetricsTable()
    chosen = list({p.id: p for p in projects}.values())
    parsed = _Parsed()
    for start in range(0, len(chosen), CHUNK_PROJECTS):
        chunk = chosen[start : start + CHUNK_PROJECTS]
        yield from _read_chunk(view, chunk, on, config, parsed)


def _read_chunk(
    view: WorkspaceView,
    chosen: Sequence[Entity],
    on: date,
    config: MetricsTable,
    parsed: _Parsed,
) -> Iterator[Basis]:
    # The bases of one chunk of read_bases' projects (each project once), in their order.
    keys = [p.id for p in chosen]
    rows: dict[str, list[tuple[Any, ...]]] = {key: [] for key in keys}
    for row in view.values("work_item", ("@owner", *WORK_ITEM_FIELDS), owners=keys):
        rows[row[0]].append(row[1:])
    baselines = view.baselines_of(keys)
    forecasts = view.forecasts_of(keys)
    booked = _Booked(view, keys)
    for project in chosen:
        items, conflicts = _items(view, project, rows.pop(project.id), parsed)
        forecast = _latest(forecasts.pop(project.id), on)
        yield _basis(
            view, project, on, config, items, conflicts, baselines.pop(project.id), forecast, booked
        )


class _Booked:
    """The cost entries of many projects, read at once when the first of them needs its."""

    def __init__(self, view: WorkspaceView, keys: Sequence[str]) -> None:
        self.view = view
        self.keys = keys
        self.found: dict[str, list[CostEntry]] | None = None

    def __call__(self, key: str) -> Sequence[CostEntry]:
        if self.found is None:
            self.found = self.view.cost_entries_of(self.keys)
        return self.found[key]


def _basis(
    view: WorkspaceView,
    project: Entity,
    on: date,
    config: MetricsTable,
    items: tuple[Item, ...],
    conflicts: tuple[str, ...],
    baselines: Iterable[Baseline],
    forecast: Forecast | None,
    booked: Callable[[str], Sequence[CostEntry]] | None = None,
) -> Basis:
    currency = project.currency
    baseline, basis = baseline_in_force(baselines, on, config.baseline)
    current = {i.id: (i.budget, i.start, i.due) for i in items if i.budget is not None}
    lines: dict[str, Line]
    whole: Line | None = None
    if baseline is None:
        lines = dict(current)
    elif any(b.cost is not None for b in baseline.items):
        lines = {
            b.work_item: (
                b.cost.amount if b.cost is not None else _ZERO,
                b.planned_start,
                b.planned_finish,
            )
            for b in baseline.items
        }
    else:
        lines = {}
        whole = (baseline.cost.amount, baseline.planned_start, baseline.planned_finish)
    item_conflict = conflicts[0] if conflicts else ""
    if baseline is not None and baseline.cost.currency != currency:
        item_conflict = item_conflict or (
            f"baseline {baseline.number} is in {baseline.cost.currency} but the project is "
            f"in {currency}"
        )
    forecast_conflict = ""
    if forecast is not None and forecast.eac.currency != currency:
        forecast_conflict = (
            f"the forecast of {forecast.as_of} is in {forecast.eac.currency} but the project "
            f"is in {currency}"
        )
    children: dict[str, list[Item]] = {}
    for item in items:
        if item.parent is not None:
            children.setdefault(item.parent, []).append(item)
    return Basis(
        project=project,
        status_date=on,
        items=items,
        baseline=baseline,
        basis=basis,
        lines=lines,
        whole=whole,
        current=current,
        forecast=forecast,
        view=view,
        item_conflict=item_conflict,
        forecast_conflict=forecast_conflict,
        children={k: tuple(v) for k, v in children.items()},
        booked=booked,
    )
