"""The journal and the transaction log are append-only by the database itself: its triggers
refuse UPDATE, DELETE and TRUNCATE through plain SQL, PUBLIC holds no right to them, and a
role granted what grant_statements() lists can use the store but never rewrite history."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from pg_support import random_name
from pmo_postgres import PostgresStore, grant_statements

from pmo_core import InvalidInputError

STATEMENTS = {
    "update": "UPDATE {t} SET txn_id = 'mallory'",  # a column both tables have
    "delete": "DELETE FROM {t}",
    "truncate": "TRUNCATE {t} CASCADE",
}


def _seeded(store: PostgresStore) -> None:
    with store.transaction("alice", command="seed") as tx:
        tx.insert("project", "ALPHA", {"name": "Alpha"})


@pytest.mark.parametrize("table", ["journal", "transactions"])
@pytest.mark.parametrize("op", sorted(STATEMENTS))
def test_the_triggers_refuse_rewriting_history_through_raw_sql(
    pg_store: PostgresStore, admin: psycopg.Connection[Any], schema: str, table: str, op: str
) -> None:
    _seeded(pg_store)
    before = list(pg_store.journal())
    # The owner may grant itself every right back: the trigger still refuses.
    admin.execute(
        f'GRANT UPDATE, DELETE, TRUNCATE ON "{schema}".journal, "{schema}".transactions '
        "TO CURRENT_USER"
    )
    words = "journal" if table == "journal" else "transaction log"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=f"the {words} is append-only"):
        admin.execute(STATEMENTS[op].format(t=f'"{schema}".{table}'))
    assert list(pg_store.journal()) == before
    assert pg_store.verify().ok


@pytest.mark.parametrize("op", sorted(STATEMENTS))
def test_the_owner_holds_no_right_to_rewrite_the_journal(
    pg_store: PostgresStore, admin: psycopg.Connection[Any], schema: str, op: str
) -> None:
    _seeded(pg_store)
    admin.execute(f'ALTER TABLE "{schema}".journal DISABLE TRIGGER journal_append_only')
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        admin.execute(STATEMENTS[op].format(t=f'"{schema}".journal'))
    # Disabling the trigger is itself found by verify, quick or full.
    for result in (pg_store.verify(quick=True), pg_store.verify()):
        assert "trigger journal_append_only is disabled" in "\n".join(result.integrity)


def test_public_holds_no_right_to_rewrite_history(
    pg_store: PostgresStore, admin: psycopg.Connection[Any], schema: str
) -> None:
    for table in ("journal", "transactions"):
        for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
            row = admin.execute(
                "SELECT has_table_privilege('public', %s, %s)", (f'"{schema}".{table}', privilege)
            ).fetchone()
            assert row == (False,), (table, privilege)
    admin.execute(f'GRANT DELETE ON "{schema}".journal TO PUBLIC')
    assert (
        f"PUBLIC was granted DELETE on {schema}.journal: revoke it" in pg_store.verify().integrity
    )


def test_verify_notices_a_dropped_or_replaced_trigger(
    pg_store: PostgresStore, admin: psycopg.Connection[Any], schema: str
) -> None:
    _seeded(pg_store)
    admin.execute(f'DROP TRIGGER transactions_append_only ON "{schema}".transactions')
    admin.execute(
        f'CREATE OR REPLACE FUNCTION "{schema}".append_only() RETURNS trigger '
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
    )
    problems = "\n".join(pg_store.verify(quick=True).integrity)
    assert "trigger transactions_append_only is missing (dropped)" in problems
    assert "trigger function append_only was replaced" in problems


def test_a_role_granted_only_append_uses_the_store_but_cannot_rewrite_it(
    server_url: str, store_url: str, admin: psycopg.Connection[Any], schema: str
) -> None:
    with PostgresStore(store_url) as owner_store:  # the owning role creates the schema
        _seeded(owner_store)
    role, password = random_name("pmo_app"), random_name("pw")
    admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
    try:
        for line in grant_statements(role, schema):
            admin.execute(line)  # type: ignore[arg-type]
        scheme, rest = store_url.split("://", 1)
        as_app = f"{scheme}://{role}:{password}@{rest.split('@', 1)[1]}"
        with PostgresStore(as_app, create=False) as store:
            with store.transaction("bob", command="edit") as tx:
                tx.update("project", "ALPHA", {"name": "Alpha 2"}, expected_version=1)
                tx.insert_many("task", [("T-1", "ALPHA", {"n": 1})])
                tx.delete("project", "ALPHA", expected_version=2)
            assert store.verify().ok
            entries = len(list(store.journal()))
        with psycopg.connect(as_app.replace(f"?schema={schema}", ""), autocommit=True) as app:
            for op, text in STATEMENTS.items():
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(text.format(t=f'"{schema}".journal'))  # type: ignore[arg-type]
                assert op
            for text in (
                f'ALTER TABLE "{schema}".journal DISABLE TRIGGER journal_append_only',
                f'DROP TRIGGER journal_append_only ON "{schema}".journal',
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(text)  # type: ignore[arg-type]
        with PostgresStore(store_url, create=False) as owner_store:
            assert len(list(owner_store.journal())) == entries == 4
    finally:
        admin.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{role}"')
        admin.execute(f'REVOKE ALL ON SCHEMA "{schema}" FROM "{role}"')
        admin.execute(f'DROP ROLE "{role}"')


def test_grant_statements_refuse_names_that_are_not_plain_identifiers() -> None:
    assert grant_statements("pmo_app")[0] == 'GRANT USAGE ON SCHEMA "pmo" TO "pmo_app";'
    for role in ('app"; DROP TABLE x; --', "", "1app"):
        with pytest.raises(InvalidInputError, match="role"):
            grant_statements(role)
