"""The sample PMO: :func:`build_demo` fills a workspace with a deterministic, realistic PMO.

Everything about the lifecycle comes from the ``stage-gate`` methodology's records (its
phases in order, its gates and the artifacts their criteria name) and from the governance
plugin's definition of an execution phase, so a tailored stage-gate yields a sample that
follows the tailoring. The people, portfolios, programs and projects are the demo's own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import (
    Approval,
    Artifact,
    Baseline,
    BaselineItem,
    CriterionResult,
    GateDecision,
    InvalidInputError,
    Milestone,
    Money,
    NotFoundError,
    PmoError,
    PmoGate,
    PmoGovernanceModel,
    PmoMethodology,
    ProgressPoint,
    Rag,
    RagOverride,
    RaidItem,
    StatusReport,
    WorkItem,
    measure_project,
)

from ._delivery import METHODOLOGIES as DELIVERY_METHODOLOGIES
from ._delivery import build_delivery
from ._registers import apply_idea_lesson, build_registers, enabled_registers
from ._strategy import build_strategy, strategy_enabled
from ._week import WEEK_STEPS, run_week

if TYPE_CHECKING:
    from pmo_core import Workspace

#: The methodology the sample follows (registered by pmo-stage-gate).
METHODOLOGY = "stage-gate"

#: The project that governance blocks at the gate into execution (no sponsor, no approved
#: business case).
BLOCKED_PROJECT = "AI-ASSIST"
#: The project (under the controlling model) moved into its first execution phase without the
#: decision of the gate into it (development and gate-3 in stage-gate).
SKIPPED_GATE_PROJECT = "LEAN-OPS"
#: The PMO (it runs the portfolios and records gate decisions) and its gatekeeper at gates,
#: who holds the ``pmo`` role on both portfolios.
_PMO_OFFICE = "PMO Office"
_PMO_GATEKEEPER = "Lee Chen"
#: The member of both portfolio boards (the ``portfolio-board`` role).
_BOARD_MEMBER = "Ruth Adeyemi"

_PEOPLE = (
    "Dana Lee", "Sam Roe", "Priya Nair", "Tomasz Kowalski", "Aiko Tanaka", "Lucas Martin",
    "Fatima Zahra", "Jonas Berg", "Chloe Dubois", "Mateo Rossi", "Grace Okafor", "Henrik Olsen",
)  # fmt: skip
_SPONSORS = ("Helena Brandt", "Marcus Webb", "Ingrid Solberg", "Oliver Grant", "Sofia Alvarez")

_PORTFOLIOS = (
    ("DIGITAL", "Digital Transformation", "directive", "Helena Brandt"),
    ("OPS", "Operational Excellence", "controlling", "Marcus Webb"),
)
# (key, name, portfolio, governance model or None to inherit)
_PROGRAMS = (
    ("CX", "Customer Experience", "DIGITAL", "supportive"),
    ("DATA", "Data Platform", "DIGITAL", None),
    ("SUPPLY", "Supply Chain Modernisation", "OPS", None),
    ("WORKPLACE", "Workplace and Facilities", "OPS", None),
)
# (key, name, parent)
_PROJECTS = (
    ("CRM-UPGRADE", "CRM upgrade", "CX"),
    ("WEB-REDESIGN", "Website redesign", "CX"),
    ("MOBILE-APP", "Customer mobile app", "CX"),
    ("CHATBOT", "Service chatbot", "CX"),
    ("LOYALTY", "Loyalty programme relaunch", "CX"),
    ("VOC", "Voice of the customer surveys", "CX"),
    ("DWH-MIGRATION", "Data warehouse migration", "DATA"),
    ("MDM", "Master data management", "DATA"),
    ("BI-SELF-SERVICE", "Self-service BI", "DATA"),
    ("DATA-CATALOG", "Data catalogue", "DATA"),
    ("STREAMING", "Event streaming platform", "DATA"),
    (BLOCKED_PROJECT, "AI assistant for agents", "DIGITAL"),
    ("WMS", "Warehouse management system", "SUPPLY"),
    ("TMS", "Transport management system", "SUPPLY"),
    ("SUPPLIER-PORTAL", "Supplier portal", "SUPPLY"),
    ("DEMAND-PLAN", "Demand planning", "SUPPLY"),
    ("RFID", "RFID tagging pilot", "SUPPLY"),
    ("ERP-FINANCE", "ERP finance module", "SUPPLY"),
    ("HQ-MOVE", "Headquarters move", "WORKPLACE"),
    ("HYBRID-WORK", "Hybrid work rollout", "WORKPLACE"),
    ("ENERGY", "Energy efficiency retrofit", "WORKPLACE"),
    ("BADGES", "Access badge replacement", "WORKPLACE"),
    ("INTRANET", "Intranet renewal", "WORKPLACE"),
    ("ESG-REPORT", "ESG reporting", "OPS"),
    ("LEAN-OPS", "Lean operations training", "OPS"),
)
_NO_SPONSOR = (BLOCKED_PROJECT, "RFID")

_RISKS = (
    ("Key vendor may deliver late", 4, 4),
    ("Scope creep from business requests", 3, 3),
    ("Key engineer may leave", 2, 5),
    ("Integration with legacy systems harder than planned", 3, 4),
    ("Regulatory change affects requirements", 2, 3),
    ("Budget cut in next fiscal year", 2, 4),
    ("Data quality too low for migration", 4, 4),
    ("User adoption lower than expected", 3, 3),
)
_ISSUES = (
    ("Test environment unavailable", 3),
    ("Licence costs above estimate", 3),
    ("Two developers reassigned", 4),
)
_WORK = (
    "Analysis",
    "Design",
    "Build",
    "Integration",
    "Data migration",
    "Testing",
    "Training",
    "Rollout",
)
_MILESTONES = ("Requirements signed off", "Design complete", "Go-live")
_SUMMARIES = {
    "green": (
        "On plan.",
        "Milestones met; no new issues.",
        "Progress as planned; team at full strength.",
    ),
    "amber": (
        "Behind plan by two weeks; recovery plan agreed.",
        "Cost pressure from contractor rates.",
        "Dependency on another team is late.",
    ),
    "red": (
        "Critical path slipped; re-plan needed.",
        "Forecast over budget; change request raised.",
        "Vendor failed acceptance tests.",
    ),
}

#: ``progress(done, total)``, called after each step of :func:`build_demo`.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Health:
    rag: str
    spi: float
    cpi: float


@dataclass(frozen=True)
class _Lifecycle:
    """What the sample takes from the methodology's records."""

    methodology: PmoMethodology
    phases: tuple[str, ...]
    #: The artifacts each gate's criteria name, keyed by the phase the gate leaves.
    artifacts: dict[str, tuple[str, ...]]
    #: The gate into the first execution phase (stage-gate's gate-3): the one the blocked
    #: project waits at and the skipped-gate project skipped; baselines are taken before it.
    into_execution: PmoGate


def _lifecycle(ws: Workspace) -> _Lifecycle:
    """The stage-gate methodology of ``ws``, read from its records."""
    try:
        methodology = ws.host.record(PmoMethodology, METHODOLOGY)
    except NotFoundError as exc:
        raise NotFoundError(
            f"the demo needs the {METHODOLOGY!r} methodology: install pmo-stage-gate and enable "
            f"plugin 'stage-gate' in the workspace ({exc})"
        ) from None
    try:
        # pmo-governance decides what an execution phase is (its baseline-before-execution
        # rule reads the same definition), so the demo asks it rather than keep a list.
        from pmo_governance import is_execution
    except ImportError:
        raise NotFoundError(
            "the demo needs pmo-governance, which is not installed (pip install pmo-governance)"
        ) from None
    phases = tuple(p.name for p in methodology.phases)
    first = next((p for p in phases if is_execution(p, methodology)), None)
    into = next((g for g in methodology.gates if g.entering == first), None)
    if into is None:
        raise PmoError(
            f"methodology {methodology.name!r} has no gate into an execution phase "
            f"(phases: {', '.join(phases)}); the demo needs one"
        )
    artifacts = {
        g.leaving: tuple(c.artifact for c in g.criteria if c.artifact) for g in methodology.gates
    }
    # The story is told under the governance models the portfolios name (their approval
    # matrices, tolerances and waivers): without them the week would decide nothing.
    for _key, _name, model, _sponsor in _PORTFOLIOS:
        try:
            ws.host.record(PmoGovernanceModel, model)
        except NotFoundError:
            raise NotFoundError(
                f"the demo needs the {model!r} governance model: enable plugin 'governance' "
                "(pmo-governance) in the workspace"
            ) from None
    return _Lifecycle(methodology, phases, artifacts, into)


def _delivery_available(ws: Workspace) -> bool:
    """Whether the agile teams can be built: every methodology they follow is registered."""
    names = {m.name for m in ws.host.records(PmoMethodology)}
    return set(DELIVERY_METHODOLOGIES.values()) <= names


def check_actor(actor: str) -> None:
    """Refuse to build as one of the demo's approvers: the week's change request is raised by
    the acting user, who may not approve it, and the demo's sponsors and PMO approve it.

    Example::

        check_actor("Pat Doe")      # fine
        check_actor("Lee Chen")     # InvalidInputError: act as someone else
    """
    approving = {" ".join(p.split()).casefold() for p in (*_SPONSORS, _PMO_GATEKEEPER)}
    if " ".join(actor.split()).casefold() in approving:
        raise InvalidInputError(
            f"the demo's decisions are approved by its sponsors and PMO, so {actor} cannot "
            "be the one acting: act as someone else",
            where="--as / PMO_USER",
        )


def _approver_roles(ws: Workspace, model: str) -> tuple[str, ...]:
    """The roles that approve a gate under ``model``; the sponsor when it is not installed."""
    try:
        rule = ws.host.record(PmoGovernanceModel, model).approval_rule("go")
    except NotFoundError:
        return ("sponsor",)
    return rule.roles if rule is not None else ("sponsor",)


def _gate_dates(start: date, today: date, count: int) -> list[date]:
    """``count`` increasing dates before ``today``: evenly from the start, at least a week apart.

    A project not started yet (or only just) passed its early gates before its start.
    """
    first = min(start, today - timedelta(days=7 * (count + 1)))
    span = (today - first).days
    return [first + timedelta(days=span * (k + 1) // (count + 1)) for k in range(count)]


def _gate_history(
    ws: Workspace,
    lifecycle: _Lifecycle,
    plans: dict[str, tuple[date, date, Decimal, str, str | None]],
    sponsors: dict[str, str],
    parents: dict[str, str],
) -> list[GateDecision]:
    """One ``go`` per gate each project passed, approved as its governance model asks.

    :data:`SKIPPED_GATE_PROJECT` lacks the decision of the gate into execution: it was moved
    into its phase directly, which the governance rule ``phase-reached-by-gate`` reports.
    """
    today = ws.today()
    models = {key: model for key, _, model, _ in _PORTFOLIOS}
    models.update({key: model or models[pf] for key, _, pf, model in _PROGRAMS})
    phases = lifecycle.phases
    decisions: list[GateDecision] = []
    for key, (start, _finish, _budget, phase, sponsor) in plans.items():
        passed = [
            g
            for g in lifecycle.methodology.gates
            if phases.index(g.entering) <= phases.index(phase)
        ]
        # A project without a sponsor had its early gates approved by its parent's sponsor
        # (who is not the project's sponsor in the approval matrix: the gap the gate into
        # execution of BLOCKED_PROJECT reports).
        people = {
            "sponsor": sponsor or sponsors[parents[key]],
            "pmo": _PMO_GATEKEEPER,
            "portfolio-board": _BOARD_MEMBER,
        }
        roles = _approver_roles(ws, models[parents[key]])
        for gate, decided_on in zip(passed, _gate_dates(start, today, len(passed)), strict=True):
            if key == SKIPPED_GATE_PROJECT and gate.name == lifecycle.into_execution.name:
                continue
            decisions.append(
                GateDecision(
                    entity=key,
                    gate=gate.name,
                    decision="go",
                    criteria=tuple(
                        CriterionResult(name=c.name, level=c.level, passed=True, note=c.summary)
                        for c in gate.criteria
                    ),
                    approvals=tuple(
                        Approval(
                            approver=people.get(role, f"{role.capitalize()} board"),
                            role=role,
                            approve=True,
                            decided_on=decided_on,
                        )
                        for role in roles
                    ),
                    decided_on=decided_on,
                    decided_by=_PMO_OFFICE,
                    next_phase=gate.entering,
                )
            )
    return decisions


def _money(amount: Decimal | float | int) -> Money:
    return Money(amount=Decimal(str(amount)).quantize(Decimal("0.01")), currency="EUR")


def _rag_of(index: float) -> Rag:
    # The reporters' own reading of an index: amber down to 0.85, where the figures (FEMA's
    # thresholds) say red below 0.90. Between the two a report is amber over red.
    return Rag.GREEN if index >= 0.95 else (Rag.AMBER if index >= 0.85 else Rag.RED)


#: Progress is reported weekly, on the status date's weekday; things were a little better
#: earlier on (the indices drift down by this much a week up to the status date).
_WEEKLY_DRIFT = 0.015


def _history(
    start: date,
    due: date,
    today: date,
    health: _Health,
    pace: float,
    spend: float,
    budget: Decimal,
) -> tuple[ProgressPoint, ...]:
    """A work item's weekly progress up to ``today``, its last point today's: the share of
    its span elapsed, done at the project's SPI of that week, costed at its CPI of that week."""
    points: list[ProgressPoint] = []
    weeks = max((today - start).days // 7, 0)
    done = 0.0
    for ago in range(weeks, -1, -1):
        on = today - timedelta(days=7 * ago)
        planned = min(max((on - start).days / max((due - start).days, 1), 0.0), 1.0)
        drift = ago * _WEEKLY_DRIFT
        spi, cpi = min(health.spi + drift, 1.0), min(health.cpi + drift, 1.0)
        pct = max(round(min(planned * spi * 100 * pace, 100.0), 1), done)
        if pct <= 0:
            continue
        done = pct
        cost = budget * Decimal(str(pct)) / 100 / Decimal(str(cpi * spend))
        points.append(ProgressPoint(on=on, percent=pct, actual_cost=_money(cost)))
    return tuple(points)


#: The projects whose reporters explain an amber over the figures' red with a reason, per
#: dimension; the other amber-over-red reports are left as the watermelons the demo shows.
OVERRIDE_REASONS: dict[str, dict[str, str]] = {
    "INTRANET": {
        "cost": "Three years of hosting prepaid in November at a 20 % discount; CPI recovers "
        "as the months are used",
        "overall": "Only the cost index is red, and the prepayment explains it; the budget at "
        "completion holds",
    },
    "WMS": {
        "cost": "Scanners bought early for all three warehouses; their value is earned as "
        "each site goes live",
        "overall": "Cost is red only by the early hardware purchase; the forecast stays within "
        "the budget",
    },
}


def _overrides(
    key: str,
    schedule: str | None,
    cost: str | None,
    dimensions: dict[str, Rag],
    overall: Rag,
) -> tuple[RagOverride, ...]:
    """The overrides of a latest report: for the projects of :data:`OVERRIDE_REASONS`, each
    colour reported better than the figures', with its reason."""
    reasons = OVERRIDE_REASONS.get(key, {})
    computed = {
        "schedule": schedule,
        "cost": cost,
        "overall": Rag.worst(tuple(Rag(c) for c in (schedule, cost) if c is not None)),
    }
    shown = {"schedule": dimensions["schedule"], "cost": dimensions["cost"], "overall": overall}
    out: list[RagOverride] = []
    for dimension, reason in reasons.items():
        figures = computed[dimension]
        if figures is not None and Rag(figures).severity > shown[dimension].severity:
            out.append(
                RagOverride(
                    dimension=dimension,
                    computed=Rag(figures),
                    manual=shown[dimension],
                    reason=reason,
                )
            )
    return tuple(out)


def build_demo(ws: Workspace, progress: Progress | None = None) -> dict[str, Any]:
    """Fill ``ws`` with a deterministic sample PMO; returns what it built.

    Two portfolios (directive and controlling governance), four programs (one overriding its
    portfolio's model with supportive), 25 projects across the stage-gate phases with
    budgets, milestones, work items whose earned value makes some projects green, some amber
    and some red, baselines, approved artifacts, a ``go`` gate decision for every gate
    passed, RAID logs (some high risks without an owner) and several weeks of status history
    (some stale). When the ``scrum`` and ``kanban`` methodologies are registered, a Scrum
    team and a Kanban team join the stage-gate projects, and the PMO records its own cost
    and stakeholder surveys (see :mod:`pmo_demo._delivery`); ``delivery`` says what they
    are. When the ``resources``, ``benefits`` and ``knowledge`` plugins are enabled, the
    registers join them (see :mod:`pmo_demo._registers`): a resource pool with one
    over-allocated role-month, a benefits register with a benefit at risk and one of a
    closed project, and a lessons library (the idea applies one lesson after the week, the
    other stays advice in its gate check); ``registers`` says what they hold. When the
    ``strategy`` plugin is enabled, objectives, a pipeline of proposals and two saved
    selection scenarios follow the week (see :mod:`pmo_demo._strategy`); ``strategy`` says
    what they are and what Base and Growth chose. ``counts`` counts the history, not the
    pipeline's proposals.
    :data:`BLOCKED_PROJECT` is blocked at the gate into execution: no sponsor and no approved
    business case. :data:`SKIPPED_GATE_PROJECT` was moved into execution without that
    gate's decision. Child records go in one transaction per record kind. The PMO (Lee
    Chen, role ``pmo``) and a portfolio board member hold their roles on both portfolios, so
    the history's gate approvals are held as the approval matrix asks.

    Then a week is taken live through the Workspace API, each step a decision the
    governance model authorises, journaled with the workspace's actor:
    the idea ``EV-FLEET`` goes from proposed to execution through its gates (the PMO waives
    its project plan at the gate into execution), a change request takes baseline 1 of
    ``ENERGY``, a forecast of ``BADGES`` beyond its time tolerance raises an exception
    escalated to its program, and ``TMS`` is killed, leaving the live totals. ``counts``
    counts the history; ``week`` says what the week did (the ids of the waiver, the change
    request and the exception's issue are new on every build).

    ``ws`` must have the ``stage-gate`` methodology (plugin ``stage-gate`` enabled), and
    pmo-governance must be installed (enable plugin ``governance`` too, for the governance
    models and rules the story is about); otherwise a :class:`~pmo_core.NotFoundError` says
    what is missing, before anything is written. The acting user raises the week's change
    request, so it cannot be one of the demo's sponsors or its PMO, who approve it
    (:class:`~pmo_core.InvalidInputError`, before anything is written).
    ``progress(done, total)`` is called after each step. The data depend only on the
    workspace's status date (:meth:`~pmo_core.Workspace.today`) and the methodology.

    Example::

        from pmo_core import Workspace
        from pmo_demo import build_demo

        with Workspace.init(tmp_path / "demo", profile="controlling") as ws:
            built = build_demo(ws)
            built["counts"]["project"]  # 25
            built["blocked"]            # 'AI-ASSIST'
            built["week"]["killed"]     # 'TMS'
            ws.baseline(built["week"]["changed"]).number  # 1
    """
    lifecycle = _lifecycle(ws)
    check_actor(ws.actor)
    phases = lifecycle.phases
    gate_artifacts = lifecycle.artifacts
    # The phase before execution: the blocked project waits there, and from there on
    # projects have a baseline (a baseline taken before execution is kept after it).
    before_execution = phases.index(lifecycle.into_execution.leaving)
    rng = random.Random(2026)
    today = ws.today()
    methodology = lifecycle.methodology.name
    agile = _delivery_available(ws)
    registers = bool(enabled_registers(ws))
    strategy = strategy_enabled(ws)
    n_steps = (
        len(_PORTFOLIOS) + len(_PROGRAMS) + len(_PROJECTS) + 8 + WEEK_STEPS + 3 * agile
        + 2 * registers + strategy
    )  # fmt: skip
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, n_steps)

    sponsors: dict[str, str] = {}
    for key, name, model, pf_sponsor in _PORTFOLIOS:
        sponsors[key] = pf_sponsor
        ws.create(
            "portfolio",
            id=key,
            name=name,
            governance_model=model,
            sponsor=pf_sponsor,
            manager=_PMO_OFFICE,
            status="on_track",
            description=f"{name} portfolio ({model} governance).",
        )
        step()
    # The PMO and the board hold their roles on both portfolios, so the gate history's
    # approvals (and the week's decisions) are approvals the matrix counts.
    for key, *_ in _PORTFOLIOS:
        ws.assign_role(key, "pmo", _PMO_GATEKEEPER)
        ws.assign_role(key, "portfolio-board", _BOARD_MEMBER)
    step()
    for key, name, parent, program_model in _PROGRAMS:
        fields: dict[str, Any] = {"governance_model": program_model} if program_model else {}
        sponsors[key] = rng.choice(_SPONSORS)
        ws.create(
            "program",
            id=key,
            name=name,
            parent=parent,
            sponsor=sponsors[key],
            manager=rng.choice(_PEOPLE),
            planned_start=today - timedelta(days=rng.randint(200, 400)),
            status="on_track",
            planned_finish=today + timedelta(days=rng.randint(200, 500)),
            **fields,
        )
        step()

    health: dict[str, _Health] = {}
    managers: dict[str, str] = {}
    plans: dict[str, tuple[date, date, Decimal, str, str | None]] = {}
    for i, (key, name, parent) in enumerate(_PROJECTS):
        blocked = key == BLOCKED_PROJECT
        start = today + timedelta(days=rng.randint(-330, 45))
        finish = start + timedelta(days=rng.randint(150, 480))
        budget = Decimal(rng.randrange(80_000, 2_400_000, 5_000))
        elapsed = (today - start).days / max((finish - start).days, 1)
        # Not started: one of the first two phases; finished: the last one; in between, by
        # elapsed time from the third phase to the one before the last.
        if blocked:
            phase = phases[before_execution]
        elif elapsed < 0:
            phase = phases[rng.randint(0, 1)]
        elif elapsed > 1:
            phase = phases[-1]
        else:
            phase = phases[min(2 + int(elapsed * (len(phases) - 3)), len(phases) - 2)]
        h = rng.choices(
            [_Health("green", 1.0, 1.0), _Health("amber", 0.9, 0.88), _Health("red", 0.75, 0.78)],
            weights=[55, 30, 15],
        )[0]
        health[key] = h
        started = elapsed > 0
        status = (
            {"green": "on_track", "amber": "at_risk", "red": "off_track"}[h.rag]
            if started
            else "not_started"
        )
        manager = _PEOPLE[i % len(_PEOPLE)]
        sponsor: str | None = None if key in _NO_SPONSOR else rng.choice(_SPONSORS)
        ws.create(
            "project",
            id=key,
            name=name,
            parent=parent,
            sponsor=sponsor,
            manager=manager,
            budget=_money(budget),
            planned_start=start,
            planned_finish=finish,
            actual_start=start if started else None,
            phase=phase,
            status=status,
            tier=rng.choice((1, 2, 2, 3, 3)),
            methodology=methodology,
            description=f"{name}.",
        )
        plans[key] = (start, finish, budget, phase, sponsor)
        managers[key] = manager
        step()

    # Milestones, work items, baselines: the plan and its progress.
    milestones: list[Milestone] = []
    items: list[WorkItem] = []
    baselines: list[Baseline] = []
    for key, (start, finish, budget, phase, _) in plans.items():
        span = (finish - start).days
        for j, title in enumerate(_MILESTONES):
            due = start + timedelta(days=span * (j + 1) // 4 if j < 2 else span)
            reached = due <= today and health[key].rag != "red"
            milestones.append(
                Milestone(
                    project=key,
                    name=title,
                    due=due,
                    status="closed" if reached else "open",
                    completed_on=due if reached else None,
                )
            )
        n = rng.randint(4, 7)
        weights = [rng.randint(1, 4) for _ in range(n)]
        total = sum(weights)
        allotted = Decimal(0)
        h = health[key]
        planned_items: list[WorkItem] = []
        for j in range(n):
            a = start + timedelta(days=span * j // n)
            b = start + timedelta(days=span * (j + 1) // n)
            # Whole euros, with the last item taking the remainder, so items sum to the BAC.
            if j < n - 1:
                item_budget = (budget * weights[j] / total).quantize(Decimal("1"))
            else:
                item_budget = budget - allotted
            allotted += item_budget
            pace, spend = rng.uniform(0.97, 1.03), rng.uniform(0.98, 1.02)
            history = _history(a, b, today, h, pace, spend, item_budget)
            pct = history[-1].percent if history else 0.0
            actual = item_budget * Decimal(str(pct)) / 100 / Decimal(str(h.cpi * spend))
            planned_items.append(
                WorkItem(
                    project=key,
                    subject=f"{_WORK[j % len(_WORK)]}",
                    start=a,
                    due=b,
                    work=float(weights[j] * 80),
                    remaining=float(weights[j] * 80) * (1 - pct / 100),
                    percent_complete=pct,
                    status="closed" if pct >= 100 else ("in_progress" if pct > 0 else "open"),
                    assignee=rng.choice(_PEOPLE),
                    budget=_money(item_budget),
                    actual_cost=_money(actual) if pct > 0 else None,
                    progress=history,
                )
            )
        items += planned_items
        # Execution needs a baseline (the gate into it checks one): projects from the phase
        # before execution on have one, except the blocked project, which has not taken it
        # yet, and HQ-MOVE, which lacks one, so a rule warns.
        index = phases.index(phase)
        wants = index > before_execution or (index == before_execution and key != BLOCKED_PROJECT)
        if wants and key != "HQ-MOVE":
            baselines.append(
                Baseline(
                    project=key,
                    number=0,
                    name="Approved plan",
                    taken_on=min(start, today),
                    planned_start=start,
                    planned_finish=finish,
                    work=sum(w.work or 0.0 for w in planned_items),
                    cost=_money(budget),
                    # The work items as planned, so a comparison and the scope tolerance
                    # measure against them.
                    items=tuple(
                        BaselineItem(
                            work_item=w.id,
                            subject=w.subject,
                            planned_start=w.start,
                            planned_finish=w.due,
                            work=w.work,
                            cost=w.budget,
                        )
                        for w in planned_items
                    ),
                )
            )
    ws.add_many(milestones, command="demo milestones")
    step()
    ws.add_many(items, command="demo work items")
    step()
    if baselines:
        ws.add_many(baselines, command="demo baselines")
    step()

    # Artifacts: approved for every gate passed (on the day of its decision), and (for most)
    # for the next one too, since then.
    artifacts: list[Artifact] = []
    for key, (start, _finish, _budget, phase, _) in plans.items():
        index = phases.index(phase)
        dates = _gate_dates(start, today, index)
        since = dates[-1] if dates else min(start, today)
        for k, leaving in enumerate(phases[:-1]):
            names = gate_artifacts.get(leaving, ())
            passed = k < index
            next_gate = k == index
            for art in names:
                if key == BLOCKED_PROJECT and next_gate:
                    artifacts.append(
                        Artifact(entity=key, name=art, title=f"{art} (draft)", status="draft")
                    )
                elif passed or (next_gate and rng.random() < 0.7):
                    halfway = timedelta(days=(today - since).days // 2)
                    approved_on = dates[k] if passed else since + halfway
                    artifacts.append(
                        Artifact(
                            entity=key,
                            name=art,
                            title=art.replace("-", " ").capitalize(),
                            status="approved",
                            approved_on=approved_on,
                            approved_by=plans[key][4] or _PMO_OFFICE,
                            location=f"https://wiki.example.com/{key.lower()}/{art}",
                        )
                    )
    if artifacts:
        ws.add_many(artifacts, command="demo artifacts")
    step()

    # Gate history: how each project reached its phase (one transaction).
    parents = {key: parent for key, _name, parent in _PROJECTS}
    decisions = _gate_history(ws, lifecycle, plans, sponsors, parents)
    if decisions:
        ws.add_many(decisions, command="demo gate decisions")
    step()
    # RAID: risks (some high and unowned), issues, actions, decisions.
    raid: list[RaidItem] = []
    unowned_high = 0
    for key, (start, _finish, _budget, _phase, _) in plans.items():
        for title, p, imp in rng.sample(_RISKS, rng.randint(1, 3)):
            high = p * imp >= 15 or imp == 5
            owner = rng.choice(_PEOPLE)
            if high and unowned_high < 3 and key != "CRM-UPGRADE":
                owner = ""
                unowned_high += 1
            closed = rng.random() < 0.15
            raid.append(
                RaidItem(
                    type="risk",
                    entity=key,
                    title=title,
                    probability=p,
                    impact=imp,
                    owned_by=owner,
                    raised_on=min(today, start + timedelta(days=rng.randint(0, 60))),
                    response="Mitigation plan in the risk register." if owner else None,
                    status="closed" if closed else "open",
                    closed_on=today - timedelta(days=rng.randint(1, 20)) if closed else None,
                )
            )
        if health[key].rag != "green":
            title, imp = rng.choice(_ISSUES)
            raid.append(
                RaidItem(
                    type="issue",
                    entity=key,
                    title=title,
                    impact=imp,
                    owned_by=rng.choice(_PEOPLE),
                    raised_on=today - timedelta(days=rng.randint(5, 40)),
                    due=today + timedelta(days=rng.randint(3, 30)),
                )
            )
        if rng.random() < 0.4:
            raid.append(
                RaidItem(
                    type="action",
                    entity=key,
                    title="Update the benefits forecast",
                    owned_by=rng.choice(_PEOPLE),
                    due=today + timedelta(days=rng.randint(-5, 21)),
                )
            )
    raid.append(
        RaidItem(
            type="decision",
            entity="DIGITAL",
            title="Every AI initiative needs a PMO-approved business case",
            decided_by="Portfolio board",
            decided_on=today - timedelta(days=30),
            status="closed",
            closed_on=today - timedelta(days=30),
        )
    )
    raid.append(
        RaidItem(
            type="dependency",
            entity="SUPPLY",
            title="WMS go-live depends on the ERP finance module",
            depends_on="ERP-FINANCE",
            needed_by=today + timedelta(days=60),
            owned_by="Sam Roe",
        )
    )
    ws.add_many(raid, command="demo raid")
    step()

    # Status history: a report every two weeks, on the day progress is reported; some
    # projects have gone quiet. Each report reads its day's figures as its reporter does.
    reports: list[StatusReport] = []
    stale = set(rng.sample([k for k, p in plans.items() if p[0] < today - timedelta(days=90)], 4))
    view = ws.view()
    for key, (start, _finish, _budget, _phase, _) in plans.items():
        if start > today:
            continue
        h = health[key]
        quiet = rng.randint(45, 80) if key in stale else rng.randint(0, 6)
        last = today - timedelta(days=quiet // 7 * 7)
        count = rng.randint(2, 6)
        for r in range(count):
            as_of = last - timedelta(days=14 * (count - 1 - r))
            if as_of < start:
                continue
            figures = measure_project(view, key, status_date=as_of)
            spi, cpi = figures.value("spi"), figures.value("cpi")
            drift = (today - as_of).days // 7 * _WEEKLY_DRIFT
            schedule = _rag_of(float(spi) if spi is not None else min(h.spi + drift, 1.0))
            cost = _rag_of(float(cpi) if cpi is not None else min(h.cpi + drift, 1.0))
            dimensions = {
                "schedule": schedule,
                "cost": cost,
                "scope": Rag.GREEN,
                "resources": Rag(rng.choice(("green", "green", "amber"))),
                "risk": Rag.AMBER if Rag.worst((schedule, cost)) is not Rag.GREEN else Rag.GREEN,
            }
            overall = Rag.worst(tuple(dimensions.values())) or Rag.GREEN
            overrides = (
                _overrides(key, figures.schedule, figures.cost, dimensions, overall)
                if r == count - 1
                else ()
            )
            reports.append(
                StatusReport(
                    entity=key,
                    as_of=as_of,
                    overall=overall,
                    dimensions=dimensions,
                    summary=rng.choice(_SUMMARIES[overall.value]),
                    author=managers[key],
                    overrides=overrides,
                )
            )
    for key, _name, _parent, _model in _PROGRAMS:
        reports.append(
            StatusReport(
                entity=key,
                as_of=today - timedelta(days=rng.randint(1, 10)),
                overall=Rag(rng.choice(("green", "amber"))),
                summary="Program status from the monthly review.",
                author=_PMO_OFFICE,
            )
        )
    ws.add_many(reports, command="demo status reports")
    step()

    # Agile teams beside the stage-gate projects, and the PMO's own records, when the Scrum
    # and Kanban methodologies are enabled (pmo demo enables them).
    delivery = build_delivery(ws, rng, step) if agile else {}

    # The resource pool, the benefits register (with a closed project's benefit) and the
    # lessons library, when their plugins are enabled (pmo demo enables them).
    held = build_registers(ws) if registers else {}
    if registers:
        step()

    # The week, live: each step a decision the governance model authorises.
    week = run_week(ws, lifecycle.methodology, lifecycle.into_execution, step)
    if registers:
        # The idea took one lesson of a similar project into its plan; the other stays
        # advice in its gate check.
        held["applied"] = apply_idea_lesson(ws, held, week["idea"])
        step()
    # Objectives, the next round of proposals and the board's scenarios, when the strategy
    # plugin is enabled (pmo demo enables it): after the week, so the idea is committed.
    chosen = build_strategy(ws) if strategy else {}
    if strategy:
        step()

    view = ws.view()
    counts = {
        "portfolio": len(_PORTFOLIOS),
        "program": len(_PROGRAMS),
        "project": len(_PROJECTS)
        + (len(DELIVERY_METHODOLOGIES) if delivery else 0)
        + (1 if "closed" in held else 0),
        "milestone": len(milestones),
        "work_item": len(items),
        "baseline": len(baselines),
        "artifact": len(artifacts),
        "gate_decision": len(decisions),
        "raid": len(raid),
        "status_report": len(reports),
    }
    return {
        "portfolios": [p[0] for p in _PORTFOLIOS],
        "programs": [p[0] for p in _PROGRAMS],
        "projects": [p[0] for p in _PROJECTS],
        "blocked": BLOCKED_PROJECT,
        "skipped_gate": SKIPPED_GATE_PROJECT,
        "methodology": methodology,
        "health": {k: h.rag for k, h in health.items()},
        "stale": sorted(stale),
        "counts": counts,
        "as_of": view.status_date.isoformat(),
        "week": week,
        "delivery": delivery,
        "registers": held,
        "strategy": chosen,
    }
