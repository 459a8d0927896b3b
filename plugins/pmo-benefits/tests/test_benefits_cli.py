"""``pmo benefit``: add, measure, list and show through the command line, with ``--json``;
bad input is one ``error:`` line naming the option, exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmo_core import Benefit, BenefitMeasurement, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]

ADD = ("benefit", "add", "Cheaper invoices", "--measure", "Cost per invoice", "--unit", "EUR",
       "--baseline", "12", "--target", "8", "--baseline-on", "2025-01-01",
       "--target-on", "2025-04-11", "--portfolio", "PF", "--project", "LEDGER",
       "--owner", "Dana Ruiz")  # fmt: skip


@pytest.fixture
def ws(pmo_workspace_factory: Callable[..., Workspace]) -> Workspace:
    ws = pmo_workspace_factory(enabled=["benefits"], store="sqlite")
    ws.create("portfolio", id="PF", name="Acme")
    ws.create("project", id="LEDGER", name="New ledger", parent="PF")
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


def test_add_measure_list_show(run: Run) -> None:
    added = ok(run, *ADD, "--profile", "2025-01-21=11.5", "--json").json()
    assert (added["baseline"], added["target"], added["owner"]) == ("12", "8", "Dana Ruiz")
    assert added["profile"] == [{"on": "2025-01-21", "value": "11.5"}]
    bid = added["id"]
    out = ok(run, "benefit", "measure", "Cheaper invoices", "10.5", "--on", "2025-02-20",
             "--by", "Finance").output  # fmt: skip
    # Day 50 of the plan: from 11.5 on day 20 towards 8 on day 100, 10.1875 planned;
    # 1.5 of a planned 1.8125 is 82.76 %.
    assert out == (
        "Measured Cheaper invoices: 10.5 on 2025-02-20 (37.50 % of target, 82.76 % of plan)\n"
    )
    listed = ok(run, "benefit", "list", "--status-date", "2025-02-20", "--json").json()
    assert [b["id"] for b in listed] == [bid]
    assert listed[0]["realisation"] == {
        "on": "2025-02-20",
        "measured_on": "2025-02-20",
        "actual": "10.5",
        "planned": "10.1875",
        "of_target": "37.50",
        "of_plan": "82.76",
        "at_risk": False,
        "reason": "realised 82.8 % of the change planned by 2025-02-20, at or above 80 %",
    }
    shown = ok(run, "benefit", "show", bid, "--status-date", "2025-02-20", "--json").json()
    assert [(m["on"], m["value"], m["measured_by"]) for m in shown["measurements"]] == [
        ("2025-02-20", "10.5", "Finance")
    ]
    text = ok(run, "benefit", "show", "Cheaper invoices", "--status-date", "2025-02-20").output
    assert "at risk:     no" in text
    assert "plan:        2025-01-01 12, 2025-01-21 11.5, 2025-04-11 8" in text
    table = ok(run, "benefit", "list", "--status-date", "2025-02-20").output.splitlines()
    assert table[0].split() == ["ID", "NAME", "KIND", "MEASURE", "ACTUAL", "%", "TARGET", "%",
                                "PLAN", "RISK"]  # fmt: skip
    assert ok(run, "benefit", "list", "--at-risk").output == "(none)\n"


def test_at_risk_and_under(run: Run, ws: Workspace) -> None:
    bid = ok(run, *ADD, "--json").json()["id"]
    ws.create("portfolio", id="PF2", name="Other")
    ok(run, "benefit", "add", "Fees", "--dis-benefit", "--measure", "Fees", "--baseline", "0",
       "--target", "100", "--baseline-on", "2025-01-01", "--target-on", "2025-04-11",
       "--portfolio", "PF2")  # fmt: skip
    ok(run, "benefit", "measure", bid, "11", "--on", "2025-02-20")  # 1 of 2 planned: 50 %
    risky = ok(run, "benefit", "list", "--at-risk", "--json").json()
    assert [b["id"] for b in risky] == [bid]
    assert [b["name"] for b in ok(run, "benefit", "list", "--under", "PF2", "--json").json()] == [
        "Fees"
    ]
    assert len(ok(run, "benefit", "list", "--limit", "1", "--json").json()) == 1


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("--baseline", "lots"), "--baseline: 'lots' is not a number"),
        (("--target", "12"), "--target: target must differ from baseline"),
        (("--target-on", "2024-12-31"), "--target-on: target_on 2024-12-31 is not after"),
        (("--project", "NOPE"), "--project: no project or program 'NOPE'"),
        (("--portfolio", "NOPE"), "--portfolio: no portfolio 'NOPE'"),
        (("--objective", "abc"), "--objective: no objective 'abc'"),
        (("--profile", "2025-01-21"), "--profile: '2025-01-21' is not YYYY-MM-DD=NUMBER"),
        (("--profile", "2025-05-01=3"), "--profile: profile dates must be"),
        (("--profile", "2025-02-01=x"), "--profile: 'x' is not a number"),
    ],
)
def test_bad_add_writes_nothing(
    run: Run, ws: Workspace, change: tuple[str, str], needle: str
) -> None:
    error(run(*ADD, *change), needle)
    assert ws.view().records(Benefit) == []


def test_bad_measure_writes_nothing(run: Run, ws: Workspace) -> None:
    bid = ok(run, *ADD, "--json").json()["id"]
    error(run("benefit", "measure", bid, "Infinity"), "VALUE: 'Infinity' is not a number")
    error(run("benefit", "measure", bid, "1", "--on", "2025-13-01"), "--on")
    error(run("benefit", "measure", "nope", "1"), "no benefit 'nope'", code=3)
    error(run("benefit", "show", "nope"), "no benefit 'nope'", code=3)
    assert ws.view().records(BenefitMeasurement) == []


def test_help_has_examples(run: Run) -> None:
    for command in ("add", "list", "show", "measure"):
        assert "Examples:" in ok(run, "benefit", command, "--help").output
