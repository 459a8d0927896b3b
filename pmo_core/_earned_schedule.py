"""Earned schedule (ISO 21508): when the value earned should have been earned, in days,
and the forecast duration and finish it implies. Pure functions over Decimals and dates, with
the conventions of :mod:`pmo_core._evm` (undefined is ``None``, published values rounded)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal, localcontext

from ._errors import InvalidInputError
from ._evm import _DAYS, _INDEX, _ZERO, EVM_CONTEXT, _decimal, _div, _q, built_metric
from ._records import Metric

__all__ = ["EarnedSchedule", "earned_schedule"]


@dataclass(frozen=True)
class EarnedSchedule:
    """Earned-schedule figures (ISO 21508), in days, with their metrics.

    ``es`` is the earned schedule, ``at`` the actual time, ``sv_t = es - at`` the schedule
    variance in time and ``spi_t = es / at`` the time-based schedule performance index;
    ``pd`` is the planned duration, ``ieac_t = pd / spi_t`` the independent estimate at
    completion in time and ``finish`` the forecast finish, ``start + ieac_t`` (a part day
    counts as a day). ``None`` means undefined (no plan, no time elapsed yet for ``spi_t``,
    nothing earned yet for ``ieac_t``).

    Example:

        >>> curve = [(date(2024, 1, 11), Decimal(100)), (date(2024, 1, 21), Decimal(200))]
        >>> result = earned_schedule(curve, Decimal(150), date(2024, 1, 21), date(2024, 1, 1))
        >>> result.es, result.sv_t, result.spi_t
        (Decimal('15.00'), Decimal('-5.00'), Decimal('0.7500'))
    """

    es: Decimal | None
    at: Decimal
    sv_t: Decimal | None
    spi_t: Decimal | None
    metrics: tuple[Metric, ...]
    pd: Decimal | None = None
    ieac_t: Decimal | None = None
    finish: date | None = None


def _curve_points(
    pv_curve: Sequence[tuple[date, Decimal]], start: date
) -> Iterator[tuple[date, Decimal]]:
    previous_date, previous_pv = start, _ZERO
    yield previous_date, previous_pv
    for n, (end, pv) in enumerate(pv_curve, start=1):
        where = f"pv_curve[{n - 1}]"
        pv = _decimal(pv, "cumulative PV", where=where)
        if end <= previous_date:
            raise InvalidInputError(
                f"period end {end} is not after {previous_date} (the start or the previous "
                "period end)",
                where=where,
            )
        if pv < previous_pv:
            raise InvalidInputError(f"cumulative PV falls from {previous_pv} to {pv}", where=where)
        previous_date, previous_pv = end, pv
        yield end, pv


def earned_schedule(
    pv_curve: Sequence[tuple[date, Decimal]],
    ev: Decimal,
    status_date: date,
    start: date,
    *,
    source: str = "",
) -> EarnedSchedule:
    """Earned schedule (ISO 21508): when the work done *should* have been done.

    ``pv_curve`` is the cumulative PV at each period end, in date order, starting after
    ``start`` (PV is 0 at ``start``). ISO 21508 gives
    ``ES = C + (EV - PV_C) / (PV_{C+1} - PV_C)`` in periods, where ``C`` is the number of
    whole periods whose cumulative PV the EV has reached. Results are in **days**, not
    periods, because real periods (months) differ in length and actual time is counted in
    days: ES is the days from ``start`` to the end of period ``C`` plus the same fraction of
    period ``C + 1``'s length in days. For equal periods this is the ISO figure times the
    period length.

    ``AT`` is the days from ``start`` to ``status_date`` (0 before the start: nothing can be
    late before it begins). ``SV(t) = ES - AT``; ``SPI(t) = ES / AT``, undefined when AT is 0.
    ES is capped at the planned duration once EV reaches the final PV, and an empty curve
    leaves ES undefined. Unlike SPI, SPI(t) does not drift to 1.0 on a late project.

    ``PD`` is the days from ``start`` to the last period end; ``IEAC(t) = PD / SPI(t)``
    (days), undefined while SPI(t) is undefined or 0; the forecast finish is ``start +
    IEAC(t)``, rounded up to a whole day. ``source`` is every metric's source.

    Example (EV halfway through the second of two 10-day periods):

        >>> curve = [(date(2024, 1, 11), Decimal(100)), (date(2024, 1, 21), Decimal(200))]
        >>> result = earned_schedule(curve, Decimal(150), date(2024, 1, 21), date(2024, 1, 1))
        >>> result.es, [metric.name for metric in result.metrics]
        (Decimal('15.00'), ['es', 'at', 'sv_t', 'spi_t', 'pd', 'ieac_t'])
        >>> result.ieac_t, result.finish  # 20 / 0.75 = 26.67 days
        (Decimal('26.67'), datetime.date(2024, 1, 28))
    """
    ev = _decimal(ev, "ev")
    at = Decimal(max((status_date - start).days, 0))
    es: Decimal | None = None
    inputs: dict[str, Decimal | str | None] = {"EV": ev}
    with localcontext(EVM_CONTEXT):
        points = list(_curve_points(pv_curve, start))
        if len(points) > 1:
            # C = the last point whose cumulative PV the EV has reached. Taking the *last*
            # such point skips flat stretches, so PV_{C+1} - PV_C is never 0 below the end.
            c = 0
            for i, (_, pv) in enumerate(points):
                if pv <= ev:
                    c = i
                else:
                    break
            c_date, pv_c = points[c]
            days_to_c = Decimal((c_date - start).days)
            inputs |= {"C": Decimal(c), "C_end": c_date.isoformat(), "days_to_C": days_to_c}
            if c == len(points) - 1:
                es = days_to_c  # EV reached the whole plan: ES is the planned duration.
            else:
                next_date, pv_next = points[c + 1]
                period_days = Decimal((next_date - c_date).days)
                es = days_to_c + (ev - pv_c) / (pv_next - pv_c) * period_days
                inputs |= {"PV_C": pv_c, "PV_C+1": pv_next, "period_days": period_days}
        sv_t = None if es is None else es - at
        spi_t = _div(es, at)
        pd = Decimal((points[-1][0] - start).days) if len(points) > 1 else None
        ieac_t = _div(pd, spi_t)
    finish = None
    if ieac_t is not None:
        finish = start + timedelta(days=int(ieac_t.to_integral_value(rounding=ROUND_CEILING)))
    es_formula = "days_to_C + (EV - PV_C) / (PV_C+1 - PV_C) * period_days"
    metrics = (
        built_metric(
            name="es",
            value=_q(es, _DAYS),
            formula=es_formula,
            inputs=inputs,
            unit="days",
            source=source,
        ),
        built_metric(
            name="at",
            value=at,
            formula="status_date - start",
            inputs={"status_date": status_date.isoformat(), "start": start.isoformat()},
            unit="days",
            source=source,
        ),
        built_metric(
            name="sv_t",
            value=_q(sv_t, _DAYS),
            formula="ES - AT",
            inputs={"ES": es, "AT": at},
            unit="days",
            source=source,
        ),
        built_metric(
            name="spi_t",
            value=_q(spi_t, _INDEX),
            formula="ES / AT",
            inputs={"ES": es, "AT": at},
            unit="ratio",
            source=source,
        ),
        built_metric(
            name="pd",
            value=pd,
            formula="last period end - start",
            inputs={
                "start": start.isoformat(),
                "end": points[-1][0].isoformat() if len(points) > 1 else None,
            },
            unit="days",
            source=source,
        ),
        built_metric(
            name="ieac_t",
            value=_q(ieac_t, _DAYS),
            formula="PD / SPI(t)",
            inputs={
                "PD": pd,
                "SPI(t)": spi_t,
                "finish": finish.isoformat() if finish else None,
            },
            unit="days",
            source=source,
        ),
    )
    return EarnedSchedule(
        es=metrics[0].value,
        at=at,
        sv_t=metrics[2].value,
        spi_t=metrics[3].value,
        metrics=metrics,
        pd=pd,
        ieac_t=metrics[5].value,
        finish=finish,
    )
