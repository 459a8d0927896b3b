"""How a value reads in a report: money, indices, percentages, dates, days and colours.

One implementation for every format: Markdown and HTML show these strings; CSV and XLSX
write the values themselves (typed in XLSX) and use these only where a cell must be text.
An undefined value (``None``) reads ``n/a``, never 0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pmo_core import escape_controls

NA = "n/a"


def money(value: Decimal | None, currency: str = "") -> str:
    """An amount with thousands separators and two places, then its currency; ``n/a`` when
    undefined (never 0).

    Example::

        money(Decimal("1250"), "EUR")  # '1,250.00 EUR'
        money(None, "EUR")             # 'n/a'
    """
    if value is None:
        return NA
    return f"{value:,.2f} {currency}".strip()


def index(value: Decimal | None) -> str:
    """A performance index as published (four places), or ``n/a``.

    Example::

        index(Decimal("0.76190"))  # '0.7619'
    """
    return NA if value is None else f"{value:.4f}"


def percent(value: Decimal | None) -> str:
    """A percentage given in percent (``12.5`` is 12.5 %), two places, or ``n/a``.

    Example::

        percent(Decimal("-12.5"))  # '-12.50 %'
    """
    return NA if value is None else f"{value:.2f} %"


def day(value: date | None) -> str:
    """A date as ISO 8601 (``2025-04-25``), or ``n/a``.

    Example::

        day(date(2025, 4, 25))  # '2025-04-25'
    """
    return NA if value is None else value.isoformat()


def days(value: int | Decimal | None) -> str:
    """A number of days (``12 d``), or ``n/a``.

    Example::

        days(12)  # '12 d'
    """
    return NA if value is None else f"{value} d"


def rag_label(colour: str | None, *, missing: str = NA) -> str:
    """A colour as a word a reader cannot misread in plain text or in black and white.

    Example::

        rag_label("amber")                         # 'AMBER'
        rag_label(None, missing="not reported")    # 'not reported'
    """
    return missing if colour is None else colour.upper()


def plain(value: Any) -> str:
    r"""Data as one line of plain text: control, bidi and line-separator characters shown as
    ``\uXXXX`` escapes, so no output (a page, a chart, a sheet) carries them as they are.

    Example::

        plain("gnp.exe\u202e")  # 'gnp.exe\\u202e'
        plain(None)             # ''
    """
    return "" if value is None else escape_controls(str(value))
