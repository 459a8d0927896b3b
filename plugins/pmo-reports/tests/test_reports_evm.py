"""The ``evm`` report: its figures are the metrics service's (``pmo metrics --json`` and
``Workspace.metrics``), series included; the baseline against the current plan, the headline
EAC and the unbaselined work items are said; a scope has a row per live project and the
totals; the XLSX is typed and equal to the JSON; options are checked."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pmo_reports
import pytest
from test_reports_metrics import S, build, change_the_live_plan

from pmo_core import InvalidInputError, ProjectMetrics, ScopeMetrics, Workspace


@pytest.fixture
def ws() -> Workspace:
    workspace = Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: S)
    change_the_live_plan(workspace, build(workspace))
    return workspace


def _json(ws: Workspace, scope: str | None, **options: str) -> dict[str, Any]:
    content = ws.report("evm", scope, format="json", options=options).content
    assert isinstance(content, str)
    return json.loads(content)  # type: ignore[no-any-return]


@pytest.mark.parametrize("key", ["ALPHA", "BRAVO", "CHARLIE"])
def test_the_cli_json_equals_pmo_metrics_with_the_monthly_series(
    pmo_workspace_factory: Callable[..., Workspace],
    pmo_cli: Callable[..., Any],
    key: str,
) -> None:
    ws = pmo_workspace_factory(store="sqlite", enabled=["reports"], today=S)
    change_the_live_plan(ws, build(ws))
    ours = pmo_cli(
        "metrics", key, "--status-date", str(S), "--series", "month", "--json", workspace=ws
    )
    theirs = pmo_cli("report", "evm", key, "--status-date", str(S), "--json", workspace=ws)

    assert ours.exit_code == 0, ours.stderr
    assert theirs.exit_code == 0, theirs.stderr
    metrics, report = ours.json(), theirs.json()
    assert report["metrics"] == metrics["metrics"]
    assert report["series"] == metrics["series"]
    assert report["period"] == "month"
    assert report["measurement"] == {k: metrics[k] for k in report["measurement"]}
    eac = next(m for m in metrics["metrics"] if m["name"] == "eac")
    assert report["headline_eac"] == eac["inputs"]["variant"]


def test_the_cli_option_series_week_gives_the_weekly_series(
    pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Callable[..., Any]
) -> None:
    ws = pmo_workspace_factory(store="sqlite", enabled=["reports"], today=S)
    change_the_live_plan(ws, build(ws))
    ours = pmo_cli("metrics", "ALPHA", "--series", "week", "--json", workspace=ws)
    theirs = pmo_cli("report", "evm", "ALPHA", "--option", "series=week", "--json", workspace=ws)
    wrong = pmo_cli("report", "evm", "ALPHA", "--option", "series=day", workspace=ws)

    assert theirs.exit_code == 0, theirs.stderr
    assert theirs.json()["series"] == ours.json()["series"]
    assert theirs.json()["period"] == "week"
    assert wrong.exit_code == 2
    assert "series='day' is not one of week, month" in wrong.stderr


def test_the_weekly_series_is_the_services(ws: Workspace) -> None:
    doc = _json(ws, "ALPHA", series="week")
    service = ws.metrics("ALPHA", series="week")
    assert isinstance(service, ProjectMetrics)

    assert doc["period"] == "week"
    assert doc["series"] == service.as_dict()["series"]
    assert doc["metrics"] == service.as_dict()["metrics"]
    assert len(doc["series"]) > 10


def test_baseline_current_plan_headline_and_unbaselined_are_said(ws: Workspace) -> None:
    md = ws.report("evm", "ALPHA").content
    doc = _json(ws, "ALPHA")

    # The baseline in force, not the changed live plan, is the basis of BAC, PV and EV.
    assert "basis: baseline 1 of 2025-01-15 (the latest on or before 2025-03-02)" in md
    assert doc["measurement"]["baseline"] == 1
    assert doc["headline_eac"] == "bottom_up"
    assert "| Headline EAC | EAC\\_bottom\\_up |" in md
    assert "| Estimate at completion (EAC), the headline | 5,200.00 EUR |" in md
    # Every variant beside the headline, with its formula.
    assert "| EAC at the cost efficiency so far (BAC / CPI) | 9,327.78 EUR |  | BAC / CPI |" in md
    assert "| EAC, the variance so far atypical | 6,450.00 EUR |" in md
    for heading in (
        "## Earned value",
        "## Estimates at completion",
        "## Earned schedule",
        "## Current plan against the baseline",
        "## Unbaselined work items (current plan only)",
        "## Time-phased, cumulative, by month",
    ):
        assert heading in md
    # A5 was added after the baseline: listed, in the current plan, not in BAC.
    assert [u["subject"] for u in doc["measurement"]["unbaselined"]] == ["A5"]
    assert "| A5 | 400.00 EUR |" in md
    values = {m["name"]: m["value"] for m in doc["metrics"]}
    assert values["bac"] == "4600.00"
    assert values["bac_current"] == "5500.00"  # 1000 + 2500 + 1000 + 600 + 400
    assert values["bac_variance"] == "900.00"
    # Earned schedule with its forecast finish.
    assert values["es"] == "39.07"
    assert doc["measurement"]["forecast_finish"] == "2025-07-05"
    assert "| Forecast finish (earned schedule: start + IEAC(t)) | 2025-07-05 |" in md


def test_a_scope_has_a_row_per_live_project_and_the_services_totals(ws: Workspace) -> None:
    doc = _json(ws, "PF")
    service = ws.metrics("PF")
    assert isinstance(service, ScopeMetrics)
    md = ws.report("evm", "PF").content

    assert doc["metrics"] == service.as_dict()["metrics"]
    assert [p["key"] for p in doc["projects"]] == ["ALPHA", "BRAVO", "CHARLIE"]
    for mine, theirs in zip(doc["projects"], service.as_dict()["projects"], strict=True):
        assert mine["metrics"] == theirs["metrics"]
    assert doc["series"] is None  # a scope's series only on request
    assert "| **Total** | 3 of 3 measured |" in md
    weekly = _json(ws, "PF", series="month")
    assert weekly["series"] == ws.metrics("PF", series="month").as_dict()["series"]


def test_xlsx_is_typed_and_equal_to_the_json(ws: Workspace) -> None:
    doc = _json(ws, "ALPHA")
    content = ws.report("evm", "ALPHA", format="xlsx").content
    assert isinstance(content, bytes)
    book = openpyxl.load_workbook(io.BytesIO(content))

    assert book.sheetnames[:2] == ["Metrics", "Measurement"]
    assert {"Unbaselined", "Series"} <= set(book.sheetnames)
    sheet = list(book["Metrics"].iter_rows(values_only=True))
    rows = [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]
    by_name = {r["Name"]: r for r in rows}
    assert [r["Name"] for r in rows] == [m["name"] for m in doc["metrics"]]
    for metric in doc["metrics"]:
        cell = by_name[metric["name"]]["Value"]
        if metric["unit"] in ("EUR", "ratio", "%", "days") and metric["value"] is not None:
            assert isinstance(cell, (int, float)), metric["name"]
            # A percentage is a fraction in a percent-formatted cell: -49.30 % is -0.493.
            scale = 100 if metric["unit"] == "%" else 1
            assert Decimal(str(cell)) * scale == Decimal(metric["value"]), metric["name"]
        if metric["value"] is None and metric["unit"] != "rag":
            assert cell is None or cell == "n/a", metric["name"]
    series = list(book["Series"].iter_rows(values_only=True))
    assert len(series) - 1 == len(doc["series"])
    for row, point in zip(series[1:], doc["series"], strict=True):
        assert row[0].date().isoformat() == point["period_end"]  # a real date
        for cell, key in zip(row[1:], ("pv", "pv_current", "ev", "ac"), strict=True):
            assert (None if cell is None else Decimal(str(cell))) == (
                None if point[key] is None else Decimal(point[key])
            )


def test_the_html_page_draws_the_s_curve(ws: Workspace) -> None:
    html = ws.report("evm", "ALPHA", format="html").content
    assert isinstance(html, str)

    assert html.count('<figure class="chart"') == 1
    assert "S-curve by month" in html
    for line in ("PV baseline", "PV current plan", "EV", "AC"):
        assert line in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"series": "day"}, "series='day' is not one of week, month"),
        ({"open": "1"}, "has no option 'open' \\(it takes: series\\)"),
    ],
)
def test_a_bad_option_is_an_error_naming_it(
    ws: Workspace, options: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        ws.report("evm", "ALPHA", options=options)
