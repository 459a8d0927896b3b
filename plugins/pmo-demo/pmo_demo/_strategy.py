"""The demo's strategy and portfolio selection: objectives, a pipeline of proposals, and the
selection a board would make among them.

Built when the ``strategy`` plugin is enabled (``pmo demo`` enables it), after the week, so the
week's idea (``EV-FLEET``) has already gone from proposed to execution and is a committed
project here, aligned to the objective it serves; the pipeline is the next round of ideas.

- **Objectives**: a hierarchy for each portfolio (top objectives with an owner, a measure and a
  target, and child objectives), with the committed projects aligned to them.
- **Pipeline**: :data:`PROPOSALS` under :data:`PIPELINE_PORTFOLIO` (controlling, stage-gate, so
  ``pmo scenario decide`` can request their first gate): lifecycle ``proposed``, with costs by
  year, cash flows, WSJF inputs, criteria scores and a probability of success (the strategy
  custom fields), aligned to the objectives, and hours by role for the month the selection
  weighs them in, through pmo-resources. :data:`MANDATORY` is regulatory, :data:`DEPENDENT`
  needs :data:`DEPENDED_ON`, and :data:`EXCLUSIVE` are alternatives (one or the other).
- **Selection**: two saved scenarios, :data:`BASE` with next year's budget
  (:func:`strategy_settings` is what ``pmo demo`` writes into ``pmo.toml`` so ``pmo selection
  run`` and the ``portfolio-selection`` report solve the same) and :data:`GROWTH` with 20 %
  more. Under Base the budget binds, and so does one capacity cell (:data:`TIGHT_ROLE` in
  September of next year); the dependency pulls a low-value proposal in and the exclusion
  keeps a valuable one out.

Everything is deterministic for a given status date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmo_core import (
    Alignment,
    Allocation,
    Money,
    NotFoundError,
    Objective,
    PmoScoringModel,
    Resource,
)

if TYPE_CHECKING:
    from pmo_core import Workspace

#: The portfolio the pipeline is under (controlling governance, stage-gate projects).
PIPELINE_PORTFOLIO = "OPS"
#: The saved scenarios: next year's budget, and 20 % more.
BASE = "Base"
GROWTH = "Growth"
#: Next year's budget in the Base scenario (EUR); Growth has 20 % more.
BASE_BUDGET = Decimal(2_400_000)
GROWTH_FACTOR = Decimal("1.2")
#: The regulatory proposal every selection must take.
MANDATORY = "E-INVOICING"
#: A proposal that needs another one, and that one.
DEPENDENT = "ROUTE-OPT"
DEPENDED_ON = "TELEMATICS"
#: Alternatives for the warehouse's capacity: one or the other, never both.
EXCLUSIVE = ("DC-AUTOMATION", "DC-EXPANSION")
#: The role whose September of next year the proposals compete for.
TIGHT_ROLE = "Integration developer"
TIGHT_MONTH = 9

# Objectives by portfolio: (name, weight, owner, measure, target (with {y}: next year), parent)
_OBJECTIVES = {
    "DIGITAL": (
        ("Grow digital sales", 3.0, "Helena Brandt", "Share of revenue from digital channels",
         "35 % by {y1}", None),
        ("Self-service first", 2.0, "Sofia Alvarez", "Customer contacts served online",
         "45 % by {y}", "Grow digital sales"),
        ("Trusted data", 2.0, "Ingrid Solberg", "Critical data elements with an owner and a "
         "quality score", "100 % by {y}", None),
    ),
    "OPS": (
        ("Net-zero operations", 3.0, "Oliver Grant", "Scope 1 and 2 emissions against 2020",
         "-50 % by 2030", None),
        ("Electrify the delivery fleet", 2.0, "Marcus Webb", "Share of electric delivery vans",
         "60 % by {y1}", "Net-zero operations"),
        ("Lower cost to serve", 3.0, "Marcus Webb", "Logistics cost per order line",
         "-15 % by {y1}", None),
        ("Warehouse productivity", 2.0, "Marcus Webb", "Order lines picked per hour",
         "90 lines/h by {y}", "Lower cost to serve"),
        ("Compliance by design", 2.0, "Ingrid Solberg", "Regulatory deadlines met on time",
         "every one", None),
    ),
}  # fmt: skip
# The committed projects' alignments: (project, objective, weight).
_ALIGNED = (
    ("CRM-UPGRADE", "Grow digital sales", 0.8),
    ("MOBILE-APP", "Grow digital sales", 0.7),
    ("WEB-REDESIGN", "Self-service first", 1.0),
    ("CHATBOT", "Self-service first", 0.9),
    ("MDM", "Trusted data", 1.0),
    ("DWH-MIGRATION", "Trusted data", 0.8),
    ("EV-FLEET", "Electrify the delivery fleet", 1.0),
    ("ENERGY", "Net-zero operations", 0.8),
    ("WMS", "Warehouse productivity", 1.0),
    ("SUPPLIER-PORTAL", "Lower cost to serve", 0.5),
    ("ESG-REPORT", "Compliance by design", 0.9),
)


# A proposal: (key, name, parent, sponsor, description, cost next year and the year after in
# thousand EUR, net cash flows from next year in thousand EUR, WSJF (business value, time
# criticality, risk reduction, job size), criteria (customer, cost, sustainability,
# compliance), success probability, alignments (objective, weight), hours by role in
# September of next year, mandatory, depends on, excludes).
_P = tuple[
    str, str, str, str, str, tuple[int, int], tuple[int, ...], tuple[int, int, int, int],
    tuple[int, int, int, int], float, tuple[tuple[str, float], ...], tuple[tuple[str, int], ...],
    bool, tuple[str, ...], tuple[str, ...],
]  # fmt: skip
_PIPELINE: tuple[_P, ...] = (
    (MANDATORY, "E-invoicing for suppliers", "OPS", "Ingrid Solberg",
     "Send and receive structured e-invoices, as the law requires from next year.",
     (220, 0), (-220, 40, 40, 40), (5, 10, 8, 3), (3, 6, 1, 10), 0.95,
     (("Compliance by design", 1.0),),
     (("Integration developer", 80), ("Business analyst", 60)), True, (), ()),
    (DEPENDED_ON, "Fleet telematics", "SUPPLY", "Marcus Webb",
     "Telematics boxes in every van: where it is, how it is driven, what it uses.",
     (260, 40), (-260, -40, 90, 110, 120), (3, 3, 2, 3), (2, 6, 6, 3), 0.9,
     (("Electrify the delivery fleet", 0.5), ("Lower cost to serve", 0.2)),
     (("Data engineer", 120), ("Integration developer", 40)), False, (), ()),
    (DEPENDENT, "Route optimisation", "SUPPLY", "Marcus Webb",
     "Plan delivery routes on live traffic and the vans' own data.",
     (380, 60), (-380, 120, 260, 300, 300), (8, 5, 3, 4), (7, 9, 6, 1), 0.75,
     (("Lower cost to serve", 1.0), ("Net-zero operations", 0.5)),
     (("Data engineer", 100), ("Integration developer", 60)), False, (DEPENDED_ON,), ()),
    (EXCLUSIVE[0], "Automated small-parts store", "SUPPLY", "Marcus Webb",
     "A shuttle system for small parts in the central warehouse.",
     (900, 300), (-900, -300, 380, 450, 500, 500), (8, 4, 3, 8), (5, 9, 4, 1), 0.7,
     (("Warehouse productivity", 1.0), ("Lower cost to serve", 0.6)),
     (("Integration developer", 200), ("Tester", 80)), False, (), (EXCLUSIVE[1],)),
    (EXCLUSIVE[1], "Second warehouse hall", "SUPPLY", "Marcus Webb",
     "Build a second hall beside the central warehouse instead of automating it.",
     (700, 900), (-700, -900, 350, 400, 450, 450), (6, 3, 2, 9), (4, 6, 2, 1), 0.85,
     (("Lower cost to serve", 0.8), ("Warehouse productivity", 0.4)),
     (("Project manager", 80), ("Change manager", 20)), False, (), (EXCLUSIVE[0],)),
    ("SOLAR-ROOFS", "Solar panels on the depots", "WORKPLACE", "Oliver Grant",
     "Photovoltaics on the roofs of the four depots.",
     (450, 0), (-450, 70, 75, 80, 80, 80, 80), (5, 3, 2, 4), (1, 6, 10, 2), 0.9,
     (("Net-zero operations", 1.0),),
     (("Project manager", 60),), False, (), ()),
    ("CHARGING-HUB", "Depot charging hub", "SUPPLY", "Marcus Webb",
     "Fast chargers for the electric fleet at the main depot.",
     (350, 0), (-350, 60, 90, 100, 100), (6, 6, 3, 4), (2, 4, 9, 2), 0.85,
     (("Electrify the delivery fleet", 1.0), ("Net-zero operations", 0.3)),
     (("Project manager", 40),), False, ("EV-FLEET",), ()),
    ("SUPPLIER-ESG", "Supplier emissions data", "OPS", "Ingrid Solberg",
     "Collect the suppliers' emissions for the ESG report.",
     (150, 30), (-150, -30, 20, 30, 30), (4, 6, 5, 2), (2, 2, 7, 8), 0.8,
     (("Compliance by design", 0.6), ("Net-zero operations", 0.4)),
     (("Data engineer", 100), ("Business analyst", 60)), False, (), ()),
    ("RETURNS-HUB", "Returns hub", "SUPPLY", "Marcus Webb",
     "One hub that grades, refurbishes and restocks returned goods.",
     (500, 100), (-500, -100, 220, 260, 280), (7, 4, 2, 5), (7, 7, 3, 1), 0.8,
     (("Lower cost to serve", 0.7),),
     (("Integration developer", 200), ("Business analyst", 80)), False, (), ()),
    ("YARD-MGMT", "Yard management", "SUPPLY", "Marcus Webb",
     "Book the trucks' slots at the docks and see the yard live.",
     (180, 20), (-180, -20, 60, 70, 70), (4, 3, 2, 2), (3, 6, 3, 1), 0.9,
     (("Warehouse productivity", 0.6),),
     (("Integration developer", 100), ("Tester", 40)), False, (), ()),
)  # fmt: skip
#: The proposals of the pipeline, in the order they are built.
PROPOSALS = tuple(p[0] for p in _PIPELINE)

#: Weights of the criteria the proposals are scored on (``[settings.strategy.criteria]``).
CRITERIA = {"customer": 3, "cost": 3, "sustainability": 2, "compliance": 2}
_CRITERIA_ORDER = ("customer", "cost", "sustainability", "compliance")


def strategy_enabled(ws: Workspace) -> bool:
    """Whether the demo can build its strategy in ``ws``: the ``strategy`` plugin registers
    its ``alignment`` scoring model.

    Example::

        strategy_enabled(ws)  # True
    """
    try:
        ws.host.record(PmoScoringModel, "alignment")
    except NotFoundError:
        return False
    return True


def next_year(today: date) -> int:
    """The year the pipeline is selected for: the status date's next.

    Example::

        next_year(date(2026, 12, 3))  # 2027
    """
    return today.year + 1


def _eur(thousands: int | Decimal) -> Money:
    return Money(amount=Decimal(thousands), currency="EUR")


def strategy_settings(today: date) -> dict[str, Any]:
    """What ``[settings.strategy]`` holds in the demo's ``pmo.toml``: the criteria weights and
    Base's budget for next year (so ``pmo selection run`` solves what Base saved).

    Example::

        strategy_settings(date(2026, 12, 3))["selection"]["budgets"]  # {2027: '2400000 EUR'}
    """
    return {
        "criteria": dict(CRITERIA),
        "selection": {"budgets": {next_year(today): f"{BASE_BUDGET} EUR"}},
    }


def strategy_toml(today: date) -> str:
    """:func:`strategy_settings` as the lines of ``pmo.toml`` that hold them.

    Example::

        strategy_toml(date(2026, 12, 3)).splitlines()[0]  # '[settings.strategy.criteria]'
    """
    settings = strategy_settings(today)
    criteria = "\n".join(f"{k} = {v}" for k, v in settings["criteria"].items())
    budgets = ", ".join(f'{y} = "{m}"' for y, m in settings["selection"]["budgets"].items())
    return (
        f"[settings.strategy.criteria]\n{criteria}\n\n"
        f"[settings.strategy.selection]\nbudgets = {{ {budgets} }}\n"
    )


def _objectives(ws: Workspace, today: date) -> dict[str, str]:
    ids: dict[str, str] = {}
    y = next_year(today)
    for portfolio, rows in _OBJECTIVES.items():
        for name, weight, owner, measure, target, parent in rows:
            # One at a time: a child names its parent's id, known once the parent is stored.
            found = ws.add(
                Objective(
                    portfolio=portfolio, name=name, weight=weight, owned_by=owner,
                    measure=measure, target=target.format(y=y, y1=y + 1),
                    parent=ids[parent] if parent else None,
                ),
                command="demo objectives",
            )  # fmt: skip
            ids[name] = found.id
    return ids


def _proposals(ws: Workspace, today: date) -> None:
    y = next_year(today)
    for (
        key,
        name,
        parent,
        sponsor,
        description,
        costs,
        flows,
        wsjf,
        scores,
        chance,
        *_,
    ) in _PIPELINE:
        total = sum(costs)
        fields = {
            "costs": {str(y + k): str(_eur(c * 1000)) for k, c in enumerate(costs) if c},
            "cash_flows": {str(y + k): str(_eur(f * 1000)) for k, f in enumerate(flows)},
            "wsjf": dict(
                zip(
                    ("business_value", "time_criticality", "risk_reduction", "job_size"),
                    wsjf,
                    strict=True,
                )
            ),
            "criteria": dict(zip(_CRITERIA_ORDER, scores, strict=True)),
            "success_probability": chance,
        }
        mandatory, depends_on, excludes = _PIPELINE_CONSTRAINTS[key]
        # Custom fields are JSON: lists, not tuples.
        if mandatory:
            fields["mandatory"] = True
        if depends_on:
            fields["depends_on"] = list(depends_on)
        if excludes:
            fields["excludes"] = list(excludes)
        ws.create(
            "project",
            id=key,
            name=name,
            parent=parent,
            sponsor=sponsor,
            manager="Grace Okafor",
            budget=_eur(total * 1000),
            planned_start=date(y, 1, 1),
            planned_finish=date(y + (1 if costs[1] else 0), 12, 31),
            phase="discovery",
            status="not_started",
            lifecycle="proposed",
            tier=2,
            methodology="stage-gate",
            description=description,
            tags=("pipeline",),
            custom_fields={"strategy": fields},
        )


_PIPELINE_CONSTRAINTS = {p[0]: (p[12], p[13], p[14]) for p in _PIPELINE}


def _align(ws: Workspace, ids: dict[str, str]) -> int:
    records = [Alignment(project=p, objective=ids[o], weight=w) for p, o, w in _ALIGNED]
    for key, *_, aligned, _hours, _m, _d, _x in _PIPELINE:
        records += [Alignment(project=key, objective=ids[o], weight=w) for o, w in aligned]
    ws.add_many(records, command="demo alignments")
    return len(records)


def _allocations(ws: Workspace, today: date) -> int:
    month = date(next_year(today), TIGHT_MONTH, 1)
    after = date(month.year, month.month + 1, 1)
    last = date.fromordinal(after.toordinal() - 1)
    people: dict[str, str] = {}
    for r in sorted(ws.view().records(Resource), key=lambda r: r.name):
        if r.kind == "person" and r.role:
            people.setdefault(r.role, r.id)
    records = [
        Allocation(resource=people[role], project=key, start=month, finish=last, hours=asked)
        for key, *_, by_role, _m, _d, _x in _PIPELINE
        for role, asked in by_role
        if role in people
    ]
    ws.add_many(records, command="demo proposal allocations")
    return len(records)


def build_strategy(ws: Workspace) -> dict[str, Any]:
    """Build the demo's objectives, pipeline and scenarios in ``ws`` (with the ``strategy``
    plugin enabled, after the week): returns what it built, with the Base scenario's result.

    Allocations by role are added only when the resource pool exists (the ``resources``
    plugin), so capacity limits the selection then.

    Example::

        built = build_strategy(ws)
        built["scenarios"]  # ['Base', 'Growth']
    """
    from pmo_strategy import Scenario, add_scenario

    today = ws.today()
    y = next_year(today)
    ids = _objectives(ws, today)
    _proposals(ws, today)
    alignments = _align(ws, ids)
    pooled = any(r.kind == "person" for r in ws.view().records(Resource))
    allocations = _allocations(ws, today) if pooled else 0
    base = add_scenario(
        ws,
        Scenario(
            name=BASE,
            under=PIPELINE_PORTFOLIO,
            budgets={y: _eur(BASE_BUDGET)},
            description=f"Next year's budget for {PIPELINE_PORTFOLIO}'s pipeline.",
        ),
    )
    growth = add_scenario(
        ws,
        Scenario(
            name=GROWTH,
            under=PIPELINE_PORTFOLIO,
            budgets={y: _eur(BASE_BUDGET * GROWTH_FACTOR)},
            description="20 % more budget next year.",
        ),
    )
    # add_scenario solves what it stores.
    assert base.result is not None
    assert growth.result is not None
    return {
        "under": PIPELINE_PORTFOLIO,
        "year": y,
        "objectives": sum(len(rows) for rows in _OBJECTIVES.values()),
        "portfolios": tuple(_OBJECTIVES),
        "proposals": list(PROPOSALS),
        "alignments": alignments,
        "allocations": allocations,
        "scenarios": [BASE, GROWTH],
        "budget": _eur(BASE_BUDGET),
        "base": base.result.model_dump(mode="json"),
        "growth": growth.result.model_dump(mode="json"),
    }
