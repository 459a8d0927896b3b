"""pmo-benefits: benefits management for pmo-core.

A plugin for pmo-core (plugin id ``benefits``). The benefits register holds each benefit (or
dis-benefit) as a core :class:`~pmo_core.Benefit` record: its owner, measure and unit,
baseline and target with their dates and the planned profile in between, the projects that
enable it and the objectives it serves. :class:`~pmo_core.BenefitMeasurement` records hold
its measurements over time. Neither belongs to a project, so the benefits of a closed
project stay tracked: measured, reported and flagged.

Realisation is ``(actual - baseline) / (target - baseline)`` against the target and
``(actual - baseline) / (planned - baseline)`` against the plan on the day measured
(:func:`realisation`). The rule ``benefit-at-risk``, checked on portfolios, flags a benefit
below ``at_risk_below`` % of its plan and a dis-benefit above ``dis_benefit_above`` %
(:class:`BenefitRiskSettings`). :func:`update_benefit` changes a benefit and
:func:`remove_benefit` removes one (with its measurements only when forced).
``pmo benefit add|list|show|measure|update|remove`` works the register and
the report ``benefits-realisation`` shows it in Markdown, JSON, HTML, CSV and XLSX.

Example::

    from datetime import date

    import pmo_benefits
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"benefits": pmo_benefits}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        b = pmo_benefits.add_benefit(ws, "Cheaper invoices", measure="Cost per invoice",
                                     unit="EUR", baseline=12, target=8,
                                     baseline_on=date(2026, 1, 1),
                                     target_on=date(2026, 12, 31), portfolio="PF")
        pmo_benefits.record_measurement(ws, b.id, 11, on=date(2026, 6, 30))
        pmo_benefits.benefit_realisation(ws, b.id, date(2026, 7, 1)).of_target  # 25
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import (
    PmoCommand,
    PmoGovernanceRule,
    PmoReport,
    ReportOutput,
    ReportRequest,
    hookimpl,
)

from ._realisation import (
    BenefitRiskSettings,
    Realisation,
    latest_measurement,
    planned_value,
    realisation,
)
from ._register import (
    RULE,
    UPDATABLE,
    RemovedBenefit,
    add_benefit,
    benefit_realisation,
    benefits,
    find_benefit,
    measurements,
    record_measurement,
    remove_benefit,
    risk_settings,
    tracking_portfolio,
    update_benefit,
)
from ._rule import BENEFIT_AT_RISK_RULE, check_benefits

REPORT = "benefits-realisation"

__all__ = [
    "BENEFIT_AT_RISK_RULE",
    "REPORT",
    "RULE",
    "UPDATABLE",
    "BenefitRiskSettings",
    "Realisation",
    "RemovedBenefit",
    "add_benefit",
    "benefit_realisation",
    "benefits",
    "check_benefits",
    "find_benefit",
    "latest_measurement",
    "measurements",
    "planned_value",
    "pmo_cli_commands",
    "pmo_governance_rules",
    "pmo_reports",
    "realisation",
    "record_measurement",
    "remove_benefit",
    "risk_settings",
    "tracking_portfolio",
    "update_benefit",
]


def _render(request: ReportRequest) -> ReportOutput:
    # The report kit (and its chart renderer) loads only when a report is rendered.
    from ._report import render

    return render(request)


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    """Register the rule ``benefit-at-risk``: a portfolio's benefit short of its plan, or
    dis-benefit past it, is a finding.

    Example::

        [f.message for f in ws.check("PF") if f.rule == "benefit-at-risk" and not f.passed]
    """
    yield BENEFIT_AT_RISK_RULE


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register the report ``benefits-realisation`` (md, json, html, csv, xlsx).

    Example::

        ws.report("benefits-realisation", "PF", format="html").content
    """
    yield PmoReport(
        name=REPORT,
        summary="Benefits and dis-benefits: realisation against target and plan, at risk.",
        scopes=("portfolio", "program", "project", "pmo"),
        formats=("md", "json", "html", "csv", "xlsx"),
        render=_render,
        options={
            "at_risk_below": "A benefit below this % of its planned change is at risk (80).",
            "dis_benefit_above": "A dis-benefit above this % of its plan is at risk (120).",
            "measure_every_days": "A benefit not measured for this many days is at risk (off).",
        },
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo benefit`` (add, list, show, measure, update, remove).

    Example::

        $ pmo benefit list --under PF --at-risk
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_benefits`.
    from ._cli import benefit

    yield PmoCommand(
        name="benefit",
        summary="The benefits register: benefits, measurements, realisation, at risk.",
        command=benefit,
    )
