"""From a workspace to the optimiser's input: the proposals under a portfolio or program with
their values, costs by year and hours by role and month, and the limits they compete for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from pmo_resources import (
    allocation_hours,
    capacity_demand,
    month_end,
    months,
    parse_month,
    role_of,
)

from pmo_core import (
    Allocation,
    Entity,
    InvalidInputError,
    Money,
    NotFoundError,
    Resource,
    Workspace,
    WorkspaceView,
)

from ._fields import strategy_fields
from ._scoring import proposal_values
from ._selection import Candidate, Cell, Limits
from ._selection_settings import SelectionSettings

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SelectionInput:
    """What a selection of ``scope``'s proposals solves: the candidates (in key order) and the
    limits, with the scoring model that valued them and the portfolio's currency.

    Example::

        found = selection_input(ws, "PF", budgets={2027: Money.parse("1200000 EUR")})
        [c.key for c in found.candidates], found.limits.budgets
    """

    scope: Entity
    model: str
    currency: str
    candidates: tuple[Candidate, ...]
    limits: Limits


def settings_of(ws: Workspace) -> SelectionSettings:
    """The workspace's ``[settings.strategy.selection]`` (:class:`SelectionSettings`).

    Example::

        settings_of(ws).budgets  # {2027: Money('1200000 EUR')}
    """
    found = getattr(ws.settings("strategy"), "selection", None)
    # Registered by this plugin as part of [settings.strategy]; defaults otherwise.
    return found if isinstance(found, SelectionSettings) else SelectionSettings()


def parse_budget(text: str, currency: str) -> tuple[int, Money]:
    """``YEAR=AMOUNT`` (``2027=1200000`` in ``currency``, or ``2027=1200000 EUR``).

    Example::

        parse_budget("2027=1200000", "EUR")  # (2027, Money('1200000 EUR'))
    """
    year, sep, amount = text.partition("=")
    try:
        if not sep or not year.strip().isdigit():
            raise ValueError
        value = amount.strip()
        money = Money.parse(value if " " in value else f"{value} {currency}")
    except (ValueError, InvalidInputError):
        raise InvalidInputError(
            f"{text!r} is not YEAR=AMOUNT (2027=1200000 or 2027='1200000 EUR')", where="--budget"
        ) from None
    if money.amount < 0:
        raise InvalidInputError(f"the budget of {year.strip()} is negative", where="--budget")
    return int(year), money


def spread(budget: Money, start: date, finish: date) -> dict[int, Decimal]:
    """A budget spread over the calendar years from ``start`` to ``finish`` (both included)
    pro rata by days, to the cent; the last year takes what rounding leaves, so the parts
    add up to the budget.

    Example::

        spread(Money.parse("365000 EUR"), date(2026, 7, 1), date(2027, 6, 30))
        # {2026: Decimal("184000.00"), 2027: Decimal("181000.00")}
    """
    total = (finish - start).days + 1
    parts: dict[int, Decimal] = {}
    left = budget.amount
    years = list(range(start.year, finish.year + 1))
    for year in years:
        if year == years[-1]:
            parts[year] = left
            break
        low, high = max(start, date(year, 1, 1)), min(finish, date(year, 12, 31))
        share = (budget.amount * ((high - low).days + 1) / total).quantize(CENT, ROUND_HALF_EVEN)
        parts[year] = share
        left -= share
    return parts


def _costs(project: Entity, currency: str) -> dict[int, Decimal]:
    fields = strategy_fields(project)
    if fields.costs:
        for year, money in sorted(fields.costs.items()):
            if money.currency != currency:
                raise InvalidInputError(
                    f"{project.id}'s cost in {year} is in {money.currency}; the portfolio is in "
                    f"{currency} and selection converts no currency",
                    where=f"{project.id}: strategy.costs",
                )
        return {year: money.amount for year, money in sorted(fields.costs.items()) if money.amount}
    if project.budget is not None and project.planned_start and project.planned_finish:
        if project.budget.currency != currency:
            raise InvalidInputError(
                f"{project.id}'s budget is in {project.budget.currency}; the portfolio is in "
                f"{currency} and selection converts no currency",
                where=f"{project.id}: budget",
            )
        return spread(project.budget, project.planned_start, project.planned_finish)
    raise InvalidInputError(
        f"proposal {project.id} has no cost: set its strategy costs by year "
        "(custom_fields strategy.costs) or a budget with planned_start and planned_finish",
        where=project.id,
    )


def _hours(
    allocations: Iterable[Allocation], resources: Mapping[str, Resource]
) -> dict[str, dict[Cell, Decimal]]:
    found: dict[str, dict[Cell, Decimal]] = {}
    for a in allocations:
        resource = resources.get(a.resource)
        if resource is None:
            continue
        cells = found.setdefault(a.project, {})
        for m in months(a.start, a.finish):
            first = parse_month(m, "month")
            asked = allocation_hours(a, resource, first, month_end(first))
            if asked:
                cell = (role_of(resource), m)
                cells[cell] = cells.get(cell, Decimal(0)) + asked
    return {
        key: {cell: h.quantize(CENT, ROUND_HALF_EVEN) for cell, h in sorted(cells.items())}
        for key, cells in found.items()
    }


def remaining_capacity(view: WorkspaceView, cells: Iterable[Cell]) -> dict[Cell, Decimal]:
    """The hours left in each (role, month) cell: pmo-resources' capacity minus the demand of
    the committed (not proposed) projects, never below zero (a cell already over-allocated
    has nothing left to give).

    Example::

        remaining_capacity(ws.view(), [("Developer", "2027-03")])
        # {('Developer', '2027-03'): Decimal('152.00')}
    """
    wanted = sorted(set(cells))
    if not wanted:
        return {}
    first = min(parse_month(m, "month") for _, m in wanted)
    last = month_end(max(parse_month(m, "month") for _, m in wanted))
    grid = {
        (c.role, c.month): max(c.capacity - c.demand, Decimal(0))
        for c in capacity_demand(view, first, last, roles={r for r, _ in wanted})
    }
    return {cell: grid.get(cell, Decimal(0)) for cell in wanted}


def selection_input(
    ws: Workspace,
    under: str,
    *,
    model: str | None = None,
    budgets: Mapping[int, Money] | None = None,
    capacity: bool | None = None,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
    view: WorkspaceView | None = None,
) -> SelectionInput:
    """The proposals (projects whose lifecycle is ``proposed``) under the portfolio or program
    ``under`` as candidates, and the limits: ``budgets`` by year (else the ``budgets`` of
    ``[settings.strategy.selection]``), and with ``capacity`` the hours left per role and month.

    A proposal's value is :func:`~pmo_strategy.proposal_values` under ``model``; its cost by
    year its strategy ``costs``, else its budget spread over its planned years by days; its
    hours its allocations' per role and month (pmo-resources). A dependency on a committed
    project (not proposed, not killed) is met already; on a killed or unknown one it cannot
    be. Money in another currency than the portfolio's is an error: nothing is converted.

    Example::

        found = selection_input(ws, "PF", budgets={2027: Money.parse("1200000 EUR")})
        select(found.candidates, found.limits).chosen
    """
    view = view or ws.view()

    def values(keys: Sequence[str], model: str) -> dict[str, Decimal]:
        return proposal_values(ws, keys, model, view=view)

    return build_input(
        view,
        under,
        values=values,
        settings=settings_of(ws),
        model=model,
        budgets=budgets,
        capacity=capacity,
        forced_in=forced_in,
        forced_out=forced_out,
    )


def build_input(
    view: WorkspaceView,
    under: str,
    *,
    values: Callable[[Sequence[str], str], Mapping[str, Decimal]],
    settings: SelectionSettings,
    model: str | None = None,
    budgets: Mapping[int, Money] | None = None,
    capacity: bool | None = None,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
) -> SelectionInput:
    """:func:`selection_input` on a view, with the values from ``values(keys, model)`` and the
    defaults from ``settings``: what a report builds from its request.

    Example::

        build_input(request.view, "PF", values=lambda keys, model: {k: Decimal(1) for k in keys},
                    settings=SelectionSettings())
    """
    try:
        scope = view.entity(under)
    except NotFoundError:
        raise NotFoundError(f"--under: no portfolio or program {under!r}") from None
    if scope.kind not in ("portfolio", "program"):
        raise InvalidInputError(
            f"{under} is a {scope.kind}, not a portfolio or program", where="--under"
        )
    model = model or settings.model
    capacity = settings.capacity if capacity is None else capacity
    currency = scope.currency
    chosen_budgets = dict(settings.budgets if budgets is None else budgets)
    for year, money in chosen_budgets.items():
        if money.currency != currency:
            raise InvalidInputError(
                f"the budget of {year} is in {money.currency}; {under} is in {currency} and "
                "selection converts no currency",
                where="--budget",
            )
    proposals = sorted(
        (p for p in view.projects(under=under) if p.lifecycle == "proposed"), key=lambda p: p.id
    )
    keys = [p.id for p in proposals]
    valued = values(keys, model)
    resources = {r.id: r for r in view.records(Resource)}
    wanted = set(keys)
    hours = _hours((a for a in view.records(Allocation) if a.project in wanted), resources)
    committed = {p.id for p in view.projects() if p.lifecycle not in ("proposed", "killed")}
    candidates = []
    for p in proposals:
        fields = strategy_fields(p)
        candidates.append(
            Candidate(
                p.id,
                valued.get(p.id, Decimal(0)),
                costs=_costs(p, currency),
                hours=hours.get(p.id, {}),
                mandatory=fields.mandatory,
                # A dependency on a committed project is met already.
                depends_on=tuple(d for d in fields.depends_on if d not in committed),
                excludes=tuple(x for x in fields.excludes if x in wanted),
            )
        )
    cells = {cell for c in candidates for cell in c.hours} if capacity else set()
    limits = Limits(
        budgets={y: m.amount for y, m in sorted(chosen_budgets.items())},
        capacity=remaining_capacity(view, cells),
        currency=currency,
        forced_in=tuple(forced_in),
        forced_out=tuple(forced_out),
    )
    return SelectionInput(scope, model, currency, tuple(candidates), limits)


__all__ = [
    "SelectionInput",
    "build_input",
    "parse_budget",
    "remaining_capacity",
    "selection_input",
    "settings_of",
    "spread",
]
