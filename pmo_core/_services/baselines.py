"""Baselines: a project's plan frozen (dates, budget, every work item), numbered 0 to 10, and
the comparison of two baselines, or of a baseline with the plan as it is now.

Under a governance model whose ``change_control`` is ``request`` (controlling, directive) only
baseline 0 is taken by hand: a re-baseline comes from approving a change request, which takes
the next baseline itself (see ``changes.py``). Under ``record`` (supportive) re-baselining is
free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._domain import Baseline, BaselineItem, Entity, Money
from .._errors import ConflictError, GovernanceBlockedError, InvalidInputError, NotFoundError
from .._store.protocol import Transaction
from .._view import WorkspaceView
from .lifecycle import check_live
from .records import entity_in, validated

if TYPE_CHECKING:
    from .._workspace import Workspace
    from .entities import EntityService
    from .governance import GovernanceService

#: The highest baseline number (MS Project keeps 11 baselines: 0 to 10).
MAX_NUMBER = 10


def _days(before: date | None, after: date | None) -> int | None:
    if before is None or after is None:
        return None
    return (after - before).days


@dataclass(frozen=True)
class BaselineItemChange:
    """How one work item present in both plans moved: its start and finish (in days, later
    is positive), its work (hours) and its cost; ``None`` where either side has no value.

    Example::

        BaselineItemChange(work_item="a1b2c3d4e5f6", subject="Data migration",
                           start_days=0, finish_days=14, work=40.0, cost=Money.parse("6000 EUR"))
    """

    work_item: str
    subject: str | None
    start_days: int | None
    finish_days: int | None
    work: float | None
    cost: Money | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo baseline compare --json`` prints it.

        Example::

            comparison = ws.compare_baselines("ALPHA", 0)
            [c.as_dict() for c in comparison.changed]
        """
        return {
            "work_item": self.work_item,
            "subject": self.subject,
            "start_days": self.start_days,
            "finish_days": self.finish_days,
            "work": self.work,
            "cost": self.cost.model_dump(mode="json") if self.cost is not None else None,
        }


@dataclass(frozen=True)
class BaselineComparison:
    """Two plans of a project side by side: ``before`` (a baseline) and ``after`` (a later
    baseline, or, when ``current`` is true, the plan as it is now, shaped as a baseline that
    is not stored).

    Schedule: :attr:`start_days` and :attr:`finish_days` (positive when the date moved
    later). Cost: :attr:`cost_delta` and :attr:`cost_fraction` (of the ``before`` cost).
    Scope: :attr:`added` and :attr:`removed` work items, and :attr:`changed` for the items
    in both whose dates, work or cost moved.

    Example::

        comparison = ws.compare_baselines("ALPHA", 0)   # baseline 0 against the plan now
        comparison.finish_days, str(comparison.cost_delta)  # (28, '25000 EUR')
        [i.subject for i in comparison.added]
    """

    project: str
    before: Baseline
    after: Baseline
    current: bool = False

    @property
    def after_label(self) -> str:
        """``"baseline 1"``, or ``"current plan"`` when comparing with the plan now.

        Example::

            comparison.after_label  # 'current plan'
        """
        return "current plan" if self.current else f"baseline {self.after.number}"

    @property
    def start_days(self) -> int | None:
        """Days the planned start moved (positive: later); None when a side has no start.

        Example::

            comparison.start_days  # 0
        """
        return _days(self.before.planned_start, self.after.planned_start)

    @property
    def finish_days(self) -> int | None:
        """Days the planned finish moved (positive: later); None when a side has none.

        Example::

            comparison.finish_days  # 28
        """
        return _days(self.before.planned_finish, self.after.planned_finish)

    @property
    def cost_delta(self) -> Money | None:
        """The cost after minus the cost before; None when they are in two currencies.

        Example::

            str(comparison.cost_delta)  # '25000 EUR'
        """
        before, after = self.before.cost, self.after.cost
        if before.currency != after.currency:
            return None
        return Money(amount=after.amount - before.amount, currency=before.currency)

    @property
    def cost_fraction(self) -> Decimal | None:
        """The cost delta as a fraction of the cost before (0.1 is 10 %); None when the cost
        before is zero or the currencies differ.

        Example::

            comparison.cost_fraction  # Decimal('0.1')
        """
        delta = self.cost_delta
        if delta is None or self.before.cost.amount == 0:
            return None
        return delta.amount / self.before.cost.amount

    @property
    def work_delta(self) -> float | None:
        """Hours of work after minus before; None when a side has no work estimate.

        Example::

            comparison.work_delta  # 120.0
        """
        if self.before.work is None or self.after.work is None:
            return None
        return self.after.work - self.before.work

    @property
    def added(self) -> tuple[BaselineItem, ...]:
        """The work items in ``after`` that ``before`` does not have.

        Example::

            [i.subject for i in comparison.added]  # ['Second data centre']
        """
        known = {i.work_item for i in self.before.items}
        return tuple(i for i in self.after.items if i.work_item not in known)

    @property
    def removed(self) -> tuple[BaselineItem, ...]:
        """The work items of ``before`` that ``after`` no longer has.

        Example::

            [i.subject for i in comparison.removed]
        """
        kept = {i.work_item for i in self.after.items}
        return tuple(i for i in self.before.items if i.work_item not in kept)

    @property
    def changed(self) -> tuple[BaselineItemChange, ...]:
        """The work items in both whose dates, work or cost moved.

        Example::

            [(c.subject, c.finish_days) for c in comparison.changed]
        """
        before = {i.work_item: i for i in self.before.items}
        out: list[BaselineItemChange] = []
        for item in self.after.items:
            old = before.get(item.work_item)
            if old is None:
                continue
            change = BaselineItemChange(
                work_item=item.work_item,
                subject=item.subject or old.subject,
                start_days=_days(old.planned_start, item.planned_start),
                finish_days=_days(old.planned_finish, item.planned_finish),
                work=None if old.work is None or item.work is None else item.work - old.work,
                cost=_money_delta(old.cost, item.cost),
            )
            moved = (
                old.planned_start != item.planned_start
                or old.planned_finish != item.planned_finish
                or old.work != item.work
                or old.cost != item.cost
            )
            if moved:
                out.append(change)
        return tuple(out)

    @property
    def unchanged(self) -> bool:
        """True when nothing moved: dates, cost, work and the work items are the same.

        Example::

            ws.compare_baselines("ALPHA", 0).unchanged  # True right after baseline 0
        """
        return (
            self.before.planned_start == self.after.planned_start
            and self.before.planned_finish == self.after.planned_finish
            and self.before.cost == self.after.cost
            and self.before.work == self.after.work
            and not (self.added or self.removed or self.changed)
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo baseline compare --json`` prints it.

        Example::

            json.dumps(ws.compare_baselines("ALPHA", 0, 1).as_dict())
        """

        def side(baseline: Baseline, current: bool) -> dict[str, Any]:
            return {
                "baseline": None if current else baseline.number,
                "taken_on": None if current else baseline.taken_on.isoformat(),
                "planned_start": _iso(baseline.planned_start),
                "planned_finish": _iso(baseline.planned_finish),
                "cost": baseline.cost.model_dump(mode="json"),
                "work": baseline.work,
                "items": len(baseline.items),
            }

        fraction = self.cost_fraction
        return {
            "project": self.project,
            "before": side(self.before, False),
            "after": side(self.after, self.current),
            "schedule": {"start_days": self.start_days, "finish_days": self.finish_days},
            "cost": {
                "delta": (
                    self.cost_delta.model_dump(mode="json") if self.cost_delta is not None else None
                ),
                "fraction": str(fraction) if fraction is not None else None,
            },
            "work": {"delta": self.work_delta},
            "scope": {
                "added": [_item(i) for i in self.added],
                "removed": [_item(i) for i in self.removed],
                "changed": [c.as_dict() for c in self.changed],
            },
            "unchanged": self.unchanged,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _item(item: BaselineItem) -> dict[str, Any]:
    return item.model_dump(mode="json")


def _money_delta(before: Money | None, after: Money | None) -> Money | None:
    if before is None or after is None or before.currency != after.currency:
        return None
    return Money(amount=after.amount - before.amount, currency=before.currency)


def latest(baselines: Iterable[Baseline]) -> Baseline | None:
    """The baseline with the highest number (the one in force), or None.

    Example::

        latest(view.baselines("ALPHA")).number  # 1
    """
    return max(baselines, key=lambda b: (b.number, b.taken_on), default=None)


def snapshot(
    project: Entity, view: WorkspaceView, *, number: int, taken_on: date, name: str = ""
) -> Baseline:
    """``project``'s plan now, as baseline ``number``: its planned start and finish, its
    budget as the cost, and every work item's dates, work and budget. Nothing is stored.

    A project without a budget has no cost to freeze: an :class:`InvalidInputError`.

    Example::

        snapshot(view.entity("ALPHA"), view, number=0, taken_on=date(2025, 1, 6)).cost
    """
    if project.budget is None:
        raise InvalidInputError(
            f"{project.id} has no budget: a baseline freezes the cost, so set one first "
            f"('pmo project update {project.id} --budget \"AMOUNT {project.currency}\"')",
            where="budget",
        )
    currency = project.budget.currency
    items: list[BaselineItem] = []
    work = view.work_items(project.id)
    for w in sorted(work, key=lambda w: (w.start or date.max, w.subject, w.id)):
        if w.budget is not None and w.budget.currency != currency:
            raise InvalidInputError(
                f"work item {w.id} ({w.subject}) is budgeted in {w.budget.currency} but "
                f"{project.id} is in {currency}",
                where=f"work item {w.id}",
            )
        items.append(
            BaselineItem(
                work_item=w.id,
                subject=w.subject,
                planned_start=w.start,
                planned_finish=w.due,
                work=w.work,
                cost=w.budget,
            )
        )
    hours = [w.work for w in work if w.work is not None]
    return validated(
        Baseline,
        {
            "project": project.id,
            "number": number,
            "name": name,
            "taken_on": taken_on,
            "planned_start": project.planned_start,
            "planned_finish": project.planned_finish,
            "work": sum(hours) if hours else None,
            "cost": project.budget,
            "items": items,
        },
        where="baseline",
    )


def next_number(tx: Transaction, project: str) -> int:
    """The number the next baseline of ``project`` gets, read inside ``tx`` (so two takes
    at once cannot both get it); a :class:`ConflictError` when 0 to 10 are all taken.

    Example::

        with ws.transaction("baseline take") as tx:
            number = next_number(tx, "ALPHA")
    """
    numbers = [int(doc.data.get("number", 0)) for doc in tx.query("baseline", owner=project)]
    number = max(numbers) + 1 if numbers else 0
    if number > MAX_NUMBER:
        raise ConflictError(
            f"{project} has baselines 0 to {MAX_NUMBER} already: a project keeps at most "
            f"{MAX_NUMBER + 1}"
        )
    return number


class BaselineService:
    """Takes, lists and compares baselines, under the change control of the model in force."""

    def __init__(
        self, ws: Workspace, governance: GovernanceService, entities: EntityService
    ) -> None:
        self._ws = ws
        self._governance = governance
        self._entities = entities

    def take(self, project: str, *, name: str, on: date | None) -> Baseline:
        """See :meth:`Workspace.take_baseline <pmo_core.Workspace.take_baseline>`."""
        ws = self._ws
        today = ws.today()
        day = on or today
        if day > today:
            raise InvalidInputError(f"{day} is after the status date {today}", where="--on")
        view = ws.view()
        target = _project(view, project)
        check_live(target, "take a baseline of")
        model, _ = self._governance.model_in_force(target, view)
        with ws.transaction("baseline take") as tx:
            current = entity_in(tx, target.id)
            if current is None:
                raise NotFoundError(f"no portfolio, program or project {project!r}")
            number = next_number(tx, target.id)
            if number > 0 and model.change_control == "request":
                raise GovernanceBlockedError(
                    f"{target.id} has a baseline already: under model {model.name!r} a "
                    "re-baseline is taken only by approving a change request "
                    f"('pmo change raise {target.id} TITLE ...', then 'pmo change approve')"
                )
            baseline = snapshot(current, view, number=number, taken_on=day, name=name)
            doc = tx.insert(
                baseline.store_kind, baseline.id, baseline.to_document(), owner=target.id
            )
        self._entities.plan_changed([target.id])
        return Baseline.from_document(doc.data, doc.version)

    def of(self, project: str, view: WorkspaceView | None = None) -> list[Baseline]:
        """See :meth:`Workspace.baselines <pmo_core.Workspace.baselines>`."""
        view = view or self._ws.view()
        return view.baselines(_project(view, project).id)

    def get(self, project: str, number: int | None, view: WorkspaceView | None = None) -> Baseline:
        """See :meth:`Workspace.baseline <pmo_core.Workspace.baseline>`."""
        view = view or self._ws.view()
        return _numbered(view, _project(view, project).id, number)

    def compare(
        self,
        project: str,
        before: int | None,
        after: int | None,
        view: WorkspaceView | None = None,
    ) -> BaselineComparison:
        """See :meth:`Workspace.compare_baselines <pmo_core.Workspace.compare_baselines>`."""
        view = view or self._ws.view()
        target = _project(view, project)
        old = _numbered(view, target.id, before)
        if after is None:
            # The plan now, shaped as the next baseline would be (without its number checks).
            new = snapshot(
                target, view, number=min(old.number + 1, MAX_NUMBER), taken_on=view.status_date
            )
            return BaselineComparison(project=target.id, before=old, after=new, current=True)
        return BaselineComparison(
            project=target.id, before=old, after=_numbered(view, target.id, after)
        )


def _project(view: WorkspaceView, key: str) -> Entity:
    entity = view.entity(key)
    if entity.kind != "project":
        raise InvalidInputError(
            f"{entity.id} is a {entity.kind}: baselines are taken of projects", where="PROJECT"
        )
    return entity


def _numbered(view: WorkspaceView, project: str, number: int | None) -> Baseline:
    baselines = view.baselines(project)
    if not baselines:
        raise NotFoundError(
            f"{project} has no baseline; take baseline 0 ('pmo baseline take {project}')"
        )
    if number is None:
        found = latest(baselines)
        assert found is not None
        return found
    match = next((b for b in baselines if b.number == number), None)
    if match is None:
        numbers = ", ".join(str(b.number) for b in baselines)
        raise NotFoundError(f"{project} has no baseline {number} (baselines: {numbers})")
    return match
