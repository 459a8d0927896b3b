"""A large, deterministic pmo-csv source: portfolios, projects and their work items.

One CSV file in pmo-csv's single-file layout (a ``kind`` column and the columns the rows
fill): a portfolio per 100 projects, then the projects, then the work items spread evenly
over the projects, so every row refers only to rows before it. The
same arguments always give the same bytes (no clock, no randomness but a seeded one), so
timings taken on different days read the same data.

    python benchmarks/scale_data.py --projects 10000 --items 1000000 OUT.csv

``write_csv(path, projects, items)`` does the same from Python and returns the number of
rows written.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

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
_STATUSES = ("on_track", "at_risk", "off_track", "not_started")
_ITEM_STATUSES = ("New", "In Progress", "Resolved", "Closed")
_TYPES = ("task", "feature", "bug")
_PEOPLE = ("Ana Ortiz", "Ben Okafor", "Chloé Martin", "Dai Wen", "Eva Novak", "Farid Haddad")
_START = date(2025, 1, 6)
PROJECTS_PER_PORTFOLIO = 100


def write_csv(path: str | Path, projects: int, items: int, *, seed: int = 20250106) -> int:
    """Write ``projects`` projects (under a portfolio per 100) and ``items`` work items to
    ``path``; returns the number of rows written (without the header).

    Example::

        write_csv("scale.csv", projects=100, items=10_000)
    """
    rng = random.Random(seed)
    portfolios = max(1, -(-projects // PROJECTS_PER_PORTFOLIO))
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        empty = dict.fromkeys(COLUMNS, "")
        for n in range(portfolios):
            row = dict(empty, kind="portfolio", key=f"PF-{n:04d}", name=f"Portfolio {n}")
            row["currency"] = "EUR"
            out.writerow(row.values())
            count += 1
        for n in range(projects):
            start = _START + timedelta(days=rng.randrange(365))
            row = dict(empty, kind="project", key=f"P-{n:06d}", name=f"Project {n}")
            row["parent"] = f"PF-{n // PROJECTS_PER_PORTFOLIO:04d}"
            row["status"] = _STATUSES[n % len(_STATUSES)]
            row["planned_start"] = start.isoformat()
            row["planned_finish"] = (start + timedelta(days=180 + rng.randrange(360))).isoformat()
            row["budget"] = str(50_000 + 1_000 * rng.randrange(950))
            row["currency"] = "EUR"
            out.writerow(row.values())
            count += 1
        for n in range(items):
            project = n % projects if projects else 0
            start = _START + timedelta(days=rng.randrange(500))
            work = 8 * (1 + rng.randrange(40))
            percent = rng.randrange(0, 101, 5)
            row = dict(empty, kind="work_item", key=f"W-{n:07d}", project=f"P-{project:06d}")
            row["subject"] = f"Work item {n} of project {project}"
            row["type"] = _TYPES[n % len(_TYPES)]
            row["status"] = _ITEM_STATUSES[n % len(_ITEM_STATUSES)]
            row["assignee"] = _PEOPLE[n % len(_PEOPLE)]
            row["start"] = start.isoformat()
            row["due"] = (start + timedelta(days=5 + rng.randrange(60))).isoformat()
            row["work"] = str(work)
            row["remaining"] = str(work * (100 - percent) // 100)
            row["percent_complete"] = str(percent)
            row["budget"] = str(100 * work)
            row["actual_cost"] = str(percent * work)
            row["currency"] = "EUR"
            out.writerow(row.values())
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    rows = write_csv(args.out, args.projects, args.items)
    print(f"wrote {rows:,} rows to {args.out}")


if __name__ == "__main__":
    main()
