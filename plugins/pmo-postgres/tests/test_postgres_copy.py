"""copy_in loads a journal verbatim into an empty store: the same entries (seq, hashes and
all), the same transactions, the same documents, one chain that goes on from there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pmo_postgres import PostgresStore

from pmo_core import InvalidInputError, SQLiteStore, StoreError
from pmo_core.testing import FakeClock


def _history(store: SQLiteStore, clock: FakeClock) -> None:
    with store.transaction("alice", command="seed") as tx:
        tx.insert("portfolio", "PF", {"name": "Main", "ü": "ß ✓"})
        tx.insert("project", "ALPHA", {"z": 1, "a": {"y": [1.5, None], "b": True}}, owner="PF")
        tx.insert_many("task", [(f"T-{i}", "ALPHA", {"n": i}) for i in range(5)])
    clock.advance(60)
    with store.transaction("bob", command="edit") as tx:
        tx.update("project", "ALPHA", {"name": "Alpha 2"}, expected_version=1, owner=None)
        tx.delete("task", "T-3", expected_version=1)
    clock.advance(60)
    with store.transaction("carol", command="again") as tx:
        tx.insert("task", "T-3", {"n": "again"}, owner="PF")


def test_a_journal_is_copied_verbatim(tmp_path: Path, store_url: str) -> None:
    clock = FakeClock()
    with SQLiteStore(tmp_path / "pmo.db", clock=clock) as source:
        _history(source, clock)
        with PostgresStore(store_url) as target:
            assert target.copy_in(source.journal()) == len(list(source.journal())) == 10
            assert list(target.journal()) == list(source.journal())
            assert list(target.transactions()) == list(source.transactions())
            assert target.kinds() == source.kinds()
            for kind in source.kinds():
                assert list(target.query(kind)) == list(source.query(kind))
            moment = clock.now - timedelta(seconds=30)
            assert list(target.as_of(moment).query("task")) == list(
                source.as_of(moment).query("task")
            )
            copied, original = target.verify(), source.verify()
            assert (copied.ok, copied.entries, copied.head) == (True, 10, original.head)
            clock.advance(60)
            with target.transaction("dave") as tx:  # the chain goes on from the copied head
                tx.insert("task", "T-9", {})
            assert target.verify().ok
            assert [e.seq for e in target.journal()][-1] == 11


def test_copy_in_refuses_a_store_that_holds_anything(store_url: str) -> None:
    with PostgresStore(store_url) as target:
        with target.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {})
        entries = list(target.journal())
        with pytest.raises(StoreError, match="it is not empty"):
            target.copy_in(entries)
        assert list(target.journal()) == entries


def test_copy_in_takes_entries_in_seq_order_or_nothing(tmp_path: Path, store_url: str) -> None:
    clock = FakeClock()
    with SQLiteStore(tmp_path / "pmo.db", clock=clock) as source:
        _history(source, clock)
        entries = list(source.journal())
    with PostgresStore(store_url) as target:
        with pytest.raises(InvalidInputError, match="seq order"):
            target.copy_in([entries[1], entries[0]])
        assert list(target.journal()) == []
        assert target.kinds() == []
        assert target.copy_in(entries) == 10
