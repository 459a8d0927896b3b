"""``copy_in`` of the built-in stores refuses a malformed entry the same way, naming it, and
writes nothing; a journal with deletes, or none at all, goes in as it is."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from pmo_core import JournalEntry, MemoryStore, SQLiteStore, Store
from pmo_core._errors import InvalidInputError

STORES: dict[str, Callable[[], Store]] = {
    "memory": MemoryStore,
    "sqlite": lambda: SQLiteStore(":memory:"),
}


def _journal() -> list[JournalEntry]:
    with SQLiteStore(":memory:") as source:
        with source.transaction("alice", command="project create") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
        with source.transaction("bob", command="project create") as tx:
            tx.insert("project", "BETA", {"name": "Beta"})
        return list(source.journal())


def _assert_empty(target: Store) -> None:
    assert list(target.journal()) == []
    assert list(target.transactions()) == []
    assert target.count("project") == 0


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("txn_id", [None, 5, ""])
def test_an_entry_without_a_string_txn_id_is_refused_naming_its_seq(
    store: str, txn_id: object
) -> None:
    """Before: the memory store raised a bare TypeError and SQLite a constraint error naming
    no entry (or took the number 5 as the text '5')."""
    first, second = _journal()
    with STORES[store]() as target:
        with pytest.raises(InvalidInputError) as info:
            target.copy_in([first, dataclasses.replace(second, txn_id=txn_id)])
        assert str(info.value) == (
            f"journal entry seq 2: invalid txn_id {txn_id!r}: must be a non-empty string"
        )
        _assert_empty(target)


def _nan_refused() -> str:
    # The json module's words, which differ between Python versions (3.12 adds the value).
    try:
        json.dumps(float("nan"), allow_nan=False)
    except ValueError as exc:
        return str(exc)
    raise AssertionError("json accepted NaN")


_NAN_REFUSED = _nan_refused()

MALFORMED: dict[str, tuple[dict[str, Any], str]] = {
    "unknown op": ({"op": "upsert"}, "journal entry seq 2: unknown op 'upsert'"),
    "version 0": ({"version": 0}, "journal entry seq 2: invalid version 0"),
    "version True": ({"version": True}, "journal entry seq 2: invalid version True"),
    "insert without after": (
        {"after": None},
        "journal entry seq 2: an insert must carry an after document",
    ),
    "delete with after": (
        {"op": "delete"},
        "journal entry seq 2: a delete must not carry an after document",
    ),
    "after not JSON": (
        {"after": {"name": float("nan")}},
        f"journal entry seq 2: after document data is not JSON-able: {_NAN_REFUSED}",
    ),
    "before not JSON": (
        {"op": "update", "before": {"when": object()}},
        "journal entry seq 2: before document data is not JSON-able: object is not JSON "
        "serializable",
    ),
}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_entry_is_refused_naming_its_seq_and_nothing_is_written(
    store: str, case: str
) -> None:
    changes, message = MALFORMED[case]
    first, second = _journal()
    with STORES[store]() as target:
        with pytest.raises(InvalidInputError) as info:
            target.copy_in([first, dataclasses.replace(second, **changes)])
        assert str(info.value) == message
        _assert_empty(target)


@pytest.mark.parametrize("store", STORES)
def test_what_is_not_a_journal_entry_is_refused_naming_its_type(store: str) -> None:
    (first, _) = _journal()
    with STORES[store]() as target:
        with pytest.raises(InvalidInputError) as info:
            target.copy_in([first, dataclasses.asdict(first)])  # type: ignore[list-item]
        assert str(info.value) == "copy_in takes JournalEntry objects, not dict"
        _assert_empty(target)


@pytest.mark.parametrize("store", STORES)
def test_an_empty_journal_copies_nothing(store: str) -> None:
    with STORES[store]() as target:
        assert target.copy_in([]) == 0
        _assert_empty(target)
        with target.transaction("carol") as tx:  # the store is still new: its chain starts
            tx.insert("project", "GAMMA", {})
        assert [e.seq for e in target.journal()] == [1]


@pytest.mark.parametrize("store", STORES)
def test_a_document_deleted_in_the_journal_is_absent_from_the_copy(store: str) -> None:
    with SQLiteStore(":memory:") as source:
        with source.transaction("alice") as tx:
            tx.insert("project", "ALPHA", {"name": "Alpha"})
            tx.insert("project", "BETA", {"name": "Beta"})
        with source.transaction("bob", command="project delete") as tx:
            tx.delete("project", "ALPHA", expected_version=1)
        entries = list(source.journal())
        head = source.verify().head
    with STORES[store]() as target:
        assert target.copy_in(entries) == 3
        assert [d.id for d in target.query("project")] == ["BETA"]
        assert target.get("project", "ALPHA") is None
        assert [t.change_count for t in target.transactions()] == [2, 1]
        result = target.verify()
        assert (result.head, result.journal) == (head, ())
