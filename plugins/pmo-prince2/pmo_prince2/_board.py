"""The ``prince2`` governance model: the project board directs by exception.

The executive decides, with the senior user and senior supplier on the board: a stage
boundary needs the executive and one more board member; the board approves the management
products; a forecast beyond the project's tolerances is escalated to the executive.
"""

from __future__ import annotations

from decimal import Decimal

from pmo_core import ApprovalRule, PmoGovernanceModel

_BOARD = ("executive", "senior-user", "senior-supplier")
_EXECUTIVE = ApprovalRule(roles=("executive",))
_BOARD_DECIDES = ApprovalRule(roles=_BOARD, quorum=2, required=("executive",))

PROJECT_BOARD = PmoGovernanceModel(
    name="prince2",
    summary=(
        "PRINCE2 project board: the executive and one more board member authorise each "
        "stage; management by exception within delegated tolerances."
    ),
    rule_levels={
        "sponsor-and-business-case": "block",
        "baseline-before-execution": "block",
        "changes-approved": "warn",
        "status-cadence": "warn",
        "high-risks-owned": "warn",
        "tolerance-forecast": "warn",
        "phase-reached-by-gate": "warn",
        "reported-colours-honest": "warn",
        "reported-colours-overridden": "advise",
    },
    cadence_days={1: 14, 2: 14, 3: 30},
    approvals={
        "go": _BOARD_DECIDES,
        "kill": _BOARD_DECIDES,
        "hold": _EXECUTIVE,
        "recycle": _EXECUTIVE,
        "resume": _EXECUTIVE,
        "close": _BOARD_DECIDES,
        "reopen": _BOARD_DECIDES,
        "waiver": ApprovalRule(roles=("executive",), not_requester=True),
        "change": (
            ApprovalRule(roles=("manager", "executive"), not_requester=True),
            ApprovalRule(roles=("executive",), at_least=Decimal("0.05"), not_requester=True),
            ApprovalRule(
                roles=_BOARD,
                quorum=2,
                required=("executive",),
                at_least=Decimal("0.10"),
                not_requester=True,
            ),
        ),
        "artifact": ApprovalRule(roles=_BOARD, not_requester=True),
    },
    deviations="waiver",
    change_control="request",
    tolerances={
        "project": {
            "time": Decimal("0.10"),
            "cost": Decimal("0.10"),
            "scope": Decimal("0.10"),
            "risk": Decimal(20),
        },
        "program": {"time": Decimal("0.10"), "cost": Decimal("0.05")},
    },
    escalate_to="executive",
)
"""The ``prince2`` governance model (the project board).

Example::

    PROJECT_BOARD.approval_rule("go").describe()
    # '2 distinct approvers holding executive or senior-user or senior-supplier, executive
    #   among them'
"""
