"""pmo work add / update / list / show / progress and pmo milestone add / update / list /
done: what is stored, the JSON, the actor in the journal; bad input is one line naming the
option, exit 2 (3 for an unknown item, 4 on a killed project), and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").stdout)


def _journal(pmo: Pmo) -> list[dict[str, Any]]:
    return list(_json(pmo, "journal", "--limit", "0"))


@pytest.fixture
def milestone(hierarchy: Pmo) -> str:
    """The id of ALPHA's milestone "Go-live", due on 2025-11-03."""
    found = _json(hierarchy, "milestone", "add", "ALPHA", "Go-live", "--due", "2025-11-03")
    return str(found["id"])


@pytest.fixture
def item(hierarchy: Pmo, milestone: str) -> str:
    """The id of ALPHA's work item "Data migration" (48000 EUR, 320 hours)."""
    found = _json(
        hierarchy, "work", "add", "ALPHA", "Data migration", "--start", "2025-03-03",
        "--due", "2025-04-30", "--work", "320", "--budget", "48000 EUR", "--assignee",
        "Sam Roe", "--milestone", milestone[:4],
    )  # fmt: skip
    return str(found["id"])


def test_add_stores_the_plan_and_list_shows_it(hierarchy: Pmo, item: str, milestone: str) -> None:
    child = _json(
        hierarchy, "work", "add", "ALPHA", "Load customers", "--parent", item[:5],
        "--type", "subtask", "--ev-method", "50/50",
    )  # fmt: skip

    assert (child["parent"], child["type"], child["ev_method"]) == (item, "subtask", "50/50")
    listed = _json(hierarchy, "work", "list", "ALPHA")
    assert [w["subject"] for w in listed] == ["Data migration", "Load customers"]
    first = listed[0]
    assert (first["id"], first["milestone"], first["work"], first["assignee"]) == (
        item,
        milestone,
        320,
        "Sam Roe",
    )
    assert first["budget"] == {"amount": "48000", "currency": "EUR"}
    assert (first["status"], first["percent_complete"], first["version"]) == ("open", 0, 1)
    table = hierarchy.ok("work", "list", "ALPHA").output
    assert "48,000.00 EUR" in table
    assert "Data migration" in table
    entry = _journal(hierarchy)[-1]
    assert (entry["command"], entry["actor"], entry["id"]) == ("work add", "tester", child["id"])
    assert "Added work item" in hierarchy.ok("work", "add", "ALPHA", "Cut-over").output


def test_list_limit(hierarchy: Pmo) -> None:
    for n in range(3):
        hierarchy.ok("work", "add", "ALPHA", f"Item {n}", "--start", f"2025-03-0{n + 1}")

    result = hierarchy.ok("work", "list", "ALPHA", "--limit", "2")

    assert len(result.stdout.splitlines()) == 3  # the header and two rows
    assert "showing 2 of 3" in result.stderr
    assert len(_json(hierarchy, "work", "list", "ALPHA")) == 3  # no limit with --json


def test_progress_forward_then_a_correction_with_a_comment(hierarchy: Pmo, item: str) -> None:
    progressed = _json(
        hierarchy, "work", "progress", item[:4], "--percent", "60", "--actual-cost",
        "30500 EUR", "--remaining", "120",
    )  # fmt: skip
    assert (progressed["percent_complete"], progressed["status"], progressed["remaining"]) == (
        60,
        "in_progress",
        120,
    )
    assert progressed["actual_cost"] == {"amount": "30500", "currency": "EUR"}

    before = hierarchy.snapshot()
    assert_user_error(
        hierarchy("work", "progress", item, "--percent", "40"),
        2,
        "--comment: 40% is below the current 60%",
    )
    assert hierarchy.snapshot() == before

    out = hierarchy.ok(
        "--as", "Lee Chen", "work", "progress", item, "--percent", "40", "--comment",
        "Dry run failed",
    ).output  # fmt: skip
    assert f"Progress of work item {item} of ALPHA: Data migration, 40% (was 60%)" in out
    shown = _json(hierarchy, "work", "show", item[:6])
    [correction] = shown["corrections"]
    assert (correction["actor"], correction["old_percent"], correction["new_percent"]) == (
        "Lee Chen",
        60,
        40,
    )
    assert correction["comment"] == "Dry run failed"
    assert "Corrections:" in hierarchy.ok("work", "show", item).output
    entry = _journal(hierarchy)[-1]
    assert (entry["command"], entry["actor"]) == ("work progress", "Lee Chen")

    done = _json(hierarchy, "work", "progress", item, "--percent", "100")
    assert (done["status"], done["remaining"]) == ("done", 0)


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["--percent", "101"], 2, "--percent: 101 is more than 100"),
        (["--percent", "-1"], 2, "--percent: -1 is less than 0"),
        (["--percent", "half"], 2, "--percent: 'half' is not a number"),
        (["--percent", "nan"], 2, "--percent: 'nan' is not a finite number"),
        (["--percent", "50", "--actual-cost", "-5 EUR"], 2, "--actual-cost: must not be negative"),
        (["--percent", "50", "--actual-cost", "5 USD"], 2, "--actual-cost: 5 USD is in USD"),
        (["--percent", "50", "--remaining", "-3"], 2, "--remaining: -3 is less than 0"),
        (["--percent", "50", "--comment", "why"], 2, "--comment: a comment is recorded with"),
        (["--percent", "100", "--remaining", "8"], 2, "--remaining: 8 hours remain"),
        ([], 2, "Missing option '--percent'"),
    ],
)
def test_bad_progress_writes_nothing(
    hierarchy: Pmo, item: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("work", "progress", item, *argv), code, needle)
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["--budget", "-5 EUR"], 2, "--budget: must not be negative, got -5 EUR"),
        (["--budget", "5 USD"], 2, "--budget: 5 USD is in USD but project ALPHA is kept in EUR"),
        (["--budget", "lots"], 2, "--budget: 'lots' is not money"),
        (["--work", "-1"], 2, "--work: -1 is less than 0"),
        (["--ev-method", "vibes"], 2, "--ev-method: 'vibes' is not one of percent_complete"),
        (["--start", "2025-05-01", "--due", "2025-04-01"], 2, "due (2025-04-01) is before start"),
        (["--milestone", "ffffffff"], 2, "--milestone: no milestone 'ffffffff' in ALPHA"),
        (["--parent", "ffffffff"], 2, "--parent: no work item 'ffffffff' in ALPHA"),
        (["--assignee", "Sam\x1b]0;x\x07"], 2, "--assignee: control character U+001B"),
    ],
)
def test_bad_work_items_write_nothing(
    hierarchy: Pmo, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("work", "add", "ALPHA", "Migration", *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_add_names_the_project_argument(hierarchy: Pmo) -> None:
    before = hierarchy.snapshot()
    assert_user_error(hierarchy("work", "add", "ERP", "X"), 2, "PROJECT: ERP is a program")
    assert_user_error(hierarchy("work", "add", "NOPE", "X"), 3, "'NOPE'")
    assert_user_error(hierarchy("work", "add", "ALPHA", " "), 2, "SUBJECT: ")
    assert hierarchy.snapshot() == before


def test_update_changes_only_what_is_given(hierarchy: Pmo, item: str) -> None:
    updated = _json(
        hierarchy, "work", "update", item[:4], "--due", "2025-05-16", "--assignee", "",
        "--milestone", "",
    )  # fmt: skip

    assert (updated["due"], updated["assignee"], updated["milestone"]) == (
        "2025-05-16",
        None,
        None,
    )
    assert (updated["work"], updated["version"]) == (320, 2)
    assert _journal(hierarchy)[-1]["command"] == "work update"
    before = hierarchy.snapshot()
    assert "No change to work item" in hierarchy.ok("work", "update", item, "--work", "320").output
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        ([], 2, "nothing to change"),
        (["--subject", " "], 2, "--subject: "),
        (["--due", "2025-01-01"], 2, "due (2025-01-01) is before start"),
        (["--budget", "5 GBP"], 2, "--budget: 5 GBP is in GBP"),
    ],
)
def test_bad_updates_write_nothing(
    hierarchy: Pmo, item: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("work", "update", item, *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_a_work_item_cannot_be_its_own_ancestor(hierarchy: Pmo, item: str) -> None:
    child = _json(hierarchy, "work", "add", "ALPHA", "Child", "--parent", item)["id"]
    before = hierarchy.snapshot()

    assert_user_error(
        hierarchy("work", "update", item, "--parent", child), 2, f"--parent: work item {child}"
    )
    assert_user_error(hierarchy("work", "update", item, "--parent", item), 2, "its own parent")
    assert hierarchy.snapshot() == before


def test_unknown_or_ambiguous_references(hierarchy: Pmo) -> None:
    assert_user_error(hierarchy("work", "show", "ffffffff"), 3, "no work item 'ffffffff'")
    assert_user_error(hierarchy("work", "progress", "fff", "--percent", "5"), 3, "4 characters")
    assert_user_error(hierarchy("milestone", "done", "ffffffff"), 3, "no milestone 'ffffffff'")


def test_a_killed_project_takes_no_more_work(hierarchy: Pmo, item: str, milestone: str) -> None:
    hierarchy.ok(
        "project", "update", "ALPHA", "--lifecycle", "killed", "--comment", "No market",
        "--approver", "Dana (sponsor)",
    )  # fmt: skip
    before = hierarchy.snapshot()

    for argv in (
        ["work", "add", "ALPHA", "More"],
        ["work", "update", item, "--work", "10"],
        ["work", "progress", item, "--percent", "10"],
        ["milestone", "add", "ALPHA", "Later", "--due", "2025-12-01"],
        ["milestone", "done", milestone],
    ):
        assert_user_error(hierarchy(*argv), 4, "ALPHA: it is killed")
    assert hierarchy.snapshot() == before


# -------------------------------------------------------------------------- milestones


def test_milestones_add_update_list_done(hierarchy: Pmo, milestone: str) -> None:
    hierarchy.ok("milestone", "add", "ALPHA", "Design signed off", "--due", "2025-04-30")
    listed = _json(hierarchy, "milestone", "list", "ALPHA")
    assert [(m["name"], m["due"], m["status"]) for m in listed] == [
        ("Design signed off", "2025-04-30", "open"),
        ("Go-live", "2025-11-03", "open"),
    ]

    moved = _json(hierarchy, "milestone", "update", milestone[:4], "--due", "2025-11-17")
    assert (moved["due"], moved["version"]) == ("2025-11-17", 2)
    out = hierarchy.ok("milestone", "done", milestone[:4], "--on", "2025-11-14").output
    assert f"Milestone {milestone} of ALPHA done on 2025-11-14: Go-live" in out
    done = _json(hierarchy, "milestone", "list", "ALPHA")[1]
    assert (done["status"], done["completed_on"]) == ("closed", "2025-11-14")
    entry = _journal(hierarchy)[-1]
    assert (entry["command"], entry["actor"]) == ("milestone done", "tester")
    assert "closed" in hierarchy.ok("milestone", "list", "ALPHA").output


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["add", "ALPHA", "Later"], 2, "Missing option '--due'"),
        (["add", "ALPHA", "Later", "--due", "soon"], 2, "--due: 'soon' is not a date"),
        (["add", "ALPHA", " ", "--due", "2025-12-01"], 2, "NAME: "),
        (["update", "{m}"], 2, "nothing to change"),
        (["update", "{m}", "--name", " "], 2, "--name: "),
        (["done", "{m}", "--on", "2999-01-01"], 2, "--on: 2999-01-01 is after the status date"),
    ],
)
def test_bad_milestones_write_nothing(
    hierarchy: Pmo, milestone: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    argv = [a.replace("{m}", milestone) for a in argv]
    assert_user_error(hierarchy("milestone", *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_a_done_milestone_is_done_once(hierarchy: Pmo, milestone: str) -> None:
    hierarchy.ok("milestone", "done", milestone)
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("milestone", "done", milestone), 4, "done already")
    assert hierarchy.snapshot() == before


def test_move_keeps_each_change_of_status_with_its_day(hierarchy: Pmo, item: str) -> None:
    added = _json(hierarchy, "work", "show", item)
    first = added["transitions"][0]
    assert first["status"] == "open"
    line = hierarchy.ok("work", "move", item[:4], "review", "--on", first["on"]).output
    assert line.strip() == f"Moved work item {item} of ALPHA: Data migration, open -> review"
    done = _json(hierarchy, "work", "move", item[:4], "done", "--on", first["on"])
    assert [t["status"] for t in done["transitions"]] == ["open", "review", "done"]
    assert done["percent_complete"] == 100
    same = hierarchy.ok("work", "move", item[:4], "done").output
    assert same.startswith("No change to work item")


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["review", "--on", "2999-01-01"], 2, "--on: 2999-01-01 is after the status date"),
        (["review", "--on", "someday"], 2, "--on"),
        ([" "], 2, "STATUS: '' is not a status"),
    ],
)
def test_bad_moves_write_nothing(
    hierarchy: Pmo, item: str, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("work", "move", item, *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_a_done_item_moves_back_only_by_a_correction(hierarchy: Pmo, item: str) -> None:
    hierarchy.ok("work", "progress", item, "--percent", "100")
    before = hierarchy.snapshot()
    assert_user_error(
        hierarchy("work", "move", item, "review"), 2, "STATUS: work item", "correct its progress"
    )
    assert hierarchy.snapshot() == before


def test_list_filters_and_a_list_over_a_portfolio(hierarchy: Pmo) -> None:
    hierarchy.ok("project", "create", "BETA", "--name", "Beta", "--parent", "PF")
    add = ("work", "add")
    hierarchy.ok(*add, "ALPHA", "Late and open", "--due", "2025-01-31", "--assignee", "Kim Lee")
    hierarchy.ok(*add, "ALPHA", "Late but done", "--due", "2025-01-31", "--assignee", "kim lee")
    hierarchy.ok(*add, "ALPHA", "Far off", "--due", "2999-01-31", "--type", "bug")
    hierarchy.ok(*add, "BETA", "Beta's", "--due", "2025-02-28", "--assignee", "Sam Roe")
    done = next(
        w for w in _json(hierarchy, "work", "list", "ALPHA") if w["subject"] == "Late but done"
    )
    hierarchy.ok("work", "progress", done["id"], "--percent", "100")

    def subjects(*args: str) -> list[str]:
        return [w["subject"] for w in _json(hierarchy, "work", "list", *args)]

    assert subjects("PF") == ["Late and open", "Late but done", "Far off", "Beta's"]
    assert subjects("ERP") == ["Late and open", "Late but done", "Far off"]
    assert subjects("PF", "--assignee", "KIM LEE") == ["Late and open", "Late but done"]
    assert subjects("PF", "--overdue") == ["Late and open", "Beta's"]
    assert subjects("PF", "--overdue", "--assignee", "Sam Roe") == ["Beta's"]
    assert subjects("ALPHA", "--type", "bug") == ["Far off"]
    assert subjects("PF", "--status", "open", "--status", "done") == subjects("PF")
    assert subjects("PF", "--status", "blocked") == []
    table = hierarchy.ok("work", "list", "PF").stdout.splitlines()
    assert table[0].split()[:2] == ["PROJECT", "ID"]
    assert table[-1].split()[0] == "BETA"
    assert hierarchy.ok("work", "list", "ALPHA").stdout.split()[0] == "ID"  # one project
    assert_user_error(hierarchy("work", "list", "NOPE"), 3, "NOPE")


def test_list_source_shows_what_came_in_through_a_connector(
    hierarchy: Pmo, fake_distribution: Any
) -> None:
    fake_distribution(
        "pmo-src",
        """
        from pmo_core import PmoConnector, SourceItem, hookimpl

        def read(request):
            yield SourceItem(kind="work_item", remote_id="7",
                             data={"project": "ALPHA", "subject": "From the source"})

        @hookimpl
        def pmo_connectors():
            yield PmoConnector(name="src", capabilities=frozenset({"read"}), read=read)
        """,
        families=("connectors",),
    )
    hierarchy.ok("plugins", "enable", "src")
    hierarchy.ok("work", "add", "ALPHA", "Made here")
    hierarchy.ok("import", "src", "anywhere")

    listed = _json(hierarchy, "work", "list", "PF", "--source", "src")

    assert [w["subject"] for w in listed] == ["From the source"]
    assert _json(hierarchy, "work", "list", "PF", "--source", "csv") == []
    assert len(_json(hierarchy, "work", "list", "PF")) == 2
