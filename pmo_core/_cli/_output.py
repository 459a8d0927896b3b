"""Output and input helpers shared by the built-in commands.

Tables are aligned on the plain text and coloured afterwards (so escape codes never break the
alignment); colour is used only on a terminal and never when ``NO_COLOR`` is set. JSON output
keeps the key order of the data and turns Decimal, dates and enums into strings.

Text from data never reaches the terminal raw: control characters (ESC and OSC sequences,
BEL, carriage returns) and bidi controls (U+202E) in a table cell, a ``key: value`` line, a
message or an error are shown as ``\\uXXXX`` escapes (see :func:`pmo_core.escape_controls`),
and in JSON output as the same JSON escapes, so it stays valid JSON with the same data. Our
own colour codes are added after the data is escaped.

The option types raise :class:`~pmo_core.InvalidInputError` naming the option, so a bad value
ends as the same one-line ``error: --budget: ...`` as every other user error.

Only click and the standard library are imported at module level: ``pmo --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .._text import escape_controls

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


def cell(value: Any) -> str:
    """The text a table shows for a value, control characters escaped."""
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


def echo_line(text: str, *, err: bool = False) -> None:
    """Print a line built from data: its control characters escaped, so it stays one line
    and cannot move the terminal's cursor.

    Colour (from :func:`paint`) must be added after, or its codes would be escaped too.

    Example::

        echo_line("Closed risk R-1: vendor\x1b[2J may slip")  # printed with \x1b escaped
    """
    click.echo(escape_controls(text), err=err)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    colour: bool | None = None,
    max_width: int = 60,
) -> str:
    """Render rows as aligned columns under upper-case headers.

    Example::

        print(table(["key", "rag"], [["ALPHA", "green"], ["BETA", "red"]]))
    """
    if colour is None:
        colour = use_colour()
    # The last column runs on (nothing follows it to push off the line); the others are cut.
    texts = [
        [_clip(cell(v), max_width if i < len(row) - 1 else 10_000) for i, v in enumerate(row)]
        for row in rows
    ]
    heads = [h.upper() for h in headers]
    widths = [len(h) for h in heads]
    for row in texts:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    for row in texts:
        parts = []
        for i, text in enumerate(row):
            padded = text.ljust(widths[i]) if i < len(row) - 1 else text
            parts.append(paint(padded, text, colour=colour))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # a newline in a summary must not break the table
    return text if len(text) <= width else text[: width - 3] + "..."


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str = "(none)"
) -> None:
    """Print a table (see :func:`table`), or ``empty`` when there are no rows.

    Example::

        echo_table(["key", "rag"], [["ALPHA", "green"], ["BETA", "red"]])
        echo_table(["key", "rag"], [], empty="No projects yet.")
    """
    if not rows:
        click.echo(empty)
        return
    click.echo(table(headers, rows))


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


# --------------------------------------------------------------------- input types


def _where(param: click.Parameter | None) -> str | None:
    if param is None:
        return None
    if param.param_type_name == "argument":
        return (param.name or "value").upper()
    opts = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    return opts[0] if opts else param.name


# click 8.2+ makes ParamType generic; 8.1 does not, hence the unused-ignore.
class PmoParamType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """Base of the option types: a bad value is an InvalidInputError naming the option."""

    def fail(
        self, message: str, param: click.Parameter | None = None, ctx: click.Context | None = None
    ) -> NoReturn:
        from .._errors import InvalidInputError

        raise InvalidInputError(message, where=_where(param))


class DateType(PmoParamType):
    """A calendar date: ``YYYY-MM-DD`` or ``today`` (the parameter type :data:`DATE`); a bad
    value is a one-line error naming the option.

    Example::

        @click.command()
        @click.option("--on", type=DATE, help="The day it happened (default: today).")
        def done(on):
            echo_line(f"done on {on or date.today()}")
    """

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if text.lower() == "today":
            return date.today()
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date (use YYYY-MM-DD, e.g. 2025-06-30)", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD"


class MomentType(PmoParamType):
    """A date or an ISO date-time; a date means the start of that day (UTC)."""

    name = "datetime"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), datetime.min.time(), timezone.utc)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                f"{text!r} is not a date or date-time (use 2025-06-30 or 2025-06-30T14:00)",
                param,
                ctx,
            )
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "DATE[THH:MM]"


class KnownAtType(MomentType):
    """``--as-of``: a date (as known at the *end* of that day) or an ISO date-time."""

    name = "as-of"

    def convert(  # type: ignore[override]
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | datetime:
        text = str(value).strip()
        if len(text) == 10 or text.lower() == "today":
            return DATE.convert(text, param, ctx)
        return super().convert(value, param, ctx)


class MoneyType(PmoParamType):
    """An amount with a currency: ``"250000 EUR"`` (or ``"EUR 250000"``), the parameter type
    :data:`MONEY`, giving a :class:`~pmo_core.Money`.

    Example::

        @click.command()
        @click.option("--amount", type=MONEY, required=True, help='"AMOUNT CUR".')
        def book(amount):
            echo_line(money_text(amount))
    """

    name = "money"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from .._domain import Money
        from .._errors import InvalidInputError

        if isinstance(value, Money):
            return value
        try:
            money = Money.parse(str(value))
        except InvalidInputError:
            self.fail(
                f"{value!r} is not money (use an amount and a currency, e.g. '250000 EUR')",
                param,
                ctx,
            )
        return money

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return '"AMOUNT CUR"'


class ChoiceType(PmoParamType):
    """One of a fixed set of words (case-insensitive)."""

    name = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        for choice in self.choices:
            if text.lower() == choice.lower():
                return choice
        return self.fail(f"{text!r} is not one of {', '.join(self.choices)}", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices) + "]"


class IntType(PmoParamType):
    """A whole number, optionally within ``[low, high]``."""

    name = "integer"

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low = low
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a whole number", param, ctx)
        if self.low is not None and self.high is not None:
            if not self.low <= number <= self.high:
                self.fail(f"{number} is not in the range {self.low}..{self.high}", param, ctx)
        elif self.low is not None and number < self.low:
            self.fail(f"{number} is less than {self.low}", param, ctx)
        elif self.high is not None and number > self.high:
            self.fail(f"{number} is more than {self.high}", param, ctx)
        return number

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low}..{self.high}"
        return "N"


class NumberType(PmoParamType):
    """A finite number (hours, a percentage), optionally within ``[low, high]``."""

    name = "number"

    def __init__(self, low: float | None = None, high: float | None = None) -> None:
        self.low = low
        self.high = high

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number", param, ctx)
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if self.low is not None and number < self.low:
            self.fail(f"{number:g} is less than {self.low:g}", param, ctx)
        if self.high is not None and number > self.high:
            self.fail(f"{number:g} is more than {self.high:g}", param, ctx)
        return number

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "N"


RAG = ChoiceType(["green", "amber", "red"])
DATE = DateType()
KNOWN_AT = KnownAtType()
MONEY = MoneyType()


def parse_fields(
    values: Iterable[str],
    where: str = "--field",
    *,
    text: Callable[[str, str], bool] | None = None,
) -> dict[str, dict[str, Any]]:
    """Parse ``NS.KEY=VALUE`` custom-field options; a value that parses as JSON is JSON,
    except for a field declared as text (``text(namespace, key)`` true), which keeps the
    text as typed: ``acme.code=104`` stays ``'104'`` for a ``code: str``.

    Example::

        parse_fields(["finance.cost_centre=CC-104", "finance.capex=true"])
        # {'finance': {'cost_centre': 'CC-104', 'capex': True}}
    """
    from .._errors import InvalidInputError

    out: dict[str, dict[str, Any]] = {}
    for raw in values:
        name, sep, raw_text = raw.partition("=")
        namespace, dot, key = name.strip().partition(".")
        if not sep or not dot or not namespace or not key:
            raise InvalidInputError(
                f"{raw!r} is not NAMESPACE.KEY=VALUE (e.g. finance.cost_centre=CC-104)",
                where=where,
            )
        value: Any = raw_text
        if text is None or not text(namespace, key):
            try:
                value = json.loads(raw_text)
            except ValueError:
                value = raw_text
        out.setdefault(namespace, {})[key] = value
    return out


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


def kv_lines(pairs: Sequence[tuple[str, Any]]) -> str:
    """``key: value`` lines with the values aligned."""
    width = max((len(k) for k, _ in pairs), default=0)
    return "\n".join(f"{(k + ':').ljust(width + 1)} {paint(cell(v), cell(v))}" for k, v in pairs)


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
