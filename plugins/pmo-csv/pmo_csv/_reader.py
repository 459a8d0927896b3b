"""Reading CSV files into SourceItems, with every problem pinned to file:line:column."""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._columns import (
    CUSTOM_PREFIX,
    ENTITY_DATES,
    ENTITY_KINDS,
    FILES,
    KINDS,
    MONEY_COLUMNS,
    SINGLE_FILE_COLUMNS,
    WORK_ITEM_DATES,
    CsvSettings,
    columns_for,
    restore,
)

PROGRESS_EVERY = 1000
# The import option (``pmo import --allow-empty``) that accepts a source with no rows.
ALLOW_EMPTY = "allow_empty"

# Plain text columns, copied as they are (the core validates them).
_TEXT = frozenset(
    {
        "name",
        "parent",
        "description",
        "sponsor",
        "manager",
        "phase",
        "tier",
        "methodology",
        "governance_model",
        "business_case_approved",
        "archived",
        "project",
        "subject",
        "type",
        "assignee",
        "work",
        "remaining",
        "percent_complete",
        "ev_method",
        "points",
        "iteration",
    }
)


def settings_of(request: ConnectorRequest) -> CsvSettings:
    """The request's settings as :class:`CsvSettings` (defaults when there are none)."""
    if isinstance(request.settings, CsvSettings):
        return request.settings
    if request.settings is None:
        return CsvSettings()
    # exclude_unset keeps "not configured" apart from "configured as the default", which
    # decides whether the delimiter is detected (see _delimiter).
    return CsvSettings.model_validate(request.settings.model_dump(exclude_unset=True))


@dataclass
class _Header:
    path: str
    names: list[str]
    kind_column: bool
    custom: dict[int, tuple[str, str]] = field(default_factory=dict)
    # The first column of each name, and the columns every row of the file shares (with
    # "id" at the key's, so an error about the key points at it): worked out once per file.
    first: dict[str, int] = field(default_factory=dict)
    row_columns: dict[str, int] = field(default_factory=dict)
    # Per kind, the names a row may fill: the kind's columns, "kind" and the custom ones.
    allowed: dict[str, frozenset[str]] = field(default_factory=dict)
    # (name, column, namespace, field) of each custom-field column, by column.
    custom_columns: list[tuple[str, int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for n, name in enumerate(self.names, start=1):
            self.first.setdefault(name, n)
        self.row_columns = dict(self.first)
        if "key" in self.first:
            self.row_columns["id"] = self.first["key"]
        self.custom_columns = [
            (self.names[n - 1], n, namespace, field_name)
            for n, (namespace, field_name) in sorted(self.custom.items())
        ]
        custom = {name for name, _, _, _ in self.custom_columns}
        self.allowed = {kind: frozenset({*columns_for(kind), "kind", *custom}) for kind in KINDS}

    def column(self, name: str) -> int | None:
        return self.first.get(name)

    def where(self, line: int, name: str) -> str:
        """``path:line:column`` of the column ``name`` on ``line`` (``path:line`` if none)."""
        column = self.first.get(name)
        return f"{self.path}:{line}:{column}" if column else f"{self.path}:{line}"


@dataclass
class _State:
    rows: int = 0
    # Currencies of the entities read so far, so a work item's bare amount can use its
    # project's currency.
    currencies: dict[str, str] = field(default_factory=dict)
    # Whether each file read had a header line, for the message about a file with no rows.
    headers: dict[str, bool] = field(default_factory=dict)


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """Read a CSV file (with a ``kind`` column, or named after one kind) or a directory of
    ``portfolios.csv``, ``programs.csv``, ``projects.csv`` and ``work_items.csv``.

    Example::

        items = list(read(ConnectorRequest(location="portfolio/")))
        items[0].where  # 'portfolio/portfolios.csv:2'
    """
    settings = settings_of(request)
    location = request.location
    state = _State()
    if os.path.isdir(location):
        paths = [
            (os.path.join(location, name), kind)
            for kind, name in FILES.items()
            if os.path.exists(os.path.join(location, name))
        ]
        if not paths:
            raise InvalidInputError(
                f"{location} holds none of {', '.join(FILES.values())}", where=location
            )
        for path, kind in paths:
            yield from _read_file(path, kind, settings, request, state)
    else:
        implied = {name: kind for kind, name in FILES.items()}.get(os.path.basename(location))
        yield from _read_file(location, implied, settings, request, state)
    if not state.rows and not request.options.get(ALLOW_EMPTY):
        _refuse_empty(location, state)
    request.progress(state.rows, state.rows)


def _refuse_empty(location: str, state: _State) -> None:
    # An empty or header-only file is most often a failed export or the wrong file: saying
    # so beats an import that succeeds doing nothing. A directory export writes header-only
    # files for kinds with no rows, so only a directory with no row at all is refused.
    hint = "; to import it anyway, pass --allow-empty (option allow_empty)"
    if len(state.headers) == 1:
        [(path, header)] = state.headers.items()
        what = "a header but no rows" if header else "nothing: no header and no rows"
        raise InvalidInputError(f"the file holds {what}{hint}", where=path)
    names = ", ".join(os.path.basename(path) for path in state.headers)
    raise InvalidInputError(f"none of {names} holds a row{hint}", where=location)


def _read_file(
    path: str,
    implied_kind: str | None,
    settings: CsvSettings,
    request: ConnectorRequest,
    state: _State,
) -> Iterator[SourceItem]:
    rows = _rows(path, settings)
    first = next(rows, None)
    state.headers[path] = first is not None
    if first is None:
        return  # an empty file holds nothing (not even a header)
    header = _header(path, first[1], implied_kind)
    for line, cells in rows:
        if not "".join(cells).strip():
            continue  # blank lines are common at the end of hand-edited files
        state.rows += 1
        if state.rows % PROGRESS_EVERY == 0:
            request.progress(state.rows, None)
        try:
            item = _item(header, line, cells, implied_kind, settings, state)
        except InvalidInputError as error:
            request.problem(error)  # the import says it with the others, and reads on
            continue
        yield item


def _delimiter(first_line: str, settings: CsvSettings) -> str:
    """The configured delimiter, else the one the header uses.

    Excel writes ``;`` instead of ``,`` where the decimal separator is a comma (most of
    Europe), so a file straight from Excel imports without ``[settings.csv]``. Column names
    never hold a delimiter, so the most frequent candidate in the header line is it.
    """
    if "delimiter" in settings.model_fields_set:
        return settings.delimiter
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])  # ties keep the first: ","
    return best if counts[best] else settings.delimiter


def _rows(path: str, settings: CsvSettings) -> Iterator[tuple[int, list[str]]]:
    """(first line of the row, cells) for every row, the header included."""
    with open(path, encoding=settings.encoding, newline="") as f:
        start = 1
        try:
            delimiter = _delimiter(f.readline(), settings)
            f.seek(0)
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InvalidInputError(
                f"malformed CSV: {exc}", where=f"{path}:{reader.line_num}"
            ) from None
        except UnicodeDecodeError as exc:
            line, column = _decode_error_at(path, settings.encoding)
            raise InvalidInputError(
                f"not valid {settings.encoding}: {exc.reason} (byte "
                f"{exc.object[exc.start : exc.start + 1]!r}); set [settings.csv] encoding",
                where=f"{path}:{line}:{column}",
            ) from None


def _decode_error_at(path: str, encoding: str) -> tuple[int, int]:
    # Text files decode in chunks, so the exception does not say which line; find it again
    # line by line, only on this error path.
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as exc:
                return number, exc.start + 1
    return 1, 1


def _header(path: str, cells: list[str], implied_kind: str | None) -> _Header:
    names: list[str] = []
    custom: dict[int, tuple[str, str]] = {}
    # Excel writes empty trailing columns when cells right of the table were ever touched:
    # they name nothing, and a row holding a value there is refused in _item.
    width = len(cells)
    while width and not cells[width - 1].replace("\ufeff", "").strip():
        width -= 1
    for n, cell in enumerate(cells[:width], start=1):
        name = cell.replace("\ufeff", "").strip()
        where = f"{path}:1:{n}"
        if not name:
            raise InvalidInputError(f"column {n} has no name in the header", where=where)
        if name.lower().startswith(CUSTOM_PREFIX):
            namespace, _, field_name = name[len(CUSTOM_PREFIX) :].partition(".")
            if not namespace or not field_name:
                raise InvalidInputError(
                    f"custom field column {name!r} must look like 'cf:namespace.field'",
                    where=where,
                )
            custom[n] = (namespace, field_name)
            name = f"{CUSTOM_PREFIX}{namespace}.{field_name}"
        else:
            name = name.lower()
        if name in names:
            raise InvalidInputError(
                f"duplicate column {name!r} (also column {names.index(name) + 1})", where=where
            )
        names.append(name)
    kind_column = "kind" in names
    if kind_column:
        allowed: tuple[str, ...] = SINGLE_FILE_COLUMNS
    elif implied_kind is not None:
        allowed = columns_for(implied_kind)
    else:
        raise InvalidInputError(
            f"{os.path.basename(path)} needs a 'kind' column (portfolio, program, project or "
            f"work_item), or name the file {', '.join(FILES.values())}",
            where=f"{path}:1",
        )
    for n, name in enumerate(names, start=1):
        if n not in custom and name not in allowed:
            found = next((d for d in ",;\t" if d in name), None)
            hint = (
                f"; the file seems delimited by {found!r}: check [settings.csv] delimiter"
                if found
                else f" (known: {', '.join(allowed)}, cf:namespace.field)"
            )
            raise InvalidInputError(f"unknown column {name!r}{hint}", where=f"{path}:1:{n}")
    if "key" not in names:
        raise InvalidInputError("the header has no 'key' column", where=f"{path}:1")
    return _Header(path=path, names=names, kind_column=kind_column, custom=custom)


def _item(
    header: _Header,
    line: int,
    cells: list[str],
    implied_kind: str | None,
    settings: CsvSettings,
    state: _State,
) -> SourceItem:
    path = header.path
    names = header.names
    width = len(names)
    if len(cells) > width:
        extra = next((n for n, c in enumerate(cells[width:], width + 1) if c.strip()), None)
        if extra is not None:
            raise InvalidInputError(
                f"this row has a value in column {extra} but the header names only {width} columns",
                where=f"{path}:{line}:{extra}",
            )
    # The cells that hold something, stripped (the export never writes spaces around a
    # cell); with formulas escaped, less the quote an export put before a formula trigger,
    # so "=x" comes back as it was stored (only a cell starting with a quote can have one).
    escape = settings.formulas == "escape"
    values: dict[str, str] = {}
    for name, cell in zip(names, cells, strict=False):
        if cell:
            cell = cell.strip()
            if escape and cell[:1] == "'":
                cell = restore(cell).strip()
            if cell:
                values[name] = cell
    kind = implied_kind
    if header.kind_column:
        raw = values.get("kind", "")
        kind = raw.lower().replace("-", "_").replace(" ", "_")
        if kind not in KINDS:
            shown = f"{raw!r}" if raw else "nothing"
            raise InvalidInputError(
                f"kind must be one of {', '.join(KINDS)}, got {shown}",
                where=header.where(line, "kind"),
            )
    assert kind is not None  # _header refused a file with neither
    key = values.get("key")
    if key is None:
        raise InvalidInputError("the key is empty", where=header.where(line, "key"))
    allowed = header.allowed[kind]
    if not allowed.issuperset(values):
        name = next(n for n in values if n not in allowed)
        raise InvalidInputError(
            f"column {name!r} does not apply to a {kind}", where=header.where(line, name)
        )
    data: dict[str, Any] = {name: value for name, value in values.items() if name in _TEXT}
    for name in WORK_ITEM_DATES if kind == "work_item" else ENTITY_DATES:
        if name in values:
            try:
                data[name] = settings.parse_date(values[name])
            except ValueError:
                wanted = (
                    f"date_format {settings.date_format!r}"
                    if settings.date_format
                    # Excel writes dates in the locale's format; say how to read those.
                    else "YYYY-MM-DD, or set [settings.csv] date_format such as '%d.%m.%Y'"
                )
                raise InvalidInputError(
                    f"{name}: {values[name]!r} is not a date ({wanted})",
                    where=header.where(line, name),
                ) from None
    if "status" in values:
        status = values["status"]
        # Entity statuses are a vocabulary ("On track" means on_track); work-item statuses
        # are the source system's own words and are kept as written.
        data["status"] = status if kind == "work_item" else status.lower().replace(" ", "_")
    if "tags" in values:
        data["tags"] = [t.strip() for t in values["tags"].split(";") if t.strip()]
    currency = values.get("currency", "").upper() or None
    if kind in ENTITY_KINDS:
        if currency is not None:
            data["currency"] = currency
        elif "budget" in values and " " in values["budget"]:
            # "250000 USD" with no currency column: the entity is kept in USD.
            data["currency"] = _money_currency(values["budget"])
        if "currency" in data:
            state.currencies[key] = data["currency"]
    elif currency is None:
        currency = state.currencies.get(values.get("project", ""))
    for name in MONEY_COLUMNS:
        if name in values:
            text = values[name]
            if " " in text:
                data[name] = text  # "250000 EUR": the core parses and validates it
            elif currency is not None:
                data[name] = {"amount": text, "currency": currency}
            else:
                raise InvalidInputError(
                    f"{name}: {text!r} has no currency; add a 'currency' column or write "
                    f"'{text} EUR'",
                    where=header.where(line, name),
                )
    # Shared by the rows of the file; a row with custom fields gets its own copy.
    columns = header.row_columns
    if header.custom:
        custom: dict[str, dict[str, str]] = {}
        for name, n, namespace, field_name in header.custom_columns:
            if name in values:
                custom.setdefault(namespace, {})[field_name] = values[name]
                if "custom_fields" not in columns:
                    columns = {**columns, "custom_fields": n}
        if custom:
            data["custom_fields"] = custom
    return SourceItem(kind=kind, remote_id=key, data=data, where=f"{path}:{line}", columns=columns)


def _money_currency(text: str) -> str:
    parts = text.split()
    return (parts[0] if parts[0].isalpha() else parts[-1]).upper()
