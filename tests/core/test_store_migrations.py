"""Stores written at every released schema version open, migrate, verify and read back.

The stores are SQL files in tests/core/store_versions made by make_store_versions.py (see
there); the migration must give them a hash chain, keep every row, and leave a store that
today's code writes on.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from make_store_versions import HERE, RELEASED, build, load

from pmo_core import JournalEntry
from pmo_core._store import LATEST_VERSION, SQLiteStore
from pmo_core._store._sqlite_verify import expected_triggers
from pmo_core.testing.store_conformance import FakeClock

# The hash of the last of the 12 entries the stores hold: the chain the migration computes
# is fixed by their content alone, whatever schema version wrote them.
HEAD = "9da55971e68701a12769e9dbe84a13ec58034ffe832d650d0c52e3b7c4d65961"

DOCUMENTS = {
    ("portfolio", "PF"): (None, 1, {"name": "Digital", "currency": "EUR"}),
    ("project", "ALPHA"): ("PF", 2, {"name": "Alpha", "status": "at_risk"}),
    ("raid_item", "R-1"): ("ALPHA", 1, {"title": "Vendor late again", "type": "issue"}),
    ("work_item", "W-1"): (
        "ALPHA",
        1,
        {"subject": "Tâche 1 ✓", "project": "ALPHA", "percent_complete": 10},
    ),
    ("work_item", "W-2"): (None, 2, {"subject": "Unassigned", "percent_complete": 0}),
    **{
        ("work_item", f"W-{i}"): (
            "ALPHA",
            1,
            {"subject": f"Tâche {i} ✓", "project": "ALPHA", "percent_complete": i * 10},
        )
        for i in (3, 4, 5)
    },
}


def test_every_released_version_has_a_stored_file() -> None:
    # Releasing a schema version means keeping a store it wrote: add it to RELEASED and run
    # tests/core/make_store_versions.py.
    assert tuple(range(1, LATEST_VERSION)) == RELEASED
    assert sorted(p.name for p in HERE.glob("*.sql")) == [f"v{v}.sql" for v in RELEASED]


@pytest.mark.parametrize("version", RELEASED)
def test_the_stored_files_are_what_the_script_makes(version: int) -> None:
    # Made by the released migration steps: a step edited after its release shows up here.
    assert build(version) == (HERE / f"v{version}.sql").read_text(encoding="utf-8")


@pytest.fixture(params=RELEASED, ids=lambda v: f"v{v}")
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = load(request.param, tmp_path / "pmo.db")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == request.param
        columns = {row[1] for row in conn.execute("PRAGMA table_info(journal)")}
        # Written before the chain, or (version 4) with it.
        assert ("hash" in columns) == (request.param >= 4)
    return path


def test_an_old_store_migrates_and_reads_back(old_store: Path) -> None:
    with SQLiteStore(old_store, create=False) as store:
        assert store.schema_version == LATEST_VERSION
        documents = {
            (kind, doc.id): (doc.owner, doc.version, doc.data)
            for kind in store.kinds()
            for doc in store.query(kind)
        }
        assert documents == DOCUMENTS
        # Key order is the document's own, as it was written.
        alpha = store.get("work_item", "W-1")
        assert alpha is not None
        assert list(alpha.data) == ["subject", "project", "percent_complete"]
        entries = list(store.journal())
        assert [e.seq for e in entries] == list(range(1, 13))
        assert [e.op for e in entries] == ["insert"] * 7 + [
            "update",
            "insert",
            "delete",
            "update",
            "insert",
        ]
        assert [t.change_count for t in store.transactions()] == [2, 5, 2, 2, 1]
        # As known in the middle of March 2025: the risk was open, W-2 still assigned.
        march = store.as_of(datetime(2025, 3, 15, tzinfo=timezone.utc))
        risk = march.get("raid_item", "R-1")
        assert risk is not None
        assert risk.data["title"] == "Vendor late"
        assert [d.id for d in march.query("work_item", owner="ALPHA")] == [
            f"W-{i}" for i in range(1, 6)
        ]


def test_an_old_store_gets_a_hash_chain(old_store: Path) -> None:
    with SQLiteStore(old_store, create=False) as store:
        result = store.verify()
        entries = list(store.journal())
    assert result.problems == ()
    assert (result.entries, result.head) == (12, HEAD)
    prev = JournalEntry.GENESIS
    for entry in entries:
        # Written as compact JSON by every version, so the values give the same hash.
        assert entry.hash == entry.chain_hash(prev)
        prev = entry.hash
    with sqlite3.connect(old_store) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE journal SET owner = 'mallory' WHERE seq = 1")
    assert set(expected_triggers()) <= names


def test_an_old_store_is_written_on_and_reopened(old_store: Path) -> None:
    clock = FakeClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    with SQLiteStore(old_store, create=False, clock=clock) as store:
        with store.transaction("erin", command="project update") as tx:
            tx.update(
                "project", "ALPHA", {"name": "Alpha", "status": "on_track"}, expected_version=2
            )
            tx.insert_many("work_item", [("W-6", "ALPHA", {"subject": "New"})])
        result = store.verify()
        assert (result.ok, result.entries) == (True, 14)
        new = list(store.journal(since=clock.now))
        assert [e.seq for e in new] == [13, 14]
    with SQLiteStore(old_store, create=False) as store:  # nothing left to migrate
        assert store.schema_version == LATEST_VERSION
        again = store.verify()
        assert (again.ok, again.head) == (True, result.head)


def test_a_tampered_old_store_is_caught_after_migration(old_store: Path) -> None:
    # Edited before the upgrade: the chain is computed over what is there, but the documents
    # still disagree with their journal.
    with sqlite3.connect(old_store) as conn:
        conn.execute(
            'UPDATE documents SET data = \'{"name":"Edited"}\' '
            "WHERE kind = 'portfolio' AND id = 'PF'"
        )
    with SQLiteStore(old_store, create=False) as store:
        assert store.verify().journal == (
            "document portfolio PF differs from the replay of its journal (seq 1) in data: "
            "edited around the journal",
        )


def test_version_6_keeps_what_verify_reports_of_a_damaged_journal(tmp_path: Path) -> None:
    # Version 6 rebuilds the journal (no time, actor or command of its own; hashes as bytes):
    # a damaged store still migrates, and what verify found before it still finds after.
    path = load(5, tmp_path / "pmo.db")
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("DROP TRIGGER journal_no_delete")
        conn.execute("DROP TRIGGER journal_no_update")
        conn.execute("DROP TRIGGER transactions_no_delete")
        conn.execute("DELETE FROM journal WHERE seq = 12")  # the tail: only the counter knows
        conn.execute("DELETE FROM transactions WHERE command = 'raid close'")  # seq 10-11
        conn.execute("UPDATE journal SET hash = 'not a hash' WHERE seq = 3")
    with SQLiteStore(path, create=False) as store:
        assert store.schema_version == LATEST_VERSION
        result = store.verify()
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(journal)")]
        kept = conn.execute("SELECT typeof(prev_hash), typeof(hash) FROM journal").fetchall()
        given = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    assert columns == [
        "seq", "txn_id", "kind", "id", "owner", "op", "version", "before", "after",
        "prev_hash", "hash",
    ]  # fmt: skip
    assert kept.count(("blob", "blob")) == len(kept) - 1  # all but the hand-written one
    assert given == (12,)
    assert "journal entry seq 3 was altered (forged): its content does not give its hash" in (
        result.journal
    )
    assert "journal entry seq 12 is missing (deleted): the journal had reached seq 12" in (
        result.journal
    )
    assert any("belong to no recorded transaction" in p for p in result.journal)
    assert "trigger transactions_no_delete is missing (dropped)" in result.integrity[0]


def test_an_old_store_is_searchable_after_migration(old_store: Path) -> None:
    # Schema 7 writes the text of every document already there, and the index is built on it.
    with SQLiteStore(old_store, create=False) as store:
        hits = store.search("vendor")
        assert [(h.kind, h.id, h.owner) for h in hits] == [("raid_item", "R-1", "ALPHA")]
        assert "[Vendor]" in hits[0].snippet
        assert {h.id for h in store.search("tâche")} == {"W-1", "W-3", "W-4", "W-5"}
        assert [h.id for h in store.search("unassigned", kinds=["work_item"])] == ["W-2"]
        assert store.search("late", owner="PF") == []
        with store.transaction("erin", command="raid update") as tx:
            tx.update("raid_item", "R-1", {"title": "Supplier late"}, expected_version=1)
        assert store.search("vendor") == []
        assert [h.id for h in store.search("supplier")] == ["R-1"]
    with sqlite3.connect(old_store) as conn:
        rows = conn.execute("SELECT kind, id, text FROM search_text ORDER BY kind, id").fetchall()
    assert ("portfolio", "PF", "Digital | EUR") in rows
    assert len(rows) == len(DOCUMENTS)
