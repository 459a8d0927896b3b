"""Helpers shared by the pmo-postgres tests."""

from __future__ import annotations

import os
from typing import Any

import psycopg

HOW_TO_START = (
    'Start the test server and export its URL with: eval "$(bash scripts/postgres.sh)" '
    "(from the pmo-core checkout; it installs PostgreSQL when missing and listens on "
    "127.0.0.1 only), or point PMO_TEST_POSTGRES_URL at a database whose role may create "
    "schemas and roles"
)


def random_name(prefix: str) -> str:
    return f"{prefix}_{os.urandom(6).hex()}"


def with_schema(url: str, schema: str, **params: Any) -> str:
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return f"{url}{'&' if '?' in url else '?'}schema={schema}{extra}"


class PostgresTamper:
    """Edits a pmo schema with plain SQL as its owner can: grants itself the rights the schema
    revoked and disables the append-only trigger for the edit, then puts both back, so only
    the journal and the documents show what happened."""

    def __init__(self, conn: psycopg.Connection[Any], schema: str) -> None:
        self.conn = conn
        self.s = f'"{schema}"'

    def _edit(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        s = self.s
        with self.conn.transaction():
            # The journal's foreign key is deferred: checked now, or the trigger cannot be
            # enabled again within this transaction.
            self.conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.conn.execute(f"ALTER TABLE {s}.journal DISABLE TRIGGER journal_append_only")
            self.conn.execute(f"GRANT UPDATE, DELETE ON {s}.journal TO CURRENT_USER")
            for sql, params in statements:
                self.conn.execute(sql.replace("{s}", s), params)  # type: ignore[call-overload]
            self.conn.execute(f"REVOKE UPDATE, DELETE ON {s}.journal FROM CURRENT_USER")
            self.conn.execute(f"ALTER TABLE {s}.journal ENABLE TRIGGER journal_append_only")

    def alter_entry(self, seq: int, after: dict[str, Any]) -> None:
        self._edit(("UPDATE {s}.journal SET after = %s WHERE seq = %s", (_json(after), seq)))

    def delete_entry(self, seq: int) -> None:
        self._edit(("DELETE FROM {s}.journal WHERE seq = %s", (seq,)))

    def swap_entries(self, first: int, second: int) -> None:
        parked = 10**12
        self._edit(
            ("UPDATE {s}.journal SET seq = %s WHERE seq = %s", (parked, first)),
            ("UPDATE {s}.journal SET seq = %s WHERE seq = %s", (first, second)),
            ("UPDATE {s}.journal SET seq = %s WHERE seq = %s", (second, parked)),
        )

    def alter_document(self, kind: str, id: str, data: dict[str, Any]) -> None:
        self.conn.execute(
            f"UPDATE {self.s}.documents SET data = %s WHERE kind = %s AND id = %s",
            (_json(data), kind, id),
        )

    def delete_document(self, kind: str, id: str) -> None:
        self.conn.execute(f"DELETE FROM {self.s}.documents WHERE kind = %s AND id = %s", (kind, id))


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data)
