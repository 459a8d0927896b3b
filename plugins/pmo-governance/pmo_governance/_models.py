"""The three governance models: supportive, controlling and directive."""

from __future__ import annotations

from decimal import Decimal

from pmo_core import PmoGovernanceModel

SUPPORTIVE = PmoGovernanceModel(
    name="supportive",
    summary="Supportive PMO: every rule advises; templates and coaching, no enforcement.",
    default_level="advise",
    cadence_days={1: 30, 2: 60, 3: 90},
    approvers=("sponsor",),
    quorum=1,
    escalate_to="sponsor",
)
"""The supportive model: every rule is advice, the sponsor alone approves gates.

Example::

    SUPPORTIVE.level_for(rule)  # 'advise', whatever the rule's own level
    SUPPORTIVE.cadence_for(1)   # 30
"""

CONTROLLING = PmoGovernanceModel(
    name="controlling",
    summary="Controlling PMO: compliance with the methodology is required (warn / block).",
    rule_levels={
        "sponsor-and-business-case": "block",
        "baseline-before-execution": "block",
        "status-cadence": "warn",
        "high-risks-owned": "warn",
        "tolerance-forecast": "warn",
        "phase-reached-by-gate": "warn",
    },
    cadence_days={1: 14, 2: 30, 3: 60},
    approvers=("sponsor", "pmo"),
    quorum=2,
    tolerances={"cost": Decimal("0.10"), "schedule": Decimal("0.10")},
    escalate_to="sponsor",
)
"""The controlling model: the methodology's rules warn or block; sponsor and PMO approve.

Rules it does not name (a third party's) keep their own level.

Example::

    CONTROLLING.level_for(baseline_rule)  # 'block'
    CONTROLLING.tolerances["cost"]        # Decimal('0.10')
"""

DIRECTIVE = PmoGovernanceModel(
    name="directive",
    summary="Directive PMO: every rule blocks; the PMO approves every gate.",
    default_level="block",
    cadence_days={1: 7, 2: 14, 3: 30},
    approvers=("sponsor", "pmo"),
    quorum=2,
    tolerances={"cost": Decimal("0.05"), "schedule": Decimal("0.05")},
    escalate_to="pmo",
    pmo_approves_gates=True,
)
"""The directive model: every rule blocks, tight tolerances, the PMO among gate approvers.

Example::

    DIRECTIVE.level_for(rule)       # 'block'
    DIRECTIVE.pmo_approves_gates    # True
"""

MODELS: tuple[PmoGovernanceModel, ...] = (SUPPORTIVE, CONTROLLING, DIRECTIVE)
"""Every model this plugin registers, from the lightest to the strictest."""
