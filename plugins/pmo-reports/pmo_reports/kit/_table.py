"""A table of typed columns, rendered to Markdown, HTML, CSV and (with :func:`workbook`) XLSX.

Rows are mappings of plain values (``Decimal``, ``date``, ``str``, ``int``, ``None``); a
column's kind says how a value reads and how a spreadsheet stores it. Text from data is kept
inert in every format: escaped for Markdown and HTML, shown without control characters, and
written to CSV with a quote before a formula trigger.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup
from pmo_csv import neutralise

from ._format import NA, day, days, index, money, percent, plain, rag_label
from ._markdown import md_cell, md_table

ColumnKind = Literal["text", "int", "money", "index", "percent", "date", "days", "rag"]
KINDS: tuple[ColumnKind, ...] = (
    "text",
    "int",
    "money",
    "index",
    "percent",
    "date",
    "days",
    "rag",
)
RAGS = ("green", "amber", "red")
# What a formatted figure may hold and stay inert in Markdown as it is: digits, signs,
# separators, a currency code. Anything else (a currency code from hostile data) is escaped.
_INERT_FIGURE = re.compile(r"[-+0-9.,% A-Za-z/]*")


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Table`: the row key it reads, its label and its kind.

    Kinds: ``text``, ``int``, ``money`` (in the table's currency, or the row's at
    ``currency_key``), ``index`` (four places), ``percent`` (given in percent: 12.5 is
    12.5 %), ``date``, ``days`` and ``rag`` (``green``/``amber``/``red``, shown as the
    word and, in HTML and XLSX, a colour too). ``missing`` is what a cell given as ``None``
    or ``""`` reads (a key the row does not have reads empty: a footer's blank cells);
    ``kind_key`` names a row key that gives the kind of that row's cell (a table of
    metrics mixes money and indices in one column).

    Example::

        Column("spi", "SPI", "index")
        Column("reported", "Reported", "rag", missing="not reported")
        Column("value", "Value", "money", kind_key="kind", currency_key="currency")
    """

    key: str
    label: str
    kind: ColumnKind = "text"
    missing: str = NA
    currency_key: str = ""
    kind_key: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind {self.kind!r} is not one of {KINDS}")

    def kind_of(self, row: Mapping[str, Any]) -> ColumnKind:
        """The kind of this column's cell in ``row``.

        Example::

            Column("value", "Value", kind_key="kind").kind_of({"kind": "index"})  # 'index'
        """
        if self.kind_key:
            kind = row.get(self.kind_key)
            if kind in KINDS:
                return kind  # type: ignore[no-any-return]
        return self.kind

    def currency_of(self, row: Mapping[str, Any], default: str) -> str:
        """The currency of this column's money cell in ``row``.

        Example::

            Column("bac", "BAC", "money", currency_key="cur").currency_of({"cur": "USD"}, "EUR")
        """
        if self.currency_key:
            found = row.get(self.currency_key)
            if found:
                return str(found)
        return default


@dataclass(frozen=True)
class Table:
    """A titled table of typed columns; ``name`` names its XLSX sheet and CSV file.

    ``footer`` is a totals row: shown under the rows in Markdown, HTML and XLSX, left out of
    CSV (a CSV is rows of one kind). ``empty`` is what Markdown and HTML say when there are no
    rows.

    Example::

        table = Table(
            "projects",
            "Projects",
            [Column("key", "Key"), Column("bac", "BAC", "money"), Column("spi", "SPI", "index")],
            [{"key": "ALPHA", "bac": Decimal("3000"), "spi": Decimal("0.75")}],
            currency="EUR",
        )
        table.markdown()[2]  # '| ALPHA | 3,000.00 EUR | 0.7500 |'
        table.csv()          # 'Key,BAC,SPI\\r\\nALPHA,3000,0.75\\r\\n'
    """

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    currency: str = ""
    footer: Mapping[str, Any] | None = None
    empty: str = "None."
    kind: Literal["table"] = field(default="table", init=False)

    def shown(self, column: Column, row: Mapping[str, Any]) -> str:
        """A cell as plain text (not yet escaped for any markup): what a reader sees.

        Example::

            table.shown(Column("spi", "SPI", "index"), {"spi": Decimal("0.76190")})  # '0.7619'
        """
        if column.key not in row:
            return ""  # not given (a footer's label columns), unlike given as undefined
        value = row[column.key]
        if value is None or value == "":
            return column.missing
        kind = column.kind_of(row)
        if kind == "money":
            return money(_decimal(value), plain(column.currency_of(row, self.currency)))
        if kind == "index":
            return index(_decimal(value))
        if kind == "percent":
            return percent(_decimal(value))
        if kind == "date":
            return day(value) if isinstance(value, date) else plain(value)
        if kind == "days":
            return days(value)
        if kind == "rag":
            return rag_label(plain(value))
        return plain(value)

    def markdown(self) -> list[str]:
        """The table as Markdown lines, every text from data escaped (:func:`md_cell`).

        Example::

            lines = table.markdown()
        """
        if not self.rows and self.footer is None:
            return [md_cell(self.empty)]
        rows = [self._md_row(row) for row in self.rows]
        if self.footer is not None:
            footer = self._md_row(self.footer)
            rows.append([f"**{footer[0]}**", *footer[1:]])
        return md_table([md_cell(c.label) for c in self.columns], rows)

    def _md_row(self, row: Mapping[str, Any]) -> list[str]:
        cells = []
        for column in self.columns:
            if column.key not in row:
                cells.append("")
                continue
            shown = self.shown(column, row)
            text = column.kind_of(row) == "text" or not _INERT_FIGURE.fullmatch(shown)
            cells.append(md_cell(shown) if text else shown)
        return cells

    def cells(self, row: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        """Each cell of ``row`` as (text, HTML class): numbers ``num``, colours
        ``rag rag-red`` (the word is shown too: colour is never the only signal).

        Example::

            list(table.cells({"key": "ALPHA", "spi": None}))
            # [('ALPHA', 'text'), ('n/a', 'num na'), ...]
        """
        for column in self.columns:
            kind = column.kind_of(row)
            value = row.get(column.key)
            classes = "text" if kind == "text" else "num"
            if kind == "date":
                classes = "date"
            elif kind == "rag":
                classes = f"rag rag-{value}" if value in RAGS else "rag"
            if value is None or value == "":
                classes += " na"
            yield self.shown(column, row), classes

    def html(self) -> Markup:
        """The table as an HTML fragment (a ``<table>`` with its caption), every text from
        data escaped by the template.

        Example::

            "<table>" in str(table.html())  # True
        """
        from ._page import fragment

        return fragment("table", self)

    def csv(self) -> str:
        """The rows as CSV: a header of labels, numbers as plain decimals (no separators, no
        currency), dates as ISO 8601, colours as words, every text cell neutralised against
        spreadsheet formulas (:func:`pmo_csv.neutralise`). The footer is left out.

        Example::

            table.csv().splitlines()[0]  # 'Key,BAC,SPI'
        """
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralise(plain(c.label)) for c in self.columns])
        for row in self.rows:
            writer.writerow([_csv_cell(c, row) for c in self.columns])
        return out.getvalue()


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def number_text(value: Any) -> str:
    """A number as plain decimal text (``1234.5``, never ``1.2345E+3``)."""
    number = _decimal(value)
    return "" if number is None else format(number, "f")


def _csv_cell(column: Column, row: Mapping[str, Any]) -> str:
    value = row.get(column.key)
    if value is None:
        return ""
    kind = column.kind_of(row)
    if kind in ("int", "money", "index", "percent", "days") and isinstance(value, (int, Decimal)):
        return number_text(value)
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return neutralise(plain(value))
