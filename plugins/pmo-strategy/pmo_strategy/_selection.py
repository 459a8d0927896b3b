"""The portfolio optimiser: the set of proposals of most value under budget and capacity.

A pure function over :class:`Candidate` s and :class:`Limits`, solved exactly as a 0-1 integer
programme by HiGHS (``scipy.optimize.milp``, imported only when a selection is solved):

- maximise the sum of the chosen proposals' values;
- subject to the budget of each year (the chosen proposals' costs in that year at most the
  budget), the capacity of each (role, month) cell (their hours at most the capacity), the
  mandatory proposals chosen, a proposal only with every proposal it depends on, never two
  proposals that exclude each other, and the proposals forced in or out.

Money and hours are Decimal; the solver sees floats, each row scaled by its largest
coefficient. The chosen set is then checked against every limit in Decimal: a row the floats
let through by a rounding error is tightened and solved again, so rounding can never select
an over-budget portfolio.

Inputs that no selection can meet (the mandatory proposals over a limit, two mandatory
proposals that exclude each other, a mandatory proposal depending on an unknown, forced-out or
excluded one, a dependency cycle) are found before the solver and raised as one
:class:`SelectionInfeasibleError` naming the constraint.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from pmo_core import InvalidInputError

#: A capacity cell: (role, month ``YYYY-MM``).
Cell = tuple[str, str]

#: At most this many binding capacity cells get a marginal value (those keeping the most value
#: out): each is a solve of its own. Every binding budget gets one.
MARGINAL_CELLS = 4

#: The relaxation the marginal values measure when no step is given: a tenth of the limit.
DEFAULT_STEP_SHARE = Decimal("0.1")


class SelectionInfeasibleError(InvalidInputError):
    """No selection meets the constraints; the message names the one that cannot be met and
    ``constraint`` holds its name (``"budget 2027"``, ``"capacity Developer 2027-03"``,
    ``"exclusion A B"``, ``"dependency A B"``, ``"cycle A B"``).

    Example::

        try:
            select(candidates, limits)
        except SelectionInfeasibleError as exc:
            print(exc.constraint)  # 'budget 2027'
    """

    def __init__(self, message: str, *, constraint: str) -> None:
        super().__init__(message, where=constraint)
        self.constraint = constraint


@dataclass(frozen=True)
class Candidate:
    """A proposal the optimiser may choose: its value, its cost per calendar year, its hours
    per (role, month) cell, and how it constrains the others.

    Example::

        Candidate("CRM", Decimal(8), costs={2027: Decimal(400000)},
                  hours={("Developer", "2027-03"): Decimal(120)}, depends_on=("ERP",))
    """

    key: str
    value: Decimal
    costs: Mapping[int, Decimal] = field(default_factory=dict)
    hours: Mapping[Cell, Decimal] = field(default_factory=dict)
    mandatory: bool = False
    depends_on: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    """What the portfolio can spend and staff: a budget per year (a year not named is not
    limited), remaining capacity in hours per (role, month) cell (a cell not named is not
    limited), the currency of the budgets (for messages), and proposals forced in or out.

    Example::

        Limits(budgets={2027: Decimal(1200000)}, capacity={("Developer", "2027-03"): Decimal(300)},
               currency="EUR", forced_out=("TMS",))
    """

    budgets: Mapping[int, Decimal] = field(default_factory=dict)
    capacity: Mapping[Cell, Decimal] = field(default_factory=dict)
    currency: str = ""
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Marginal:
    """What relaxing one binding limit by ``step`` buys: the optimum's value rises by ``gain``
    (found by solving again with the limit raised); ``per_unit`` is ``gain / step``.

    Example::

        Marginal("budget 2027", step=Decimal(120000), gain=Decimal(3), per_unit=Decimal("0.000025"))
    """

    constraint: str
    step: Decimal
    gain: Decimal
    per_unit: Decimal


@dataclass(frozen=True)
class Constraint:
    """One limit of a selection: its name, the limit, what the chosen set uses of it, and
    whether it is binding (it keeps at least one proposal out: that proposal, with what it
    depends on and what is not chosen yet, would break it).

    Example::

        Constraint("budget 2027", "budget", Decimal(1200000), Decimal(1150000), binding=True)
    """

    name: str
    kind: str
    limit: Decimal
    used: Decimal
    binding: bool

    @property
    def slack(self) -> Decimal:
        """What is left of the limit.

        Example::

            constraint.slack  # Decimal('50000')
        """
        return self.limit - self.used


@dataclass(frozen=True)
class Selection:
    """The optimum: the chosen proposals (in input order) and its total value, the spend per
    year and use per capacity cell, every limit with its use (the binding ones flagged), why
    each proposal was left out, and the marginal value of each binding limit.

    Example::

        result = select(candidates, limits)
        result.chosen, result.value, [c.name for c in result.binding]
    """

    chosen: tuple[str, ...]
    value: Decimal
    spend: Mapping[int, Decimal]
    use: Mapping[Cell, Decimal]
    constraints: tuple[Constraint, ...]
    left_out: Mapping[str, str]
    marginals: tuple[Marginal, ...] = ()

    @property
    def binding(self) -> tuple[Constraint, ...]:
        """The binding limits.

        Example::

            [c.name for c in result.binding]  # ['budget 2027', 'capacity Developer 2027-03']
        """
        return tuple(c for c in self.constraints if c.binding)


def budget_name(year: int) -> str:
    """The name of a year's budget constraint.

    Example::

        budget_name(2027)  # 'budget 2027'
    """
    return f"budget {year}"


def capacity_name(cell: Cell) -> str:
    """The name of a capacity cell's constraint.

    Example::

        capacity_name(("Developer", "2027-03"))  # 'capacity Developer 2027-03'
    """
    return f"capacity {cell[0]} {cell[1]}"


def amount_text(amount: Decimal, unit: str = "") -> str:
    """An amount with thousands separators (to the cent when it has cents) and its unit.

    Example::

        amount_text(Decimal(1300000), "EUR")  # '1,300,000 EUR'
    """
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount.quantize(Decimal('0.01')):,}"
    return f"{text} {unit}".strip()


def _names(keys: Iterable[str]) -> str:
    found = list(keys)
    return ", ".join(found)


# ------------------------------------------------------------------------ checks before solving


def _check(candidates: Sequence[Candidate], limits: Limits) -> dict[str, Candidate]:
    by_key: dict[str, Candidate] = {}
    for c in candidates:
        if c.key in by_key:
            raise InvalidInputError(f"proposal {c.key} is given twice", where=c.key)
        by_key[c.key] = c
    for key in (*limits.forced_in, *limits.forced_out):
        if key not in by_key:
            raise InvalidInputError(f"no proposal {key!r} to force in or out", where=key)
    both = sorted(set(limits.forced_in) & set(limits.forced_out))
    if both:
        raise SelectionInfeasibleError(
            f"proposal {both[0]} is forced both in and out", constraint=f"forced {both[0]}"
        )
    _check_cycles(by_key)
    required = set(limits.forced_in) | {c.key for c in candidates if c.mandatory}
    # The mandatory closure: the mandatory proposals and everything they depend on.
    closure: dict[str, str] = {}  # key -> the mandatory proposal that needs it
    stack = [(key, key) for key in sorted(required)]
    while stack:
        key, root = stack.pop()
        if key in closure:
            continue
        if key not in by_key:
            raise SelectionInfeasibleError(
                f"mandatory proposal {root} depends on {key}, which is not a proposal here",
                constraint=f"dependency {root} {key}",
            )
        if key in limits.forced_out:
            raise SelectionInfeasibleError(
                f"mandatory proposal {root} needs {key}, which is forced out",
                constraint=f"dependency {root} {key}",
            )
        closure[key] = root
        stack.extend((dep, root) for dep in by_key[key].depends_on)
    for key in closure:
        for other in by_key[key].excludes:
            if other in closure:
                first, second = sorted((key, other))
                raise SelectionInfeasibleError(
                    f"mandatory proposals {first} and {second} exclude each other"
                    + _via(first, second, closure),
                    constraint=f"exclusion {first} {second}",
                )
    needed = [by_key[k] for k in sorted(closure)]
    # What the other proposals could give back at most (their savings: negative costs or
    # hours), so that the mandatory ones are refused only when no selection can fit them.
    optional = [c for c in candidates if c.key not in closure and c.key not in limits.forced_out]
    for year, budget in sorted(limits.budgets.items()):
        total = sum((c.costs.get(year, Decimal(0)) for c in needed), Decimal(0))
        saving = sum((min(c.costs.get(year, Decimal(0)), Decimal(0)) for c in optional), Decimal(0))
        if total + saving > budget:
            users = [c.key for c in needed if c.costs.get(year, Decimal(0))]
            raise SelectionInfeasibleError(
                f"{_mandatory(users)} {amount_text(total, limits.currency)} "
                f"in {year}; the budget is {amount_text(budget, limits.currency)}"
                + _with_savings(saving, limits.currency),
                constraint=budget_name(year),
            )
    for cell, hours in sorted(limits.capacity.items()):
        total = sum((c.hours.get(cell, Decimal(0)) for c in needed), Decimal(0))
        saving = sum((min(c.hours.get(cell, Decimal(0)), Decimal(0)) for c in optional), Decimal(0))
        if total + saving > hours:
            users = [c.key for c in needed if c.hours.get(cell, Decimal(0))]
            raise SelectionInfeasibleError(
                f"{_mandatory(users)} {amount_text(total, 'hours')} of "
                f"{cell[0]} in {cell[1]}; the capacity left is {amount_text(hours, 'hours')}"
                + _with_savings(saving, "hours"),
                constraint=capacity_name(cell),
            )
    return by_key


def _with_savings(saving: Decimal, unit: str) -> str:
    if not saving:
        return ""
    return f", even with every saving the other proposals offer ({amount_text(-saving, unit)})"


def _mandatory(keys: Sequence[str]) -> str:
    if not keys:  # a limit below zero, with nothing mandatory in it
        return "the proposals need at least"
    if len(keys) == 1:
        return f"mandatory proposal {keys[0]} needs"
    return f"mandatory proposals {_names(keys)} need"


def _via(first: str, second: str, closure: Mapping[str, str]) -> str:
    roots = {closure[first], closure[second]}
    extra = sorted(roots - {first, second})
    return f" (needed by {_names(extra)})" if extra else ""


def _check_cycles(by_key: Mapping[str, Candidate]) -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for start in by_key:
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            key, index = stack.pop()
            deps = [d for d in by_key[key].depends_on if d in by_key]
            if index == 0:
                state[key] = 1
                path.append(key)
            if index < len(deps):
                stack.append((key, index + 1))
                dep = deps[index]
                if state.get(dep) == 1:
                    cycle = [*path[path.index(dep) :], dep]
                    raise SelectionInfeasibleError(
                        f"proposals depend on each other in a cycle: {' -> '.join(cycle)}",
                        constraint="cycle " + " ".join(cycle[:-1]),
                    )
                if not state.get(dep):
                    stack.append((dep, 0))
            else:
                state[key] = 2
                path.pop()


# ------------------------------------------------------------------------------------- solving


def _rows(
    candidates: Sequence[Candidate], limits: Limits
) -> list[tuple[str, str, Decimal, dict[int, Decimal]]]:
    # (name, kind, limit, {candidate index: coefficient}) for every budget year and capacity
    # cell some candidate uses; a limit no candidate touches cannot bind.
    rows = []
    for year, budget in sorted(limits.budgets.items()):
        coef = {i: c.costs[year] for i, c in enumerate(candidates) if c.costs.get(year)}
        if coef:
            rows.append((budget_name(year), "budget", budget, coef))
    for cell, hours in sorted(limits.capacity.items()):
        coef = {i: c.hours[cell] for i, c in enumerate(candidates) if c.hours.get(cell)}
        if coef:
            rows.append((capacity_name(cell), "capacity", hours, coef))
    return rows


@contextmanager
def _quiet() -> Iterator[None]:
    # The HiGHS in scipy 1.17 prints "HighsMipSolverData::transformNewIntegerFeasibleSolution
    # tmpSolver.run();" straight to file descriptor 1 whatever its output options
    # (ERGO-Code/HiGHS#2783), which would corrupt `--json` output: send the descriptor to the
    # null device while solving. Other threads' stdout is muted for those milliseconds too;
    # the web server logs to stderr, so nothing of ours is lost.
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        fd = 1
    sys.stdout.flush()
    try:
        saved = os.dup(fd)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def _solve(
    candidates: Sequence[Candidate],
    limits: Limits,
    by_key: Mapping[str, Candidate],
    rows: Sequence[tuple[str, str, Decimal, dict[int, Decimal]]],
) -> list[bool]:
    import numpy as np
    from scipy.optimize import (  # type: ignore[import-untyped,unused-ignore]
        Bounds,
        LinearConstraint,
        milp,
    )
    from scipy.sparse import coo_array  # type: ignore[import-untyped,unused-ignore]

    n = len(candidates)
    index = {c.key: i for i, c in enumerate(candidates)}
    lower = np.zeros(n)
    upper = np.ones(n)
    for i, c in enumerate(candidates):
        if c.mandatory or c.key in limits.forced_in:
            lower[i] = 1
        if c.key in limits.forced_out or any(d not in by_key for d in c.depends_on):
            upper[i] = 0  # a dependency that is no proposal here cannot be chosen with it
    # Scale the objective so its largest value is 1: HiGHS compares against absolute
    # tolerances.
    top = max((abs(c.value) for c in candidates), default=Decimal(0)) or Decimal(1)
    cost = -np.array([float(c.value / top) for c in candidates])
    data: list[float] = []
    r: list[int] = []
    col: list[int] = []
    row_upper: list[float] = []
    row_lower: list[float] = []
    k = 0
    tightened: dict[int, Decimal] = {}
    limits_rows = list(rows)
    for _, _, limit, coef in limits_rows:
        scale = max(abs(v) for v in coef.values())
        for i, v in coef.items():
            r.append(k)
            col.append(i)
            data.append(float(v / scale))
        row_upper.append(float(limit / scale))
        row_lower.append(-np.inf)
        k += 1
    limit_rows = k
    for c in candidates:
        i = index[c.key]
        for dep in c.depends_on:
            if dep in index:  # x_i - x_dep <= 0
                r += [k, k]
                col += [i, index[dep]]
                data += [1.0, -1.0]
                row_upper.append(0.0)
                row_lower.append(-np.inf)
                k += 1
        for other in c.excludes:
            if other in index:  # x_i + x_other <= 1
                r += [k, k]
                col += [i, index[other]]
                data += [1.0, 1.0]
                row_upper.append(1.0)
                row_lower.append(-np.inf)
                k += 1
    for attempt in range(12):
        constraints = []
        if k:
            matrix = coo_array((data, (r, col)), shape=(k, n)).tocsr()
            constraints.append(LinearConstraint(matrix, row_lower, row_upper))
        with _quiet():
            found = milp(
                cost,
                integrality=np.ones(n),
                bounds=Bounds(lower, upper),
                constraints=constraints,
                options={"mip_rel_gap": 0.0, "presolve": True},
            )
        if found.x is None:
            raise SelectionInfeasibleError(
                f"no selection meets the limits ({found.message})", constraint="limits"
            )
        chosen = [bool(round(v)) for v in found.x]
        # Check the chosen set in Decimal: a row the solver's tolerance let through is
        # tightened by what it is over, and solved again.
        over = False
        for j in range(limit_rows):
            _, _, limit, coef = limits_rows[j]
            used = sum((v for i, v in coef.items() if chosen[i]), Decimal(0))
            if used > limit:
                # Below what the floats let through by a margin that grows tenfold on each
                # attempt, from above the solver's feasibility tolerance (1e-7).
                scale = max(abs(v) for v in coef.values())
                tightened[j] = tightened.get(j, limit) - (used - limit)
                bound = float(tightened[j] / scale)
                row_upper[j] = bound - max(1e-6, abs(bound) * 1e-9) * 10**attempt
                over = True
        if not over:
            return _without_idle(candidates, limits, chosen)
    raise SelectionInfeasibleError(
        "the solver keeps choosing a set over a limit by rounding; scale the amounts down",
        constraint="limits",
    )


def _without_idle(
    candidates: Sequence[Candidate], limits: Limits, chosen: list[bool]
) -> list[bool]:
    # The solver is indifferent to a proposal of no value: leave out every one that nothing
    # chosen needs (it spends without adding), so the answer does not depend on the solver's
    # whim. Only proposals whose costs and hours are all non-negative: leaving them out frees.
    while True:
        needed = {d for c, on in zip(candidates, chosen, strict=True) if on for d in c.depends_on}
        idle = [
            i
            for i, c in enumerate(candidates)
            if chosen[i]
            and c.value == 0
            and not c.mandatory
            and c.key not in limits.forced_in
            and c.key not in needed
            and all(v >= 0 for v in (*c.costs.values(), *c.hours.values()))
        ]
        if not idle:
            return chosen
        for i in idle:
            chosen[i] = False


def _left_out_reason(
    key: str,
    chosen: set[str],
    by_key: Mapping[str, Candidate],
    limits: Limits,
    spend: Mapping[int, Decimal],
    use: Mapping[Cell, Decimal],
) -> tuple[str, list[str]]:
    # Why `key` is not chosen, and the limits that keep it out: adding it with what it depends
    # on (and is not chosen) would break them.
    if key in limits.forced_out:
        return "forced out", []
    missing_dep = [d for d in by_key[key].depends_on if d not in by_key]
    if missing_dep:
        return f"depends on {_names(missing_dep)}, not a proposal here", []
    group: list[str] = []
    stack = [key]
    while stack:
        k = stack.pop()
        if k in chosen or k in group:
            continue
        group.append(k)
        stack.extend(by_key[k].depends_on)
    for k in group:
        if k in limits.forced_out:
            return f"needs {k}, which is forced out", []
        clash = [o for o in by_key[k].excludes if o in chosen]
        clash += [o for o in chosen if k in by_key[o].excludes]
        if clash:
            who = key if k == key else f"{k} (which it needs)"
            return f"{who} excludes {_names(sorted(set(clash)))} (chosen)", []
        inner = [o for o in group if o in by_key[k].excludes]
        if inner:
            return f"needs {k} and {inner[0]}, which exclude each other", []
    broken: list[str] = []
    reasons: list[str] = []
    members = [by_key[k] for k in group]
    for year, budget in sorted(limits.budgets.items()):
        extra = sum((c.costs.get(year, Decimal(0)) for c in members), Decimal(0))
        if extra and spend.get(year, Decimal(0)) + extra > budget:
            left = budget - spend.get(year, Decimal(0))
            broken.append(budget_name(year))
            reasons.append(
                f"{budget_name(year)}: needs {amount_text(extra, limits.currency)}, "
                f"{amount_text(left, limits.currency)} left"
            )
    for cell, hours in sorted(limits.capacity.items()):
        extra = sum((c.hours.get(cell, Decimal(0)) for c in members), Decimal(0))
        if extra and use.get(cell, Decimal(0)) + extra > hours:
            left = hours - use.get(cell, Decimal(0))
            broken.append(capacity_name(cell))
            reasons.append(
                f"{capacity_name(cell)}: needs {amount_text(extra, 'h')}, "
                f"{amount_text(left, 'h')} left"
            )
    if reasons:
        prefix = "" if len(group) == 1 else f"with {_names(g for g in group if g != key)}: "
        return prefix + "; ".join(reasons), broken
    return "adds no value", []


def _measure(
    candidates: Sequence[Candidate], chosen_flags: Sequence[bool], limits: Limits
) -> tuple[dict[int, Decimal], dict[Cell, Decimal]]:
    spend: dict[int, Decimal] = {}
    use: dict[Cell, Decimal] = {}
    for c, on in zip(candidates, chosen_flags, strict=True):
        if not on:
            continue
        for year, amount in c.costs.items():
            spend[year] = spend.get(year, Decimal(0)) + amount
        for cell, hours in c.hours.items():
            use[cell] = use.get(cell, Decimal(0)) + hours
    return dict(sorted(spend.items())), dict(sorted(use.items()))


def optimum(candidates: Sequence[Candidate], limits: Limits) -> tuple[tuple[str, ...], Decimal]:
    """The chosen keys and the total value of the optimum, without the explanations of
    :func:`select` (what the efficient frontier and the marginal values solve for).

    Example::

        optimum(candidates, limits)  # (('A', 'C'), Decimal('17'))
    """
    by_key = _check(candidates, limits)
    if not candidates:
        return (), Decimal(0)
    flags = _solve(candidates, limits, by_key, _rows(candidates, limits))
    chosen = tuple(c.key for c, on in zip(candidates, flags, strict=True) if on)
    return chosen, sum((by_key[k].value for k in chosen), Decimal(0))


def select(
    candidates: Sequence[Candidate],
    limits: Limits,
    *,
    marginals: bool = True,
    budget_step: Decimal | None = None,
    capacity_step: Decimal | None = None,
) -> Selection:
    """The selection of most value under ``limits``, solved exactly, with its explanation.

    ``marginals`` measures, for each binding budget and the :data:`MARGINAL_CELLS` binding
    capacity cells that keep the most value out, what relaxing it buys: the limit is raised
    by a step (``budget_step`` in money, ``capacity_step`` in hours; a tenth of the limit when
    not given) and the optimum solved again. Infeasible input raises
    :class:`SelectionInfeasibleError` (one line naming the constraint), before the solver.

    Example::

        result = select(
            [Candidate("A", Decimal(10), costs={2027: Decimal(600)}),
             Candidate("B", Decimal(7), costs={2027: Decimal(500)})],
            Limits(budgets={2027: Decimal(1000)}, currency="EUR"),
        )
        result.chosen, result.value  # (('A',), Decimal('10'))
        result.left_out  # {'B': 'budget 2027: needs 500 EUR, 400 EUR left'}
    """
    by_key = _check(candidates, limits)
    rows = _rows(candidates, limits)
    flags = _solve(candidates, limits, by_key, rows) if candidates else []
    chosen = tuple(c.key for c, on in zip(candidates, flags, strict=True) if on)
    value = sum((by_key[k].value for k in chosen), Decimal(0))
    spend, use = _measure(candidates, flags, limits)
    chosen_set = set(chosen)
    left_out: dict[str, str] = {}
    binding: set[str] = set()
    kept_out: dict[str, Decimal] = {}
    for c in candidates:
        if c.key in chosen_set:
            continue
        reason, broken = _left_out_reason(c.key, chosen_set, by_key, limits, spend, use)
        left_out[c.key] = reason
        if c.value > 0:
            binding.update(broken)
            for name in broken:
                kept_out[name] = kept_out.get(name, Decimal(0)) + c.value
    constraints = []
    for name, kind, limit, _ in rows:
        if kind == "budget":
            year = int(name.split()[-1])
            used = spend.get(year, Decimal(0))
        else:
            cell = next(cell for cell in limits.capacity if capacity_name(cell) == name)
            used = use.get(cell, Decimal(0))
        constraints.append(Constraint(name, kind, limit, used, name in binding))
    found = Selection(chosen, value, spend, use, tuple(constraints), left_out)
    if not marginals:
        return found
    cells = sorted(
        (c.name for c in found.binding if c.kind == "capacity"),
        key=lambda name: (-kept_out[name], name),
    )[:MARGINAL_CELLS]
    measured = tuple(
        marginal_value(candidates, limits, c.name, value, budget_step, capacity_step)
        for c in found.binding
        if c.kind == "budget" or c.name in cells
    )
    return Selection(chosen, value, spend, use, tuple(constraints), left_out, measured)


def marginal_value(
    candidates: Sequence[Candidate],
    limits: Limits,
    constraint: str,
    value: Decimal,
    budget_step: Decimal | None = None,
    capacity_step: Decimal | None = None,
) -> Marginal:
    """What raising the limit ``constraint`` by a step buys over the optimum ``value``:
    the optimum solved again with the limit raised (a tenth of it when no step is given).

    Example::

        marginal_value(candidates, limits, "budget 2027", Decimal(10), budget_step=Decimal(100))
        # Marginal('budget 2027', step=Decimal('100'), gain=Decimal('7'), ...)
    """
    budgets = dict(limits.budgets)
    capacity = dict(limits.capacity)
    for year, limit in budgets.items():
        if budget_name(year) == constraint:
            step = budget_step if budget_step is not None else _step(limit)
            budgets[year] = limit + step
            break
    else:
        for cell, limit in capacity.items():
            if capacity_name(cell) == constraint:
                step = capacity_step if capacity_step is not None else _step(limit)
                capacity[cell] = limit + step
                break
        else:
            raise InvalidInputError(f"no limit {constraint!r}", where="constraint")
    relaxed = Limits(budgets, capacity, limits.currency, limits.forced_in, limits.forced_out)
    _, better = optimum(candidates, relaxed)
    gain = better - value
    per_unit = (gain / step) if step else Decimal(0)
    return Marginal(constraint, step, gain, per_unit)


def _step(limit: Decimal) -> Decimal:
    step = (limit * DEFAULT_STEP_SHARE).quantize(Decimal(1), ROUND_HALF_EVEN)
    return step if step > 0 else Decimal(1)


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the efficient frontier: every year's budget scaled by ``factor``, their
    sum ``budget``, and the optimum's value and chosen proposals under them.

    Example::

        FrontierPoint(Decimal("0.5"), {2027: Decimal(600000)}, Decimal(600000), Decimal(12),
                      ("CRM",))
    """

    factor: Decimal
    budgets: Mapping[int, Decimal]
    budget: Decimal
    value: Decimal
    chosen: tuple[str, ...]


def frontier(
    candidates: Sequence[Candidate], limits: Limits, points: int = 11
) -> list[FrontierPoint]:
    """The efficient frontier: the optimum's value against the total budget, ``points``
    budgets from the least that fits the mandatory proposals to the most any selection could
    spend, each year's budget scaled by the same factor, each point an exact solve (capacity
    and the other constraints as in ``limits``). Without budgets, each year's budget is what
    every proposal together costs in it.

    Example::

        [(p.budget, p.value) for p in frontier(candidates, limits, points=5)]
    """
    if points < 2:
        raise InvalidInputError("a frontier needs at least 2 points", where="--points")
    by_key = _check(
        candidates,
        Limits(
            capacity=limits.capacity,
            currency=limits.currency,
            forced_in=limits.forced_in,
            forced_out=limits.forced_out,
        ),
    )
    years = sorted({y for c in candidates for y in c.costs})
    totals = {y: sum((c.costs.get(y, Decimal(0)) for c in candidates), Decimal(0)) for y in years}
    base = {y: limits.budgets.get(y, totals[y]) for y in years}
    # A year with no budget to scale (zero) keeps the limit it was given.
    fixed = {y: b for y, b in limits.budgets.items() if y not in base or base[y] <= 0}
    base = {y: b for y, b in base.items() if b > 0}
    if not base:
        raise InvalidInputError("the proposals cost nothing: there is no frontier", where="costs")
    required = _closure(by_key, limits)
    need = {
        y: sum((by_key[k].costs.get(y, Decimal(0)) for k in required), Decimal(0)) for y in base
    }
    low = max(need[y] / base[y] for y in base)
    high = max(Decimal(1), max(totals[y] / base[y] for y in base))
    found = []
    for n in range(points):
        factor = low + (high - low) * n / (points - 1)
        scaled = {
            y: (b * factor).quantize(Decimal("0.01"), ROUND_HALF_EVEN) for y, b in base.items()
        }
        # Rounding down a cent must not make the mandatory proposals infeasible.
        scaled = {**fixed, **{y: max(v, need[y]) for y, v in scaled.items()}}
        at = Limits(scaled, limits.capacity, limits.currency, limits.forced_in, limits.forced_out)
        chosen, value = optimum(candidates, at)
        found.append(
            FrontierPoint(
                factor.quantize(Decimal("0.0001"), ROUND_HALF_EVEN),
                scaled,
                sum(scaled.values(), Decimal(0)),
                value,
                chosen,
            )
        )
    return found


def _closure(by_key: Mapping[str, Candidate], limits: Limits) -> set[str]:
    stack = [c.key for c in by_key.values() if c.mandatory] + list(limits.forced_in)
    seen: set[str] = set()
    while stack:
        key = stack.pop()
        if key in seen or key not in by_key:
            continue
        seen.add(key)
        stack.extend(by_key[key].depends_on)
    return seen


__all__ = [
    "Candidate",
    "Cell",
    "Constraint",
    "FrontierPoint",
    "Limits",
    "Marginal",
    "Selection",
    "SelectionInfeasibleError",
    "amount_text",
    "budget_name",
    "capacity_name",
    "frontier",
    "marginal_value",
    "optimum",
    "select",
]
