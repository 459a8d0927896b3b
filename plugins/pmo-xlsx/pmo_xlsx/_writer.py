"""Writing SourceItems as a workbook, in the layout the reader reads back, a row at a time."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

# openpyxl ships no type hints: its workbook, sheets and cells are Any here.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._layout import COLUMNS, DIMENSION_PREFIX, ENTITY_KINDS, KINDS, SHEETS, CellType, width
from ._reader import PROGRESS_EVERY

if TYPE_CHECKING:
    from pmo_core import Workspace

# A spreadsheet takes a text starting with one of these for a formula (OWASP's CSV injection
# list; tab and carriage return because some skip them first). A cell written as a string is
# never a formula in the file; the quote prefix (Excel's leading apostrophe, not part of the
# value) keeps it text when someone edits the cell and presses Enter. ``#`` because openpyxl
# would write ``#N/A`` as an error value.
_TRIGGERS = tuple("=+-@\t\r#")
# Characters an XML 1.0 file cannot hold (control characters other than tab, line feed and
# carriage return): written as U+FFFD, the replacement character.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel holds numbers as doubles: an amount with more digits than a double keeps is written as
# text, so it reads back exactly.
_DOUBLE_DIGITS = 15


def write(request: ConnectorRequest) -> None:
    """Write ``request.items`` as a workbook: one sheet per kind of the layout (every sheet,
    header-only when it has no rows), with a bold frozen header row and set column widths.

    Rows are written as items come (openpyxl's write-only mode), so a million work items
    take little memory, and to ``<location>.partial`` renamed at the end, so a failed export
    never leaves half a workbook. Text is always a string cell (never a formula), with a
    quote prefix when it starts like one.

    Example::

        write(ConnectorRequest(location="out.xlsx", items=[
            SourceItem(kind="project", remote_id="ALPHA",
                       data={"name": "Alpha", "budget": {"amount": "100", "currency": "EUR"}}),
        ]))
    """
    items: Iterable[SourceItem] = request.items
    total = len(items) if isinstance(items, (list, tuple)) else None
    location = request.location
    partial = f"{location}.partial"
    book = Workbook(write_only=True)
    sheets: dict[str, Any] = {}
    for kind, title in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        for n, (name, type_) in enumerate(COLUMNS[kind].items(), start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width(name, type_)
        bold = Font(bold=True)
        header = []
        for name in COLUMNS[kind]:
            cell = WriteOnlyCell(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        sheets[kind] = sheet
    done = 0
    try:
        for item in items:
            if item.kind not in SHEETS:
                raise InvalidInputError(
                    f"the xlsx layout holds {', '.join(KINDS)}, not {item.kind!r}",
                    where=item.remote_id,
                )
            sheet = sheets[item.kind]
            sheet.append(_row(sheet, item))
            done += 1
            if done % PROGRESS_EVERY == 0:
                request.progress(done, total)
        book.save(partial)
        os.replace(partial, location)
    except BaseException:
        _discard(sheets.values())
        raise
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    request.progress(done, done)


def _discard(sheets: Iterable[Any]) -> None:
    """Close the sheets of a workbook that will not be saved and delete their temporary
    files (openpyxl writes each sheet's rows to one until the workbook is saved)."""
    for sheet in sheets:
        try:
            sheet.close()
            if sheet._writer is not None:
                sheet._writer.cleanup()
        except Exception:
            pass


def _row(sheet: Any, item: SourceItem) -> list[Any]:
    data = item.data
    kind = item.kind
    types = COLUMNS[kind]
    currency = data.get("currency") if kind in ENTITY_KINDS else None
    values: dict[str, Any] = {"key": item.remote_id}
    for name, type_ in types.items():
        if name in ("key", "currency"):
            continue
        if name.startswith(DIMENSION_PREFIX):
            dimensions = data.get("dimensions") or {}
            value = dimensions.get(name[len(DIMENSION_PREFIX) :])
        else:
            value = data.get(name)
        if value is None or value == "" or value == () or value == []:
            continue
        if type_ == "money" and isinstance(value, Mapping):
            currency = currency or value.get("currency")
            value = value.get("amount")
        values[name] = value
    if currency:
        values["currency"] = currency
    return [_cell(sheet, types[name], values.get(name)) for name in types]


def _cell(sheet: Any, type_: CellType, value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):
        value = value.value  # an enum (a RAG colour, a status)
    if type_ == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        cell = WriteOnlyCell(sheet, day.date() if isinstance(day, datetime) else day)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if type_ == "bool":
        return bool(value)
    if type_ == "money":
        return _amount(value, sheet)
    if type_ == "number":
        return _number(value, sheet)
    if type_ == "list":
        value = ";".join(str(v) for v in value)
    elif type_ == "lines":
        value = "\n".join(str(v) for v in value)
    elif type_ == "json":
        value = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return _text(sheet, str(value) if not isinstance(value, str) else value)


def _number(value: Any, sheet: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    amount = Decimal(str(value))
    if len(amount.as_tuple().digits) > _DOUBLE_DIGITS:
        return _text(sheet, str(value))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _amount(value: Any, sheet: Any) -> Any:
    """An amount as a number cell whose format shows its decimals (``1200.50`` as
    ``#,##0.00``): the reader takes them back from the format, so ``1200.50`` stays
    ``1200.50``, not ``1200.5``."""
    number = _number(value, sheet)
    if isinstance(number, str) or not isinstance(value, (str, Decimal)):
        return number
    exponent = Decimal(str(value)).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    cell = WriteOnlyCell(sheet, number)
    cell.number_format = "#,##0." + "0" * places if places else "#,##0"
    return cell


def _text(sheet: Any, text: str) -> Any:
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    if not text.startswith(_TRIGGERS):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error otherwise
    cell.quotePrefix = True
    return cell


def workbook_items(ws: Workspace, *, scope: str | None = None) -> Iterator[SourceItem]:
    """Everything the layout carries from a workspace, as an export gives it: the
    portfolios, programs and projects (archived ones too), the work items of each project,
    then the RAID items and the status reports of every entity (or of ``scope`` and what is
    below it).

    ``pmo export xlsx`` hands the connector the same kinds (the connector names them).

    Example::

        kinds = {item.kind for item in workbook_items(ws)}
        # {'portfolio', 'program', 'project', 'work_item', 'raid', 'status_report'}
    """
    view = ws.view()
    entities = view.entities(include_archived=True)
    if scope:
        entities = [view.entity(scope), *view.entities(under=scope, include_archived=True)]
    order = {kind: n for n, kind in enumerate(ENTITY_KINDS)}
    entities.sort(key=lambda e: (order[e.kind], e.id))
    for entity in entities:
        yield SourceItem(
            kind=entity.kind, remote_id=entity.id, data=entity.to_document(every_field=True)
        )
    keys = [e.id for e in entities]
    projects = [e.id for e in entities if e.kind == "project"]
    for doc in ws.store.query("work_item", owners=projects):
        yield SourceItem(kind="work_item", remote_id=doc.id, data=doc.data)
    for kind in ("raid", "status_report"):
        for doc in ws.store.query(kind, owners=keys):
            yield SourceItem(kind=kind, remote_id=doc.id, data=doc.data)


def export_workbook(ws: Workspace, location: str, *, scope: str | None = None) -> int:
    """Write the whole layout of ``ws`` (see :func:`workbook_items`) to the workbook
    ``location``; returns the rows written.

    Example::

        export_workbook(ws, "backup.xlsx")  # 19: the rows written
        with Workspace.init("restored", profile="starter") as copy:  # read back elsewhere
            copy.enable("xlsx")
            copy.import_from("xlsx", "backup.xlsx")
    """
    count = 0

    def counted() -> Iterator[SourceItem]:
        nonlocal count
        for item in workbook_items(ws, scope=scope):
            count += 1
            yield item

    write(ConnectorRequest(location=location, items=counted()))
    return count
