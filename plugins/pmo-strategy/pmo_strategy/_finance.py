"""Net present value and internal rate of return of yearly cash flows, in Decimal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from pmo_core import InvalidInputError, Money

_CENT = Decimal("0.01")
#: IRR is searched between these rates (-99 % and +1000 % a year); outside them it is not a
#: figure a board would act on.
IRR_LOW = Decimal("-0.99")
IRR_HIGH = Decimal(10)
#: Bisection stops when the bracket is narrower than this (a hundredth of a basis point).
IRR_TOLERANCE = Decimal("0.000001")


def flow_currency(flows: Mapping[int, Money], where: str, currency: str | None = None) -> str:
    """The one currency of ``flows`` (and ``currency`` when given); a mix is bad input naming
    the first year in another currency.

    Example::

        flow_currency({2026: Money.parse("-100 EUR")}, "CRM")  # 'EUR'
    """
    for year in sorted(flows):
        found = flows[year].currency
        if currency is None:
            currency = found
        elif found != currency:
            raise InvalidInputError(
                f"cash flow {year} is in {found}, not {currency}: convert it first "
                "(values in different currencies cannot be compared)",
                where=where,
            )
    return currency or ""


def npv(flows: Mapping[int, Money], rate: Decimal) -> Decimal:
    """The net present value of yearly ``flows`` at the discount ``rate`` (0.08 for 8 %),
    rounded to the cent: the first year is t0 (not discounted), year t0+n is divided by
    ``(1 + rate) ** n``. Missing years between count as zero. All flows share one currency
    (see :func:`flow_currency`).

    Example::

        npv({2026: Money.parse("-100 EUR"), 2027: Money.parse("110 EUR")}, Decimal("0.1"))
        # Decimal('0.00')
    """
    return _npv({y: m.amount for y, m in flows.items()}, rate).quantize(_CENT)


def _npv(amounts: Mapping[int, Decimal], rate: Decimal) -> Decimal:
    if not amounts:
        return Decimal(0)
    start = min(amounts)
    factor = 1 + rate
    with localcontext() as ctx:
        ctx.prec = 40
        return sum(
            (amount / factor ** (year - start) for year, amount in amounts.items()), Decimal(0)
        )


@dataclass(frozen=True)
class Irr:
    """An internal rate of return: ``rate`` (0.1 for 10 %) or ``None`` with the ``reason``.

    Example::

        irr({2026: Money.parse("-100 EUR"), 2027: Money.parse("110 EUR")}).rate  # 0.1
    """

    rate: Decimal | None
    reason: str = ""


def irr(flows: Mapping[int, Money]) -> Irr:
    """The rate at which the NPV of ``flows`` is zero, found by bisection between -99 % and
    +1000 % and rounded to a hundredth of a percent (0.0001). There is none when the flows
    never change sign (all costs or all gains), or when the NPV has the same sign at both
    ends of the range; the reason says which.

    Example::

        irr({2026: Money.parse("-100 EUR"), 2028: Money.parse("121 EUR")}).rate
        # Decimal('0.1000'): 100 grown by 10 % for two years is 121
    """
    amounts = {y: m.amount for y, m in flows.items() if m.amount != 0}
    if not any(a < 0 for a in amounts.values()) or not any(a > 0 for a in amounts.values()):
        return Irr(None, "no IRR: the cash flows never change sign")
    low, high = IRR_LOW, IRR_HIGH
    at_low = _npv(amounts, low)
    at_high = _npv(amounts, high)
    if at_low == 0:
        return Irr(low.quantize(Decimal("0.0001")))
    if at_high == 0:
        return Irr(high.quantize(Decimal("0.0001")))
    if (at_low > 0) == (at_high > 0):
        return Irr(None, "no IRR between -99 % and 1000 %: the NPV never reaches zero there")
    while high - low > IRR_TOLERANCE:
        middle = (low + high) / 2
        at_middle = _npv(amounts, middle)
        if at_middle == 0:
            return Irr(middle.quantize(Decimal("0.0001")))
        if (at_middle > 0) == (at_low > 0):
            low, at_low = middle, at_middle
        else:
            high = middle
    return Irr(((low + high) / 2).quantize(Decimal("0.0001")))
