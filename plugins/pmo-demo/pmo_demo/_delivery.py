"""The demo's agile delivery and the PMO's own records: a Scrum team, a Kanban team, and what
the PMO review reads (the PMO's cost, stakeholder surveys, a gate request and its decision).

The stage-gate portfolio of :mod:`pmo_demo._build` is predictive; real PMOs run agile teams
beside it and roll them up together. :data:`SCRUM_PROJECT` is a Scrum team under the
supportive Customer Experience program, four sprints done and the fifth under way, its
release earning value by story points (pmo-scrum's mapping: ``EV = BAC x done points /
release points``). :data:`KANBAN_PROJECT` is the service desk's Kanban team under the
controlling Workplace program, cards delivered over ten weeks and one column over its WIP
limit, which pmo-kanban's rule ``kanban-wip-limit`` reports. Everything is deterministic for
a given status date.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import (
    Approval,
    Baseline,
    BaselineItem,
    CostEntry,
    CriterionResult,
    GateDecision,
    Money,
    PmoMethodology,
    ProgressPoint,
    Rag,
    RaidItem,
    StatusChange,
    StatusReport,
    WorkItem,
)

if TYPE_CHECKING:
    from pmo_core import Workspace

#: The Scrum team (methodology ``scrum``), under the supportive program CX.
SCRUM_PROJECT = "CHECKOUT"
#: The Kanban team (methodology ``kanban``), under the controlling program WORKPLACE.
KANBAN_PROJECT = "SERVICE-DESK"

#: The methodologies the delivery teams follow, with the plugins that register them.
METHODOLOGIES = {SCRUM_PROJECT: "scrum", KANBAN_PROJECT: "kanban"}

_SPRINT_DAYS = 14
_SPRINTS = 5
_PLANNED_SPRINTS = 9
# Each sprint's stories: (subject, points, outcome). "done" finishes inside the sprint,
# "late" is still in progress when the sprint ends (velocity pays for it).
_STORIES: tuple[tuple[tuple[str, int, str], ...], ...] = (
    (("Basket survives app restart", 3, "done"), ("Guest checkout", 8, "done"),
     ("Address autocomplete", 5, "done"), ("Order summary screen", 3, "done")),
    (("Pay by card", 8, "done"), ("3-D Secure challenge", 5, "done"),
     ("Saved cards", 5, "done"), ("Payment error messages", 2, "done")),
    (("Apple Pay", 8, "done"), ("Google Pay", 8, "late"), ("Receipt e-mail", 3, "done"),
     ("Promo codes", 5, "done")),
    (("Split delivery", 8, "done"), ("Delivery slots", 5, "done"),
     ("Order tracking link", 3, "done"), ("Accessibility fixes", 3, "done")),
    (("Loyalty points at checkout", 8, "done"), ("Gift cards", 5, "in_progress"),
     ("Invoice download", 3, "open"), ("Checkout analytics", 5, "open")),
)  # fmt: skip
_BACKLOG = (
    ("Buy now, pay later", 13), ("Currency switcher", 5), ("Reorder in one tap", 3),
    ("Checkout A/B tests", 5), ("Fraud score on orders", 8), ("Dark mode", 3),
    ("Offline basket", 8), ("Returns in the app", 8),
)  # fmt: skip

_BOARD = (
    ("backlog", None, "Anyone may add a card; the service-request manager orders it weekly."),
    ("ready", 4, "Selected at the weekly replenishment; pulled in order, expedite first."),
    ("in_progress", 3, "Pulled by whoever is free; pair on expedite cards."),
    ("review", 2, "Another agent checks the fix with the requester."),
    ("done", None, "Delivered: the requester confirmed."),
)
_CARDS = (
    "Laptop imaging takes two days", "VPN drops on hotel Wi-Fi", "Shared mailbox for Legal",
    "Printer queue on floor 3", "MFA reset self-service", "New starter kit list",
    "Meeting room displays", "Licence audit for design tools", "Password manager rollout",
    "Phone numbers for the call centre", "Access review for Finance", "Backup of field tablets",
    "Teams phone for reception", "Expired certificate on the intranet", "Onboarding checklist",
    "Guest Wi-Fi vouchers", "Replace the badge printer", "Asset tags for monitors",
    "Self-service software portal", "Mobile device enrolment", "Archive leavers' mailboxes",
    "Headsets for the help desk", "Patch the kiosk PCs", "Knowledge base search",
    "SLA dashboard for the desk", "Retire the fax server", "Calendar room booking rules",
    "Keyboard layouts for Nordic staff",
)  # fmt: skip
_CLASSES = {3: "expedite", 13: "expedite", 9: "fixed-date", 20: "fixed-date", 25: "intangible"}

_SURVEY_GROUPS = (("sponsors", (4, 4, 3)), ("project managers", (3, 4, 3, 4)),
                  ("team members", (3, 3, 4, 2, 4)))  # fmt: skip


def _money(amount: Decimal | int) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def _baseline(project: str, item: WorkItem, stories: list[WorkItem], taken_on: date) -> Baseline:
    assert item.budget is not None
    return Baseline(
        project=project,
        number=0,
        name="Release plan",
        taken_on=taken_on,
        planned_start=item.start,
        planned_finish=item.due,
        cost=item.budget,
        items=(
            BaselineItem(
                work_item=item.id,
                subject=item.subject,
                planned_start=item.start,
                planned_finish=item.due,
                cost=item.budget,
            ),
            *(BaselineItem(work_item=story.id, subject=story.subject) for story in stories),
        ),
    )


def _done_on(history: list[StatusChange]) -> tuple[ProgressPoint, ...]:
    return tuple(ProgressPoint(on=c.on, percent=100) for c in history if c.status == "done")


def _gate_go(
    key: str, methodology: PmoMethodology, gate_name: str, on: date, approver: str
) -> GateDecision:
    gate = next(g for g in methodology.gates if g.name == gate_name)
    return GateDecision(
        entity=key,
        gate=gate.name,
        decision="go",
        criteria=tuple(
            CriterionResult(name=c.name, level=c.level, passed=True, note=c.summary)
            for c in gate.criteria
        ),
        approvals=(Approval(approver=approver, role="sponsor", approve=True, decided_on=on),),
        decided_on=on,
        decided_by=approver,
        next_phase=gate.entering,
    )


def _scrum_team(ws: Workspace, today: date, rng: random.Random) -> dict[str, Any]:
    from pmo_scrum import SCRUM, ScrumFields, Sprint

    start = today - timedelta(days=_SPRINT_DAYS * (_SPRINTS - 1) + 7)
    finish = start + timedelta(days=_SPRINT_DAYS * _PLANNED_SPRINTS - 1)
    budget = Decimal(270_000)
    sponsor = "Sofia Alvarez"
    ws.create(
        "project",
        id=SCRUM_PROJECT,
        name="Mobile checkout squad",
        parent="CX",
        sponsor=sponsor,
        manager="Aiko Tanaka",
        budget=_money(budget),
        planned_start=start,
        planned_finish=finish,
        actual_start=start,
        phase="delivery",
        status="on_track",
        tier=2,
        methodology="scrum",
        description="A Scrum team rebuilding checkout in the customer app, sprint by sprint.",
        tags=("agile",),
    )
    release = ws.add_work_item(
        SCRUM_PROJECT,
        "Release 1: checkout in the app",
        type="release",
        ev_method="points",
        budget=_money(budget),
        start=start,
        due=finish,
        transitions=[StatusChange(on=start, status="open")],
    )
    sprints = [
        Sprint(
            name=f"S{n + 1}",
            goal=goal,
            start=start + timedelta(days=_SPRINT_DAYS * n),
            finish=start + timedelta(days=_SPRINT_DAYS * (n + 1) - 1),
        )
        for n, goal in enumerate(
            (
                "A guest can check out",
                "Customers pay by card",
                "Wallet payments",
                "Delivery options",
                "Loyalty and gift cards",
            )
        )
    ]
    items: list[WorkItem] = []
    for sprint, stories in zip(sprints, _STORIES, strict=True):
        added = sprint.start - timedelta(days=3) if sprint.start > start else start
        for subject, points, outcome in stories:
            begun = sprint.start + timedelta(days=rng.randint(0, 4))
            history = [StatusChange(on=added, status="open")]
            status = "open"
            if outcome != "open" and begun <= today:
                history.append(StatusChange(on=begun, status="in_progress"))
                status = "in_progress"
            ended = begun + timedelta(days=rng.randint(2, 8))
            if outcome == "done" and ended <= min(sprint.finish, today):
                history.append(StatusChange(on=ended, status="done"))
                status = "done"
            items.append(
                WorkItem(
                    project=SCRUM_PROJECT,
                    type="story",
                    subject=subject,
                    status=status,
                    parent=release.id,
                    points=points,
                    iteration=sprint.name,
                    percent_complete=100 if status == "done" else 0,
                    assignee=rng.choice(("Jonas Berg", "Chloe Dubois", "Mateo Rossi")),
                    transitions=tuple(history),
                    # Done is 100 % from its day on, so earned value on an earlier status
                    # date reads the story as it was then.
                    progress=_done_on(history),
                )
            )
    for subject, points in _BACKLOG:
        items.append(
            WorkItem(
                project=SCRUM_PROJECT,
                type="story",
                subject=subject,
                parent=release.id,
                points=points,
                transitions=(StatusChange(on=start, status="open"),),
            )
        )
    stored = ws.add_many(items, command="demo scrum stories")
    fields = ScrumFields(
        product_goal="Customers buy in the app in under a minute, on any payment method",
        definition_of_done="Reviewed, tested on iOS and Android, released to the beta ring",
        release=release.id,
        planned_sprints=_PLANNED_SPRINTS,
        sprints=tuple(sprints),
    )
    ws.update(SCRUM_PROJECT, custom_fields={"scrum": fields.model_dump(mode="json")})
    # The release plan as agreed at the gate: the release and the backlog sized then.
    ws.add(_baseline(SCRUM_PROJECT, release, stored, start))
    # The team's cost, booked every two weeks: eight people at a blended day rate.
    ws.add_many(
        [
            CostEntry(
                project=SCRUM_PROJECT,
                incurred_on=sprint.finish,
                amount=_money(31_500),
                description=f"Team cost, sprint {sprint.name}",
                category="opex",
                nature="labour",
            )
            for sprint in sprints
            if sprint.finish <= today
        ],
        command="demo scrum costs",
    )
    # The gate into delivery: requested a week before the sprint began, decided on its eve.
    decided = start - timedelta(days=1)
    ws.add_many(
        [
            RaidItem(
                type="action",
                entity=SCRUM_PROJECT,
                title=f"Gate review requested: ready-to-sprint of {SCRUM_PROJECT}",
                owned_by=sponsor,
                raised_on=decided - timedelta(days=6),
                status="closed",
                closed_on=decided,
            ),
        ],
        command="demo gate request",
    )
    ws.add(_gate_go(SCRUM_PROJECT, SCRUM, "ready-to-sprint", decided, sponsor))
    ws.add(
        StatusReport(
            entity=SCRUM_PROJECT,
            as_of=sprints[-2].finish,
            overall=Rag.AMBER,
            dimensions={"schedule": Rag.AMBER, "cost": Rag.GREEN, "scope": Rag.GREEN},
            summary="Google Pay slipped to the next sprint; velocity back on track.",
            author="Aiko Tanaka",
        )
    )
    return {"project": SCRUM_PROJECT, "sprints": [s.name for s in sprints]}


def _kanban_team(ws: Workspace, today: date, rng: random.Random) -> dict[str, Any]:
    from pmo_kanban import KanbanFields

    start = today - timedelta(days=70)
    per_card = 2_000
    ws.create(
        "project",
        id=KANBAN_PROJECT,
        name="Service desk improvements",
        parent="WORKPLACE",
        sponsor="Oliver Grant",
        manager="Grace Okafor",
        budget=_money(per_card * len(_CARDS)),
        planned_start=start,
        planned_finish=start + timedelta(days=180),
        actual_start=start,
        phase="operating",
        status="on_track",
        tier=3,
        methodology="kanban",
        description="The service desk's Kanban team: requests flow from backlog to done.",
        tags=("agile",),
    )
    order = [status for status, _limit, _policy in _BOARD]
    cards: list[WorkItem] = []
    for n, subject in enumerate(_CARDS):
        requested = start + timedelta(days=n * 70 // len(_CARDS))
        history = [StatusChange(on=requested, status="backlog")]
        day = requested
        # The oldest cards are delivered; the newest wait further left. The last four
        # pulled into progress make that column one over its limit of three.
        reach = 4 if n < 18 else {18: 3, 19: 3, 20: 2, 21: 2, 22: 2, 23: 2}.get(n, 1)
        for status in order[1 : reach + 1]:
            day = day + timedelta(days=rng.randint(1, 5 if status != "in_progress" else 8))
            if day > today:
                break
            history.append(StatusChange(on=day, status=status))
        cards.append(
            WorkItem(
                project=KANBAN_PROJECT,
                subject=subject,
                status=history[-1].status,
                ev_method="0/100",
                budget=_money(per_card),
                start=requested,
                # The desk's service level: a card is delivered within six weeks.
                due=requested + timedelta(days=42),
                percent_complete=100 if history[-1].status == "done" else 0,
                assignee=rng.choice(("Henrik Olsen", "Fatima Zahra", "Lucas Martin")),
                transitions=tuple(history),
                progress=_done_on(history),
            )
        )
    stored = ws.add_many(cards, command="demo kanban cards")
    board = KanbanFields.model_validate(
        {
            "columns": [
                {"status": s, "wip_limit": limit, "policy": policy} for s, limit, policy in _BOARD
            ],
            "commitment": "ready",
            "delivery": "done",
            "classes": {stored[i].id: cls for i, cls in _CLASSES.items()},
        }
    )
    ws.update(KANBAN_PROJECT, custom_fields={"kanban": board.model_dump(mode="json")})
    # The team's time, booked at each month's end: two agents at a blended rate.
    ws.add_many(
        [
            CostEntry(
                project=KANBAN_PROJECT,
                incurred_on=end,
                amount=_money(17_500),
                description="Service desk agents' time",
                category="opex",
                nature="labour",
            )
            for end in (start + timedelta(days=30 * k) for k in (1, 2))
        ],
        command="demo kanban costs",
    )
    ws.add(
        StatusReport(
            entity=KANBAN_PROJECT,
            as_of=today - timedelta(days=3),
            overall=Rag.AMBER,
            dimensions={"schedule": Rag.AMBER, "cost": Rag.GREEN, "resources": Rag.AMBER},
            summary="Four cards in progress against a limit of three; the queue ages.",
            author="Grace Okafor",
        )
    )
    done = sum(1 for c in cards if c.status == "done")
    return {"project": KANBAN_PROJECT, "cards": len(cards), "delivered": done}


def _office(ws: Workspace, today: date) -> dict[str, Any]:
    """The PMO's own records: its cost per quarter and what its stakeholders think of it."""
    quarters = []
    for q in range(4, 0, -1):
        end = today - timedelta(days=91 * (q - 1))
        quarters.append((end - timedelta(days=90), end))
    for start, end in quarters:
        ws.add_pmo_cost("96000 EUR", start=start, end=end, note="Four people and the tools")
    responses = [
        {"on": today - timedelta(days=7 + 91 * k), "group": group, "score": score}
        for k in range(2)
        for group, scores in _SURVEY_GROUPS
        for score in scores
    ]
    ws.record_survey(responses)
    return {"pmo_costs": len(quarters), "survey_responses": len(responses)}


def build_delivery(
    ws: Workspace, rng: random.Random, step: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Add the demo's Scrum and Kanban teams and the PMO's own records to ``ws``.

    Example::

        built = build_delivery(ws, random.Random(2026))
        built["scrum"]["sprints"]  # ['S1', 'S2', 'S3', 'S4', 'S5']
    """
    today = ws.today()
    out = {"scrum": _scrum_team(ws, today, rng)}
    if step is not None:
        step()
    out["kanban"] = _kanban_team(ws, today, rng)
    if step is not None:
        step()
    out["office"] = _office(ws, today)
    if step is not None:
        step()
    return out
