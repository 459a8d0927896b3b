"""The governance rule ``benefit-at-risk``: a benefit of a portfolio whose latest measurement
is short of its plan (or a dis-benefit grown past it) is a finding of the portfolio.

The rule is checked on portfolios, not on projects: the core stops governing a closed or
killed project, but the benefits it enabled are realised after it closed, so the portfolio
keeps flagging them."""

from __future__ import annotations

from pmo_core import PmoGovernanceRule, RuleContext

from ._realisation import BenefitRiskSettings, realisation
from ._register import RULE, benefits, measurements


def check_benefits(ctx: RuleContext) -> str | None:
    """Every benefit of the portfolio is realised at or above ``at_risk_below`` % of its plan
    on the day it was last measured, and every dis-benefit at or below ``dis_benefit_above`` %.
    A benefit not measured yet, or whose plan has not moved yet, is not at risk, unless
    ``measure_every_days`` is set and its last measurement (or baseline) is older.

    Example::

        check_benefits(ctx)  # "Cheaper invoices (3f2a9c01be77): realised 50.0 % of ..."
    """
    settings = ctx.settings_as(BenefitRiskSettings)
    found = []
    for benefit in benefits(ctx.view, scope=ctx.entity.id):
        result = realisation(benefit, measurements(ctx.view, benefit.id), ctx.today, settings)
        if result.at_risk:
            found.append(f"{benefit.name} ({benefit.id}): {result.reason}")
    return "; ".join(found) or None


BENEFIT_AT_RISK_RULE = PmoGovernanceRule(
    name=RULE,
    summary="Every benefit of a portfolio is realised as planned (dis-benefits within plan).",
    level="warn",
    scopes=("portfolio",),
    settings=BenefitRiskSettings,
    check=check_benefits,
)
"""The ``benefit-at-risk`` governance rule (own level ``warn``: advice under a supportive
model, a warning under a controlling one, a block under a directive one); thresholds from
:class:`BenefitRiskSettings` (``[governance.rules.benefit-at-risk]`` in ``pmo.toml``).

Example::

    BENEFIT_AT_RISK_RULE.check(ctx)  # "Cheaper invoices (3f2a...): realised 50.0 % ..."
"""
