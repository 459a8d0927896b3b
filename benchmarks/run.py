"""pmo-core benchmarks: start-up, discovery and hook calls, each against a reference.

Machines here are noisy, so every figure is a ratio (or a difference) against a reference
measured in the same run, interleaved, reporting medians. Nothing here is a test.

    python benchmarks/run.py              # print the table
    python benchmarks/run.py --markdown   # also rewrite the results in sdk_docs/benchmarks.md

Needs pmo-core and the first-party plugins installed in the running interpreter.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "sdk_docs" / "benchmarks.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
FIRST_PARTY = ["governance", "stage-gate", "reports", "csv"]


# Exit codes a timed command may end with: 5 is a gate check that blocks, its verdict.
_DONE = (0, 5)


def _time_command(argv: Sequence[str], *, cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    code = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - started
    if code not in _DONE:
        raise SystemExit(f"{' '.join(argv)} exited with {code}")
    return elapsed


def _interleaved(
    commands: dict[str, Sequence[str]], *, cwd: Path, env: dict[str, str], rounds: int
) -> dict[str, float]:
    for argv in commands.values():  # warm the OS file cache and pmo's own caches
        _time_command(argv, cwd=cwd, env=env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            samples[name].append(_time_command(argv, cwd=cwd, env=env))
    return {name: statistics.median(values) for name, values in samples.items()}


def _first_key(pmo: str, noun: str, *, cwd: Path, env: dict[str, str]) -> str:
    import json

    out = subprocess.run(
        [pmo, noun, "list", "--json"], cwd=cwd, env=env, check=True, capture_output=True
    ).stdout
    return str(json.loads(out)[0]["id"])


def startup(rounds: int) -> list[tuple[str, str, str]]:
    """`pmo --help`, `pmo plugins list`, and on the demo workspace a project list, a portfolio
    summary and a gate check, against `python -c "import click, pluggy"`."""
    pmo = str(Path(sys.executable).with_name("pmo"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "PMO_CACHE_DIR": str(work / "cache")}
        env.pop("PMO_WORKSPACE", None)
        # Installed packages run from bytecode (pip compiles it); an editable checkout only
        # does once Python may write it, so let the warm-up runs write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [pmo, "init", "--profile", "directive"],
            cwd=work,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [pmo, "plugins", "enable", *FIRST_PARTY],
            cwd=work,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        demo = work / "pmo-demo"
        subprocess.run(
            [pmo, "demo", str(demo)], cwd=work, env=env, check=True, stdout=subprocess.DEVNULL
        )
        portfolio = _first_key(pmo, "portfolio", cwd=demo, env=env)
        project = _first_key(pmo, "project", cwd=demo, env=env)
        # The warm-up run of each command (in _interleaved) loads what it needs once, as a
        # user's first command does; the timed runs are the ones that follow.
        medians = _interleaved(
            {
                "reference": [sys.executable, "-c", "import click, pluggy"],
                "help": [pmo, "-w", str(work), "--help"],
                "list": [pmo, "-w", str(work), "plugins", "list"],
                "projects": [pmo, "project", "list"],
                "summary": [pmo, "report", "portfolio-summary", portfolio],
                "gate": [pmo, "gate", "check", project],
            },
            cwd=demo,
            env=env,
            rounds=rounds,
        )
    ref = medians["reference"]
    labels = {
        "help": "pmo --help (4 first-party plugins enabled)",
        "list": "pmo plugins list (imports the enabled plugins)",
        "projects": "pmo project list (demo workspace)",
        "summary": f"pmo report portfolio-summary {portfolio} (demo workspace)",
        "gate": f"pmo gate check {project} (demo workspace)",
    }
    return [('python -c "import click, pluggy"', f"{ref * 1000:.0f} ms", "1.00 (reference)")] + [
        (label, f"{medians[name] * 1000:.0f} ms", f"{medians[name] / ref:.2f}")
        for name, label in labels.items()
    ]


_DISCOVERY = textwrap.dedent(
    """
    import json, sys, time, statistics
    sys.path.insert(0, {site!r})
    from pmo_core._plugins import index
    def median(fn, n):
        out = []
        for _ in range(n):
            t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
        return statistics.median(out)
    cold = median(lambda: index.installed_plugins(use_cache=False), 5)
    index.installed_plugins()  # fill the cache
    warm = median(index.installed_plugins, 50)
    found = len(index.installed_plugins())
    print(json.dumps({{"cold": cold, "warm": warm, "found": found}}))
    """
)


def discovery() -> list[tuple[str, str, str]]:
    """Discovery with 500 extra installed distributions, 20 of them pmo plugins."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        for i in range(500):
            name = f"bench_dist_{i:03d}"
            info = site / f"{name}-1.0.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(
                f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\nRequires-Dist: pmo-core>=0.1\n"
                if i < 20
                else f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
            )
            group = "pmo_core.plugins" if i < 20 else "console_scripts"
            (info / "entry_points.txt").write_text(f"[{group}]\nbench-{i:03d} = {name}\n")
        env = {**os.environ, "PMO_CACHE_DIR": str(Path(tmp) / "cache")}
        out = subprocess.run(
            [sys.executable, "-c", _DISCOVERY.format(site=str(site))],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    data = json.loads(out)
    return [
        (
            f"discovery, no cache ({data['found']} plugins among 500+ distributions)",
            f"{data['cold'] * 1000:.1f} ms",
            "-",
        ),
        (
            "discovery, warm cache (what every command pays)",
            f"{data['warm'] * 1000:.2f} ms",
            f"{data['warm'] / data['cold']:.3f} of cold",
        ),
    ]


def hook_calls(n: int) -> list[tuple[str, str, str]]:
    """An event hook called through the host against the same call on bare pluggy."""
    import pluggy

    from pmo_core import PluginHost, hookimpl, hookspecs

    class Listener:
        @hookimpl
        def pmo_plugins_changed(self, workspace: object, enabled: object, disabled: object) -> None:
            pass

    host = PluginHost(plugins={"listener": Listener()}, builtins=False).load()
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(Listener())

    def bench(fn: Callable[[], None]) -> float:
        best = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(n):
                fn()
            best.append((time.perf_counter() - t) / n)
        return statistics.median(best)

    bare = bench(lambda: pm.hook.pmo_plugins_changed(workspace=None, enabled=(), disabled=()))
    ours = bench(
        lambda: host.notify("pmo_plugins_changed", workspace=None, enabled=(), disabled=())
    )
    return [
        ("event hook, bare pluggy (1 implementation)", f"{bare * 1e6:.2f} µs", "1.00 (reference)"),
        ("event hook through PluginHost.notify", f"{ours * 1e6:.2f} µs", f"{ours / bare:.2f}"),
    ]


_ROLLUP_REFERENCE = """
SELECT count(*),
       sum(CAST(json_extract(data, '$.budget.amount') AS REAL)),
       sum(CAST(json_extract(data, '$.budget.amount') AS REAL)
           * json_extract(data, '$.percent_complete') / 100.0),
       sum(CAST(json_extract(data, '$.actual_cost.amount') AS REAL))
FROM documents WHERE kind = 'work_item'
"""


def rollup(projects: int, items: int) -> list[tuple[str, str, str]]:
    """The portfolio summary over the whole PMO against one SQL aggregate over the same rows.

    The reference is the floor for reading the data: SQLite summing budget, earned value and
    actual cost of every work item in one query, with no objects built at all.
    """
    import sqlite3
    from datetime import date

    from pmo_core import Workspace

    today = date(2026, 6, 30)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        ws = Workspace.init(Path(tmp) / "ws", profile="starter", today=lambda: today)
        _portfolio(ws, projects, items)
        store = ws.store
        path = str(store.path)  # type: ignore[attr-defined]

        def reference() -> None:
            with sqlite3.connect(path) as conn:
                conn.execute(_ROLLUP_REFERENCE).fetchone()

        def report() -> None:
            ws.report("portfolio-summary", None, format="json")

        def review() -> None:
            # The PMO's own KPIs read every project's figures too, and its decisions.
            ws.report("pmo-review", None, format="json")

        timings: dict[str, list[float]] = {"reference": [], "report": [], "review": []}
        for _ in range(3):
            for name, fn in (("reference", reference), ("report", report), ("review", review)):
                t = time.perf_counter()
                fn()
                timings[name].append(time.perf_counter() - t)
        ws.close()
    ref = statistics.median(timings["reference"])
    rep = statistics.median(timings["report"])
    rev = statistics.median(timings["review"])
    total = projects * items
    return [
        (
            f"SQL aggregate over {total:,} work items (reference)",
            f"{ref * 1000:.0f} ms",
            "1.00 (reference)",
        ),
        (
            f"portfolio-summary, PMO scope, {projects:,} projects, {total:,} work items",
            f"{rep * 1000:.0f} ms",
            f"{rep / ref:.2f}",
        ),
        (
            f"pmo-review, PMO scope, {projects:,} projects, {total:,} work items",
            f"{rev * 1000:.0f} ms",
            f"{rev / ref:.2f}",
        ),
    ]


def _portfolio(ws: object, projects: int, items: int, *, programs: int = 0) -> None:
    # Projects (spread over programs when asked) with budgeted, half-done work items.
    from datetime import date, timedelta

    from pmo_core import Program, Project, WorkItem

    store = ws.store  # type: ignore[attr-defined]
    with store.transaction("bench", command="benchmark data") as tx:
        tx.insert("portfolio", "PF", {"id": "PF", "kind": "portfolio", "name": "All"})
        parents = ["PF"]
        if programs:
            parents = [f"PG{g:03d}" for g in range(programs)]
            tx.insert_many(
                "program",
                [
                    (key, "PF", Program(id=key, name=f"Program {key}", parent="PF").to_document())
                    for key in parents
                ],
            )
        start = date(2026, 1, 1)
        rows = []
        for p in range(projects):
            project = Project(
                id=f"P{p:05d}",
                name=f"Project {p}",
                parent=parents[p % len(parents)],
                budget=f"{items * 1000} EUR",
                planned_start=start,
                planned_finish=start + timedelta(days=180 + p % 200),
            )
            rows.append((project.id, project.parent, project.to_document()))
        tx.insert_many("project", rows)
        template = WorkItem(
            project="P00000",
            subject="x",
            start=start,
            due=start + timedelta(days=180),
            percent_complete=40,
            budget="1000 EUR",
            actual_cost="450 EUR",
        ).to_document()
        tx.insert_many(
            "work_item",
            (
                (
                    f"W{p:05d}-{i:04d}",
                    f"P{p:05d}",
                    {
                        **template,
                        "id": f"W{p:05d}-{i:04d}",
                        "project": f"P{p:05d}",
                        # Spread progress so the chart has every colour.
                        "percent_complete": 20 + (p * 7 + i) % 50,
                    },
                )
                for p in range(projects)
                for i in range(items)
            ),
        )


def dashboard(projects: int, items: int) -> list[tuple[str, str, str]]:
    """The portfolio dashboard (portfolio-summary as HTML, charts included) over the whole
    PMO: its size, and the time headless Chromium takes to load and lay it out, against the
    same browser loading a plain HTML table of the same rows (the reference: a page with no
    chart at all)."""
    from datetime import date

    from pmo_core import Workspace

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return [("portfolio dashboard in Chromium", "skipped", f"{chromium} is missing")]
    from playwright.sync_api import sync_playwright

    today = date(2026, 6, 30)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        with Workspace.init(Path(tmp) / "ws", profile="starter", today=lambda: today) as ws:
            _portfolio(ws, projects, items, programs=max(projects // 100, 1))
            started = time.perf_counter()
            html = ws.report("portfolio-summary", None, format="html").content
            made = time.perf_counter() - started
        assert isinstance(html, str)
        page_path = Path(tmp) / "dashboard.html"
        page_path.write_text(html, encoding="utf-8")
        rows = "".join(
            f"<tr><td>P{p:05d}</td><td>Project {p}</td><td>0.9000</td><td>0.8000</td></tr>"
            for p in range(projects)
        )
        ref_path = Path(tmp) / "table.html"
        ref_path.write_text(
            f"<!doctype html><meta charset=utf-8><table>{rows}</table>", encoding="utf-8"
        )
        timings: dict[str, list[float]] = {"reference": [], "dashboard": []}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium,
                args=["--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            )
            for _ in range(3):
                for name, path in (("reference", ref_path), ("dashboard", page_path)):
                    page = browser.new_page()
                    t = time.perf_counter()
                    page.goto(path.as_uri(), wait_until="load")
                    page.evaluate("document.body.getBoundingClientRect().height")  # layout
                    timings[name].append(time.perf_counter() - t)
                    page.close()
            browser.close()
    ref = statistics.median(timings["reference"])
    dash = statistics.median(timings["dashboard"])
    size = len(html.encode("utf-8"))
    return [
        (
            f"Chromium loads a plain table of {projects:,} rows (reference)",
            f"{ref * 1000:.0f} ms",
            "1.00 (reference)",
        ),
        (
            f"Chromium loads the portfolio dashboard, {projects:,} projects "
            f"({size / 1_000_000:.2f} MB, made in {made:.1f} s)",
            f"{dash * 1000:.0f} ms",
            f"{dash / ref:.2f}",
        ),
    ]


def import_csv(rows: int) -> list[tuple[str, str, str]]:
    """A CSV import (validated, diffed, upserted with external references, journaled) against
    the floor: reading the same file with the csv module and inserting each row as JSON into
    SQLite in one transaction."""
    import csv
    import json
    import sqlite3

    from pmo_core import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        with open(src / "portfolios.csv", "w", newline="") as f:
            csv.writer(f).writerows([["key", "name"], ["PF", "Portfolio"]])
        with open(src / "projects.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["key", "name", "parent", "budget"])
            writer.writerows([f"P{p}", f"Project {p}", "PF", "100000 EUR"] for p in range(50))
        with open(src / "work_items.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                [
                    "key",
                    "project",
                    "subject",
                    "start",
                    "due",
                    "percent_complete",
                    "budget",
                    "actual_cost",
                ]
            )
            writer.writerows(
                [
                    f"W{i}",
                    f"P{i % 50}",
                    f"Task {i}",
                    "2026-01-01",
                    "2026-09-30",
                    "40",
                    "200 EUR",
                    "90 EUR",
                ]
                for i in range(rows)
            )

        def reference(n: int) -> None:
            with sqlite3.connect(Path(tmp) / f"ref{n}.db") as conn:
                conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, data TEXT)")
                for name in ("portfolios.csv", "projects.csv", "work_items.csv"):
                    with open(src / name, newline="") as f:
                        conn.executemany(
                            "INSERT INTO t VALUES (?, ?)",
                            ((row["key"] + name, json.dumps(row)) for row in csv.DictReader(f)),
                        )

        def ours(n: int) -> None:
            with Workspace.init(Path(tmp) / f"ws{n}", profile="starter") as ws:
                ws.import_from("csv", str(src))

        timings: dict[str, list[float]] = {"reference": [], "ours": []}
        for n in range(3):
            for name, fn in (("reference", reference), ("ours", ours)):
                t = time.perf_counter()
                fn(n)
                timings[name].append(time.perf_counter() - t)
    ref = statistics.median(timings["reference"])
    got = statistics.median(timings["ours"])
    return [
        (
            f"csv module + SQLite insert of {rows:,} rows (reference)",
            f"{ref * 1000:.0f} ms",
            "1.00 (reference)",
        ),
        (
            f"import csv of {rows:,} work items (validated, upserted, journaled)",
            f"{got * 1000:.0f} ms",
            f"{got / ref:.2f}",
        ),
    ]


_CAPACITY_REFERENCE = """
SELECT json_extract(r.data, '$.role'), count(*), sum(json_extract(a.data, '$.percent'))
FROM documents a JOIN documents r
  ON r.kind = 'resource' AND r.id = json_extract(a.data, '$.resource')
WHERE a.kind = 'allocation'
GROUP BY 1
"""

_ROLES = ("Developer", "Analyst", "Tester", "Architect", "Data engineer", "Designer",
          "Project manager", "Change manager")  # fmt: skip


def capacity(people: int, projects: int, months: int) -> list[tuple[str, str, str]]:
    """Capacity against demand by role and month (pmo-resources) over a realistic pool,
    against one SQL aggregate over the same allocations.

    The pool: ``people`` people in eight roles (some part time, each with holidays and a
    raise mid-year), three allocations each, in percent or hours, spread over ``projects``
    projects and ``months`` months. The reference is the floor for reading the data: SQLite
    joining every allocation to its resource and summing by role, no calendar walked.
    """
    import sqlite3
    from datetime import date, timedelta

    import pmo_resources

    from pmo_core import Allocation, Availability, Rate, Resource, Workspace

    today = date(2026, 1, 15)
    start, end = date(2026, 1, 1), date(2026 + (months - 1) // 12, (months - 1) % 12 + 1, 28)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        ws = Workspace.init(Path(tmp) / "ws", profile="starter", today=lambda: today)
        ws.enable("resources")
        ws.close()
        ws = Workspace.open(Path(tmp) / "ws", today=lambda: today)
        _portfolio(ws, projects, 0)
        pool = [
            Resource(
                name=f"Person {n}",
                role=_ROLES[n % len(_ROLES)],
                rates=[
                    Rate(effective_from=start, per_hour="80 EUR"),
                    Rate(effective_from=date(2026, 7, 1), per_hour="84 EUR"),
                ],
                availability=[Availability(effective_from=start, fte=0.8 if n % 5 == 0 else 1)],
                holidays=[start + timedelta(days=30 * (n % months) + k) for k in range(5)],
            )
            for n in range(people)
        ]
        stored = ws.add_many(pool, command="benchmark pool")
        allocations = []
        for n, person in enumerate(stored):
            for k in range(3):
                first = start + timedelta(days=(n * 7 + k * 90) % (months * 30 - 60))
                share = {"percent": 30 + (n + k) % 40} if k < 2 else {"hours": 120}
                allocations.append(
                    Allocation(resource=person.id, project=f"P{(n * 3 + k) % projects:05d}",
                               start=first, finish=min(first + timedelta(days=120), end),
                               **share)
                )  # fmt: skip
        ws.add_many(allocations, command="benchmark allocations")
        path = str(ws.store.path)  # type: ignore[attr-defined]
        view = ws.view()

        def reference() -> None:
            with sqlite3.connect(path) as conn:
                conn.execute(_CAPACITY_REFERENCE).fetchall()

        def by_role() -> None:
            pmo_resources.capacity_demand(view, start, end)

        def by_person() -> None:
            pmo_resources.capacity_demand(view, start, end, by="person")

        timings: dict[str, list[float]] = {"reference": [], "role": [], "person": []}
        for _ in range(3):
            for name, fn in (("reference", reference), ("role", by_role), ("person", by_person)):
                t = time.perf_counter()
                fn()
                timings[name].append(time.perf_counter() - t)
        ws.close()
    ref = statistics.median(timings["reference"])
    role = statistics.median(timings["role"])
    person = statistics.median(timings["person"])
    n = len(allocations)
    return [
        (f"SQL aggregate over {n:,} allocations by role (reference)", f"{ref * 1000:.0f} ms",
         "1.00 (reference)"),
        (f"capacity by role, {people:,} people, {projects:,} projects, {months} months",
         f"{role * 1000:.0f} ms", f"{role / ref:.2f}"),
        (f"capacity by person, {people:,} people, {projects:,} projects, {months} months",
         f"{person * 1000:.0f} ms", f"{person / ref:.2f}"),
    ]  # fmt: skip


_TOPICS = ("vendor", "data", "training", "cloud", "security", "procurement", "migration",
           "testing", "rollout", "contract")  # fmt: skip


def knowledge_suggest(lessons: int) -> list[tuple[str, str, str]]:
    """``pmo knowledge suggest`` over ``lessons`` lessons of 200 projects, against ``pmo
    lesson list`` of the same workspace (the reference: start-up and reading every lesson
    the same way, with nothing scored).
    """
    from datetime import date

    from pmo_core import LessonLearned, Workspace

    today = date(2026, 6, 30)
    projects = 200
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        os.environ["PMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        ws = Workspace.init(root, profile="starter", today=lambda: today)
        ws.enable("knowledge")
        ws.close()
        ws = Workspace.open(root, today=lambda: today)
        _portfolio(ws, projects, 0)
        ws.update("P00000", tags=("vendor", "contract"), description="A new vendor portal")
        records = [
            LessonLearned(
                entity=f"P{n % projects:05d}",
                what_happened=f"Lesson {n}: the {_TOPICS[n % 10]} work took longer than planned",
                recommendation=f"Plan the {_TOPICS[(n * 3) % 10]} work with {n % 7} weeks' margin",
                category=_TOPICS[n % 10],
                tags=(_TOPICS[n % 10], _TOPICS[(n + 1) % 10]),
                recorded_on=date(2025, 1, 1 + n % 28),
            )
            for n in range(lessons)
        ]  # fmt: skip
        ws.add_many(records, command="benchmark lessons")
        ws.close()
        env = {**os.environ, "PMO_USER": "bench"}
        pmo = str(Path(sys.executable).with_name("pmo"))
        medians = _interleaved(
            {
                "reference": [pmo, "lesson", "list", "--json"],
                "suggest": [pmo, "knowledge", "suggest", "P00000", "--json"],
            },
            cwd=root,
            env=env,
            rounds=5,
        )
    ref, ours = medians["reference"], medians["suggest"]
    return [
        (f"pmo lesson list --json, {lessons:,} lessons (reference)", f"{ref * 1000:.0f} ms",
         "1.00 (reference)"),
        (f"pmo knowledge suggest, {lessons:,} lessons of {projects} projects",
         f"{ours * 1000:.0f} ms", f"{ours / ref:.2f}"),
    ]  # fmt: skip


def selection(proposals: int) -> list[tuple[str, str, str]]:
    """pmo-strategy's exact selection (HiGHS MILP, checked in Decimal) of ``proposals`` random
    proposals under budgets in two years and capacity in 5 roles x 12 months, with mandatory
    proposals, dependencies and exclusions, against the floor: the greedy ranking by value
    per cost that a spreadsheet would do (no capacity, no rules)."""
    import random
    from decimal import Decimal

    from pmo_strategy import Candidate, Limits, select

    rng = random.Random(12)
    roles = ["Analyst", "Architect", "Developer", "Designer", "Tester"]
    months = [f"2027-{m:02d}" for m in range(1, 13)]
    candidates = []
    for i in range(proposals):
        cells = {
            (rng.choice(roles), rng.choice(months)): Decimal(rng.randint(20, 160))
            for _ in range(rng.randint(1, 6))
        }
        candidates.append(
            Candidate(
                f"P{i}",
                Decimal(rng.randint(1, 1000)) / 10,
                costs={
                    2027: Decimal(rng.randint(10_000, 900_000)),
                    2028: Decimal(rng.randint(0, 500_000)),
                },
                hours=cells,
                mandatory=i < 5,
                depends_on=(f"P{rng.randrange(i)}",) if i > 5 and rng.random() < 0.1 else (),
                excludes=(f"P{rng.randrange(proposals)}",) if i > 5 and rng.random() < 0.05 else (),
            )
        )
    candidates = [
        c if f"P{candidates.index(c)}" not in c.excludes else Candidate(c.key, c.value, c.costs)
        for c in candidates
    ]
    limits = Limits(
        budgets={2027: Decimal(40_000_000), 2028: Decimal(20_000_000)},
        capacity={(r, m): Decimal(rng.randint(800, 2000)) for r in roles for m in months},
        currency="EUR",
    )

    def reference() -> None:
        ranked = sorted(candidates, key=lambda c: c.value / (sum(c.costs.values()) or 1))
        left = limits.budgets[2027]
        for c in reversed(ranked):
            if c.costs[2027] <= left:
                left -= c.costs[2027]

    timings: dict[str, list[float]] = {"reference": [], "solve": [], "explained": []}
    for _ in range(3):
        for name, fn in (
            ("reference", reference),
            ("solve", lambda: select(candidates, limits, marginals=False)),
            ("explained", lambda: select(candidates, limits)),
        ):
            t = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - t)
    ref = statistics.median(timings["reference"])
    solve = statistics.median(timings["solve"])
    explained = statistics.median(timings["explained"])
    return [
        (
            f"greedy ranking of {proposals} proposals by value per cost (reference)",
            f"{ref * 1000:.1f} ms",
            "1.00 (reference)",
        ),
        (
            f"exact selection of {proposals} proposals (2 budgets, 60 capacity cells, rules)",
            f"{solve * 1000:.0f} ms",
            f"{solve / ref:.0f}",
        ),
        (
            f"the same with marginal values (binding budgets, 4 cells; {proposals} proposals)",
            f"{explained * 1000:.0f} ms",
            f"{explained / ref:.0f}",
        ),
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="rewrite sdk_docs/benchmarks.md")
    parser.add_argument("--rounds", type=int, default=15, help="rounds per start-up command")
    parser.add_argument(
        "--projects", type=int, default=1000, help="projects in the roll-up benchmark"
    )
    parser.add_argument("--items", type=int, default=100, help="work items per project")
    parser.add_argument(
        "--import-rows", type=int, default=20000, help="work items in the CSV import benchmark"
    )
    parser.add_argument(
        "--proposals", type=int, default=500, help="proposals in the selection benchmark"
    )
    parser.add_argument(
        "--dashboard-projects",
        type=int,
        default=10000,
        help="projects in the dashboard benchmark (10 work items each)",
    )
    parser.add_argument("--people", type=int, default=200, help="people in the capacity benchmark")
    parser.add_argument(
        "--lessons", type=int, default=2000, help="lessons in the knowledge benchmark"
    )
    parser.add_argument(
        "--only",
        choices=["capacity", "knowledge", "selection"],
        help="run only this benchmark (the others take minutes)",
    )
    args = parser.parse_args()
    if args.only:
        only = {
            "capacity": lambda: capacity(args.people, 100, 12),
            "knowledge": lambda: knowledge_suggest(args.lessons),
            "selection": lambda: selection(args.proposals),
        }
        rows = only[args.only]()
        for label, value, ratio in rows:
            print(f"{label}  {value}  {ratio}")
        return
    rows = (
        startup(args.rounds)
        + discovery()
        + hook_calls(20000)
        + rollup(args.projects, args.items)
        + import_csv(args.import_rows)
        + dashboard(args.dashboard_projects, 10)
        + capacity(args.people, 100, 12)
        + knowledge_suggest(args.lessons)
        + selection(args.proposals)
    )
    width = max(len(r[0]) for r in rows)
    for label, value, ratio in rows:
        print(f"{label:<{width}}  {value:>10}  {ratio}")
    if args.markdown:
        table = ["| measurement | median | ratio |", "|---|---:|---|"]
        table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        ran = time.strftime("%Y-%m-%d", time.gmtime())
        block = "\n".join([BEGIN, f"Machine: {machine()}; run on {ran}.", "", *table, END])
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, _, rest = text.partition(BEGIN)
            _, _, tail = rest.partition(END)
            text = head + block + tail
        else:
            text += "\n" + block + "\n"
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
