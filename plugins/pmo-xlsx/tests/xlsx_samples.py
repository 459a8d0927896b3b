"""A small realistic workbook for the xlsx tests, written with openpyxl's ordinary mode so a
test can change one cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

SHEETS: dict[str, list[list[Any]]] = {
    "portfolios": [
        ["key", "name", "manager", "currency"],
        ["PF-DIG", "Digital", "Ann Lee", "EUR"],
        ["PF-OPS", "Operations", "Bo Park", "EUR"],
    ],
    "programs": [
        ["key", "name", "parent", "currency"],
        ["ERP", "ERP renewal", "PF-OPS", "EUR"],
    ],
    "projects": [
        ["key", "name", "parent", "status", "planned_start", "planned_finish", "budget",
         "currency", "tier", "business_case_approved", "tags"],
        ["ALPHA", "Alpha", "PF-DIG", "On track", date(2025, 1, 6), date(2025, 9, 30), 250000,
         "EUR", 1, True, "cloud;crm"],
        ["BETA", "Beta", "ERP", "at_risk", "2025-02-03", "2025-12-19", "1200.50 USD", None,
         2, False, None],
        ["GAMMA", "Gamma", "ERP", None, None, None, None, "EUR", 3, None, None],
    ],
    "work_items": [
        ["key", "project", "subject", "status", "assignee", "start", "due", "work",
         "percent_complete", "budget", "actual_cost"],
        ["W-1", "ALPHA", "Design", "closed", "Cy", date(2025, 1, 6), date(2025, 2, 28), 120,
         100, 40000, 38500.5],
        ["W-2", "ALPHA", "Build", "open", "Cy", date(2025, 3, 3), date(2025, 6, 30), 400,
         35.5, 150000, 52000],
        ["W-3", "BETA", "Migrate", "open", None, date(2025, 2, 3), date(2025, 8, 29), 200,
         10, "80000 USD", None],
        ["G-1", "GAMMA", "Kick-off", "open", None, None, None, None, 0, None, None],
    ],
    "raid": [
        ["key", "entity", "type", "title", "owned_by", "probability", "impact", "raised_on"],
        ["R-1", "ALPHA", "risk", "Vendor delivers late", "Cy", 4, 4, date(2025, 2, 1)],
    ],
    "status": [
        ["key", "entity", "as_of", "overall", "dimensions.schedule", "dimensions.cost",
         "summary", "author", "achievements"],
        ["S-1", "ALPHA", date(2025, 3, 31), "amber", "green", "amber", "Cost pressure",
         "Ann Lee", "Design signed off\nVendor chosen"],
    ],
}  # fmt: skip
EXPECTED = {"portfolio": 2, "program": 1, "project": 3, "work_item": 4, "raid": 1,
            "status_report": 1}  # fmt: skip


def write_book(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]] = SHEETS) -> Path:
    """Write ``sheets`` (title -> rows, the header first) as a workbook at ``path``."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def edit_book(path: Path, sheet: str, key: str, column: str, value: Any) -> None:
    """Set one cell: the ``column`` of the row whose key is ``key``."""
    book = load_workbook(path)
    rows = book[sheet]
    header = [c.value for c in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[0].value == key:
            row[header.index(column)].value = value
    book.save(path)


def delete_row(path: Path, sheet: str, key: str) -> None:
    """Remove the row whose key is ``key``."""
    book = load_workbook(path)
    rows = book[sheet]
    for n, row in enumerate(rows.iter_rows(min_row=2), start=2):
        if row[0].value == key:
            rows.delete_rows(n)
            break
    book.save(path)
