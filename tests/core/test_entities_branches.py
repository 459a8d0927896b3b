"""Creating and updating entities at their edges: a kind that is not an entity, a key or
kind changed, lifecycle fields and statuses set by hand, a methodology or model nobody
provides, and a phase checked against a methodology that is gone. Every refusal names the
field and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from plan_control_support import MakeWorkspace, make

from pmo_core import InvalidInputError, Workspace


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _refused(ws: Workspace, match: str, call: Any) -> InvalidInputError:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError, match=match) as caught:
        call()
    assert len(ws.journal()) == before
    return caught.value


def test_a_kind_that_is_not_an_entity_is_refused(ws: Workspace) -> None:
    exc = _refused(
        ws,
        "kind must be one of portfolio, program, project, not 'task'",
        lambda: ws.create("task", id="T1", name="Task"),
    )
    assert exc.where is None


def test_an_entitys_kind_never_changes(ws: Workspace) -> None:
    _refused(
        ws, "an entity's key and kind cannot change", lambda: ws.update("ALPHA", kind="program")
    )
    assert ws.get("ALPHA").kind == "project"


@pytest.mark.parametrize("field", ["lifecycle", "lifecycle_reason"])
def test_the_lifecycle_is_not_set_by_hand(ws: Workspace, field: str) -> None:
    exc = _refused(
        ws,
        rf"{field} change only by a decision: use change_lifecycle\(\) \('pmo project update "
        r"ALPHA --lifecycle STATE --comment \.\.\.'\) or a gate decision",
        lambda: ws.update("ALPHA", **{field: "killed"}),
    )
    assert exc.where == field


@pytest.mark.parametrize(
    ("status", "state"),
    [("on_hold", "on_hold"), ("finished", "closed"), ("discontinued", "killed")],
)
def test_a_status_the_lifecycle_implies_points_to_the_decision(
    ws: Workspace, status: str, state: str
) -> None:
    exc = _refused(
        ws,
        rf"the status '{status}' follows the lifecycle: move ALPHA to {state} instead "
        rf"\('--lifecycle {state} --comment \.\.\.'\)",
        lambda: ws.update("ALPHA", status=status),
    )
    assert exc.where == "status"


@pytest.mark.parametrize(
    ("field", "name"), [("methodology", "waterfall"), ("governance_model", "lax")]
)
def test_a_methodology_or_model_nobody_provides_is_refused_at_the_field(
    ws: Workspace, field: str, name: str
) -> None:
    kept = getattr(ws.get("ALPHA"), field)
    exc = _refused(ws, repr(name), lambda: ws.update("ALPHA", **{field: name}))
    assert exc.where == field
    exc = _refused(
        ws, repr(name), lambda: ws.create("project", id="NEW", name="New", **{field: name})
    )
    assert exc.where == field
    assert getattr(ws.get("ALPHA"), field) == kept


def test_a_phase_is_not_checked_against_a_methodology_that_is_gone(ws: Workspace) -> None:
    """ALPHA names a methodology no plugin provides any more (it was removed): a new phase
    cannot be checked, and is refused saying why, rather than taken unchecked."""
    with ws.transaction("written when the plugin was there") as tx:
        doc = tx.get("project", "ALPHA")
        assert doc is not None
        tx.update(
            "project", "ALPHA", {**doc.data, "methodology": "retired"}, expected_version=doc.version
        )

    exc = _refused(ws, "cannot check the phase: ", lambda: ws.update("ALPHA", phase="do"))

    assert exc.where == "phase"
    assert "'retired'" in exc.message
    assert ws.get("ALPHA").phase != "do"


def test_without_a_methodology_a_phase_is_the_pmos_own_word(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws: Workspace = pmo_workspace_factory()
    ws.create("project", id="FREE", name="Free")

    updated = ws.update("FREE", phase="Discovery sprint")

    assert updated.phase == "Discovery sprint"
