"""Money: a Decimal amount with an ISO 4217 currency."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from typing_extensions import Self

from .._errors import InvalidInputError, validation_message


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


#: An ISO 4217 currency code; lower case input is upper-cased (``eur`` -> ``EUR``).
Currency = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    # The before-validator hides the pattern from the generated schema: state it.
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"}),
]


# Money arithmetic is exact whatever decimal context the caller (or a plugin) has set: the
# default context keeps 28 digits and a lowered one rounds amounts silently. Sums and
# products of finite decimals are exact at unbounded precision; Inexact traps just in case.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Inexact])


def _factor(value: Decimal | int | float) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        raise TypeError(f"money can only be multiplied by a number, not {type(value).__name__}")
    # str() gives the shortest repr of a float: 0.1 becomes Decimal("0.1"), not 0.1000...0555.
    return value if isinstance(value, Decimal) else Decimal(str(value))


class Money(BaseModel):
    """An exact amount in one currency. Arithmetic across currencies raises InvalidInputError.

    Accepts ``Money(amount=..., currency=...)``, a string ``"1200.50 EUR"`` (or ``"EUR 1200.50"``)
    and a mapping ``{"amount": "1200.50", "currency": "EUR"}`` wherever a model field is Money.
    In JSON the amount is a string, so no float rounding ever happens.

    Example::

        fee = Money.parse("1200.50 EUR")
        total = fee + Money(amount=Decimal("99.50"), currency="EUR")   # 1300.00 EUR
        fee + Money.parse("1 USD")                                      # InvalidInputError
        Money.total([fee, fee], currency="EUR")                         # 2401.00 EUR
    """

    # defer_build: the validator is built on first use, not at import (start-up time).
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )

    amount: Decimal = Field(allow_inf_nan=False)
    currency: Currency

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            parts = data.split()
            if len(parts) != 2:
                raise ValueError(f"money must look like '1200.50 EUR', got {data!r}")
            amount, currency = parts
            # "EUR 1200.50": the currency first. Not when both are words: "Infinity EUR" is
            # an amount that is not finite, not a currency called Infinity.
            if amount.isalpha() and not currency.isalpha():
                amount, currency = currency, amount
            return {"amount": amount, "currency": currency}
        return data

    @classmethod
    def parse(cls, value: str | dict[str, Any] | Money) -> Money:
        """Parse ``"1200.50 EUR"``, ``{"amount": "1200.50", "currency": "EUR"}`` or a Money.

        Raises InvalidInputError when the value is not money.

        Example::

            Money.parse("1200.50 EUR").amount  # Decimal("1200.50")
        """
        if isinstance(value, Money):
            return value
        try:
            return cls.model_validate(value)
        except ValidationError as exc:
            # A model-level error (the "1200.50 EUR" shape) has no field to name.
            problems = validation_message(exc)
            raise InvalidInputError(f"not money: {value!r} ({problems})") from None

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in ``currency``.

        Example::

            Money.zero("EUR")  # 0 EUR
        """
        return cls(amount=Decimal(0), currency=currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Sum ``amounts``, all in ``currency`` (an empty iterable gives zero).

        Example::

            Money.total([Money.parse("1 EUR"), Money.parse("2 EUR")], currency="EUR")  # 3 EUR
        """
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    @property
    def is_zero(self) -> bool:
        """True when the amount is zero.

        Example::

            Money.zero("EUR").is_zero  # True
        """
        return self.amount == 0

    def _require_same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise InvalidInputError(
                f"cannot {operation} {other.currency} and {self.currency} money: "
                "convert to one currency first"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "add")
        return Money(amount=_EXACT.add(self.amount, other.amount), currency=self.currency)

    def __radd__(self, other: int) -> Money:
        # Lets the built-in sum() start from 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "subtract")
        return Money(amount=_EXACT.subtract(self.amount, other.amount), currency=self.currency)

    def __neg__(self) -> Money:
        return Money(amount=_EXACT.minus(self.amount), currency=self.currency)

    def __mul__(self, factor: Decimal | int | float) -> Money:
        return Money(amount=_EXACT.multiply(self.amount, _factor(factor)), currency=self.currency)

    def __rmul__(self, factor: Decimal | int | float) -> Money:
        return self.__mul__(factor)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def with_amount(self, amount: Decimal | int | str) -> Self:
        """Return the same currency with another amount.

        Example::

            Money.parse("5 EUR").with_amount("7.25")  # 7.25 EUR
        """
        return self.model_validate({"amount": amount, "currency": self.currency})
