"""The xlsx connector passes the connector conformance suite."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pmo_xlsx
from xlsx_samples import EXPECTED, delete_row, edit_book, write_book

from pmo_core.testing.connector_conformance import ConnectorConformance

_SHEETS = pmo_xlsx.SHEETS


class XlsxSample:
    """The small workbook of the xlsx tests, changed cell by cell."""

    connector = "xlsx"
    plugins: ClassVar[dict[str, object]] = {"xlsx": pmo_xlsx}
    record = ("project", "BETA", "name")
    expected: ClassVar[dict[str, int]] = EXPECTED

    def __init__(self, root: Path) -> None:
        self.path = write_book(root / "plan.xlsx")
        self.location = str(self.path)
        self.export_to = str(root / "export.xlsx")

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        edit_book(self.path, _SHEETS[kind], remote_id, field, value)

    def delete(self, kind: str, remote_id: str) -> None:
        delete_row(self.path, _SHEETS[kind], remote_id)

    def deletable(self) -> tuple[str, str]:
        return ("work_item", "G-1")

    def corrupt(self) -> str:
        data = self.path.read_bytes()
        self.path.write_bytes(data[: len(data) // 2])  # a download cut short
        return self.location


class TestXlsxConnector(ConnectorConformance):
    sample_type = XlsxSample
