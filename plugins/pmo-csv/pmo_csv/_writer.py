"""Writing SourceItems as CSV, in the layout the reader reads back."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._columns import (
    CUSTOM_PREFIX,
    ENTITY_DATES,
    FILES,
    KINDS,
    MONEY_COLUMNS,
    NUMBER_COLUMNS,
    SINGLE_FILE_COLUMNS,
    WORK_ITEM_DATES,
    CsvSettings,
    columns_for,
    is_number,
    neutralise,
)
from ._reader import PROGRESS_EVERY, settings_of


def write(request: ConnectorRequest) -> None:
    """Write ``request.items`` to a directory of per-kind files, or to one file with a
    ``kind`` column when the location ends with ``.csv``.

    Every file of the directory layout is written, header-only when it has no rows, so a
    file left from an earlier export cannot be imported again by mistake. Unless the
    settings say ``formulas = "raw"``, a text cell a spreadsheet would take for a formula
    gets a single quote in front (see :func:`~pmo_csv.neutralise`).

    Example::

        write(ConnectorRequest(location="out/", items=[
            SourceItem(kind="project", remote_id="ALPHA",
                       data={"id": "ALPHA", "name": "Alpha", "currency": "EUR"}),
        ]))
    """
    settings = settings_of(request)
    items = list(request.items)
    for item in items:
        if item.kind not in KINDS:
            raise InvalidInputError(
                f"the csv connector writes {', '.join(KINDS)}, not {item.kind!r}",
                where=item.remote_id,
            )
    done = 0

    def progress() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            request.progress(done, len(items))

    if request.location.lower().endswith(".csv"):
        columns = [*SINGLE_FILE_COLUMNS, *_custom_columns(items)]
        _write_file(request.location, columns, items, settings, progress, with_kind=True)
    else:
        os.makedirs(request.location, exist_ok=True)
        for kind, name in FILES.items():
            mine = [i for i in items if i.kind == kind]
            columns = [*columns_for(kind), *_custom_columns(mine)]
            path = os.path.join(request.location, name)
            _write_file(path, columns, mine, settings, progress, with_kind=False)
    request.progress(len(items), len(items))


def _custom_columns(items: Iterable[SourceItem]) -> list[str]:
    found: set[str] = set()
    for item in items:
        custom = item.data.get("custom_fields") or {}
        for namespace, values in custom.items():
            found.update(f"{CUSTOM_PREFIX}{namespace}.{name}" for name in values)
    return sorted(found)


def _write_file(
    path: str,
    columns: Sequence[str],
    items: Sequence[SourceItem],
    settings: CsvSettings,
    progress: Callable[[], None],
    *,
    with_kind: bool,
) -> None:
    # Write next to the target and rename, so a failed export never leaves half a file.
    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding=settings.encoding, newline="") as f:
            writer = csv.writer(f, delimiter=settings.delimiter)
            writer.writerow(columns)
            for item in items:
                row = _row(item, settings)
                if with_kind:
                    row["kind"] = item.kind
                cells = [row.get(c, "") for c in columns]
                if settings.formulas == "escape":
                    cells = [_inert(c, cell) for c, cell in zip(columns, cells, strict=True)]
                writer.writerow(cells)
                progress()
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _inert(column: str, cell: str) -> str:
    # Numbers stay numbers, negative ones included, so sums in the spreadsheet still work;
    # everything else is text a spreadsheet could run. A custom field is text unless its
    # value is a plain number.
    numeric = column in NUMBER_COLUMNS or column.startswith(CUSTOM_PREFIX)
    return cell if numeric and is_number(cell) else neutralise(cell)


def _row(item: SourceItem, settings: CsvSettings) -> dict[str, str]:
    data = item.data
    row: dict[str, str] = {"key": item.remote_id}
    dates = WORK_ITEM_DATES if item.kind == "work_item" else ENTITY_DATES
    for name in columns_for(item.kind):
        if name in ("key", "currency") or name in MONEY_COLUMNS:
            continue
        value = data.get(name)
        if name in dates and value is not None:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            row[name] = settings.format_date(day)
        elif name == "tags":
            row[name] = ";".join(str(t) for t in value or ())
        else:
            row[name] = _cell(value)
    currency = data.get("currency") if item.kind != "work_item" else None
    for name in MONEY_COLUMNS:
        money = data.get(name)
        if isinstance(money, Mapping):
            row[name] = _cell(money.get("amount"))
            currency = currency or money.get("currency")
        elif money is not None:
            row[name] = str(money)  # already "250000 EUR"
    row["currency"] = _cell(currency)
    custom = data.get("custom_fields") or {}
    for namespace, values in custom.items():
        for name, value in values.items():
            row[f"{CUSTOM_PREFIX}{namespace}.{name}"] = _cell(value)
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 320.0 hours reads better as 320 and imports as the same
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, default=str)
