"""The CSV layout: which columns each kind has, which file holds which kind, the settings."""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

#: The files of the directory layout, in the order they are read and written.
FILES: dict[str, str] = {
    "portfolio": "portfolios.csv",
    "program": "programs.csv",
    "project": "projects.csv",
    "work_item": "work_items.csv",
}
KINDS: tuple[str, ...] = tuple(FILES)
ENTITY_KINDS: tuple[str, ...] = ("portfolio", "program", "project")

#: Columns of a portfolio, program or project row, in export order.
ENTITY_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "parent",
    "description",
    "sponsor",
    "manager",
    "status",
    "phase",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "budget",
    "currency",
    "tier",
    "methodology",
    "governance_model",
    "business_case_approved",
    "archived",
    "tags",
)

#: Columns of a work-item row, in export order.
WORK_ITEM_COLUMNS: tuple[str, ...] = (
    "key",
    "project",
    "parent",
    "subject",
    "type",
    "status",
    "assignee",
    "start",
    "due",
    "work",
    "remaining",
    "percent_complete",
    "ev_method",
    "points",
    "iteration",
    "budget",
    "actual_cost",
    "currency",
)

ENTITY_DATES = ("planned_start", "planned_finish", "actual_start", "actual_finish")
WORK_ITEM_DATES = ("start", "due")
#: Columns holding an amount of money (the currency is in the cell or the ``currency`` column).
MONEY_COLUMNS = ("budget", "actual_cost")
#: Columns holding a number: a spreadsheet must read them as numbers, so an export never
#: neutralises a number there, negative or not (``-5`` is a number, not a formula).
NUMBER_COLUMNS = ("tier", "work", "remaining", "percent_complete", "points", *MONEY_COLUMNS)
#: The prefix of a custom-field column: ``cf:namespace.field``.
CUSTOM_PREFIX = "cf:"

#: Every column a single file (with a ``kind`` column) may have, in export order.
SINGLE_FILE_COLUMNS: tuple[str, ...] = (
    "kind",
    *ENTITY_COLUMNS,
    *(c for c in WORK_ITEM_COLUMNS if c not in ENTITY_COLUMNS),
)


#: What each column holds, as the reference page of pmo-csv lists it (made from these
#: definitions when the docs are built; a test keeps it to exactly the columns above).
COLUMN_NOTES: dict[str, str] = {
    "key": "the external key, and the record's key (required)",
    "name": "text",
    "parent": (
        "the parent's key (from the same import or already in the workspace); a work item's: "
        "the work item it belongs to, before or after it in the file, or from an earlier import"
    ),
    "description": "text",
    "sponsor": "text",
    "manager": "text",
    "status": (
        "a status value (`on_track`) or its label (`On track`); entities: `not_started`, "
        "`on_track`, `at_risk`, `off_track`, `on_hold`, `finished`, `discontinued`"
    ),
    "phase": "text",
    "planned_start": "a date (ISO, or the `date_format` setting)",
    "planned_finish": "a date (ISO, or the `date_format` setting)",
    "actual_start": "a date (ISO, or the `date_format` setting)",
    "actual_finish": "a date (ISO, or the `date_format` setting)",
    "budget": "`250000` with a `currency` column, or `250000 EUR`",
    "currency": (
        "ISO 4217 code of the row's amounts; a work item without one takes its project's, "
        "from an earlier row of the same import"
    ),
    "tier": "1, 2 or 3",
    "methodology": "text",
    "governance_model": "text",
    "business_case_approved": "`true` / `false`",
    "archived": "`true` / `false`",
    "tags": "separated by `;`",
    "project": "the project's key",
    "subject": "text",
    "type": "text",
    "assignee": "text",
    "start": "a date (ISO, or the `date_format` setting)",
    "due": "a date (ISO, or the `date_format` setting)",
    "work": "hours",
    "remaining": "hours",
    "percent_complete": "0..100",
    "ev_method": "text",
    "points": "a number",
    "iteration": "text",
    "actual_cost": "an amount, as `budget`",
}


def columns_for(kind: str) -> tuple[str, ...]:
    """The columns a row of ``kind`` may fill."""
    return WORK_ITEM_COLUMNS if kind == "work_item" else ENTITY_COLUMNS


# OWASP's CSV injection guidance: a spreadsheet takes a cell starting with one of these as
# a formula (tab and carriage return because some spreadsheets skip them first). The export
# puts a single quote in front, which spreadsheets show as text and hide. Quotes already in
# front of a trigger get one more, so the import can always take exactly one away: "=x" is
# written "'=x", "'=x" is written "''=x", and "'x" (no trigger after the quotes) stays.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
# A plain number, as the export writes one (Decimal and int text): it stays a number.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def neutralise(text: str) -> str:
    """A text cell made inert for a spreadsheet: a single quote before a formula trigger.

    Example::

        neutralise("=1+1")    # "'=1+1": a spreadsheet shows =1+1 as text
        neutralise("'=1+1")   # "''=1+1": restore() gives "'=1+1" back
        neutralise("Alpha")   # 'Alpha'
    """
    return f"'{text}" if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    """The value of a cell :func:`neutralise` wrote: the one quote it added taken away.

    Example::

        restore("'=1+1")   # '=1+1'
        restore("'x")      # "'x": no trigger after the quote, so the export did not add it
    """
    return text[1:] if _QUOTED.match(text) else text


def is_number(text: str) -> bool:
    """True for a plain decimal number (``-1200.50``, ``3``, ``1E+3``) as an export writes it.

    Example::

        is_number("-5"), is_number("-5+A1")  # (True, False)
    """
    return _NUMBER.fullmatch(text) is not None


class CsvSettings(BaseModel):
    """Settings of the ``csv`` connector, from ``[settings.csv]`` in ``pmo.toml`` or
    ``PMO_CSV_<FIELD>`` environment variables.

    ``delimiter`` is one character; when it is not set, an import takes whichever of ``,``,
    ``;`` and tab the header line uses (Excel writes ``;`` in European locales) and an export
    writes ``,``. ``encoding`` is a Python codec name, ``utf-8-sig`` by default so the
    byte-order mark Excel writes is dropped on import and written on export (without it
    Excel misreads accented letters); ``date_format`` is a :func:`~datetime.strptime`
    format such as ``"%d.%m.%Y"``, or empty for ISO dates (``2025-03-31``). ``formulas`` is
    ``"escape"`` by default: an export puts a single quote before a text cell starting with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return, so a spreadsheet shows it as text
    instead of running it as a formula, and an import takes that quote away again; ``"raw"``
    writes and reads cells exactly as they are (for a consumer that is not a spreadsheet).
    Exports use the same settings, so an exported file imports again with them.

    Example::

        # pmo.toml
        [settings.csv]
        delimiter = ";"
        date_format = "%d.%m.%Y"
        formulas = "escape"
    """

    delimiter: str = Field(default=",", description="The field separator (one character).")
    encoding: str = Field(default="utf-8-sig", description="The file encoding (a codec name).")
    date_format: str | None = Field(
        default=None, description="A strptime format for dates; ISO 8601 when empty."
    )
    formulas: Literal["escape", "raw"] = Field(
        default="escape",
        description=(
            "escape: quote text cells a spreadsheet would run as formulas (and unquote them "
            "on import); raw: cells as they are."
        ),
    )

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if len(value) != 1 or value in '"\r\n':
            raise ValueError(f"delimiter must be one character other than a quote, got {value!r}")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @field_validator("date_format")
    @classmethod
    def _usable_format(cls, value: str | None) -> str | None:
        if not value:
            return None
        sample = date(2025, 3, 31)
        try:
            back = datetime.strptime(sample.strftime(value), value).date()
        except ValueError as exc:
            raise ValueError(f"date_format {value!r} cannot be read back: {exc}") from None
        if back != sample:
            raise ValueError(f"date_format {value!r} does not hold a whole date")
        return value

    def parse_date(self, text: str) -> date:
        """Read a date written in this format (raises ``ValueError``)."""
        if self.date_format is None:
            return date.fromisoformat(text)
        return datetime.strptime(text, self.date_format).date()

    def format_date(self, value: date) -> str:
        """Write a date in this format."""
        return value.isoformat() if self.date_format is None else value.strftime(self.date_format)
