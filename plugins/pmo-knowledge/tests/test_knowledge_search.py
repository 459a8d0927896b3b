"""Searching lessons through the store's full-text index (SQLite FTS5): ranked by relevance,
and no input, whatever FTS syntax it holds, is an error (Must hold 4)."""

from __future__ import annotations

import pmo_knowledge as pk
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_core import Workspace


@pytest.fixture
def library(ws: Workspace) -> dict[str, str]:
    """Hand-made lessons whose relevance to 'vendor' is plain: many mentions in a short text
    beat one mention in a long one; a text without the word is not found."""
    ws.create("project", id="ALPHA", name="CRM")
    ws.create("project", id="BETA", name="ERP")
    ids = {}
    texts = {
        "dense": "Vendor vendor vendor: the vendor slipped",
        "sparse": (
            "The steering committee met monthly, the budget was approved late, the team grew"
            " twice, the go-live moved, training was short, and once the vendor was late"
        ),
        "phrase": "The second drop of the vendor was late",
        "none": "The canteen closed early",
    }
    for name, text in texts.items():
        ids[name] = ws.add_lesson("ALPHA" if name != "phrase" else "BETA", text).id
    return ids


def test_ranks_by_relevance(ws: Workspace, library: dict[str, str]) -> None:
    hits = pk.search_lessons(ws, "vendor")
    assert [h.lesson.id for h in hits][:1] == [library["dense"]]
    assert {h.lesson.id for h in hits} == {library["dense"], library["sparse"], library["phrase"]}
    order = [h.lesson.id for h in hits]
    assert order.index(library["phrase"]) < order.index(library["sparse"])  # shorter text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].snippet.count("[Vendor]") + hits[0].snippet.count("[vendor]") >= 2


def test_a_phrase_and_a_prefix(ws: Workspace, library: dict[str, str]) -> None:
    assert [h.lesson.id for h in pk.search_lessons(ws, '"second drop"')] == [library["phrase"]]
    assert [h.lesson.id for h in pk.search_lessons(ws, '"drop second"')] == []
    assert [h.lesson.id for h in pk.search_lessons(ws, "cante")] == [library["none"]]


def test_under_and_limit(ws: Workspace, library: dict[str, str]) -> None:
    assert [h.lesson.id for h in pk.search_lessons(ws, "vendor", under="BETA")] == [
        library["phrase"]
    ]
    assert len(pk.search_lessons(ws, "vendor", limit=2)) == 2


def test_only_lessons_are_found(ws: Workspace, library: dict[str, str]) -> None:
    ws.create("project", id="VEN", name="Vendor portal")
    assert all(h.lesson.id in library.values() for h in pk.search_lessons(ws, "vendor"))


SYNTAX = [
    '"',
    '"vendor',
    "vendor*",
    "*",
    "vendor NEAR late",
    "NEAR(vendor late, 2)",
    "(vendor",
    "vendor)",
    "^vendor",
    "-vendor",
    "vendor:late",
    "text:vendor",
    "vendor AND OR NOT late",
    "{vendor}",
    "vendor + late",
    "'; DROP TABLE documents; --",
    "",
    "   ",
]


@pytest.mark.parametrize("text", SYNTAX)
def test_fts_syntax_is_never_an_error(ws: Workspace, library: dict[str, str], text: str) -> None:
    hits = pk.search_lessons(ws, text)
    assert all(h.lesson.id in library.values() for h in hits)


def test_fts_operators_are_plain_words(ws: Workspace, library: dict[str, str]) -> None:
    # "vendor*" is the word vendor (the last word is a prefix anyway); "^vendor" and
    # "-vendor" are not a column filter nor a negation: they find the vendor lessons.
    vendor = {h.lesson.id for h in pk.search_lessons(ws, "vendor")}
    for text in ("vendor*", "^vendor", "-vendor", "(vendor)", '"vendor'):
        assert {h.lesson.id for h in pk.search_lessons(ws, text)} == vendor, text
    assert pk.search_lessons(ws, "vendor NEAR late") == []  # "near" is a word to find


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from(list("\"*()^-:+{}NEARORANDNOT vendorlate'")), max_size=30))
def test_any_text_of_fts_characters_is_never_an_error(
    ws: Workspace, library: dict[str, str], text: str
) -> None:
    pk.search_lessons(ws, text)
