"""Every report in HTML, CSV and XLSX: data stays inert (no script, no formula), the figures
are the JSON report's, cells are typed, the same report gives the same bytes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pmo_reports
import pytest
from report_samples import FORMULA, SCRIPT, TODAY, build_portfolio

from pmo_core import PmoReport, Workspace

REPORTS = [
    ("project-status", "ALPHA"),
    ("portfolio-summary", "PF"),
    ("portfolio-summary", "ERP"),
    ("portfolio-summary", None),
    ("raid-register", "PF"),
    ("roadmap", "PF"),
    ("evm", "ALPHA"),
    ("evm", "PF"),
]
IDS = [f"{r}-{s or 'pmo'}" for r, s in REPORTS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def pf() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"reports": pmo_reports}, today=lambda: TODAY) as ws:
        build_portfolio(ws)
        yield ws


def _content(ws: Workspace, report: str, scope: str | None, fmt: str) -> Any:
    return ws.report(report, scope, format=fmt).content


def test_every_report_has_every_format_markdown_first(pf: Workspace) -> None:
    reports = {r.name: r for r in pf.host.records(PmoReport)}
    names = ("project-status", "portfolio-summary", "raid-register", "roadmap", "evm")
    assert set(reports) >= set(names)
    for name in names:
        assert reports[name].formats == ("md", "json", "html", "csv", "xlsx")
    assert reports["raid-register"].scopes == ("project", "program", "portfolio", "pmo")
    assert reports["roadmap"].scopes == ("portfolio", "program", "pmo")
    assert reports["evm"].scopes == ("project", "program", "portfolio", "pmo")


@pytest.mark.parametrize(("report", "scope"), REPORTS, ids=IDS)
def test_html_is_one_inert_document(pf: Workspace, report: str, scope: str | None) -> None:
    out = pf.report(report, scope, format="html")
    html = out.content
    assert isinstance(html, str)

    assert out.media_type == "text/html; charset=utf-8"
    assert html.startswith("<!doctype html>")
    assert "Content-Security-Policy" in html
    assert re.search(r"<script|<img|<iframe|<link|\son\w+=", html) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r"(?i)\b(href|src)\s*=|@import|url\(", html) is None


@pytest.mark.parametrize(("report", "scope"), REPORTS, ids=IDS)
def test_csv_neutralises_formulas(pf: Workspace, report: str, scope: str | None) -> None:
    out = pf.report(report, scope, format="csv")
    assert out.media_type == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(out.content)))  # type: ignore[arg-type]

    cells = [c for row in rows for c in row]
    assert FORMULA not in cells
    assert not [c for c in cells if re.match(r"[=+@\t\r]", c)]
    if scope == "ALPHA":  # a project's CSV is its metrics: numbers stay numbers
        sv = next(r for r in rows if r[0] == "Schedule variance (SV)")
        assert sv[1] == "-500.00"
    else:
        assert "'" + FORMULA in cells
        assert SCRIPT in cells


@pytest.mark.parametrize(("report", "scope"), REPORTS, ids=IDS)
def test_xlsx_cells_are_typed_and_text_is_never_a_formula(
    pf: Workspace, report: str, scope: str | None
) -> None:
    out = pf.report(report, scope, format="xlsx")
    assert out.media_type == XLSX
    assert isinstance(out.content, bytes)
    book = openpyxl.load_workbook(io.BytesIO(out.content))

    strings = []
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    strings.append(cell.value)
    assert SCRIPT in strings or any(SCRIPT in s for s in strings)
    assert out.content == _content(pf, report, scope, "xlsx")  # deterministic


def _sheet_rows(book: openpyxl.Workbook, name: str) -> list[dict[str, Any]]:
    sheet = book[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_xlsx_portfolio_figures_are_the_json_figures(pf: Workspace) -> None:
    doc = json.loads(_content(pf, "portfolio-summary", "PF", "json"))
    book = openpyxl.load_workbook(io.BytesIO(_content(pf, "portfolio-summary", "PF", "xlsx")))

    assert book.sheetnames == ["Projects", "Totals", "Roll-up", "Ended", "Pipeline"]
    projects = _sheet_rows(book, "Projects")
    by_key = {p["key"]: p for p in doc["projects"]}
    for row in projects[:-1]:  # the last row is the totals footer
        metrics = {m["name"]: m["value"] for m in by_key[row["Key"]]["metrics"]}
        for label, name in (("SPI", "spi"), ("CPI", "cpi"), ("EAC", "eac"), ("BAC", "bac")):
            expected = metrics[name]
            assert row[label] == (None if expected is None else float(Decimal(expected)))
            assert row[label] is None or isinstance(row[label], (int, float))
    totals = {r["Name"]: r["Value"] for r in _sheet_rows(book, "Totals")}
    for metric in doc["metrics"]:
        if metric["unit"] in ("EUR", "ratio") and metric["value"] is not None:
            assert totals[metric["name"]] == float(Decimal(metric["value"])), metric["name"]
    assert projects[-1]["Key"] == "Total"
    ended = _sheet_rows(book, "Ended")
    assert [(e["Key"], e["State"]) for e in ended] == [("OLD", "killed")]
    assert str(ended[0]["On"].date()) == "2025-03-02"  # a real date


def test_xlsx_project_metrics_carry_formula_and_inputs(pf: Workspace) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_content(pf, "project-status", "ALPHA", "xlsx")))

    assert book.sheetnames == ["Metrics", "RAG", "Milestones", "Gates", "Risks", "RAID"]
    metrics = {r["Name"]: r for r in _sheet_rows(book, "Metrics")}
    assert metrics["spi"]["Value"] == 0.75
    assert metrics["spi"]["Formula"] == "EV / PV"
    assert metrics["spi"]["Inputs"] == "EV = 1500.0; PV = 2000"
    assert metrics["spi"]["RAG"] == "RED"
    assert metrics["bac"]["Value"] == 3000
    assert book["Metrics"]["B2"].number_format == '#,##0.00 "EUR"'


def test_xlsx_raid_register_has_a_sheet_per_type_and_the_grid(pf: Workspace) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_content(pf, "raid-register", "PF", "xlsx")))
    assert book.sheetnames[0] == "Register"
    assert "Risks" in book.sheetnames
    assert book.sheetnames[-1] == "Risk grid"
    grid = _sheet_rows(book, "Risk grid")
    assert grid[1] == {"Probability": 4, **{f"Impact {i}": int(i == 5) for i in range(1, 6)}}
