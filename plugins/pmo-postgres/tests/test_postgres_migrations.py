"""The schema is created and migrated in numbered steps, each once, one transaction each,
under an advisory lock; a schema that holds no pmo store is never made one by accident."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

import psycopg
import pytest
from pmo_postgres import PostgresStore
from pmo_postgres._schema import LATEST_VERSION, MIGRATIONS, migrate

from pmo_core import StoreError

WAIT = 60


def _applied(admin: psycopg.Connection[Any], schema: str) -> list[tuple[Any, ...]]:
    return admin.execute(
        f'SELECT version, description, applied_at FROM "{schema}".schema_migrations ORDER BY 1'
    ).fetchall()


def _exists(admin: psycopg.Connection[Any], schema: str) -> bool:
    row = admin.execute(
        "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,)
    ).fetchone()
    return row == (1,)


def test_opening_again_applies_nothing(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    with PostgresStore(store_url) as store:
        assert store.schema_version == LATEST_VERSION == len(MIGRATIONS)
    applied = _applied(admin, schema)
    assert [(v, d) for v, d, _ in applied] == [(m.version, m.description) for m in MIGRATIONS]
    for create in (True, False):
        PostgresStore(store_url, create=create).close()
    assert _applied(admin, schema) == applied


def test_an_older_schema_is_migrated_forward(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    assert migrate(admin, schema, target=1) == 1
    assert [v for v, _, _ in _applied(admin, schema)] == [1]
    with PostgresStore(store_url, create=False) as store:
        assert store.schema_version == LATEST_VERSION
        with store.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
        assert store.verify().ok
    assert [v for v, _, _ in _applied(admin, schema)] == [m.version for m in MIGRATIONS]


def test_a_migration_waits_for_the_advisory_lock(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    key = f"pmo-postgres migrate {schema}"
    admin.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
    try:
        with pytest.raises(StoreError, match=r"another pmo command is writing to .*waited 0\.1 s"):
            PostgresStore(store_url, lock_timeout=0.1)
        assert not _exists(admin, schema)  # it waited for the lock before creating anything
    finally:
        admin.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
    PostgresStore(store_url).close()
    assert len(_applied(admin, schema)) == LATEST_VERSION


def test_processes_opening_a_new_store_at_once_migrate_it_once(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    versions: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        try:
            start.wait(WAIT)
            with PostgresStore(store_url) as store:
                versions.append(store.schema_version)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert errors == []
    assert versions == [LATEST_VERSION] * 4
    assert [v for v, _, _ in _applied(admin, schema)] == [m.version for m in MIGRATIONS]


def test_a_missing_store_is_not_made_anew(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    with pytest.raises(StoreError) as info:
        PostgresStore(store_url, create=False)
    message = str(info.value)
    assert message.startswith("the store postgresql://pmo:***@")
    assert f"is missing (schema {schema!r} holds no pmo store): restore it" in message
    assert "run 'pmo init'" in message
    assert not _exists(admin, schema)


def test_a_schema_of_something_else_is_refused(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    admin.execute(f'CREATE SCHEMA "{schema}"')
    admin.execute(f'CREATE TABLE "{schema}".invoices (id int)')
    for create in (True, False):
        with pytest.raises(StoreError, match=r"is not a valid pmo store: schema .* holds tables"):
            PostgresStore(store_url, create=create)
    assert admin.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (schema,)
    ).fetchone() == (1,)


def test_a_newer_schema_is_refused(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    PostgresStore(store_url).close()
    admin.execute(
        f"INSERT INTO \"{schema}\".schema_migrations (version, description) VALUES (99, 'later')"
    )
    with pytest.raises(StoreError, match=r"version 99 is newer .* upgrade pmo-postgres"):
        PostgresStore(store_url, create=False)


def _write_v2_history(admin: psycopg.Connection[Any], schema: str) -> str:
    """Two transactions as version 2 wrote them (each entry with its own time, actor and
    command, hashes as hex text); returns the last hash."""
    from pmo_postgres._checks import GENESIS, entry_hash, entry_text

    s = f'"{schema}"'
    prev = GENESIS
    history = [
        ("t1", "2025-01-01T09:00:00.000000+00:00", "alice", "project create", "ALPHA", None),
        ("t2", "2025-02-01T09:00:00.000000+00:00", "bob", "project update", "ALPHA", "PF"),
    ]
    for seq, (txn, at, actor, command, id, owner) in enumerate(history, start=1):
        op, version = ("insert", 1) if seq == 1 else ("update", 2)
        before = None if seq == 1 else '{"name":"Alpha ✓"}'
        after = '{"name":"Alpha ✓"}' if seq == 1 else '{"name":"Alpha 2"}'
        text = entry_text(
            seq, txn, at, actor, command, "project", id, owner, op, version, before, after
        )
        hash = entry_hash(prev, text)
        with admin.transaction():
            admin.execute(
                f"INSERT INTO {s}.journal (seq, txn_id, at, actor, command, kind, id, owner, op,"
                " version, before, after, prev_hash, hash) VALUES"
                " (%s, %s, %s, %s, %s, 'project', %s, %s, %s, %s, %s, %s, %s, %s)",
                (seq, txn, at, actor, command, id, owner, op, version, before, after, prev, hash),
            )
            admin.execute(
                f"INSERT INTO {s}.transactions (txn_id, at, actor, command, change_count)"
                " VALUES (%s, %s, %s, %s, 1)",
                (txn, at, actor, command),
            )
        prev = hash
    admin.execute(
        f"INSERT INTO {s}.documents VALUES ('project', 'ALPHA', 'PF', 2, %s, %s, 'bob')",
        ('{"name":"Alpha 2"}', history[-1][1]),
    )
    admin.execute(f"UPDATE {s}.chain_head SET seq = 2, hash = %s", (prev,))
    return prev


def test_version_3_reads_time_actor_and_command_from_the_transaction(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    # Version 3 drops the journal's own copies of them and keeps hashes as bytes: the chain
    # written at version 2 verifies with the same hashes, and the history reads the same.
    assert migrate(admin, schema, target=2) == 2
    head = _write_v2_history(admin, schema)
    with PostgresStore(store_url, create=False) as store:
        assert store.schema_version == LATEST_VERSION
        result = store.verify()
        assert (result.ok, result.entries, result.head) == (True, 2, head)
        entries = list(store.journal())
        assert [(e.actor, e.command, e.at.month) for e in entries] == [
            ("alice", "project create", 1),
            ("bob", "project update", 2),
        ]
        assert entries[-1].hash == head
        january = store.as_of(datetime(2025, 1, 15, tzinfo=timezone.utc)).get("project", "ALPHA")
        assert january is not None
        assert (january.data, january.updated_by) == ({"name": "Alpha ✓"}, "alice")
        with store.transaction("carol", command="project update") as tx:
            tx.update("project", "ALPHA", {"name": "Alpha 3"}, expected_version=2)
        assert store.verify().ok
    columns = admin.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = 'journal' ORDER BY ordinal_position",
        (schema,),
    ).fetchall()
    assert [name for name, _ in columns] == [
        "seq", "txn_id", "kind", "id", "owner", "op", "version", "before", "after",
        "prev_hash", "hash",
    ]  # fmt: skip
    assert dict(columns)["hash"] == "bytea"


def test_version_4_indexes_the_documents_already_there(
    store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    # Step 4 writes the search text of every document the store holds, so they are found.
    # A store at version 3 with documents: one written now, its step 4 taken back.
    with PostgresStore(store_url) as store, store.transaction("alice") as tx:
        tx.insert("raid", "R-1", {"title": "Vendor delay ✓", "due": "2025-03-01"}, owner="ALPHA")
        tx.insert_many("lesson", [("L-1", None, {"what_happened": "Vendor slipped"})])
    admin.execute(f'DROP TABLE "{schema}".search_text')
    admin.execute(f'DELETE FROM "{schema}".schema_migrations WHERE version = 4')
    with PostgresStore(store_url, create=False) as store:
        hits = store.search("vendor")
        assert {(h.kind, h.id) for h in hits} == {("raid", "R-1"), ("lesson", "L-1")}
        assert "[delay]" in store.search("delay")[0].snippet
        assert store.search("2025") == []
        assert store.verify().ok
    assert [v for v, _, _ in _applied(admin, schema)] == [m.version for m in MIGRATIONS]
