"""Tables as an XLSX workbook: one sheet per table, typed cells, frozen header, autofilter.

Numbers are numbers with a number format (money with its currency, indices to four places,
percentages), dates are dates, and every text is written with ``write_string``: a name like
``=HYPERLINK(...)`` is a string cell, never a formula, whatever a spreadsheet would guess.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ._format import plain, rag_label
from ._table import Column, Table

# Excel's limits: a sheet name has at most 31 characters, none of []:*?/\, may not start or
# end with an apostrophe, and "History" is reserved; a cell holds at most 32,767 characters.
_SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_CELL_MAX = 32_767
_CURRENCY = re.compile(r"[A-Z]{3}")
_FORMATS: Mapping[str, str] = {
    "int": "#,##0",
    "index": "0.0000",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
    "days": '#,##0 "d"',
}
_RAG_FILLS = {"green": "#C8E6C9", "amber": "#FFE0B2", "red": "#FFCDD2"}
_WIDTH_SAMPLE = 500


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid sheet name for ``name``, unique among ``taken`` (compared case-insensitively,
    as Excel does), which it is added to.

    Example::

        taken = set()
        sheet_name("Risks [open]", taken), sheet_name("risks _open_", taken)
        # ('Risks _open_', 'risks _open_ (2)')
    """
    base = _BAD_SHEET_CHARS.sub("_", plain(name)).strip().strip("'") or "Sheet"
    if base.lower() == "history":
        base += "_"
    candidate, n = base[:_SHEET_NAME_MAX], 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def workbook(tables: Sequence[Table], *, created: date | datetime | None = None) -> bytes:
    """The tables as an XLSX file: one sheet per table, in order.

    Each sheet has the column labels as a bold, frozen header row with an autofilter over
    the rows, then the rows, then the footer (bold, outside the filter). ``created`` sets the
    document's creation date (give the report's status date): the same tables and date give
    the same bytes.

    Example::

        table = Table("projects", "Projects", [Column("key", "Key")], [{"key": "ALPHA"}])
        data = workbook([table], created=date(2025, 4, 25))
        data[:2]  # b'PK': an XLSX is a zip file
    """
    # XlsxWriter loads on the first workbook only. It ships no type hints: the workbook and
    # its sheets are Any here, used through the few calls below.
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            # Rows are written in order and flushed: memory stays flat on 10,000 rows.
            "constant_memory": True,
            # write() would guess; every write here names its type, but no guess, ever.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    if created is not None:
        moment = created if isinstance(created, datetime) else datetime.combine(created, time())
        book.set_properties({"created": moment})
    writer = _Writer(book)
    taken: set[str] = set()
    for table in tables:
        writer.sheet(table, sheet_name(table.name, taken))
    book.close()
    return out.getvalue()


class _Writer:
    """Writes tables into one workbook, creating each cell format once."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._formats: dict[tuple[str, str, bool], Any] = {}

    def format(self, kind: str, currency: str = "", *, bold: bool = False) -> Any:
        key = (kind, currency, bold)
        if key not in self._formats:
            spec: dict[str, Any] = {"bold": bold, "valign": "top"}
            if kind == "money":
                # A currency code from data goes into the format only if it is a code.
                code = f' "{currency}"' if _CURRENCY.fullmatch(currency) else ""
                spec["num_format"] = "#,##0.00" + code
            elif kind in _FORMATS:
                spec["num_format"] = _FORMATS[kind]
            elif kind in _RAG_FILLS:
                spec.update(bg_color=_RAG_FILLS[kind], align="center", bold=True)
            elif kind == "header":
                spec.update(bold=True, bottom=1, text_wrap=True)
            self._formats[key] = self.book.add_format(spec)
        return self._formats[key]

    def sheet(self, table: Table, name: str) -> None:
        sheet = self.book.add_worksheet(name)
        columns = list(table.columns)
        for n, column in enumerate(columns):
            sheet.set_column(n, n, _width(table, column))
        header = self.format("header")
        for n, column in enumerate(columns):
            sheet.write_string(0, n, plain(column.label), header)
        sheet.freeze_panes(1, 0)
        last = 0
        for last, row in enumerate(table.rows, start=1):
            self.row(sheet, last, table, row, bold=False)
        if columns:
            sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
        if table.footer is not None:
            self.row(sheet, last + 1, table, table.footer, bold=True)

    def row(self, sheet: Any, r: int, table: Table, row: Mapping[str, Any], *, bold: bool) -> None:
        for c, column in enumerate(table.columns):
            self.cell(sheet, r, c, column, table, row, bold=bold)

    def cell(
        self,
        sheet: Any,
        r: int,
        c: int,
        column: Column,
        table: Table,
        row: Mapping[str, Any],
        *,
        bold: bool,
    ) -> None:
        value = row.get(column.key)
        kind = column.kind_of(row)
        if value is None or value == "":
            sheet.write_blank(r, c, None, self.format(kind, bold=bold))
            return
        if kind == "money" and isinstance(value, (int, Decimal)):
            currency = plain(column.currency_of(row, table.currency))
            sheet.write_number(r, c, float(value), self.format(kind, currency, bold=bold))
        elif kind == "percent" and isinstance(value, (int, Decimal)):
            # Given in percent (12.5); a spreadsheet's percent format wants the fraction.
            sheet.write_number(r, c, float(Decimal(value) / 100), self.format(kind, bold=bold))
        elif kind in ("int", "index", "days") and isinstance(value, (int, Decimal)):
            sheet.write_number(r, c, float(value), self.format(kind, bold=bold))
        elif kind == "date" and isinstance(value, date):
            moment = value if isinstance(value, datetime) else datetime.combine(value, time())
            sheet.write_datetime(r, c, moment, self.format(kind, bold=bold))
        elif kind == "rag":
            colour = plain(value)
            fill = colour if colour in _RAG_FILLS else "text"
            sheet.write_string(r, c, rag_label(colour), self.format(fill, bold=bold))
        else:
            sheet.write_string(r, c, plain(value)[:_CELL_MAX], self.format("text", bold=bold))


def _width(table: Table, column: Column) -> int:
    sample = table.rows[:_WIDTH_SAMPLE]
    longest = max((len(table.shown(column, row)) for row in sample), default=0)
    return max(6, min(60, max(longest, len(column.label)) + 2))
