"""Tolerances: how far a forecast may drift from the plan at each level before it is an
exception for the level above (PRINCE2's management by exception).

A tolerance is a limit per level (``project``, ``program``) and dimension:

* ``time``: the forecast finish may slip past the planned finish by at most this fraction of
  the planned duration;
* ``cost``: the estimate at completion may exceed the budget (BAC) by at most this fraction;
  the EAC is the latest recorded forecast, else earned value (``BAC / CPI``);
* ``scope``: the number of work items may differ from the latest baseline's by at most this
  fraction (items added or removed since the plan was approved);
* ``risk``: no open risk may score above this (probability x impact, 1 to 25).

A program's time and cost are its live projects' (:func:`~pmo_core.scope_members`: killed,
closed and proposed ones left out): their EACs summed against their budgets, their latest
forecast finish against the program's. Data a
dimension needs that is missing (no budget, no forecast, no baseline) means the tolerance
holds: a check reports what it can measure and never guesses.

Pure functions over a :class:`~pmo_core.WorkspaceView`: a governance plugin's rule named
``tolerance-forecast`` (pmo-governance registers one with :func:`check_tolerances` and
:class:`ToleranceSettings`) and the exceptions the workspace raises share them, so a finding
and an exception never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ._domain import Entity, Forecast
from ._domain.status import Dimension
from ._evm import EvInputs, accumulate, earned_value
from ._records.governance import (
    TOLERANCE_DIMENSIONS,
    PmoGovernanceModel,
    RuleContext,
    tolerance_table,
)
from ._rollup import scope_members
from ._view import WorkspaceView

#: The levels a tolerance is set at.
ToleranceLevel = Literal["project", "program"]

#: What a measure found: see :class:`ToleranceCheck`.
ToleranceState = Literal["within", "breached", "unmeasured", "inconsistent"]

#: The status report dimension each tolerance dimension colours.
REPORT_DIMENSION: dict[str, Dimension] = {
    "time": "schedule",
    "cost": "cost",
    "scope": "scope",
    "risk": "risk",
}


@dataclass(frozen=True)
class ToleranceCheck:
    """One tolerance measured for one entity.

    ``limit`` is the tolerance (a fraction, or a score for ``risk``); ``actual`` what was
    measured in the same unit (``None`` when it could not be); ``state`` is ``within``,
    ``breached`` (the actual is beyond the limit), ``unmeasured`` (data it needs is missing:
    the tolerance holds) or ``inconsistent`` (the data disagrees, e.g. two currencies: it
    cannot be checked, which governance reports); ``message`` says so in words, with the
    figures and their basis.

    Example::

        ToleranceCheck(entity="ALPHA", level="project", dimension="cost",
                       limit=Decimal("0.10"), actual=Decimal("0.25"), state="breached",
                       message="project ALPHA forecasts EAC 125000.00 EUR against ...")
    """

    entity: str
    level: str
    dimension: str
    limit: Decimal
    actual: Decimal | None
    state: ToleranceState
    message: str

    @property
    def breached(self) -> bool:
        """Whether the forecast is beyond the tolerance: an exception for the level above.

        Example::

            [c.dimension for c in ws.tolerance_checks("ALPHA") if c.breached]  # ['cost']
        """
        return self.state == "breached"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo tolerance check --json`` prints it.

        Example::

            json.dumps([c.as_dict() for c in ws.tolerance_checks("ALPHA")])
        """
        return {
            "entity": self.entity,
            "level": self.level,
            "dimension": self.dimension,
            "limit": str(self.limit),
            "actual": None if self.actual is None else str(self.actual),
            "state": self.state,
            "breached": self.breached,
            "message": self.message,
        }


def level_of(entity: Entity) -> ToleranceLevel | None:
    """The tolerance level an entity is measured at (a portfolio has none).

    Example::

        level_of(view.entity("ERP"))  # 'program'
    """
    if entity.kind == "project":
        return "project"
    if entity.kind == "program":
        return "program"
    return None


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage to one decimal, trailing zeros dropped.

    Example::

        percent(Decimal("0.125"))  # '12.5%'
    """
    return f"{(fraction * 100).quantize(Decimal('0.1')).normalize():f}%"


def measure(
    entity: Entity, view: WorkspaceView, limits: Mapping[str, Decimal]
) -> list[ToleranceCheck]:
    """Measure ``entity`` against each tolerance in ``limits`` (dimension -> limit) at its
    level; a dimension without a limit is not measured.

    Example::

        [c for c in measure(view.entity("ALPHA"), view, {"cost": Decimal("0.10")})
         if c.breached]
    """
    level = level_of(entity)
    if level is None or entity.ended:
        return []
    measures = _PROJECT if level == "project" else _PROGRAM
    out: list[ToleranceCheck] = []
    for dimension in TOLERANCE_DIMENSIONS:
        limit = limits.get(dimension)
        how = measures.get(dimension)
        if limit is None or how is None:
            continue
        actual, state, message = how(entity, view, Decimal(limit))
        out.append(
            ToleranceCheck(entity.id, level, dimension, Decimal(limit), actual, state, message)
        )
    return out


# ----------------------------------------------------------------------------- measures

_Measured = tuple[Decimal | None, ToleranceState, str]


def _judged(breached: bool) -> tuple[ToleranceState, str]:
    return ("breached", "beyond") if breached else ("within", "within")


def _label(entity: Entity) -> str:
    return f"{entity.kind} {entity.id}"


def latest_forecast(view: WorkspaceView, project: str) -> Forecast | None:
    """The newest forecast of ``project`` as a whole on or before the view's date (of one
    day, the last written). A forecast of a single work item is not the project's: its EAC
    and finish are that item's, so it is left out.

    Example::

        latest_forecast(view, "ALPHA").eac  # Money('265000', 'EUR')
    """
    forecasts = [f for f in view.forecasts(project) if f.work_item is None]
    return forecasts[-1] if forecasts else None


_WORK_ITEM_FIELDS = (
    "budget.amount",
    "budget.currency",
    "percent_complete",
    "start",
    "due",
    "actual_cost.amount",
    "actual_cost.currency",
)


def _decimal(value: Any) -> Decimal | None:
    # Stored documents hold amounts as strings and percentages as JSON numbers; str() keeps a
    # float's shortest form, so 12.5 becomes Decimal("12.5") and not binary noise.
    return None if value is None else Decimal(str(value))


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _earned_value_eac(
    view: WorkspaceView, project: str, bac: Decimal, currency: str
) -> tuple[Decimal, str] | str | None:
    """The EAC from earned value and its basis, a currency problem, or None (no data)."""
    items = []
    has_actuals = False
    for amount, cur, done, start, due, actual, actual_cur in view.values(
        "work_item", _WORK_ITEM_FIELDS, owner=project
    ):
        for found in (cur, actual_cur):
            if found and found != currency:
                return f"a work item of project {project} is in {found}, not {currency}"
        has_actuals = has_actuals or actual is not None
        items.append((_decimal(amount), _decimal(done), _day(start), _day(due), _decimal(actual)))
    totals = accumulate(items, view.status_date, currency=currency)
    ac = totals.ac
    if not has_actuals:
        # Work items without actual cost: the booked cost entries are the actuals.
        entries = [e for e in view.cost_entries(project) if e.incurred_on <= view.status_date]
        for entry in entries:
            if entry.amount.currency != currency:
                found = entry.amount.currency
                return f"a cost entry of project {project} is in {found}, not {currency}"
        ac = sum((e.amount.amount for e in entries), Decimal(0))
    if ac <= 0:
        return None
    if totals.ev <= 0:
        # Nothing earned yet (or no budgeted work items): CPI is undefined, and the cost
        # already booked is the only forecast that is certain.
        return ac, "actual cost to date; nothing earned yet"
    result = earned_value(
        EvInputs(
            bac=bac,
            pv=totals.pv,
            ev=totals.ev,
            ac=ac,
            status_date=view.status_date,
            currency=currency,
        )
    )
    assert result.eac is not None  # EV and AC are both positive, so CPI is defined
    return result.eac, f"EAC = BAC / CPI, CPI {result.cpi}"


def estimate_at_completion(entity: Entity, view: WorkspaceView) -> tuple[Decimal, str] | str | None:
    """A project's EAC in its budget's currency and how it was found: the latest recorded
    forecast, else earned value; a message when a currency differs; ``None`` without data.

    Example::

        estimate_at_completion(view.entity("ALPHA"), view)
        # (Decimal('125000'), 'forecast of 2025-05-31')
    """
    budget = entity.budget
    if budget is None or budget.amount <= 0:
        return None
    forecast = latest_forecast(view, entity.id)
    if forecast is not None:
        if forecast.eac.currency != budget.currency:
            return (
                f"the forecast of {_label(entity)} is in {forecast.eac.currency} but its "
                f"budget is in {budget.currency}"
            )
        return forecast.eac.amount, f"forecast of {forecast.as_of.isoformat()}"
    return _earned_value_eac(view, entity.id, budget.amount, budget.currency)


def _project_cost(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    found = estimate_at_completion(entity, view)
    if found is None:
        missing = (
            "no budget"
            if entity.budget is None or entity.budget.amount <= 0
            else "no forecast, and no actual cost to forecast from"
        )
        return None, "unmeasured", f"{_label(entity)}: {missing}"
    if isinstance(found, str):
        return None, "inconsistent", f"{found}; the cost tolerance cannot be checked"
    assert entity.budget is not None
    eac, basis = found
    bac, currency = entity.budget.amount, entity.budget.currency
    over = (eac - bac) / bac
    state, verb = _judged(eac > bac * (1 + limit))
    return (
        over,
        state,
        f"{_label(entity)} forecasts EAC {eac.quantize(Decimal('0.01'))} {currency} against "
        f"BAC {bac} {currency} ({'+' if over >= 0 else ''}{percent(over)}, {basis}), {verb} "
        f"the cost tolerance of {percent(limit)}",
    )


def _slip(
    entity: Entity, start: date | None, finish: date | None, forecast: date | None, limit: Decimal
) -> _Measured:
    if start is None or finish is None or forecast is None:
        missing = [
            what
            for what, value in (("planned start", start), ("planned finish", finish))
            if value is None
        ]
        if forecast is None:
            missing.append("forecast finish")
        return None, "unmeasured", f"{_label(entity)}: no {' and no '.join(missing)}"
    duration = (finish - start).days
    if duration <= 0:
        return None, "unmeasured", f"{_label(entity)}: its planned duration is not positive"
    slip = (forecast - finish).days
    allowed = Decimal(duration) * limit
    state, verb = _judged(slip > allowed)
    return (
        Decimal(slip) / Decimal(duration),
        state,
        f"{_label(entity)} forecasts finishing on {forecast.isoformat()}, {slip} days after "
        f"its planned finish {finish.isoformat()}, {verb} the schedule tolerance of "
        f"{percent(limit)} of its {duration}-day plan ({allowed.quantize(Decimal('0.1'))} days)",
    )


def _project_time(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    forecast = latest_forecast(view, entity.id)
    finish = forecast.finish if forecast is not None else None
    return _slip(entity, entity.planned_start, entity.planned_finish, finish, limit)


def _project_scope(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    baselines = [b for b in view.baselines(entity.id) if b.taken_on <= view.status_date]
    latest = max(baselines, key=lambda b: (b.taken_on, b.number), default=None)
    if latest is None or not latest.items:
        return None, "unmeasured", f"{_label(entity)}: no baseline of its work items"
    planned = len(latest.items)
    current = {w.id for w in view.work_items(entity.id)}
    kept = {i.work_item for i in latest.items}
    added, removed = len(current - kept), len(kept - current)
    change = Decimal(added + removed) / Decimal(planned)
    state, verb = _judged(change > limit)
    return (
        change,
        state,
        f"{_label(entity)} has {added} work item(s) added and {removed} removed since "
        f"baseline {latest.number} ({planned} items, {percent(change)} changed), {verb} the "
        f"scope tolerance of {percent(limit)}",
    )


def _risk(entity: Entity, view: WorkspaceView, limit: Decimal, keys: list[str]) -> _Measured:
    scored = [
        (r.score, r)
        for key in keys
        for r in view.raid(key, type="risk", open_only=True)
        if r.score is not None
    ]
    if not scored:
        return Decimal(0), "within", f"{_label(entity)} has no open scored risk"
    score, worst = max(scored, key=lambda pair: (pair[0], pair[1].id))
    state, verb = _judged(Decimal(score) > limit)
    return (
        Decimal(score),
        state,
        f"{_label(entity)}'s highest open risk {worst.title!r} scores {score}, {verb} the "
        f"risk tolerance of {limit}",
    )


def _project_risk(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    return _risk(entity, view, limit, [entity.id])


def _live_projects(entity: Entity, view: WorkspaceView) -> tuple[Entity, ...]:
    # The same live projects every report's totals sum: an ended project, or one under an
    # ended project, is out; a proposed one is not yet committed.
    return scope_members(view, entity).live


def _program_cost(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    projects = _live_projects(entity, view)
    bac = eac = Decimal(0)
    currency = ""
    at_budget = 0
    for project in projects:
        if project.budget is None:
            continue
        found = estimate_at_completion(project, view)
        if currency and project.budget.currency != currency:
            return (
                None,
                "inconsistent",
                f"{_label(entity)}'s projects have budgets in {currency} and "
                f"{project.budget.currency}; the cost tolerance cannot be checked",
            )
        currency = project.budget.currency
        bac += project.budget.amount
        if found is None or isinstance(found, str):
            # Nothing says it will cost more or less than planned: it counts at its budget,
            # so one forecast is weighed against the whole program, not against itself.
            at_budget += 1
            eac += project.budget.amount
        else:
            eac += found[0]
    if bac <= 0 or at_budget == len([p for p in projects if p.budget is not None]):
        return None, "unmeasured", f"{_label(entity)}: no live project with a budget and a forecast"
    over = (eac - bac) / bac
    state, verb = _judged(eac > bac * (1 + limit))
    counted = f"; {at_budget} without cost data counted at budget" if at_budget else ""
    return (
        over,
        state,
        f"{_label(entity)}'s live projects forecast EAC {eac.quantize(Decimal('0.01'))} "
        f"{currency} against BAC {bac} {currency} ({'+' if over >= 0 else ''}{percent(over)}"
        f"{counted}), {verb} the program cost tolerance of {percent(limit)}",
    )


def _program_time(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    finishes = [
        f.finish
        for p in _live_projects(entity, view)
        if (f := latest_forecast(view, p.id)) is not None and f.finish is not None
    ]
    latest = max(finishes, default=None)
    return _slip(entity, entity.planned_start, entity.planned_finish, latest, limit)


def _program_risk(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    keys = [entity.id, *(p.id for p in _live_projects(entity, view))]
    return _risk(entity, view, limit, keys)


_PROJECT = {
    "time": _project_time,
    "cost": _project_cost,
    "scope": _project_scope,
    "risk": _project_risk,
}
_PROGRAM = {"time": _program_time, "cost": _program_cost, "risk": _program_risk}


# ------------------------------------------------------------------------------- the rule

#: The name of the tolerance rule: its settings, when a plugin registers it, override the
#: model's tolerances for the exceptions the workspace raises too.
TOLERANCE_RULE = "tolerance-forecast"


class ToleranceSettings(BaseModel):
    """Tolerances set for a workspace or a scope, over the governance model's.

    Set in the rule's settings table, per level, as the model's ``tolerances`` are; a
    dimension given here replaces the model's limit for that dimension, the others stay.

    Example::

        ToleranceSettings(project={"cost": Decimal("0.05")})
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: dict[str, Decimal] | None = None
    program: dict[str, Decimal] | None = None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for level in ("project", "program"):
                if data.get(level) is not None:
                    tolerance_table({level: data[level]}, where=level)
        return data


def limits(model: PmoGovernanceModel, settings: object, level: str) -> dict[str, Decimal]:
    """The tolerances in force at ``level``: the model's, with the settings' over them.

    Example::

        limits(controlling, ToleranceSettings(project={"cost": Decimal("0.05")}), "project")
        # {'cost': Decimal('0.05'), 'time': Decimal('0.10')}
    """
    out = dict(model.tolerances_for(level))
    override = getattr(settings, level, None) if isinstance(settings, ToleranceSettings) else None
    for dimension, limit in (override or {}).items():
        out["time" if dimension == "schedule" else dimension] = Decimal(limit)
    return out


def check_tolerances(ctx: RuleContext) -> list[str] | None:
    """The rule ``tolerance-forecast``: each tolerance the model (and the rule's settings)
    sets for the entity's level holds; a breach, or data that cannot be checked (two
    currencies), is a finding that names the figures and who it escalates to.

    Example::

        check_tolerances(ctx)
        # ['project ALPHA forecasts EAC 130000.00 EUR against BAC 100000 EUR (+30%, EAC =
        #   BAC / CPI, CPI 0.7692), beyond the cost tolerance of 10% under model
        #   controlling; escalate to sponsor']
    """
    level = level_of(ctx.entity)
    if level is None:
        return None
    found = measure(ctx.entity, ctx.view, limits(ctx.model, ctx.settings, level))
    model = ctx.model
    return [
        f"{c.message} under model {model.name}; escalate to {model.escalate_to}"
        if c.breached
        else c.message
        for c in found
        if c.state in ("breached", "inconsistent")
    ] or None
