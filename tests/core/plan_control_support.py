"""Shared set-up of the artifact, baseline and change request tests (a module name no other
test tree uses): two governance models of our own and a two-phase methodology, so the core
is tested without the first-party plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from pmo_core import (
    ApprovalRule,
    PmoArtifact,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoMethodology,
    PmoPhase,
    Workspace,
    hookimpl,
)

TODAY = date(2025, 6, 2)
MakeWorkspace = Callable[..., Workspace]

# Change control by request, artifacts approved by the sponsor or the pmo, changes by size
# (the bands of the controlling model), never by whoever asked.
STRICT = PmoGovernanceModel(
    name="strict",
    change_control="request",
    approvals={
        "artifact": ApprovalRule(roles=("sponsor", "pmo"), not_requester=True),
        "change": (
            ApprovalRule(roles=("manager", "sponsor"), not_requester=True),
            ApprovalRule(roles=("sponsor",), at_least=Decimal("0.05"), not_requester=True),
            ApprovalRule(
                roles=("sponsor", "pmo"),
                quorum=2,
                required=("sponsor", "pmo"),
                at_least=Decimal("0.10"),
                not_requester=True,
            ),
        ),
    },
)
# Changes are recorded, not requested; nothing needs an approval.
LIGHT = PmoGovernanceModel(name="light", change_control="record")

PLAN_DO = PmoMethodology(
    name="plan-do",
    phases=(PmoPhase(name="plan", artifacts=("charter",)), PmoPhase(name="do")),
    gates=(
        PmoGate(
            name="go",
            leaving="plan",
            entering="do",
            criteria=(PmoGateCriterion(name="charter-approved", artifact="charter"),),
        ),
    ),
    artifacts=(
        PmoArtifact(name="charter", summary="Why and what.", template="# Charter\n\n## Why\n"),
        PmoArtifact(name="plan", summary="How."),
    ),
)


class PlanControl:
    """The models and the methodology above, as a plugin."""

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield STRICT
        yield LIGHT

    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield PLAN_DO


def make(factory: MakeWorkspace, model: str = "strict", actor: str = "tester") -> Workspace:
    """A workspace under ``model`` with a portfolio PF (Lee Chen is its pmo) and a project
    ALPHA (sponsor Dana Ruiz, manager Kim Park, 250,000 EUR, 2025-01-06 to 2025-12-19)."""
    ws: Workspace = factory(
        plugins={"plan-control": PlanControl()},
        governance_model=model,
        methodology="plan-do",
        today=TODAY,
        actor=actor,
    )
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.assign_role("PF", "pmo", "Lee Chen")
    ws.create(
        "project", id="ALPHA", name="Alpha", parent="PF", sponsor="Dana Ruiz",
        manager="Kim Park", budget="250000 EUR", planned_start=date(2025, 1, 6),
        planned_finish=date(2025, 12, 19),
    )  # fmt: skip
    return ws
