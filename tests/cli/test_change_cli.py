"""pmo change: a controlling PMO raises, assesses and approves a change request, which
re-baselines the project; every refusal is one line and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cli_helpers import Pmo, assert_user_error, needs_stage_gate

from pmo_core import Workspace

pytestmark = needs_stage_gate


@pytest.fixture
def controlled(make_pmo: Callable[..., Pmo]) -> Pmo:
    pmo = make_pmo("ctl", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Products")
    pmo.ok("role", "assign", "PF", "pmo", "Lee Chen")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF",
        "--sponsor", "Dana Ruiz", "--manager", "Kim Park", "--budget", "250000 EUR",
        "--start", "2025-01-06", "--finish", "2025-12-19",
    )  # fmt: skip
    pmo.ok("baseline", "take", "ALPHA")
    return pmo


def _raise(pmo: Pmo, *extra: str) -> str:
    result = pmo.ok(
        "--as", "Kim Park", "change", "raise", "ALPHA", "Second data centre",
        "--budget", "275000 EUR", "--finish", "2026-01-16", "--scope", "Add a DR site",
        "--json", *extra,
    )  # fmt: skip
    item_id: str = json.loads(result.output)["id"]
    return item_id


def test_approving_a_change_request_re_baselines_and_journals_the_approvals(
    controlled: Pmo,
) -> None:
    # Under controlling governance the budget changes only through a change request.
    assert_user_error(
        controlled("project", "update", "ALPHA", "--budget", "275000 EUR"),
        5,
        "approved change request",
    )
    ref = _raise(controlled)
    raised = json.loads(controlled.ok("change", "show", ref, "--json").output)
    assert raised["requested_by"] == "Kim Park"
    assert raised["cost_impact"] == {"amount": "25000", "currency": "EUR"}
    assert raised["schedule_impact_days"] == 28

    controlled.ok(
        "--as", "Lee Chen", "change", "assess", ref[:6], "--comment", "Vendor quote received"
    )
    approved = controlled.ok(
        "--as", "Lee Chen", "change", "approve", ref[:6],
        "--approver", "Dana Ruiz (sponsor)", "--approver", "Lee Chen (pmo)",
    )  # fmt: skip
    assert f"Approved change request {ref} of ALPHA (Approved by" in approved.output

    baseline = json.loads(controlled.ok("baseline", "show", "ALPHA", "--json").output)
    assert baseline["number"] == 1
    assert baseline["cost"] == {"amount": "275000", "currency": "EUR"}
    assert baseline["planned_finish"] == "2026-01-16"
    project = json.loads(controlled.ok("project", "show", "ALPHA", "--json").output)
    assert project["planned_finish"] == "2026-01-16"
    with Workspace.open(controlled.root) as ws:
        entries = [e for e in ws.journal() if e.kind in ("project", "baseline", "raid")][-3:]
        commands = {t.txn_id: t.command for t in ws.store.transactions()}
    assert [(e.kind, e.op, e.actor) for e in entries] == [
        ("project", "update", "Lee Chen"),
        ("baseline", "insert", "Lee Chen"),
        ("raid", "update", "Lee Chen"),
    ]
    assert {commands[e.txn_id] for e in entries} == {"change approve"}
    decided = entries[-1].after or {}
    assert [(a["approver"], a["role"]) for a in decided["approvals"]] == [
        ("Dana Ruiz", "sponsor"),
        ("Lee Chen", "pmo"),
    ]
    assert decided["assessment"]["by"] == "Lee Chen"
    listed = controlled.ok("change", "list", "ALPHA").output
    assert "approved" in listed
    assert json.loads(controlled.ok("change", "list", "--open", "--json").output) == []


def test_refusals_are_one_line_and_write_nothing(controlled: Pmo) -> None:
    ref = _raise(controlled)
    before = controlled.snapshot()
    for args, code, needle in (
        (["raise", "NOPE", "x", "--budget", "1 EUR"], 3, "'NOPE'"),
        (["raise", "ALPHA", "x", "--budget", "-5 EUR"], 2, "--budget: must not be negative"),
        (["raise", "ALPHA", "x", "--budget", "5 USD"], 2, "--budget: 5 USD is in USD"),
        (["raise", "ALPHA", "x", "--cost-impact", "5 USD"], 2, "--cost-impact: 5 USD"),
        (["raise", "ALPHA", "x", "--budget", "lots"], 2, "--budget: 'lots' is not money"),
        (["raise", "ALPHA", "x"], 2, "--budget: a change request proposes something"),
        (["raise", "ALPHA", "x", "--finish", "2024-01-01"], 2, "--finish: the finish"),
        (
            ["approve", ref, "--approver", "Dana Ruiz", "--approver", "dana ruiz"],
            2,
            "--approver: Dana Ruiz is named more than once",
        ),
        (["approve", ref, "--approver", "Dana Ruiz"], 5, "needs the sponsor and the pmo"),
        (["approve", ref, "--approver", "Lee Chen", "--approver", "Dana Ruiz", "--on",
          "2999-01-01"], 2, "--on:"),
        (["reject", ref, "--comment", " "], 2, "--comment: say why"),
        (["show", "ffff"], 3, "no RAID item 'ffff'"),
    ):  # fmt: skip
        assert_user_error(controlled("change", *args), code, needle)
    assert controlled.snapshot() == before
    # The requester, even holding a role that approves, cannot approve their own change.
    controlled.ok("role", "assign", "PF", "pmo", "Kim Park")
    before = controlled.snapshot()
    own = controlled(
        "--as", "Kim Park", "change", "approve", ref,
        "--approver", "Dana Ruiz (sponsor)", "--approver", "Kim Park (pmo)",
    )  # fmt: skip
    assert_user_error(own, 5, "Kim Park asked for change request")
    assert controlled.snapshot() == before


def test_a_decided_change_is_not_decided_again(controlled: Pmo) -> None:
    ref = _raise(controlled)
    controlled.ok("change", "approve", ref, "--approver", "Dana Ruiz", "--approver", "Lee Chen")
    before = controlled.snapshot()

    again = controlled("change", "approve", ref, "--approver", "Dana Ruiz", "--approver", "Lee")
    assert_user_error(again, 4, "already approved on", "not decided again")
    assert_user_error(controlled("change", "reject", ref, "--comment", "no"), 4, "already")
    assert controlled.snapshot() == before


def test_reject_keeps_the_plan(controlled: Pmo) -> None:
    ref = _raise(controlled)
    result = controlled.ok("change", "reject", ref, "--comment", "Not now", "--json")
    data = json.loads(result.output)
    assert (data["approved"], data["status"], data["resolution"]) == (
        False,
        "closed",
        "Rejected: Not now",
    )
    listed = json.loads(controlled.ok("baseline", "list", "ALPHA", "--json").output)
    assert [b["number"] for b in listed] == [0]
    assert "rejected" in controlled.ok("change", "list").output
