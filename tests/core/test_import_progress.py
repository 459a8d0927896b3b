"""The phases an import and an export report through ``progress(phase, done, total)``, in
order and with counts that add up, and the earlier ``progress(done, total)`` adapted."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from pmo_core import (
    ConnectorRequest,
    InvalidInputError,
    PmoConnector,
    PmoDeprecationWarning,
    SourceItem,
    Workspace,
    hookimpl,
)
from pmo_core._services import importing, progress
from pmo_core._services.progress import phased, takes_phase

Call = tuple[str, int, "int | None"]


class Source:
    """A connector reading its items as given, announcing their count when told to."""

    def __init__(self, items: list[SourceItem], *, announce: bool = False) -> None:
        self.items = items
        self.announce = announce

    def read(self, request: ConnectorRequest) -> Iterator[SourceItem]:
        if self.announce:
            request.progress(0, len(self.items))
        yield from self.items

    def write(self, request: ConnectorRequest) -> None:
        done = 0
        for _ in request.items:
            done += 1
            request.progress(done, None)
        request.progress(done, done)

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        yield PmoConnector(
            name="src", capabilities=frozenset({"read", "write"}), read=self.read,
            write=self.write,
        )  # fmt: skip


def _items(work_items: int = 12) -> list[SourceItem]:
    return [
        SourceItem(kind="portfolio", remote_id="PF", data={"name": "Portfolio"}, where="s:2"),
        SourceItem(
            kind="project",
            remote_id="P1",
            data={"name": "One", "parent": "PF", "currency": "EUR"},
            where="s:3",
        ),
        *(
            SourceItem(
                kind="work_item",
                remote_id=f"W{n}",
                data={"project": "P1", "subject": f"Item {n}"},
                where=f"s:{4 + n}",
            )
            for n in range(work_items)
        ),
    ]


@pytest.fixture(autouse=True)
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # Batches of four and a report every five rows, so that 14 rows span several of each.
    monkeypatch.setattr(importing, "BATCH_SIZE", 4)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 5)


@pytest.fixture
def source() -> Source:
    return Source(_items())


@pytest.fixture
def ws(source: Source) -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"src": source}) as workspace:
        yield workspace


def _heard(ws: Workspace, **kwargs: Any) -> list[Call]:
    calls: list[Call] = []
    ws.import_from("src", "s", progress=lambda *call: calls.append(call), **kwargs)
    return calls


def _phases(calls: list[Call]) -> list[str]:
    return list(dict.fromkeys(phase for phase, _, _ in calls))


def test_an_import_reports_read_archive_commit_and_plans_in_order(ws: Workspace) -> None:
    calls = _heard(ws)

    assert _phases(calls) == ["read", "archive", "commit", "plans"]
    reads = [(done, total) for phase, done, total in calls if phase == "read"]
    assert reads == [(5, None), (10, None), (14, 14)]  # every five rows, then all of them
    assert [c for c in calls if c[0] == "archive"] == [("archive", 0, None), ("archive", 0, 0)]
    # Said before committing (nothing done yet), then done: 14 records created.
    assert [c for c in calls if c[0] == "commit"] == [("commit", 0, 14), ("commit", 14, 14)]
    # The portfolio and the project whose plans the import made, checked against tolerances.
    assert [c for c in calls if c[0] == "plans"] == [("plans", 0, 2), ("plans", 2, 2)]
    # Each phase ends with done == total, and the phases follow each other once each.
    for phase in _phases(calls):
        last = [c for c in calls if c[0] == phase][-1]
        assert last[1] == last[2]
    assert [phase for phase, _, _ in calls] == sorted(
        (phase for phase, _, _ in calls), key=progress.IMPORT_PHASES.index
    )


def test_the_read_total_is_the_one_the_connector_announces(source: Source) -> None:
    source.announce = True
    with Workspace.in_memory(plugins={"src": source}) as ws:
        calls = _heard(ws)
    reads = [(done, total) for phase, done, total in calls if phase == "read"]
    assert reads == [(5, 14), (10, 14), (14, 14)]
    # Another phase's unknown length stays unknown: not the connector's row count.
    assert ("archive", 0, None) in calls


def test_a_reimport_counts_what_it_archives_and_commits(ws: Workspace, source: Source) -> None:
    ws.import_from("src", "s")
    source.items.pop()  # the source no longer holds W11

    calls = _heard(ws)

    assert [c for c in calls if c[0] == "archive"] == [("archive", 0, None), ("archive", 1, 1)]
    assert [c for c in calls if c[0] == "commit"] == [("commit", 0, 1), ("commit", 1, 1)]


def test_a_refused_import_stops_after_reading_and_writes_nothing(
    ws: Workspace, source: Source
) -> None:
    source.items.append(SourceItem(kind="work_item", remote_id="WX", data={"project": "P1",
                                   "subject": ""}, where="s:40"))  # fmt: skip
    calls: list[Call] = []

    with pytest.raises(InvalidInputError):
        ws.import_from("src", "s", progress=lambda *call: calls.append(call))

    assert _phases(calls) == ["read"]
    assert calls[-1] == ("read", 15, 15)  # every row was read (and checked)
    assert ws.journal() == []


def test_a_dry_run_reports_no_commit(ws: Workspace) -> None:
    calls = _heard(ws, dry_run=True)
    assert _phases(calls) == ["read", "archive"]
    assert ws.journal() == []


def test_an_export_reports_the_records_written(ws: Workspace) -> None:
    ws.import_from("src", "s")
    calls: list[Call] = []

    count = ws.export_to("src", "out", progress=lambda *call: calls.append(call))

    assert {phase for phase, _, _ in calls} == {"write"}
    assert calls[-1] == ("write", count, count)


def test_the_earlier_two_argument_progress_hears_the_rows_and_is_warned_once(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "_warned", set())
    old: list[tuple[int, int | None]] = []

    with pytest.warns(PmoDeprecationWarning, match=r"progress\(phase, done, total\)") as heard:
        ws.import_from("src", "s", dry_run=True, progress=lambda d, t: old.append((d, t)))
    assert heard[0].filename == __file__  # the caller's line, not the core's
    assert old == [(5, None), (10, None), (14, 14)]  # only the rows, as before

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second call is not warned again
        ws.import_from("src", "s", dry_run=True, progress=lambda d, t: None)
    with pytest.warns(PmoDeprecationWarning, match=r"export_to"):
        ws.export_to("src", "out", progress=lambda d, t: old.append((d, t)))
    assert old[-1][0] == old[-1][1]


def _three(phase: str, done: int, total: int | None) -> None:
    return None


def _two(done: int, total: int | None) -> None:
    return None


def _defaulted(phase: str, done: int, total: int | None = None) -> None:
    return None


@pytest.mark.parametrize(
    ("callback", "phase_aware"),
    [
        (_three, True),
        (_two, False),
        (_defaulted, True),
        (lambda *call: None, True),
        (lambda done, *rest: None, True),
        (print, True),  # a builtin: taken as the current form
    ],
)
def test_the_form_is_told_by_the_arguments_taken(callback: Any, phase_aware: bool) -> None:
    assert takes_phase(callback) is phase_aware


def test_no_progress_is_a_quiet_one() -> None:
    quiet = phased(None, "Workspace.import_from", "read")
    assert quiet("read", 1, 2) is None
