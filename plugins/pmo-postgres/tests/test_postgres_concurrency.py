"""One store shared by threads through its pool, two processes appending at once, and a
writer that waits for another: the journal stays one unbroken chain."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pg_support import with_schema
from pmo_postgres import PostgresStore

from pmo_core import StoreError

WAIT = 60  # seconds a test waits for a thread it started (a hang, not a timing)


def test_threads_share_one_store_through_its_pool(server_url: str, schema: str) -> None:
    with PostgresStore(with_schema(server_url, schema, pool_max=2)) as store:
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(10):
                    with store.transaction(f"user-{n}", command="add") as tx:
                        tx.insert("task", f"T-{n}-{i}", {"n": i}, owner=f"P-{n}")
                        assert store.get("task", f"T-{n}-{i}") is not None  # its own write
                    assert store.count("task", owner=f"P-{n}") == i + 1
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
        assert errors == []
        assert store.count("task") == 60
        entries = list(store.journal())
        assert [e.seq for e in entries] == list(range(1, 61))
        assert len(list(store.transactions())) == 60
        result = store.verify()
        assert (result.ok, result.entries) == (True, 60), result.problems


def test_a_threads_open_transaction_is_its_own(pg_store: PostgresStore) -> None:
    inside, seen = threading.Event(), threading.Event()
    observed: list[object] = []

    def other() -> None:
        inside.wait(WAIT)
        observed.append(pg_store.get("project", "ALPHA"))  # not committed yet: not seen
        seen.set()

    thread = threading.Thread(target=other)
    thread.start()
    with pg_store.transaction("alice") as tx:
        tx.insert("project", "ALPHA", {"name": "Alpha"})
        assert pg_store.get("project", "ALPHA") is not None  # this thread sees it
        inside.set()
        assert seen.wait(WAIT)
    thread.join(WAIT)
    assert observed == [None]
    assert pg_store.get("project", "ALPHA") is not None


@pytest.mark.parametrize("lock_timeout", [0, 0.2])
def test_a_writer_waiting_too_long_gets_the_busy_error(
    store_url: str, pg_store: PostgresStore, lock_timeout: float
) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with pg_store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            holding.set()
            release.wait(WAIT)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(WAIT)
        with PostgresStore(store_url, create=False, lock_timeout=lock_timeout) as other:
            with pytest.raises(StoreError) as info, other.transaction("bob") as tx:
                tx.insert("project", "BETA", {})
            message = str(info.value)
            assert message.startswith("another pmo command is writing to postgresql://pmo:***@")
            assert f"waited {lock_timeout:g} s" in message
            assert "raise [workspace] lock_timeout in pmo.toml" in message
            assert other.get("project", "BETA") is None
    finally:
        release.set()
        thread.join(WAIT)
    assert pg_store.verify().ok


WRITER = """
import sys, time
from pathlib import Path
from pmo_postgres import PostgresStore

url, name, here = sys.argv[1], sys.argv[2], Path(sys.argv[3])
with PostgresStore(url, create=False) as store:
    # Start together: on a busy machine one process could otherwise be done before the
    # other has started, and nothing would be appended at once.
    (here / f"{name}.ready").touch()
    deadline = time.monotonic() + 60
    while len(list(here.glob("*.ready"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    for i in range(40):
        with store.transaction(name, command="append") as tx:
            tx.insert("task", f"{name}-{i}", {"i": i})
            if i % 5 == 0:
                tx.insert_many("step", [(f"{name}-{i}-{j}", None, {"j": j}) for j in range(3)])
"""


def test_two_processes_appending_at_once_leave_one_chain(store_url: str, tmp_path: Path) -> None:
    PostgresStore(store_url).close()  # created once, as pmo init would
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    procs = [
        subprocess.Popen([sys.executable, str(script), store_url, name, str(tmp_path)])
        for name in ("a", "b")
    ]
    assert [p.wait(WAIT * 5) for p in procs] == [0, 0]
    with PostgresStore(store_url, create=False) as store:
        entries = list(store.journal())
        assert len(entries) == 2 * (40 + 8 * 3)
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        actors = [e.actor for e in entries]
        # Both wrote while the other did (their transactions interleave in the chain).
        assert actors != sorted(actors)
        result = store.verify()
        assert (result.ok, result.entries) == (True, len(entries)), result.problems


def test_the_journal_streams_from_the_snapshot_of_the_call(server_url: str, schema: str) -> None:
    with PostgresStore(with_schema(server_url, schema, pool_max=2), lock_timeout=1) as store:
        with store.transaction("alice") as tx:
            tx.insert_many("task", [(f"T-{i:04d}", None, {"i": i}) for i in range(5000)])
        reading = store.journal()
        assert next(reading).id == "T-0000"
        with store.transaction("bob") as tx:  # a write is not blocked by the open read
            tx.insert("task", "LATE", {})
        assert [e.id for e in reading][-1] == "T-4999"  # the rest, as of the call
        assert list(store.journal())[-1].id == "LATE"
        for _ in range(3):  # dropped half-read: each gives its connection back to the pool
            unfinished = store.journal()
            next(unfinished)
            del unfinished
        # Both connections are free again: one read and one write at once (else: the pool's
        # StoreError after lock_timeout).
        holding = store.journal()
        next(holding)
        with store.transaction("carol") as tx:
            tx.insert("task", "LAST", {})
        holding.close()  # type: ignore[attr-defined]
