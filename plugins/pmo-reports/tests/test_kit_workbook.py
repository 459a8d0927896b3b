"""The kit's XLSX: typed cells (numbers, dates), text that stays text, valid and unique sheet
names, a frozen header and an autofilter, and the same bytes for the same input."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from pmo_reports.kit import Column, Table, workbook
from pmo_reports.kit._workbook import sheet_name

from pmo_core.testing import HOSTILE_STRINGS

COLUMNS = [
    Column("name", "Name"),
    Column("bac", "BAC", "money"),
    Column("spi", "SPI", "index"),
    Column("sv_pct", "SV %", "percent"),
    Column("due", "Due", "date"),
    Column("late", "Late", "days"),
    Column("items", "Items", "int"),
    Column("rag", "RAG", "rag"),
]


def _table(name: str, names: list[str]) -> Table:
    rows = [
        {
            "name": text,
            "bac": Decimal("3000.50"),
            "spi": Decimal("0.761904"),
            "sv_pct": Decimal("-12.5"),
            "due": date(2025, 6, 1),
            "late": 12,
            "items": 3,
            "rag": "red",
        }
        for text in names
    ]
    rows.append({"name": "Undefined", "bac": None, "spi": None, "rag": None})
    return Table(name, name, COLUMNS, rows, currency="EUR", footer={"name": "Total"})


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_cells_are_typed_and_hostile_text_stays_a_string() -> None:
    names = list(HOSTILE_STRINGS.values())
    book = _open(workbook([_table("projects", names)], created=date(2025, 4, 25)))
    sheet = book["projects"]

    assert [c.value for c in sheet[1]] == [c.label for c in COLUMNS]
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(names)):
        name, bac, spi, sv_pct, due, late, items, rag = row
        assert name.data_type == "s"  # never "f": a formula would run on opening
        assert (bac.value, bac.number_format) == (3000.5, '#,##0.00 "EUR"')
        assert (spi.value, spi.number_format) == (0.761904, "0.0000")
        assert (sv_pct.value, sv_pct.number_format) == (-0.125, "0.00%")
        assert isinstance(due.value, datetime)
        assert due.value.date() == date(2025, 6, 1)
        assert (late.value, items.value, rag.value) == (12, 3, "RED")
    shown = [c.value for c in sheet["A"][1 : 1 + len(names)]]
    assert (
        shown[names.index(HOSTILE_STRINGS["formula-equals"])] == HOSTILE_STRINGS["formula-equals"]
    )
    assert "\x1b" not in "".join(shown)  # control characters shown as escapes
    assert len(shown[names.index(HOSTILE_STRINGS["long"])]) == 32_767  # Excel's cell limit
    undefined = sheet[2 + len(names)]
    assert [c.value for c in undefined[:3]] == ["Undefined", None, None]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{2 + len(names)}"
    assert sheet[3 + len(names)][0].value == "Total"
    assert sheet[3 + len(names)][0].font.b
    assert book.properties.created == datetime(2025, 4, 25)


def test_the_same_tables_give_the_same_bytes() -> None:
    tables = [_table("projects", ["Alpha"]), _table("risks", ["Vendor"])]
    assert workbook(tables, created=date(2025, 4, 25)) == workbook(
        tables, created=date(2025, 4, 25)
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Risks [open]", "risks _open_"], ["Risks _open_", "risks _open_ (2)"]),
        (["a" * 40, "a" * 40], ["a" * 31, "a" * 27 + " (2)"]),
        (["History", "'quoted'", "", "x/y:z*?"], ["History_", "quoted", "Sheet", "x_y_z__"]),
        (["<script>\x1b"], ["<script>_u001b"]),  # the escape's backslash is not allowed
    ],
)
def test_sheet_names_are_valid_and_unique(names: list[str], expected: list[str]) -> None:
    taken: set[str] = set()
    assert [sheet_name(n, taken) for n in names] == expected


def test_one_sheet_per_table_in_order() -> None:
    data = workbook([_table("projects", ["A"]), _table("projects", ["B"]), _table("x" * 50, [])])
    assert _open(data).sheetnames == ["projects", "projects (2)", "x" * 31]
