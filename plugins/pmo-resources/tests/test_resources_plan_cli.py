"""``pmo allocate --from-plan`` and ``pmo resource cost --to-budget`` through the command line:
what they print, ``--json``, ``--dry-run``, and bad input as one ``error:`` line, exit 2,
nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from pmo_core import Allocation, BudgetLine, Rate, Resource, WorkItem, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def plan(pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run) -> tuple[Workspace, Run]:
    ws = pmo_workspace_factory(enabled=["resources", "governance"])
    ws.create("project", id="ALPHA", name="Alpha", budget="3000 EUR")
    ws.add(
        Resource(name="Kim Lee", rates=[Rate(effective_from=date(2025, 1, 1), per_hour="100 EUR")])
    )
    ws.add(WorkItem(project="ALPHA", subject="Build", assignee="Kim Lee",
                    start=date(2025, 1, 27), due=date(2025, 2, 7), work=40))  # fmt: skip
    ws.add(WorkItem(project="ALPHA", subject="Test", assignee="Zed",
                    start=date(2025, 1, 27), due=date(2025, 2, 7), work=10))  # fmt: skip

    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return ws, run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str, code: int = 2) -> None:
    result.assert_error(needle, code=code)


def test_from_plan_dry_run_then_write_then_again(plan: tuple[Workspace, Run]) -> None:
    ws, run = plan
    [test] = [w for w in ws.view().records(WorkItem, "ALPHA") if w.subject == "Test"]
    dry = ok(run, "allocate", "--from-plan", "ALPHA", "--dry-run").output
    assert f"not placed: {test.id} Test: unknown assignee (Zed)" in dry
    assert "would add 1, would change 0, would remove 0, unchanged 0" in dry
    assert ws.view().records(Allocation) == []
    data = ok(run, "allocate", "--from-plan", "ALPHA", "--json").json()
    assert [(a["hours"], a["start"], a["finish"]) for a in data["allocations"]] == [
        (40.0, "2025-01-27", "2025-02-07")
    ]
    assert data["unplaced"] == [
        {"work_item": test.id, "subject": "Test", "reason": "unknown assignee", "assignee": "Zed"}
    ]
    assert (len(data["added"]), data["dry_run"]) == (1, False)
    again = ok(run, "allocate", "--from-plan", "ALPHA").output
    assert "added 0, changed 0, removed 0, unchanged 1" in again
    assert len(ws.view().records(Allocation)) == 1


def test_to_budget_prints_lines_and_bac(plan: tuple[Workspace, Run]) -> None:
    ws, run = plan
    ok(run, "allocate", "--from-plan", "ALPHA")
    dry = ok(run, "resource", "cost", "--project", "ALPHA", "--to-budget", "--dry-run").output
    # 4 h a day over ten days at 100 EUR: 2000 EUR in January, 2000 in February.
    assert "labour-ALPHA-2025-01" in dry
    assert "Labour: 4000.00 EUR; other budget lines: 0.00 EUR" in dry
    assert "BAC 3000 EUR does not cover the labour cost (short by 1000.00 EUR)" in dry
    assert ws.view().budget_lines("ALPHA") == []
    data = ok(run, "resource", "cost", "--project", "ALPHA", "--to-budget", "--json").json()
    assert [(x["id"], x["amount"], x["nature"], x["category"]) for x in data["lines"]] == [
        ("labour-ALPHA-2025-01", "2000.00 EUR", "labour", "opex"),
        ("labour-ALPHA-2025-02", "2000.00 EUR", "labour", "opex"),
    ]
    assert (data["labour"], data["bac"], data["covered"], data["headroom"]) == (
        "4000.00 EUR",
        "3000 EUR",
        False,
        "-1000.00 EUR",
    )
    assert len(ws.view().budget_lines("ALPHA")) == 2
    ws.update("ALPHA", budget="4000 EUR")
    again = ok(run, "resource", "cost", "--project", "ALPHA", "--to-budget").output
    assert "BAC 4000 EUR covers the labour cost (headroom 0.00 EUR)" in again
    assert "added 0, changed 0, removed 0, unchanged 2" in again
    listed = ok(run, "resource", "cost", "--project", "ALPHA", "--json").json()
    assert listed == [{"project": "ALPHA", "costs": ["4000.00 EUR"], "unpriced_hours": "0.00"}]


def test_bad_input_is_one_line_and_writes_nothing(plan: tuple[Workspace, Run]) -> None:
    ws, run = plan
    error(run("allocate", "Kim Lee", "--from-plan", "ALPHA"), "RESOURCE")
    error(run("allocate", "--from-plan", "ALPHA", "--from", "2025-01-01"), "--from")
    error(run("allocate", "--dry-run", "Kim Lee", "ALPHA"), "--dry-run")
    error(run("allocate", "Kim Lee"), "PROJECT")
    error(run("allocate", "Kim Lee", "ALPHA", "--to", "2025-01-31"), "--from")
    error(run("allocate", "--from-plan", "NOPE"), "NOPE", code=3)
    error(run("resource", "cost", "--to-budget"), "--project")
    error(run("resource", "cost", "--project", "ALPHA", "--to-budget", "--from", "2025-01"),
          "--from")  # fmt: skip
    error(run("resource", "cost", "--dry-run"), "--dry-run")
    ws.create("project", id="BETA", name="Beta", currency="USD")
    kim = ws.view().records(Resource)[0]
    ws.add(Allocation(resource=kim.id, project="BETA", start=date(2025, 1, 6),
                      finish=date(2025, 1, 10), hours=8))  # fmt: skip
    error(run("resource", "cost", "--project", "BETA", "--to-budget"), "never converted")
    assert ws.view().records(Allocation, "ALPHA") == []
    assert ws.view().records(BudgetLine) == []


def test_to_budget_capex_unpriced_warning_and_no_bac(plan: tuple[Workspace, Run]) -> None:
    ws, run = plan
    ws.create("project", id="BETA", name="Beta")
    lou = ws.add(
        Resource(name="Lou", rates=[Rate(effective_from=date(2025, 1, 29), per_hour="50 EUR")])
    )
    ws.add(Allocation(resource=lou.id, project="BETA", start=date(2025, 1, 27),
                      finish=date(2025, 1, 31), hours=20))  # fmt: skip
    out = ok(run, "resource", "cost", "--project", "BETA", "--to-budget", "--category", "capex")
    # 4 h a day; the 27th and 28th have no rate yet: 8 h unpriced, 12 h x 50 = 600 EUR.
    assert "labour-BETA-2025-01  2025-01-01  2025-01-31  capex     600.00 EUR" in out.output
    assert "BAC: not set on BETA" in out.output
    assert "warning: 8.00 hours have no rate and cost nothing here" in out.output
    [line] = ws.view().budget_lines("BETA")
    assert (line.category, line.nature, str(line.amount)) == ("capex", "labour", "600.00 EUR")
    error(run("resource", "cost", "--project", "NOPE", "--to-budget"), "NOPE", code=3)
    error(run("resource", "cost", "--project", "BETA", "--category", "other"), "--category")
    help_text = ok(run, "allocate", "--help").output
    assert "pmo allocate --from-plan ALPHA --dry-run" in help_text
