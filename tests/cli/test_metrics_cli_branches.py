"""``pmo metrics`` as text: the header lines that say what the figures rest on (the basis,
what was left out, not measured, outside or removed from the baseline, which projects a
scope summed) and the figures table, for a project, a portfolio and with a series."""

from __future__ import annotations

import re
from datetime import date

import pytest
from cli_helpers import Pmo

from pmo_core import CostEntry, Forecast, Workspace

JAN1 = date(2025, 1, 1)
STATUS = "2025-03-02"


def _rows(output: str) -> dict[str, list[str]]:
    """The figures table: figure -> its cells (columns are two spaces or more apart)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["FIGURE", "VALUE"])
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def portfolio(pmo: Pmo) -> dict[str, str]:
    """PF with ALPHA (baselined on Jan 1, an item added since, a forecast in USD among its
    records) and US, a project kept in USD with no work items. Returns the work item ids."""
    with Workspace.open(pmo.root) as ws:
        ws.create("portfolio", id="PF", name="Digital")
        ws.create("project", id="ALPHA", name="Alpha", parent="PF", budget="3000 EUR")
        design = ws.add_work_item(
            "ALPHA", "Design", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31)
        )
        ws.add_work_item("ALPHA", "Build", budget="1000 EUR", start=JAN1, due=date(2025, 2, 28))
        ws.record_progress(design.id, 100, actual_cost="900 EUR", on=JAN1)
        ws.take_baseline("ALPHA", on=JAN1)
        extra = ws.add_work_item(
            "ALPHA", "Extra", budget="500 EUR", start=JAN1, due=date(2025, 2, 28)
        )
        with ws.transaction("old data") as tx:  # as an import of old records might hold it
            forecast = Forecast(project="ALPHA", as_of=date(2025, 3, 1), eac="5000 USD")
            tx.insert(forecast.store_kind, forecast.id, forecast.to_document(), owner="ALPHA")
        ws.create("project", id="US", name="US", parent="PF", currency="USD")
    return {"extra": extra.id}


def test_a_projects_figures_say_what_they_rest_on(pmo: Pmo, portfolio: dict[str, str]) -> None:
    output = pmo.ok("metrics", "ALPHA", "--status-date", STATUS).stdout

    assert output.splitlines()[:5] == [
        f"ALPHA on {STATUS}, in EUR",
        f"basis: baseline 0 of 2025-01-01 (the latest on or before {STATUS})",
        "left out: the forecast of 2025-03-01 is in USD but the project is in EUR",
        f"unbaselined (current plan only): {portfolio['extra']} Extra",
        "",
    ]
    rows = _rows(output)
    assert rows["bac"][:3] == ["2,000.00 EUR", "-", "BAC"]  # no colour: "-"
    assert rows["spi"][:3] == ["0.5000", "red", "EV / PV"]
    assert rows["sv_pct"][0] == "-50.00 %"
    assert rows["overall"][:2] == ["red", "red"]
    assert rows["at"][0] == "60"  # days, shown as the number it is
    assert rows["unbaselined_budget"][0] == "500.00 EUR"


def test_a_portfolio_says_which_projects_it_summed_and_adds_a_series(
    pmo: Pmo, portfolio: dict[str, str]
) -> None:
    output = pmo.ok("metrics", "PF", "--status-date", STATUS, "--series", "month").stdout

    lines = output.splitlines()
    assert lines[0] == f"PF on {STATUS}, in EUR"
    assert "projects summed: ALPHA" in lines
    assert "not summed: US (no work items)" in lines
    rows = _rows(output)
    assert rows["finish_variance"][:3] == ["n/a", "-", "finish_current - finish_baseline"]
    assert rows["projects_measured"][0] == "1"
    series = lines[lines.index(next(x for x in lines if x.startswith("PERIOD END"))) :]
    assert series[0].split() == ["PERIOD", "END", "PV", "PV", "CURRENT", "EV", "AC"]
    assert [row.split()[0] for row in series[1:]] == ["2025-01-31", "2025-02-28", "2025-03-31"]
    assert series[2].split()[1:3] == ["2000.00", "2500.00"]


def test_figures_say_what_could_not_be_measured_and_what_left_the_baseline(pmo: Pmo) -> None:
    with Workspace.open(pmo.root) as ws:
        ws.create("project", id="ALPHA", name="Alpha", budget="2000 EUR")
        ws.add_work_item("ALPHA", "Design", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31))
        build = ws.add_work_item(
            "ALPHA", "Build", budget="1000 EUR", start=JAN1, due=date(2025, 2, 28)
        )
        ws.take_baseline("ALPHA", on=JAN1)
        doc = ws.store.get("work_item", build.id)
        assert doc is not None
        with ws.transaction("drop the build") as tx:
            tx.delete("work_item", build.id, expected_version=doc.version)
        ws.create("project", id="BETA", name="Beta")
        ws.add_work_item("BETA", "Work", budget="1000 EUR", start=JAN1, due=date(2025, 1, 31))
        with ws.transaction("old data") as tx:
            cost = CostEntry(project="BETA", incurred_on=date(2025, 1, 5), amount="999 USD")
            tx.insert(cost.store_kind, cost.id, cost.to_document(), owner="BETA")

    alpha = pmo.ok("metrics", "ALPHA", "--status-date", STATUS).stdout.splitlines()
    assert alpha[2] == f"removed since the baseline: {build.id}"
    beta = pmo.ok("metrics", "BETA", "--status-date", STATUS).stdout
    assert beta.splitlines()[1:4] == [
        f"basis: current plan, no baseline on or before {STATUS}",
        "not measured: cost entries are in USD but the project is in EUR",
        "left out: cost entries are in USD but the project is in EUR",
    ]
    assert _rows(beta)["ac"][0] == "n/a"
