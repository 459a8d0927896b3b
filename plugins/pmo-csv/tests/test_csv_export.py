from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pmo_csv
import pytest
from csv_samples import make_workspace

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem, Workspace


def _entities(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {e.id: e.to_document() for e in ws.view().entities(include_archived=True)}


def _work_items(ws: Workspace) -> list[dict[str, Any]]:
    # Work-item ids are generated per workspace; everything else must survive.
    out = []
    for project in ws.view().projects(include_archived=True):
        for item in ws.view().work_items(project.id):
            doc = item.to_document()
            doc.pop("id")
            out.append(doc)
    return sorted(out, key=lambda d: (d["project"], d["subject"]))


@pytest.fixture
def filled(ws: Workspace, source: Path) -> Workspace:
    ws.import_from("csv", source)
    # Fields the source files do not set, so the export has to carry them itself.
    ws.update("GAMMA", archived=True, business_case_approved=True, description='Says "hi", twice')
    ws.update("BETA", actual_start=date(2025, 3, 5))
    return ws


@pytest.mark.parametrize("target", ["exported", "exported.csv"])
def test_export_then_import_gives_the_same_entities(
    filled: Workspace, tmp_path: Path, target: str
) -> None:
    location = tmp_path / target

    count = filled.export_to("csv", location)

    assert count == 10
    with make_workspace() as empty:
        result = empty.import_from("csv", location)
        assert result.counts() == {"create": 10, "update": 0, "unchanged": 0, "archive": 0}
        assert _entities(empty) == _entities(filled)
        assert _work_items(empty) == _work_items(filled)
        # And the export of the copy is the same file(s).
        again = tmp_path / f"again-{target}"
        empty.export_to("csv", again)
    if target.endswith(".csv"):
        first = location.read_text(encoding="utf-8-sig").splitlines()
        second = again.read_text(encoding="utf-8-sig").splitlines()
        key = first[0].split(",").index("key")
        # Work-item keys differ (generated ids); compare the rows without them.
        strip = lambda rows: sorted(",".join(r[:key] + r[key + 1 :]) for r in csv.reader(rows))  # noqa: E731
        assert strip(first) == strip(second)


def test_directory_layout_has_every_file_with_iso_dates_and_money_columns(
    filled: Workspace, tmp_path: Path
) -> None:
    filled.export_to("csv", tmp_path / "out", scope="ERP")

    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["portfolios.csv", "programs.csv", "projects.csv", "work_items.csv"]
    with (tmp_path / "out" / "portfolios.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == []  # header only: out of scope
    with (tmp_path / "out" / "projects.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["key"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"ALPHA", "BETA"}
    alpha = rows["ALPHA"]
    assert (alpha["budget"], alpha["currency"]) == ("250000", "EUR")
    assert (alpha["planned_start"], alpha["tags"]) == ("2025-01-06", "erp;finance")
    assert alpha["cf:acme.cost_centre"] == "CC-104"
    assert rows["BETA"]["actual_start"] == "2025-03-05"
    with (tmp_path / "out" / "work_items.csv").open(encoding="utf-8-sig", newline="") as f:
        items = {r["subject"]: r for r in csv.DictReader(f)}
    assert set(items) == {"Requirements", "Ledger build", "Data mapping"}
    assert items["Ledger build"]["budget"] == "120000"
    assert items["Ledger build"]["actual_cost"] == "52000"
    assert items["Ledger build"]["currency"] == "EUR"
    assert items["Ledger build"]["work"] == "800"


def test_export_uses_the_settings_and_reads_back_with_them(
    filled: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_CSV_DELIMITER", ";")
    monkeypatch.setenv("PMO_CSV_DATE_FORMAT", "%d.%m.%Y")
    location = tmp_path / "euro.csv"

    filled.export_to("csv", location)

    text = location.read_text(encoding="utf-8-sig")
    assert text.startswith("kind;key;name;")
    assert ";06.01.2025;19.12.2025;" in text
    with make_workspace() as empty:
        empty.import_from("csv", location)
        assert _entities(empty) == _entities(filled)


def test_export_reports_progress(filled: Workspace, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []

    filled.export_to("csv", tmp_path / "p", progress=lambda *c: calls.append(c))

    assert calls[-1] == ("write", 10, 10)
    assert {phase for phase, _, _ in calls} == {"write"}


def _stream(items: list[Any]) -> Any:
    # A generator, as Workspace.export_to gives the items: written as they come.
    yield from items


@pytest.mark.parametrize("target", ["one.csv", "dir"])
def test_a_stream_of_items_is_written_as_it_comes(tmp_path: Path, target: str) -> None:
    project = SourceItem(
        kind="project",
        remote_id="P1",
        data={"name": "One", "currency": "EUR", "custom_fields": {"acme": {"cc": "CC-1"}}},
    )
    items = [
        project,
        *(SourceItem(kind="work_item", remote_id=f"W{n}", data={"project": "P1",
          "subject": f"=Item {n}"}) for n in range(3)),
    ]  # fmt: skip
    calls: list[tuple[int, int | None]] = []
    location = tmp_path / target
    pmo_csv.write(
        ConnectorRequest(
            location=str(location),
            items=_stream(items),
            progress=lambda d, t: calls.append((d, t)),
        )
    )
    path = location if target.endswith(".csv") else location / "projects.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["cf:acme.cc"] == "CC-1"  # the held entities settle the header
    items_path = location if target.endswith(".csv") else location / "work_items.csv"
    with open(items_path, encoding="utf-8-sig", newline="") as f:
        subjects = [r["subject"] for r in csv.DictReader(f) if r["key"].startswith("W")]
    assert subjects == ["'=Item 0", "'=Item 1", "'=Item 2"]
    assert calls[-1] == (4, 4)

    # After the header is written, a row may not bring a column of its own.
    late = SourceItem(
        kind="work_item", remote_id="W9", data={"custom_fields": {"acme": {"late": 1}}}
    )
    with pytest.raises(InvalidInputError, match=r"'cf:acme\.late' after the header") as caught:
        pmo_csv.write(ConnectorRequest(location=str(location), items=_stream([*items, late])))
    assert caught.value.where == "W9"
    # A list is written whatever its order, its columns gathered first.
    pmo_csv.write(ConnectorRequest(location=str(location), items=[*items, late]))


def test_a_work_item_hierarchy_survives_an_export_and_an_import_elsewhere(
    source: Path, tmp_path: Path
) -> None:
    # A child row before its parent: the import resolves keys within the file.
    (source / "work_items.csv").write_text(
        "key,project,parent,subject,currency\n"
        "A-2,ALPHA,A-1,Ledger build,EUR\n"
        "A-1,ALPHA,,Finance core,EUR\n",
        encoding="utf-8",
    )
    with make_workspace() as ws:
        ws.import_from("csv", source)
        view = ws.view()
        items = {w.subject: w for w in view.work_items("ALPHA")}
        assert items["Ledger build"].parent == items["Finance core"].id
        ws.export_to("csv", tmp_path / "out")
    written = (tmp_path / "out" / "work_items.csv").read_text(encoding="utf-8-sig")
    assert written.splitlines()[0].startswith("key,project,parent,subject")
    assert "A-2,ALPHA,A-1,Ledger build" in written
    with make_workspace() as other:
        other.import_from("csv", tmp_path / "out")
        items = {w.subject: w for w in other.view().work_items("ALPHA")}
        assert items["Ledger build"].parent == items["Finance core"].id
