"""The board kept in a project's custom fields ``kanban``, and the ``kanban`` methodology."""

from __future__ import annotations

import pmo_kanban
import pytest
from pmo_kanban import KANBAN, KanbanFields

from pmo_core import InvalidInputError, WorkItem, Workspace
from pmo_core.testing import assert_valid_plugin


def test_the_plugin_is_valid() -> None:
    assert_valid_plugin(pmo_kanban)


def test_the_record() -> None:
    assert [r.name for r in KANBAN.roles] == ["service-delivery-manager", "service-request-manager"]
    assert [e.name for e in KANBAN.events] == [
        "replenishment", "daily-kanban", "service-delivery-review",
    ]  # fmt: skip
    assert (KANBAN.gates, KANBAN.iterations, KANBAN.progress_measure) == ((), False, "0/100")
    assert all(a.template.startswith("# ") for a in KANBAN.artifacts)


def test_the_default_board() -> None:
    fields = KanbanFields()
    assert fields.statuses == ["backlog", "ready", "in_progress", "review", "done"]
    assert (fields.commitment_index, fields.delivery_index) == (1, 4)
    one = KanbanFields.model_validate({"columns": [{"status": "doing"}]})
    assert (one.commitment_index, one.delivery_index) == (0, 0)
    assert fields.class_of(WorkItem(project="P", subject="s")) == "standard"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"columns": []}, "at least one column"),
        ({"columns": [{"status": "a"}, {"status": "a"}]}, "two columns hold the status 'a'"),
        ({"columns": [{"status": "a"}], "commitment": "b"}, "commitment point 'b' is not a column"),
        ({"columns": [{"status": "a"}], "delivery": "b"}, "delivery point 'b' is not a column"),
        (
            {"columns": [{"status": "a"}, {"status": "b"}], "commitment": "b", "delivery": "a"},
            "the commitment point 'b' comes after the delivery point 'a'",
        ),
        ({"columns": [{"status": "a", "wip_limit": 0}]}, "greater than or equal to 1"),
        ({"columns": [{"status": "in progress"}]}, "pattern"),
        ({"classes": {"x": "urgent"}}, "expedite"),
    ],
)
def test_bad_boards_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        KanbanFields.model_validate(data)


def test_commitment_and_delivery_may_be_one_column() -> None:
    fields = KanbanFields.model_validate(
        {"columns": [{"status": "a"}, {"status": "b"}], "commitment": "b", "delivery": "b"}
    )
    assert fields.commitment_index == fields.delivery_index == 1


def test_a_bad_board_is_refused_on_write(ws: Workspace) -> None:
    ws.create("project", id="OPS", name="Ops")
    with pytest.raises(InvalidInputError, match=r"kanban\.columns"):
        ws.update("OPS", custom_fields={"kanban": {"columns": [{"status": "a", "wip_limit": -1}]}})
    assert "kanban" not in ws.get("OPS").custom_fields
