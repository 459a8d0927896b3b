"""Writing SourceItems as CSV, in the layout the reader reads back."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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

    Items given as an iterator (as ``Workspace.export_to`` gives them) are written as they
    come, so a million work items take little memory: the portfolios, programs and projects
    are held until the first work item, which settles the custom-field columns of the
    header; a work item after that may not bring a custom field of its own. Items given as
    a list or tuple are written whatever their order.

    Example::

        write(ConnectorRequest(location="out/", items=[
            SourceItem(kind="project", remote_id="ALPHA",
                       data={"id": "ALPHA", "name": "Alpha", "currency": "EUR"}),
        ]))
    """
    settings = settings_of(request)
    given = request.items
    items: Iterable[SourceItem] = given if isinstance(given, (list, tuple)) else iter(given)
    total = len(items) if isinstance(items, (list, tuple)) else None
    done = 0

    def progress() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            request.progress(done, total)

    held, rest = _hold_entities(items)
    if request.location.lower().endswith(".csv"):
        columns = [*SINGLE_FILE_COLUMNS, *_custom_columns(held)]
        _write_file(
            request.location, columns, _chain(held, rest), settings, progress, with_kind=True
        )
    else:
        os.makedirs(request.location, exist_ok=True)
        for kind, name in FILES.items():
            path = os.path.join(request.location, name)
            if kind == "work_item":
                mine = [i for i in held if i.kind == kind]
                streamed = _chain(mine, (i for i in rest if _only(i, kind)))
                columns = [*columns_for(kind), *_custom_columns(mine)]
                _write_file(path, columns, streamed, settings, progress, with_kind=False)
            else:
                mine = [i for i in held if i.kind == kind]
                columns = [*columns_for(kind), *_custom_columns(mine)]
                _write_file(path, columns, mine, settings, progress, with_kind=False)
    request.progress(done, done)


def _hold_entities(
    items: Iterable[SourceItem],
) -> tuple[list[SourceItem], Iterator[SourceItem]]:
    """The items up to the first work item (all of them for a list), and the rest."""
    if isinstance(items, (list, tuple)):
        return list(items), iter(())
    stream = iter(items)
    held: list[SourceItem] = []
    for item in stream:
        _check_kind(item)
        held.append(item)
        if item.kind == "work_item":
            break
    return held, stream


def _check_kind(item: SourceItem) -> None:
    if item.kind not in KINDS:
        raise InvalidInputError(
            f"the csv connector writes {', '.join(KINDS)}, not {item.kind!r}",
            where=item.remote_id,
        )


def _only(item: SourceItem, kind: str) -> bool:
    _check_kind(item)
    if item.kind != kind:
        # The directory layout writes the work items last: an entity after them would
        # have to go back to a file already written.
        raise InvalidInputError(
            f"a {item.kind} given after the work items cannot be written to a directory; "
            "give the portfolios, programs and projects first",
            where=item.remote_id,
        )
    return True


def _chain(first: Iterable[SourceItem], rest: Iterable[SourceItem]) -> Iterator[SourceItem]:
    yield from first
    for item in rest:
        _check_kind(item)
        yield item


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
    items: Iterable[SourceItem],
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
            known = set(columns)
            escape = settings.formulas == "escape"
            # Numbers stay numbers, negative ones included, so sums in the spreadsheet still
            # work; everything else is text a spreadsheet could run. A custom field is text
            # unless its value is a plain number.
            numeric = {c for c in columns if c in NUMBER_COLUMNS or c.startswith(CUSTOM_PREFIX)}
            for item in items:
                row = _row(item, settings)
                if with_kind:
                    row["kind"] = item.kind
                if not known.issuperset(row):
                    extra = sorted(set(row) - known)[0]
                    raise InvalidInputError(
                        f"the {item.kind} brings the column {extra!r} after the header was "
                        "written; give the items as a list, or the records with custom "
                        "fields before the first work item",
                        where=item.remote_id,
                    )
                if escape:
                    for name, cell in row.items():
                        if cell and cell[0] in _TRIGGERS:
                            row[name] = _inert(cell, name in numeric)
                cells = [row.get(c, "") for c in columns]
                writer.writerow(cells)
                progress()
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


# Only a cell starting with one of these (or with quotes before one) can need a quote: the
# rest are written as they are without asking neutralise().
_TRIGGERS = frozenset("'=+-@\t\r")


def _inert(cell: str, numeric: bool) -> str:
    return cell if numeric and is_number(cell) else neutralise(cell)


# Per kind: the columns whose value is copied as it is (through _cell), and its dates.
_PLAIN = {
    kind: tuple(
        name
        for name in columns_for(kind)
        if name not in ("key", "currency", "tags")
        and name not in MONEY_COLUMNS
        and name not in (WORK_ITEM_DATES if kind == "work_item" else ENTITY_DATES)
    )
    for kind in KINDS
}


def _row(item: SourceItem, settings: CsvSettings) -> dict[str, str]:
    """The item's cells by column name; a column left out is empty."""
    data = item.data
    kind = item.kind
    row: dict[str, str] = {"key": item.remote_id}
    for name in _PLAIN[kind]:
        value = data.get(name)
        if value is not None:
            row[name] = value if type(value) is str else _cell(value)
    for name in WORK_ITEM_DATES if kind == "work_item" else ENTITY_DATES:
        value = data.get(name)
        if value is not None:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            row[name] = settings.format_date(day)
    if kind != "work_item":  # only entities have tags
        row["tags"] = ";".join(str(t) for t in data.get("tags") or ())
    currency = data.get("currency") if kind != "work_item" else None
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
