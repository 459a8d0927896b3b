"""The click parameter types of ``pmo``'s options and arguments, and ``--field`` parsing.

The types raise :class:`~pmo_core.InvalidInputError` naming the option, so a bad value ends as
the same one-line ``error: --budget: ...`` as every other user error.

Only click and the standard library are imported at module level: ``pmo --help`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any, NoReturn

import click


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
"""The option type of a calendar date (a :class:`DateType`): ``YYYY-MM-DD`` or ``today``.

Example::

    DATE.convert("2026-03-31", None, None)  # datetime.date(2026, 3, 31)
"""
KNOWN_AT = KnownAtType()
MONEY = MoneyType()
"""The option type of an amount with its currency (a :class:`MoneyType`), giving a Money.

Example::

    MONEY.convert("250000 EUR", None, None)  # Money(amount=Decimal('250000'), currency='EUR')
"""


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
