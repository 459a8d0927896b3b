"""Watermelons per dimension in every report that shows reported colours: amber over red is
flagged as much as green over red, an overall better than the report's own worst dimension
is flagged, an override's reason is shown; and the dashboard's roadmap and top risks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from pmo_core import Milestone, RagOverride, StatusReport, Workspace


def _json(ws: Workspace, report: str, scope: str) -> dict[str, Any]:
    content = ws.report(report, scope, format="json").content
    assert isinstance(content, str)
    return json.loads(content)  # type: ignore[no-any-return]


def test_amber_reported_over_red_figures_is_flagged(ws: Workspace) -> None:
    # ALPHA: SPI 0.75 (red), CPI 1.0 (green), so overall red.
    ws.report_status("ALPHA", overall="amber", dimensions={"schedule": "amber", "cost": "green"})

    doc = _json(ws, "project-status", "ALPHA")
    summary = _json(ws, "portfolio-summary", "PF")

    assert doc["watermelon"] is True
    assert [
        (w["dimension"], w["reported"], w["computed"], w["figures"]) for w in doc["watermelons"]
    ] == [
        ("schedule", "amber", "red", {"SPI": "0.7500"}),
        ("overall", "amber", "red", {"SPI": "0.7500", "CPI": "1.0000"}),
    ]
    assert doc["watermelons"][0]["message"] == "schedule reported amber, computed red (SPI 0.7500)"
    alpha = next(p for p in summary["projects"] if p["key"] == "ALPHA")
    assert alpha["watermelon"] is True
    assert [w["dimension"] for w in alpha["watermelons"]] == ["schedule", "overall"]


def test_overall_green_over_a_red_reported_dimension_is_flagged(ws: Workspace) -> None:
    # BETA's figures: SPI 1.0 (green), CPI 2.0 (red: too good to be true). The report says
    # schedule red itself and overall green: it contradicts itself.
    ws.report_status("GAMMA", overall="green", dimensions={"schedule": "red"})

    doc = _json(ws, "project-status", "GAMMA")  # no figures: only the report itself speaks

    assert [
        (w["dimension"], w["reported"], w["computed"], w["basis"]) for w in doc["watermelons"]
    ] == [("overall", "green", "red", "dimensions")]
    md = ws.report("project-status", "GAMMA").content
    assert "overall reported green, but a dimension is red" in md


def test_an_overridden_colour_is_still_flagged_with_its_reason(ws: Workspace) -> None:
    ws.add(
        StatusReport(
            entity="ALPHA",
            as_of=date(2025, 4, 24),
            overall="red",
            dimensions={"schedule": "green"},
            overrides=[
                RagOverride(
                    dimension="schedule",
                    computed="red",
                    manual="green",
                    reason="<b>vendor</b> catch-up plan",
                )
            ],
            author="pat",
        )
    )

    doc = _json(ws, "project-status", "ALPHA")
    html = ws.report("project-status", "ALPHA", format="html").content
    md = ws.report("project-status", "ALPHA").content

    assert [(w["dimension"], w["reason"]) for w in doc["watermelons"]] == [
        ("schedule", "<b>vendor</b> catch-up plan")
    ]
    assert "overridden: &lt;b&gt;vendor&lt;/b&gt; catch-up plan" in html
    assert "overridden: &lt;b&gt;vendor&lt;/b&gt; catch-up plan" in md


def test_the_dashboard_lists_each_flag_with_both_colours_and_the_figures(ws: Workspace) -> None:
    ws.report_status("ALPHA", overall="amber", dimensions={"schedule": "amber"})
    ws.report_status("BETA", overall="green")  # CPI 2.0: red

    html = ws.report("portfolio-summary", "PF", format="html").content
    assert isinstance(html, str)
    section = html[html.index("Watermelons: reported better than computed") :]

    for expected in ("ALPHA", "BETA", "schedule", "SPI 0.7500", "CPI 2.0000", "AMBER", "GREEN"):
        assert expected in section, expected


def test_the_dashboard_caps_the_roadmap_and_the_top_risks(ws: Workspace) -> None:
    ws.add_many(
        [
            Milestone(project="BETA", name=f"B{n}", due=date(2025, 5, 1) + timedelta(days=n))
            for n in range(60)
        ]
    )
    for n in range(12):
        ws.add_raid("ALPHA", "risk", f"Risk {n}", probability=1 + n % 5, impact=1 + n // 3)

    html = ws.report("portfolio-summary", "PF", format="html").content
    assert isinstance(html, str)

    # ALPHA's 7 open milestones and BETA's 60: the 50 nearest 2025-04-25 are drawn.
    assert "The 50 open milestones nearest 2025-04-25" in html
    assert "17 more left out (the roadmap report lists them all)" in html
    assert "The 10 highest open risks" in html
    assert "2 more open risks are counted in the grid" in html
    assert "Risks by probability and impact" in html
    top = html[html.index("The 10 highest open risks") :]
    # Highest score first (Risk 9: 5 x 4, Risk 8: 4 x 3); the lowest (Risk 0: 1 x 1) is out.
    assert top.index("Risk 9<") < top.index("Risk 8<") < top.index("Risk 7<")
    assert "Risk 0<" not in top
