"""Many `pmo` processes on one SQLite workspace: nothing lost, a lost race is a clear
conflict, a write waits for a long import, and a read never waits for a write."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmo_core import Workspace
from pmo_core.testing.concurrency import hammer, read_while_writing

pytestmark = pytest.mark.integration

# Holds the write lock, as a long import does, until the parent says "commit" on stdin.
_LONG_IMPORT = """
import sys
from pmo_core._store import SQLiteStore

with SQLiteStore(sys.argv[1], create=False) as store:
    with store.transaction("importer", command="import csv") as tx:
        tx.insert_many("task", [(f"T-{i}", None, {"n": i}) for i in range(1000)])
        print("locked", flush=True)
        sys.stdin.readline()
    print("committed", flush=True)
"""


def _workspace(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "acme"
    Workspace.init(root).close()
    return root, f"sqlite:///{root / '.pmo' / 'pmo.db'}"


def test_eight_writers_of_a_thousand_updates_lose_nothing(tmp_path: Path) -> None:
    root, url = _workspace(tmp_path)

    result = hammer(url, writers=8, updates=1000)

    assert result.problems == (), result.problems
    assert result.shared == (8000, 8001)
    assert result.own == ((1000, 1001),) * 8
    assert result.entries == 1 + 8 + 2 * 8000
    # Every race lost was retried; the error a losing writer saw names the record and versions.
    assert result.conflicts == sum(result.conflicts_by_writer)
    if result.conflict_example is not None:
        assert "changed since it was read: expected version" in result.conflict_example
    # The workspace is whole afterwards: its journal verifies and it still opens and reads.
    with Workspace.open(root) as ws:
        verified = ws.verify()
        assert verified.ok, verified.problems
        assert verified.head == result.head
        assert ws.view().projects() == []


def test_a_read_during_a_long_write_returns_the_committed_state(tmp_path: Path) -> None:
    _, url = _workspace(tmp_path)

    seen = read_while_writing(url)

    assert seen.problems == (), seen.problems
    assert (seen.during, seen.after) == ((0, 1), (1, 2))


def test_the_hammer_reports_a_store_that_loses_updates(tmp_path: Path) -> None:
    # The check itself must be able to fail: a writer that cannot write is reported.
    _, url = _workspace(tmp_path)
    missing = f"sqlite:///{tmp_path / 'elsewhere' / 'none.db'}"

    with pytest.raises(Exception, match="missing"):
        hammer(missing, writers=2, updates=1)
    result = hammer(url, writers=1, updates=1, lock_timeout=-1)
    assert any(p.startswith("writer w0 failed") for p in result.problems), result.problems
    assert any("expected 1 at version 2" in p for p in result.problems), result.problems


def test_a_pmo_command_behind_a_long_import_waits_for_it(tmp_path: Path) -> None:
    # SQLite's own default wait is 5 s; the workspace's lock_timeout (default 900 s) is what
    # a pmo command waits behind an import, so it outlasts an import holding the lock longer.
    root, _ = _workspace(tmp_path)
    importer = subprocess.Popen(
        [sys.executable, "-c", _LONG_IMPORT, str(root / ".pmo" / "pmo.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert importer.stdout is not None
    assert importer.stdin is not None
    assert importer.stdout.readline().strip() == "locked"
    env = {**os.environ, "PMO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PMO_WORKSPACE", None)
    command = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pmo_core._cli import main; main()",
            "-w",
            str(root),
            "portfolio",
            "create",
            "PF",
            "--name",
            "Portfolio",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # Past SQLite's 5 s default the command must still be waiting, not failed.
        time.sleep(6)
        assert command.poll() is None, command.communicate()
    finally:
        out, err = importer.communicate("commit\n", timeout=60)
    assert (importer.returncode, out.strip()) == (0, "committed"), err
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    with Workspace.open(root) as ws:
        assert [e.command for e in ws.journal()][-2:] == ["import csv", "portfolio create"]
        assert ws.store.lock_timeout == 900.0  # type: ignore[attr-defined]
