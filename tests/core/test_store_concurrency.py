"""The SQLite store under real concurrency: several processes writing one workspace file."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_core import StoreError, Workspace
from pmo_core._cli import cli
from pmo_core._errors import ConflictError
from pmo_core._store import LATEST_VERSION, SQLiteStore

pytestmark = pytest.mark.integration

# Each child process runs one of these scripts with the database path as argv[1] and prints
# one JSON line of results; a child that hits any other error exits non-zero with a traceback.
_INCREMENT = """
import json, sys
from pmo_core._errors import ConflictError
from pmo_core._store import SQLiteStore

path, who, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
conflicts = 0
with SQLiteStore(path) as store:
    done = 0
    while done < times:
        doc = store.get("counter", "C")
        try:
            with store.transaction(who, command="increment") as tx:
                tx.update("counter", "C", {"n": doc.data["n"] + 1}, expected_version=doc.version)
        except ConflictError:
            conflicts += 1  # someone else wrote since our read: read again and retry
            continue
        done += 1
print(json.dumps({"conflicts": conflicts}))
"""

_OPEN_NEW = """
import json, sys
from pmo_core._store import SQLiteStore

with SQLiteStore(sys.argv[1]) as store:
    with store.transaction(sys.argv[2]) as tx:
        tx.insert("project", sys.argv[2], {"name": sys.argv[2]})
    print(json.dumps({"version": store.schema_version}))
"""

_HOLD_LOCK = """
import sys, time
from pmo_core._store import SQLiteStore

with SQLiteStore(sys.argv[1]) as store, store.transaction("holder") as tx:
    tx.insert("project", "HELD", {})
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""

# A long import: holds the write lock until the parent says "commit" on stdin.
_IMPORT_UNTIL_TOLD = """
import sys
from pmo_core._store import SQLiteStore

with SQLiteStore(sys.argv[1], create=False) as store:
    with store.transaction("importer", command="import") as tx:
        tx.insert_many("task", [(f"T-{i}", None, {"n": i}) for i in range(200)])
        print("locked", flush=True)
        sys.stdin.readline()
    print("committed", flush=True)
"""

_STALE_WRITE = """
import json, sys
from pmo_core._errors import ConflictError
from pmo_core._store import SQLiteStore

with SQLiteStore(sys.argv[1]) as store:
    doc = store.get("project", "ALPHA")
    print("read", doc.version, flush=True)
    sys.stdin.readline()  # the parent writes meanwhile
    try:
        with store.transaction("child") as tx:
            tx.update("project", "ALPHA", {"name": "child's"}, expected_version=doc.version)
    except ConflictError as exc:
        print(json.dumps({"conflict": str(exc)}))
    else:
        print(json.dumps({"conflict": None}))
"""


def _spawn(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_concurrent_increments_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    with SQLiteStore(path) as store, store.transaction("seed") as tx:
        tx.insert("counter", "C", {"n": 0})
    workers, times = 4, 40
    procs = [_spawn(_INCREMENT, path, f"w{i}", times) for i in range(workers)]
    results = [_result(p) for p in procs]  # a "database is locked" error fails here
    with SQLiteStore(path) as store:
        doc = store.get("counter", "C")
        assert doc is not None
        assert doc.data == {"n": workers * times}
        assert doc.version == workers * times + 1
        updates = [e for e in store.journal(kind="counter") if e.op == "update"]
        # Every update read the value the previous one wrote: none was lost or applied twice.
        assert [e.version for e in updates] == list(range(2, workers * times + 2))
        assert all(e.before and e.after and e.after["n"] == e.before["n"] + 1 for e in updates)
        assert {e.actor for e in updates} == {f"w{i}" for i in range(workers)}
    assert all(isinstance(r["conflicts"], int) for r in results)


def test_processes_creating_one_new_database_at_once(tmp_path: Path) -> None:
    path = tmp_path / "new" / "pmo.db"
    names = [f"P{i}" for i in range(6)]
    procs = [_spawn(_OPEN_NEW, path, name) for name in names]
    assert [_result(p) for p in procs] == [{"version": LATEST_VERSION}] * len(names)
    with SQLiteStore(path) as store:
        assert [d.id for d in store.query("project")] == names
        assert store._live().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_busy_database_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    SQLiteStore(path).close()
    holder = _spawn(_HOLD_LOCK, path, 1.0)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with SQLiteStore(path) as store:
            started = time.monotonic()
            with store.transaction("waiter") as tx:
                tx.insert("project", "WAITED", {})
            waited = time.monotonic() - started
            assert 0.3 < waited < 5.0
            assert [d.id for d in store.query("project")] == ["HELD", "WAITED"]
    finally:
        holder.communicate(timeout=30)
    assert holder.returncode == 0


def test_stale_write_from_another_process_raises_conflict(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    with SQLiteStore(path) as store:
        with store.transaction("seed") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        child = _spawn(_STALE_WRITE, path)
        assert child.stdout is not None
        assert child.stdout.readline().split() == ["read", "1"]
        with store.transaction("parent") as tx:
            tx.update("project", "ALPHA", {"name": "parent's"}, expected_version=1)
        out, err = child.communicate("go\n", timeout=60)
        assert child.returncode == 0, err
        conflict = json.loads(out.strip().splitlines()[-1])["conflict"]
        assert conflict is not None
        assert "expected version 1, current version 2" in conflict
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert (doc.version, doc.data["name"], doc.updated_by) == (2, "parent's", "parent")


def test_an_unfinished_read_does_not_fail_the_next_transaction(tmp_path: Path) -> None:
    # A half-read query pins its connection to an old snapshot; once another process has
    # committed, BEGIN IMMEDIATE on that connection fails at once ("database is locked")
    # unless the store lets go of the snapshot first.
    path = tmp_path / "pmo.db"
    with SQLiteStore(path) as store, SQLiteStore(path) as other:
        with store.transaction("seed") as tx:
            tx.insert_many("project", [(f"P{i}", None, {"n": i}) for i in range(5)])
        streams = [
            store.query("project"),
            store.values("project", ["n"]),
            store.journal(),
            store.as_of(store.transactions().__next__().at).query("project"),
        ]
        for stream in streams:
            next(stream)
        with other.transaction("other") as tx:
            tx.update("project", "P0", {"n": 99}, expected_version=1)
        with store.transaction("alice") as tx:
            seen = tx.get("project", "P0")
            assert seen is not None
            assert seen.data == {"n": 99}
            tx.update("project", "P1", {"n": 11}, expected_version=1)
            with pytest.raises(ConflictError):
                tx.update("project", "P0", {"n": 0}, expected_version=1)
        # The half-read streams still give the rest of what they started reading.
        assert [d.id for d in streams[0]] == ["P1", "P2", "P3", "P4"]
        assert list(streams[1]) == [(1,), (2,), (3,), (4,)]
        assert len(list(streams[2])) == 4


def _hold(path: Path) -> subprocess.Popen[str]:
    holder = _spawn(_IMPORT_UNTIL_TOLD, path)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    out, err = holder.communicate("commit\n", timeout=60)
    assert holder.returncode == 0, err
    assert out.strip() == "committed"


def test_a_write_behind_a_long_import_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    SQLiteStore(path).close()
    holder = _hold(path)
    outcome: dict[str, object] = {}

    def write() -> None:
        try:
            with SQLiteStore(path, create=False) as store, store.transaction("waiter") as tx:
                tx.insert("project", "WAITED", {})
            outcome["done"] = True
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    writer = threading.Thread(target=write)
    try:
        writer.start()
        # The writer cannot finish while the import holds the lock: if it is no longer
        # running, it gave up instead of waiting (however long this pause turns out).
        time.sleep(0.3)
        assert writer.is_alive(), outcome
    finally:
        _release(holder)
        writer.join(timeout=120)
    assert outcome == {"done": True}
    with SQLiteStore(path, create=False) as store:
        # The waiting write came after the import, on the same chain.
        assert [e.actor for e in store.journal()][-2:] == ["importer", "waiter"]
        result = store.verify()
        assert (result.ok, result.entries) == (True, 201)


def test_a_write_that_waits_too_long_says_who_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    SQLiteStore(path).close()
    holder = _hold(path)
    try:
        with (
            SQLiteStore(path, create=False, lock_timeout=0.2) as store,
            pytest.raises(StoreError) as info,
            store.transaction("late") as tx,
        ):
            tx.insert("project", "LATE", {})
    finally:
        _release(holder)
    assert str(info.value) == (
        f"another pmo command is writing to {path}; waited 0.2 s; try again, or raise "
        "[workspace] lock_timeout in pmo.toml"
    )
    with SQLiteStore(path, create=False) as store:
        assert store.get("project", "LATE") is None  # nothing written
        assert {t.actor for t in store.transactions()} == {"importer"}


def test_a_pmo_command_behind_a_held_lock_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "acme"
    Workspace.init(root).close()
    config = root / "pmo.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[workspace]", "[workspace]\nlock_timeout = 0.2"), "utf-8")
    holder = _hold(root / ".pmo" / "pmo.db")
    try:
        result = CliRunner().invoke(
            cli, ["-w", str(root), "portfolio", "create", "PF", "--name", "Portfolio"]
        )
    finally:
        _release(holder)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    store = root / ".pmo" / "pmo.db"
    assert (
        f"error: another pmo command is writing to {store}; waited 0.2 s; try again, or raise "
        "[workspace] lock_timeout in pmo.toml"
    ) in result.output
