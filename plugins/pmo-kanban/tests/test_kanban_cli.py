"""``pmo kanban``: the board, items, classes of service, flow and cumulative flow through the
command line; bad input is one ``error:`` line naming the option, exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmo_core import Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def ops(pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run) -> Run:
    ws = pmo_workspace_factory(enabled=["kanban", "governance"], methodology="kanban")
    ws.create("project", id="OPS", name="Ops", budget="3000 EUR")

    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str) -> None:
    result.assert_error(needle)


def _flow(run: Run) -> dict[str, str]:
    ok(run, "kanban", "set-board", "OPS", "--column", "todo", "--column", "doing:1",
       "--column", "done", "--policy", "doing=One at a time")  # fmt: skip
    ids = {}
    for name in ("A", "B", "C"):
        added = ok(run, "kanban", "add", "OPS", name, "--on", "2025-03-03", "--budget",
                   "1000 EUR", "--json").json()  # fmt: skip
        ids[name] = added["id"]
    ok(run, "work", "move", ids["A"], "doing", "--on", "2025-03-04")
    ok(run, "work", "move", ids["A"], "done", "--on", "2025-03-05")
    ok(run, "work", "move", ids["B"], "doing", "--on", "2025-03-05")
    ok(run, "work", "move", ids["C"], "doing", "--on", "2025-03-06")
    ok(run, "kanban", "class", ids["C"][:6], "expedite")
    return ids


def test_board_flow_and_cfd(ops: Run) -> None:
    ids = _flow(ops)
    board = ok(ops, "kanban", "board", "OPS", "--json").json()
    assert [(c["status"], c["items"], c["over_limit"]) for c in board["columns"]] == [
        ("todo", 0, False),
        ("doing", 2, True),
        ("done", 1, False),
    ]
    assert (board["commitment"], board["delivery"]) == ("doing", "done")
    assert board["classes"] == {ids["C"]: "expedite"}
    table = ok(ops, "kanban", "board", "OPS").output
    assert "2/1 OVER" in table
    assert "One at a time" in table
    flow = ok(ops, "kanban", "flow", "OPS", "--from", "2025-03-03", "--to", "2025-03-06",
              "--json").json()  # fmt: skip
    assert flow["delivered"] == 1
    assert flow["lead_time"] == {"50": 3, "85": 3, "95": 3}  # 03-03 .. 03-05
    assert flow["cycle_time"] == {"50": 2, "85": 2, "95": 2}  # 03-04 .. 03-05
    assert [(w["subject"], w["age"], w["class_of_service"]) for w in flow["wip"]] == [
        ("B", 2, "standard"),
        ("C", 1, "expedite"),
    ]
    cfd = ok(ops, "kanban", "cfd", "OPS", "--from", "2025-03-03", "--to", "2025-03-06",
             "--json").json()  # fmt: skip
    assert cfd == [
        {"day": "2025-03-03", "todo": 3, "doing": 0, "done": 0},
        {"day": "2025-03-04", "todo": 2, "doing": 1, "done": 0},
        {"day": "2025-03-05", "todo": 1, "doing": 1, "done": 1},
        {"day": "2025-03-06", "todo": 0, "doing": 2, "done": 1},
    ]
    assert "DAY" in ok(ops, "kanban", "cfd", "OPS").output
    finding = ok(ops, "governance", "check", "OPS", "--json").json()
    assert "column 'doing' holds 2 items, over its WIP limit of 1" in str(finding)
    metrics = ok(ops, "metrics", "OPS", "--json").json()
    ev = next(m for m in metrics["metrics"] if m["name"] == "ev")
    assert ev["value"] == "1000.00"  # the delivered item earns its budget (0/100)


def test_template(ops: Run) -> None:
    assert ok(ops, "kanban", "template", "board-policies").output.startswith("# Board")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["set-board", "OPS", "--column", "a:0"], "--column: 'a:0' is not a column"),
        (["set-board", "OPS", "--column", "a:x"], "--column: 'a:x' is not a column"),
        (
            ["set-board", "OPS", "--column", "a", "--column", "a"],
            "--column: two columns hold the status 'a'",
        ),
        (
            ["set-board", "OPS", "--commitment", "nowhere"],
            "--commitment: the commitment point 'nowhere' is not a column",
        ),
        (["set-board", "OPS", "--policy", "nowhere=x"], "--policy: 'nowhere=x' names no column"),
        (["add", "OPS", "X", "--status", "nowhere"], "--status: 'nowhere' is not a column"),
        (["add", "OPS", "X", "--on", "2999-01-01"], "--on: 2999-01-01 is after"),
        (["add", "OPS", "X", "--budget", "5 USD"], "--budget: 5 USD is in USD"),
        (
            ["flow", "OPS", "--from", "2025-03-09", "--to", "2025-03-08"],
            "--to: 2025-03-08 is before --from 2025-03-09",
        ),
        (["cfd", "OPS", "--from", "2025-03-09", "--to", "2025-03-08"], "--to: 2025-03-08"),
    ],
)
def test_bad_input_writes_nothing(ops: Run, argv: list[str], needle: str) -> None:
    _flow(ops)
    before = ops("kanban", "board", "OPS", "--json").output
    items = ops("work", "list", "OPS", "--json").output
    error(ops("kanban", *argv), needle)
    assert ops("kanban", "board", "OPS", "--json").output == before
    assert ops("work", "list", "OPS", "--json").output == items


def test_unknown_class_names_the_classes(ops: Run) -> None:
    ids = _flow(ops)
    result = ops("kanban", "class", ids["A"], "urgent")
    assert result.exit_code == 2
    assert "expedite" in result.stderr


def test_class_json_and_back_to_standard(ops: Run) -> None:
    ids = _flow(ops)
    shown = ok(ops, "kanban", "class", ids["C"], "standard", "--json").json()
    assert shown["class_of_service"] == "standard"
    assert ok(ops, "kanban", "board", "OPS", "--json").json()["classes"] == {}


def test_items_off_the_board_are_shown(ops: Run) -> None:
    _flow(ops)
    ok(ops, "work", "add", "OPS", "Added elsewhere")
    assert ok(ops, "kanban", "board", "OPS", "--json").json()["off_board"] == {"open": 1}
    assert (
        "Off the board (a status on no column): open 1" in ok(ops, "kanban", "board", "OPS").output
    )
