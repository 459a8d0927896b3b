"""Output helpers shared by the built-in commands: colour, lines of data, JSON, ``--limit``,
plugin ``--option KEY=VALUE`` and renamed options, and the workspace of an invocation.

Tables are in :mod:`._tables`, the option types in :mod:`._params`. Colour is used only on a
terminal and never when ``NO_COLOR`` is set. JSON output keeps the key order of the data and
turns Decimal, dates and enums into strings.

Text from data never reaches the terminal raw: control characters (ESC and OSC sequences,
BEL, carriage returns) and bidi controls (U+202E) in a message or an error are shown as
``\\uXXXX`` escapes (see :func:`pmo_core.escape_controls`), and in JSON output as the same JSON
escapes, so it stays valid JSON with the same data. Our own colour codes are added after the
data is escaped.

Only click and the standard library are imported at module level: ``pmo --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

import click

from .._text import escape_controls
from ._params import IntType

if TYPE_CHECKING:
    from .._workspace import Workspace

# Words that carry a health meaning get a colour wherever they appear in a table cell.
_COLOURS: dict[str, str] = {
    "green": "green",
    "amber": "yellow",
    "red": "red",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "loaded": "green",
    "failed": "red",
    "incompatible": "red",
    "denied": "yellow",
    "waived": "yellow",
    "ok": "green",
    "passable": "green",
    "blocked": "red",
    "problem": "red",
    "pass": "green",
    "fail": "red",
    "warn": "yellow",
    "block": "red",
}


def colour_forced() -> bool:
    """Whether ``CLICOLOR_FORCE`` asks for colour even where output is not a terminal (and
    ``NO_COLOR``, which wins, is unset)."""
    return not os.environ.get("NO_COLOR") and os.environ.get("CLICOLOR_FORCE", "0") not in (
        "",
        "0",
    )


def use_colour(err: bool = False) -> bool:
    """True when output may be coloured: a terminal (or ``CLICOLOR_FORCE`` set), and
    ``NO_COLOR`` unset.

    Example::

        use_colour()  # False: the examples do not print to a terminal
    """
    if os.environ.get("NO_COLOR"):
        return False
    if colour_forced():
        return True
    stream = sys.stderr if err else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def paint(text: str, word: str | None = None, *, colour: bool | None = None) -> str:
    """Colour ``text`` by the health word it shows (or ``word``: green, amber, red, pass,
    warn, fail, block...), when colour is on (see :func:`use_colour`).

    Example::

        paint("red", colour=True)  # '\x1b[31m\x1b[1mred\x1b[0m'
        paint("red")  # 'red'
    """
    if colour is None:
        colour = use_colour()
    fg = _COLOURS.get((word or text).strip().lower())
    if not colour or fg is None:
        return text
    return click.style(text, fg=fg, bold=fg == "red")


def echo_line(text: str, *, err: bool = False) -> None:
    """Print a line built from data: its control characters escaped, so it stays one line
    and cannot move the terminal's cursor.

    Colour (from :func:`paint`) must be added after, or its codes would be escaped too.

    Example::

        echo_line("Closed risk R-1: vendor\x1b[2J may slip")  # printed with \x1b escaped
    """
    click.echo(escape_controls(text), err=err)


#: How many rows a list shows on a terminal unless ``--limit`` says otherwise.
DEFAULT_LIMIT = 50


def limit_option(f: Any) -> Any:
    """The ``--limit N`` option of a list: by default 50 rows on a terminal, every row
    otherwise (a pipe, a file) and with ``--json``; ``--limit 0`` shows every row. Give
    the value to :func:`limited`.

    Example::

        @click.command()
        @limit_option
        @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
        def items(limit, as_json):
            echo_table(["n"], [[n] for n in limited(range(120), limit, as_json=as_json)])
    """
    return click.option(
        "--limit",
        type=IntType(0),
        default=None,
        help=f"Show at most N rows (0: all; default {DEFAULT_LIMIT} on a terminal, "
        "all with --json or in a pipe).",
    )(f)


def options_option(whose: str, example: str | None = None) -> Callable[[Any], Any]:
    """The repeatable ``--option KEY=VALUE`` of a command handing a plugin its own options
    (a report's, a connector's); :func:`key_values` reads what was given."""
    shown = f", e.g. --option {example}" if example else ""
    return click.option(
        "--option",
        "raw_options",
        multiple=True,
        metavar="KEY=VALUE",
        help=f"One of the {whose} own options (repeatable){shown}.",
    )


#: When the old spellings of renamed options stop working.
RENAMED_UNTIL = "0.2"


def warn_renamed(ctx: click.Context, old: str, new: str) -> None:
    """Say once per run of ``pmo``, on stderr, that ``old`` is the former spelling of
    ``new``."""
    warned = ctx.find_root().meta.setdefault("pmo.warned", set())
    if old not in warned:
        warned.add(old)
        click.echo(
            f"warning: {old} is deprecated and goes in pmo-core {RENAMED_UNTIL}; use {new}",
            err=True,
        )


def renamed_option(*decls: str, old: str, **attrs: Any) -> Callable[[Any], Any]:
    """``click.option(*decls, **attrs)``, and its former spelling ``old`` kept as a hidden
    option that still works until pmo-core :data:`RENAMED_UNTIL` and warns once.

    Example::

        @click.command()
        @renamed_option("--archived", "include_archived", is_flag=True, old="--all",
                        help="Include archived ones.")
        def things(include_archived):
            echo_line(f"archived too: {include_archived}")
    """
    dest = next((d for d in decls if not d.startswith("-")), None)
    new = max((d for d in decls if d.startswith("--")), key=len)
    dest = dest or new.lstrip("-").replace("-", "_")
    key = f"pmo.renamed.{dest}"

    def given_old(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value not in (None, False, ()):
            warn_renamed(ctx, old, new)
            ctx.meta[key] = value

    def merged(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        # The old spelling, given on the command line, is processed before this default.
        if key in ctx.meta and value in (None, False, (), param.default):
            return ctx.meta[key]
        return value

    hidden = {
        "hidden": True,
        "expose_value": False,
        "callback": given_old,
        "is_flag": attrs.get("is_flag", False),
        "type": attrs.get("type"),
        "metavar": attrs.get("metavar"),
    }

    def decorate(f: Any) -> Any:
        f = click.option(old, f"{dest}_former_spelling", **hidden)(f)
        return click.option(*decls, callback=merged, **attrs)(f)

    return decorate


def key_values(raw: Sequence[str]) -> dict[str, str]:
    """``--option`` values as a mapping; one that is not KEY=VALUE, or a key given twice, is
    an error naming it."""
    from .._errors import InvalidInputError

    options: dict[str, str] = {}
    for text in raw:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInputError(f"{text!r} is not KEY=VALUE", where="--option")
        if key in options:
            raise InvalidInputError(f"{key} is given twice", where=f"--option {key}")
        options[key] = value.strip()
    return options


def limited(rows: Sequence[Any], limit: int | None, *, as_json: bool = False) -> list[Any]:
    """The rows a list shows under ``--limit``; when some are left out, says so on stderr.

    Example::

        limited(list(range(120)), 3)  # [0, 1, 2]: stderr says "showing 3 of 120"
        len(limited(list(range(120)), None))  # 120: all, outside a terminal
    """
    if limit is None:
        try:
            terminal = sys.stdout.isatty()
        except (AttributeError, ValueError):
            terminal = False
        limit = DEFAULT_LIMIT if terminal and not as_json else 0
    if not limit or len(rows) <= limit:
        return list(rows)
    click.echo(f"showing {limit} of {len(rows)} (--limit 0 shows all)", err=True)
    return list(rows[:limit])


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback: Decimal, dates, enums, sets and pydantic models."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return str(value)


def dumps(data: Any) -> str:
    """JSON text as every ``--json`` option prints it (key order kept, indent 2).

    ``json.dumps`` escapes the C0 controls only; DEL, the C1 controls and the bidi controls
    get the same ``\\uXXXX`` escapes here (still valid JSON, the same data when parsed).
    """
    return escape_controls(pretty_json(data, json_default), multiline=True)


def pretty_json(data: Any, default: Callable[[Any], Any]) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False, default=default)``, written by orjson.

    A portfolio's ``--json`` output runs to tens of megabytes, where the standard library's
    indenting encoder (pure Python) took over half of a command's time; orjson writes the
    same text. Dates and dataclasses still go through ``default``, as with ``json``; what
    orjson refuses (an integer beyond 64 bits, a lone surrogate) is written by ``json``.
    Floats in exponent form are spelt the shortest way (``1e-7`` for ``1e-07``): the same
    number when parsed; a NaN or infinity (which ``json`` writes as invalid JSON) is ``null``.
    """
    import orjson  # here, not at the top: most commands print no JSON

    options = (
        orjson.OPT_INDENT_2
        | orjson.OPT_NON_STR_KEYS
        | orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )
    try:
        return orjson.dumps(data, default=default, option=options).decode()
    except (orjson.JSONEncodeError, RecursionError):
        return json.dumps(data, indent=2, default=default, ensure_ascii=False)


def echo_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout as every ``--json`` does: indented, keys in the
    order given, dates ISO, money ``"250000.00 EUR"``, records as their documents.

    Example::

        echo_json({"project": "ALPHA", "on": date(2025, 3, 31), "eac": Money.parse("9 EUR")})
    """
    click.echo(dumps(data))


def workspace(ctx: click.Context | None = None) -> Workspace:
    """The workspace of this invocation (opened once, closed when the command ends)."""
    from . import CliState

    ctx = ctx or click.get_current_context()
    state = ctx.find_object(CliState)
    if state is None:  # a command invoked on its own, outside the ``pmo`` group
        state = CliState(None, debug=False, strict=False, trace=False)
        ctx.obj = state
    ws: Workspace = state.workspace()
    return ws


def money_text(value: Any) -> str:
    """``250,000.00 EUR`` style text for a Money (or ``-``).

    Example::

        money_text(Money.parse("250000 EUR"))  # '250,000.00 EUR'
        money_text(None)  # '-'
    """
    if value is None:
        return "-"
    amount = getattr(value, "amount", None)
    currency = getattr(value, "currency", "")
    if amount is None:
        return str(value)
    return f"{amount:,.2f} {currency}"


def as_jsonable(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping made JSON-safe (through :func:`json_default`)."""
    result: dict[str, Any] = json.loads(dumps(dict(mapping)))
    return result


@contextmanager
def options_named(options: Mapping[str, str], *, key: str | None = None) -> Iterator[None]:
    """Re-raise an InvalidInputError about a model field as one about its CLI option.

    The domain names fields (``planned_start``); the user typed options (``--start``). An
    error placed at ``key`` (the record the command names) is taken as about a field.

    Example::

        with options_named({"planned_start": "--start", "id": "KEY"}):
            ws.create("project", id=key, **fields)
    """
    from .._errors import InvalidInputError

    try:
        yield
    except InvalidInputError as exc:
        where = None if exc.where == key else exc.where
        message = exc.message
        field, sep, rest = message.partition(": ")
        if where is not None and where.endswith(".custom_fields") and "custom_fields" in options:
            raise InvalidInputError(message, where=options["custom_fields"]) from None
        if where is not None and where in options:
            raise InvalidInputError(message, where=options[where]) from None
        if sep and field in options and "; " not in rest:
            raise InvalidInputError(rest, where=options[field]) from None
        raise
