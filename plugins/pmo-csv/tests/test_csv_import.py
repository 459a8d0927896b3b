from __future__ import annotations

from pathlib import Path

import pytest
from csv_samples import PORTFOLIOS, PROGRAMS, PROJECTS, WORK_ITEMS, write_dir

from pmo_core import InvalidInputError, Money, Workspace


def test_import_creates_the_hierarchy_and_work_items(ws: Workspace, source: Path) -> None:
    result = ws.import_from("csv", source)

    assert result.counts() == {"create": 10, "update": 0, "unchanged": 0, "archive": 0}
    view = ws.view()
    assert [p.id for p in view.portfolios()] == ["PF-DIG", "PF-OPS"]
    assert [p.id for p in view.programs(under="PF-DIG")] == ["ERP"]
    assert [p.id for p in view.projects(under="ERP")] == ["ALPHA", "BETA"]
    alpha = view.entity("ALPHA")
    assert alpha.parent == "ERP"
    assert alpha.budget == Money.parse("250000 EUR")
    assert alpha.tier == 1
    assert alpha.tags == ("erp", "finance")
    assert alpha.phase == "scoping"
    assert alpha.custom_fields == {"acme": {"cost_centre": "CC-104"}}
    assert str(alpha.planned_finish) == "2025-12-19"
    # "120000 EUR" in the budget cell with an empty currency cell.
    beta = view.entity("BETA")
    assert beta.budget == Money.parse("120000 EUR")
    assert beta.custom_fields == {}
    gamma = view.entity("GAMMA")
    assert (gamma.currency, gamma.parent) == ("USD", "PF-OPS")
    assert view.entity("PF-DIG").tags == ("strategy", "digital")
    # Empty cells are "not given": the model defaults apply.
    assert view.entity("PF-OPS").manager is None
    items = {w.subject: w for w in view.work_items("ALPHA")}
    assert set(items) == {"Requirements", "Ledger build"}
    build = items["Ledger build"]
    assert build.percent_complete == 40
    assert build.budget == Money.parse("120000 EUR")  # the project's currency
    assert build.actual_cost == Money.parse("52000 EUR")
    assert build.status == "in progress"
    assert [w.budget for w in view.work_items("GAMMA")] == [Money.parse("5000 USD")]
    assert view.work_items("GAMMA")[0].actual_cost is None


def test_second_import_changes_nothing(ws: Workspace, source: Path) -> None:
    ws.import_from("csv", source)
    journal = len(ws.journal())
    versions = {e.id: e.version for e in ws.view().entities()}

    again = ws.import_from("csv", source)

    assert again.counts() == {"create": 0, "update": 0, "unchanged": 10, "archive": 0}
    # Nothing changed; only the run itself is recorded.
    assert [e.kind for e in ws.journal()[journal:]] == ["sync_run"]
    assert {e.id: e.version for e in ws.view().entities()} == versions
    assert len(ws.view().work_items("ALPHA")) == 2  # upserted, not duplicated


def test_an_update_changes_only_the_changed_fields(ws: Workspace, source: Path) -> None:
    ws.import_from("csv", source)
    (source / "projects.csv").write_text(
        PROJECTS.replace(
            "ALPHA,Alpha: finance core,ERP,Dana Reyes,Pat Diaz,on_track",
            "ALPHA,Alpha: finance core,ERP,Dana Reyes,Pat Diaz,at_risk",
        ),
        encoding="utf-8",
    )
    (source / "work_items.csv").write_text(
        WORK_ITEMS.replace("800,40,120000,52000", "800,55,120000,61000"), encoding="utf-8"
    )

    plan = ws.import_from("csv", source, dry_run=True)
    changed = [i for i in plan.items if i.op == "update"]
    assert [(i.kind, i.remote_id) for i in changed] == [("project", "ALPHA"), ("work_item", "A-2")]
    assert changed[0].changes == {"status": ("on_track", "at_risk")}
    assert changed[0].where.endswith("projects.csv:2")
    before = {"amount": "52000", "currency": "EUR"}
    after = {"amount": "61000", "currency": "EUR"}
    today = ws.today().isoformat()
    assert changed[1].changes == {
        "percent_complete": (40.0, 55.0),
        "actual_cost": (before, after),
        # The import's progress is the day's point of the item's dated history.
        "progress": (
            [{"on": today, "percent": 40.0, "actual_cost": before}],
            [{"on": today, "percent": 55.0, "actual_cost": after}],
        ),
    }
    as_dict = plan.as_dict()
    assert as_dict["items"][0]["changes"] == {"status": {"before": "on_track", "after": "at_risk"}}

    ws.import_from("csv", source)
    alpha = ws.get("ALPHA")
    assert alpha.status == "at_risk"
    assert alpha.version == 2
    assert alpha.custom_fields == {"acme": {"cost_centre": "CC-104"}}  # untouched
    build = next(w for w in ws.view().work_items("ALPHA") if w.subject == "Ledger build")
    assert (build.percent_complete, build.actual_cost) == (55, Money.parse("61000 EUR"))


def test_an_empty_cell_keeps_the_stored_value(ws: Workspace, source: Path) -> None:
    ws.import_from("csv", source)
    ws.update("ALPHA", description="Set by hand")
    write_dir(source, projects="key,name,manager\nALPHA,Alpha: finance core,\n")
    (source / "work_items.csv").unlink()

    result = ws.import_from("csv", source)

    assert result.counts()["update"] == 0
    assert ws.get("ALPHA").manager == "Pat Diaz"
    assert ws.get("ALPHA").description == "Set by hand"


def test_dry_run_writes_nothing(ws: Workspace, source: Path) -> None:
    plan = ws.import_from("csv", source, dry_run=True)

    assert plan.dry_run
    assert plan.counts() == {"create": 10, "update": 0, "unchanged": 0, "archive": 0}
    assert "would create 10" in plan.summary()
    assert ws.journal() == []
    assert ws.view().entities() == []


def test_single_file_with_a_kind_column(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "all.csv"
    path.write_text(
        "kind,key,name,parent,project,subject,budget,currency,percent_complete\n"
        "portfolio,PF,Portfolio,,,,,EUR,\n"
        "Project,P1,One,PF,,,1000,EUR,\n"
        "work item,W1,,,P1,Build,400,,50\n",
        encoding="utf-8",
    )

    result = ws.import_from("csv", path)

    assert result.counts()["create"] == 3
    assert ws.get("P1").parent == "PF"
    [item] = ws.view().work_items("P1")
    assert (item.subject, item.budget, item.percent_complete) == (
        "Build",
        Money.parse("400 EUR"),
        50,
    )


def test_a_file_named_after_a_kind_needs_no_kind_column(ws: Workspace, tmp_path: Path) -> None:
    path = write_dir(tmp_path / "d", portfolios=PORTFOLIOS) / "portfolios.csv"

    assert ws.import_from("csv", path).counts()["create"] == 2


def test_a_byte_order_mark_is_dropped(ws: Workspace, tmp_path: Path) -> None:
    root = write_dir(tmp_path / "excel", portfolios=PORTFOLIOS)
    # Excel's "CSV UTF-8" starts the file with a byte-order mark.
    (root / "programs.csv").write_bytes(b"\xef\xbb\xbf" + PROGRAMS.encode("utf-8"))

    result = ws.import_from("csv", root)

    assert result.counts()["create"] == 3
    assert ws.get("ERP").name == "ERP renewal"
    assert ws.get("PF-DIG").name == "Digital"


def test_a_file_saved_by_excel_in_a_european_locale(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What Excel (German locale) saves as "CSV UTF-8": a byte-order mark, CRLF line ends,
    # ";" between cells, a quoted cell over two lines holding ";" and quotes, dates as
    # dd.mm.yyyy, empty columns right of the table and a row of empty cells at the end.
    monkeypatch.setenv("PMO_CSV_DATE_FORMAT", "%d.%m.%Y")
    rows = [
        "key;name;description;planned_start;budget;currency;;",
        'P-1;Alpha;"Line one\r\nline two; with ""quotes""";31.03.2025;250000;EUR;;',
        "P-2;Beta;;01.04.2025;120000;EUR;;",
        ";;;;;;;",
    ]
    root = tmp_path / "excel"
    root.mkdir()
    (root / "projects.csv").write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n"
    )

    result = ws.import_from("csv", root)

    assert [(i.remote_id, i.where) for i in result.items] == [
        ("P-1", f"{root / 'projects.csv'}:2"),
        ("P-2", f"{root / 'projects.csv'}:4"),  # the two-line cell moves Beta to line 4
    ]
    alpha = ws.get("P-1")
    # Free text keeps one line end: Excel's CRLF inside the cell is stored as a line feed.
    assert alpha.description == 'Line one\nline two; with "quotes"'
    assert (str(alpha.planned_start), alpha.budget) == ("2025-03-31", Money.parse("250000 EUR"))
    assert str(ws.get("P-2").planned_start) == "2025-04-01"
    assert ws.import_from("csv", root).counts()["unchanged"] == 2


def test_settings_from_the_environment(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_CSV_DELIMITER", ";")
    monkeypatch.setenv("PMO_CSV_DATE_FORMAT", "%d.%m.%Y")
    monkeypatch.setenv("PMO_CSV_ENCODING", "latin-1")
    path = tmp_path / "projects.csv"
    path.write_bytes(
        "key;name;planned_start;budget;currency\nZ1;Zürich;31.03.2025;1,5;CHF\n".encode("latin-1")
    )

    with pytest.raises(InvalidInputError) as bad:
        ws.import_from("csv", path)
    # "1,5" is not a decimal: the core names the cell.
    assert str(bad.value.where).endswith("projects.csv:2:4")

    path.write_bytes(
        "key;name;planned_start;budget;currency\nZ1;Zürich;31.03.2025;1.5;CHF\n".encode("latin-1")
    )
    ws.import_from("csv", path)
    z1 = ws.get("Z1")
    assert z1.name == "Zürich"
    assert str(z1.planned_start) == "2025-03-31"
    assert z1.budget == Money.parse("1.5 CHF")


def test_bad_settings_name_the_setting(
    ws: Workspace, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_CSV_DELIMITER", ";;")

    with pytest.raises(InvalidInputError, match="delimiter must be one character"):
        ws.import_from("csv", source)


def test_progress_is_reported_every_thousand_rows(ws: Workspace, tmp_path: Path) -> None:
    rows = "".join(f"W{n},P1,Item {n},10\n" for n in range(2500))
    root = write_dir(
        tmp_path / "big",
        projects="key,name,currency\nP1,One,EUR\n",
        work_items="key,project,subject,budget\n" + rows,
    )
    calls: list[tuple[str, int, int | None]] = []

    result = ws.import_from("csv", root, dry_run=True, progress=lambda *c: calls.append(c))

    assert result.counts()["create"] == 2501
    # A dry run reads (the rows so far, then all with their total), looks for what the
    # source no longer holds (a full read: nothing, the first time) and commits nothing.
    assert calls == [
        ("read", 1000, None),
        ("read", 2000, None),
        ("read", 2501, 2501),
        ("archive", 0, None),
        ("archive", 0, 0),
    ]
