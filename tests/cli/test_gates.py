"""pmo gate check / request / decide (the stage-gate and governance plugins supply the rules)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import (
    Pmo,
    assert_user_error,
    needs_governance,
    needs_stage_gate,
    set_governance_model,
)

from pmo_core import Workspace


@needs_governance
def test_check_without_a_methodology_checks_only_rules(hierarchy: Pmo) -> None:
    result = hierarchy("gate", "check", "ALPHA", "--json")

    data = json.loads(result.output)
    assert data["gate"] is None
    assert any("follows no methodology" in n for n in data["notes"])
    # The supportive model (pmo-governance) only advises: nothing blocks.
    assert result.exit_code == 0
    assert data["blocked"] is False
    assert data["findings"]
    assert all(f["level"] == "advise" for f in data["findings"])


def test_check_fails_closed_when_the_governance_model_is_unavailable(
    hierarchy: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The supportive model, with pmo-governance denied as if it were not installed (the
    # core-only run): the check runs with it installed or not.
    set_governance_model(hierarchy.root, "supportive")
    monkeypatch.setenv("PMO_PLUGINS_DENY", "governance")

    result = hierarchy("gate", "check", "ALPHA", "--json")

    data = json.loads(result.output)
    assert result.exit_code == 5
    assert data["blocked"] is True
    assert any("follows no methodology" in n for n in data["notes"])
    assert [(f["rule"], f["level"], f["passed"]) for f in data["findings"]] == [
        ("governance-model-available", "block", False)
    ]
    assert "no governance model 'supportive'" in data["reasons"][0]


def test_check_of_an_unknown_entity_is_not_found(hierarchy: Pmo) -> None:
    assert_user_error(hierarchy("gate", "check", "NOPE"), 3, "'NOPE'")


@pytest.fixture
def controlled(make_pmo: Callable[..., Pmo]) -> Pmo:
    pmo = make_pmo("ctl", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("role", "assign", "PF", "pmo", "Lee")
    for key, phase in (("NEW", "discovery"), ("BC", "business-case")):
        pmo.ok(
            "project", "create", key, "--name", key, "--parent", "PF", "--phase", phase,
            "--sponsor", "Dana",
        )  # fmt: skip
    return pmo


def _approve(pmo: Pmo, entity: str, artifact: str) -> None:
    from pmo_core._domain import Artifact

    with Workspace.open(pmo.root) as ws:
        ws.add(
            Artifact(entity=entity, name=artifact, status="approved", approved_on=date(2025, 1, 6))
        )


@needs_stage_gate
def test_blocked_gate_exits_5_and_names_the_reasons(controlled: Pmo) -> None:
    result = controlled("gate", "check", "BC")

    assert result.exit_code == 5
    assert "gate-3 (business-case -> development)" in result.output
    assert "BLOCKED" in result.output
    assert "artifact 'business-case' is not approved" in result.output
    data = json.loads(controlled("gate", "check", "BC", "--json").output)
    assert data["blocked"] is True
    assert data["model"] == "controlling"


@needs_stage_gate
def test_go_on_a_blocked_gate_is_refused_and_writes_nothing(controlled: Pmo) -> None:
    before = controlled.snapshot()

    result = controlled(
        "gate", "decide", "BC", "go", "--approver", "Dana", "--approver", "Lee (pmo)"
    )

    # One readable line: the first reason, how many more, and where to see them all.
    assert_user_error(result, 5, "gate gate-3 of BC is blocked", "more)", "'pmo gate check BC'")
    assert len(result.stderr) < 300, result.stderr
    assert controlled.snapshot() == before


@needs_stage_gate
def test_passable_gate_then_go_moves_the_phase(controlled: Pmo) -> None:
    _approve(controlled, "NEW", "idea-submission")

    check = controlled("gate", "check", "NEW")
    assert check.exit_code == 0, check.output
    assert "gate gate-1 (discovery -> scoping)" in check.output
    assert "passable" in check.output

    before = controlled.snapshot()
    one = controlled("gate", "decide", "NEW", "go", "--approver", "Dana")
    assert_user_error(
        one, 5, "needs the sponsor and the pmo", "got 1: Dana (sponsor), no pmo", "pmo: Lee"
    )
    assert controlled.snapshot() == before

    result = controlled.ok(
        "gate", "decide", "NEW", "go", "--approver", "Dana (sponsor)", "--approver", "Lee (pmo)",
        "--condition", "Re-baseline by April", "--comment", "Good idea",
    )  # fmt: skip

    assert "Decided go at gate-1 of NEW; now in phase scoping" in result.output
    with Workspace.open(controlled.root) as ws:
        assert ws.get("NEW").phase == "scoping"
        decision = ws.view().gate_decisions("NEW")[0]
    assert decision.conditions == ("Re-baseline by April",)
    assert decision.comment == "Good idea"


@needs_stage_gate
def test_hold_and_request(controlled: Pmo) -> None:
    result = controlled.ok("gate", "request", "BC", "--comment", "Please review")
    assert "Requested a review of gate gate-3 of BC: action " in result.output
    assert "blocked by" in result.output
    assert "'pmo gate check BC'" in result.output

    decision = json.loads(
        controlled.ok("gate", "decide", "BC", "hold", "--approver", "Dana", "--json").output
    )
    assert (decision["gate"], decision["decision"], decision["entity"]) == ("gate-3", "hold", "BC")

    with Workspace.open(controlled.root) as ws:
        held = ws.get("BC")
        assert (held.status.value, held.lifecycle) == ("on_hold", "on_hold")
        # The decision answers the request: its action is closed.
        [action] = ws.view().raid("BC")
        assert (action.type, action.status, action.owned_by) == ("action", "closed", "Dana, Lee")
        assert "Decided: hold on" in action.description


@needs_stage_gate
@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["decide", "BC", "maybe"], 2, "'maybe' is not one of go, kill"),
        (["check", "BC", "--gate", "gate-9"], 3, "no gate 'gate-9'"),
        (["decide", "NOPE", "hold"], 3, "'NOPE'"),
        # A person named twice is an input error, found before the gate is even checked.
        (
            ["decide", "BC", "go", "--approver", "Lee (pmo)", "--approver", "lee"],
            2,
            "Lee is named more than once",
        ),
        (
            ["decide", "BC", "kill", "--approver", "x (janitor)", "--approver", "y (intern)"],
            5,
            "does not hold the role 'janitor'",
        ),
    ],
)
def test_bad_gate_input_writes_nothing(
    controlled: Pmo, argv: list[str], code: int, needle: str
) -> None:
    before = controlled.snapshot()

    assert_user_error(controlled("gate", *argv), code, needle)
    assert controlled.snapshot() == before


@needs_stage_gate  # the controlling profile
def test_a_decision_taken_earlier_is_recorded_with_its_date(tmp_path: Path) -> None:
    from pmo_core import InvalidInputError

    today = date(2026, 6, 30)
    with Workspace.init(tmp_path / "ws", profile="controlling", today=lambda: today) as ws:
        ws.create("portfolio", id="PF", name="Portfolio", sponsor="Dana")
        ws.create("project", id="P", name="P", parent="PF", sponsor="Dana", phase="scoping")
        with pytest.raises(InvalidInputError, match="after the status date"):
            ws.decide_gate("P", "hold", decided_on=date(2026, 7, 1))
        decision = ws.decide_gate(
            "P", "recycle", approvers=["Dana (sponsor)"], decided_on=date(2026, 5, 4)
        )
        assert decision.decided_on == date(2026, 5, 4)
        assert [a.decided_on for a in decision.approvals] == [date(2026, 5, 4)]
    # A view whose status date is before the decision does not see it yet.
    with Workspace.open(tmp_path / "ws", today=lambda: date(2026, 5, 3)) as earlier:
        assert earlier.view().gate_decisions("P") == []
    with Workspace.open(tmp_path / "ws", today=lambda: date(2026, 5, 4)) as later:
        assert [d.decision for d in later.view().gate_decisions("P")] == ["recycle"]


@needs_stage_gate
def test_lessons_given_at_a_gate_are_recorded_with_the_decision(controlled: Pmo) -> None:
    _approve(controlled, "NEW", "idea-submission")
    refused = controlled.snapshot()
    # A refused decision keeps none of its lessons.
    one = controlled("gate", "decide", "NEW", "go", "--approver", "Dana", "--lesson", "Lost")
    assert one.exit_code == 5
    assert controlled.snapshot() == refused

    result = controlled.ok(
        "gate", "decide", "NEW", "go", "--approver", "Dana (sponsor)", "--approver", "Lee (pmo)",
        "--lesson", "Ask finance for the cost model before scoping", "--lesson", "  ",
        "--lesson", "Name the sponsor on day one",
    )  # fmt: skip

    assert "Recorded 2 lesson(s) learned ('pmo lesson list NEW')" in result.output
    with Workspace.open(controlled.root) as ws:
        lessons = ws.view().lessons("NEW")
        decision = ws.view().gate_decisions("NEW")[0]
    assert sorted(x.what_happened for x in lessons) == [
        "Ask finance for the cost model before scoping",
        "Name the sponsor on day one",
    ]
    # Learned in the phase the gate closes, dated and signed like the decision.
    assert {(x.phase, x.recorded_on, x.author) for x in lessons} == {
        ("discovery", decision.decided_on, decision.decided_by)
    }


@needs_stage_gate
def test_a_gate_decision_without_lessons_records_none(controlled: Pmo) -> None:
    _approve(controlled, "NEW", "idea-submission")
    result = controlled.ok(
        "gate", "decide", "NEW", "go", "--approver", "Dana (sponsor)", "--approver", "Lee (pmo)"
    )
    assert "lesson" not in result.output
    with Workspace.open(controlled.root) as ws:
        assert ws.view().lessons("NEW") == []
