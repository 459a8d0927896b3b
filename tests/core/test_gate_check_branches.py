"""Checking a gate at its edges: a gate the methodology does not have, an entity in a phase
the methodology does not have, the last phase (no gate after it), and rules run on an entity
whose methodology is gone."""

from __future__ import annotations

import pytest
from plan_control_support import MakeWorkspace, make

from pmo_core import InvalidInputError, NotFoundError, Workspace


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _set_stored(ws: Workspace, **fields: object) -> None:
    """Write fields as a document an older version (or a removed plugin) left them."""
    with ws.transaction("written by an older version") as tx:
        doc = tx.get("project", "ALPHA")
        assert doc is not None
        tx.update("project", "ALPHA", {**doc.data, **fields}, expected_version=doc.version)


def test_a_gate_the_methodology_does_not_have_is_not_found_listing_its_gates(
    ws: Workspace,
) -> None:
    with pytest.raises(NotFoundError) as caught:
        ws.gate_check("ALPHA", "launch")
    assert str(caught.value) == "methodology 'plan-do' has no gate 'launch' (gates: go)"


def test_a_phase_the_methodology_does_not_have_is_refused_listing_its_phases(
    ws: Workspace,
) -> None:
    _set_stored(ws, phase="design")
    with pytest.raises(InvalidInputError) as caught:
        ws.gate_check("ALPHA")
    assert str(caught.value) == (
        "ALPHA is in phase 'design', which methodology 'plan-do' does not have (phases: plan, do)"
    )


def test_the_last_phase_has_no_gate_after_it(ws: Workspace) -> None:
    ws.update("ALPHA", phase="do")

    check = ws.gate_check("ALPHA")

    assert (check.gate, check.methodology) == (None, "plan-do")
    assert check.notes == ("phase 'do' is the last; there is no gate after it",)
    assert not check.blocked


def test_rules_still_run_on_an_entity_whose_methodology_is_gone(ws: Workspace) -> None:
    """Outside a gate, a methodology nobody provides only hides tailoring from the rules:
    the check runs, it does not fail."""
    _set_stored(ws, methodology="retired")

    findings = ws.check("ALPHA")

    assert not any(f.error for f in findings)
    with pytest.raises(NotFoundError, match="'retired'"):
        ws.gate_check("ALPHA")
