"""The demo's week: after the history built in bulk, five working days of the PMO taken live
through the public :class:`~pmo_core.Workspace` API, so every step is a decision that the
governance model in force authorises (the approval matrix, the roles held, the gate checks)
and that the journal records with the workspace's actor.

Under the controlling ``OPS`` portfolio: an idea goes from proposal to execution through its
gates (the PMO waives one must criterion at the gate into execution), a change request
re-baselines a project, a forecast beyond tolerance raises an exception escalated to the
program, and a project is killed, leaving the portfolio's live totals. Names are fixed, the
dates follow the workspace's status date (:meth:`~pmo_core.Workspace.today`), and the
lifecycle (gates, the artifacts they name) is read from the methodology's records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import Baseline, Money, PmoError, PmoGate, PmoMethodology, RaidItem

if TYPE_CHECKING:
    from pmo_core import Workspace

#: The idea that goes from proposal to execution this week.
IDEA_PROJECT = "EV-FLEET"
#: The project in execution whose change request takes baseline 1.
CHANGED_PROJECT = "ENERGY"
#: The project whose forecast slips beyond the time tolerance.
EXCEPTION_PROJECT = "BADGES"
#: The project killed at its next gate.
KILLED_PROJECT = "TMS"

_IDEA_NAME = "Electric delivery fleet"
_IDEA_PARENT = "SUPPLY"
_IDEA_SPONSOR = "Marcus Webb"
_IDEA_MANAGER = "Grace Okafor"
_IDEA_BUDGET = Decimal(640_000)
# (subject, share of the budget in %, first and last week of the plan)
_IDEA_WORK = (
    ("Vehicle selection and order", 45, 0, 10),
    ("Depot charging infrastructure", 30, 6, 30),
    ("Driver training", 10, 26, 40),
    ("Fleet rollout", 15, 36, 52),
)
# (name, week of the plan it is due)
_IDEA_MILESTONES = (("Vehicles ordered", 10), ("Chargers live", 30), ("Fleet in service", 52))


@dataclass(frozen=True)
class _Week:
    """The working days of the week ending on the status date."""

    today: date

    def day(self, n: int) -> date:
        """Day ``n`` of the week (0 is Monday's place, 4 the status date)."""
        return self.today - timedelta(days=4 - n)


def _same(a: str, b: str) -> bool:
    # Two spellings of one person: case and spacing do not count (as the approval matrix
    # compares them).
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def approvers(
    ws: Workspace,
    entity: str,
    decision: str,
    *,
    size: Decimal = Decimal(0),
    requester: str | None = None,
) -> list[str]:
    """Who approves ``decision`` on ``entity``, read from its approval matrix: for each role
    the rule requires, then for its other roles up to the quorum, the first person holding
    it there (``"Name (role)"``), never ``requester`` when the rule bars the requester.

    Example::

        approvers(ws, "EV-FLEET", "go")  # ['Marcus Webb (sponsor)', 'Lee Chen (pmo)']
    """
    rows = [r for r in ws.approval_matrix(entity) if r.decision == decision and r.at_least <= size]
    if not rows:
        return []
    row = max(rows, key=lambda r: r.at_least)
    rule = row.rule
    if rule is None:
        return []
    barred = requester if rule.not_requester else None
    chosen: list[tuple[str, str]] = []

    def pick(role: str) -> bool:
        for holder in row.holders:
            if (
                holder.role == role
                and not any(_same(holder.person, person) for person, _ in chosen)
                and not (barred and _same(holder.person, barred))
            ):
                chosen.append((holder.person, role))
                return True
        return False

    for role in rule.required:
        if not pick(role):
            but = f" but {barred}, who asked" if barred else ""
            raise PmoError(
                f"the demo's week needs someone holding {role!r} for {entity} to approve a "
                f"{decision} ({row.describe()}); nobody does{but}"
            )
    for role in rule.roles:
        if len(chosen) >= rule.quorum:
            break
        if role not in rule.required:
            pick(role)
    if len(chosen) < rule.quorum:
        raise PmoError(
            f"the demo's week cannot find {rule.quorum} people to approve a {decision} on "
            f"{entity} ({row.describe()})"
        )
    return [f"{person} ({role})" for person, role in chosen]


def _change_size(change: RaidItem, baseline: Baseline) -> Decimal:
    """The size that picks the change's band of the approval matrix: the larger of its cost
    impact as a share of the baselined budget and its schedule impact as a share of the
    baselined duration (as pmo-core measures it when approving)."""
    sizes = [Decimal(0)]
    if change.cost_impact is not None and baseline.cost is not None and baseline.cost.amount:
        sizes.append(abs(change.cost_impact.amount) / baseline.cost.amount)
    if change.schedule_impact_days and baseline.planned_start and baseline.planned_finish:
        days = (baseline.planned_finish - baseline.planned_start).days
        if days > 0:
            sizes.append(Decimal(abs(change.schedule_impact_days)) / days)
    return max(sizes)


def _money(amount: Decimal) -> Money:
    return Money(amount=amount.quantize(Decimal("0.01")), currency="EUR")


def _idea(
    ws: Workspace, week: _Week, methodology: PmoMethodology, into_execution: PmoGate
) -> dict[str, Any]:
    """The idea: proposed, then through every gate up to execution, each artifact its gate
    names submitted (by the acting user) and approved as the matrix asks, except one at the
    gate into execution, which the PMO waives until the plan is approved."""
    phases = [p.name for p in methodology.phases]
    start = ws.today() + timedelta(days=14)
    ws.create(
        "project",
        id=IDEA_PROJECT,
        name=_IDEA_NAME,
        parent=_IDEA_PARENT,
        sponsor=_IDEA_SPONSOR,
        manager=_IDEA_MANAGER,
        budget=_money(_IDEA_BUDGET),
        planned_start=start,
        planned_finish=start + timedelta(weeks=52),
        phase=phases[0],
        status="not_started",
        lifecycle="proposed",
        tier=2,
        methodology=methodology.name,
        description="Replace the diesel delivery vans with electric ones.",
        # Tagged by what it is about, so the lessons of similar projects find it.
        tags=("idea", "vendor", "electrification"),
    )
    gates = [
        g
        for g in methodology.gates
        if phases.index(g.entering) <= phases.index(into_execution.entering)
    ]
    # The gate into execution waits for its last artifact (the project plan in stage-gate):
    # the PMO lets that criterion pass by a waiver, with a reason and an expiry.
    waived = next(
        (c for c in reversed(into_execution.criteria) if c.artifact and c.level == "must"), None
    )
    if waived is None:
        raise PmoError(
            f"gate {into_execution.name} of methodology {methodology.name!r} names no artifact "
            "in a must criterion; the demo's week waives one"
        )
    # One day per gate, the gate into execution on the status date.
    days = [week.day(4 - (len(gates) - 1 - k) * 2) for k in range(len(gates))]
    waiver_id = ""
    for gate, day in zip(gates, days, strict=True):
        into = gate.name == into_execution.name
        prepared = day - timedelta(days=1) if into else day
        for criterion in gate.criteria:
            if not criterion.artifact:
                continue
            art = criterion.artifact
            ws.submit_artifact(
                IDEA_PROJECT,
                art,
                title=f"{_IDEA_NAME}: {art.replace('-', ' ')}",
                location=f"https://wiki.example.com/{IDEA_PROJECT.lower()}/{art}",
                on=prepared,
            )
            if not (into and criterion.name == waived.name):
                ws.approve_artifact(
                    IDEA_PROJECT,
                    art,
                    approvers=approvers(ws, IDEA_PROJECT, "artifact", requester=ws.actor),
                    on=prepared,
                )
        if into:
            waiver_id = _plan(ws, start, prepared, waived.name, day)
        ws.decide_gate(
            IDEA_PROJECT,
            "go",
            gate=gate.name,
            approvers=approvers(ws, IDEA_PROJECT, "go"),
            comment=f"{gate.name}: go",
            decided_on=day,
        )
    return {
        "idea": IDEA_PROJECT,
        "gates": [g.name for g in gates],
        "waived": waived.name,
        "waived_gate": into_execution.name,
        "waiver": waiver_id,
    }


def _plan(ws: Workspace, start: date, prepared: date, criterion: str, day: date) -> str:
    """Before the gate into execution: milestones, work items and baseline 0, and the
    waiver of ``criterion``; returns the waiver's id."""
    for name, week in _IDEA_MILESTONES:
        ws.add_milestone(IDEA_PROJECT, name, due=start + timedelta(weeks=week))
    allotted = Decimal(0)
    for k, (subject, share, first, last) in enumerate(_IDEA_WORK):
        budget = _IDEA_BUDGET * share / 100 if k < len(_IDEA_WORK) - 1 else _IDEA_BUDGET - allotted
        allotted += budget
        ws.add_work_item(
            IDEA_PROJECT,
            subject,
            start=start + timedelta(weeks=first),
            due=start + timedelta(weeks=last),
            work=float(share * 40),
            budget=_money(budget),
            assignee=_IDEA_MANAGER,
        )
    ws.take_baseline(IDEA_PROJECT, name="Approved at the gate into execution", on=prepared)
    waiver = ws.grant_waiver(
        IDEA_PROJECT,
        "criterion",
        criterion,
        reason="The plan waits for the charger vendor's delivery dates; the sponsor accepted "
        "the draft, and the baseline is taken",
        expires_on=day + timedelta(weeks=4),
        approvers=approvers(ws, IDEA_PROJECT, "waiver", requester=_IDEA_MANAGER),
        requested_by=_IDEA_MANAGER,
        on=day,
    )
    return waiver.id


def _change(ws: Workspace) -> dict[str, Any]:
    """A change request on a project in execution: raised by the acting user, assessed,
    approved by the approvers its size band needs (never its requester), which takes the
    next baseline."""
    baseline = ws.baseline(CHANGED_PROJECT)
    if baseline.cost is None or baseline.planned_finish is None:
        raise PmoError(f"the demo's week needs a baselined budget and finish on {CHANGED_PROJECT}")
    budget = (baseline.cost.amount * Decimal("1.12")).quantize(Decimal(1000))
    finish = baseline.planned_finish + timedelta(weeks=6)
    change = ws.raise_change(
        CHANGED_PROJECT,
        "Heat pumps for the warehouse",
        budget=_money(budget),
        finish=finish,
        scope="Replace the warehouse boilers with heat pumps",
        description="The energy audit found the boilers at the end of their life.",
    )
    ws.assess_change(change.id, comment="Installer quote received; lead time six weeks")
    # The new scope is planned before the approval, so the baseline it takes holds it.
    ws.add_work_item(
        CHANGED_PROJECT,
        "Heat pumps",
        start=finish - timedelta(weeks=10),
        due=finish,
        work=320.0,
        budget=_money(budget - baseline.cost.amount),
    )
    assessed = ws.change_request(change.id)
    approved = ws.approve_change(
        change.id,
        approvers=approvers(
            ws,
            CHANGED_PROJECT,
            "change",
            size=_change_size(assessed, baseline),
            requester=assessed.requested_by,
        ),
        comment="Funded from the sustainability reserve",
    )
    return {"changed": CHANGED_PROJECT, "change": approved.id, "baseline": approved.baseline_number}


def _exception(ws: Workspace) -> dict[str, Any]:
    """A forecast finish beyond the time tolerance: the exception is raised at once, an issue
    escalated to the project's program."""
    project = ws.get(EXCEPTION_PROJECT)
    if project.planned_start is None or project.planned_finish is None or project.budget is None:
        raise PmoError(f"the demo's week needs planned dates and a budget on {EXCEPTION_PROJECT}")
    before = {r.id for r in ws.raid_log(EXCEPTION_PROJECT, type="issue")}
    duration = (project.planned_finish - project.planned_start).days
    ws.set_forecast(
        EXCEPTION_PROJECT,
        eac=project.budget,
        finish=project.planned_finish + timedelta(days=duration // 5),
        reason="Chip shortage at the badge supplier: readers ship eleven weeks late",
    )
    raised = [
        r
        for r in ws.raid_log(EXCEPTION_PROJECT, type="issue")
        if r.id not in before and r.entity == EXCEPTION_PROJECT and r.escalations
    ]
    if len(raised) != 1:
        raise PmoError(
            f"the forecast of {EXCEPTION_PROJECT} should raise one exception under the "
            f"governance in force, it raised {len(raised)}"
        )
    (issue,) = raised
    return {
        "exception": issue.id,
        "exception_project": EXCEPTION_PROJECT,
        "escalated_to": issue.escalations[-1].to_entity,
    }


def _kill(ws: Workspace, week: _Week) -> dict[str, Any]:
    """A project killed at its next gate with the approval the matrix asks for a kill."""
    ws.decide_gate(
        KILLED_PROJECT,
        "kill",
        approvers=approvers(ws, KILLED_PROJECT, "kill"),
        comment="The carriers' own platforms cover transport planning: no case for our own",
        decided_on=week.day(2),
    )
    return {"killed": KILLED_PROJECT}


#: How many steps :func:`run_week` reports to its ``step`` callback.
WEEK_STEPS = 4


def run_week(
    ws: Workspace,
    methodology: PmoMethodology,
    into_execution: PmoGate,
    step: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Take the demo's week on ``ws`` (after the history): the idea, the change request, the
    exception and the kill, each through the Workspace API, calling ``step()`` after each;
    returns what happened.

    Example::

        week = run_week(ws, methodology, into_execution)
        week["idea"], week["baseline"], week["killed"]  # ('EV-FLEET', 1, 'TMS')
    """
    week = _Week(ws.today())
    out: dict[str, Any] = {"from": week.day(0).isoformat(), "to": week.day(4).isoformat()}
    out |= _idea(ws, week, methodology, into_execution)
    step()
    out |= _change(ws)
    step()
    out |= _exception(ws)
    step()
    out |= _kill(ws, week)
    step()
    return out
