"""Full-text search on PostgreSQL: ``search_text`` holds each document's text (pmo-core's
:meth:`~pmo_core.SearchQuery.text_of`) and a generated ``tsvector`` in the ``simple``
configuration (no stemming, no stop words: any language works) under a GIN index; every
write of the store keeps it in step, inside the same transaction.

Queries are built from :meth:`~pmo_core.SearchQuery.parse`'s words, never from the user's
text, so nothing typed reaches ``to_tsquery``'s syntax; ranked by ``ts_rank``, snippets by
``ts_headline``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from pmo_core import ANY, Document, InvalidInputError, SearchHit, SearchQuery

from . import _checks as c

if TYPE_CHECKING:
    from typing_extensions import LiteralString

__all__ = ["fill_search_text", "scan", "search_sql", "texts"]

_OPEN, _CLOSE = SearchQuery.MARKS
_HEADLINE = (
    f'StartSel="{_OPEN}", StopSel="{_CLOSE}", MaxWords=12, MinWords=4, ShortWord=0,'
    ' MaxFragments=1, FragmentDelimiter=" … "'
)
UPSERT = (
    "INSERT INTO {s}.search_text (kind, id, text) VALUES (%s, %s, %s)"
    " ON CONFLICT (kind, id) DO UPDATE SET text = excluded.text"
)
DELETE = "DELETE FROM {s}.search_text WHERE kind = %s AND id = %s"


def check_kinds(kinds: Collection[str] | None) -> tuple[str, ...] | None:
    if kinds is None:
        return None
    if isinstance(kinds, str):
        raise InvalidInputError("kinds must be a collection of kinds, not a single string")
    return tuple(sorted({c.check_kind(kind) for kind in kinds}))


def check_limit(limit: int | None) -> int | None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidInputError(f"limit must be a positive number of hits: {limit!r}")
    return limit


def texts(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> Iterator[tuple[str, str, str]]:
    """``(kind, id, text)`` of the documents that have any text to find."""
    text_of = SearchQuery.text_of
    for kind, id, data in rows:
        text = text_of(data, kind)
        if text:
            yield kind, id, text


def _statement(text: LiteralString, schema: str) -> sql.Composed:
    return sql.SQL(text).format(s=sql.Identifier(schema))


def fill_search_text(conn: psycopg.Connection[Any], schema: str) -> None:
    """Write the text of every document anew (the migration to schema 4; after
    ``copy_in``)."""
    conn.execute(_statement("DELETE FROM {s}.search_text", schema))
    with conn.cursor(name="pmo_search_fill") as read, conn.cursor() as write:
        read.execute(_statement("SELECT kind, id, data::text FROM {s}.documents", schema))
        while batch := read.fetchmany(2000):
            rows = texts((kind, id, json.loads(data)) for kind, id, data in batch)
            with write.copy(
                _statement("COPY {s}.search_text (kind, id, text) FROM STDIN", schema)
            ) as copy:
                for row in rows:
                    copy.write_row(row)


def tsquery(query: SearchQuery) -> str:
    """``to_tsquery`` text for ``query``: its words (letters and digits only, so never an
    operator) as phrases joined by AND, the last word a prefix if the query says so."""
    terms = [list(term) for term in query.terms]
    if query.prefix:
        terms[-1][-1] += ":*"
    return " & ".join("(" + " <-> ".join(term) + ")" for term in terms)


def search_sql(
    text: str, kinds: Collection[str] | None, owner: Any, limit: int | None
) -> tuple[str, list[Any]] | None:
    """The SELECT of a search and its parameters; ``None`` when it cannot match."""
    wanted, owner, limit = check_kinds(kinds), c.check_owner_filter(owner), check_limit(limit)
    query = SearchQuery.parse(text)
    if not query or wanted == ():
        return None
    # In the order of the placeholders: the headline's options, then the ranked hits'.
    params: list[Any] = [_HEADLINE, tsquery(query)]
    where = ""
    if wanted is not None:
        where += " AND s.kind = ANY(%s)"
        params.append(list(wanted))
    if owner is None:
        where += " AND d.owner IS NULL"
    elif owner is not ANY:
        where += " AND d.owner = %s"
        params.append(owner)
    limit_sql = ""
    if limit is not None:
        limit_sql = " LIMIT %s"
        params.append(limit)
    # The snippets are cut for the hits kept only, after the ranking and the limit.
    ranked = (
        "SELECT s.kind, s.id, d.owner, ts_rank(s.words, q) AS score, s.text, q"
        " FROM {s}.search_text AS s JOIN {s}.documents AS d ON d.kind = s.kind AND d.id = s.id,"
        " to_tsquery('simple', %s) AS q"
        f" WHERE s.words @@ q{where} ORDER BY score DESC, s.kind, s.id{limit_sql}"
    )
    sql = (
        "SELECT kind, id, owner, score, ts_headline('simple', text, q, %s)"
        f" FROM ({ranked}) AS hits ORDER BY score DESC, kind, id"
    )
    return sql, params


def hit(row: tuple[Any, ...]) -> SearchHit:
    kind, id, owner, score, snippet = row
    return SearchHit(kind, id, owner, float(score), snippet)


def scan(
    query: Callable[[str], Iterable[Document]],
    present: Iterable[str],
    text: str,
    kinds: Collection[str] | None,
    owner: Any,
    limit: int | None,
) -> list[SearchHit]:
    """Search by reading the documents of each kind (an as-of view: the past is not what
    the index holds)."""
    wanted, owner, limit = check_kinds(kinds), c.check_owner_filter(owner), check_limit(limit)
    parsed = SearchQuery.parse(text)
    if not parsed:
        return []
    chosen = sorted(set(present)) if wanted is None else wanted
    documents = (doc for kind in chosen for doc in query(kind))
    return parsed.scan(documents, owner=owner, limit=limit)
