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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
_ROLLUP_SQL = """
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
SELECT NULL, SUM(bac), SUM(ev), SUM(ac), SUM(ev) / NULLIF(SUM(ac), 0) FROM items
"""
_ROLLUP = f".mode json\n{_ROLLUP_SQL};\n"
_PROJECT_LIST = """
SELECT json_group_array(json_object(
    'key', key, 'name', name, 'parent', parent, 'status', status,
    'planned_start', planned_start, 'planned_finish', planned_finish,
    'budget', budget, 'currency', currency))
FROM (SELECT * FROM flat WHERE kind = 'project' ORDER BY key);
"""
_EXPORT = "SELECT * FROM flat ORDER BY kind, key;"

# The same on PostgreSQL: the staged text cast to the flat table's types.
_NUMERIC = {"budget", "work", "remaining", "percent_complete", "actual_cost"}
_PG_SELECT_STAGED = (
    "SELECT kind, key, "
    + ", ".join(
        f"NULLIF({c}, '')::numeric" if c in _NUMERIC else f"NULLIF({c}, '')" for c in _VALUE_COLUMNS
    )
    + " FROM staging"
)
_PG_REIMPORT = f"""
INSERT INTO flat {_PG_SELECT_STAGED}
ON CONFLICT (kind, key) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _VALUE_COLUMNS)}
WHERE ({", ".join(f"flat.{c}" for c in _VALUE_COLUMNS)})
    IS DISTINCT FROM ({", ".join(f"excluded.{c}" for c in _VALUE_COLUMNS)});
"""
_PG_PROJECT_LIST = """
SELECT json_agg(json_build_object(
    'key', key, 'name', name, 'parent', parent, 'status', status,
    'planned_start', planned_start, 'planned_finish', planned_finish,
    'budget', budget, 'currency', currency) ORDER BY key)
FROM flat WHERE kind = 'project';
"""


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


class _SQLite:
    """The embedded store, and the reference: the sqlite3 shell on one flat table."""

    name = "sqlite3"

    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.shell, self.work, self.env = _sqlite3(), work, env
        self.flat = work / "flat.db"

    def _sql(self, script: str, *, stdout: IO[Any] | int = subprocess.DEVNULL) -> Run:
        return _run([self.shell, str(self.flat)], cwd=self.work, env=self.env, stdin=script,
                    stdout=stdout)  # fmt: skip

    def load(self, data: Path) -> Run:
        return self._sql(_IMPORT.format(csv=data))

    def reload(self, data: Path) -> Run:
        return self._sql(_REIMPORT.format(csv=data))

    def rollup(self) -> Run:
        return self._sql(_ROLLUP)

    def project_list(self) -> Run:
        return self._sql(_PROJECT_LIST)

    def export(self, out: Path) -> Run:
        with open(out, "w", encoding="utf-8") as f:
            argv = [self.shell, "-csv", "-header", str(self.flat), _EXPORT]
            return _run(argv, cwd=self.work, env=self.env, stdout=f)

    def sizes(self, ws: Path) -> tuple[float, float]:
        store = ws / ".pmo" / "pmo.db"
        # Fold the WAL into the file first, as a closed, idle store is.
        _run([self.shell, str(store), "PRAGMA wal_checkpoint(TRUNCATE);"], cwd=self.work,
             env=self.env)  # fmt: skip
        return _store_bytes(store) / 1e6, self.flat.stat().st_size / 1e6


class _Postgres:
    """A PostgreSQL store (pmo-postgres, in a schema of its own), and the reference: psql on
    one flat table in another schema, loaded and written with ``COPY``."""

    name = "psql"

    def __init__(self, url: str, work: Path, env: dict[str, str]) -> None:
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("schema", "pool_max")]
        # psql takes the URL without pmo's own parameters; pmo gets its store schema.
        self.libpq = urlunsplit(parts._replace(query=urlencode(query)))
        self.store_schema = dict(parse_qsl(parts.query)).get("schema", "pmo_scale")
        self.flat = f"{self.store_schema}_flat"
        store_query = urlencode([*query, ("schema", self.store_schema)])
        self.store_url = urlunsplit(parts._replace(query=store_query))
        self.work, self.env = work, env
        psql = shutil.which("psql")
        if psql is None:
            sys.exit("error: the psql client is missing: apt-get install -y postgresql-client")
        self.psql = psql
        drop = f"DROP SCHEMA IF EXISTS {self.store_schema} CASCADE;"
        self._sql(f"{drop} DROP SCHEMA IF EXISTS {self.flat} CASCADE; CREATE SCHEMA {self.flat};")

    def _sql(self, script: str, *, stdout: IO[Any] | int = subprocess.DEVNULL) -> Run:
        argv = [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.libpq]
        script = f"SET search_path TO {self.flat};\n{script}"
        return _run(argv, cwd=self.work, env=self.env, stdin=script, stdout=stdout)

    def _staged(self, data: Path) -> str:
        columns = ", ".join(f"{c} TEXT" for c in COLUMNS)
        copy = f"\\copy staging FROM '{data}' WITH (FORMAT csv, HEADER true)"
        return f"CREATE TEMP TABLE staging ({columns});\n{copy}\n"

    def load(self, data: Path) -> Run:
        return self._sql(f"{self._staged(data)}{_FLAT}INSERT INTO flat {_PG_SELECT_STAGED};")

    def reload(self, data: Path) -> Run:
        return self._sql(f"{self._staged(data)}{_PG_REIMPORT}")

    def rollup(self) -> Run:
        return self._sql(f"SELECT json_agg(r) FROM ({_ROLLUP_SQL}) r;")

    def project_list(self) -> Run:
        return self._sql(_PG_PROJECT_LIST)

    def export(self, out: Path) -> Run:
        query = _EXPORT.rstrip(";")
        return self._sql(f"\\copy ({query}) TO '{out}' WITH (FORMAT csv, HEADER true)")

    def _schema_bytes(self, schema: str) -> int:
        query = (
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'm')"
        )
        argv = [self.psql, "-X", "-A", "-t", "-d", self.libpq, "-c", query]
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, check=True)
        return int(done.stdout.strip())

    def sizes(self, ws: Path) -> tuple[float, float]:
        self._sql(f"VACUUM; SET search_path TO {self.store_schema}; VACUUM;")
        return self._schema_bytes(self.store_schema) / 1e6, self._schema_bytes(self.flat) / 1e6


def measure(projects: int, items: int, work: Path, store_url: str | None = None) -> list[Step]:
    """Build the data in ``work`` and measure every step against its reference, on the
    embedded SQLite store or, given ``store_url``, on PostgreSQL."""
    pmo = str(Path(sys.executable).with_name("pmo"))
    env = {**os.environ, "PMO_CACHE_DIR": str(work / "cache"), "PMO_USER": "bench"}
    env.pop("PMO_WORKSPACE", None)
    env.pop("PMO_STORE_URL", None)
    ref: _SQLite | _Postgres = _SQLite(work, env)
    if store_url is not None:
        ref = _Postgres(store_url, work, env)
        env["PMO_STORE_URL"] = ref.store_url
    data = work / "scale.csv"
    rows = write_csv(data, projects, items)
    print(f"{rows:,} rows in {data}", file=sys.stderr)
    ws = work / "ws"
    _run([pmo, "init", "--profile", "starter", str(ws)], cwd=work, env=env)
    in_ws = [pmo, "-w", str(ws)]
    steps: list[Step] = []

    def pair(name: str, mine: Run, theirs: Run | None) -> None:
        ref_seconds = None if theirs is None else theirs.seconds
        ref_rss = None if theirs is None else theirs.rss_kb
        steps.append(Step(name, mine.seconds, ref_seconds, mine.rss_kb, ref_rss))
        print(f"{name}: {mine.seconds:.2f} s", file=sys.stderr)

    mine = _run([*in_ws, "import", "csv", str(data)], cwd=work, env=env)
    pair(f"import csv ({rows:,} rows, new workspace)", mine, ref.load(data))

    mine = _run([*in_ws, "import", "csv", str(data)], cwd=work, env=env)
    pair("re-import, every row unchanged", mine, ref.reload(data))

    mine = _run([*in_ws, "report", "portfolio-summary", "--format", "json"], cwd=work, env=env)
    pair(f"report portfolio-summary, whole PMO ({projects:,} projects)", mine, ref.rollup())

    mine = _run([*in_ws, "project", "list", "--json"], cwd=work, env=env)
    pair(f"project list --json ({projects:,} projects)", mine, ref.project_list())

    mine = _run([*in_ws, "export", "csv", str(work / "export.csv")], cwd=work, env=env)
    pair("export csv", mine, ref.export(work / "reference.csv"))

    # Exit code 5 is a finding that blocks: a verdict, not a failure of the command.
    mine = _run([*in_ws, "governance", "check"], cwd=work, env=env, ok=(0, 5))
    per_project = 1000 * mine.seconds / max(projects, 1)
    pair(f"governance check, every project ({per_project:.2f} ms per project)", mine, None)

    store, flat = ref.sizes(ws)
    steps.append(Step("store size vs flat table", store, flat, None, None, unit="MB"))
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
    parser.add_argument(
        "--store-url",
        metavar="URL",
        help="run on PostgreSQL (postgresql://...; ?schema= names the store's schema, default"
        " pmo_scale; the reference's flat table goes in SCHEMA_flat); default: SQLite",
    )
    args = parser.parse_args(argv)
    store = "PostgreSQL" if args.store_url else "SQLite"
    reference = "psql" if args.store_url else "the sqlite3 shell"
    machine, when = _machine(), date.today().isoformat()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        steps = measure(args.projects, args.items, args.keep.resolve(), args.store_url)
    else:
        with tempfile.TemporaryDirectory(prefix="pmo-scale-") as tmp:
            steps = measure(args.projects, args.items, Path(tmp), args.store_url)
    if args.json:
        print(
            json.dumps(
                {
                    "machine": machine,
                    "date": when,
                    "projects": args.projects,
                    "items": args.items,
                    "store": store.lower(),
                    "steps": [{**asdict(s), "ratio": s.ratio} for s in steps],
                },
                indent=2,
            )
        )
    else:
        size = (
            f"{args.projects:,} projects, {args.items:,} work items; {store} store, "
            f"reference {reference}"
        )
        print(markdown(steps, machine, when, size))


if __name__ == "__main__":
    main()
