"""pmo artifact: a controlling PMO's project passes its first gate by submitting and
approving its idea submission; refusals are one line and write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cli_helpers import Pmo, assert_user_error, needs_stage_gate

pytestmark = needs_stage_gate


@pytest.fixture
def controlled(make_pmo: Callable[..., Pmo]) -> Pmo:
    pmo = make_pmo("ctl", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Products")
    pmo.ok("role", "assign", "PF", "pmo", "Lee Chen")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF",
        "--sponsor", "Dana Ruiz", "--manager", "Kim Park",
    )  # fmt: skip
    return pmo


def test_submit_and_approve_take_a_controlled_project_through_gate_1(controlled: Pmo) -> None:
    blocked = controlled("gate", "check", "ALPHA")
    assert blocked.exit_code == 5
    assert "artifact 'idea-submission' is not approved" in blocked.output

    submitted = controlled.ok(
        "--as", "Kim Park", "artifact", "submit", "ALPHA", "idea-submission",
        "--title", "Alpha idea", "--location", "https://wiki.example.com/alpha/idea",
    )  # fmt: skip
    assert "Submitted idea-submission of ALPHA (revision 1) by Kim Park" in submitted.output
    assert controlled("gate", "check", "ALPHA").exit_code == 5  # submitted is not approved

    approved = controlled.ok(
        "--as", "Lee Chen", "artifact", "approve", "ALPHA", "idea-submission",
        "--approver", "Dana Ruiz (sponsor)", "--json",
    )  # fmt: skip
    data = json.loads(approved.output)
    assert (data["status"], data["revision"], data["submitted_by"]) == (
        "approved",
        1,
        "Kim Park",
    )
    assert data["approved_by"] == "Dana Ruiz (sponsor)"
    assert data["reviews"][0]["by"] == "Lee Chen"

    passed = controlled("gate", "check", "ALPHA")
    assert passed.exit_code == 0, passed.output
    assert "[x] idea-submitted (must): pass" in passed.output

    listed = json.loads(controlled.ok("artifact", "list", "ALPHA", "--json").output)
    assert [(a["name"], a["status"]) for a in listed] == [("idea-submission", "approved")]
    text = controlled.ok("artifact", "list", "ALPHA").output
    assert "Not submitted yet: project-brief, business-case" in text


def test_the_author_cannot_approve_it(controlled: Pmo) -> None:
    controlled.ok("--as", "Dana Ruiz", "artifact", "submit", "ALPHA", "idea-submission")
    before = controlled.snapshot()

    result = controlled("--as", "Dana Ruiz", "artifact", "approve", "ALPHA", "idea-submission")

    assert_user_error(result, 5, "Dana Ruiz asked for artifact idea-submission", "pmo: Lee Chen")
    assert controlled.snapshot() == before


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["approve", "ALPHA", "idea-submission", "--approver", "Kim Park"], 5, "cannot approve"),
        (
            ["approve", "ALPHA", "idea-submission", "--approver", "Lee Chen",
             "--approver", "lee chen"],
            2,
            "--approver: Lee Chen is named more than once",
        ),
        (["approve", "ALPHA", "idea-submission", "--on", "2999-01-01"], 2, "--on:"),
        (["reject", "ALPHA", "idea-submission", "--comment", " "], 2, "--comment"),
        (["submit", "ALPHA", "idea"], 2, "NAME: methodology 'stage-gate' has no artifact 'idea'"),
        (["submit", "ALPHA", "idea-submission"], 4, "waits for a decision"),
        (["submit", "NOPE", "idea-submission"], 3, "'NOPE'"),
        (["approve", "ALPHA", "business-case"], 3, "ALPHA has no artifact 'business-case'"),
    ],
)  # fmt: skip
def test_refusals_are_one_line_and_write_nothing(
    controlled: Pmo, args: list[str], code: int, needle: str
) -> None:
    controlled.ok("artifact", "submit", "ALPHA", "idea-submission")
    before = controlled.snapshot()

    assert_user_error(controlled("artifact", *args), code, needle)
    assert controlled.snapshot() == before


def test_reject_then_a_new_revision(controlled: Pmo) -> None:
    controlled.ok("artifact", "submit", "ALPHA", "idea-submission", "--location", "v1.md")
    rejected = controlled.ok(
        "artifact", "reject", "ALPHA", "idea-submission", "--comment", "Who is the customer?"
    )
    assert "Rejected idea-submission of ALPHA (revision 1): Who is the customer?" in (
        rejected.output
    )
    again = json.loads(
        controlled.ok(
            "artifact", "submit", "ALPHA", "idea-submission", "--location", "v2.md", "--json"
        ).output
    )
    assert (again["status"], again["revision"], again["location"]) == ("submitted", 2, "v2.md")
    assert_user_error(
        controlled("artifact", "approve", "ALPHA", "idea-submission"), 5, "cannot approve"
    )
    controlled.ok("artifact", "approve", "ALPHA", "idea-submission", "--approver", "Lee Chen")
    shown = controlled.ok("artifact", "show", "ALPHA", "idea-submission").output
    assert "revision:     2" in shown
    assert "Who is the customer?" in shown  # the review of revision 1


def test_template_prints_the_methodologys_template(controlled: Pmo) -> None:
    text = controlled.ok("artifact", "template", "ALPHA", "business-case").output
    assert text.startswith("# Business case: <project name>")
    data = json.loads(
        controlled.ok("artifact", "template", "ALPHA", "business-case", "--json").output
    )
    assert data["name"] == "business-case"
    assert "## Investment appraisal" in data["template"]
    assert_user_error(controlled("artifact", "template", "ALPHA", "nope"), 3, "no artifact 'nope'")
