"""The demo's strategy: objectives for each portfolio, a pipeline of proposals under OPS, and a
selection where the budget, one capacity cell, the dependency and the exclusion all shape the
choice; Base and Growth saved and compared; the tour's commands run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pmo_strategy
import pytest
from demo_support import Pmo
from pmo_demo import build_demo
from pmo_demo._strategy import (
    BASE,
    BASE_BUDGET,
    DEPENDED_ON,
    DEPENDENT,
    EXCLUSIVE,
    GROWTH,
    MANDATORY,
    PIPELINE_PORTFOLIO,
    PROPOSALS,
    TIGHT_ROLE,
    strategy_settings,
    strategy_toml,
)

from pmo_core import Alignment, Money, Objective, Workspace

TODAY = date(2025, 6, 30)
PLUGINS = [
    "governance", "stage-gate", "scrum", "kanban", "reports",
    "resources", "benefits", "knowledge", "strategy",
]  # fmt: skip
CHOSEN = (
    "DC-EXPANSION",
    "E-INVOICING",
    "ROUTE-OPT",
    "SOLAR-ROOFS",
    "SUPPLIER-ESG",
    "TELEMATICS",
    "YARD-MGMT",
)


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Workspace, dict[str, Any]]]:
    # As `pmo demo` writes them into pmo.toml.
    settings = {"strategy": strategy_settings(TODAY)}
    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY, settings=settings) as ws:
        built = build_demo(ws)
        yield ws, built


def test_each_portfolio_has_an_objective_hierarchy_with_owners_and_alignments(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    view = ws.view()
    found = view.records(Objective)

    assert built["strategy"]["objectives"] == len(found) == 8
    for portfolio in ("DIGITAL", "OPS"):
        mine = [o for o in found if o.portfolio == portfolio]
        tops = [o for o in mine if o.parent is None]
        assert 2 <= len(tops) <= 3
        assert any(o.parent in {t.id for t in tops} for o in mine)  # a child objective
        assert all(o.owned_by and o.measure and o.target for o in mine)
    aligned = {a.project for a in view.records(Alignment)}
    assert set(PROPOSALS) <= aligned
    assert {"EV-FLEET", "WMS", "CRM-UPGRADE"} <= aligned  # committed projects too


def test_the_pipeline_is_proposed_under_ops_with_every_strategy_field(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    view = ws.view()
    proposed = sorted(p.id for p in view.projects() if p.lifecycle == "proposed")

    assert proposed == sorted(PROPOSALS) == sorted(built["strategy"]["proposals"])
    assert 8 <= len(proposed) <= 12
    for key in proposed:
        p = view.entity(key)
        assert PIPELINE_PORTFOLIO in view.ancestor_ids(key)
        assert p.methodology == "stage-gate"
        fields = pmo_strategy.strategy_fields(p)
        assert fields.costs
        assert fields.cash_flows
        assert fields.wsjf is not None
        assert fields.criteria
        assert fields.success_probability is not None
        assert {m.currency for m in fields.costs.values()} == {"EUR"}
    assert pmo_strategy.strategy_fields(view.entity(MANDATORY)).mandatory
    assert pmo_strategy.strategy_fields(view.entity(DEPENDENT)).depends_on == (DEPENDED_ON,)
    a, b = EXCLUSIVE
    assert pmo_strategy.strategy_fields(view.entity(a)).excludes == (b,)
    # The week's idea went through to execution: it is committed, not in the pipeline.
    assert view.entity("EV-FLEET").lifecycle == "active"
    # Every model ranks the pipeline (cash flows give NPV and IRR).
    for model in ("alignment", "weighted", "wsjf", "npv", "irr", "risk-adjusted"):
        values = pmo_strategy.proposal_values(ws, proposed, model)
        assert any(v != 0 for v in values.values()), model


def test_base_binds_the_budget_and_one_capacity_cell(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, built = demo
    base = pmo_strategy.scenario(ws, BASE).result
    assert base is not None

    assert base.chosen == CHOSEN
    assert base.value == Decimal("17.9")
    assert base.spend == {2026: Decimal(2_340_000), 2027: Decimal(1_050_000)}
    assert base.binding == ("budget 2026", f"capacity {TIGHT_ROLE} 2026-09")
    assert base.left_out == {
        "CHARGING-HUB": "budget 2026: needs 350,000 EUR, 60,000 EUR left",
        "DC-AUTOMATION": "DC-AUTOMATION excludes DC-EXPANSION (chosen)",
        "RETURNS-HUB": "budget 2026: needs 500,000 EUR, 60,000 EUR left; capacity "
        f"{TIGHT_ROLE} 2026-09: needs 200 h, 72 h left",
    }
    assert built["strategy"]["base"]["chosen"] == list(CHOSEN)


def test_the_dependency_and_the_exclusion_shape_the_choice(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    budgets = {2026: Money(amount=BASE_BUDGET, currency="EUR")}
    values = pmo_strategy.proposal_values(ws, PROPOSALS)
    # The dependency pulls the least valuable-but-one proposal in with the most valuable.
    assert values[DEPENDENT] == max(values.values())
    assert sorted(values.values())[1] == values[DEPENDED_ON]
    out = pmo_strategy.selection_input(ws, "OPS", budgets=budgets, forced_out=(DEPENDED_ON,))
    without = pmo_strategy.select(out.candidates, out.limits, marginals=False)
    assert DEPENDENT not in without.chosen
    assert without.left_out[DEPENDENT] == f"needs {DEPENDED_ON}, which is forced out"
    # The more valuable alternative is out: with it forced in, the other one goes and the
    # total is lower.
    automation, expansion = EXCLUSIVE
    assert values[automation] > values[expansion]
    forced = pmo_strategy.selection_input(ws, "OPS", budgets=budgets, forced_in=(automation,))
    other = pmo_strategy.select(forced.candidates, forced.limits, marginals=False)
    assert expansion not in other.chosen
    assert other.value < Decimal("17.9")
    # Without the capacity limit, more fits in the same budget.
    free = pmo_strategy.selection_input(ws, "OPS", budgets=budgets, capacity=False)
    assert pmo_strategy.select(free.candidates, free.limits, marginals=False).value > Decimal(
        "17.9"
    )


def test_growth_adds_one_proposal_and_the_comparison_shows_it(
    demo: tuple[Workspace, dict[str, Any]],
) -> None:
    ws, _ = demo
    growth = pmo_strategy.scenario(ws, GROWTH)
    assert growth.budgets == {2026: Money(amount=Decimal(2_880_000), currency="EUR")}
    assert growth.result is not None
    assert growth.result.value == Decimal("20.8")
    compared = pmo_strategy.compare_scenarios(ws, [BASE, GROWTH])

    assert compared.common == CHOSEN
    assert compared.differences == {"CHARGING-HUB": (GROWTH,)}


def test_the_settings_hold_base_budget_and_the_criteria_weights() -> None:
    settings = strategy_settings(date(2026, 12, 3))
    assert settings["selection"]["budgets"] == {2027: "2400000 EUR"}
    parsed = pmo_strategy.StrategySettings.model_validate(settings)
    assert parsed.selection.budgets[2027] == Money(amount=BASE_BUDGET, currency="EUR")
    assert set(parsed.criteria) == {"customer", "cost", "sustainability", "compliance"}
    assert strategy_toml(date(2026, 12, 3)).splitlines()[0] == "[settings.strategy.criteria]"


def test_without_the_strategy_plugin_the_demo_is_what_it_was() -> None:
    with Workspace.in_memory(enabled=PLUGINS[:-1], today=lambda: TODAY) as ws:
        built = build_demo(ws)
        assert built["strategy"] == {}
        assert ws.view().records(Objective) == []
        assert not [p for p in ws.view().projects() if p.lifecycle == "proposed"]


def test_the_tour_tells_the_selection_and_its_commands_run(pmo_cli: Any, tmp_path: Path) -> None:
    result = pmo_cli("demo", "sample")

    assert result.exit_code == 0, (result.output, result.stderr)
    lines = result.output.splitlines()
    start = lines.index("Strategy and selection:")
    section = lines[start : lines.index("", start)]
    text = "\n".join(section)
    assert "Objectives: 8 in DIGITAL and OPS" in text
    assert "top 3 by alignment: ROUTE-OPT (4.5), DC-AUTOMATION (3.8), DC-EXPANSION (3.2)" in text
    assert "7 chosen, value 17.9 points" in text
    assert f"binding: budget {date.today().year + 1}, capacity {TIGHT_ROLE}" in text
    assert f"{DEPENDED_ON} is in because {DEPENDENT} depends on it" in text
    assert f"{MANDATORY} is in: mandatory (regulatory)" in text
    assert "Growth (+20 %): value 20.8 points, adds CHARGING-HUB" in text
    for name in ("strategy-pipeline", "portfolio-selection"):
        for fmt in ("md", "json", "html"):
            assert (tmp_path / "sample" / "reports" / f"OPS-{name}.{fmt}").is_file()
    looks = [line.strip() for line in section[section.index("  See for yourself:") + 1 :]]
    assert f"pmo -w sample scenario compare {BASE} {GROWTH}" in looks
    pmo = Pmo(tmp_path / "sample", pmo_cli)
    for command in looks:
        ran = pmo(*command.split()[3:])
        assert ran.exit_code == 0, (command, ran.output, ran.stderr)
    # The workspace's settings hold Base's budget: selection run solves what Base saved.
    ran = pmo("selection", "run", "--under", "OPS", "--json")
    assert json.loads(ran.output)["value"] in ("17.9", 17.9)
    assert "CHARGING-HUB" in pmo("scenario", "compare", BASE, GROWTH).output
    # The pipeline has gates: deciding Base requests the first gate of every chosen
    # proposal and records "not selected" on the others.
    decided = pmo("scenario", "decide", BASE, "--json")
    assert decided.exit_code == 0, (decided.output, decided.stderr)
    actions = {d["key"]: d["action"] for d in json.loads(decided.output)}
    assert actions == {
        **dict.fromkeys(CHOSEN, "requested"),
        **dict.fromkeys(("CHARGING-HUB", "DC-AUTOMATION", "RETURNS-HUB"), "rejected"),
    }
