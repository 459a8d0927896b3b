"""What SQLite's ``verify`` says of entries cut from the end of the journal, of a gap of
several entries, of a sequence counter set back, of more transaction problems than it words;
a walk that goes back in seq; and what the stores refuse (a closed store, a moment that is
no datetime, a schema version that does not exist, a transaction without an actor or with a
command that is not text, an expected version that is no version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core import Store, VerifyResult
from pmo_core._errors import InvalidInputError, StoreError
from pmo_core._store import LATEST_VERSION, MemoryStore, SQLiteStore, migrations
from pmo_core._store._sqlite_verify import expected_triggers
from pmo_core._store.chain import GENESIS, chain_problems, entry_hash


def _cut(path: Path, sql: str) -> None:
    """Run ``sql`` on the journal behind the store's back (its triggers dropped, then put back)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name in ("journal_no_update", "journal_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(sql)
    for name, trigger in expected_triggers().items():
        if name.startswith("journal"):
            conn.execute(trigger)
    conn.close()


def _verify(path: Path) -> VerifyResult:
    with SQLiteStore(path, create=False) as store:
        return store.verify()


def _projects(path: Path, transactions: int, per_transaction: int) -> None:
    with SQLiteStore(path) as store:
        for t in range(transactions):
            with store.transaction("alice", command=f"batch {t}") as tx:
                for i in range(per_transaction):
                    tx.insert("project", f"P{t:02}-{i}", {})


def test_entries_cut_from_the_end_of_the_journal_are_named(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    _projects(path, 1, 6)
    _cut(path, "DELETE FROM journal WHERE seq >= 5")

    result = _verify(path)

    assert result.entries == 4
    assert result.journal[0] == (
        "journal entries seq 5 to 6 are missing (deleted): the journal had reached seq 6"
    )


def test_a_gap_of_several_entries_is_named_as_one_range(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    _projects(path, 1, 6)
    _cut(path, "DELETE FROM journal WHERE seq IN (2, 3, 4)")

    result = _verify(path)

    assert result.journal[0] == (
        "journal entries seq 2 to 4 are missing (deleted): the chain jumps from seq 1 to seq 5"
    )


def test_transaction_problems_beyond_twenty_are_counted_not_worded(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    _projects(path, 23, 2)
    _cut(path, "DELETE FROM journal WHERE seq % 2 = 0")  # one entry of every transaction

    journal = _verify(path).journal
    problems = [p for p in journal if p.startswith("transaction ")]

    assert len(problems) == 20
    assert "('batch 0' by alice at " in problems[0]
    assert problems[0].endswith(
        "made 2 change(s) but the journal holds 1 of them (entries deleted)"
    )
    assert "... and 3 more transaction problem(s)" in journal


@pytest.mark.parametrize("make", [MemoryStore, lambda: SQLiteStore(":memory:")])
def test_as_of_a_moment_that_is_not_a_datetime_is_refused(make: Callable[[], Store]) -> None:
    with make() as store, pytest.raises(InvalidInputError) as info:
        store.as_of("2025-01-01")  # type: ignore[arg-type]
    assert str(info.value) == "when must be a datetime, not str"


def test_a_closed_memory_store_refuses_use() -> None:
    store = MemoryStore()
    with store.transaction("alice") as tx:
        tx.insert("project", "ALPHA", {})
    store.close()
    for use in (lambda: store.get("project", "ALPHA"), lambda: store.copy_in([])):
        with pytest.raises(StoreError) as info:
            use()
        assert str(info.value) == "the memory store is closed"
    with pytest.raises(StoreError, match=r"^the memory store is closed$"), store.transaction("bob"):
        pass


def test_a_walk_given_a_seq_twice_says_the_journal_was_reordered() -> None:
    """A journal read in any order (another backend's, a copy) that goes back in seq."""

    def row(seq: int, prev: str) -> tuple[int, str, str, str]:
        text = f'{{"seq":{seq}}}'
        return seq, prev, entry_hash(prev, text), text

    first = row(1, GENESIS)
    second = row(2, first[2])
    problems, entries, last, _ = chain_problems([first, second, first], lambda h: None)
    assert problems == ["journal entry seq 1 comes after seq 2 (reordered)"]
    assert (entries, last) == (3, 2)


def test_migrating_to_a_version_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "pmo.db", isolation_level=None)
    for goal in (-1, LATEST_VERSION + 1):
        with pytest.raises(StoreError) as info:
            migrations.migrate(conn, target=goal)
        assert str(info.value) == f"unknown schema version {goal}; latest is {LATEST_VERSION}"
    assert migrations.current_version(conn) == 0
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_a_sequence_counter_set_back_is_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "pmo.db"
    _projects(path, 1, 6)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE sqlite_sequence SET seq = 2 WHERE name = 'journal'")
    conn.close()

    assert _verify(path).journal == (
        "the journal's sequence counter is at 2, behind seq 6: edited",
    )


STORES = [MemoryStore, lambda: SQLiteStore(":memory:")]


@pytest.mark.parametrize("make", STORES)
@pytest.mark.parametrize(
    ("actor", "command", "message"),
    [
        ("  ", "", "invalid actor '  ': must be a non-empty string"),
        (None, "", "invalid actor None: must be a non-empty string"),
        ("alice", 5, "invalid command 5: must be a string"),
    ],
)
def test_a_transaction_of_no_actor_or_a_command_that_is_not_text_is_refused(
    make: Callable[[], Store], actor: object, command: object, message: str
) -> None:
    with make() as store:
        with pytest.raises(InvalidInputError) as info, store.transaction(actor, command=command):  # type: ignore[arg-type]
            pass
        assert str(info.value) == message
        assert list(store.transactions()) == []


@pytest.mark.parametrize("make", STORES)
@pytest.mark.parametrize("version", [0, True, "1"])
def test_an_expected_version_that_is_no_version_is_refused(
    make: Callable[[], Store], version: object
) -> None:
    with make() as store:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        with pytest.raises(InvalidInputError) as info, store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=version)  # type: ignore[arg-type]
        assert str(info.value) == (
            f"expected_version: invalid expected_version {version!r}: must be an integer >= 1"
        )
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert (doc.version, doc.data) == (1, {"name": "Alpha"})
