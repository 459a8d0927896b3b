"""Tolerances where the other tests left them unpinned: a check kept and read back as JSON,
the basis named for every EAC variant, the sign of a variance at, under and over budget, a
plan or a budget of less than one, which baselines and risks count, a dimension with no limit
or no measure at its level, and a program whose projects lack a budget or disagree on the
currency.

Measured with :func:`~pmo_core._tolerances.measure` and the limits given, so no governance
model is needed; a breach here raises no exception (the neutral model sets no tolerance).
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

from pmo_core import (
    Baseline,
    BaselineItem,
    CostEntry,
    Forecast,
    PmoGovernanceModel,
    ToleranceSettings,
    WorkItem,
    Workspace,
    WorkspaceConfig,
)
from pmo_core._tolerances import ToleranceCheck, level_of, limits, measure

D = Decimal
S = date(2025, 3, 2)
JAN1 = date(2025, 1, 1)


@pytest.fixture
def ws() -> Workspace:
    return Workspace.in_memory(today=lambda: S)


def _check(ws: Workspace, entity: str, dimension: str, limit: Any) -> ToleranceCheck:
    [check] = measure(ws.get(entity), ws.view(), {dimension: D(limit)})
    return check


def _forecast(ws: Workspace, project: str, eac: str, finish: date | None = None) -> None:
    ws.add(Forecast(project=project, as_of=S, eac=eac, finish=finish))


# ------------------------------------------------------------------------------ the check


def _a_check(state: Any = "breached", actual: Decimal | None = D("0.25")) -> ToleranceCheck:
    return ToleranceCheck("P", "project", "cost", D("0.10"), actual, state, "over")


def test_a_check_is_frozen() -> None:
    check = _a_check()
    with pytest.raises(FrozenInstanceError):
        check.state = "within"  # type: ignore[misc]


def test_as_dict_gives_the_actual_as_text_and_none_when_unmeasured() -> None:
    assert _a_check().as_dict()["actual"] == "0.25"
    assert _a_check("unmeasured", None).as_dict()["actual"] is None


def test_a_check_rebuilt_from_its_json_is_breached_by_the_value_of_its_state() -> None:
    data = json.loads(json.dumps(_a_check().as_dict()))
    rebuilt = _a_check(data["state"], D(data["actual"]))
    assert rebuilt.breached
    assert data["breached"] is True
    for state in ("within", "unmeasured", "inconsistent"):
        assert not _a_check(json.loads(json.dumps(state))).breached


# ------------------------------------------------------------------------------ levels


def test_a_portfolio_has_no_level_and_is_not_measured(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Portfolio", budget="100 EUR")
    assert level_of(ws.get("PF")) is None
    assert measure(ws.get("PF"), ws.view(), {"cost": D("0.1"), "risk": D(1)}) == []


def test_an_entity_of_a_kind_read_from_json_has_its_level(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="P", name="P", parent="ERP")
    for key, level in (("P", "project"), ("ERP", "program")):
        entity = ws.get(key)
        rebuilt = entity.model_copy(update={"kind": json.loads(json.dumps(entity.kind))})
        assert level_of(rebuilt) == level


def test_a_dimension_without_a_limit_is_skipped_and_the_next_is_measured(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="P", name="P", parent="ERP")
    only_risk = measure(ws.get("P"), ws.view(), {"risk": D(15)})
    assert [(c.dimension, c.level) for c in only_risk] == [("risk", "project")]
    # A program has no scope measure: its risk, after scope, is still measured.
    program = measure(ws.get("ERP"), ws.view(), {"scope": D("0.1"), "risk": D(15)})
    assert [(c.dimension, c.level) for c in program] == [("risk", "program")]


# ------------------------------------------------------------------------------ cost


def _earning(tmp_path: Path, *variants: str) -> Workspace:
    config = WorkspaceConfig.from_dict(
        tmp_path, {"workspace": {"store": "memory://"}, "metrics": {"eac": list(variants)}}
    )
    ws = Workspace(config, today=lambda: S)
    ws.create("project", id="P", name="P", budget="1000 EUR")
    item = ws.add_work_item("P", "W", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31))
    ws.record_progress(item.id, 50, actual_cost="800 EUR")  # CPI 500/800
    return ws


@pytest.mark.parametrize(
    ("variants", "basis"),
    [
        (("atypical",), "(+30%, EAC = AC + (BAC - EV))"),
        (("cpi",), "(+60%, EAC = BAC / CPI, CPI 0.6250)"),
        (("cpi_spi", "cpi"), "EAC = AC + (BAC - EV) / (CPI x SPI), CPI 0.6250, SPI "),
        (("bottom_up", "cpi"), "(+10%, forecast of 2025-03-02)"),
    ],
)
def test_the_cost_message_names_the_basis_of_each_eac_variant(
    tmp_path: Path, variants: tuple[str, ...], basis: str
) -> None:
    ws = _earning(tmp_path, *json.loads(json.dumps(variants)))
    _forecast(ws, "P", "1100 EUR")
    assert basis in _check(ws, "P", "cost", "0.1").message


@pytest.mark.parametrize(
    ("eac", "sign"),
    [("1000 EUR", "(+0%, "), ("900 EUR", "(-10%, "), ("1050 EUR", "(+5%, ")],
)
def test_the_cost_variance_is_signed_plus_from_zero_up(ws: Workspace, eac: str, sign: str) -> None:
    ws.create("project", id="P", name="P", budget="1000 EUR")
    _forecast(ws, "P", eac)
    assert sign in _check(ws, "P", "cost", "0.1").message


def test_a_budget_under_one_is_still_measured(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="P", name="P", parent="ERP", budget="0.50 EUR")
    _forecast(ws, "P", "1 EUR")
    assert (_check(ws, "P", "cost", "0.1").state, _check(ws, "P", "cost", "0.1").actual) == (
        "breached",
        D(1),
    )
    assert _check(ws, "ERP", "cost", "0.1").state == "breached"


def test_of_two_conflicts_the_first_is_reported(ws: Workspace) -> None:
    ws.create("project", id="P", name="P", budget="1000 EUR")
    _forecast(ws, "P", "1100 USD")
    ws.add(CostEntry(project="P", incurred_on=S, amount="10 GBP"))
    conflicts = ws.metrics("P").conflicts
    assert len(conflicts) >= 2
    check = _check(ws, "P", "cost", "0.1")
    assert check.message == f"project P: {conflicts[0]}; the cost tolerance cannot be checked"


# ------------------------------------------------------------------------------ time


def test_a_one_day_plan_is_measured(ws: Workspace) -> None:
    ws.create("project", id="P", name="P", planned_start=JAN1, planned_finish=JAN1 + timedelta(1))
    _forecast(ws, "P", "1 EUR", finish=JAN1 + timedelta(2))
    check = _check(ws, "P", "time", "0.5")
    assert (check.state, check.actual) == ("breached", D(1))


# ------------------------------------------------------------------------------ scope


def _baselined(ws: Workspace, taken_on: date) -> None:
    ws.create("project", id="P", name="P")
    items = ws.add_many(WorkItem(project="P", subject=f"W{i}") for i in range(4))
    ws.add(
        Baseline(project="P", number=0, taken_on=taken_on, cost="100 EUR",
                 items=[BaselineItem(work_item=w.id) for w in items])
    )  # fmt: skip


def test_a_baseline_taken_before_the_status_date_counts_and_no_change_is_within(
    ws: Workspace,
) -> None:
    _baselined(ws, S - timedelta(10))
    check = _check(ws, "P", "scope", "0.2")
    assert (check.state, check.actual) == ("within", D(0))
    assert "since baseline 0 (4 items, 0% changed), within" in check.message


def test_a_baseline_taken_after_the_status_date_does_not_count(ws: Workspace) -> None:
    _baselined(ws, S + timedelta(10))
    check = _check(ws, "P", "scope", "0.2")
    assert (check.state, check.actual) == ("unmeasured", None)


# ------------------------------------------------------------------------------ risk


def test_no_open_risk_measures_zero(ws: Workspace) -> None:
    ws.create("project", id="P", name="P")
    check = _check(ws, "P", "risk", 15)
    assert (check.state, check.actual) == ("within", D(0))


def test_a_closed_risk_does_not_count(ws: Workspace) -> None:
    ws.create("project", id="P", name="P")
    risk = ws.add_raid("P", "risk", "Vendor", probability=5, impact=5, owned_by="Kim")
    ws.close_raid(risk.id, resolution="Contract signed")
    assert _check(ws, "P", "risk", 15).actual == D(0)


def test_the_highest_of_several_risks_is_measured_and_a_lower_score_is_within(
    ws: Workspace,
) -> None:
    ws.create("project", id="P", name="P")
    ws.add_raid("P", "risk", "Low", probability=1, impact=2, owned_by="Kim")
    ws.add_raid("P", "risk", "High", probability=3, impact=3, owned_by="Kim")
    ws.add_raid("P", "risk", "Middle", probability=2, impact=2, owned_by="Kim")
    check = _check(ws, "P", "risk", 15)
    assert (check.state, check.actual) == ("within", D(9))
    assert "highest open risk 'High' scores 9, within" in check.message


# ------------------------------------------------------------------------------ programs


def test_a_program_skips_a_project_without_a_budget_and_sums_the_next(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="A", name="No budget", parent="ERP")
    ws.create("project", id="B", name="B", parent="ERP", budget="1000 EUR")
    _forecast(ws, "B", "1100 EUR")
    check = _check(ws, "ERP", "cost", "0.05")
    assert (check.state, check.actual) == ("breached", D("0.1"))
    assert "(+10%), beyond" in check.message


@pytest.mark.parametrize(("first", "second"), [("EUR", "USD"), ("USD", "EUR")])
def test_a_program_whose_projects_budget_in_two_currencies_cannot_be_checked(
    ws: Workspace, first: str, second: str
) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="A", name="A", parent="ERP", budget=f"1000 {first}")
    ws.create("project", id="B", name="B", parent="ERP", budget=f"1000 {second}")
    _forecast(ws, "A", f"1000 {first}")
    check = _check(ws, "ERP", "cost", "0.05")
    assert (check.state, check.actual) == ("inconsistent", None)
    assert check.message == (
        f"program ERP's projects have budgets in {first} and {second}; the cost tolerance "
        "cannot be checked"
    )


def test_a_program_without_any_forecast_is_unmeasured(ws: Workspace) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="A", name="A", parent="ERP", budget="1000 EUR")
    ws.create("project", id="B", name="B", parent="ERP", budget="1000 EUR")
    check = _check(ws, "ERP", "cost", "0.05")
    assert (check.state, check.actual) == ("unmeasured", None)
    assert check.message == "program ERP: no live project with a budget and a forecast"


@pytest.mark.parametrize(
    ("eac", "sign"), [("1000 EUR", "(+0%; "), ("900 EUR", "(-5%; "), ("1010 EUR", "(+0.5%; ")]
)
def test_a_program_variance_is_signed_plus_from_zero_up(ws: Workspace, eac: str, sign: str) -> None:
    ws.create("program", id="ERP", name="ERP")
    ws.create("project", id="A", name="A", parent="ERP", budget="1000 EUR")
    ws.create("project", id="B", name="B", parent="ERP", budget="1000 EUR")
    _forecast(ws, "A", eac)
    assert sign in _check(ws, "ERP", "cost", "0.05").message


# ------------------------------------------------------------------------------ settings


def test_settings_are_frozen() -> None:
    settings = ToleranceSettings(project={"cost": D("0.05")})
    with pytest.raises(pydantic.ValidationError):
        settings.project = None  # type: ignore[misc]


def test_only_schedule_is_read_as_time_in_the_settings() -> None:
    model = PmoGovernanceModel(name="m", tolerances={"time": "0.10"})
    scope = ToleranceSettings(project={"scope": D("0.3"), "time": D("0.2")})
    assert limits(model, scope, "project") == {"time": D("0.2"), "scope": D("0.3")}
    schedule = ToleranceSettings.model_validate(json.loads('{"project": {"schedule": "0.4"}}'))
    assert limits(model, schedule, "project") == {"time": D("0.4")}
