"""pmo tailoring add / list / remove, on stage-gate under the controlling model."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cli_helpers import Pmo, assert_user_error, needs_stage_gate


@pytest.fixture
def lite(make_pmo: Callable[..., Pmo]) -> Pmo:
    pmo = make_pmo("lite", profile="controlling")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--methodology", "stage-gate")
    return pmo


@needs_stage_gate
def test_a_merged_phase_shows_on_the_gate_check_and_as_a_finding(lite: Pmo) -> None:
    added = lite.ok(
        "tailoring", "add", "ALPHA", "--merge-phase", "scoping", "--comment", "Stage-Gate Lite"
    )
    assert "ALPHA merges phase 'scoping' into the phase before it" in added.output

    check = json.loads(lite("gate", "check", "ALPHA", "--json").output)

    assert (check["gate"], check["leaving"], check["entering"]) == (
        "gate-2",
        "discovery",
        "business-case",
    )
    names = [c["name"] for c in check["criteria"]]
    assert names[:3] == ["idea-submitted", "strategic-fit", "project-leader-named"]
    assert "project-brief" in names
    assert check["notes"][0].startswith("tailored: ALPHA merges phase 'scoping'")
    [finding] = [f for f in check["findings"] if f["rule"] == "methodology-tailored"]
    assert finding["level"] == "warn"
    assert not finding["passed"]


@needs_stage_gate
def test_list_shows_each_tailoring_and_json_names_the_fields(lite: Pmo) -> None:
    lite.ok("tailoring", "add", "ALPHA", "--merge-phase", "scoping", "--comment", "small")
    lite.ok(
        "tailoring", "add", "ALPHA", "--skip-criterion", "gate-4/milestones-met",
        "--comment", "no milestones in this project",
    )  # fmt: skip

    table = lite.ok("tailoring", "list").output
    rows = json.loads(lite.ok("tailoring", "list", "ALPHA", "--json").output)

    assert "merge-phase" in table
    assert "gate-4/milestones-met" in table
    assert [(r["entity"], r["action"], r["target"]) for r in rows] == [
        ("ALPHA", "merge-phase", "scoping"),
        ("ALPHA", "skip-criterion", "gate-4/milestones-met"),
    ]
    assert rows[1]["comment"] == "no milestones in this project"


@needs_stage_gate
def test_remove_restores_the_gate(lite: Pmo) -> None:
    lite.ok("tailoring", "add", "ALPHA", "--merge-phase", "scoping", "--comment", "small")
    out = lite.ok("tailoring", "remove", "ALPHA", "--merge-phase", "scoping", "--json").output

    assert json.loads(out)["tailoring"] == []
    check = json.loads(lite("gate", "check", "ALPHA", "--json").output)
    assert check["gate"] == "gate-1"
    assert "No tailoring recorded." in lite.ok("tailoring", "list").output


@needs_stage_gate
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--skip-artifact", "business-case"], "--skip-artifact: artifact 'business-case' is"),
        (["--skip-criterion", "gate-3/budget-set"], "--skip-criterion: criterion 'gate-3/budget"),
        (["--merge-phase", "discovery"], "--merge-phase: ALPHA is in phase 'discovery'"),
        (["--merge-phase", "nowhere"], "no phase 'nowhere'"),
        ([], "give exactly one of --skip-artifact"),
        (["--skip-artifact", "launch-plan", "--merge-phase", "scoping"], "give exactly one"),
    ],
)  # fmt: skip
def test_refused_tailoring_exits_2_and_writes_nothing(
    lite: Pmo, args: list[str], needle: str
) -> None:
    before = lite.snapshot()

    assert_user_error(lite("tailoring", "add", "ALPHA", *args, "--comment", "c"), 2, needle)
    assert lite.snapshot() == before


@needs_stage_gate
def test_unknown_entity_is_not_found_and_removing_nothing_is_refused(lite: Pmo) -> None:
    assert_user_error(
        lite("tailoring", "add", "NOPE", "--merge-phase", "scoping", "--comment", "c"), 3, "NOPE"
    )
    assert_user_error(
        lite("tailoring", "remove", "ALPHA", "--merge-phase", "scoping"),
        2,
        "ALPHA has no tailoring merge-phase 'scoping' (tailorings: none)",
    )
