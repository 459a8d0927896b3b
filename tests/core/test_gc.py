"""The collector pause around bulk work."""

from __future__ import annotations

import gc

import pytest

from pmo_core._gc import collector_paused


class Node:
    pass


def test_no_collection_inside_and_what_was_made_is_handed_to_the_oldest_generation() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        made = Node()
        assert any(o is made for o in gc.get_objects(generation=0))

    assert gc.isenabled()
    assert any(o is made for o in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0  # nothing stays hidden from the collector


def test_cycles_made_inside_are_still_collected_by_a_full_collection() -> None:
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        del a, b
    assert gc.collect() >= 2


def test_nested_uses_leave_the_collector_to_the_outer_one() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def _raise_inside() -> None:
    with collector_paused():
        raise ValueError("boom")


def test_the_collector_comes_back_when_the_block_raises() -> None:
    with pytest.raises(ValueError, match="boom"):
        _raise_inside()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_embedding_program_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
