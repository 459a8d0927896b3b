"""Where the time of ``pmo import`` goes, phase by phase, as its progress line reports it.

Imports a deterministic pmo-csv file (``benchmarks/scale_data.py``: a portfolio per 100
projects, the projects, then the work items) into a new workspace, then the same file
again (every row unchanged), and times each phase from the ``progress(phase, done, total)``
calls of :meth:`Workspace.import_from`: from a phase's first call to the next phase's. What
no phase covers (opening the source before the first row, building the result after the
last phase) is shown as such, so a silent stretch shows up. Nothing here is a test.

    python benchmarks/import_phases.py --items 50000 --projects 500
    python benchmarks/import_phases.py --items 50000 --projects 500 --markdown
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from run import machine
from scale_data import write_csv

from pmo_core import Workspace


def phases(ws: Workspace, source: Path, label: str) -> list[tuple[str, str, str, str]]:
    """One import of ``source``, as rows of (step, seconds, count, rate)."""
    heard: list[tuple[float, str, int, int | None]] = []

    def progress(phase: str, done: int, total: int | None) -> None:
        heard.append((time.perf_counter(), phase, done, total))

    started = time.perf_counter()
    result = ws.import_from("csv", source, progress=progress)
    ended = time.perf_counter()
    rows: list[tuple[str, str, str, str]] = []
    # Before the first call: the connector opening the source, the first rows not yet read.
    rows.append((f"{label}: read, until its first report", f"{heard[0][0] - started:.2f}", "", ""))
    order = list(dict.fromkeys(phase for _, phase, _, _ in heard))
    for n, phase in enumerate(order):
        calls = [c for c in heard if c[1] == phase]
        # A phase lasts from its first call to the next phase's first call (or the end).
        after = [c[0] for c in heard if c[1] == order[n + 1]] if n + 1 < len(order) else []
        until = after[0] if after else calls[-1][0]
        # The read phase starts when the import starts: its first call comes after rows.
        since = started if phase == "read" else calls[0][0]
        seconds = until - since
        done = calls[-1][2]
        rate = f"{done / seconds:,.0f}/s" if seconds > 0 and done else ""
        rows.append((f"{label}: {phase}", f"{seconds:.2f}", f"{done:,}", rate))
    rows.append((f"{label}: after the last report", f"{ended - heard[-1][0]:.2f}", "", ""))
    rows.append((f"{label}: total ({result.summary()})", f"{ended - started:.2f}", "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "plan.csv"
        count = write_csv(source, args.projects, args.items)
        with Workspace.init(Path(tmp) / "ws", profile="starter") as ws:
            rows = phases(ws, source, "new workspace")
            rows += phases(ws, source, "again, unchanged")
    where = f"{machine()}; {count:,} rows; run on {date.today().isoformat()}."
    if args.markdown:
        print(f"Machine: {where}\n")
        print("| step | seconds | count | rate |\n|---|---:|---:|---:|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    print(where)
    for step, seconds, done, rate in rows:
        print(f"{step:<60} {seconds:>7} s {done:>8} {rate:>10}")


if __name__ == "__main__":
    main()
