"""The import's fast paths give what the checked paths give, or step aside.

:func:`work_item_document` skips pydantic for the rows it takes for sure; whenever it takes
one, its document must be the model's to the last byte of JSON, and an import must end the
same (same documents, same errors) with the fast path as without. The source-key patterns
may only take keys the key types take, and the scratch map's one-insert check of a batch
must leave nothing behind when it finds a key met before.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pmo_core import InvalidInputError, Workspace
from pmo_core._domain.planning import WorkItem, stamp_history
from pmo_core._services import import_checks, importing
from pmo_core._services.import_rows import work_item_document
from pmo_core._services.scratch import ScratchMap

# The csv connector is a first-party plugin.
pytestmark = pytest.mark.plugins("pmo-csv")

DAY = date(2026, 3, 31)


def _model(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        record = WorkItem.model_validate(data)
    except ValidationError:
        return None
    return stamp_history(record, None, DAY).to_document()


def _text(doc: dict[str, Any] | None) -> str:
    return json.dumps(doc, sort_keys=False)


def test_a_plain_row_takes_the_fast_path_and_matches_the_model() -> None:
    data = {
        "id": "0a1b00000001",
        "project": "P-0001",
        "subject": "Work item 1",
        "type": "task",
        "status": "Closed",
        "assignee": "Dai Wen",
        "start": date(2026, 1, 5),
        "due": date(2026, 2, 5),
        "work": "320",
        "remaining": "32.5",
        "percent_complete": "90",
        "budget": {"amount": "32000", "currency": "EUR"},
        "actual_cost": {"amount": "28800.50", "currency": "EUR"},
    }
    fast = work_item_document(data, DAY)
    assert fast is not None
    assert _text(fast) == _text(_model(data))
    # Defaults as the model dumps them: no progress without progress, percent the int 0.
    bare = {"id": "w", "project": "P", "subject": "s"}
    assert _text(work_item_document(bare, DAY)) == _text(_model(bare))
    with_cost = {**bare, "actual_cost": {"amount": "5", "currency": "USD"}}
    assert _text(work_item_document(with_cost, DAY)) == _text(_model(with_cost))


TEXTS = st.one_of(
    st.sampled_from(["", " ", "Build", " Build", "Build ", "a\tb", "x\u202ey", "é", "A" * 256]),
    st.text(max_size=8),
)
_NUMBER_TEXTS = "0 00 007 1 90 100 100.5 101 -1 1e3 1. .5 0.1234567 inf nan 1_000 ٣"
NUMBERS = st.one_of(
    st.sampled_from([*_NUMBER_TEXTS.split(), " 5", "123456789012345", "1234567890123456"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-5, max_value=2**60),
    st.booleans(),
    st.none(),
)
AMOUNTS = st.one_of(
    st.builds(
        lambda a, c: {"amount": a, "currency": c},
        st.sampled_from(["0", "10", "10.50", "0.000001", "-5", "1e3", "007", " 5", "5 "]),
        st.sampled_from(["EUR", "USD", "eur", "EURO", " EUR", ""]),
    ),
    st.sampled_from(["100 EUR", {"amount": "1"}, {"amount": 5, "currency": "EUR"}, None]),
)
DATES = st.one_of(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from(["2026-01-01", datetime(2026, 1, 1), None]),
)
PLAIN = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["w1", "0a1b00000001"]),
        "project": st.sampled_from(["P1", "P-0001"]),
        "subject": st.sampled_from(["Build", "Work item 7"]),
    },
    optional={
        "type": st.sampled_from(["task", "milestone"]),
        "status": st.sampled_from(["open", "Closed"]),
        "assignee": st.sampled_from(["", "Dai Wen"]),
        "start": st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
        "due": st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
        "work": st.sampled_from(["0", "320", "12.5", 8.0, 3]),
        "remaining": st.sampled_from(["0", "32"]),
        "percent_complete": st.sampled_from(["0", "40", "100", "99.5", 0.0, 100]),
        "ev_method": st.sampled_from(["percent_complete", "0/100", "points"]),
        "budget": st.sampled_from([{"amount": "32000", "currency": "EUR"}]),
        "actual_cost": st.sampled_from(
            [{"amount": "0", "currency": "EUR"}, {"amount": "10.50", "currency": "EUR"}]
        ),
    },
)
# Anything a field may be given: the tricky values among the plain ones.
TRICKY = {
    "id": st.sampled_from(["", " w", "w\u200b", "x" * 256, 5]),
    "project": st.sampled_from(["", "P 1", "-P", "p" * 65, None]),
    "subject": TEXTS,
    "type": TEXTS,
    "status": TEXTS,
    "assignee": st.one_of(TEXTS, st.none()),
    "iteration": st.one_of(TEXTS, st.none()),
    "start": DATES,
    "due": DATES,
    "work": NUMBERS,
    "remaining": NUMBERS,
    "points": NUMBERS,
    "percent_complete": NUMBERS,
    "ev_method": st.sampled_from(["Points", "x", " points", None]),
    "budget": AMOUNTS,
    "actual_cost": AMOUNTS,
    "milestone": st.sampled_from(["m1", None]),
    "links": st.just([]),
}
ROWS = st.builds(
    lambda plain, changes: {**plain, **changes},
    PLAIN,
    st.lists(st.sampled_from(sorted(TRICKY)), max_size=2, unique=True).flatmap(
        lambda names: st.fixed_dictionaries({name: TRICKY[name] for name in names})
    ),
)


_EDGES = [
    *(("work", v) for v in [*_NUMBER_TEXTS.split(), " 5", "1234567890123456", True, -0.0, 2**53]),
    *(("percent_complete", v) for v in ["100", "100.000001", "101", 100.5, 100]),
    *(("budget", {"amount": a, "currency": "EUR"}) for a in ["007", "0.0000001", "1E3", "-0"]),
    *(("budget", {"amount": "1", "currency": c}) for c in ["eur", " EUR", "EURO"]),
    *(("subject", v) for v in ["", " s", "s\n", "s\u202e", "s" * 256, "\u00a0s"]),
    *(("assignee", v) for v in ["", None, "a\tb"]),
    *(("id", v) for v in ["", "w\u200b", "x" * 256, " w"]),
    *(("project", v) for v in ["P 1", "p" * 65, "P\n"]),
    *(("start", v) for v in [datetime(2026, 1, 1), "2026-01-01"]),
    ("ev_method", " points"),
]


@pytest.mark.parametrize(("name", "value"), _EDGES)
def test_at_the_edges_the_fast_path_is_the_model_or_steps_aside(name: str, value: Any) -> None:
    row = {"id": "w", "project": "P", "subject": "s", "percent_complete": "40", name: value}
    fast = work_item_document(row, DAY)
    if fast is not None:
        assert _text(fast) == _text(_model(row))


@settings(max_examples=400, deadline=None)
@given(ROWS)
@example({"id": "w", "project": "P", "subject": "s", "percent_complete": "0"})
@example({"id": "w", "project": "P", "subject": "s", "start": date(2026, 2, 1),
          "due": date(2026, 1, 1)})  # fmt: skip
@example({"id": "w", "project": "P", "subject": "s", "budget": {"amount": "1", "currency": "EUR"},
          "actual_cost": {"amount": "1", "currency": "USD"}})  # fmt: skip
def test_whatever_the_row_the_fast_path_is_the_model_or_steps_aside(row: dict[str, Any]) -> None:
    # Plain rows with up to two values changed to any value a field may be given.
    fast = work_item_document(row, DAY)
    if fast is None:
        return  # the model decides, as it always did
    slow = _model(row)
    assert slow is not None, f"the fast path took a row the model refuses: {row!r}"
    assert _text(fast) == _text(slow)


# A file of plain rows and of rows each with a problem of its own, one problem per file.
_HEADER = "kind,key,name,parent,project,subject,status,start,due,work,percent_complete,budget,actual_cost,currency\n"  # noqa: E501
_GOOD = [
    "portfolio,PF,Portfolio,,,,,,,,,,,",
    "project,P1,One,PF,,,,,,,,100000,,EUR",
    "work_item,W1,,,P1,Plain,Open,2026-01-05,2026-02-05,320,90,32000,28800,",
    "work_item,W2,,,P1,No progress,,,,,,,,",
    "work_item,W3,,,P1, Spaces ,open,,,007,0,,5 ,USD",
    "work_item,W4,,,P1,Cost only,,,,,,,10.50,",
]
_BAD = [
    "work_item,B1,,,P1,Late,,2026-02-05,2026-01-05,,,,,",
    "work_item,B2,,,P1,Over,,,,,101,,,",
    "work_item,B3,,,P1,Negative,,,,-1,,,,",
    "work_item,B4,,,NOPE,Orphan,,,,,,,,",
    "work_item,B5,,,P1,,,,,,,,,",
    "work_item,B6,,,P1,Mixed,,,,,,100,5 USD,",
    "work_item,B7,,,P1,Exp,,,,1e999,,,,",
    "work_item,B8,,,P1,Bidi \u202e,,,,,,,,",
]


def _import(tmp_path: Path, name: str, rows: list[str]) -> Workspace:
    path = tmp_path / name
    path.write_text(_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    ws = Workspace.in_memory(plugins={"csv": __import__("pmo_csv")})
    ws.import_from("csv", str(path))
    return ws


def _documents(ws: Workspace) -> dict[str, dict[str, Any]]:
    # Work items by their source key (their ids are new on every import).
    targets = {
        str(ref.data["target"]): str(ref.data["remote_id"])
        for ref in ws.store.query("external_ref")
    }
    return {
        targets[doc.id]: {k: v for k, v in doc.data.items() if k != "id"}
        for doc in ws.store.query("work_item")
    }


def _without_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "work_item_document", lambda data, today, actor: None)


def test_an_import_stores_the_same_documents_with_and_without_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _documents(_import(tmp_path, "fast.csv", _GOOD))
    _without_fast_path(monkeypatch)
    slow = _documents(_import(tmp_path, "slow.csv", _GOOD))
    assert set(fast) == {"W1", "W2", "W3", "W4"}
    assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True)


@pytest.mark.parametrize("bad", _BAD)
def test_a_bad_row_gets_the_same_error_with_and_without_the_fast_path(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = []
    for run in ("fast", "slow"):
        if run == "slow":
            _without_fast_path(monkeypatch)
        with pytest.raises(InvalidInputError) as caught:
            _import(tmp_path, f"{run}.csv", [*_GOOD, bad])
        errors.append((caught.value.message, caught.value.where.rsplit("/", 1)[-1]))
    assert errors[0][0] == errors[1][0]
    assert errors[0][1].replace("fast", "slow") == errors[1][1]


def test_a_reimport_with_one_row_changed_updates_exactly_that_row(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text(_HEADER + "\n".join(_GOOD) + "\n", encoding="utf-8")
    ws = Workspace.in_memory(plugins={"csv": __import__("pmo_csv")})
    ws.import_from("csv", str(path))
    before = _documents(ws)

    changed = [row.replace("No progress", "Renamed") for row in _GOOD]
    path.write_text(_HEADER + "\n".join(changed) + "\n", encoding="utf-8")
    result = ws.import_from("csv", str(path))

    assert result.counts() == {"create": 0, "update": 1, "unchanged": 5, "archive": 0}
    (update,) = [i for i in result.items if i.op == "update"]
    assert (update.remote_id, update.changes) == ("W2", {"subject": ("No progress", "Renamed")})
    after = _documents(ws)
    assert {k for k in after if after[k] != before[k]} == {"W2"}


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(import_checks._SURE_KEY, fullmatch=True),
    st.from_regex(import_checks._SURE_REMOTE_ID, fullmatch=True),
)
def test_a_source_key_the_patterns_take_is_one_the_types_take(key: str, remote_id: str) -> None:
    # The patterns let a key skip the pydantic adapter: they must never take one it refuses.
    assert import_checks._ENTITY_KEY.validate_python(key) == key
    assert import_checks._REMOTE_ID.validate_python(remote_id) == remote_id


def test_a_batch_with_a_key_met_before_adds_nothing_to_the_scratch_map() -> None:
    # add_new inserts the batch at once and rolls it back on a clash: none of it stays.
    with ScratchMap() as seen:
        assert seen.add_new([("a", "f:1")]) is None
        assert seen.add_new([("b", "f:2"), ("c", "f:3"), ("a", "f:4")]) == (2, "f:1")
        assert seen.get_many(["a", "b", "c"]) == {"a": "f:1"}
        assert seen.add_new([("b", "f:5"), ("b", "f:6")]) == (1, "f:5")
        assert seen.add_new([("b", "f:7"), ("c", "f:8")]) is None
        assert seen.get_many(["b", "c"]) == {"b": "f:7", "c": "f:8"}
