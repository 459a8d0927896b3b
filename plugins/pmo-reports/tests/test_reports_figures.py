"""Earned value checked by hand against the fixture (see conftest.ws)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from report_samples import TODAY, item

from pmo_core import CostEntry, Workspace


def _metrics(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in doc["metrics"]}


def _value(metric: dict[str, Any]) -> Decimal | None:
    return None if metric["value"] is None else Decimal(metric["value"])


def test_project_figures_by_hand(ws: Workspace) -> None:
    doc = json.loads(ws.report("project-status", "ALPHA", format="json").content)
    m = _metrics(doc)

    # BAC 1000 + 2000; PV 1000 (A1 finished) + 2000 * 15/30; EV 1000 * 100% + 2000 * 25%.
    assert _value(m["bac"]) == Decimal("3000")
    assert _value(m["pv"]) == Decimal("2000")
    assert _value(m["ev"]) == Decimal("1500")
    assert _value(m["ac"]) == Decimal("1500")
    assert _value(m["spi"]) == Decimal("0.75")  # 1500 / 2000
    assert _value(m["cpi"]) == Decimal("1")  # 1500 / 1500
    assert _value(m["eac"]) == Decimal("3000")  # 3000 / 1.0
    assert _value(m["vac"]) == Decimal("0")
    assert _value(m["tcpi_bac"]) == Decimal("1")  # (3000 - 1500) / (3000 - 1500)
    assert (m["spi"]["rag"], m["cpi"]["rag"], m["overall"]["rag"]) == ("red", "green", "red")
    assert doc["as_of"] == TODAY.isoformat()
    assert doc["report"] == "project-status"
    assert doc["scope"] == {"kind": "project", "key": "ALPHA", "name": "Alpha | core"}
    assert doc["generated_by"] == "pmo-reports 0.1.0"
    assert doc["projects"][0]["computed"] == {"schedule": "red", "cost": "green", "overall": "red"}
    assert doc["projects"][0]["work_items"] == 2


def test_every_metric_carries_its_lineage(ws: Workspace) -> None:
    for name, scope in (("project-status", "ALPHA"), ("portfolio-summary", "PF")):
        output = ws.report(name, scope, format="json")
        doc = json.loads(output.content)
        assert doc["metrics"], name
        for metric in doc["metrics"]:
            assert set(metric) == {
                "name",
                "value",
                "formula",
                "inputs",
                "thresholds",
                "rag",
                "unit",
                "source",
            }
            assert metric["formula"], metric
            if metric["name"] in ("spi", "cpi", "overall"):
                assert metric["thresholds"]["green"] == "0.95 <= x <= 1.05"
                assert metric["source"] == "FEMA program dashboard"
        spi = _metrics(doc)["spi"]
        assert set(spi["inputs"]) == {"EV", "PV"}
        # The ReportOutput carries the same metrics as objects.
        assert [m.name for m in output.metrics] == [m["name"] for m in doc["metrics"]]
        for project in doc["projects"]:
            assert all(metric["formula"] for metric in project["metrics"])


def test_portfolio_indices_come_from_sums_not_averages(ws: Workspace) -> None:
    doc = json.loads(ws.report("portfolio-summary", "PF", format="json").content)
    totals = _metrics(doc)
    projects = {p["key"]: _metrics(p) for p in doc["projects"]}

    measured = ["ALPHA", "BETA"]
    ev = sum(Decimal(projects[k]["ev"]["inputs"]["EV"]) for k in measured)
    pv = sum(Decimal(projects[k]["pv"]["inputs"]["PV"]) for k in measured)
    ac = sum(Decimal(projects[k]["ac"]["inputs"]["AC"]) for k in measured)
    assert (ev, pv, ac) == (Decimal(1600), Decimal(2100), Decimal(1550))
    assert _value(totals["spi"]) == (ev / pv).quantize(Decimal("0.0001"))  # 0.7619
    assert _value(totals["cpi"]) == (ac and (ev / ac).quantize(Decimal("0.0001")))  # 1.0323
    assert _value(totals["spi"]) == Decimal("0.7619")
    # An average would say (0.75 + 1.0) / 2 = 0.875 and (1.0 + 2.0) / 2 = 1.5.
    spis = [_value(projects[k]["spi"]) for k in measured]
    cpis = [_value(projects[k]["cpi"]) for k in measured]
    assert sum(s for s in spis if s is not None) / 2 == Decimal("0.875") != _value(totals["spi"])
    assert sum(c for c in cpis if c is not None) / 2 == Decimal("1.5") != _value(totals["cpi"])
    assert _value(totals["bac"]) == Decimal(3100)
    assert _value(totals["eac"]) == Decimal("3003.13")  # 3100 / (1600 / 1550)
    assert (totals["spi"]["rag"], totals["cpi"]["rag"], totals["overall"]["rag"]) == (
        "red",
        "green",
        "red",
    )
    assert _value(totals["projects_measured"]) == 2
    assert {e["key"]: e["reason"] for e in doc["excluded"]} == {
        "GAMMA": "no work items",
        "DELTA": "in USD; totals are in EUR",
    }
    assert [p["key"] for p in doc["projects"]] == ["ALPHA", "BETA", "DELTA", "GAMMA"]


def test_program_scope_sums_only_its_projects(ws: Workspace) -> None:
    doc = json.loads(ws.report("portfolio-summary", "ERP", format="json").content)

    assert [p["key"] for p in doc["projects"]] == ["ALPHA"]
    assert _value(_metrics(doc)["spi"]) == Decimal("0.75")
    assert doc["scope"]["kind"] == "program"


def test_pmo_scope_covers_every_project(ws: Workspace) -> None:
    doc = json.loads(ws.report("portfolio-summary", format="json").content)

    assert doc["scope"] == {"kind": "pmo", "key": None, "name": None}
    assert len(doc["projects"]) == 4
    assert doc["currency"] == "EUR"  # three projects in EUR, one in USD


def test_a_project_without_work_items_is_undefined_not_zero(ws: Workspace) -> None:
    doc = json.loads(ws.report("project-status", "GAMMA", format="json").content)
    m = _metrics(doc)

    assert _value(m["bac"]) == Decimal("5000")  # the project's own budget
    assert m["bac"]["formula"] == "project budget"
    for name in ("pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "vac", "tcpi_bac"):
        assert m[name]["value"] is None, name
    assert m["overall"]["rag"] is None
    assert doc["projects"][0]["measured"] is False
    assert doc["projects"][0]["note"] == "no work items"

    md = ws.report("project-status", "GAMMA", format="md").content
    assert "| Earned value (EV) | n/a | EV |" in md
    assert "| Schedule performance index (SPI) | n/a | EV / PV |" in md
    assert "| Budget at completion (BAC) | 5,000.00 EUR | project budget |" in md
    assert "| 0.00" not in md
    assert "| 0.0000" not in md


def test_a_zero_divisor_is_undefined(ws: Workspace) -> None:
    ws.create("project", id="LATER", name="Later", parent="PF")
    ws.add(item("LATER", "L1", 800, 0, date(2025, 6, 1), date(2025, 6, 30), None))

    doc = json.loads(ws.report("project-status", "LATER", format="json").content)

    m = _metrics(doc)
    assert (_value(m["bac"]), _value(m["pv"]), _value(m["ev"]), _value(m["ac"])) == (800, 0, 0, 0)
    for name in ("spi", "cpi", "eac", "vac", "etc", "tcpi_eac"):
        assert m[name]["value"] is None, name
    assert _value(m["tcpi_bac"]) == 1  # (800 - 0) / (800 - 0)
    assert (m["spi"]["rag"], m["overall"]["rag"]) == (None, None)
    md = ws.report("project-status", "LATER").content
    assert "| Schedule performance index (SPI) | n/a | EV / PV |" in md
    assert "| Overall | not reported | n/a (worst of schedule and cost) |" in md


def test_cost_entries_are_the_actual_cost_when_work_items_carry_none(ws: Workspace) -> None:
    # Finance books actuals as cost entries; the work items only say what was earned.
    ws.create("project", id="FIN", name="Fin", parent="PF")
    ws.add(item("FIN", "F1", 1000, 50, date(2025, 4, 1), date(2025, 5, 1), None))
    ws.add_many(
        [
            CostEntry(project="FIN", incurred_on=date(2025, 4, 10), amount="400 EUR"),
            CostEntry(project="FIN", incurred_on=date(2025, 4, 24), amount="225 EUR"),
            CostEntry(project="FIN", incurred_on=date(2025, 5, 2), amount="999 EUR"),  # later
        ]
    )

    m = _metrics(json.loads(ws.report("project-status", "FIN", format="json").content))

    assert _value(m["ac"]) == Decimal("625")  # up to the status date only
    assert m["ac"]["source"] == "2 cost entries of FIN up to 2025-04-25"
    assert m["ev"]["source"] == (
        "basis: current plan, no baseline on or before 2025-04-25; 1 work items of FIN"
    )
    assert _value(m["cpi"]) == Decimal("0.8")  # 500 / 625
    assert _value(m["eac"]) == Decimal("1250")  # 1000 / 0.8

    ws.add(CostEntry(project="FIN", incurred_on=date(2025, 4, 11), amount="10 USD"))
    doc = json.loads(ws.report("project-status", "FIN", format="json").content)
    assert doc["projects"][0]["note"] == "cost entries are in USD but the project is in EUR"
    assert _metrics(doc)["cpi"]["value"] is None
