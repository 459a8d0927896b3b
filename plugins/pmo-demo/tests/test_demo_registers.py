"""The demo's registers: a resource pool with one over-allocated role-month the rule flags, a
benefits register (measured, at risk, a closed project's benefit still tracked) and a lessons
library whose lesson shows in the gate check of the week's idea, another one applied."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pmo_benefits
import pmo_knowledge
import pmo_resources
import pytest
from demo_support import Pmo
from pmo_demo import build_demo
from pmo_demo._registers import (
    ADVISED_LESSON_FROM,
    APPLIED_LESSON_FROM,
    AT_RISK_BENEFIT,
    CLOSED_PROJECT,
    OVER_ALLOCATED_PROJECT,
    OVER_ALLOCATED_ROLE,
)

from pmo_core import Allocation, Resource, Workspace

TODAY = date(2025, 6, 30)
REGISTERS = ["resources", "benefits", "knowledge"]
PLUGINS = ["governance", "stage-gate", "scrum", "kanban", "reports", *REGISTERS]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Workspace, dict[str, Any]]]:
    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY) as ws:
        built = build_demo(ws)
        yield ws, built


def _failed(ws: Workspace, rule: str) -> dict[str, Any]:
    return {f.entity: f for f in ws.check() if f.rule == rule and not f.passed}


def test_the_pool_has_roles_people_fte_holidays_and_rates(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    pool = ws.view().records(Resource)
    people = [r for r in pool if r.kind == "person"]

    assert built["registers"]["resources"]["people"] == len(people) == 14
    assert {r.role for r in people} == {
        "Project manager",
        "Business analyst",
        "Integration developer",
        "Data engineer",
        "Tester",
        "Change manager",
    }
    assert [r.name for r in pool if r.kind == "role"] == [OVER_ALLOCATED_ROLE]
    # Part-timers, holidays, and a raise from January priced in euros.
    assert {r.fte_on(TODAY) for r in people} == {1.0, 0.8, 0.6, 0.5}
    assert all(date(2025, 12, 25) in r.holidays for r in people)
    for person in people:
        old, new = person.rates
        assert new.effective_from == date(2026, 1, 1)
        assert old.per_hour.currency == new.per_hour.currency == "EUR"
        assert new.per_hour.amount > old.per_hour.amount
    allocated = {a.project for a in ws.view().records(Allocation)}
    assert len(allocated) >= 6
    costs = {c.project: c for c in pmo_resources.demand_costs(ws.view(), TODAY, TODAY)}
    assert costs["WMS"].costs
    assert costs["WMS"].unpriced_hours == 0


def test_exactly_one_role_month_is_over_allocated_and_the_rule_warns_on_it(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    cells = pmo_resources.capacity_demand(ws.view(), date(2025, 4, 1), date(2025, 10, 31))
    over = [(c.role, c.month) for c in cells if c.state == "over"]

    assert over == [(OVER_ALLOCATED_ROLE, "2025-07")]
    (cell,) = [c for c in cells if c.state == "over"]
    # Two integration developers full time in July (23 working days x 8 h = 184 h each),
    # asked 80 % and 70 % of that plus 160 h for the role nobody fills yet.
    assert cell.capacity == 2 * Decimal("184.00")
    assert cell.demand == Decimal("184.00") * Decimal("1.5") + 160
    assert built["registers"]["resources"]["over_allocated"] == {
        "role": OVER_ALLOCATED_ROLE,
        "month": "2025-07",
        "project": OVER_ALLOCATED_PROJECT,
    }
    flagged = _failed(ws, "resource-over-allocated")
    # The asking project and the other one drawing on the role, under controlling: a warning.
    assert set(flagged) == {OVER_ALLOCATED_PROJECT, "WMS"}
    assert flagged[OVER_ALLOCATED_PROJECT].level == "warn"
    assert "'Integration developer' over-allocated in 2025-07" in (
        flagged[OVER_ALLOCATED_PROJECT].message
    )


def test_the_benefits_register_is_measured_one_at_risk_one_of_a_closed_project(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    view = ws.view()
    register = pmo_benefits.benefits(view)
    closed = view.entity(CLOSED_PROJECT)

    assert len(register) == built["registers"]["benefits"]["benefits"] == 4
    measured = {b.name for b in register if pmo_benefits.measurements(view, b.id)}
    assert measured == set(built["registers"]["benefits"]["measured"])
    assert len(measured) == 3
    at_risk = {b.name for b in register if pmo_benefits.benefit_realisation(ws, b.id).at_risk}
    assert at_risk == {AT_RISK_BENEFIT}
    assert closed.lifecycle == "closed"
    assert closed.lifecycle_on is not None
    (tracked,) = pmo_benefits.benefits(view, scope=CLOSED_PROJECT)
    last = pmo_benefits.measurements(view, tracked.id)[-1]
    assert last.on > closed.lifecycle_on  # measured after the project closed
    assert not pmo_benefits.benefit_realisation(ws, tracked.id).at_risk
    flagged = _failed(ws, "benefit-at-risk")
    assert set(flagged) == {"OPS"}
    assert flagged["OPS"].message.startswith(AT_RISK_BENEFIT)


def test_a_lesson_shows_in_the_gate_check_of_the_idea_and_another_is_applied(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    idea = built["week"]["idea"]
    lessons = {x.id: x for x in ws.view().lessons()}
    knowledge = built["registers"]["knowledge"]
    applied, advised = lessons[knowledge["applied"]], lessons[knowledge["advised"]]

    assert (applied.entity, advised.entity) == (APPLIED_LESSON_FROM, ADVISED_LESSON_FROM)
    assert pmo_knowledge.applied_ids(ws.view().entity(idea)) == {applied.id}
    check = ws.gate_check(idea, built["week"]["waived_gate"])
    (finding,) = [f for f in check.findings if f.rule == "knowledge-relevant-lessons"]
    assert not finding.passed
    assert finding.level == "advise"  # advice: the idea's gate passed with it
    assert f"1 relevant lesson from similar projects not applied yet: {advised.id}" in (
        finding.message
    )
    assert applied.id not in finding.message
    assert [s.lesson.id for s in pmo_knowledge.suggest(ws.view(), idea)] == [advised.id]


def test_lessons_never_block_a_project_and_the_template_overrides_the_business_case(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    # Lessons are advice: none lands on the directive portfolio, where a model that raises
    # every rule would turn it into a block.
    flagged = _failed(ws, "knowledge-relevant-lessons")
    assert flagged
    assert {f.level for f in flagged.values()} == {"advise"}
    (template,) = pmo_knowledge.templates(ws)
    assert (template.methodology, template.artifact) == ("stage-gate", "business-case")


def test_without_the_registers_plugins_the_demo_is_what_it_was() -> None:
    with Workspace.in_memory(enabled=PLUGINS[:5], today=lambda: TODAY) as ws:
        built = build_demo(ws)
        assert built["registers"] == {}
        assert built["counts"]["project"] == 27
        assert ws.view().records(Resource) == []


def test_the_tour_says_where_to_look(pmo_cli: Any, tmp_path: Path) -> None:
    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    lines = result.output.splitlines()
    start = lines.index("Resources, benefits and lessons:")
    section = lines[start : lines.index("", start)]
    text = "\n".join(section)
    assert "14 people in 6 roles" in text
    assert f"{OVER_ALLOCATED_PROJECT} [warn]: role '{OVER_ALLOCATED_ROLE}' over-allocated" in text
    assert f"at risk: {AT_RISK_BENEFIT}; still measured after {CLOSED_PROJECT} closed" in text
    assert f"EV-FLEET applied {APPLIED_LESSON_FROM}'s" in text
    looks = [line.strip() for line in section[section.index("  See for yourself:") + 1 :]]
    assert "pmo -w sample gate check EV-FLEET" in looks
    # Every command the tour suggests runs on the workspace it built (the idea's next gate
    # waits for its test plan: exit code 5, the verdict).
    pmo = Pmo(tmp_path / "sample", pmo_cli)
    for command in looks:
        ran = pmo(*command.split()[3:])
        assert ran.exit_code == (5 if " gate check " in command else 0), (command, ran.output)
    gate = pmo("gate", "check", "EV-FLEET").output
    assert "rule knowledge-relevant-lessons [advise]: 1 relevant lesson" in gate
