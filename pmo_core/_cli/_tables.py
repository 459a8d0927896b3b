"""Tables: the text of a cell, the two layouts of a table, and ``key: value`` lines.

A table has two layouts. On a terminal it is *aligned*: upper-case headers, columns padded
with two spaces between them, at most as wide as the terminal (``shutil.get_terminal_size``,
which honours ``COLUMNS``). When the natural widths are too wide the widest columns are
shrunk first, their cells elided with ``...``, down to a minimum width; the first column (the
key or id, to be copied) and the columns of numbers and of dates are never cut, and headers
stay whole. When even the minimum widths do not fit, the columns on the right are left out
(the first always stays) and :func:`echo_table` names them on stderr. A column whose cells
(ignoring empty ones and ``-``) are all numbers, money or percentages is right-aligned, its
header too: the decision is on the values, not the header.

Piped (stdout is not a terminal) a table is *tab-separated*: one line of upper-case headers,
one line per row, no padding, no eliding, no colour; a tab or line break inside a cell becomes
a space, control characters are escaped as on the terminal, and a cell with no value
(``None``, ``""``, an empty list, or ``-``, which a terminal shows for none) is an empty
field. ``cut -f``, ``column -t -s $'\\t'``, ``sort -t`` and spreadsheets read it as it is.

``PMO_TABLES=aligned`` or ``PMO_TABLES=tsv`` chooses the layout whatever stdout is (tests and
the documentation show what a terminal of ``COLUMNS`` columns shows).

Colour is added after the alignment (escape codes never break it). Only click and the standard
library are imported at module level.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import click

from .._text import escape_controls
from ._output import paint, use_colour

#: The environment variable choosing the layout of tables: ``aligned`` or ``tsv``.
TABLES_ENV = "PMO_TABLES"
#: The layouts :func:`table_layout` returns.
LAYOUTS = ("aligned", "tsv")
#: A column shrunk to fit the terminal keeps at least this many characters (or all it has).
MIN_COLUMN_WIDTH = 12
_GAP = "  "
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.+Z-]*)?$|-$")
_BREAKS = re.compile(r"[\t\r\n]+")

# 1,250.00 EUR / -3.5 / 87 % / 87% / +12 / 1e3 is not one: what a person reads as a number.
_NUMBER = re.compile(r"[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?: ?%| [A-Z]{3})?")


def cell(value: Any) -> str:
    """The text a table shows for a value, control characters escaped; ``-`` for nothing.

    Example::

        cell(None)  # '-'
        cell(["a", "b"])  # 'a, b'
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return escape_controls(str(value.value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(cell(v) for v in value) or "-"
    text = escape_controls(str(value))
    return text if text else "-"


def _empty(value: Any) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, (list, tuple, set, frozenset)) and not value


def _is_number(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    if isinstance(getattr(value, "amount", None), Decimal):  # Money
        return True
    return any(ch.isdigit() for ch in text) and _NUMBER.fullmatch(text) is not None


def table_layout() -> Literal["aligned", "tsv"]:
    """How tables print now: ``"aligned"`` on a terminal, ``"tsv"`` (tab-separated) when
    stdout is a pipe or a file; the environment variable ``PMO_TABLES`` (``aligned`` or
    ``tsv``) overrides both. Another value of ``PMO_TABLES`` is an error naming it.

    Example::

        table_layout()  # 'tsv' when printed to a pipe, unless PMO_TABLES says otherwise
    """
    chosen = os.environ.get(TABLES_ENV, "").strip().lower()
    if chosen == "aligned":
        return "aligned"
    if chosen == "tsv":
        return "tsv"
    if chosen:
        from .._errors import InvalidInputError

        raise InvalidInputError(
            f"{chosen!r} is not one of {', '.join(LAYOUTS)}", where=f"${TABLES_ENV}"
        )
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return "aligned" if terminal else "tsv"


def terminal_width() -> int:
    """The width an aligned table fits: the terminal's, or ``COLUMNS``, else 80."""
    import shutil  # here: most commands print no table, and start-up stays light

    return max(shutil.get_terminal_size((80, 24)).columns, 1)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    colour: bool | None = None,
    max_width: int | None = None,
    width: int | None = None,
    layout: Literal["aligned", "tsv"] | None = None,
) -> str:
    """Render rows under upper-case headers: aligned to fit ``width`` (default: the
    terminal's), or tab-separated (``layout="tsv"``; by default when stdout is not a
    terminal, see :func:`table_layout`).

    Columns of numbers, money and percentages are right-aligned; the widest columns but the
    first are elided with ``...`` to fit. When even the narrowest the columns may be does not
    fit, the columns on the right are left out (put the columns that matter most first;
    :func:`echo_table` says on stderr which are left out). ``max_width`` (optional) also cuts
    every column but the last at that many characters, as before the table fitted the
    terminal.

    Example::

        print(table(["key", "budget"], [["ALPHA", "250,000.00 EUR"], ["BETA", None]],
                    layout="aligned", width=40))
        # KEY            BUDGET
        # ALPHA  250,000.00 EUR
        # BETA                -
        table(["key", "budget"], [["ALPHA", "250,000.00 EUR"]], layout="tsv")
        # 'KEY\\tBUDGET\\nALPHA\\t250,000.00 EUR'
    """
    return _render(headers, rows, colour, max_width, width, layout)[0]


def _render(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    colour: bool | None,
    max_width: int | None,
    width: int | None,
    layout: Literal["aligned", "tsv"] | None,
) -> tuple[str, list[str]]:
    """The table's text and the headers of the columns left out to fit."""
    data = [list(row) for row in rows]
    heads = [" ".join(escape_controls(str(h)).split()).upper() for h in headers]
    if (layout or table_layout()) == "tsv":
        return _tsv(heads, data), []
    if colour is None:
        colour = use_colour()
    texts = [[" ".join(cell(v).split()) for v in row] for row in data]
    if max_width is not None:
        texts = [
            [_clip(t, max_width) if i < len(row) - 1 else t for i, t in enumerate(row)]
            for row in texts
        ]
    count = len(heads)
    right = [_numeric(data, texts, i) for i in range(count)]
    natural = [len(h) for h in heads]
    for row in texts:
        for i, text in enumerate(row[:count]):
            natural[i] = max(natural[i], len(text))
    dates = [not right[i] and _dated(data, texts, i) for i in range(count)]
    fixed = [r or d for r, d in zip(right, dates, strict=True)]
    room = width if width is not None else terminal_width()
    widths = _fit(heads, natural, fixed, room)
    # Still too wide at every column's floor: the rightmost columns (never the first) go.
    kept = count
    while kept > 1 and sum(widths[:kept]) + len(_GAP) * (kept - 1) > room:
        kept -= 1
        widths = _fit(heads[:kept], natural[:kept], fixed[:kept], room) + widths[kept:]
    widths, right = widths[:kept], right[:kept]
    lines = [_join([_clip(h, w) for h, w in zip(heads[:kept], widths, strict=True)], widths, right)]
    for row in texts:
        shown = [_clip(text, widths[i]) for i, text in enumerate(row[:kept])]
        lines.append(_join(shown, widths, right, colour=colour, words=row))
    return "\n".join(lines), heads[kept:]


def _numeric(data: list[list[Any]], texts: list[list[str]], i: int) -> bool:
    """Whether column ``i`` shows numbers only (a "-" or an empty cell aside), one at least."""
    seen = False
    for row, shown in zip(data, texts, strict=True):
        if i >= len(row) or _empty(row[i]) or shown[i] == "-":
            continue
        if not _is_number(row[i], shown[i]):
            return False
        seen = True
    return seen


def _dated(data: list[list[Any]], texts: list[list[str]], i: int) -> bool:
    """Whether column ``i`` shows dates (or nothing) only: cut, a date would mislead."""
    return all(
        _DATE.match(shown[i])
        for row, shown in zip(data, texts, strict=True)
        if i < len(row) and not _empty(row[i])
    )


def _fit(heads: list[str], natural: list[int], fixed: list[bool], room: int) -> list[int]:
    """Column widths within ``room``: the widest column that may shrink (not the first, not
    one of numbers or dates) loses a character at a time, down to its header or the minimum
    width (whichever is wider); what still does not fit is left to the caller (which leaves
    out columns on the right)."""
    widths = list(natural)
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - room
    floor = [min(natural[i], max(len(heads[i]), MIN_COLUMN_WIDTH)) for i in range(len(widths))]
    shrinkable = [i for i in range(1, len(widths)) if not fixed[i]]
    while excess > 0:
        above = [i for i in shrinkable if widths[i] > floor[i]]
        if not above:
            break
        widest = max(above, key=lambda i: (widths[i], i))
        # Down to the next widest (or the floor, or the excess) at once, not a character a time.
        others = [widths[i] for i in above if widths[i] < widths[widest]]
        step = min(excess, widths[widest] - max([floor[widest], *others]))
        widths[widest] -= max(step, 1)
        excess -= max(step, 1)
    return widths


def _join(
    texts: list[str],
    widths: list[int],
    right: list[bool],
    *,
    colour: bool = False,
    words: Sequence[str] | None = None,
) -> str:
    parts = []
    last = len(texts) - 1
    for i, text in enumerate(texts):
        if right[i]:
            padded = text.rjust(widths[i])
        elif i == last:
            padded = text  # nothing follows the last column: no trailing padding
        else:
            padded = text.ljust(widths[i])
        parts.append(paint(padded, words[i] if words else text, colour=colour))
    return _GAP.join(parts).rstrip()


def _tsv(heads: list[str], rows: list[list[Any]]) -> str:
    lines = ["\t".join(heads)]
    for row in rows:
        fields = ("" if _empty(v) else cell(_flat(v)) for v in row)
        # "-" is what a terminal shows for no value (money_text(None) too): an empty field.
        lines.append("\t".join("" if f == "-" else f for f in fields))
    return "\n".join(lines)


def _flat(value: Any) -> Any:
    """A value with its tabs and line breaks made spaces: one field on one line."""
    if isinstance(value, str):
        return _BREAKS.sub(" ", value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_flat(v) for v in value]
    if isinstance(value, (bool, int, float, Decimal, Enum)) or value is None:
        return value
    return _BREAKS.sub(" ", str(value))


def _clip(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: max(width - 3, 1)] + "..."


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str = "(none)"
) -> None:
    """Print a table (see :func:`table`): aligned to the terminal's width on a terminal,
    tab-separated in a pipe. With no rows, ``empty`` is printed on a terminal; in a pipe the
    header line alone is printed (and ``empty`` goes to stderr), so a script reading the
    columns gets none. Columns left out to fit a narrow terminal are named on stderr.

    Example::

        echo_table(["key", "rag"], [["ALPHA", "green"], ["BETA", "red"]])
        echo_table(["key", "rag"], [], empty="No projects yet.")
    """
    layout = table_layout()
    if not rows:
        if layout == "tsv":
            click.echo(table(headers, [], layout="tsv"))
            click.echo(empty, err=True)
        else:
            click.echo(empty)
        return
    text, left_out = _render(headers, rows, None, None, None, layout)
    click.echo(text)
    if left_out:
        click.echo(
            f"({len(left_out)} column{'s' if len(left_out) > 1 else ''} left out to fit "
            f"{terminal_width()} characters: "
            f"{', '.join(left_out)}; widen the terminal, or see them all with --json or "
            f"PMO_TABLES=tsv)",
            err=True,
        )


def kv_lines(pairs: Sequence[tuple[str, Any]]) -> str:
    """``key: value`` lines with the values aligned, as ``pmo ... show`` prints a record: a
    value shown as a table cell shows it (``-`` for none, control characters escaped, health
    words coloured on a terminal).

    Example::

        kv_lines([("key", "ALPHA"), ("budget", "250,000.00 EUR"), ("sponsor", None)])
        # 'key:     ALPHA\nbudget:  250,000.00 EUR\nsponsor: -'
    """
    width = max((len(k) for k, _ in pairs), default=0)
    return "\n".join(f"{(k + ':').ljust(width + 1)} {paint(cell(v), cell(v))}" for k, v in pairs)
