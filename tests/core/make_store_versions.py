"""Stores as every released schema version wrote them, kept as SQL in tests/core/store_versions.

Each ``v<N>.sql`` is a database at schema version N: the first N migration steps, then a few
transactions written the way the store wrote them at that version (journal rows numbered by
AUTOINCREMENT, no hash chain before version 4, each entry hashed onto the one before from
version 4; from version 6 without time, actor and command, hashes as 32 bytes; documents as
compact JSON text in their own key order, never compressed).
tests/core/test_store_migrations.py opens each with today's store, which migrates it,
and checks the data, the chain and the replay.

The files are made by this script and committed; the tests check that the script still makes
exactly them, so an edit to a released migration step shows up as a diff here. When a schema
version is released, add it to ``RELEASED`` and run::

    python tests/core/make_store_versions.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "store_versions"
#: The schema versions pmo-core has released, each with a file in store_versions/.
RELEASED = (1, 2, 3, 4, 5, 6)

# (kind, id, owner, data) per document; the data is written as the store wrote it.
_Doc = tuple[str, str, str | None, dict[str, Any]]


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _Writer:
    """Writes documents, journal entries and transaction records as the store did at a
    version: with ``chained``, each journal entry carries its hash (version 4); with
    ``compact``, the entry leaves its time, actor and command to its transaction record and
    keeps its hashes as bytes (version 6)."""

    def __init__(
        self, conn: sqlite3.Connection, *, chained: bool = False, compact: bool = False
    ) -> None:
        self.conn = conn
        self.count = 0
        self.chained = chained
        self.compact = compact
        self.head = (0, "0" * 64)

    def transaction(self, n: int, actor: str, command: str) -> _Txn:
        return _Txn(self, f"{n:032x}", f"2025-0{n}-01T09:00:00.000000+00:00", actor, command)


class _Txn:
    def __init__(self, writer: _Writer, txn_id: str, at: str, actor: str, command: str) -> None:
        self.writer = writer
        self.conn = writer.conn
        self.txn_id, self.at, self.actor, self.command = txn_id, at, actor, command
        self.changes = 0

    def __enter__(self) -> _Txn:
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.execute(
            "INSERT INTO transactions (txn_id, at, actor, command, change_count)"
            " VALUES (?, ?, ?, ?, ?)",
            (self.txn_id, self.at, self.actor, self.command, self.changes),
        )
        self.conn.execute("COMMIT")

    def _journal(
        self, op: str, kind: str, id: str, owner: str | None, version: int, before: str | None,
        after: str | None,
    ) -> None:  # fmt: skip
        fields = (self.txn_id, self.at, self.actor, self.command, kind, id, owner, op, version,
                  before, after)  # fmt: skip
        if self.writer.chained:
            from pmo_core._store.chain import entry_hash, entry_text

            seq, prev = self.writer.head
            hash = entry_hash(prev, entry_text(seq + 1, *fields))
            if self.writer.compact:
                self.conn.execute(
                    "INSERT INTO journal (seq, txn_id, kind, id, owner, op, version, before,"
                    " after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (seq + 1, self.txn_id, *fields[4:], bytes.fromhex(prev), bytes.fromhex(hash)),
                )
                self.writer.head = (seq + 1, hash)
                self.changes += 1
                return
            self.conn.execute(
                "INSERT INTO journal (seq, txn_id, at, actor, command, kind, id, owner, op,"
                " version, before, after, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq + 1, *fields, prev, hash),
            )
            self.writer.head = (seq + 1, hash)
        else:
            self.conn.execute(
                "INSERT INTO journal (txn_id, at, actor, command, kind, id, owner, op, version,"
                " before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fields,
            )
        self.changes += 1

    def insert(self, kind: str, id: str, owner: str | None, data: dict[str, Any]) -> None:
        text = _text(data)
        self.conn.execute(
            "INSERT INTO documents (kind, id, owner, version, data, updated_at, updated_by)"
            " VALUES (?, ?, ?, 1, ?, ?, ?)",
            (kind, id, owner, text, self.at, self.actor),
        )
        self._journal("insert", kind, id, owner, 1, None, text)

    def update(self, kind: str, id: str, owner: str | None, data: dict[str, Any]) -> None:
        version, before = self.conn.execute(
            "SELECT version, data FROM documents WHERE kind = ? AND id = ?", (kind, id)
        ).fetchone()
        text = _text(data)
        self.conn.execute(
            "UPDATE documents SET owner = ?, version = ?, data = ?, updated_at = ?,"
            " updated_by = ? WHERE kind = ? AND id = ?",
            (owner, version + 1, text, self.at, self.actor, kind, id),
        )
        self._journal("update", kind, id, owner, version + 1, before, text)

    def delete(self, kind: str, id: str) -> None:
        owner, version, before = self.conn.execute(
            "SELECT owner, version, data FROM documents WHERE kind = ? AND id = ?", (kind, id)
        ).fetchone()
        self.conn.execute("DELETE FROM documents WHERE kind = ? AND id = ?", (kind, id))
        self._journal("delete", kind, id, owner, version, before, None)


def write_history(
    conn: sqlite3.Connection, *, chained: bool = False, compact: bool = False
) -> None:
    """Five transactions: inserts (one bulk), updates with an owner change, a delete and a
    re-insert, non-ASCII text and documents whose keys are not in sorted order."""
    w = _Writer(conn, chained=chained, compact=compact)
    with w.transaction(1, "alice", "portfolio create") as tx:
        tx.insert("portfolio", "PF", None, {"name": "Digital", "currency": "EUR"})
        tx.insert("project", "ALPHA", "PF", {"name": "Alpha", "budget": {"amount": "250000"}})
    with w.transaction(2, "importer", "import csv") as tx:
        for i in range(1, 6):
            data = {"subject": f"Tâche {i} ✓", "project": "ALPHA", "percent_complete": i * 10}
            tx.insert("work_item", f"W-{i}", "ALPHA", data)
    with w.transaction(3, "bob", "project update") as tx:
        tx.update("project", "ALPHA", "PF", {"name": "Alpha", "status": "at_risk"})
        tx.insert("raid_item", "R-1", "ALPHA", {"title": "Vendor late", "type": "risk"})
    with w.transaction(4, "carol", "raid close") as tx:
        tx.delete("raid_item", "R-1")
        tx.update("work_item", "W-2", None, {"subject": "Unassigned", "percent_complete": 0})
    with w.transaction(5, "dana", "raid add") as tx:
        tx.insert("raid_item", "R-1", "ALPHA", {"title": "Vendor late again", "type": "issue"})


def _quote(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def dump(conn: sqlite3.Connection) -> str:
    """The database as SQL that rebuilds it: tables, rows in rowid order, indexes, triggers
    and the schema version; the same text for the same database on any Python or SQLite."""
    lines = ["-- Made by tests/core/make_store_versions.py; do not edit."]
    master = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0"
        " WHEN 'index' THEN 1 ELSE 2 END, rowid"
    ).fetchall()
    tables = [name for type_, name, _ in master if type_ == "table"]
    lines += [" ".join(sql.split()) + ";" for type_, _, sql in master if type_ == "table"]
    for table in tables:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"):
            values = ", ".join(_quote(v) for v in row)
            lines.append(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values});")
    for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
        lines.append(f"UPDATE sqlite_sequence SET seq = {seq} WHERE name = {_quote(name)};")
    lines += [" ".join(sql.split()) + ";" for type_, _, sql in master if type_ != "table"]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    lines.append(f"PRAGMA user_version = {version};")
    return "\n".join(lines) + "\n"


def build(version: int) -> str:
    """The SQL of a store at schema ``version`` holding :func:`write_history`."""
    from pmo_core._store.migrations import migrate

    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn, target=version) == version
    write_history(conn, chained=version >= 4, compact=version >= 6)
    return dump(conn)


def load(version: int, path: Path) -> Path:
    """Write the committed store of schema ``version`` to the database file ``path``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript((HERE / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for version in RELEASED:
        (HERE / f"v{version}.sql").write_text(build(version), encoding="utf-8")
        print(f"wrote {HERE / f'v{version}.sql'}", file=sys.stderr)


if __name__ == "__main__":
    main()
