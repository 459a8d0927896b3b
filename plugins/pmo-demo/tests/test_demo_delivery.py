"""The demo's agile teams beside its stage-gate portfolio: a Scrum team and a Kanban team,
each measured by its own methodology and rolled up with the rest, and the PMO's own records
the pmo-review report reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pmo_kanban
import pmo_scrum
import pytest
from pmo_demo import KANBAN_PROJECT, SCRUM_PROJECT, build_demo

from pmo_core import ScopeMetrics, Workspace

TODAY = date(2025, 6, 30)
PLUGINS = ["governance", "stage-gate", "scrum", "kanban", "reports"]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Workspace, dict[str, Any]]]:
    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY) as ws:
        built = build_demo(ws)
        yield ws, built


def test_the_demo_runs_three_methodologies_side_by_side(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    view = ws.view()
    followed = {p.methodology for p in view.projects()}

    assert followed == {"stage-gate", "scrum", "kanban"}
    assert view.entity(SCRUM_PROJECT).methodology == "scrum"
    assert view.entity(KANBAN_PROJECT).methodology == "kanban"
    assert built["counts"]["project"] == 27
    assert built["delivery"]["scrum"]["sprints"] == ["S1", "S2", "S3", "S4", "S5"]


def test_the_scrum_team_earns_what_agile_evm_says_and_its_velocity_is_its_sprints(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    view = ws.view()
    agile = pmo_scrum.agile_evm(view, SCRUM_PROJECT)
    velocity = {v.sprint: (v.committed, v.done) for v in pmo_scrum.velocity(view, SCRUM_PROJECT)}

    assert ws.metrics(SCRUM_PROJECT).value("ev") == agile.ev.amount
    assert agile.ev.amount == (Decimal(270_000) * agile.points_done / agile.total_points).quantize(
        Decimal("0.01")
    )
    # Sprint 3 carried a story over; the others finished what they committed.
    assert velocity["S1"][0] == velocity["S1"][1]
    assert velocity["S3"][1] < velocity["S3"][0]
    # The gate into delivery was passed, as the phase says.
    assert [d.gate for d in view.gate_decisions(SCRUM_PROJECT)] == ["ready-to-sprint"]
    assert not [f for f in ws.check(SCRUM_PROJECT) if not f.passed]


def test_the_kanban_team_is_over_one_wip_limit_and_the_controlling_model_warns(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    view = ws.view()
    fields = pmo_kanban.kanban_fields(view.entity(KANBAN_PROJECT))
    counts = {c.status: 0 for c in fields.columns}
    for item in view.work_items(KANBAN_PROJECT):
        counts[item.status] += 1

    assert counts == {"backlog": 0, "ready": 4, "in_progress": 4, "review": 2, "done": 18}
    failing = [f for f in ws.check(KANBAN_PROJECT) if not f.passed]
    assert [(f.rule, f.level) for f in failing] == [("kanban-wip-limit", "warn")]
    assert "column 'in_progress' holds 4 items, over its WIP limit of 3" in failing[0].message
    # Each delivered card earns its 2000 EUR (0/100).
    assert ws.metrics(KANBAN_PROJECT).value("ev") == Decimal("36000.00")


def test_the_teams_roll_up_with_the_stage_gate_projects(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    cx = ws.metrics("CX")
    assert isinstance(cx, ScopeMetrics)
    members = {key: ws.metrics(key).value("ev") for key in cx.included}
    total = cx.totals.value("ev")

    assert SCRUM_PROJECT in members
    # The total sums the unrounded figures: within a cent per project of the rounded ones.
    assert total is not None
    summed = sum(v for v in members.values() if v is not None)
    assert abs(total - summed) <= Decimal("0.01") * len(members)
    report = json.loads(ws.report("portfolio-summary", "DIGITAL", format="json").content)
    figures = {m["name"]: m["value"] for m in report["metrics"]}
    digital = ws.metrics("DIGITAL")
    assert isinstance(digital, ScopeMetrics)
    assert figures["ev"] == str(digital.totals.value("ev"))


def test_the_pmo_review_measures_satisfaction_cost_and_decisions_on_the_demo(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    doc = json.loads(ws.report("pmo-review", format="json").content)
    kpis = {k["name"]: k for k in doc["kpis"]}

    assert built["delivery"]["office"] == {"pmo_costs": 4, "survey_responses": 24}
    for name in ("satisfaction", "pmo_cost", "request_to_decision", "pmo_roi"):
        assert kpis[name]["measured"], (name, kpis[name]["reason"])
        assert kpis[name]["metric"]["inputs"], name
    # The Scrum team's gate was requested six days before it was decided.
    assert kpis["request_to_decision"]["metric"]["value"] == "6.00"
