"""Shared helpers of the pmo-stage-gate tests (a module name unique across plugins)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pmo_core import ApprovalRule, Artifact, PmoGovernanceModel, Workspace, hookimpl

TODAY = date(2025, 6, 2)
APPROVERS = ["Dana Reyes (sponsor)", "Lee Park (pmo)"]


class BoardPlugin:
    """A governance model of our own, so these tests need no governance plugin."""

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        board = ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("pmo",))
        yield PmoGovernanceModel(name="board", summary="Test board.", approvals={"go": board})


def approve(ws: Workspace, entity: str, *names: str) -> None:
    """Store approved artifacts ``names`` for ``entity``."""
    ws.add_many(
        Artifact(entity=entity, name=n, status="approved", approved_on=TODAY, approved_by="Dana")
        for n in names
    )


def criteria(ws: Workspace, entity: str) -> dict[str, bool]:
    """The next gate's criteria of ``entity``, name to passed."""
    return {c.name: c.passed for c in ws.gate_check(entity).criteria}
