"""The release the pmo-scrum tests compute by hand (a module name unique across plugins).

Project APP, release budget 100000 EUR, 4 planned sprints; S1 2025-03-03..03-14 (12 days),
S2 2025-03-17..03-28. Stories (points, sprint, added, what happened):

    A 5  S1 03-03  in_progress 03-04, done 03-06
    B 3  S1 03-03  done 03-12
    C 8  S1 03-03  in_progress 03-05, never done
    E 2  S1 03-03  done 03-07, reopened (progress 50 %) 03-10
    F 5  S2 03-10  done 03-20
    G 5  S2 03-10  done 03-27
    H 8  S2 03-10  never done
    I 2  S2 03-10  done 03-14, before S2 starts: not S2's velocity
    J 13  -  03-17  product backlog

A cost entry of 30000 EUR on 2025-03-15.
"""

from __future__ import annotations

from datetime import date

from pmo_core import CostEntry, Workspace

TODAY = date(2025, 3, 31)


class Clock:
    """The workspace's status date, moved on by the test."""

    def __init__(self) -> None:
        self.day = TODAY

    def __call__(self) -> date:
        return self.day


def d(month: int, day: int) -> date:
    return date(2025, month, day)


STORIES = {
    "A": (5, "S1", d(3, 3)),
    "B": (3, "S1", d(3, 3)),
    "C": (8, "S1", d(3, 3)),
    "E": (2, "S1", d(3, 3)),
    "F": (5, "S2", d(3, 10)),
    "G": (5, "S2", d(3, 10)),
    "H": (8, "S2", d(3, 10)),
    "I": (2, "S2", d(3, 10)),
    "J": (13, None, d(3, 17)),
}


def build_release(ws: Workspace, clock: Clock) -> dict[str, str]:
    clock.day = d(3, 1)
    ws.create(
        "project", id="APP", name="App", budget="100000 EUR", phase="inception",
        planned_start=d(3, 3), planned_finish=d(4, 25),
    )  # fmt: skip
    release = ws.add_work_item(
        "APP", "Release", type="release", ev_method="points", budget="100000 EUR",
        start=d(3, 3), due=d(4, 25),
    )  # fmt: skip
    ws.update(
        "APP",
        custom_fields={
            "scrum": {
                "product_goal": "Self-service sign-up",
                "definition_of_done": "Reviewed, tested, on staging",
                "release": release.id,
                "planned_sprints": 4,
                "sprints": [
                    {
                        "name": "S1",
                        "goal": "Sign-up",
                        "start": "2025-03-03",
                        "finish": "2025-03-14",
                    },
                    {"name": "S2", "goal": "Login", "start": "2025-03-17", "finish": "2025-03-28"},
                ],
            }
        },
    )
    ids: dict[str, str] = {}
    for letter, (points, sprint, added) in STORIES.items():
        clock.day = added
        item = ws.add_work_item(
            "APP", f"Story {letter}", type="story", points=points, iteration=sprint,
            parent=release.id,
        )  # fmt: skip
        ids[letter] = item.id
    clock.day = TODAY
    move = ws.move_work_item
    move(ids["A"], "in_progress", on=d(3, 4))
    move(ids["A"], "done", on=d(3, 6))
    move(ids["C"], "in_progress", on=d(3, 5))
    move(ids["E"], "done", on=d(3, 7))
    ws.record_progress(ids["E"], 50, comment="A bug found in review", on=d(3, 10))
    move(ids["B"], "done", on=d(3, 12))
    move(ids["I"], "done", on=d(3, 14))
    move(ids["F"], "done", on=d(3, 20))
    move(ids["G"], "done", on=d(3, 27))
    ws.add(CostEntry(project="APP", amount="30000 EUR", incurred_on=d(3, 15)))
    return ids
