"""Every bad input names file:line[:column] and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from csv_samples import PROJECTS, WORK_ITEMS, write_dir

from pmo_core import InvalidInputError, Workspace

HEADER = PROJECTS.splitlines()[0]


def _fails(ws: Workspace, location: Path) -> InvalidInputError:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError) as caught:
        ws.import_from("csv", location)
    assert len(ws.journal()) == before, "a failed import wrote something"
    return caught.value


@pytest.fixture
def loaded(ws: Workspace, source: Path) -> Workspace:
    """The workspace after a good import, so "writes nothing" is checked against a journal."""
    ws.import_from("csv", source)
    assert ws.journal()
    return ws


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        # csv.Error: a quote in the middle of a quoted field (strict quoting)
        ('key,name\nP1,"Alpha"x\n', "projects.csv:2", "malformed CSV"),
        ("key,name,colour\nP1,Alpha,red\n", "projects.csv:1:3", "unknown column 'colour'"),
        ("key,name,Name\nP1,Alpha,A\n", "projects.csv:1:3", "duplicate column 'name'"),
        ("name,manager\nAlpha,Pat\n", "projects.csv:1", "no 'key' column"),
        ("key,name\nP1,Alpha\nP2,Beta,extra\n", "projects.csv:3:3", "a value in column 3 but"),
        # an unnamed trailing column (as Excel writes them) must stay empty
        ("key,name,,\nP1,Alpha,,\nP2,Beta,,x\n", "projects.csv:3:4", "names only 2 columns"),
        ("key,name\nP1,Alpha\n,Nameless\n", "projects.csv:3:1", "the key is empty"),
        ("key,name,,manager\nP1,Alpha,,Pat\n", "projects.csv:1:3", "column 3 has no name"),
        ("key,name,cf:acme\nP1,Alpha,x\n", "projects.csv:1:3", "cf:namespace.field"),
        (
            "key,name,planned_start\nP1,Alpha,31/03/2025\n",
            "projects.csv:2:3",
            "not a date (YYYY-MM-DD, or set [settings.csv] date_format",
        ),
        ("key,name,budget\nP1,Alpha,1000\n", "projects.csv:2:3", "has no currency"),
        # validated by the core, located through SourceItem.columns
        (HEADER + "\nP1,One,,,,sideways\n", "projects.csv:2:6", "status"),
        ("key,name,tier\nP1,Alpha,7\n", "projects.csv:2:3", "tier"),
        (
            "key,name,cf:acme.colour\nP1,Alpha,red\n",
            "projects.csv:2:3",
            "acme.cost_centre: Field required",
        ),
        ("key,name,cf:nope.x\nP1,Alpha,1\n", "projects.csv:2:3", "unknown custom field namespace"),
        # a line break inside a quoted cell: the next row starts on line 4
        ('key,name,description\nP1,Alpha,"two\nlines"\nP2,,x\n', "projects.csv:4:2", "name"),
    ],
)
def test_bad_project_files(
    loaded: Workspace, tmp_path: Path, text: str, where: str, message: str
) -> None:
    root = write_dir(tmp_path / "bad", projects=text)

    error = _fails(loaded, root)

    assert error.where is not None
    assert error.where == str(root / where), str(error)
    assert message in str(error)


def test_a_configured_delimiter_the_file_does_not_use(
    loaded: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Configured, the delimiter is not detected: the header reads as one odd column.
    monkeypatch.setenv("PMO_CSV_DELIMITER", ",")
    root = write_dir(tmp_path / "semi", projects="key;name\nP1;Alpha\n")

    error = _fails(loaded, root)

    assert error.where == f"{root / 'projects.csv'}:1:1"
    assert "seems delimited by ';': check [settings.csv] delimiter" in str(error)


def test_wrong_encoding_names_the_line(loaded: Workspace, tmp_path: Path) -> None:
    root = tmp_path / "latin"
    root.mkdir()
    (root / "projects.csv").write_bytes("key,name\nP1,Alpha\nP2,Zürich\n".encode("latin-1"))

    error = _fails(loaded, root)

    assert error.where == f"{root / 'projects.csv'}:3:5"
    assert "not valid utf-8-sig" in str(error)


def test_unknown_kind_in_a_single_file(loaded: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("key,kind,name\nP1,project,One\nX1,epic,Two\n", encoding="utf-8")

    error = _fails(loaded, path)

    assert error.where == f"{path}:3:2"
    assert "'epic'" in str(error)


def test_a_single_file_needs_a_kind_column(loaded: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "things.csv"
    path.write_text("key,name\nP1,One\n", encoding="utf-8")

    error = _fails(loaded, path)

    assert error.where == f"{path}:1"
    assert "needs a 'kind' column" in str(error)


def test_a_column_of_another_kind_is_refused(loaded: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "kind,key,name,project,subject\nwork_item,W1,Wrong,ALPHA,Build\n", encoding="utf-8"
    )

    error = _fails(loaded, path)

    assert error.where == f"{path}:2:3"
    assert "column 'name' does not apply to a work_item" in str(error)


def test_a_parent_that_does_not_exist(loaded: Workspace, tmp_path: Path) -> None:
    root = write_dir(tmp_path / "orphan", projects="key,name,parent\nP1,One,ERP\nP2,Two,NOWHERE\n")

    error = _fails(loaded, root)

    assert error.where == f"{root / 'projects.csv'}:3:3"
    assert "'NOWHERE'" in str(error)


def test_a_program_under_a_project_names_the_line(loaded: Workspace, tmp_path: Path) -> None:
    root = write_dir(
        tmp_path / "upside-down",
        projects="key,name\nP1,One\n",
        programs="key,name,parent\nPG1,Fine,PF-DIG\nPG2,Wrong,P1\n",
    )

    error = _fails(loaded, root)

    assert error.where == f"{root / 'programs.csv'}:3:3"
    assert "a program cannot have a project as its parent" in str(error)


def test_a_work_item_of_an_unknown_project(loaded: Workspace, tmp_path: Path) -> None:
    root = write_dir(
        tmp_path / "lost",
        work_items=WORK_ITEMS.splitlines()[0] + "\nX-1,NOWHERE,Lost,task,open,,,,,0,10 EUR,\n",
    )

    error = _fails(loaded, root)

    assert error.where == f"{root / 'work_items.csv'}:2:2"
    assert "'NOWHERE'" in str(error)


def test_a_key_twice_names_both_lines(loaded: Workspace, tmp_path: Path) -> None:
    root = write_dir(tmp_path / "twice", projects="key,name\nP1,One\nP1,Again\n")

    error = _fails(loaded, root)

    assert error.where == f"{root / 'projects.csv'}:3"
    assert "projects.csv:2" in str(error)


def test_a_directory_without_csv_files(loaded: Workspace, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    error = _fails(loaded, tmp_path / "empty")

    assert "holds none of portfolios.csv" in str(error)


def test_a_missing_file(loaded: Workspace, tmp_path: Path) -> None:
    error = _fails(loaded, tmp_path / "nope.csv")

    assert error.where == str(tmp_path / "nope.csv")
