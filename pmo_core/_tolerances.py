"""Tolerances: how far a forecast may drift from the plan at each level before it is an
exception for the level above (PRINCE2's management by exception).

A tolerance is a limit per level (``project``, ``program``) and dimension:

* ``time``: the forecast finish may slip past the planned finish by at most this fraction of
  the planned duration;
* ``cost``: the estimate at completion may exceed the BAC by at most this fraction; both are
  the metrics service's (:func:`~pmo_core.measure_project`: the headline EAC, by default the
  latest recorded forecast, else ``BAC / CPI``; the BAC of the baseline in force), so a
  report and the rule give the same EAC;
* ``scope``: the number of work items may differ from the latest baseline's by at most this
  fraction (items added or removed since the plan was approved);
* ``risk``: no open risk may score above this (probability x impact, 1 to 25).

A program's time and cost are its live projects' (:func:`~pmo_core.scope_members`: killed,
closed and proposed ones left out): their EACs summed against their budgets, their latest
forecast finish against the program's. Data a
dimension needs that is missing (no budget, no forecast, no baseline) means the tolerance
holds: a check reports what it can measure and never guesses. Data that disagrees (a
forecast, cost entry or work item in another currency than the project's, in the project or
in one of a program's projects) makes the cost ``inconsistent``: it cannot be checked, and
the rule says so.

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

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._domain import Entity
from ._domain.status import Dimension
from ._metrics_basis import latest_forecast
from ._metrics_scope import measurer_of
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


def estimate_at_completion(
    entity: Entity, view: WorkspaceView
) -> tuple[Decimal, Decimal, str] | str | None:
    """A project's EAC and BAC from the metrics service (:func:`~pmo_core.measure_project`:
    the headline EAC, by ``[metrics] eac``, against the BAC of the baseline in force), with
    the basis of the EAC in words; a message when a currency conflict leaves it undefined;
    ``None`` without the data.

    The report and the rule read the same service, so they give the same EAC. The project's
    ``budget`` is the authorised budget (it may hold a reserve); the BAC is the plan's.

    Example::

        estimate_at_completion(view.entity("ALPHA"), view)
        # (Decimal('125000.00'), Decimal('100000'), 'forecast of 2025-05-31')
    """
    figures = measurer_of(view).figures(entity, view.status_date)
    if figures.conflicts:
        # A record in another currency (a forecast, a cost entry, a work item) leaves the EAC
        # undefined even when another variant could be computed without it: a forecast in USD
        # must not be passed over for BAC / CPI in silence.
        return figures.conflicts[0]
    eac = figures.value("eac")
    bac = figures.ev.inputs.bac if figures.ev is not None else figures.value("bac")
    if eac is None:
        return None
    if bac is None or bac <= 0:
        return None
    variant = figures.metric("eac").inputs.get("variant")
    if variant == "bottom_up":
        forecast = latest_forecast(view, entity.id)
        basis = f"forecast of {forecast.as_of.isoformat()}" if forecast else "bottom-up"
    elif variant == "cpi":
        basis = f"EAC = BAC / CPI, CPI {figures.value('cpi')}"
    elif variant == "cpi_spi":
        basis = (
            f"EAC = AC + (BAC - EV) / (CPI x SPI), CPI {figures.value('cpi')}, "
            f"SPI {figures.value('spi')}"
        )
    else:
        basis = "EAC = AC + (BAC - EV)"
    return eac, bac, basis


def _project_cost(entity: Entity, view: WorkspaceView, limit: Decimal) -> _Measured:
    found = estimate_at_completion(entity, view)
    if found is None:
        figures = measurer_of(view).figures(entity, view.status_date)
        if not figures.value("bac"):
            missing = "no budget"
        elif not figures.value("ac"):
            missing = "no forecast, and no actual cost to forecast from"
        else:
            missing = "no forecast, and nothing earned yet to forecast from"
        return None, "unmeasured", f"{_label(entity)}: {missing}"
    if isinstance(found, str):
        return (
            None,
            "inconsistent",
            f"{_label(entity)}: {found}; the cost tolerance cannot be checked",
        )
    eac, bac, basis = found
    currency = entity.currency
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
    budgeted = at_budget = 0
    for project in projects:
        found = estimate_at_completion(project, view)
        if isinstance(found, str):
            # One project's figures disagree: the program's total is unknown, not at budget.
            return (
                None,
                "inconsistent",
                f"{_label(entity)}'s project {project.id}: {found}; the program cost "
                "tolerance cannot be checked",
            )
        if isinstance(found, tuple):
            project_eac, project_bac, _ = found
        else:
            figures = measurer_of(view).figures(project, view.status_date)
            measured = figures.ev.inputs.bac if figures.ev else figures.value("bac")
            if not measured:
                continue
            project_bac = measured
            # Nothing says it will cost more or less than planned: it counts at its BAC,
            # so one forecast is weighed against the whole program, not against itself.
            project_eac = project_bac
            at_budget += 1
        if currency and project.currency != currency:
            return (
                None,
                "inconsistent",
                f"{_label(entity)}'s projects have budgets in {currency} and "
                f"{project.currency}; the cost tolerance cannot be checked",
            )
        currency = project.currency
        budgeted += 1
        bac += project_bac
        eac += project_eac
    if bac <= 0 or at_budget == budgeted:
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

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    project: dict[str, Decimal] | None = Field(
        default=None, description="A project's tolerance of each dimension (0.05: 5 %)."
    )
    program: dict[str, Decimal] | None = Field(
        default=None, description="A program's tolerance of each dimension (0.05: 5 %)."
    )

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

        ctx = RuleContext(entity=view.entity("ALPHA"), view=view, today=ws.today(),
                          model=host.record(PmoGovernanceModel, "controlling"))
        check_tolerances(ctx)
        # ['project ALPHA forecasts EAC 310000.00 EUR against BAC 275000 EUR (+12.7%,
        #   forecast of 2025-03-31), beyond the cost tolerance of 10% under model
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
