"""Hostile CSV in and out: bad cells refused with file:line:column before anything is
written; empty files refused unless allowed; cells a spreadsheet would run as formulas
neutralised on export and restored on import."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import pmo_csv
import pytest
from csv_samples import AcmePlugin, make_workspace

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem, WorkItem, Workspace
from pmo_core.testing import HOSTILE_STRINGS

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _refused(ws: Workspace, location: Path, *, dry_run: bool) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("csv", location, dry_run=dry_run)
    assert ws.journal() == [], "a refused import wrote something"
    return caught.value


# ------------------------------------------------------------------------- empty files


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file holds nothing: no header and no rows"),
        ("key,name\n", "the file holds a header but no rows"),
        ("key,name\n\n,\n\n", "the file holds a header but no rows"),  # blank lines only
    ],
)
def test_an_empty_or_header_only_file_is_refused_unless_allowed(
    ws: Workspace, tmp_path: Path, text: str, message: str, dry_run: bool
) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(text, encoding="utf-8")

    error = _refused(ws, path, dry_run=dry_run)

    assert error.where == str(path)
    assert error.message == (
        f"{message}; to import it anyway, pass --allow-empty (option allow_empty)"
    )
    allowed = ws.import_from("csv", path, dry_run=dry_run, options={"allow_empty": True})
    assert allowed.items == ()
    # Nothing imported; a run that commits still records itself.
    assert [e.kind for e in ws.journal()] == ([] if dry_run else ["sync_run"])


def test_a_directory_with_no_row_in_any_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with make_workspace() as empty:
        empty.export_to("csv", tmp_path / "out")  # four header-only files

    error = _refused(ws, tmp_path / "out", dry_run=True)

    assert error.where == str(tmp_path / "out")
    assert error.message.startswith(
        "none of portfolios.csv, programs.csv, projects.csv, work_items.csv holds a row"
    )
    assert ws.import_from("csv", tmp_path / "out", options={"allow_empty": True}).items == ()


def test_header_only_files_beside_rows_are_fine(ws: Workspace, tmp_path: Path) -> None:
    # An export writes every file of the layout, header-only for a kind with no rows.
    with make_workspace() as source:
        source.create("portfolio", id="PF", name="Digital")
        source.export_to("csv", tmp_path / "out")
    assert ws.import_from("csv", tmp_path / "out").counts()["create"] == 1


# --------------------------------------------------------------------- bad cells located


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        # Infinity passed the dry run, then failed the write with no location.
        (
            "key,project,subject,work\nW1,P1,Build,inf\n",
            "work_items.csv:2:4",
            "work: Input should be a finite number (got 'inf')",
        ),
        (
            "key,project,subject,percent_complete\nW1,P1,Build,NaN\n",
            "work_items.csv:2:4",
            "percent_complete: Input should be a finite number (got 'NaN')",
        ),
        (
            "key,project,subject,budget,currency\nW1,P1,Build,Infinity,EUR\n",
            "work_items.csv:2:4",
            "budget.amount: Input should be a finite number",
        ),
        (
            "key,name,budget\nP2,Beta,-Infinity EUR\n",
            "projects.csv:2:3",
            "budget.amount: Input should be a finite number (got '-Infinity EUR')",
        ),
        (
            "key,name,budget\nP2,Beta,-5 EUR\n",
            "projects.csv:2:3",
            "budget: must not be negative, got -5 EUR",
        ),
        (
            "key,name\n" + "K" * 65 + ",Beta\n",
            "projects.csv:2:1",
            "key: 65 characters is too long: a key has at most 64",
        ),
        (
            "key,name\nP\x1b[2J,Beta\n",
            "projects.csv:2:1",
            "key: control character U+001B at position 2",
        ),
        (
            "name,key\nBeta,P\u202e2\n",
            "projects.csv:2:2",
            "key: bidirectional control character U+202E at position 2",
        ),
        (
            "key,project,subject\nW\x071,P1,Build\n",
            "work_items.csv:2:1",
            "key: control character U+0007 at position 2",
        ),
        (
            "key,name\nP2,Be\x1b]0;owned\x07ta\n",
            "projects.csv:2:2",
            "name: control character U+001B at position 3 (got 'Be\\x1b]0;owned\\x07ta')",
        ),
        (
            'key,name\nP2,"Be\nta"\n',
            "projects.csv:2:2",
            "name: line break U+000A at position 3 (got 'Be\\nta')",
        ),
        (
            "key,name,description\nP2,Beta,nul\x00here\n",
            *(
                ("projects.csv:2:3", "description: NUL character U+0000 at position 4")
                if sys.version_info >= (3, 11)
                # Python 3.10's csv module refuses a NUL itself, naming the line only.
                else ("projects.csv:2", "malformed CSV: line contains NUL")
            ),
        ),
    ],
)
def test_a_bad_cell_is_refused_with_file_line_column_and_nothing_is_written(
    ws: Workspace, tmp_path: Path, text: str, where: str, message: str, dry_run: bool
) -> None:
    name, _, _ = where.partition(":")
    root = tmp_path / "in"
    root.mkdir()
    (root / "projects.csv").write_text("key,name\nP1,Alpha\n", encoding="utf-8")
    (root / name).write_text(text, encoding="utf-8", newline="")

    error = _refused(ws, root, dry_run=dry_run)

    assert error.where == f"{root / where}"
    assert error.message.startswith(message), error.message


def test_a_100000_character_name_is_refused_in_a_short_message(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(f"key,name\nP1,{HOSTILE_STRINGS['long']}\n", encoding="utf-8")

    error = _refused(ws, path, dry_run=True)

    assert error.where == f"{path}:2:2"
    assert error.message.startswith(
        "name: 100,000 characters is too long: a one-line value has at most 255"
    )
    assert len(str(error)) < 300 + len(str(path))


# -------------------------------------------------------------------- formulas on export


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Workspace]:
    """Projects whose text fields hold every formula leader the domain lets through."""
    with make_workspace() as ws:
        ws.create("portfolio", id="PF", name="=1+1", description="@SUM(1,2)")
        for n, label in enumerate(
            ["formula-equals", "formula-plus", "formula-minus", "formula-at", "quoted-formula"]
        ):
            text = HOSTILE_STRINGS[label]
            ws.create(
                "project",
                id=f"P{n}",
                name=text,
                parent="PF",
                description=f"{text}\nsecond line",
                sponsor=text,
                tags=[text, "plain"],
                custom_fields={"acme": {"cost_centre": text}},
            )
        ws.add(
            WorkItem(
                project="P0",
                subject="-1+1",
                assignee="@me",
                work=8,
                budget="100 EUR",
                actual_cost="0 EUR",
            )
        )
        yield ws


def _cells(path: Path) -> list[list[str]]:
    # newline="": a carriage return inside a cell must come back as one, not as a line feed.
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _by_key(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header = rows[0]
    return {row[header.index("key")]: dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize("target", ["out.csv", "out"])
def test_no_exported_text_cell_starts_with_a_formula_trigger(
    hostile: Workspace, tmp_path: Path, target: str
) -> None:
    hostile.export_to("csv", tmp_path / target)
    location = tmp_path / target
    files = [location] if target.endswith(".csv") else sorted(location.glob("*"))
    starting = [
        (path.name, cell)
        for path in files
        for row in _cells(path)[1:]
        for cell in row
        if cell.startswith(TRIGGERS)
    ]
    assert starting == []


def test_the_export_puts_one_quote_before_a_trigger_and_keeps_numbers(
    hostile: Workspace, tmp_path: Path
) -> None:
    hostile.export_to("csv", tmp_path / "out")
    projects = _by_key(_cells(tmp_path / "out" / "projects.csv"))

    assert projects["P0"]["name"] == "'" + HOSTILE_STRINGS["formula-equals"]
    assert projects["P1"]["name"] == "'+1+cmd|' /C calc'!A0"
    assert projects["P2"]["name"] == "'-2+3"
    assert projects["P3"]["name"] == "'@SUM(1,2)"
    # Already one quote before a trigger: one more, so the import can take exactly one away.
    assert projects["P4"]["name"] == "''=1+1"
    assert projects["P2"]["description"] == "'-2+3\nsecond line"
    assert projects["P2"]["sponsor"] == "'-2+3"
    assert projects["P2"]["tags"] == "'-2+3;plain"
    assert projects["P3"]["cf:acme.cost_centre"] == "'@SUM(1,2)"
    portfolios = _by_key(_cells(tmp_path / "out" / "portfolios.csv"))
    assert (portfolios["PF"]["name"], portfolios["PF"]["description"]) == ("'=1+1", "'@SUM(1,2)")
    [item] = _by_key(_cells(tmp_path / "out" / "work_items.csv")).values()
    assert (item["subject"], item["assignee"]) == ("'-1+1", "'@me")
    # Numbers stay numbers: a spreadsheet must still add them up.
    assert (item["work"], item["budget"], item["actual_cost"]) == ("8", "100", "0")


def test_negative_numbers_stay_numbers_and_tab_or_return_leaders_are_quoted(
    tmp_path: Path,
) -> None:
    # Written from items directly: the domain strips the whitespace these cells start with,
    # but the writer must not rely on it (an export of another connector's items).
    items = [
        SourceItem(
            kind="work_item",
            remote_id="W1",
            data={
                "project": "P1",
                "subject": "-x",
                "assignee": "\t=1+1",
                "iteration": "\r=1+1",
                "work": -1.5,
                "percent_complete": -2,
                "budget": {"amount": "-100.50", "currency": "EUR"},
                "custom_fields": {"acme": {"delta": -3, "note": "-3+A1", "text_number": "-4"}},
            },
        )
    ]
    pmo_csv.write(ConnectorRequest(location=str(tmp_path / "out.csv"), items=items))
    row = _by_key(_cells(tmp_path / "out.csv"))["W1"]

    assert (row["work"], row["percent_complete"], row["budget"]) == ("-1.5", "-2", "-100.50")
    assert (row["cf:acme.delta"], row["cf:acme.text_number"]) == ("-3", "-4")
    assert (row["subject"], row["cf:acme.note"]) == ("'-x", "'-3+A1")
    assert (row["assignee"], row["iteration"]) == ("'\t=1+1", "'\r=1+1")


@pytest.mark.parametrize("target", ["out.csv", "out"])
def test_a_neutralised_export_imports_back_to_the_original_values(
    hostile: Workspace, tmp_path: Path, target: str
) -> None:
    hostile.export_to("csv", tmp_path / target)
    with make_workspace() as copy:
        copy.import_from("csv", tmp_path / target)

        for entity in hostile.view().entities():
            again = copy.get(entity.id)
            assert (again.name, again.description, again.sponsor, again.tags) == (
                entity.name,
                entity.description,
                entity.sponsor,
                entity.tags,
            )
        assert copy.get("P4").custom_fields == {"acme": {"cost_centre": "'=1+1"}}
        [item] = copy.view().work_items("P0")
        assert (item.subject, item.assignee) == ("-1+1", "@me")


def test_an_import_takes_a_quote_away_only_where_an_export_put_it(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(
        "key,name,sponsor,manager\nP1,'=1+1,'Dana,''@x\n",
        encoding="utf-8",
    )
    ws.import_from("csv", path)
    project = ws.get("P1")
    # "'=1+1" is how "=1+1" is exported; "'Dana" was never neutralised, so it is kept.
    assert (project.name, project.sponsor, project.manager) == ("=1+1", "'Dana", "'@x")


@pytest.fixture
def raw_csv() -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"csv": pmo_csv, "acme": AcmePlugin()}, environ={"PMO_CSV_FORMULAS": "raw"}
    ) as ws:
        yield ws


def test_formulas_raw_writes_and_reads_cells_as_they_are(
    raw_csv: Workspace, tmp_path: Path
) -> None:
    raw_csv.create("project", id="P1", name="=1+1", sponsor="'=x")
    raw_csv.export_to("csv", tmp_path / "raw.csv")
    row = _by_key(_cells(tmp_path / "raw.csv"))["P1"]
    assert (row["name"], row["sponsor"]) == ("=1+1", "'=x")

    with Workspace.in_memory(plugins={"csv": pmo_csv}, environ={"PMO_CSV_FORMULAS": "raw"}) as copy:
        copy.import_from("csv", tmp_path / "raw.csv")
        assert (copy.get("P1").name, copy.get("P1").sponsor) == ("=1+1", "'=x")


def test_formulas_setting_is_checked() -> None:
    with pytest.raises(ValueError, match="formulas"):
        pmo_csv.CsvSettings(formulas="off")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [*HOSTILE_STRINGS.values(), "'", "''", "'''=x", "-", "="])
def test_restore_undoes_neutralise_for_every_string(value: str) -> None:
    assert pmo_csv.restore(pmo_csv.neutralise(value)) == value
    assert not pmo_csv.neutralise(value).startswith(TRIGGERS)
