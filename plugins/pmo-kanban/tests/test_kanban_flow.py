"""Flow metrics of the board in kanban_support, computed by hand: cumulative flow, lead and
cycle time with their nearest-rank percentiles, throughput, WIP and WIP age."""

from __future__ import annotations

from datetime import date

import pytest
from kanban_support import TODAY, d
from pmo_kanban import (
    KanbanFields,
    column_counts,
    cumulative_flow,
    flow_metrics,
    flows,
    item_flow,
    percentile,
)

from pmo_core import StatusChange, WorkItem, Workspace

# End of each day:  backlog  ready  dev  review  done
CFD = {
    d(3): (1, 1, 0, 0, 0),  # W1 ready (backlog, then ready the same day), W2 backlog
    d(4): (1, 1, 1, 0, 0),  # W1 dev, W3 requested into ready
    d(5): (2, 1, 2, 0, 0),  # W2 dev, W4 and W5 requested
    d(6): (1, 1, 1, 1, 1),  # W1 review, W2 done, W3 dev, W4 ready
    d(7): (1, 1, 1, 1, 2),  # W1 done, W3 review, W4 dev, W6 requested into ready
    d(8): (1, 1, 1, 1, 2),
    d(9): (1, 0, 1, 1, 3),  # W6 done
    d(10): (1, 0, 1, 0, 4),  # W3 done
}


def test_cumulative_flow_by_hand(ws: Workspace, board: dict[str, str]) -> None:
    days = cumulative_flow(ws.view(), "OPS")
    assert [x.day for x in days] == list(CFD)
    for x in days:
        assert list(x.counts) == ["backlog", "ready", "dev", "review", "done"]
        assert tuple(x.counts.values()) == CFD[x.day], x.day
    window = cumulative_flow(ws.view(), "OPS", d(6), d(7))
    assert [tuple(x.counts.values()) for x in window] == [CFD[d(6)], CFD[d(7)]]


def test_lead_and_cycle_time_of_each_item(ws: Workspace, board: dict[str, str]) -> None:
    by_name = {f.subject: f for f in flows(ws.view(), "OPS")}
    # Days counted with both ends: W1 requested 03-03, committed (ready) 03-03, done 03-07.
    assert (by_name["W1"].lead_time, by_name["W1"].cycle_time) == (5, 5)
    assert (by_name["W2"].committed_on, by_name["W2"].lead_time, by_name["W2"].cycle_time) == (
        d(5), 4, 2,
    )  # fmt: skip
    assert (by_name["W3"].lead_time, by_name["W3"].cycle_time) == (7, 7)
    assert (by_name["W6"].lead_time, by_name["W6"].cycle_time) == (3, 3)
    assert by_name["W6"].class_of_service == "expedite"
    assert (by_name["W4"].committed_on, by_name["W4"].delivered_on) == (d(6), None)
    assert (by_name["W5"].committed_on, by_name["W5"].lead_time) == (None, None)


def test_flow_metrics_by_hand(ws: Workspace, board: dict[str, str]) -> None:
    m = flow_metrics(ws.view(), "OPS")
    assert (m.start, m.end) == (d(3), TODAY)
    assert sorted(f.subject for f in m.delivered) == ["W1", "W2", "W3", "W6"]
    # Cycle times 2, 3, 5, 7: p50 is rank ceil(2) = 2 -> 3; p85 rank ceil(3.4) = 4 -> 7.
    assert m.cycle_time == {50: 3, 85: 7, 95: 7}
    # Lead times 3, 4, 5, 7.
    assert m.lead_time == {50: 4, 85: 7, 95: 7}
    assert m.throughput_per_day == 0.5  # 4 items over 8 days
    assert m.throughput_per_week == {"2025-W10": 3, "2025-W11": 1}
    assert [(w.subject, w.status, w.committed_on, w.age) for w in m.wip] == [
        ("W4", "dev", d(6), 5),  # 03-06 .. 03-10
    ]


def test_flow_of_a_period(ws: Workspace, board: dict[str, str]) -> None:
    m = flow_metrics(ws.view(status_date=d(9)), "OPS", d(7), d(9))
    assert sorted(f.subject for f in m.delivered) == ["W1", "W6"]
    assert m.cycle_time == {50: 3, 85: 5, 95: 5}
    assert m.throughput_per_day == round(2 / 3, 4)
    # WIP at the end of 03-09: W3 in review (since 03-04) and W4 in dev (since 03-06).
    assert [(w.subject, w.age) for w in m.wip] == [("W3", 6), ("W4", 4)]
    with pytest.raises(ValueError, match="ends"):
        flow_metrics(ws.view(), "OPS", d(9), d(8))


def test_column_counts_on_the_status_date(ws: Workspace, board: dict[str, str]) -> None:
    assert column_counts(ws.view(), "OPS") == [
        ("backlog", 1, None),
        ("ready", 0, 3),
        ("dev", 1, 2),
        ("review", 0, None),
        ("done", 4, None),
    ]
    assert column_counts(ws.view(status_date=d(5)), "OPS")[2] == ("dev", 2, 2)


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5),  # rank ceil(5.0) = 5
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 85, 9),  # rank ceil(8.5) = 9
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10),  # rank ceil(9.5) = 10
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, 10),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 1),  # rank ceil(1.0) = 1
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 11, 2),  # rank ceil(1.1) = 2
        ([4, 1, 3], 50, 3),  # sorted 1, 3, 4: rank ceil(1.5) = 2
        ([7], 95, 7),
        ([], 50, None),
    ],
)
def test_nearest_rank_percentile(values: list[int], p: int, expected: int | None) -> None:
    assert percentile(values, p) == expected


@pytest.mark.parametrize("p", [0, -5, 101])
def test_a_percentile_out_of_range_is_refused(p: int) -> None:
    with pytest.raises(ValueError, match="percentile"):
        percentile([1, 2], p)


def _item(*moves: tuple[str, date]) -> WorkItem:
    changes = tuple(StatusChange(on=on, status=status) for status, on in moves)
    return WorkItem(project="OPS", subject="x", status=moves[-1][0], transitions=changes)


def test_an_item_taken_back_from_delivery_is_not_delivered() -> None:
    fields = KanbanFields.model_validate(
        {"columns": [{"status": s} for s in ("todo", "doing", "done")]}
    )
    item = _item(("todo", d(3)), ("doing", d(4)), ("done", d(5)), ("doing", d(6)), ("done", d(8)))
    assert item_flow(fields, item, d(5)).delivered_on == d(5)
    back = item_flow(fields, item, d(6))
    assert (back.delivered_on, back.cycle_time, back.status) == (None, None, "doing")
    again = item_flow(fields, item, d(9))
    # Delivered when it last reached delivery; committed when it first did.
    assert (again.committed_on, again.delivered_on, again.cycle_time) == (d(4), d(8), 5)


def test_a_status_off_the_board_is_before_it() -> None:
    fields = KanbanFields.model_validate(
        {"columns": [{"status": s} for s in ("todo", "doing", "done")]}
    )
    item = _item(("open", d(3)), ("doing", d(5)))
    flow = item_flow(fields, item, d(6))
    assert (flow.requested_on, flow.committed_on, flow.delivered_on) == (d(3), d(5), None)
    assert item_flow(fields, item, d(2)).requested_on is None


def test_an_item_requested_and_delivered_the_same_day_took_one_day() -> None:
    fields = KanbanFields.model_validate(
        {"columns": [{"status": s} for s in ("todo", "doing", "done")]}
    )
    item = _item(("todo", d(3)), ("doing", d(3)), ("done", d(3)))
    flow = item_flow(fields, item, d(3))
    assert (flow.lead_time, flow.cycle_time) == (1, 1)
    assert item_flow(fields, item, d(2)).delivered_on is None  # before it happened
