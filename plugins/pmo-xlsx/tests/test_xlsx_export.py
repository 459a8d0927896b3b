"""What an export writes: the layout with a frozen bold header and widths, typed cells, and
text a spreadsheet would run as a formula kept as text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pmo_xlsx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from xlsx_samples import write_book

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem, Workspace
from pmo_core.testing import HOSTILE_STRINGS

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "#N/A", "=1"]


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"xlsx": pmo_xlsx}) as workspace:
        yield workspace


def test_every_sheet_has_a_frozen_bold_header_and_widths(ws: Workspace, tmp_path: Path) -> None:
    ws.import_from("xlsx", str(write_book(tmp_path / "plan.xlsx")))
    target = tmp_path / "out.xlsx"
    ws.export_to("xlsx", str(target))
    book = load_workbook(target)
    assert book.sheetnames == list(pmo_xlsx.SHEETS.values())
    for kind, title in pmo_xlsx.SHEETS.items():
        sheet = book[title]
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        assert header == list(pmo_xlsx.COLUMNS[kind])
        assert all(c.font.b for c in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8
    assert not (tmp_path / "out.xlsx.partial").exists()


def test_cells_are_typed(ws: Workspace, tmp_path: Path) -> None:
    ws.import_from("xlsx", str(write_book(tmp_path / "plan.xlsx")))
    target = tmp_path / "out.xlsx"
    ws.export_to("xlsx", str(target))
    sheet = load_workbook(target)["projects"]
    header = [c.value for c in sheet[1]]
    alpha = dict(zip(header, sheet[2], strict=True))
    assert alpha["key"].value == "ALPHA"
    assert alpha["planned_start"].value == datetime(2025, 1, 6)
    assert alpha["planned_start"].is_date
    assert (alpha["budget"].value, alpha["currency"].value) == (250000, "EUR")
    assert alpha["business_case_approved"].value is True
    assert alpha["tags"].value == "cloud;crm"


def test_formula_text_is_written_as_text_and_reads_back_unchanged(
    ws: Workspace, tmp_path: Path
) -> None:
    for n, text in enumerate(FORMULAS):
        ws.create("project", id=f"P{n}", name=f"Project {n}", description=text)
    target = tmp_path / "out.xlsx"
    ws.export_to("xlsx", str(target))

    sheet = load_workbook(target)["projects"]
    column = [c.value for c in sheet[1]].index("description")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULAS
    assert all(c.data_type == "s" for c in cells)  # a string cell, never a formula
    assert all(c.quotePrefix for c in cells)  # and text when someone edits it

    with Workspace.in_memory(plugins={"xlsx": pmo_xlsx}) as other:
        other.import_from("xlsx", str(target))
        assert [other.get(f"P{n}").description for n in range(len(FORMULAS))] == FORMULAS


def test_hostile_strings_are_written(ws: Workspace, tmp_path: Path) -> None:
    items = [
        SourceItem(kind="project", remote_id=f"P{n}", data={"name": "x", "description": text})
        for n, text in enumerate(HOSTILE_STRINGS)
    ]
    target = tmp_path / "out.xlsx"
    pmo_xlsx.write(ConnectorRequest(location=str(target), items=items))
    sheet = load_workbook(target)["projects"]
    column = [c.value for c in sheet[1]].index("description")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    assert len(cells) == len(HOSTILE_STRINGS)


def test_a_kind_outside_the_layout_is_refused(tmp_path: Path) -> None:
    items = [SourceItem(kind="milestone", remote_id="M1", data={"name": "Go-live"})]
    with pytest.raises(InvalidInputError, match="not 'milestone'"):
        pmo_xlsx.write(ConnectorRequest(location=str(tmp_path / "out.xlsx"), items=items))
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_an_amount_beyond_double_precision_is_written_as_text(tmp_path: Path) -> None:
    budget = {"amount": "12345678901234567.89", "currency": "EUR"}
    items = [SourceItem(kind="project", remote_id="P", data={"name": "x", "budget": budget})]
    target = tmp_path / "out.xlsx"
    pmo_xlsx.write(ConnectorRequest(location=str(target), items=items))
    (item,) = pmo_xlsx.read(ConnectorRequest(location=str(target)))
    assert item.data["budget"] == budget


def test_the_dates_of_raid_items_and_reports_round_trip(ws: Workspace, tmp_path: Path) -> None:
    ws.import_from("xlsx", str(write_book(tmp_path / "plan.xlsx")))
    target = tmp_path / "out.xlsx"
    assert pmo_xlsx.export_workbook(ws, str(target)) == 12
    (risk,) = [i for i in pmo_xlsx.read(ConnectorRequest(location=str(target))) if i.kind == "raid"]
    assert (risk.data["raised_on"], risk.data["probability"]) == (date(2025, 2, 1), 4)
