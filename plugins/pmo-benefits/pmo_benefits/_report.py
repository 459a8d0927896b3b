"""The ``benefits-realisation`` report: every benefit of a scope with its baseline, target,
plan and latest measurement on the status date, realisation against target and plan, and
whether it is at risk; in Markdown, JSON, HTML (with a chart per benefit), CSV and XLSX."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pmo_reports.kit import (
    MEDIA_TYPES,
    Chart,
    Column,
    Paragraph,
    Section,
    Table,
    line_chart,
    md_text,
    page,
    workbook,
)
from pydantic import ValidationError

from pmo_core import Benefit, InvalidInputError, Metric, ReportOutput, ReportRequest

from ._realisation import BenefitRiskSettings, Realisation, planned_value, realisation
from ._register import RULE, benefits, measurements, tracking_portfolio

REPORT = "benefits-realisation"
FORMATS = ("md", "json", "html", "csv", "xlsx")
_OPTIONS = ("at_risk_below", "dis_benefit_above", "measure_every_days")

COLUMNS = [
    Column("id", "ID"),
    Column("name", "Benefit"),
    Column("kind", "Kind"),
    Column("owner", "Owner", missing="—"),
    Column("measure", "Measure"),
    Column("unit", "Unit", missing="—"),
    Column("projects", "Projects", missing="—"),
    Column("baseline", "Baseline", "index", missing="—"),
    Column("target", "Target", "index", missing="—"),
    Column("target_on", "Target date", "date"),
    Column("measured_on", "Measured", "date", missing="not measured"),
    Column("actual", "Actual", "index", missing="—"),
    Column("planned", "Planned then", "index", missing="—"),
    Column("of_target", "% of target", "percent"),
    Column("of_plan", "% of plan", "percent"),
    Column("at_risk", "At risk", missing=""),
]


def report_settings(request: ReportRequest, benefit: Benefit | None = None) -> BenefitRiskSettings:
    """The thresholds the report applies to ``benefit``: those the rule ``benefit-at-risk``
    sees for the portfolio that tracks it (else for the report's scope: its defaults, the
    governance model's ``rule_settings``, ``[governance.rules.benefit-at-risk]`` in
    ``pmo.toml``), then the report's options ``at_risk_below``, ``dis_benefit_above`` and
    ``measure_every_days`` (``--option at_risk_below=90``).

    Example::

        report_settings(request, benefit).at_risk_below  # Decimal("80")
    """
    data: dict[str, Any] = {}
    key = tracking_portfolio(request.view, benefit) if benefit is not None else None
    if key is None:
        key = request.scope.id if request.scope is not None else None
    if key is not None and request.rule_settings is not None:
        found = request.rule_settings(RULE, key)
        if isinstance(found, BenefitRiskSettings):
            data.update(found.model_dump())
    elif request.scope is not None and request.governance_model is not None:
        model = request.governance_model(request.scope)  # a request made by hand
        if model is not None:
            data.update(model.rule_settings.get(RULE, {}))
    for name, value in request.options.items():
        if name not in _OPTIONS:
            raise InvalidInputError(
                f"unknown option {name!r} of {REPORT}; expected one of {', '.join(_OPTIONS)}",
                where="--option",
            )
        data[name] = value
    try:
        return BenefitRiskSettings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        raise InvalidInputError(f"{field}: {error['msg']}", where="--option") from None


def _number(value: Decimal | None) -> Decimal | None:
    # Values of a measure in any unit: shown as given, the plan to four places.
    return None if value is None else value.quantize(Decimal("0.0001")).normalize()


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def realisations(request: ReportRequest) -> list[Realisation]:
    """The realisation of every benefit of the report's scope on its status date.

    Example::

        [r.at_risk for r in realisations(request)]
    """
    view = request.view
    scope = request.scope.id if request.scope is not None else None
    return [
        realisation(b, measurements(view, b.id), request.status_date, report_settings(request, b))
        for b in benefits(view, scope=scope)
    ]


def _row(r: Realisation) -> dict[str, Any]:
    b = r.benefit
    return {
        "id": b.id,
        "name": b.name,
        "kind": "dis-benefit" if b.dis_benefit else "benefit",
        "owner": b.owned_by,
        "measure": b.measure,
        "unit": b.unit,
        "projects": ", ".join(b.projects),
        "baseline": b.baseline,
        "target": b.target,
        "target_on": b.target_on,
        "measured_on": r.measured_on,
        "actual": r.actual,
        "planned": _number(r.planned),
        "of_target": _pct(r.of_target),
        "of_plan": _pct(r.of_plan),
        "at_risk": "at risk" if r.at_risk else "",
    }


def _json_row(r: Realisation) -> dict[str, Any]:
    b = r.benefit
    return {
        "id": b.id,
        "name": b.name,
        "dis_benefit": b.dis_benefit,
        "owned_by": b.owned_by,
        "measure": b.measure,
        "unit": b.unit,
        "portfolio": b.portfolio,
        "projects": list(b.projects),
        "objectives": list(b.objectives),
        "baseline": str(b.baseline),
        "baseline_on": b.baseline_on.isoformat(),
        "target": str(b.target),
        "target_on": b.target_on.isoformat(),
        "measured_on": r.measured_on.isoformat() if r.measured_on else None,
        "actual": None if r.actual is None else str(r.actual),
        "planned": None if r.planned is None else format(_number(r.planned), "f"),
        "of_target": None if r.of_target is None else str(_pct(r.of_target)),
        "of_plan": None if r.of_plan is None else str(_pct(r.of_plan)),
        "at_risk": r.at_risk,
        "reason": r.reason,
    }


def _metric(found: list[Realisation], settings: BenefitRiskSettings) -> Metric:
    measured = [r for r in found if r.of_plan is not None]
    at_risk = [r for r in found if r.at_risk]
    share = Decimal(len(at_risk)) / Decimal(len(measured)) if measured else None
    return Metric(
        name="benefits-at-risk",
        value=share,
        formula="benefits at risk / benefits measured against a plan",
        inputs={"at_risk": Decimal(len(at_risk)), "measured": Decimal(len(measured))},
        thresholds={
            "at_risk_below": f"{settings.at_risk_below} % of plan",
            "dis_benefit_above": f"{settings.dis_benefit_above} % of plan",
        },
        rag=None if share is None else "green" if not at_risk else "red",
    )


def _chart(request: ReportRequest, r: Realisation) -> Chart:
    b = r.benefit
    days = sorted({b.baseline_on, *(p.on for p in b.profile), b.target_on})
    plan = [(d, planned_value(b, d)) for d in days]
    actual = [(m.on, m.value) for m in measurements(request.view, b.id)]
    return line_chart(
        f"{b.name}: plan and measurements",
        {"Plan": plan, "Measured": actual},
        alt=f"The planned and measured {b.measure} of {b.name} over time",
        y_title=b.unit,
        marker=request.status_date,
    )


def render(request: ReportRequest) -> ReportOutput:
    """Render the ``benefits-realisation`` report in the format asked for.

    Example::

        ws.report("benefits-realisation", "PF", format="json").content
    """
    settings = report_settings(request)
    found = realisations(request)
    metric = _metric(found, settings)
    scope = request.scope
    title = "Benefits realisation: " + (f"{scope.id} — {scope.name}" if scope else "the PMO")
    table = Table("benefits", "Benefits", COLUMNS, [_row(r) for r in found], empty="No benefits.")
    fmt = request.format
    note = (
        f"Realisation % of target is (actual - baseline) / (target - baseline); % of plan is "
        f"(actual - baseline) / (planned - baseline) on the day measured. A benefit is at risk "
        f"below {settings.at_risk_below} % of plan, a dis-benefit above "
        f"{settings.dis_benefit_above} %. As of {request.status_date.isoformat()}."
    )
    content: str | bytes
    if fmt == "md":
        at_risk = sum(r.at_risk for r in found)
        lines = ["# " + md_text(title), "", f"{len(found)} benefits, {at_risk} at risk.", ""]
        content = "\n".join([*lines, *table.markdown(), "", md_text(note)]) + "\n"
    elif fmt == "json":
        data: Mapping[str, Any] = {
            "report": REPORT,
            "scope": scope.id if scope else None,
            "status_date": request.status_date.isoformat(),
            "settings": {
                k: None if v is None else str(v) for k, v in settings.model_dump().items()
            },
            "benefits": [_json_row(r) for r in found],
            "metrics": [metric.model_dump(mode="json")],
        }
        content = json.dumps(data, indent=2, ensure_ascii=False)
    elif fmt == "csv":
        content = table.csv()
    elif fmt == "xlsx":
        content = workbook([table], created=request.status_date)
    else:
        charts = [_chart(request, r) for r in found]
        sections = [Section("Benefits", [table, Paragraph(note)])]
        if charts:
            sections.append(Section("Plan and measurements", charts))
        content = page(title, sections, subtitle=f"As of {request.status_date.isoformat()}")
    return ReportOutput(content=content, media_type=MEDIA_TYPES[fmt], metrics=(metric,))
