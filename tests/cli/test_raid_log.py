"""pmo raid show / update / close / reopen / escalate, and what pmo raid list shows of
escalations, dependencies and decisions; bad input is one line naming the option, exit 2,
and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").output)


@pytest.fixture
def risk(hierarchy: Pmo) -> str:
    """The id of a risk of ALPHA (probability 4, impact 4, owned by Sam, raised on
    2025-01-06)."""
    item = _json(
        hierarchy, "raid", "add", "ALPHA", "risk", "Vendor late", "--probability", "4",
        "--impact", "4", "--owner", "Sam", "--on", "2025-01-06",
    )  # fmt: skip
    assert item["raised_on"] == "2025-01-06"
    return str(item["id"])


def test_json_names_the_person_as_the_option_does_and_keeps_owned_by_until_0_2(
    hierarchy: Pmo, risk: str
) -> None:
    shown = _json(hierarchy, "raid", "show", risk)
    assert (shown["owner"], shown["owned_by"], shown["version"]) == ("Sam", "Sam", 1)
    keys = list(shown)
    assert keys.index("owner") < keys.index("owned_by")  # the new name first


def test_update_rescores_and_show_lists_the_history(hierarchy: Pmo, risk: str) -> None:
    out = hierarchy.ok(
        "raid", "update", risk[:4], "--probability", "2", "--comment", "Second vendor"
    ).output
    assert f"Updated risk {risk} of ALPHA: Vendor late, score 8 (was 16)" in out
    updated = _json(hierarchy, "raid", "update", risk, "--owner", "Lee", "--due", "2025-07-01")
    assert (updated["owner"], updated["due"], updated["probability"]) == ("Lee", "2025-07-01", 2)

    shown = _json(hierarchy, "raid", "show", risk[:5])
    [change] = shown["score_history"]
    assert {k: change[k] for k in ("actor", "old_score", "new_score", "comment")} == {
        "actor": "tester",
        "old_score": 16,
        "new_score": 8,
        "comment": "Second vendor",
    }
    assert shown["version"] == 3
    text = hierarchy.ok("raid", "show", risk).output
    assert "Score history:" in text
    for shown in ("4 -> 2", "16 -> 8", "Second vendor"):
        assert shown in text
    listed = _json(hierarchy, "raid", "list", "ALPHA")
    assert listed[0]["score_history"][0]["new_score"] == 8


def test_update_that_changes_nothing_says_so(hierarchy: Pmo, risk: str) -> None:
    before = hierarchy.snapshot()

    out = hierarchy.ok("raid", "update", risk, "--probability", "4").output

    assert f"No change to risk {risk}" in out
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["--probability", "7"], 2, "--probability: 7 is not in the range 1..5"),
        (["--needed-by", "2025-09-01"], 2, "--needed-by: needed_by applies only to a dependency"),
        (["--decided-by", "Board"], 2, "--decided-by: decided_by applies only to a decision"),
        (["--on", "2025-01-01"], 2, "--on: decided_on applies only to a decision"),
        (["--depends-on", "BETA"], 2, "--depends-on: depends_on applies only to a dependency"),
        (["--due", "next week"], 2, "--due: 'next week' is not a date"),
        (["--owner", "Sam\x1b]0;x\x07"], 2, "--owner: control character U+001B at position 4"),
        (["--response", "a\x00b"], 2, "--response: NUL character U+0000"),
        (["--title", " "], 2, "--title: "),
        (["--owner", "Lee", "--comment", "why"], 2, "--comment: a comment is recorded with"),
        ([], 2, "nothing to change"),
    ],
)
def test_bad_updates_write_nothing(
    hierarchy: Pmo, risk: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("raid", "update", risk, *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_unknown_or_ambiguous_ids(hierarchy: Pmo) -> None:
    assert_user_error(hierarchy("raid", "show", "ffffffff"), 3, "no RAID item 'ffffffff'")
    assert_user_error(
        hierarchy("raid", "update", "fff", "--owner", "x"), 3, "give at least 4 characters"
    )
    assert_user_error(hierarchy("raid", "escalate", "ffff", "--comment", "x"), 3, "no RAID item")


def test_close_with_a_resolution_and_reopen(hierarchy: Pmo, risk: str) -> None:
    closed = _json(
        hierarchy, "raid", "close", risk[:4], "--resolution", "Vendor delivered", "--on",
        "2025-03-01",
    )  # fmt: skip
    assert (closed["status"], closed["resolution"]) == ("closed", "Vendor delivered")
    assert closed["closed_on"] == "2025-03-01"
    assert "resolution:  Vendor delivered" in hierarchy.ok("raid", "show", risk).output

    out = hierarchy.ok("raid", "reopen", risk, "--comment", "Slipped again").output
    assert f"Reopened risk {risk} of ALPHA" in out
    shown = _json(hierarchy, "raid", "show", risk)
    assert (shown["status"], shown["resolution"]) == ("open", None)
    [reopening] = shown["reopenings"]
    assert (reopening["actor"], reopening["comment"], reopening["resolution"]) == (
        "tester",
        "Slipped again",
        "Vendor delivered",
    )
    commands = [e["command"] for e in _json(hierarchy, "journal")][-2:]
    assert commands == ["raid close", "raid reopen"]


def test_close_takes_the_former_note_with_a_warning_and_hides_it(hierarchy: Pmo, risk: str) -> None:
    closed = hierarchy.ok("raid", "close", risk, "--note", "Done")

    assert _json(hierarchy, "raid", "show", risk)["resolution"] == "Done"
    assert "warning: --note is deprecated and goes in pmo-core 0.2; use --resolution" in (
        closed.stderr
    )
    assert "--note" not in hierarchy.ok("raid", "close", "--help").output


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["close", "RISK"], 2, "--resolution: say how the item was resolved"),
        (["close", "RISK", "--resolution", "x", "--on", "2999-01-01"], 2, "--on: 2999-01-01 is"),
        (["close", "RISK", "--resolution", "x", "--on", "1 May"], 2, "--on: '1 May' is not"),
        (["reopen", "RISK", "--comment", "x"], 4, "is open; only a closed item is reopened"),
        (["escalate", "RISK"], 2, "--comment: say why the item is escalated"),
        (["escalate", "RISK", "--to", "NOPE", "--comment", "x"], 2, "--to: no portfolio"),
        (["escalate", "RISK", "--to", "ALPHA", "--comment", "x"], 2, "--to: ALPHA is not above"),
    ],
)
def test_bad_lifecycle_input_writes_nothing(
    hierarchy: Pmo, risk: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()
    argv = [risk if a == "RISK" else a for a in argv]

    assert_user_error(hierarchy("raid", *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_reopen_needs_a_comment(hierarchy: Pmo, risk: str) -> None:
    hierarchy.ok("raid", "close", risk, "--resolution", "Done")
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("raid", "reopen", risk), 2, "--comment: say why")
    assert hierarchy.snapshot() == before


def test_escalate_shows_in_the_parent_log_with_its_origin(hierarchy: Pmo, risk: str) -> None:
    out = hierarchy.ok("raid", "escalate", risk, "--comment", "Needs the reserve").output
    assert f"Escalated risk {risk} of ALPHA from ALPHA to ERP: Vendor late" in out
    escalated = _json(hierarchy, "raid", "escalate", risk, "--to", "PF", "--comment", "Board")
    assert (escalated["entity"], escalated["escalated_to"]) == ("ALPHA", "PF")
    assert [(s["from_entity"], s["to_entity"]) for s in escalated["escalations"]] == [
        ("ALPHA", "ERP"),
        ("ERP", "PF"),
    ]

    [listed] = _json(hierarchy, "raid", "list", "PF")
    assert (listed["id"], listed["entity"], listed["escalated_to"]) == (risk, "ALPHA", "PF")
    assert "PF (from ALPHA)" in hierarchy.ok("raid", "list", "PF").output
    shown = hierarchy.ok("raid", "show", risk).output
    assert "escalated to: PF" in shown
    assert "Escalations:" in shown

    before = hierarchy.snapshot()
    assert_user_error(
        hierarchy("raid", "escalate", risk, "--comment", "higher"),
        2,
        "portfolio PF has no parent",
    )
    assert hierarchy.snapshot() == before


def test_dependencies_show_on_both_sides(hierarchy: Pmo) -> None:
    hierarchy.ok("project", "create", "BETA", "--name", "Beta", "--parent", "PF")
    dependency = _json(
        hierarchy, "raid", "add", "ALPHA", "dependency", "Finance API", "--depends-on", "BETA",
        "--needed-by", "2025-09-01", "--committed-on", "2025-09-15",
    )  # fmt: skip
    assert (dependency["depends_on"], dependency["committed_on"]) == ("BETA", "2025-09-15")

    [incoming] = _json(hierarchy, "raid", "list", "BETA")
    [outgoing] = _json(hierarchy, "raid", "list", "ALPHA")
    assert (incoming["id"], incoming["side"]) == (dependency["id"], "incoming")
    assert (outgoing["id"], outgoing["side"]) == (dependency["id"], "outgoing")
    assert "dependency (incoming, on BETA)" in hierarchy.ok("raid", "list", "BETA").output
    assert "dependency on BETA" in hierarchy.ok("raid", "list", "ALPHA").output

    delivered = _json(hierarchy, "raid", "update", dependency["id"], "--delivered-on", "2025-03-01")
    assert delivered["delivered_on"] == "2025-03-01"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--depends-on", "NOPE"], "--depends-on: no portfolio, program or project 'NOPE'"),
        (["--depends-on", "ALPHA"], "--depends-on: ALPHA cannot depend on itself"),
        (["--needed-by", "soon"], "--needed-by: 'soon' is not a date"),
        (["--delivered-on", "2999-01-01"], "--delivered-on: delivered_on 2999-01-01 is after"),
        (["--impact", "3"], "--impact: impact applies only to a risk or an issue"),
        (["--owner", "a" * 256], "--owner: 256 characters is too long"),
    ],
)
def test_bad_dependencies_write_nothing(hierarchy: Pmo, argv: list[str], needle: str) -> None:
    before = hierarchy.snapshot()

    result = hierarchy("raid", "add", "ALPHA", "dependency", "Finance API", *argv)

    assert_user_error(result, 2, needle)
    assert hierarchy.snapshot() == before


def test_the_decisions_log(hierarchy: Pmo) -> None:
    hierarchy.ok(
        "raid", "add", "PF", "decision", "Freeze intake", "--decided-by", "Board", "--on",
        "2025-03-14",
    )  # fmt: skip
    hierarchy.ok(
        "raid", "add", "ALPHA", "decision", "Vendor X", "--decided-by", "Dana", "--on",
        "2025-01-20",
    )  # fmt: skip
    hierarchy.ok("raid", "add", "PF", "risk", "Not a decision", "--probability", "1")

    log = _json(hierarchy, "raid", "list", "PF", "--type", "decision")

    assert [(d["decided_on"], d["decided_by"], d["title"]) for d in log] == [
        ("2025-01-20", "Dana", "Vendor X"),
        ("2025-03-14", "Board", "Freeze intake"),
    ]
    table = hierarchy.ok("raid", "list", "PF", "--type", "decision").output.splitlines()
    assert table[0].split()[2:6] == ["DECIDED", "ON", "DECIDED", "BY"]
    assert [line.split()[2] for line in table[1:]] == ["2025-01-20", "2025-03-14"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["decision", "x", "--on", "2999-01-01"], "--on: decided_on 2999-01-01 is after"),
        (["risk", "x", "--on", "2999-01-01"], "--on: raised_on 2999-01-01 is after"),
        (["risk", "x", "--decided-by", "Board"], "--decided-by: decided_by applies only to"),
        (["decision", "x", "--response", "y"], "--response: response applies only to a risk"),
        (
            ["decision", "x", "--decided-by", "Bo\u202eard"],
            "--decided-by: bidirectional control character U+202E",
        ),
    ],
)
def test_bad_adds_name_the_option_and_write_nothing(
    hierarchy: Pmo, argv: list[str], needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("raid", "add", "PF", *argv), 2, needle)
    assert hierarchy.snapshot() == before


def test_every_raid_command_prints_json(hierarchy: Pmo, risk: str) -> None:
    commands = [
        ["raid", "show", risk],
        ["raid", "update", risk, "--impact", "3"],
        ["raid", "escalate", risk, "--comment", "up"],
        ["raid", "close", risk, "--resolution", "done"],
        ["raid", "reopen", risk, "--comment", "again"],
    ]
    for argv in commands:
        item = _json(hierarchy, *argv)
        assert (item["id"], item["entity"]) == (risk, "ALPHA"), argv
