"""pmo status report / list and pmo raid add / list / close."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Pmo, assert_user_error


def test_status_report_and_list(hierarchy: Pmo) -> None:
    result = hierarchy.ok(
        "status", "report", "ALPHA", "--overall", "amber", "--schedule", "amber",
        "--cost", "green", "--summary", "Vendor slipped", "--status-date", "2025-03-01",
    )  # fmt: skip
    hierarchy.ok("status", "report", "ALPHA", "--overall", "GREEN", "--status-date", "2025-03-15")

    assert "Recorded status of ALPHA as of 2025-03-01: amber (schedule amber, cost green)" in (
        result.output
    )
    reports = json.loads(hierarchy.ok("status", "list", "ALPHA", "--json").output)
    assert [(r["as_of"], r["overall"]) for r in reports] == [
        ("2025-03-15", "green"),
        ("2025-03-01", "amber"),
    ]
    assert reports[1]["summary"] == "Vendor slipped"
    assert reports[1]["author"] == "tester"
    table = hierarchy.ok("status", "list", "ALPHA", "--limit", "1").output.splitlines()
    assert len(table) == 2
    assert table[1].startswith("2025-03-15")


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["report", "ALPHA", "--overall", "blue"], 2, "--overall: 'blue' is not one of green"),
        (["report", "ALPHA", "--overall", "red", "--cost", "pink"], 2, "--cost"),
        (["report", "ALPHA", "--overall", "red", "--status-date", "yesterday"], 2, "--status-date"),
        # As known on a date is for reading: a report is about a day, its --status-date.
        (["report", "ALPHA", "--overall", "red", "--as-of", "2025-03-01"], 2, "--status-date"),
        (["report", "NOPE", "--overall", "red"], 3, "'NOPE'"),
        (["list", "NOPE"], 3, "'NOPE'"),
        # A view shows what was reported by its date: a future report would never be listed.
        (
            ["report", "ALPHA", "--overall", "red", "--status-date", "2999-01-01"],
            2,
            "--status-date: 2999",
        ),
    ],
)
def test_bad_status_input_writes_nothing(
    hierarchy: Pmo, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("status", *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_raid_add_list_close(hierarchy: Pmo) -> None:
    out = hierarchy.ok(
        "raid", "add", "ALPHA", "risk", "Vendor late", "--probability", "4", "--impact", "4",
        "--owner", "Sam", "--response", "Second vendor",
    ).output  # fmt: skip
    assert "score 16 (high)" in out
    hierarchy.ok(
        "raid", "add", "ERP", "issue", "Test env down", "--impact", "3", "--due", "2025-07-01"
    )
    hierarchy.ok("raid", "add", "PF", "decision", "Freeze intake")

    items = json.loads(hierarchy.ok("raid", "list", "ERP", "--json").output)
    assert [(i["entity"], i["type"]) for i in items] == [("ALPHA", "risk"), ("ERP", "issue")]
    assert items[0]["owner"] == "Sam"
    assert items[0]["is_high"] is True
    risk_id = items[0]["id"]
    assert len(json.loads(hierarchy.ok("raid", "list", "--json").output)) == 3

    assert "Closed risk" in hierarchy.ok("raid", "close", risk_id, "--note", "Done").output

    open_items = json.loads(
        hierarchy.ok("raid", "list", "--open", "--type", "risk", "--json").output
    )
    assert open_items == []
    before = hierarchy.snapshot()
    assert_user_error(hierarchy("raid", "close", risk_id), 4, "already closed")
    assert hierarchy.snapshot() == before


def test_raid_add_warns_about_an_unowned_high_risk(hierarchy: Pmo) -> None:
    result = hierarchy.ok(
        "raid", "add", "ALPHA", "risk", "Bust", "--probability", "1", "--impact", "5"
    )

    assert "high risk without an owner" in result.stderr


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["add", "ALPHA", "rumour", "x"], 2, "TYPE: 'rumour' is not one of risk"),
        (["add", "ALPHA", "risk", "x", "--probability", "9"], 2, "--probability: 9 is not in"),
        (
            ["add", "ALPHA", "issue", "x", "--probability", "2"],
            2,
            "--probability: probability applies only to a risk",
        ),
        (["add", "ALPHA", "risk", "x", "--due", "soon"], 2, "--due"),
        (["add", "NOPE", "risk", "x"], 3, "'NOPE'"),
        (["add", "ALPHA", "risk", "  "], 2, "TITLE: "),
        (["close", "nope"], 3, "no RAID item 'nope'"),
        (["list", "NOPE"], 3, "'NOPE'"),
    ],
)
def test_bad_raid_input_writes_nothing(
    hierarchy: Pmo, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("raid", *argv), code, needle)
    assert hierarchy.snapshot() == before


def _raid_with_ids(pmo: Pmo, *ids: str) -> None:
    from pmo_core import Workspace
    from pmo_core._domain import RaidItem

    with Workspace.open(pmo.root) as ws:
        for item_id in ids:
            ws.add(RaidItem(id=item_id, type="issue", entity="ALPHA", title=f"Issue {item_id}"))


def test_raid_close_accepts_a_unique_start_of_the_id(hierarchy: Pmo) -> None:
    _raid_with_ids(hierarchy, "abc123def456", "abd999000111")

    result = hierarchy.ok("raid", "close", "abc1", "--resolution", "Fixed")

    assert "Closed issue abc123def456 of ALPHA" in result.output
    items = json.loads(hierarchy.ok("raid", "list", "--json").output)
    assert {i["id"]: i["status"] for i in items} == {
        "abc123def456": "closed",
        "abd999000111": "open",
    }


@pytest.mark.parametrize(
    ("ref", "code", "needle"),
    [
        ("ab12", 2, "ID: 'ab12' matches 2 RAID items (ab1200000001, ab1200000002)"),
        ("ab1", 3, "give at least 4 characters"),
        ("ffff", 3, "no RAID item 'ffff'"),
    ],
)
def test_raid_close_refuses_an_ambiguous_or_short_id(
    hierarchy: Pmo, ref: str, code: int, needle: str
) -> None:
    _raid_with_ids(hierarchy, "ab1200000001", "ab1200000002")
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("raid", "close", ref), code, needle)
    assert hierarchy.snapshot() == before
