"""String maps too large for memory, kept in a scratch file.

An import refuses a key given twice and names where it was first given; an export gives a
work item back its source key. Kept in a dict, the strings of a million rows take some
200 MB; kept in a private temporary SQLite database (deleted when closed, spilled to a file
only when its cache fills) they take a few MB of memory whatever the size of the work.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence


class ScratchMap:
    """A ``str -> str`` map in a temporary database; use it as a context manager."""

    def __init__(self) -> None:
        # "" opens a private temporary database: not shared, removed on close.
        self._conn = sqlite3.connect("", isolation_level=None)
        # A journal in memory, not none: add_new rolls a batch back when a key was met.
        self._conn.execute("PRAGMA journal_mode = MEMORY")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("CREATE TABLE map (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")

    def __enter__(self) -> ScratchMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Add pairs (a key already there keeps its value)."""
        self._conn.execute("BEGIN")
        self._conn.executemany("INSERT OR IGNORE INTO map VALUES (?, ?)", pairs)
        self._conn.execute("COMMIT")

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The values of those of ``keys`` that are in the map."""
        return dict(
            self._conn.execute(
                "SELECT key, value FROM map WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(list(keys)),),
            )
        )

    def add_new(self, pairs: Sequence[tuple[str, str]]) -> tuple[int, str] | None:
        """Add ``(key, value)`` pairs whose keys must all be new: the first one whose key
        was met before (earlier in ``pairs`` or in the map) as its index and the value met
        first, or ``None`` (and then all are added)."""
        # Nearly always all are new: one insert says so; a key met before makes it fail, and
        # the clash is then looked for (the batch is all or nothing).
        self._conn.execute("BEGIN")
        try:
            self._conn.executemany("INSERT INTO map VALUES (?, ?)", pairs)
        except sqlite3.IntegrityError:
            self._conn.execute("ROLLBACK")
        else:
            self._conn.execute("COMMIT")
            return None
        first: dict[str, str] = {}
        clash: tuple[int, str] | None = None
        for n, (key, value) in enumerate(pairs):
            if key in first:
                clash = (n, first[key])
                break
            first[key] = value
        earlier = self.get_many(first)
        if earlier:
            n = next(i for i, (key, _) in enumerate(pairs) if key in earlier)
            if clash is None or n < clash[0]:
                return n, earlier[pairs[n][0]]
        if clash is not None:
            return clash
        self.put_many(pairs)
        return None
