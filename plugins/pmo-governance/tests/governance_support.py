"""Shared helpers of the pmo-governance tests (a module name unique across plugins)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from pmo_core import (
    Finding,
    PmoArtifact,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    Workspace,
    hookimpl,
)

TODAY = date(2025, 6, 2)

# A small predictive lifecycle of our own, so these tests need no methodology plugin. "build" is
# marked as execution only through the tailoring, to exercise that path.
LIFECYCLE = PmoMethodology(
    name="lifecycle",
    summary="Test lifecycle.",
    phases=(
        PmoPhase(name="initiation"),
        PmoPhase(name="planning"),
        PmoPhase(name="build"),
        PmoPhase(name="closing"),
    ),
    gates=(
        PmoGate(
            name="authorise",
            leaving="initiation",
            entering="planning",
            criteria=(PmoGateCriterion(name="charter", level="should", artifact="charter"),),
        ),
        PmoGate(
            name="go-build",
            leaving="planning",
            entering="build",
            criteria=(PmoGateCriterion(name="plan", level="should", artifact="charter"),),
        ),
        PmoGate(
            name="close",
            leaving="build",
            entering="closing",
            criteria=(PmoGateCriterion(name="done", level="should", artifact="charter"),),
        ),
    ),
    artifacts=(PmoArtifact(name="charter", template="# Charter\n"),),
    tailoring={"execution-phases": "build"},
)


class LifecyclePlugin:
    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield LIFECYCLE


MakeWorkspace = Callable[..., Workspace]


def finding(ws: Workspace, entity: str, rule: str) -> Finding | None:
    """The finding of ``rule`` for ``entity`` outside a gate, or None when it was not checked."""
    return next((f for f in ws.check(entity) if f.rule == rule), None)


def gate_finding(ws: Workspace, entity: str, rule: str, gate: str | None = None) -> Finding | None:
    """The finding of ``rule`` for ``entity`` in a gate check, or None when it was not checked."""
    return next((f for f in ws.gate_check(entity, gate).findings if f.rule == rule), None)
