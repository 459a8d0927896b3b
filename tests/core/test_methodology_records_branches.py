"""A methodology record refuses a lifecycle it cannot mean, naming what is wrong, and walks
its phases and gates."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pmo_core import PmoArtifact, PmoGate, PmoGateCriterion, PmoMethodology, PmoPhase


def _message(info: pytest.ExceptionInfo[ValidationError]) -> str:
    (error,) = info.value.errors()
    return str(error["msg"])


def _gate(leaving: str = "plan", entering: str = "do", **criterion: Any) -> PmoGate:
    criteria = (PmoGateCriterion(name="ready", **criterion),) if criterion else ()
    return PmoGate(name="go", leaving=leaving, entering=entering, criteria=criteria)


def _method(*phases: str, gates: tuple[PmoGate, ...] = ()) -> PmoMethodology:
    return PmoMethodology(
        name="acme-method",
        phases=tuple(PmoPhase(name=p) for p in phases),
        gates=gates,
        artifacts=(PmoArtifact(name="plan", template="# Plan"),),
    )


def test_a_criterion_with_neither_an_artifact_nor_a_check_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        PmoGateCriterion(name="ready")
    assert _message(info) == "Value error, criterion 'ready' needs an artifact or a check"


@pytest.mark.parametrize(
    ("phases", "gates", "message"),
    [
        ((), (), "a methodology needs at least one phase"),
        (("plan", "do", "plan"), (), "duplicate phase names in ['plan', 'do', 'plan']"),
        (("plan", "do"), (_gate("plan", "close"),), "gate 'go' names unknown phase 'close'"),
        (("plan", "do"), (_gate("design", "do"),), "gate 'go' names unknown phase 'design'"),
        (
            ("plan", "do"),
            (_gate(artifact="charter"),),
            "gate 'go' criterion 'ready' names unknown artifact 'charter'",
        ),
    ],
)
def test_an_inconsistent_lifecycle_is_refused(
    phases: tuple[str, ...], gates: tuple[PmoGate, ...], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _method(*phases, gates=gates)
    assert _message(info) == f"Value error, {message}"


def test_criteria_naming_a_declared_artifact_or_only_a_check_are_consistent() -> None:
    method = _method(
        "plan",
        "do",
        gates=(
            PmoGate(
                name="go",
                leaving="plan",
                entering="do",
                criteria=(
                    PmoGateCriterion(name="planned", artifact="plan"),
                    PmoGateCriterion(name="sponsored", check=lambda ctx: None),
                ),
            ),
        ),
    )
    assert [c.name for c in method.gates[0].criteria] == ["planned", "sponsored"]


def test_the_next_phase_and_the_gate_leaving_a_phase() -> None:
    method = _method("plan", "do", "close", gates=(_gate("plan", "do", artifact="plan"),))
    assert method.next_phase(None) == "plan"
    assert method.next_phase("plan") == "do"
    assert method.next_phase("close") is None  # the last phase has none after it
    assert method.next_phase("design") is None  # nor has a phase it does not know
    gate = method.gate_leaving("plan")
    assert gate is not None
    assert gate.entering == "do"
    assert method.gate_leaving("do") is None
