"""SQLite-specific behaviour: pragmas, migrations, schema versions, journal triggers."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pmo_core._errors import InvalidInputError, StoreError
from pmo_core._store import LATEST_VERSION, SQLiteStore, migrations
from pmo_core._store import sqlite as sqlite_module
from pmo_core.testing.store_conformance import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pmo.db"


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_pragmas(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        conn = store._live()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 900_000  # the 15-minute default
    # WAL is a property of the file, so a plain connection sees it too.
    assert _raw(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_creates_missing_data_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "pmo.db"
    with SQLiteStore(path) as store:
        assert store.path == str(path)
    assert path.is_file()


def test_in_memory_database() -> None:
    with SQLiteStore(":memory:") as store:
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
        assert store.count("project") == 1
        assert store.schema_version == LATEST_VERSION


def test_new_database_is_at_latest_version(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        assert store.schema_version == LATEST_VERSION
    assert _raw(db_path).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert LATEST_VERSION == migrations.MIGRATIONS[-1].version >= 2
    versions = [m.version for m in migrations.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))


def _names(conn: sqlite3.Connection, type_: str) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (type_,))
    return {row[0] for row in rows if not row[0].startswith("sqlite_")}


def test_v1_database_is_migrated_and_keeps_its_data(db_path: Path) -> None:
    conn = _raw(db_path)
    assert migrations.migrate(conn, target=1) == 1
    assert migrations.current_version(conn) == 1
    assert _names(conn, "trigger") == set()
    at = "2024-01-01T09:00:00.000000+00:00"
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO documents VALUES ('project', 'ALPHA', 'PF-1', 1, ?, ?, 'alice')",
        ('{"name": "Alpha"}', at),
    )
    conn.execute("INSERT INTO transactions VALUES ('t1', ?, 'alice', 'legacy', 1)", (at,))
    conn.execute(
        "INSERT INTO journal (txn_id, at, actor, command, kind, id, owner, op, version, before,"
        " after) VALUES ('t1', ?, 'alice', 'legacy', 'project', 'ALPHA', 'PF-1', 'insert', 1,"
        " NULL, ?)",
        (at, '{"name": "Alpha"}'),
    )
    conn.execute("COMMIT")
    conn.close()

    with SQLiteStore(db_path, clock=FakeClock()) as store:
        assert store.schema_version == LATEST_VERSION
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert (doc.owner, doc.version, doc.data, doc.updated_by) == (
            "PF-1",
            1,
            {"name": "Alpha"},
            "alice",
        )
        assert doc.updated_at == datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
        assert [(e.txn_id, e.op) for e in store.journal()] == [("t1", "insert")]
        assert [t.command for t in store.transactions()] == ["legacy"]
        with store.transaction("bob") as tx:
            tx.update("project", "ALPHA", {"name": "A2"}, expected_version=1)
        assert len(list(store.journal())) == 2

    conn = _raw(db_path)
    assert migrations.current_version(conn) == LATEST_VERSION
    assert {"journal_no_update", "journal_no_delete"} <= _names(conn, "trigger")
    assert {"documents_by_owner", "journal_by_kind_id", "journal_by_kind_owner"} <= _names(
        conn, "index"
    )


def test_v2_database_gains_the_owner_index_and_keeps_its_data(db_path: Path) -> None:
    conn = _raw(db_path)
    assert migrations.migrate(conn, target=2) == 2
    assert "journal_by_kind_owner" not in _names(conn, "index")
    at = "2024-01-01T09:00:00.000000+00:00"
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO documents VALUES ('raid_item', 'R-1', 'ALPHA', 1, '{}', ?, 'alice')", (at,)
    )
    conn.execute(
        "INSERT INTO journal (txn_id, at, actor, command, kind, id, owner, op, version, before,"
        " after) VALUES ('t1', ?, 'alice', '', 'raid_item', 'R-1', 'ALPHA', 'insert', 1, NULL,"
        " '{}')",
        (at,),
    )
    conn.execute("INSERT INTO transactions VALUES ('t1', ?, 'alice', '', 1)", (at,))
    conn.execute("COMMIT")
    conn.close()
    with SQLiteStore(db_path) as store:
        assert store.schema_version == LATEST_VERSION
        view = store.as_of(datetime(2024, 1, 2, tzinfo=timezone.utc))
        assert [d.id for d in view.query("raid_item", owner="ALPHA")] == ["R-1"]
        assert view.count("raid_item", owner="BETA") == 0
    assert "journal_by_kind_owner" in _names(_raw(db_path), "index")


def test_as_of_owner_filter_uses_the_owner_index(db_path: Path) -> None:
    # Without the owner index an owner-filtered as-of read scans every entry of the kind,
    # which on a big journal costs as much as reading the whole kind.
    with SQLiteStore(db_path) as store:
        view = store.as_of(datetime(2024, 1, 1, tzinfo=timezone.utc))
        for owner in ("ALPHA", None):
            sql, params = view._latest("COUNT(*)", "raid_item", owner, None)  # type: ignore[attr-defined]
            plan = " ".join(
                str(row[-1]) for row in store._live().execute("EXPLAIN QUERY PLAN " + sql, params)
            )
            assert "journal_by_kind_owner" in plan


def test_schema_newer_than_code_is_refused(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    conn = _raw(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 7}")
    conn.close()
    with pytest.raises(StoreError) as info:
        SQLiteStore(db_path)
    assert str(info.value) == (
        f"cannot open the store {str(db_path)!r}: store schema version {LATEST_VERSION + 7} is "
        f"newer than this pmo-core supports ({LATEST_VERSION}); upgrade pmo-core to open it"
    )
    # Refused before anything was written.
    assert migrations.current_version(_raw(db_path)) == LATEST_VERSION + 7


def test_failed_migration_leaves_database_untouched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (
        *migrations.MIGRATIONS,
        migrations.Migration(99, "broken", ("CREATE TABLE extra (x)", "NOT SQL AT ALL")),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    monkeypatch.setattr(migrations, "LATEST_VERSION", 99)
    with pytest.raises(StoreError, match="migration failed"):
        SQLiteStore(db_path)
    conn = _raw(db_path)
    # Every step runs in one transaction: not even step 1 was kept.
    assert migrations.current_version(conn) == 0
    assert _names(conn, "table") == set()


def test_journal_and_transactions_are_append_only(db_path: Path) -> None:
    with SQLiteStore(db_path) as store, store.transaction("alice") as tx:
        tx.insert("project", "ALPHA", {"name": "Alpha"})
    conn = _raw(db_path)
    for sql in (
        "UPDATE journal SET owner = 'mallory'",
        "DELETE FROM journal",
        "UPDATE transactions SET actor = 'mallory'",
        "DELETE FROM transactions",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    assert conn.execute("SELECT owner FROM journal").fetchall() == [(None,)]
    assert conn.execute("SELECT actor FROM transactions").fetchall() == [("alice",)]


def test_readers_do_not_see_uncommitted_writes(db_path: Path) -> None:
    with SQLiteStore(db_path) as writer, SQLiteStore(db_path) as reader:
        with writer.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            # WAL: another connection reads the last committed state without blocking.
            assert reader.get("project", "ALPHA") is None
            assert reader.count("project") == 0
        assert reader.get("project", "ALPHA") is not None


def test_second_writer_times_out_with_store_error(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(db_path) as first, SQLiteStore(db_path, lock_timeout=0.05) as second:
        with first.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
            with pytest.raises(StoreError) as info, second.transaction("bob"):
                pass
        assert str(info.value) == (
            f"another pmo command is writing to {db_path}; waited 0.05 s; try again, or "
            "raise [workspace] lock_timeout in pmo.toml"
        )
        with second.transaction("bob") as tx:
            tx.insert("project", "BETA", {})
        assert first.count("project") == 2


def test_json_dumping_is_robust(db_path: Path) -> None:
    token = uuid.UUID(int=1)
    with SQLiteStore(db_path) as store:
        with store.transaction("alice") as tx:
            tx.insert(
                "project",
                "ALPHA",
                {
                    "amount": Decimal("12.50"),
                    "start": date(2024, 1, 2),
                    "at": datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc),
                    "ref": token,
                },
            )
        doc = store.get("project", "ALPHA")
        assert doc is not None
        assert doc.data == {
            "amount": "12.50",
            "start": "2024-01-02",
            "at": "2024-01-02T03:04:00+00:00",
            "ref": str(token),
        }
        with store.transaction("alice") as tx, pytest.raises(InvalidInputError, match="JSON"):
            tx.insert("project", "BAD", {"nan": float("nan")})


def test_values_does_not_build_documents(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ((f"P-{i:05d}", f"PF-{i % 10}", {"budget": {"amount": i}}) for i in range(20_000))
    with SQLiteStore(db_path) as store:
        with store.transaction("importer", command="import") as tx:
            assert tx.insert_many("project", rows) == 20_000

        def no_documents(row: object) -> None:
            raise AssertionError("values() must not build Document objects")

        monkeypatch.setattr(sqlite_module, "_document", no_documents)
        total = sum(amount for (amount,) in store.values("project", ["budget.amount"]))
        assert total == sum(range(20_000))
        assert store.count("project", owner="PF-3") == 2_000
        assert len(list(store.transactions())) == 1


def test_closed_store_refuses_use(db_path: Path) -> None:
    store = SQLiteStore(db_path)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.get("project", "ALPHA")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a sqlite database at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        SQLiteStore(path)


def test_naive_clock_is_refused_and_releases_the_lock(db_path: Path) -> None:
    with (
        SQLiteStore(db_path, clock=lambda: datetime(2024, 1, 1)) as store,
        SQLiteStore(db_path) as other,
    ):
        with pytest.raises(StoreError, match="aware"), store.transaction("alice"):
            pass
        # The refused transaction let go of the write lock: another writer gets in at once.
        other._live().execute("PRAGMA busy_timeout = 50")
        with other.transaction("bob") as tx:
            tx.insert("project", "BETA", {})
        assert store.count("project") == 1


# ------------------------------------------------- a compact journal (schema version 5)


def _plan(conn: sqlite3.Connection, sql: str, params: Any = ()) -> str:
    return " | ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_every_journal_query_has_an_index_and_no_index_is_unused(db_path: Path) -> None:
    # The queries the store runs on the journal, each with the plan SQLite picks: none scans
    # the whole journal, and every index on it is used by one of them (an index nobody
    # uses only costs every write and the file's size).
    when = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with SQLiteStore(db_path) as store:
        conn = store._live()
        view = store.as_of(when)
        latest = [
            view._latest("id", "task", owner, None)  # type: ignore[attr-defined]
            for owner in (sqlite_module.ANY, "ALPHA")
        ]
        plans = {
            "journal(kind, id)": _plan(
                conn, "SELECT seq FROM journal WHERE kind = ? AND id = ? ORDER BY seq", ("t", "1")
            ),
            "journal(txn_id)": _plan(
                conn, "SELECT seq FROM journal WHERE txn_id = ? ORDER BY seq", ("x",)
            ),
            "as_of.get": _plan(
                conn,
                "SELECT j.after FROM journal AS j JOIN transactions AS t"
                " ON t.txn_id = j.txn_id WHERE j.kind = ? AND j.id = ? AND t.at <= ?"
                " ORDER BY j.seq DESC LIMIT 1",
                ("t", "1", "x"),
            ),
            "as_of.query": _plan(conn, *latest[0]),
            "as_of.query(owner)": _plan(conn, *latest[1]),
            "journal(since, until)": _plan(
                conn,
                f"SELECT j.seq FROM {sqlite_module._JOURNAL_FROM} WHERE 1 = 1"
                + sqlite_module._journal_time_sql(when, when, [])
                + " ORDER BY j.seq",
                (sqlite_module.c.format_time(when),) * 4,
            ),
        }
        indexes = _names(conn, "index")
    for name, plan in plans.items():
        assert "SCAN journal" not in plan.replace("SCAN journal USING", "INDEX"), (name, plan)
    used = {index for index in indexes if any(index in plan for plan in plans.values())}
    assert (
        {i for i in indexes if i.startswith("journal")}
        == {
            "journal_by_kind_id",
            "journal_by_kind_owner",
            "journal_by_txn",
        }
        == {i for i in used if i.startswith("journal")}
    )
    # The time range is a range of the primary key.
    assert "INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plans["journal(since, until)"]


def test_large_journal_documents_are_stored_compressed(db_path: Path) -> None:
    small = {"name": "Alpha"}
    big = {"name": "Alpha", "description": "Ünïcode ✓ and more text. " * 40}
    with SQLiteStore(db_path, clock=FakeClock()) as store:
        with store.transaction("alice") as tx:
            tx.insert("project", "A", small)
            tx.insert_many("project", [("B", None, big)])
            tx.update("project", "A", big, expected_version=1)
        stored = (
            _raw(db_path)
            .execute(
                "SELECT typeof(before), typeof(after), length(after) FROM journal ORDER BY seq"
            )
            .fetchall()
        )
        text = sqlite_module.c.dumps(big)
        assert [row[:2] for row in stored] == [
            ("null", "text"),
            ("null", "blob"),
            ("text", "blob"),
        ]
        assert stored[1][2] < len(text.encode()) / 3
        # Read back as written, the chain over the text; the document itself stays text.
        assert [e.after for e in store.journal()] == [small, big, big]
        assert store.verify().ok
        assert _raw(db_path).execute(
            "SELECT typeof(data) FROM documents WHERE id = 'B'"
        ).fetchone() == ("text",)


def test_an_edit_to_a_compressed_document_is_found(db_path: Path) -> None:
    big = {"name": "Beta", "description": "x" * 1000}
    with SQLiteStore(db_path, clock=FakeClock()) as store, store.transaction("alice") as tx:
        tx.insert_many("project", [("B", None, big)])
    edited = sqlite_module.c.dumps({**big, "name": "Edited"})
    _raw(db_path).execute("UPDATE documents SET data = ? WHERE id = 'B'", (edited,))
    with SQLiteStore(db_path) as store:
        assert store.verify().journal == (
            "document project B differs from the replay of its journal (seq 1) in data: "
            "edited around the journal",
        )


def test_a_transaction_reads_its_changes_back_from_the_journal(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        with store.transaction("importer") as tx:
            tx.insert_many("task", [(f"T-{n}", "A", {"n": n}) for n in range(3)])
            tx.update("task", "T-1", {"n": 10}, expected_version=1)
            # Nothing of the documents is held by the transaction itself.
            assert not any(isinstance(v, list) for v in vars(tx).values())
        assert [(c.op, c.id, c.after) for c in tx.changes] == [
            ("insert", "T-0", {"n": 0}),
            ("insert", "T-1", {"n": 1}),
            ("insert", "T-2", {"n": 2}),
            ("update", "T-1", {"n": 10}),
        ]
        seen: list[Any] = []

        def fail() -> None:
            with store.transaction("other") as failed:
                seen.append(failed)
                failed.insert("task", "T-9", {})
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail()
        assert seen[0].changes == []


def test_an_open_transaction_reads_its_own_entries_with_their_time_and_actor(
    db_path: Path,
) -> None:
    # Entries take their time, actor and command from the transaction record, which is
    # written at COMMIT: until then the open transaction supplies them.
    clock = FakeClock()
    with SQLiteStore(db_path, clock=clock) as store:
        with store.transaction("alice", command="project create") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
            inside = [(e.seq, e.at, e.actor, e.command) for e in store.journal()]
        after = [(e.seq, e.at, e.actor, e.command) for e in store.journal()]
        assert inside == after == [(1, clock.now, "alice", "project create")]
        conn = _raw(db_path)
        assert [row[1] for row in conn.execute("PRAGMA table_info(journal)")] == [
            "seq", "txn_id", "kind", "id", "owner", "op", "version", "before", "after",
            "prev_hash", "hash",
        ]  # fmt: skip
        assert conn.execute("SELECT typeof(prev_hash), length(hash) FROM journal").fetchall() == [
            ("blob", 32)
        ]
