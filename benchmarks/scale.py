"""pmo-core at scale: N projects and M work items, each step against a plain-SQL reference.

Every step runs the real ``pmo`` command in its own process and, in the same run, a
reference doing the same job with the sqlite3 command-line shell on one flat table of the
same rows. Each is timed (wall clock) and its peak RSS taken (``/usr/bin/time -f %M``, else
``getrusage`` of the children). The steps:

- ``pmo import csv`` into a new workspace vs ``.import`` into a staging table + ``INSERT``;
- the same import again, every row unchanged, vs a staged ``INSERT ... ON CONFLICT DO UPDATE
  ... WHERE`` something changed;
- ``pmo report portfolio-summary`` over the whole PMO vs an EVM roll-up (BAC, EV, AC, CPI per
  portfolio) in SQL on the flat table;
- ``pmo project list --json`` vs ``json_group_array`` over the projects;
- ``pmo export csv`` vs the sqlite3 shell exporting the flat table as CSV;
- ``pmo governance check`` of every project (no reference: shown per project);
- the store's size on disk vs the flat table's.

    python benchmarks/scale.py                      # 10,000 projects, 1,000,000 work items
    python benchmarks/scale.py --items 100000       # smaller
    python benchmarks/scale.py --items 100000 --json

It prints a Markdown table with the machine and the date. Needs pmo-core and the first-party
plugins installed in the running interpreter, and the sqlite3 shell (installed through
``scripts/sqlite3.sh`` when missing). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_data import COLUMNS, write_csv  # a script beside this one

ROOT = Path(__file__).resolve().parent.parent
_TIME = "/usr/bin/time"

# The flat table: the CSV's columns, typed, keyed as pmo keys them (kind and key).
_FLAT = """
CREATE TABLE flat (
    kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT, parent TEXT, status TEXT,
    planned_start TEXT, planned_finish TEXT, budget NUMERIC, currency TEXT, project TEXT,
    subject TEXT, type TEXT, assignee TEXT, start TEXT, due TEXT, work NUMERIC,
    remaining NUMERIC, percent_complete NUMERIC, actual_cost NUMERIC,
    PRIMARY KEY (kind, key)
);
"""
# Every column the generator writes but the kind and the key.
_VALUE_COLUMNS = COLUMNS[2:]
_SELECT_STAGED = "SELECT kind, key, " + ", ".join(f"NULLIF({c}, '')" for c in _VALUE_COLUMNS)
_IMPORT = f"""
.mode csv
.import {{csv}} staging
{_FLAT}
INSERT INTO flat {_SELECT_STAGED} FROM staging;
DROP TABLE staging;
"""
_REIMPORT = f"""
.mode csv
.import {{csv}} staging
INSERT INTO flat {_SELECT_STAGED} FROM staging WHERE true
ON CONFLICT (kind, key) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _VALUE_COLUMNS)}
WHERE ({", ".join(f"flat.{c}" for c in _VALUE_COLUMNS)})
    IS NOT ({", ".join(f"excluded.{c}" for c in _VALUE_COLUMNS)});
SELECT changes();
DROP TABLE staging;
"""
# BAC, EV (budget x percent complete), AC and CPI per portfolio and for the whole PMO.
_ROLLUP = """
.mode json
WITH items AS (
    SELECT pf.key AS portfolio, w.budget AS bac, w.budget * w.percent_complete / 100.0 AS ev,
           w.actual_cost AS ac
    FROM flat w
    JOIN flat p ON p.kind = 'project' AND p.key = w.project
    JOIN flat pf ON pf.kind = 'portfolio' AND pf.key = p.parent
    WHERE w.kind = 'work_item'
)
SELECT portfolio, SUM(bac) AS bac, SUM(ev) AS ev, SUM(ac) AS ac,
       SUM(ev) / NULLIF(SUM(ac), 0) AS cpi
FROM items GROUP BY portfolio
UNION ALL
SELECT NULL, SUM(bac), SUM(ev), SUM(ac), SUM(ev) / NULLIF(SUM(ac), 0) FROM items;
"""
_PROJECT_LIST = """
SELECT json_group_array(json_object(
    'key', key, 'name', name, 'parent', parent, 'status', status,
    'planned_start', planned_start, 'planned_finish', planned_finish,
    'budget', budget, 'currency', currency))
FROM (SELECT * FROM flat WHERE kind = 'project' ORDER BY key);
"""
_EXPORT = "SELECT * FROM flat ORDER BY kind, key;"


@dataclass
class Run:
    """One process: its wall time and peak resident memory."""

    seconds: float
    rss_kb: int


@dataclass
class Step:
    """One row of the table."""

    step: str
    pmo: float
    reference: float | None
    pmo_rss_kb: int | None
    reference_rss_kb: int | None
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.pmo / self.reference if self.reference else None


def _sqlite3() -> str:
    found = shutil.which("sqlite3")
    if found is None:
        # The reference needs the sqlite3 shell; the script installs it (apt) or says how.
        subprocess.run(["bash", str(ROOT / "scripts" / "sqlite3.sh")], check=True)
        found = shutil.which("sqlite3")
    if found is None:
        sys.exit("error: the sqlite3 shell is missing: apt-get install -y sqlite3")
    return found


def _run(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    stdin: str | None = None,
    stdout: IO[Any] | int = subprocess.DEVNULL,
    ok: Sequence[int] = (0,),
) -> Run:
    """Run ``argv``; its wall time and peak RSS (``/usr/bin/time``, else ``getrusage``)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        timed = os.path.exists(_TIME)
        command = [_TIME, "-f", "%M", "-o", stats.name, *argv] if timed else list(argv)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            input=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode not in ok:
            sys.exit(f"error: {' '.join(map(str, argv))} exited {done.returncode}:\n{done.stderr}")
        if timed:
            rss = int(stats.read().strip().splitlines()[-1])
        else:  # the largest child so far: right when each step is the largest yet
            rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return Run(seconds, rss)


def _store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def _machine() -> dict[str, Any]:
    model, ram = platform.processor() or "unknown", 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(ram / 2**30, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def measure(projects: int, items: int, work: Path) -> list[Step]:
    """Build the data in ``work`` and measure every step against its reference."""
    sqlite3 = _sqlite3()
    pmo = str(Path(sys.executable).with_name("pmo"))
    env = {**os.environ, "PMO_CACHE_DIR": str(work / "cache"), "PMO_USER": "bench"}
    env.pop("PMO_WORKSPACE", None)
    data = work / "scale.csv"
    rows = write_csv(data, projects, items)
    print(f"{rows:,} rows in {data}", file=sys.stderr)
    ws, flat = work / "ws", work / "flat.db"
    _run([pmo, "init", "--profile", "starter", str(ws)], cwd=work, env=env)
    in_ws = [pmo, "-w", str(ws)]
    steps: list[Step] = []

    def pair(name: str, mine: Run, ref: Run | None) -> None:
        ref_seconds = None if ref is None else ref.seconds
        ref_rss = None if ref is None else ref.rss_kb
        steps.append(Step(name, mine.seconds, ref_seconds, mine.rss_kb, ref_rss))
        print(f"{name}: {mine.seconds:.2f} s", file=sys.stderr)

    mine = _run([*in_ws, "import", "csv", str(data)], cwd=work, env=env)
    ref = _run([sqlite3, str(flat)], cwd=work, env=env, stdin=_IMPORT.format(csv=data))
    pair(f"import csv ({rows:,} rows, new workspace)", mine, ref)

    mine = _run([*in_ws, "import", "csv", str(data)], cwd=work, env=env)
    ref = _run([sqlite3, str(flat)], cwd=work, env=env, stdin=_REIMPORT.format(csv=data))
    pair("re-import, every row unchanged", mine, ref)

    mine = _run([*in_ws, "report", "portfolio-summary", "--format", "json"], cwd=work, env=env)
    ref = _run([sqlite3, str(flat)], cwd=work, env=env, stdin=_ROLLUP)
    pair(f"report portfolio-summary, whole PMO ({projects:,} projects)", mine, ref)

    mine = _run([*in_ws, "project", "list", "--json"], cwd=work, env=env)
    ref = _run([sqlite3, str(flat), _PROJECT_LIST], cwd=work, env=env)
    pair(f"project list --json ({projects:,} projects)", mine, ref)

    mine = _run([*in_ws, "export", "csv", str(work / "export.csv")], cwd=work, env=env)
    with open(work / "reference.csv", "w", encoding="utf-8") as out:
        ref = _run([sqlite3, "-csv", "-header", str(flat), _EXPORT], cwd=work, env=env, stdout=out)
    pair("export csv", mine, ref)

    # Exit code 5 is a finding that blocks: a verdict, not a failure of the command.
    mine = _run([*in_ws, "governance", "check"], cwd=work, env=env, ok=(0, 5))
    per_project = 1000 * mine.seconds / max(projects, 1)
    pair(f"governance check, every project ({per_project:.2f} ms per project)", mine, None)

    store = ws / ".pmo" / "pmo.db"
    # Fold the WAL into the file first, as a closed, idle store is.
    _run([sqlite3, str(store), "PRAGMA wal_checkpoint(TRUNCATE);"], cwd=work, env=env)
    steps.append(
        Step("store size vs flat table", _store_bytes(store) / 1e6, flat.stat().st_size / 1e6,
             None, None, unit="MB")
    )  # fmt: skip
    return steps


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f} MB" if unit == "MB" else f"{value:,.2f} s"


def _rss(kb: int | None) -> str:
    return "-" if kb is None else f"{kb / 1024:,.0f} MB"


def markdown(steps: list[Step], machine: dict[str, Any], when: str, size: str) -> str:
    """The results as a Markdown table under a line naming the machine and the date."""
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, {machine['system']}; {size}; run on {when}.",
        "",
        "| step | pmo | reference | ratio | peak RSS pmo | peak RSS reference |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in steps:
        ratio = "-" if s.ratio is None else f"{s.ratio:,.1f}"
        lines.append(
            f"| {s.step} | {_figure(s.pmo, s.unit)} | {_figure(s.reference, s.unit)} | "
            f"{ratio} | {_rss(s.pmo_rss_kb)} | {_rss(s.reference_rss_kb)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--items", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)
    machine, when = _machine(), date.today().isoformat()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        steps = measure(args.projects, args.items, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="pmo-scale-") as tmp:
            steps = measure(args.projects, args.items, Path(tmp))
    if args.json:
        print(
            json.dumps(
                {
                    "machine": machine,
                    "date": when,
                    "projects": args.projects,
                    "items": args.items,
                    "steps": [{**asdict(s), "ratio": s.ratio} for s in steps],
                },
                indent=2,
            )
        )
    else:
        size = f"{args.projects:,} projects, {args.items:,} work items"
        print(markdown(steps, machine, when, size))


if __name__ == "__main__":
    main()
