"""``pmo benefit update|remove`` and their API: a change replaces the fields given and is
validated whole (nothing written otherwise), a measured benefit is removed only with its
measurements (--force), and the journal keeps what was removed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from pmo_benefits import (
    RemovedBenefit,
    add_benefit,
    benefit_realisation,
    record_measurement,
    remove_benefit,
    update_benefit,
)

from pmo_core import Benefit, BenefitMeasurement, ConflictError, InvalidInputError, Workspace
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
    ws.create("project", id="AP", name="Payables", parent="PF")
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


def test_update_replaces_the_fields_given_and_rereads_the_measurements(
    ws: Workspace, run: Run
) -> None:
    ok(run, *ADD)
    ok(run, "benefit", "measure", "Cheaper invoices", "10", "--on", "2025-03-01")
    before = ws.view().records(Benefit)[0]
    assert benefit_realisation(ws, before.id, date(2025, 3, 1)).of_target == 50

    data = ok(run, "benefit", "update", "Cheaper invoices", "--target", "4", "--owner",
              "Sam Roe", "--project", "LEDGER", "--project", "AP", "--json").json()  # fmt: skip

    assert data["id"] == before.id
    assert (data["target"], data["owner"], data["projects"]) == (
        "4",
        "Sam Roe",
        ["LEDGER", "AP"],
    )
    assert data["measure"] == "Cost per invoice"  # not given: kept
    after = ws.view().records(Benefit)[0]
    assert after.version == before.version + 1
    # The measurement stays and is read against the new target: 2 of 8 is 25 %.
    assert len(ws.view().records(BenefitMeasurement)) == 1
    assert benefit_realisation(ws, after.id, date(2025, 3, 1)).of_target == 25
    text = ok(run, "benefit", "update", after.id, "--name", "Cheaper AP").output
    assert text.strip() == f"Updated Cheaper AP ({after.id}): name"


def test_update_refuses_bad_input_naming_the_option_and_writes_nothing(
    ws: Workspace, run: Run
) -> None:
    ok(run, *ADD)
    before = ws.view().records(Benefit)[0]

    error(run("benefit", "update", before.id, "--target", "lots"), "--target")
    error(run("benefit", "update", before.id, "--target-on", "2024-12-31"), "--target-on")
    error(run("benefit", "update", before.id, "--project", "NOPE"), "--project")
    error(run("benefit", "update", before.id, "--portfolio", "LEDGER"), "--portfolio")
    error(run("benefit", "update", before.id), "nothing to change")
    error(run("benefit", "update", "Unknown", "--unit", "h"), "no benefit 'Unknown'", code=3)
    assert ws.view().records(Benefit) == [before]


def test_update_benefit_api_checks_its_fields(ws: Workspace) -> None:
    b = add_benefit(ws, "Faster close", measure="Days to close", baseline=10, target=5,
                    baseline_on=date(2025, 1, 1), target_on=date(2025, 12, 31))  # fmt: skip
    with pytest.raises(InvalidInputError, match="no field 'id'"):
        update_benefit(ws, b.id, id="OTHER")
    changed = update_benefit(ws, "Faster close", profile=[(date(2025, 6, 30), "8")])
    assert [(p.on, p.value) for p in changed.profile] == [(date(2025, 6, 30), Decimal(8))]


def test_remove_refuses_a_measured_benefit_unless_forced(ws: Workspace, run: Run) -> None:
    ok(run, *ADD)
    ok(run, "benefit", "measure", "Cheaper invoices", "11", "--on", "2025-02-01")
    ok(run, "benefit", "measure", "Cheaper invoices", "10", "--on", "2025-03-01")
    benefit = ws.view().records(Benefit)[0]

    error(run("benefit", "remove", "Cheaper invoices"), "2 measurement(s)", code=4)
    assert ws.view().records(Benefit) == [benefit]

    data = ok(run, "benefit", "remove", "Cheaper invoices", "--force", "--json").json()

    assert data["id"] == benefit.id
    assert [m["on"] for m in data["measurements"]] == ["2025-02-01", "2025-03-01"]
    assert ws.view().records(Benefit) == []
    assert ws.view().records(BenefitMeasurement) == []
    deleted = [e for e in ws.journal() if e.op == "delete"]
    assert {e.kind for e in deleted} == {"benefit", "benefit_measurement"}
    assert len({e.txn_id for e in deleted}) == 1


def test_remove_an_unmeasured_benefit(ws: Workspace, run: Run) -> None:
    ok(run, *ADD)
    benefit = ws.view().records(Benefit)[0]

    assert ok(run, "benefit", "remove", benefit.id).output.strip() == (
        f"Removed Cheaper invoices ({benefit.id})"
    )
    error(run("benefit", "remove", benefit.id), "no benefit", code=3)


def test_remove_benefit_api(ws: Workspace) -> None:
    b = add_benefit(ws, "Faster close", measure="Days to close", baseline=10, target=5,
                    baseline_on=date(2025, 1, 1), target_on=date(2025, 12, 31))  # fmt: skip
    record_measurement(ws, b.id, 9, on=date(2025, 2, 1))
    with pytest.raises(ConflictError, match="1 measurement"):
        remove_benefit(ws, b.id)
    removed = remove_benefit(ws, b.id, force=True)
    assert isinstance(removed, RemovedBenefit)
    assert [m.value for m in removed.measurements] == [Decimal(9)]
