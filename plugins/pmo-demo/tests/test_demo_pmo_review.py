"""pmo-review on the demo PMO: every KPI carries its lineage (formula, inputs, the records it
was computed from) or says why it was not measured."""

from __future__ import annotations

import json
from datetime import date

from pmo_demo import build_demo

from pmo_core import Workspace

TODAY = date(2025, 6, 30)


def test_every_kpi_of_the_demo_has_lineage() -> None:
    with Workspace.in_memory(
        enabled=["governance", "stage-gate", "reports"], today=lambda: TODAY
    ) as ws:
        build_demo(ws)
        ws.add_pmo_cost("60000 EUR", start=date(2025, 1, 1), end=date(2025, 6, 30))
        ws.record_survey([
            {"on": date(2025, 5, 31), "group": "sponsors", "score": 4},
            {"on": date(2025, 6, 15), "group": "project managers", "score": 3},
        ])  # fmt: skip
        doc = json.loads(ws.report("pmo-review", format="json").content)

    kpis = {k["name"]: k for k in doc["kpis"]}
    assert len(kpis) == 12
    for kpi in kpis.values():
        metric = kpi["metric"]
        assert metric["formula"], kpi["name"]
        if kpi["measured"]:
            assert metric["value"] is not None, kpi["name"]
            assert metric["inputs"], kpi["name"]
            assert kpi["records"] or kpi["name"] in ("evidenced_value", "pmo_roi"), kpi["name"]
        else:
            assert metric["value"] is None, kpi["name"]
            assert kpi["reason"], kpi["name"]
            assert metric["source"] == f"not measured: {kpi['reason']}"
    # The demo's portfolio gives these figures a basis; the rest depends on its history.
    for name in (
        "on_time",
        "on_budget",
        "gate_compliance",
        "status_on_time",
        "satisfaction",
        "pmo_cost",
    ):
        assert kpis[name]["measured"], (name, kpis[name]["reason"])
    assert kpis["satisfaction"]["metric"]["value"] == "3.50"
    assert kpis["pmo_cost"]["metric"]["value"] == "60000.00"
