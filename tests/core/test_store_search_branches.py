"""The search text and query of the stores on what the other search tests leave: values that
are not JSON yet, a query that is not text, an empty query, a text it does not match."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from pmo_core import InvalidInputError, SearchQuery, SQLiteStore


def test_values_not_json_yet_count_as_the_text_the_store_writes_for_them() -> None:
    """insert_many indexes its rows before they are JSON: a UUID is found by its text, a date
    (like every date) is not text to search, and what JSON cannot hold is left out."""
    token = uuid.UUID(int=7)
    data = {
        "title": "Vendor late",
        "ref": token,
        "due": date(2025, 3, 1),
        "cost": Decimal("1200.00"),
        "blob": object(),
        "tags": ("supplier", ["escalated"]),
    }
    assert SearchQuery.text_of(data) == f"Vendor late | {token} | supplier | escalated"


@pytest.mark.parametrize("text", [None, 42, b"vendor"])
def test_a_search_text_that_is_not_a_string_is_refused(text: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        SearchQuery.parse(text)  # type: ignore[arg-type]
    assert info.value.where == "text"
    assert str(info.value) == f"text: search text must be a string: {text!r}"


def test_an_empty_query_scores_nothing_and_shows_the_first_words() -> None:
    query = SearchQuery.parse('* "" ()')
    assert not query
    text = " ".join(f"w{i}" for i in range(20))
    assert query.score(text) == 0.0
    assert query.snippet(text) == " ".join(f"w{i}" for i in range(12))


def test_a_text_the_query_does_not_match_shows_its_first_words() -> None:
    query = SearchQuery.parse("vendor")
    assert query.score("the supplier is late") == 0.0
    assert query.snippet("the supplier is late") == "the supplier is late"


def test_deleting_a_document_with_no_text_to_index_leaves_the_index_sound() -> None:
    with SQLiteStore(":memory:") as store:
        with store.transaction("alice") as tx:
            tx.insert("project", "BLANK", {"budget": 10, "start": "2025-01-06"})
            tx.insert("project", "ALPHA", {"name": "Vendor delay"})
        with store.transaction("alice") as tx:
            tx.delete("project", "BLANK", expected_version=1)
        assert [(h.kind, h.id) for h in store.search("vendor")] == [("project", "ALPHA")]
        assert store.get("project", "BLANK") is None
        result = store.verify()
        assert (result.journal, result.integrity) == ((), ())
