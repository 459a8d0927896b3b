"""The compliance rules: sponsor and business case, status cadence, baseline, risks,
tolerances, phases reached by gate decisions, baselined changes approved and reported
colours against the figures (:mod:`pmo_governance._colours`).

The tolerance rule measures with pmo-core's :func:`~pmo_core.check_tolerances`, the same
measure the workspace raises exceptions with.

Every check returns ``None`` when the rule holds and otherwise messages that name the entity
and the figures, so a finding is actionable without opening the workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import (
    Baseline,
    Entity,
    GateDecision,
    PmoGovernanceRule,
    PmoMethodology,
    RaidItem,
    RuleContext,
    Status,
    ToleranceSettings,
    check_tolerances,
)

from ._colours import check_reported_colours_honest, check_reported_colours_overridden

INITIATION_PHASES: frozenset[str] = frozenset(
    {"initiation", "initiating", "pre-project", "discovery", "scoping", "business-case"}
)
"""Phases treated as initiation, whatever the methodology (the first phase always is too)."""

EXECUTION_PHASES: frozenset[str] = frozenset(
    {"execution", "development", "delivery", "testing", "launch"}
)
"""Phases treated as execution, whatever the methodology."""

EXECUTION_TAILORING_KEY = "execution-phases"
"""A methodology marks more execution phases with ``tailoring["execution-phases"]``.

The value is a comma-separated list of phase names.

Example::

    PmoMethodology(name="acme", phases=..., tailoring={"execution-phases": "build, rollout"})
"""

_CLOSED = (Status.FINISHED, Status.DISCONTINUED)


def is_initiation(phase: str | None, methodology: PmoMethodology | None) -> bool:
    """Whether ``phase`` is an initiation-type phase.

    It is when its name is one of :data:`INITIATION_PHASES` or it is the methodology's first
    phase.

    Example::

        is_initiation("scoping", None)      # True
        is_initiation("plan", two_step)     # True: the first phase of two-step
        is_initiation("development", None)  # False
    """
    if phase is None:
        return False
    if phase in INITIATION_PHASES:
        return True
    return methodology is not None and methodology.phases[0].name == phase


def is_execution(phase: str | None, methodology: PmoMethodology | None) -> bool:
    """Whether ``phase`` is an execution-type phase.

    It is when its name is one of :data:`EXECUTION_PHASES` or the methodology lists it in
    ``tailoring["execution-phases"]``.

    Example::

        is_execution("development", None)  # True
        is_execution("rollout", acme)      # True if acme's tailoring lists it
    """
    if phase is None:
        return False
    if phase in EXECUTION_PHASES:
        return True
    if methodology is None:
        return False
    listed = methodology.tailoring.get(EXECUTION_TAILORING_KEY, "")
    return phase in {p.strip() for p in listed.split(",") if p.strip()}


def _label(entity: Entity) -> str:
    return f"{entity.kind} {entity.id}"


def _gate_label(ctx: RuleContext) -> str:
    gate = ctx.gate
    return f"{gate.name} ({gate.leaving} -> {gate.entering})" if gate else ""


# ------------------------------------------------------------------ sponsor and business case


def check_sponsor_and_business_case(ctx: RuleContext) -> list[str] | None:
    """Before an entity leaves initiation it names a sponsor and has an approved business case.

    "Leaving initiation" is a gate whose ``leaving`` phase is initiation-type and whose
    ``entering`` phase is not (see :func:`is_initiation`), so a methodology with several
    initiation phases (discovery, scoping, business case) is checked once, at the gate into
    the first phase that spends delivery money. The business case counts as approved when
    ``business_case_approved`` is set or an artifact named ``business-case`` is approved.

    Example::

        check_sponsor_and_business_case(ctx)
        # ['project ALPHA names no sponsor; ...', 'the business case of project ALPHA ...']
    """
    methodology = ctx.methodology
    if not is_initiation(ctx.leaving, methodology) or is_initiation(ctx.entering, methodology):
        return None
    entity = ctx.entity
    where = f"before it leaves initiation at gate {_gate_label(ctx)}"
    problems: list[str] = []
    if not (entity.sponsor or "").strip():
        problems.append(f"{_label(entity)} names no sponsor; name one {where}")
    approved = entity.business_case_approved or ctx.view.artifact_approved(
        entity.id, "business-case"
    )
    if not approved:
        problems.append(
            f"the business case of {_label(entity)} is not approved; approve the "
            f"'business-case' artifact (or set business_case_approved) {where}"
        )
    return problems or None


# ------------------------------------------------------------------------------ status cadence


def check_status_cadence(ctx: RuleContext) -> str | None:
    """The latest status report is no older than the model's cadence for the entity's tier.

    With no report at all, the start (actual, else planned) stands in for the last report: a
    first report is due one cadence after the start, so a project that started yesterday is
    not yet late. Finished and discontinued entities, proposed ones (not authorised yet), and
    entities with neither a report nor a start date, hold.

    Example::

        check_status_cadence(ctx)
        # 'the latest status report of project ALPHA is 45 days old (2025-02-14); tier 1
        #  under model controlling needs one at least every 14 days'
    """
    entity = ctx.entity
    if entity.status in _CLOSED or entity.lifecycle == "proposed":
        return None  # ended, or not authorised yet: no status is due
    cadence = ctx.model.cadence_for(entity.tier)
    need = (
        f"tier {entity.tier} under model {ctx.model.name} needs one at least every {cadence} days"
    )
    latest = ctx.view.latest_status(entity.id)
    if latest is not None:
        age = (ctx.today - latest.as_of).days
        if age > cadence:
            return (
                f"the latest status report of {_label(entity)} is {age} days old "
                f"({latest.as_of.isoformat()}); {need}"
            )
        return None
    started: date | None = entity.actual_start or entity.planned_start
    if started is None:
        return None
    age = (ctx.today - started).days
    if age > cadence:
        return (
            f"{_label(entity)} has no status report {age} days after its start "
            f"({started.isoformat()}); {need}"
        )
    return None


# ----------------------------------------------------------------- baseline before execution


def check_baseline_before_execution(ctx: RuleContext) -> str | None:
    """A project in (or entering, at a gate) an execution phase has at least one baseline.

    Execution phases are :data:`EXECUTION_PHASES` plus those the entity's methodology lists
    in ``tailoring["execution-phases"]``.

    Example::

        check_baseline_before_execution(ctx)
        # "project ALPHA is entering execution phase 'development' at gate gate-3 ... but
        #  has no baseline; ..."
    """
    entity = ctx.entity
    methodology = ctx.methodology
    if is_execution(ctx.entering, methodology):
        where = f"is entering execution phase {ctx.entering!r} at gate {_gate_label(ctx)}"
    elif is_execution(entity.phase, methodology):
        where = f"is in execution phase {entity.phase!r}"
    else:
        return None
    if ctx.view.baselines(entity.id):
        return None
    return (
        f"{_label(entity)} {where} but has no baseline; take baseline 0 of scope, schedule "
        "and cost before execution"
    )


# -------------------------------------------------------------------------- high risks owned


class HighRiskSettings(BaseModel):
    """The thresholds of ``high-risks-owned``: a risk is high when its score (probability x
    impact, 1..25) reaches ``score`` or its impact (1..5) reaches ``impact``.

    Set them per workspace in ``[governance.rules.high-risks-owned]`` and per portfolio,
    program or project in ``[governance.rules.high-risks-owned.scopes.<KEY>]`` (a governance
    model may set them too, in its ``rule_settings``).

    Example::

        HighRiskSettings()                      # score 15, impact 5: the PMI-style default
        HighRiskSettings(score=12, impact=4)    # a stricter portfolio
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    score: int = Field(
        default=15, ge=1, le=25, description="A risk with this score (1..25) or more is high."
    )
    impact: int = Field(
        default=5, ge=1, le=5, description="A risk with this impact (1..5) or more is high."
    )

    def is_high(self, risk: RaidItem) -> bool:
        """Whether ``risk`` is high under these thresholds.

        Example::

            HighRiskSettings(score=12).is_high(risk)  # True for probability 3, impact 4
        """
        return (risk.score or 0) >= self.score or (risk.impact or 0) >= self.impact


def check_high_risks_owned(ctx: RuleContext) -> str | None:
    """No open high risk is without an owner; what counts as high comes from the rule's
    settings (:class:`HighRiskSettings`: score >= 15 or impact 5 unless configured).

    Example::

        check_high_risks_owned(ctx)
        # "project ALPHA has 2 open high risks without an owner: 'Vendor late' (score 16),
        #  'Key engineer leaves' (impact 5)"
    """
    entity = ctx.entity
    high = ctx.settings_as(HighRiskSettings)
    unowned = sorted(
        (
            r
            for r in ctx.view.raid(entity.id, type="risk", open_only=True)
            if high.is_high(r) and not r.owned_by.strip()
        ),
        # The worst first; the title keeps the order stable between runs.
        key=lambda r: (-(r.score or 0), -(r.impact or 0), r.title),
    )
    if not unowned:
        return None
    listed = ", ".join(
        f"{r.title!r} ({f'score {r.score}' if r.score is not None else f'impact {r.impact}'})"
        for r in unowned
    )
    noun = "risk" if len(unowned) == 1 else "risks"
    return f"{_label(entity)} has {len(unowned)} open high {noun} without an owner: {listed}"


# ---------------------------------------------------------------------- phase reached by gate


def _decision_label(decision: GateDecision) -> str:
    into = f" into {decision.next_phase!r}" if decision.next_phase else ""
    return f"{decision.gate} {decision.decision}{into} on {decision.decided_on.isoformat()}"


def check_phase_reached_by_gate(ctx: RuleContext) -> str | None:
    """An entity past its methodology's first phase got there by a ``go`` gate decision.

    The phase is the entity's current one, or during a gate check the phase the gate leaves.
    It holds when the entity follows no methodology, has no phase, is in the methodology's
    first phase, or has a ``go`` :class:`~pmo_core.GateDecision` (decided on or before the
    status date) whose ``next_phase`` is that phase. A phase set directly (``update(phase=)``,
    ``pmo project update --phase``, an import) fails, so the PMO sees gates that were skipped.

    Example::

        check_phase_reached_by_gate(ctx)
        # "project ALPHA is in phase 'development' but no gate decision moved it there (last:
        #  gate-2 go into 'business-case' on 2026-03-02); record the gate decision or decide
        #  the gate"; at a gate: "project ALPHA leaves phase 'development' at gate gate-4
        #  (development -> testing) but no gate decision moved it there (...); ..."
    """
    methodology = ctx.methodology
    entity = ctx.entity
    phase = ctx.leaving if ctx.gate else entity.phase
    if methodology is None or phase is None or phase == methodology.phases[0].name:
        return None
    decisions = ctx.view.gate_decisions(entity.id)  # those on or before the status date
    if any(d.decision == "go" and d.next_phase == phase for d in decisions):
        return None
    last = f"last: {_decision_label(decisions[-1])}" if decisions else "no gate decision recorded"
    if ctx.gate:
        where = f"leaves phase {phase!r} at gate {_gate_label(ctx)}"
    else:
        where = f"is in phase {phase!r}"
    return (
        f"{_label(entity)} {where} but no gate decision moved it there ({last}); "
        "record the gate decision or decide the gate"
    )


# ---------------------------------------------------------------------- methodology tailored


def check_methodology_tailored(ctx: RuleContext) -> list[str] | None:
    """Each tailoring the entity makes to its methodology (a skipped artifact or should
    criterion, a merged phase) is a finding, so the model decides what tailoring may do: the
    supportive model notes it, the controlling one warns (the PMO reviews it), the directive
    one blocks it (no tailoring without a waiver).

    Example::

        check_methodology_tailored(ctx)
        # ["project ALPHA tailors its methodology: merges phase 'scoping' into the phase
        #   before it (Kim Park, 2026-03-02: small, low-risk job)"]
    """
    return [
        f"{_label(ctx.entity)} tailors its methodology: {t.describe()}"
        for t in ctx.entity.tailoring
    ] or None


# -------------------------------------------------------------------------- changes approved


def check_changes_approved(ctx: RuleContext) -> list[str] | None:
    """A baselined project's budget and planned finish are those of its latest baseline,
    unless an approved change request proposed the value it has now; its work items are the
    ones the latest baseline froze, with the same budgets (scope). A value the project does
    not have (no budget, no planned finish) is not compared.

    Under a model whose change control is ``request`` the values change only by approving a
    change request, which re-baselines, so this flags what came in another way (an import, an
    edit of the store); under ``record`` (supportive) a direct change is allowed and this is
    how it is flagged. A project without a baseline holds.

    Example::

        check_changes_approved(ctx)
        # ['the budget of project ALPHA is 275000 EUR but baseline 0 (2025-03-03) has
        #   250000 EUR, and no approved change request proposed it; ...']
    """
    entity = ctx.entity
    baselines = ctx.view.baselines(entity.id)
    if not baselines:
        return None
    latest = max(baselines, key=lambda b: (b.number, b.taken_on))
    approved = [c for c in ctx.view.raid(entity.id, type="change") if c.approved]
    label = f"baseline {latest.number} ({latest.taken_on.isoformat()})"
    fix = (
        f"raise a change request ('pmo change raise {entity.id} ...') or, where changes are "
        "only recorded, re-baseline"
    )
    problems: list[str] = []
    budget, finish = entity.budget, entity.planned_finish
    if (
        budget is not None
        and budget != latest.cost
        and not any(c.proposed_budget == budget for c in approved)
    ):
        problems.append(
            f"the budget of {_label(entity)} is {budget} but {label} has {latest.cost}, and "
            f"no approved change request proposed it; {fix}"
        )
    if (
        finish is not None
        and finish != latest.planned_finish
        and not any(c.proposed_finish == finish for c in approved)
    ):
        was = latest.planned_finish.isoformat() if latest.planned_finish else "none"
        problems.append(
            f"the planned finish of {_label(entity)} is {finish.isoformat()} but {label} has "
            f"{was}, and no approved change request proposed it; {fix}"
        )
    problems += _scope_drift(ctx, latest, label)
    return problems or None


def _scope_drift(ctx: RuleContext, latest: Baseline, label: str) -> list[str]:
    """The scope moved since the latest baseline: work items added, removed, or with another
    budget. Approving a change request takes the next baseline with the work as it is, so any
    drift is scope no change request has approved yet. A baseline that froze no work items
    (totals only, as some imports bring them) has no scope to compare."""
    entity = ctx.entity
    if not latest.items:
        return []
    planned = {w.id: w for w in ctx.view.work_items(entity.id)}
    frozen = {i.work_item: i for i in latest.items}
    added = [w.subject for key, w in planned.items() if key not in frozen]
    removed = [i.subject or i.work_item for key, i in frozen.items() if key not in planned]
    changed = [
        w.subject
        for key, w in planned.items()
        if key in frozen and w.budget != frozen[key].cost and w.budget is not None
    ]
    if not (added or removed or changed):
        return []
    parts = [
        f"{len(names)} work item(s) {what} ({', '.join(names[:3])}"
        f"{', ...' if len(names) > 3 else ''})"
        for what, names in (("added", added), ("removed", removed), ("re-budgeted", changed))
        if names
    ]
    return [
        f"the scope of {_label(entity)} moved since {label}: {'; '.join(parts)}; raise a change "
        f"request ('pmo change raise {entity.id} --scope ...'), whose approval re-baselines "
        "the work as it is"
    ]


# --------------------------------------------------------------------------------- the rules


def _rules() -> Iterator[PmoGovernanceRule]:
    yield PmoGovernanceRule(
        name="sponsor-and-business-case",
        summary="Before leaving initiation, a sponsor is named and the business case approved.",
        level="block",
        scopes=("project", "program"),
        gates_only=True,
        check=check_sponsor_and_business_case,
    )
    yield PmoGovernanceRule(
        name="status-cadence",
        summary="Status is reported at least as often as the model's cadence for the tier.",
        level="warn",
        scopes=("project", "program"),
        check=check_status_cadence,
    )
    yield PmoGovernanceRule(
        name="baseline-before-execution",
        summary="A project has a baseline before it enters an execution phase.",
        level="warn",
        scopes=("project",),
        check=check_baseline_before_execution,
    )
    yield PmoGovernanceRule(
        name="high-risks-owned",
        summary="Every open high risk (by default score >= 15 or impact 5) has an owner.",
        level="warn",
        scopes=("project", "program", "portfolio"),
        settings=HighRiskSettings,
        check=check_high_risks_owned,
    )
    yield PmoGovernanceRule(
        name="tolerance-forecast",
        summary="The forecast stays within the model's tolerances (time, cost, scope, risk).",
        level="warn",
        scopes=("project", "program"),
        settings=ToleranceSettings,
        check=check_tolerances,
    )
    yield PmoGovernanceRule(
        name="changes-approved",
        summary="A baselined budget, finish or scope changes only by an approved change request.",
        level="warn",
        scopes=("project",),
        check=check_changes_approved,
    )
    yield PmoGovernanceRule(
        name="phase-reached-by-gate",
        summary="A phase after the methodology's first was entered by a 'go' gate decision.",
        level="warn",
        scopes=("project", "program"),
        check=check_phase_reached_by_gate,
    )
    yield PmoGovernanceRule(
        name="methodology-tailored",
        summary="Tailoring of the methodology (skips, merged phases) is judged by the model.",
        level="advise",
        scopes=("project", "program", "portfolio"),
        check=check_methodology_tailored,
    )
    yield PmoGovernanceRule(
        name="reported-colours-honest",
        summary="No reported colour is better than its figures', unless overridden with a reason.",
        level="warn",
        scopes=("project", "program", "portfolio"),
        check=check_reported_colours_honest,
    )
    yield PmoGovernanceRule(
        name="reported-colours-overridden",
        summary="A reported colour overriding its figures' is noted with its reason.",
        level="advise",
        scopes=("project", "program", "portfolio"),
        check=check_reported_colours_overridden,
    )


RULES: tuple[PmoGovernanceRule, ...] = tuple(_rules())
"""Every rule this plugin registers."""
