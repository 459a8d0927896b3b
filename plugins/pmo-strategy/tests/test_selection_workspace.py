"""Selection from a workspace: candidates, limits, scenarios, decisions, the report and the
commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pmo_reports
import pmo_resources
import pmo_stage_gate
import pmo_strategy
import pytest

from pmo_core import (
    Alignment,
    Allocation,
    InvalidInputError,
    Money,
    NotFoundError,
    Objective,
    Resource,
    Workspace,
)
from pmo_core.testing import CliResult

PLUGINS = {
    "strategy": pmo_strategy,
    "resources": pmo_resources,
    "reports": pmo_reports,
    "stage-gate": pmo_stage_gate,
}


def _costs(amount: str) -> dict[str, object]:
    return {"strategy": {"costs": {"2030": amount}}}


def build(ws: Workspace) -> None:
    """PF with LEDGER (active) and four proposals; Ann and Ben developers; values by
    alignment: CRM 0.8, ERP 0.2 (mandatory), WEB 0.5, APP 0.4 (needs WEB)."""
    ws.create("portfolio", id="PF", name="Acme")
    ws.create("project", id="LEDGER", name="Ledger", parent="PF")
    common = {"parent": "PF", "lifecycle": "proposed", "methodology": "stage-gate"}
    ws.create("project", id="CRM", name="CRM", custom_fields=_costs("500000 EUR"), **common)
    ws.create(
        "project",
        id="ERP",
        name="ERP",
        custom_fields={"strategy": {"costs": {"2030": "400000 EUR"}, "mandatory": True}},
        **common,
    )
    ws.create(
        "project",
        id="WEB",
        name="Web",
        budget=Money.parse("300000 EUR"),
        planned_start=date(2030, 1, 1),
        planned_finish=date(2030, 12, 31),
        **common,
    )
    ws.create(
        "project",
        id="APP",
        name="App",
        custom_fields={
            "strategy": {"costs": {"2030": "100000 EUR"}, "depends_on": ["WEB", "LEDGER"]}
        },
        **common,
    )
    ann = ws.add(Resource(name="Ann", role="Developer"))
    ben = ws.add(Resource(name="Ben", role="Developer"))
    march = {"start": date(2030, 3, 1), "finish": date(2030, 3, 31)}
    ws.add(Allocation(resource=ann.id, project="LEDGER", percent=50, **march))
    ws.add(Allocation(resource=ben.id, project="CRM", percent=100, **march))
    ws.add(Allocation(resource=ann.id, project="WEB", percent=50, **march))
    grow = ws.add(Objective(portfolio="PF", name="Grow", weight=1.0))
    for key, weight in (("CRM", 0.8), ("ERP", 0.2), ("WEB", 0.5), ("APP", 0.4)):
        ws.add(Alignment(project=key, objective=grow.id, weight=weight))


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins=PLUGINS, today=lambda: date(2029, 12, 1), actor="tester"
    ) as workspace:
        build(workspace)
        yield workspace


BUDGET = {2030: Money.parse("1000000 EUR")}


def test_candidates_from_the_workspace(ws: Workspace) -> None:
    found = pmo_strategy.selection_input(ws, "PF", budgets=BUDGET)
    by_key = {c.key: c for c in found.candidates}
    assert list(by_key) == ["APP", "CRM", "ERP", "WEB"]
    assert by_key["CRM"].value == Decimal("0.8")
    assert by_key["CRM"].costs == {2030: Decimal(500000)}
    assert by_key["WEB"].costs == {2030: Decimal(300000)}  # the budget, one year
    # March 2030 has 21 working days of 8 hours.
    assert by_key["CRM"].hours == {("Developer", "2030-03"): Decimal("168.00")}
    assert by_key["ERP"].mandatory is True
    # LEDGER is committed: the dependency on it is met.
    assert by_key["APP"].depends_on == ("WEB",)
    # Capacity: 2 x 168 h, less LEDGER's 84 h.
    assert found.limits.capacity == {("Developer", "2030-03"): Decimal("252.00")}
    assert found.limits.budgets == {2030: Decimal(1000000)}
    result = pmo_strategy.select(found.candidates, found.limits)
    assert result.chosen == ("APP", "ERP", "WEB")
    assert result.value == Decimal("1.1")


def test_a_budget_spreads_over_the_planned_years_by_days() -> None:
    parts = pmo_strategy.spread(Money.parse("365000 EUR"), date(2026, 7, 1), date(2027, 6, 30))
    assert parts == {2026: Decimal("184000.00"), 2027: Decimal("181000.00")}
    assert sum(parts.values()) == 365000
    odd = pmo_strategy.spread(Money.parse("100 EUR"), date(2027, 12, 31), date(2029, 1, 1))
    assert sum(odd.values()) == 100
    assert odd[2027] == Decimal("0.27")


def test_no_cost_and_other_currencies_are_errors(ws: Workspace) -> None:
    ws.create("project", id="BARE", name="Bare", parent="PF", lifecycle="proposed")
    with pytest.raises(InvalidInputError, match="proposal BARE has no cost: set its strategy"):
        pmo_strategy.selection_input(ws, "PF", budgets=BUDGET)
    ws.update("BARE", custom_fields=_costs("10 USD"))
    with pytest.raises(InvalidInputError, match="BARE's cost in 2030 is in USD; the portfolio is"):
        pmo_strategy.selection_input(ws, "PF", budgets=BUDGET)
    ws.update("BARE", custom_fields=_costs("10 EUR"))
    with pytest.raises(InvalidInputError, match="the budget of 2030 is in USD"):
        pmo_strategy.selection_input(ws, "PF", budgets={2030: Money.parse("1 USD")})
    with pytest.raises(InvalidInputError, match="is a project, not a portfolio"):
        pmo_strategy.selection_input(ws, "CRM")
    with pytest.raises(NotFoundError, match="no portfolio or program 'NOPE'"):
        pmo_strategy.selection_input(ws, "NOPE")


def test_parse_budget() -> None:
    assert pmo_strategy.parse_budget("2030=1000", "EUR") == (2030, Money.parse("1000 EUR"))
    assert pmo_strategy.parse_budget("2030=5 USD", "EUR") == (2030, Money.parse("5 USD"))
    for bad in ("2030", "x=5", "2030=lots", "2030=-5"):
        with pytest.raises(InvalidInputError):
            pmo_strategy.parse_budget(bad, "EUR")


def test_scenarios_compare_and_decide(ws: Workspace) -> None:
    base = pmo_strategy.add_scenario(
        ws, pmo_strategy.Scenario(name="base", under="PF", budgets=BUDGET)
    )
    assert base.result is not None
    assert base.result.chosen == ("APP", "ERP", "WEB")
    growth = pmo_strategy.Scenario(
        name="growth", under="PF", budgets={2030: Money.parse("1500000 EUR")}
    )
    pmo_strategy.add_scenario(ws, growth)
    with pytest.raises(InvalidInputError, match="there is a scenario 'growth' already"):
        pmo_strategy.add_scenario(ws, growth)
    assert [s.name for s in pmo_strategy.scenarios(ws)] == ["base", "growth"]
    c = pmo_strategy.compare_scenarios(ws, ["base", "growth"])
    assert c.common == ("APP", "ERP", "WEB")
    assert c.differences == {"CRM": ("growth",)}
    done = pmo_strategy.decide_scenario(ws, "base")
    assert [(d.key, d.action) for d in done] == [
        ("APP", "requested"),
        ("ERP", "requested"),
        ("WEB", "requested"),
        ("CRM", "rejected"),
    ]
    # Governance is not bypassed: the proposals stay proposed until their gate's go.
    assert ws.view().entity("ERP").lifecycle == "proposed"
    actions = ws.raid_log("ERP", type="action")
    assert any("Selected in scenario base" in a.description for a in actions)
    decisions = ws.raid_log("CRM", type="decision")
    assert [d.title for d in decisions] == ["Not selected in scenario base"]
    assert pmo_strategy.scenario(ws, "base").decided_on == date(2029, 12, 1)
    pmo_strategy.remove_scenario(ws, "growth")
    with pytest.raises(NotFoundError):
        pmo_strategy.scenario(ws, "growth")


def test_decide_writes_nothing_when_a_selected_proposal_has_no_gate(ws: Workspace) -> None:
    ws.update("WEB", methodology=None)
    pmo_strategy.add_scenario(ws, pmo_strategy.Scenario(name="base", under="PF", budgets=BUDGET))
    before = len(ws.raid_log())
    with pytest.raises(InvalidInputError, match="no gate to request"):
        pmo_strategy.decide_scenario(ws, "base")
    assert len(ws.raid_log()) == before


def test_an_infeasible_scenario_is_not_stored(ws: Workspace) -> None:
    lean = pmo_strategy.Scenario(name="lean", under="PF", budgets={2030: Money.parse("1 EUR")})
    with pytest.raises(pmo_strategy.SelectionInfeasibleError, match="mandatory proposal ERP"):
        pmo_strategy.add_scenario(ws, lean)
    assert pmo_strategy.scenarios(ws) == []


# ------------------------------------------------------------------ CLI and report on disk


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("PMO_WORKSPACE", raising=False)
    with Workspace.init(tmp_path / "ws", profile="starter") as ws:
        pass
    toml = tmp_path / "ws" / "pmo.toml"
    text = toml.read_text()
    text = text.replace(
        'enabled = ["', 'enabled = ["strategy", "resources", "stage-gate", "reports", "'
    )
    toml.write_text(text + '\n[settings.strategy.selection]\nbudgets = { 2030 = "1000000 EUR" }\n')
    with Workspace.open(tmp_path / "ws") as ws:
        build(ws)
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


@pytest.fixture
def run(disk: Path, pmo_cli: Callable[..., CliResult]) -> Callable[..., tuple[int, str, str]]:
    def pmo(*args: str) -> tuple[int, str, str]:
        result = pmo_cli(*args, workspace=disk)
        return result.exit_code, result.output, result.stderr

    return pmo


def test_cli_selection_run_and_frontier(run: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = run("selection", "run", "--under", "PF", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [c["key"] for c in data["chosen"]] == ["APP", "ERP", "WEB"]
    assert data["spend"] == {"2030": "800000 EUR"}
    assert data["constraints"][0]["binding"] is True
    code, out, err = run("selection", "run", "--under", "PF", "--budget", "2030=100000")
    assert code == 2
    assert err.strip().splitlines() == [
        "error: budget 2030: mandatory proposal ERP needs 400,000 EUR in 2030; "
        "the budget is 100,000 EUR"
    ]
    code, out, _ = run("selection", "frontier", "--under", "PF", "--points", "3", "--json")
    assert code == 0, out
    assert [p["value"] for p in json.loads(out)] == ["0.2", "1.1", "1.9"]


def test_cli_scenarios(run: Callable[..., tuple[int, str, str]]) -> None:
    assert run("scenario", "add", "base", "--under", "PF")[0] == 0
    code, out, _ = run("scenario", "add", "cut", "--under", "PF", "--out", "WEB", "--json")
    assert code == 0, out
    assert json.loads(out)["result"]["chosen"] == ["CRM", "ERP"]
    code, out, _ = run("scenario", "compare", "base", "cut", "--json")
    assert json.loads(out)["differences"] == {"APP": ["base"], "CRM": ["cut"], "WEB": ["base"]}
    code, out, _ = run("scenario", "list", "--json")
    assert [s["name"] for s in json.loads(out)] == ["base", "cut"]
    code, out, _ = run("scenario", "decide", "cut", "--json")
    assert code == 0, out
    assert [(d["key"], d["action"]) for d in json.loads(out)] == [
        ("CRM", "requested"),
        ("ERP", "requested"),
        ("APP", "rejected"),
        ("WEB", "rejected"),
    ]
    assert run("scenario", "remove", "base")[0] == 0
    assert run("scenario", "show", "base")[0] == 3


@pytest.mark.parametrize("fmt", ["md", "json", "html", "csv", "xlsx"])
def test_report_in_every_format(
    disk: Path, run: Callable[..., tuple[int, str, str]], fmt: str
) -> None:
    code, out, err = run(
        "report", "portfolio-selection", "PF", "--format", fmt, "--output", str(disk / f"sel.{fmt}")
    )
    assert code == 0, out + err
    content = (disk / f"sel.{fmt}").read_bytes()
    assert content
    if fmt == "md":
        assert (
            b"| CRM | 0.8000 | no | budget 2030: needs 500,000 EUR, 200,000 EUR left |" in content
        )
    if fmt == "json":
        assert json.loads(content)["frontier"][-1]["value"] == "1.9"
    if fmt == "html":
        assert b"Efficient frontier" in content
        assert b"<svg" in content
    code, _, err = run("report", "portfolio-selection", "PF", "--option", "points=1")
    assert code == 2


def test_report_from_python_takes_the_budget_option(ws: Workspace) -> None:
    out = ws.report("portfolio-selection", "PF", format="md", options={"budget": "2030=1000000"})
    content = out.content
    assert isinstance(content, str)
    assert "value 1.1 with 3 of 4 proposals; binding: budget 2030" in content
    assert out.metrics[0].value == Decimal("1.1")
    with pytest.raises(InvalidInputError, match="capacity is on or off"):
        ws.report("portfolio-selection", "PF", format="md", options={"capacity": "maybe"})
    with pytest.raises(InvalidInputError, match="did you mean budget"):
        ws.report("portfolio-selection", "PF", format="md", options={"budgets": "1"})


def test_capacity_left_is_capacity_less_committed_demand_never_below_zero(ws: Workspace) -> None:
    dev = ("Developer", "2030-03")
    assert pmo_strategy.remaining_capacity(ws.view(), [dev]) == {dev: Decimal("252.00")}
    ben, ann = (r for r in sorted(ws.view().records(Resource), key=lambda r: r.name, reverse=True))
    march = {"start": date(2030, 3, 1), "finish": date(2030, 3, 31)}
    ws.add(Allocation(resource=ben.id, project="LEDGER", percent=100, **march))
    assert pmo_strategy.remaining_capacity(ws.view(), [dev]) == {dev: Decimal("84.00")}
    ws.add(Allocation(resource=ann.id, project="LEDGER", percent=100, **march))
    assert pmo_strategy.remaining_capacity(ws.view(), [dev]) == {dev: Decimal(0)}
    # A role no one fills has no capacity.
    nobody = ("Tester", "2030-03")
    assert pmo_strategy.remaining_capacity(ws.view(), [nobody]) == {nobody: Decimal(0)}


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--budget", "2030"), 2, "error: --budget: '2030' is not YEAR=AMOUNT"),
        (("--budget", "2030=5 USD"), 2, "error: --budget: the budget of 2030 is in USD"),
        (("--model", "nope"), 2, "error: --model: "),
        (("--in", "GONE"), 2, "error: GONE: no proposal 'GONE' to force in or out"),
        (("--in", "CRM", "--out", "CRM"), 2, "proposal CRM is forced both in and out"),
    ],
)
def test_cli_bad_input_is_one_line(
    run: Callable[..., tuple[int, str, str]], args: tuple[str, ...], code: int, needle: str
) -> None:
    got, out, err = run("selection", "run", "--under", "PF", *args)
    assert got == code, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(needle) or needle in lines[0], lines[0]


def test_cli_unknown_scope_and_bad_scenario_name(run: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run("selection", "run", "--under", "NOPE")
    assert code == 3
    assert "no portfolio or program 'NOPE'" in err
    code, _, err = run("scenario", "add", "no good", "--under", "PF")
    assert code == 2
    assert "'no good' is not a scenario name" in err
    code, _, err = run("scenario", "compare", "only")
    assert code == 2
    assert "compare needs two scenarios or more" in err
    code, _, err = run("scenario", "compare", "nope", "other")
    assert code == 3


def test_cli_forced_in_and_no_capacity(run: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = run("selection", "run", "--under", "PF", "--in", "CRM", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [c["key"] for c in data["chosen"]] == ["CRM", "ERP"]
    code, out, _ = run("selection", "run", "--under", "PF", "--no-capacity", "--json")
    assert [c["name"] for c in json.loads(out)["constraints"]] == ["budget 2030"]
