"""Workbooks the connector refuses, each with its place (file:sheet:row:column), nothing
written."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pmo_xlsx
import pytest
from xlsx_samples import SHEETS, write_book

from pmo_core import InvalidInputError, Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"xlsx": pmo_xlsx}) as workspace:
        yield workspace


def _refused(ws: Workspace, path: Path) -> InvalidInputError:
    for dry_run in (True, False):
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("xlsx", str(path), dry_run=dry_run)
    assert ws.journal() == []
    return caught.value


def _places(error: InvalidInputError) -> list[str]:
    return [p.where for p in error.problems] or [error.where or ""]


def _sheets(**changes: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """The sample's sheets with ``changes``; a changed projects sheet comes alone (the other
    sheets refer to the sample's projects)."""
    if "projects" in changes:
        return dict(changes)
    sheets = copy.deepcopy(SHEETS)
    sheets.update(changes)
    return sheets


def _projects(*rows: list[Any]) -> list[list[Any]]:
    return [["key", "name", "parent", "planned_start", "budget", "currency", "tier"], *rows]


def test_a_text_file_renamed_is_no_workbook(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("key,name\nALPHA,Alpha\n", encoding="utf-8")
    error = _refused(ws, path)
    assert _places(error) == [str(path)]
    assert "not an .xlsx workbook" in str(error)


def test_a_truncated_workbook_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "plan.xlsx")
    path.write_bytes(path.read_bytes()[:-200])
    error = _refused(ws, path)
    assert _places(error) == [str(path)]


def test_a_password_protected_workbook_says_so(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    # Excel encrypts a workbook into an OLE compound file: this is how one starts.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    error = _refused(ws, path)
    assert "password-protected" in str(error)
    assert _places(error) == [str(path)]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (32 * 1024**2))
    assert path.stat().st_size < 100_000
    error = _refused(ws, path)
    assert "zip bomb" in str(error)


def test_a_zip_that_is_no_workbook_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "without xl/workbook.xml" in str(_refused(ws, path))


def test_a_sheet_part_broken_inside_the_zip_is_refused(ws: Workspace, tmp_path: Path) -> None:
    good = write_book(tmp_path / "good.xlsx")
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet3.xml":  # projects
                data = data[: len(data) // 2]  # the XML stops mid-row
            target.writestr(part, data)
    error = _refused(ws, path)
    assert all(p.startswith(f"{path}:projects:") for p in _places(error)), _places(error)


def test_a_workbook_without_a_sheet_of_the_layout(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "plan.xlsx", {"Sheet1": [["key", "name"], ["A", "Alpha"]]})
    error = _refused(ws, path)
    assert "none of the sheets portfolios, programs" in str(error)
    assert "(it has: Sheet1)" in str(error)


def test_sheets_with_headers_only_are_refused_unless_allowed(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "plan.xlsx", {"projects": [["key", "name"]]})
    assert "a header but no rows" in str(_refused(ws, path))
    result = ws.import_from("xlsx", str(path), options={"allow_empty": True})
    assert sum(result.counts().values()) == 0


def test_an_unknown_column_names_its_header_cell(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "plan.xlsx", _sheets(projects=[["key", "name", "colour"], ["A", "Al", "red"]])
    )
    error = _refused(ws, path)
    assert _places(error) == [f"{path}:projects:1:3"]
    assert "C1: unknown column 'colour' on sheet 'projects'" in str(error)


def test_a_header_without_key_and_a_duplicate_column(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", {"projects": [["name"], ["Alpha"]]})
    assert _places(_refused(ws, path)) == [f"{path}:projects:1"]
    path = write_book(tmp_path / "b.xlsx", {"projects": [["key", "name", "Name"], ["A", "x", "y"]]})
    error = _refused(ws, path)
    assert _places(error) == [f"{path}:projects:1:3"]
    assert "duplicate column 'name' (also column 2)" in str(error)


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (["A", "Alpha", None, "31/03/2025", None, None, 1], 4, "D3: planned_start: '31/03/2025'"),
        (["A", "Alpha", None, 45000, None, None, 1], 4, "format the cell as a date"),
        (["A", "Alpha", None, None, "lots", "EUR", 1], 5, "E3: budget: 'lots' is not an amount"),
        (["A", "Alpha", None, None, 100, None, 1], 5, "100 has no currency"),
        (["A", "Alpha", None, None, None, None, "high"], 7, "G3: tier: 'high' is not a number"),
        (["A", "Alpha", None, None, None, None, date(2025, 1, 1)], 7, "is a date, not a number"),
        (["A", "Alpha", None, None, None, None, 1, "extra"], 8, "H3: a value in a column"),
        ([None, "Alpha", None, None, None, None, 1], 1, "A3: the key is empty"),
    ],
)
def test_a_bad_cell_names_sheet_row_and_column(
    ws: Workspace, tmp_path: Path, row: list[Any], column: int, says: str
) -> None:
    path = write_book(
        tmp_path / "plan.xlsx",
        _sheets(projects=_projects(["OK", "Fine", None, None, None, None, 2], row)),
    )
    error = _refused(ws, path)
    assert _places(error) == [f"{path}:projects:3:{column}"]
    assert says in str(error)


def test_the_core_s_validation_errors_point_at_the_column(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "plan.xlsx",
        _sheets(projects=_projects(["A", "Alpha", None, None, None, None, 9])),
    )
    error = _refused(ws, path)
    assert _places(error) == [f"{path}:projects:2:7"]
    assert "tier" in str(error)


def test_a_formula_cell_is_refused_never_evaluated(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "plan.xlsx",
        _sheets(projects=_projects(["A", "Alpha", None, None, "=1000*2", "EUR", 1])),
    )
    error = _refused(ws, path)
    assert _places(error) == [f"{path}:projects:2:5"]
    assert "E2: budget is a formula (=1000*2)" in str(error)


def test_every_bad_row_is_said_at_once(ws: Workspace, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "plan.xlsx",
        _sheets(
            projects=_projects(
                ["A", "Alpha", None, None, None, None, 9],
                ["B", "Beta", None, None, None, None, 8],
            )
        ),
    )
    assert _places(_refused(ws, path)) == [f"{path}:projects:2:7", f"{path}:projects:3:7"]


def test_dates_numbers_money_and_booleans_are_read_typed(ws: Workspace, tmp_path: Path) -> None:
    ws.import_from("xlsx", str(write_book(tmp_path / "plan.xlsx")))
    alpha, beta = ws.get("ALPHA"), ws.get("BETA")
    assert (alpha.planned_start, alpha.status, alpha.tier) == (date(2025, 1, 6), "on_track", 1)
    assert (str(alpha.budget), alpha.business_case_approved, alpha.tags) == (
        "250000 EUR", True, ("cloud", "crm"))  # fmt: skip
    assert (beta.planned_start, str(beta.budget), beta.currency) == (
        date(2025, 2, 3), "1200.50 USD", "USD")  # fmt: skip
    items = {w.subject: w for w in ws.view().work_items("ALPHA")}
    assert str(items["Design"].actual_cost) == "38500.5 EUR"  # the project's currency
    (report,) = ws.view().status_reports("ALPHA")
    assert report.achievements == ("Design signed off", "Vendor chosen")
    assert {k: v.value for k, v in report.dimensions.items()} == {"schedule": "green",
                                                                  "cost": "amber"}  # fmt: skip
