"""The register on a workspace: adding checks what a benefit names and writes nothing on bad
input; measurements, scopes and lookups; a closed project's benefits keep being tracked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pmo_benefits
import pytest
from benefits_support import Clock
from pmo_benefits import (
    add_benefit,
    benefit_realisation,
    benefits,
    measurements,
    record_measurement,
)

from pmo_core import Benefit, InvalidInputError, NotFoundError, Objective, Workspace


def invoices(ws: Workspace, **extra: object) -> Benefit:
    fields: dict[str, object] = {
        "measure": "Cost per invoice",
        "unit": "EUR",
        "baseline": 12,
        "target": 8,
        "baseline_on": date(2026, 1, 1),
        "target_on": date(2026, 4, 11),  # 100 days: the plan falls by 0.04 EUR a day
        "portfolio": "PF",
        "projects": ["LEDGER"],
        "owned_by": "Dana Ruiz",
        **extra,
    }
    return add_benefit(ws, "Cheaper invoices", **fields)  # type: ignore[arg-type]


def test_add_measure_and_realise(ws: Workspace) -> None:
    b = invoices(ws)
    assert (b.baseline, b.target, b.unit, b.projects) == (
        Decimal(12),
        Decimal(8),
        "EUR",
        ("LEDGER",),
    )
    record_measurement(ws, b.id, "10.4", on=date(2026, 2, 20), measured_by="Finance")
    record_measurement(ws, "Cheaper invoices", 11, on=date(2026, 1, 26))  # by unique name
    assert [(m.on, m.value) for m in measurements(ws.view(), b.id)] == [
        (date(2026, 1, 26), Decimal(11)),
        (date(2026, 2, 20), Decimal("10.4")),
    ]
    r = benefit_realisation(ws, b.id, date(2026, 2, 20))
    assert (r.planned, r.of_target, r.of_plan, r.at_risk) == (
        Decimal(10), Decimal(40), Decimal(80), False
    )  # fmt: skip
    assert benefit_realisation(ws, b.id, date(2026, 1, 26)).of_plan == Decimal(100)


def test_measuring_again_the_same_day_corrects(ws: Workspace) -> None:
    b = invoices(ws)
    first = record_measurement(ws, b.id, 11, on=date(2026, 2, 20))
    assert first.id == f"{b.id}:2026-02-20"
    second = record_measurement(ws, b.id, "10.5", on=date(2026, 2, 20), note="restated")
    assert (second.id, second.version, second.note) == (first.id, 2, "restated")
    assert [m.value for m in measurements(ws.view(), b.id)] == [Decimal("10.5")]


def test_measured_today_by_default(ws: Workspace, clock: Clock) -> None:
    b = invoices(ws)
    assert record_measurement(ws, b.id, 9).on == clock.day


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        ({"portfolio": "NOPE"}, "portfolio", "no portfolio 'NOPE'"),
        ({"portfolio": "LEDGER"}, "portfolio", "no portfolio 'LEDGER'"),
        ({"projects": ["PF"]}, "projects", "no project or program 'PF'"),
        ({"projects": ["GHOST"]}, "projects", "no project or program 'GHOST'"),
        ({"objectives": ["0123456789ab"]}, "objectives", "no objective '0123456789ab'"),
        ({"target": 12}, "target", "target must differ from baseline"),
        ({"target_on": date(2025, 12, 31)}, "target_on", "is not after baseline_on"),
        ({"baseline": "lots"}, "baseline", "decimal"),
    ],
)
def test_bad_input_writes_nothing(
    ws: Workspace, extra: dict[str, object], where: str, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        invoices(ws, **extra)
    assert caught.value.where == where
    assert ws.view().records(Benefit) == []


def test_measuring_an_unknown_benefit(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no benefit 'nope'"):
        record_measurement(ws, "nope", 1)
    b = invoices(ws)
    with pytest.raises(InvalidInputError, match="value"):
        record_measurement(ws, b.id, "NaN")
    assert measurements(ws.view(), b.id) == []


def test_a_name_two_benefits_share_needs_the_id(ws: Workspace) -> None:
    invoices(ws)
    invoices(ws)
    with pytest.raises(InvalidInputError, match="2 benefits are named"):
        pmo_benefits.find_benefit(ws.view(), "Cheaper invoices")


def test_benefits_of_a_scope(ws: Workspace) -> None:
    ws.create("portfolio", id="PF2", name="Other")
    ws.create("program", id="ERP", name="ERP", parent="PF2")
    ws.create("project", id="HR", name="HR", parent="ERP")
    objective = ws.add(Objective(portfolio="PF2", name="Grow"))
    a = invoices(ws)
    b = add_benefit(ws, "Faster hiring", measure="Days to hire", baseline=60, target=30,
                    baseline_on=date(2026, 1, 1), target_on=date(2026, 12, 31),
                    projects=["HR"])  # fmt: skip
    c = add_benefit(ws, "Growth", measure="Revenue", unit="EUR", baseline=1, target=2,
                    baseline_on=date(2026, 1, 1), target_on=date(2026, 12, 31),
                    objectives=[objective.id])  # fmt: skip
    ids = lambda scope: [x.id for x in benefits(ws.view(), scope=scope)]  # noqa: E731
    assert ids(None) == [a.id, b.id, c.id]  # by name
    assert ids("PF") == [a.id]
    assert ids("LEDGER") == [a.id]
    assert ids("PF2") == [b.id, c.id]
    assert ids("ERP") == [b.id]
    with pytest.raises(NotFoundError):
        benefits(ws.view(), scope="NOPE")


def test_a_closed_projects_benefits_stay_tracked(ws: Workspace, clock: Clock) -> None:
    b = invoices(ws)
    record_measurement(ws, b.id, "11.5", on=date(2026, 1, 26))
    ws.report_status("LEDGER", overall="green", summary="Delivered")
    ws.change_lifecycle("LEDGER", "closed", comment="Delivered", lessons=["Pilot first"])
    assert ws.view().entity("LEDGER").ended
    # Measured after the project closed...
    record_measurement(ws, b.id, "10.5", on=date(2026, 2, 20))
    assert [m.value for m in measurements(ws.view(), b.id)] == [Decimal("11.5"), Decimal("10.5")]
    # ...still in the register of the project and its portfolio...
    assert [x.id for x in benefits(ws.view(), scope="LEDGER")] == [b.id]
    assert [x.id for x in benefits(ws.view(), scope="PF")] == [b.id]
    # ...realised and flagged: 1.5 of a planned change of 2 is 75 %, below 80 %.
    clock.day = date(2026, 2, 20)
    r = benefit_realisation(ws, b.id)
    assert (r.of_target, r.of_plan, r.at_risk) == (Decimal("37.5"), Decimal(75), True)
    finding = next(f for f in ws.check("PF") if f.rule == "benefit-at-risk")
    assert not finding.passed
    assert b.id in finding.message
    # ...and reported.
    report = ws.report("benefits-realisation", "LEDGER", format="json").content
    assert b.id in report
    assert '"at_risk": true' in report


def test_the_tracking_portfolio(ws: Workspace) -> None:
    ws.create("portfolio", id="PF2", name="Other")
    ws.create("program", id="ERP", name="ERP", parent="PF2")
    ws.create("project", id="HR", name="HR", parent="ERP")
    objective = ws.add(Objective(portfolio="PF2", name="Grow"))
    view = ws.view
    assert pmo_benefits.tracking_portfolio(view(), invoices(ws)) == "PF"
    assert pmo_benefits.tracking_portfolio(view(), invoices(ws, portfolio=None)) == "PF"
    assert (
        pmo_benefits.tracking_portfolio(view(), invoices(ws, portfolio=None, projects=["HR"]))
        == "PF2"
    )
    by_objective = invoices(ws, portfolio=None, projects=[], objectives=[objective.id])
    assert pmo_benefits.tracking_portfolio(view(), by_objective) == "PF2"
    assert (
        pmo_benefits.tracking_portfolio(view(), invoices(ws, portfolio=None, projects=[])) is None
    )
