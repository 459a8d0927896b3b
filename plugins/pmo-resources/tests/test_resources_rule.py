"""The ``resource-over-allocated`` rule on the hand-built case: a project drawing on an
over-allocated role is a finding naming role, month and figures, at each model's level."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pmo_governance
import pmo_resources
import pytest
from resources_support import build_case

from pmo_core import Finding, Workspace

RULE = "resource-over-allocated"
LEVEL = {"supportive": "advise", "controlling": "warn", "directive": "block"}
BETA = (
    "role 'Analyst' over-allocated in 2025-04: demand 88.00 h, capacity 70.40 h (125.00 %); "
    "role 'Developer' over-allocated in 2025-03: demand 420.00 h, capacity 336.00 h (125.00 %)"
)


def _finding(ws: Workspace, key: str) -> Finding:
    return next(f for f in ws.check(key) if f.rule == RULE)


@pytest.fixture(params=["supportive", "controlling", "directive"])
def governed(request: pytest.FixtureRequest) -> Iterator[tuple[Workspace, str]]:
    with Workspace.in_memory(
        plugins={"resources": pmo_resources, "governance": pmo_governance},
        governance_model=request.param,
        today=lambda: date(2025, 1, 1),
        actor="tester",
    ) as workspace:
        build_case(workspace)
        yield workspace, request.param


def test_an_over_allocated_role_is_a_finding_at_the_models_level(
    governed: tuple[Workspace, str],
) -> None:
    ws, model = governed
    finding = _finding(ws, "BETA")
    assert not finding.passed
    assert finding.level == LEVEL[model]
    assert finding.message == BETA


def test_the_rules_own_level_under_the_neutral_model(ws: Workspace, case: dict[str, str]) -> None:
    finding = _finding(ws, "GAMMA")
    assert finding.level == "warn"
    assert finding.message == (
        "role 'Tester' over-allocated in 2025-05: demand 132.00 h, capacity 88.00 h (150.00 %)"
    )


def test_a_project_not_drawing_on_the_role_then_passes(ws: Workspace, case: dict[str, str]) -> None:
    # ALPHA draws on Developer in March (over) and Analyst in April (over).
    assert "2025-03" in _finding(ws, "ALPHA").message
    ws.create("project", id="IDLE", name="No allocation")
    assert _finding(ws, "IDLE").passed


def test_months_before_the_status_date_are_history() -> None:
    with Workspace.in_memory(
        plugins={"resources": pmo_resources}, today=lambda: date(2025, 4, 15), actor="t"
    ) as ws:
        build_case(ws)
        assert _finding(ws, "BETA").message == BETA.split("; ")[0]
    with Workspace.in_memory(
        plugins={"resources": pmo_resources}, today=lambda: date(2025, 5, 1), actor="t"
    ) as ws:
        build_case(ws)
        assert _finding(ws, "BETA").passed  # BETA ends in April


@pytest.mark.parametrize(("limit", "passed"), [("1.25", True), ("1.2499", False)])
def test_the_threshold_comes_from_the_rules_settings(limit: str, passed: bool) -> None:
    with Workspace.in_memory(
        plugins={"resources": pmo_resources},
        rules={RULE: {"over_allocated_above": limit}},
        today=lambda: date(2025, 1, 1),
        actor="t",
    ) as ws:
        build_case(ws)
        assert _finding(ws, "BETA").passed is passed


def test_a_proposed_project_is_checked_with_its_own_demand(
    ws: Workspace, case: dict[str, str]
) -> None:
    # DELTA (proposed): Dee 100 % on top of the counted demand; Tester January 92 of 92 is
    # at the limit, April 88 + 44 = 132 of 88 over.
    message = _finding(ws, "DELTA").message
    assert "2025-01" not in message
    assert message.startswith(
        "role 'Tester' over-allocated in 2025-04: demand 132.00 h, capacity 88.00 h (150.00 %)"
    )
