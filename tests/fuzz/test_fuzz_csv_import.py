"""Fuzzing the CSV importer: arbitrary bytes, and rows that look right but are hostile.

Whatever the file, an import either succeeds or raises a PmoError naming where; on error, and
always on a dry run, nothing is written.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import outcome, snapshot
from hypothesis import given
from hypothesis import strategies as st

from pmo_core import Workspace

# The csv connector is a first-party plugin.
pytestmark = pytest.mark.plugins("pmo-csv")

ENTITY_HEADER = ["key", "kind", "name", "parent", "budget", "tier", "planned_start", "status"]
ITEM_HEADER = [
    "key",
    "project",
    "subject",
    "budget",
    "percent_complete",
    "start",
    "due",
    "work",
    "points",
]

# Cell values people and tools actually produce, and ones an attacker would.
CELLS = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=string.ascii_uppercase + string.digits + "-_", min_size=1, max_size=10),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "inf",
            "NaN",
            "-5 EUR",
            "100 EUR",
            "100",
            "1,5",
            "2026-02-30",
            "2026-01-01",
            "31/12/2026",
            "portfolio",
            "program",
            "project",
            "PF",
            "P1",
            "=1+1",
            "@SUM(A1)",
            "\x00",
            "\x1b[31m",
            "\u202e",
            "a\nb",
            "x" * 300,
            "on_track",
            "99",
            "true",
        ]
    ),
)


@pytest.fixture
def workspace(pmo_workspace_factory: object) -> Workspace:
    ws: Workspace = pmo_workspace_factory(enabled=["csv"], store="memory")  # type: ignore[operator]
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("project", id="P1", name="Project", parent="PF")
    return ws


def _check(ws: Workspace, path: Path) -> None:
    before = snapshot(ws)
    refused = outcome(lambda: ws.import_from("csv", path, dry_run=True))
    assert snapshot(ws) == before  # a dry run never writes
    result = outcome(lambda: ws.import_from("csv", path))
    if result is not None:
        assert snapshot(ws) == before  # refused: nothing written
        assert str(result).strip()
        assert refused is not None  # what the dry run accepted, the import accepts
    # Importing the same file again changes nothing (idempotent) or fails the same way.
    again = snapshot(ws)
    outcome(lambda: ws.import_from("csv", path))
    if result is None:
        # Every record as it was; the run itself is recorded (a sync run per import).
        assert _records(snapshot(ws)[1]) == _records(again[1])


def _records(docs: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(doc for doc in docs if doc[0] != "sync_run")


@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("raw") / "in.csv"
    path.write_bytes(raw)
    _check(workspace, path)


@given(
    header=st.lists(st.sampled_from(ENTITY_HEADER), min_size=1, max_size=8, unique=True),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_entity_rows(
    workspace: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
) -> None:
    path = tmp_path_factory.mktemp("entities") / "entities.csv"
    _write(path, [header, *rows], delimiter)
    _check(workspace, path)


@given(rows=st.lists(st.lists(CELLS, min_size=9, max_size=9), max_size=6))
def test_work_item_files(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("layout")
    _write(folder / "work_items.csv", [ITEM_HEADER, *rows], ",")
    _check(workspace, folder)


def _write(path: Path, rows: list[list[str]], delimiter: str) -> None:
    # Every field quoted by hand: the csv module of Python 3.10 refuses to write a NUL, and
    # a file with one is exactly what an importer must survive.
    def field(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    text = "".join(delimiter.join(field(v) for v in row) + "\r\n" for row in rows)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


NUMBERS = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "NaN", "1e309", "-1e309", "1e-400", "-0", "1_000"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(['=HYPERLINK("x")', "\x1b]0;owned\x07", "a\u202eb", "x" * 5000, "\r", "\t@x"]),
)


@given(
    rows=st.lists(
        st.tuples(
            TEXTS, NUMBERS, NUMBERS, NUMBERS, st.sampled_from(["100 EUR", "-5 EUR", "1e309 EUR"])
        ),
        min_size=1,
        max_size=4,
    )
)
def test_valid_looking_rows_with_hostile_values(
    workspace: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str, str, str]],
) -> None:
    # Rows right in every way but one value: what the dry run accepts, the import must write.
    folder = tmp_path_factory.mktemp("values")
    table = [["key", "project", "subject", "work", "points", "percent_complete", "budget"]]
    table += [
        [f"W{n}", "P1", subject, work, points, percent, budget]
        for n, (subject, work, points, percent, budget) in enumerate(rows)
    ]
    _write(folder / "work_items.csv", table, ",")
    _check(workspace, folder)
