"""The workloads a PMO shared by many people puts on PostgreSQL: eight writer processes lose
nothing, a read never waits for a write, and `pmo store copy` moves the demo workspace from
SQLite to PostgreSQL and back with every report the same."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from pmo_postgres import PostgresStore

from pmo_core.testing import CliResult
from pmo_core.testing.concurrency import hammer, read_while_writing

_REPORTS = ["portfolio-summary", "evm", "raid-register", "roadmap"]


def _created(url: str) -> str:
    PostgresStore(url).close()  # the writers open an existing store, as commands do
    return url


def test_eight_writers_of_a_thousand_updates_lose_nothing(store_url: str) -> None:
    result = hammer(_created(store_url), writers=8, updates=1000)

    assert result.problems == (), result.problems
    assert result.shared == (8000, 8001)
    assert result.own == ((1000, 1001),) * 8
    # The seed transaction, one document per writer and the shared one, then two per update.
    assert result.entries == 1 + 8 + 2 * 8000
    assert result.conflicts == sum(result.conflicts_by_writer)
    if result.conflict_example is not None:
        assert "changed since it was read: expected version" in result.conflict_example
    with PostgresStore(store_url, create=False) as store:
        verified = store.verify()
        assert verified.ok, verified.problems
        assert verified.head == result.head


def test_a_read_during_a_long_write_returns_the_committed_state(store_url: str) -> None:
    result = read_while_writing(_created(store_url))

    assert result.problems == (), result.problems


def _outputs(pmo_cli: Callable[..., CliResult], root: Path, env: dict[str, str]) -> dict[str, str]:
    found = {}
    for name in _REPORTS:
        for format in ("md", "json"):
            result = pmo_cli("report", name, "--format", format, workspace=root, env=env)
            assert result.exit_code == 0, (name, format, result.stderr)
            found[f"{name}.{format}"] = result.output
    journal = pmo_cli("journal", "--limit", "0", "--json", workspace=root, env=env)
    assert journal.exit_code == 0, journal.stderr
    found["journal"] = journal.output
    return found


def test_store_copy_moves_the_demo_to_postgresql_and_back(
    pmo_cli: Callable[..., CliResult], store_url: str, tmp_path: Path
) -> None:
    made = pmo_cli("demo", str(tmp_path / "demo"))
    assert made.exit_code == 0, made.stderr
    demo = tmp_path / "demo"
    # The same workspace on PostgreSQL: its pmo.toml enables the backend's plugin, and the
    # store URL (with its password) comes from the environment.
    on_pg = tmp_path / "on-pg"
    on_pg.mkdir()
    config = (demo / "pmo.toml").read_text(encoding="utf-8")
    assert 'enabled = ["' in config
    (on_pg / "pmo.toml").write_text(
        config.replace('enabled = ["', 'enabled = ["postgres", "', 1), encoding="utf-8"
    )
    back = tmp_path / "back"
    back.mkdir()
    shutil.copy(demo / "pmo.toml", back / "pmo.toml")
    sqlite_url = f"sqlite:///{demo / '.pmo' / 'pmo.db'}"

    there = pmo_cli("store", "copy", sqlite_url, store_url, "--json")
    again = pmo_cli("store", "copy", store_url, f"sqlite:///{back / '.pmo' / 'pmo.db'}")

    assert there.exit_code == 0, there.stderr
    assert again.exit_code == 0, again.stderr
    copied = there.json()
    assert copied["source"]["head"] == copied["destination"]["head"]
    assert copied["source"]["checksum"] == copied["destination"]["checksum"]
    password = store_url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert password not in there.output + there.stderr + again.output + again.stderr
    expected = _outputs(pmo_cli, demo, {})
    assert _outputs(pmo_cli, on_pg, {"PMO_STORE_URL": store_url}) == expected
    assert _outputs(pmo_cli, back, {}) == expected
    listed = pmo_cli("project", "list", "--json", workspace=on_pg, env={"PMO_STORE_URL": store_url})
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.output) == json.loads(
        pmo_cli("project", "list", "--json", workspace=demo).output
    )


def test_the_scale_benchmark_runs_small_on_postgresql(
    store_url: str, schema: str, admin: psycopg.Connection[tuple[object, ...]], tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parents[3]
    work = tmp_path / "work"
    size = ["--projects", "3", "--items", "30", "--json", "--keep", str(work)]
    try:
        done = subprocess.run(
            [sys.executable, "benchmarks/scale.py", *size, "--store-url", store_url],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert (result["store"], result["projects"], result["items"]) == ("postgresql", 3, 30)
        assert all(s["pmo"] > 0 for s in result["steps"])
        assert [s["reference"] is None for s in result["steps"]] == [False] * 5 + [True, False]
        # The password is in the URL given, and in no output.
        password = urlsplit(store_url).password
        assert password
        assert password not in done.stdout + done.stderr
        # pmo wrote its store in the URL's schema and the reference its flat table beside it,
        # each holding every row; both exports hold all of them.
        with PostgresStore(store_url, create=False) as store:
            assert store.count("work_item") == 30
        flat = admin.execute(f'SELECT COUNT(*) FROM "{schema}_flat".flat').fetchone()
        assert flat == (34,)
        for name in ("export.csv", "reference.csv"):
            with open(work / name, encoding="utf-8-sig", newline="") as f:
                assert len(list(csv.DictReader(f))) == 34, name
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}_flat" CASCADE')
