"""The benefit records: a benefit's plan is in order and has something to realise, values are
bounded decimals, a measurement's id is its benefit and day, neither belongs to an entity (so
closing a project leaves them), and a report sees the settings a governance rule sees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from pmo_core import (
    Benefit,
    BenefitMeasurement,
    BenefitPoint,
    PmoGovernanceRule,
    PmoReport,
    ReportOutput,
    ReportRequest,
    Workspace,
    hookimpl,
)


def _benefit(**changes: object) -> Benefit:
    fields: dict[str, object] = {
        "name": "Cheaper invoices",
        "measure": "Cost per invoice",
        "unit": "EUR",
        "baseline": "12",
        "baseline_on": date(2025, 1, 1),
        "target": "8",
        "target_on": date(2025, 12, 31),
    }
    fields.update(changes)
    return Benefit.model_validate(fields)


def test_a_benefit_round_trips_through_its_document() -> None:
    b = _benefit(profile=[{"on": date(2025, 6, 30), "value": "11"}], projects=("LEDGER",))
    assert b.owner is None  # belongs to no entity
    again = Benefit.from_document(b.to_document(), version=1)
    assert again.profile == (BenefitPoint(on=date(2025, 6, 30), value=Decimal(11)),)
    assert (again.baseline, again.target, again.projects) == (Decimal(12), Decimal(8), ("LEDGER",))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "12"}, "target must differ from baseline"),
        ({"target": "12.0"}, "target must differ from baseline"),
        ({"target_on": date(2025, 1, 1)}, "target_on 2025-01-01 is not after"),
        ({"profile": [{"on": date(2025, 1, 1), "value": "1"}]}, "profile dates"),
        ({"profile": [{"on": date(2025, 12, 31), "value": "1"}]}, "profile dates"),
        ({"baseline": "NaN"}, "finite"),
        ({"baseline": "Infinity"}, "finite"),
        ({"baseline": "1" * 41}, "at most 40 characters"),
        ({"target": "1e15"}, "between 1e-12 and 1e15"),
        ({"target": "1e-13"}, "between 1e-12 and 1e15"),
    ],
)
def test_a_benefit_refuses(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _benefit(**changes)


@pytest.mark.parametrize("value", ["0", "999999999999999", "-999999999999999", "1e-12", "1" * 15])
def test_values_at_the_limits(value: str) -> None:
    assert BenefitMeasurement(benefit="b1", on=date(2025, 1, 1), value=value).value == Decimal(
        value
    )


def test_a_measurements_id_is_its_benefit_and_day() -> None:
    m = BenefitMeasurement(benefit="b1", on=date(2025, 2, 3), value=Decimal(5))
    assert m.id == "b1:2025-02-03"
    assert m.owner is None
    with pytest.raises(ValidationError, match="id must be 'b1:2025-02-03'"):
        BenefitMeasurement(id="other", benefit="b1", on=date(2025, 2, 3), value=Decimal(5))
    moved = m.replace(on=date(2025, 2, 4))
    assert moved.id == "b1:2025-02-04"


def test_closing_a_project_leaves_its_benefits() -> None:
    with Workspace.in_memory() as ws:
        ws.create("project", id="LEDGER", name="Ledger")
        b = ws.add(_benefit(projects=("LEDGER",)))
        ws.report_status("LEDGER", overall="green", summary="Done")
        ws.change_lifecycle("LEDGER", "closed", comment="Delivered", lessons=["Pilot first"])
        ws.add(BenefitMeasurement(benefit=b.id, on=date(2025, 6, 30), value=Decimal(10)))
        assert [x.id for x in ws.view().records(Benefit)] == [b.id]
        assert len(ws.view().records(BenefitMeasurement)) == 1


class Limits(BaseModel):
    below: int = 80


class RuleAndReport:
    @hookimpl
    def pmo_governance_rules(self):  # type: ignore[no-untyped-def]
        yield PmoGovernanceRule(
            name="limit-rule", summary="A rule with settings.", scopes=("portfolio",),
            settings=Limits, check=lambda ctx: None,
        )  # fmt: skip

    @hookimpl
    def pmo_reports(self):  # type: ignore[no-untyped-def]
        def render(request: ReportRequest) -> ReportOutput:
            assert request.rule_settings is not None
            assert request.scope is not None
            found = request.rule_settings("limit-rule", request.scope.id)
            assert isinstance(found, Limits)
            return ReportOutput(content=str(found.below), media_type="text/plain")

        yield PmoReport(
            name="limit-report", summary="Shows a rule's settings.", scopes=("portfolio",),
            formats=("md",), render=render,
        )  # fmt: skip


def test_a_report_sees_the_settings_a_rule_sees() -> None:
    rules = {"limit-rule": {"below": 70, "scopes": {"PF2": {"below": 50}}}}
    with Workspace.in_memory(plugins={"x": RuleAndReport()}, rules=rules) as ws:
        ws.create("portfolio", id="PF", name="One")
        ws.create("portfolio", id="PF2", name="Two")
        assert ws.report("limit-report", "PF").content == "70"
        assert ws.report("limit-report", "PF2").content == "50"
