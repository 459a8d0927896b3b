"""The board the pmo-kanban tests compute by hand (a module name unique across plugins).

Project OPS; board backlog, ready (commitment point, WIP limit 3), dev (WIP limit 2),
review, done (delivery point). Items (requested, moves; every day's end is what counts):

    W1  03-03 backlog; ready 03-03, dev 03-04, review 03-06, done 03-07
    W2  03-03 backlog; dev 03-05, done 03-06
    W3  03-04 ready; dev 03-06, review 03-07, done 03-10
    W4  03-05 backlog; ready 03-06, dev 03-07 (still in dev)
    W5  03-05 backlog (never pulled)
    W6  03-07 ready (expedite); done 03-09

The status date is 2025-03-10 (a Monday: 03-03 .. 03-09 is ISO week 10).
"""

from __future__ import annotations

from datetime import date

from pmo_core import Workspace

TODAY = date(2025, 3, 10)

BOARD = {
    "columns": [
        {"status": "backlog"},
        {"status": "ready", "wip_limit": 3, "policy": "Selected at replenishment"},
        {"status": "dev", "wip_limit": 2},
        {"status": "review"},
        {"status": "done"},
    ],
    "commitment": "ready",
}


class Clock:
    """The workspace's status date, moved on by the test."""

    def __init__(self) -> None:
        self.day = TODAY

    def __call__(self) -> date:
        return self.day


def d(day: int) -> date:
    return date(2025, 3, day)


ITEMS = {
    "W1": (d(3), "backlog", [("ready", d(3)), ("dev", d(4)), ("review", d(6)), ("done", d(7))]),
    "W2": (d(3), "backlog", [("dev", d(5)), ("done", d(6))]),
    "W3": (d(4), "ready", [("dev", d(6)), ("review", d(7)), ("done", d(10))]),
    "W4": (d(5), "backlog", [("ready", d(6)), ("dev", d(7))]),
    "W5": (d(5), "backlog", []),
    "W6": (d(7), "ready", [("done", d(9))]),
}


def build_board(ws: Workspace, clock: Clock) -> dict[str, str]:
    clock.day = d(1)
    ws.create("project", id="OPS", name="Ops", budget="6000 EUR")
    ws.update("OPS", custom_fields={"kanban": BOARD})
    ids: dict[str, str] = {}
    for name, (requested, status, _) in ITEMS.items():
        clock.day = requested
        item = ws.add_work_item("OPS", name, status=status, ev_method="0/100", budget="1000 EUR")
        ids[name] = item.id
    clock.day = TODAY
    for name, (_, _, moves) in ITEMS.items():
        for status, day in moves:
            ws.move_work_item(ids[name], status, on=day)
    fields = ws.get("OPS").custom_fields["kanban"]
    ws.update("OPS", custom_fields={"kanban": {**fields, "classes": {ids["W6"]: "expedite"}}})
    return ids
