"""What an import result keeps and says: the limit on the diff items it holds, which of them
go first, the counts of what was left out, and the summary line of a real or a dry run."""

from __future__ import annotations

import dataclasses

import pytest

from pmo_core import ImportResult
from pmo_core._services.diff import ITEM_LIMIT, DiffCollector, DiffItem


def _item(op: str, name: str, kind: str = "work_item") -> DiffItem:
    return DiffItem(op=op, kind=kind, id=name, remote_id=name)  # type: ignore[arg-type]


def _result(*items: DiffItem, dry_run: bool = False, **extra: object) -> ImportResult:
    return ImportResult(connector="csv", location="x.csv", dry_run=dry_run, items=items, **extra)  # type: ignore[arg-type]


def test_an_import_keeps_the_first_thousand_changed_diffs_and_counts_the_rest() -> None:
    collector = DiffCollector()
    for n in range(ITEM_LIMIT + 1):
        collector.add(_item("create", f"C{n}"))
    result = collector.result("csv", "x.csv", dry_run=False)

    assert ITEM_LIMIT == 1000  # the documented limit
    assert len(result.items) == 1000
    assert result.items[-1].id == "C999"
    assert result.omitted == 1
    assert result.counts()["create"] == 1001


def test_a_changed_diff_is_wanted_until_the_limit_and_not_at_it() -> None:
    collector = DiffCollector(limit=2)
    collector.add(_item("create", "A"))
    assert collector.wants("create")
    assert collector.wants("update")
    collector.add(_item("update", "B"))
    assert not collector.wants("create")
    assert not collector.wants("archive")


def test_an_unchanged_diff_is_wanted_while_changed_and_unchanged_together_leave_room() -> None:
    collector = DiffCollector(limit=3)
    collector.add(_item("create", "A"))
    collector.add(_item("unchanged", "U1"))
    assert collector.wants("unchanged")  # two kept of three
    collector.add(_item("unchanged", "U2"))
    assert not collector.wants("unchanged")  # three kept: full
    # A changed diff still has room: unchanged ones give way to it.
    assert collector.wants("update")


def test_no_unchanged_diff_is_wanted_once_the_changed_ones_fill_the_room() -> None:
    collector = DiffCollector(limit=2)
    collector.add(_item("create", "A"))
    collector.add(_item("create", "B"))
    assert not collector.wants("unchanged")
    one_each = DiffCollector(limit=2)
    one_each.add(_item("create", "A"))
    one_each.add(_item("unchanged", "U"))
    assert not one_each.wants("unchanged")


def test_an_update_counts_as_changed_when_the_room_for_unchanged_ones_is_gone() -> None:
    collector = DiffCollector(limit=2)
    collector.add(_item("unchanged", "U1"))
    collector.add(_item("unchanged", "U2"))
    assert not collector.wants("unchanged")
    assert collector.wants("update")
    collector.add(_item("update", "B"))
    assert not collector.wants("unchanged")  # three kept, past the limit: still full
    assert [i.id for i in collector.result("csv", "x", dry_run=False).items] == ["U1", "B"]


def test_updates_are_kept_before_unchanged_ones_in_the_order_met() -> None:
    collector = DiffCollector(limit=2)
    for item in (_item("unchanged", "U"), _item("update", "B"), _item("create", "C")):
        collector.add(item)
    kept = [i.id for i in collector.result("csv", "x", dry_run=False).items]
    assert kept == ["B", "C"]


def test_kept_diffs_are_listed_in_the_order_the_import_met_them() -> None:
    collector = DiffCollector(limit=5)
    for item in (_item("unchanged", "U1"), _item("create", "C"), _item("unchanged", "U2")):
        collector.add(item)
    collector.count("work_item", "update")  # counted, not kept, still takes its place
    collector.add(_item("archive", "Z"))
    assert [i.id for i in collector.result("csv", "x", dry_run=False).items] == [
        "U1", "C", "U2", "Z",
    ]  # fmt: skip


def test_an_operation_read_at_run_time_is_recognised_as_unchanged() -> None:
    # The operation may come from a file or a plugin as a string made at run time, equal to
    # "unchanged" but another object: it is compared by value.
    op = "".join(["un", "changed"])
    collector = DiffCollector(limit=2)
    collector.add(_item("create", "C"))
    assert collector.wants(op)
    collector.add(_item(op, "U1"))
    assert not collector.wants(op)  # one changed and one unchanged fill the room
    assert collector.wants("create")  # unchanged diffs give way to changed ones
    collector.add(_item("create", "D"))
    assert [i.id for i in collector.result("csv", "x", dry_run=False).items] == ["C", "D"]
    listed = _result(_item(op, "U"), _item("update", "B")).as_dict()["items"]
    assert [i["id"] for i in listed] == ["B"]


def test_the_json_lists_every_changed_item_kept_and_no_unchanged_one() -> None:
    result = _result(
        _item("unchanged", "U"),
        _item("create", "C"),
        _item("update", "B"),
        _item("archive", "Z"),
    )
    as_dict = result.as_dict()
    assert [i["id"] for i in as_dict["items"]] == ["C", "B", "Z"]
    assert as_dict["items"][1] == {
        "op": "update",
        "kind": "work_item",
        "id": "B",
        "remote_id": "B",
        "where": "",
        "changes": {},
    }
    assert as_dict["items_omitted"] == 0


def test_changed_items_left_out_of_the_json_are_counted_archives_included() -> None:
    result = ImportResult(
        connector="csv",
        location="x.csv",
        dry_run=False,
        items=(_item("create", "C"),),
        by_kind={"work_item": {"create": 2, "update": 3, "unchanged": 7, "archive": 4}},
        omitted=15,
    )
    # 2 + 3 + 4 changed, one of them listed.
    assert result.as_dict()["items_omitted"] == 8


def test_a_diff_item_as_json_names_each_change_before_and_after() -> None:
    item = DiffItem(
        op="update", kind="project", id="A", remote_id="r-A",
        changes={"status": ("on_track", "at_risk")}, where="projects.csv:3",
    )  # fmt: skip
    assert item.as_dict() == {
        "op": "update",
        "kind": "project",
        "id": "A",
        "remote_id": "r-A",
        "where": "projects.csv:3",
        "changes": {"status": {"before": "on_track", "after": "at_risk"}},
    }


def test_a_result_built_from_items_alone_omits_nothing_and_has_no_conflict() -> None:
    result = _result(_item("create", "C"))
    assert result.omitted == 0
    assert result.conflict_count == 0
    assert "conflict" not in result.summary()
    assert result.as_dict()["conflict_count"] == 0


@pytest.mark.parametrize(
    ("dry_run", "line"),
    [
        (True, "would create 1, would update 1, unchanged 1, would archive 1"),
        (False, "created 1, updated 1, unchanged 1, archived 1"),
    ],
)
def test_the_summary_says_would_only_for_a_dry_run(dry_run: bool, line: str) -> None:
    result = _result(
        _item("create", "C"),
        _item("update", "B"),
        _item("unchanged", "U"),
        _item("archive", "Z"),
        dry_run=dry_run,
    )
    assert result.summary() == line


def test_the_summary_names_the_conflicts_and_the_policy_that_decided_them() -> None:
    result = _result(_item("update", "B"), conflict_count=2, policy="local-wins")
    assert result.summary() == (
        "created 0, updated 1, unchanged 0; 2 conflict(s), the local value kept"
    )


def test_diffs_and_results_cannot_be_changed_once_made() -> None:
    item = _item("create", "C")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.op = "update"  # type: ignore[misc]
    result = _result(item)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.omitted = 3  # type: ignore[misc]
