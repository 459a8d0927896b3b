"""``pmo objective``: a tree of objectives with owners and measures, alignment of projects;
``--json`` everywhere; bad input names the option, exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmo_core import Alignment, Objective, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def ws(pmo_workspace_factory: Callable[..., Workspace]) -> Workspace:
    ws = pmo_workspace_factory(enabled=["strategy"], store="sqlite")
    ws.create("portfolio", id="PF", name="Acme")
    ws.create("portfolio", id="PG", name="Other")
    ws.create("program", id="PR", name="Digital", parent="PF")
    ws.create("project", id="CRM", name="New CRM", parent="PR", lifecycle="proposed")
    ws.create("project", id="ELSE", name="Elsewhere", parent="PG", lifecycle="proposed")
    return ws


@pytest.fixture
def run(ws: Workspace, pmo_cli: Run) -> Run:
    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str, code: int = 2) -> None:
    result.assert_error(needle, code=code)


def test_add_list_show_update_as_a_tree(run: Run, ws: Workspace) -> None:
    grow = ok(run, "objective", "add", "Grow revenue", "--portfolio", "PF", "--weight", "2",
              "--owner", "Dana", "--json").json()  # fmt: skip
    assert (grow["owner"], grow["weight"], grow["parent"]) == ("Dana", 2.0, None)
    sub = ok(run, "objective", "add", "New markets", "--portfolio", "PF", "--parent",
             "Grow revenue", "--measure", "Revenue abroad", "--target", "20 % by 2028",
             "--json").json()  # fmt: skip
    assert sub["parent"] == grow["id"]
    ok(run, "objective", "add", "Cut costs", "--portfolio", "PF")
    ok(run, "objective", "align", "CRM", "New markets", "--weight", "0.8")
    out = ok(run, "objective", "list", "--under", "PF").output.splitlines()
    assert len(out) == 4
    assert "Cut costs" in out[1]
    assert "Grow revenue" in out[2]
    assert "  New markets" in out[3]  # indented under its parent
    assert out[3].rstrip().endswith("CRM (0.8)")
    listed = ok(run, "objective", "list", "--under", "CRM", "--json").json()
    assert [(o["name"], o["depth"]) for o in listed] == [
        ("Cut costs", 0),
        ("Grow revenue", 0),
        ("New markets", 1),
    ]
    assert listed[2]["aligned"] == [{"project": "CRM", "weight": 0.8}]
    shown = ok(run, "objective", "show", "Grow revenue", "--json").json()
    assert shown["children"] == [sub["id"]]
    text = ok(run, "objective", "show", "New markets").output
    assert "parent:    Grow revenue" in text
    assert "target:    20 % by 2028" in text
    changed = ok(run, "objective", "update", "New markets", "--target", "25 %", "--parent", "",
                 "--json").json()  # fmt: skip
    assert (changed["target"], changed["parent"]) == ("25 %", None)
    assert len(ws.view().records(Objective)) == 3


def test_align_again_changes_the_weight_and_unalign_removes(run: Run, ws: Workspace) -> None:
    ok(run, "objective", "add", "Grow", "--portfolio", "PF")
    ok(run, "objective", "align", "CRM", "Grow", "--weight", "0.5")
    made = ok(run, "objective", "align", "CRM", "Grow", "--weight", "1", "--json").json()
    assert made["weight"] == 1.0
    assert [a.weight for a in ws.view().records(Alignment)] == [1.0]
    ok(run, "objective", "unalign", "CRM", "Grow")
    assert ws.view().records(Alignment) == []
    error(run("objective", "unalign", "CRM", "Grow"), "CRM is not aligned", code=3)


def test_remove_refuses_while_children_or_alignments_exist(run: Run, ws: Workspace) -> None:
    ok(run, "objective", "add", "Grow", "--portfolio", "PF")
    ok(run, "objective", "add", "Sub", "--portfolio", "PF", "--parent", "Grow")
    error(run("objective", "remove", "Grow"), "has child objectives (Sub)", code=4)
    ok(run, "objective", "align", "CRM", "Sub", "--weight", "0.5")
    error(run("objective", "remove", "Sub"), "has projects aligned to it (CRM)", code=4)
    assert len(ws.view().records(Objective)) == 2
    ok(run, "objective", "unalign", "CRM", "Sub")
    removed = ok(run, "objective", "remove", "Sub", "--json").json()
    assert removed["name"] == "Sub"
    ok(run, "objective", "remove", "Grow")
    assert ws.view().records(Objective) == []


def test_bad_input_names_the_option_and_writes_nothing(run: Run, ws: Workspace) -> None:
    ok(run, "objective", "add", "Grow", "--portfolio", "PF")
    ok(run, "objective", "add", "Sub", "--portfolio", "PF", "--parent", "Grow")
    ok(run, "objective", "add", "Theirs", "--portfolio", "PG")
    before = {o.id: o.version for o in ws.view().records(Objective)}
    error(run("objective", "update", "Grow", "--parent", "Sub"), "--parent: ")
    error(run("objective", "update", "Grow", "--parent", "Grow"), "makes a cycle")
    error(run("objective", "update", "Grow", "--parent", "Theirs"), "not PF")
    error(run("objective", "add", "X", "--portfolio", "PF", "--parent", "Nope"), "no objective",
          code=3)  # fmt: skip
    error(run("objective", "add", "X", "--portfolio", "PR"), "PR is a program, not a portfolio")
    error(run("objective", "add", "X", "--portfolio", "PF", "--weight", "-1"), "--weight")
    error(run("objective", "align", "CRM", "Grow", "--weight", "1.5"), "--weight: ")
    error(run("objective", "align", "ELSE", "Grow", "--weight", "0.5"), "not under portfolio PF")
    error(run("objective", "update", "Grow", "--weight", "-2"), "weight")
    assert {o.id: o.version for o in ws.view().records(Objective)} == before
    assert ws.view().records(Alignment) == []


@pytest.mark.parametrize(("weight", "good"), [("0", True), ("1", True), ("1.01", False),
                                               ("-0.01", False)])  # fmt: skip
def test_alignment_weight_boundaries(run: Run, ws: Workspace, weight: str, good: bool) -> None:
    ok(run, "objective", "add", "Grow", "--portfolio", "PF")
    result = run("objective", "align", "CRM", "Grow", "--weight", weight)
    if good:
        assert result.exit_code == 0, result.stderr
        assert [a.weight for a in ws.view().records(Alignment)] == [float(weight)]
    else:
        error(result, "--weight: ")
        assert ws.view().records(Alignment) == []
