"""The metrics service: one project's earned value, earned schedule and current-plan figures
on a status date, every one a :class:`~pmo_core.Metric` with its lineage.

Reports, governance rules (the cost tolerance), ``pmo metrics`` and exports all read this one
service, so a figure is computed once and the same everywhere. What it is computed from is
:mod:`pmo_core._metrics_basis`; the roll-up over a scope is :mod:`pmo_core._metrics_scope`.
See ``sdk_docs/concepts/metrics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ._config import MetricsTable
from ._domain import Entity
from ._earned_schedule import EarnedSchedule
from ._evm import EarnedValue, EvInputs, built_metric, earned_value, worst
from ._metrics_basis import Basis, read_basis
from ._metrics_plan import cents, plan_metrics, schedule_metrics, undefined_like
from ._metrics_series import Period, SeriesPoint, time_phased
from ._records import Metric
from ._view import WorkspaceView

__all__ = ["OVERALL_FORMULA", "ProjectMetrics", "measure_project"]

RagName = Literal["green", "amber", "red"]

#: The formula of the ``overall`` metric.
OVERALL_FORMULA = "worst(schedule colour from SPI, cost colour from CPI)"
_ZERO = Decimal(0)


@dataclass(frozen=True)
class ProjectMetrics:
    """The measured figures of one project (or the totals of a scope) on a status date.

    ``metrics`` holds every figure as a :class:`~pmo_core.Metric` with its formula, inputs,
    source and colour: the earned-value figures (``bac pv ev ac sv cv sv_pct cv_pct spi cpi
    eac`` and the variants ``eac_bottom_up eac_cpi eac_atypical eac_cpi_spi``, ``etc vac
    tcpi_bac tcpi_eac``), ``overall``, the current plan beside the basis (``bac_current
    pv_current bac_variance pv_variance finish_variance unbaselined_budget``) and earned
    schedule (``es at sv_t spi_t pd ieac_t``). ``basis`` says what BAC, PV and EV are measured
    against (the baseline in force, or the current plan). ``ev`` is ``None`` when the figures
    could not be measured: ``note`` says why. ``unbaselined`` lists the work items outside
    the baseline in force (``(id, subject, budget)``), ``removed`` the baselined ones no
    longer planned, ``conflicts`` what was left out for being in another currency.
    ``series`` is the time-phased table when it was asked for.

    Example::

        m = measure_project(ws.view(), "ALPHA")
        m.basis, m.value("spi"), m.metric("eac").formula, m.overall
    """

    key: str | None
    currency: str
    status_date: date
    basis: str
    metrics: tuple[Metric, ...]
    ev: EarnedValue | None = None
    earned_schedule: EarnedSchedule | None = None
    note: str = ""
    work_items: int = 0
    baseline: int | None = None
    unbaselined: tuple[tuple[str, str, Decimal | None], ...] = ()
    removed: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    series: tuple[SeriesPoint, ...] | None = None
    bases: tuple[Basis, ...] = field(default=(), repr=False, compare=False)

    def metric(self, name: str) -> Metric:
        """The metric called ``name``; ``KeyError`` if there is none.

        Example::

            m.metric("eac").inputs["variant"]  # 'bottom_up'
        """
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    def value(self, name: str) -> Decimal | None:
        """The published value of the metric called ``name`` (``None``: undefined).

        Example::

            m.value("cpi")  # Decimal('0.9443')
        """
        return self.metric(name).value

    @property
    def measured(self) -> bool:
        """Whether earned value could be measured (see ``note`` when not).

        Example::

            m.measured  # True
        """
        return self.ev is not None

    @property
    def schedule(self) -> RagName | None:
        """The schedule colour: SPI's.

        Example::

            m.schedule  # 'red'
        """
        return self.metric("spi").rag

    @property
    def cost(self) -> RagName | None:
        """The cost colour: CPI's.

        Example::

            m.cost  # 'amber'
        """
        return self.metric("cpi").rag

    @property
    def overall(self) -> RagName | None:
        """The overall colour: the worst of schedule and cost.

        Example::

            m.overall  # 'red'
        """
        return self.metric("overall").rag

    def lineage(self) -> dict[str, Any]:
        """What the figures were measured from, JSON-able: the basis, the baseline, the
        unbaselined and removed work items, conflicts and the earned schedule's dates.

        Example::

            m.lineage()["basis"]
            # 'baseline 1 of 2025-03-31 (the latest on or before 2025-03-31)'
        """
        schedule = self.earned_schedule
        return {
            "basis": self.basis,
            "baseline": self.baseline,
            "status_date": self.status_date.isoformat(),
            "measured": self.measured,
            "note": self.note or None,
            "unbaselined": [
                {"id": i, "subject": s, "budget": None if b is None else str(b)}
                for i, s, b in self.unbaselined
            ],
            "removed": list(self.removed),
            "conflicts": list(self.conflicts),
            "forecast_finish": (
                schedule.finish.isoformat() if schedule and schedule.finish else None
            ),
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-able, as ``pmo metrics --json`` prints it: the lineage, every
        metric (Decimals as strings) and the series when there is one.

        Example::

            json.dumps(m.as_dict())
        """
        out = {
            "key": self.key,
            "currency": self.currency,
            **self.lineage(),
            "metrics": [m.model_dump(mode="json") for m in self.metrics],
        }
        if self.series is not None:
            out["series"] = [
                {
                    "period_end": p.period_end.isoformat(),
                    **{k: None if v is None else str(v) for k, v in p._asdict().items()},
                }
                for p in self.series
            ]
        return out


# ------------------------------------------------------------------------------ helpers


def overall_metric(ev: EarnedValue | None, reason: str = "") -> Metric:
    """The ``overall`` metric: the worst of the SPI and CPI colours, with both as inputs."""
    if ev is None:
        return built_metric(
            name="overall",
            value=None,
            formula=OVERALL_FORMULA,
            unit="rag",
            source=f"undefined: {reason}",
        )
    spi, cpi = ev.metric("spi"), ev.metric("cpi")
    return built_metric(
        name="overall",
        value=None,
        formula=OVERALL_FORMULA,
        inputs={"SPI": spi.value, "CPI": cpi.value, "schedule": spi.rag, "cost": cpi.rag},
        thresholds=dict(spi.thresholds),
        rag=worst(spi.rag, cpi.rag),
        unit="rag",
        source=spi.source,
    )


def _shapes(currency: str, rule: tuple[str, ...]) -> tuple[Metric, ...]:
    zero = Decimal(0)
    return earned_value(EvInputs(zero, zero, zero, zero, date.min, currency), eac_rule=rule).metrics


# ------------------------------------------------------------------------------ measure


def measure_basis(basis: Basis, rule: tuple[str, ...]) -> ProjectMetrics:
    """The figures of one project from what :func:`read_basis` read."""
    project, on, currency = basis.project, basis.status_date, basis.project.currency
    key = project.id
    n = len(basis.items)
    baselined = basis.baseline is not None
    unbaselined = basis.unbaselined
    subjects = basis.subjects(i.id for i in unbaselined)
    common: dict[str, Any] = {
        "key": key,
        "currency": currency,
        "status_date": on,
        "basis": basis.basis,
        "work_items": n,
        "baseline": basis.baseline.number if basis.baseline is not None else None,
        "unbaselined": tuple((i.id, subjects[i.id], i.budget) for i in unbaselined),
        "removed": basis.removed,
        "bases": (basis,),
    }
    forecast = basis.forecast
    bottom_up = (
        forecast.eac.amount if forecast is not None and not basis.forecast_conflict else None
    )
    reason = basis.item_conflict
    if not reason and not baselined and not basis.current:
        reason = "no work items" if n == 0 else "no work item has a budget"
    ev = None if reason else basis.ev(on)
    if not reason and ev is None:
        reason = (
            f"baseline {basis.baseline.number if basis.baseline else ''} has no item costs "
            "and no work item has a budget to weigh progress by"
        )
    ac, ac_source, from_items = basis.ac(on)
    if not reason and not from_items and basis.entry_conflict:
        reason = basis.entry_conflict
    common["conflicts"] = basis.conflicts  # the cost entries' once they were read
    plan_source = f"current plan: {len(basis.current)} budgeted work items of {key}"
    if reason:
        return _unmeasured(basis, reason, bottom_up, rule, common)
    assert ev is not None
    bac, pv = basis.bac(), basis.pv(on)
    inputs = EvInputs(
        bac=bac, pv=pv, ev=ev, ac=ac, status_date=on, currency=currency, eac_bottom_up=bottom_up
    )
    lines = "whole baseline" if basis.whole is not None else f"{len(basis.lines)} work items"
    what = f"basis: {basis.basis}; {lines} of {key}"
    if unbaselined:
        what += f"; {len(unbaselined)} unbaselined work items left out (current plan only)"
    if basis.removed:
        what += f"; {len(basis.removed)} removed since the baseline, still in it"
    sources = {"bac": what, "pv": what, "ev": what, "ac": ac_source}
    if bottom_up is not None and forecast is not None:
        sources["eac_bottom_up"] = f"forecast of {key} of {forecast.as_of}"
    result = earned_value(inputs, eac_rule=rule, source=f"basis: {basis.basis}", sources=sources)
    metrics = list(result.metrics)
    metrics.append(overall_metric(result))
    bac_current, pv_current = basis.bac_current(), basis.pv_current(on)
    metrics += plan_metrics(
        basis.basis,
        bac,
        pv,
        bac_current,
        pv_current,
        currency,
        baselined=baselined,
        finish=basis.finish(),
        finish_current=basis.finish_current(),
        unbaselined=sum((i.budget or _ZERO for i in unbaselined), _ZERO),
        source=plan_source,
    )
    schedule, timed = schedule_metrics(basis, inputs.ev, on, "")
    metrics += timed
    return ProjectMetrics(metrics=tuple(metrics), ev=result, earned_schedule=schedule, **common)


def _unmeasured(
    basis: Basis,
    reason: str,
    bottom_up: Decimal | None,
    rule: tuple[str, ...],
    common: dict[str, Any],
) -> ProjectMetrics:
    project, currency = basis.project, basis.project.currency
    budget = project.budget.amount if project.budget is not None else None
    metrics: list[Metric] = []
    eac = bottom_up if "bottom_up" in rule else None
    for shape in undefined_like(_shapes(currency, rule), reason):
        if shape.name == "bac":
            shape = built_metric(
                name="bac",
                value=budget,
                formula="project budget",
                inputs={"budget": budget},
                unit=currency,
                source=f"project {project.id} ({reason})",
            )
        elif shape.name == "eac" and eac is not None:
            # A forecast is an estimate at completion whatever earned value can say.
            shape = shape.model_copy(
                update={
                    "value": cents(eac),
                    "formula": "EAC_bottom_up",
                    "inputs": {"variant": "bottom_up", "EAC_bottom_up": eac},
                    "source": f"forecast of {project.id}; earned value undefined: {reason}",
                }
            )
        metrics.append(shape)
    if bottom_up is not None:
        forecast = basis.forecast
        assert forecast is not None
        metrics.insert(
            [m.name for m in metrics].index("eac_atypical"),
            built_metric(
                name="eac_bottom_up",
                value=cents(bottom_up),
                formula="EAC_bottom_up",
                inputs={"EAC_bottom_up": bottom_up},
                unit=currency,
                source=f"forecast of {project.id} of {forecast.as_of}",
            ),
        )
    metrics.append(overall_metric(None, reason))
    metrics += undefined_like(
        tuple(plan_metrics(basis.basis, None, None, None, None, currency, baselined=False)),
        reason,
    )
    metrics += schedule_metrics(None, None, basis.status_date, reason)[1]
    return ProjectMetrics(metrics=tuple(metrics), note=reason, **common)


def measure_project(
    view: WorkspaceView,
    project: Entity | str,
    *,
    status_date: date | None = None,
    series: Period | None = None,
    config: MetricsTable | None = None,
) -> ProjectMetrics:
    """Measure ``project`` on ``status_date`` (default: the view's), as the view knows it.

    BAC, PV and EV are measured against the baseline in force (``[metrics] baseline``: the
    latest taken on or before the status date, or a given number), each work item earning
    by its ``ev_method`` on its baselined cost; without a baseline, against the current plan,
    and every figure's lineage says so. Progress and actual cost are each work item's last
    :class:`~pmo_core.ProgressPoint` on or before the status date; AC comes from the work
    items when any carries an actual cost then, else from the cost entries incurred by then.
    The headline EAC is the first defined variant of ``[metrics] eac`` (default: the latest
    forecast, else BAC / CPI). ``series`` (``"week"`` or ``"month"``) adds the time-phased
    series. ``config`` overrides the view's ``[metrics]`` settings.

    Example::

        m = measure_project(ws.view(), "ALPHA", status_date=date(2025, 3, 31))
        m.basis
        # 'baseline 1 of 2025-03-31 (the latest on or before 2025-03-31)'
        m.value("eac"), m.metric("eac").inputs["variant"]
    """
    config = config or view.metrics_config or MetricsTable()
    entity = view.entity(project) if isinstance(project, str) else project
    on = status_date or view.status_date
    basis = read_basis(view, entity, on, config)
    measured = measure_basis(basis, tuple(config.eac))
    if series is None:
        return measured
    return replace(measured, series=time_phased(measured.bases, on, series))
