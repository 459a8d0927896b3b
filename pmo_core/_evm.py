"""Earned value management: pure functions over Decimals and dates.

The formulas are the PMI practice-standard ones (the same in Clarity and MS Project)::

    SV = EV - PV        CV = EV - AC        SV% = SV / PV * 100     CV% = CV / EV * 100
    SPI = EV / PV       CPI = EV / AC
    EAC = AC + ETC(bottom-up) | AC + (BAC - EV) | BAC / CPI | AC + (BAC - EV) / (CPI * SPI)
    ETC = EAC - AC      VAC = BAC - EAC
    TCPI(BAC) = (BAC - EV) / (BAC - AC)          TCPI(EAC) = (BAC - EV) / (EAC - AC)

Conventions every function here keeps:

* A ratio whose divisor is 0 is *undefined*: its value is ``None``, never 0 or infinity, and
  every figure computed from an undefined figure is ``None`` too.
* Arithmetic runs at 34 significant digits with ``ROUND_HALF_EVEN`` whatever the caller's
  decimal context is, so the same inputs always give the same figures.
* Only the published value is rounded (indices to 4 places, money, percentages and days to
  2), with ``ROUND_HALF_EVEN``. Every figure is computed from *unrounded* inputs, and a
  :class:`~pmo_core._records.Metric` records those unrounded inputs, so anyone can re-derive
  the published value from its lineage.
* RAG colours are judged on the published (rounded) value, so the colour always agrees with
  the number a reader sees next to it.
* Portfolio figures are recomputed from summed BAC / PV / EV / AC, never averaged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Literal

from ._errors import InvalidInputError
from ._records import Metric

__all__ = [
    "EAC_VARIANTS",
    "EVM_CONTEXT",
    "FEMA_SOURCE",
    "FEMA_THRESHOLDS",
    "SERVICENOW_SOURCE",
    "EarnedValue",
    "EvInputs",
    "EvItem",
    "Rag",
    "accumulate",
    "earned_value",
    "overall_rag",
    "planned_value",
    "rag_achievement",
    "rag_index",
    "roll_up",
    "worst",
]

Rag = Literal["green", "amber", "red"]
"""A RAG colour."""

EvItem = tuple[Decimal | None, Decimal | None, date | None, date | None, Decimal | None]
"""A work item for :func:`accumulate`: ``(budget, percent, start, finish, actual_cost)``."""

EAC_VARIANTS: dict[str, str] = {
    "bottom_up": "EAC_bottom_up",
    "cpi": "BAC / CPI",
    "atypical": "AC + (BAC - EV)",
    "cpi_spi": "AC + (BAC - EV) / (CPI * SPI)",
}
"""The EAC variants by the name a preference list (``[metrics] eac``) gives them, with
their formulas; the headline ``eac`` is the first defined one of the list."""

FEMA_SOURCE = "FEMA program dashboard"
"""The ``source`` of the SPI and CPI colour rule."""

SERVICENOW_SOURCE = "ServiceNow targets"
"""The ``source`` of the achievement-percentage colour rule."""

FEMA_THRESHOLDS: dict[str, str] = {
    "green": "0.95 <= x <= 1.05",
    "amber": "0.90 <= x < 0.95 or 1.05 < x <= 1.10",
    "red": "x < 0.90 or x > 1.10",
}
"""The FEMA rule for SPI and CPI, with its boundaries made explicit.

The source gives the bands as "0.95-1.05", "0.90-0.95 or 1.05-1.10" and "below 0.90 or above
1.10", which overlap at 0.95 and 1.05. We resolve the overlap in favour of the better colour:
green includes 0.95 and 1.05; amber includes 0.90 and 1.10; red is strictly outside.
"""

# 34 digits (decimal128) so intermediate quotients keep more precision than any published
# value needs, and traps so a NaN or an overflow fails loudly instead of leaking into a report.
_CTX = Context(
    prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
#: The decimal context every EVM computation runs in (see the module's conventions).
EVM_CONTEXT = _CTX
_MONEY = Decimal("0.01")
_INDEX = Decimal("0.0001")
_PERCENT = Decimal("0.01")
_DAYS = Decimal("0.01")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

_GREEN_LOW, _GREEN_HIGH = Decimal("0.95"), Decimal("1.05")
_AMBER_LOW, _AMBER_HIGH = Decimal("0.90"), Decimal("1.10")
_SEVERITY: dict[str, int] = {"green": 0, "amber": 1, "red": 2}


# ------------------------------------------------------------------------------ inputs


def _decimal(value: object, what: str, *, where: str | None = None) -> Decimal:
    # Floats are refused rather than converted: Decimal(0.1) is 0.1000000000000000055...,
    # which would put binary noise into money figures.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidInputError(
            f"{what} must be a Decimal, not {type(value).__name__}", where=where
        )
    result = Decimal(value)
    if not result.is_finite():
        raise InvalidInputError(f"{what} must be finite, got {result}", where=where)
    return result


@dataclass(frozen=True)
class EvInputs:
    """The four earned-value base figures of one scope at one status date.

    ``bac`` is the budget at completion, ``pv`` the planned value, ``ev`` the earned value and
    ``ac`` the actual cost, all in ``currency``. ``etc_bottom_up`` is a bottom-up estimate to
    complete, when someone made one; ``eac_bottom_up`` a bottom-up estimate at completion
    (a forecast's EAC), which wins over ``AC + etc_bottom_up`` when both are given. ``int``
    values are accepted and turned into Decimals; floats and non-finite Decimals raise
    :class:`~pmo_core._errors.InvalidInputError`.

    Example:

        >>> EvInputs(bac=Decimal(1000), pv=Decimal(500), ev=Decimal(400), ac=Decimal(500),
        ...          status_date=date(2024, 6, 30), currency="EUR").ev
        Decimal('400')
    """

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    status_date: date
    currency: str
    etc_bottom_up: Decimal | None = None
    eac_bottom_up: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("bac", "pv", "ev", "ac"):
            object.__setattr__(self, name, _decimal(getattr(self, name), name))
        for name in ("etc_bottom_up", "eac_bottom_up"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _decimal(getattr(self, name), name))
        if not isinstance(self.status_date, date):
            raise InvalidInputError(
                f"status_date must be a date, not {type(self.status_date).__name__}"
            )


def _planned_value(
    budget: Decimal, start: date | None, finish: date | None, status_date: date, where: str
) -> Decimal:
    # Work with no dates at all is budgeted but not scheduled: nothing of it is planned by
    # any status date. With one date only, the item is a milestone on that date.
    if start is None and finish is None:
        return _ZERO
    start = start or finish
    finish = finish or start
    # For mypy: at least one was set, so both are now.
    assert start is not None
    assert finish is not None
    if finish < start:
        raise InvalidInputError(f"finish {finish} is before start {start}", where=where)
    total = (finish - start).days
    if total == 0:
        # A zero-length item has no duration to spread over: all or nothing.
        return budget if finish <= status_date else _ZERO
    elapsed = (status_date - start).days
    if elapsed <= 0:
        return _ZERO
    if elapsed >= total:
        return budget
    # Multiply before dividing so only one rounding happens.
    return budget * elapsed / total


def planned_value(
    budget: Decimal, start: date | None, finish: date | None, status_date: date
) -> Decimal:
    """One item's PV on ``status_date`` by the linear spread :func:`accumulate` describes.

    Example:

        >>> planned_value(Decimal(1000), date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6))
        Decimal('500')
    """
    with localcontext(_CTX):
        return _planned_value(budget, start, finish, status_date, "item")


def accumulate(items: Iterable[EvItem], status_date: date, *, currency: str = "") -> EvInputs:
    """Sum work items into the base figures, in one pass and constant memory.

    Each item is ``(budget, percent_complete, start, finish, actual_cost)``:

    * ``PV_i = budget x (days elapsed since start / days from start to finish)``, the
      fraction clamped to 0..1 (linear spread). A zero-length item counts fully once its
      finish is on or before the status date; an item with one date only is treated as
      zero-length on that date; an item with no dates is unscheduled and adds nothing to PV.
    * ``EV_i = budget x percent_complete / 100`` (``percent_complete`` is 0..100).
    * ``AC = sum of actual_cost``; ``BAC = sum of budget``.

    ``None`` stands for "not known" and counts as 0 in its own sum only (an item with no
    budget still adds its actual cost). A percentage outside 0..100 or a finish before the
    start raises :class:`~pmo_core._errors.InvalidInputError` naming the item (from 1).

    Example:

        >>> totals = accumulate(
        ...     [
        ...         (Decimal(1000), Decimal(50), date(2024, 1, 1), date(2024, 1, 11),
        ...          Decimal(600)),
        ...         (Decimal(200), None, date(2024, 2, 1), date(2024, 2, 1), None),
        ...     ],
        ...     date(2024, 1, 6),
        ...     currency="EUR",
        ... )
        >>> totals.bac, totals.pv, totals.ev, totals.ac
        (Decimal('1200'), Decimal('500'), Decimal('500'), Decimal('600'))
    """
    bac = pv = ev = ac = _ZERO
    with localcontext(_CTX):
        for n, (budget, percent, start, finish, actual) in enumerate(items, start=1):
            where = f"item {n}"
            if actual is not None:
                ac += _decimal(actual, "actual cost", where=where)
            if percent is not None:
                percent = _decimal(percent, "percent complete", where=where)
                if not _ZERO <= percent <= _HUNDRED:
                    raise InvalidInputError(
                        f"percent complete must be 0..100, got {percent}", where=where
                    )
            if budget is None:
                # Still check the dates: a bad item is bad whether or not it is budgeted.
                _planned_value(_ZERO, start, finish, status_date, where)
                continue
            budget = _decimal(budget, "budget", where=where)
            bac += budget
            pv += _planned_value(budget, start, finish, status_date, where)
            if percent is not None:
                ev += budget * percent / _HUNDRED
    return EvInputs(bac=bac, pv=pv, ev=ev, ac=ac, status_date=status_date, currency=currency)


# ---------------------------------------------------------------------------------- RAG


def rag_index(value: Decimal | None) -> Rag | None:
    """Colour a performance index (SPI or CPI) by the FEMA program-dashboard rule.

    Green 0.95-1.05, amber 0.90-0.95 or 1.05-1.10, red below 0.90 or above 1.10. Boundaries
    go to the better colour: 0.95 and 1.05 are green, 0.90 and 1.10 are amber (see
    :data:`FEMA_THRESHOLDS`). Running well *ahead* is also flagged: it usually means the
    baseline is wrong. An undefined index has no colour.

    Example:

        >>> [rag_index(Decimal(x)) for x in ("0.95", "1.05", "0.90", "1.10", "0.8999", "1.1001")]
        ['green', 'green', 'amber', 'amber', 'red', 'red']
        >>> rag_index(None) is None
        True
    """
    if value is None:
        return None
    if _GREEN_LOW <= value <= _GREEN_HIGH:
        return "green"
    if _AMBER_LOW <= value <= _AMBER_HIGH:
        return "amber"
    return "red"


def rag_achievement(percent: Decimal | None) -> Rag | None:
    """Colour an achievement percentage by the ServiceNow targets rule.

    Green at 90 or more, amber from 75 up to (not including) 90, red below 75. The source says
    "amber 75-89"; a fractional 89.5 is amber, as it has not reached 90.

    Example:

        >>> [rag_achievement(Decimal(x)) for x in ("90", "89.99", "75", "74.99")]
        ['green', 'amber', 'amber', 'red']
    """
    if percent is None:
        return None
    if percent >= 90:
        return "green"
    if percent >= 75:
        return "amber"
    return "red"


def worst(*rags: Rag | None) -> Rag | None:
    """Roll colours up: the worst wins (red > amber > green); ``None`` is ignored.

    Returns ``None`` when no colour was given. Anything that is not a colour raises
    :class:`~pmo_core._errors.InvalidInputError`, so a typo cannot read as green.

    Example:

        >>> worst("green", None, "amber")
        'amber'
        >>> worst(None, None) is None
        True
    """
    result: Rag | None = None
    for rag in rags:
        if rag is None:
            continue
        if rag not in _SEVERITY:
            raise InvalidInputError(f"{rag!r} is not a RAG colour (green, amber or red)")
        if result is None or _SEVERITY[rag] > _SEVERITY[result]:
            result = rag
    return result


# ----------------------------------------------------------------------- earned value


def _div(numerator: Decimal | None, divisor: Decimal | None) -> Decimal | None:
    # The single place where "a zero divisor is undefined" is decided.
    if numerator is None or divisor is None or divisor == 0:
        return None
    return numerator / divisor


def built_metric(
    *,
    name: str,
    value: Decimal | None,
    formula: str,
    inputs: Mapping[str, Decimal | str | None] | None = None,
    thresholds: Mapping[str, str] | None = None,
    rag: Rag | None = None,
    unit: str = "",
    source: str = "",
) -> Metric:
    """A :class:`~pmo_core.Metric` the metrics service made from values already of its
    field types (Decimals, text, a colour), so not validated again: a roll-up of 10,000
    projects builds some 300,000. Equal, field for field, to ``Metric(...)`` of the same
    values (the tests re-validate every metric the service makes).

    Example:

        >>> built_metric(name="spi", value=Decimal("0.9"), formula="EV / PV").unit
        ''
    """
    # What Metric.model_construct does, without its per-field bookkeeping (a third of the
    # cost of validating): the fields, all of them set, no extras, no private attributes.
    metric = _new(Metric)
    _set(
        metric,
        "__dict__",
        {
            "name": name,
            "value": value,
            "formula": formula,
            "inputs": {} if inputs is None else inputs,
            "thresholds": {} if thresholds is None else thresholds,
            "rag": rag,
            "unit": unit,
            "source": source,
        },
    )
    # Every field is set: one set for all (a frozen model never adds to it; a copy copies
    # it first), not some 400 bytes per metric.
    _set(metric, "__pydantic_fields_set__", _ALL_FIELDS)
    _set(metric, "__pydantic_extra__", None)
    _set(metric, "__pydantic_private__", None)
    return metric


_new = object.__new__
_set = object.__setattr__
_ALL_FIELDS = {"name", "value", "formula", "inputs", "thresholds", "rag", "unit", "source"}


def _q(value: Decimal | None, exponent: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(exponent, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class EarnedValue:
    """Earned-value figures of one scope, and the same figures as :class:`Metric` lineage.

    Fields hold the published (rounded) values; ``None`` means undefined. ``eac`` is the
    headline estimate at completion, ``BAC / CPI`` (= ``eac_cpi``); ``etc``, ``vac`` and
    ``tcpi_eac`` use it. ``eac_bottom_up`` is ``None`` (and has no metric) unless the inputs
    carried a bottom-up ETC. ``sv_pct`` and ``cv_pct`` are percentages.

    Example:

        >>> result = earned_value(EvInputs(Decimal(1000), Decimal(500), Decimal(400),
        ...                                Decimal(500), date(2024, 6, 30), "EUR"))
        >>> result.spi, result.eac, result.metric("cpi").rag
        (Decimal('0.8000'), Decimal('1250.00'), 'red')
    """

    inputs: EvInputs
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    sv_pct: Decimal | None
    cv_pct: Decimal | None
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    eac_bottom_up: Decimal | None
    eac_atypical: Decimal
    eac_cpi: Decimal | None
    eac_cpi_spi: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi_bac: Decimal | None
    tcpi_eac: Decimal | None
    metrics: tuple[Metric, ...]

    def metric(self, name: str) -> Metric:
        """The metric called ``name`` (``"spi"``, ``"eac"``...); ``KeyError`` if absent.

        Example:

            >>> result = earned_value(EvInputs(Decimal(100), Decimal(100), Decimal(100),
            ...                                Decimal(100), date(2024, 6, 30), "EUR"))
            >>> result.metric("spi").formula
            'EV / PV'
        """
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)


def earned_value(
    inputs: EvInputs,
    *,
    eac_rule: Sequence[str] = ("cpi",),
    source: str = "",
    sources: Mapping[str, str] | None = None,
) -> EarnedValue:
    """Compute every earned-value figure from the base figures, with lineage.

    Metric names: ``bac pv ev ac sv cv sv_pct cv_pct spi cpi eac eac_bottom_up eac_atypical
    eac_cpi eac_cpi_spi etc vac tcpi_bac tcpi_eac`` (``eac_bottom_up`` only when the inputs
    carry a bottom-up estimate). SPI and CPI carry the FEMA thresholds and colour.

    The headline ``eac`` (which ``etc``, ``vac`` and ``tcpi_eac`` use) is the first variant
    of ``eac_rule`` (names of :data:`EAC_VARIANTS`) that is defined; its metric's formula is
    that variant's and its input ``variant`` names it. When none is defined, it is undefined.
    ``sources`` gives metrics their source by name, ``source`` the others' (SPI and CPI name
    their colour rule).

    Example (a project behind schedule and over budget):

        >>> result = earned_value(EvInputs(Decimal(1000), Decimal(500), Decimal(400),
        ...                                Decimal(500), date(2024, 6, 30), "EUR"))
        >>> result.spi, result.cpi, result.tcpi_bac
        (Decimal('0.8000'), Decimal('0.8000'), Decimal('1.2000'))
        >>> result.eac, result.vac
        (Decimal('1250.00'), Decimal('-250.00'))
        >>> result.metric("spi").rag, result.metric("eac").inputs["CPI"]
        ('red', Decimal('0.8'))
    """
    bac, pv, ev, ac = inputs.bac, inputs.pv, inputs.ev, inputs.ac
    money = inputs.currency
    metrics: list[Metric] = []
    named = dict(sources or {})

    def emit(
        name: str,
        value: Decimal | None,
        exponent: Decimal,
        formula: str,
        unit: str,
        **symbols: Decimal | str | None,
    ) -> Decimal | None:
        published = _q(value, exponent)
        rag = None
        thresholds: dict[str, str] = {}
        lineage = named.get(name, source)
        if name in ("spi", "cpi"):
            rag, thresholds, lineage = rag_index(published), dict(FEMA_THRESHOLDS), FEMA_SOURCE
        metrics.append(
            built_metric(
                name=name,
                value=published,
                formula=formula,
                inputs=symbols,
                thresholds=thresholds,
                rag=rag,
                unit=unit,
                source=lineage,
            )
        )
        return published

    with localcontext(_CTX):
        sv = ev - pv
        cv = ev - ac
        spi = _div(ev, pv)
        cpi = _div(ev, ac)
        eac_bottom_up = inputs.eac_bottom_up
        if eac_bottom_up is None and inputs.etc_bottom_up is not None:
            eac_bottom_up = ac + inputs.etc_bottom_up
        eac_atypical = ac + (bac - ev)
        eac_cpi = _div(bac, cpi)
        cpi_spi = None if cpi is None or spi is None else cpi * spi
        remaining = _div(bac - ev, cpi_spi)
        eac_cpi_spi = None if remaining is None else ac + remaining
        variants = {
            "bottom_up": eac_bottom_up,
            "cpi": eac_cpi,
            "atypical": eac_atypical,
            "cpi_spi": eac_cpi_spi,
        }
        for name in eac_rule:
            if name not in variants:
                raise InvalidInputError(
                    f"unknown EAC variant {name!r} (one of {', '.join(EAC_VARIANTS)})",
                    where="eac_rule",
                )
        used = next((name for name in eac_rule if variants[name] is not None), None)
        eac = None if used is None else variants[used]
        symbols_of: dict[str, dict[str, Decimal | None]] = {
            "bottom_up": {"EAC_bottom_up": eac_bottom_up},
            "cpi": {"BAC": bac, "CPI": cpi},
            "atypical": {"AC": ac, "BAC": bac, "EV": ev},
            "cpi_spi": {"AC": ac, "BAC": bac, "EV": ev, "CPI": cpi, "SPI": spi},
        }
        # The lineage of the headline: the variant used and its inputs, or (none defined)
        # every variant tried, so a reader sees why each was undefined.
        eac_symbols: dict[str, Decimal | str | None] = {
            "variant": used or "none defined of " + ", ".join(eac_rule)
        }
        for name in [used] if used else eac_rule:
            eac_symbols |= symbols_of[name]
        etc = None if eac is None else eac - ac
        vac = None if eac is None else bac - eac
        tcpi_eac = _div(bac - ev, None if eac is None else eac - ac)

        published = {
            "bac": emit("bac", bac, _MONEY, "BAC", money, BAC=bac),
            "pv": emit("pv", pv, _MONEY, "PV", money, PV=pv),
            "ev": emit("ev", ev, _MONEY, "EV", money, EV=ev),
            "ac": emit("ac", ac, _MONEY, "AC", money, AC=ac),
            "sv": emit("sv", sv, _MONEY, "EV - PV", money, EV=ev, PV=pv),
            "cv": emit("cv", cv, _MONEY, "EV - AC", money, EV=ev, AC=ac),
            "sv_pct": emit(
                "sv_pct", _div(sv * _HUNDRED, pv), _PERCENT, "SV / PV * 100", "%", SV=sv, PV=pv
            ),
            "cv_pct": emit(
                "cv_pct", _div(cv * _HUNDRED, ev), _PERCENT, "CV / EV * 100", "%", CV=cv, EV=ev
            ),
            "spi": emit("spi", spi, _INDEX, "EV / PV", "ratio", EV=ev, PV=pv),
            "cpi": emit("cpi", cpi, _INDEX, "EV / AC", "ratio", EV=ev, AC=ac),
            "eac": emit(
                "eac",
                eac,
                _MONEY,
                EAC_VARIANTS[used] if used else "first defined of " + ", ".join(eac_rule),
                money,
                **eac_symbols,
            ),
        }
        if eac_bottom_up is not None:
            if inputs.eac_bottom_up is not None:
                published["eac_bottom_up"] = emit(
                    "eac_bottom_up",
                    eac_bottom_up,
                    _MONEY,
                    "EAC_bottom_up",
                    money,
                    EAC_bottom_up=eac_bottom_up,
                )
            else:
                published["eac_bottom_up"] = emit(
                    "eac_bottom_up",
                    eac_bottom_up,
                    _MONEY,
                    "AC + ETC_bottom_up",
                    money,
                    AC=ac,
                    ETC_bottom_up=inputs.etc_bottom_up,
                )
        published |= {
            "eac_atypical": emit(
                "eac_atypical",
                eac_atypical,
                _MONEY,
                "AC + (BAC - EV)",
                money,
                AC=ac,
                BAC=bac,
                EV=ev,
            ),
            "eac_cpi": emit("eac_cpi", eac_cpi, _MONEY, "BAC / CPI", money, BAC=bac, CPI=cpi),
            "eac_cpi_spi": emit(
                "eac_cpi_spi",
                eac_cpi_spi,
                _MONEY,
                "AC + (BAC - EV) / (CPI * SPI)",
                money,
                AC=ac,
                BAC=bac,
                EV=ev,
                CPI=cpi,
                SPI=spi,
            ),
            "etc": emit("etc", etc, _MONEY, "EAC - AC", money, EAC=eac, AC=ac),
            "vac": emit("vac", vac, _MONEY, "BAC - EAC", money, BAC=bac, EAC=eac),
            "tcpi_bac": emit(
                "tcpi_bac",
                _div(bac - ev, bac - ac),
                _INDEX,
                "(BAC - EV) / (BAC - AC)",
                "ratio",
                BAC=bac,
                EV=ev,
                AC=ac,
            ),
            "tcpi_eac": emit(
                "tcpi_eac",
                tcpi_eac,
                _INDEX,
                "(BAC - EV) / (EAC - AC)",
                "ratio",
                BAC=bac,
                EV=ev,
                EAC=eac,
                AC=ac,
            ),
        }

    def money_figure(name: str) -> Decimal:
        # These figures have no divisor, so they are always defined.
        value = published[name]
        assert value is not None
        return value

    return EarnedValue(
        inputs=inputs,
        bac=money_figure("bac"),
        pv=money_figure("pv"),
        ev=money_figure("ev"),
        ac=money_figure("ac"),
        sv=money_figure("sv"),
        cv=money_figure("cv"),
        sv_pct=published["sv_pct"],
        cv_pct=published["cv_pct"],
        spi=published["spi"],
        cpi=published["cpi"],
        eac=published["eac"],
        eac_bottom_up=published.get("eac_bottom_up"),
        eac_atypical=money_figure("eac_atypical"),
        eac_cpi=published["eac_cpi"],
        eac_cpi_spi=published["eac_cpi_spi"],
        etc=published["etc"],
        vac=published["vac"],
        tcpi_bac=published["tcpi_bac"],
        tcpi_eac=published["tcpi_eac"],
        metrics=tuple(metrics),
    )


def overall_rag(ev: EarnedValue) -> Rag | None:
    """The FEMA overall colour: the worst of the SPI and CPI colours (``None`` if neither).

    Example:

        >>> overall_rag(earned_value(EvInputs(Decimal(1000), Decimal(500), Decimal(460),
        ...                                   Decimal(480), date(2024, 6, 30), "EUR")))
        'amber'
    """
    return worst(ev.metric("spi").rag, ev.metric("cpi").rag)


def roll_up(
    children: Iterable[EvInputs],
    status_date: date,
    currency: str,
    *,
    eac_rule: Sequence[str] = ("cpi",),
    source: str = "",
    sources: Mapping[str, str] | None = None,
) -> EarnedValue:
    """Roll children up: sum BAC, PV, EV and AC, then recompute every index from the sums.

    Indices are never averaged: an average weighs a 100-euro project like a million-euro one.
    A bottom-up estimate (ETC, or EAC) is summed only when every child has one (a partial sum
    would understate the estimate); otherwise the result has none. ``eac_rule`` picks the
    headline EAC as in :func:`earned_value`. Every child must be in ``currency``, else
    :class:`~pmo_core._errors.InvalidInputError` names both currencies. Children are expected
    to be measured at ``status_date``; their own status dates are not checked.

    Example:

        >>> kids = [EvInputs(Decimal(100), Decimal(100), Decimal(50), Decimal(50),
        ...                  date(2024, 6, 30), "EUR"),
        ...         EvInputs(Decimal(900), Decimal(900), Decimal(900), Decimal(900),
        ...                  date(2024, 6, 30), "EUR")]
        >>> roll_up(kids, date(2024, 6, 30), "EUR").spi  # (0.5 + 1.0) / 2 would say 0.75
        Decimal('0.9500')
    """
    bac = pv = ev = ac = etc = eac = _ZERO
    count = 0
    all_have_etc = all_have_eac = True
    with localcontext(_CTX):
        for n, child in enumerate(children, start=1):
            if child.currency != currency:
                raise InvalidInputError(
                    f"cannot roll up a {child.currency!r} child into a {currency!r} total; "
                    "convert it first",
                    where=f"child {n}",
                )
            count += 1
            bac += child.bac
            pv += child.pv
            ev += child.ev
            ac += child.ac
            if child.etc_bottom_up is None:
                all_have_etc = False
            else:
                etc += child.etc_bottom_up
            if child.eac_bottom_up is None:
                all_have_eac = False
            else:
                eac += child.eac_bottom_up
    total = EvInputs(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        status_date=status_date,
        currency=currency,
        etc_bottom_up=etc if all_have_etc and count else None,
        eac_bottom_up=eac if all_have_eac and count else None,
    )
    return earned_value(total, eac_rule=eac_rule, source=source, sources=sources)
