"""Reading a workbook into SourceItems, a row at a time, every problem pinned to its cell.

A place is ``file:sheet:row:column`` (``plan.xlsx:projects:7:4``, the cell D7), the form the
core appends a column to (``SourceItem.where`` is ``plan.xlsx:projects:7``, ``columns`` maps
each field to its column number); messages also name the cell as Excel does (``D7``).
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import ParseError

# openpyxl ships no type hints: its workbook, sheets and cells are Any here.
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._layout import (
    COLUMNS,
    DIMENSION_PREFIX,
    ENTITY_KINDS,
    OWNER_FIELD,
    SHEETS,
    CellType,
)

PROGRESS_EVERY = 1000
#: The import option (``pmo import --allow-empty``) that accepts a workbook with no rows.
ALLOW_EMPTY = "allow_empty"
#: What a workbook may unpack to, all parts together: far beyond a million rows of the layout
#: (some 600 MB of sheet XML), far below what would fill a disk or memory.
MAX_UNPACKED = 4 * 1024**3
#: How much more a part may unpack to than it takes in the file, beyond a few MB: sheet XML
#: compresses 10 to 30 times; a zip bomb hundreds or thousands of times.
MAX_RATIO = 200
_SMALL_PART = 8 * 1024**2
# An encrypted (password-protected) workbook, and a legacy .xls, are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The decimals a number format shows: "#,##0.00" shows two.
_DECIMALS = re.compile(r"0\.(0+)")
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})


@dataclass
class _Sheet:
    """One sheet's header: its kind, its column names and where each is."""

    file: str
    title: str
    kind: str
    names: list[str | None]
    types: list[CellType | None]
    # Column number of each field, "id" at the key's (an error about the key points at it).
    columns: dict[str, int] = field(default_factory=dict)

    def where(self, row: int, column: int | None = None) -> str:
        """``file:sheet:row`` or ``file:sheet:row:column``."""
        base = f"{self.file}:{self.title}:{row}"
        return base if column is None else f"{base}:{column}"


@dataclass
class _State:
    rows: int = 0
    # The currency of each entity read so far: a work item's, RAID item's bare amount takes
    # its owner's.
    currencies: dict[str, str] = field(default_factory=dict)


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """Read the sheets ``portfolios``, ``programs``, ``projects``, ``work_items``, ``raid``
    and ``status`` of a workbook (any of them; other sheets are left alone), in that order.

    Example::

        items = list(read(ConnectorRequest(location="plan.xlsx")))
        items[0].where  # 'plan.xlsx:portfolios:2'
    """
    location = request.location
    check_workbook(location)
    state = _State()
    try:
        book = load_workbook(location, read_only=True, data_only=False, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ParseError, OSError) as exc:
        if isinstance(exc, (FileNotFoundError, IsADirectoryError, PermissionError)):
            raise
        raise InvalidInputError(
            f"not a readable workbook: {_reason(exc)}", where=location
        ) from None
    try:
        found = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
        wanted = [(kind, found[name]) for kind, name in SHEETS.items() if name in found]
        if not wanted:
            raise InvalidInputError(
                f"the workbook has none of the sheets {', '.join(SHEETS.values())} "
                f"(it has: {', '.join(s.title for s in book.worksheets) or 'none'})",
                where=location,
            )
        for kind, sheet in wanted:
            yield from _read_sheet(location, kind, sheet, request, state)
    finally:
        book.close()
    if not state.rows and not request.options.get(ALLOW_EMPTY):
        raise InvalidInputError(
            "the workbook's sheets hold a header but no rows; to import it anyway, pass "
            "--allow-empty (option allow_empty)",
            where=location,
        )
    request.progress(state.rows, state.rows)


def check_workbook(location: str) -> None:
    """Refuse, before openpyxl opens it, a file that is no workbook: not a zip (a text file
    renamed, a truncated download), a password-protected workbook or a legacy ``.xls``, or a
    zip that would unpack to far more than a workbook does (a zip bomb).

    Example::

        check_workbook("notes.txt")
        # InvalidInputError: notes.txt: not an .xlsx workbook (not a zip file...)
    """
    with open(location, "rb") as f:
        magic = f.read(8)
    if magic == _OLE_MAGIC:
        raise InvalidInputError(
            "a password-protected workbook or a legacy .xls file, which cannot be read: "
            "save it as an .xlsx workbook without a password",
            where=location,
        )
    if not zipfile.is_zipfile(location):
        raise InvalidInputError(
            "not an .xlsx workbook (not a zip file: another kind of file, or a truncated one)",
            where=location,
        )
    try:
        with zipfile.ZipFile(location) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInputError(
            f"not a readable workbook: {_reason(exc)}", where=location
        ) from None
    # The sizes a zip declares bound what reading its parts gives (zipfile stops there).
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED:
        raise InvalidInputError(
            f"the workbook would unpack to {total:,} bytes, more than the {MAX_UNPACKED:,} "
            "a workbook may",
            where=location,
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _SMALL_PART and ratio > MAX_RATIO:
            raise InvalidInputError(
                f"the part {part.filename} unpacks {ratio:,.0f} times its size, which no "
                "workbook does (a zip bomb?)",
                where=location,
            )
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise InvalidInputError(
            "not an .xlsx workbook (a zip file without xl/workbook.xml)", where=location
        )


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _read_sheet(
    location: str, kind: str, sheet: Any, request: ConnectorRequest, state: _State
) -> Iterator[SourceItem]:
    rows = sheet.iter_rows()
    number = 0
    try:
        header = _header(location, kind, sheet.title, next(rows, ()))
        number = 1
        for number, cells in enumerate(rows, start=2):
            values = [cell.value for cell in cells]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue  # blank rows are common in hand-edited sheets
            state.rows += 1
            if state.rows % PROGRESS_EVERY == 0:
                request.progress(state.rows, None)
            yield _item(header, number, cells, state)
    except (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError) as exc:
        # A part broken inside the zip shows only when its rows are read.
        raise InvalidInputError(
            f"the sheet cannot be read past this row: {_reason(exc)}",
            where=f"{location}:{sheet.title}:{number + 1}",
        ) from None


def _header(location: str, kind: str, title: str, cells: Any) -> _Sheet:
    known = COLUMNS[kind]
    names: list[str | None] = []
    types: list[CellType | None] = []
    columns: dict[str, int] = {}
    for n, cell in enumerate(cells, start=1):
        value = cell.value
        where = f"{location}:{title}:1:{n}"
        if value is None or (isinstance(value, str) and not value.strip()):
            names.append(None)  # an empty header cell names nothing; a value below it is refused
            types.append(None)
            continue
        name = str(value).strip().lower()
        if name not in known:
            raise InvalidInputError(
                f"{_cell(1, n)}: unknown column {name!r} on sheet {title!r} "
                f"(known: {', '.join(known)})",
                where=where,
            )
        if name in columns:
            raise InvalidInputError(
                f"{_cell(1, n)}: duplicate column {name!r} (also column {columns[name]})",
                where=where,
            )
        columns[name] = n
        names.append(name)
        types.append(known[name])
    if "key" not in columns:
        raise InvalidInputError(
            f"sheet {title!r} has no 'key' column in its header (row 1)",
            where=f"{location}:{title}:1",
        )
    columns["id"] = columns["key"]
    return _Sheet(file=location, title=title, kind=kind, names=names, types=types, columns=columns)


def _cell(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


class _Refused(ValueError):
    """A cell's value does not fit its column (the message says why)."""


def _item(sheet: _Sheet, row: int, cells: Any, state: _State) -> SourceItem:
    kind = sheet.kind
    values: dict[str, Any] = {}
    for n, cell in enumerate(cells, start=1):
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = sheet.names[n - 1] if n <= len(sheet.names) else None
        type_ = sheet.types[n - 1] if n <= len(sheet.types) else None
        if name is None or type_ is None:
            raise InvalidInputError(
                f"{_cell(row, n)}: a value in a column the header does not name",
                where=sheet.where(row, n),
            )
        if getattr(cell, "data_type", None) == "f":
            raise InvalidInputError(
                f"{_cell(row, n)}: {name} is a formula ({str(value)[:60]}); pmo-core reads "
                "values, never formulas: paste it as a value",
                where=sheet.where(row, n),
            )
        try:
            values[name] = _value(type_, value)
            if type_ == "money" and isinstance(value, (int, float)):
                values[name] = _shown(values[name], cell.number_format)
        except _Refused as exc:
            raise InvalidInputError(
                f"{_cell(row, n)}: {name}: {exc}", where=sheet.where(row, n)
            ) from None
    key = values.pop("key", None)
    if key is None:
        raise InvalidInputError(
            f"{_cell(row, sheet.columns['key'])}: the key is empty",
            where=sheet.where(row, sheet.columns["key"]),
        )
    data = _data(kind, values, state, key, sheet, row)
    return SourceItem(
        kind=kind, remote_id=key, data=data, where=sheet.where(row), columns=sheet.columns
    )


def _data(
    kind: str, values: dict[str, Any], state: _State, key: str, sheet: _Sheet, row: int
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    dimensions: dict[str, str] = {}
    for name, value in values.items():
        if name.startswith(DIMENSION_PREFIX):
            dimensions[name[len(DIMENSION_PREFIX) :]] = value
        elif name != "currency" and COLUMNS[kind][name] != "money":
            data[name] = value
    if dimensions:
        data["dimensions"] = dimensions
    if kind in ENTITY_KINDS and isinstance(data.get("status"), str):
        # Entity statuses are a vocabulary: "On track" means on_track.
        data["status"] = data["status"].lower().replace(" ", "_")
    currency: str | None = values.get("currency")
    if kind in ENTITY_KINDS:
        if currency is None and isinstance(values.get("budget"), str):
            currency = values["budget"].split()[-1].upper()  # "250000 USD": kept in USD
        if currency is not None:
            data["currency"] = currency
            state.currencies[key] = currency
    elif currency is None:
        owner = values.get(OWNER_FIELD.get(kind, ""))
        currency = state.currencies.get(owner) if isinstance(owner, str) else None
    for name, type_ in COLUMNS[kind].items():
        if type_ != "money" or name not in values:
            continue
        amount = values[name]
        if isinstance(amount, str):
            data[name] = amount  # "1200.50 EUR": the core parses and checks it
        elif currency is not None:
            data[name] = {"amount": str(amount), "currency": currency}
        else:
            column = sheet.columns[name]
            raise InvalidInputError(
                f"{_cell(row, column)}: {name}: {amount} has no currency; fill the "
                f"'currency' column or write '{amount} EUR'",
                where=sheet.where(row, column),
            )
    return data


def _shown(amount: Decimal, number_format: Any) -> Decimal:
    """An amount with the decimals its cell shows (``#,##0.00``: ``1200.5`` is ``1200.50``),
    unless that would drop digits it has."""
    found = _DECIMALS.search(number_format) if isinstance(number_format, str) else None
    if found is None:
        return amount
    shown = amount.quantize(Decimal(1).scaleb(-len(found.group(1))))
    return shown if shown == amount else amount


def _value(type_: CellType, value: Any) -> Any:
    """The cell's value as the field wants it; :class:`_Refused` says why it cannot be."""
    if type_ == "date":
        return _date(value)
    if isinstance(value, (datetime, date, time)):
        raise _Refused(f"{value} is a date, not {_A[type_]}")
    if type_ == "number":
        return _number(value)
    if type_ == "money":
        if isinstance(value, str):
            text = value.strip()
            if " " in text:
                return text
            value = text
        return _decimal(value)  # a bare amount: the currency comes from elsewhere
    if type_ == "bool":
        return _bool(value)
    text = _text(value)
    if type_ == "currency":
        return text.upper()
    if type_ == "list":
        return [part.strip() for part in text.split(";") if part.strip()]
    if type_ == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if type_ == "json":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise _Refused(f"not JSON: {exc}") from None
        if not isinstance(parsed, Mapping):
            raise _Refused("not a JSON object")
        return dict(parsed)
    return text


_A: dict[CellType, str] = {
    "text": "text",
    "date": "a date",
    "number": "a number",
    "money": "an amount",
    "currency": "a currency code",
    "bool": "TRUE or FALSE",
    "list": "text",
    "lines": "text",
    "json": "JSON text",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a key typed as 42 is "42", not "42.0"
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise _Refused(f"{value} has a time of day; a date is wanted")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _Refused(f"{text!r} is not a date (an Excel date, or text YYYY-MM-DD)") from None
    raise _Refused(f"{value!r} is not a date: format the cell as a date")


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Refused(f"{value} is not a number")
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise _Refused(f"{text!r} is not a number") from None
    return int(number) if number.is_integer() and "." not in text else number


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _Refused(f"{value} is not an amount")
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))
    try:
        # str(float) is the shortest text that reads back as the same float: 1200.1, not
        # the binary expansion.
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise _Refused(f"{value!r} is not an amount (a number, or text '1200.50 EUR')") from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Refused(f"{value!r} is not TRUE or FALSE")
