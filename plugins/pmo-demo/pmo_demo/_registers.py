"""The demo's registers beside its projects: the resource pool, the benefits register and the
lessons library with the organisation's templates.

Each is built when its plugin is enabled (``pmo demo`` enables them): the pool when
pmo-resources registers ``resource-over-allocated``, the register when pmo-benefits registers
``benefit-at-risk``, the library when pmo-knowledge registers ``knowledge-relevant-lessons``.

- **Resources**: six roles, fifteen people with their share of full time, holidays and hourly
  rates (a raise from January), allocated to projects of every portfolio from two months
  before the status date to four months after. One role-month is over-allocated on purpose:
  :data:`OVER_ALLOCATED_ROLE` in the month after the status date's, where
  :data:`OVER_ALLOCATED_PROJECT` asks for an integration developer nobody is free to be. The
  rule ``resource-over-allocated`` warns on it (its portfolio is controlling).
- **Benefits**: a benefit measured on plan, one at risk (:data:`AT_RISK_BENEFIT`, whose
  portfolio the rule ``benefit-at-risk`` warns on), one not measured yet, and one of
  :data:`CLOSED_PROJECT`, a project closed three months ago whose benefit is still measured.
- **Knowledge**: lessons tagged by what they are about, so the week's idea (tagged ``vendor``
  and ``electrification``) is shown two of them at its gates; it applies one
  (:data:`APPLIED_LESSON_FROM`'s) and the other (:data:`ADVISED_LESSON_FROM`'s) stays in its
  gate check as advice. The organisation's business-case template overrides stage-gate's.

Everything is deterministic for a given status date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import (
    Allocation,
    Availability,
    Money,
    NotFoundError,
    PmoGovernanceRule,
    Rate,
    Resource,
)

if TYPE_CHECKING:
    from pmo_core import Workspace

#: The project closed three months before the status date, whose benefit is still tracked.
CLOSED_PROJECT = "CLICK-COLLECT"
#: The role over-allocated in the month after the status date's, and the project asking.
OVER_ALLOCATED_ROLE = "Integration developer"
OVER_ALLOCATED_PROJECT = "SUPPLIER-PORTAL"
#: The benefit realised below its plan: ``benefit-at-risk`` warns on its portfolio (OPS).
AT_RISK_BENEFIT = "Warehouse picks per hour"
#: The projects whose lessons the week's idea is shown: it applied the first one's.
APPLIED_LESSON_FROM = "SUPPLIER-PORTAL"
ADVISED_LESSON_FROM = "ENERGY"


#: The plugin that builds each register, by the governance rule it registers.
_RULES = {
    "resources": "resource-over-allocated",
    "benefits": "benefit-at-risk",
    "knowledge": "knowledge-relevant-lessons",
}

# (role, hourly rate last year and from January in EUR, people: (name, share of full time))
_ROLES = (
    ("Project manager", 95, 100, (("Nadia Haddad", 1.0), ("Pieter de Vries", 1.0),
                                  ("Olga Ivanova", 0.8))),
    ("Business analyst", 80, 84, (("Ravi Menon", 1.0), ("Elena Petrova", 1.0),
                                  ("Kofi Mensah", 0.6))),
    ("Integration developer", 90, 95, (("Tomás Herrera", 1.0), ("Mei Lin", 1.0))),
    ("Data engineer", 92, 96, (("Arjun Rao", 1.0), ("Sara Lindqvist", 1.0),
                               ("Yusuf Demir", 0.8))),
    ("Tester", 70, 73, (("Ana Costa", 1.0), ("Ben Carter", 1.0))),
    ("Change manager", 85, 88, (("Hannah Wright", 0.5),)),
)  # fmt: skip
# (project, role, percent of each of the role's people, first and last month from the status
# date's month): the steady demand. No role goes over its capacity with these alone.
_STEADY = (
    ("WMS", "Project manager", 0, 100, -2, 4),
    ("DWH-MIGRATION", "Project manager", 1, 100, -2, 3),
    ("MOBILE-APP", "Project manager", 2, 60, -2, 4),
    ("WMS", "Business analyst", 0, 50, -2, 2),
    ("MDM", "Business analyst", 1, 80, -2, 4),
    ("MOBILE-APP", "Business analyst", 0, 40, -2, 2),
    ("WMS", "Integration developer", 0, 80, -2, 4),
    ("SUPPLIER-PORTAL", "Integration developer", 1, 70, -2, 4),
    ("DWH-MIGRATION", "Data engineer", 0, 90, -2, 3),
    ("MDM", "Data engineer", 1, 80, -2, 4),
    ("STREAMING", "Data engineer", 2, 60, -1, 4),
    ("DWH-MIGRATION", "Tester", 0, 60, -2, 3),
    ("ENERGY", "Tester", 1, 40, -2, 2),
    ("ENERGY", "Change manager", 0, 100, -2, 2),
)
#: Hours the over-allocated project asks of an integration developer (a role placeholder:
#: nobody named yet) in the month after the status date's.
_EXTRA_HOURS = 160


@dataclass(frozen=True)
class _Month:
    first: date
    last: date


def _month(today: date, offset: int) -> _Month:
    index = today.year * 12 + today.month - 1 + offset
    first = date(index // 12, index % 12 + 1, 1)
    after = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return _Month(first, after - timedelta(days=1))


def enabled_registers(ws: Workspace) -> tuple[str, ...]:
    """The plugins of the registers the demo can build in ``ws``: ``resources``, ``benefits``
    and ``knowledge``, those whose governance rule is registered.

    Example::

        enabled_registers(ws)  # ('resources', 'benefits', 'knowledge')
    """
    found = []
    for plugin, rule in _RULES.items():
        try:
            ws.host.record(PmoGovernanceRule, rule)
        except NotFoundError:
            continue
        found.append(plugin)
    return tuple(found)


def _eur(amount: int | Decimal) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def _closed_project(ws: Workspace, today: date) -> str:
    """A click-and-collect project of the CX program, closed three months ago."""
    finished = today - timedelta(days=91)
    ws.create(
        "project",
        id=CLOSED_PROJECT,
        name="Click and collect",
        parent="CX",
        sponsor="Sofia Alvarez",
        manager="Nadia Haddad",
        budget=_eur(420_000),
        planned_start=finished - timedelta(days=300),
        planned_finish=finished - timedelta(days=14),
        actual_start=finished - timedelta(days=300),
        actual_finish=finished,
        phase="post-launch-review",
        status="finished",
        lifecycle="closed",
        lifecycle_on=finished,
        lifecycle_by="Sofia Alvarez",
        lifecycle_reason="Live in every store; the benefit is measured by Retail from here on.",
        tier=2,
        methodology="stage-gate",
        description="Order online, collect in store within two hours.",
        tags=("retail", "rollout"),
    )
    return CLOSED_PROJECT


def _resources(ws: Workspace, today: date) -> dict[str, Any]:
    january = date(today.year, 1, 1)
    people: dict[str, list[Resource]] = {}
    records: list[Resource] = []
    for role, old, new, members in _ROLES:
        for n, (name, fte) in enumerate(members):
            # Holidays: a week in the status date's month + 2 for every other person, and the
            # public holidays of the year's end for everyone.
            later = _month(today, 2).first + timedelta(days=7 * (n % 2))
            holidays = sorted(
                {
                    *(later + timedelta(days=k) for k in range(5) if n % 2 == 0),
                    date(today.year, 12, 25),
                    date(today.year, 12, 26),
                    date(today.year + 1, 1, 1),
                }
            )
            since = january.replace(year=today.year - 1)
            availability = [Availability(effective_from=since, fte=fte)]
            records.append(
                Resource(
                    name=name,
                    role=role,
                    email=f"{name.split()[0].lower()}@example.com",
                    skills=(role.split()[0].lower(),),
                    # The raise comes with the next January.
                    rates=[
                        Rate(effective_from=since, per_hour=_eur(old)),
                        Rate(effective_from=date(today.year + 1, 1, 1), per_hour=_eur(new)),
                    ],
                    availability=availability,
                    holidays=[h for h in holidays if h.weekday() < 5],
                )
            )
    placeholder = Resource(name=OVER_ALLOCATED_ROLE, kind="role")
    stored = ws.add_many([*records, placeholder], command="demo resources")
    for resource in stored[:-1]:
        people.setdefault(resource.role or resource.name, []).append(resource)
    allocations = []
    for project, role, who, percent, first, last in _STEADY:
        allocations.append(
            Allocation(
                resource=people[role][who].id,
                project=project,
                start=_month(today, first).first,
                finish=_month(today, last).last,
                percent=percent,
            )
        )
    over = _month(today, 1)
    allocations.append(
        Allocation(
            resource=stored[-1].id,
            project=OVER_ALLOCATED_PROJECT,
            start=over.first,
            finish=over.last,
            hours=_EXTRA_HOURS,
        )
    )
    ws.add_many(allocations, command="demo allocations")
    month = f"{over.first.year:04d}-{over.first.month:02d}"
    return {
        "people": len(records),
        "roles": len(_ROLES),
        "allocations": len(allocations),
        "over_allocated": {"role": OVER_ALLOCATED_ROLE, "month": month,
                           "project": OVER_ALLOCATED_PROJECT},
        "from": _month(today, -2).first.isoformat()[:7],
        "to": _month(today, 4).first.isoformat()[:7],
    }  # fmt: skip


def _benefits(ws: Workspace, today: date) -> dict[str, Any]:
    from pmo_benefits import add_benefit, record_measurement

    year_ago = today - timedelta(days=365)
    quarters = [today - timedelta(days=91 * k) for k in (3, 2, 1, 0)]
    self_service = add_benefit(
        ws, "Customer contacts served online", measure="Share of contacts served without an agent",
        unit="%", baseline=22, target=45, baseline_on=year_ago,
        target_on=today + timedelta(days=365), owned_by="Sofia Alvarez",
        description="The chatbot and the new website answer what customers used to phone about.",
        portfolio="DIGITAL", projects=("CHATBOT", "WEB-REDESIGN"),
    )  # fmt: skip
    for on, value in zip(quarters, (25, 28, 31, 34), strict=True):
        record_measurement(ws, self_service.id, value, on=on, measured_by="Customer service")
    picks = add_benefit(
        ws, AT_RISK_BENEFIT, measure="Order lines picked per hour per picker", unit="lines/h",
        baseline=60, target=90, baseline_on=year_ago, target_on=today + timedelta(days=180),
        owned_by="Marcus Webb", description="Guided picking with the new warehouse system.",
        portfolio="OPS", projects=("WMS",),
    )  # fmt: skip
    for on, value in zip(quarters, (60, 61, 63, 64), strict=True):
        record_measurement(ws, picks.id, value, on=on, measured_by="Warehouse operations")
    energy = add_benefit(
        ws, "Energy cost of the offices", measure="Energy cost per square metre and year",
        unit="EUR/m2", baseline="38.50", target="27.00", baseline_on=today - timedelta(days=30),
        target_on=today + timedelta(days=540), owned_by="Oliver Grant",
        portfolio="OPS", projects=("ENERGY",),
    )  # fmt: skip
    closed = add_benefit(
        ws, "Click-and-collect orders", measure="Online orders collected in store per week",
        unit="orders", baseline=0, target=4000, baseline_on=today - timedelta(days=120),
        target_on=today + timedelta(days=240), owned_by="Sofia Alvarez",
        description="Measured by Retail since the project closed.",
        portfolio="DIGITAL", projects=(CLOSED_PROJECT,),
    )  # fmt: skip
    for days, value in ((60, 900), (30, 1500), (0, 2100)):
        record_measurement(
            ws, closed.id, value, on=today - timedelta(days=days), measured_by="Retail"
        )
    return {
        "benefits": 4,
        "measured": [self_service.name, picks.name, closed.name],
        "at_risk": picks.name,
        "not_measured": energy.name,
        "closed_project": CLOSED_PROJECT,
    }


# (project, what happened, recommendation, category, tags, days before the status date)
_LESSONS = (
    (APPLIED_LESSON_FROM, "The hosting vendor delivered the environments three weeks late",
     "Put delivery milestones with penalties in the supplier contract",
     "procurement", ("vendor", "procurement"), 120),
    (ADVISED_LESSON_FROM, "The grid connection for the heat pumps took five months",
     "Ask the utility for grid capacity before the gate into development",
     "infrastructure", ("electrification", "facilities"), 60),
    (CLOSED_PROJECT, "Store staff learned the collection desk on the day it opened",
     "Train the staff who run a new process before it goes live, not on the day",
     "training", ("retail", "rollout", "training"), 95),
    ("INTRANET", "Pages moved to the new intranet without an owner were out of date at launch",
     "Name an owner for every content area before the launch",
     "content", ("content",), 45),
)  # fmt: skip

_BUSINESS_CASE = """# Business case

## Why
The problem, who has it, what it costs today.

## Options
Do nothing, do the minimum, do it well: cost, benefit and risk of each.

## Benefits
Each benefit with its measure, baseline, target and owner (the benefits register).

## Resources
The roles asked for, by month (pmo resource what-if).

## Lessons
The lessons of similar projects considered (pmo knowledge suggest).
"""


def _knowledge(ws: Workspace, today: date) -> dict[str, Any]:
    from pmo_knowledge import OrgTemplate, add_template

    lessons = {}
    for project, happened, advice, category, tags, days in _LESSONS:
        lesson = ws.add_lesson(
            project, happened, recommendation=advice, category=category, tags=tags,
            recorded_on=today - timedelta(days=days),
        )  # fmt: skip
        lessons[project] = lesson.id
    add_template(
        ws,
        OrgTemplate(
            name="acme-business-case",
            summary="The organisation's business case: benefits, resources and lessons",
            body=_BUSINESS_CASE,
            methodology="stage-gate",
            artifact="business-case",
        ),
    )
    return {
        "lessons": len(lessons),
        "applied": lessons[APPLIED_LESSON_FROM],
        "advised": lessons[ADVISED_LESSON_FROM],
        "template": "acme-business-case",
    }


def build_registers(ws: Workspace) -> dict[str, Any]:
    """Build the demo's registers whose plugins are enabled in ``ws``
    (:func:`enabled_registers`), as history before the week: the closed project, the
    resource pool, the benefits register, the lessons library and the organisation's
    business-case template. Returns what it built, by plugin.

    Example::

        built = build_registers(ws)
        built["resources"]["over_allocated"]["role"]  # 'Integration developer'
    """
    enabled = enabled_registers(ws)
    today = ws.today()
    out: dict[str, Any] = {}
    if {"benefits", "knowledge"} & set(enabled):
        out["closed"] = _closed_project(ws, today)
    if "resources" in enabled:
        out["resources"] = _resources(ws, today)
    if "benefits" in enabled:
        out["benefits"] = _benefits(ws, today)
    if "knowledge" in enabled:
        out["knowledge"] = _knowledge(ws, today)
    return out


def apply_idea_lesson(ws: Workspace, built: dict[str, Any], idea: str) -> str | None:
    """After the week: the idea's team records that it took the vendor lesson into its
    vehicle order (:func:`pmo_knowledge.apply_lesson`); returns the lesson's id, ``None``
    without the lessons library.

    Example::

        apply_idea_lesson(ws, built, "EV-FLEET")  # '3f2a91c0...'
    """
    if "knowledge" not in built:
        return None
    from pmo_knowledge import apply_lesson

    lesson: str = built["knowledge"]["applied"]
    apply_lesson(
        ws, lesson, idea, comment="Delivery milestones with penalties are in the vehicle order"
    )
    return lesson
