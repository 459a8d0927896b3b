"""Demand from plans and labour cost into the budget: records derived from other records,
written again (never added twice) each time they are asked for.

A derived record is known by its id, never by a field the core's records lack: an
allocation derived from work item ``X`` has the id ``plan-X`` (:func:`plan_allocation_id`),
a labour budget line of project ``P`` for month ``2025-03`` has the id
``labour-P-2025-03`` (:func:`labour_line_id`). Hand-entered records get a generated id (12
hex digits), so they never look derived and are never replaced or removed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pmo_core import (
    Allocation,
    BudgetLine,
    DomainModel,
    Entity,
    InvalidInputError,
    Money,
    Resource,
    WorkItem,
    Workspace,
    WorkspaceView,
)

from ._capacity import CENT, demand_costs, month_end, months, parse_month, role_of, working_days

#: The start of the id of an allocation derived from a plan's work item.
PLAN_PREFIX = "plan-"
#: The start of the id of a budget line written from labour cost.
LABOUR_PREFIX = "labour-"
_ID_MAX = 255
_MONTH = re.compile(r"\d{4}-\d{2}")

Reason = Literal[
    "no assignee",
    "unknown assignee",
    "ambiguous assignee",
    "no dates",
    "no work",
    "no working day",
]


def plan_allocation_id(work_item: str) -> str:
    """The id of the allocation derived from work item ``work_item``: ``plan-`` and the item's
    id (a digest of it when that would pass the store's 255 characters).

    Example::

        plan_allocation_id("a1b2c3d4e5f6")  # 'plan-a1b2c3d4e5f6'
    """
    found = PLAN_PREFIX + work_item
    if len(found) <= _ID_MAX:
        return found
    return PLAN_PREFIX + hashlib.sha256(work_item.encode()).hexdigest()


def is_from_plan(allocation: Allocation) -> bool:
    """Whether ``allocation`` was derived from a plan (its id starts with ``plan-``) rather
    than entered by hand.

    Example::

        [a.id for a in ws.view().records(Allocation) if is_from_plan(a)]
    """
    return allocation.id.startswith(PLAN_PREFIX)


def labour_line_id(project: str, month: str) -> str:
    """The id of the labour budget line of ``project`` for ``month`` (``YYYY-MM``).

    Example::

        labour_line_id("ALPHA", "2025-03")  # 'labour-ALPHA-2025-03'
    """
    return f"{LABOUR_PREFIX}{project}-{month}"


def is_labour_line(line: BudgetLine) -> bool:
    """Whether ``line`` was written from labour cost (:func:`labour_to_budget`), not by hand.

    Example::

        [b.id for b in ws.view().budget_lines("ALPHA") if is_labour_line(b)]
    """
    head = f"{LABOUR_PREFIX}{line.project}-"
    return line.id.startswith(head) and bool(_MONTH.fullmatch(line.id[len(head) :]))


@dataclass(frozen=True)
class Unplaced:
    """A work item that gave no allocation, and why: ``no assignee``, ``unknown assignee``
    (no resource matches it), ``ambiguous assignee`` (several do), ``no dates`` (a start or a
    due date missing), ``no work`` (no hours, or zero), ``no working day`` (its dates hold none
    of the resource's working days).

    Example::

        Unplaced("a1b2c3d4e5f6", "Data migration", "unknown assignee", "Zed")
    """

    item: str
    subject: str
    reason: Reason
    assignee: str | None = None


@dataclass(frozen=True)
class Written:
    """What a derivation wrote, or would write on a dry run: ids added, changed, removed,
    and those already as derived (left alone).

    Example::

        Written(added=("plan-a1",), changed=(), removed=(), unchanged=("plan-b2",))
    """

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanDemand:
    """The allocations a project's plan gives, the work items it could not place, and what
    was written (all empty before :func:`allocate_from_plan` writes).

    Example::

        demand = plan_demand(ws.view(), "ALPHA")
        [(a.id, a.hours) for a in demand.allocations], [u.item for u in demand.unplaced]
    """

    project: str
    allocations: tuple[Allocation, ...]
    unplaced: tuple[Unplaced, ...]
    written: Written = Written()


def match_assignee(pool: Sequence[Resource], assignee: str) -> list[Resource]:
    """The resources a work item's ``assignee`` names, by this rule: a resource whose id it
    is; else the resources whose name it is (compared without case); else the role
    placeholders (kind ``role``) whose role it is. One resource is a match, none is unknown,
    several are ambiguous. A person is never picked for a bare role name: demand for a role
    goes to the role's placeholder.

    Example::

        [r.name for r in match_assignee(ws.view().records(Resource), "kim lee")]  # ['Kim Lee']
    """
    by_id = [r for r in pool if r.id == assignee]
    if by_id:
        return by_id
    wanted = assignee.casefold()
    named = [r for r in pool if r.name.casefold() == wanted]
    if named:
        return named
    return [r for r in pool if r.kind == "role" and role_of(r).casefold() == wanted]


def _project(view: WorkspaceView, key: str, where: str) -> Entity:
    entity = view.entity(key)
    if entity.kind != "project":
        raise InvalidInputError(f"{entity.id} is a {entity.kind}, not a project", where=where)
    return entity


def _parents(items: Sequence[WorkItem]) -> set[str]:
    return {i.parent for i in items if i.parent is not None}


def plan_demand(view: WorkspaceView, project: str) -> PlanDemand:
    """The allocations ``project``'s work items give, without writing anything.

    Each work item with an assignee, a start and a due date and work hours gives one
    allocation in hours (its ``work``) from its start to its due date, to the resource its
    assignee names (:func:`match_assignee`), with the id :func:`plan_allocation_id`. The
    hours spread evenly over the resource's working days in those dates, as capacity counts
    them (Monday to Friday, not its holidays; availability scales capacity, not the item's
    hours). A summary item (another item's parent) gives none: its children carry the work.
    An item that cannot be placed is in ``unplaced`` with its reason.

    Example::

        demand = plan_demand(ws.view(), "ALPHA")
        [(a.resource, a.start, a.finish, a.hours) for a in demand.allocations]
    """
    entity = _project(view, project, "PROJECT")
    pool = view.records(Resource)
    items = view.work_items(entity.id)
    parents = _parents(items)
    found: list[Allocation] = []
    unplaced: list[Unplaced] = []
    for item in items:
        if item.id in parents:
            continue

        def skip(reason: Reason, item: WorkItem = item) -> None:
            unplaced.append(Unplaced(item.id, item.subject, reason, item.assignee))

        if not item.assignee:
            skip("no assignee")
            continue
        matches = match_assignee(pool, item.assignee)
        if len(matches) != 1:
            skip("unknown assignee" if not matches else "ambiguous assignee")
            continue
        if item.start is None or item.due is None:
            skip("no dates")
            continue
        if not item.work:
            skip("no work")
            continue
        resource = matches[0]
        if not working_days(resource, item.start, item.due):
            skip("no working day")
            continue
        found.append(
            Allocation(
                id=plan_allocation_id(item.id),
                resource=resource.id,
                project=entity.id,
                start=item.start,
                finish=item.due,
                hours=item.work,
            )
        )
    return PlanDemand(entity.id, tuple(found), tuple(unplaced))


def _sync(
    ws: Workspace,
    wanted: Sequence[DomainModel],
    derived: Sequence[DomainModel],
    command: str,
    *,
    dry_run: bool,
) -> Written:
    # Write ``wanted`` over the ``derived`` records stored before, in one transaction: add
    # the new, update the changed, remove those no longer derived, leave the same alone.
    stored = {r.id: r for r in derived}
    added, changed, unchanged = [], [], []
    for record in wanted:
        before = stored.get(record.id)
        if before is None:
            added.append(record)
        elif before.to_document() != record.to_document():
            changed.append((record, before.version))
        else:
            unchanged.append(record.id)
    keep = {r.id for r in wanted}
    removed = [r for r in derived if r.id not in keep]
    if not dry_run and (added or changed or removed):
        with ws.transaction(command) as tx:
            for old in removed:
                tx.delete(old.store_kind, old.id, expected_version=old.version)
            for record, version in changed:
                tx.update(
                    record.store_kind,
                    record.id,
                    record.to_document(),
                    expected_version=version,
                    owner=record.owner,
                )
            for record in added:
                tx.insert(record.store_kind, record.id, record.to_document(), owner=record.owner)
    return Written(
        tuple(r.id for r in added),
        tuple(r.id for r, _ in changed),
        tuple(r.id for r in removed),
        tuple(unchanged),
    )


def _live(entity: Entity) -> None:
    if entity.ended:
        raise InvalidInputError(
            f"{entity.id} is {entity.lifecycle}: its history is kept, nothing is derived for it",
            where="PROJECT",
        )


def allocate_from_plan(ws: Workspace, project: str, *, dry_run: bool = False) -> PlanDemand:
    """Write the allocations ``project``'s plan gives (:func:`plan_demand`) in one
    transaction, replacing those derived from its plan before (removing those whose work
    item no longer gives one) and never touching allocations entered by hand. Running it
    again on the same plan changes nothing. ``dry_run`` computes what would be written and
    writes nothing. A closed or killed project is refused.

    Example::

        result = allocate_from_plan(ws, "ALPHA")
        result.written.added, [u.reason for u in result.unplaced]
    """
    view = ws.view()
    demand = plan_demand(view, project)
    _live(view.entity(demand.project))
    derived = [a for a in view.records(Allocation, demand.project) if is_from_plan(a)]
    written = _sync(
        ws,
        demand.allocations,
        derived,
        f"allocate --from-plan {demand.project}",
        dry_run=dry_run,
    )
    return PlanDemand(demand.project, demand.allocations, demand.unplaced, written)


@dataclass(frozen=True)
class LabourBudget:
    """A project's labour cost as monthly budget lines (nature ``labour``), against its
    budget: ``labour`` is their total, ``other`` the total of the project's other budget
    lines (entered by hand), ``bac`` the project's budget at completion (``None`` when not
    set) and ``covered`` whether it covers the labour cost (``labour <= bac``; ``None``
    without a BAC). ``unpriced_hours`` are hours no rate prices (not in the lines).

    Example::

        budget = labour_budget(ws.view(), "ALPHA")
        [(b.period_start, str(b.amount)) for b in budget.lines], budget.covered
    """

    project: str
    lines: tuple[BudgetLine, ...]
    labour: Money
    other: Money
    bac: Money | None
    unpriced_hours: Decimal
    written: Written = Written()

    @property
    def covered(self) -> bool | None:
        """Whether the BAC covers the labour cost (``None`` without a BAC).

        Example::

            budget.covered  # True
        """
        return None if self.bac is None else self.labour.amount <= self.bac.amount

    @property
    def headroom(self) -> Money | None:
        """The BAC less the labour cost (negative when it falls short; ``None`` without a BAC).

        Example::

            str(budget.headroom)  # '265800.00 EUR'
        """
        if self.bac is None:
            return None
        return Money(amount=self.bac.amount - self.labour.amount, currency=self.bac.currency)


def _foreign(view: WorkspaceView, allocations: Sequence[Allocation], currency: str) -> str:
    pool = {r.id: r for r in view.records(Resource)}
    names = sorted(
        {
            f"{pool[a.resource].name} ({rate.per_hour.currency})"
            for a in allocations
            if a.resource in pool
            for rate in pool[a.resource].rates
            if rate.per_hour.currency != currency
        }
    )
    return ", ".join(names)


def labour_budget(
    view: WorkspaceView, project: str, *, category: Literal["capex", "opex"] = "opex"
) -> LabourBudget:
    """``project``'s labour cost per month as budget lines (nature ``labour``, ``category``),
    without writing anything: every allocation of the project (by hand or from its plan;
    a proposed project's too) priced by :func:`demand_costs` month by month, each month
    rounded to the cent; a month that costs nothing gives no line. Each line has the id
    :func:`labour_line_id` and runs from the first to the last day of its month.

    The resources' rates must be in the project's currency: money is never converted, so
    another currency is an :class:`~pmo_core.InvalidInputError` naming the resources.

    Example::

        budget = labour_budget(ws.view(), "ALPHA", category="capex")
        [(str(b.period_start), str(b.amount)) for b in budget.lines]
    """
    entity = _project(view, project, "--project")
    allocations = view.records(Allocation, entity.id)
    currency = entity.currency
    lines: list[BudgetLine] = []
    unpriced = Decimal(0)
    if allocations:
        first = min(a.start for a in allocations)
        last = max(a.finish for a in allocations)
        for month in months(first, last):
            start = parse_month(month, "month")
            costs = demand_costs(view, start, month_end(start), allocations=allocations)
            for cost in costs:
                unpriced += cost.unpriced_hours
                for money in cost.costs:
                    if money.currency != currency:
                        raise InvalidInputError(
                            f"{entity.id} is kept in {currency} but its allocations are priced "
                            f"in {money.currency} by {_foreign(view, allocations, currency)}: "
                            "money is never converted; give those resources a rate in "
                            f"{currency}",
                            where="--project",
                        )
                    if money.amount == 0:
                        continue
                    lines.append(
                        BudgetLine(
                            id=labour_line_id(entity.id, month),
                            project=entity.id,
                            category=category,
                            nature="labour",
                            period_start=start,
                            period_finish=month_end(start),
                            amount=money,
                            description="Labour cost of the resource allocations",
                        )
                    )
    others = [b for b in view.budget_lines(entity.id) if not is_labour_line(b)]
    zero = Money.zero(currency)
    other = sum((b.amount for b in others if b.amount.currency == currency), zero)
    labour = sum((b.amount for b in lines), zero)
    return LabourBudget(
        entity.id,
        tuple(lines),
        Money(amount=labour.amount.quantize(CENT), currency=currency),
        Money(amount=other.amount.quantize(CENT), currency=currency),
        entity.budget,
        unpriced,
    )


def labour_to_budget(
    ws: Workspace,
    project: str,
    *,
    category: Literal["capex", "opex"] = "opex",
    dry_run: bool = False,
) -> LabourBudget:
    """Write ``project``'s labour cost (:func:`labour_budget`) as its labour budget lines in
    one transaction, replacing the lines written so before (removing months that cost
    nothing now) and never touching lines entered by hand. Running it again changes
    nothing. ``dry_run`` writes nothing. A closed or killed project is refused.

    Example::

        budget = labour_to_budget(ws, "ALPHA")
        str(budget.labour), budget.covered, budget.written.added
    """
    view = ws.view()
    budget = labour_budget(view, project, category=category)
    _live(view.entity(budget.project))
    derived = [b for b in view.budget_lines(budget.project) if is_labour_line(b)]
    written = _sync(
        ws, budget.lines, derived, f"resource cost --to-budget {budget.project}", dry_run=dry_run
    )
    return LabourBudget(
        budget.project,
        budget.lines,
        budget.labour,
        budget.other,
        budget.bac,
        budget.unpriced_hours,
        written,
    )
