"""The csv connector passes the connector conformance suite."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import ClassVar

import pmo_csv
from csv_samples import PORTFOLIOS, PROGRAMS, PROJECTS, WORK_ITEMS, AcmePlugin, write_dir

from pmo_core.testing.connector_conformance import ConnectorConformance

_FILES = {"portfolio": "portfolios", "program": "programs", "project": "projects",
          "work_item": "work_items"}  # fmt: skip


class CsvSample:
    """The realistic directory of the csv tests, changed cell by cell."""

    connector = "csv"
    plugins: ClassVar[dict[str, object]] = {"csv": pmo_csv, "acme": AcmePlugin()}
    record = ("project", "BETA", "name")
    expected: ClassVar[dict[str, int]] = {"portfolio": 2, "program": 1, "project": 3,
                                          "work_item": 4}  # fmt: skip

    def __init__(self, root: Path) -> None:
        self.root = write_dir(
            root / "source",
            portfolios=PORTFOLIOS,
            programs=PROGRAMS,
            projects=PROJECTS,
            work_items=WORK_ITEMS,
        )
        self.location = str(self.root)
        self.export_to = str(root / "export")

    def _rows(self, kind: str) -> tuple[Path, list[list[str]]]:
        path = self.root / f"{_FILES[kind]}.csv"
        return path, list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))

    def _save(self, path: Path, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        path, rows = self._rows(kind)
        column = rows[0].index(field)
        for row in rows[1:]:
            if row and row[0] == remote_id:
                row[column] = value
        self._save(path, rows)

    def delete(self, kind: str, remote_id: str) -> None:
        path, rows = self._rows(kind)
        self._save(path, [r for r in rows if not r or r[0] != remote_id])

    def deletable(self) -> tuple[str, str]:
        return ("work_item", "G-1")

    def corrupt(self) -> str:
        path = self.root / "projects.csv"
        path.write_text(PROJECTS.replace("250000,EUR", "lots,EUR"), encoding="utf-8")
        return str(path)


class TestCsvConnector(ConnectorConformance):
    sample_type = CsvSample
