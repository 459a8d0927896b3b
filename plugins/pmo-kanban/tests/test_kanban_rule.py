"""The ``kanban-wip-limit`` rule: a column over its WIP limit is a finding naming the column,
its count and its limit, at the level each first-party governance model gives it."""

from __future__ import annotations

from collections.abc import Iterator

import pmo_governance
import pmo_kanban
import pytest
from kanban_support import Clock, build_board, d

from pmo_core import Finding, Workspace


def _finding(ws: Workspace) -> Finding:
    return next(f for f in ws.check("OPS") if f.rule == "kanban-wip-limit")


@pytest.fixture(params=["supportive", "controlling", "directive"])
def governed(request: pytest.FixtureRequest, clock: Clock) -> Iterator[tuple[Workspace, str]]:
    with Workspace.in_memory(
        plugins={"kanban": pmo_kanban, "governance": pmo_governance},
        governance_model=request.param,
        methodology="kanban",
        today=clock,
        actor="tester",
    ) as workspace:
        build_board(workspace, clock)
        yield workspace, request.param


LEVEL = {"supportive": "advise", "controlling": "warn", "directive": "block"}


def test_a_column_at_its_limit_passes(governed: tuple[Workspace, str], clock: Clock) -> None:
    ws, _ = governed
    clock.day = d(5)  # dev holds W1 and W2: 2, its limit
    assert _finding(ws).passed


def test_a_column_over_its_limit_is_a_finding_at_the_models_level(
    governed: tuple[Workspace, str], clock: Clock
) -> None:
    ws, model = governed
    w5 = next(i for i in ws.work_items("OPS") if i.subject == "W5")
    ws.move_work_item(w5.id, "dev", on=d(5))
    assert _finding(ws).passed  # today dev holds W4 and W5: 2, its limit
    clock.day = d(5)  # then it held W1, W2 and W5
    finding = _finding(ws)
    assert not finding.passed
    assert finding.level == LEVEL[model]
    assert finding.message == "column 'dev' holds 3 items, over its WIP limit of 2"


def test_every_column_over_its_limit_is_named(ws: Workspace, board: dict[str, str]) -> None:
    fields = ws.get("OPS").custom_fields["kanban"]
    columns = [
        {"status": "backlog", "wip_limit": 1},
        {"status": "ready"},
        {"status": "dev", "wip_limit": 1},
        {"status": "review"},
        {"status": "done", "wip_limit": 3},
    ]
    ws.update("OPS", custom_fields={"kanban": {**fields, "columns": columns}})
    finding = _finding(ws)
    assert finding.level == "warn"  # the rule's own level under the neutral model
    # backlog holds 1 (its limit: fine); dev 1 of 1 (fine); done 4 of 3.
    assert finding.message == "column 'done' holds 4 items, over its WIP limit of 3"
    columns[0]["wip_limit"] = 1
    columns[2]["wip_limit"] = 1
    ws.move_work_item(board["W5"], "dev")
    ws.update("OPS", custom_fields={"kanban": {**fields, "columns": columns}})
    assert _finding(ws).message == (
        "column 'dev' holds 2 items, over its WIP limit of 1; "
        "column 'done' holds 4 items, over its WIP limit of 3"
    )


def test_a_project_without_a_board_has_no_limit(ws: Workspace) -> None:
    ws.create("project", id="OPS", name="Ops")
    assert _finding(ws).passed
