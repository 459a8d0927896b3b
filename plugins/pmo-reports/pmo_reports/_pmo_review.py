"""``pmo-review``: the PMO's own KPIs over a period, each a :class:`~pmo_core.Metric` with its
lineage (formula, inputs, and the records it was computed from).

The period is ``from`` to ``to`` (report options, both inclusive; default the calendar year
of the status date up to the status date). Which projects count:

- *reviewed*: projects live at the status date (``active``, ``on_hold``) and those closed in
  the period; *killed*: projects killed in the period. Proposed projects are left out.

The KPIs:

- ``on_time`` (%): reviewed projects whose forecast finish is on or before their planned
  finish. Forecast finish: a closed project's actual finish (else its closing day); a live
  one's latest forecast with a finish, else the earned-schedule finish of the metrics
  service.
- ``on_budget`` (%): reviewed projects whose EAC is at most their BAC (the metrics service's
  headline EAC; a closed project's on its closing day).
- ``gate_compliance`` (%): gate decisions of the period whose must criteria were all met or
  waived.
- ``status_on_time`` (%): status reports of live projects that came within the governance
  model's cadence for the project's tier of the report before (the first: of the period's
  start, or the project's start when later); a cadence that ran out by the period's end
  without a report counts as one missed.
- ``forecast_error`` (%): for projects closed in the period, the mean of
  ``|first forecast EAC - final AC| / final AC``: how far the first forecast on record was
  from what the project finally cost.
- ``request_to_decision`` (days): the mean time from a gate request
  (:func:`pmo_core.requested_gate`) to the decision that closed it, decisions in the period.
- ``killed_budget_saved`` (money): the sum over killed projects of ``BAC - AC`` at the kill,
  never below zero.
- ``overrun_avoided`` (money): killed projects' forecast overrun at the kill
  (``EAC - BAC``, when positive) plus, for reviewed projects whose forecast overrun fell
  during the period (a recovery), the fall.
- ``evidenced_value`` (money): budget saved plus overrun avoided.
- ``satisfaction`` (score 1-5): the mean score of the survey responses of the period; per
  group and per month in tables beside it (:func:`pmo_core.satisfaction_scores`).
- ``pmo_cost`` (money): the PMO's cost entries pro rata of the days they share with the
  period.
- ``pmo_roi`` (ratio): ``evidenced_value / pmo_cost``.

Money is summed in one currency (option ``currency``; default the commonest currency of the
reviewed and killed projects, or of the PMO's costs when there are none): an amount in
another currency is converted only at a rate given in the option ``rates``
(``USD:0.92,GBP:1.17``: one USD is 0.92 of the report currency), and each conversion is
in the lineage; without a rate the KPI is not measured and says which currency is missing.
Amounts are never mixed.

A KPI without data is *not measured* (value ``null``) with the reason, never 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pmo_core import (
    Entity,
    GateDecision,
    InvalidInputError,
    Metric,
    PmoCost,
    ProjectMetrics,
    ReportOutput,
    ReportRequest,
    SurveyResponse,
    measure_project,
    requested_gate,
    satisfaction_scores,
)

from ._output import output, rendered, scope_json
from ._version import GENERATED_BY
from .kit import Column, Paragraph, Section, Table, md_text, metrics_table, page

_CENT = Decimal("0.01")
_RATIO = Decimal("0.0001")
_HUNDRED = Decimal(100)
_LIVE = ("active", "on_hold")
_OPTIONS = ("from", "to", "currency", "rates")

#: The KPIs in the order the report shows them, with their titles.
KPI_TITLES: dict[str, str] = {
    "on_time": "Projects on time",
    "on_budget": "Projects on budget",
    "gate_compliance": "Gate compliance",
    "status_on_time": "Status reports on time",
    "forecast_error": "Forecast error (first EAC vs final cost)",
    "request_to_decision": "Gate request to decision",
    "killed_budget_saved": "Budget saved by killed projects",
    "overrun_avoided": "Overrun avoided (killed and recovered projects)",
    "evidenced_value": "Evidenced value",
    "satisfaction": "Stakeholder satisfaction",
    "pmo_cost": "PMO cost",
    "pmo_roi": "PMO ROI",
}


@dataclass
class Kpi:
    """One KPI: its metric (value ``None`` when not measured), why it was not measured, and
    the records it was computed from (one dict per record, with its kind and id)."""

    metric: Metric
    reason: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return self.reason is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.metric.name,
            "title": KPI_TITLES[self.metric.name],
            "measured": self.measured,
            "reason": self.reason,
            "metric": self.metric.model_dump(mode="json"),
            "records": self.records,
        }


def _not_measured(
    name: str, formula: str, unit: str, reason: str, records: list[dict[str, Any]] | None = None
) -> Kpi:
    metric = Metric(
        name=name,
        value=None,
        formula=formula,
        inputs={},
        unit=unit,
        source=f"not measured: {reason}",
    )
    return Kpi(metric, reason, records or [])


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(_CENT, ROUND_HALF_UP)


# ------------------------------------------------------------------------------ options


@dataclass(frozen=True)
class Period:
    """The report's period and money rules, from its options."""

    start: date
    end: date
    currency: str | None
    rates: Mapping[str, Decimal]

    def convert(self, amount: Decimal, currency: str) -> tuple[Decimal | None, str]:
        """``amount`` in the report currency, and how it was had (for the lineage); ``None``
        when there is no rate for ``currency``."""
        if currency == self.currency:
            return amount, f"{amount} {currency}"
        rate = self.rates.get(currency)
        if rate is None:
            return None, f"{amount} {currency}: no rate to {self.currency}"
        converted = (amount * rate).quantize(_CENT, ROUND_HALF_UP)
        return converted, f"{amount} {currency} x {rate} = {converted} {self.currency}"


def _date_option(options: Mapping[str, Any], key: str) -> date | None:
    value = options.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInputError(
            f"{key}={value!r} is not a date (YYYY-MM-DD)", where=f"--option {key}"
        ) from None


def _rates(value: Any) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    if value is None or value == "":
        return rates
    for part in str(value).split(","):
        code, sep, number = part.strip().partition(":")
        code = code.strip().upper()
        try:
            rate = Decimal(number.strip())
        except InvalidOperation:
            rate = Decimal(-1)
        if not sep or len(code) != 3 or not code.isalpha() or not rate.is_finite() or rate <= 0:
            raise InvalidInputError(
                f"{part.strip()!r} is not CODE:RATE (e.g. USD:0.92, a positive rate)",
                where="--option rates",
            )
        rates[code] = rate
    return rates


def period_of(request: ReportRequest, currencies: Sequence[str]) -> Period:
    """The period and currency rules of a request (``from``, ``to``, ``currency``,
    ``rates``), checked; an unknown option or a bad value names it. Without ``currency``,
    the commonest of ``currencies`` (ties: the first in alphabetical order)."""
    options = request.options
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise InvalidInputError(
            f"report 'pmo-review' takes {', '.join(_OPTIONS)}, not {', '.join(unknown)}",
            where="--option",
        )
    on = request.status_date
    end = _date_option(options, "to") or on
    start = _date_option(options, "from") or date(end.year, 1, 1)
    if end < start:
        raise InvalidInputError(f"to {end} is before from {start}", where="--option to")
    currency = options.get("currency")
    if currency is not None:
        currency = str(currency).strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise InvalidInputError(
                f"{currency!r} is not a currency code", where="--option currency"
            )
    else:
        counts = Counter(currencies)
        if counts:
            currency = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return Period(start, end, currency, _rates(options.get("rates")))


# ------------------------------------------------------------------------------ the data


@dataclass
class Data:
    """What the KPIs read, gathered once."""

    request: ReportRequest
    period: Period
    reviewed: list[Entity]
    killed: list[Entity]
    measured: dict[tuple[str, date], ProjectMetrics] = field(default_factory=dict)

    def metrics(self, project: Entity, on: date) -> ProjectMetrics:
        key = (project.id, on)
        if key not in self.measured:
            self.measured[key] = measure_project(self.request.view, project, status_date=on)
        return self.measured[key]

    def end_of(self, project: Entity) -> date:
        """The day a project is judged on: its closing or killing day, else the period's end
        (never after the status date)."""
        if project.lifecycle in ("closed", "killed") and project.lifecycle_on is not None:
            return project.lifecycle_on
        return min(self.period.end, self.request.status_date)


def gather(request: ReportRequest) -> Data:
    """The reviewed and killed projects of the period."""
    projects = request.view.projects()
    # The currency default looks at what the KPIs read, so a first pass reads the period
    # from the options alone.
    period = period_of(request, [])
    start, end = period.start, period.end

    def in_period(day: date | None) -> bool:
        return day is not None and start <= day <= end

    reviewed = [
        p
        for p in projects
        if p.lifecycle in _LIVE or (p.lifecycle == "closed" and in_period(p.lifecycle_on))
    ]
    killed = [p for p in projects if p.lifecycle == "killed" and in_period(p.lifecycle_on)]
    # The projects' currency; with none to review, the PMO's costs' of the period.
    currencies = [p.currency for p in reviewed + killed] or [
        c.amount.currency
        for c in request.view.records(PmoCost)
        if c.start <= end and c.end >= start
    ]
    return Data(request, period_of(request, currencies), reviewed, killed)


# ------------------------------------------------------------------------------ the KPIs


def _forecast_finish(data: Data, project: Entity) -> tuple[date | None, str]:
    if project.lifecycle == "closed":
        finish = project.actual_finish or project.lifecycle_on
        return finish, "actual finish" if project.actual_finish else "closing day"
    forecasts = [
        f
        for f in data.request.view.forecasts(project.id)
        if f.work_item is None and f.finish is not None
    ]
    if forecasts:
        return forecasts[-1].finish, f"forecast {forecasts[-1].id} of {forecasts[-1].as_of}"
    schedule = data.metrics(project, data.end_of(project)).earned_schedule
    if schedule is not None and schedule.finish is not None:
        return schedule.finish, "earned-schedule forecast"
    return None, "no forecast finish (no forecast, no earned schedule)"


def on_time(data: Data) -> Kpi:
    formula = "100 x projects with forecast finish <= planned finish / projects measured"
    records: list[dict[str, Any]] = []
    hits = 0
    for p in data.reviewed:
        finish, basis = _forecast_finish(data, p)
        row: dict[str, Any] = {
            "kind": "project",
            "id": p.id,
            "planned_finish": p.planned_finish.isoformat() if p.planned_finish else None,
            "forecast_finish": finish.isoformat() if finish else None,
            "basis": basis,
        }
        if p.planned_finish is None or finish is None:
            row["counted"] = False
            row["reason"] = "no planned finish" if p.planned_finish is None else basis
        else:
            row["counted"] = True
            row["on_time"] = finish <= p.planned_finish
            hits += row["on_time"]
        records.append(row)
    counted = sum(1 for r in records if r["counted"])
    if not counted:
        why = "no reviewed project" if not records else "no project has both finish dates"
        return _not_measured("on_time", formula, "%", why, records)
    value = _pct(hits, counted)
    inputs = {"on_time": Decimal(hits), "measured": Decimal(counted)}
    return Kpi(
        Metric(
            name="on_time",
            value=value,
            formula=formula,
            inputs=inputs,
            unit="%",
            source="metrics service and forecasts",
        ),
        None,
        records,
    )


def on_budget(data: Data) -> Kpi:
    formula = "100 x projects with EAC <= BAC / projects measured"
    records: list[dict[str, Any]] = []
    hits = 0
    for p in data.reviewed:
        day = data.end_of(p)
        m = data.metrics(p, day)
        eac, bac = m.value("eac"), m.value("bac")
        row: dict[str, Any] = {
            "kind": "project",
            "id": p.id,
            "on": day.isoformat(),
            "currency": m.currency,
            "eac": None if eac is None else str(eac),
            "bac": None if bac is None else str(bac),
            "eac_variant": m.metric("eac").inputs.get("variant"),
        }
        if eac is None or bac is None:
            row["counted"] = False
            row["reason"] = m.note or ("no EAC" if eac is None else "no BAC")
        else:
            row["counted"] = True
            row["on_budget"] = eac <= bac
            hits += row["on_budget"]
        records.append(row)
    counted = sum(1 for r in records if r["counted"])
    if not counted:
        why = "no reviewed project" if not records else "no project has both EAC and BAC"
        return _not_measured("on_budget", formula, "%", why, records)
    inputs = {"on_budget": Decimal(hits), "measured": Decimal(counted)}
    return Kpi(
        Metric(
            name="on_budget",
            value=_pct(hits, counted),
            formula=formula,
            inputs=inputs,
            unit="%",
            source="metrics service (measure_project)",
        ),
        None,
        records,
    )


def _decisions(data: Data) -> list[GateDecision]:
    view = data.request.view
    start, end = data.period.start, data.period.end
    found = [
        d
        for e in view.entities(include_archived=True)
        for d in view.gate_decisions(e.id)
        if start <= d.decided_on <= end
    ]
    return sorted(found, key=lambda d: (d.decided_on, d.entity, d.id))


def gate_compliance(data: Data) -> Kpi:
    formula = "100 x gate decisions whose must criteria were met or waived / gate decisions"
    records: list[dict[str, Any]] = []
    hits = 0
    for d in _decisions(data):
        unmet = [c.name for c in d.failed_musts if c.waiver is None]
        waived = [c.name for c in d.failed_musts if c.waiver is not None]
        records.append(
            {
                "kind": "gate_decision",
                "id": d.id,
                "entity": d.entity,
                "gate": d.gate,
                "decision": d.decision,
                "decided_on": d.decided_on.isoformat(),
                "unmet_musts": unmet,
                "waived_musts": waived,
                "compliant": not unmet,
            }
        )
        hits += not unmet
    if not records:
        return _not_measured("gate_compliance", formula, "%", "no gate decision in the period")
    inputs = {"compliant": Decimal(hits), "decisions": Decimal(len(records))}
    return Kpi(
        Metric(
            name="gate_compliance",
            value=_pct(hits, len(records)),
            formula=formula,
            inputs=inputs,
            unit="%",
            source="gate decisions",
        ),
        None,
        records,
    )


def status_on_time(data: Data) -> Kpi:
    formula = (
        "100 x status reports within the cadence of the one before / "
        "(status reports + cadences missed by the period's end)"
    )
    model_for: Callable[[Entity], Any] | None = data.request.governance_model
    records: list[dict[str, Any]] = []
    timely = expected = 0
    for p in data.reviewed:
        if p.lifecycle not in _LIVE:
            continue
        model = model_for(p) if model_for is not None else None
        if model is None:
            records.append(
                {
                    "kind": "project",
                    "id": p.id,
                    "counted": False,
                    "reason": "no governance model in force: no cadence",
                }
            )
            continue
        cadence = int(model.cadence_for(p.tier))
        begun = p.actual_start or p.planned_start
        start = max(data.period.start, begun) if begun else data.period.start
        end = min(data.period.end, data.request.status_date)
        if end < start:
            records.append(
                {
                    "kind": "project",
                    "id": p.id,
                    "counted": False,
                    "reason": f"starts {start}, after the period",
                }
            )
            continue
        reports = [r for r in data.request.view.status_reports(p.id) if start <= r.as_of <= end]
        previous = start
        for r in sorted(reports, key=lambda r: (r.as_of, r.id)):
            gap = (r.as_of - previous).days
            ok = gap <= cadence
            records.append(
                {
                    "kind": "status_report",
                    "id": r.id,
                    "entity": p.id,
                    "as_of": r.as_of.isoformat(),
                    "after": previous.isoformat(),
                    "days": gap,
                    "cadence_days": cadence,
                    "model": model.name,
                    "on_time": ok,
                }
            )
            timely += ok
            expected += 1
            previous = r.as_of
        if (end - previous).days > cadence:
            records.append(
                {
                    "kind": "missed",
                    "id": p.id,
                    "entity": p.id,
                    "since": previous.isoformat(),
                    "until": end.isoformat(),
                    "days": (end - previous).days,
                    "cadence_days": cadence,
                    "model": model.name,
                    "on_time": False,
                }
            )
            expected += 1
    if not expected:
        why = (
            "no live project with a governance model"
            if not any(r.get("kind") != "project" for r in records)
            else "no status report due"
        )
        if not records:
            why = "no live project"
        return _not_measured("status_on_time", formula, "%", why, records)
    inputs = {"on_time": Decimal(timely), "due": Decimal(expected)}
    return Kpi(
        Metric(
            name="status_on_time",
            value=_pct(timely, expected),
            formula=formula,
            inputs=inputs,
            unit="%",
            source="governance model cadence per tier",
        ),
        None,
        records,
    )


def forecast_error(data: Data) -> Kpi:
    formula = "100 x mean(|first forecast EAC - final AC| / final AC) over closed projects"
    records: list[dict[str, Any]] = []
    errors: list[Decimal] = []
    for p in data.reviewed:
        if p.lifecycle != "closed" or p.lifecycle_on is None:
            continue
        closed = p.lifecycle_on
        first = next(
            (
                f
                for f in data.request.view.forecasts(p.id)
                if f.work_item is None and f.as_of < closed
            ),
            None,
        )
        m = data.metrics(p, closed)
        ac = m.value("ac")
        row: dict[str, Any] = {
            "kind": "project",
            "id": p.id,
            "closed_on": closed.isoformat(),
            "final_ac": None if ac is None else str(ac),
            "currency": m.currency,
        }
        if first is None:
            row.update(counted=False, reason="no forecast before closing")
        elif ac is None or ac == 0:
            row.update(counted=False, reason="no final actual cost")
        elif first.eac.currency != m.currency:
            row.update(
                counted=False, reason=f"forecast in {first.eac.currency}, costs in {m.currency}"
            )
        else:
            error = abs(first.eac.amount - ac) / ac
            errors.append(error)
            row.update(
                counted=True,
                forecast=first.id,
                forecast_on=first.as_of.isoformat(),
                forecast_eac=str(first.eac.amount),
                error_pct=str((error * _HUNDRED).quantize(_CENT, ROUND_HALF_UP)),
            )
        records.append(row)
    if not errors:
        why = (
            "no project closed in the period"
            if not records
            else ("no closed project has a forecast and a final cost")
        )
        return _not_measured("forecast_error", formula, "%", why, records)
    mean = (sum(errors, Decimal(0)) / len(errors) * _HUNDRED).quantize(_CENT, ROUND_HALF_UP)
    return Kpi(
        Metric(
            name="forecast_error",
            value=mean,
            formula=formula,
            inputs={"projects": Decimal(len(errors))},
            unit="%",
            source="forecasts and the metrics service's AC at closing",
        ),
        None,
        records,
    )


def request_to_decision(data: Data) -> Kpi:
    formula = "mean(closed_on - raised_on) of gate requests decided in the period, in days"
    view = data.request.view
    start, end = data.period.start, data.period.end
    records: list[dict[str, Any]] = []
    spans: list[int] = []
    for e in view.entities(include_archived=True):
        for item in view.raid(e.id, type="action"):
            gate = requested_gate(item)
            if gate is None or item.closed_on is None or not start <= item.closed_on <= end:
                continue
            if item.raised_on is None:
                records.append(
                    {
                        "kind": "raid",
                        "id": item.id,
                        "entity": e.id,
                        "gate": gate,
                        "counted": False,
                        "reason": "no raised_on date",
                    }
                )
                continue
            span = (item.closed_on - item.raised_on).days
            spans.append(span)
            records.append(
                {
                    "kind": "raid",
                    "id": item.id,
                    "entity": e.id,
                    "gate": gate,
                    "raised_on": item.raised_on.isoformat(),
                    "decided_on": item.closed_on.isoformat(),
                    "days": span,
                    "counted": True,
                }
            )
    if not spans:
        return _not_measured(
            "request_to_decision", formula, "days", "no gate request decided in the period", records
        )
    mean = (Decimal(sum(spans)) / len(spans)).quantize(_CENT, ROUND_HALF_UP)
    return Kpi(
        Metric(
            name="request_to_decision",
            value=mean,
            formula=formula,
            inputs={"requests": Decimal(len(spans)), "total_days": Decimal(sum(spans))},
            unit="days",
            source="gate requests (RAID actions) and decisions",
        ),
        None,
        records,
    )


def _money_kpi(
    name: str,
    formula: str,
    data: Data,
    parts: list[tuple[Decimal, str, dict[str, Any]]],
    empty: str,
    records: list[dict[str, Any]],
    source: str,
) -> Kpi:
    """Sum ``parts`` (amount, currency, record) in the report currency; not measured when
    there are none or one lacks a rate (never mixed)."""
    currency = data.period.currency
    if currency is None:
        return _not_measured(
            name, formula, "", "no report currency (give --option currency)", records
        )
    total = Decimal(0)
    missing: set[str] = set()
    for amount, cur, row in parts:
        converted, how = data.period.convert(amount, cur)
        row["in_report_currency"] = None if converted is None else str(converted)
        row["conversion"] = how
        if converted is None:
            missing.add(cur)
        else:
            total += converted
        records.append(row)
    if missing:
        return _not_measured(
            name,
            formula,
            currency,
            f"amounts in {', '.join(sorted(missing))} and no rate to {currency} "
            "(give --option rates=CODE:RATE)",
            records,
        )
    if not parts:
        return _not_measured(name, formula, currency, empty, records)
    return Kpi(
        Metric(
            name=name,
            value=total.quantize(_CENT, ROUND_HALF_UP),
            formula=formula,
            inputs={"amounts": Decimal(len(parts)), "currency": currency},
            unit=currency,
            source=source,
        ),
        None,
        records,
    )


def killed_budget_saved(data: Data) -> Kpi:
    formula = "sum over projects killed in the period of max(BAC - AC at the kill, 0)"
    parts: list[tuple[Decimal, str, dict[str, Any]]] = []
    records: list[dict[str, Any]] = []
    for p in data.killed:
        day = data.end_of(p)
        m = data.metrics(p, day)
        bac, ac = m.value("bac"), m.value("ac")
        row: dict[str, Any] = {
            "kind": "project",
            "id": p.id,
            "killed_on": day.isoformat(),
            "bac": None if bac is None else str(bac),
            "ac": None if ac is None else str(ac),
            "currency": m.currency,
        }
        if bac is None or ac is None:
            row["reason"] = m.note or "no BAC or AC at the kill"
            records.append(row)
            continue
        saved = max(bac - ac, Decimal(0))
        row["saved"] = str(saved)
        parts.append((saved, m.currency, row))
    return _money_kpi(
        "killed_budget_saved",
        formula,
        data,
        parts,
        "no project killed in the period",
        records,
        "metrics service at the kill",
    )


def _overrun(m: ProjectMetrics) -> Decimal | None:
    eac, bac = m.value("eac"), m.value("bac")
    if eac is None or bac is None:
        return None
    return max(eac - bac, Decimal(0))


def overrun_avoided(data: Data) -> Kpi:
    formula = (
        "sum of max(EAC - BAC, 0) at the kill of killed projects + "
        "(overrun at the period's start - overrun at its end) of recovered projects"
    )
    parts: list[tuple[Decimal, str, dict[str, Any]]] = []
    records: list[dict[str, Any]] = []
    for p in data.killed:
        day = data.end_of(p)
        m = data.metrics(p, day)
        overrun = _overrun(m)
        if overrun is None:
            records.append(
                {
                    "kind": "project",
                    "id": p.id,
                    "how": "killed",
                    "reason": m.note or "no EAC or BAC at the kill",
                }
            )
            continue
        parts.append(
            (
                overrun,
                m.currency,
                {
                    "kind": "project",
                    "id": p.id,
                    "how": "killed",
                    "on": day.isoformat(),
                    "eac": str(m.value("eac")),
                    "bac": str(m.value("bac")),
                    "avoided": str(overrun),
                    "currency": m.currency,
                },
            )
        )
    before = data.period.start - timedelta(days=1)
    for p in data.reviewed:
        if p.planned_start is not None and p.planned_start > before:
            continue  # no forecast before the period to recover from
        first = data.metrics(p, before)
        last = data.metrics(p, data.end_of(p))
        was, now = _overrun(first), _overrun(last)
        if was is None or now is None or was <= now or first.currency != last.currency:
            continue
        parts.append(
            (
                was - now,
                last.currency,
                {
                    "kind": "project",
                    "id": p.id,
                    "how": "recovered",
                    "from": before.isoformat(),
                    "to": data.end_of(p).isoformat(),
                    "overrun_before": str(was),
                    "overrun_after": str(now),
                    "avoided": str(was - now),
                    "currency": last.currency,
                },
            )
        )
    return _money_kpi(
        "overrun_avoided",
        formula,
        data,
        parts,
        "no overrun measured on a killed or recovered project"
        if records
        else "no killed or recovered project in the period",
        records,
        "metrics service (EAC, BAC)",
    )


def evidenced_value(saved: Kpi, avoided: Kpi, currency: str | None) -> Kpi:
    formula = "killed_budget_saved + overrun_avoided"
    values = {"killed_budget_saved": saved.metric.value, "overrun_avoided": avoided.metric.value}
    if saved.metric.value is None and avoided.metric.value is None:
        return _not_measured(
            "evidenced_value", formula, currency or "", f"{saved.reason}; {avoided.reason}"
        )
    blocking = [
        k
        for k, kpi in (("killed_budget_saved", saved), ("overrun_avoided", avoided))
        if kpi.reason is not None and kpi.reason.startswith("amounts in")
    ]
    if blocking:
        return _not_measured(
            "evidenced_value",
            formula,
            currency or "",
            f"{', '.join(blocking)} not measured: a currency has no rate",
        )
    total = sum((v for v in values.values() if v is not None), Decimal(0))
    return Kpi(
        Metric(
            name="evidenced_value",
            value=total,
            formula=formula,
            inputs=values,
            unit=currency or "",
            source="the two KPIs above (a missing one counts 0: nothing to evidence)",
        )
    )


def satisfaction(data: Data, responses: Sequence[SurveyResponse]) -> Kpi:
    formula = "mean(score) of the survey responses in the period"
    records = [
        {
            "kind": "survey_response",
            "id": r.id,
            "on": r.on.isoformat(),
            "group": r.group,
            "score": r.score,
        }
        for r in responses
    ]
    if not responses:
        return _not_measured(
            "satisfaction", formula, "score", "no survey response in the period (pmo survey record)"
        )
    overall = satisfaction_scores(responses, "all")[0]
    return Kpi(
        Metric(
            name="satisfaction",
            value=overall.mean,
            formula=formula,
            inputs={
                "responses": Decimal(overall.responses),
                "total_score": Decimal(sum(r.score for r in responses)),
            },
            unit="score",
            source="survey responses",
        ),
        None,
        records,
    )


def pmo_cost(data: Data, costs: Sequence[PmoCost]) -> Kpi:
    formula = "sum of each PMO cost x days it shares with the period / its days"
    start, end = data.period.start, data.period.end
    parts: list[tuple[Decimal, str, dict[str, Any]]] = []
    for c in costs:
        shared = (min(c.end, end) - max(c.start, start)).days + 1
        if shared <= 0:
            continue
        days = (c.end - c.start).days + 1
        share = (c.amount.amount * shared / days).quantize(_CENT, ROUND_HALF_UP)
        parts.append(
            (
                share,
                c.amount.currency,
                {
                    "kind": "pmo_cost",
                    "id": c.id,
                    "start": c.start.isoformat(),
                    "end": c.end.isoformat(),
                    "amount": str(c.amount.amount),
                    "currency": c.amount.currency,
                    "category": c.category,
                    "days_in_period": shared,
                    "days": days,
                    "share": str(share),
                },
            )
        )
    return _money_kpi(
        "pmo_cost",
        formula,
        data,
        parts,
        "no PMO cost recorded for the period (pmo office-cost add)",
        [],
        "PMO cost entries",
    )


def pmo_roi(value: Kpi, cost: Kpi) -> Kpi:
    formula = "evidenced_value / pmo_cost"
    if cost.metric.value is None:
        return _not_measured("pmo_roi", formula, "ratio", f"pmo_cost not measured: {cost.reason}")
    if value.metric.value is None:
        return _not_measured(
            "pmo_roi", formula, "ratio", f"evidenced_value not measured: {value.reason}"
        )
    if cost.metric.value == 0:
        return _not_measured("pmo_roi", formula, "ratio", "the PMO cost is zero")
    roi = (value.metric.value / cost.metric.value).quantize(_RATIO, ROUND_HALF_UP)
    return Kpi(
        Metric(
            name="pmo_roi",
            value=roi,
            formula=formula,
            inputs={"evidenced_value": value.metric.value, "pmo_cost": cost.metric.value},
            unit="ratio",
            source="evidenced_value and pmo_cost above",
        )
    )


def kpis(request: ReportRequest) -> tuple[Data, list[Kpi], list[SurveyResponse]]:
    """Every KPI of the report, in :data:`KPI_TITLES` order."""
    data = gather(request)
    view = request.view
    start, end = data.period.start, data.period.end
    responses = sorted(
        (r for r in view.records(SurveyResponse) if start <= r.on <= end),
        key=lambda r: (r.on, r.group, r.id),
    )
    costs = sorted(view.records(PmoCost), key=lambda c: (c.start, c.id))
    saved = killed_budget_saved(data)
    avoided = overrun_avoided(data)
    value = evidenced_value(saved, avoided, data.period.currency)
    cost = pmo_cost(data, costs)
    found = [
        on_time(data),
        on_budget(data),
        gate_compliance(data),
        status_on_time(data),
        forecast_error(data),
        request_to_decision(data),
        saved,
        avoided,
        value,
        satisfaction(data, responses),
        cost,
        pmo_roi(value, cost),
    ]
    return data, found, responses


# ------------------------------------------------------------------------------ output

_NOT_MEASURED = (Column("title", "KPI"), Column("reason", "Why not measured"))
_SATISFACTION = (
    Column("group", "Group", missing="all"),
    Column("period", "Month", missing="all"),
    Column("responses", "Responses", "int"),
    Column("mean", "Mean score", "index"),
)


def _tables(kpi_list: Sequence[Kpi], responses: Sequence[SurveyResponse]) -> list[Table]:
    metrics = metrics_table("kpis", "KPIs", [k.metric for k in kpi_list], labels=KPI_TITLES)
    missing = Table(
        "not_measured",
        "Not measured",
        _NOT_MEASURED,
        [
            {"title": KPI_TITLES[k.metric.name], "reason": k.reason}
            for k in kpi_list
            if not k.measured
        ],
        empty="Every KPI was measured.",
    )
    by_group = Table(
        "satisfaction_group",
        "Satisfaction per group",
        _SATISFACTION,
        [s.as_dict() | {"mean": s.mean} for s in satisfaction_scores(responses, "group")],
        empty="No survey responses.",
    )
    by_month = Table(
        "satisfaction_month",
        "Satisfaction per month",
        _SATISFACTION,
        [s.as_dict() | {"mean": s.mean} for s in satisfaction_scores(responses, "month")],
        empty="No survey responses.",
    )
    return [metrics, missing, by_group, by_month]


def render(request: ReportRequest) -> ReportOutput:
    """Render ``pmo-review`` for the whole PMO.

    Example::

        out = ws.report("pmo-review", format="json",
                        options={"from": "2026-01-01", "to": "2026-06-30"})
        json.loads(out.content)["kpis"][0]["metric"]["formula"]
    """
    data, found, responses = kpis(request)
    period = data.period
    metrics = [k.metric for k in found]
    if request.format == "json":
        document = {
            "report": "pmo-review",
            "scope": scope_json(request.scope),
            "as_of": request.status_date.isoformat(),
            "generated_by": GENERATED_BY,
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "currency": period.currency,
            "rates": {k: str(v) for k, v in sorted(period.rates.items())},
            "projects": {
                "reviewed": [p.id for p in data.reviewed],
                "killed": [p.id for p in data.killed],
            },
            "kpis": [k.as_dict() for k in found],
            "satisfaction": {
                by: [s.as_dict() for s in satisfaction_scores(responses, by)]
                for by in ("group", "month")
            },
        }
        return output("json", [], document, metrics)
    title = f"PMO review {period.start.isoformat()} to {period.end.isoformat()}"
    facts = (
        f"As of **{request.status_date.isoformat()}** · {len(data.reviewed)} projects reviewed, "
        f"{len(data.killed)} killed · money in {period.currency or 'n/a'}"
    )
    tables = _tables(found, responses)
    if request.format != "md":
        note = Paragraph(
            "Each KPI shows its formula and inputs; a KPI without data is not measured, "
            "with the reason, never 0. The JSON format lists the records behind each.",
            tone="note",
        )
        return rendered(
            request.format,
            tables=lambda: tables,
            html=lambda: page(
                title,
                [
                    Section("KPIs", [note, tables[0], tables[1]]),
                    Section("Stakeholder satisfaction", tables[2:]),
                ],
                subtitle=facts.replace("**", ""),
            ),
            status_date=request.status_date,
            metrics=metrics,
        )
    lines = [f"# {md_text(title)}", "", facts, ""]
    for table in tables:
        lines += [f"## {table.title}", "", *table.markdown(), ""]
    lines += [
        "Each KPI's records (the projects, decisions, reports and costs it was computed "
        "from) are in the JSON format.",
        "",
    ]
    return output("md", lines, {}, metrics)
