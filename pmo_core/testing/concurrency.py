"""Many writers and a reader against one store, in separate processes: reusable proofs that
a backend loses no update, answers a lost race with a clear ``ConflictError``, keeps one
unbroken journal chain, makes a writer wait for a long transaction, and never makes a reader
wait for a writer.

Every function takes a store URL (``sqlite:////abs/path/pmo.db``, ``postgresql://...``) and
starts fresh Python processes that open it through the storage backend its scheme names (an
installed plugin's for a scheme pmo-core does not know), the way separate ``pmo`` commands
do. Each returns what it observed, with a ``problems`` tuple that is empty when the store
behaved; a test asserts on that and prints the problems when it fails. Nothing here is timed:
a write that gives up instead of waiting, or a read that needs the write lock, is an error
that the observation reports.

Example::

    from pmo_core.testing.concurrency import hammer, read_while_writing

    def test_many_writers(tmp_path):
        url = f"sqlite:///{tmp_path}/pmo.db"
        result = hammer(url, writers=4, updates=50)
        assert result.problems == (), result.problems
        assert read_while_writing(url).problems == ()
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from pmo_core._store.protocol import JournalEntry, Store

__all__ = ["HammerResult", "ReadWhileWriting", "hammer", "read_while_writing"]

#: The kind the hammer writes; its documents are named after the run, so a store (a
#: workspace's too) can be hammered more than once and keeps whatever else it holds.
HAMMER_KIND = "hammer"

# A writer: opens the store, says "ready", waits for "go" on stdin, then makes its updates.
# Each update reads both documents OUTSIDE the transaction (as a client that shows a record,
# then saves it, does) and writes them with the versions it read: a writer that lost the race
# gets ConflictError, and reads again and retries, as a client would.
_WRITER = """
import json, sys
from pmo_core._errors import ConflictError
from pmo_core._services.storage import open_url

url, kind, shared, own, who, updates, timeout = sys.argv[1:8]
store = open_url(url, lock_timeout=float(timeout))
conflicts, example = 0, None
print("ready", flush=True)
sys.stdin.readline()
with store:
    for _ in range(int(updates)):
        while True:
            a, b = store.get(kind, shared), store.get(kind, own)
            try:
                with store.transaction(who, command="hammer") as tx:
                    tx.update(kind, shared, {"n": a.data["n"] + 1, "by": who},
                              expected_version=a.version)
                    tx.update(kind, own, {"n": b.data["n"] + 1}, expected_version=b.version)
            except ConflictError as exc:
                conflicts += 1
                example = example or str(exc)
                continue
            break
print(json.dumps({"conflicts": conflicts, "example": example}), flush=True)
"""

# Holds a write transaction open (one update made, not committed) until told on stdin.
_HOLDER = """
import sys
from pmo_core._services.storage import open_url

url, kind, id = sys.argv[1:4]
with open_url(url) as store:
    with store.transaction("long-writer", command="long write") as tx:
        doc = tx.get(kind, id)
        tx.update(kind, id, {"n": doc.data["n"] + 1, "by": "long-writer"},
                  expected_version=doc.version)
        print("writing", flush=True)
        sys.stdin.readline()
    print("committed", flush=True)
"""

# Reads the document once; prints what it saw and how long the read took.
_READER = """
import json, sys, time
from pmo_core._services.storage import open_url

url, kind, id, timeout = sys.argv[1:5]
with open_url(url, lock_timeout=float(timeout)) as store:
    started = time.perf_counter()
    doc = store.get(kind, id)
    seconds = time.perf_counter() - started
print(json.dumps({"n": doc.data["n"], "version": doc.version, "seconds": seconds}))
"""


def _spawn(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str], what: str, problems: list[str]) -> dict[str, object]:
    """The last JSON line a child printed, or a problem saying how it failed."""
    out, err = proc.communicate(timeout=600)
    lines = out.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = err.strip().splitlines()[-1:] or ["no output"]
        problems.append(f"{what} failed (exit {proc.returncode}): {tail[0]}")
        return {}
    found: dict[str, object] = json.loads(lines[-1])
    return found


def _open(url: str) -> Store:
    # Imported when used: the storage service loads the plugin host and the records, and the
    # testing kit stays light to import (pytest loads it in every test session).
    from pmo_core._services.storage import open_url

    return open_url(url)


def _seed(url: str, run: str, names: Sequence[str]) -> None:

    with _open(url) as store, store.transaction("hammer", command="hammer seed") as tx:
        tx.insert_many(HAMMER_KIND, ((name, run, {"n": 0}) for name in names))


def _run_id() -> str:
    return f"run-{os.urandom(4).hex()}"


@dataclass(frozen=True)
class HammerResult:
    """What :func:`hammer` observed; ``problems`` is empty when nothing was lost.

    ``conflicts`` counts the writes that lost a race (each retried), per writer in
    ``conflicts_by_writer``; ``conflict_example`` is the first ``ConflictError`` message.
    ``shared`` is ``(value, version)`` of the document every writer incremented, ``own`` the
    same for each writer's own document; ``entries`` the journal entries of the run and
    ``head`` the store's chain head after it; ``seconds`` the wall time of the writing.

    Example::

        url = config.store_url()  # a SQLite store: the example workspace's
        result = hammer(url, writers=2, updates=20)  # 8 writers of 1000 updates in CI
        assert result.problems == (), result.problems
        print(result.conflicts, "races lost and retried in", result.seconds, "s")
    """

    url: str
    writers: int
    updates: int
    conflicts: int = 0
    conflicts_by_writer: tuple[int, ...] = ()
    conflict_example: str | None = None
    shared: tuple[int, int] = (0, 0)
    own: tuple[tuple[int, int], ...] = ()
    entries: int = 0
    head: str | None = None
    seconds: float = 0.0
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether the store lost nothing and its journal verifies.

        Example::

            assert hammer(url, writers=2, updates=10).ok
        """
        return not self.problems


def hammer(
    url: str, writers: int = 8, updates: int = 1000, *, lock_timeout: float = 300.0
) -> HammerResult:
    """Run ``writers`` processes that each make ``updates`` updates to one store at once.

    Each update is one transaction that increments a document every writer shares and the
    writer's own document, with the versions read before the transaction (a lost race is a
    ``ConflictError``, read again and retried). Afterwards the store must hold exactly
    ``writers * updates`` on the shared document at version ``writers * updates + 1``, and
    ``updates`` on each writer's own; its journal must hold each update once, in version order,
    each reading the value the one before wrote; and ``Store.verify()`` must pass (an unbroken
    hash chain, transactions that add up, documents equal to their replay). A writer that gives
    up waiting for the lock (``lock_timeout`` seconds) fails, and is reported.

    The store at ``url`` must exist; what it already holds is left alone (the run writes
    documents of kind ``hammer`` named after itself).

    Example::

        result = hammer(config.store_url(), writers=2, updates=20)  # default: 8 and 1000
        assert result.problems == (), result.problems
    """
    run = _run_id()
    shared = f"{run}-shared"
    own = [f"{run}-w{i}" for i in range(writers)]
    _seed(url, run, [shared, *own])
    problems: list[str] = []
    procs = [
        _spawn(_WRITER, url, HAMMER_KIND, shared, own[i], f"w{i}", updates, lock_timeout)
        for i in range(writers)
    ]
    for i, proc in enumerate(procs):  # every writer has opened the store before any starts
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            problems.append(f"writer w{i} did not start")
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        try:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        except OSError:  # it died starting: _finish reports how
            pass
    outcomes = [_finish(p, f"writer w{i}", problems) for i, p in enumerate(procs)]
    seconds = time.perf_counter() - started
    by_writer = tuple(int(str(o.get("conflicts", 0))) for o in outcomes)
    example = next((str(o["example"]) for o in outcomes if o.get("example")), None)
    total = writers * updates
    with _open(url) as store:
        docs = {d.id: d for d in store.query(HAMMER_KIND, owner=run)}
        values = {name: (docs[name].data["n"], docs[name].version) for name in docs}
        got_shared = values.get(shared, (0, 0))
        got_own = tuple(values.get(name, (0, 0)) for name in own)
        if got_shared != (total, total + 1):
            problems.append(
                f"the shared document holds {got_shared[0]} at version {got_shared[1]}; "
                f"expected {total} at version {total + 1} (updates lost or doubled)"
            )
        for i, got in enumerate(got_own):
            if got != (updates, updates + 1):
                problems.append(
                    f"writer w{i}'s document holds {got[0]} at version {got[1]}; expected "
                    f"{updates} at version {updates + 1}"
                )
        entries = [e for e in store.journal(kind=HAMMER_KIND) if e.owner == run]
        problems += _journal_problems(entries, shared, writers, updates)
        verified = store.verify()
        problems += [f"verify: {p}" for p in verified.problems]
    if example is not None and "changed since it was read" not in example:
        problems.append(f"a lost race raised an unclear ConflictError: {example}")
    return HammerResult(
        url=url,
        writers=writers,
        updates=updates,
        conflicts=sum(by_writer),
        conflicts_by_writer=by_writer,
        conflict_example=example,
        shared=got_shared,
        own=got_own,
        entries=len(entries),
        head=verified.head,
        seconds=seconds,
        problems=tuple(problems),
    )


def _journal_problems(
    entries: Sequence[JournalEntry], shared: str, writers: int, updates: int
) -> list[str]:
    problems: list[str] = []
    total = writers * updates
    expected_entries = 1 + writers + 2 * total  # the seed, then two per update
    if len(entries) != expected_entries:
        problems.append(
            f"the journal holds {len(entries)} entries of the run; expected {expected_entries}"
        )
    steps = [e for e in entries if e.id == shared and e.op == "update"]
    if [e.version for e in steps] != list(range(2, total + 2)):
        problems.append("the shared document's journal versions are not 2, 3, ... in seq order")
    skipped = [
        e.seq for e in steps if not (e.before and e.after and e.after["n"] == e.before["n"] + 1)
    ]
    if skipped:
        problems.append(
            f"{len(skipped)} update(s) of the shared document did not build on the value "
            f"before them (first at seq {skipped[0]})"
        )
    return problems


@dataclass(frozen=True)
class ReadWhileWriting:
    """What :func:`read_while_writing` observed; ``problems`` is empty when reads never
    waited for the writer and saw committed data only.

    ``during`` is ``(value, version)`` read while another process held a write transaction
    open, ``after`` the same once it committed; ``read_seconds`` is how long the read during
    the write took (for information: the proof is that it succeeded with a short lock wait).

    Example::

        seen = read_while_writing(config.store_url())
        assert seen.problems == (), seen.problems
    """

    url: str
    during: tuple[int, int] = (0, 0)
    after: tuple[int, int] = (0, 0)
    read_seconds: float = 0.0
    problems: tuple[str, ...] = ()


def read_while_writing(url: str, *, reader_lock_timeout: float = 1.0) -> ReadWhileWriting:
    """Read a document in one process while another holds a write transaction open on it.

    The writer updates the document and keeps its transaction open until the read is done;
    the reader opens the store with a lock timeout of ``reader_lock_timeout`` seconds. A
    backend whose reads wait for writers would make the read fail (the writer never lets go
    first), so the read succeeding at all is the proof; it must also show the committed
    value, not the writer's uncommitted one. After the writer commits, a new read shows it.

    Example::

        assert read_while_writing(config.store_url()).problems == ()
    """
    run = _run_id()
    id = f"{run}-read"
    _seed(url, run, [id])
    problems: list[str] = []
    holder = _spawn(_HOLDER, url, HAMMER_KIND, id)
    assert holder.stdout is not None
    assert holder.stdin is not None
    try:
        if holder.stdout.readline().strip() != "writing":
            problems.append("the writer did not start its transaction")
        during = _finish(
            _spawn(_READER, url, HAMMER_KIND, id, reader_lock_timeout), "the read", problems
        )
    finally:
        holder.stdin.write("commit\n")
        holder.stdin.flush()
        out, err = holder.communicate(timeout=600)
    if holder.returncode != 0 or out.strip() != "committed":
        problems.append(f"the writer failed: {(err.strip().splitlines() or ['?'])[-1]}")
    after = _finish(_spawn(_READER, url, HAMMER_KIND, id, 60), "the read after", problems)
    seen = (int(str(during.get("n", -1))), int(str(during.get("version", -1))))
    then = (int(str(after.get("n", -1))), int(str(after.get("version", -1))))
    if during and seen != (0, 1):
        problems.append(f"the read during the write saw {seen}, not the committed (0, 1)")
    if after and then != (1, 2):
        problems.append(f"the read after the commit saw {then}, not (1, 2)")
    return ReadWhileWriting(
        url=url,
        during=seen,
        after=then,
        read_seconds=float(str(during.get("seconds", 0.0))),
        problems=tuple(problems),
    )
