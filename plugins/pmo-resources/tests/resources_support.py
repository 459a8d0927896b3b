"""The hand-built case: 3 roles, 4 projects, 6 months (January to June 2025).

Working days (Monday to Friday) in 2025: Jan 23, Feb 20, Mar 21, Apr 22, May 22, Jun 21.

- Developer: Ann and Ben, 40 h a week (8 h a day); Ben is off on Thursday 1 May.
- Analyst: Cat, 32 h a week (6.4 h a day), half time (fte 0.5, 3.2 h a day) from 1 April.
- Tester: Dee, 20 h a week (4 h a day), and the placeholder "Tester" (a role, 8 h a day,
  demand with no capacity).

Projects ALPHA, BETA, GAMMA (active) and DELTA (proposed: its allocation does not count).
"""

from __future__ import annotations

from datetime import date

from pmo_core import Allocation, Availability, Resource, Workspace


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def build_case(ws: Workspace) -> dict[str, str]:
    """The case's records; returns resource name -> id."""
    for key in ("ALPHA", "BETA", "GAMMA"):
        ws.create("project", id=key, name=key.title())
    ws.create("project", id="DELTA", name="Delta", lifecycle="proposed")
    pool = [
        Resource(name="Ann", role="Developer", skills=["Python"]),
        Resource(name="Ben", role="Developer", holidays=[d(5, 1)]),
        Resource(
            name="Cat",
            role="Analyst",
            capacity_hours_per_week=32,
            availability=[Availability(effective_from=d(4, 1), fte=0.5)],
        ),
        Resource(name="Dee", role="Tester", capacity_hours_per_week=20),
        Resource(name="Tester", kind="role"),
    ]
    ids = {r.name: ws.add(r).id for r in pool}

    def alloc(name: str, project: str, start: date, finish: date, **share: float) -> None:
        ws.add(Allocation(resource=ids[name], project=project, start=start, finish=finish, **share))

    alloc("Ann", "ALPHA", d(1, 1), d(3, 31), percent=100)
    alloc("Ben", "ALPHA", d(1, 1), d(6, 30), percent=50)
    alloc("Ben", "BETA", d(2, 1), d(4, 30), percent=50)
    alloc("Ann", "BETA", d(3, 1), d(3, 31), percent=50)
    # 86 hours over 20 working days: 10 in January (20-31), 10 in February (3-14).
    alloc("Cat", "GAMMA", d(1, 20), d(2, 14), hours=86)
    alloc("Cat", "BETA", d(3, 1), d(4, 30), percent=100)
    alloc("Cat", "ALPHA", d(4, 1), d(6, 30), percent=25)
    alloc("Dee", "GAMMA", d(4, 1), d(6, 30), percent=50)
    alloc("Tester", "GAMMA", d(5, 1), d(5, 31), percent=50)
    alloc("Dee", "DELTA", d(1, 1), d(6, 30), percent=100)
    return ids
