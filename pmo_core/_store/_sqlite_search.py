"""The SQLite store's full-text index: FTS5 over the ``search_text`` table, kept in step with
``documents`` by every write of the store, inside the same transaction.

``search_text`` (schema 7) holds each document's :meth:`SearchQuery.text_of` (documents
without any text have no row); ``search_index`` is an FTS5 table over it (external content:
the text is stored once) that ranks with BM25 and cuts snippets. The index is made when a
store is opened by a Python whose SQLite has FTS5, not by a migration, so a Python without
FTS5 still opens and writes every store (its searches raise ``StoreError`` saying why); a
store written meanwhile is marked, and its index rebuilt at the next open that can.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from pmo_core._errors import StoreError

from . import _common as c
from .protocol import ANY, OwnerFilter, SearchHit
from .search import SearchQuery, check_kinds, check_limit

__all__ = ["SearchIndex", "fill_search_text", "fts5_available", "hit"]

# unicode61 without removing diacritics: words as SearchQuery.words splits them, lower-cased
# and otherwise kept (PostgreSQL's "simple" configuration and the memory store do the same).
_CREATE_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5(text, content='search_text',"
    " content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')"
)
_SNIPPET_WORDS = 12


@functools.cache
def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5 (Debian's, python.org's are)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
    return True


def _no_fts5() -> StoreError:
    return StoreError(
        f"full-text search needs SQLite's FTS5 extension, and this Python's sqlite3 (SQLite "
        f"{sqlite3.sqlite_version}) was built without it: run pmo on a Python whose SQLite "
        "has FTS5 (python.org, Debian, Ubuntu and conda builds do)"
    )


def fill_search_text(conn: sqlite3.Connection) -> None:
    """Write the search text of every document (the migration to schema 7)."""
    last = ("", "")
    while True:
        rows = conn.execute(
            "SELECT kind, id, data FROM documents WHERE (kind, id) > (?, ?)"
            " ORDER BY kind, id LIMIT 5000",
            last,
        ).fetchall()
        if not rows:
            return
        conn.executemany(
            "INSERT INTO search_text (kind, id, text) VALUES (?, ?, ?)",
            _texts((kind, id, c.loads(data)) for kind, id, data in rows),
        )
        last = rows[-1][:2]


def _texts(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> Iterator[tuple[str, str, str]]:
    text_of = SearchQuery.text_of
    for kind, id, data in rows:
        text = text_of(data, kind)
        if text:
            yield kind, id, text


def _has(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


class SearchIndex:
    """The index of one store connection; ``indexed`` when this SQLite has FTS5."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.indexed = fts5_available()

    def prepare(self) -> None:
        """At open: make the index if it is missing, rebuild it if a Python without FTS5
        wrote to the store since; without FTS5, mark the store for that rebuild."""
        conn = self._conn
        if not self._pending():
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Checked again under the write lock: another process may have done it.
            if self._pending() and not self.indexed:
                # Writes from here on skip the index: the next open with FTS5 rebuilds it.
                conn.execute("CREATE TABLE search_stale (since TEXT)")
            elif self._pending():
                if not _has(conn, "search_index"):
                    conn.execute(_CREATE_INDEX)
                conn.execute("INSERT INTO search_index (search_index) VALUES ('rebuild')")
                conn.execute("DROP TABLE IF EXISTS search_stale")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _pending(self) -> bool:
        has_index, stale = _has(self._conn, "search_index"), _has(self._conn, "search_stale")
        if self.indexed:
            return stale or not has_index
        return has_index and not stale

    def _forget(self, kind: str, id: str) -> int | None:
        """Take the document's text out of the index; its ``search_text`` rowid, if any."""
        row = self._conn.execute(
            "SELECT rowid, text FROM search_text WHERE kind = ? AND id = ?", (kind, id)
        ).fetchone()
        if row is None:
            return None
        if self.indexed:
            # External content: FTS5 is told the text it indexed, to take its words out.
            self._conn.execute(
                "INSERT INTO search_index (search_index, rowid, text) VALUES ('delete', ?, ?)",
                row,
            )
        return int(row[0])

    def put(self, kind: str, id: str, data: dict[str, Any]) -> None:
        """Index a document inserted or updated."""
        conn = self._conn
        text = SearchQuery.text_of(data, kind)
        rowid = self._forget(kind, id)
        if rowid is not None and not text:
            conn.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
            return
        if not text:
            return
        if rowid is None:
            cursor = conn.execute(
                "INSERT INTO search_text (kind, id, text) VALUES (?, ?, ?)", (kind, id, text)
            )
            rowid = cursor.lastrowid
        else:
            conn.execute("UPDATE search_text SET text = ? WHERE rowid = ?", (text, rowid))
        if self.indexed:
            conn.execute("INSERT INTO search_index (rowid, text) VALUES (?, ?)", (rowid, text))

    def put_new(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Index documents just inserted in bulk, ``(kind, id, text)`` with a text each:
        none has a row yet."""
        conn = self._conn
        row = conn.execute("SELECT max(rowid) FROM search_text").fetchone()
        last = int(row[0] or 0)
        conn.executemany("INSERT INTO search_text (kind, id, text) VALUES (?, ?, ?)", rows)
        if self.indexed:
            # Rowids without AUTOINCREMENT grow past the largest: the new rows are above it.
            conn.execute(
                "INSERT INTO search_index (rowid, text)"
                " SELECT rowid, text FROM search_text WHERE rowid > ?",
                (last,),
            )

    def remove(self, kind: str, id: str) -> None:
        """Unindex a deleted document."""
        rowid = self._forget(kind, id)
        if rowid is not None:
            self._conn.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))

    def refill(self) -> None:
        """Index every document anew (after ``copy_in`` wrote them)."""
        conn = self._conn
        conn.execute("DELETE FROM search_text")
        fill_search_text(conn)
        if self.indexed:
            conn.execute("INSERT INTO search_index (search_index) VALUES ('rebuild')")

    def search(
        self,
        text: str,
        kinds: Collection[str] | None,
        owner: OwnerFilter,
        limit: int | None,
    ) -> tuple[str, list[Any]] | None:
        """The SELECT of a search and its parameters; ``None`` when it cannot match."""
        wanted, owner, limit = check_kinds(kinds), c.check_owner_filter(owner), check_limit(limit)
        query = SearchQuery.parse(text)
        if not self.indexed:
            raise _no_fts5()
        if not query or wanted == ():
            return None
        open_, close = SearchQuery.MARKS
        # Every term a quoted FTS5 string of plain words: nothing the user typed is syntax.
        match = " ".join(f'"{" ".join(term)}"' for term in query.terms)
        if query.prefix:
            match += "*"
        params: list[Any] = [open_, close, _SNIPPET_WORDS, match]
        where = ""
        if wanted is not None:
            where += f" AND s.kind IN ({', '.join('?' * len(wanted))})"
            params += wanted
        if owner is None:
            where += " AND d.owner IS NULL"
        elif owner is not ANY:
            where += " AND d.owner = ?"
            params.append(owner)
        sql = (
            "SELECT s.kind, s.id, d.owner, -bm25(search_index) AS score,"
            " snippet(search_index, 0, ?, ?, '…', ?)"
            " FROM search_index JOIN search_text AS s ON s.rowid = search_index.rowid"
            " JOIN documents AS d ON d.kind = s.kind AND d.id = s.id"
            f" WHERE search_index MATCH ?{where} ORDER BY score DESC, s.kind, s.id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params


def hit(row: tuple[Any, ...]) -> SearchHit:
    """A hit from a row of the search's SELECT."""
    kind, id, owner, score, snippet = row
    return SearchHit(kind, id, owner, float(score), snippet)
