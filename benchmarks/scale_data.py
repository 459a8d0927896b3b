"""Deterministic pmo-csv data at scale: portfolios, projects and their work items in one file.

One CSV with a ``kind`` column (the layout ``pmo export csv FILE.csv`` writes): a portfolio
per 100 projects, the projects, then the work items spread round-robin over the projects.
Every value follows from the row's number, so the same arguments always give the same bytes.

    python benchmarks/scale_data.py --projects 10000 --items 1000000 OUT.csv

``write_csv(path, projects, items)`` does the same from Python and returns the rows written.
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, timedelta
from pathlib import Path

#: The columns written, a subset of pmo-csv's single-file layout.
COLUMNS = (
    "kind",
    "key",
    "name",
    "parent",
    "status",
    "planned_start",
    "planned_finish",
    "budget",
    "currency",
    "project",
    "subject",
    "type",
    "assignee",
    "start",
    "due",
    "work",
    "remaining",
    "percent_complete",
    "actual_cost",
)
PROJECTS_PER_PORTFOLIO = 100
_START = date(2025, 1, 6)
_PROJECT_STATUSES = ("on_track", "at_risk", "off_track", "not_started")
_ITEM_STATUSES = ("New", "In Progress", "Resolved", "Closed")
_TYPES = ("task", "feature", "bug")
_PEOPLE = ("Ana Ortiz", "Ben Okafor", "Chloé Martin", "Dai Wen", "Eva Novak", "Farid Haddad")


def _row(**values: str) -> list[str]:
    return [values.get(column, "") for column in COLUMNS]


def write_csv(path: str | Path, projects: int, items: int) -> int:
    """Write ``projects`` projects (a portfolio per 100) and ``items`` work items to ``path``;
    returns the number of rows written, header excluded.

    Example::

        write_csv("scale.csv", projects=100, items=10_000)
    """
    portfolios = max(1, -(-projects // PROJECTS_PER_PORTFOLIO))
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for n in range(portfolios):
            out.writerow(_row(kind="portfolio", key=f"PF-{n:04d}", name=f"Portfolio {n}"))
        for n in range(projects):
            start = _START + timedelta(days=(n * 7) % 365)
            out.writerow(
                _row(
                    kind="project",
                    key=f"P-{n:06d}",
                    name=f"Project {n}",
                    parent=f"PF-{n // PROJECTS_PER_PORTFOLIO:04d}",
                    status=_PROJECT_STATUSES[n % 4],
                    planned_start=start.isoformat(),
                    planned_finish=(start + timedelta(days=180 + n % 360)).isoformat(),
                    budget=str(50_000 + 1_000 * (n % 950)),
                    currency="EUR",
                )
            )
        for n in range(items):
            project = n % projects if projects else 0
            start = _START + timedelta(days=(n * 13) % 500)
            work = 8 * (1 + n % 40)
            percent = 5 * (n % 21)
            out.writerow(
                _row(
                    kind="work_item",
                    key=f"W-{n:07d}",
                    project=f"P-{project:06d}",
                    subject=f"Work item {n} of project {project}",
                    type=_TYPES[n % 3],
                    status=_ITEM_STATUSES[n % 4],
                    assignee=_PEOPLE[n % 6],
                    start=start.isoformat(),
                    due=(start + timedelta(days=5 + n % 60)).isoformat(),
                    work=str(work),
                    remaining=str(work * (100 - percent) // 100),
                    percent_complete=str(percent),
                    budget=str(100 * work),
                    actual_cost=str(percent * work),
                    currency="EUR",
                )
            )
    return portfolios + projects + items


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    rows = write_csv(args.out, args.projects, args.items)
    print(f"wrote {rows:,} rows to {args.out}")


if __name__ == "__main__":
    main()
