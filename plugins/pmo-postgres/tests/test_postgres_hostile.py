"""Hostile text stays text: what an attacker would store round-trips exactly, through
documents, values() and the journal's hash chain, including what PostgreSQL's own text
types cannot hold (a NUL inside a JSON string)."""

from __future__ import annotations

import pytest
from pmo_postgres import PostgresStore

from pmo_core import InvalidInputError
from pmo_core.testing import HOSTILE_STRINGS


def test_hostile_strings_round_trip(pg_store: PostgresStore) -> None:
    texts = [HOSTILE_STRINGS[name] for name in HOSTILE_STRINGS]
    data = {"z": "nul \x00 inside", "all": texts, "k": {"\x00": 1}}
    with pg_store.transaction("alice") as tx:
        tx.insert("project", "ALPHA", data, owner='=HYPERLINK("x")')
        for n, text in enumerate(texts):
            tx.insert("raid_item", f"R-{n:02d}", {"title": text}, owner="ALPHA")
    doc = pg_store.get("project", "ALPHA")
    assert doc is not None
    assert doc.data == data
    assert list(doc.data) == ["z", "all", "k"]  # the document's own key order
    assert list(pg_store.values("project", ["z", "all", "@owner"])) == [
        ("nul \x00 inside", _compact(texts), '=HYPERLINK("x")')
    ]
    assert [d.data["title"] for d in pg_store.query("raid_item", owner="ALPHA")] == texts
    assert pg_store.verify().ok


def test_a_nul_in_the_actor_is_refused_before_anything_is_written(
    pg_store: PostgresStore,
) -> None:
    with pytest.raises(InvalidInputError, match="NUL"), pg_store.transaction("bad\x00actor"):
        pass
    assert list(pg_store.journal()) == []


def _compact(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
