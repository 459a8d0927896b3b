"""pmo-governance's models and rules against the testing kit's conformance suites."""

import pmo_governance

from pmo_core.testing import GovernanceModelConformance, GovernanceRuleConformance


class TestGovernanceRules(GovernanceRuleConformance):
    plugin = pmo_governance
    rules = (
        "sponsor-and-business-case",
        "status-cadence",
        "baseline-before-execution",
        "high-risks-owned",
        "tolerance-forecast",
        "changes-approved",
        "phase-reached-by-gate",
        "methodology-tailored",
        "reported-colours-honest",
        "reported-colours-overridden",
    )


class TestGovernanceModels(GovernanceModelConformance):
    plugin = pmo_governance
    models = ("supportive", "controlling", "directive")
