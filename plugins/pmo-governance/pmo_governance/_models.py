"""The three governance models: supportive, controlling and directive.

They differ where the PMO types differ: a supportive PMO advises (nothing blocks, the sponsor
decides, changes are recorded), a controlling PMO requires compliance (deviations pass only
with a waiver the PMO grants, baselined changes go through change requests, the sponsor and
the PMO approve gates), a directive PMO takes control (every rule blocks, the PMO is among
the approvers of every decision, a large change goes to the portfolio board).
"""

from __future__ import annotations

from decimal import Decimal

from pmo_core import ApprovalRule, PmoGovernanceModel


def _rule(
    *roles: str,
    quorum: int = 1,
    required: tuple[str, ...] = (),
    not_requester: bool = False,
    at_least: Decimal = Decimal(0),
) -> ApprovalRule:
    return ApprovalRule(
        roles=roles,
        quorum=quorum,
        required=required,
        not_requester=not_requester,
        at_least=at_least,
    )


# A watermelon warns and an override with a reason is a note under every model, the
# directive one included: a status report is the reporter's word, and blocking a gate on it
# would push reporters to report the figures' colour whatever they know.
_COLOURS = {"reported-colours-honest": "warn", "reported-colours-overridden": "advise"}

_LIFECYCLE_DECISIONS = ("go", "kill", "hold", "recycle", "resume", "close", "reopen")
_SPONSOR = _rule("sponsor")
_SPONSOR_AND_PMO = _rule("sponsor", "pmo", quorum=2, required=("sponsor", "pmo"))

SUPPORTIVE = PmoGovernanceModel(
    name="supportive",
    summary="Supportive PMO: every rule advises; templates and coaching, no enforcement.",
    default_level="advise",
    cadence_days={1: 30, 2: 60, 3: 90},
    approvals=dict.fromkeys(
        ("go", "kill", "hold", "recycle", "resume", "close", "reopen"), _SPONSOR
    )
    | {
        "waiver": _SPONSOR,
        "change": _rule("manager", "sponsor"),
        "artifact": _rule("manager", "sponsor"),
    },
    deviations="advise",
    change_control="record",
    escalate_to="sponsor",
)
"""The supportive model: every rule and every must criterion is advice, never a block; the
sponsor decides; changes to the baseline are recorded and flagged, not requested.

Example::

    SUPPORTIVE.level_for(rule)               # 'advise', whatever the rule's own level
    SUPPORTIVE.approval_rule("go").roles     # ('sponsor',)
"""

CONTROLLING = PmoGovernanceModel(
    name="controlling",
    summary="Controlling PMO: compliance is required; deviations pass only with a waiver.",
    rule_levels={
        "sponsor-and-business-case": "block",
        "baseline-before-execution": "block",
        "changes-approved": "warn",
        "status-cadence": "warn",
        "high-risks-owned": "warn",
        "tolerance-forecast": "warn",
        "phase-reached-by-gate": "warn",
        "methodology-tailored": "warn",
        **_COLOURS,
    },
    cadence_days={1: 14, 2: 30, 3: 60},
    approvals={
        "go": _SPONSOR_AND_PMO,
        "kill": _SPONSOR,
        "hold": _SPONSOR,
        "recycle": _SPONSOR,
        "resume": _SPONSOR,
        "close": _SPONSOR_AND_PMO,
        "reopen": _SPONSOR_AND_PMO,
        "waiver": _rule("pmo", not_requester=True),
        "change": (
            _rule("manager", "sponsor", not_requester=True),
            _rule("sponsor", at_least=Decimal("0.05"), not_requester=True),
            _rule(
                "sponsor",
                "pmo",
                quorum=2,
                required=("sponsor", "pmo"),
                at_least=Decimal("0.10"),
                not_requester=True,
            ),
        ),
        "artifact": _rule("sponsor", "pmo", not_requester=True),
    },
    deviations="waiver",
    change_control="request",
    tolerances={
        "project": {
            "time": Decimal("0.10"),
            "cost": Decimal("0.10"),
            "scope": Decimal("0.20"),
            "risk": Decimal(20),
        },
        "program": {"time": Decimal("0.10"), "cost": Decimal("0.05")},
    },
    escalate_to="sponsor",
)
"""The controlling model: the methodology's rules warn or block (a watermelon warns, an
override with a reason is a note), and a deviation passes only
with a recorded waiver the PMO grants; the sponsor and the PMO approve gates; a baselined
budget or date changes through a change request, approved by size (under 5 % the manager,
5-10 % the sponsor, above 10 % the sponsor and the PMO), never by its requester.

Example::

    CONTROLLING.level_for(baseline_rule)              # 'block'
    CONTROLLING.approval_rule("change", Decimal("0.07")).roles  # ('sponsor',)
"""

_PMO_LEADS = _rule("pmo", "sponsor", "portfolio-board", quorum=2, required=("pmo",))

DIRECTIVE = PmoGovernanceModel(
    name="directive",
    summary="Directive PMO: every rule blocks; the PMO approves every decision.",
    default_level="block",
    rule_levels=_COLOURS,
    cadence_days={1: 7, 2: 14, 3: 30},
    approvals={
        "go": _SPONSOR_AND_PMO,
        "kill": _PMO_LEADS,
        "hold": _PMO_LEADS,
        "recycle": _PMO_LEADS,
        "resume": _PMO_LEADS,
        "close": _SPONSOR_AND_PMO,
        "reopen": _rule(
            "portfolio-board",
            "pmo",
            quorum=2,
            required=("portfolio-board", "pmo"),
            not_requester=True,
        ),
        "waiver": _rule(
            "pmo", "sponsor", quorum=2, required=("pmo", "sponsor"), not_requester=True
        ),
        "change": (
            _rule("pmo", "sponsor", required=("pmo",), not_requester=True),
            _rule(
                "sponsor",
                "pmo",
                quorum=2,
                required=("sponsor", "pmo"),
                at_least=Decimal("0.05"),
                not_requester=True,
            ),
            _rule(
                "portfolio-board",
                "pmo",
                quorum=2,
                required=("portfolio-board", "pmo"),
                at_least=Decimal("0.10"),
                not_requester=True,
            ),
        ),
        "artifact": _rule("pmo", not_requester=True),
    },
    deviations="waiver",
    change_control="request",
    tolerances={
        "project": {
            "time": Decimal("0.05"),
            "cost": Decimal("0.05"),
            "scope": Decimal("0.10"),
            "risk": Decimal(15),
        },
        "program": {"time": Decimal("0.05"), "cost": Decimal("0.05"), "risk": Decimal(20)},
    },
    escalate_to="pmo",
)
"""The directive model: every rule blocks (but the reported colours' rules, which warn and
note as under controlling), and only an approved waiver (the PMO and the
sponsor) or change request lifts a block; the PMO is among the approvers of every gate and
lifecycle decision; a change above 10 % goes to the portfolio board.

Example::

    DIRECTIVE.level_for(rule)                                   # 'block'
    DIRECTIVE.approval_rule("change", Decimal("0.22")).roles    # ('portfolio-board', 'pmo')
"""

MODELS: tuple[PmoGovernanceModel, ...] = (SUPPORTIVE, CONTROLLING, DIRECTIVE)
"""Every model this plugin registers, from the lightest to the strictest."""
