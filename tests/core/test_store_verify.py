"""SQLite-specific verification: the hash chain as stored, triggers, a damaged file, and what
``verify`` says about each way someone with write access to the file can change it."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from pmo_core import JournalEntry, StoreError, VerifyResult
from pmo_core._store import SQLiteStore
from pmo_core._store._sqlite_verify import expected_triggers
from pmo_core._store.chain import GENESIS, chain_problems, entry_hash, entry_text
from pmo_core.testing.store_conformance import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pmo.db"


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _write_some(path: Path, clock: FakeClock | None = None) -> None:
    clock = clock or FakeClock()
    with SQLiteStore(path, clock=clock) as store:
        with store.transaction("alice", command="project create") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha", "budget": {"amount": "10"}})
            tx.insert("project", "BETA", {"name": "Beta"}, owner="PF")
        clock.advance(60)
        with store.transaction("bob", command="import") as tx:
            tx.insert_many("task", [(f"T-{i}", "ALPHA", {"n": i}) for i in range(3)])
            tx.update("project", "ALPHA", {"name": "Alpha 2"}, expected_version=1)


def _verify(path: Path, *, quick: bool = False) -> VerifyResult:
    with SQLiteStore(path, create=False) as store:
        return store.verify(quick=quick)


def _without_triggers(conn: sqlite3.Connection, *statements: str) -> None:
    for name in ("journal_no_update", "journal_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    for sql in statements:
        conn.execute(sql)
    for name, sql in expected_triggers().items():
        if name.startswith("journal"):
            conn.execute(sql)


# ------------------------------------------------------------------------ the chain as stored


def test_the_stored_chain(db_path: Path) -> None:
    _write_some(db_path)
    # The time, actor and command are the transaction's; the hashes are kept as their bytes.
    rows = _raw(db_path).execute(
        "SELECT j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op,"
        " j.version, j.before, j.after, j.prev_hash, j.hash FROM journal AS j"
        " JOIN transactions AS t ON t.txn_id = j.txn_id ORDER BY j.seq"
    )
    prev = GENESIS
    for *fields, stored_prev, stored_hash in rows:
        assert stored_prev == bytes.fromhex(prev)
        assert stored_hash == bytes.fromhex(entry_hash(prev, entry_text(*fields)))
        prev = stored_hash.hex()
    assert _verify(db_path).head == prev


def test_the_hash_is_defined_once_and_for_all() -> None:
    # The chain is only worth something if its definition never changes: this entry's hash
    # is pinned (an old store must verify under every later pmo-core).
    text = entry_text(
        1, "t1", "2024-01-01T09:00:00.000000+00:00", "alice", "project create", "project",
        "ALPHA", None, "insert", 1, None, '{"name":"Alpha ✓","n":1}',
    )  # fmt: skip
    assert text == (
        '{"actor":"alice","after":{"name":"Alpha ✓","n":1},'
        '"at":"2024-01-01T09:00:00.000000+00:00","before":null,"command":"project create",'
        '"id":"ALPHA","kind":"project","op":"insert","owner":null,"seq":1,"txn_id":"t1",'
        '"version":1}'
    )
    # sha256 of the 64 zeros followed by that text, as any sha256 tool computes it.
    assert entry_hash(GENESIS, text) == (
        "324c85db1c86227c068144500036258275cdfebed49f8678b0e509f2bcd1eb14"
    )


def test_bulk_and_single_writes_hash_the_same_text(db_path: Path) -> None:
    # insert_many builds the entry JSON by parts for speed; it must be entry_text's text.
    odd = {"ü": 'quote " and \\ backslash', "emoji": "✓", "nested": {"b": [1, 2.5, None]}}
    with SQLiteStore(db_path, clock=FakeClock()) as store:
        with store.transaction('actor "quoted"', command="cmd\twith tab") as tx:
            tx.insert_many("task", [("T-é", 'owner "x"', odd), ("T-2", None, {})])
            tx.insert("task", "T-3", odd, owner='owner "x"')
        entries = list(store.journal())
        prev = JournalEntry.GENESIS
        for entry in entries:
            assert entry.hash == entry.chain_hash(prev)
            prev = entry.hash
        assert store.verify().ok


def test_old_entries_are_hashed_as_stored(db_path: Path) -> None:
    # A document written with spaces (as a hand-made or very old row could be) is hashed as
    # the text it is: verify recomputes from the stored text, not from re-encoded values.
    _write_some(db_path)
    conn = _raw(db_path)
    prev = conn.execute("SELECT hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()[0].hex()
    at = "2024-01-02T09:00:00.000000+00:00"
    after = '{"name": "Gamma",  "z": 1, "a": 2}'
    text = entry_text(7, "t-old", at, "old", "", "project", "GAMMA", None, "insert", 1, None, after)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO transactions VALUES ('t-old', ?, 'old', '', 1)", (at,))
    conn.execute(
        "INSERT INTO journal VALUES (7, 't-old', 'project', 'GAMMA', NULL, 'insert', 1, NULL,"
        " ?, ?, ?)",
        (after, bytes.fromhex(prev), bytes.fromhex(entry_hash(prev, text))),
    )
    conn.execute(
        "INSERT INTO documents VALUES ('project', 'GAMMA', NULL, 1, ?, ?, 'old')", (after, at)
    )
    conn.execute("COMMIT")
    result = _verify(db_path)
    assert result.problems == ()
    assert result.entries == 7


def test_chain_problems_reads_any_journal() -> None:
    def row(seq: int, prev: str) -> tuple[int, str, str, str]:
        text = f'{{"seq":{seq}}}'
        return seq, prev, entry_hash(prev, text), text

    first = row(1, GENESIS)
    second = row(2, first[2])
    third = row(3, second[2])
    assert chain_problems([first, second, third], lambda h: None) == ([], 3, 3, third[2])
    problems, entries, last, head = chain_problems([first, third], lambda h: None)
    assert problems == [
        "journal entry seq 2 is missing (deleted): the chain jumps from seq 1 to seq 3"
    ]
    assert (entries, last, head) == (2, 3, third[2])
    # Past the limit problems are counted, not worded.
    many = [row(seq, GENESIS) for seq in range(1, 30)]
    problems, *_ = chain_problems(many, lambda h: 1, limit=5)
    assert len(problems) == 6
    assert problems[-1] == "... and 23 more journal problem(s)"


# --------------------------------------------------------------------------- what verify finds


def test_a_sound_store_verifies(db_path: Path) -> None:
    _write_some(db_path)
    result = _verify(db_path)
    assert (result.ok, result.entries, result.problems) == (True, 6, ())
    assert _verify(db_path, quick=True) == VerifyResult(quick=True)


def test_a_forged_entry_is_named_by_seq(db_path: Path) -> None:
    _write_some(db_path)
    forged = json.dumps({"name": "Mallory"})
    _without_triggers(_raw(db_path), f"UPDATE journal SET after = '{forged}' WHERE seq = 1")
    result = _verify(db_path)
    assert result.journal == (
        "journal entry seq 1 was altered (forged): its content does not give its hash",
    )
    assert result.integrity == ()


def test_a_forged_entry_with_a_recomputed_hash_breaks_the_next_link(db_path: Path) -> None:
    _write_some(db_path)
    conn = _raw(db_path)
    fields = conn.execute(
        "SELECT j.seq, j.txn_id, t.at, t.actor, t.command, j.kind, j.id, j.owner, j.op,"
        " j.version, j.before, j.after FROM journal AS j"
        " JOIN transactions AS t ON t.txn_id = j.txn_id WHERE j.seq = 2"
    ).fetchone()
    prev = conn.execute("SELECT hash FROM journal WHERE seq = 1").fetchone()[0].hex()
    forged = (*fields[:7], "MALLORY", *fields[8:])
    new_hash = entry_hash(prev, entry_text(*forged))
    _without_triggers(
        conn, f"UPDATE journal SET owner = 'MALLORY', hash = X'{new_hash}' WHERE seq = 2"
    )
    result = _verify(db_path)
    assert result.journal[0] == (
        "journal entry seq 3 does not follow seq 2: the entry it was written after is gone "
        "(deleted, or seq 2 was replaced)"
    )
    # The document still says who owns it.
    assert any("document project BETA differs" in p for p in result.journal)


def test_an_edited_transaction_record_alters_its_entries(db_path: Path) -> None:
    # The entries take their command from the transaction record: an edit of the record
    # changes what they hash.
    _write_some(db_path)
    conn = _raw(db_path)
    conn.execute("DROP TRIGGER transactions_no_update")
    conn.execute("UPDATE transactions SET command = 'forged' WHERE command = 'import'")
    result = _verify(db_path)
    assert result.journal[:4] == tuple(
        f"journal entry seq {seq} was altered (forged): its content does not give its hash"
        for seq in range(3, 7)
    )


def test_an_entry_written_around_the_store(db_path: Path) -> None:
    _write_some(db_path)
    conn = _raw(db_path)
    txn = conn.execute("SELECT txn_id FROM journal WHERE seq = 6").fetchone()[0]
    conn.execute(
        "INSERT INTO journal (txn_id, kind, id, owner, op, version, before, after)"
        " VALUES (?, 'project', 'ZETA', NULL, 'insert', 1, NULL, '{}')",
        (txn,),
    )
    result = _verify(db_path)
    assert result.journal[0] == "journal entry seq 7 has no hash: it was written around the store"


def test_a_deleted_entry_and_its_transaction(db_path: Path) -> None:
    _write_some(db_path)
    _without_triggers(_raw(db_path), "DELETE FROM journal WHERE seq = 4")
    result = _verify(db_path)
    assert result.journal[0] == (
        "journal entry seq 4 is missing (deleted): the chain jumps from seq 3 to seq 5"
    )
    assert any("made 4 change(s) but the journal holds 3 of them" in p for p in result.journal)


def test_a_reset_sequence_counter_does_not_hide_deleted_entries(db_path: Path) -> None:
    _write_some(db_path)
    conn = _raw(db_path)
    _without_triggers(conn, "DELETE FROM journal WHERE seq >= 5")
    conn.execute("UPDATE sqlite_sequence SET seq = 4 WHERE name = 'journal'")
    result = _verify(db_path)
    # The chain alone cannot see entries cut from its end, but the transaction record and
    # the documents do.
    assert any("made 4 change(s) but the journal holds 2" in p for p in result.journal)
    assert any("document project ALPHA differs" in p for p in result.journal)


def test_edits_of_the_transaction_log(db_path: Path) -> None:
    _write_some(db_path)
    conn = _raw(db_path)
    conn.execute("DROP TRIGGER transactions_no_delete")
    conn.execute("DELETE FROM transactions WHERE command = 'import'")
    result = _verify(db_path)
    assert any("belong to no recorded transaction" in p for p in result.journal)
    assert "trigger transactions_no_delete is missing (dropped)" in result.integrity[0]


def test_an_edited_document_disagrees_with_as_of(db_path: Path) -> None:
    _write_some(db_path)
    _raw(db_path).execute(
        "UPDATE documents SET data = '{\"name\":\"Edited\"}' WHERE kind = 'project' AND id = 'BETA'"
    )
    with SQLiteStore(db_path, create=False) as store:
        now = store.get("project", "BETA")
        history = store.as_of(FakeClock().advance(3600)).get("project", "BETA")
        assert now is not None
        assert history is not None
        assert now.data != history.data  # what `project show` and `--as-of` would disagree on
        result = store.verify()
    assert result.journal == (
        "document project BETA differs from the replay of its journal (seq 2) in data: "
        "edited around the journal",
    )


def test_a_document_without_journal(db_path: Path) -> None:
    _write_some(db_path)
    _raw(db_path).execute(
        "INSERT INTO documents VALUES ('project', 'GHOST', NULL, 1, '{}', "
        "'2024-01-01T09:00:00.000000+00:00', 'mallory')"
    )
    assert _verify(db_path).journal == (
        "document project GHOST has no journal: written around the store",
    )


def test_a_dropped_or_replaced_trigger(db_path: Path) -> None:
    _write_some(db_path)
    conn = _raw(db_path)
    conn.execute("DROP TRIGGER journal_no_delete")
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT 1; END")
    conn.execute("CREATE TRIGGER extra AFTER INSERT ON documents BEGIN SELECT 1; END")
    expected = (
        "trigger journal_no_delete is missing (dropped): the journal is no longer append-only",
        "trigger journal_no_update was replaced: it is not the one pmo-core created",
        "unexpected trigger extra",
    )
    assert _verify(db_path).integrity == expected
    # Cheap enough for every `pmo doctor`: the quick check sees them too.
    assert _verify(db_path, quick=True).integrity == expected
    assert set(expected_triggers()) == {
        "journal_no_update",
        "journal_no_delete",
        "transactions_no_update",
        "transactions_no_delete",
    }


def test_undecodable_bytes_are_reported_not_raised(db_path: Path) -> None:
    _write_some(db_path)
    _without_triggers(
        _raw(db_path), "UPDATE journal SET owner = CAST(X'616CFF' AS TEXT) WHERE seq = 2"
    )
    result = _verify(db_path)
    assert result.journal[0].startswith("journal entry seq 2 was altered")


def _garble(path: Path, seed: int) -> None:
    """Overwrite two pages' worth of the middle of the file with random bytes."""
    rng = random.Random(seed)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2 - 4096 + rng.randrange(4096))
        f.write(rng.randbytes(8192))


def _big_store(path: Path) -> None:
    with SQLiteStore(path, clock=FakeClock()) as store, store.transaction("bulk") as tx:
        rows = [(f"T-{i:05d}", f"P-{i % 7}", {"n": i, "text": "x" * 200}) for i in range(2000)]
        tx.insert_many("task", rows)


@pytest.mark.parametrize("seed", range(5))
def test_a_garbled_file_is_a_finding_never_an_exception(db_path: Path, seed: int) -> None:
    _big_store(db_path)
    _garble(db_path, seed)
    with SQLiteStore(db_path, create=False) as store:
        quick = store.verify(quick=True)
        full = store.verify()
    assert not quick.ok
    assert quick.integrity[0].startswith("quick_check: ")
    assert not full.ok
    assert full.integrity[0].startswith("quick_check: ")


def test_reads_of_a_damaged_file_raise_store_error(db_path: Path) -> None:
    _big_store(db_path)
    _garble(db_path, 0)
    with SQLiteStore(db_path, create=False) as store, pytest.raises(StoreError) as info:
        list(store.journal())
    assert str(info.value).startswith(f"the store {db_path} is damaged (")
    assert "restore the file from a backup" in str(info.value)


def test_verify_reads_only(db_path: Path) -> None:
    _write_some(db_path)
    before = db_path.read_bytes()
    with SQLiteStore(db_path, create=False) as store:
        for quick in (False, True, False):
            assert store.verify(quick=quick).ok
        # No read transaction is left open to hold up the next write.
        assert not store._live().in_transaction
    assert db_path.read_bytes() == before
